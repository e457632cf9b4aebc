package pionpeer

// pion/sctp ↔ usrsctp over one in-memory pipe: usrsctp's Endpoint is
// attached to one end, pion's association uses the other. Both speak plain
// SCTP packets, so nothing is translated; these tests validate the harness
// and record what interoperates (docs/interop-peers.md).

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/pion/datachannel"
	"github.com/pion/sctp"
	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/interop/usrsctp"
	"github.com/sconnlab/sconn/wire"
)

// crossPair is a usrsctp socket associated with a pion association.
type crossPair struct {
	ep  *usrsctp.Endpoint
	us  *usrsctp.Socket
	pa  *sctp.Association
	rec *pipe.Recorder
	ca  *pipe.Conn // usrsctp's end
	cb  *pipe.Conn // pion's end
}

// newCross connects usrsctp and pion; usrsctpClient picks who sends INIT.
// pion uses SCTP port 5000 on both sides, so usrsctp does too.
func newCross(t *testing.T, usrsctpClient bool, opts pipe.Options, prep func(*usrsctp.Socket)) *crossPair {
	t.Helper()
	rec := &pipe.Recorder{}
	opts.AtoB = pipe.Chain(rec.Hook(), opts.AtoB)
	opts.BtoA = pipe.Chain(rec.Hook(), opts.BtoA)
	ca, cb := pipe.New(opts)
	cp := &crossPair{ep: usrsctp.NewEndpoint(), rec: rec, ca: ca, cb: cb}
	cp.ep.Attach(ca)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cfg := Config{Name: "pion", MaxMessageSize: 1 << 20}

	s, err := cp.ep.Socket(false)
	require.NoError(t, err)
	// As WebRTC stacks do (usrsctp's default is 10 outbound streams, which
	// pion as a server then also applies to itself: see
	// TestCrossQuirkPionServerStreams).
	require.NoError(t, s.SetInitMsg(usrsctp.InitMsg{OutStreams: 1024, MaxInStreams: 1024}))
	if prep != nil {
		prep(s)
	}
	require.NoError(t, s.Bind(5000))
	if usrsctpClient {
		res := make(chan error, 1)
		go func() {
			var err error
			cp.pa, err = Server(ctx, cb, cfg)
			res <- err
		}()
		require.NoError(t, s.ConnectContext(ctx, 5000))
		require.NoError(t, <-res)
		cp.us = s
	} else {
		require.NoError(t, s.Listen(1))
		res := make(chan error, 1)
		go func() {
			var err error
			cp.pa, err = Client(ctx, cb, cfg)
			res <- err
		}()
		cp.us, err = s.AcceptContext(ctx)
		require.NoError(t, err)
		require.NoError(t, <-res)
		require.NoError(t, s.Close())
	}
	t.Cleanup(func() {
		_ = cp.us.Abort()
		_ = cp.pa.Close()
		_ = cp.ep.Close()
		_ = cb.Close()
	})
	return cp
}

func roles(t *testing.T, f func(t *testing.T, usrsctpClient bool)) {
	t.Run("usrsctp-client", func(t *testing.T) { f(t, true) })
	t.Run("pion-client", func(t *testing.T) { f(t, false) })
}

func TestCrossHandshake(t *testing.T) {
	roles(t, func(t *testing.T, usrsctpClient bool) {
		cp := newCross(t, usrsctpClient, pipe.Options{}, nil)
		st, err := cp.us.Stats()
		require.NoError(t, err)
		require.Equal(t, usrsctp.StateEstablished, st.State)
		for i, b := range cp.rec.Packets() {
			_, err := wire.ParsePacket(b)
			require.NoError(t, err, "packet %d", i)
			require.NoError(t, wire.VerifyChecksum(b, false), "packet %d", i)
		}
	})
}

// exchange sends n messages usrsctp → pion and n messages pion → usrsctp
// at the same time, on several streams and PPIDs, and checks them all.
func exchange(t *testing.T, cp *crossPair, n int, unordered bool, size func(i int) int) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sidU := func(i int) uint16 { return uint16(i % 4) }    // usrsctp → pion
	sidP := func(i int) uint16 { return uint16(10 + i%4) } // pion → usrsctp
	// 51..54: not 50, which pion always sends ordered (DCEP messages must be)
	ppid := func(i int) uint32 { return uint32(51 + i%4) }

	toPion := newCollector(n)
	go AcceptAll(cp.pa, 1<<20, func(s *sctp.Stream, p sctp.PayloadProtocolIdentifier, data []byte) {
		if s.StreamIdentifier() < 10 {
			toPion.add(got{sid: s.StreamIdentifier(), ppid: uint32(p), i: check(data)})
		}
	})
	sendErr := make(chan error, 2)
	go func() {
		for i := range n {
			_, err := cp.us.SendVContext(ctx, payload(i, size(i)), usrsctp.SendInfo{SID: sidU(i), PPID: ppid(i), Unordered: unordered})
			if err != nil {
				sendErr <- err
				return
			}
		}
		sendErr <- nil
	}()
	go func() {
		senders := map[uint16]*Sender{}
		for i := range n {
			w := senders[sidP(i)]
			if w == nil {
				s, err := OpenStream(cp.pa, sidP(i), sctp.PayloadTypeWebRTCBinary, unordered)
				if err != nil {
					sendErr <- err
					return
				}
				w = NewSender(s, 512<<10, 128<<10)
				senders[sidP(i)] = w
			}
			if err := w.Write(ctx, payload(i, size(i)), sctp.PayloadProtocolIdentifier(ppid(i))); err != nil {
				sendErr <- err
				return
			}
		}
		sendErr <- nil
	}()
	var toUsrsctp []got
	for len(toUsrsctp) < n {
		m, err := cp.us.RecvMsgContext(ctx)
		require.NoError(t, err, "after %d messages", len(toUsrsctp))
		if m.IsNotification {
			continue
		}
		require.Equal(t, unordered, m.Info.Unordered())
		toUsrsctp = append(toUsrsctp, got{sid: m.Info.SID, ppid: m.Info.PPID, i: check(m.Data)})
	}
	require.NoError(t, <-sendErr)
	require.NoError(t, <-sendErr)
	verify(t, toUsrsctp, n, sidP, ppid, !unordered)
	verify(t, toPion.wait(t), n, sidU, ppid, !unordered)
}

func TestCrossMessages(t *testing.T) {
	for _, unordered := range []bool{false, true} {
		name := map[bool]string{false: "ordered", true: "unordered"}[unordered]
		t.Run(name, func(t *testing.T) {
			roles(t, func(t *testing.T, usrsctpClient bool) {
				cp := newCross(t, usrsctpClient, pipe.Options{}, nil)
				exchange(t, cp, 1000, unordered, func(i int) int { return 1 + i*37%3000 })
			})
		})
	}
}

func TestCrossLargeMessages(t *testing.T) {
	roles(t, func(t *testing.T, usrsctpClient bool) {
		cp := newCross(t, usrsctpClient, pipe.Options{}, func(s *usrsctp.Socket) {
			require.NoError(t, s.SetBuffers(1<<20, 1<<20))
		})
		exchange(t, cp, 8, false, func(i int) int { return []int{64 << 10, 256 << 10}[i%2] })
	})
}

func TestCrossLossyLink(t *testing.T) {
	roles(t, func(t *testing.T, usrsctpClient bool) {
		cp := newCross(t, usrsctpClient, pipe.Options{AtoB: pipe.Loss(0.03, 3), BtoA: pipe.Loss(0.03, 4)}, nil)
		exchange(t, cp, 300, false, func(i int) int { return 1000 })
		require.NotZero(t, cp.ca.Stats().Dropped+cp.cb.Stats().Dropped)
	})
}

func TestCrossShutdownByUsrsctp(t *testing.T) {
	roles(t, func(t *testing.T, usrsctpClient bool) {
		cp := newCross(t, usrsctpClient, pipe.Options{}, nil)
		_, err := cp.us.SendV([]byte("bye"), usrsctp.SendInfo{SID: 1, PPID: 51})
		require.NoError(t, err)
		s, err := cp.pa.AcceptStream()
		require.NoError(t, err)
		buf := make([]byte, 64)
		n, err := s.Read(buf)
		require.NoError(t, err)
		require.Equal(t, "bye", string(buf[:n]))
		require.NoError(t, cp.us.Shutdown(usrsctp.ShutWR))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err = cp.us.RecvMsgContext(ctx)
		require.ErrorIs(t, err, io.EOF, "usrsctp should see the association end")
		_, err = s.Read(buf)
		require.Error(t, err, "pion's stream should end")
		requireChunks(t, cp.rec, wire.ChunkShutdown, wire.ChunkShutdownAck, wire.ChunkShutdownComplete)
	})
}

func TestCrossShutdownByPion(t *testing.T) {
	roles(t, func(t *testing.T, usrsctpClient bool) {
		cp := newCross(t, usrsctpClient, pipe.Options{}, func(s *usrsctp.Socket) {
			require.NoError(t, s.Subscribe(usrsctp.ShutdownEventType))
		})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, cp.pa.Shutdown(ctx))
		var sawShutdown bool
		for {
			m, err := cp.us.RecvMsgContext(ctx)
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err)
			_, ok := m.Notification.(*usrsctp.ShutdownEvent)
			sawShutdown = sawShutdown || ok
		}
		require.True(t, sawShutdown)
		requireChunks(t, cp.rec, wire.ChunkShutdown, wire.ChunkShutdownAck, wire.ChunkShutdownComplete)
	})
}

func TestCrossAbortByUsrsctp(t *testing.T) {
	roles(t, func(t *testing.T, usrsctpClient bool) {
		cp := newCross(t, usrsctpClient, pipe.Options{}, nil)
		s, err := OpenStream(cp.pa, 3, sctp.PayloadTypeWebRTCBinary, false)
		require.NoError(t, err)
		require.NoError(t, cp.us.Abort())
		deadline := time.Now().Add(5 * time.Second)
		for {
			if _, err := s.Write([]byte("x")); err != nil {
				break // pion noticed the ABORT
			}
			require.True(t, time.Now().Before(deadline), "pion did not notice the ABORT")
			time.Sleep(10 * time.Millisecond)
		}
		requireChunks(t, cp.rec, wire.ChunkAbort)
	})
}

func TestCrossAbortByPion(t *testing.T) {
	roles(t, func(t *testing.T, usrsctpClient bool) {
		cp := newCross(t, usrsctpClient, pipe.Options{}, func(s *usrsctp.Socket) {
			require.NoError(t, s.Subscribe(usrsctp.AssocChangeEvent))
		})
		cp.pa.Abort("test")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var lost bool
		for {
			m, err := cp.us.RecvMsgContext(ctx)
			if err != nil {
				require.NotErrorIs(t, err, context.DeadlineExceeded)
				break
			}
			if ac, ok := m.Notification.(*usrsctp.AssocChange); ok && ac.State == usrsctp.CommLost {
				lost = true
			}
		}
		require.True(t, lost, "usrsctp should report COMM_LOST")
	})
}

func TestCrossStreamReset(t *testing.T) {
	roles(t, func(t *testing.T, usrsctpClient bool) {
		cp := newCross(t, usrsctpClient, pipe.Options{}, func(s *usrsctp.Socket) {
			require.NoError(t, s.Subscribe(usrsctp.StreamResetEventType))
			require.NoError(t, s.SetStreamReset(usrsctp.ResetStreamReq))
		})
		// pion closes a stream: it resets its outgoing stream (RE-CONFIG).
		s, err := OpenStream(cp.pa, 7, sctp.PayloadTypeWebRTCBinary, false)
		require.NoError(t, err)
		_, err = s.Write([]byte("hello"))
		require.NoError(t, err)
		require.NoError(t, s.Close())
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var reset *usrsctp.StreamReset
		for reset == nil {
			m, err := cp.us.RecvMsgContext(ctx)
			require.NoError(t, err)
			reset, _ = m.Notification.(*usrsctp.StreamReset)
		}
		require.Equal(t, []uint16{7}, reset.Streams)
		require.NotZero(t, reset.Flags&usrsctp.StreamResetIncoming)
	})
}

func requireChunks(t *testing.T, rec *pipe.Recorder, want ...wire.ChunkType) {
	t.Helper()
	seen := map[wire.ChunkType]bool{}
	for _, b := range rec.Packets() {
		pkt, err := wire.ParsePacket(b)
		require.NoError(t, err)
		it := pkt.Chunks()
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			seen[c.Type()] = true
		}
	}
	for _, w := range want {
		require.True(t, seen[w], "no %v chunk on the link", w)
	}
}

// TestCrossQuirkPionServerStreams records how pion (as the server) sizes
// its streams against usrsctp's defaults (INIT os 10, mis 2048). pion caps
// its own outbound streams by the peer's *outbound* count, so its INIT ACK
// says os 10 and usrsctp accepts only streams 0..9 from it; pion does not
// check the limit when writing, and usrsctp answers DATA on stream 12 with
// an ERROR (Invalid Stream Identifier) and drops it. The test logs what it
// sees and fails only if the harness breaks.
func TestCrossQuirkPionServerStreams(t *testing.T) {
	cp := newCross(t, true, pipe.Options{}, func(s *usrsctp.Socket) {
		require.NoError(t, s.SetInitMsg(usrsctp.InitMsg{OutStreams: 10, MaxInStreams: 2048}))
	})
	st, err := cp.us.Stats()
	require.NoError(t, err)
	s, err := OpenStream(cp.pa, 12, sctp.PayloadTypeWebRTCBinary, false)
	require.NoError(t, err)
	_, err = s.Write([]byte("on stream 12"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, rerr := cp.us.RecvMsgContext(ctx)
	var invalidStream bool
	for _, b := range cp.rec.Packets() {
		pkt, err := wire.ParsePacket(b)
		require.NoError(t, err)
		it := pkt.Chunks()
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			invalidStream = invalidStream || c.Type() == wire.ChunkError
		}
	}
	t.Logf("usrsctp in/out streams after pion's INIT ACK: %d/%d; DATA on stream 12 delivered: %v; ERROR chunk from usrsctp: %v",
		st.InStreams, st.OutStreams, rerr == nil, invalidStream)
}

// TestCrossDataChannel opens a pion/datachannel channel towards usrsctp,
// which answers DCEP by hand (usrsctp itself has no DCEP): OPEN on PPID 50,
// ACK back, then a string message each way.
func TestCrossDataChannel(t *testing.T) {
	roles(t, func(t *testing.T, usrsctpClient bool) {
		cp := newCross(t, usrsctpClient, pipe.Options{}, nil)
		dc, err := OpenChannel(cp.pa, 5, datachannel.Config{ChannelType: datachannel.ChannelTypeReliable, Label: "chat", Protocol: "p"})
		require.NoError(t, err)
		open := recvDataMsg(t, cp.us)
		require.Equal(t, uint32(50), open.Info.PPID)
		require.Equal(t, uint16(5), open.Info.SID)
		// DATA_CHANNEL_OPEN: type 3, channel type, priority, reliability,
		// label length, protocol length, label, protocol (RFC 8832 §5.1).
		b := open.Data
		require.GreaterOrEqual(t, len(b), 12)
		require.Equal(t, byte(0x03), b[0])
		ll, pl := int(b[8])<<8|int(b[9]), int(b[10])<<8|int(b[11])
		require.Equal(t, "chat", string(b[12:12+ll]))
		require.Equal(t, "p", string(b[12+ll:12+ll+pl]))
		_, err = cp.us.SendV([]byte{0x02}, usrsctp.SendInfo{SID: 5, PPID: 50}) // DATA_CHANNEL_ACK
		require.NoError(t, err)

		_, err = dc.WriteDataChannel([]byte("from pion"), true)
		require.NoError(t, err)
		m := recvDataMsg(t, cp.us)
		require.Equal(t, uint32(51), m.Info.PPID) // WebRTC String
		require.Equal(t, "from pion", string(m.Data))

		_, err = cp.us.SendV([]byte("from usrsctp"), usrsctp.SendInfo{SID: 5, PPID: 51})
		require.NoError(t, err)
		buf := make([]byte, 64)
		n, isString, err := dc.ReadDataChannel(buf)
		require.NoError(t, err)
		require.True(t, isString)
		require.Equal(t, "from usrsctp", string(buf[:n]))
	})
}

func recvDataMsg(t *testing.T, s *usrsctp.Socket) *usrsctp.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		m, err := s.RecvMsgContext(ctx)
		require.NoError(t, err)
		if !m.IsNotification {
			return m
		}
	}
}
