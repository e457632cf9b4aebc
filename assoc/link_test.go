package assoc

import (
	"strings"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// link joins two engines by an in-memory wire on virtual time: side A is an
// Association that connects (or a fresh one after a simulated crash), side
// B is an Endpoint with the association it creates. Every packet is traced
// as "A→B INIT", "B→A COOKIE ACK", with " (lost)" when a loss hook drops it.
type link struct {
	t     *testing.T
	now   time.Time
	delay time.Duration // one-way delay

	a    *Association
	b    *Association
	bEp  *Endpoint
	seed uint64

	// lose decides whether a packet is lost; n counts packets in that
	// direction from 1.
	lose func(dir string, n int, o out) bool
	sent map[string]int

	queue []delivery
	trace []string
}

type delivery struct {
	at  time.Time
	toB bool
	b   []byte
}

func newLink(t *testing.T, modA, modB func(*Config)) *link {
	l := &link{t: t, now: t0, delay: 10 * time.Millisecond, seed: 10, sent: map[string]int{}}
	cfgA := testConfig(modA)
	cfgB := testConfig(modB)
	cfgB.LocalPort, cfgB.PeerPort = zPort, aPort
	l.a = New(cfgA, NewSeededRand(l.seed))
	l.bEp = NewEndpoint(cfgB, NewSeededRand(l.seed+1), t0)
	return l
}

// crashA replaces side A by a fresh association that knows nothing, as
// after a reboot of the host (§5.2.4.1).
func (l *link) crashA(mod func(*Config)) {
	l.seed += 100
	l.a = New(testConfig(mod), NewSeededRand(l.seed))
}

// flush moves every packet the engines want to send onto the wire.
func (l *link) flush() {
	for _, side := range []struct {
		name string
		a    *Association
		toB  bool
	}{{"A→B", l.a, true}, {"B→A", l.b, false}} {
		if side.a == nil {
			continue
		}
		for {
			b := side.a.Poll(l.now, nil)
			if b == nil {
				break
			}
			l.put(side.name, side.toB, b)
		}
	}
}

func (l *link) put(dir string, toB bool, b []byte) {
	o := decodeOut(l.t, b)
	l.sent[dir]++
	entry := dir + " " + o.types()
	if l.lose != nil && l.lose(dir, l.sent[dir], o) {
		l.trace = append(l.trace, entry+" (lost)")
		return
	}
	l.trace = append(l.trace, entry)
	l.queue = append(l.queue, delivery{at: l.now.Add(l.delay), toB: toB, b: o.raw})
}

// step runs the earliest delivery or timer no later than until; it returns
// false when nothing is due by then.
func (l *link) step(until time.Time) bool {
	l.flush()
	next := time.Time{}
	pick := -1
	for i, d := range l.queue {
		if next.IsZero() || d.at.Before(next) {
			next, pick = d.at, i
		}
	}
	for _, a := range []*Association{l.a, l.b} {
		if a == nil {
			continue
		}
		if d := a.NextDeadline(); !d.IsZero() && (next.IsZero() || d.Before(next)) {
			next, pick = d, -1
		}
	}
	if next.IsZero() || next.After(until) {
		return false
	}
	if next.After(l.now) {
		l.now = next
	}
	if pick >= 0 {
		d := l.queue[pick]
		l.queue = append(l.queue[:pick], l.queue[pick+1:]...)
		l.deliver(d)
	} else {
		for _, a := range []*Association{l.a, l.b} {
			if a != nil {
				a.HandleTimeout(l.now)
			}
		}
	}
	l.flush()
	return true
}

func (l *link) deliver(d delivery) {
	p, err := wire.ParsePacket(d.b)
	if err != nil {
		l.t.Fatal(err)
	}
	if !d.toB {
		if l.a.State() != Closed {
			l.a.HandlePacket(l.now, p)
			return
		}
		if reply, _ := HandleOOTB(p, nil); reply != nil {
			l.put("A→B", true, reply)
		}
		return
	}
	if l.b != nil && l.b.State() != Closed {
		l.b.HandlePacket(l.now, p)
		return
	}
	reply, b, _ := l.bEp.HandlePacket(l.now, p, nil)
	if b != nil {
		l.b = b
	}
	if reply != nil {
		l.put("B→A", false, reply)
	}
}

// run steps until nothing is due within d of virtual time.
func (l *link) run(d time.Duration) {
	until := l.now.Add(d)
	for i := 0; l.step(until); i++ {
		if i > 100000 {
			l.t.Fatal("link does not settle")
		}
	}
	if l.now.Before(until) {
		l.now = until
	}
}

// runUntil steps until cond holds or nothing is due within max.
func (l *link) runUntil(max time.Duration, cond func() bool) bool {
	until := l.now.Add(max)
	for !cond() {
		if !l.step(until) {
			return false
		}
	}
	return true
}

// takeTrace returns the trace so far and clears it.
func (l *link) takeTrace() []string {
	tr := l.trace
	l.trace = nil
	return tr
}

func expectTrace(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("trace:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
