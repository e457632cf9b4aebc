package usrsctp

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/wire"
	"github.com/stretchr/testify/require"
)

// pair is a connected one-to-one association over an in-memory Link.
type pair struct {
	link           *Link
	rec            *pipe.Recorder
	client, server *Socket
}

func newPair(t *testing.T, opts pipe.Options, prep func(s *Socket)) *pair {
	t.Helper()
	rec := &pipe.Recorder{}
	opts.AtoB = pipe.Chain(rec.Hook(), opts.AtoB)
	opts.BtoA = pipe.Chain(rec.Hook(), opts.BtoA)
	p := &pair{link: NewLink(opts), rec: rec}
	ln, err := p.link.B.Socket(false)
	require.NoError(t, err)
	if prep != nil {
		prep(ln)
	}
	require.NoError(t, ln.Bind(5000))
	require.NoError(t, ln.Listen(1))
	c, err := p.link.A.Socket(false)
	require.NoError(t, err)
	if prep != nil {
		prep(c)
	}
	require.NoError(t, c.Bind(5001))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	acc := make(chan *Socket, 1)
	go func() {
		s, err := ln.AcceptContext(ctx)
		if err != nil {
			t.Errorf("accept: %v", err)
		}
		acc <- s
	}()
	require.NoError(t, c.ConnectContext(ctx, 5000))
	p.client, p.server = c, <-acc
	require.NotNil(t, p.server)
	require.NoError(t, ln.Close())
	t.Cleanup(func() {
		p.client.Abort()
		p.server.Abort()
		p.link.Close()
	})
	return p
}

// recvData returns the next data message, skipping notifications.
func recvData(t *testing.T, s *Socket) *Message {
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

func TestHandshake(t *testing.T) {
	p := newPair(t, pipe.Options{}, nil)
	for _, s := range []*Socket{p.client, p.server} {
		st, err := s.Stats()
		require.NoError(t, err)
		require.Equal(t, StateEstablished, st.State, "state %v", st.State)
		require.NotZero(t, st.OutStreams)
		require.NotZero(t, st.MTU)
	}
	// The first four packets are the handshake, as plain SCTP packets with
	// a valid CRC32c that the main module's wire package parses.
	pkts := p.rec.Packets()
	require.GreaterOrEqual(t, len(pkts), 4)
	want := []wire.ChunkType{wire.ChunkInit, wire.ChunkInitAck, wire.ChunkCookieEcho, wire.ChunkCookieAck}
	for i, b := range pkts {
		pkt, err := wire.ParsePacket(b)
		require.NoError(t, err, "packet %d", i)
		require.NoError(t, wire.VerifyChecksum(b, false), "packet %d", i)
		if i < len(want) {
			c, ok := pkt.FirstChunk()
			require.True(t, ok)
			require.Equal(t, want[i], c.Type(), "packet %d", i)
		}
	}
}

// payload makes message i: a header (index, length) and a pattern.
func payload(i, size int) []byte {
	if size < 8 {
		size = 8
	}
	b := make([]byte, size)
	binary.BigEndian.PutUint32(b, uint32(i))
	binary.BigEndian.PutUint32(b[4:], uint32(size))
	for j := 8; j < size; j++ {
		b[j] = byte(i*7 + j)
	}
	return b
}

func checkPayload(t *testing.T, b []byte) int {
	t.Helper()
	require.GreaterOrEqual(t, len(b), 8)
	i := int(binary.BigEndian.Uint32(b))
	require.Equal(t, payload(i, len(b)), b, "message %d corrupted", i)
	return i
}

func testMessages(t *testing.T, unordered bool) {
	p := newPair(t, pipe.Options{}, nil)
	const n = 1000
	errc := make(chan error, 1)
	go func() {
		for i := range n {
			info := SendInfo{SID: uint16(i % 5), PPID: uint32(51 + i%3), Unordered: unordered}
			if _, err := p.client.SendV(payload(i, 1+i%1500), info); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	seen := make(map[int]bool)
	lastPerStream := map[uint16]int{}
	for range n {
		m := recvData(t, p.server)
		i := checkPayload(t, m.Data)
		require.False(t, seen[i], "duplicate %d", i)
		seen[i] = true
		require.True(t, m.HasInfo)
		require.Equal(t, uint16(i%5), m.Info.SID)
		require.Equal(t, uint32(51+i%3), m.Info.PPID)
		require.Equal(t, unordered, m.Info.Unordered())
		if !unordered {
			last, ok := lastPerStream[m.Info.SID]
			require.True(t, !ok || last < i, "stream %d out of order: %d after %d", m.Info.SID, i, last)
			lastPerStream[m.Info.SID] = i
		}
	}
	require.NoError(t, <-errc)
	require.Len(t, seen, n)
}

func TestMessagesOrdered(t *testing.T)   { testMessages(t, false) }
func TestMessagesUnordered(t *testing.T) { testMessages(t, true) }

func TestLargeMessage(t *testing.T) {
	p := newPair(t, pipe.Options{}, func(s *Socket) { require.NoError(t, s.SetBuffers(1<<20, 1<<20)) })
	big := payload(42, 256<<10)
	for _, dir := range [][2]*Socket{{p.client, p.server}, {p.server, p.client}} {
		go func() {
			_, err := dir[0].SendV(big, SendInfo{SID: 1, PPID: 53})
			if err != nil {
				t.Errorf("send: %v", err)
			}
		}()
		m := recvData(t, dir[1])
		require.Len(t, m.Data, len(big))
		require.True(t, bytes.Equal(big, m.Data))
	}
}

func TestGracefulShutdown(t *testing.T) {
	p := newPair(t, pipe.Options{}, func(s *Socket) {
		require.NoError(t, s.Subscribe(AssocChangeEvent, ShutdownEventType, SenderDryEventType))
	})
	_, err := p.client.SendV([]byte("last words"), SendInfo{PPID: 51})
	require.NoError(t, err)
	require.NoError(t, p.client.Shutdown(ShutWR))

	m := recvData(t, p.server)
	require.Equal(t, "last words", string(m.Data))
	var sawShutdown bool
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		m, err := p.server.RecvMsgContext(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if _, ok := m.Notification.(*ShutdownEvent); ok {
			sawShutdown = true
		}
	}
	require.True(t, sawShutdown, "no SHUTDOWN_EVENT")
	require.NoError(t, p.server.Close())
	var sawComp bool
	for !sawComp {
		m, err := p.client.RecvMsgContext(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if ac, ok := m.Notification.(*AssocChange); ok && ac.State == ShutdownComp {
			sawComp = true
		}
	}
	require.True(t, sawComp, "no ASSOC_CHANGE SHUTDOWN_COMP")
	var chunks []wire.ChunkType
	for _, b := range p.rec.Packets() {
		pkt, err := wire.ParsePacket(b)
		require.NoError(t, err)
		it := pkt.Chunks()
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			chunks = append(chunks, c.Type())
		}
	}
	require.Contains(t, chunks, wire.ChunkShutdown)
	require.Contains(t, chunks, wire.ChunkShutdownAck)
	require.Contains(t, chunks, wire.ChunkShutdownComplete)
}

func TestAbort(t *testing.T) {
	p := newPair(t, pipe.Options{}, func(s *Socket) { require.NoError(t, s.Subscribe(AssocChangeEvent)) })
	require.NoError(t, p.client.Abort())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var lost bool
	for {
		m, err := p.server.RecvMsgContext(ctx)
		if err != nil {
			break // EOF or ECONNRESET after the ABORT
		}
		if ac, ok := m.Notification.(*AssocChange); ok && ac.State == CommLost {
			lost = true
		}
	}
	require.True(t, lost, "no COMM_LOST")
	_, err := p.server.SendV([]byte("x"), SendInfo{})
	require.Error(t, err)
}

func TestCallbackMode(t *testing.T) {
	link := NewLink(pipe.Options{})
	defer link.Close()
	const n = 1000
	var mu sync.Mutex
	got := map[int]bool{}
	done := make(chan struct{})
	closed := make(chan struct{})
	ln, err := link.B.SocketWithCallbacks(false, Callbacks{
		OnMessage: func(s *Socket, m *Message) {
			if m.IsNotification {
				return
			}
			i := checkPayload(t, m.Data)
			mu.Lock()
			got[i] = true
			if len(got) == n {
				close(done)
			}
			mu.Unlock()
		},
		OnClosed: func(*Socket) { close(closed) },
	})
	require.NoError(t, err)
	require.NoError(t, ln.Bind(5000))
	require.NoError(t, ln.Listen(1))
	c, err := link.A.SocketWithCallbacks(false, Callbacks{})
	require.NoError(t, err)
	require.NoError(t, c.Connect(5000))
	srv, err := ln.Accept()
	require.NoError(t, err)
	for i := range n {
		_, err := c.SendV(payload(i, 100+i%3000), SendInfo{SID: uint16(i % 3), Unordered: i%2 == 0})
		require.NoError(t, err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("received %d of %d", len(got), n)
	}
	require.NoError(t, c.Shutdown(ShutWR))
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("OnClosed not called after shutdown")
	}
	c.Close()
	srv.Close()
	ln.Close()
}

func TestOneToMany(t *testing.T) {
	link := NewLink(pipe.Options{})
	defer link.Close()
	srv, err := link.B.Socket(true)
	require.NoError(t, err)
	require.NoError(t, srv.Subscribe(AssocChangeEvent))
	require.NoError(t, srv.Bind(5000))
	require.NoError(t, srv.Listen(8))
	defer srv.Close()
	var clients []*Socket
	for i := range 3 {
		c, err := link.A.Socket(false)
		require.NoError(t, err)
		require.NoError(t, c.Bind(uint16(6000+i)))
		require.NoError(t, c.Connect(5000))
		clients = append(clients, c)
		defer c.Abort()
	}
	ups := map[uint32]bool{}
	for i, c := range clients {
		_, err := c.SendV([]byte(fmt.Sprint("hello from ", i)), SendInfo{SID: 0, PPID: 51})
		require.NoError(t, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	from := map[uint32]string{}
	for len(from) < 3 {
		m, err := srv.RecvMsgContext(ctx)
		require.NoError(t, err)
		if ac, ok := m.Notification.(*AssocChange); ok && ac.State == CommUp {
			ups[ac.AssocID] = true
			continue
		}
		require.True(t, m.HasInfo)
		from[m.Info.AssocID] = string(m.Data)
	}
	require.Len(t, ups, 3)
	for id := range from {
		require.True(t, ups[id])
		_, err := srv.SendV([]byte("reply"), SendInfo{AssocID: id, PPID: 51})
		require.NoError(t, err)
		st, err := srv.StatsOf(id)
		require.NoError(t, err)
		require.Equal(t, StateEstablished, st.State)
	}
	for _, c := range clients {
		require.Equal(t, "reply", string(recvData(t, c).Data))
	}
}

func TestLossyLink(t *testing.T) {
	p := newPair(t, pipe.Options{AtoB: pipe.Loss(0.05, 1), BtoA: pipe.Loss(0.05, 2)}, nil)
	const n = 300
	go func() {
		for i := range n {
			if _, err := p.client.SendV(payload(i, 1000), SendInfo{SID: 2}); err != nil {
				t.Errorf("send: %v", err)
				return
			}
		}
	}()
	for i := range n {
		m := recvData(t, p.server)
		require.Equal(t, i, checkPayload(t, m.Data))
	}
	require.NotZero(t, p.link.ConnA.Stats().Dropped+p.link.ConnB.Stats().Dropped)
}

func TestNotificationLayout(t *testing.T) {
	// Offsets the Go decoder uses, checked against the C compiler's.
	want := []int{16, 20, 12, 16, 12, 28, 32, 12, 136, 144, 20, 12, 12, 12}
	require.Equal(t, want, notificationLayout())
}

func TestDecodeNotificationNeverPanics(t *testing.T) {
	for n := 0; n < 200; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i * 31)
		}
		for typ := 0; typ < 16; typ++ {
			if n >= 2 {
				binary.NativeEndian.PutUint16(b, uint16(typ))
			}
			_ = DecodeNotification(b)
		}
	}
}

func TestSysctl(t *testing.T) {
	v, err := Sysctl("sctp_ecn_enable")
	require.NoError(t, err)
	require.NoError(t, SetSysctl("sctp_ecn_enable", v))
	_, err = Sysctl("no_such_thing")
	require.ErrorIs(t, err, ErrUnknownSysctl)
}

func TestOptions(t *testing.T) {
	link := NewLink(pipe.Options{})
	defer link.Close()
	s, err := link.A.Socket(false)
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.SetReusePort(true))
	require.NoError(t, s.SetNoDelay(true))
	require.NoError(t, s.SetInitMsg(InitMsg{OutStreams: 64, MaxInStreams: 64, MaxAttempts: 3}))
	require.NoError(t, s.SetRecvRcvInfo(true))
	require.NoError(t, s.Subscribe(AllNotifications...))
	require.NoError(t, s.Unsubscribe(SenderDryEventType))
	require.NoError(t, s.SetBuffers(1<<20, 1<<20))
	require.NoError(t, s.SetStreamReset(ResetAllEnabled))
	require.NoError(t, s.SetLinger(true, 1))
	require.NoError(t, s.Bind(0))
	require.NoError(t, s.Close())
	require.ErrorIs(t, s.Bind(1), ErrClosed)
	_, err = s.SendV([]byte("x"), SendInfo{})
	require.ErrorIs(t, err, ErrClosed)
}

func TestUpcallAndTryRecv(t *testing.T) {
	p := newPair(t, pipe.Options{}, nil)
	woke := make(chan struct{}, 1)
	p.server.SetUpcall(func(*Socket) {
		select {
		case woke <- struct{}{}:
		default:
		}
	})
	buf := make([]byte, 100)
	_, err := p.server.TryRecvV(buf)
	require.ErrorIs(t, err, ErrWouldBlock)
	_, err = p.client.SendV([]byte("ping"), SendInfo{SID: 3, PPID: 51})
	require.NoError(t, err)
	for {
		select {
		case <-woke:
		case <-time.After(5 * time.Second):
			t.Fatal("no upcall")
		}
		m, err := p.server.TryRecvV(buf)
		if errors.Is(err, ErrWouldBlock) {
			continue
		}
		require.NoError(t, err)
		require.Equal(t, "ping", string(m.Data))
		require.Equal(t, uint16(3), m.Info.SID)
		break
	}
	p.server.SetUpcall(nil)
	require.Zero(t, p.server.Events()&EventRead)
}

func TestCloseWakesWaiters(t *testing.T) {
	p := newPair(t, pipe.Options{}, nil)
	errc := make(chan error, 1)
	go func() {
		_, err := p.server.RecvV(make([]byte, 10))
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, p.server.Close())
	select {
	case err := <-errc:
		require.ErrorIs(t, err, ErrClosed)
	case <-time.After(5 * time.Second):
		t.Fatal("RecvV still blocked after Close")
	}
}
