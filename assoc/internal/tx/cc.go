package tx

import "github.com/sconnlab/sconn/wire"

// Ack describes one SACK to the congestion control.
type Ack struct {
	Bytes          int  // chunk bytes newly acknowledged (abandoned ones excluded)
	FlightBefore   int  // flight size before the SACK
	FlightAfter    int  // flight size after it
	InFastRecovery bool // the sender is in Fast Recovery (after this SACK's exit check)
	CumAdvanced    bool
}

// CongestionControl is the congestion control algorithm of a path (RFC
// 9260 §7.2). Sizes are DATA chunk bytes with header and padding.
type CongestionControl interface {
	// OnAck is called for every SACK, before any loss it reveals.
	OnAck(a Ack)
	// OnLoss is called when gap reports start a fast retransmit outside
	// Fast Recovery (§7.2.3, §7.2.4 2).
	OnLoss(flight int)
	// OnTimeout is called when T3-rtx expires (§6.3.3 E1, §7.2.3).
	OnTimeout()
	// OnIdle is called after the path sent no data for periods RTOs;
	// first is set on the first call of an idle spell (§7.2.1).
	OnIdle(periods int, first bool)
	// StartBurst marks a transmission opportunity with flight bytes in
	// flight (§6.1 D).
	StartBurst(flight int)
	// CanSend reports whether a new chunk may be sent with flight bytes in
	// flight (§6.1 B: below cwnd, the last packet may overshoot it).
	CanSend(flight int) bool
	Cwnd() int
	Ssthresh() int
	PartialBytesAcked() int
}

// RenoConfig configures the RFC 9260 §7.2 congestion control.
type RenoConfig struct {
	// MTU is the path MTU; PMDCS, the unit of the rules, is MTU - 12 (the
	// largest DATA chunk in a packet).
	MTU int
	// InitialCwnd is the initial cwnd in MTUs (usrsctp's
	// sctp_initial_cwnd); 0 uses min(4·PMDCS, max(2·PMDCS, 4404)) of
	// §7.2.1.
	InitialCwnd int
	// InitialSsthresh is the initial ssthresh, "arbitrarily high" (§7.2.1):
	// the peer's a_rwnd.
	InitialSsthresh int
	// MaxBurst is Max.Burst in packets (§6.1 D, sctp_max_burst_default); 0:
	// no limit.
	MaxBurst int
	// L limits the slow-start increase per SACK to L·PMDCS (§7.2.1,
	// sctp_L2_abc_variable); 0 means 1.
	L int
}

// Reno is the congestion control of RFC 9260 §7.2: slow start, congestion
// avoidance with partial_bytes_acked, the reductions of §7.2.3, Max.Burst
// applied as a temporary cwnd (§6.1 D) and the decay of an unused cwnd
// (§7.2.1).
type Reno struct {
	cwnd, ssthresh, pba int
	pmdcs, l, maxBurst  int
	burstCap            int // flight + Max.Burst·PMDCS at the burst start; 0: none
}

// NewReno returns the RFC 9260 congestion control.
func NewReno(c RenoConfig) *Reno {
	r := &Reno{pmdcs: c.MTU - wire.HeaderLen, l: max(c.L, 1), maxBurst: c.MaxBurst}
	if c.InitialCwnd > 0 {
		r.cwnd = c.InitialCwnd * c.MTU // usrsctp: sctp_initial_cwnd MTUs
	} else {
		r.cwnd = min(4*r.pmdcs, max(2*r.pmdcs, 4404)) // §7.2.1 (IPv4 figure)
	}
	r.ssthresh = c.InitialSsthresh
	if r.ssthresh <= 0 {
		r.ssthresh = 1 << 30
	}
	return r
}

// OnAck applies §7.2.1 (slow start) or §7.2.2 (congestion avoidance).
func (r *Reno) OnAck(a Ack) {
	// Growth only when the cwnd was fully used and not in Fast Recovery.
	full := a.FlightBefore >= r.cwnd
	if r.cwnd <= r.ssthresh {
		// §7.2.1: by at most min(bytes acked, L·PMDCS). Like RFC 4960
		// §7.2.1 (and usrsctp), only a SACK that advances the Cumulative
		// TSN Ack Point grows cwnd: gap reports announce a loss, and
		// RFC 9260's "at most" allows the smaller increase (ETSI
		// sctp-d-v-8-9 checks it).
		if full && a.CumAdvanced && !a.InFastRecovery && a.Bytes > 0 {
			r.cwnd += min(a.Bytes, r.l*r.pmdcs)
		}
	} else if !a.InFastRecovery {
		// §7.2.2: partial_bytes_acked, one PMDCS per cwnd acknowledged.
		r.pba += a.Bytes
		if r.pba >= r.cwnd && full {
			r.pba -= r.cwnd
			r.cwnd += r.pmdcs
		} else if r.pba > r.cwnd {
			r.pba = r.cwnd
		}
	}
	if a.FlightAfter == 0 {
		r.pba = 0 // §7.2.2: everything sent was acknowledged
	}
}

// OnLoss applies §7.2.3 for a loss found by gap reports.
func (r *Reno) OnLoss(flight int) {
	r.ssthresh = max(r.cwnd/2, 4*r.pmdcs)
	r.cwnd = r.ssthresh
	r.pba = 0
}

// OnTimeout applies §7.2.3 (and §6.3.3 E1) for a T3-rtx expiry.
func (r *Reno) OnTimeout() {
	r.ssthresh = max(r.cwnd/2, 4*r.pmdcs)
	r.cwnd = r.pmdcs
	r.pba = 0
}

// OnIdle halves cwnd once per RTO without data, down to 4·PMDCS, with
// ssthresh set to cwnd before the first cut (§7.2.1, §7.2.2). A cwnd
// already at or below 4·PMDCS is left alone.
func (r *Reno) OnIdle(periods int, first bool) {
	floor := 4 * r.pmdcs
	if r.cwnd <= floor {
		return
	}
	if first {
		r.ssthresh = r.cwnd
	}
	for ; periods > 0 && r.cwnd > floor; periods-- {
		r.cwnd = max(r.cwnd/2, floor)
	}
}

// StartBurst computes the Max.Burst limit of §6.1 D:
// if flightsize + Max.Burst·PMDCS < cwnd, the cwnd for this opportunity
// is flightsize + Max.Burst·PMDCS. cwnd itself does not change.
func (r *Reno) StartBurst(flight int) {
	if r.maxBurst > 0 {
		r.burstCap = flight + r.maxBurst*r.pmdcs
	}
}

// CanSend implements §6.1 B with the Max.Burst limit.
func (r *Reno) CanSend(flight int) bool {
	c := r.cwnd
	if r.burstCap > 0 && r.burstCap < c {
		c = r.burstCap
	}
	return flight < c
}

func (r *Reno) Cwnd() int              { return r.cwnd }
func (r *Reno) Ssthresh() int          { return r.ssthresh }
func (r *Reno) PartialBytesAcked() int { return r.pba }
