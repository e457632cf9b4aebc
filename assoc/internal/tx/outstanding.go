package tx

import (
	"time"

	"github.com/sconnlab/sconn/internal/serial"
	"github.com/sconnlab/sconn/wire"
)

// chunkState is the state of a chunk in the outstanding queue.
type chunkState uint8

const (
	inFlight  chunkState = iota // sent, not acknowledged
	gapAcked                    // acknowledged by a Gap Ack Block: renegable (§6.2.1 D iii)
	toResend                    // marked for retransmission (§6.3.3, §7.2.4)
	abandoned                   // given up (RFC 3758 §3.5 A2)
)

// Entry flags.
const (
	flagB = 1 << iota
	flagE
	flagI
)

// entry is one DATA chunk given a TSN and not yet cumulatively acknowledged.
type entry struct {
	msg    *message
	data   []byte
	sentAt time.Time // last transmission
	fsn    uint32
	flags  uint8
	state  chunkState
	nacks  uint8  // miss indications (§7.2.4)
	sends  uint16 // transmissions, saturating
	fast   bool   // fast retransmitted: not again (§7.2.4 5)
}

// OutstandingQueue holds the chunks between the cumulative TSN ack point
// and the next TSN in a ring indexed by TSN, so that a SACK finds each TSN
// it covers in O(1) and touches only the TSNs it covers. It tracks the
// flight size, the peer's rwnd (§6.2.1), miss indications and fast
// recovery (§7.2.4), and the Advanced.Peer.Ack.Point of PR-SCTP (RFC 3758
// §3.5).
type OutstandingQueue struct {
	s    *Sender
	ring []entry // len is a power of two
	mask uint32
	base serial.TSN // lowest TSN held: cumulative TSN ack point + 1
	next serial.TSN // next TSN to assign

	flight     int    // chunk bytes in flight (§7.2)
	flightData int    // user data bytes in flight
	rwnd       uint32 // the peer's rwnd (§6.2.1)

	rtxCount   int        // entries marked toResend
	rtxCursor  serial.TSN // no toResend entry below it
	fastPacket bool       // the next packet is a fast retransmission (§7.2.4 3)

	// afterT3: since T3-rtx expired, nothing was acknowledged: one packet
	// in flight at most (§7.2.3).
	afterT3 bool
	inFR    bool       // Fast Recovery (§7.2.4 6)
	frExit  serial.TSN // its exit point

	highestGap serial.TSN // highest TSN gap-acknowledged (renege detection)
	// rttFence: no RTT sample from chunks below it, sent before the last
	// retransmission: their acknowledgement may have waited for the
	// retransmission (§6.3.1 C5, Karn; usrsctp does the same).
	rttFence   serial.TSN
	advPoint   serial.TSN // Advanced.Peer.Ack.Point (RFC 3758 §3.5 A1)
	fwdPending bool       // a FORWARD TSN should go out (RFC 3758 C3, A5)

	idleSince   time.Time // last DATA transmission, advanced by idle decay
	idleDecayed bool
}

func (o *OutstandingQueue) init(s *Sender, initialTSN, rwnd uint32) {
	t := serial.TSN(initialTSN)
	*o = OutstandingQueue{s: s, base: t, next: t, rwnd: rwnd, rtxCursor: t, rttFence: t,
		highestGap: t - 1, advPoint: t - 1}
}

func (o *OutstandingQueue) at(t serial.TSN) *entry { return &o.ring[uint32(t)&o.mask] }

// Outstanding returns the number of chunks not cumulatively acknowledged
// (in flight, gap-acknowledged, marked for retransmission or abandoned).
func (o *OutstandingQueue) Outstanding() int { return int(o.next - o.base) }

// Flight returns the bytes in flight (chunk sizes with padding, §7.2).
func (o *OutstandingQueue) Flight() int { return o.flight }

// UnackedData returns the user data bytes in flight.
func (o *OutstandingQueue) UnackedData() int { return o.flightData }

// PeerRwnd returns the peer's receive window as this side tracks it.
func (o *OutstandingQueue) PeerRwnd() uint32 { return o.rwnd }

// CumAck returns the cumulative TSN ack point.
func (o *OutstandingQueue) CumAck() uint32 { return uint32(o.base - 1) }

// NextTSN returns the TSN of the next new chunk.
func (o *OutstandingQueue) NextTSN() uint32 { return uint32(o.next) }

// InFastRecovery reports Fast Recovery (§7.2.4).
func (o *OutstandingQueue) InFastRecovery() bool { return o.inFR }

// ToRetransmit returns the number of chunks marked for retransmission.
func (o *OutstandingQueue) ToRetransmit() int { return o.rtxCount }

// ForwardTSNPending reports that a FORWARD TSN waits to be sent.
func (o *OutstandingQueue) ForwardTSNPending() bool { return o.fwdPending }

// add gives c the next TSN and puts it in flight (§6.2.1 B).
func (o *OutstandingQueue) add(now time.Time, c *Chunk) {
	if o.Outstanding() == len(o.ring) {
		o.grow()
	}
	t := o.next
	o.next++
	c.TSN = uint32(t)
	m := c.msg
	if m.refs == 0 {
		m.firstTSN = uint32(t)
	}
	m.refs++
	m.lastTSN = uint32(t)
	var f uint8
	if c.Beginning {
		f |= flagB
	}
	if c.Ending {
		f |= flagE
	}
	if c.Immediate {
		f |= flagI
	}
	*o.at(t) = entry{msg: m, data: c.Data, sentAt: now, fsn: c.FSN, flags: f, sends: 1}
	o.sent(now, len(c.Data))
}

// sent accounts one transmission of n user data bytes.
func (o *OutstandingQueue) sent(now time.Time, n int) {
	o.flight += o.s.chunkLen(n)
	o.flightData += n
	o.rwnd = subSat(o.rwnd, n)
	o.idleSince, o.idleDecayed = now, false
}

// unflight takes e out of the flight size.
func (o *OutstandingQueue) unflight(e *entry) {
	o.flight -= o.s.chunkLen(len(e.data))
	o.flightData -= len(e.data)
}

func subSat(a uint32, n int) uint32 {
	if uint64(n) >= uint64(a) {
		return 0
	}
	return a - uint32(n)
}

// grow doubles the ring.
func (o *OutstandingQueue) grow() {
	n := max(2*len(o.ring), 16)
	r := make([]entry, n)
	for t := o.base; t != o.next; t++ {
		r[uint32(t)&uint32(n-1)] = *o.at(t)
	}
	o.ring, o.mask = r, uint32(n-1)
}

// chunk rebuilds the chunk of entry t.
func (o *OutstandingQueue) chunk(t serial.TSN, e *entry) Chunk {
	m := e.msg
	c := Chunk{TSN: uint32(t), Stream: m.opts.Stream, PPID: m.opts.PPID, Unordered: m.opts.Unordered,
		Beginning: e.flags&flagB != 0, Ending: e.flags&flagE != 0, Immediate: e.flags&flagI != 0,
		Data: e.data, msg: m}
	if o.s.cfg.IData {
		c.MID, c.FSN = m.mid, e.fsn
	} else {
		c.SSN = uint16(m.mid)
	}
	return c
}

// SackResult is what HandleSack found.
type SackResult struct {
	// Ignored: the SACK is older than the cumulative TSN ack point
	// (§6.2.1 D i) and was dropped.
	Ignored bool
	// CumAdvanced: the cumulative TSN ack point moved (restart T3-rtx,
	// §6.3.2 R3).
	CumAdvanced bool
	CumTSN      uint32
	// AckedBytes are the chunk bytes newly acknowledged (cumulatively or by
	// gap blocks), abandoned chunks excluded (RFC 3758 A2).
	AckedBytes int
	// RTT is a round-trip sample from a chunk sent once (Karn, §6.3.1 C5);
	// HaveRTT says whether there is one.
	RTT     time.Duration
	HaveRTT bool
	// FastRetransmit: chunks reached three miss indications (§7.2.4).
	FastRetransmit bool
	// Reneged: a gap-acknowledged chunk is missing again (§6.2.1 D iii:
	// start T3-rtx if it is not running).
	Reneged bool
}

// HandleSack processes a SACK (§6.2.1), whose cumulative TSN ack the
// caller has checked to be below NextTSN: the cumulative ack and the gap
// blocks release and mark chunks, walking only the TSNs they cover; miss
// indications follow the HTNA rule and trigger fast retransmit on the
// third (§7.2.4); the congestion control sees the acknowledged bytes
// before any loss (§7.2.4 note); rwnd becomes a_rwnd minus the data in
// flight (§6.2.1 D ii); and the Advanced.Peer.Ack.Point moves over
// abandoned chunks (RFC 3758 C1, C2).
func (o *OutstandingQueue) HandleSack(now time.Time, sk *wire.Sack) SackResult {
	cum := serial.TSN(sk.CumulativeTSNAck)
	var r SackResult
	if cum.Less(o.base-1) || cum.GreaterEq(o.next) {
		r.Ignored = true // §6.2.1 D i
		return r
	}
	flightBefore := o.flight
	// The buffers this SACK frees stay pooled up to twice (for the size
	// classes' rounding) the most that was buffered before a SACK in the
	// last poolWindow, so a window acknowledged at once is reused whole
	// and a flow whose buffered amount swings between SACKs does not trim
	// on a low what it needs again on the next high.
	o.s.notePoolLimit(now, 2*o.s.Queue.buffered)
	var sampleAt time.Time
	ack := func(t serial.TSN, e *entry) {
		switch e.state {
		case inFlight:
			o.unflight(e)
		case toResend:
			o.rtxCount--
		default:
			return
		}
		r.AckedBytes += o.s.chunkLen(len(e.data))
		if e.sends == 1 && t.GreaterEq(o.rttFence) {
			sampleAt = e.sentAt
		}
	}
	// Cumulative TSN ack.
	if cum != o.base-1 {
		for t := o.base; t != cum+1; t++ {
			e := o.at(t)
			ack(t, e)
			o.release(e)
		}
		o.base = cum + 1
		r.CumAdvanced = true
		if o.rtxCursor.Less(o.base) {
			o.rtxCursor = o.base
		}
		if o.inFR && cum.GreaterEq(o.frExit) {
			o.inFR = false // §6.2.1 D iv
		}
		if o.highestGap.Less(cum) {
			o.highestGap = cum
		}
		if o.advPoint.Less(cum) {
			o.advPoint = cum // RFC 3758 C1
		}
	}
	r.CumTSN = uint32(cum)
	// Gap Ack Blocks: acknowledge, and find the highest TSN newly acked.
	htna := cum
	highest := cum // highest TSN this SACK acknowledges
	n := sk.NumGapBlocks()
	for i := 0; i < n; i++ {
		start, end, ok := o.block(sk, i, cum)
		if !ok {
			continue
		}
		for t := start; ; t++ {
			e := o.at(t)
			if e.state == inFlight || e.state == toResend {
				ack(t, e)
				e.state = gapAcked
				htna = t
			}
			if t == end {
				break
			}
		}
		if highest.Less(end) {
			highest = end
		}
	}
	// Miss indications for the TSNs between the blocks (§7.2.4), below
	// the HTNA — or every reported gap in Fast Recovery when the
	// cumulative ack advanced.
	limit := htna
	if o.inFR && r.CumAdvanced {
		limit = highest
	}
	// A SACK that neither moves the cumulative ack nor reaches the highest
	// TSN gap-acknowledged so far is older than one already processed
	// (SACKs can be reordered, §6.2.1): what it lacks was not reneged.
	stale := !r.CumAdvanced && highest.Less(o.highestGap)
	fast := false
	pos := o.base
	for i := 0; i < n; i++ {
		start, end, ok := o.block(sk, i, cum)
		if !ok {
			continue
		}
		for t := pos; t.Less(start); t++ {
			fast = o.miss(now, t, limit, stale, &r) || fast
		}
		if pos.LessEq(end) {
			pos = end + 1
		}
	}
	// Beyond the last block only chunks gap-acknowledged before can be
	// missing: the peer reneged on them.
	for t := pos; !stale && t.LessEq(o.highestGap) && t != o.next; t++ {
		if o.at(t).state == gapAcked {
			fast = o.miss(now, t, limit, false, &r) || fast
		}
	}
	if !stale {
		o.highestGap = highest
	}
	if sampleAt != (time.Time{}) {
		r.RTT, r.HaveRTT = now.Sub(sampleAt), true
	}
	if r.AckedBytes > 0 {
		o.afterT3 = false
	}
	// §7.2.4 note: the cwnd rules of §7.2.1 and §7.2.2 first.
	o.s.CC.OnAck(Ack{Bytes: r.AckedBytes, FlightBefore: flightBefore, FlightAfter: o.flight,
		InFastRecovery: o.inFR, CumAdvanced: r.CumAdvanced})
	if fast {
		r.FastRetransmit = true
		if !o.inFR {
			// §7.2.4 2, 3, 6: cut cwnd once, one packet ignoring cwnd, and
			// Fast Recovery up to the highest outstanding TSN.
			o.s.CC.OnLoss(o.flight)
			o.fastPacket = true
			o.inFR, o.frExit = true, o.next-1
		}
	}
	o.rwnd = subSat(sk.ARwnd, o.flightData) // §6.2.1 D ii
	o.advance()
	if o.advPoint.Greater(cum) {
		o.fwdPending = true // RFC 3758 C3: on every SACK that leaves a gap
	}
	return r
}

// block returns gap block i as TSNs, clipped to what is held; ok is false
// for a block that covers nothing held.
func (o *OutstandingQueue) block(sk *wire.Sack, i int, cum serial.TSN) (start, end serial.TSN, ok bool) {
	s, e := sk.GapBlock(i)
	if s == 0 || e < s {
		return 0, 0, false
	}
	start, end = cum.Add(uint32(s)), cum.Add(uint32(e))
	if end.GreaterEq(o.next) {
		end = o.next - 1
	}
	if start.Less(o.base) {
		start = o.base
	}
	return start, end, start.LessEq(end)
}

// miss records that the SACK reports t missing; it returns true when t is
// newly marked for fast retransmission.
func (o *OutstandingQueue) miss(now time.Time, t, limit serial.TSN, stale bool, r *SackResult) bool {
	e := o.at(t)
	switch e.state {
	case gapAcked:
		if stale {
			return false
		}
		// §6.2.1 D iii: the peer reneged: the chunk is outstanding again
		// and gets one miss indication.
		e.state = inFlight
		o.flight += o.s.chunkLen(len(e.data))
		o.flightData += len(e.data)
		r.Reneged = true
	case inFlight:
		if !t.Less(limit) {
			return false // HTNA
		}
	default:
		return false
	}
	if e.nacks < 255 {
		e.nacks++
	}
	if e.nacks >= 3 && !e.fast {
		e.fast = true // §7.2.4 5
		o.markResend(now, t, e)
		return true
	}
	return false
}

// markResend marks entry t for retransmission (§6.2.1 C: its data returns
// to rwnd) or, when its message's policy says so, abandons the message
// (RFC 7496 §3.1: the retransmission would exceed the limit; RFC 3758
// §4.1: the lifetime expired).
func (o *OutstandingQueue) markResend(now time.Time, t serial.TSN, e *entry) {
	m := e.msg
	if o.s.cfg.PartialReliability &&
		((m.opts.Policy == PRRtx && uint32(e.sends-1) >= m.opts.PRValue) || o.s.expired(m, now)) {
		o.s.abandon(m)
		return
	}
	if e.state == inFlight {
		o.unflight(e)
	}
	o.rwnd += uint32(len(e.data))
	e.state = toResend
	e.nacks = 0
	o.rtxCount++
	o.rttFence = o.next
	if t.Less(o.rtxCursor) {
		o.rtxCursor = t
	}
}

// release drops the cumulatively acknowledged entry e.
func (o *OutstandingQueue) release(e *entry) {
	m := e.msg
	if e.state != abandoned {
		m.pending -= len(e.data)
		o.s.Queue.release(m.opts.Stream, len(e.data))
	}
	m.refs--
	*e = entry{}
	o.s.maybeFree(m)
}

// HandleT3Expiry marks every chunk in flight for retransmission (§6.3.3
// E3 and the paragraph after it), applies §7.2.3 to the congestion
// control, leaves Fast Recovery, and retries the FORWARD TSN (RFC 3758
// A5). The caller backs off the RTO (E2) and restarts the timer (E4).
func (o *OutstandingQueue) HandleT3Expiry(now time.Time) {
	o.s.CC.OnTimeout()
	o.afterT3 = true
	o.inFR = false
	o.fastPacket = false
	for t := o.base; t != o.next; t++ {
		if e := o.at(t); e.state == inFlight {
			o.markResend(now, t, e)
		}
	}
	o.advance()
	if o.advPoint.GreaterEq(o.base) {
		o.fwdPending = true
	}
}

// nextRetransmit retransmits the lowest marked chunk if its user data
// fits in room (§6.1 C: in TSN order).
func (o *OutstandingQueue) nextRetransmit(now time.Time, room int) (Chunk, bool) {
	for t := o.rtxCursor; o.rtxCount > 0 && t != o.next; t++ {
		e := o.at(t)
		if e.state != toResend {
			continue
		}
		o.rtxCursor = t
		if o.s.expired(e.msg, now) {
			o.s.abandon(e.msg)
			continue
		}
		if len(e.data) > room {
			return Chunk{}, false
		}
		e.state = inFlight
		e.sentAt = now
		if e.sends < 0xFFFF {
			e.sends++
		}
		o.rtxCount--
		o.sent(now, len(e.data))
		return o.chunk(t, e), true
	}
	return Chunk{}, false
}

// clear empties the queue after FailAll.
func (o *OutstandingQueue) clear() {
	for t := o.base; t != o.next; t++ {
		e := o.at(t)
		if e.msg != nil {
			o.release(e)
		}
	}
	o.base = o.next
	o.flight, o.flightData, o.rtxCount = 0, 0, 0
	o.inFR, o.fwdPending, o.fastPacket, o.afterT3 = false, false, false, false
	o.rtxCursor, o.rttFence, o.highestGap, o.advPoint = o.next, o.next, o.next-1, o.next-1
}
