package rx

import (
	"errors"
	"strings"
	"testing"

	"github.com/sconnlab/sconn/wire"
)

func TestWindowAccounting(t *testing.T) {
	cases := []struct {
		name     string
		overhead int
		frags    []Fragment
		readN    int // bytes of buffer for one Read after adding
		held     int
		heldRead int // held after the read
	}{
		{"one message", 0, []Fragment{dfrag(1, 0, 0, "BE", "hello")}, 100, 5, 0},
		{"overhead", 10, []Fragment{dfrag(1, 0, 0, "BE", "hello")}, 100, 15, 0},
		// §6.2 C: moving from reassembly to delivery does not free window.
		{"waiting for an earlier ssn", 0, []Fragment{dfrag(2, 0, 1, "BE", "later")}, 100, 5, 5},
		{"partial fragment read keeps it held", 0, []Fragment{dfrag(1, 0, 0, "B", "abcd"), dfrag(2, 0, 0, "E", "efgh")}, 6, 8, 4},
		{"incomplete", 0, []Fragment{dfrag(1, 0, 0, "B", "abcd")}, 100, 4, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := NewReassembly(Config{ReceiveBufferSize: 1000, ChunkOverhead: c.overhead}, false)
			mustAdd(t, r, c.frags...)
			if r.Held() != c.held || r.ARwnd() != uint32(1000-c.held) {
				t.Fatalf("held %d arwnd %d, want %d", r.Held(), r.ARwnd(), c.held)
			}
			r.Read(make([]byte, c.readN))
			if r.Held() != c.heldRead || r.ARwnd() != uint32(1000-c.heldRead) {
				t.Fatalf("after read: held %d arwnd %d, want %d", r.Held(), r.ARwnd(), c.heldRead)
			}
		})
	}
}

func TestWindowNeverNegative(t *testing.T) {
	r := NewReassembly(Config{ReceiveBufferSize: 10, ReassemblyLimit: 100}, false)
	mustAdd(t, r, dfrag(1, 0, 0, "BE", strings.Repeat("x", 30)))
	if r.ARwnd() != 0 || r.Held() != 30 {
		t.Fatalf("arwnd %d held %d", r.ARwnd(), r.Held())
	}
}

func TestReassemblyLimit(t *testing.T) {
	r := NewReassembly(Config{ReceiveBufferSize: 1000, ReassemblyLimit: 2500}, false)
	mustAdd(t, r, dfrag(1, 3, 0, "B", strings.Repeat("x", 1200)), dfrag(2, 3, 0, "", strings.Repeat("x", 1200)))
	f := dfrag(3, 3, 0, "", strings.Repeat("x", 101))
	err := r.Add(&f)
	var le *LimitError
	if !errors.Is(err, ErrReassemblyLimit) || !errors.As(err, &le) {
		t.Fatalf("err %v", err)
	}
	if *le != (LimitError{TSN: 3, Stream: 3, Size: 101, Held: 2400, Limit: 2500}) {
		t.Fatalf("%+v", *le)
	}
	if !strings.Contains(err.Error(), "TSN 3") || !strings.Contains(err.Error(), "limit 2500") {
		t.Fatal(err.Error())
	}
	if r.Held() != 2400 {
		t.Fatal("refused fragment was stored")
	}
	f.Payload = f.Payload[:100]
	mustAdd(t, r, f) // exactly at the limit
	// The default limit: 2 * buffer + 64 KiB.
	if c := (Config{ReceiveBufferSize: 1000}).Normalized(); c.ReassemblyLimit != 2000+64<<10 {
		t.Fatal(c.ReassemblyLimit)
	}
}

func TestConfigNormalized(t *testing.T) {
	c := Config{}.Normalized()
	if c.ReceiveBufferSize != DefaultReceiveBufferSize || c.PartialDeliveryPoint != DefaultReceiveBufferSize/2 ||
		c.SackFreq != 2 || c.DelayedSackTime != DefaultDelayedSackTime || c.MTU != 1200 ||
		c.MaxTSNWindow != 65535 || c.MaxGapBlocks != DefaultMaxGapBlocks || c.MaxDupTSNs != DefaultMaxDupTSNs {
		t.Fatalf("%+v", c)
	}
	c = Config{ReceiveBufferSize: 1000, PartialDeliveryPoint: 800, MaxTSNWindow: 1 << 20, ChunkOverhead: -1}.Normalized()
	if c.PartialDeliveryPoint != 500 || c.MaxTSNWindow != 65535 || c.ChunkOverhead != 0 {
		t.Fatalf("%+v", c)
	}
	if c := (Config{ReceiveBufferSize: 1000, PartialDeliveryPoint: 300}).Normalized(); c.PartialDeliveryPoint != 300 {
		t.Fatal(c.PartialDeliveryPoint)
	}
}

func TestPoolReuse(t *testing.T) {
	var p bufPool
	p.maxRetained = 4096
	a := p.get(1172)
	if cap(a) != 2048 || len(a) != 1172 {
		t.Fatal(cap(a))
	}
	p.put(a)
	if b := p.get(1500); &b[:1][0] != &a[:1][0] {
		t.Fatal("not reused")
	}
	if b := p.get(1); cap(b) != 64 {
		t.Fatal(cap(b))
	}
	if b := p.get(70000); len(b) != 70000 {
		t.Fatal(len(b))
	}
	// Retention is bounded; odd capacities are not pooled.
	p.put(make([]byte, 4096))
	p.put(make([]byte, 2048))
	p.put(make([]byte, 100))
	if p.retained != 4096 {
		t.Fatal(p.retained)
	}
	p.reset()
	if p.retained != 0 {
		t.Fatal("reset")
	}
}

func TestReceiverHandleData(t *testing.T) {
	r := NewReceiver(Config{ReceiveBufferSize: 2000}, 10, 4, false)
	steps := []struct {
		f   Fragment
		v   Verdict
		err error
	}{
		{dfrag(10, 0, 0, "BE", strings.Repeat("a", 1500)), Accepted, nil},
		{dfrag(10, 0, 0, "BE", "dup"), Duplicate, nil},
		{dfrag(80000, 0, 1, "BE", "x"), OutOfWindow, nil},
		{dfrag(11, 7, 0, "BE", "bad stream"), InvalidStream, nil},
		{dfrag(11, 7, 0, "BE", "bad stream"), Duplicate, nil},
		{dfrag(12, 0, 0, "BE", ""), Accepted, ErrNoUserData},
		{dfrag(13, 0, 2, "BE", strings.Repeat("b", 500)), Accepted, nil}, // window now 0
		{dfrag(14, 0, 3, "BE", "probe"), WindowFull, nil},                // §6.2: beyond the highest
		{dfrag(12, 0, 1, "BE", "fills the gap"), Accepted, nil},          // below it: accepted
		{dfrag(80000, 0, 1, "BE", "x"), WindowFull, nil},
	}
	for i, s := range steps {
		v, err := r.HandleData(&s.f)
		if v != s.v || !errors.Is(err, s.err) || (s.err == nil) != (err == nil) {
			t.Fatalf("step %d: %v %v, want %v %v", i, v, err, s.v, s.err)
		}
	}
	r.PacketEnd(t0)
	if !r.Tracker.ShouldSendSackNow() {
		t.Fatal("no SACK due")
	}
	var s wire.Sack
	r.FillSack(&s, make([]wire.GapBlock, 0, 4), make([]uint32, 0, 4))
	if s.CumulativeTSNAck != 13 || s.ARwnd != 0 || len(s.GapBlocks) != 0 || len(s.DupTSNs) != 2 {
		t.Fatalf("%+v", s)
	}
	// Reading reopens the window and makes a window update due.
	buf := make([]byte, 4000)
	if n, _, _ := r.Read(buf); n != 1500 {
		t.Fatal(n)
	}
	if !r.Tracker.ShouldSendSackNow() {
		t.Fatal("no window update")
	}
	ie := ifrag(15, 0, 0, 0, "BE", "x")
	if _, err := r.HandleData(&ie); !errors.Is(err, ErrChunkMismatch) {
		t.Fatal(err)
	}
}

func TestReceiverImmediateAndForward(t *testing.T) {
	r := NewReceiver(Config{}, 1, 4, false)
	f := dfrag(1, 0, 0, "BEI", "x")
	r.HandleData(&f)
	r.PacketEnd(t0)
	if !r.Tracker.ShouldSendSackNow() {
		t.Fatal("I bit ignored")
	}
	var s wire.Sack
	r.FillSack(&s, nil, nil)
	f = dfrag(3, 0, 2, "BE", "z")
	r.HandleData(&f)
	if v := r.HandleForwardTSN(fwdTSN(2, wire.ForwardTSNStream{StreamID: 0, SSN: 1})); v != Accepted {
		t.Fatal(v)
	}
	if r.Tracker.CumulativeTSNAck() != 3 {
		t.Fatal(r.Tracker.CumulativeTSNAck())
	}
	if v := r.HandleForwardTSN(fwdTSN(2)); v != Duplicate {
		t.Fatal(v)
	}
	n, info, ok := r.Read(make([]byte, 10))
	if n != 1 || !ok || info.SSN != 0 {
		t.Fatal(n, info)
	}
	if n, info, _ := r.Read(make([]byte, 10)); n != 1 || info.SSN != 2 {
		t.Fatal(n, info)
	}
	r.Restart(500, 2)
	f = dfrag(500, 1, 0, "BE", "r")
	if v, _ := r.HandleData(&f); v != Accepted || r.Tracker.CumulativeTSNAck() != 500 {
		t.Fatal(v)
	}
	f = dfrag(501, 2, 0, "BE", "r")
	if v, _ := r.HandleData(&f); v != InvalidStream {
		t.Fatal(v)
	}
	r.Abort()
}

func TestReceiverIForwardTSN(t *testing.T) {
	r := NewReceiver(Config{}, 1, 4, true)
	f := ifrag(2, 0, 1, 0, "BE", "one")
	r.HandleData(&f)
	v := r.HandleIForwardTSN(&wire.IForwardTSN{NewCumulativeTSN: 1, Streams: []wire.IForwardTSNStream{{StreamID: 0, MID: 0}}})
	if v != Accepted || r.Tracker.CumulativeTSNAck() != 2 {
		t.Fatal(v, r.Tracker.CumulativeTSNAck())
	}
	if n, info, _ := r.Read(make([]byte, 10)); n != 3 || info.MID != 1 {
		t.Fatal(n, info)
	}
	if v := r.HandleIForwardTSN(&wire.IForwardTSN{NewCumulativeTSN: 1}); v != Duplicate {
		t.Fatal(v)
	}
}

func TestZeroWindowNothingReadable(t *testing.T) {
	// A message partially delivered and read up to a hole, with a complete
	// message of another stream waiting behind it (level 0) filling the
	// window: reading cannot reopen the window, so a chunk beyond the
	// highest TSN is accepted rather than dropped (it may be the one the
	// partial delivery waits for).
	r := NewReceiver(Config{ReceiveBufferSize: 3000, PartialDeliveryPoint: 100}, 1, 4, false)
	steps := []struct {
		f Fragment
		v Verdict
	}{
		{dfrag(1, 0, 0, "B", strings.Repeat("a", 200)), Accepted},
		{dfrag(3, 1, 0, "BE", strings.Repeat("b", 3000)), Accepted},
	}
	for i, s := range steps {
		if v, err := r.HandleData(&s.f); v != s.v || err != nil {
			t.Fatalf("step %d: %v %v", i, v, err)
		}
	}
	if n, _, _ := r.Read(make([]byte, 1000)); n != 200 {
		t.Fatal(n)
	}
	if r.Reassembly.ARwnd() != 0 || r.Reassembly.Readable() {
		t.Fatalf("arwnd %d readable %v", r.Reassembly.ARwnd(), r.Reassembly.Readable())
	}
	f := dfrag(4, 2, 0, "B", "c")
	if v, _ := r.HandleData(&f); v != Accepted {
		t.Fatal(v)
	}
	f = dfrag(2, 0, 0, "E", "d")
	if v, _ := r.HandleData(&f); v != Accepted {
		t.Fatal(v)
	}
	got := readAll(r.Reassembly)
	if len(got) != 2 || got[0].data != "d" || !got[0].info.EOR || got[1].info.Stream != 1 {
		t.Fatalf("got %v", got)
	}
}
