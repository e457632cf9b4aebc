package sconnpeer

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/wire"
)

// pairOver connects a one-to-one client of a to a listener of b.
func pairOver(t testing.TB, ctx context.Context, a, b *Peer, hA, hB conn.Handle, up conn.Upcalls) (client, server *conn.Socket) {
	t.Helper()
	opts := []conn.SettableOption{conn.NoDelay(true), conn.SndBuf(1 << 20), conn.RcvBuf(1 << 20)}
	ln, err := b.Socket(conn.OneToOne, up, opts...)
	require.NoError(t, err)
	require.NoError(t, ln.Bind(conn.Addr{Handle: hB, Port: 5000}))
	require.NoError(t, ln.Listen(1))
	c, err := a.Socket(conn.OneToOne, conn.Upcalls{}, opts...)
	require.NoError(t, err)
	require.NoError(t, c.Bind(conn.Addr{Handle: hA, Port: 5001}))
	require.NoError(t, Connect(ctx, c, conn.Addr{Handle: hA, Port: 5000}))
	s, err := Accept(ctx, ln)
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	return c, s
}

// TestPeersOverPipe: two sconn peers over a pipe with a Tap, in each timer
// mode that runs by itself; a message each way, every packet valid.
func TestPeersOverPipe(t *testing.T) {
	for _, mode := range []TimerMode{TimersGoroutine, TimersHostLoop} {
		t.Run(mode.String(), func(t *testing.T) {
			tap := &Tap{}
			var opts pipe.Options
			tap.Install(&opts)
			ca, cb := pipe.New(opts)
			a, err := New(Config{Timers: mode})
			require.NoError(t, err)
			defer a.Close()
			b, err := New(Config{Timers: mode})
			require.NoError(t, err)
			defer b.Close()
			require.NoError(t, a.Attach(1, ca))
			require.NoError(t, b.Attach(2, cb))
			require.Error(t, a.Attach(1, ca), "attached twice")
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			c, s := pairOver(t, ctx, a, b, 1, 2, conn.Upcalls{})
			require.NoError(t, Send(ctx, c, []byte("ping"), conn.SendInfo{Stream: 3, PPID: 51}))
			m, err := ReadMessage(ctx, s, make([]byte, 16))
			require.NoError(t, err)
			require.Equal(t, "ping", string(m.Data))
			require.Equal(t, uint16(3), m.Info.Stream)
			big := make([]byte, 100000)
			require.NoError(t, Send(ctx, s, big, conn.SendInfo{Stream: 1, PPID: 53}))
			m, err = ReadMessage(ctx, c, make([]byte, 1500)) // joined from pieces
			require.NoError(t, err)
			require.Len(t, m.Data, len(big))
			require.NoError(t, Drain(ctx, s, 0))
			require.NoError(t, c.Shutdown(conn.ShutWR))
			_, err = ReadMessage(ctx, s, make([]byte, 16))
			require.Error(t, err)
			require.NoError(t, tap.Err())
			require.Positive(t, tap.Count(AtoB, wire.ChunkShutdown))
			require.Positive(t, tap.Count(BtoA, wire.ChunkData))
		})
	}
}

// TestManualVirtualTime: TimersManual with a virtual clock: a lost INIT
// is retransmitted after RTO.Initial (3 s) of virtual time, which passes
// only when the test calls HandleTimers.
func TestManualVirtualTime(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var clock atomic.Pointer[time.Time]
	clock.Store(&now)
	clk := func() time.Time { return *clock.Load() }
	drop := atomic.Bool{}
	drop.Store(true)
	ca, cb := pipe.New(pipe.Options{AtoB: func([]byte) bool { return !drop.Swap(false) }})
	a, err := New(Config{Timers: TimersManual, Clock: clk})
	require.NoError(t, err)
	defer a.Close()
	b, err := New(Config{Timers: TimersManual, Clock: clk})
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, a.Attach(1, ca))
	require.NoError(t, b.Attach(1, cb))
	ln, err := b.Socket(conn.OneToOne, conn.Upcalls{})
	require.NoError(t, err)
	require.NoError(t, ln.Bind(conn.Addr{Handle: 1, Port: 5000}))
	require.NoError(t, ln.Listen(1))
	c, err := a.Socket(conn.OneToOne, conn.Upcalls{})
	require.NoError(t, err)
	c.SetNonBlocking(true)
	require.ErrorIs(t, c.Connect(conn.Addr{Handle: 1, Port: 5000}), conn.ErrInProgress)
	time.Sleep(50 * time.Millisecond) // real time does not help
	var st conn.Status
	require.NoError(t, c.GetOption(&st))
	require.Equal(t, conn.StateCookieWait, st.State)
	next := a.Stack.NextTimeout()
	require.Equal(t, 3*time.Second, next.Sub(now))
	clock.Store(&next)
	a.Stack.HandleTimers(next)
	deadline := time.Now().Add(5 * time.Second)
	for c.GetOption(&st) == nil && st.State != conn.StateEstablished && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	require.Equal(t, conn.StateEstablished, st.State)
}

// BenchmarkThroughput measures sconn alone, one way, 1 stream ordered:
// over the pipe (what sctpbench measures: a goroutine hand-off per packet
// in each direction) and joined directly (Join: the receiver runs on the
// sender's goroutine), so profiles separate the stack from the link.
//
//	cd interop && go test -run - -bench Throughput -benchmem -cpuprofile cpu.out ./sconnpeer
func BenchmarkThroughput(b *testing.B) {
	for _, link := range []string{"pipe", "direct"} {
		for _, size := range []int{100, 1200, 16384} {
			b.Run(fmt.Sprintf("%s/%d", link, size), func(b *testing.B) {
				benchThroughput(b, link, size)
			})
		}
	}
}

func benchThroughput(b *testing.B, link string, size int) {
	pa, err := New(Config{})
	require.NoError(b, err)
	defer pa.Close()
	pb, err := New(Config{})
	require.NoError(b, err)
	defer pb.Close()
	if link == "pipe" {
		ca, cb := pipe.New(pipe.Options{})
		require.NoError(b, pa.Attach(1, ca))
		require.NoError(b, pb.Attach(1, cb))
	} else {
		require.NoError(b, Join(pa, 1, pb, 1))
	}
	var got atomic.Int64
	done := make(chan struct{})
	var want atomic.Int64
	want.Store(1 << 62)
	up := conn.Upcalls{Receive: func(_ *conn.Socket, d conn.Delivery) {
		if d.Data != nil && d.Flags&conn.MsgEOR != 0 {
			if got.Add(1) == want.Load() {
				close(done)
			}
		}
	}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, _ := pairOver(b, ctx, pa, pb, 1, 1, up)
	msg := make([]byte, size)
	info := &conn.SendInfo{Stream: 0, PPID: 53}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := c.SendV(msg, conn.SendSpec{Info: info}); err != nil {
			b.Fatal(err)
		}
	}
	want.Store(int64(b.N))
	if got.Load() < int64(b.N) {
		select {
		case <-done:
		case <-ctx.Done():
			b.Fatalf("received %d of %d", got.Load(), b.N)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
