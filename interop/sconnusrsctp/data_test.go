package sconnusrsctp

import (
	"hash/crc32"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/interop/usrsctp"
	"github.com/sconnlab/sconn/wire"
)

// TestHandshake: the four-way handshake in both roles and both timer
// modes; both sides see COMM_UP with the negotiated streams, every packet
// decodes with package wire.
func TestHandshake(t *testing.T) {
	rolesTimers(t, func(t *testing.T, cfg setup) {
		p := newPair(t, cfg)
		ctx := ctxFor(t, 5*time.Second)
		n, err := p.sc.waitNote(ctx, isConnCommUp)
		require.NoError(t, err)
		ac := n.(conn.AssocChange)
		require.Equal(t, uint16(nStreams), ac.OutboundStreams)
		require.Equal(t, uint16(nStreams), ac.InboundStreams)
		un, err := p.uc.waitNote(ctx, isUsrState(usrsctp.CommUp))
		require.NoError(t, err)
		uac := un.(*usrsctp.AssocChange)
		require.Equal(t, uint16(nStreams), uac.OutboundStreams)
		require.Equal(t, uint16(nStreams), uac.InStreams)

		var st conn.Status
		require.NoError(t, p.s.GetOption(&st))
		require.Equal(t, conn.StateEstablished, st.State)
		require.Equal(t, uint16(nStreams), st.OutStreams)
		ust, err := p.us.Stats()
		require.NoError(t, err)
		require.Equal(t, usrsctp.StateEstablished, ust.State)

		client, server := sconnpeer.AtoB, sconnpeer.BtoA
		if !cfg.sconnClient {
			client, server = server, client
		}
		require.Equal(t, 1, p.tap.Count(client, wire.ChunkInit))
		require.Equal(t, 1, p.tap.Count(server, wire.ChunkInitAck))
		require.Equal(t, 1, p.tap.Count(client, wire.ChunkCookieEcho))
		require.Equal(t, 1, p.tap.Count(server, wire.ChunkCookieAck))
		require.NoError(t, p.tap.Err())
		for _, pk := range p.tap.Packets() {
			pkt, err := wire.ParsePacket(pk.Data)
			require.NoError(t, err)
			want := [2]uint16{sconnPort, usrPort}
			if pk.Dir == sconnpeer.BtoA {
				want = [2]uint16{usrPort, sconnPort}
			}
			require.Equal(t, want, [2]uint16{pkt.SrcPort(), pkt.DstPort()}, wire.Summary(pkt))
		}
	})
}

// TestStreams: messages on 16 streams, ordered and unordered, both ways
// at once, 1 B–3000 B (16 B minimum unordered, so that messages name
// themselves), PPIDs 51–54, in both roles and timer modes.
func TestStreams(t *testing.T) {
	for _, unordered := range []bool{false, true} {
		name := "ordered"
		if unordered {
			name = "unordered"
		}
		t.Run(name, func(t *testing.T) {
			rolesTimers(t, func(t *testing.T, cfg setup) {
				p := newPair(t, cfg)
				ctx := ctxFor(t, 30*time.Second)
				minSize := 1
				if unordered {
					minSize = 16
				}
				size := func(i int) int { return minSize + (i*397)%3000 }
				toUsr := &traffic.Plan{Streams: traffic.Streams(0, nStreams), N: 1500, Unordered: unordered, Size: size}
				toSconn := &traffic.Plan{Streams: traffic.Streams(0, nStreams), N: 1500, Unordered: unordered, Size: size}
				p.exchange(ctx, toUsr, toSconn)
				// the U bit crossed the link as sent
				for _, pk := range p.tap.Packets() {
					pkt, _ := wire.ParsePacket(pk.Data)
					for it := pkt.Chunks(); ; {
						c, ok := it.Next()
						if !ok {
							break
						}
						if c.Type() == wire.ChunkData {
							d, err := wire.DecodeData(c)
							require.NoError(t, err)
							require.Equal(t, unordered, d.Unordered)
						}
					}
				}
			})
		})
	}
}

// messageSizes covers tiny messages, the single-chunk limit and
// fragmented messages up to 256 KiB.
var messageSizes = []int{1, 2, 3, 4, 7, 8, 15, 16, 17, 100, 1000, 1100, 1130, 1131, 1152, 1200, 1400, 1452, 1500,
	2000, 4096, 9000, 16384, 65535, 65536, 65537, 100000, 131072, 200000, 262144}

// TestMessageSizes: each size in messageSizes both ways at once, ordered on
// stream 1 and (from 16 B) unordered on stream 2, in both roles.
func TestMessageSizes(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		p := newPair(t, setup{sconnClient: sconnClient})
		ctx := ctxFor(t, 30*time.Second)
		size := func(i int) int { return messageSizes[i] }
		ordered := &traffic.Plan{Streams: []uint16{1}, N: len(messageSizes), Size: size}
		p.exchange(ctx, ordered, ordered)
		var big []int
		for _, s := range messageSizes {
			if s >= 16 {
				big = append(big, s)
			}
		}
		unordered := &traffic.Plan{Streams: []uint16{2}, N: len(big), Unordered: true, Size: func(i int) int { return big[i] }}
		p.exchange(ctx, unordered, unordered)
		// fragmented messages: more DATA chunks than messages each way
		for _, dir := range []int{sconnpeer.AtoB, sconnpeer.BtoA} {
			chunks, _ := p.tap.Stats(dir).DataChunks()
			require.Greater(t, chunks, 2*len(messageSizes))
		}
	})
}

// TestTenThousandMessages: 10 000 messages each way at once on 8 ordered
// streams, 16 B–1100 B; every message is checked (CRC-32 of its body,
// stream, sequence, PPID) and a CRC over all bytes in stream order is
// compared with the sender's.
func TestTenThousandMessages(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		p := newPair(t, setup{sconnClient: sconnClient})
		ctx := ctxFor(t, 60*time.Second)
		const n = 10000
		plan := &traffic.Plan{Streams: traffic.Streams(0, 8), N: n, Size: func(i int) int { return 16 + (i*7919)%1085 }}
		// running CRCs per stream on both receive sides
		type crcs struct {
			mu sync.Mutex
			c  map[uint16]uint32
		}
		recvU, recvS := &crcs{c: map[uint16]uint32{}}, &crcs{c: map[uint16]uint32{}}
		want := map[uint16]uint32{}
		for i := range n {
			sid, _, data := plan.Message(i)
			want[sid] = crc32.Update(want[sid], crc32.IEEETable, data)
		}
		tee := func(c *crcs, next func(msg)) func(msg) {
			return func(m msg) {
				c.mu.Lock()
				c.c[m.sid] = crc32.Update(c.c[m.sid], crc32.IEEETable, m.data)
				c.mu.Unlock()
				next(m)
			}
		}
		vu, vs := traffic.NewVerifier(plan), traffic.NewVerifier(plan)
		p.uc.onMsg(tee(recvU, func(m msg) { _ = vu.Receive(m.sid, m.ppid, m.unordered, m.data) }))
		p.sc.onMsg(tee(recvS, func(m msg) { _ = vs.Receive(m.sid, m.ppid, m.unordered, m.data) }))
		errs := make(chan error, 2)
		go func() { errs <- sendSconn(ctx, p.s, plan) }()
		go func() { errs <- sendUsrsctp(ctx, p.us, plan) }()
		require.NoError(t, <-errs)
		require.NoError(t, <-errs)
		for _, v := range []*traffic.Verifier{vu, vs} {
			select {
			case <-v.Done():
			case <-ctx.Done():
			}
		}
		require.NoError(t, vu.Err(), "sconn → usrsctp")
		require.NoError(t, vs.Err(), "usrsctp → sconn")
		require.Equal(t, want, recvU.c)
		require.Equal(t, want, recvS.c)
		require.EqualValues(t, n, p.uc.msgs.Load())
		require.EqualValues(t, n, p.sc.msgs.Load())
	})
}

// TestStreamNegotiation: usrsctp asks for 5 outbound streams and accepts 8
// inbound, sconn 16 and 16: each side may send on min(its OS, the peer's
// MIS) streams. sconn reports 8 outbound and 5 inbound, and refuses to send
// on stream 8 (instead of sending what usrsctp would reject with an
// Invalid Stream Identifier ERROR); usrsctp refuses stream 5.
func TestStreamNegotiation(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		p := newPair(t, setup{sconnClient: sconnClient, usrPrep: func(s *usrsctp.Socket) error {
			return s.SetInitMsg(usrsctp.InitMsg{OutStreams: 5, MaxInStreams: 8})
		}})
		ctx := ctxFor(t, 10*time.Second)
		n, err := p.sc.waitNote(ctx, isConnCommUp)
		require.NoError(t, err)
		ac := n.(conn.AssocChange)
		require.Equal(t, uint16(8), ac.OutboundStreams)
		require.Equal(t, uint16(5), ac.InboundStreams)
		_, err = p.s.SendV([]byte("x"), conn.SendSpec{Info: &conn.SendInfo{Stream: 8, PPID: 51}})
		require.Error(t, err, "sconn sent on a stream the peer does not accept")
		_, err = p.us.SendV([]byte("x"), usrsctp.SendInfo{SID: 5, PPID: 51})
		require.Error(t, err)
		toUsr := &traffic.Plan{Streams: traffic.Streams(0, 8), N: 80}
		toSconn := &traffic.Plan{Streams: traffic.Streams(0, 5), N: 50}
		p.exchange(ctx, toUsr, toSconn)
		require.Zero(t, p.tap.Count(sconnpeer.BtoA, wire.ChunkError))
	})
}

// TestSmallReceiveWindow: sconn's receive buffer is 64 KiB and usrsctp
// sends 256 KiB messages on stream 1 between small ones on stream 2:
// usrsctp is held by sconn's a_rwnd (every SACK advertises at most 64 KiB,
// window updates reopen it), sconn delivers each big message in pieces
// (partial delivery: a message four times the window cannot be reassembled
// whole first), and everything arrives intact.
func TestSmallReceiveWindow(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		p := newPair(t, setup{sconnClient: sconnClient, sconnOpts: []conn.SettableOption{conn.RcvBuf(64 << 10)}})
		ctx := ctxFor(t, 30*time.Second)
		pl := &traffic.Plan{Streams: []uint16{1, 2}, N: 12, Size: func(i int) int {
			if i%2 == 0 {
				return 256 << 10
			}
			return 100 + i
		}}
		p.exchange(ctx, &traffic.Plan{Streams: []uint16{1}}, pl)
		ars := map[uint32]bool{}
		for _, c := range chunks(p.tap, sconnpeer.AtoB, wire.ChunkSack) {
			s, err := wire.DecodeSack(c)
			require.NoError(t, err)
			ars[s.ARwnd] = true
			require.LessOrEqual(t, s.ARwnd, uint32(64<<10))
		}
		require.Greater(t, len(ars), 1)
	})
}
