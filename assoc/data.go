package assoc

import (
	"time"

	"github.com/sconnlab/sconn/internal/serial"
	"github.com/sconnlab/sconn/wire"
)

// This file is the seam between the lifecycle and user data transfer
// (RFC 9260 §6, §7). The lifecycle needs only a few answers from the data
// side: the cumulative TSN ack for SHUTDOWN (§9.2), whether data is
// outstanding (§9.2), the next TSN (to reject impossible acks), and a
// reset on restart (§5.2.4 A). What is here is the minimal receiver the
// lifecycle needs: DATA is acknowledged in order, SACKs are accepted and
// ignored (this engine sends no DATA yet). The data transfer engine
// replaces the bodies of these methods and adds its own state to dataState.

// dataState is the user data state of the association.
type dataState struct {
	// cumTSN is the cumulative TSN ack point of the receive side: the last
	// in-sequence TSN received (§6.2), initially the peer's Initial TSN
	// minus one (§5.1).
	cumTSN serial.TSN
	// nextTSN is the TSN of the next DATA chunk we send; our Cumulative TSN
	// Ack Point is nextTSN-1 at start (§5.1).
	nextTSN serial.TSN
	// dups holds the duplicate TSNs of the packet being processed (§6.2).
	dups []uint32
}

// initData sets the TSN state from a.info when the TCB gets its peer (INIT
// ACK, cookie, restart).
func (a *Association) initData() {
	a.data = dataState{
		cumTSN:  serial.TSN(a.info.PeerInitialTSN).Prev(), // §5.1
		nextTSN: serial.TSN(a.info.LocalInitialTSN),
	}
}

// cumulativeTSNAck is the last in-sequence TSN received (§3.3.8).
func (a *Association) cumulativeTSNAck() uint32 { return uint32(a.data.cumTSN) }

// nextTSN is the TSN the next new DATA chunk gets.
func (a *Association) nextTSN() serial.TSN { return a.data.nextTSN }

// hasOutstandingData reports DATA sent and not yet cumulatively acknowledged
// (§9.2). Without a sender there is none.
func (a *Association) hasOutstandingData() bool { return false }

// ackUpTo applies a cumulative acknowledgement from a SACK or SHUTDOWN
// (§6.2.1, §9.2). Without a sender there is nothing to release.
func (a *Association) ackUpTo(now time.Time, cum serial.TSN) {}

// dataWaiting reports DATA ready to send (Poll builds a packet for it even
// without control chunks).
func (a *Association) dataWaiting(now time.Time) bool { return false }

// appendData adds DATA chunks to a packet being built by Poll, after the
// control chunks (§6.10), as many as fit.
func (a *Association) appendData(now time.Time, bld *wire.Builder) {}

// handleExtensionChunk handles the chunk types of negotiated extensions
// (FORWARD TSN, I-DATA, RE-CONFIG, ECNE, CWR…). It returns false for a
// chunk it does not handle, which then follows the unrecognized-chunk
// rules of §3.2.
func (a *Association) handleExtensionChunk(now time.Time, p *rxPacket, c wire.Chunk) bool {
	return false
}

// handleData receives a DATA chunk (§6.2). The minimal receiver accepts the
// next in-sequence TSN, reports duplicates and drops TSNs beyond a gap (the
// peer retransmits them).
func (a *Association) handleData(now time.Time, p *rxPacket, c wire.Chunk) {
	switch a.state {
	case CookieWait, ShutdownAckSent:
		// No peer tag yet; or the peer, having sent SHUTDOWN, sends no
		// new data.
		p.discard(DropUnexpectedChunk, "DATA in "+a.state.String())
		return
	}
	d, err := wire.DecodeData(c)
	if err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	p.processed++
	if len(d.UserData) == 0 {
		// §6.2: ABORT with a No User Data cause.
		a.sendAbort(wire.NoUserData{TSN: d.TSN}.Append(nil), LostNoUserData)
		p.abandon(DropMalformed, "DATA chunk without user data")
		return
	}
	p.dataSeen = true
	tsn := serial.TSN(d.TSN)
	if tsn.LessEq(a.data.cumTSN) {
		a.data.dups = append(a.data.dups, d.TSN) // §6.2: report duplicates
		return
	}
	if tsn != a.data.cumTSN.Next() {
		return // out of order: not accepted, not acknowledged
	}
	if d.StreamID >= a.info.InboundStreams {
		// §6.5: acknowledge, report Invalid Stream Identifier, discard.
		a.queueError(wire.InvalidStreamIdentifier{StreamID: d.StreamID}.Append(nil))
	}
	a.data.cumTSN = tsn
}

// handleSack receives a SACK (§6.2.1). Acknowledging a TSN never sent is a
// protocol violation.
func (a *Association) handleSack(now time.Time, p *rxPacket, c wire.Chunk) {
	if !a.state.hasPeerTag() {
		p.discard(DropUnexpectedChunk, "SACK in "+a.state.String())
		return
	}
	s, err := wire.DecodeSack(c)
	if err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	cum := serial.TSN(s.CumulativeTSNAck)
	if cum.GreaterEq(a.nextTSN()) {
		a.abortViolation("SACK acknowledges TSN " + itoa(int(s.CumulativeTSNAck)) + " never sent")
		p.abandon(DropMalformed, "SACK cumulative TSN ack beyond the next TSN")
		return
	}
	p.processed++
	a.ackUpTo(now, cum)
}

// afterPacket acknowledges the DATA of a packet: a SACK at once (the
// minimal receiver does not delay), and in SHUTDOWN-SENT a SHUTDOWN too,
// restarting T2-shutdown (§9.2; the SACK is needed for duplicates).
func (a *Association) afterPacket(now time.Time, p *rxPacket) {
	if !p.dataSeen || a.state == Closed {
		a.data.dups = a.data.dups[:0]
		return
	}
	if a.state == ShutdownSent {
		a.sendShutdown(now)
		if len(a.data.dups) == 0 {
			return
		}
	}
	a.queue(&wire.Sack{CumulativeTSNAck: uint32(a.data.cumTSN), ARwnd: a.cfg.ARwnd,
		GapBlocks: []wire.GapBlock{}, DupTSNs: a.data.dups}, 0)
	a.data.dups = a.data.dups[:0]
}
