package conn

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// SocketType is the socket style of RFC 6458.
type SocketType uint8

const (
	// OneToOne is the one-to-one style (SOCK_STREAM): at most one
	// association; Listen and Accept make a new socket per association.
	OneToOne SocketType = 1
	// OneToMany is the one-to-many style (SOCK_SEQPACKET): any number of
	// associations, set up by Connect, by SendV to a new peer, or accepted
	// by a listening socket; told apart by AssocID.
	OneToMany SocketType = 2
)

// String returns "one-to-one" or "one-to-many".
func (t SocketType) String() string {
	switch t {
	case OneToOne:
		return "one-to-one"
	case OneToMany:
		return "one-to-many"
	}
	return "socket type " + strconv.Itoa(int(t))
}

type sockState uint8

const (
	stateNew          sockState = iota
	stateBound                  // bound, nothing else
	stateListening              // Listen was called
	stateConnecting             // one-to-one: Connect started the association
	stateConnected              // one-to-one: the association is up
	stateDisconnected           // one-to-one: the association ended
)

// Socket is an SCTP socket of a Stack (usrsctp_socket) with the semantics
// of RFC 6458 as usrsctp implements them. Its methods are safe for
// concurrent use. Blocking calls (Connect, Accept, SendV, RecvV, Close with
// linger) block the calling goroutine only; SetNonBlocking makes them
// return ErrWouldBlock or ErrInProgress instead, and deadlines bound them.
//
// In TimersManual mode a blocking call waits for time that only the host's
// HandleTimers calls advance: drive the stack from another goroutine, or
// use non-blocking sockets with upcalls.
type Socket struct {
	st    *Stack
	typ   SocketType
	up    Upcalls
	timer timerEntry
	lst   atomic.Pointer[listener]

	mu           sync.Mutex
	state        sockState
	closed       bool
	local        Addr
	bound        bool
	ownsBinding  bool
	opts         sockOptions
	assocs       map[AssocID]*association
	one          *association // one-to-one: its association
	acceptQ      []*Socket
	backlog      int
	rq           readQueue
	soError      error
	rdShut       bool
	wrShut       bool
	peerShut     bool
	nonBlocking  bool
	rdDeadline   time.Time
	wrDeadline   time.Time
	timerAt      time.Time
	waiters      int
	wake         chan struct{}
	upcall       func(*Socket, EventMask)
	ulpInfo      any
	delivering   bool
	eofDelivered bool
	dbuf         []byte
}

// Socket creates a socket (usrsctp_socket with AF_CONN). up may hold the
// receive and send callbacks of usrsctp_socket; its zero value means RecvV
// and SendV are used directly.
func (st *Stack) Socket(typ SocketType, up Upcalls) (*Socket, error) {
	if typ != OneToOne && typ != OneToMany {
		return nil, opErr("socket", 0, nil, errorf(ErrInvalidArgument, "socket type "+strconv.Itoa(int(typ))))
	}
	if up.SendThreshold < 0 {
		return nil, opErr("socket", 0, nil, errorf(ErrInvalidArgument, "negative send threshold"))
	}
	s := &Socket{st: st, typ: typ, up: up, opts: defaultSockOptions(st)}
	s.timer.init(s, 0)
	if err := st.addSocket(s); err != nil {
		return nil, opErr("socket", 0, nil, err)
	}
	return s, nil
}

// Type returns the socket's style.
func (s *Socket) Type() SocketType { return s.typ }

// Stack returns the stack the socket belongs to.
func (s *Socket) Stack() *Stack { return s.st }

// String describes the socket for logs, e.g. "one-to-one socket 7:5000".
func (s *Socket) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stringLocked()
}

func (s *Socket) stringLocked() string {
	str := s.typ.String() + " socket"
	if s.bound {
		str += " " + s.local.String()
	}
	return str
}

// Bind binds the socket to a local address (usrsctp_bind): a registered
// handle or AnyHandle, and a port (0 picks an ephemeral port). A socket is
// bound once; ErrAddrInUse when another socket holds the address.
func (s *Socket) Bind(a Addr) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpenLocked(); err != nil {
		return opErr("bind", 0, &a, err)
	}
	if s.bound {
		return opErr("bind", 0, &a, errorf(ErrInvalidArgument, "socket already bound to "+s.local.String()))
	}
	return opErr("bind", 0, &a, s.bindLocked(a))
}

func (s *Socket) bindLocked(a Addr) error {
	port, err := s.st.demux.bind(s, a.Handle, a.Port)
	if err != nil {
		return err
	}
	s.local = Addr{a.Handle, port}
	s.bound, s.ownsBinding = true, true
	if s.state == stateNew {
		s.state = stateBound
	}
	return nil
}

// LocalAddr returns the bound address (the zero Addr before Bind).
func (s *Socket) LocalAddr() Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.local
}

// initAssocLocked gives a new association the socket-level settings that
// the conn layer (not the engine) implements.
func (s *Socket) initAssocLocked(as *association, o *sockOptions) {
	as.subs = o.events
	as.context = o.context
	as.autoclose = o.autoclose
	as.lastUse = s.st.now()
	as.initData(&s.up)
}

func (s *Socket) addAssocLocked(as *association) {
	if s.assocs == nil {
		s.assocs = make(map[AssocID]*association)
	}
	s.assocs[as.id] = as
}

// checkOpenLocked returns ErrClosed for a closed socket or stack.
func (s *Socket) checkOpenLocked() error {
	if s.closed || s.st.closed.Load() {
		return ErrClosed
	}
	return nil
}

// assocLocked finds the association an operation addresses: the one of a
// one-to-one socket, or id on a one-to-many socket.
func (s *Socket) assocLocked(id AssocID) (*association, error) {
	if s.typ == OneToOne {
		if s.one == nil {
			return nil, ErrNotConnected
		}
		return s.one, nil
	}
	as := s.assocs[id]
	if as == nil {
		return nil, errorf(ErrNoAssociation, "assoc "+id.String())
	}
	return as, nil
}
