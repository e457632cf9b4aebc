package assoc

import (
	"github.com/sconnlab/sconn/wire"
)

// Event is something the association reports to its user, read with
// PollEvent. The concrete types mirror usrsctp's notifications: CommUp,
// CommLost, Restart, ShutdownComplete and CantStartAssoc are the states of
// SCTP_ASSOC_CHANGE (RFC 6458 §6.1.1, RFC 9260 §11.2); ShutdownEvent is
// SCTP_SHUTDOWN_EVENT, RemoteError SCTP_REMOTE_ERROR, AdaptationIndication
// SCTP_ADAPTATION_INDICATION and PathChange SCTP_PEER_ADDR_CHANGE. Events
// own their bytes: nothing in them points into a packet buffer.
type Event interface {
	// String describes the event for logs.
	String() string
	isEvent()
}

// Info describes an association as negotiated in its INIT and INIT ACK.
type Info struct {
	LocalTag, PeerTag uint32 // verification tags (§5.1)
	OutboundStreams   uint16 // min(our OS, peer's MIS) (§5.1.1)
	InboundStreams    uint16 // min(peer's OS, our MIS)
	LocalInitialTSN   uint32
	PeerInitialTSN    uint32
	PeerARwnd         uint32 // a_rwnd of the peer's INIT or INIT ACK
	Features          Features
}

// Features are the extensions both endpoints announced.
type Features struct {
	ECN                bool // ECN Capable in both (RFC 9260 Appendix A)
	PartialReliability bool // Forward-TSN-Supported in both (RFC 3758 §3.3)
	Reconfig           bool // RE-CONFIG in both Supported Extensions (RFC 6525 §5.1)
	IData              bool // I-DATA in both Supported Extensions (RFC 8260 §2.2.1)
	// ZeroChecksum: the peer accepts packets with a zero checksum from us
	// (it sent Zero Checksum Acceptable with our EDMID, RFC 9653 §5.2).
	ZeroChecksum bool
	// PeerAdaptation is set when the peer sent an Adaptation Layer
	// Indication (RFC 5061 §4.2.6); PeerAdaptationIndication holds it.
	PeerAdaptation           bool
	PeerAdaptationIndication uint32
}

// CommUp reports that the association reached ESTABLISHED (§11.2.4).
type CommUp struct{ Info Info }

// Restart reports that the peer restarted and the association was rebuilt
// with new tags and TSNs (§5.2.4 action A, §11.2.7).
type Restart struct{ Info Info }

// CommLost reports that an established association ended without a
// graceful shutdown (§11.2.5). The association is CLOSED.
type CommLost struct {
	Reason LostReason
	// Causes holds the error causes the ABORT carried, if any (raw TLVs).
	Causes []byte
	// UpperLayerReason is the Upper Layer Abort Reason of a User-Initiated
	// Abort cause, local (LostUserAbort) or from the peer (LostPeerAbort).
	UpperLayerReason []byte
}

// LostReason says why CommLost or CantStartAssoc happened.
type LostReason uint8

// Reasons for CommLost and CantStartAssoc.
const (
	LostPeerAbort         LostReason = iota + 1 // the peer sent an ABORT (§9.1)
	LostUserAbort                               // Abort was called (§9.1)
	LostPeerUnreachable                         // Association.Max.Retrans exceeded (§8.1, §9.2)
	LostShutdownGuard                           // T5-shutdown-guard expired (§9.2)
	LostInitTimeout                             // Max.Init.Retransmits of INIT exceeded (§5.1 note 2)
	LostCookieTimeout                           // Max.Init.Retransmits of COOKIE ECHO exceeded (§5.1 note 3)
	LostStaleCookie                             // stale cookies until Max.Init.Retransmits (§5.2.6)
	LostInvalidInitAck                          // the INIT ACK was unacceptable (§3.3.3, §5.1)
	LostProtocolViolation                       // this endpoint aborted on a protocol violation
	LostNoUserData                              // this endpoint aborted on a DATA chunk without data (§6.2)
)

func (r LostReason) String() string {
	switch r {
	case LostPeerAbort:
		return "peer abort"
	case LostUserAbort:
		return "user abort"
	case LostPeerUnreachable:
		return "peer unreachable"
	case LostShutdownGuard:
		return "shutdown guard expired"
	case LostInitTimeout:
		return "INIT retransmissions exhausted"
	case LostCookieTimeout:
		return "COOKIE ECHO retransmissions exhausted"
	case LostStaleCookie:
		return "stale cookie"
	case LostInvalidInitAck:
		return "invalid INIT ACK"
	case LostProtocolViolation:
		return "protocol violation"
	case LostNoUserData:
		return "DATA without user data"
	}
	return "reason " + itoa(int(r))
}

// CantStartAssoc reports that the association could not be established
// (SCTP_CANT_STR_ASSOC): the handshake timed out or was refused. The
// association is CLOSED.
type CantStartAssoc struct {
	Reason           LostReason
	Causes           []byte // error causes of an ABORT from the peer, if any
	UpperLayerReason []byte
}

// ShutdownComplete reports the end of a graceful shutdown (§11.2.8). The
// association is CLOSED.
type ShutdownComplete struct{}

// ShutdownEvent reports that the peer sent a SHUTDOWN (SCTP_SHUTDOWN_EVENT):
// no new user data may be sent.
type ShutdownEvent struct{}

// RemoteError reports an error cause received in an ERROR chunk (§11.2.6).
type RemoteError struct {
	Code wire.CauseCode
	// Cause is the whole error cause TLV, header included.
	Cause []byte
}

// AdaptationIndication reports the peer's Adaptation Layer Indication
// (RFC 5061 §4.2.6), delivered right after CommUp.
type AdaptationIndication struct{ Indication uint32 }

// PathChange reports that the peer's transport address became unreachable
// (its error counter exceeded Path.Max.Retrans) or reachable again (§8.2, §8.3).
type PathChange struct {
	Reachable bool
	Errors    int // the path error counter after the change
}

// DataReadable reports that a message (or a partial delivery piece) became
// readable with Recv after none was: raised when the receive queue goes
// from empty to non-empty (usrsctp's receive upcall).
type DataReadable struct{}

// SendSpaceAvailable reports that the free space of the send buffer rose
// to the threshold of SetSendThreshold, or, after Send refused a message
// with ErrSendBufferFull, to the size of that message (usrsctp's
// sb_threshold and send upcall).
type SendSpaceAvailable struct{ Free int }

// SendFailed returns a message that will not be delivered
// (SCTP_SEND_FAILED_EVENT, RFC 6458 §6.1.11): abandoned under its partial
// reliability policy (Err is ErrAbandoned), or still queued or
// unacknowledged when the association ended or restarted (ErrClosed).
type SendFailed struct {
	Data []byte // the whole message, a copy
	Opts SendOptions
	Sent bool // at least one fragment was sent
	Err  error
}

// PartialDeliveryAborted reports that a message being handed to the reader
// in pieces will not be completed (SCTP_PARTIAL_DELIVERY_ABORTED, RFC 6458
// §6.1.7): the sender abandoned it (FORWARD TSN) or the association ended.
type PartialDeliveryAborted struct {
	Stream uint16
	SSN    uint16 // or the low bits of the MID with I-DATA
}

// SenderDry reports that every message sent was acknowledged and nothing
// is queued (SCTP_SENDER_DRY_EVENT, RFC 6458 §6.1.9).
type SenderDry struct{}

func (CommUp) isEvent()                 {}
func (Restart) isEvent()                {}
func (CommLost) isEvent()               {}
func (CantStartAssoc) isEvent()         {}
func (ShutdownComplete) isEvent()       {}
func (ShutdownEvent) isEvent()          {}
func (RemoteError) isEvent()            {}
func (AdaptationIndication) isEvent()   {}
func (PathChange) isEvent()             {}
func (DataReadable) isEvent()           {}
func (SendSpaceAvailable) isEvent()     {}
func (SendFailed) isEvent()             {}
func (PartialDeliveryAborted) isEvent() {}
func (SenderDry) isEvent()              {}

func (DataReadable) String() string         { return "DATA_READABLE" }
func (e SendSpaceAvailable) String() string { return "SEND_SPACE " + itoa(e.Free) }
func (e SendFailed) String() string {
	return "SEND_FAILED stream " + itoa(int(e.Opts.Stream)) + " len " + itoa(len(e.Data)) + ": " + e.Err.Error()
}
func (e PartialDeliveryAborted) String() string {
	return "PARTIAL_DELIVERY_ABORTED stream " + itoa(int(e.Stream)) + " ssn " + itoa(int(e.SSN))
}
func (SenderDry) String() string { return "SENDER_DRY" }

func (e CommUp) String() string {
	return "COMM_UP os=" + itoa(int(e.Info.OutboundStreams)) + " is=" + itoa(int(e.Info.InboundStreams))
}
func (e Restart) String() string {
	return "RESTART os=" + itoa(int(e.Info.OutboundStreams)) + " is=" + itoa(int(e.Info.InboundStreams))
}
func (e CommLost) String() string       { return "COMM_LOST: " + e.Reason.String() }
func (e CantStartAssoc) String() string { return "CANT_STR_ASSOC: " + e.Reason.String() }
func (ShutdownComplete) String() string { return "SHUTDOWN_COMP" }
func (ShutdownEvent) String() string    { return "SHUTDOWN_EVENT" }
func (e RemoteError) String() string    { return "REMOTE_ERROR: " + e.Code.String() }
func (e AdaptationIndication) String() string {
	return "ADAPTATION_INDICATION " + itoa(int(e.Indication))
}
func (e PathChange) String() string {
	if e.Reachable {
		return "PEER_ADDR_CHANGE: available"
	}
	return "PEER_ADDR_CHANGE: unreachable"
}

// eventQueue is a FIFO of events.
type eventQueue struct {
	q    []Event
	head int
}

func (e *eventQueue) push(ev Event) { e.q = append(e.q, ev) }

func (e *eventQueue) pop() (Event, bool) {
	if e.head >= len(e.q) {
		return nil, false
	}
	ev := e.q[e.head]
	e.q[e.head] = nil
	e.head++
	if e.head == len(e.q) {
		e.q, e.head = e.q[:0], 0
	}
	return ev, true
}

// PollEvent returns the next event, oldest first; ok is false when none is
// pending.
func (a *Association) PollEvent() (ev Event, ok bool) { return a.events.pop() }
