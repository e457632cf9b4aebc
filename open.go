package sconn

import (
	"context"
	"io"
)

// OpenStream returns a new stream with the next free identifier of this
// side's parity (even for the side that dialed, odd for the side that
// accepted). Nothing is sent until the first Write.
func (a *Association) OpenStream() (*Stream, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.endErrLocked(); err != nil {
		return nil, err
	}
	first := uint16(1)
	if a.dialer {
		first = 0
	}
	for id := uint32(first); id < uint32(a.outStreams); id += 2 {
		if _, used := a.streams[uint16(id)]; used {
			continue
		}
		if _, gone := a.closedIDs[uint16(id)]; gone {
			continue
		}
		s := newStream(a, uint16(id))
		a.streams[s.id] = s
		return s, nil
	}
	return nil, ErrNoStreams
}

// Stream returns the stream with identifier id, opening it if needed (for
// streams both sides agreed on beforehand, like negotiated data channels).
func (a *Association) Stream(id uint16) (*Stream, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.endErrLocked(); err != nil {
		return nil, err
	}
	if s := a.streams[id]; s != nil {
		return s, nil
	}
	if id >= a.outStreams {
		return nil, ErrInvalidStream
	}
	delete(a.closedIDs, id)
	s := newStream(a, id)
	a.streams[id] = s
	return s, nil
}

// AcceptStream returns the next stream the peer opened (by sending its
// first message on it). It returns io.EOF once the peer ended the
// association.
func (a *Association) AcceptStream(ctx context.Context) (*Stream, error) {
	for {
		a.mu.Lock()
		if len(a.acceptQ) > 0 && !a.closed {
			s := a.acceptQ[0]
			a.acceptQ = a.acceptQ[1:]
			a.mu.Unlock()
			return s, nil
		}
		err := a.endErrLocked()
		if err == nil && a.eof {
			err = io.EOF
		}
		ch := a.changed
		a.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
