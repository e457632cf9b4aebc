package conn

import (
	"errors"
	"os"

	"github.com/sconnlab/sconn/assoc"
)

// Sentinel errors. Every error a Stack or Socket method returns wraps one of
// them (test with errors.Is); the comment names the errno usrsctp returns
// in the same situation.
var (
	// ErrNotConnected: the socket has no association (ENOTCONN).
	ErrNotConnected = errors.New("sctp: socket is not connected")
	// ErrInProgress: a non-blocking Connect started the association; its
	// completion is reported by EventWrite and SO_ERROR (EINPROGRESS).
	ErrInProgress = errors.New("sctp: operation now in progress")
	// ErrAlready: a Connect is already in progress (EALREADY).
	ErrAlready = errors.New("sctp: operation already in progress")
	// ErrIsConnected: the one-to-one socket already has an association (EISCONN).
	ErrIsConnected = errors.New("sctp: socket is already connected")
	// ErrWouldBlock: a non-blocking call cannot complete now (EWOULDBLOCK).
	ErrWouldBlock = errors.New("sctp: operation would block")
	// ErrClosed: the socket (or the stack) is closed (EBADF).
	ErrClosed = errors.New("sctp: use of closed socket")
	// ErrInvalidArgument: a bad argument or option value (EINVAL).
	ErrInvalidArgument = errors.New("sctp: invalid argument")
	// ErrAddrInUse: the address or association is taken (EADDRINUSE).
	ErrAddrInUse = errors.New("sctp: address already in use")
	// ErrAddrNotAvailable: the handle is not registered (EADDRNOTAVAIL).
	ErrAddrNotAvailable = errors.New("sctp: handle not registered")
	// ErrTimeout: a deadline passed (ETIMEDOUT for Connect, EWOULDBLOCK
	// for a receive timeout in BSD). It also matches os.ErrDeadlineExceeded
	// and the error implements net.Error with Timeout() true.
	ErrTimeout = errors.New("sctp: i/o timeout")
	// ErrNotSupported: the call is not available on this socket type or in
	// this version (EOPNOTSUPP).
	ErrNotSupported = errors.New("sctp: operation not supported")
	// ErrConnRefused: the peer answered the INIT with an ABORT (ECONNREFUSED).
	ErrConnRefused = errors.New("sctp: connection refused")
	// ErrConnReset: the peer aborted the association (ECONNRESET).
	ErrConnReset = errors.New("sctp: connection reset by peer")
	// ErrConnAborted: this side aborted the association (ECONNABORTED).
	ErrConnAborted = errors.New("sctp: connection aborted")
	// ErrPeerUnreachable: retransmissions were exhausted (ETIMEDOUT).
	ErrPeerUnreachable = errors.New("sctp: peer unreachable")
	// ErrShutdown: sending after a shutdown (EPIPE).
	ErrShutdown = errors.New("sctp: cannot send after shutdown")
	// ErrMessageTooLarge: the message exceeds the maximum message size or
	// the send buffer (EMSGSIZE).
	ErrMessageTooLarge = errors.New("sctp: message too long")
	// ErrMessageAbandoned: a message was abandoned under its PR-SCTP policy
	// (the Err of its SEND_FAILED_EVENT).
	ErrMessageAbandoned = errors.New("sctp: message abandoned")
	// ErrNoAssociation: no association with that ID on this socket (ENOENT).
	ErrNoAssociation = errors.New("sctp: no such association")
	// ErrDropped is wrapped by every *DropError (it is assoc.ErrDropped, so
	// engine and stack drops match the same sentinel).
	ErrDropped = assoc.ErrDropped
)

// OpError is the error of a Socket method: the operation, the association
// and address concerned, and the cause (which wraps a sentinel).
type OpError struct {
	Op    string  // "connect", "sendv", "setsockopt SCTP_RTOINFO", …
	Assoc AssocID // 0 when no association is concerned
	Addr  *Addr   // the peer, when known
	Err   error
}

// Error returns "sctp <op> [<addr>] [assoc <id>]: <cause>".
func (e *OpError) Error() string {
	s := "sctp " + e.Op
	if e.Addr != nil {
		s += " " + e.Addr.String()
	}
	if e.Assoc != 0 {
		s += " assoc " + e.Assoc.String()
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *OpError) Unwrap() error { return e.Err }

// Timeout reports whether the error is a deadline expiry (net.Error).
func (e *OpError) Timeout() bool { return errors.Is(e.Err, ErrTimeout) }

// Temporary reports whether retrying may succeed (net.Error, deprecated
// there too): true for ErrWouldBlock and timeouts.
func (e *OpError) Temporary() bool { return e.Timeout() || errors.Is(e.Err, ErrWouldBlock) }

// wrapError adds context to a sentinel.
type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }
func (e *wrapError) Unwrap() error { return e.err }

// errorf returns an error with message msg that wraps sentinel.
func errorf(sentinel error, msg string) error {
	return &wrapError{msg: sentinel.Error() + ": " + msg, err: sentinel}
}

// timeoutError is ErrTimeout, also matching os.ErrDeadlineExceeded.
type timeoutError struct{}

func (timeoutError) Error() string   { return ErrTimeout.Error() }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }
func (timeoutError) Is(target error) bool {
	return target == ErrTimeout || target == os.ErrDeadlineExceeded
}

// errTimeout is the value returned when a deadline passes.
var errTimeout error = timeoutError{}

// opErr wraps err (if not nil) in an *OpError.
// copyAddr returns a copy of *a (nil for nil), so that an error can keep
// the address without the caller's argument escaping to the heap.
func copyAddr(a *Addr) *Addr {
	if a == nil {
		return nil
	}
	c := *a
	return &c
}

func opErr(op string, id AssocID, addr *Addr, err error) error {
	if err == nil {
		return nil
	}
	return &OpError{Op: op, Assoc: id, Addr: addr, Err: err}
}
