package sconnusrsctp

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/conn/conntest"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/interop/usrsctp"
	"github.com/sconnlab/sconn/wire"
)

// fastRTO makes retransmissions quick on both sides (RTO 20 ms … 200 ms).
func fastRTO(cfg *setup) {
	cfg.sconnOpts = append(cfg.sconnOpts, conn.RTOInfo{Initial: 100 * time.Millisecond, Min: 20 * time.Millisecond, Max: 200 * time.Millisecond})
	prev := cfg.usrPrep
	cfg.usrPrep = func(s *usrsctp.Socket) error {
		if prev != nil {
			if err := prev(s); err != nil {
				return err
			}
		}
		return s.SetRTOInfo(0, usrsctp.RTOInfo{InitialMs: 100, MinMs: 20, MaxMs: 200})
	}
}

// TestLossyLink: 3 % loss each way (the handshake is spared); 400
// messages each way, ordered on 4 streams, up to 3000 B (fragmented). Every
// message arrives once, in order; both sides retransmitted (the link
// shows repeated TSNs and sconn counts them), and SACKs carried gap blocks.
func TestLossyLink(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		var lossy sync.Map // direction -> bool, switched on after the handshake
		loss := func(dir int, seed uint64) pipe.Hook {
			h := pipe.Loss(0.03, seed)
			return func(p []byte) bool {
				if _, on := lossy.Load(dir); !on {
					return true
				}
				return h(p)
			}
		}
		cfg := setup{sconnClient: sconnClient, pipeOpts: pipe.Options{AtoB: loss(0, 11), BtoA: loss(1, 12)}}
		fastRTO(&cfg)
		p := newPair(t, cfg)
		lossy.Store(0, true)
		lossy.Store(1, true)
		ctx := ctxFor(t, 60*time.Second)
		pl := &traffic.Plan{Streams: traffic.Streams(0, 4), N: 400, Size: func(i int) int { return 1 + (i*577)%3000 }}
		p.exchange(ctx, pl, pl)
		require.NotZero(t, p.ca.Stats().Dropped)
		require.NotZero(t, p.cb.Stats().Dropped)
		var as conn.AssocStats
		require.NoError(t, p.s.GetOption(&as))
		out := p.tap.Stats(sconnpeer.AtoB)
		chunks, tsns := out.DataChunks()
		t.Logf("dropped a→b %d, b→a %d; sconn retransmitted %d DATA chunks (link: %d), gap SACKs received %d",
			p.ca.Stats().Dropped, p.cb.Stats().Dropped, as.RtxChunks, chunks-tsns, as.GapCnt)
		require.Positive(t, as.RtxChunks)
		require.EqualValues(t, chunks-tsns, as.RtxChunks)
		in := p.tap.Stats(sconnpeer.BtoA)
		ic, it := in.DataChunks()
		require.Greater(t, ic, it, "usrsctp retransmitted nothing")
	})
}

// TestPartialReliability: PR-SCTP (RFC 3758) both ways on a link that
// loses 10 % of the DATA after the handshake: 300 unordered messages per
// direction with "no retransmission" (PR-SCTP RTX, 0 retransmissions)
// followed by 20 reliable ones. The lost ones are abandoned, a FORWARD TSN
// moves the peer on, nothing arrives twice, and every reliable message
// arrives.
func TestPartialReliability(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		var on sync.Map
		lossyData := func(dir int, seed uint64) pipe.Hook {
			h := pipe.Loss(0.10, seed)
			return func(p []byte) bool {
				if _, ok := on.Load(dir); !ok || len(p) < 13 || wire.ChunkType(p[12]) != wire.ChunkData {
					return true
				}
				return h(p)
			}
		}
		cfg := setup{sconnClient: sconnClient, pipeOpts: pipe.Options{AtoB: lossyData(0, 21), BtoA: lossyData(1, 22)}}
		fastRTO(&cfg)
		p := newPair(t, cfg)
		ctx := ctxFor(t, 30*time.Second)
		n, err := p.sc.waitNote(ctx, isConnCommUp)
		require.NoError(t, err)
		require.Contains(t, n.(conn.AssocChange).Supports, conn.SupportsPR)
		on.Store(0, true)
		on.Store(1, true)

		const unreliable, reliable = 300, 20
		type recv struct {
			mu       sync.Mutex
			seen     map[uint32]bool
			reliable int
			err      error
			done     chan struct{}
		}
		mk := func() *recv { return &recv{seen: map[uint32]bool{}, done: make(chan struct{})} }
		rs, ru := mk(), mk() // received by sconn, by usrsctp
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
		p.uc.onMsg(handler(ru))
		errs := make(chan error, 2)
		go func() {
			for i := range unreliable + reliable {
				sid, pr := uint16(1), &conn.PRInfo{Policy: conn.PRRtx, Value: 0}
				seq := uint32(i)
				if i >= unreliable {
					sid, pr, seq = 2, nil, uint32(i-unreliable)
				}
				info := conn.SendInfo{Stream: sid, PPID: 53, Flags: conn.FlagUnordered}
				deadline(ctx, p.s)
				if _, err := p.s.SendV(conntest.Message(sid, seq, 300), conn.SendSpec{Info: &info, PR: pr}); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
		go func() {
			for i := range unreliable + reliable {
				si := usrsctp.SendInfo{SID: 1, PPID: 53, Unordered: true, PRPolicy: usrsctp.PRRtx}
				seq := uint32(i)
				if i >= unreliable {
					si.SID, si.PRPolicy, seq = 2, usrsctp.PRNone, uint32(i-unreliable)
				}
				if _, err := p.us.SendVContext(ctx, conntest.Message(si.SID, seq, 300), si); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
		require.NoError(t, <-errs)
		require.NoError(t, <-errs)
		for _, r := range []*recv{rs, ru} {
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
		ru.mu.Lock()
		defer rs.mu.Unlock()
		defer ru.mu.Unlock()
		t.Logf("unreliable delivered: to sconn %d/%d, to usrsctp %d/%d; FORWARD TSN sconn→usrsctp %d, usrsctp→sconn %d",
			len(rs.seen), unreliable, len(ru.seen), unreliable,
			p.tap.Count(sconnpeer.AtoB, wire.ChunkForwardTSN), p.tap.Count(sconnpeer.BtoA, wire.ChunkForwardTSN))
		require.Positive(t, p.tap.Count(sconnpeer.AtoB, wire.ChunkForwardTSN), "sconn never sent FORWARD TSN")
		require.Positive(t, p.tap.Count(sconnpeer.BtoA, wire.ChunkForwardTSN), "usrsctp never sent FORWARD TSN")
		require.Less(t, len(rs.seen), unreliable)
		require.Less(t, len(ru.seen), unreliable)
	})
}
