package drill

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/sconnlab/sconn/conn"
)

// ival is an evaluated integer expression: a value, or "..." (any).
type ival struct {
	any bool
	v   int64
}

// evalInt evaluates an integer expression: a number, a symbol, flags
// joined by '|', htonl() and friends (identity: sconn takes PPIDs in host
// order), sizeof() (0), or "..." .
func evalInt(e Expr) (ival, error) {
	switch v := e.(type) {
	case *EllipsisExpr:
		return ival{any: true}, nil
	case *IntExpr:
		return ival{v: v.V}, nil
	case *IdentExpr:
		if n, ok := symbols[v.Name]; ok {
			return ival{v: n}, nil
		}
		if n, ok := errnos[v.Name]; ok {
			return ival{v: n}, nil
		}
		return ival{}, unsupported(v.Line, "symbol %s", v.Name)
	case *BinaryExpr:
		l, err := evalInt(v.L)
		if err != nil {
			return l, err
		}
		r, err := evalInt(v.R)
		if err != nil {
			return r, err
		}
		if l.any || r.any {
			return ival{any: true}, nil
		}
		return ival{v: l.v | r.v}, nil
	case *CallExpr:
		switch v.Fn {
		case "htonl", "ntohl", "htons", "ntohs":
			if len(v.Args) == 1 {
				return evalInt(v.Args[0])
			}
		case "sizeof":
			return ival{}, nil
		}
		return ival{}, unsupported(v.Line, "function %s() here", v.Fn)
	}
	return ival{}, errf(e.exprLine(), "expected a number, found %s", e)
}

func mustInt(e Expr) (int64, error) {
	v, err := evalInt(e)
	if err != nil {
		return 0, err
	}
	if v.any {
		return 0, errf(e.exprLine(), "'...' where a value is needed")
	}
	return v.v, nil
}

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

func (x *executor) sysSocket(ev *Event) (outcome, error) {
	if err := x.args(ev, 3, 3); err != nil {
		return outcome{}, err
	}
	a := ev.Call.Args
	dom, err := evalInt(a[0])
	if err != nil {
		return outcome{}, err
	}
	if !dom.any && dom.v != symbols["AF_INET"] && dom.v != symbols["AF_INET6"] {
		return outcome{}, unsupported(ev.Line, "socket domain %s", a[0])
	}
	typ, err := mustInt(a[1])
	if err != nil {
		return outcome{}, err
	}
	proto, err := evalInt(a[2])
	if err != nil {
		return outcome{}, err
	}
	if !proto.any && proto.v != symbols["IPPROTO_SCTP"] {
		return outcome{}, unsupported(ev.Line, "socket protocol %s (only IPPROTO_SCTP)", a[2])
	}
	var st conn.SocketType
	switch typ {
	case symbols["SOCK_STREAM"]:
		st = conn.OneToOne
	case symbols["SOCK_SEQPACKET"]:
		st = conn.OneToMany
	default:
		return outcome{}, unsupported(ev.Line, "socket type %s", a[1])
	}
	s, err := x.stack.Socket(st, conn.Upcalls{})
	if err != nil {
		return failed(err), nil
	}
	// The scripts' MTU: the largest SCTP packet is the link MTU less the
	// IP header (1480 bytes for IPv4 on Ethernet).
	if err := s.SetOption(conn.PeerAddrParams{PathMTU: uint32(x.sctpMTU()), Flags: conn.PMTUDDisable}); err != nil {
		return outcome{}, errf(ev.Line, "setting the path MTU to %d: %v", x.sctpMTU(), err)
	}
	return outcome{ret: x.newFD(ev, s)}, nil
}

// sockAddr evaluates an address argument: "..." is the script's usual
// address (the stack's for bind, the peer's for connect); a struct may
// give sin_port/sin6_port.
func sockAddr(e Expr, port uint16) (conn.Addr, error) {
	a := conn.Addr{Handle: tunHandle, Port: port}
	switch v := e.(type) {
	case *EllipsisExpr:
		return a, nil
	case *StructExpr:
		for _, f := range v.Fields {
			switch f.Name {
			case "sin_port", "sin6_port":
				p, err := evalInt(f.Value)
				if err != nil {
					return a, err
				}
				if !p.any {
					a.Port = uint16(p.v)
				}
			case "sin_family", "sin6_family", "sin_addr", "sin6_addr", "sin_len", "sin6_len", "...":
			default:
				return a, unsupported(f.Line, "address field %s", f.Name)
			}
		}
		return a, nil
	}
	return a, unsupported(e.exprLine(), "address %s (use ... or {sin_port=...})", e)
}

// nonBlockingCall runs fn on a socket as a non-blocking call. A blocking
// socket is switched to non-blocking for the call: the interpreter cannot
// wait inside a call, because the packets the call waits for come from
// later lines of the script. A blocking call that would have to wait is a
// failure.
func (x *executor) nonBlockingCall(s *conn.Socket, name string, fn func() outcome) outcome {
	if s.NonBlocking() {
		return fn()
	}
	s.SetNonBlocking(true)
	o := fn()
	s.SetNonBlocking(false)
	if errors.Is(o.err, conn.ErrWouldBlock) && x.blocking {
		o.err = errWouldWait
		return o
	}
	if errors.Is(o.err, conn.ErrWouldBlock) {
		o.err = fmt.Errorf("a blocking %s would wait here (the interpreter runs each call at once; nothing was ready at this time)", name)
		o.errno = "EAGAIN"
	}
	return o
}

func (x *executor) sysSocketOp(ev *Event) (outcome, error) {
	sc := ev.Call
	if len(sc.Args) == 0 {
		return outcome{}, errf(ev.Line, "%s needs a descriptor", sc.Name)
	}
	s, fd, err := x.sock(ev)
	if err != nil {
		return outcome{}, err
	}
	if s == nil {
		return failed(errBadFD), nil
	}
	switch sc.Name {
	case "bind":
		if err := x.args(ev, 3, 3); err != nil {
			return outcome{}, err
		}
		a, err := sockAddr(sc.Args[1], x.cfg.LocalPort)
		if err != nil {
			return outcome{}, err
		}
		if err := s.Bind(a); err != nil {
			return failed(err), nil
		}
	case "listen":
		if err := x.args(ev, 2, 2); err != nil {
			return outcome{}, err
		}
		n, err := mustInt(sc.Args[1])
		if err != nil {
			return outcome{}, err
		}
		if err := s.Listen(int(n)); err != nil {
			return failed(err), nil
		}
	case "accept":
		if err := x.args(ev, 3, 3); err != nil {
			return outcome{}, err
		}
		var ns *conn.Socket
		o := x.nonBlockingCall(s, "accept", func() outcome {
			var err error
			ns, _, err = s.Accept()
			if err != nil {
				return failed(err)
			}
			return outcome{}
		})
		if o.err != nil {
			return o, nil
		}
		return outcome{ret: x.newFD(ev, ns)}, nil
	case "connect":
		if err := x.args(ev, 3, 3); err != nil {
			return outcome{}, err
		}
		a, err := sockAddr(sc.Args[1], x.cfg.RemotePort)
		if err != nil {
			return outcome{}, err
		}
		if x.pending != nil && x.pending.ev == ev {
			// A blocking connect in progress: done when the socket is
			// writable or has an error.
			if s.Events()&(conn.EventWrite|conn.EventError) == 0 {
				return outcome{err: errWouldWait}, nil
			}
			var e conn.SOError
			if err := s.GetOption(&e); err != nil {
				return failed(err), nil
			}
			if e.Err != nil {
				return failed(e.Err), nil
			}
			return outcome{}, nil
		}
		if !s.NonBlocking() {
			s.SetNonBlocking(true)
			err := s.Connect(a)
			s.SetNonBlocking(false)
			if errors.Is(err, conn.ErrInProgress) && x.blocking {
				return outcome{err: errWouldWait}, nil
			}
			if errors.Is(err, conn.ErrInProgress) {
				return outcome{}, unsupported(ev.Line, "blocking connect without a start...end time: the handshake needs later lines of the script (write the time as 0.1...0.2, or use a non-blocking socket)")
			}
			if err != nil {
				return failed(err), nil
			}
			return outcome{}, nil
		}
		if err := s.Connect(a); err != nil {
			return failed(err), nil
		}
	case "close":
		if err := x.args(ev, 1, 1); err != nil {
			return outcome{}, err
		}
		delete(x.fds, fd)
		if err := s.Close(); err != nil {
			return failed(err), nil
		}
	case "shutdown":
		if err := x.args(ev, 2, 2); err != nil {
			return outcome{}, err
		}
		how, err := mustInt(sc.Args[1])
		if err != nil {
			return outcome{}, err
		}
		var h conn.ShutdownHow
		switch how {
		case symbols["SHUT_RD"]:
			h = conn.ShutRD
		case symbols["SHUT_WR"]:
			h = conn.ShutWR
		case symbols["SHUT_RDWR"]:
			h = conn.ShutRDWR
		default:
			return outcome{}, errf(ev.Line, "shutdown: bad how %s", sc.Args[1])
		}
		if err := s.Shutdown(h); err != nil {
			return failed(err), nil
		}
	case "fcntl":
		if err := x.args(ev, 2, 3); err != nil {
			return outcome{}, err
		}
		cmd, err := mustInt(sc.Args[1])
		if err != nil {
			return outcome{}, err
		}
		switch cmd {
		case symbols["F_GETFL"]:
			fl := symbols["O_RDWR"]
			if s.NonBlocking() {
				fl |= symbols["O_NONBLOCK"]
			}
			return outcome{ret: fl}, nil
		case symbols["F_SETFL"]:
			if len(sc.Args) != 3 {
				return outcome{}, errf(ev.Line, "fcntl F_SETFL needs the flags")
			}
			fl, err := mustInt(sc.Args[2])
			if err != nil {
				return outcome{}, err
			}
			s.SetNonBlocking(fl&symbols["O_NONBLOCK"] != 0)
		default:
			return outcome{}, unsupported(ev.Line, "fcntl command %s", sc.Args[1])
		}
	}
	return outcome{}, nil
}

// iovLen sums the iov_len fields of a list of iovecs.
func iovLen(e Expr) (int, error) {
	l, ok := e.(*ListExpr)
	if !ok {
		if _, ok := e.(*EllipsisExpr); ok {
			return 0, errf(e.exprLine(), "an iovec list is needed, not '...'")
		}
		return 0, errf(e.exprLine(), "expected an iovec list [{iov_base=..., iov_len=N}], found %s", e)
	}
	n := 0
	for _, el := range l.Elems {
		st, ok := el.(*StructExpr)
		if !ok {
			return 0, errf(el.exprLine(), "expected {iov_base=..., iov_len=N}, found %s", el)
		}
		for _, f := range st.Fields {
			if f.Name == "iov_len" {
				v, err := mustInt(f.Value)
				if err != nil {
					return 0, err
				}
				n += int(v)
			}
		}
	}
	return n, nil
}

// structFields returns the fields of a struct argument by name.
func structFields(e Expr, what string) (map[string]Field, error) {
	st, ok := e.(*StructExpr)
	if !ok {
		return nil, errf(e.exprLine(), "expected a %s struct {...}, found %s", what, e)
	}
	m := map[string]Field{}
	for _, f := range st.Fields {
		m[f.Name] = f
	}
	return m, nil
}

// knownFields checks that a struct has only the given fields.
func knownFields(m map[string]Field, what string, names ...string) error {
	ok := map[string]bool{"...": true}
	for _, n := range names {
		ok[n] = true
	}
	var bad []string
	line := 0
	for k, f := range m {
		if !ok[k] {
			bad = append(bad, k)
			line = f.Line
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return unsupported(line, "field %s of %s", strings.Join(bad, ", "), what)
	}
	return nil
}

func fieldInt(m map[string]Field, name string) (ival, error) {
	f, ok := m[name]
	if !ok {
		return ival{any: true}, nil
	}
	return evalInt(f.Value)
}

// sendSpec builds a SendSpec from an sctp_sndinfo struct
// ({snd_sid=..., snd_flags=..., snd_ppid=..., snd_context=...,
// snd_assoc_id=...}).
func sndInfo(e Expr) (*conn.SendInfo, error) {
	m, err := structFields(e, "sctp_sndinfo")
	if err != nil {
		return nil, err
	}
	if err := knownFields(m, "struct sctp_sndinfo", "snd_sid", "snd_flags", "snd_ppid", "snd_context", "snd_assoc_id"); err != nil {
		return nil, err
	}
	var info conn.SendInfo
	for _, f := range []struct {
		name string
		set  func(int64)
	}{
		{"snd_sid", func(v int64) { info.Stream = uint16(v) }},
		{"snd_flags", func(v int64) { info.Flags = conn.SendFlags(v) }},
		{"snd_ppid", func(v int64) { info.PPID = uint32(v) }},
		{"snd_context", func(v int64) { info.Context = uint32(v) }},
		{"snd_assoc_id", func(v int64) { info.AssocID = conn.AssocID(v) }},
	} {
		v, err := fieldInt(m, f.name)
		if err != nil {
			return nil, err
		}
		if !v.any {
			f.set(v.v)
		}
	}
	return &info, nil
}

func prInfo(e Expr) (*conn.PRInfo, error) {
	m, err := structFields(e, "sctp_prinfo")
	if err != nil {
		return nil, err
	}
	if err := knownFields(m, "struct sctp_prinfo", "pr_policy", "pr_value"); err != nil {
		return nil, err
	}
	var pr conn.PRInfo
	v, err := fieldInt(m, "pr_policy")
	if err != nil {
		return nil, err
	}
	pr.Policy = conn.PRPolicy(v.v)
	v, err = fieldInt(m, "pr_value")
	if err != nil {
		return nil, err
	}
	pr.Value = uint32(v.v)
	return &pr, nil
}

// sendFlags maps send(2) flags; only MSG_EOR/MSG_EOF/MSG_DONTWAIT/MSG_NOSIGNAL are meaningful.
func (x *executor) sysSend(ev *Event) (outcome, error) {
	sc := ev.Call
	var n int
	var spec conn.SendSpec
	var dontWait bool
	switch sc.Name {
	case "write":
		if err := x.args(ev, 3, 3); err != nil {
			return outcome{}, err
		}
		v, err := mustInt(sc.Args[2])
		if err != nil {
			return outcome{}, err
		}
		n = int(v)
	case "send", "sendto":
		if err := x.args(ev, 4, 6); err != nil {
			return outcome{}, err
		}
		v, err := mustInt(sc.Args[2])
		if err != nil {
			return outcome{}, err
		}
		n = int(v)
		fl, err := evalInt(sc.Args[3])
		if err != nil {
			return outcome{}, err
		}
		if !fl.any {
			if fl.v&^(symbols["MSG_DONTWAIT"]|symbols["MSG_NOSIGNAL"]|symbols["MSG_EOR"]) != 0 {
				return outcome{}, unsupported(ev.Line, "%s flags %s", sc.Name, sc.Args[3])
			}
			dontWait = fl.v&symbols["MSG_DONTWAIT"] != 0
		}
	case "sendmsg":
		if err := x.args(ev, 3, 3); err != nil {
			return outcome{}, err
		}
		m, err := structFields(sc.Args[1], "msghdr")
		if err != nil {
			return outcome{}, err
		}
		if err := knownFields(m, "struct msghdr", "msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control", "msg_controllen", "msg_flags"); err != nil {
			return outcome{}, err
		}
		iov, ok := m["msg_iov"]
		if !ok {
			return outcome{}, errf(ev.Line, "sendmsg: msghdr without msg_iov")
		}
		if n, err = iovLen(iov.Value); err != nil {
			return outcome{}, err
		}
		if c, ok := m["msg_control"]; ok {
			if err := cmsgsToSpec(c.Value, &spec); err != nil {
				return outcome{}, err
			}
		}
		fl, err := evalInt(sc.Args[2])
		if err != nil {
			return outcome{}, err
		}
		dontWait = !fl.any && fl.v&symbols["MSG_DONTWAIT"] != 0
	case "sctp_sendv":
		// sctp_sendv(sd, iov, iovcnt, addrs, addrcnt, info, infolen, infotype, flags)
		if err := x.args(ev, 9, 9); err != nil {
			return outcome{}, err
		}
		var err error
		if n, err = iovLen(sc.Args[1]); err != nil {
			return outcome{}, err
		}
		it, err := mustInt(sc.Args[7])
		if err != nil {
			return outcome{}, err
		}
		switch it {
		case symbols["SCTP_SENDV_NOINFO"]:
		case symbols["SCTP_SENDV_SNDINFO"]:
			if spec.Info, err = sndInfo(sc.Args[5]); err != nil {
				return outcome{}, err
			}
		case symbols["SCTP_SENDV_PRINFO"]:
			if spec.PR, err = prInfo(sc.Args[5]); err != nil {
				return outcome{}, err
			}
		case symbols["SCTP_SENDV_SPA"]:
			m, err := structFields(sc.Args[5], "sctp_sendv_spa")
			if err != nil {
				return outcome{}, err
			}
			if err := knownFields(m, "struct sctp_sendv_spa", "sendv_flags", "sendv_sndinfo", "sendv_prinfo", "sendv_authinfo"); err != nil {
				return outcome{}, err
			}
			fl, err := fieldInt(m, "sendv_flags")
			if err != nil {
				return outcome{}, err
			}
			if f, ok := m["sendv_sndinfo"]; ok && fl.v&symbols["SCTP_SEND_SNDINFO_VALID"] != 0 {
				if spec.Info, err = sndInfo(f.Value); err != nil {
					return outcome{}, err
				}
			}
			if f, ok := m["sendv_prinfo"]; ok && fl.v&symbols["SCTP_SEND_PRINFO_VALID"] != 0 {
				if spec.PR, err = prInfo(f.Value); err != nil {
					return outcome{}, err
				}
			}
			if fl.v&symbols["SCTP_SEND_AUTHINFO_VALID"] != 0 {
				return outcome{}, unsupported(ev.Line, "SCTP-AUTH send info")
			}
		default:
			return outcome{}, unsupported(ev.Line, "sctp_sendv info type %s", sc.Args[7])
		}
		fl, err := evalInt(sc.Args[8])
		if err != nil {
			return outcome{}, err
		}
		dontWait = !fl.any && fl.v&symbols["MSG_DONTWAIT"] != 0
	}
	s, _, err := x.sock(ev)
	if err != nil {
		return outcome{}, err
	}
	if s == nil {
		return failed(errBadFD), nil
	}
	data := make([]byte, n)
	call := func() outcome {
		k, err := s.SendV(data, spec)
		if err != nil {
			return failed(err)
		}
		return outcome{ret: int64(k)}
	}
	if dontWait && !s.NonBlocking() {
		s.SetNonBlocking(true)
		o := call()
		s.SetNonBlocking(false)
		return o, nil
	}
	return x.nonBlockingCall(s, sc.Name, call), nil
}

// cmsgsToSpec reads the SCTP_SNDINFO, SCTP_PRINFO and SCTP_SNDRCV
// control messages of sendmsg.
func cmsgsToSpec(e Expr, spec *conn.SendSpec) error {
	if _, ok := e.(*EllipsisExpr); ok {
		return nil
	}
	l, ok := e.(*ListExpr)
	if !ok {
		return errf(e.exprLine(), "expected a list of cmsgs, found %s", e)
	}
	for _, el := range l.Elems {
		m, err := structFields(el, "cmsghdr")
		if err != nil {
			return err
		}
		if err := knownFields(m, "struct cmsghdr", "cmsg_len", "cmsg_level", "cmsg_type", "cmsg_data"); err != nil {
			return err
		}
		typ, err := fieldInt(m, "cmsg_type")
		if err != nil {
			return err
		}
		data, ok := m["cmsg_data"]
		if !ok {
			return errf(el.exprLine(), "cmsg without cmsg_data")
		}
		switch typ.v {
		case symbols["SCTP_SNDINFO"]:
			if spec.Info, err = sndInfo(data.Value); err != nil {
				return err
			}
		case symbols["SCTP_PRINFO"]:
			if spec.PR, err = prInfo(data.Value); err != nil {
				return err
			}
		case symbols["SCTP_SNDRCV"]:
			dm, err := structFields(data.Value, "sctp_sndrcvinfo")
			if err != nil {
				return err
			}
			var info conn.SendInfo
			for name, set := range map[string]func(int64){
				"sinfo_stream":   func(v int64) { info.Stream = uint16(v) },
				"sinfo_flags":    func(v int64) { info.Flags = conn.SendFlags(v) },
				"sinfo_ppid":     func(v int64) { info.PPID = uint32(v) },
				"sinfo_context":  func(v int64) { info.Context = uint32(v) },
				"sinfo_assoc_id": func(v int64) { info.AssocID = conn.AssocID(v) },
			} {
				v, err := fieldInt(dm, name)
				if err != nil {
					return err
				}
				if !v.any {
					set(v.v)
				}
			}
			spec.Info = &info
		default:
			return unsupported(el.exprLine(), "cmsg type %v in sendmsg", m["cmsg_type"].Value)
		}
	}
	return nil
}

// recvExpect is what a receiving call expects besides its return value.
type recvExpect struct {
	flags   *ival            // msg_flags (recvmsg) or the flags argument (sctp_recvv)
	rcvinfo map[string]Field // expected sctp_rcvinfo
	nxtinfo map[string]Field // expected sctp_nxtinfo
	infoTyp *ival            // sctp_recvv infotype
	notif   *StructExpr      // the notification expected in the buffer
}

func (x *executor) sysRecv(ev *Event) (outcome, error) {
	sc := ev.Call
	var n int
	var exp recvExpect
	switch sc.Name {
	case "read":
		if err := x.args(ev, 3, 3); err != nil {
			return outcome{}, err
		}
		v, err := mustInt(sc.Args[2])
		if err != nil {
			return outcome{}, err
		}
		n = int(v)
	case "recv", "recvfrom":
		if err := x.args(ev, 4, 6); err != nil {
			return outcome{}, err
		}
		v, err := mustInt(sc.Args[2])
		if err != nil {
			return outcome{}, err
		}
		n = int(v)
		fl, err := evalInt(sc.Args[3])
		if err != nil {
			return outcome{}, err
		}
		if !fl.any && fl.v&^symbols["MSG_DONTWAIT"] != 0 {
			return outcome{}, unsupported(ev.Line, "%s flags %s", sc.Name, sc.Args[3])
		}
	case "recvmsg":
		if err := x.args(ev, 3, 3); err != nil {
			return outcome{}, err
		}
		m, err := structFields(sc.Args[1], "msghdr")
		if err != nil {
			return outcome{}, err
		}
		if err := knownFields(m, "struct msghdr", "msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control", "msg_controllen", "msg_flags"); err != nil {
			return outcome{}, err
		}
		iov, ok := m["msg_iov"]
		if !ok {
			return outcome{}, errf(ev.Line, "recvmsg: msghdr without msg_iov")
		}
		if n, err = iovLen(iov.Value); err != nil {
			return outcome{}, err
		}
		if exp.notif, err = notifExpect(iov.Value); err != nil {
			return outcome{}, err
		}
		if f, ok := m["msg_flags"]; ok {
			v, err := evalInt(f.Value)
			if err != nil {
				return outcome{}, err
			}
			exp.flags = &v
		}
		if c, ok := m["msg_control"]; ok {
			if err := cmsgsExpect(c.Value, &exp); err != nil {
				return outcome{}, err
			}
		}
	case "sctp_recvv":
		// sctp_recvv(sd, iov, iovlen, from, fromlen, info, infolen, infotype, flags)
		if err := x.args(ev, 9, 9); err != nil {
			return outcome{}, err
		}
		var err error
		if n, err = iovLen(sc.Args[1]); err != nil {
			return outcome{}, err
		}
		if exp.notif, err = notifExpect(sc.Args[1]); err != nil {
			return outcome{}, err
		}
		it, err := listOne(sc.Args[7])
		if err != nil {
			return outcome{}, err
		}
		exp.infoTyp = &it
		if err := infoExpect(sc.Args[5], it, &exp); err != nil {
			return outcome{}, err
		}
		fl, err := listOne(sc.Args[8])
		if err != nil {
			return outcome{}, err
		}
		exp.flags = &fl
	}
	s, _, err := x.sock(ev)
	if err != nil {
		return outcome{}, err
	}
	if s == nil {
		return failed(errBadFD), nil
	}
	buf := make([]byte, n)
	var info conn.RecvInfo
	o := x.nonBlockingCall(s, sc.Name, func() outcome {
		k, ri, err := s.RecvV(buf)
		info = ri
		if errors.Is(err, io.EOF) {
			return outcome{ret: 0, note: "end of file"}
		}
		if err != nil {
			return failed(err)
		}
		o := outcome{ret: int64(k)}
		if ri.Flags&conn.MsgNotification != 0 && ri.Notification != nil {
			// A notification reads as its struct (RFC 6458 §6.1).
			_, _, length := notifFields(ri.Notification)
			o.ret = min(length, int64(len(buf)))
			o.note = fmt.Sprintf("notification %v", ri.Notification)
		}
		return o
	})
	if o.err != nil {
		return o, nil
	}
	if msg := checkRecv(&exp, info, o); msg != "" {
		return outcome{}, &callError{Line: ev.Line, Expected: sc.String(), Actual: sc.Name + "(...) = " + o.String() + ": " + msg}
	}
	return o, nil
}

// listOne evaluates "[X]" (a pointer argument) or "...".
func listOne(e Expr) (ival, error) {
	if l, ok := e.(*ListExpr); ok && len(l.Elems) == 1 {
		return evalInt(l.Elems[0])
	}
	return evalInt(e)
}

func infoExpect(e Expr, typ ival, exp *recvExpect) error {
	if _, ok := e.(*EllipsisExpr); ok || typ.any || typ.v == symbols["SCTP_RECVV_NOINFO"] {
		return nil
	}
	if id, ok := e.(*IdentExpr); ok && id.Name == "NULL" {
		return nil
	}
	m, err := structFields(e, "recvv info")
	if err != nil {
		return err
	}
	switch typ.v {
	case symbols["SCTP_RECVV_NOINFO"]:
	case symbols["SCTP_RECVV_RCVINFO"]:
		exp.rcvinfo = m
	case symbols["SCTP_RECVV_NXTINFO"]:
		exp.nxtinfo = m
	case symbols["SCTP_RECVV_RN"]:
		if f, ok := m["recvv_rcvinfo"]; ok {
			if exp.rcvinfo, err = structFields(f.Value, "sctp_rcvinfo"); err != nil {
				return err
			}
		}
		if f, ok := m["recvv_nxtinfo"]; ok {
			if exp.nxtinfo, err = structFields(f.Value, "sctp_nxtinfo"); err != nil {
				return err
			}
		}
	}
	return nil
}

func cmsgsExpect(e Expr, exp *recvExpect) error {
	if _, ok := e.(*EllipsisExpr); ok {
		return nil
	}
	l, ok := e.(*ListExpr)
	if !ok {
		return errf(e.exprLine(), "expected a list of cmsgs, found %s", e)
	}
	for _, el := range l.Elems {
		m, err := structFields(el, "cmsghdr")
		if err != nil {
			return err
		}
		typ, err := fieldInt(m, "cmsg_type")
		if err != nil {
			return err
		}
		data, ok := m["cmsg_data"]
		if !ok {
			continue
		}
		switch typ.v {
		case symbols["SCTP_RCVINFO"]:
			if exp.rcvinfo, err = structFields(data.Value, "sctp_rcvinfo"); err != nil {
				return err
			}
		case symbols["SCTP_NXTINFO"]:
			if exp.nxtinfo, err = structFields(data.Value, "sctp_nxtinfo"); err != nil {
				return err
			}
		default:
			return unsupported(el.exprLine(), "cmsg type %v in recvmsg", m["cmsg_type"].Value)
		}
	}
	return nil
}

// msgFlags maps conn's msg_flags onto the script's symbols.
func msgFlags(f conn.MsgFlags) int64 {
	var v int64
	if f&conn.MsgEOR != 0 {
		v |= symbols["MSG_EOR"]
	}
	if f&conn.MsgNotification != 0 {
		v |= symbols["MSG_NOTIFICATION"]
	}
	return v
}

// checkRecv compares the flags and ancillary data of a receive.
func checkRecv(exp *recvExpect, info conn.RecvInfo, o outcome) string {
	if exp.notif != nil {
		if msg := checkNotif(exp.notif, info.Notification); msg != "" {
			return msg
		}
	}
	if exp.flags != nil && !exp.flags.any && o.note != "end of file" {
		if got := msgFlags(info.Flags); got != exp.flags.v {
			return fmt.Sprintf("msg_flags: expected 0x%x, got 0x%x", exp.flags.v, got)
		}
	}
	if exp.infoTyp != nil && !exp.infoTyp.any && o.note != "end of file" {
		if got := int64(info.InfoType()); got != exp.infoTyp.v {
			return fmt.Sprintf("infotype: expected %d, got %d", exp.infoTyp.v, got)
		}
	}
	cmp := func(m map[string]Field, have bool, what string, vals map[string]int64) string {
		if m == nil {
			return ""
		}
		if !have {
			return what + " expected, none received"
		}
		var names []string
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			want, err := evalInt(m[k].Value)
			if err != nil || want.any {
				continue
			}
			got, ok := vals[k]
			if !ok {
				if k == "..." {
					continue
				}
				return fmt.Sprintf("%s: unknown field %s", what, k)
			}
			if strings.HasSuffix(k, "_assoc_id") {
				continue // association IDs are the stack's to choose
			}
			if got != want.v {
				return fmt.Sprintf("%s.%s: expected %d, got %d", what, k, want.v, got)
			}
		}
		return ""
	}
	r := info.RcvInfo
	if msg := cmp(exp.rcvinfo, info.HasRcvInfo, "sctp_rcvinfo", map[string]int64{
		"rcv_sid": int64(r.Stream), "rcv_ssn": int64(r.SSN), "rcv_flags": int64(r.Flags), "rcv_ppid": int64(r.PPID),
		"rcv_tsn": int64(r.TSN), "rcv_cumtsn": int64(r.CumTSN), "rcv_context": int64(r.Context), "rcv_assoc_id": int64(r.AssocID),
	}); msg != "" {
		return msg
	}
	nx := info.NxtInfo
	return cmp(exp.nxtinfo, info.HasNxtInfo, "sctp_nxtinfo", map[string]int64{
		"nxt_sid": int64(nx.Stream), "nxt_flags": int64(nx.Flags), "nxt_ppid": int64(nx.PPID),
		"nxt_length": int64(nx.Length), "nxt_assoc_id": int64(nx.AssocID),
	})
}
