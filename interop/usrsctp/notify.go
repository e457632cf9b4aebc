package usrsctp

/*
#include "shim.h"
*/
import "C"

import (
	"encoding/binary"
	"strconv"
)

// NotificationType is an SCTP notification (sn_type), used both to
// subscribe (Socket.Subscribe) and in Unknown notifications.
type NotificationType uint16

// The notification types of RFC 6458 that usrsctp delivers.
const (
	AssocChangeEvent      NotificationType = C.SCTP_ASSOC_CHANGE
	PeerAddrChangeEvent   NotificationType = C.SCTP_PEER_ADDR_CHANGE
	RemoteErrorEvent      NotificationType = C.SCTP_REMOTE_ERROR
	ShutdownEventType     NotificationType = C.SCTP_SHUTDOWN_EVENT
	AdaptationEvent       NotificationType = C.SCTP_ADAPTATION_INDICATION
	PartialDeliveryEvent  NotificationType = C.SCTP_PARTIAL_DELIVERY_EVENT
	AuthenticationEvent   NotificationType = C.SCTP_AUTHENTICATION_EVENT
	StreamResetEventType  NotificationType = C.SCTP_STREAM_RESET_EVENT
	SenderDryEventType    NotificationType = C.SCTP_SENDER_DRY_EVENT
	AssocResetEventType   NotificationType = C.SCTP_ASSOC_RESET_EVENT
	StreamChangeEventType NotificationType = C.SCTP_STREAM_CHANGE_EVENT
	SendFailedEventType   NotificationType = C.SCTP_SEND_FAILED_EVENT
	NotificationsStopped  NotificationType = C.SCTP_NOTIFICATIONS_STOPPED_EVENT
	legacySendFailedEvent NotificationType = C.SCTP_SEND_FAILED
)

// AllNotifications lists the types worth subscribing to in tests.
var AllNotifications = []NotificationType{
	AssocChangeEvent, PeerAddrChangeEvent, RemoteErrorEvent, ShutdownEventType, AdaptationEvent,
	PartialDeliveryEvent, StreamResetEventType, SenderDryEventType, AssocResetEventType,
	StreamChangeEventType, SendFailedEventType,
}

var notificationNames = map[NotificationType]string{
	AssocChangeEvent: "ASSOC_CHANGE", PeerAddrChangeEvent: "PEER_ADDR_CHANGE",
	RemoteErrorEvent: "REMOTE_ERROR", ShutdownEventType: "SHUTDOWN_EVENT",
	AdaptationEvent: "ADAPTATION_INDICATION", PartialDeliveryEvent: "PARTIAL_DELIVERY_EVENT",
	AuthenticationEvent: "AUTHENTICATION_EVENT", StreamResetEventType: "STREAM_RESET_EVENT",
	SenderDryEventType: "SENDER_DRY_EVENT", AssocResetEventType: "ASSOC_RESET_EVENT",
	StreamChangeEventType: "STREAM_CHANGE_EVENT", SendFailedEventType: "SEND_FAILED_EVENT",
	NotificationsStopped: "NOTIFICATIONS_STOPPED_EVENT", legacySendFailedEvent: "SEND_FAILED",
}

func (t NotificationType) String() string {
	if n, ok := notificationNames[t]; ok {
		return n
	}
	return "NotificationType(" + itoa(int(t)) + ")"
}

func itoa(i int) string { return strconv.Itoa(i) }

// Notification is a decoded notification: one of the *Event types below,
// or *UnknownNotification.
type Notification interface {
	Type() NotificationType
}

// AssocChangeState is sac_state.
type AssocChangeState uint16

// The values of AssocChange.State.
const (
	CommUp       AssocChangeState = C.SCTP_COMM_UP
	CommLost     AssocChangeState = C.SCTP_COMM_LOST
	Restart      AssocChangeState = C.SCTP_RESTART
	ShutdownComp AssocChangeState = C.SCTP_SHUTDOWN_COMP
	CantStrAssoc AssocChangeState = C.SCTP_CANT_STR_ASSOC
)

func (s AssocChangeState) String() string {
	switch s {
	case CommUp:
		return "COMM_UP"
	case CommLost:
		return "COMM_LOST"
	case Restart:
		return "RESTART"
	case ShutdownComp:
		return "SHUTDOWN_COMP"
	case CantStrAssoc:
		return "CANT_STR_ASSOC"
	}
	return "AssocChangeState(" + itoa(int(s)) + ")"
}

// AssocChange is SCTP_ASSOC_CHANGE.
type AssocChange struct {
	State                      AssocChangeState
	Error                      uint16
	OutboundStreams, InStreams uint16
	AssocID                    uint32
	Info                       []byte // supported features (COMM_UP) or the ABORT chunk (COMM_LOST)
}

// PeerAddrChange is SCTP_PEER_ADDR_CHANGE (the address is not decoded).
type PeerAddrChange struct {
	State, Error, AssocID uint32
}

// RemoteError is SCTP_REMOTE_ERROR: an ERROR chunk from the peer.
type RemoteError struct {
	Error   uint16
	AssocID uint32
	Data    []byte
}

// ShutdownEvent is SCTP_SHUTDOWN_EVENT: the peer sent SHUTDOWN.
type ShutdownEvent struct{ AssocID uint32 }

// AdaptationIndication is SCTP_ADAPTATION_INDICATION.
type AdaptationIndication struct{ Indication, AssocID uint32 }

// PartialDelivery is SCTP_PARTIAL_DELIVERY_EVENT.
type PartialDelivery struct{ Indication, Stream, Seq, AssocID uint32 }

// StreamReset is SCTP_STREAM_RESET_EVENT.
type StreamReset struct {
	Flags   uint16 // StreamResetIncoming, StreamResetOutgoing, ...Denied, ...Failed
	AssocID uint32
	Streams []uint16 // empty means all
}

// The flags of StreamReset.
const (
	StreamResetIncoming = C.SCTP_STREAM_RESET_INCOMING_SSN
	StreamResetOutgoing = C.SCTP_STREAM_RESET_OUTGOING_SSN
	StreamResetDenied   = C.SCTP_STREAM_RESET_DENIED
	StreamResetFailed   = C.SCTP_STREAM_RESET_FAILED
)

// SenderDry is SCTP_SENDER_DRY_EVENT: nothing left to send or acknowledge.
type SenderDry struct{ AssocID uint32 }

// AssocReset is SCTP_ASSOC_RESET_EVENT.
type AssocReset struct {
	Flags                      uint16
	AssocID, LocalTSN, PeerTSN uint32
}

// StreamChange is SCTP_STREAM_CHANGE_EVENT.
type StreamChange struct {
	Flags                 uint16
	AssocID               uint32
	InStreams, OutStreams uint16
}

// SendFailed is SCTP_SEND_FAILED_EVENT: a message that was abandoned or
// could not be sent, with its data.
type SendFailed struct {
	Flags   uint16 // SCTP_DATA_UNSENT (1) or SCTP_DATA_SENT (2)
	Error   uint32
	Info    SendInfo // SID, PPID (host order), Unordered, AssocID
	AssocID uint32
	Data    []byte
}

// UnknownNotification is a notification this package does not decode, or
// one too short for its type.
type UnknownNotification struct {
	NotificationType NotificationType
	Raw              []byte
}

// Type implementations.
func (*AssocChange) Type() NotificationType           { return AssocChangeEvent }
func (*PeerAddrChange) Type() NotificationType        { return PeerAddrChangeEvent }
func (*RemoteError) Type() NotificationType           { return RemoteErrorEvent }
func (*ShutdownEvent) Type() NotificationType         { return ShutdownEventType }
func (*AdaptationIndication) Type() NotificationType  { return AdaptationEvent }
func (*PartialDelivery) Type() NotificationType       { return PartialDeliveryEvent }
func (*StreamReset) Type() NotificationType           { return StreamResetEventType }
func (*SenderDry) Type() NotificationType             { return SenderDryEventType }
func (*AssocReset) Type() NotificationType            { return AssocResetEventType }
func (*StreamChange) Type() NotificationType          { return StreamChangeEventType }
func (*SendFailed) Type() NotificationType            { return SendFailedEventType }
func (u *UnknownNotification) Type() NotificationType { return u.NotificationType }

// DecodeNotification decodes a notification as usrsctp delivers it (union
// sctp_notification, host byte order). It never fails: what it cannot
// decode comes back as *UnknownNotification.
func DecodeNotification(b []byte) Notification {
	ne := binary.NativeEndian
	if len(b) < 8 {
		return &UnknownNotification{Raw: b}
	}
	t := NotificationType(ne.Uint16(b[0:]))
	flags := ne.Uint16(b[2:])
	if l := int(ne.Uint32(b[4:])); l < len(b) && l >= 8 {
		b = b[:l]
	}
	u16 := func(off int) uint16 { return ne.Uint16(b[off:]) }
	u32 := func(off int) uint32 { return ne.Uint32(b[off:]) }
	tail := func(off int) []byte { return append([]byte(nil), b[off:]...) }
	need := map[NotificationType]int{
		AssocChangeEvent: 20, PeerAddrChangeEvent: 148, RemoteErrorEvent: 16, ShutdownEventType: 12,
		AdaptationEvent: 16, PartialDeliveryEvent: 24, StreamResetEventType: 12, SenderDryEventType: 12,
		AssocResetEventType: 20, StreamChangeEventType: 16, SendFailedEventType: 32,
	}[t]
	if need == 0 || len(b) < need {
		return &UnknownNotification{NotificationType: t, Raw: b}
	}
	switch t {
	case AssocChangeEvent:
		return &AssocChange{State: AssocChangeState(u16(8)), Error: u16(10), OutboundStreams: u16(12),
			InStreams: u16(14), AssocID: u32(16), Info: tail(20)}
	case PeerAddrChangeEvent:
		return &PeerAddrChange{State: u32(136), Error: u32(140), AssocID: u32(144)}
	case RemoteErrorEvent:
		return &RemoteError{Error: u16(8), AssocID: u32(12), Data: tail(16)}
	case ShutdownEventType:
		return &ShutdownEvent{AssocID: u32(8)}
	case AdaptationEvent:
		return &AdaptationIndication{Indication: u32(8), AssocID: u32(12)}
	case PartialDeliveryEvent:
		return &PartialDelivery{Indication: u32(8), Stream: u32(12), Seq: u32(16), AssocID: u32(20)}
	case StreamResetEventType:
		sr := &StreamReset{Flags: flags, AssocID: u32(8)}
		for off := 12; off+2 <= len(b); off += 2 {
			sr.Streams = append(sr.Streams, u16(off))
		}
		return sr
	case SenderDryEventType:
		return &SenderDry{AssocID: u32(8)}
	case AssocResetEventType:
		return &AssocReset{Flags: flags, AssocID: u32(8), LocalTSN: u32(12), PeerTSN: u32(16)}
	case StreamChangeEventType:
		return &StreamChange{Flags: flags, AssocID: u32(8), InStreams: u16(12), OutStreams: u16(14)}
	case SendFailedEventType:
		ppid := binary.BigEndian.Uint32(b[16:]) // snd_ppid is in wire order
		return &SendFailed{Flags: flags, Error: u32(8), AssocID: u32(28), Data: tail(32),
			Info: SendInfo{SID: u16(12), Unordered: u16(14)&C.SCTP_UNORDERED != 0, PPID: ppid, AssocID: u32(24)}}
	}
	return &UnknownNotification{NotificationType: t, Raw: b}
}

// notificationLayout returns the C offsets the decoder relies on, in the
// order of sconn_offset, for the tests (test files cannot use cgo).
func notificationLayout() []int {
	var out []int
	for i := 0; ; i++ {
		off := C.sconn_offset(C.int(i))
		if off == ^C.size_t(0) {
			return out
		}
		out = append(out, int(off))
	}
}
