package assoc

import (
	"errors"
	"time"

	"github.com/sconnlab/sconn/assoc/internal/tx"
)

// Errors of Send. They are wrapped with details; test with errors.Is.
var (
	// ErrNotEstablished: the state does not allow new user data (before
	// ESTABLISHED, or once a shutdown started, §9.2).
	ErrNotEstablished = errors.New("sctp: association not established")
	// ErrInvalidStream: the stream is not below the negotiated number of
	// outbound streams (§5.1.1).
	ErrInvalidStream = errors.New("sctp: invalid stream")
	// ErrMessageTooLarge: the message exceeds Config.MaxMessageSize.
	ErrMessageTooLarge = errors.New("sctp: message too large")
	// ErrSendBufferFull: the message does not fit in the send buffer
	// (Config.SendBufferSize); nothing was queued. A SendSpaceAvailable
	// event follows once it fits.
	ErrSendBufferFull = errors.New("sctp: send buffer full")
	// ErrEmptyMessage: a message without data (a DATA chunk carries at
	// least one byte, §6.2).
	ErrEmptyMessage = errors.New("sctp: empty message")
	// ErrAbandoned is the Err of a SendFailed for a message abandoned
	// under its partial reliability policy (RFC 3758, RFC 7496).
	ErrAbandoned = errors.New("sctp: message abandoned")
)

// PRPolicy is a partial reliability policy (RFC 3758 §4, RFC 7496 §3).
// It applies when the peer supports PR-SCTP; otherwise only the lifetime
// of a message not yet sent does (§11.1.5).
type PRPolicy uint8

const (
	PRNone PRPolicy = iota // reliable
	PRTTL                  // abandon after PRValue milliseconds (timed reliability)
	PRRtx                  // abandon after PRValue retransmissions of a chunk
)

// SendOptions describe a message (the SCTP_SNDINFO and SCTP_PRINFO of RFC
// 6458).
type SendOptions struct {
	Stream    uint16
	PPID      uint32
	Unordered bool
	// EOR ends the message. A call without EOR starts or extends the
	// stream's open message (explicit EOR, SCTP_EXPLICIT_EOR); hosts that
	// do not use explicit EOR always set it.
	EOR      bool
	PRPolicy PRPolicy
	PRValue  uint32
	Context  uint32 // returned in SendFailed
	// Immediate sets the I bit on the last fragment (§3.3.1, RFC 7053):
	// the peer acknowledges without delay.
	Immediate bool
}

// Send queues a message (or, without EOR, part of one) for the peer (the
// SEND primitive, §11.1.5). The data is copied. It fails, queueing
// nothing, with ErrNotEstablished, ErrInvalidStream, ErrMessageTooLarge,
// ErrEmptyMessage or ErrSendBufferFull. Poll sends it.
func (a *Association) Send(now time.Time, data []byte, opts SendOptions) error {
	if a.state != Established {
		return sendErr(ErrNotEstablished, "state "+a.state.String())
	}
	if opts.Stream >= a.info.OutboundStreams {
		return sendErr(ErrInvalidStream, "stream "+itoa(int(opts.Stream))+" of "+itoa(int(a.info.OutboundStreams)))
	}
	s := a.data.tx
	if n := s.Queue.OpenLen(opts.Stream) + len(data); a.cfg.MaxMessageSize > 0 && n > a.cfg.MaxMessageSize {
		return sendErr(ErrMessageTooLarge, itoa(n)+" bytes, limit "+itoa(a.cfg.MaxMessageSize))
	}
	err := s.Queue.Add(now, data, tx.MessageOptions{
		Stream: opts.Stream, PPID: opts.PPID, Unordered: opts.Unordered, EOR: opts.EOR,
		Immediate: opts.Immediate, Policy: tx.PRPolicy(opts.PRPolicy), PRValue: opts.PRValue,
		Context: opts.Context,
	})
	switch {
	case errors.Is(err, tx.ErrBufferFull):
		return sendErr(ErrSendBufferFull, itoa(len(data))+" bytes, "+itoa(a.cfg.SendBufferSize-s.Queue.Buffered())+" free")
	case errors.Is(err, tx.ErrEmptyMessage):
		return ErrEmptyMessage
	}
	s.StartBurst(now, a.path.rto.Value())
	return nil
}

// sendError is an error of Send: a sentinel and what was wrong.
type sendError struct {
	err    error
	detail string
}

func sendErr(err error, detail string) error { return &sendError{err, detail} }
func (e *sendError) Error() string           { return e.err.Error() + ": " + e.detail }
func (e *sendError) Unwrap() error           { return e.err }

// BufferedAmount returns the bytes queued or in flight and not yet
// acknowledged (the WebRTC bufferedAmount; usrsctp's sb_cc).
func (a *Association) BufferedAmount() int {
	if a.data.tx == nil {
		return 0
	}
	return a.data.tx.Queue.Buffered()
}

// StreamBufferedAmount returns BufferedAmount for one stream.
func (a *Association) StreamBufferedAmount(stream uint16) int {
	if a.data.tx == nil {
		return 0
	}
	return a.data.tx.Queue.StreamBuffered(stream)
}

// SetSendThreshold makes SendSpaceAvailable fire when the free send space
// rises to n bytes or more (usrsctp's sb_threshold); 0 keeps only the
// event that follows ErrSendBufferFull.
func (a *Association) SetSendThreshold(n int) {
	a.data.threshold = n
	if a.data.tx != nil {
		a.data.tx.Queue.SetThreshold(n)
	}
}

// failedEvent turns a failed message of the transmit side into an event.
func failedEvent(f tx.FailedMessage, err error) SendFailed {
	o := f.Opts
	return SendFailed{Data: f.Data, Sent: f.Sent, Err: err, Opts: SendOptions{
		Stream: o.Stream, PPID: o.PPID, Unordered: o.Unordered, EOR: o.EOR, Immediate: o.Immediate,
		PRPolicy: PRPolicy(o.Policy), PRValue: o.PRValue, Context: o.Context,
	}}
}
