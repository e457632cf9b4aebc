package assoc

import (
	"container/heap"
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// simnet joins two engines by a simulated network on virtual time, in the
// style of dcSCTP's network tests: per direction a bottleneck of a given
// rate with a drop-tail queue, a propagation delay, random jitter (which
// reorders packets), loss and duplication, all from a seeded PRNG.
// Side A connects; side B is an Endpoint's association.
type simnet struct {
	t   testing.TB
	now time.Time
	rng *rand.Rand

	a, b *Association
	bEp  *Endpoint

	dir  [2]simDir // 0: A→B, 1: B→A
	q    deliveryHeap
	seq  uint64
	sent [2]int // packets put on the wire per direction
	lost [2]int
}

// simLink describes one direction.
type simLink struct {
	Delay  time.Duration // propagation delay
	Jitter time.Duration // extra delay, uniform in [0, Jitter): reordering
	Loss   float64       // probability a packet is lost
	Dup    float64       // probability a packet is delivered twice
	Rate   int64         // bottleneck in bits per second; 0: unlimited
	Queue  int           // bottleneck queue in bytes (drop tail); 0: unlimited
}

type simDir struct {
	link      simLink
	busyUntil time.Time // the bottleneck sends its queue until then
}

type simDelivery struct {
	at  time.Time
	seq uint64
	toB bool
	b   []byte
}

type deliveryHeap []simDelivery

func (h deliveryHeap) Len() int { return len(h) }
func (h deliveryHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h deliveryHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *deliveryHeap) Push(x any)   { *h = append(*h, x.(simDelivery)) }
func (h *deliveryHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// newSimnet connects two engines over links ab (A→B) and ba (B→A) and runs
// the handshake.
func newSimnet(t testing.TB, seed uint64, ab, ba simLink, mod func(*Config)) *simnet {
	n := &simnet{t: t, now: t0, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	n.dir[0].link, n.dir[1].link = ab, ba
	cfgA := testConfig(mod)
	cfgB := testConfig(mod)
	cfgB.LocalPort, cfgB.PeerPort = zPort, aPort
	n.a = New(cfgA, NewSeededRand(seed+1))
	n.bEp = NewEndpoint(cfgB, NewSeededRand(seed+2), t0)
	if err := n.a.Connect(n.now); err != nil {
		t.Fatal(err)
	}
	if !n.runUntil(time.Minute, func() bool { return n.b != nil && n.a.State() == Established && n.b.State() == Established }) {
		t.Fatalf("handshake did not complete: A %v", n.a.State())
	}
	expectEvent[CommUp](t, n.a)
	expectEvent[CommUp](t, n.b)
	return n
}

// flush moves every packet the engines want to send onto the network.
func (n *simnet) flush() {
	for d, a := range []*Association{n.a, n.b} {
		if a == nil {
			continue
		}
		for {
			b := a.Poll(n.now, make([]byte, 0, 1500))
			if b == nil {
				break
			}
			n.put(d, b)
		}
	}
}

// put sends a packet through direction d: loss, the bottleneck queue,
// propagation, jitter, duplication.
func (n *simnet) put(d int, b []byte) {
	n.sent[d]++
	dir := &n.dir[d]
	l := dir.link
	if l.Loss > 0 && n.rng.Float64() < l.Loss {
		n.lost[d]++
		return
	}
	depart := n.now
	if l.Rate > 0 {
		if dir.busyUntil.After(depart) {
			if l.Queue > 0 && int64(dir.busyUntil.Sub(depart))*l.Rate/8/int64(time.Second) > int64(l.Queue) {
				n.lost[d]++ // drop tail
				return
			}
			depart = dir.busyUntil
		}
		depart = depart.Add(time.Duration(int64(len(b)) * 8 * int64(time.Second) / l.Rate))
		dir.busyUntil = depart
	}
	copies := 1
	if l.Dup > 0 && n.rng.Float64() < l.Dup {
		copies = 2
	}
	for i := 0; i < copies; i++ {
		at := depart.Add(l.Delay)
		if l.Jitter > 0 {
			at = at.Add(time.Duration(n.rng.Int64N(int64(l.Jitter))))
		}
		n.seq++
		heap.Push(&n.q, simDelivery{at: at, seq: n.seq, toB: d == 0, b: b})
	}
}

// step runs the earliest delivery or timer no later than until.
func (n *simnet) step(until time.Time) bool {
	n.flush()
	var next time.Time
	pick := len(n.q) > 0
	if pick {
		next = n.q[0].at
	}
	for _, a := range []*Association{n.a, n.b} {
		if a == nil {
			continue
		}
		if dl := a.NextDeadline(); !dl.IsZero() && (next.IsZero() || dl.Before(next)) {
			next, pick = dl, false
		}
	}
	if next.IsZero() || next.After(until) {
		return false
	}
	if next.After(n.now) {
		n.now = next
	}
	if pick {
		d := heap.Pop(&n.q).(simDelivery)
		n.deliver(d)
	} else {
		for _, a := range []*Association{n.a, n.b} {
			if a != nil {
				a.HandleTimeout(n.now)
			}
		}
	}
	n.flush()
	return true
}

func (n *simnet) deliver(d simDelivery) {
	p, err := wire.ParsePacket(d.b)
	if err != nil {
		n.t.Fatal(err)
	}
	if !d.toB {
		if n.a.State() != Closed {
			n.a.HandlePacket(n.now, p)
		}
		return
	}
	if n.b != nil && n.b.State() != Closed {
		n.b.HandlePacket(n.now, p)
		return
	}
	reply, b, _ := n.bEp.HandlePacket(n.now, p, nil)
	if b != nil {
		n.b = b
	}
	if reply != nil {
		n.put(1, reply)
	}
}

// runUntil steps until cond holds, or returns false when nothing is due
// within max.
func (n *simnet) runUntil(max time.Duration, cond func() bool) bool {
	until := n.now.Add(max)
	for !cond() {
		if !n.step(until) {
			return false
		}
	}
	return true
}

// ---- a workload: messages numbered per stream, checked on arrival ----

// msgHeader is the stream and a per-stream sequence number at the start of
// every test message.
const msgHeader = 6

func makeMsg(stream uint16, seq uint32, size int) []byte {
	b := make([]byte, max(size, msgHeader))
	binary.BigEndian.PutUint16(b, stream)
	binary.BigEndian.PutUint32(b[2:], seq)
	for i := msgHeader; i < len(b); i++ {
		b[i] = byte(seq) + byte(i)
	}
	return b
}

// workload sends count messages per stream from A to B, keeping at most
// window bytes buffered, and reads and checks them at B: every reliable
// message exactly once, ordered ones in order within their stream,
// contents intact.
type workload struct {
	t        testing.TB
	n        *simnet
	streams  int
	count    int
	size     func(i int) int
	opts     func(stream uint16) SendOptions
	window   int
	reliable bool // every message must arrive (no PR policy)
	nextSeq  []uint32
	got      []map[uint32]bool
	lastSeq  []int64
	received int
	bytes    int64
	buf      []byte
	partial  []byte
}

func newWorkload(t testing.TB, n *simnet, streams, count int, size func(int) int) *workload {
	w := &workload{t: t, n: n, streams: streams, count: count, size: size, window: 256 << 10, reliable: true,
		nextSeq: make([]uint32, streams), lastSeq: make([]int64, streams), buf: make([]byte, 300<<10),
		opts: func(s uint16) SendOptions { return SendOptions{Stream: s, PPID: 53, EOR: true} }}
	for i := range w.lastSeq {
		w.lastSeq[i] = -1
	}
	w.got = make([]map[uint32]bool, streams)
	for i := range w.got {
		w.got[i] = map[uint32]bool{}
	}
	return w
}

// pump sends what the window allows and reads what arrived.
func (w *workload) pump() {
	a := w.n.a
	for s := 0; s < w.streams && a.State() == Established; s++ {
		for int(w.nextSeq[s]) < w.count && a.BufferedAmount() < w.window {
			seq := w.nextSeq[s]
			err := a.Send(w.n.now, makeMsg(uint16(s), seq, w.size(int(seq))), w.opts(uint16(s)))
			if err != nil {
				w.t.Fatalf("Send: %v", err)
			}
			w.nextSeq[s]++
			if s+1 < w.streams {
				break // interleave the streams
			}
		}
	}
	for {
		nr, info, err := w.n.b.Recv(w.buf)
		if err != nil {
			return
		}
		w.partial = append(w.partial, w.buf[:nr]...)
		if !info.EOR {
			continue
		}
		w.check(w.partial, info)
		w.partial = w.partial[:0]
	}
}

func (w *workload) check(m []byte, info RecvInfo) {
	stream := binary.BigEndian.Uint16(m)
	seq := binary.BigEndian.Uint32(m[2:])
	if stream != info.Stream || int(stream) >= w.streams {
		w.t.Fatalf("message of stream %d delivered on stream %d", stream, info.Stream)
	}
	if want := w.size(int(seq)); len(m) != max(want, msgHeader) {
		w.t.Fatalf("stream %d message %d: %d bytes, want %d", stream, seq, len(m), want)
	}
	for i := msgHeader; i < len(m); i++ {
		if m[i] != byte(seq)+byte(i) {
			w.t.Fatalf("stream %d message %d: byte %d corrupted", stream, seq, i)
		}
	}
	if w.got[stream][seq] {
		w.t.Fatalf("stream %d message %d delivered twice", stream, seq)
	}
	w.got[stream][seq] = true
	if !info.Unordered {
		if int64(seq) <= w.lastSeq[stream] || (w.reliable && int64(seq) != w.lastSeq[stream]+1) {
			w.t.Fatalf("stream %d: message %d after %d", stream, seq, w.lastSeq[stream])
		}
		w.lastSeq[stream] = int64(seq)
	}
	w.received++
	w.bytes += int64(len(m))
}

// done reports that every message arrived.
func (w *workload) done() bool { return w.received == w.streams*w.count }

// run pumps the workload until done or max virtual time passed.
func (w *workload) run(max time.Duration) bool {
	until := w.n.now.Add(max)
	for !w.done() {
		w.pump()
		if w.done() {
			break
		}
		if !w.n.step(until) {
			return false
		}
	}
	return true
}
