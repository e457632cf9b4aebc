package conn

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

type fakeOwner struct {
	fired []time.Time
}

func (f *fakeOwner) onTimer(now time.Time) { f.fired = append(f.fired, now) }

func TestTimerHeapOrder(t *testing.T) {
	var h timerHeap
	r := rand.New(rand.NewPCG(1, 2))
	const n = 500
	entries := make([]*timerEntry, n)
	owners := make([]*fakeOwner, n)
	for i := range entries {
		owners[i] = &fakeOwner{}
		entries[i] = &timerEntry{}
		entries[i].init(owners[i], uint32(i))
		h.set(entries[i], t0.Add(time.Duration(r.IntN(1000))*time.Millisecond))
	}
	// Move some, disarm some.
	for i := 0; i < n; i += 3 {
		h.set(entries[i], t0.Add(time.Duration(r.IntN(1000))*time.Millisecond))
	}
	for i := 1; i < n; i += 7 {
		h.set(entries[i], time.Time{})
	}
	var want []time.Time
	for _, e := range entries {
		if e.index >= 0 {
			want = append(want, e.when)
		}
	}
	sort.Slice(want, func(i, j int) bool { return want[i].Before(want[j]) })
	if h.len() != len(want) {
		t.Fatalf("len %d, want %d", h.len(), len(want))
	}
	if !h.next().Equal(want[0]) {
		t.Errorf("next %v, want %v", h.next(), want[0])
	}
	var got []time.Time
	for now := t0; !now.After(t0.Add(time.Second)); now = now.Add(10 * time.Millisecond) {
		for _, e := range h.expire(now, nil) {
			if e.when.After(now) {
				t.Fatalf("expired early: %v at %v", e.when, now)
			}
			got = append(got, e.when)
			if e.index != -1 {
				t.Fatal("expired entry still indexed")
			}
		}
	}
	sort.Slice(got, func(i, j int) bool { return got[i].Before(got[j]) })
	if len(got) != len(want) {
		t.Fatalf("expired %d, want %d", len(got), len(want))
	}
	for i := range got {
		if !got[i].Equal(want[i]) {
			t.Fatalf("expired %v, want %v", got[i], want[i])
		}
	}
	if !h.next().IsZero() || h.len() != 0 {
		t.Error("heap not empty")
	}
}

func TestNextTimeoutFollowsAssociations(t *testing.T) {
	p := newPair(t, false)
	if !p.a.NextTimeout().IsZero() {
		t.Fatal("idle stack has a timeout")
	}
	p.listen(OneToOne, 5000)
	c := p.dial(OneToOne, 5000)
	// Established: the heartbeat timer (30 s ± jitter, plus RTO) runs.
	d := p.a.NextTimeout().Sub(p.clock.Now())
	if d < 10*time.Second || d > 60*time.Second {
		t.Errorf("next timeout in %v", d)
	}
	c.SetOption(Linger{On: true})
	c.Close()
	p.pump()
	if !p.a.NextTimeout().IsZero() || !p.b.NextTimeout().IsZero() {
		t.Errorf("timers left: %v %v", p.a.NextTimeout(), p.b.NextTimeout())
	}
}
