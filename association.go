package sconn

import (
	"context"
	"errors"
	"net"
	"sync"

	"github.com/sconnlab/sconn/conn"
)

// Association is one SCTP association used through streams. Its methods
// are safe for concurrent use.
type Association struct {
	s      *conn.Socket
	cfg    Config
	dialer bool
	owner  *packetTransport // the transport of Client and Server, closed with the association

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change
	streams    map[uint16]*Stream
	closedIDs  map[uint16]struct{}
	acceptQ    []*Stream
	outStreams uint16
	up         bool
	eof        bool  // the peer ended the association gracefully
	err        error // the association failed
	closed     bool  // Close was called
	done       chan struct{}
	ended      bool // done is closed

	// receiving (recv.go)
	pulling, again bool
	scratch        []byte
	partial        []byte
	rbytes         int
}

func newAssociation(cfg Config, dialer bool) *Association {
	return &Association{cfg: cfg, dialer: dialer, changed: make(chan struct{}), done: make(chan struct{}),
		streams: map[uint16]*Stream{}, closedIDs: map[uint16]struct{}{}}
}

// upcalls are the socket callbacks of the facade's sockets; the socket's
// ULPInfo says which association (or listener) they are for.
func upcalls(cfg *Config, sndBuf int) conn.Upcalls {
	return conn.Upcalls{Send: sendUpcall, SendThreshold: cfg.sendThreshold(sndBuf)}
}

func sendUpcall(s *conn.Socket, free int) {
	if a, ok := s.ULPInfo().(*Association); ok {
		a.broadcast()
		a.checkLow()
	}
}

func socketUpcall(s *conn.Socket, ev conn.EventMask) {
	switch o := s.ULPInfo().(type) {
	case *Association:
		o.pull()
		o.broadcast()
	case *Listener:
		o.broadcast()
	}
}

// attach makes a the owner of socket s and starts pulling from it.
func (a *Association) attach(s *conn.Socket) {
	a.s = s
	s.SetULPInfo(a)
	s.SetNonBlocking(true)
	s.SetUpcall(socketUpcall)
}

// established records the stream counts once the association is up.
func (a *Association) established() {
	var st conn.Status
	if err := a.s.GetOption(&st); err == nil {
		a.mu.Lock()
		a.outStreams = st.OutStreams
		a.up = true
		a.broadcastLocked()
		a.mu.Unlock()
	}
}

// waitUp waits for COMM_UP or a failure.
func (a *Association) waitUp(ctx context.Context) error {
	for {
		a.mu.Lock()
		up, err, ch := a.up, a.err, a.changed
		a.mu.Unlock()
		if err != nil {
			return err
		}
		if up {
			return nil
		}
		if a.s.Events()&conn.EventError != 0 {
			var se conn.SOError
			if a.s.GetOption(&se) == nil && se.Err != nil {
				return se.Err
			}
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (a *Association) broadcast() {
	a.mu.Lock()
	a.broadcastLocked()
	a.mu.Unlock()
}

func (a *Association) broadcastLocked() {
	close(a.changed)
	a.changed = make(chan struct{})
}

// Socket returns the underlying one-to-one socket, for socket options and
// statistics. Reading or writing it directly bypasses the streams.
func (a *Association) Socket() *conn.Socket { return a.s }

// LocalAddr returns the local SCTP address (a conn.Addr).
func (a *Association) LocalAddr() net.Addr { return a.s.LocalAddr() }

// RemoteAddr returns the peer's SCTP address (a conn.Addr).
func (a *Association) RemoteAddr() net.Addr {
	if ps, err := a.s.GetPAddrs(0); err == nil && len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// Stats returns the association's counters (retransmissions, SACKs…).
func (a *Association) Stats() (conn.AssocStats, error) {
	var st conn.AssocStats
	err := a.s.GetOption(&st)
	return st, err
}

// Status returns the association's state, windows and RTO.
func (a *Association) Status() (conn.Status, error) {
	var st conn.Status
	err := a.s.GetOption(&st)
	return st, err
}

// BufferedAmount returns the bytes written on every stream and not yet
// acknowledged by the peer.
func (a *Association) BufferedAmount() int {
	n, _ := a.s.BufferedAmount(0)
	return n
}

// Done returns a channel closed when the association has ended: closed,
// shut down by the peer, or failed (Err).
func (a *Association) Done() <-chan struct{} { return a.done }

// checkEndLocked closes done once the association has ended. Called with
// a.mu held after closed, eof or err changed.
func (a *Association) checkEndLocked() {
	if (a.closed || a.eof || a.err != nil) && !a.ended {
		a.ended = true
		close(a.done)
	}
}

// Err returns why the association failed (the peer aborted it, it timed
// out…), nil while it runs or after a graceful end.
func (a *Association) Err() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

// Close shuts the association down gracefully (RFC 9260 §9.2): queued
// messages are still delivered. Streams then return ErrClosed. An
// association made by Client or Server waits up to Config.LingerTimeout for
// the shutdown and then closes its stack and its net.Conn.
func (a *Association) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	a.checkEndLocked()
	a.broadcastLocked()
	a.mu.Unlock()
	var err error
	if a.owner != nil {
		a.s.SetNonBlocking(false)
		_ = a.s.SetOption(conn.Linger{On: true, Timeout: a.cfg.LingerTimeout})
		err = a.s.Close()
		if cerr := a.owner.close(); err == nil {
			err = cerr
		}
	} else {
		err = a.s.Close()
	}
	if errors.Is(err, conn.ErrClosed) {
		err = nil
	}
	return err
}

// Abort ends the association at once with an ABORT: queued messages are
// discarded.
func (a *Association) Abort() error {
	a.mu.Lock()
	a.closed = true
	a.checkEndLocked()
	a.broadcastLocked()
	a.mu.Unlock()
	err := a.s.Abort()
	if a.owner != nil {
		a.owner.close()
	}
	return err
}

// endErr returns the error for a call on an ended association, or nil.
// Called with a.mu held.
func (a *Association) endErrLocked() error {
	switch {
	case a.closed:
		return ErrClosed
	case a.err != nil:
		return a.err
	}
	return nil
}
