package sconn

import (
	"context"
	"errors"
	"net"
	"sync"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/conn/udp"
)

// listenBacklog is the accept queue of a Listener.
const listenBacklog = 16

// Dial starts an association from st to the peer on handle h (registered
// with st, e.g. by the host that owns the transport) and waits until it is
// up, ctx is done, or it fails.
func Dial(ctx context.Context, st *conn.Stack, h conn.Handle, cfg *Config) (*Association, error) {
	c := cfg.withDefaults()
	sndBuf, err := c.sndBufFor(st)
	if err != nil {
		return nil, err
	}
	s, err := st.Socket(conn.OneToOne, upcalls(&c, sndBuf))
	if err != nil {
		return nil, err
	}
	a := newAssociation(c, true)
	if err := c.socketOptions(s); err != nil {
		s.Close()
		return nil, err
	}
	a.attach(s)
	if err := s.Bind(conn.Addr{Handle: h, Port: c.Port}); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.Connect(conn.Addr{Handle: h, Port: c.RemotePort}); err != nil && !errors.Is(err, conn.ErrInProgress) {
		s.Close()
		return nil, err
	}
	if err := a.waitUp(ctx); err != nil {
		s.Abort()
		return nil, err
	}
	a.established()
	return a, nil
}

// Listener accepts associations on a stack.
type Listener struct {
	s   *conn.Socket
	cfg Config

	mu      sync.Mutex
	changed chan struct{}
	closed  bool
}

// Listen returns a Listener for the associations that peers start on st
// towards Config.Port, on handle h or, with conn.AnyHandle, on every
// handle.
func Listen(st *conn.Stack, h conn.Handle, cfg *Config) (*Listener, error) {
	c := cfg.withDefaults()
	sndBuf, err := c.sndBufFor(st)
	if err != nil {
		return nil, err
	}
	s, err := st.Socket(conn.OneToOne, upcalls(&c, sndBuf))
	if err != nil {
		return nil, err
	}
	l := &Listener{s: s, cfg: c, changed: make(chan struct{})}
	if err := c.socketOptions(s); err != nil {
		s.Close()
		return nil, err
	}
	s.SetULPInfo(l)
	s.SetNonBlocking(true)
	s.SetUpcall(socketUpcall)
	if err := s.Bind(conn.Addr{Handle: h, Port: c.Port}); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.Listen(listenBacklog); err != nil {
		s.Close()
		return nil, err
	}
	return l, nil
}

func (l *Listener) broadcast() {
	l.mu.Lock()
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
}

// Accept waits for the next association.
func (l *Listener) Accept(ctx context.Context) (*Association, error) {
	for {
		l.mu.Lock()
		closed, ch := l.closed, l.changed
		l.mu.Unlock()
		if closed {
			return nil, ErrClosed
		}
		ns, _, err := l.s.Accept()
		if err == nil {
			a := newAssociation(l.cfg, false)
			a.attach(ns)
			a.established()
			a.pull()
			return a, nil
		}
		if !errors.Is(err, conn.ErrWouldBlock) {
			return nil, err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Addr returns the listening address (a conn.Addr).
func (l *Listener) Addr() net.Addr { return l.s.LocalAddr() }

// Close stops listening; associations not yet accepted are aborted.
func (l *Listener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
	return l.s.Close()
}

// DialUDP starts an association over SCTP-over-UDP to the peer of a
// connected udp.Host (udp.Config.Remote).
func DialUDP(ctx context.Context, h *udp.Host, cfg *Config) (*Association, error) {
	return Dial(ctx, h.Stack(), h.RemoteHandle(), cfg)
}

// ListenUDP accepts associations from every peer of a udp.Host.
func ListenUDP(h *udp.Host, cfg *Config) (*Listener, error) {
	return Listen(h.Stack(), conn.AnyHandle, cfg)
}
