package conn

// EventMask is a set of socket events, as usrsctp_get_events returns them.
type EventMask uint8

// Socket events (SCTP_EVENT_READ, SCTP_EVENT_WRITE, SCTP_EVENT_ERROR).
const (
	// EventRead: RecvV or Accept would not block (a message, a
	// notification, an association to accept, or end of file).
	EventRead EventMask = 0x0001
	// EventWrite: SendV would not block; also set when a non-blocking
	// Connect completes (or fails, with EventError).
	EventWrite EventMask = 0x0002
	// EventError: SO_ERROR holds an error (read it with the SOError option).
	EventError EventMask = 0x0004
)

// String returns e.g. "READ|WRITE".
func (m EventMask) String() string {
	s := ""
	add := func(b EventMask, n string) {
		if m&b != 0 {
			if s != "" {
				s += "|"
			}
			s += n
		}
	}
	add(EventRead, "READ")
	add(EventWrite, "WRITE")
	add(EventError, "ERROR")
	if s == "" {
		return "0"
	}
	return s
}

// Upcalls are the callbacks of usrsctp_socket. All are optional; they are
// called with no lock held, on the goroutine that caused them (ConnInput,
// HandleTimers, the timer goroutine, or a socket call), and may call back
// into the stack.
type Upcalls struct {
	// Receive, when set, gets every message (or piece of a message, see
	// MsgEOR) and every subscribed notification instead of RecvV
	// (usrsctp's receive_cb). Calls for one socket are serialised, in
	// order. Delivery.Data is valid only during the call.
	Receive func(s *Socket, d Delivery)
	// Send is called with the free space of the send buffer when it rises
	// to SendThreshold or more (usrsctp's send_cb and sb_threshold).
	Send func(s *Socket, free int)
	// SendThreshold is sb_threshold: the free send space, in bytes, at
	// which Send is called (0: whenever space frees up).
	SendThreshold int
}

// Delivery is one call of the receive upcall.
type Delivery struct {
	// From is the peer.
	From Addr
	// Data is the message (or piece, when Flags lacks MsgEOR); nil for a
	// notification and at end of file. Valid only during the call.
	Data []byte
	// Info describes the message, as the RcvInfo of RecvV.
	Info RcvInfo
	// Flags holds MsgEOR and MsgNotification.
	Flags MsgFlags
	// Notification is set when Flags has MsgNotification.
	Notification Notification
	// EOF reports that the one-to-one association has ended and every
	// message was delivered (usrsctp calls receive_cb with data NULL).
	EOF bool
}

// SetUpcall installs fn, called with the socket's current events whenever
// they may have changed (usrsctp_set_upcall); nil removes it. Read the
// events again with Events if needed. A socket returned by Accept or
// PeelOff inherits its parent's upcall.
func (s *Socket) SetUpcall(fn func(s *Socket, ev EventMask)) {
	s.mu.Lock()
	s.upcall = fn
	s.mu.Unlock()
}

// Events returns the socket's current events (usrsctp_get_events).
func (s *Socket) Events() EventMask {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eventsLocked()
}

func (s *Socket) eventsLocked() EventMask {
	var m EventMask
	if s.soError != nil {
		m |= EventError
	}
	if s.closed {
		return m | EventRead | EventWrite
	}
	if (s.up.Receive == nil && s.rq.len() > 0) || len(s.acceptQ) > 0 || s.eofLocked() {
		m |= EventRead
	}
	if s.writableLocked() {
		m |= EventWrite
	}
	return m
}

// eofLocked reports that RecvV on a one-to-one socket would return end of
// file (or the association's error).
func (s *Socket) eofLocked() bool {
	if s.typ != OneToOne || s.state == stateListening {
		return false
	}
	return s.rdShut || s.peerShut || s.state == stateDisconnected
}

// writableLocked reports that SendV would not block.
func (s *Socket) writableLocked() bool {
	switch s.typ {
	case OneToOne:
		if s.state == stateDisconnected || (s.state == stateConnecting && s.one != nil && s.one.finished) {
			return true // the error is reported by SendV or SO_ERROR
		}
		return s.state == stateConnected && s.one != nil && s.one.sendSpace() > 0
	default:
		return true
	}
}

// poke calls the socket upcall, if any, with the current events.
func (s *Socket) poke() {
	s.mu.Lock()
	fn := s.upcall
	s.mu.Unlock()
	if fn != nil {
		fn(s, s.Events())
	}
}

// effects are what a socket does once its lock is released.
type effects struct {
	upcall   func(*Socket, EventMask)
	deliver  bool
	sendCB   bool
	sendFree int
	endErr   error // why the association ends, when the events say so
}

// afterEffects runs the upcalls collected under the lock.
func (s *Socket) afterEffects(fx effects) {
	if fx.deliver {
		s.deliver()
	}
	if fx.sendCB && s.up.Send != nil {
		s.up.Send(s, fx.sendFree)
	}
	if fx.upcall != nil {
		fx.upcall(s, s.Events())
	}
}

// minDeliveryBuf is the smallest buffer of the receive upcall.
const minDeliveryBuf = 4096

// deliver drains the read queue into the receive upcall. One goroutine at
// a time delivers, so calls are in order; a goroutine that finds another
// delivering leaves the work to it (including a Receive that re-enters
// the stack and causes more deliveries).
func (s *Socket) deliver() {
	s.mu.Lock()
	if s.delivering || s.up.Receive == nil {
		s.mu.Unlock()
		return
	}
	s.delivering = true
	for !s.closed {
		if n := max(s.nextLenLocked(), minDeliveryBuf); n > cap(s.dbuf) {
			s.dbuf = make([]byte, n)
		}
		n, info, as, err := s.recvLocked(s.dbuf[:cap(s.dbuf)])
		var d Delivery
		switch {
		case err == nil:
			d = Delivery{From: info.From, Info: info.RcvInfo, Flags: info.Flags, Notification: info.Notification}
			if info.Notification == nil {
				d.Data = s.dbuf[:n]
			}
		case s.typ == OneToOne && s.eofLocked() && !s.eofDelivered:
			s.eofDelivered = true
			if s.one != nil {
				d.From = s.one.peer()
			}
			d.EOF = true
		default:
			s.delivering = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		if as != nil {
			as.after()
		}
		s.up.Receive(s, d)
		s.mu.Lock()
	}
	s.delivering = false
	s.mu.Unlock()
}
