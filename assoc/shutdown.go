package assoc

import (
	"time"

	"github.com/sconnlab/sconn/internal/serial"
	"github.com/sconnlab/sconn/wire"
)

// shutdownState is the graceful shutdown of §9.2.
type shutdownState struct {
	requested   bool // the user called Shutdown
	retransmits int  // T2-shutdown expiries since the last packet from the peer
	notified    bool // ShutdownEvent was reported
}

// Shutdown starts a graceful close (the SHUTDOWN primitive, §11.1.3, §9.2):
// SHUTDOWN-PENDING until all outstanding data is acknowledged, then a
// SHUTDOWN. During the handshake the request is remembered and carried out
// on reaching ESTABLISHED. In SHUTDOWN-RECEIVED and later it is ignored
// (§9.2). ShutdownComplete (or CommLost) reports the end.
func (a *Association) Shutdown(now time.Time) error {
	switch a.state {
	case Closed:
		return ErrClosed
	case CookieWait, CookieEchoed:
		a.shut.requested = true
	case Established:
		a.shut.requested = true
		a.setState(ShutdownPending)
		a.maybeSendShutdown(now)
	}
	return nil
}

// maybeSendShutdown sends the SHUTDOWN once nothing is outstanding (§9.2):
// SHUTDOWN-SENT, T2-shutdown and the T5-shutdown-guard start, heartbeats
// stop (§8.3). The data transfer engine calls it again when its last
// outstanding chunk is acknowledged in SHUTDOWN-PENDING.
func (a *Association) maybeSendShutdown(now time.Time) {
	if a.state != ShutdownPending || a.hasOutstandingData() {
		return
	}
	a.setState(ShutdownSent)
	a.stopHeartbeats()
	a.shut.retransmits = 0
	a.sendShutdown(now)
	a.timers.start(timerT5Guard, now, a.shutdownGuard())
}

// shutdownGuard is the T5-shutdown-guard duration: Config.ShutdownGuard,
// or 5 × RTO.Max as the association has it now (§9.2).
func (a *Association) shutdownGuard() time.Duration {
	if a.cfg.ShutdownGuard > 0 {
		return a.cfg.ShutdownGuard
	}
	_, _, rtoMax := a.path.rto.Bounds()
	return 5 * rtoMax
}

// sendShutdown queues a SHUTDOWN with the last sequential TSN received
// (§9.2, §3.3.8) and (re)starts T2-shutdown with the RTO (§9.2, §6.3).
func (a *Association) sendShutdown(now time.Time) {
	a.shutdownAcks()
	a.queue(&wire.Shutdown{CumulativeTSNAck: a.cumulativeTSNAck()}, outNoData)
	a.timers.start(timerT2Shutdown, now, a.path.rto.Value())
}

// maybeSendShutdownAck sends the SHUTDOWN ACK once nothing is outstanding
// in SHUTDOWN-RECEIVED (§9.2): SHUTDOWN-ACK-SENT, T2-shutdown.
func (a *Association) maybeSendShutdownAck(now time.Time) {
	if a.state != ShutdownReceived || a.hasOutstandingData() {
		return
	}
	a.setState(ShutdownAckSent)
	a.stopHeartbeats()
	a.shut.retransmits = 0
	a.sendShutdownAck(now)
}

func (a *Association) sendShutdownAck(now time.Time) {
	a.queue(&wire.ShutdownAck{}, outNoData)
	a.timers.start(timerT2Shutdown, now, a.path.rto.Value())
}

// onT2Shutdown retransmits the SHUTDOWN (with the updated cumulative TSN
// ack) or the SHUTDOWN ACK with a doubled RTO, at most
// Association.Max.Retrans times; beyond, the peer is unreachable (§9.2).
func (a *Association) onT2Shutdown(now time.Time) {
	if a.state != ShutdownSent && a.state != ShutdownAckSent {
		return
	}
	a.shut.retransmits++
	if a.shut.retransmits > a.cfg.AssocMaxRetrans {
		a.giveUp(LostPeerUnreachable) // §9.2, §8.1
		return
	}
	a.path.rto.Backoff() // §6.3.3 E2 via §9.2 "rules in Section 6.3"
	if a.state == ShutdownSent {
		a.sendShutdown(now)
	} else {
		a.sendShutdownAck(now)
	}
}

// onT5Guard aborts a shutdown that took too long (§9.2).
func (a *Association) onT5Guard(now time.Time) {
	if !a.state.isShuttingDown() {
		return
	}
	a.queue(&wire.Abort{}, outLast)
	a.lost(LostShutdownGuard, nil, nil)
}

// handleShutdown processes a SHUTDOWN (§9.2).
func (a *Association) handleShutdown(now time.Time, p *rxPacket, c wire.Chunk) {
	sd, err := wire.DecodeShutdown(c)
	if err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	switch a.state {
	case CookieWait, CookieEchoed:
		p.discard(DropUnexpectedChunk, "SHUTDOWN in "+a.state.String()) // §9.2
		return
	}
	if !a.shutdownCumAck(now, p, serial.TSN(sd.CumulativeTSNAck)) {
		return
	}
	p.processed++
	if !a.shut.notified {
		a.shut.notified = true
		a.events.push(ShutdownEvent{})
	}
	switch a.state {
	case Established, ShutdownPending:
		// §9.2: SHUTDOWN-RECEIVED, no new user data, SHUTDOWN ACK once our
		// outstanding data is acknowledged.
		a.setState(ShutdownReceived)
		a.maybeSendShutdownAck(now)
	case ShutdownReceived:
		a.maybeSendShutdownAck(now)
	case ShutdownSent:
		// §9.2: both sent SHUTDOWN: SHUTDOWN ACK at once, SHUTDOWN-ACK-SENT,
		// T2-shutdown restarted.
		a.setState(ShutdownAckSent)
		a.shut.retransmits = 0
		a.sendShutdownAck(now)
	case ShutdownAckSent:
		// The peer did not get our SHUTDOWN ACK: answer again at once.
		a.queue(&wire.ShutdownAck{}, outNoData)
	}
}

// shutdownCumAck applies the Cumulative TSN Ack of a SHUTDOWN like that of
// a SACK (§9.2 "verify ... that all its outstanding DATA chunks have been
// received"). A cumulative ack of a TSN we never sent is a protocol
// violation that ends the association.
func (a *Association) shutdownCumAck(now time.Time, p *rxPacket, cum serial.TSN) bool {
	if next := a.nextTSN(); cum.GreaterEq(next) {
		a.abortViolation("SHUTDOWN acknowledges TSN " + itoa(int(uint32(cum))) + " never sent")
		p.abandon(DropMalformed, "SHUTDOWN cumulative TSN ack beyond the next TSN")
		return false
	}
	a.ackUpTo(now, cum)
	return true
}

// handleShutdownAck completes our shutdown (§9.2) or, before the
// association is up, answers as to an out-of-the-blue packet (checkVtag).
func (a *Association) handleShutdownAck(now time.Time, p *rxPacket, c wire.Chunk) {
	if _, err := wire.DecodeShutdownAck(c); err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	if a.state != ShutdownSent && a.state != ShutdownAckSent {
		p.discard(DropUnexpectedChunk, "SHUTDOWN ACK in "+a.state.String())
		return
	}
	// §9.2: stop T2, SHUTDOWN COMPLETE with our TCB's tag and T clear
	// (§8.5.1 C), remove the association.
	p.processed++
	a.queueShutdownComplete(a.info.PeerTag, false)
	a.teardown()
	a.events.push(ShutdownComplete{})
}

// handleShutdownComplete ends the association in SHUTDOWN-ACK-SENT and is
// ignored elsewhere (§8.5.1 C, §9.2). Its tag was checked by checkVtag.
func (a *Association) handleShutdownComplete(now time.Time, p *rxPacket, c wire.Chunk) {
	if _, err := wire.DecodeShutdownComplete(c); err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	if a.state != ShutdownAckSent {
		p.discard(DropUnexpectedChunk, "SHUTDOWN COMPLETE in "+a.state.String())
		return
	}
	p.processed++
	a.teardown()
	a.events.push(ShutdownComplete{})
}
