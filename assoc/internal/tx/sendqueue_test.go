package tx

import (
	"errors"
	"testing"
	"time"
)

// RFC 9260 §6.9: a message larger than a packet is cut into chunks of the
// largest size (MTU 1200 - 12 - 16 = 1172 bytes of user data), B on the
// first, E on the last, consecutive TSNs, one SSN.
func TestFragmentation_DATA(t *testing.T) {
	f := newFx(t, bigCwnd)
	expectInt(t, "MaxPayload", f.s.MaxPayload(), 1172)
	f.add(3000, eor(1))
	expectChunks(t, chunks(f.drain(nd)),
		"1000 s1 n0 B 1172",
		"1001 s1 n0  1172",
		"1002 s1 n0 E 656")
}

// RFC 8260 §2.1, §2.2.2: I-DATA fragments carry the MID and an FSN from 0;
// the header is 20 bytes, so 1168 bytes fit.
func TestFragmentation_IDATA(t *testing.T) {
	f := newFx(t, bigCwnd, idata)
	expectInt(t, "MaxPayload", f.s.MaxPayload(), 1168)
	f.add(2500, eor(3))
	f.add(10, eor(3))
	expectChunks(t, chunks(f.drain(nd)),
		"1000 s3 m0 f0 B 1168",
		"1001 s3 m0 f1  1168",
		"1002 s3 m0 f2 E 164",
		"1003 s3 m1 f0 BE 10")
}

// Small messages are bundled, as many as fit: 10 chunks of 16+100 bytes
// in 1188 bytes (RFC 9260 §6.10).
func TestBundlingSmallMessages(t *testing.T) {
	f := newFx(t, bigCwnd)
	for i := 0; i < 25; i++ {
		f.add(100, eor(0))
	}
	pkts := f.drain(nd)
	if len(pkts) != 3 || len(pkts[0]) != 10 || len(pkts[1]) != 10 || len(pkts[2]) != 5 {
		t.Fatalf("packets of %d, %d, %d chunks", len(pkts[0]), len(pkts[1]), len(pkts[2]))
	}
	for i, c := range pkts[2] {
		if c.ssn != uint16(20+i) || c.tsn != uint32(1020+i) || c.flags != "BE" {
			t.Fatalf("chunk %v", c)
		}
	}
}

// A message that has to be fragmented anyway fills the room left in a
// packet; one that fits a packet whole waits for the next packet.
func TestFragmentFillsPacketRoom(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.add(500, eor(0))
	f.add(1000, eor(0)) // fits a packet whole: not split
	f.add(2000, eor(0)) // split anyway
	expectChunks(t, chunks(f.drain(nd)),
		"1000 s0 n0 BE 500",
		"1001 s0 n1 BE 1000",
		"1002 s0 n2 B 156", // 1188 - 16 - 1016 = 156 bytes of room
		"1003 s0 n2  1172",
		"1004 s0 n2 E 672")
}

// RFC 9260 §6.5, §6.6: SSNs count per stream from 0 for ordered messages;
// unordered messages carry SSN 0 and do not use one.
func TestSSNPerStream(t *testing.T) {
	f := newFx(t, bigCwnd, fcfs)
	f.add(10, eor(1))
	f.add(10, eor(2))
	f.add(10, unord(1))
	f.add(10, eor(1))
	f.add(10, eor(2))
	expectChunks(t, chunks(f.drain(nd)),
		"1000 s1 n0 BE 10",
		"1001 s2 n0 BE 10",
		"1002 s1 n0 BEU 10",
		"1003 s1 n1 BE 10",
		"1004 s2 n1 BE 10")
	if f.s.Queue.NextSSN(1) != 2 || f.s.Queue.NextSSN(2) != 2 || f.s.Queue.NextSSN(9) != 0 {
		t.Fatal("NextSSN")
	}
}

// I-DATA: ordered and unordered messages of a stream have MIDs of their
// own (RFC 8260 §2.1).
func TestMIDPerStreamAndOrdering(t *testing.T) {
	f := newFx(t, bigCwnd, idata)
	f.add(10, eor(1))
	f.add(10, unord(1))
	f.add(10, unord(1))
	f.add(10, eor(1))
	expectChunks(t, chunks(f.drain(nd)),
		"1000 s1 m0 f0 BE 10",
		"1001 s1 m0 f0 BEU 10",
		"1002 s1 m1 f0 BEU 10",
		"1003 s1 m1 f0 BE 10")
}

// SSNs wrap at 2^16 (RFC 9260 §3.3.1).
func TestSSNWraps(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.s.Queue.stream(4).nextSSN = 0xFFFF
	f.add(10, eor(4))
	f.add(10, eor(4))
	expectChunks(t, chunks(f.drain(nd)), "1000 s4 n65535 BE 10", "1001 s4 n0 BE 10")
}

// RFC 8260 §3.2: without interleaving, round robin by message: a stream
// with a backlog does not hold back the others; a fragmented DATA
// message keeps its TSNs consecutive.
func TestRoundRobinByMessage(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.add(2000, eor(1))
	f.add(10, eor(1))
	f.add(10, eor(1))
	f.add(10, eor(2))
	f.add(10, eor(2))
	f.add(10, eor(3))
	expectChunks(t, chunks(f.drain(nd)),
		"1000 s1 n0 B 1172",
		"1001 s1 n0 E 828",
		"1002 s2 n0 BE 10",
		"1003 s3 n0 BE 10",
		"1004 s1 n1 BE 10",
		"1005 s2 n1 BE 10",
		"1006 s1 n2 BE 10")
}

// RFC 8260 §3.2: with interleaving, round robin by I-DATA chunk: a large
// message does not block a small one on another stream.
func TestRoundRobinByChunkWithIDATA(t *testing.T) {
	f := newFx(t, bigCwnd, idata)
	f.add(3000, eor(1))
	f.add(2000, eor(2))
	f.add(10, eor(3))
	expectChunks(t, chunks(f.drain(nd)),
		"1000 s1 m0 f0 B 1168",
		"1001 s2 m0 f0 B 1168",
		"1002 s3 m0 f0 BE 10",
		"1003 s1 m0 f1  1136", // fills the packet after s3's chunk
		"1004 s2 m0 f1 E 832",
		"1005 s1 m0 f2 E 696")
}

// RFC 8260 §3.1: first come, first served, across streams.
func TestFCFS(t *testing.T) {
	f := newFx(t, bigCwnd, fcfs)
	f.add(10, eor(1))
	f.add(10, eor(1))
	f.add(10, eor(2))
	f.add(10, eor(1))
	expectChunks(t, chunks(f.drain(nd)),
		"1000 s1 n0 BE 10", "1001 s1 n1 BE 10", "1002 s2 n0 BE 10", "1003 s1 n2 BE 10")
}

// Explicit EOR: a message written in several calls goes out a full chunk
// at a time while it grows, and its rest once the EOR arrives.
func TestExplicitEOR(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.add(500, partial(1))
	if p := f.packet(nd); p != nil {
		t.Fatalf("an incomplete message smaller than a chunk was sent: %v", p)
	}
	f.add(1000, partial(1))
	expectChunks(t, chunks(f.drain(nd)), "1000 s1 n0 B 1172")
	expectInt(t, "Buffered", f.s.Queue.Buffered(), 1500)
	f.add(100, eor(1))
	f.add(10, eor(1))
	expectChunks(t, chunks(f.drain(nd)), "1001 s1 n0 E 428", "1002 s1 n1 BE 10")
}

// DATA: while a message is being fragmented and waits for more data, its
// TSNs must stay consecutive, so no other stream sends (§6.9); I-DATA has
// no such constraint (RFC 8260 §2.2.2).
func TestExplicitEORLocksOnlyWithDATA(t *testing.T) {
	for _, id := range []bool{false, true} {
		opts := []fxOpt{bigCwnd}
		if id {
			opts = append(opts, idata)
		}
		f := newFx(t, opts...)
		f.add(1500, partial(1))
		f.drain(nd)
		f.add(10, eor(2))
		got := len(chunks(f.drain(nd)))
		if id && got != 1 || !id && got != 0 {
			t.Fatalf("I-DATA %v: stream 2 sent %d chunks", id, got)
		}
	}
}

// The explicit-EOR buffer grows while the first fragment is in flight;
// the fragment still refers to the bytes it was cut from.
func TestExplicitEORGrowthKeepsSentFragment(t *testing.T) {
	f := newFx(t, bigCwnd)
	data := make([]byte, 1200)
	for i := range data {
		data[i] = byte(i)
	}
	if err := f.s.Queue.Add(f.now, data, partial(1)); err != nil {
		t.Fatal(err)
	}
	f.drain(nd)
	more := make([]byte, 5000)
	if err := f.s.Queue.Add(f.now, more, eor(1)); err != nil {
		t.Fatal(err)
	}
	e := f.s.Out.at(1000)
	for i, b := range e.data {
		if b != byte(i) {
			t.Fatalf("fragment byte %d changed", i)
		}
	}
	if len(e.msg.retired) != 1 {
		t.Fatal("the old buffer was not retired")
	}
	f.drain(nd)
	f.sack(1005)
	expectInt(t, "Buffered", f.s.Queue.Buffered(), 0)
}

func TestEmptyMessage(t *testing.T) {
	f := newFx(t)
	if err := f.s.Queue.Add(f.now, nil, eor(0)); !errors.Is(err, ErrEmptyMessage) {
		t.Fatalf("got %v", err)
	}
	// An empty EOR call closes an open message.
	f.add(10, partial(0))
	if err := f.s.Queue.Add(f.now, nil, eor(0)); err != nil {
		t.Fatal(err)
	}
	expectChunks(t, chunks(f.drain(nd)), "1000 s0 n0 BE 10")
}

// The send buffer limit rejects a message that does not fit, queueing
// nothing; the space signal fires once the free space reaches the refused
// size (or the threshold).
func TestSendBufferLimitAndSpaceSignal(t *testing.T) {
	f := newFx(t, bufSize(3000), bigCwnd)
	f.add(2000, eor(1))
	if err := f.s.Queue.Add(f.now, msg(2, 1500), eor(2)); !errors.Is(err, ErrBufferFull) {
		t.Fatalf("got %v", err)
	}
	expectInt(t, "Buffered", f.s.Queue.Buffered(), 2000)
	expectInt(t, "StreamBuffered(2)", f.s.Queue.StreamBuffered(2), 0)
	f.drain(nd)
	if _, ok := f.s.Queue.PopSpaceSignal(); ok {
		t.Fatal("signal before any acknowledgement")
	}
	// Gap-acked data stays buffered (renegable); cum-acked data leaves.
	f.sack(999, [2]uint32{1001, 1001})
	expectInt(t, "Buffered after gap ack", f.s.Queue.Buffered(), 2000)
	f.sack(1000)
	expectInt(t, "Buffered", f.s.Queue.Buffered(), 828)
	free, ok := f.s.Queue.PopSpaceSignal()
	if !ok || free != 2172 {
		t.Fatalf("signal %v free %d", ok, free)
	}
	if _, ok := f.s.Queue.PopSpaceSignal(); ok {
		t.Fatal("signal twice")
	}
	f.add(1500, eor(2))
	expectInt(t, "StreamBuffered(2)", f.s.Queue.StreamBuffered(2), 1500)
	expectInt(t, "StreamBuffered(1)", f.s.Queue.StreamBuffered(1), 828)
}

// usrsctp sb_threshold: the signal fires when the free space rises to the
// threshold.
func TestSendThreshold(t *testing.T) {
	f := newFx(t, bufSize(10000), bigCwnd)
	f.s.Queue.SetThreshold(5000)
	for i := 0; i < 8; i++ {
		f.add(1000, eor(0))
	}
	f.drain(nd)
	f.sack(1001) // free 4000
	if _, ok := f.s.Queue.PopSpaceSignal(); ok {
		t.Fatal("signal below the threshold")
	}
	f.sack(1002) // free 5000
	if free, ok := f.s.Queue.PopSpaceSignal(); !ok || free != 5000 {
		t.Fatalf("signal %v free %d", ok, free)
	}
}

// RFC 3758 §4.1 / RFC 9260 §11.1.5: a message whose lifetime expires before
// it is sent is dropped without using a TSN or SSN, even without PR-SCTP.
func TestLifetimeExpiresUnsent(t *testing.T) {
	f := newFx(t, noPR)
	f.add(100, withPR(eor(0), PRTTL, 50))
	f.add(100, eor(0))
	f.advance(50 * time.Millisecond)
	f.add(100, withPR(eor(1), PRTTL, 0)) // expires 1 ms later
	f.advance(time.Millisecond)
	f.add(100, withPR(eor(2), PRTTL, 0)) // sent at once: not expired
	expectChunks(t, chunks(f.drain(nd)), "1000 s0 n0 BE 100", "1001 s2 n0 BE 100")
	fm, ok := f.s.PopFailed()
	if !ok || fm.Sent || len(fm.Data) != 100 || fm.Opts.Policy != PRTTL || fm.Opts.Stream != 0 {
		t.Fatalf("failed %+v %v", fm, ok)
	}
	fm, ok = f.s.PopFailed()
	if !ok || fm.Opts.Stream != 1 {
		t.Fatalf("failed %+v %v", fm, ok)
	}
	if _, ok := f.s.PopFailed(); ok {
		t.Fatal("a third failed message")
	}
	expectInt(t, "Buffered", f.s.Queue.Buffered(), 200)
}

// Messages are copied: the caller may reuse its buffer at once.
func TestAddCopies(t *testing.T) {
	f := newFx(t)
	b := []byte("hello")
	if err := f.s.Queue.Add(f.now, b, eor(0)); err != nil {
		t.Fatal(err)
	}
	copy(b, "XXXXX")
	var c Chunk
	c, _ = f.s.Queue.produce(f.now, 1000, 1000)
	if string(c.Data) != "hello" {
		t.Fatalf("data %q", c.Data)
	}
}

// Buffers go back to the pool and are reused; the pool keeps what the
// SACKs freed, up to twice the most bytes buffered before a SACK in the
// last poolWindow, and shrinks with the load once that peak is older.
func TestPoolReuseAndTrim(t *testing.T) {
	f := newFx(t, bigCwnd)
	for i := 0; i < 15; i++ {
		f.add(60000, eor(0))
	}
	f.drain(nd)
	f.sack(f.s.Out.NextTSN() - 1)
	if !f.s.Dry() || f.s.pool.retained != 15*65536 {
		t.Fatalf("dry %v, pool keeps %d bytes", f.s.Dry(), f.s.pool.retained)
	}
	f.add(60000, eor(0)) // from the pool
	if f.s.pool.retained != 14*65536 {
		t.Fatalf("pool keeps %d bytes", f.s.pool.retained)
	}
	f.drain(nd)
	f.sack(f.s.Out.NextTSN() - 1)
	f.add(100, eor(0))
	f.drain(nd)
	f.sack(f.s.Out.NextTSN() - 1) // 100 bytes buffered, within poolWindow of the peak
	if f.s.pool.retained != 15*65536+128 {
		t.Fatalf("pool keeps %d bytes after a small SACK within the window", f.s.pool.retained)
	}
	f.add(100, eor(0))
	f.drain(nd)
	f.now = f.now.Add(poolWindow + time.Millisecond)
	f.sack(f.s.Out.NextTSN() - 1) // 100 bytes buffered, the peak is old
	if f.s.pool.retained > minRetain || f.s.pool.retained == 0 {
		t.Fatalf("pool keeps %d bytes after a small SACK", f.s.pool.retained)
	}
}

// Message records are recycled up to one per 128 bytes the pool may keep
// (at least maxFreeMsgs), so a burst of small messages reuses them; the
// extra ones go once the burst's peak is older than poolWindow.
func TestMessageRecordsFollowThePool(t *testing.T) {
	f := newFx(t, bigCwnd)
	const n = 3000
	for i := 0; i < n; i++ {
		f.add(100, eor(0))
	}
	f.drain(nd)
	f.sack(f.s.Out.NextTSN() - 1)
	if f.s.nFree != n {
		t.Fatalf("%d records kept after a burst of %d messages (bound %d)", f.s.nFree, n, f.s.maxFree())
	}
	f.add(100, eor(0))
	if f.s.nFree != n-1 {
		t.Fatalf("%d records: the new message did not reuse one", f.s.nFree)
	}
	f.drain(nd)
	f.now = f.now.Add(poolWindow + time.Millisecond)
	f.sack(f.s.Out.NextTSN() - 1)
	if f.s.nFree != maxFreeMsgs {
		t.Fatalf("%d records kept after the peak aged, want %d", f.s.nFree, maxFreeMsgs)
	}
}
