package drill

import (
	"errors"
	"fmt"

	"github.com/sconnlab/sconn/conn"
)

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
