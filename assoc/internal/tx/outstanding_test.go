package tx

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/internal/serial"
)

func (f *fx) sendN(n, size int, o MessageOptions) {
	f.t.Helper()
	for i := 0; i < n; i++ {
		f.add(size, o)
	}
	f.drain(nd)
}

func (f *fx) expectState(tsn uint32, st chunkState) {
	f.t.Helper()
	if got := f.s.Out.at(serial.TSN(tsn)).state; got != st {
		f.t.Fatalf("TSN %d in state %d, want %d", tsn, got, st)
	}
}

func (f *fx) expectFlight(flight, data int, rwnd uint32) {
	f.t.Helper()
	o := &f.s.Out
	if o.Flight() != flight || o.UnackedData() != data || o.PeerRwnd() != rwnd {
		f.t.Fatalf("flight/data/rwnd = %d/%d/%d, want %d/%d/%d", o.Flight(), o.UnackedData(), o.PeerRwnd(), flight, data, rwnd)
	}
}

// RFC 9260 §6.2.1: the cumulative TSN ack releases chunks; rwnd becomes
// a_rwnd minus the data still in flight (D ii); sending subtracts (B).
func TestRFC9260_6_2_1_CumulativeAck(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.sendN(5, 100, eor(0))
	f.expectFlight(580, 500, 1<<20-500)
	r := f.s.Out.HandleSack(f.now, sack(1001, 10000))
	if !r.CumAdvanced || r.CumTSN != 1001 || r.AckedBytes != 232 || r.Ignored || r.FastRetransmit {
		t.Fatalf("%+v", r)
	}
	f.expectFlight(348, 300, 10000-300)
	expectInt(t, "Outstanding", f.s.Out.Outstanding(), 3)
	expectInt(t, "Buffered", f.s.Queue.Buffered(), 300)
	expectInt(t, "CumAck", int(f.s.Out.CumAck()), 1001)
}

// §6.2.1 D i: a SACK whose cumulative TSN ack is below the point is out
// of order and dropped.
func TestRFC9260_6_2_1_Di_OldSackIgnored(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.sendN(5, 100, eor(0))
	f.sack(1002)
	r := f.s.Out.HandleSack(f.now, sack(1001, 0, [2]uint32{1003, 1004}))
	if !r.Ignored {
		t.Fatal("old SACK processed")
	}
	f.expectFlight(232, 200, 1<<20-200)
}

// Gap Ack Blocks acknowledge chunks, which stay held until the cumulative
// ack passes them (they are renegable).
func TestRFC9260_6_2_1_GapBlocks(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.sendN(6, 100, eor(0))
	r := f.sack(1000, [2]uint32{1002, 1003}, [2]uint32{1005, 1005})
	if r.AckedBytes != 4*116 || !r.CumAdvanced {
		t.Fatalf("%+v", r)
	}
	f.expectState(1001, inFlight)
	f.expectState(1002, gapAcked)
	f.expectState(1005, gapAcked)
	f.expectFlight(232, 200, 1<<20-200) // 1001 and 1004
	expectInt(t, "Outstanding", f.s.Out.Outstanding(), 5)
	r = f.sack(1005)
	if r.AckedBytes != 232 { // 1001 and 1004 only
		t.Fatalf("cum ack over gap-acked chunks counted %d bytes", r.AckedBytes)
	}
	expectInt(t, "Outstanding", f.s.Out.Outstanding(), 0)
	if !f.s.Dry() {
		t.Fatal("not dry")
	}
}

// §6.2.1 D iii, §6.3.2 R4: a chunk gap-acked before and missing now was
// reneged: it is in flight again with a miss indication.
func TestRFC9260_6_2_1_Diii_Renege(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.sendN(6, 100, eor(0))
	f.sack(999, [2]uint32{1001, 1003})
	f.expectFlight(348, 300, 1<<20-300)
	r := f.sack(999, [2]uint32{1001, 1001}, [2]uint32{1004, 1004})
	if !r.Reneged {
		t.Fatal("renege not reported")
	}
	f.expectState(1002, inFlight)
	f.expectState(1003, inFlight)
	f.expectState(1004, gapAcked)
	f.expectFlight(464, 400, 1<<20-400) // 1000, 1002, 1003, 1005
	if f.s.Out.at(1002).nacks != 1 {
		t.Fatal("no miss indication for the reneged chunk")
	}
	// Reneged beyond every block: the cumulative ack moved, the blocks
	// are gone.
	f.sack(999, [2]uint32{1001, 1005})
	if r := f.sack(1000); !r.Reneged {
		t.Fatal("renege beyond the last block not seen")
	}
	f.expectState(1005, inFlight)
}

// SACKs can arrive out of order (§6.2.1): an older SACK with the same
// cumulative ack and fewer blocks is not a renege.
func TestRFC9260_6_2_1_ReorderedSackIsNotRenege(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.sendN(5, 100, eor(0))
	f.sack(999, [2]uint32{1001, 1003})
	if r := f.sack(999, [2]uint32{1001, 1001}); r.Reneged {
		t.Fatal("an older SACK taken for a renege")
	}
	f.expectState(1003, gapAcked)
	f.expectFlight(232, 200, 1<<20-200)
}

// §7.2.4: three miss indications trigger a fast retransmit: the chunk is
// sent again at once, ignoring cwnd, cwnd and ssthresh follow §7.2.3, and
// Fast Recovery runs up to the highest outstanding TSN.
func TestRFC9260_7_2_4_FastRetransmit(t *testing.T) {
	f := newFx(t)
	f.sendN(4, 1172, eor(0)) // cwnd 4404: 4 full chunks, flight 4752
	f.add(100, eor(0))
	for i, blk := range [][2]uint32{{1001, 1001}, {1001, 1002}, {1001, 1003}} {
		r := f.sack(999, blk)
		if want := i == 2; r.FastRetransmit != want {
			t.Fatalf("SACK %d: fast retransmit %v", i+1, r.FastRetransmit)
		}
		if n := f.s.Out.at(1000).nacks; i < 2 && int(n) != i+1 {
			t.Fatalf("SACK %d: %d miss indications", i+1, n)
		}
	}
	// The first SACK saw flight 4752 >= cwnd 4404 and grew cwnd to 5592
	// (§7.2.1); the others saw less than cwnd in flight. Then the loss
	// (§7.2.3): max(5592/2, 4·1188).
	f.expectCC(4752, 4752, 0)
	if !f.s.Out.InFastRecovery() {
		t.Fatal("not in Fast Recovery")
	}
	f.expectFlight(0, 0, 1<<20)
	// The retransmission goes first, even though flight (0) allows it
	// anyway; then new data as cwnd allows.
	expectChunks(t, chunks(f.drain(nd)), "1000 s0 n0 BE 1172", "1004 s0 n4 BE 100")
	// Fast Recovery ends when the exit point (1003) is acknowledged.
	f.sack(1002)
	if !f.s.Out.InFastRecovery() {
		t.Fatal("left Fast Recovery early")
	}
	f.sack(1003)
	if f.s.Out.InFastRecovery() {
		t.Fatal("still in Fast Recovery")
	}
}

// §7.2.4: miss indications only for TSNs below the highest TSN newly
// acknowledged (HTNA); a SACK that acknowledges nothing new adds none.
func TestRFC9260_7_2_4_HTNA(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.sendN(8, 100, eor(0))
	nacks := func() (n [8]uint8) {
		for i := range n {
			if e := f.s.Out.at(serial.TSN(1000 + i)); e.state == inFlight {
				n[i] = e.nacks
			}
		}
		return
	}
	f.sack(999, [2]uint32{1002, 1002})
	if got := nacks(); got != [8]uint8{1, 1, 0, 0, 0, 0, 0, 0} {
		t.Fatalf("after SACK 1: %v", got)
	}
	f.sack(999, [2]uint32{1002, 1002}, [2]uint32{1004, 1004})
	if got := nacks(); got != [8]uint8{2, 2, 0, 1, 0, 0, 0, 0} {
		t.Fatalf("after SACK 2: %v", got)
	}
	f.sack(999, [2]uint32{1002, 1002}, [2]uint32{1004, 1004}) // nothing new
	if got := nacks(); got != [8]uint8{2, 2, 0, 1, 0, 0, 0, 0} {
		t.Fatalf("after SACK 3: %v", got)
	}
	r := f.sack(999, [2]uint32{1002, 1002}, [2]uint32{1004, 1005})
	if !r.FastRetransmit || f.s.Out.ToRetransmit() != 2 {
		t.Fatalf("fast retransmit %v, %d marked", r.FastRetransmit, f.s.Out.ToRetransmit())
	}
	if got := nacks(); got != [8]uint8{0, 0, 0, 2, 0, 0, 0, 0} {
		t.Fatalf("after SACK 4: %v", got)
	}
	expectChunks(t, chunks(f.drain(nd)), "1000 s0 n0 BE 100", "1001 s0 n1 BE 100")
}

// §7.2.4 5, 6: in Fast Recovery a new fast retransmit does not cut cwnd
// again, and a chunk fast retransmitted once is not fast retransmitted
// again (T3-rtx recovers it).
func TestRFC9260_7_2_4_FastRecoveryNoSecondCut(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.cc.cwnd = 20000
	f.sendN(12, 100, eor(0))
	for _, hi := range []uint32{1001, 1002, 1003} {
		f.sack(999, [2]uint32{1001, hi})
	}
	f.expectCC(10000, 10000, 0)
	expectChunks(t, chunks(f.drain(nd)), "1000 s0 n0 BE 100")
	// 1004 is lost too: three more SACKs (the cum ack advances in Fast
	// Recovery, so every reported gap counts).
	for _, hi := range []uint32{1005, 1006, 1007} {
		r := f.sack(1003, [2]uint32{1005, hi})
		if hi == 1007 && !r.FastRetransmit {
			t.Fatal("no fast retransmit of 1004")
		}
	}
	f.expectCC(10000, 10000, 0)
	expectChunks(t, chunks(f.drain(nd)), "1004 s0 n4 BE 100")
	for _, hi := range []uint32{1008, 1009, 1010, 1011} {
		if r := f.sack(1003, [2]uint32{1005, hi}); r.FastRetransmit {
			t.Fatal("1004 fast retransmitted twice")
		}
	}
	if f.s.Out.at(1004).nacks < 3 || f.s.Out.ToRetransmit() != 0 {
		t.Fatal("1004 should be counted but not marked")
	}
}

// §6.3.3: T3-rtx expiry marks every chunk in flight for retransmission;
// cwnd = PMDCS and ssthresh = max(cwnd/2, 4·PMDCS) (§7.2.3); one packet
// goes out, more as SACKs open cwnd; rwnd gets the data back (§6.2.1 C).
func TestRFC9260_6_3_3_T3Expiry(t *testing.T) {
	f := newFx(t)
	f.sendN(4, 1172, eor(0))
	f.expectFlight(4752, 4688, 1<<20-4688)
	f.s.Out.HandleT3Expiry(f.now)
	f.expectCC(1188, 4752, 0)
	f.expectFlight(0, 0, 1<<20)
	expectInt(t, "ToRetransmit", f.s.Out.ToRetransmit(), 4)
	expectChunks(t, chunks(f.drain(nd)), "1000 s0 n0 BE 1172")
	f.sack(1000)
	f.expectCC(2376, 4752, 0) // slow start: +1188
	expectChunks(t, chunks(f.drain(nd)), "1001 s0 n1 BE 1172", "1002 s0 n2 BE 1172")
	// Retransmissions come before new data (§6.1 C).
	f.add(100, eor(0))
	f.sack(1002)
	expectChunks(t, chunks(f.drain(nd)), "1003 s0 n3 BE 1172", "1004 s0 n4 BE 100")
}

// §6.3.1 C5 (Karn): RTT samples only from chunks sent once.
func TestRFC9260_6_3_1_C5_Karn(t *testing.T) {
	f := newFx(t)
	f.sendN(2, 100, eor(0))
	f.advance(40 * time.Millisecond)
	f.sendN(1, 100, eor(0))
	f.advance(10 * time.Millisecond)
	r := f.sack(1000)
	if !r.HaveRTT || r.RTT != 50*time.Millisecond {
		t.Fatalf("RTT %v %v", r.RTT, r.HaveRTT)
	}
	r = f.sack(1000, [2]uint32{1002, 1002}) // the newest acked chunk
	if !r.HaveRTT || r.RTT != 10*time.Millisecond {
		t.Fatalf("RTT %v %v", r.RTT, r.HaveRTT)
	}
	f.s.Out.HandleT3Expiry(f.now)
	f.drain(nd) // 1001 again
	f.advance(30 * time.Millisecond)
	if r := f.sack(1002); r.HaveRTT || r.AckedBytes != 116 {
		t.Fatalf("sample from a retransmitted chunk: %+v", r)
	}
}

// After a retransmission, chunks sent before it give no RTT sample: their
// acknowledgement may have waited behind the retransmitted one.
func TestRFC9260_6_3_1_C5_NoSampleAcrossRetransmission(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.sendN(5, 100, eor(0))
	for _, hi := range []uint32{1001, 1002, 1003} {
		f.sack(999, [2]uint32{1001, hi})
	}
	f.drain(nd) // 1000 fast retransmitted: the fence is at 1005
	f.advance(time.Second)
	if r := f.sack(1004); r.HaveRTT || r.AckedBytes != 232 {
		t.Fatalf("sample %v from chunks sent before the retransmission", r.RTT)
	}
	f.sendN(1, 100, eor(0))
	f.advance(20 * time.Millisecond)
	if r := f.sack(1005); !r.HaveRTT || r.RTT != 20*time.Millisecond {
		t.Fatalf("%+v", r)
	}
}

// §6.1 A: no new data beyond the peer's rwnd, and messages are not cut to
// fit it (SWS avoidance).
func TestRFC9260_6_1_A_Rwnd(t *testing.T) {
	f := newFx(t, bigCwnd, rwnd(3000))
	f.sendN(4, 1172, eor(0))
	expectInt(t, "Outstanding", f.s.Out.Outstanding(), 2)
	f.expectFlight(2376, 2344, 656)
	f.s.Out.HandleSack(f.now, sack(1000, 3000))
	f.expectFlight(1188, 1172, 1828)
	expectChunks(t, chunks(f.drain(nd)), "1002 s0 n2 BE 1172")
	f.expectFlight(2376, 2344, 656)
}

// §6.1 A: with a zero window and nothing outstanding, one chunk probes the
// window; nothing else goes until a SACK opens it.
func TestRFC9260_6_1_A_ZeroWindowProbe(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.sendN(1, 100, eor(0))
	f.s.Out.HandleSack(f.now, sack(1000, 0))
	f.add(300, eor(0))
	f.add(300, eor(0))
	r := f.fill(nd)
	if r.Chunks != 1 || !r.ZeroWindowProbe {
		t.Fatalf("%+v", r)
	}
	if p := f.drain(nd); p != nil {
		t.Fatalf("more than one probe: %v", chunks(p))
	}
	f.s.Out.HandleSack(f.now, sack(1001, 5000))
	expectChunks(t, chunks(f.drain(nd)), "1002 s0 n2 BE 300")
}

// Ring indexing survives the TSN wrap at 2^32, across ring growth.
func TestOutstandingRingWrapsAt2to32(t *testing.T) {
	f := newFx(t, bigCwnd, tsnAt(0xFFFFFFC0))
	f.sendN(100, 100, eor(0)) // 0xFFFFFFC0 .. 0x23, the ring grows 64 -> 128
	if len(f.s.Out.ring) != 128 {
		t.Fatalf("ring of %d", len(f.s.Out.ring))
	}
	first := f.s.Out.at(0xFFFFFFC0)
	if first.msg == nil || first.msg.mid != 0 {
		t.Fatal("first entry lost in growth")
	}
	if e := f.s.Out.at(0x23); e.msg == nil || e.msg.mid != 99 {
		t.Fatal("last entry misplaced")
	}
	r := f.s.Out.HandleSack(f.now, sack(0xFFFFFFFD, 1<<20, [2]uint32{0xFFFFFFFF, 0x4}, [2]uint32{0x10, 0x10}))
	if r.CumTSN != 0xFFFFFFFD || r.AckedBytes != (62+6+1)*116 {
		t.Fatalf("%+v", r)
	}
	f.expectState(0xFFFFFFFE, inFlight)
	f.expectState(0x2, gapAcked)
	f.expectState(0x5, inFlight)
	r = f.sack(0x10)
	if r.AckedBytes != (1+11)*116 {
		t.Fatalf("acked %d", r.AckedBytes)
	}
	expectInt(t, "Outstanding", f.s.Out.Outstanding(), 0x23-0x10)
	f.sack(0x23)
	if !f.s.Dry() {
		t.Fatal("not dry")
	}
	// Fill again across nothing-left: TSNs continue.
	f.sendN(1, 10, eor(0))
	expectInt(t, "NextTSN", int(f.s.Out.NextTSN()), 0x25)
}

// RFC 7496 §3.1: with limited retransmissions, a message is abandoned when
// a chunk would exceed the limit; RFC 3758 C2-C4: the
// Advanced.Peer.Ack.Point moves over abandoned chunks and a FORWARD TSN
// carries it with the highest SSN skipped per stream (ordered messages
// only).
func TestRFC3758_ForwardTSN(t *testing.T) {
	f := newFx(t, bigCwnd, fcfs)
	f.add(100, withPR(eor(1), PRRtx, 0))   // 1000 s1 n0
	f.add(100, eor(2))                     // 1001 s2 n0 reliable
	f.add(100, withPR(eor(1), PRRtx, 0))   // 1002 s1 n1
	f.add(100, withPR(unord(1), PRRtx, 0)) // 1003 s1 unordered
	f.add(100, withPR(eor(3), PRRtx, 0))   // 1004 s3 n0
	f.add(100, withPR(eor(1), PRRtx, 1))   // 1005 s1 n2, one retransmission allowed
	f.drain(nd)
	f.s.Out.HandleT3Expiry(f.now)
	for i, c := range []struct {
		tsn uint32
		st  chunkState
	}{{1000, abandoned}, {1001, toResend}, {1002, abandoned}, {1003, abandoned}, {1004, abandoned}, {1005, toResend}} {
		f.expectState(c.tsn, c.st)
		_ = i
	}
	expectChunks(t, chunks(f.drain(nd)),
		"FWD 1000 [{1 0}]",
		"1001 s2 n0 BE 100",
		"1005 s1 n2 BE 100")
	r := f.sack(1001)
	if r.CumTSN != 1001 || !f.s.Out.ForwardTSNPending() {
		t.Fatal("no FORWARD TSN pending after the SACK")
	}
	expectChunks(t, chunks(f.drain(nd)), "FWD 1004 [{1 1} {3 0}]")
	// 1005 is lost again: its second retransmission exceeds the limit.
	f.s.Out.HandleT3Expiry(f.now)
	expectChunks(t, chunks(f.drain(nd)), "FWD 1005 [{1 2} {3 0}]")
	f.sack(1005)
	if !f.s.Dry() || f.s.Out.ForwardTSNPending() {
		t.Fatal("not done")
	}
	var failed []uint16
	for {
		m, ok := f.s.PopFailed()
		if !ok {
			break
		}
		if !m.Sent {
			t.Fatal("abandoned message reported unsent")
		}
		failed = append(failed, m.Opts.Stream)
	}
	if len(failed) != 5 {
		t.Fatalf("failed %v", failed)
	}
}

// RFC 8260 §2.3.1: with I-DATA the I-FORWARD TSN carries MIDs, for
// unordered messages too (U bit).
func TestRFC8260_2_3_1_IForwardTSN(t *testing.T) {
	f := newFx(t, bigCwnd, idata)
	f.add(100, withPR(eor(1), PRRtx, 0))
	f.add(100, withPR(unord(1), PRRtx, 0))
	f.add(100, withPR(eor(1), PRRtx, 0))
	f.drain(nd)
	f.s.Out.HandleT3Expiry(f.now)
	expectChunks(t, chunks(f.drain(nd)), "IFWD 1002 [{1 false 1} {1 true 0}]")
}

// RFC 3758 A3: all fragments of a message are abandoned together; the
// unsent rest leaves the queue, its SSN stays used.
func TestRFC3758_A3_FragmentsAbandonedTogether(t *testing.T) {
	f := newFx(t, initialCwnd(2)) // cwnd 2400: two full chunks
	f.add(4000, withPR(eor(1), PRTTL, 100))
	f.add(10, eor(1))
	expectChunks(t, chunks(f.drain(nd)), "1000 s1 n0 B 1172", "1001 s1 n0  1172", "1002 s1 n0  1172")
	f.advance(101 * time.Millisecond)
	f.s.Out.HandleT3Expiry(f.now)
	f.expectFlight(0, 0, 1<<20)
	expectInt(t, "Buffered", f.s.Queue.Buffered(), 10)
	expectChunks(t, chunks(f.drain(nd)), "FWD 1002 [{1 0}]", "1003 s1 n1 BE 10")
	m, ok := f.s.PopFailed()
	if !ok || !m.Sent || len(m.Data) != 4000 {
		t.Fatalf("%v %+v", ok, m)
	}
}

// Without PR-SCTP negotiated nothing sent is ever abandoned.
func TestNoPRNoAbandon(t *testing.T) {
	f := newFx(t, bigCwnd, noPR)
	f.add(100, withPR(eor(1), PRRtx, 0))
	f.drain(nd)
	f.s.Out.HandleT3Expiry(f.now)
	expectChunks(t, chunks(f.drain(nd)), "1000 s1 n0 BE 100")
}

// FailAll returns every message, in flight first, and empties the sender.
func TestFailAll(t *testing.T) {
	f := newFx(t, initialCwnd(1))
	f.add(3000, eor(1))
	f.add(50, eor(2))
	f.add(60, partial(3))
	f.drain(nd)
	f.s.FailAll()
	var got []int
	for {
		m, ok := f.s.PopFailed()
		if !ok {
			break
		}
		got = append(got, len(m.Data))
		if (len(m.Data) == 3000) != m.Sent {
			t.Fatalf("Sent %v for %d bytes", m.Sent, len(m.Data))
		}
	}
	if len(got) != 3 || got[0] != 3000 || got[1] != 50 || got[2] != 60 {
		t.Fatalf("failed %v", got)
	}
	if !f.s.Dry() || f.s.Out.Flight() != 0 || f.s.Queue.Unsent() != 0 {
		t.Fatal("sender not empty")
	}
}

// Nagle-like coalescing: with data in flight, less than a full chunk of
// new data waits; NoDelay sends it.
func TestNagle(t *testing.T) {
	f := newFx(t)
	f.add(100, eor(0))
	expectChunks(t, chunks(f.drain(FillOptions{})), "1000 s0 n0 BE 100") // nothing in flight
	f.add(100, eor(0))
	if p := f.drain(FillOptions{}); p != nil {
		t.Fatal("sent less than a chunk with data in flight")
	}
	f.sack(1000)
	expectChunks(t, chunks(f.drain(FillOptions{})), "1001 s0 n1 BE 100")
	f.add(100, eor(0))
	expectChunks(t, chunks(f.drain(nd)), "1002 s0 n2 BE 100")
}

// RFC 9260 §6.1 D through the sender: Max.Burst limits a burst of new data
// to flight + Max.Burst·PMDCS.
func TestMaxBurstLimitsBurst(t *testing.T) {
	f := newFx(t, maxBurst(2), initialCwnd(100))
	for i := 0; i < 10; i++ {
		f.add(1172, eor(0))
	}
	f.s.StartBurst(f.now, time.Second)
	expectInt(t, "packets", len(f.drain(nd)), 2)
	f.sack(1000)
	f.s.StartBurst(f.now, time.Second)
	expectInt(t, "packets after SACK", len(f.drain(nd)), 2)
}

// RFC 9260 §7.2.1: cwnd decays when the sender was idle for RTOs.
func TestIdleDecayThroughSender(t *testing.T) {
	f := newFx(t)
	f.cc.cwnd = 40000
	f.sendN(1, 100, eor(0))
	f.sack(1000)
	f.advance(2500 * time.Millisecond)
	f.s.StartBurst(f.now, time.Second) // 2 RTOs idle
	f.expectCC(10000, 40000, 0)
	f.advance(500 * time.Millisecond)
	f.s.StartBurst(f.now, time.Second) // the third RTO
	f.expectCC(5000, 40000, 0)
	f.s.StartBurst(f.now, time.Second) // nothing more
	f.expectCC(5000, 40000, 0)
}

// Slow start through the sender: the exact number of chunks each SACK
// lets out (§6.1 B, §7.2.1).
func TestSlowStartSequence(t *testing.T) {
	f := newFx(t)
	for i := 0; i < 100; i++ {
		f.add(1172, eor(0))
	}
	steps := []struct {
		ack        uint32
		cwnd, sent int
	}{
		{0, 4404, 4},    // flight 0 -> 4752
		{1000, 5592, 2}, // flight 3564 -> 5940
		{1002, 6780, 3}, // 3564 -> 7128: +1 PMDCS per SACK however much it acks
		{1004, 7968, 3}, // 4752 -> 8316
		{1008, 9156, 5}, // 3564 -> 9504
	}
	for i, s := range steps {
		if s.ack != 0 {
			f.sack(s.ack)
		}
		got := len(chunks(f.drain(nd)))
		if f.cc.Cwnd() != s.cwnd || got != s.sent {
			t.Fatalf("step %d: cwnd %d sent %d, want %d %d", i, f.cc.Cwnd(), got, s.cwnd, s.sent)
		}
	}
}

// §7.2.3: after a T3-rtx expiry no more than one packet is in flight
// until an acknowledgement arrives, even when the chunks are small
// enough for cwnd to allow more.
func TestRFC9260_7_2_3_OnePacketAfterT3(t *testing.T) {
	f := newFx(t, bigCwnd)
	f.sendN(6, 300, eor(0))
	f.s.Out.HandleT3Expiry(f.now)
	pkts := f.drain(nd)
	if len(pkts) != 1 || len(pkts[0]) != 3 {
		t.Fatalf("%v", pkts)
	}
	f.sack(1000) // the lock ends; cwnd (1188, not grown: it was not full) allows two more
	expectChunks(t, chunks(f.drain(nd)), "1003 s0 n3 BE 300", "1004 s0 n4 BE 300")
}
