package conn

import (
	"time"

	"github.com/sconnlab/sconn/assoc"
)

// Connect starts an association with the peer at to (usrsctp_connect).
//
// On a one-to-one socket it blocks until the association is up (COMM_UP)
// or failed (ErrConnRefused, ErrPeerUnreachable…), or the write deadline
// passes (the attempt is then aborted and ErrTimeout returned). A
// non-blocking socket returns ErrInProgress at once; EventWrite and the
// SOError option report the outcome.
//
// On a one-to-many socket it returns as soon as the INIT is sent; COMM_UP
// or CANT_STR_ASSOC notifications (if subscribed) tell the outcome. Use
// ConnectX to learn the association's ID.
//
// An unbound socket is bound to an ephemeral port on AnyHandle first.
func (s *Socket) Connect(to Addr) error {
	_, err := s.connect("connect", to)
	return err
}

// ConnectX is Connect returning the association's ID (sctp_connectx with
// one address; AF_CONN has exactly one address per peer).
func (s *Socket) ConnectX(to Addr) (AssocID, error) { return s.connect("connectx", to) }

func (s *Socket) connect(op string, to Addr) (AssocID, error) {
	as, err := s.startAssoc(to)
	if err != nil {
		return 0, opErr(op, 0, &to, err)
	}
	if err := as.do(func(now time.Time) error { return as.a.Connect(now) }); err != nil {
		return as.id, opErr(op, as.id, &to, err)
	}
	if s.typ == OneToMany {
		return as.id, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nonBlocking {
		return as.id, opErr(op, as.id, &to, ErrInProgress)
	}
	for {
		if s.state == stateConnected || as.up {
			return as.id, nil
		}
		if as.finished || s.closed {
			err := as.endErr
			if err == nil {
				err = ErrClosed
			}
			s.soError = nil // reported here
			return as.id, opErr(op, as.id, &to, err)
		}
		if err := s.waitLocked(s.wrDeadline); err != nil {
			s.mu.Unlock()
			as.abort([]byte("connect timeout"))
			s.mu.Lock()
			s.soError = nil
			return as.id, opErr(op, as.id, &to, err)
		}
	}
}

// startAssoc creates and registers an association to the peer at to.
func (s *Socket) startAssoc(to Addr) (*association, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpenLocked(); err != nil {
		return nil, err
	}
	if to.Handle == AnyHandle || to.Port == 0 {
		return nil, errorf(ErrInvalidArgument, "connect needs a handle and a port")
	}
	if s.typ == OneToOne {
		switch s.state {
		case stateListening:
			return nil, errorf(ErrInvalidArgument, "socket is listening")
		case stateConnecting:
			return nil, ErrAlready
		case stateConnected:
			return nil, ErrIsConnected
		case stateDisconnected:
			return nil, errorf(ErrInvalidArgument, "the socket's association ended; use a new socket")
		}
	}
	if !s.st.demux.registered(to.Handle) {
		return nil, errorf(ErrAddrNotAvailable, "handle "+to.Handle.String())
	}
	if !s.bound {
		if err := s.bindLocked(Addr{}); err != nil {
			return nil, err
		}
	}
	if s.local.Handle != AnyHandle && s.local.Handle != to.Handle {
		return nil, errorf(ErrInvalidArgument, "socket bound to handle "+s.local.Handle.String()+
			" cannot reach handle "+to.Handle.String())
	}
	key := assocKey{to.Handle, s.local.Port, to.Port}
	a := assoc.New(s.engineConfigLocked(key.local, key.peer), s.st.cfg.Rand)
	as := newAssociation(s.st, s, key, a)
	s.initAssocLocked(as, &s.opts)
	if !s.st.demux.addAssoc(as) {
		return nil, errorf(ErrAddrInUse, "an association "+as.local().String()+" -> "+to.String()+" exists")
	}
	s.addAssocLocked(as)
	if s.typ == OneToOne {
		s.one = as
		s.state = stateConnecting
	}
	return as, nil
}
