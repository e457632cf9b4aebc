package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sconnlab/sconn/interop/usrsctp"
)

// Options control how long the cases run.
type Options struct {
	// Duration of each throughput and latency case (when N is 0).
	Duration time.Duration
	// N, when positive, is the number of messages of each throughput case
	// and of requests of the latency case.
	N int
	// Handshakes is the number of associations the handshake case sets up.
	Handshakes int
	// Idle lists the association counts of the idle case.
	Idle []int
}

// counter counts what a receiver got and says when a target is reached.
type counter struct {
	msgs, bytes atomic.Int64
	bad         atomic.Int64 // messages of the wrong size
	target      atomic.Int64
	size        int
	once        sync.Once
	done        chan struct{}
	at          time.Time
}

func newCounter(size int) *counter {
	c := &counter{size: size, done: make(chan struct{})}
	c.target.Store(1 << 62)
	return c
}

func (c *counter) add(_ uint16, data []byte) {
	if len(data) != c.size {
		c.bad.Add(1)
	}
	c.bytes.Add(int64(len(data)))
	if c.msgs.Add(1) >= c.target.Load() {
		c.finish()
	}
}

func (c *counter) finish() {
	c.once.Do(func() { c.at = time.Now(); close(c.done) })
}

func (c *counter) setTarget(n int64) {
	c.target.Store(n)
	if c.msgs.Load() >= n {
		c.finish()
	}
}

// heapProfile is -heapprofile: where the idle case writes the in-use heap
// profile of its associations (FILE.stack.count).
var heapProfile string

func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.WriteHeapProfile(f)
		f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sctpbench: heap profile:", err)
	}
}

// memSnapshot is what the Go runtime and malloc report.
type memSnapshot struct {
	mallocs    uint64
	heap       uint64
	stacks     uint64
	cHeap      uint64
	goroutines int
}

func snapshot(gc bool) memSnapshot {
	if gc {
		runtime.GC()
		runtime.GC()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memSnapshot{mallocs: ms.Mallocs, heap: ms.HeapAlloc, stacks: ms.StackInuse,
		cHeap: usrsctp.MallocInUse(), goroutines: runtime.NumGoroutine()}
}

// throughput sends messages of size bytes one way on streams streams,
// unordered when more than one stream, paced by buffered amount, and
// measures until the receiver has them all.
func throughput(ctx context.Context, st Stack, o Options, size, streams int) (Result, error) {
	cnt := newCounter(size)
	p, err := st.Pair(ctx, PairConfig{OnServer: cnt.add})
	if err != nil {
		return Result{}, fmt.Errorf("pair: %w", err)
	}
	defer p.Close()
	msg := make([]byte, size)
	for i := range msg {
		msg[i] = byte(i)
	}
	unordered := streams > 1
	c := p.Client()
	before := snapshot(false)
	start := time.Now()
	deadline := start.Add(o.Duration)
	sent := 0
	for {
		if o.N > 0 && sent >= o.N || o.N <= 0 && sent%16 == 0 && time.Now().After(deadline) {
			break
		}
		if err := c.Send(ctx, uint16(sent%streams), unordered, msg); err != nil {
			return Result{}, fmt.Errorf("send %d: %w", sent, err)
		}
		sent++
	}
	cnt.setTarget(int64(sent))
	select {
	case <-cnt.done:
	case <-time.After(30 * time.Second):
		return Result{}, fmt.Errorf("received %d of %d messages after 30 s", cnt.msgs.Load(), sent)
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	after := snapshot(false)
	if b := cnt.bad.Load(); b > 0 {
		return Result{}, fmt.Errorf("%d messages arrived with the wrong size", b)
	}
	secs := cnt.at.Sub(start).Seconds()
	return Result{
		Stack: st.Name(), Case: "throughput", Size: ptr(size), Streams: ptr(streams),
		MBPerS:       ptr(round(float64(cnt.bytes.Load()) / 1e6 / secs)),
		MsgsPerS:     ptr(round(float64(sent) / secs)),
		AllocsPerMsg: ptr(round(float64(after.mallocs-before.mallocs) / float64(sent))),
	}, nil
}

// latency measures request/response round trips of 100-byte messages on
// one stream: the server echoes each request from its receive path.
func latency(ctx context.Context, st Stack, o Options) (Result, error) {
	const size = 100
	replies := make(chan struct{}, 1)
	var server Conn
	var serverReady sync.WaitGroup
	serverReady.Add(1)
	p, err := st.Pair(ctx, PairConfig{
		NoDelay: true,
		OnServer: func(sid uint16, data []byte) {
			serverReady.Wait()
			_ = server.Send(ctx, sid, false, data)
		},
		OnClient: func(uint16, []byte) { replies <- struct{}{} },
	})
	if err != nil {
		return Result{}, fmt.Errorf("pair: %w", err)
	}
	defer p.Close()
	server = p.Server()
	serverReady.Done()
	msg := make([]byte, size)
	c := p.Client()
	roundTrip := func() (time.Duration, error) {
		t0 := time.Now()
		if err := c.Send(ctx, 0, false, msg); err != nil {
			return 0, err
		}
		select {
		case <-replies:
			return time.Since(t0), nil
		case <-time.After(10 * time.Second):
			return 0, fmt.Errorf("no reply within 10 s")
		}
	}
	for range 200 { // warm up
		if _, err := roundTrip(); err != nil {
			return Result{}, err
		}
	}
	var rtts []time.Duration
	before := snapshot(false)
	deadline := time.Now().Add(o.Duration)
	for o.N > 0 && len(rtts) < o.N || o.N <= 0 && time.Now().Before(deadline) {
		d, err := roundTrip()
		if err != nil {
			return Result{}, err
		}
		rtts = append(rtts, d)
	}
	after := snapshot(false)
	slices.Sort(rtts)
	pct := func(q float64) float64 {
		return round(float64(rtts[int(q*float64(len(rtts)-1))].Nanoseconds()) / 1e3)
	}
	return Result{
		Stack: st.Name(), Case: "latency", Size: ptr(size), Streams: ptr(1),
		P50us: ptr(pct(0.50)), P99us: ptr(pct(0.99)),
		// two messages per round trip
		AllocsPerMsg: ptr(round(float64(after.mallocs-before.mallocs) / float64(2*len(rtts)))),
	}, nil
}

// handshakes sets up o.Handshakes associations (8 handshakes in flight)
// and reports how many per second completed.
func handshakes(ctx context.Context, st Stack, o Options) (Result, error) {
	runtime.GC()
	start := time.Now()
	set, err := st.Associations(ctx, o.Handshakes, 8)
	if err != nil {
		return Result{}, err
	}
	secs := time.Since(start).Seconds()
	set.Close()
	return Result{Stack: st.Name(), Case: "handshake", PerS: ptr(round(float64(o.Handshakes) / secs)),
		Assocs: ptr(2 * o.Handshakes)}, nil
}

// idle sets up assocs/2 pairs (assocs associations counting both sides),
// lets them settle and reports memory (Go heap + goroutine stacks + C
// heap) and goroutines per association.
func idle(ctx context.Context, st Stack, assocs int) (Result, error) {
	before := snapshot(true)
	set, err := st.Associations(ctx, assocs/2, 32)
	if err != nil {
		return Result{}, err
	}
	time.Sleep(300 * time.Millisecond) // let handshake goroutines finish
	after := snapshot(true)
	if heapProfile != "" {
		writeHeapProfile(fmt.Sprintf("%s.%s.%d", heapProfile, st.Name(), assocs))
	}
	set.Close()
	mem := float64(int64(after.heap+after.stacks+after.cHeap) - int64(before.heap+before.stacks+before.cHeap))
	return Result{Stack: st.Name(), Case: "idle", Assocs: ptr(assocs),
		BytesPerAssoc:      ptr(round(mem / float64(assocs))),
		GoroutinesPerAssoc: ptr(round(float64(after.goroutines-before.goroutines) / float64(assocs))),
	}, nil
}
