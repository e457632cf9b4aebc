package tx

import "testing"

// RFC 9260 §7.2.1: initial cwnd min(4·PMDCS, max(2·PMDCS, 4404)) with
// PMDCS = MTU - 12; usrsctp's sctp_initial_cwnd counts MTUs instead.
func TestRFC9260_7_2_1_InitialCwnd(t *testing.T) {
	for _, c := range []struct{ mtu, mtus, want int }{
		{1200, 0, 4404},  // min(4752, max(2376, 4404))
		{9000, 0, 17976}, // min(35952, max(17976, 4404))
		{500, 0, 1952},   // min(1952, max(976, 4404))
		{1500, 0, 4404},  // min(5952, max(2976, 4404))
		{1200, 3, 3600},  // sctp_initial_cwnd default
		{1200, 10, 12000},
	} {
		r := NewReno(RenoConfig{MTU: c.mtu, InitialCwnd: c.mtus, InitialSsthresh: 1 << 20})
		if r.Cwnd() != c.want || r.Ssthresh() != 1<<20 || r.PartialBytesAcked() != 0 {
			t.Errorf("MTU %d × %d: cwnd %d ssthresh %d, want %d", c.mtu, c.mtus, r.Cwnd(), r.Ssthresh(), c.want)
		}
	}
	if r := NewReno(RenoConfig{MTU: 1200}); r.Ssthresh() != 1<<30 {
		t.Error("ssthresh without a peer window is not arbitrarily high")
	}
}

type ccStep struct {
	name      string
	ack       Ack
	cwnd, pba int
	ssthresh  int
}

func runCC(t *testing.T, r *Reno, steps []ccStep) {
	t.Helper()
	for _, s := range steps {
		r.OnAck(s.ack)
		if r.Cwnd() != s.cwnd || r.PartialBytesAcked() != s.pba || r.Ssthresh() != s.ssthresh {
			t.Fatalf("%s: cwnd/pba/ssthresh %d/%d/%d, want %d/%d/%d", s.name,
				r.Cwnd(), r.PartialBytesAcked(), r.Ssthresh(), s.cwnd, s.pba, s.ssthresh)
		}
	}
}

// RFC 9260 §7.2.1: in slow start cwnd grows by min(bytes acked, L·PMDCS)
// per SACK, only when cwnd was fully used and not in Fast Recovery, and
// (RFC 4960 §7.2.1, usrsctp) only for a SACK that advances the cumulative
// TSN ack point.
func TestRFC9260_7_2_1_SlowStart(t *testing.T) {
	const big = 1 << 20
	r := NewReno(RenoConfig{MTU: 1200, InitialSsthresh: big})
	runCC(t, r, []ccStep{
		{"one chunk acked", Ack{Bytes: 1188, FlightBefore: 4752, FlightAfter: 3564, CumAdvanced: true}, 5592, 0, big},
		{"gap report only", Ack{Bytes: 1188, FlightBefore: 5940, FlightAfter: 4752}, 5592, 0, big},
		{"two chunks: capped at 1 PMDCS", Ack{Bytes: 2376, FlightBefore: 5940, FlightAfter: 3564, CumAdvanced: true}, 6780, 0, big},
		{"small ack", Ack{Bytes: 116, FlightBefore: 6780, FlightAfter: 6664, CumAdvanced: true}, 6896, 0, big},
		{"cwnd not fully used", Ack{Bytes: 1188, FlightBefore: 6895, FlightAfter: 5707, CumAdvanced: true}, 6896, 0, big},
		{"fast recovery", Ack{Bytes: 1188, FlightBefore: 9000, FlightAfter: 7812, InFastRecovery: true, CumAdvanced: true}, 6896, 0, big},
		{"nothing acked", Ack{FlightBefore: 9000, FlightAfter: 9000}, 6896, 0, big},
	})
	r2 := NewReno(RenoConfig{MTU: 1200, InitialSsthresh: big, L: 2})
	runCC(t, r2, []ccStep{
		{"L=2", Ack{Bytes: 3564, FlightBefore: 4752, FlightAfter: 1188, CumAdvanced: true}, 6780, 0, big},
	})
}

// RFC 9260 §7.2.2: above ssthresh, partial_bytes_acked collects the bytes
// acked; once it reaches cwnd with cwnd fully used, cwnd grows by one
// PMDCS and pba drops by cwnd; pba is capped at cwnd when cwnd was not
// full, and reset when everything is acked.
func TestRFC9260_7_2_2_CongestionAvoidance(t *testing.T) {
	r := NewReno(RenoConfig{MTU: 1200, InitialSsthresh: 4000}) // cwnd 4404 > 4000
	runCC(t, r, []ccStep{
		{"1", Ack{Bytes: 1188, FlightBefore: 4752, FlightAfter: 3564}, 4404, 1188, 4000},
		{"2", Ack{Bytes: 1188, FlightBefore: 4752, FlightAfter: 3564}, 4404, 2376, 4000},
		{"3", Ack{Bytes: 1188, FlightBefore: 4752, FlightAfter: 3564}, 4404, 3564, 4000},
		{"4: pba >= cwnd", Ack{Bytes: 1188, FlightBefore: 4752, FlightAfter: 3564}, 5592, 348, 4000},
		{"5", Ack{Bytes: 2376, FlightBefore: 5940, FlightAfter: 3564}, 5592, 2724, 4000},
		{"6: not full, capped", Ack{Bytes: 4000, FlightBefore: 5000, FlightAfter: 1000}, 5592, 5592, 4000},
		{"7: all acked", Ack{Bytes: 1000, FlightBefore: 1000, FlightAfter: 0}, 5592, 0, 4000},
		{"8: fast recovery", Ack{Bytes: 9000, FlightBefore: 9000, InFastRecovery: true, FlightAfter: 1}, 5592, 0, 4000},
	})
}

// RFC 9260 §7.2.3: a loss from gap reports halves cwnd (at least 4·PMDCS);
// a T3-rtx expiry leaves one PMDCS.
func TestRFC9260_7_2_3_LossAndTimeout(t *testing.T) {
	for _, c := range []struct {
		cwnd                 int
		lossSs, lossCwnd     int
		timeoutSs, timeoutCw int
	}{
		{20000, 10000, 10000, 10000, 1188},
		{6000, 4752, 4752, 4752, 1188},
		{4404, 4752, 4752, 4752, 1188}, // the 4·PMDCS floor can raise cwnd
	} {
		r := NewReno(RenoConfig{MTU: 1200, InitialSsthresh: 1 << 20})
		r.cwnd, r.pba = c.cwnd, 77
		r.OnLoss(c.cwnd)
		if r.Ssthresh() != c.lossSs || r.Cwnd() != c.lossCwnd || r.PartialBytesAcked() != 0 {
			t.Errorf("loss at %d: %d/%d", c.cwnd, r.Ssthresh(), r.Cwnd())
		}
		r.cwnd, r.pba = c.cwnd, 77
		r.OnTimeout()
		if r.Ssthresh() != c.timeoutSs || r.Cwnd() != c.timeoutCw || r.PartialBytesAcked() != 0 {
			t.Errorf("timeout at %d: %d/%d", c.cwnd, r.Ssthresh(), r.Cwnd())
		}
	}
}

// RFC 9260 §7.2.1 (last item): an unused cwnd decays to max(cwnd/2,
// 4·PMDCS) per RTO, ssthresh set to cwnd before the first cut.
func TestRFC9260_7_2_1_IdleDecay(t *testing.T) {
	r := NewReno(RenoConfig{MTU: 1200, InitialSsthresh: 1 << 20})
	r.cwnd = 40000
	r.OnIdle(1, true)
	if r.Cwnd() != 20000 || r.Ssthresh() != 40000 {
		t.Fatalf("after 1 RTO: %d/%d", r.Cwnd(), r.Ssthresh())
	}
	r.OnIdle(2, false)
	if r.Cwnd() != 5000 || r.Ssthresh() != 40000 {
		t.Fatalf("after 3 RTOs: %d/%d", r.Cwnd(), r.Ssthresh())
	}
	r.OnIdle(5, false)
	if r.Cwnd() != 4752 {
		t.Fatalf("floor: %d", r.Cwnd())
	}
	r2 := NewReno(RenoConfig{MTU: 1200, InitialSsthresh: 1 << 20})
	r2.OnIdle(3, true) // 4404 <= 4·PMDCS: left alone
	if r2.Cwnd() != 4404 || r2.Ssthresh() != 1<<20 {
		t.Fatalf("small cwnd changed: %d/%d", r2.Cwnd(), r2.Ssthresh())
	}
}

// RFC 9260 §6.1 B and D: new data while flight < cwnd; Max.Burst lowers
// the cwnd of one opportunity to flight + Max.Burst·PMDCS.
func TestRFC9260_6_1_D_MaxBurst(t *testing.T) {
	r := NewReno(RenoConfig{MTU: 1200, InitialSsthresh: 1 << 20, MaxBurst: 2})
	r.cwnd = 20000
	r.StartBurst(1000)
	if !r.CanSend(3375) || r.CanSend(3376) {
		t.Fatal("burst cap 1000 + 2·1188")
	}
	r.StartBurst(19000)
	if !r.CanSend(19999) || r.CanSend(20000) {
		t.Fatal("cwnd still applies")
	}
	if r.Cwnd() != 20000 {
		t.Fatal("Max.Burst changed cwnd")
	}
	r0 := NewReno(RenoConfig{MTU: 1200})
	r0.StartBurst(0)
	if !r0.CanSend(4403) || r0.CanSend(4404) {
		t.Fatal("without Max.Burst")
	}
}
