package conntest

import (
	"testing"
	"time"
)

// pipeRun sends count packets of size bytes through a virtual pipe with
// impairments c, one every gap, and returns the arrival times and the
// link's stats.
func pipeRun(t *testing.T, c LinkConfig, count, size int, gap time.Duration) ([]time.Duration, []int, LinkStats) {
	t.Helper()
	n := NewNetwork(Config{Virtual: true, Seed: 7})
	defer n.Close()
	a, b := n.Pipe(c, LinkConfig{})
	start := n.Now()
	for i := 0; i < count; i++ {
		p := make([]byte, size)
		p[0], p[1] = byte(i>>8), byte(i)
		a.Write(p)
		n.Advance(gap)
	}
	n.Advance(10 * time.Second)
	var at []time.Duration
	var order []int
	buf := make([]byte, 2000)
	for b.in.Count() > 0 {
		if _, err := b.Read(buf); err != nil {
			t.Fatal(err)
		}
		order = append(order, int(buf[0])<<8|int(buf[1]))
	}
	_ = start
	return at, order, a.Link().Stats()
}

func TestLinkLossIsSeededAndNearRate(t *testing.T) {
	c := LinkConfig{Loss: 0.2}
	_, o1, s1 := pipeRun(t, c, 2000, 100, time.Millisecond)
	_, o2, s2 := pipeRun(t, c, 2000, 100, time.Millisecond)
	if s1 != s2 || len(o1) != len(o2) {
		t.Fatalf("same seed, different runs: %+v vs %+v", s1, s2)
	}
	if s1.Lost < 320 || s1.Lost > 480 || int(s1.Delivered) != len(o1) || s1.Delivered+s1.Lost != 2000 {
		t.Fatalf("stats %+v, %d read", s1, len(o1))
	}
}

func TestLinkDelayJitterKeepOrder(t *testing.T) {
	n := NewNetwork(Config{Virtual: true})
	defer n.Close()
	a, b := n.Pipe(LinkConfig{Delay: 50 * time.Millisecond, Jitter: 30 * time.Millisecond}, LinkConfig{})
	for i := 0; i < 100; i++ {
		a.Write([]byte{byte(i)})
		n.Advance(time.Millisecond)
	}
	if b.in.Count() >= 100 {
		t.Fatal("packets arrived before their delay")
	}
	n.Advance(80 * time.Millisecond)
	buf := make([]byte, 10)
	for i := 0; i < 100; i++ {
		if k, err := b.Read(buf); err != nil || k != 1 || buf[0] != byte(i) {
			t.Fatalf("packet %d: got %v (%d bytes), %v", i, buf[0], k, err)
		}
	}
}

func TestLinkFirstDeliveryTime(t *testing.T) {
	n := NewNetwork(Config{Virtual: true})
	defer n.Close()
	a, b := n.Pipe(LinkConfig{Delay: 20 * time.Millisecond, Bandwidth: 8_000_000}, LinkConfig{}) // 1 byte/µs
	a.Write(make([]byte, 1000))                                                                  // 1 ms to serialise
	n.Advance(20*time.Millisecond + 999*time.Microsecond)
	if b.in.Count() != 0 {
		t.Fatal("delivered before serialisation + delay")
	}
	n.Advance(time.Microsecond)
	if b.in.Count() != 1 {
		t.Fatal("not delivered at serialisation + delay")
	}
}

func TestLinkBandwidthQueueDrops(t *testing.T) {
	_, order, st := pipeRun(t, LinkConfig{Bandwidth: 1_000_000, QueueLimit: 10_000}, 100, 1000, 0)
	// A burst of 100 KB at once keeps 10 KB.
	if st.QueueDrops != 90 || len(order) != int(st.Delivered) {
		t.Fatalf("stats %+v", st)
	}
}

func TestLinkReorderAndDuplicate(t *testing.T) {
	_, order, st := pipeRun(t, LinkConfig{Delay: 10 * time.Millisecond, Reorder: 0.1, Duplicate: 0.1}, 500, 50, time.Millisecond)
	if st.Reordered == 0 || st.Duplicated == 0 || len(order) != 500+int(st.Duplicated) {
		t.Fatalf("stats %+v, %d read", st, len(order))
	}
	inversions := 0
	for i := 1; i < len(order); i++ {
		if order[i] < order[i-1] {
			inversions++
		}
	}
	if inversions == 0 {
		t.Fatal("no packet overtook another")
	}
}

func TestLinkDropFilterAndDown(t *testing.T) {
	n := NewNetwork(Config{Virtual: true})
	defer n.Close()
	a, b := n.Pipe(LinkConfig{Drop: func(i int, p []byte) bool { return i == 1 }}, LinkConfig{})
	for i := 0; i < 3; i++ {
		a.Write([]byte{byte(i)})
	}
	a.Link().SetDown(true)
	a.Write([]byte{9})
	n.Advance(time.Millisecond)
	if st := a.Link().Stats(); st.Dropped != 1 || st.Lost != 1 || st.Delivered != 2 || b.in.Count() != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestLinkCorrupt(t *testing.T) {
	n := NewNetwork(Config{Virtual: true})
	defer n.Close()
	a, b := n.Pipe(LinkConfig{Corrupt: 0.5}, LinkConfig{})
	for i := 0; i < 200; i++ {
		a.Write(make([]byte, 20))
	}
	n.Advance(time.Millisecond)
	buf := make([]byte, 20)
	changed := 0
	for b.in.Count() > 0 {
		b.Read(buf)
		for _, x := range buf {
			if x != 0 {
				changed++
				break
			}
		}
	}
	if st := a.Link().Stats(); st.Corrupted == 0 || int(st.Corrupted) != changed {
		t.Fatalf("stats %+v, %d packets changed", st, changed)
	}
}
