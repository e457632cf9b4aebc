package conn

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn/assoc"
	"github.com/sconnlab/sconn/wire"
)

// t0 is the start of virtual time in the tests.
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// vclock is a virtual clock shared by the stacks of a test network.
type vclock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *vclock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *vclock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// packet is one datagram in flight on a test network.
type packet struct {
	to   *Stack
	h    Handle
	b    []byte
	from *Stack
}

// route says where a stack's packets for a handle go.
type route struct {
	to *Stack
	h  Handle
}

// testNet joins stacks in memory on virtual time. In direct mode Output
// calls the peer's ConnInput at once (re-entering the stacks); otherwise
// packets queue until pump.
type testNet struct {
	t      testing.TB
	clock  *vclock
	direct bool
	seed   uint64

	mu     sync.Mutex
	stacks []*Stack
	names  map[*Stack]string
	routes map[*Stack]map[Handle]route
	queue  []packet
	lose   func(p packet) bool
	trace  []string
	logs   *logCapture
}

func newNet(t testing.TB, direct bool) *testNet {
	return &testNet{t: t, clock: &vclock{t: t0}, direct: direct, seed: 1,
		names: map[*Stack]string{}, routes: map[*Stack]map[Handle]route{}, logs: &logCapture{}}
}

// stack adds a manual-timer stack; mod may change its Config.
func (n *testNet) stack(name string, mod func(*Config)) *Stack {
	var st *Stack
	cfg := Config{
		Timers:        TimersManual,
		Clock:         n.clock.Now,
		Rand:          assoc.NewSeededRand(n.seed),
		LoggerFactory: n.logs,
		Output: func(h Handle, pkt []byte, tos uint8, df bool) error {
			return n.output(st, h, pkt)
		},
	}
	n.seed++
	if mod != nil {
		mod(&cfg)
	}
	var err error
	st, err = NewStack(cfg)
	if err != nil {
		n.t.Fatal(err)
	}
	n.mu.Lock()
	n.stacks = append(n.stacks, st)
	n.names[st] = name
	n.routes[st] = map[Handle]route{}
	n.mu.Unlock()
	n.t.Cleanup(func() { st.Close() })
	return st
}

// link registers ha on a and hb on b and routes them to each other.
func (n *testNet) link(a *Stack, ha Handle, b *Stack, hb Handle) {
	if err := a.RegisterAddress(ha); err != nil {
		n.t.Fatal(err)
	}
	if err := b.RegisterAddress(hb); err != nil {
		n.t.Fatal(err)
	}
	n.mu.Lock()
	n.routes[a][ha] = route{b, hb}
	n.routes[b][hb] = route{a, ha}
	n.mu.Unlock()
}

func (n *testNet) output(from *Stack, h Handle, pkt []byte) error {
	n.mu.Lock()
	r, ok := n.routes[from][h]
	if !ok {
		n.mu.Unlock()
		return fmt.Errorf("no route for handle %v", h)
	}
	p := packet{to: r.to, h: r.h, b: bytes.Clone(pkt), from: from}
	desc := n.names[from] + "→" + n.names[r.to] + " " + chunkNames(pkt)
	if n.lose != nil && n.lose(p) {
		n.trace = append(n.trace, desc+" (lost)")
		n.mu.Unlock()
		return nil
	}
	n.trace = append(n.trace, desc)
	if !n.direct {
		n.queue = append(n.queue, p)
		n.mu.Unlock()
		return nil
	}
	n.mu.Unlock()
	_ = r.to.ConnInput(r.h, p.b, 0)
	return nil
}

// pump delivers queued packets until none is left.
func (n *testNet) pump() {
	for i := 0; i < 100000; i++ {
		n.mu.Lock()
		if len(n.queue) == 0 {
			n.mu.Unlock()
			return
		}
		p := n.queue[0]
		n.queue = n.queue[1:]
		n.mu.Unlock()
		_ = p.to.ConnInput(p.h, p.b, 0)
	}
	n.t.Fatal("pump: packets never stop")
}

// pumpOne delivers the oldest queued packet.
func (n *testNet) pumpOne() {
	n.mu.Lock()
	if len(n.queue) == 0 {
		n.mu.Unlock()
		n.t.Fatal("pumpOne: nothing queued")
	}
	p := n.queue[0]
	n.queue = n.queue[1:]
	n.mu.Unlock()
	_ = p.to.ConnInput(p.h, p.b, 0)
}

// advance moves virtual time forward by d, firing every stack's timers in
// deadline order and pumping packets in between.
func (n *testNet) advance(d time.Duration) {
	end := n.clock.Now().Add(d)
	for {
		n.pump()
		next := time.Time{}
		for _, st := range n.stacks {
			if t := st.NextTimeout(); !t.IsZero() && (next.IsZero() || t.Before(next)) {
				next = t
			}
		}
		if next.IsZero() || next.After(end) {
			break
		}
		if next.After(n.clock.Now()) {
			n.clock.set(next)
		}
		for _, st := range n.stacks {
			st.HandleTimers(n.clock.Now())
		}
	}
	n.clock.set(end)
	for _, st := range n.stacks {
		st.HandleTimers(end)
	}
	n.pump()
}

// traceString returns the packet trace and clears it.
func (n *testNet) traceString() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := strings.Join(n.trace, "\n")
	n.trace = nil
	return s
}

// chunkNames lists a packet's chunk types, e.g. "INIT" or "COOKIE ECHO,DATA".
func chunkNames(b []byte) string {
	p, err := wire.ParsePacket(b)
	if err != nil {
		return "garbage"
	}
	var names []string
	for it := p.Chunks(); ; {
		c, ok := it.Next()
		if !ok {
			break
		}
		names = append(names, c.Type().String())
	}
	return strings.Join(names, ",")
}

// logCapture is a LoggerFactory that records every line at every level.
type logCapture struct {
	mu    sync.Mutex
	lines []string
}

func (l *logCapture) NewLogger(scope string) logging.LeveledLogger {
	return &capLogger{c: l, scope: scope}
}

func (l *logCapture) add(s string) {
	l.mu.Lock()
	l.lines = append(l.lines, s)
	l.mu.Unlock()
}

// matching returns the lines containing every one of subs.
func (l *logCapture) matching(subs ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
next:
	for _, s := range l.lines {
		for _, sub := range subs {
			if !strings.Contains(s, sub) {
				continue next
			}
		}
		out = append(out, s)
	}
	return out
}

type capLogger struct {
	c     *logCapture
	scope string
}

func (l *capLogger) log(level, msg string) { l.c.add(level + " " + l.scope + ": " + msg) }

func (l *capLogger) Trace(msg string)          { l.log("TRACE", msg) }
func (l *capLogger) Tracef(f string, a ...any) { l.log("TRACE", fmt.Sprintf(f, a...)) }
func (l *capLogger) Debug(msg string)          { l.log("DEBUG", msg) }
func (l *capLogger) Debugf(f string, a ...any) { l.log("DEBUG", fmt.Sprintf(f, a...)) }
func (l *capLogger) Info(msg string)           { l.log("INFO", msg) }
func (l *capLogger) Infof(f string, a ...any)  { l.log("INFO", fmt.Sprintf(f, a...)) }
func (l *capLogger) Warn(msg string)           { l.log("WARN", msg) }
func (l *capLogger) Warnf(f string, a ...any)  { l.log("WARN", fmt.Sprintf(f, a...)) }
func (l *capLogger) Error(msg string)          { l.log("ERROR", msg) }
func (l *capLogger) Errorf(f string, a ...any) { l.log("ERROR", fmt.Sprintf(f, a...)) }

// pair is the usual fixture: client stack A (handle 1 → B) and server
// stack B (handle 2 → A).
type pair struct {
	*testNet
	a, b   *Stack
	ha, hb Handle
}

func newPair(t testing.TB, direct bool) *pair {
	n := newNet(t, direct)
	p := &pair{testNet: n, ha: 1, hb: 2}
	p.a = n.stack("A", nil)
	p.b = n.stack("B", nil)
	n.link(p.a, p.ha, p.b, p.hb)
	return p
}

// listen returns a listening socket of B on port.
func (p *pair) listen(typ SocketType, port uint16, opts ...SettableOption) *Socket {
	p.t.Helper()
	s, err := p.b.Socket(typ, Upcalls{})
	if err != nil {
		p.t.Fatal(err)
	}
	for _, o := range opts {
		if err := s.SetOption(o); err != nil {
			p.t.Fatal(err)
		}
	}
	if err := s.Bind(Addr{AnyHandle, port}); err != nil {
		p.t.Fatal(err)
	}
	if err := s.Listen(8); err != nil {
		p.t.Fatal(err)
	}
	return s
}

// dial returns a socket of A connected (non-blocking connect, then pump)
// to B's port, with notification types subscribed.
func (p *pair) dial(typ SocketType, port uint16, subs ...NotificationType) *Socket {
	p.t.Helper()
	s, err := p.a.Socket(typ, Upcalls{})
	if err != nil {
		p.t.Fatal(err)
	}
	for _, ty := range subs {
		if err := s.SetOption(Event{Type: ty, On: true}); err != nil {
			p.t.Fatal(err)
		}
	}
	s.SetNonBlocking(true)
	err = s.Connect(Addr{p.ha, port})
	if typ == OneToOne && !isErr(err, ErrInProgress) && err != nil {
		p.t.Fatalf("connect: %v", err)
	}
	p.pump()
	return s
}

func isErr(err, target error) bool {
	return err != nil && errorsIs(err, target)
}

// nextNotification reads one notification (non-blocking) from s.
func nextNotification(t testing.TB, s *Socket) Notification {
	t.Helper()
	buf := make([]byte, 256)
	nb := s.NonBlocking()
	s.SetNonBlocking(true)
	defer s.SetNonBlocking(nb)
	_, info, err := s.RecvV(buf)
	if err != nil {
		t.Fatalf("RecvV: %v", err)
	}
	if info.Flags&MsgNotification == 0 || info.Notification == nil {
		t.Fatalf("RecvV: got a message, want a notification")
	}
	return info.Notification
}

// expectAssocChange reads a notification and checks it is an ASSOC_CHANGE
// with state st.
func expectAssocChange(t testing.TB, s *Socket, st AssocChangeState) AssocChange {
	t.Helper()
	n := nextNotification(t, s)
	ac, ok := n.(AssocChange)
	if !ok || ac.State != st {
		t.Fatalf("got %v, want SCTP_ASSOC_CHANGE %v", n, st)
	}
	return ac
}

// expectNothing checks that a non-blocking RecvV has nothing.
func expectNothing(t testing.TB, s *Socket) {
	t.Helper()
	nb := s.NonBlocking()
	s.SetNonBlocking(true)
	defer s.SetNonBlocking(nb)
	_, info, err := s.RecvV(make([]byte, 64))
	if !isErr(err, ErrWouldBlock) {
		t.Fatalf("RecvV = %v, %v; want ErrWouldBlock", info.Notification, err)
	}
}
