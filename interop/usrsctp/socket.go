package usrsctp

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// Callbacks switch a socket to usrsctp's receive-callback mode (the mode
// WebRTC stacks use): usrsctp calls them from the thread that processed
// the inbound packet (normally an Endpoint's reader goroutine) instead of
// queueing messages for RecvV. A callback must not block for long and must
// not call Close; it may call SendV (which is how an echo server works).
type Callbacks struct {
	// OnMessage gets every complete message (partial deliveries are
	// joined before the call) and every subscribed notification. The
	// Message and its Data belong to the callee.
	OnMessage func(s *Socket, m *Message)
	// OnSendReady runs when at least SendThreshold bytes of send buffer are
	// free (after every SACK when SendThreshold is 0).
	OnSendReady func(s *Socket, free uint32)
	// OnClosed runs once the association of the socket is gone.
	OnClosed func(s *Socket)
	// SendThreshold is usrsctp's sb_threshold for OnSendReady.
	SendThreshold uint32
}

// Socket is a usrsctp socket on an Endpoint: one-to-one (SOCK_STREAM, one
// association) or one-to-many (SOCK_SEQPACKET). Its methods are safe for
// concurrent use; blocking methods wait in Go and return ErrClosed when the
// socket is closed under them.
type Socket struct {
	id        uintptr
	so        *C.struct_socket
	ep        *Endpoint
	oneToMany bool
	cb        *Callbacks
	listener  atomic.Bool

	mu        sync.RWMutex // read-held around every C call on so; Close write-locks
	closed    bool
	setup     sync.Once
	readable  chan struct{}
	writable  chan struct{}
	done      chan struct{}
	upcall    atomic.Pointer[func(*Socket)]
	upcallSet atomic.Bool // the C upcall was installed
	gone      atomic.Bool

	partMu  sync.Mutex
	partial []byte
}

// Socket creates a socket whose messages are read with RecvV or RecvMsg.
// The socket is bound to nothing yet; RecvRcvInfo is on.
func (e *Endpoint) Socket(oneToMany bool) (*Socket, error) {
	return e.newSocket(oneToMany, nil)
}

// SocketWithCallbacks creates a socket in receive-callback mode; see
// Callbacks. Sockets accepted from it inherit the callbacks.
func (e *Endpoint) SocketWithCallbacks(oneToMany bool, cb Callbacks) (*Socket, error) {
	return e.newSocket(oneToMany, &cb)
}

func (e *Endpoint) newSocket(oneToMany bool, cb *Callbacks) (*Socket, error) {
	e.mu.RLock()
	closed := e.closed
	e.mu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	id := newID()
	var otm, withCB C.int
	var thr C.uint32_t
	if oneToMany {
		otm = 1
	}
	if cb != nil {
		withCB, thr = 1, C.uint32_t(cb.SendThreshold)
	}
	so, err := C.sconn_socket(otm, withCB, C.uintptr_t(id), thr)
	if so == nil {
		return nil, errnoErr("socket", err)
	}
	s := newSocketValue(id, so, e, oneToMany, cb)
	socketsID.Store(id, s)
	socketsSo.Store(uintptr(unsafe.Pointer(so)), s)
	s.prepare()
	if err := s.SetRecvRcvInfo(true); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func newSocketValue(id uintptr, so *C.struct_socket, e *Endpoint, oneToMany bool, cb *Callbacks) *Socket {
	return &Socket{
		id: id, so: so, ep: e, oneToMany: oneToMany, cb: cb,
		readable: make(chan struct{}, 1), writable: make(chan struct{}, 1), done: make(chan struct{}),
	}
}

// prepare makes the C socket non-blocking. It installs no upcall: see
// SetUpcall for why.
func (s *Socket) prepare() {
	s.setup.Do(func() {
		C.usrsctp_set_non_blocking(s.so, 1)
	})
}

// socketFor finds the Socket of a callback: by its struct socket, or, for
// a socket usrsctp accepted but Accept has not returned yet, by the
// listener's ulp_info (the child is created here and Accept finds it).
func socketFor(so *C.struct_socket, key uintptr) *Socket {
	if v, ok := socketsSo.Load(uintptr(unsafe.Pointer(so))); ok {
		return v.(*Socket)
	}
	if key == 0 {
		return nil
	}
	v, ok := socketsID.Load(key)
	if !ok {
		return nil
	}
	parent := v.(*Socket)
	if !parent.listener.Load() {
		return nil
	}
	return adopt(parent, so)
}

func adopt(parent *Socket, so *C.struct_socket) *Socket {
	key := uintptr(unsafe.Pointer(so))
	if v, ok := socketsSo.Load(key); ok {
		return v.(*Socket)
	}
	child := newSocketValue(newID(), so, parent.ep, parent.oneToMany, parent.cb)
	if v, loaded := socketsSo.LoadOrStore(key, child); loaded {
		return v.(*Socket)
	}
	socketsID.Store(child.id, child)
	return child
}

// use returns the C socket, read-locked against Close; call s.mu.RUnlock
// after the C call.
func (s *Socket) use() (*C.struct_socket, error) {
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, ErrClosed
	}
	return s.so, nil
}

func (s *Socket) signalReadable() {
	select {
	case s.readable <- struct{}{}:
	default:
	}
}

func (s *Socket) signalWritable() {
	select {
	case s.writable <- struct{}{}:
	default:
	}
}

// wait blocks until ch is signalled, *poll passes, ctx ends or s is
// closed, and doubles *poll (up to maxPoll). Sockets have no upcall by
// default, so waiters poll usrsctp with this backoff; the send callback
// and a user's upcall wake them early.
func (s *Socket) wait(ctx context.Context, ch <-chan struct{}, poll *time.Duration) error {
	t := time.NewTimer(*poll)
	defer t.Stop()
	*poll = min(2**poll, maxPoll)
	select {
	case <-ch:
		return nil
	case <-t.C:
		return nil
	case <-s.done:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// The backoff of wait.
const (
	minPoll = 20 * time.Microsecond
	maxPoll = 2 * time.Millisecond
)

// Endpoint returns the endpoint the socket lives on.
func (s *Socket) Endpoint() *Endpoint { return s.ep }

// OneToMany reports whether the socket is one-to-many (SOCK_SEQPACKET).
func (s *Socket) OneToMany() bool { return s.oneToMany }

// Bind binds the socket to its endpoint's address and port (0 picks a
// free port).
func (s *Socket) Bind(port uint16) error {
	so, err := s.use()
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	if rc, err := C.sconn_bind(so, C.uintptr_t(s.ep.h), C.uint16_t(port)); rc < 0 {
		return errnoErr("bind", err)
	}
	return nil
}

// Listen makes the socket accept associations (backlog as for listen(2)).
// A one-to-many socket then takes part in associations the peer starts.
func (s *Socket) Listen(backlog int) error {
	so, err := s.use()
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	if rc, err := C.usrsctp_listen(so, C.int(backlog)); rc < 0 {
		return errnoErr("listen", err)
	}
	s.listener.Store(true)
	return nil
}

// Accept waits for an association on a listening one-to-one socket and
// returns its socket (non-blocking at the C level like every Socket,
// with the listener's callbacks and options).
func (s *Socket) Accept() (*Socket, error) { return s.AcceptContext(context.Background()) }

// AcceptContext is Accept that gives up when ctx ends.
func (s *Socket) AcceptContext(ctx context.Context) (*Socket, error) {
	poll := minPoll
	for {
		so, err := s.use()
		if err != nil {
			return nil, err
		}
		cso, aerr := C.sconn_accept(so)
		s.mu.RUnlock()
		if cso != nil {
			child := adopt(s, cso)
			child.prepare()
			return child, nil
		}
		if !wouldBlock(aerr) {
			return nil, errnoErr("accept", aerr)
		}
		if err := s.wait(ctx, s.readable, &poll); err != nil {
			return nil, err
		}
	}
}

// Connect starts an association to port on the socket's endpoint (the
// AF_CONN address is the local handle; see the package documentation)
// and, on a one-to-one socket, waits until it is established or fails. On
// a one-to-many socket it returns once the INIT is under way; the
// ASSOC_CHANGE notification tells the outcome.
func (s *Socket) Connect(port uint16) error { return s.ConnectContext(context.Background(), port) }

// ConnectContext is Connect that gives up waiting when ctx ends (the
// association attempt itself goes on until the socket is closed).
func (s *Socket) ConnectContext(ctx context.Context, port uint16) error {
	so, err := s.use()
	if err != nil {
		return err
	}
	rc, cerr := C.sconn_connect(so, C.uintptr_t(s.ep.h), C.uint16_t(port))
	s.mu.RUnlock()
	if rc < 0 && !wouldBlock(cerr) {
		return errnoErr("connect", cerr)
	}
	if s.oneToMany {
		return nil
	}
	poll := minPoll
	for {
		if e := s.soError(); e != nil {
			return errnoErr("connect", e)
		}
		if st, err := s.Stats(); err == nil && st.State == StateEstablished {
			return nil
		}
		if err := s.wait(ctx, s.writable, &poll); err != nil {
			return err
		}
	}
}

func (s *Socket) soError() error {
	so, err := s.use()
	if err != nil {
		return err
	}
	e := C.sconn_so_error(so)
	s.mu.RUnlock()
	switch {
	case e == 0:
		return nil
	case e < 0:
		return syscall.Errno(-e)
	}
	return syscall.Errno(e)
}

// SetUpcall installs f as the socket's upcall (usrsctp_set_upcall): it
// runs on a usrsctp thread, with usrsctp locks possibly held, whenever the
// socket may have become readable or writable or failed. It must return
// quickly and must not call into the socket; use it to wake a goroutine
// that then calls TryRecvV or TrySendV. Nil removes f (the C upcall stays,
// doing nothing).
//
// Sockets have no upcall until SetUpcall. In usrsctp 0.9.5, closing a
// socket while another thread is in usrsctp_conninput can corrupt the C
// heap (malloc aborts a little later); the binding serialises the two
// (see teardownMu), and an upcall made it more likely, so Close and Abort
// of a socket with an upcall also end the association first. Blocking
// methods of sockets without an upcall poll with a short backoff (20 µs
// to 2 ms) instead.
func (s *Socket) SetUpcall(f func(s *Socket)) {
	if f == nil {
		s.upcall.Store(nil)
		return
	}
	s.upcall.Store(&f)
	if s.upcallSet.Swap(true) {
		return
	}
	if so, err := s.use(); err == nil {
		C.sconn_set_upcall(so, C.uintptr_t(s.id))
		s.mu.RUnlock()
	}
}

// Events returns usrsctp_get_events: EventRead, EventWrite, EventError.
func (s *Socket) Events() int {
	so, err := s.use()
	if err != nil {
		return 0
	}
	defer s.mu.RUnlock()
	return int(C.usrsctp_get_events(so))
}

// The bits of Events.
const (
	EventRead  = C.SCTP_EVENT_READ
	EventWrite = C.SCTP_EVENT_WRITE
	EventError = C.SCTP_EVENT_ERROR
)
