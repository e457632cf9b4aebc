package conn

import "github.com/sconnlab/sconn/assoc"

// Listen makes the socket accept associations (usrsctp_listen). A
// one-to-one socket then yields one socket per association through Accept,
// keeping at most backlog (at least 1) waiting; a one-to-many socket adopts
// them (COMM_UP tells), and Listen(0) on it stops accepting. An unbound
// socket is bound to an ephemeral port on AnyHandle first.
func (s *Socket) Listen(backlog int) error {
	s.mu.Lock()
	if err := s.checkOpenLocked(); err != nil {
		s.mu.Unlock()
		return opErr("listen", 0, nil, err)
	}
	if backlog < 0 {
		s.mu.Unlock()
		return opErr("listen", 0, nil, errorf(ErrInvalidArgument, "negative backlog"))
	}
	if s.typ == OneToOne && s.state != stateNew && s.state != stateBound && s.state != stateListening {
		s.mu.Unlock()
		return opErr("listen", 0, nil, errorf(ErrInvalidArgument, "socket is connected"))
	}
	if !s.bound {
		if err := s.bindLocked(Addr{}); err != nil {
			s.mu.Unlock()
			return opErr("listen", 0, nil, err)
		}
	}
	if s.typ == OneToMany && backlog == 0 {
		s.state = stateBound
		l := s.lst.Swap(nil)
		s.mu.Unlock()
		l.close()
		return nil
	}
	if backlog == 0 {
		backlog = 1
	}
	s.backlog = backlog
	s.state = stateListening
	if s.lst.Load() != nil {
		s.mu.Unlock()
		return nil
	}
	cfg := s.engineConfigLocked(s.local.Port, 0)
	s.mu.Unlock()
	l := &listener{st: s.st, sock: s, ep: assoc.NewEndpoint(cfg, s.st.cfg.Rand, s.st.now())}
	s.lst.Store(l)
	return nil
}

// close retires a listener.
func (l *listener) close() {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.ep = nil
	l.mu.Unlock()
}

// reconfigure rebuilds a listener's endpoint after an option change (the
// cookies it signed before stay valid only if the secrets do: they do not,
// so set options before Listen).
func (s *Socket) reconfigureListener() {
	l := s.lst.Load()
	if l == nil {
		return
	}
	s.mu.Lock()
	cfg := s.engineConfigLocked(s.local.Port, 0)
	s.mu.Unlock()
	ep := assoc.NewEndpoint(cfg, s.st.cfg.Rand, s.st.now())
	l.mu.Lock()
	if l.ep != nil {
		l.ep = ep
	}
	l.mu.Unlock()
}

// adopt registers an association a listener created: for a one-to-one
// listener it gets a new socket put on the accept queue, for a one-to-many
// one it joins the socket. It returns the new association; or the one
// already registered under key; or full when the accept queue is full (the
// association is then returned unregistered, to be aborted). Called with
// the listener's lock held.
func (s *Socket) adopt(l *listener, key assocKey, a *assoc.Association) (as, existing *association, full bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	owner := s
	if s.typ == OneToOne {
		if s.closed || len(s.acceptQ) >= s.backlog {
			as = newAssociation(s.st, nil, key, a)
			return as, nil, true
		}
		ns := &Socket{st: s.st, typ: OneToOne, up: s.up, opts: s.opts, state: stateConnected,
			local: Addr{key.h, key.local}, bound: true, upcall: s.upcall, ulpInfo: s.ulpInfo}
		ns.timer.init(ns, 0)
		owner = ns
	}
	as = newAssociation(s.st, owner, key, a)
	as.lst = l
	as.secrets = l.secrets.Load()
	s.initAssocLocked(as, &owner.opts)
	if !s.st.demux.addAssoc(as) {
		return nil, s.st.demux.getAssoc(key), false
	}
	if owner != s {
		if err := s.st.addSocket(owner); err != nil {
			s.st.demux.removeAssoc(as)
			as.sock = nil
			return as, nil, true
		}
		owner.one = as
		owner.assocs = map[AssocID]*association{as.id: as}
		s.acceptQ = append(s.acceptQ, owner)
		s.broadcastLocked()
	} else {
		s.addAssocLocked(as)
	}
	return as, nil, false
}

// Accept returns the next association of a listening one-to-one socket as
// a new connected socket, and the peer's address (usrsctp_accept). It
// blocks until one arrives, the read deadline passes (ErrTimeout) or the
// socket closes; a non-blocking socket returns ErrWouldBlock.
func (s *Socket) Accept() (*Socket, Addr, error) {
	if s.typ != OneToOne {
		return nil, Addr{}, opErr("accept", 0, nil, errorf(ErrNotSupported, "accept on a one-to-many socket"))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if err := s.checkOpenLocked(); err != nil {
			return nil, Addr{}, opErr("accept", 0, nil, err)
		}
		if s.state != stateListening {
			return nil, Addr{}, opErr("accept", 0, nil, errorf(ErrInvalidArgument, "socket is not listening"))
		}
		if len(s.acceptQ) > 0 {
			ns := s.acceptQ[0]
			copy(s.acceptQ, s.acceptQ[1:])
			s.acceptQ[len(s.acceptQ)-1] = nil
			s.acceptQ = s.acceptQ[:len(s.acceptQ)-1]
			return ns, ns.one.peer(), nil
		}
		if s.nonBlocking {
			return nil, Addr{}, opErr("accept", 0, nil, ErrWouldBlock)
		}
		if err := s.waitLocked(s.rdDeadline); err != nil {
			return nil, Addr{}, opErr("accept", 0, nil, err)
		}
	}
}
