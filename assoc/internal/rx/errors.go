package rx

import (
	"errors"
	"strconv"
)

// Sentinel errors; the typed errors below wrap them.
var (
	// ErrNoUserData: a DATA or I-DATA chunk without user data. The engine
	// answers with an ABORT carrying a No User Data cause (RFC 9260 §6.2).
	ErrNoUserData = errors.New("sctp: DATA chunk without user data")
	// ErrInvalidStream: DATA for a stream at or beyond the negotiated
	// inbound streams. The engine acknowledges the TSN, sends an ERROR
	// with an Invalid Stream Identifier cause and discards the data (§6.5).
	ErrInvalidStream = errors.New("sctp: DATA for an invalid stream")
	// ErrReassemblyLimit: the peer made the receiver hold more than
	// Config.ReassemblyLimit bytes. The engine aborts the association.
	ErrReassemblyLimit = errors.New("sctp: peer exceeded the receive memory limit")
	// ErrChunkMismatch: a DATA fragment on an association that negotiated
	// I-DATA, or the reverse. The engine aborts with a Protocol Violation
	// cause (RFC 8260 §2.2.1).
	ErrChunkMismatch = errors.New("sctp: DATA and I-DATA mixed on one association")
)

// LimitError reports the fragment that would have taken the held bytes past
// Config.ReassemblyLimit. It wraps ErrReassemblyLimit; its text is meant
// for the Protocol Violation cause of the ABORT the engine sends.
type LimitError struct {
	TSN    uint32 // TSN of the refused fragment
	Stream uint16
	Size   int // bytes the fragment would have added
	Held   int // bytes held before it
	Limit  int // Config.ReassemblyLimit
}

// Error describes the refused fragment and the limit.
func (e *LimitError) Error() string {
	return ErrReassemblyLimit.Error() + ": TSN " + strconv.FormatUint(uint64(e.TSN), 10) +
		" on stream " + strconv.Itoa(int(e.Stream)) + " adds " + strconv.Itoa(e.Size) +
		" bytes to " + strconv.Itoa(e.Held) + " held, limit " + strconv.Itoa(e.Limit)
}

// Unwrap returns ErrReassemblyLimit.
func (e *LimitError) Unwrap() error { return ErrReassemblyLimit }

// StreamError reports a DATA chunk for a stream the association does not
// have (§6.5). It wraps ErrInvalidStream.
type StreamError struct {
	TSN            uint32
	Stream         uint16
	InboundStreams uint16 // the negotiated count; valid streams are below it
}

// Error names the stream and the negotiated count.
func (e *StreamError) Error() string {
	return ErrInvalidStream.Error() + ": stream " + strconv.Itoa(int(e.Stream)) + " (TSN " +
		strconv.FormatUint(uint64(e.TSN), 10) + "), inbound streams " + strconv.Itoa(int(e.InboundStreams))
}

// Unwrap returns ErrInvalidStream.
func (e *StreamError) Unwrap() error { return ErrInvalidStream }
