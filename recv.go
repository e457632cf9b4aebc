package sconn

import (
	"errors"
	"io"

	"github.com/sconnlab/sconn/conn"
)

// scratchSize is the buffer RecvV fills; longer messages come in pieces.
const scratchSize = 64 << 10

// message is a received message waiting in a stream's queue.
type message struct {
	data []byte
	ppid uint32
}

// pull moves what the socket received into the streams' queues until the
// socket has nothing more, the read buffer is full, or the association
// ends. One goroutine pulls at a time; a call that finds another pulling
// asks it to go round again. It runs from the socket upcall and from
// readers that freed room.
func (a *Association) pull() {
	a.mu.Lock()
	if a.pulling {
		a.again = true
		a.mu.Unlock()
		return
	}
	a.pulling = true
	if a.scratch == nil {
		a.scratch = make([]byte, scratchSize)
	}
	var low bool
	for {
		a.again = false
		if a.rbytes >= a.cfg.ReadBufferSize || a.eof || a.err != nil || a.s == nil {
			break
		}
		a.mu.Unlock()
		n, info, err := a.s.RecvV(a.scratch)
		a.mu.Lock()
		if err != nil {
			if errors.Is(err, conn.ErrWouldBlock) {
				if a.again {
					continue
				}
				break
			}
			if errors.Is(err, io.EOF) {
				a.eof = true
			} else if !a.closed {
				a.err = err
			}
			a.checkEndLocked()
			break
		}
		if info.Flags&conn.MsgNotification != 0 {
			low = a.notificationLocked(info.Notification) || low
			continue
		}
		a.partial = append(a.partial, a.scratch[:n]...)
		if info.Flags&conn.MsgEOR == 0 {
			continue
		}
		a.deliverLocked(info.RcvInfo.Stream, message{data: a.partial, ppid: info.RcvInfo.PPID})
		a.partial = nil
	}
	a.pulling = false
	a.broadcastLocked()
	a.mu.Unlock()
	if low {
		a.checkLow()
	}
}

// notificationLocked handles a notification; it reports a SENDER_DRY (every
// stream's buffered amount is 0).
func (a *Association) notificationLocked(n conn.Notification) bool {
	switch n := n.(type) {
	case conn.AssocChange:
		switch n.State {
		case conn.CommUp, conn.Restart:
			a.up = true
		case conn.CommLost, conn.CantStrAssoc:
			if a.err == nil && !a.closed {
				a.err = n.Err
				if a.err == nil {
					a.err = conn.ErrConnReset
				}
			}
			a.checkEndLocked()
		}
	case conn.SenderDryEvent:
		return true
	}
	return false
}

// deliverLocked queues a message on its stream, making the stream (opened
// by the peer) if it is new.
func (a *Association) deliverLocked(id uint16, m message) {
	st := a.streams[id]
	if st == nil {
		if _, gone := a.closedIDs[id]; gone {
			return
		}
		st = newStream(a, id)
		a.streams[id] = st
		a.acceptQ = append(a.acceptQ, st)
	}
	st.q = append(st.q, m)
	a.rbytes += len(m.data)
}

// consumed releases n bytes of the read buffer and resumes pulling if that
// made room.
func (a *Association) consumed(n int) {
	a.mu.Lock()
	full := a.rbytes >= a.cfg.ReadBufferSize
	a.rbytes -= n
	resume := full && a.rbytes < a.cfg.ReadBufferSize
	a.mu.Unlock()
	if resume {
		a.pull()
	}
}
