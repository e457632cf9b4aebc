package conn_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/sconnlab/sconn/conn"
)

// benchLink joins two stacks in memory with no goroutine: Output copies a
// packet into a recycled buffer of the peer's queue, and pump hands the
// queued packets to ConnInput. It allocates nothing in steady state, so
// the benchmarks count the stack's allocations only.
type benchLink struct {
	now  time.Time
	a, b *conn.Stack
	toA  [][]byte
	toB  [][]byte
	free [][]byte
}

func (l *benchLink) out(q *[][]byte) func(conn.Handle, []byte, uint8, bool) error {
	return func(_ conn.Handle, pkt []byte, _ uint8, _ bool) error {
		var b []byte
		if n := len(l.free); n > 0 {
			b, l.free = l.free[n-1][:0], l.free[:n-1]
		}
		*q = append(*q, append(b, pkt...))
		return nil
	}
}

// pump delivers packets both ways until none is left.
func (l *benchLink) pump() {
	for len(l.toA) > 0 || len(l.toB) > 0 {
		for len(l.toB) > 0 {
			p := l.toB[0]
			l.toB = append(l.toB[:0], l.toB[1:]...)
			_ = l.b.ConnInput(1, p, 0)
			l.free = append(l.free, p)
		}
		for len(l.toA) > 0 {
			p := l.toA[0]
			l.toA = append(l.toA[:0], l.toA[1:]...)
			_ = l.a.ConnInput(1, p, 0)
			l.free = append(l.free, p)
		}
	}
}

// settle lets the timers run (a delayed SACK releases what Nagle holds)
// until the stacks are quiet.
func (l *benchLink) settle() {
	for range 8 {
		l.pump()
		l.now = l.now.Add(250 * time.Millisecond)
		l.a.HandleTimers(l.now)
		l.b.HandleTimers(l.now)
	}
	l.pump()
}

// benchPair returns a connected client socket whose messages reach
// onMsg on the server, over a benchLink, on a frozen clock (manual timers:
// no timer fires during the benchmark).
func benchPair(b *testing.B, mtu int, onMsg func(conn.Delivery)) (*benchLink, *conn.Socket) {
	b.Helper()
	l := &benchLink{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	mk := func(q *[][]byte) *conn.Stack {
		st, err := conn.NewStack(conn.Config{Output: l.out(q), Timers: conn.TimersManual,
			Clock: func() time.Time { return l.now }})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.RegisterAddress(1); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}
	l.a, l.b = mk(&l.toB), mk(&l.toA)
	opts := []conn.SettableOption{conn.SndBuf(1 << 20), conn.RcvBuf(1 << 20),
		conn.PeerAddrParams{PathMTU: uint32(mtu), Flags: conn.PMTUDDisable}}
	ln, err := l.b.Socket(conn.OneToOne, conn.Upcalls{Receive: func(_ *conn.Socket, d conn.Delivery) {
		if d.Data != nil && d.Flags&conn.MsgNotification == 0 {
			onMsg(d)
		}
	}})
	if err != nil {
		b.Fatal(err)
	}
	set := func(s *conn.Socket) {
		for _, o := range opts {
			if err := s.SetOption(o); err != nil {
				b.Fatal(err)
			}
		}
	}
	set(ln)
	if err := errors.Join(ln.Bind(conn.Addr{Handle: 1, Port: 5000}), ln.Listen(1)); err != nil {
		b.Fatal(err)
	}
	c, err := l.a.Socket(conn.OneToOne, conn.Upcalls{})
	if err != nil {
		b.Fatal(err)
	}
	set(c)
	c.SetNonBlocking(true)
	if err := c.Bind(conn.Addr{Handle: 1, Port: 5000}); err != nil {
		b.Fatal(err)
	}
	if err := c.Connect(conn.Addr{Handle: 1, Port: 5000}); err != nil && !errors.Is(err, conn.ErrInProgress) {
		b.Fatal(err)
	}
	l.pump()
	if _, _, err := ln.Accept(); err != nil {
		b.Fatal(err)
	}
	return l, c
}

// BenchmarkSendRecv moves messages one way through two stacks: SendV on a
// non-blocking one-to-one socket (Nagle off, as WebRTC hosts set it, and
// on), the packets through the link, the receive upcall on the other side.
// One op is one message; run with -benchmem for allocations per message.
func BenchmarkSendRecv(b *testing.B) {
	for _, noDelay := range []bool{true, false} {
		for _, size := range []int{100, 1200, 16384, 65536} {
			b.Run(fmt.Sprintf("nodelay=%v/size=%d", noDelay, size), func(b *testing.B) {
				got := 0
				l, c := benchPair(b, 1228, func(d conn.Delivery) { got += len(d.Data) })
				if err := c.SetOption(conn.NoDelay(noDelay)); err != nil {
					b.Fatal(err)
				}
				msg := make([]byte, size)
				info := conn.SendInfo{PPID: 53}
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					for {
						_, err := c.SendV(msg, conn.SendSpec{Info: &info})
						if err == nil {
							break
						}
						if !errors.Is(err, conn.ErrWouldBlock) {
							b.Fatal(err)
						}
						l.pump()
					}
					if len(l.toB) >= 32 {
						l.pump()
					}
				}
				l.settle()
				b.StopTimer()
				if got != b.N*size {
					b.Fatalf("received %d bytes of %d", got, b.N*size)
				}
			})
		}
	}
}

// BenchmarkHandshake sets up one association per op through the host API
// (socket, bind, non-blocking connect, the four-way handshake over the
// in-memory link, accept) and aborts it, on manual timers with no
// goroutine: what the stacks cost per association, without a harness's
// goroutine hand-offs.
func BenchmarkHandshake(b *testing.B) {
	l, _ := benchPair(b, 1228, func(conn.Delivery) {})
	ln, err := l.b.Socket(conn.OneToOne, conn.Upcalls{})
	if err != nil {
		b.Fatal(err)
	}
	if err := errors.Join(ln.Bind(conn.Addr{Handle: 1, Port: 6000}), ln.Listen(128)); err != nil {
		b.Fatal(err)
	}
	ln.SetNonBlocking(true)
	b.ReportAllocs()
	for i := range b.N {
		c, err := l.a.Socket(conn.OneToOne, conn.Upcalls{})
		if err != nil {
			b.Fatal(err)
		}
		c.SetNonBlocking(true)
		if err := c.Bind(conn.Addr{Handle: 1, Port: uint16(10000 + i%50000)}); err != nil {
			b.Fatal(err)
		}
		if err := c.Connect(conn.Addr{Handle: 1, Port: 6000}); err != nil && !errors.Is(err, conn.ErrInProgress) {
			b.Fatal(err)
		}
		l.pump()
		s, _, err := ln.Accept()
		if err != nil {
			b.Fatal(err)
		}
		_ = c.Abort()
		_ = s.Close()
		l.pump()
	}
}
