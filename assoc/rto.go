package assoc

import "time"

// RTO computes the retransmission timeout of one destination transport
// address from round-trip time measurements (RFC 9260 §6.3.1). The data
// transfer engine uses the same estimator for T3-rtx; the handshake and the
// heartbeat feed it too.
//
// Karn's algorithm (rule C5) is the caller's duty: only measure round trips
// of chunks that were sent once. All arithmetic is in integer nanoseconds.
type RTO struct {
	srtt     time.Duration
	rttvar   time.Duration
	rto      time.Duration
	measured bool

	initial, min, max time.Duration
	g                 time.Duration // clock granularity, rule G1
}

// NewRTO returns an estimator with no measurement: its RTO is initial (rule
// C1). min and max bound every computed RTO (rules C6 and C7); g is the
// clock granularity G of rule G1 (use a positive value such as 1 ms).
func NewRTO(initial, min, max, g time.Duration) RTO {
	if g <= 0 {
		g = time.Millisecond
	}
	r := RTO{initial: initial, min: min, max: max, g: g}
	r.rto = r.clamp(initial)
	return r
}

// clamp applies C6 (round up to RTO.Min) and C7 (cap at RTO.Max).
func (r *RTO) clamp(d time.Duration) time.Duration {
	if d < r.min {
		d = r.min // §6.3.1 C6
	}
	if r.max > 0 && d > r.max {
		d = r.max // §6.3.1 C7
	}
	return d
}

// Measure feeds one round-trip time measurement R (rules C2 and C3, with
// RTO.Alpha = 1/8 and RTO.Beta = 1/4 of §16) and recomputes the RTO, which
// also undoes any backoff. A negative sample is ignored.
func (r *RTO) Measure(rtt time.Duration) {
	if rtt < 0 {
		return
	}
	if !r.measured {
		// §6.3.1 C2: SRTT = R, RTTVAR = R/2.
		r.srtt = rtt
		r.rttvar = rtt / 2
		r.measured = true
	} else {
		// §6.3.1 C3: RTTVAR first, with the SRTT before its update.
		d := r.srtt - rtt
		if d < 0 {
			d = -d
		}
		r.rttvar = r.rttvar - r.rttvar/4 + d/4
		r.srtt = r.srtt - r.srtt/8 + rtt/8
	}
	if r.rttvar == 0 {
		r.rttvar = r.g // §6.3.1 G1
	}
	r.rto = r.clamp(r.srtt + 4*r.rttvar) // §6.3.1 C2/C3, C6, C7
}

// Backoff doubles the RTO, capped at RTO.Max (§6.3.3 E2, §8.3 exponential
// backoff of heartbeats, §5.1 T1 timers following §6.3).
func (r *RTO) Backoff() { r.BackoffMax(r.max) }

// BackoffMax doubles the RTO, capped at max (for T1-init and T1-cookie the
// cap is sctp_init_rto_max_default rather than RTO.Max).
func (r *RTO) BackoffMax(max time.Duration) {
	d := 2 * r.rto
	if max > 0 && d > max {
		d = max
	}
	if d < r.rto { // overflow
		d = r.rto
	}
	r.rto = d
}

// Value returns the current RTO, backoff included.
func (r *RTO) Value() time.Duration { return r.rto }

// SRTT returns the smoothed round-trip time, 0 before the first measurement.
func (r *RTO) SRTT() time.Duration { return r.srtt }

// RTTVAR returns the round-trip time variation, 0 before the first measurement.
func (r *RTO) RTTVAR() time.Duration { return r.rttvar }

// Measured reports whether at least one measurement was made.
func (r *RTO) Measured() bool { return r.measured }

// Bounds returns RTO.Initial, RTO.Min and RTO.Max.
func (r *RTO) Bounds() (initial, min, max time.Duration) { return r.initial, r.min, r.max }

// Reset forgets every measurement and backoff (rule C1 again).
func (r *RTO) Reset() { *r = NewRTO(r.initial, r.min, r.max, r.g) }
