package usrsctp

/*
#include "shim.h"
*/
import "C"

import (
	"time"
	"unsafe"
)

func (s *Socket) onGone() {
	if s.gone.Swap(true) {
		return
	}
	s.signalReadable()
	s.signalWritable()
	if s.cb != nil && s.cb.OnClosed != nil {
		s.cb.OnClosed(s)
	}
}

func (s *Socket) isClosed() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.closed
}

// ShutdownHow says which directions Shutdown closes.
type ShutdownHow int

// The arguments of Shutdown.
const (
	ShutRD   ShutdownHow = C.SHUT_RD
	ShutWR   ShutdownHow = C.SHUT_WR
	ShutRDWR ShutdownHow = C.SHUT_RDWR
)

// Shutdown shuts the association down (usrsctp_shutdown): ShutWR starts
// the graceful SHUTDOWN exchange once queued data is acknowledged; the
// peer reads io.EOF.
func (s *Socket) Shutdown(how ShutdownHow) error {
	so, err := s.use()
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	if rc, err := C.usrsctp_shutdown(so, C.int(how)); rc < 0 {
		return errnoErr("shutdown", err)
	}
	return nil
}

// Close closes the socket (usrsctp_close): a one-to-one association still
// open is shut down gracefully in the background. Waiters return
// ErrClosed. Close is idempotent; do not call it from a callback.
//
// On a socket that got an upcall (SetUpcall), Close first shuts the
// association down and waits for it to end (up to 2 s, then aborts),
// because of the usrsctp teardown bug described at SetUpcall.
func (s *Socket) Close() error {
	if s.upcallSet.Load() && !s.oneToMany && !s.listener.Load() && s.assocAlive() {
		if err := s.Shutdown(ShutWR); err == nil {
			s.waitGone(2 * time.Second)
		}
		if s.assocAlive() {
			return s.Abort()
		}
	}
	return s.close()
}

// Abort sends an ABORT to the peer and closes the socket (SO_LINGER with
// a zero timeout, then usrsctp_close). On a one-to-one socket that got an
// upcall, the ABORT goes out with usrsctp_sendv(SCTP_ABORT) first and
// Abort waits for the association to end.
func (s *Socket) Abort() error {
	if s.upcallSet.Load() && !s.oneToMany && !s.listener.Load() && s.assocAlive() {
		if _, err := s.TrySendV(nil, SendInfo{Abort: true}); err == nil {
			s.waitGone(time.Second)
			time.Sleep(time.Millisecond)
		}
	}
	if err := s.SetLinger(true, 0); err != nil && err != ErrClosed {
		return err
	}
	return s.close()
}

// assocAlive reports whether the one-to-one socket still has an
// association in any state but CLOSED.
func (s *Socket) assocAlive() bool {
	if s.gone.Load() {
		return false
	}
	st, err := s.Stats()
	return err == nil && st.State != StateClosed
}

// waitGone waits until the association is gone or d passes.
func (s *Socket) waitGone(d time.Duration) {
	deadline := time.Now().Add(d)
	for poll := 50 * time.Microsecond; s.assocAlive() && time.Now().Before(deadline); poll = min(2*poll, 10*time.Millisecond) {
		time.Sleep(poll)
	}
}

func (s *Socket) close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	socketsSo.Delete(uintptr(unsafe.Pointer(s.so)))
	socketsID.Delete(s.id)
	// Replace the upcall by a C function that does nothing (never NULL:
	// usrsctp reads so_upcall twice without a lock). ulp_info is only read;
	// clearing it keeps late receive callbacks from adopting the closed
	// socket as a new child of its listener.
	C.sconn_set_upcall(s.so, 0)
	C.sconn_set_ulpinfo(s.so, 0)
	teardownMu.Lock()
	C.usrsctp_close(s.so)
	teardownMu.Unlock()
	close(s.done)
	return nil
}
