package conntest

import (
	"fmt"
	"testing"
	"time"
)

// maxStepsPerInstant bounds the work at one virtual instant: more means
// the stacks never stop producing events (a bug worth a panic).
const maxStepsPerInstant = 1_000_000

// pollInterval is how often RunUntil checks its condition on real time.
const pollInterval = time.Millisecond

// Advance moves the network forward by d. On virtual time it delivers
// every packet and fires every stack timer due in order, then sets the
// clock to now+d; on real time it sleeps.
func (n *Network) Advance(d time.Duration) {
	if !n.cfg.Virtual {
		time.Sleep(d)
		return
	}
	n.run(n.Now().Add(d), nil)
}

// RunUntil runs the network until cond returns true or limit has passed
// (virtual time on a virtual network, where the clock stops at the
// instant cond became true; real time otherwise). It reports whether cond
// became true. cond runs on the calling goroutine, between events.
func (n *Network) RunUntil(cond func() bool, limit time.Duration) bool {
	if !n.cfg.Virtual {
		end := time.Now().Add(limit)
		for !cond() {
			if time.Now().After(end) {
				return false
			}
			time.Sleep(pollInterval)
		}
		return true
	}
	return n.run(n.Now().Add(limit), cond)
}

// WaitUntil is RunUntil that fails the test with what when cond does not
// become true within limit.
func (n *Network) WaitUntil(tb testing.TB, what string, cond func() bool, limit time.Duration) {
	tb.Helper()
	if !n.RunUntil(cond, limit) {
		tb.Fatalf("conntest: %s: not reached within %v", what, limit)
	}
}

// run steps virtual time up to end, stopping when cond (if any) holds.
func (n *Network) run(end time.Time, cond func() bool) bool {
	steps := 0
	for {
		if cond != nil && cond() {
			return true
		}
		now := n.Now()
		if n.step(now) {
			if steps++; steps > maxStepsPerInstant {
				panic(fmt.Sprintf("conntest: more than %d events at %v: the stacks never settle", maxStepsPerInstant, now))
			}
			continue
		}
		steps = 0
		next := n.sched.next()
		for _, st := range n.Stacks() {
			if t := st.NextTimeout(); !t.IsZero() && (next.IsZero() || t.Before(next)) {
				next = t
			}
		}
		if next.IsZero() || next.After(end) {
			n.setNow(end)
			return cond != nil && cond()
		}
		if next.After(now) {
			n.setNow(next)
		}
	}
}

// step runs what is due at now: packet deliveries, then stack timers. It
// reports whether anything ran.
func (n *Network) step(now time.Time) bool {
	ran := false
	for {
		fn, ok := n.sched.pop(now)
		if !ok {
			break
		}
		fn()
		ran = true
	}
	for _, st := range n.Stacks() {
		if t := st.NextTimeout(); !t.IsZero() && !t.After(now) {
			st.HandleTimers(now)
			ran = true
		}
	}
	return ran
}

func (n *Network) setNow(t time.Time) {
	n.mu.Lock()
	if t.After(n.now) {
		n.now = t
	}
	n.mu.Unlock()
}
