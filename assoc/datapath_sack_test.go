package assoc

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

func noHB(c *Config) { c.HeartbeatDisabled = true }

// TestRFC9260_6_3_2_T3Timer: T3-rtx starts with the first DATA (R1), is not
// restarted by later DATA, restarts when a SACK advances the cumulative
// ack (R3) and stops when everything is acknowledged (R2).
func TestRFC9260_6_3_2_T3Timer(t *testing.T) {
	f := newData(t, func(c *Config) { c.NoDelay = true })
	f.sendMsg(100, ordered(0))
	f.pkts()
	f.advance(400 * time.Millisecond)
	f.sendMsg(100, ordered(0))
	f.pkts()
	if f.t3() != 600*time.Millisecond {
		t.Fatalf("T3 %v: restarted by new DATA", f.t3())
	}
	f.z(f.zsack(0, 65536))
	if f.t3() != time.Second {
		t.Fatalf("T3 %v after the SACK", f.t3())
	}
	f.z(f.zsack(1, 65536))
	if f.t3() != -1 {
		t.Fatal("T3 still running with nothing outstanding")
	}
}

// TestRFC9260_6_2_1_Di_OldSackIgnored: a SACK whose cumulative TSN ack is
// below the point is out of order and ignored.
func TestRFC9260_6_2_1_Di_OldSackIgnored(t *testing.T) {
	f := newData(t, func(c *Config) { c.NoDelay = true })
	for i := 0; i < 3; i++ {
		f.sendMsg(100, ordered(0))
	}
	f.pkts()
	f.z(f.zsack(1, 10000))
	f.z(f.zsack(0, 500))
	if st := f.a.Status(); st.RWnd != 10000-100 || st.UnackedData != 1 {
		t.Fatalf("%+v", st)
	}
}

// TestRFC9260_6_2_1_SackOfUnsentTSN: a SACK that acknowledges a TSN never
// sent is a protocol violation: ABORT; the message in flight fails before
// COMM_LOST (§9.1).
func TestRFC9260_6_2_1_SackOfUnsentTSN(t *testing.T) {
	f := newData(t, nil)
	f.sendMsg(100, ordered(0))
	f.pkts()
	expectDrop(t, f.send(f.tag, f.zsack(1, 65536)), DropMalformed)
	o := expectOne(t, f.a, f.now, "ABORT")
	expectCause(t, o.chunks[0], wire.CauseProtocolViolation)
	sf := expectEvent[SendFailed](t, f.a)
	if !sf.Sent || len(sf.Data) != 100 || sf.Err != ErrClosed {
		t.Fatalf("%+v", sf)
	}
	expectEvent[CommLost](t, f.a)
}

// TestRFC9260_7_2_4_FastRetransmit: the third miss indication retransmits
// the chunk at once in one packet; cwnd and ssthresh follow §7.2.3 after
// the slow start growth of the same SACKs (§7.2.4 note).
func TestRFC9260_7_2_4_FastRetransmit(t *testing.T) {
	f := newData(t, nil)
	for i := 0; i < 4; i++ {
		f.sendMsg(1172, ordered(0))
	}
	f.pkts()
	f.z(f.zsack(-1, 65536, [2]int{1, 1}))
	f.expect()
	f.z(f.zsack(-1, 65536, [2]int{1, 2}))
	f.expect()
	f.z(f.zsack(-1, 65536, [2]int{1, 3}))
	f.expect("D0 s0 n0 BE 1172")
	// SACK 1: flight 4752 >= cwnd 3600: +1188 = 4788. The loss:
	// ssthresh = max(4788/2, 4·1188) = 4752 = cwnd.
	if st := f.a.Status(); st.Cwnd != 4752 {
		t.Fatalf("cwnd %d", st.Cwnd)
	}
	if s := f.a.Stats(); s.RtxChunks != 1 || s.GapCnt != 3 || s.ISacks != 3 {
		t.Fatalf("%+v", s)
	}
}

// TestRFC9260_7_2_4_FastRetransmitIgnoresCwnd: the fast retransmission
// goes out even when the flight size is above the reduced cwnd (§7.2.4 3).
func TestRFC9260_7_2_4_FastRetransmitIgnoresCwnd(t *testing.T) {
	f := newData(t, func(c *Config) { c.InitialCwnd = 10 })
	for i := 0; i < 12; i++ {
		f.sendMsg(1172, ordered(0))
	}
	if n := len(f.pkts()); n != 11 {
		t.Fatalf("%d packets", n)
	}
	f.z(f.zsack(-1, 65536, [2]int{1, 1}))
	// A gap report does not grow cwnd (12000) but frees room: flight
	// 11880 < cwnd lets D11 out (§6.1 B).
	f.expect("D11 s0 n11 BE 1172")
	f.z(f.zsack(-1, 65536, [2]int{1, 2}))
	f.z(f.zsack(-1, 65536, [2]int{1, 3}))
	// cwnd 6000, flight 9504 without D0: cwnd forbids, Fast Retransmit
	// does not.
	f.expect("D0 s0 n0 BE 1172")
	if st := f.a.Status(); st.Cwnd != 6000 {
		t.Fatalf("cwnd %d", st.Cwnd)
	}
}

// TestRFC9260_7_2_4_FastRetransmitOnce: a chunk is fast retransmitted only
// once; if the retransmission is lost too, T3-rtx recovers it (§7.2.4 5).
func TestRFC9260_7_2_4_FastRetransmitOnce(t *testing.T) {
	f := newData(t, func(c *Config) { c.InitialCwnd = 10; c.NoDelay = true })
	for i := 0; i < 8; i++ {
		f.sendMsg(100, ordered(0))
	}
	f.pkts()
	for hi := 1; hi <= 3; hi++ {
		f.z(f.zsack(-1, 65536, [2]int{1, hi}))
	}
	f.expect("D0 s0 n0 BE 100")
	for hi := 4; hi <= 7; hi++ {
		f.z(f.zsack(-1, 65536, [2]int{1, hi}))
		f.expect()
	}
	f.fireT3()
	f.expect("D0 s0 n0 BE 100")
}

// TestRFC9260_7_2_4_HTNA: miss indications count only for TSNs below the
// highest TSN newly acknowledged: a SACK that repeats the same blocks
// adds none.
func TestRFC9260_7_2_4_HTNA(t *testing.T) {
	f := newData(t, func(c *Config) { c.InitialCwnd = 10; c.NoDelay = true })
	for i := 0; i < 6; i++ {
		f.sendMsg(100, ordered(0))
	}
	f.pkts()
	f.z(f.zsack(-1, 65536, [2]int{1, 1}))
	f.z(f.zsack(-1, 65536, [2]int{1, 1}))
	f.z(f.zsack(-1, 65536, [2]int{1, 1}))
	f.expect() // one miss indication only
	f.z(f.zsack(-1, 65536, [2]int{1, 2}))
	f.z(f.zsack(-1, 65536, [2]int{1, 3}))
	f.expect("D0 s0 n0 BE 100")
}

// TestRFC9260_6_3_3_T3Expiry: on T3-rtx expiry: ssthresh = max(cwnd/2,
// 4·PMDCS), cwnd = PMDCS (E1), RTO doubled (E2), the earliest chunks that
// fit one packet retransmitted (E3), the timer restarted (E4); the rest
// follows as cwnd opens.
func TestRFC9260_6_3_3_T3Expiry(t *testing.T) {
	f := newData(t, noHB)
	for i := 0; i < 4; i++ {
		f.sendMsg(1172, ordered(0))
	}
	f.pkts()
	f.fireT3()
	f.expect("D0 s0 n0 BE 1172")
	if st := f.a.Status(); st.Cwnd != 1188 || st.RTO != 2*time.Second || f.t3() != 2*time.Second {
		t.Fatalf("cwnd %d RTO %v T3 %v", st.Cwnd, st.RTO, f.t3())
	}
	f.z(f.zsack(0, 65536))
	if c := f.a.Status().Cwnd; c != 2376 {
		t.Fatalf("cwnd %d", c)
	}
	f.expect("D1 s0 n1 BE 1172", "D2 s0 n2 BE 1172")
	if s := f.a.Stats(); s.RtxChunks != 3 || s.MaxRTO != 2*time.Second {
		t.Fatalf("%+v", s)
	}
}

// TestRFC9260_6_3_3_E2_BackoffCappedAtRTOMax: each expiry doubles the RTO
// up to RTO.Max (§6.3.3 E2, §6.3.1 C7).
func TestRFC9260_6_3_3_E2_BackoffCappedAtRTOMax(t *testing.T) {
	f := newData(t, func(c *Config) { c.RTOMax = 5 * time.Second; c.HeartbeatDisabled = true })
	f.sendMsg(100, ordered(0))
	f.pkts()
	for _, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second} {
		if f.t3() != want {
			t.Fatalf("T3 %v, want %v", f.t3(), want)
		}
		f.fireT3()
		f.expect("D0 s0 n0 BE 100")
	}
}

// TestRFC9260_8_2_PathUnreachable: each T3-rtx expiry is an error of the
// path; past Path.Max.Retrans the path is reported unreachable, and a SACK
// for new data makes it reachable again (§8.2, §8.3).
func TestRFC9260_8_2_PathUnreachable(t *testing.T) {
	f := newData(t, noHB)
	f.sendMsg(100, ordered(0))
	f.pkts()
	for i := 0; i < 6; i++ {
		f.fireT3()
		f.pkts()
	}
	if pc := expectEvent[PathChange](t, f.a); pc.Reachable || pc.Errors != 6 {
		t.Fatalf("%+v", pc)
	}
	f.z(f.zsack(0, 65536))
	if pc := expectEvent[PathChange](t, f.a); !pc.Reachable {
		t.Fatalf("%+v", pc)
	}
	if f.a.errors != 0 || f.a.path.errors != 0 {
		t.Fatal("error counters not cleared by the SACK")
	}
}

// TestRFC9260_8_1_CommLostAfterT3: past Association.Max.Retrans T3-rtx
// expiries the peer is unreachable: every message fails (SendFailed, sent
// or not) and COMM_LOST reports it (§8.1).
func TestRFC9260_8_1_CommLostAfterT3(t *testing.T) {
	f := newData(t, func(c *Config) { c.HeartbeatDisabled = true; c.AssocMaxRetrans = 3; c.PathMaxRetrans = 3 })
	f.sendMsg(100, ordered(0))
	f.sendMsg(5000, ordered(1))
	f.pkts()
	f.sendMsg(7, ordered(2))
	for i := 0; i < 4; i++ {
		f.fireT3()
		f.pkts()
	}
	expectState(t, f.a, Closed)
	f.expectEvents("PEER_ADDR_CHANGE: unreachable",
		"SEND_FAILED stream 0 len 100: sctp: association closed",
		"SEND_FAILED stream 1 len 5000: sctp: association closed",
		"SEND_FAILED stream 2 len 7: sctp: association closed",
		"COMM_LOST: peer unreachable")
	if f.a.NextDeadline() != (time.Time{}) {
		t.Fatal("timers left")
	}
}

// TestRFC9260_6_3_1_RTTFromData: a DATA chunk sent once and acknowledged
// gives an RTT measurement (§6.3.1 C3); a retransmitted one does not (C5,
// Karn).
func TestRFC9260_6_3_1_RTTFromData(t *testing.T) {
	f := newData(t, noHB)
	f.sendMsg(100, ordered(0))
	f.pkts()
	f.advance(100 * time.Millisecond)
	f.z(f.zsack(0, 65536))
	// After the handshake's 0 s sample (RTTVAR = G = 1 ms): RTTVAR =
	// 3/4·1 ms + 1/4·100 ms, SRTT = 100/8 ms.
	if s := f.a.Status(); s.SRTT != 12500*time.Microsecond {
		t.Fatalf("SRTT %v", s.SRTT)
	}
	f.sendMsg(100, ordered(0))
	f.pkts()
	f.fireT3()
	f.pkts()
	f.advance(300 * time.Millisecond)
	f.z(f.zsack(1, 65536))
	if s := f.a.Status(); s.SRTT != 12500*time.Microsecond || s.RTO != 2*time.Second {
		t.Fatalf("SRTT %v RTO %v: sampled a retransmission", s.SRTT, s.RTO)
	}
}

// TestRFC9260_7_2_1_IdleCwndDecay: after RTOs without data, cwnd decays
// to max(cwnd/2, 4·PMDCS) per RTO, ssthresh = cwnd first (§7.2.1).
func TestRFC9260_7_2_1_IdleCwndDecay(t *testing.T) {
	f := newData(t, func(c *Config) { c.InitialCwnd = 10; c.HeartbeatDisabled = true })
	f.sendMsg(100, ordered(0))
	f.pkts()
	f.z(f.zsack(0, 65536))
	f.advance(2500 * time.Millisecond)
	if c := f.a.Status().Cwnd; c != 12000 {
		t.Fatalf("cwnd %d before sending", c)
	}
	f.sendMsg(100, ordered(0))
	if c := f.a.Status().Cwnd; c != 4752 { // 12000 -> 6000 -> max(3000, 4752)
		t.Fatalf("cwnd %d", c)
	}
}

// TestRFC9260_6_2_1_Dii_RwndFromSack: rwnd = a_rwnd − bytes in flight
// after the SACK.
func TestRFC9260_6_2_1_Dii_RwndFromSack(t *testing.T) {
	f := newData(t, func(c *Config) { c.NoDelay = true })
	for i := 0; i < 3; i++ {
		f.sendMsg(100, ordered(0))
	}
	f.pkts()
	f.z(f.zsack(-1, 5000, [2]int{1, 1}))
	if r := f.a.Status().RWnd; r != 5000-200 {
		t.Fatalf("rwnd %d", r)
	}
}

// TestRFC9260_7_2_1_SlowStartSequence: cwnd after each SACK in slow start:
// +min(bytes acked, PMDCS) when cwnd was fully used.
func TestRFC9260_7_2_1_SlowStartSequence(t *testing.T) {
	f := newData(t, nil)
	for i := 0; i < 40; i++ {
		f.sendMsg(1172, ordered(0))
	}
	f.pkts()
	for i, s := range []struct{ ack, cwnd, sent int }{
		{0, 4788, 2}, {2, 5976, 3}, {4, 7164, 3}, {8, 8352, 5},
	} {
		f.z(f.zsack(s.ack, 1<<20))
		if got := len(f.pkts()); f.a.Status().Cwnd != uint32(s.cwnd) || got != s.sent {
			t.Fatalf("step %d: cwnd %d sent %d", i, f.a.Status().Cwnd, got)
		}
	}
}
