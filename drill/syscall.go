package drill

import (
	"errors"
	"fmt"
	"time"

	"github.com/sconnlab/sconn/conn"
)

// errnoOf maps a conn error onto the errno usrsctp would set.
func errnoOf(err error) string {
	for _, m := range []struct {
		err   error
		errno string
	}{
		{conn.ErrWouldBlock, "EAGAIN"}, {conn.ErrInProgress, "EINPROGRESS"},
		{conn.ErrNotConnected, "ENOTCONN"}, {conn.ErrAlready, "EALREADY"},
		{conn.ErrIsConnected, "EISCONN"}, {conn.ErrClosed, "EBADF"},
		{conn.ErrInvalidArgument, "EINVAL"}, {conn.ErrAddrInUse, "EADDRINUSE"},
		{conn.ErrAddrNotAvailable, "EADDRNOTAVAIL"}, {conn.ErrTimeout, "ETIMEDOUT"},
		{conn.ErrNotSupported, "EOPNOTSUPP"}, {conn.ErrConnRefused, "ECONNREFUSED"},
		{conn.ErrConnReset, "ECONNRESET"}, {conn.ErrConnAborted, "ECONNABORTED"},
		{conn.ErrPeerUnreachable, "ETIMEDOUT"}, {conn.ErrShutdown, "EPIPE"},
		{conn.ErrMessageTooLarge, "EMSGSIZE"}, {conn.ErrNoAssociation, "ENOENT"},
	} {
		if errors.Is(err, m.err) {
			return m.errno
		}
	}
	return "EIO"
}

// errBadFD is the outcome of a call on a descriptor the script never opened.
var errBadFD = errors.New("bad file descriptor")

// outcome is what a system call did: a return value or an error.
type outcome struct {
	ret   int64
	err   error
	errno string // set with err; derived from it when empty
	note  string // extra detail for the trace and failures
}

func (o outcome) String() string {
	if o.err != nil {
		e := o.errno
		if e == "" {
			e = errnoOf(o.err)
		}
		return fmt.Sprintf("-1 %s (%v)", e, o.err)
	}
	s := fmt.Sprint(o.ret)
	if o.note != "" {
		s += " (" + o.note + ")"
	}
	return s
}

func failed(err error) outcome {
	if errors.Is(err, errBadFD) {
		return outcome{ret: -1, err: err, errno: "EBADF"}
	}
	return outcome{ret: -1, err: err, errno: errnoOf(err)}
}

// check compares an outcome with the script's expected result.
func (x *executor) check(ev *Event, o outcome) error {
	sc := ev.Call
	exp, err := evalInt(sc.Result)
	if err != nil {
		return err
	}
	fail := func(why string) error {
		actual := sc.Name + "(...) = " + o.String()
		if why != "" {
			actual += ": " + why
		}
		return &callError{Line: ev.Line, Expected: sc.String(), Actual: actual}
	}
	x.tracef("  %s(...) = %s", sc.Name, o)
	if o.err != nil {
		if !exp.any && exp.v != -1 {
			return fail("")
		}
		if sc.Errno != "" {
			want := errnos[sc.Errno]
			got := errnos[o.errno]
			if want != got {
				return fail("errno differs")
			}
		}
		return nil
	}
	if exp.any {
		return nil
	}
	if exp.v != o.ret {
		return fail("")
	}
	return nil
}

func (x *executor) syscall(ev *Event) error {
	x.startEvent(ev)
	if err := x.ensureStack(); err != nil {
		return err
	}
	sc := ev.Call
	x.tracef("%s", sc)
	if x.pending != nil && ev.Time.Blocking {
		return unsupported(ev.Line, "a blocking call while the blocking call of line %d is still running (one at a time)", x.pending.ev.Line)
	}
	x.blocking = ev.Time.Blocking
	o, err := x.runCall(ev)
	x.blocking = false
	if err != nil {
		return err
	}
	if ev.Time.Blocking {
		_, end, _ := x.blockingWindow(ev)
		if errors.Is(o.err, errWouldWait) {
			x.pending = &pendingCall{ev: ev, end: end}
			x.tracef("  %s blocks until %s", sc.Name, x.stamp(end))
			return nil
		}
		if x.now.Before(end.Add(-x.tol)) {
			return &callError{Line: ev.Line, Expected: sc.String() + fmt.Sprintf(" returning at %s", x.stamp(end)),
				Actual: fmt.Sprintf("%s(...) = %s at once, at %s", sc.Name, o, x.stamp(x.now))}
		}
	}
	return x.check(ev, o)
}

// errWouldWait marks a call that would block, in a start...end event.
var errWouldWait = errors.New("would wait")

// pendingCall is a blocking system call (start...end) waiting for later
// events of the script to complete it.
type pendingCall struct {
	ev  *Event
	end time.Time
}

// blockingWindow returns the start and end of a start...end event.
func (x *executor) blockingWindow(ev *Event) (start, end time.Time, ok bool) {
	ts := ev.Time
	if !ts.Blocking {
		return
	}
	start = x.last
	if ts.EndKind == TimeAbsolute {
		end = x.epoch.Add(ts.End)
	} else {
		end = x.last.Add(ts.End - ts.Start)
	}
	return start, end, true
}

// retryPending tries the pending blocking call again after an event. It
// fails the script when the call completes outside its window, or has not
// completed by the end of it.
func (x *executor) retryPending(next *Event) error {
	p := x.pending
	if p == nil {
		return nil
	}
	x.blocking = true
	o, err := x.runCall(p.ev)
	x.blocking = false
	if err != nil {
		return err
	}
	if errors.Is(o.err, errWouldWait) {
		late := next == nil
		if next != nil {
			if start, _, any := x.target(next); !any && start.After(p.end.Add(x.tol)) {
				late = true
			}
		}
		if late {
			x.advance(p.end.Add(x.tol), true)
			x.blocking = true
			o, err = x.runCall(p.ev)
			x.blocking = false
			if err != nil {
				return err
			}
			if errors.Is(o.err, errWouldWait) {
				return &callError{Line: p.ev.Line, Expected: p.ev.Call.String() + fmt.Sprintf(" returning at %s", x.stamp(p.end)),
					Actual: fmt.Sprintf("%s(...) still blocked at %s", p.ev.Call.Name, x.stamp(x.now))}
			}
		} else {
			return nil
		}
	}
	x.pending = nil
	x.tracef("  %s of line %d returns", p.ev.Call.Name, p.ev.Line)
	if x.now.Before(p.end.Add(-x.tol)) || x.now.After(p.end.Add(x.tol)) {
		return &callError{Line: p.ev.Line, Expected: p.ev.Call.String() + fmt.Sprintf(" returning at %s", x.stamp(p.end)),
			Actual: fmt.Sprintf("%s(...) = %s at %s", p.ev.Call.Name, o, x.stamp(x.now))}
	}
	return x.check(p.ev, o)
}

// runCall performs a system call and returns its outcome.
func (x *executor) runCall(ev *Event) (outcome, error) {
	sc := ev.Call
	switch sc.Name {
	case "socket":
		return x.sysSocket(ev)
	case "bind", "listen", "accept", "connect", "close", "shutdown", "fcntl":
		return x.sysSocketOp(ev)
	case "read", "recv", "recvfrom", "recvmsg", "sctp_recvv":
		return x.sysRecv(ev)
	case "write", "send", "sendto", "sendmsg", "sctp_sendv":
		return x.sysSend(ev)
	case "getsockopt", "setsockopt":
		return x.sysSockopt(ev)
	case "sctp_connectx", "sctp_bindx":
		return outcome{}, unsupported(ev.Line, "%s: multi-homing (sconn's AF_CONN transport has one address per association)", sc.Name)
	}
	return outcome{}, unsupported(ev.Line, "system call %s", sc.Name)
}

func (x *executor) args(ev *Event, min, max int) error {
	n := len(ev.Call.Args)
	if n < min || n > max {
		if min == max {
			return errf(ev.Line, "%s takes %d arguments, got %d", ev.Call.Name, min, n)
		}
		return errf(ev.Line, "%s takes %d to %d arguments, got %d", ev.Call.Name, min, max, n)
	}
	return nil
}

// sock returns the socket of the descriptor in the first argument.
func (x *executor) sock(ev *Event) (*conn.Socket, int, error) {
	fd, err := mustInt(ev.Call.Args[0])
	if err != nil {
		return nil, 0, err
	}
	e, ok := x.fds[int(fd)]
	if !ok {
		return nil, int(fd), nil
	}
	return e.sock, int(fd), nil
}

// newFD picks the descriptor number for a new socket: the one the script
// expects, when given and free, else the lowest free from 3.
func (x *executor) newFD(ev *Event, s *conn.Socket) int64 {
	if v, err := evalInt(ev.Call.Result); err == nil && !v.any && v.v >= 0 {
		if _, used := x.fds[int(v.v)]; !used {
			x.fds[int(v.v)] = &fdEntry{sock: s}
			return v.v
		}
	}
	fd := 3
	for x.fds[fd] != nil {
		fd++
	}
	x.fds[fd] = &fdEntry{sock: s}
	return int64(fd)
}
