package conn

import (
	"runtime"
	"testing"
	"time"

	"github.com/pion/logging"
)

// TestTenThousandIdleAssociations holds 10 000 idle associations in one
// stack: a one-to-many client socket of stack A connects over 10 000
// handles to a one-to-many listener of stack B (manual timers, in-memory
// loop), and reports the heap bytes and goroutines per association.
func TestTenThousandIdleAssociations(t *testing.T) {
	n := 10000
	if testing.Short() || raceEnabled {
		n = 2000 // the race detector multiplies memory and time; the figure comes from normal builds
	}
	net := newNet(t, true)
	quiet := func(c *Config) { c.LoggerFactory = discardLogger{} } // the test's log capture is not the stack's memory
	a := net.stack("A", quiet)
	b := net.stack("B", quiet)
	for i := 1; i <= n; i++ {
		net.link(a, Handle(i), b, Handle(i))
	}
	ln, _ := b.Socket(OneToMany, Upcalls{})
	ln.Bind(Addr{AnyHandle, 5000})
	ln.Listen(1)
	cl, _ := a.Socket(OneToMany, Upcalls{})
	cl.Bind(Addr{AnyHandle, 5000})
	net.trace = nil

	runtime.GC()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	g0 := runtime.NumGoroutine()

	for i := 1; i <= n; i++ {
		if _, err := cl.ConnectX(Addr{Handle(i), 5000}); err != nil {
			t.Fatal(err)
		}
		if i%1000 == 0 {
			net.mu.Lock()
			net.trace = nil // the test network's own trace is not the stack's memory
			net.mu.Unlock()
		}
	}
	net.mu.Lock()
	net.trace = nil
	net.mu.Unlock()
	// Idle for a while: heartbeats flow on virtual time.
	net.advance(2 * time.Minute)
	net.mu.Lock()
	net.trace = nil
	net.mu.Unlock()

	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	g1 := runtime.NumGoroutine()

	sa, sb := a.Stats(), b.Stats()
	if sa.CurrEstab != uint64(n) || sb.CurrEstab != uint64(n) || sb.PassiveEstab != uint64(n) {
		t.Fatalf("established: A %d, B %d", sa.CurrEstab, sb.CurrEstab)
	}
	var num AssocNumber
	ln.GetOption(&num)
	if int(num) != n {
		t.Fatalf("listener has %d associations", num)
	}
	delta := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	perPair := float64(delta) / float64(n)
	goroutines := float64(g1-g0) / float64(n)
	t.Logf("%d idle associations: heap %d bytes for both ends = %.0f bytes per association end (%.0f per pair); %.4f goroutines per association; timers armed %d",
		n, delta, perPair/2, perPair, goroutines, sa.TimersArmed+sb.TimersArmed)
	if g1 > g0 {
		t.Errorf("goroutines grew from %d to %d", g0, g1)
	}
	if !raceEnabled && perPair/2 > 4096 {
		t.Errorf("%.0f bytes per association, target 4096", perPair/2)
	}
	runtime.KeepAlive(cl)
	runtime.KeepAlive(ln)
}

// discardLogger is a LoggerFactory whose loggers print nothing.
type discardLogger struct{}

func (discardLogger) NewLogger(string) logging.LeveledLogger { return discardLeveled{} }

type discardLeveled struct{}

func (discardLeveled) Trace(string)          {}
func (discardLeveled) Tracef(string, ...any) {}
func (discardLeveled) Debug(string)          {}
func (discardLeveled) Debugf(string, ...any) {}
func (discardLeveled) Info(string)           {}
func (discardLeveled) Infof(string, ...any)  {}
func (discardLeveled) Warn(string)           {}
func (discardLeveled) Warnf(string, ...any)  {}
func (discardLeveled) Error(string)          {}
func (discardLeveled) Errorf(string, ...any) {}
