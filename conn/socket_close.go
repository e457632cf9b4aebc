package conn

import (
	"time"

	"github.com/sconnlab/sconn/assoc"
)

// ShutdownHow says which half of a one-to-one socket Shutdown closes.
type ShutdownHow int

// Values of usrsctp.h (SHUT_RD, SHUT_WR, SHUT_RDWR).
const (
	ShutRD   ShutdownHow = 1 // no more receiving: RecvV returns io.EOF
	ShutWR   ShutdownHow = 2 // graceful SHUTDOWN of the association
	ShutRDWR ShutdownHow = 3 // both
)

// Shutdown closes one or both halves of a one-to-one socket
// (usrsctp_shutdown): ShutWR starts the graceful SHUTDOWN of RFC 9260 §9.2
// once the queued data is acknowledged (SendV then fails with
// ErrShutdown), ShutRD makes RecvV return io.EOF. The socket stays open
// until Close. One-to-many sockets return ErrNotSupported: use SendV with
// FlagEOF per association instead.
func (s *Socket) Shutdown(how ShutdownHow) error {
	if s.typ != OneToOne {
		return opErr("shutdown", 0, nil, errorf(ErrNotSupported, "shutdown on a one-to-many socket; send with FlagEOF"))
	}
	if how < ShutRD || how > ShutRDWR {
		return opErr("shutdown", 0, nil, errorf(ErrInvalidArgument, "how"))
	}
	s.mu.Lock()
	if err := s.checkOpenLocked(); err != nil {
		s.mu.Unlock()
		return opErr("shutdown", 0, nil, err)
	}
	as := s.one
	if as == nil || s.state == stateListening {
		s.mu.Unlock()
		return opErr("shutdown", 0, nil, ErrNotConnected)
	}
	if how&ShutRD != 0 {
		s.rdShut = true
	}
	wr := how&ShutWR != 0 && !s.wrShut
	if wr {
		s.wrShut = true
	}
	s.broadcastLocked()
	s.mu.Unlock()
	if wr {
		err := as.do(func(now time.Time) error { return as.a.Shutdown(now) })
		if err != nil && err != assoc.ErrClosed {
			return opErr("shutdown", as.id, nil, err)
		}
	}
	return nil
}

// Close closes the socket (usrsctp_close). Its associations end
// gracefully (SHUTDOWN, RFC 9260 §9.2) in the background, except that an
// association with unread received data is aborted, as usrsctp does. With
// the Linger option on and a zero timeout every association is aborted at
// once; with a positive timeout a blocking socket waits up to that long for
// the shutdowns to complete and aborts what remains. A listening socket
// aborts the associations waiting in its accept queue. Blocked calls
// return ErrClosed.
func (s *Socket) Close() error { return s.close(false) }

// Abort closes the socket and aborts all its associations at once, as
// Close with Linger{On: true, Timeout: 0} does.
func (s *Socket) Abort() error { return s.close(true) }

func (s *Socket) close(hard bool) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return opErr("close", 0, nil, ErrClosed)
	}
	s.closed = true
	l := s.lst.Swap(nil)
	q := s.acceptQ
	s.acceptQ = nil
	list := make([]*association, 0, len(s.assocs))
	for _, as := range s.assocs {
		list = append(list, as)
	}
	for it := s.rq.head; it < len(s.rq.items); it++ {
		if as := s.rq.items[it].as; as != nil {
			as.inRQ = false
		}
	}
	s.rq = readQueue{}
	linger := s.opts.linger
	nonBlocking := s.nonBlocking
	s.broadcastLocked()
	s.mu.Unlock()

	l.close()
	if s.ownsBinding {
		s.st.demux.unbind(s, portKey{s.local.Handle, s.local.Port})
	}
	s.st.removeSocket(s)
	for _, ns := range q {
		_ = ns.close(true)
	}
	hard = hard || (linger.On && linger.Timeout <= 0)
	for _, as := range list {
		if hard {
			as.abort(nil)
		} else if as.unreadData() {
			as.abort([]byte("socket closed with unread data"))
		} else {
			_ = as.do(func(now time.Time) error { return as.a.Shutdown(now) })
		}
	}
	if !hard && linger.On && !nonBlocking {
		deadline := s.st.now().Add(linger.Timeout)
		s.mu.Lock()
		for len(s.assocs) > 0 {
			if err := s.waitLocked(deadline); err != nil {
				break
			}
		}
		rest := make([]*association, 0, len(s.assocs))
		for _, as := range s.assocs {
			rest = append(rest, as)
		}
		s.mu.Unlock()
		for _, as := range rest {
			as.abort([]byte("linger timeout"))
		}
	}
	s.st.arm(&s.timer, time.Time{})
	return nil
}

// PeelOff moves association id of a one-to-many socket to a new one-to-one
// socket (usrsctp_peeloff / sctp_peeloff), with the same options; the
// association's pending messages and notifications move with it.
func (s *Socket) PeelOff(id AssocID) (*Socket, error) {
	if s.typ != OneToMany {
		return nil, opErr("peeloff", id, nil, errorf(ErrNotSupported, "peeloff on a one-to-one socket"))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpenLocked(); err != nil {
		return nil, opErr("peeloff", id, nil, err)
	}
	as := s.assocs[id]
	if as == nil {
		return nil, opErr("peeloff", id, nil, errorf(ErrNoAssociation, "assoc "+id.String()))
	}
	ns := &Socket{st: s.st, typ: OneToOne, up: s.up, opts: s.opts, local: as.local(), bound: true,
		upcall: s.upcall, ulpInfo: s.ulpInfo, nonBlocking: s.nonBlocking}
	ns.timer.init(ns, 0)
	if err := s.st.addSocket(ns); err != nil {
		return nil, opErr("peeloff", id, nil, err)
	}
	ns.mu.Lock()
	delete(s.assocs, id)
	ns.one = as
	ns.assocs = map[AssocID]*association{id: as}
	ns.state = stateConnecting
	as.mu.Lock()
	as.sock = ns
	switch {
	case as.ended:
		ns.state = stateDisconnected
	case as.a.State() != assoc.CookieWait && as.a.State() != assoc.CookieEchoed:
		ns.state = stateConnected
	}
	as.mu.Unlock()
	s.rq.moveTo(&ns.rq, as)
	ns.mu.Unlock()
	return ns, nil
}
