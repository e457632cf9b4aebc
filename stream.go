package sconn

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/sconnlab/sconn/conn"
)

// Stream is one SCTP stream of an association, used as an
// io.ReadWriteCloser: each Write sends one message (with the stream's PPID,
// ordered unless SetUnordered), Read returns the received messages' bytes in
// order. Its methods are safe for concurrent use.
type Stream struct {
	a  *Association
	id uint16

	// guarded by a.mu
	q      []message
	cur    []byte // the rest of the message being read
	curLen int    // the full length of cur's message
	closed bool

	wmu       sync.Mutex
	ppid      uint32
	unordered bool
	pr        *conn.PRInfo
	lowThresh int
	onLow     func()
	above     bool // buffered amount above lowThresh since the last callback
}

func newStream(a *Association, id uint16) *Stream { return &Stream{a: a, id: id} }

// ID returns the stream identifier.
func (s *Stream) ID() uint16 { return s.id }

// SetPPID sets the Payload Protocol Identifier of the messages Write sends
// (0 by default; WebRTC uses 51 for strings and 53 for binary).
func (s *Stream) SetPPID(ppid uint32) {
	s.wmu.Lock()
	s.ppid = ppid
	s.wmu.Unlock()
}

// SetUnordered makes Write send messages unordered (they may overtake each
// other) or ordered again.
func (s *Stream) SetUnordered(on bool) {
	s.wmu.Lock()
	s.unordered = on
	s.wmu.Unlock()
}

// SetPartialReliability gives the messages Write sends a PR-SCTP policy:
// a lifetime (conn.PRTTL, ms) or a number of retransmissions (conn.PRRtx)
// after which they are abandoned. conn.PRNone restores full reliability.
func (s *Stream) SetPartialReliability(pr conn.PRInfo) {
	s.wmu.Lock()
	if pr.Policy == conn.PRNone {
		s.pr = nil
	} else {
		s.pr = &pr
	}
	s.wmu.Unlock()
}

// Read reads the next bytes of the received messages; a message longer
// than b continues in the next Read. It blocks until a message arrives and
// returns io.EOF once the peer ended the association and everything was
// read.
func (s *Stream) Read(b []byte) (int, error) { return s.ReadContext(context.Background(), b) }

// ReadContext is Read with a context.
func (s *Stream) ReadContext(ctx context.Context, b []byte) (int, error) {
	a := s.a
	for {
		a.mu.Lock()
		if s.cur == nil && len(s.q) > 0 && !s.closed {
			s.cur, s.curLen = s.q[0].data, len(s.q[0].data)
			s.q[0] = message{}
			s.q = s.q[1:]
		}
		if s.cur != nil && !s.closed {
			n := copy(b, s.cur)
			s.cur = s.cur[n:]
			done := len(s.cur) == 0
			total := s.curLen
			if done {
				s.cur = nil
			}
			a.mu.Unlock()
			if done {
				a.consumed(total)
			}
			return n, nil
		}
		ch, err := s.waitLocked()
		a.mu.Unlock()
		if err != nil {
			return 0, err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// ReadMessage returns the next whole message and its PPID (the rest of a
// message partly read by Read, if any).
func (s *Stream) ReadMessage(ctx context.Context) ([]byte, uint32, error) {
	a := s.a
	for {
		a.mu.Lock()
		if !s.closed && (s.cur != nil || len(s.q) > 0) {
			var m message
			if s.cur != nil {
				m.data, s.cur = s.cur, nil
			} else {
				m = s.q[0]
				s.q[0] = message{}
				s.q = s.q[1:]
				s.curLen = len(m.data)
			}
			total := s.curLen
			a.mu.Unlock()
			a.consumed(total)
			return m.data, m.ppid, nil
		}
		ch, err := s.waitLocked()
		a.mu.Unlock()
		if err != nil {
			return nil, 0, err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
	}
}

// waitLocked returns the channel to wait on for more data, or the error
// that ends reading. Called with a.mu held.
func (s *Stream) waitLocked() (<-chan struct{}, error) {
	a := s.a
	switch {
	case s.closed:
		return nil, ErrStreamClosed
	case a.closed:
		return nil, ErrClosed
	case a.err != nil:
		return nil, a.err
	case a.eof:
		return nil, io.EOF
	}
	return a.changed, nil
}

// Write sends b as one message. It blocks while the send buffer is full.
// An empty b sends nothing (SCTP has no empty messages).
func (s *Stream) Write(b []byte) (int, error) { return s.WriteContext(context.Background(), b) }

// WriteContext is Write with a context.
func (s *Stream) WriteContext(ctx context.Context, b []byte) (int, error) {
	s.wmu.Lock()
	ppid := s.ppid
	s.wmu.Unlock()
	return s.WriteMessage(ctx, b, ppid)
}

// WriteMessage sends b as one message with the given PPID.
func (s *Stream) WriteMessage(ctx context.Context, b []byte, ppid uint32) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	a := s.a
	s.wmu.Lock()
	info := conn.SendInfo{Stream: s.id, PPID: ppid}
	if s.unordered {
		info.Flags = conn.FlagUnordered
	}
	pr := s.pr
	s.wmu.Unlock()
	for {
		a.mu.Lock()
		err := a.endErrLocked()
		if s.closed {
			err = ErrStreamClosed
		}
		ch := a.changed
		a.mu.Unlock()
		if err != nil {
			return 0, err
		}
		_, err = a.s.SendV(b, conn.SendSpec{Info: &info, PR: pr})
		if err == nil {
			s.written()
			return len(b), nil
		}
		if !errors.Is(err, conn.ErrWouldBlock) {
			return 0, err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// Close stops the local use of the stream: Read and Write return
// ErrStreamClosed, unread messages are dropped and later ones discarded.
// The peer is not told (stream reset, RFC 6525, is not wired to the facade
// yet) and messages already written are still delivered. The association
// stays open.
func (s *Stream) Close() error {
	a := s.a
	a.mu.Lock()
	if s.closed {
		a.mu.Unlock()
		return nil
	}
	s.closed = true
	n := len(s.cur)
	if s.cur != nil {
		n = s.curLen
	}
	for _, m := range s.q {
		n += len(m.data)
	}
	s.q, s.cur = nil, nil
	if a.streams[s.id] == s {
		delete(a.streams, s.id)
		a.closedIDs[s.id] = struct{}{}
	}
	a.broadcastLocked()
	a.mu.Unlock()
	a.consumed(n)
	return nil
}
