package assoc

import (
	"testing"
	"time"
)

func sizeMix(i int) int { return []int{1, 100, 1172, 1173, 3000, 40, 20000, 600}[i%8] }

// TestE2E_Impairments moves messages of mixed sizes on four streams over a
// simulated network with each impairment and checks that every message
// arrives exactly once, intact, in order within its stream.
func TestE2E_Impairments(t *testing.T) {
	base := simLink{Delay: 10 * time.Millisecond}
	with := func(f func(*simLink)) simLink { l := base; f(&l); return l }
	cases := []struct {
		name  string
		link  simLink
		count int
		max   time.Duration
	}{
		{"loss0", base, 300, time.Minute},
		{"loss1", with(func(l *simLink) { l.Loss = 0.01 }), 300, 2 * time.Minute},
		{"loss5", with(func(l *simLink) { l.Loss = 0.05 }), 200, 5 * time.Minute},
		{"loss20", with(func(l *simLink) { l.Loss = 0.20 }), 60, 30 * time.Minute},
		{"reorder", with(func(l *simLink) { l.Jitter = 30 * time.Millisecond }), 300, 2 * time.Minute},
		{"duplicate", with(func(l *simLink) { l.Dup = 0.1 }), 300, time.Minute},
		{"delay200ms", with(func(l *simLink) { l.Delay = 200 * time.Millisecond }), 200, 5 * time.Minute},
		{"bandwidth", with(func(l *simLink) { l.Rate = 2_000_000; l.Queue = 30_000 }), 100, 5 * time.Minute},
		{"everything", with(func(l *simLink) {
			l.Loss, l.Dup, l.Jitter, l.Rate, l.Queue = 0.03, 0.03, 20*time.Millisecond, 5_000_000, 50_000
		}), 100, 10 * time.Minute},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := newSimnet(t, 7, c.link, c.link, nil)
			w := newWorkload(t, n, 4, c.count, sizeMix)
			if !w.run(c.max) {
				t.Fatalf("received %d of %d by %v (A %v, B %v)", w.received, 4*c.count, n.now.Sub(t0), n.a.State(), n.b.State())
			}
			st := n.a.Stats()
			t.Logf("%d messages, %d bytes in %v; lost %d/%d A→B; rtx %d, SACKs in %d",
				w.received, w.bytes, n.now.Sub(t0), n.lost[0], n.sent[0], st.RtxChunks, st.ISacks)
		})
	}
}

// TestE2E_UnorderedAndIData: unordered messages and I-DATA under loss and
// reordering: every message exactly once, ordered ones in order.
func TestE2E_UnorderedAndIData(t *testing.T) {
	l := simLink{Delay: 10 * time.Millisecond, Loss: 0.03, Jitter: 5 * time.Millisecond}
	for _, idata := range []bool{false, true} {
		n := newSimnet(t, 11, l, l, func(c *Config) { c.IData = idata })
		if n.a.Info().Features.IData != idata {
			t.Fatal("I-DATA not negotiated")
		}
		w := newWorkload(t, n, 3, 150, sizeMix)
		w.opts = func(s uint16) SendOptions { return SendOptions{Stream: s, EOR: true, Unordered: s == 2} }
		if !w.run(5 * time.Minute) {
			t.Fatalf("I-DATA %v: received %d of %d", idata, w.received, 450)
		}
	}
}

// TestE2E_PartialReliability: with 10 % loss, messages allowed no
// retransmission are either delivered once or reported abandoned
// (SendFailed), reliable ones on another stream all arrive in order, and
// the FORWARD TSNs keep the receiver moving.
func TestE2E_PartialReliability(t *testing.T) {
	l := simLink{Delay: 10 * time.Millisecond, Loss: 0.10}
	n := newSimnet(t, 13, l, l, nil)
	if !n.a.Info().Features.PartialReliability {
		t.Fatal("PR-SCTP not negotiated")
	}
	w := newWorkload(t, n, 2, 200, func(int) int { return 300 })
	w.reliable = false
	w.opts = func(s uint16) SendOptions {
		if s == 1 {
			return SendOptions{Stream: 1, EOR: true, PRPolicy: PRRtx, PRValue: 0}
		}
		return SendOptions{Stream: 0, EOR: true}
	}
	abandoned := 0
	until := n.now.Add(10 * time.Minute)
	for n.now.Before(until) {
		w.pump()
		for ev, ok := n.a.PollEvent(); ok; ev, ok = n.a.PollEvent() {
			if sf, is := ev.(SendFailed); is {
				if sf.Opts.Stream != 1 || sf.Err != ErrAbandoned {
					t.Fatalf("%v", sf)
				}
				abandoned++
			}
		}
		if len(w.got[0]) == 200 && len(w.got[1])+abandoned == 200 {
			break
		}
		if !n.step(until) {
			break
		}
	}
	if len(w.got[0]) != 200 || len(w.got[1])+abandoned != 200 {
		t.Fatalf("reliable %d/200, unreliable %d + abandoned %d", len(w.got[0]), len(w.got[1]), abandoned)
	}
	if w.lastSeq[0] != 199 || abandoned == 0 {
		t.Fatalf("last reliable %d, abandoned %d", w.lastSeq[0], abandoned)
	}
	t.Logf("unreliable: %d delivered, %d abandoned", len(w.got[1]), abandoned)
}

// TestE2E_ShutdownDeliversEverything: a graceful shutdown right after the
// last Send completes only after every message was delivered (§9.2).
func TestE2E_ShutdownDeliversEverything(t *testing.T) {
	l := simLink{Delay: 10 * time.Millisecond, Loss: 0.05}
	n := newSimnet(t, 17, l, l, nil)
	w := newWorkload(t, n, 2, 100, sizeMix)
	w.window = 1 << 30
	for int(w.nextSeq[0]) < w.count || int(w.nextSeq[1]) < w.count {
		w.pump() // queue everything
	}
	if err := n.a.Shutdown(n.now); err != nil {
		t.Fatal(err)
	}
	if !n.runUntil(10*time.Minute, func() bool { w.pump(); return n.a.State() == Closed && n.b.State() == Closed }) {
		t.Fatalf("A %v B %v", n.a.State(), n.b.State())
	}
	w.pump()
	if !w.done() {
		t.Fatalf("received %d of 200", w.received)
	}
	for ev, ok := n.a.PollEvent(); ok; ev, ok = n.a.PollEvent() {
		if _, bad := ev.(SendFailed); bad {
			t.Fatal(ev)
		}
	}
}

// TestE2E_ExplicitEOR: messages written in pieces arrive whole.
func TestE2E_ExplicitEOR(t *testing.T) {
	l := simLink{Delay: 5 * time.Millisecond, Loss: 0.02}
	n := newSimnet(t, 19, l, l, nil)
	buf := make([]byte, 1<<16)
	for i := 0; i < 20; i++ {
		msg := makeMsg(0, uint32(i), 5000+i*97)
		for off := 0; off < len(msg); off += 700 {
			end := min(off+700, len(msg))
			if err := n.a.Send(n.now, msg[off:end], SendOptions{Stream: 0, EOR: end == len(msg)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := 0
	var cur []byte
	n.runUntil(5*time.Minute, func() bool {
		for {
			k, info, err := n.b.Recv(buf)
			if err != nil {
				break
			}
			cur = append(cur, buf[:k]...)
			if info.EOR {
				if want := makeMsg(0, uint32(got), 5000+got*97); string(cur) != string(want) {
					t.Fatalf("message %d corrupted", got)
				}
				got++
				cur = cur[:0]
			}
		}
		return got == 20
	})
	if got != 20 {
		t.Fatalf("%d messages", got)
	}
}
