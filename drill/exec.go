package drill

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pion/logging"

	"github.com/sconnlab/sconn/assoc"
	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/sysctl"
)

// Config configures the interpreter. The zero value runs scripts the way
// the ETSI suite expects: FreeBSD branches, IPv4, an MTU of 1500.
type Config struct {
	// Defined lists the symbols #ifdef tests as true; nil means
	// {"FreeBSD"} (usrsctp is the FreeBSD stack).
	Defined []string
	// IPVersion is 4 (default) or 6: the IP header the scripts' MTU
	// arithmetic assumes (20 or 40 bytes).
	IPVersion int
	// MTU is the link MTU the scripts assume (default 1500). The stack's
	// path MTU for SCTP is MTU minus the IP header.
	MTU int
	// LocalPort and RemotePort are the SCTP ports of the stack under test
	// and of the script's peer (default 8080 and 9090).
	LocalPort, RemotePort uint16
	// Tolerance is the default timing tolerance (packetdrill's
	// --tolerance_usecs, default 4 ms); a script's option overrides it.
	Tolerance time.Duration
	// MaxWait bounds how long "*" waits for an expected packet (default
	// 10 minutes of script time).
	MaxWait time.Duration
	// Seed seeds the stack's random numbers (tags, TSNs, secrets), so runs
	// are reproducible.
	Seed uint64
	// Trace, when set, receives the packet and call trace (sctpdrill -v).
	Trace io.Writer
	// LoggerFactory for the stack; nil silences it.
	LoggerFactory logging.LoggerFactory
	// Sysctl holds usrsctp tunables to set before the script runs, as
	// "name=value" ("sctp_rto_initial_default=3000"). The runner starts
	// from usrsctp's table with RFC 9260 §16's RTO.Initial of 1 s; these
	// come next and a script's sysctl lines after them.
	Sysctl []string
}

func (c Config) withDefaults() Config {
	if c.IPVersion == 0 {
		c.IPVersion = 4
	}
	if c.MTU == 0 {
		c.MTU = 1500
	}
	if c.LocalPort == 0 {
		c.LocalPort = 8080
	}
	if c.RemotePort == 0 {
		c.RemotePort = 9090
	}
	if c.Tolerance == 0 {
		c.Tolerance = 4 * time.Millisecond
	}
	if c.MaxWait == 0 {
		c.MaxWait = 10 * time.Minute
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	return c
}

// Result is the outcome of one script.
type Result struct {
	Script   string
	Pass     bool
	Err      error  // nil when Pass
	Line     int    // the failing line
	Expected string // what the line expected, for a failure on a packet or call
	Actual   string // what happened instead
	Events   int    // events run
	Elapsed  time.Duration
	// ExpectedFail reports a script the suite marks as expected to fail
	// (a NAME.exfail file beside NAME.pkt, which names the reason).
	ExpectedFail bool
	ExfailReason string
}

// Unsupported reports whether the script failed on a construct the
// interpreter does not handle (as opposed to a behaviour of the stack).
func (r *Result) Unsupported() bool {
	var e *Error
	return r.Err != nil && errors.As(r.Err, &e) && strings.HasPrefix(e.Msg, "unsupported: ")
}

// Summary is a one-line status: "PASS" or "FAIL line N: ...".
func (r *Result) Summary() string {
	if r.Pass {
		return "PASS"
	}
	msg := r.Err.Error()
	if m, ok := r.Err.(*Mismatch); ok {
		msg = m.What
	}
	if _, ok := r.Err.(*callError); ok {
		msg = "system call result differs"
	}
	if e, ok := r.Err.(*Error); ok {
		msg = e.Msg
	}
	if r.Line > 0 {
		return fmt.Sprintf("FAIL line %d: %s", r.Line, msg)
	}
	return "FAIL: " + msg
}

// RunFile reads, parses and runs one script.
func RunFile(path string, cfg Config) *Result {
	src, err := os.ReadFile(path)
	if err != nil {
		return &Result{Script: path, Err: err}
	}
	r := RunScript(path, src, cfg)
	if b, err := os.ReadFile(strings.TrimSuffix(path, ".pkt") + ".exfail"); err == nil {
		r.ExpectedFail, r.ExfailReason = true, strings.TrimSpace(string(b))
	}
	return r
}

// RunScript parses and runs one script. It never panics: a panic in the
// stack under test is reported as a failure of the line that caused it.
func RunScript(name string, src []byte, cfg Config) (res *Result) {
	cfg = cfg.withDefaults()
	res = &Result{Script: name}
	s, err := Parse(name, src, ParseOptions{Defined: cfg.Defined})
	if err != nil {
		res.Err = err
		if e, ok := err.(*Error); ok {
			res.Line = e.Line
		}
		return res
	}
	x := newExecutor(s, cfg)
	defer func() {
		if r := recover(); r != nil {
			res.Pass = false
			res.Err = &Error{File: name, Line: x.line, Msg: fmt.Sprintf("panic in the stack under test: %v", r)}
			res.Line = x.line
		}
		x.close()
	}()
	err = x.run()
	res.Events = x.events
	res.Elapsed = x.now.Sub(x.epoch)
	if err == nil {
		res.Pass = true
		return res
	}
	res.Err = err
	switch e := err.(type) {
	case *Mismatch:
		res.Line, res.Expected, res.Actual = e.Line, e.Expected, e.Actual
	case *callError:
		res.Line, res.Expected, res.Actual = e.Line, e.Expected, e.Actual
	case *Error:
		res.Line = e.Line
		if e.File == "" {
			e.File = name
		}
	}
	return res
}

// callError is a system call whose result differs from the script's.
type callError struct {
	Line             int
	Expected, Actual string
}

func (e *callError) Error() string {
	return fmt.Sprintf("line %d: system call result differs\n  expected: %s\n  actual:   %s", e.Line, e.Expected, e.Actual)
}

// outPacket is a packet the stack sent, with the script time it was sent.
type outPacket struct {
	t time.Time
	b []byte
}

type fdEntry struct {
	sock *conn.Socket
}

// the tun device: the one handle every packet goes through
const tunHandle conn.Handle = 1

type executor struct {
	s     *Script
	cfg   Config
	tol   time.Duration
	epoch time.Time
	now   time.Time
	last  time.Time // time of the previous event, base of relative times
	line  int
	trace io.Writer

	sys    sysctl.Values
	stack  *conn.Stack
	queue  []outPacket
	fds    map[int]*fdEntry
	live   *liveState
	events int

	pending  *pendingCall // a blocking call (start...end) in progress
	blocking bool         // running a start...end call: would-block is not a failure
}

func newExecutor(s *Script, cfg Config) *executor {
	epoch := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	return &executor{
		s: s, cfg: cfg, tol: cfg.Tolerance, epoch: epoch, now: epoch, last: epoch,
		trace: cfg.Trace, sys: sysctl.Defaults(), fds: map[int]*fdEntry{},
		live: newLiveState(cfg.LocalPort, cfg.RemotePort),
	}
}

func (x *executor) tracef(format string, args ...any) {
	if x.trace == nil {
		return
	}
	fmt.Fprintf(x.trace, "%10.6f ", x.now.Sub(x.epoch).Seconds())
	fmt.Fprintf(x.trace, format, args...)
	fmt.Fprintln(x.trace)
}

func (x *executor) close() {
	if x.stack != nil {
		for _, fd := range x.fds {
			_ = fd.sock.Abort()
		}
		_ = x.stack.Close()
	}
}

// ipHeaderLen is the IP header the scripts' MTU arithmetic assumes.
func (x *executor) ipHeaderLen() int {
	if x.cfg.IPVersion == 6 {
		return 40
	}
	return 20
}

// sctpMTU is the largest SCTP packet: the link MTU less the IP header.
func (x *executor) sctpMTU() int { return x.cfg.MTU - x.ipHeaderLen() }

func (x *executor) ensureStack() error {
	if x.stack != nil {
		return nil
	}
	lf := x.cfg.LoggerFactory
	if lf == nil {
		lf = quietLoggerFactory{}
	}
	st, err := conn.NewStack(conn.Config{
		Output: func(h conn.Handle, pkt []byte, tos uint8, df bool) error {
			x.queue = append(x.queue, outPacket{t: x.now, b: append([]byte(nil), pkt...)})
			return nil
		},
		LoggerFactory: lf,
		Sysctl:        x.sys,
		Timers:        conn.TimersManual,
		Clock:         func() time.Time { return x.now },
		Rand:          assoc.NewSeededRand(x.cfg.Seed),
	})
	if err != nil {
		return errf(x.line, "creating the stack: %v", err)
	}
	if err := st.RegisterAddress(tunHandle); err != nil {
		return errf(x.line, "registering the tun handle: %v", err)
	}
	x.stack = st
	return nil
}

func (x *executor) run() error {
	for _, a := range append(rfc9260Defaults[:len(rfc9260Defaults):len(rfc9260Defaults)], x.cfg.Sysctl...) {
		if err := x.sys.SetString(a); err != nil {
			return &Error{Msg: fmt.Sprintf("sysctl %s: %v", a, err)}
		}
	}
	for _, o := range x.s.Options {
		switch o.Name {
		case "tolerance_usecs":
			n, err := strconv.ParseUint(o.Value, 10, 32)
			if err != nil {
				return errf(o.Line, "--tolerance_usecs=%s: not a number", o.Value)
			}
			x.tol = time.Duration(n) * time.Microsecond
		case "ip_version":
			switch o.Value {
			case "ipv4":
				x.cfg.IPVersion = 4
			case "ipv6":
				x.cfg.IPVersion = 6
			default:
				return unsupported(o.Line, "--ip_version=%s", o.Value)
			}
		case "mtu":
			n, err := strconv.Atoi(o.Value)
			if err != nil || n < 576 || n > 65535 {
				return errf(o.Line, "--mtu=%s: bad MTU", o.Value)
			}
			x.cfg.MTU = n
		case "bind_port":
			n, err := strconv.ParseUint(o.Value, 10, 16)
			if err != nil {
				return errf(o.Line, "--bind_port=%s: bad port", o.Value)
			}
			x.cfg.LocalPort, x.live.localPort = uint16(n), uint16(n)
		default:
			return unsupported(o.Line, "option --%s", o.Name)
		}
	}
	for _, ev := range x.s.Events {
		x.line = ev.Line
		x.events++
		var err error
		switch ev.Kind {
		case EventCommand:
			err = x.command(ev)
		case EventPacket:
			if ev.Packet.Dir == DirOut {
				err = x.expectPacket(ev)
			} else {
				err = x.injectPacket(ev)
			}
		case EventSyscall:
			err = x.syscall(ev)
		}
		if err == nil && x.pending != nil && x.pending.ev != ev {
			err = x.retryPending(x.nextEvent(ev))
		}
		if err != nil {
			if e, ok := err.(*Error); ok && e.Line == 0 {
				e.Line = ev.Line
			}
			return err
		}
	}
	if x.pending != nil {
		return x.retryPending(nil)
	}
	return nil
}

// nextEvent returns the event after ev, or nil.
func (x *executor) nextEvent(ev *Event) *Event {
	for i, e := range x.s.Events {
		if e == ev && i+1 < len(x.s.Events) {
			return x.s.Events[i+1]
		}
	}
	return nil
}

// target returns when the event is scheduled: its start and the latest
// time it may happen (both before tolerance).
func (x *executor) target(ev *Event) (start, end time.Time, any bool) {
	ts := ev.Time
	switch ts.Kind {
	case TimeAny:
		return x.now, x.now.Add(x.cfg.MaxWait), true
	case TimeAbsolute:
		start = x.epoch.Add(ts.Start)
	default:
		start = x.last.Add(ts.Start)
	}
	end = start
	if ts.HasEnd && !ts.Blocking {
		if ts.EndKind == TimeAbsolute {
			end = x.epoch.Add(ts.End)
		} else {
			end = x.last.Add(ts.End)
		}
	}
	return start, end, false
}

// advance runs the stack's timers up to t and sets the clock to t. With
// inclusive false, timers due exactly at t are left for later: an event
// the script schedules at t happens before a timer of the same instant
// (the script's peer acts "at" t, the stack's timer an instant later).
func (x *executor) advance(t time.Time, inclusive bool) {
	if x.stack == nil {
		if t.After(x.now) {
			x.now = t
		}
		return
	}
	for i := 0; i < 1000000; i++ {
		next := x.stack.NextTimeout()
		if next.IsZero() || next.After(t) || (!inclusive && next.Equal(t)) {
			break
		}
		if next.After(x.now) {
			x.now = next
		}
		x.stack.HandleTimers(x.now)
		if n := x.stack.NextTimeout(); !n.IsZero() && !n.After(next) && !next.After(x.now) && n.Equal(next) {
			break // a timer that does not move: do not spin
		}
	}
	if t.After(x.now) {
		x.now = t
	}
}

// startEvent moves the clock to the time of a system call, command or
// injected packet.
func (x *executor) startEvent(ev *Event) {
	start, _, any := x.target(ev)
	if !any {
		x.advance(start, false)
	}
	x.last = x.now
}

func (x *executor) stamp(t time.Time) string {
	return fmt.Sprintf("%.6f", t.Sub(x.epoch).Seconds())
}

// quietLoggerFactory discards the stack's logs.
type quietLoggerFactory struct{}

func (quietLoggerFactory) NewLogger(string) logging.LeveledLogger { return quietLogger{} }

type quietLogger struct{}

func (quietLogger) Trace(string)          {}
func (quietLogger) Tracef(string, ...any) {}
func (quietLogger) Debug(string)          {}
func (quietLogger) Debugf(string, ...any) {}
func (quietLogger) Info(string)           {}
func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Warn(string)           {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Error(string)          {}
func (quietLogger) Errorf(string, ...any) {}
