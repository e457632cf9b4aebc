package sconnpion

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/sctp"
	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/conn/conntest"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/pionpeer"
	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/wire"
)

// lossHook drops each DATA-carrying packet (dataOnly) or each packet with
// probability rate once on is set.
func lossHook(on *atomic.Bool, rate float64, seed uint64, dataOnly bool) pipe.Hook {
	h := pipe.Loss(rate, seed)
	return func(p []byte) bool {
		if !on.Load() || dataOnly && (len(p) < 13 || wire.ChunkType(p[12]) != wire.ChunkData) {
			return true
		}
		return h(p)
	}
}

// TestLossyLink: 3 % loss each way after the handshake, 300 ordered
// messages each way on 4 streams up to 3000 B: all arrive once, in order,
// and both sides retransmitted.
func TestLossyLink(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		var on atomic.Bool
		cfg := setup{sconnClient: sconnClient, pipeOpts: pipe.Options{AtoB: lossHook(&on, 0.03, 31, false), BtoA: lossHook(&on, 0.03, 32, false)}}
		cfg.sconnOpts = []conn.SettableOption{conn.RTOInfo{Initial: 100 * time.Millisecond, Min: 20 * time.Millisecond, Max: 200 * time.Millisecond}}
		p := newPair(t, cfg)
		on.Store(true)
		ctx := ctxFor(t, 60*time.Second)
		pl := &traffic.Plan{Streams: traffic.Streams(0, 4), N: 300, Size: func(i int) int { return 1 + (i*577)%3000 }}
		p.exchange(ctx, pl, pl)
		var as conn.AssocStats
		require.NoError(t, p.s.GetOption(&as))
		out, in := p.tap.Stats(sconnpeer.AtoB), p.tap.Stats(sconnpeer.BtoA)
		oc, ot := out.DataChunks()
		ic, it := in.DataChunks()
		t.Logf("dropped a→b %d, b→a %d; sconn retransmitted %d, pion %d", p.ca.Stats().Dropped, p.cb.Stats().Dropped, oc-ot, ic-it)
		require.EqualValues(t, oc-ot, as.RtxChunks)
		require.Positive(t, as.RtxChunks)
		require.Greater(t, ic, it)
	})
}

// TestPartialReliability: PR-SCTP both ways with 10 % DATA loss: 300
// unordered messages with 0 retransmissions (pion: ReliabilityTypeRexmit 0,
// sconn: PR-SCTP RTX 0) on stream 1, then 20 reliable ones on stream 2.
// FORWARD TSNs cross both ways, nothing arrives twice, every reliable
// message arrives.
func TestPartialReliability(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		var on atomic.Bool
		cfg := setup{sconnClient: sconnClient, pipeOpts: pipe.Options{AtoB: lossHook(&on, 0.1, 41, true), BtoA: lossHook(&on, 0.1, 42, true)}}
		cfg.sconnOpts = []conn.SettableOption{conn.RTOInfo{Initial: 100 * time.Millisecond, Min: 20 * time.Millisecond, Max: 200 * time.Millisecond}}
		p := newPair(t, cfg)
		ctx := ctxFor(t, 30*time.Second)
		n, err := p.sc.waitNote(ctx, isState(conn.CommUp))
		require.NoError(t, err)
		require.Contains(t, n.(conn.AssocChange).Supports, conn.SupportsPR)
		const unreliable, reliable = 300, 20
		type recv struct {
			mu       sync.Mutex
			seen     map[uint32]bool
			reliable int
			err      error
			done     chan struct{}
		}
		mk := func() *recv { return &recv{seen: map[uint32]bool{}, done: make(chan struct{})} }
		rs, rp := mk(), mk()
		handler := func(r *recv) func(msg) {
			return func(m msg) {
				r.mu.Lock()
				defer r.mu.Unlock()
				sid, seq, err := conntest.ParseMessage(m.data)
				switch {
				case err != nil:
					r.err = err
				case sid == 1:
					if r.seen[seq] {
						r.err = fmt.Errorf("message %d twice", seq)
					}
					r.seen[seq] = true
				case sid == 2:
					r.reliable++
					if r.reliable == reliable {
						close(r.done)
					}
				}
			}
		}
		p.sc.onMsg(handler(rs))
		p.ps.onMsg(handler(rp))
		// pion's streams: 1 unreliable, 2 reliable
		s1, err := pionpeer.OpenStream(p.pa, 1, sctp.PayloadTypeWebRTCBinary, true)
		require.NoError(t, err)
		s1.SetReliabilityParams(true, sctp.ReliabilityTypeRexmit, 0)
		s2, err := pionpeer.OpenStream(p.pa, 2, sctp.PayloadTypeWebRTCBinary, true)
		require.NoError(t, err)
		p.ps.mu.Lock()
		p.ps.track(s1)
		p.ps.track(s2)
		p.ps.mu.Unlock()
		w1, w2 := pionpeer.NewSender(s1, 1<<20, 512<<10), pionpeer.NewSender(s2, 1<<20, 512<<10)
		on.Store(true)
		errs := make(chan error, 2)
		go func() {
			for i := range unreliable + reliable {
				sid, pr, seq := uint16(1), &conn.PRInfo{Policy: conn.PRRtx, Value: 0}, uint32(i)
				if i >= unreliable {
					sid, pr, seq = 2, nil, uint32(i-unreliable)
				}
				info := conn.SendInfo{Stream: sid, PPID: 53, Flags: conn.FlagUnordered}
				if d, ok := ctx.Deadline(); ok {
					_ = p.s.SetWriteDeadline(d)
				}
				if _, err := p.s.SendV(conntest.Message(sid, seq, 300), conn.SendSpec{Info: &info, PR: pr}); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
		go func() {
			send := func(w *pionpeer.Sender, sid uint16, seq uint32) error {
				return w.Write(ctx, conntest.Message(sid, seq, 300), sctp.PayloadTypeWebRTCBinary)
			}
			for i := range unreliable {
				if err := send(w1, 1, uint32(i)); err != nil {
					errs <- err
					return
				}
			}
			for i := range reliable {
				if err := send(w2, 2, uint32(i)); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
		require.NoError(t, <-errs)
		require.NoError(t, <-errs)
		for _, r := range []*recv{rs, rp} {
			select {
			case <-r.done:
			case <-ctx.Done():
				t.Fatalf("reliable messages missing: %d of %d", r.reliable, reliable)
			}
			r.mu.Lock()
			require.NoError(t, r.err)
			r.mu.Unlock()
		}
		rs.mu.Lock()
		rp.mu.Lock()
		defer rs.mu.Unlock()
		defer rp.mu.Unlock()
		t.Logf("unreliable delivered: to sconn %d/%d, to pion %d/%d; FORWARD TSN sconn→pion %d, pion→sconn %d",
			len(rs.seen), unreliable, len(rp.seen), unreliable,
			p.tap.Count(sconnpeer.AtoB, wire.ChunkForwardTSN), p.tap.Count(sconnpeer.BtoA, wire.ChunkForwardTSN))
		require.Positive(t, p.tap.Count(sconnpeer.AtoB, wire.ChunkForwardTSN))
		require.Positive(t, p.tap.Count(sconnpeer.BtoA, wire.ChunkForwardTSN))
	})
}
