package sconnpion

import (
	"hash/crc32"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/wire"
)

// TestHandshake: both roles, both timer modes; COMM_UP with the
// negotiated streams, every packet valid.
func TestHandshake(t *testing.T) {
	rolesTimers(t, func(t *testing.T, cfg setup) {
		p := newPair(t, cfg)
		ctx := ctxFor(t, 5*time.Second)
		n, err := p.sc.waitNote(ctx, isState(conn.CommUp))
		require.NoError(t, err)
		ac := n.(conn.AssocChange)
		// pion announces 65535 streams each way as a client, and as a
		// server answers the client's outbound count
		require.Equal(t, uint16(nStreams), ac.OutboundStreams)
		require.Equal(t, uint16(nStreams), ac.InboundStreams)
		var st conn.Status
		require.NoError(t, p.s.GetOption(&st))
		require.Equal(t, conn.StateEstablished, st.State)
		client, server := sconnpeer.AtoB, sconnpeer.BtoA
		if !cfg.sconnClient {
			client, server = server, client
		}
		require.Equal(t, 1, p.tap.Count(client, wire.ChunkInit))
		require.Equal(t, 1, p.tap.Count(server, wire.ChunkInitAck))
		require.Equal(t, 1, p.tap.Count(client, wire.ChunkCookieEcho))
		require.Equal(t, 1, p.tap.Count(server, wire.ChunkCookieAck))
		require.NoError(t, p.tap.Err())
	})
}

// TestStreams: 16 streams, ordered and unordered, both ways at once.
func TestStreams(t *testing.T) {
	for _, unordered := range []bool{false, true} {
		name := map[bool]string{false: "ordered", true: "unordered"}[unordered]
		t.Run(name, func(t *testing.T) {
			rolesTimers(t, func(t *testing.T, cfg setup) {
				p := newPair(t, cfg)
				ctx := ctxFor(t, 30*time.Second)
				minSize := map[bool]int{false: 1, true: 16}[unordered]
				size := func(i int) int { return minSize + (i*397)%3000 }
				pl := &traffic.Plan{Streams: traffic.Streams(0, nStreams), N: 1000, Unordered: unordered, Size: size}
				p.exchange(ctx, pl, pl)
				for _, dir := range []int{sconnpeer.AtoB, sconnpeer.BtoA} {
					for _, c := range chunks(p.tap, dir, wire.ChunkData) {
						d, err := wire.DecodeData(c)
						require.NoError(t, err)
						require.Equal(t, unordered, d.Unordered, "U bit, direction %d", dir)
					}
				}
			})
		})
	}
}

var messageSizes = []int{1, 2, 3, 4, 7, 8, 15, 16, 17, 100, 1000, 1100, 1131, 1152, 1172, 1200, 1400, 1500,
	2000, 4096, 9000, 16384, 65535, 65536, 65537, 100000, 131072, 200000, 262144}

// TestMessageSizes: 1 B to 256 KiB both ways, ordered, and from 16 B
// unordered (pion's MaxMessageSize raised to 1 MiB).
func TestMessageSizes(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		p := newPair(t, setup{sconnClient: sconnClient})
		ctx := ctxFor(t, 30*time.Second)
		ordered := &traffic.Plan{Streams: []uint16{1}, N: len(messageSizes), Size: func(i int) int { return messageSizes[i] }}
		p.exchange(ctx, ordered, ordered)
		var big []int
		for _, s := range messageSizes {
			if s >= 16 {
				big = append(big, s)
			}
		}
		unordered := &traffic.Plan{Streams: []uint16{2}, N: len(big), Unordered: true, Size: func(i int) int { return big[i] }}
		p.exchange(ctx, unordered, unordered)
	})
}

// TestTenThousandMessages: 10 000 messages each way on 8 ordered streams
// with per-message and per-stream CRC checks.
func TestTenThousandMessages(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		p := newPair(t, setup{sconnClient: sconnClient})
		ctx := ctxFor(t, 60*time.Second)
		const n = 10000
		plan := &traffic.Plan{Streams: traffic.Streams(0, 8), N: n, Size: func(i int) int { return 16 + (i*7919)%1085 }}
		want := map[uint16]uint32{}
		for i := range n {
			sid, _, data := plan.Message(i)
			want[sid] = crc32.Update(want[sid], crc32.IEEETable, data)
		}
		var mu sync.Mutex
		gotP, gotS := map[uint16]uint32{}, map[uint16]uint32{}
		vp, vs := traffic.NewVerifier(plan), traffic.NewVerifier(plan)
		p.ps.onMsg(func(m msg) {
			mu.Lock()
			gotP[m.sid] = crc32.Update(gotP[m.sid], crc32.IEEETable, m.data)
			mu.Unlock()
			_ = vp.Receive(m.sid, m.ppid, false, m.data)
		})
		p.sc.onMsg(func(m msg) {
			mu.Lock()
			gotS[m.sid] = crc32.Update(gotS[m.sid], crc32.IEEETable, m.data)
			mu.Unlock()
			_ = vs.Receive(m.sid, m.ppid, m.unordered, m.data)
		})
		errs := make(chan error, 2)
		go func() { errs <- sendSconn(ctx, p.s, plan) }()
		go func() { errs <- p.ps.send(ctx, plan) }()
		require.NoError(t, <-errs)
		require.NoError(t, <-errs)
		for _, v := range []*traffic.Verifier{vp, vs} {
			select {
			case <-v.Done():
			case <-ctx.Done():
			}
		}
		require.NoError(t, vp.Err(), "sconn → pion")
		require.NoError(t, vs.Err(), "pion → sconn")
		mu.Lock()
		defer mu.Unlock()
		require.Equal(t, want, gotP)
		require.Equal(t, want, gotS)
	})
}

// TestExtensionsNotNegotiated: pion with zero checksums (RFC 9653) and
// I-DATA (RFC 8260) enabled; sconn's conn layer announces neither (it has
// no option for them), so pion must fall back to CRC32c and DATA chunks.
func TestExtensionsNotNegotiated(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		pc := pionCfg
		pc.ZeroChecksum, pc.Interleaving = true, true
		p := newPair(t, setup{sconnClient: sconnClient, pionCfg: &pc})
		ctx := ctxFor(t, 10*time.Second)
		pl := &traffic.Plan{Streams: traffic.Streams(0, 4), N: 200, Size: func(i int) int { return 1 + i*37 }}
		p.exchange(ctx, pl, pl)
		require.Zero(t, p.tap.Count(sconnpeer.BtoA, wire.ChunkIData))
		require.NoError(t, p.tap.Err()) // every checksum present and right
	})
}
