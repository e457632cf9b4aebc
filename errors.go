package sconn

import (
	"errors"
	"net"
)

var (
	// ErrClosed is returned by calls on an association (or listener)
	// closed with Close. It wraps net.ErrClosed.
	ErrClosed = fmtErr("sconn: association closed", net.ErrClosed)
	// ErrStreamClosed is returned by calls on a Stream closed with Close.
	// It wraps net.ErrClosed.
	ErrStreamClosed = fmtErr("sconn: stream closed", net.ErrClosed)
	// ErrNoStreams: every outbound stream of this side's parity is in use.
	ErrNoStreams = errors.New("sconn: no free outbound stream")
	// ErrInvalidStream: the stream identifier is not below the number of
	// outbound streams the peer granted.
	ErrInvalidStream = errors.New("sconn: invalid stream identifier")
)

// wrapped is an error with its own text that matches a cause.
type wrapped struct {
	msg   string
	cause error
}

func fmtErr(msg string, cause error) error { return &wrapped{msg, cause} }

func (e *wrapped) Error() string { return e.msg }
func (e *wrapped) Unwrap() error { return e.cause }
