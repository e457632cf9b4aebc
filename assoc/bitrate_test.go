package assoc

import (
	"math"
	"testing"
	"time"
)

// bitrate moves 1172-byte messages (one full DATA chunk each) from A to B
// for the given virtual duration and returns the goodput in bit/s measured
// after the first second (slow start).
func bitrate(t *testing.T, seed uint64, ab, ba simLink, d time.Duration, mods ...func(*Config)) (float64, *simnet) {
	n := newSimnet(t, seed, ab, ba, func(c *Config) {
		c.HeartbeatDisabled = true
		for _, m := range mods {
			m(c)
		}
	})
	w := newWorkload(t, n, 1, math.MaxInt32, func(int) int { return 1172 })
	w.window = 1 << 20
	start := n.now.Add(time.Second)
	var startBytes int64 = -1
	until := n.now.Add(d)
	for n.now.Before(until) {
		w.pump()
		if startBytes < 0 && !n.now.Before(start) {
			startBytes = w.bytes
		}
		if !n.step(until) {
			break
		}
	}
	return float64(w.bytes-startBytes) * 8 / (d - time.Second).Seconds(), n
}

// TestBitrate_20Mbps30ms: on a 20 Mbit/s bottleneck with a 30 ms RTT and a
// queue of one bandwidth-delay product, the association reaches at least
// 16 Mbit/s of goodput.
func TestBitrate_20Mbps30ms(t *testing.T) {
	const rate = 20_000_000
	l := simLink{Delay: 15 * time.Millisecond, Rate: rate, Queue: rate / 8 * 30 / 1000}
	bps, n := bitrate(t, 3, l, l, 10*time.Second)
	t.Logf("goodput %.2f Mbit/s (cwnd %d, lost %d of %d)", bps/1e6, n.a.Status().Cwnd, n.lost[0], n.sent[0])
	if bps < 16e6 {
		t.Fatalf("goodput %.2f Mbit/s, want at least 16", bps/1e6)
	}
}

// TestBitrate_Loss1pct60ms: with 1 % random loss in both directions and a
// 60 ms RTT the goodput is at least what the Mathis et al. formula for TCP
// Reno predicts: MSS/RTT · 1.22/√p.
func TestBitrate_Loss1pct60ms(t *testing.T) {
	const p = 0.01
	l := simLink{Delay: 30 * time.Millisecond, Loss: p, Rate: 100_000_000}
	mathis := 1172 * 8 / 0.060 * 1.22 / math.Sqrt(p)
	bps, n := bitrate(t, 1, l, l, 180*time.Second)
	t.Logf("goodput %.2f Mbit/s, Mathis %.2f Mbit/s (rtx %d)", bps/1e6, mathis/1e6, n.a.Stats().RtxChunks)
	if bps < mathis {
		t.Fatalf("goodput %.2f Mbit/s below %.2f", bps/1e6, mathis/1e6)
	}
}
