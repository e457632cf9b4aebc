package conn

import (
	"strconv"

	"github.com/sconnlab/sconn/wire"
)

// NotificationType is the type of a notification (sn_type), with
// usrsctp's values. Subscribe per type with the Event socket option.
type NotificationType uint16

// Notification types (RFC 6458 §6.1, usrsctp.h).
const (
	NotifyAssocChange          NotificationType = 0x0001 // SCTP_ASSOC_CHANGE
	NotifyPeerAddrChange       NotificationType = 0x0002 // SCTP_PEER_ADDR_CHANGE
	NotifyRemoteError          NotificationType = 0x0003 // SCTP_REMOTE_ERROR
	NotifySendFailed           NotificationType = 0x0004 // SCTP_SEND_FAILED (deprecated; use NotifySendFailedEvent)
	NotifyShutdownEvent        NotificationType = 0x0005 // SCTP_SHUTDOWN_EVENT
	NotifyAdaptationIndication NotificationType = 0x0006 // SCTP_ADAPTATION_INDICATION
	NotifyPartialDelivery      NotificationType = 0x0007 // SCTP_PARTIAL_DELIVERY_EVENT
	NotifyAuthentication       NotificationType = 0x0008 // SCTP_AUTHENTICATION_EVENT (AUTH is not implemented)
	NotifyStreamReset          NotificationType = 0x0009 // SCTP_STREAM_RESET_EVENT (stream reconfiguration issue)
	NotifySenderDry            NotificationType = 0x000a // SCTP_SENDER_DRY_EVENT
	NotifyNotificationsStopped NotificationType = 0x000b // SCTP_NOTIFICATIONS_STOPPED_EVENT (never sent)
	NotifyAssocReset           NotificationType = 0x000c // SCTP_ASSOC_RESET_EVENT (stream reconfiguration issue)
	NotifyStreamChange         NotificationType = 0x000d // SCTP_STREAM_CHANGE_EVENT (stream reconfiguration issue)
	NotifySendFailedEvent      NotificationType = 0x000e // SCTP_SEND_FAILED_EVENT

	maxNotificationType = NotifySendFailedEvent
)

var notificationNames = [...]string{
	NotifyAssocChange:          "SCTP_ASSOC_CHANGE",
	NotifyPeerAddrChange:       "SCTP_PEER_ADDR_CHANGE",
	NotifyRemoteError:          "SCTP_REMOTE_ERROR",
	NotifySendFailed:           "SCTP_SEND_FAILED",
	NotifyShutdownEvent:        "SCTP_SHUTDOWN_EVENT",
	NotifyAdaptationIndication: "SCTP_ADAPTATION_INDICATION",
	NotifyPartialDelivery:      "SCTP_PARTIAL_DELIVERY_EVENT",
	NotifyAuthentication:       "SCTP_AUTHENTICATION_EVENT",
	NotifyStreamReset:          "SCTP_STREAM_RESET_EVENT",
	NotifySenderDry:            "SCTP_SENDER_DRY_EVENT",
	NotifyNotificationsStopped: "SCTP_NOTIFICATIONS_STOPPED_EVENT",
	NotifyAssocReset:           "SCTP_ASSOC_RESET_EVENT",
	NotifyStreamChange:         "SCTP_STREAM_CHANGE_EVENT",
	NotifySendFailedEvent:      "SCTP_SEND_FAILED_EVENT",
}

// String returns the usrsctp name, e.g. "SCTP_ASSOC_CHANGE".
func (t NotificationType) String() string {
	if t > 0 && t <= maxNotificationType {
		return notificationNames[t]
	}
	return "notification " + strconv.Itoa(int(t))
}

// valid reports a known type.
func (t NotificationType) valid() bool { return t > 0 && t <= maxNotificationType }

// eventMask is a set of subscribed notification types (bit t).
type eventMask uint16

func (m eventMask) has(t NotificationType) bool { return m&(1<<t) != 0 }

func (m *eventMask) set(t NotificationType, on bool) {
	if on {
		*m |= 1 << t
	} else {
		*m &^= 1 << t
	}
}

// Notification is an event of the SCTP stack delivered through RecvV (with
// MsgNotification set) or the receive upcall, when the socket subscribed to
// its type with the Event option (RFC 6458 §6.1, §6.2). The concrete types
// are AssocChange, PeerAddrChange, RemoteError, SendFailedEvent,
// ShutdownEvent, AdaptationEvent, PartialDeliveryEvent and SenderDryEvent.
type Notification interface {
	// Type returns the notification type.
	Type() NotificationType
	// Assoc returns the association it concerns.
	Assoc() AssocID
	// String describes it in one line.
	String() string
}

// AssocChangeState is sac_state.
type AssocChangeState uint16

// States of SCTP_ASSOC_CHANGE (RFC 6458 §6.1.1).
const (
	CommUp       AssocChangeState = 0x0001 // SCTP_COMM_UP
	CommLost     AssocChangeState = 0x0002 // SCTP_COMM_LOST
	Restart      AssocChangeState = 0x0003 // SCTP_RESTART
	ShutdownComp AssocChangeState = 0x0004 // SCTP_SHUTDOWN_COMP
	CantStrAssoc AssocChangeState = 0x0005 // SCTP_CANT_STR_ASSOC
)

// String returns the RFC 6458 name.
func (s AssocChangeState) String() string {
	switch s {
	case CommUp:
		return "SCTP_COMM_UP"
	case CommLost:
		return "SCTP_COMM_LOST"
	case Restart:
		return "SCTP_RESTART"
	case ShutdownComp:
		return "SCTP_SHUTDOWN_COMP"
	case CantStrAssoc:
		return "SCTP_CANT_STR_ASSOC"
	}
	return "state " + strconv.Itoa(int(s))
}

// AssocFeature is one entry of sac_info for COMM_UP and RESTART: an
// extension both endpoints support.
type AssocFeature uint8

// Features (SCTP_ASSOC_SUPPORTS_*).
const (
	SupportsPR           AssocFeature = 0x01 // PR-SCTP (RFC 3758)
	SupportsAuth         AssocFeature = 0x02 // AUTH (RFC 4895)
	SupportsASCONF       AssocFeature = 0x03 // ASCONF (RFC 5061)
	SupportsMultiBuf     AssocFeature = 0x04 // one receive buffer per association (always, as usrsctp)
	SupportsReConfig     AssocFeature = 0x05 // stream reconfiguration (RFC 6525)
	SupportsInterleaving AssocFeature = 0x06 // I-DATA (RFC 8260)
)

// AssocChange is SCTP_ASSOC_CHANGE (RFC 6458 §6.1.1).
type AssocChange struct {
	State AssocChangeState
	// Error is sac_error: for COMM_LOST and CANT_STR_ASSOC the code of the
	// first error cause of the ABORT, when there was one.
	Error                           uint16
	OutboundStreams, InboundStreams uint16
	AssocID                         AssocID
	// Supports lists the features of sac_info for COMM_UP and RESTART.
	Supports []AssocFeature
	// AbortCauses holds the error causes of the ABORT (sac_info for
	// COMM_LOST and CANT_STR_ASSOC), raw TLVs; walk them with wire.
	AbortCauses []byte
	// Err is the Go error of a lost association (ErrConnReset,
	// ErrConnRefused, ErrPeerUnreachable, ErrConnAborted…), nil otherwise.
	Err error
}

// Type implements Notification.
func (AssocChange) Type() NotificationType { return NotifyAssocChange }

// Assoc implements Notification.
func (n AssocChange) Assoc() AssocID { return n.AssocID }

// String describes the notification in one line.
func (n AssocChange) String() string {
	s := "SCTP_ASSOC_CHANGE " + n.State.String() + " assoc " + n.AssocID.String()
	if n.State == CommUp || n.State == Restart {
		s += " os=" + strconv.Itoa(int(n.OutboundStreams)) + " is=" + strconv.Itoa(int(n.InboundStreams))
	}
	if n.Err != nil {
		s += ": " + n.Err.Error()
	}
	return s
}

// AddrState is spc_state.
type AddrState uint32

// States of SCTP_PEER_ADDR_CHANGE (RFC 6458 §6.1.2).
const (
	AddrAvailable   AddrState = 0x0001 // SCTP_ADDR_AVAILABLE
	AddrUnreachable AddrState = 0x0002 // SCTP_ADDR_UNREACHABLE
	AddrRemoved     AddrState = 0x0003 // SCTP_ADDR_REMOVED
	AddrAdded       AddrState = 0x0004 // SCTP_ADDR_ADDED
	AddrMadePrim    AddrState = 0x0005 // SCTP_ADDR_MADE_PRIM
	AddrConfirmed   AddrState = 0x0006 // SCTP_ADDR_CONFIRMED
)

// String returns the RFC 6458 name.
func (s AddrState) String() string {
	switch s {
	case AddrAvailable:
		return "SCTP_ADDR_AVAILABLE"
	case AddrUnreachable:
		return "SCTP_ADDR_UNREACHABLE"
	case AddrRemoved:
		return "SCTP_ADDR_REMOVED"
	case AddrAdded:
		return "SCTP_ADDR_ADDED"
	case AddrMadePrim:
		return "SCTP_ADDR_MADE_PRIM"
	case AddrConfirmed:
		return "SCTP_ADDR_CONFIRMED"
	}
	return "state " + strconv.Itoa(int(s))
}

// PeerAddrChange is SCTP_PEER_ADDR_CHANGE (RFC 6458 §6.1.2): the peer's
// address (its handle and port, AF_CONN has exactly one) became reachable
// or unreachable.
type PeerAddrChange struct {
	Addr    Addr
	State   AddrState
	Error   uint32 // spc_error: the path error counter after the change
	AssocID AssocID
}

// Type implements Notification.
func (PeerAddrChange) Type() NotificationType { return NotifyPeerAddrChange }

// Assoc implements Notification.
func (n PeerAddrChange) Assoc() AssocID { return n.AssocID }

// String describes the notification in one line.
func (n PeerAddrChange) String() string {
	return "SCTP_PEER_ADDR_CHANGE " + n.State.String() + " " + n.Addr.String() + " assoc " + n.AssocID.String()
}

// RemoteError is SCTP_REMOTE_ERROR (RFC 6458 §6.1.3): the peer sent an
// ERROR chunk; one notification per error cause.
type RemoteError struct {
	Error   uint16 // sre_error: the cause code
	AssocID AssocID
	// Data is the error cause (code, length, value).
	Data []byte
}

// Type implements Notification.
func (RemoteError) Type() NotificationType { return NotifyRemoteError }

// Assoc implements Notification.
func (n RemoteError) Assoc() AssocID { return n.AssocID }

// String describes the notification in one line.
func (n RemoteError) String() string {
	return "SCTP_REMOTE_ERROR " + wire.CauseCode(n.Error).String() + " assoc " + n.AssocID.String()
}

// SendFailedFlags is ssfe_flags.
type SendFailedFlags uint16

// Flags of SCTP_SEND_FAILED_EVENT.
const (
	DataUnsent SendFailedFlags = 0x0001 // SCTP_DATA_UNSENT: never on the wire
	DataSent   SendFailedFlags = 0x0002 // SCTP_DATA_SENT: at least partly sent
)

// SendFailedEvent is SCTP_SEND_FAILED_EVENT (RFC 6458 §6.1.11): a message
// could not be delivered (the association ended, or its PR-SCTP policy
// abandoned it).
type SendFailedEvent struct {
	Flags   SendFailedFlags
	Error   uint32   // ssfe_error
	Info    SendInfo // the message's sndinfo (stream, flags, PPID, context)
	AssocID AssocID
	Data    []byte // the undelivered message
	// Err is the Go error describing why.
	Err error
}

// Type implements Notification.
func (SendFailedEvent) Type() NotificationType { return NotifySendFailedEvent }

// Assoc implements Notification.
func (n SendFailedEvent) Assoc() AssocID { return n.AssocID }

// String describes the notification in one line.
func (n SendFailedEvent) String() string {
	s := "SCTP_SEND_FAILED_EVENT stream " + strconv.Itoa(int(n.Info.Stream)) + " len " + strconv.Itoa(len(n.Data)) + " assoc " + n.AssocID.String()
	if n.Flags&DataSent != 0 {
		s += " (sent)"
	} else {
		s += " (unsent)"
	}
	return s
}

// ShutdownEvent is SCTP_SHUTDOWN_EVENT (RFC 6458 §6.1.5): the peer sent a
// SHUTDOWN; no more data may be sent.
type ShutdownEvent struct{ AssocID AssocID }

// Type implements Notification.
func (ShutdownEvent) Type() NotificationType { return NotifyShutdownEvent }

// Assoc implements Notification.
func (n ShutdownEvent) Assoc() AssocID { return n.AssocID }

// String describes the notification in one line.
func (n ShutdownEvent) String() string { return "SCTP_SHUTDOWN_EVENT assoc " + n.AssocID.String() }

// AdaptationEvent is SCTP_ADAPTATION_INDICATION (RFC 6458 §6.1.6): the
// peer's Adaptation Layer Indication.
type AdaptationEvent struct {
	Indication uint32 // sai_adaptation_ind
	AssocID    AssocID
}

// Type implements Notification.
func (AdaptationEvent) Type() NotificationType { return NotifyAdaptationIndication }

// Assoc implements Notification.
func (n AdaptationEvent) Assoc() AssocID { return n.AssocID }

// String describes the notification in one line.
func (n AdaptationEvent) String() string {
	return "SCTP_ADAPTATION_INDICATION " + strconv.FormatUint(uint64(n.Indication), 10) + " assoc " + n.AssocID.String()
}

// PartialDeliveryAborted is the only pdapi_indication (SCTP_PARTIAL_DELIVERY_ABORTED).
const PartialDeliveryAborted uint32 = 0x0001

// PartialDeliveryEvent is SCTP_PARTIAL_DELIVERY_EVENT (RFC 6458 §6.1.7):
// a message being delivered in pieces will not be completed.
type PartialDeliveryEvent struct {
	Indication uint32 // PartialDeliveryAborted
	Stream     uint32
	Seq        uint32 // the SSN (or MID) of the message
	AssocID    AssocID
}

// Type implements Notification.
func (PartialDeliveryEvent) Type() NotificationType { return NotifyPartialDelivery }

// Assoc implements Notification.
func (n PartialDeliveryEvent) Assoc() AssocID { return n.AssocID }

// String describes the notification in one line.
func (n PartialDeliveryEvent) String() string {
	return "SCTP_PARTIAL_DELIVERY_EVENT aborted stream " + strconv.Itoa(int(n.Stream)) + " seq " + strconv.Itoa(int(n.Seq)) + " assoc " + n.AssocID.String()
}

// SenderDryEvent is SCTP_SENDER_DRY_EVENT (RFC 6458 §6.1.9): every message
// sent was acknowledged and nothing is queued.
type SenderDryEvent struct{ AssocID AssocID }

// Type implements Notification.
func (SenderDryEvent) Type() NotificationType { return NotifySenderDry }

// Assoc implements Notification.
func (n SenderDryEvent) Assoc() AssocID { return n.AssocID }

// String describes the notification in one line.
func (n SenderDryEvent) String() string { return "SCTP_SENDER_DRY_EVENT assoc " + n.AssocID.String() }
