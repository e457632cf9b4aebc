package assoc

import (
	"time"

	"github.com/sconnlab/sconn/wire"
)

// Abort ends the association at once (the ABORT primitive, §11.1.4, §9.1):
// an ABORT with a User-Initiated Abort cause carrying reason (§3.3.10.12)
// is sent with the peer's tag, and the association is CLOSED. In
// COOKIE-WAIT the peer's tag is unknown and nothing is sent (§8.5.1 B).
// The association reports CantStartAssoc or CommLost with LostUserAbort.
func (a *Association) Abort(now time.Time, reason []byte) error {
	if a.state == Closed {
		return ErrClosed
	}
	reason = append([]byte(nil), reason...)
	if a.state.hasPeerTag() {
		a.out.clear() // nothing else goes out, DATA least of all (§9.1)
		cause := wire.UserInitiatedAbort{Reason: reason}.Append(nil)
		a.queue(&wire.Abort{Causes: cause}, outLast)
	}
	a.lost(LostUserAbort, nil, reason)
	return nil
}

// abortViolation sends an ABORT with a Protocol Violation cause
// (§3.3.10.13) and ends the association.
func (a *Association) abortViolation(info string) {
	a.sendAbort(wire.ProtocolViolation{Info: []byte(info)}.Append(nil), LostProtocolViolation)
}

// sendAbort sends an ABORT with the given causes and ends the association
// with reason (§9.1: the peer's tag, no DATA bundled).
func (a *Association) sendAbort(causes []byte, reason LostReason) {
	a.queue(&wire.Abort{Causes: causes}, outLast)
	a.lost(reason, nil, nil)
}

// giveUp ends the association after too many retransmissions
// (Association.Max.Retrans, §8.1 and §9.2; Max.Init.Retransmits for the
// COOKIE ECHO, §5.1 C) with an ABORT without cause, as usrsctp sends, when
// the peer's tag is known (§9.1: nothing else goes out).
func (a *Association) giveUp(reason LostReason) {
	if a.state.hasPeerTag() {
		a.out.clear()
		a.queue(&wire.Abort{}, outLast)
	}
	a.lost(reason, nil, nil)
}

// handleAbort ends the association on a valid ABORT (§9.1) and reports the
// causes, with the Upper Layer Abort Reason of a User-Initiated Abort
// (§9.1). An ABORT is never answered (§3.3.7).
func (a *Association) handleAbort(now time.Time, p *rxPacket, c wire.Chunk) {
	ab, err := wire.DecodeAbort(c)
	if err != nil {
		p.abandon(DropMalformed, err.Error()) // §3.3.7: format error: discard
		return
	}
	// §8.5.1 B, for an ABORT after other chunks too.
	ok := (!ab.TagReflected && p.vtag == a.info.LocalTag) ||
		(ab.TagReflected && a.state.hasPeerTag() && p.vtag == a.info.PeerTag)
	if !ok {
		p.abandon(DropBadVtag, "ABORT with T="+boolDigit(ab.TagReflected)+" and tag "+hex32(p.vtag))
		return
	}
	p.processed++
	var ulp []byte
	for ci := ab.CauseIter(); ; {
		cause, ok := ci.Next()
		if !ok {
			break
		}
		if cause.Code() == wire.CauseUserInitiatedAbort {
			ulp = append([]byte{}, cause.Value()...)
		}
	}
	var causes []byte
	if len(ab.Causes) > 0 {
		causes = append(causes, ab.Causes...)
	}
	a.lost(LostPeerAbort, causes, ulp)
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
