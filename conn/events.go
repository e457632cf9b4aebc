package conn

import (
	"encoding/binary"
	"fmt"

	"github.com/sconnlab/sconn/assoc"
)

// handleEventsLocked applies an association's engine events to its socket:
// state changes (connected, end of file, SO_ERROR), notifications for the
// subscribed types, and readiness for upcalls. ended reports that the
// engine is CLOSED. Called with s.mu held (not as.mu).
func (s *Socket) handleEventsLocked(as *association, evs []assoc.Event, ended bool) effects {
	var fx effects
	for _, ev := range evs {
		switch e := ev.(type) {
		case assoc.CommLost:
			fx.endErr = lostError(e.Reason, false)
		case assoc.CantStartAssoc:
			fx.endErr = lostError(e.Reason, true)
		}
	}
	for _, ev := range evs {
		switch ev.(type) {
		case assoc.CommUp, assoc.Restart, assoc.CommLost, assoc.CantStartAssoc, assoc.ShutdownComplete,
			assoc.ShutdownEvent, assoc.RemoteError, assoc.AdaptationIndication, assoc.PathChange:
			// Lifecycle events are rare: log them (data events are not).
			// One boxed value, formatted only if the logger prints it.
			s.st.alog.Debugf("%v", lifecycleLog{as.id, as.peer(), ev})
		}
		switch e := ev.(type) {
		case assoc.CommUp:
			if s.typ == OneToOne && s.one == as && s.state == stateConnecting {
				s.state = stateConnected
			}
			as.up = true
			s.sendPreUpLocked(as, &fx)
			s.notifyLocked(as, AssocChange{State: CommUp, AssocID: as.id,
				OutboundStreams: e.Info.OutboundStreams, InboundStreams: e.Info.InboundStreams,
				Supports: supports(e.Info.Features)}, &fx)
		case assoc.Restart:
			s.notifyLocked(as, AssocChange{State: Restart, AssocID: as.id,
				OutboundStreams: e.Info.OutboundStreams, InboundStreams: e.Info.InboundStreams,
				Supports: supports(e.Info.Features)}, &fx)
		case assoc.CommLost:
			err := lostError(e.Reason, false)
			s.notifyLocked(as, AssocChange{State: CommLost, AssocID: as.id, Error: firstCause(e.Causes),
				AbortCauses: e.Causes, Err: err}, &fx)
			s.endLocked(as, err)
		case assoc.CantStartAssoc:
			err := lostError(e.Reason, true)
			s.notifyLocked(as, AssocChange{State: CantStrAssoc, AssocID: as.id, Error: firstCause(e.Causes),
				AbortCauses: e.Causes, Err: err}, &fx)
			s.endLocked(as, err)
		case assoc.ShutdownComplete:
			s.notifyLocked(as, AssocChange{State: ShutdownComp, AssocID: as.id}, &fx)
			s.endLocked(as, nil)
		case assoc.ShutdownEvent:
			if s.one == as {
				s.peerShut = true
			}
			s.notifyLocked(as, ShutdownEvent{AssocID: as.id}, &fx)
		case assoc.RemoteError:
			s.notifyLocked(as, RemoteError{Error: uint16(e.Code), AssocID: as.id, Data: e.Cause}, &fx)
		case assoc.AdaptationIndication:
			s.notifyLocked(as, AdaptationEvent{Indication: e.Indication, AssocID: as.id}, &fx)
		case assoc.PathChange:
			as.unreachable = !e.Reachable
			st := AddrUnreachable
			if e.Reachable {
				st = AddrAvailable
			}
			s.notifyLocked(as, PeerAddrChange{Addr: as.peer(), State: st, Error: uint32(e.Errors), AssocID: as.id}, &fx)
		default:
			s.handleDataEventLocked(as, ev, &fx)
		}
	}
	if ended && !as.finished {
		s.endLocked(as, errorf(ErrConnAborted, "association closed"))
	}
	s.broadcastLocked()
	fx.upcall = s.upcall
	if s.up.Receive != nil && s.rq.len() > 0 {
		fx.deliver = true
	}
	if s.up.Receive != nil && s.eofLocked() && !s.eofDelivered {
		fx.deliver = true
	}
	return fx
}

// notifyLocked queues n if the association subscribed to its type.
func (s *Socket) notifyLocked(as *association, n Notification, fx *effects) {
	if s.closed || !as.subs.has(n.Type()) {
		return
	}
	s.rq.push(readItem{as: as, n: n})
}

// endLocked records the end of an association.
func (s *Socket) endLocked(as *association, err error) {
	if as.finished {
		return
	}
	s.failPreUpLocked(as, err)
	as.finished = true
	as.endErr = err
	delete(s.assocs, as.id)
	if s.one == as {
		if s.state == stateConnecting || s.state == stateConnected {
			s.state = stateDisconnected
		}
		if err != nil && !s.closed {
			s.soError = err
		}
	}
}

// supports lists the features of sac_info, as usrsctp fills it.
func supports(f assoc.Features) []AssocFeature {
	l := make([]AssocFeature, 0, 4)
	if f.PartialReliability {
		l = append(l, SupportsPR)
	}
	l = append(l, SupportsMultiBuf)
	if f.Reconfig {
		l = append(l, SupportsReConfig)
	}
	if f.IData {
		l = append(l, SupportsInterleaving)
	}
	return l
}

// firstCause returns the code of the first error cause in a cause list.
func firstCause(causes []byte) uint16 {
	if len(causes) < 2 {
		return 0
	}
	return binary.BigEndian.Uint16(causes)
}

// lostError maps why an association ended to a sentinel.
func lostError(r assoc.LostReason, starting bool) error {
	var sentinel error
	switch r {
	case assoc.LostPeerAbort:
		sentinel = ErrConnReset
		if starting {
			sentinel = ErrConnRefused
		}
	case assoc.LostUserAbort, assoc.LostProtocolViolation, assoc.LostNoUserData:
		sentinel = ErrConnAborted
	case assoc.LostInvalidInitAck:
		sentinel = ErrConnRefused
	default: // unreachable peer, timeouts, stale cookies
		sentinel = ErrPeerUnreachable
	}
	return errorf(sentinel, r.String())
}

// lifecycleLog is the debug line of an association event, formatted only
// when a logger prints it.
type lifecycleLog struct {
	id   AssocID
	peer Addr
	ev   assoc.Event
}

func (l lifecycleLog) String() string {
	return "assoc " + l.id.String() + " " + l.peer.String() + ": " + fmt.Sprint(l.ev)
}
