package assoc

import (
	"errors"
	"strconv"
)

// Errors returned by the engine. DropError wraps ErrDropped; the user calls
// return the others.
var (
	// ErrDropped is wrapped by every *DropError.
	ErrDropped = errors.New("sctp: packet dropped")
	// ErrInvalidState means a user call is not allowed in the current state.
	ErrInvalidState = errors.New("sctp: operation not allowed in this association state")
	// ErrClosed means the association is CLOSED.
	ErrClosed = errors.New("sctp: association closed")
)

// DropReason says why a packet (or the rest of it) was discarded, so the
// host can count refused packets per reason.
type DropReason uint8

// Drop reasons.
const (
	// DropMalformed: a chunk or parameter could not be decoded.
	DropMalformed DropReason = iota + 1
	// DropBadVtag: the verification tag does not match (§8.5, §8.5.1).
	DropBadVtag
	// DropOOTB: an out-of-the-blue packet (§8.4), answered or not.
	DropOOTB
	// DropUnexpectedChunk: a chunk not acceptable in the current state
	// (e.g. an INIT ACK outside COOKIE-WAIT, §5.2.3).
	DropUnexpectedChunk
	// DropBadCookie: a State Cookie failed authentication (§5.1.5 steps 1-3).
	DropBadCookie
	// DropStaleCookie: a State Cookie has expired (§5.1.5 step 4).
	DropStaleCookie
	// DropInvalidInit: an INIT or INIT ACK with invalid mandatory fields (§3.3.2, §3.3.3).
	DropInvalidInit
	// DropUnknownChunk: an unrecognized chunk whose action bits stop processing (§3.2).
	DropUnknownChunk
	// DropClosed: the association is CLOSED.
	DropClosed
	// DropWrongPort: the ports do not match the association or endpoint.
	DropWrongPort
	// DropBundling: a chunk bundled against §5.1 or §6.10 (INIT, INIT ACK,
	// SHUTDOWN COMPLETE not alone).
	DropBundling
)

// String returns a short name for the reason.
func (r DropReason) String() string {
	switch r {
	case DropMalformed:
		return "malformed"
	case DropBadVtag:
		return "bad verification tag"
	case DropOOTB:
		return "out of the blue"
	case DropUnexpectedChunk:
		return "unexpected chunk"
	case DropBadCookie:
		return "bad cookie"
	case DropStaleCookie:
		return "stale cookie"
	case DropInvalidInit:
		return "invalid INIT"
	case DropUnknownChunk:
		return "unknown chunk"
	case DropClosed:
		return "association closed"
	case DropWrongPort:
		return "wrong port"
	case DropBundling:
		return "bad bundling"
	}
	return "reason " + strconv.Itoa(int(r))
}

// DropError reports a packet that was discarded, entirely or from one chunk
// on. The engine may still have answered it (an ABORT, an ERROR with a
// Stale Cookie cause): Poll or the Endpoint's reply holds that answer.
type DropError struct {
	Reason DropReason
	Detail string // what and where, e.g. "INIT ACK in ESTABLISHED"
}

func (e *DropError) Error() string {
	s := "sctp: packet dropped: " + e.Reason.String()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns ErrDropped.
func (e *DropError) Unwrap() error { return ErrDropped }

func drop(r DropReason, detail string) *DropError { return &DropError{Reason: r, Detail: detail} }
