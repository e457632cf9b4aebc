package conn

import (
	"errors"
	"net"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/sconnlab/sconn/assoc"
)

// asyncNet joins goroutine-mode stacks the way real hosts are joined: each
// direction is a channel read by its own goroutine, which calls ConnInput.
type asyncNet struct {
	mu   sync.Mutex
	drop bool
	wg   sync.WaitGroup
	done chan struct{}
}

func (n *asyncNet) pipe(to **Stack, h Handle) OutputFunc {
	if n.done == nil {
		n.done = make(chan struct{})
	}
	ch := make(chan []byte, 256)
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		for {
			select {
			case b := <-ch:
				_ = (*to).ConnInput(h, b, 0)
			case <-n.done:
				return
			}
		}
	}()
	return func(_ Handle, pkt []byte, _ uint8, _ bool) error {
		n.mu.Lock()
		drop := n.drop
		n.mu.Unlock()
		if !drop {
			select {
			case ch <- append([]byte(nil), pkt...):
			case <-n.done:
			}
		}
		return nil
	}
}

func (n *asyncNet) close() {
	close(n.done)
	n.wg.Wait()
}

func newAsyncPair(t *testing.T) (*Stack, *Stack, *asyncNet) {
	n := &asyncNet{}
	var a, b *Stack
	var err error
	a, err = NewStack(Config{Output: n.pipe(&b, 2), LoggerFactory: &logCapture{}, Rand: assoc.NewSeededRand(1)})
	if err != nil {
		t.Fatal(err)
	}
	b, err = NewStack(Config{Output: n.pipe(&a, 1), LoggerFactory: &logCapture{}, Rand: assoc.NewSeededRand(2)})
	if err != nil {
		t.Fatal(err)
	}
	a.RegisterAddress(1)
	b.RegisterAddress(2)
	t.Cleanup(func() {
		a.Close()
		b.Close()
		n.close()
	})
	return a, b, n
}

func TestGoroutineModeConnectAccept(t *testing.T) {
	a, b, _ := newAsyncPair(t)
	ln, _ := b.Socket(OneToOne, Upcalls{})
	ln.Bind(Addr{AnyHandle, 5000})
	ln.Listen(4)
	accepted := make(chan *Socket, 1)
	go func() {
		s, _, err := ln.Accept()
		if err != nil {
			t.Error(err)
		}
		accepted <- s
	}()
	c, _ := a.Socket(OneToOne, Upcalls{})
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := c.Connect(Addr{1, 5000}); err != nil {
		t.Fatal(err)
	}
	s := <-accepted
	var st Status
	if err := s.GetOption(&st); err != nil || st.State != StateEstablished {
		t.Fatalf("status %+v %v", st, err)
	}
	// The peer's graceful close reaches a blocked RecvV as EOF.
	done := make(chan error, 1)
	go func() {
		_, _, err := s.RecvV(make([]byte, 16))
		done <- err
	}()
	c.Close()
	select {
	case err := <-done:
		if err == nil || err.Error() != "EOF" {
			t.Errorf("RecvV: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("RecvV did not return")
	}
}

func TestGoroutineModeDeadline(t *testing.T) {
	_, b, _ := newAsyncPair(t)
	ln, _ := b.Socket(OneToOne, Upcalls{})
	ln.Listen(1)
	ln.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
	start := time.Now()
	_, _, err := ln.Accept()
	if !isErr(err, ErrTimeout) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Accept: %v", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("not a net.Error timeout: %v", err)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("returned after %v", d)
	}
}

func TestGoroutineModeRetransmits(t *testing.T) {
	a, _, n := newAsyncPair(t)
	n.mu.Lock()
	n.drop = true
	n.mu.Unlock()
	c, _ := a.Socket(OneToOne, Upcalls{})
	c.SetOption(RTOInfo{Initial: 20 * time.Millisecond, Min: 10 * time.Millisecond, Max: 40 * time.Millisecond})
	c.SetOption(InitMsg{MaxAttempts: 2, MaxInitTimeo: 40 * time.Millisecond})
	start := time.Now()
	err := c.Connect(Addr{1, 5000})
	if !isErr(err, ErrPeerUnreachable) {
		t.Fatalf("connect: %v", err)
	}
	if d := time.Since(start); d < 60*time.Millisecond || d > 10*time.Second {
		t.Errorf("gave up after %v", d)
	}
	if st := a.Stats(); st.OutPackets != 3 || st.CantStart != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestStackCloseStopsEverything(t *testing.T) {
	g0 := runtime.NumGoroutine()
	st, err := NewStack(Config{Output: func(Handle, []byte, uint8, bool) error { return nil }, LoggerFactory: &logCapture{}})
	if err != nil {
		t.Fatal(err)
	}
	st.RegisterAddress(1)
	ln, _ := st.Socket(OneToOne, Upcalls{})
	ln.Listen(1)
	done := make(chan error)
	go func() {
		_, _, err := ln.Accept()
		done <- err
	}()
	time.Sleep(5 * time.Millisecond)
	st.Close()
	if err := <-done; !isErr(err, ErrClosed) {
		t.Errorf("blocked Accept: %v", err)
	}
	st.Close()
	if _, err := st.Socket(OneToOne, Upcalls{}); !isErr(err, ErrClosed) {
		t.Errorf("socket after close: %v", err)
	}
	var de *DropError
	if err := st.ConnInput(1, make([]byte, 20), 0); !errors.As(err, &de) || de.Reason != DropStackClosed {
		t.Errorf("input after close: %v", err)
	}
	for i := 0; i < 100 && runtime.NumGoroutine() > g0; i++ {
		time.Sleep(time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > g0 {
		t.Errorf("goroutines %d, before %d", g, g0)
	}
}

func TestManualModeDeadline(t *testing.T) {
	p := newPair(t, true)
	p.listen(OneToOne, 5000)
	c := p.dial(OneToOne, 5000)
	c.SetNonBlocking(false)
	c.SetReadDeadline(t0.Add(2 * time.Second))
	done := make(chan error)
	go func() {
		_, _, err := c.RecvV(make([]byte, 8))
		done <- err
	}()
	for i := 0; ; i++ {
		select {
		case err := <-done:
			if !isErr(err, ErrTimeout) {
				t.Fatalf("RecvV: %v", err)
			}
			if now := p.clock.Now(); now.Before(t0.Add(2 * time.Second)) {
				t.Errorf("timed out at t0+%v", now.Sub(t0))
			}
			return
		default:
		}
		if i > 10000 {
			t.Fatal("RecvV never returned")
		}
		time.Sleep(time.Millisecond)
		p.advance(100 * time.Millisecond)
	}
}

func TestNewStackErrors(t *testing.T) {
	if _, err := NewStack(Config{}); !isErr(err, ErrInvalidArgument) {
		t.Errorf("no output: %v", err)
	}
	if _, err := NewStack(Config{Output: func(Handle, []byte, uint8, bool) error { return nil }, Timers: 7}); !isErr(err, ErrInvalidArgument) {
		t.Errorf("bad timer mode: %v", err)
	}
	st, err := NewStack(Config{Output: func(Handle, []byte, uint8, bool) error { return errors.New("down") },
		Timers: TimersManual, LoggerFactory: &logCapture{}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.TimerMode() != TimersManual || TimersManual.String() != "manual" || TimersGoroutine.String() != "goroutine" {
		t.Error("timer mode")
	}
	if !st.Now().IsZero() {
		t.Errorf("manual clock starts at %v", st.Now())
	}
	st.HandleTimers(t0)
	if !st.Now().Equal(t0) {
		t.Errorf("manual clock %v", st.Now())
	}
	st.HandleTimers(t0.Add(-time.Hour))
	if !st.Now().Equal(t0) {
		t.Errorf("manual clock went back to %v", st.Now())
	}
	st.RegisterAddress(1)
	c, _ := st.Socket(OneToOne, Upcalls{})
	c.SetNonBlocking(true)
	c.Connect(Addr{1, 5000})
	if st.Stats().OutputErrors != 1 {
		t.Errorf("output errors %+v", st.Stats())
	}
}

// TestGoroutineModeConcurrentData: four goroutines send on one socket
// while another reads, over the asynchronous network (run with -race).
func TestGoroutineModeConcurrentData(t *testing.T) {
	a, b, _ := newAsyncPair(t)
	ln, _ := b.Socket(OneToOne, Upcalls{})
	ln.SetOption(NoDelay(true))
	ln.Bind(Addr{AnyHandle, 5000})
	ln.Listen(1)
	c, _ := a.Socket(OneToOne, Upcalls{})
	c.SetOption(NoDelay(true))
	c.SetOption(SndBuf(16 << 10))
	if err := c.Connect(Addr{1, 5000}); err != nil {
		t.Fatal(err)
	}
	s, _, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	const senders, per = 4, 200
	deadline := time.Now().Add(20 * time.Second)
	c.SetWriteDeadline(deadline)
	s.SetReadDeadline(deadline)
	var wg sync.WaitGroup
	for g := 0; g < senders; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			msg := make([]byte, 1000)
			for i := 0; i < per; i++ {
				msg[0] = byte(g)
				if _, err := c.SendV(msg, SendSpec{Info: &SendInfo{Stream: uint16(g), Flags: FlagEOR}}); err != nil {
					t.Errorf("sender %d: %v", g, err)
					return
				}
			}
		}(g)
	}
	counts := make([]int, senders)
	buf := make([]byte, 2000)
	for i := 0; i < senders*per; i++ {
		n, info, err := s.RecvV(buf)
		if err != nil {
			t.Fatalf("after %d messages: %v", i, err)
		}
		if n != 1000 || info.Flags&MsgEOR == 0 {
			t.Fatalf("message %d: %d bytes, flags %v", i, n, info.Flags)
		}
		counts[buf[0]]++
	}
	wg.Wait()
	for g, n := range counts {
		if n != per {
			t.Errorf("sender %d: %d messages", g, n)
		}
	}
	var st AssocStats
	c.GetOption(&st)
	if st.OODChunks != senders*per {
		t.Errorf("stats %+v", st)
	}
}
