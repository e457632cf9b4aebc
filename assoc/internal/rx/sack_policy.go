package rx

import "time"

// The delayed SACK rules (RFC 9260 §6.2, §6.7; RFC 5681 §4.2; RFC 3758 §3.6).
//
// The engine feeds every DATA / I-DATA TSN of a packet to Observe (and a
// FORWARD TSN to HandleForwardTSN), then calls ObservePacketEnd once. A SACK
// is due at once (ShouldSendSackNow) when the packet
//   - carried the I bit (§3.3.1, RFC 7053),
//   - carried a duplicate (§6.2: MUST when only duplicates, MAY otherwise),
//   - left a gap open, or closed the last one (§6.7; RFC 5681 §4.2),
//   - had a chunk dropped (window full, out of window, out-of-date FORWARD
//     TSN: §6.2, RFC 3758 §3.6),
//   - or is the SackFreq-th packet with new data since the last SACK;
//
// otherwise new data arms the delayed SACK timer at now + DelayedSackTime
// (SackDeadline; HandleTimeout fires it). Reading data reopens the window:
// UpdateWindow asks for a window update SACK once it grew by at least
// min(MTU, ReceiveBufferSize/2) since the last advertised a_rwnd (receiver
// SWS avoidance, §6.2 and RFC 1122 §4.2.3.3). FillSack resets it all.

// pktFlags collects what the chunks of the packet being processed did.
type pktFlags struct {
	seen    bool // a DATA, I-DATA or FORWARD TSN chunk was observed
	fresh   bool // a new TSN was accepted (or the cum point moved)
	dup     bool // a duplicate TSN
	dropped bool // a chunk was dropped or a FORWARD TSN was stale
}

// sackState is the delayed SACK state of a DataTracker.
type sackState struct {
	pkt            pktFlags  // what the packet being processed did
	hadGaps        bool      // gaps were open at the end of the previous packet
	newPackets     int       // packets with new data since the last SACK
	now            bool      // a SACK is due at once
	deadline       time.Time // delayed SACK timer; zero when not armed
	lastAdvertised uint32    // a_rwnd of the last SACK (or of INIT)
	gotData        bool      // new data was received since Init
}

// ObservePacketEnd applies the rules above to the packet whose chunks were
// just observed. immediate is whether any of its DATA chunks had the I
// bit. A packet without DATA, I-DATA or FORWARD TSN changes nothing.
func (t *DataTracker) ObservePacketEnd(now time.Time, immediate bool) {
	p := t.pkt
	t.pkt = pktFlags{}
	if !p.seen {
		return
	}
	gaps := len(t.blocks) > 0
	closed := t.hadGaps && !gaps
	t.hadGaps = gaps
	if p.fresh {
		t.newPackets++
	}
	// RFC 9260 §5.1: "After the reception of the first DATA chunk in an
	// association, the endpoint MUST immediately respond with a SACK".
	first := p.fresh && !t.gotData
	if p.fresh {
		t.gotData = true
	}
	switch {
	case immediate, p.dup, p.dropped, gaps, closed, first:
		t.now = true
	case p.fresh && t.newPackets >= t.cfg.SackFreq:
		t.now = true
	case p.fresh && t.deadline.IsZero():
		t.deadline = now.Add(t.cfg.DelayedSackTime)
	}
}

// ShouldSendSackNow reports whether a SACK is due without delay. The
// engine then builds one with FillSack (at most one per inbound packet,
// §6.2).
func (t *DataTracker) ShouldSendSackNow() bool { return t.now }

// SackPending reports whether data was received that no SACK acknowledged
// yet (a SACK is due now or the delayed SACK timer runs). The engine may
// bundle a SACK with outgoing DATA whenever this holds (§6.2 Figure 7).
func (t *DataTracker) SackPending() bool { return t.now || !t.deadline.IsZero() }

// SackDeadline returns when the delayed SACK timer expires, or the zero
// time when it is not armed.
func (t *DataTracker) SackDeadline() time.Time { return t.deadline }

// HandleTimeout fires the delayed SACK timer if it expired by now: the
// SACK becomes due at once.
func (t *DataTracker) HandleTimeout(now time.Time) {
	if !t.deadline.IsZero() && !now.Before(t.deadline) {
		t.deadline = time.Time{}
		t.now = true
	}
}

// ScheduleImmediateSack makes a SACK due at once, for the cases decided
// outside the tracker (a DATA chunk dropped because a_rwnd is 0, §6.2).
func (t *DataTracker) ScheduleImmediateSack() { t.now = true }

// UpdateWindow tells the tracker the current a_rwnd after the user read
// data. When it grew by at least max(MTU, ReceiveBufferSize/4), but never
// more than half the buffer (a tiny buffer must still reopen), since the
// last advertised value, a window update SACK becomes due (§6.2: update the
// window as the application consumes data, but avoid bursts of updates;
// RFC 1122 §4.2.3.3 receiver SWS avoidance). The quarter of the buffer is
// usrsctp's threshold (rwnd growth of sb_hiwat >> 2): a step of one MTU sent
// a SACK for nearly every message read, on top of the SACK every second
// packet. It reports whether an update became due.
func (t *DataTracker) UpdateWindow(arwnd uint32) bool {
	if arwnd <= t.lastAdvertised {
		return false
	}
	step := uint32(min(max(t.cfg.MTU, t.cfg.ReceiveBufferSize/4), t.cfg.ReceiveBufferSize/2))
	if arwnd-t.lastAdvertised < max(step, 1) {
		return false
	}
	t.now = true
	return true
}

// LastAdvertisedWindow returns the a_rwnd of the last SACK filled (or the
// receive buffer size before the first one).
func (t *DataTracker) LastAdvertisedWindow() uint32 { return t.lastAdvertised }

// sackSent resets the delayed SACK state after FillSack.
func (t *DataTracker) sackSent(arwnd uint32) {
	t.now = false
	t.deadline = time.Time{}
	t.newPackets = 0
	t.lastAdvertised = arwnd
}
