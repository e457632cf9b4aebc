package rx

import (
	"testing"
	"time"
)

// pkt is one inbound packet for the SACK policy tests.
type pkt struct {
	at        time.Duration // since t0
	tsns      []uint32
	immediate bool
	fwd       uint32 // FORWARD TSN new cumulative TSN, if non-zero
	sack      bool   // the engine sends a SACK after it when one is due
	wantNow   bool
	wantDelay time.Duration // deadline - t0; 0 = not armed
}

func TestSackPolicy(t *testing.T) {
	cases := []struct {
		name  string
		cfg   Config
		pkts  []pkt
		first bool // the tracker has seen no DATA yet
	}{
		{"every second packet", Config{}, []pkt{
			{tsns: []uint32{1}, wantDelay: 200 * time.Millisecond},
			{at: 10 * time.Millisecond, tsns: []uint32{2}, wantNow: true, wantDelay: 200 * time.Millisecond, sack: true},
			{at: 20 * time.Millisecond, tsns: []uint32{3}, wantDelay: 220 * time.Millisecond},
		}, false},
		{"several chunks count as one packet", Config{}, []pkt{
			{tsns: []uint32{1, 2, 3}, wantDelay: 200 * time.Millisecond},
		}, false},
		{"sack freq 1", Config{SackFreq: 1}, []pkt{
			{tsns: []uint32{1}, wantNow: true, sack: true},
			{tsns: []uint32{2}, wantNow: true},
		}, false},
		{"sack freq 3", Config{SackFreq: 3, DelayedSackTime: 50 * time.Millisecond}, []pkt{
			{tsns: []uint32{1}, wantDelay: 50 * time.Millisecond},
			{at: time.Millisecond, tsns: []uint32{2}, wantDelay: 50 * time.Millisecond},
			{at: 2 * time.Millisecond, tsns: []uint32{3}, wantNow: true, wantDelay: 50 * time.Millisecond},
		}, false},
		{"delay capped at 500ms", Config{DelayedSackTime: time.Second}, []pkt{
			{tsns: []uint32{1}, wantDelay: 500 * time.Millisecond},
		}, false},
		{"gap: at once, and while it stays open", Config{}, []pkt{
			{tsns: []uint32{1}, wantDelay: 200 * time.Millisecond},
			{tsns: []uint32{3}, wantNow: true, wantDelay: 200 * time.Millisecond, sack: true},
			{tsns: []uint32{4}, wantNow: true, sack: true},
			{tsns: []uint32{2}, wantNow: true, sack: true}, // closes the gap
			{tsns: []uint32{5}, wantDelay: 200 * time.Millisecond},
		}, false},
		{"duplicate only", Config{}, []pkt{
			{tsns: []uint32{1}, wantDelay: 200 * time.Millisecond, sack: true},
			{tsns: []uint32{1}, wantNow: true},
		}, false},
		{"duplicate with new data", Config{}, []pkt{
			{tsns: []uint32{1}, sack: true, wantDelay: 200 * time.Millisecond},
			{tsns: []uint32{1, 2}, wantNow: true, wantDelay: 0},
		}, false},
		{"I bit", Config{}, []pkt{
			{tsns: []uint32{1}, immediate: true, wantNow: true},
		}, false},
		{"out of window", Config{}, []pkt{
			{tsns: []uint32{100000}, wantNow: true},
		}, false},
		{"no data: nothing", Config{}, []pkt{
			{},
		}, false},
		{"forward tsn counts as data", Config{}, []pkt{
			{fwd: 5, wantDelay: 200 * time.Millisecond},
			{fwd: 7, wantNow: true, wantDelay: 200 * time.Millisecond},
		}, false},
		{"first DATA of the association: at once (§5.1)", Config{}, []pkt{
			{tsns: []uint32{1}, wantNow: true, sack: true},
			{tsns: []uint32{2}, wantDelay: 200 * time.Millisecond},
		}, true},
		{"stale forward tsn", Config{}, []pkt{
			{tsns: []uint32{1, 2}, sack: true, wantDelay: 200 * time.Millisecond},
			{fwd: 2, wantNow: true},
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := NewDataTracker(c.cfg, 1)
			tr.gotData = !c.first // the delayed SACK rules apply after the first DATA
			for i, p := range c.pkts {
				for _, tsn := range p.tsns {
					tr.Observe(tsn)
				}
				if p.fwd != 0 {
					tr.HandleForwardTSN(p.fwd)
				}
				tr.ObservePacketEnd(t0.Add(p.at), p.immediate)
				if got := tr.ShouldSendSackNow(); got != p.wantNow {
					t.Fatalf("packet %d: ShouldSendSackNow = %v, want %v", i, got, p.wantNow)
				}
				var wantDL time.Time
				if p.wantDelay != 0 {
					wantDL = t0.Add(p.wantDelay)
				}
				if got := tr.SackDeadline(); !got.Equal(wantDL) {
					t.Fatalf("packet %d: deadline %v, want %v", i, got.Sub(t0), p.wantDelay)
				}
				if tr.SackPending() != (p.wantNow || p.wantDelay != 0) {
					t.Fatalf("packet %d: SackPending = %v", i, tr.SackPending())
				}
				if p.sack {
					sackOf(tr, 1000)
					if tr.SackPending() {
						t.Fatalf("packet %d: pending after FillSack", i)
					}
				}
			}
		})
	}
}

func TestSackTimer(t *testing.T) {
	tr := NewDataTracker(Config{}, 1)
	tr.gotData = true // past the first DATA, SACKed at once (§5.1)
	tr.Observe(1)
	tr.ObservePacketEnd(t0, false)
	tr.HandleTimeout(t0.Add(199 * time.Millisecond))
	if tr.ShouldSendSackNow() {
		t.Fatal("fired early")
	}
	tr.HandleTimeout(t0.Add(200 * time.Millisecond))
	if !tr.ShouldSendSackNow() || !tr.SackDeadline().IsZero() {
		t.Fatal("did not fire")
	}
	sackOf(tr, 0)
	if tr.ShouldSendSackNow() || tr.SackPending() {
		t.Fatal("FillSack did not reset")
	}
	// The timer is not pushed back by later packets.
	tr.Observe(2)
	tr.ObservePacketEnd(t0.Add(time.Second), false)
	tr.Observe(2) // duplicate: immediate
	tr.ObservePacketEnd(t0.Add(time.Second+time.Millisecond), false)
	if !tr.ShouldSendSackNow() {
		t.Fatal("duplicate did not trigger")
	}
}

func TestWindowUpdate(t *testing.T) {
	cases := []struct {
		name       string
		buf, mtu   int
		advertised uint32
		now        uint32
		want       bool
	}{
		{"a quarter of the buffer", 100000, 1200, 0, 25000, true},
		{"less than a quarter", 100000, 1200, 0, 24999, false},
		{"from a small window", 100000, 1200, 500, 25500, true},
		{"one MTU when a quarter is less", 4000, 1200, 0, 1200, true},
		{"less than that MTU", 4000, 1200, 0, 1199, false},
		{"half the buffer when smaller", 2000, 1200, 0, 1000, true},
		{"below half the buffer", 2000, 1200, 0, 999, false},
		{"shrunk", 100000, 1200, 5000, 3000, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := NewDataTracker(Config{ReceiveBufferSize: c.buf, MTU: c.mtu}, 1)
			sackOf(tr, c.advertised)
			if tr.LastAdvertisedWindow() != c.advertised {
				t.Fatal("LastAdvertisedWindow")
			}
			if got := tr.UpdateWindow(c.now); got != c.want || tr.ShouldSendSackNow() != c.want {
				t.Fatalf("UpdateWindow = %v, want %v", got, c.want)
			}
		})
	}
	// Before any SACK the advertised window is the buffer (INIT's a_rwnd).
	tr := NewDataTracker(Config{ReceiveBufferSize: 5000}, 1)
	if tr.LastAdvertisedWindow() != 5000 || tr.UpdateWindow(5000) {
		t.Fatal("initial window")
	}
}

func TestScheduleImmediateSack(t *testing.T) {
	tr := NewDataTracker(Config{}, 1)
	tr.ScheduleImmediateSack()
	if !tr.ShouldSendSackNow() {
		t.Fatal()
	}
}
