package pionpeer

import (
	"context"
	"encoding/binary"
	"sync"
	"testing"
	"time"

	"github.com/pion/datachannel"
	"github.com/pion/sctp"
	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/wire"
)

// payload makes message i of the given size: index, size, pattern.
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

// check verifies a payload and returns its index, or -1.
func check(b []byte) int {
	if len(b) < 8 {
		return -1
	}
	i := int(binary.BigEndian.Uint32(b))
	if int(binary.BigEndian.Uint32(b[4:])) != len(b) {
		return -1
	}
	for j := 8; j < len(b); j++ {
		if b[j] != byte(i*7+j) {
			return -1
		}
	}
	return i
}

// got is one received message.
type got struct {
	sid  uint16
	ppid uint32
	i    int
}

// collector gathers messages from any goroutine.
type collector struct {
	mu   sync.Mutex
	msgs []got
	full chan struct{}
	n    int
}

func newCollector(n int) *collector { return &collector{n: n, full: make(chan struct{})} }

func (c *collector) add(g got) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, g)
	if len(c.msgs) == c.n {
		close(c.full)
	}
}

func (c *collector) wait(t *testing.T) []got {
	t.Helper()
	select {
	case <-c.full:
	case <-time.After(20 * time.Second):
		c.mu.Lock()
		defer c.mu.Unlock()
		t.Fatalf("received %d of %d messages", len(c.msgs), c.n)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]got(nil), c.msgs...)
}

// verify checks n messages arrived once each, intact, with the SID and
// PPID the sender used (sid(i), ppid(i)) and in order per stream when
// ordered.
func verify(t *testing.T, msgs []got, n int, sid func(int) uint16, ppid func(int) uint32, ordered bool) {
	t.Helper()
	seen := make(map[int]bool, n)
	last := map[uint16]int{}
	for _, m := range msgs {
		require.GreaterOrEqual(t, m.i, 0, "corrupted message")
		require.False(t, seen[m.i], "duplicate %d", m.i)
		seen[m.i] = true
		require.Equal(t, sid(m.i), m.sid, "message %d", m.i)
		require.Equal(t, ppid(m.i), m.ppid, "message %d", m.i)
		if ordered {
			if l, ok := last[m.sid]; ok {
				require.Less(t, l, m.i, "stream %d out of order", m.sid)
			}
			last[m.sid] = m.i
		}
	}
	require.Len(t, seen, n)
}

func newPionPair(t *testing.T, opts pipe.Options) *Pair {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := NewPair(ctx, opts, Config{Name: "client"}, Config{Name: "server"})
	require.NoError(t, err)
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func TestPionPairMessages(t *testing.T) {
	for _, unordered := range []bool{false, true} {
		t.Run(map[bool]string{false: "ordered", true: "unordered"}[unordered], func(t *testing.T) {
			var rec pipe.Recorder
			p := newPionPair(t, pipe.Options{AtoB: rec.Hook()})
			const n = 1000
			col := newCollector(n)
			go AcceptAll(p.Server, 1<<17, func(s *sctp.Stream, ppid sctp.PayloadProtocolIdentifier, data []byte) {
				col.add(got{sid: s.StreamIdentifier(), ppid: uint32(ppid), i: check(data)})
			})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var senders []*Sender
			for sid := range uint16(3) {
				s, err := OpenStream(p.Client, sid, sctp.PayloadTypeWebRTCBinary, unordered)
				require.NoError(t, err)
				senders = append(senders, NewSender(s, 256<<10, 64<<10))
			}
			for i := range n {
				require.NoError(t, senders[i%3].Write(ctx, payload(i, 1+i%2000), sctp.PayloadProtocolIdentifier(51+i%3)))
			}
			verify(t, col.wait(t), n, func(i int) uint16 { return uint16(i % 3) }, func(i int) uint32 { return uint32(51 + i%3) }, !unordered)
			for _, b := range rec.Packets() {
				_, err := wire.ParsePacket(b)
				require.NoError(t, err)
				require.NoError(t, wire.VerifyChecksum(b, false))
			}
		})
	}
}

func TestPionSenderPacing(t *testing.T) {
	p := newPionPair(t, pipe.Options{})
	col := newCollector(2000)
	go AcceptAll(p.Server, 1<<16, func(s *sctp.Stream, ppid sctp.PayloadProtocolIdentifier, data []byte) {
		col.add(got{i: check(data)})
	})
	s, err := OpenStream(p.Client, 1, sctp.PayloadTypeWebRTCBinary, false)
	require.NoError(t, err)
	w := NewSender(s, 64<<10, 16<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var max uint64
	for i := range 2000 {
		require.NoError(t, w.Write(ctx, payload(i, 1200), sctp.PayloadTypeWebRTCBinary))
		max = maxU(max, s.BufferedAmount())
	}
	require.LessOrEqual(t, max, uint64(64<<10+1200))
	require.NoError(t, w.Drain(ctx))
	col.wait(t)
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

func TestPionShutdown(t *testing.T) {
	p := newPionPair(t, pipe.Options{})
	s, err := OpenStream(p.Client, 0, sctp.PayloadTypeWebRTCString, false)
	require.NoError(t, err)
	_, err = s.Write([]byte("bye"))
	require.NoError(t, err)
	rs, err := p.Server.AcceptStream()
	require.NoError(t, err)
	buf := make([]byte, 100)
	n, err := rs.Read(buf)
	require.NoError(t, err)
	require.Equal(t, "bye", string(buf[:n]))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, p.Client.Shutdown(ctx))
	_, err = rs.Read(buf)
	require.Error(t, err)
}

func TestPionDataChannel(t *testing.T) {
	p := newPionPair(t, pipe.Options{})
	acc := make(chan *datachannel.DataChannel, 1)
	go func() {
		dc, err := AcceptChannel(p.Server)
		if err != nil {
			t.Errorf("accept: %v", err)
		}
		acc <- dc
	}()
	dc, err := OpenChannel(p.Client, 1, datachannel.Config{ChannelType: datachannel.ChannelTypeReliable, Label: "chat"})
	require.NoError(t, err)
	srv := <-acc
	require.NotNil(t, srv)
	require.Equal(t, "chat", srv.Config.Label)
	_, err = dc.WriteDataChannel([]byte("hello"), true)
	require.NoError(t, err)
	buf := make([]byte, 64)
	n, isString, err := srv.ReadDataChannel(buf)
	require.NoError(t, err)
	require.True(t, isString)
	require.Equal(t, "hello", string(buf[:n]))
}
