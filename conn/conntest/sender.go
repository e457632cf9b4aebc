package conntest

import (
	"errors"
	"sync"

	"github.com/sconnlab/sconn/conn"
)

// Outgoing is a message for a Sender.
type Outgoing struct {
	Data []byte
	Info conn.SendInfo
	PR   *conn.PRInfo
}

// Sender feeds queued messages to a non-blocking socket as fast as its send
// buffer takes them: call Pump after connecting and whenever space may have
// freed (its Upcalls do it from the send upcall). It is safe for concurrent
// use.
type Sender struct {
	mu      sync.Mutex
	q       []Outgoing
	sent    int
	err     error
	pumping bool
	again   bool // a Pump came while another was pumping
}

// NewSender returns an empty Sender.
func NewSender() *Sender { return &Sender{} }

// Add queues messages.
func (x *Sender) Add(msgs ...Outgoing) {
	x.mu.Lock()
	x.q = append(x.q, msgs...)
	x.mu.Unlock()
}

// AddStream queues count Messages of size bytes for stream, numbered from 0,
// unordered when ordered is false; declare them to c if c is not nil.
func (x *Sender) AddStream(c *Checker, stream uint16, count, size int, ordered bool) {
	var fl conn.SendFlags
	if !ordered {
		fl = conn.FlagUnordered
	}
	for i := 0; i < count; i++ {
		x.Add(Outgoing{Data: Message(stream, uint32(i), size), Info: conn.SendInfo{Stream: stream, Flags: fl}})
	}
	if c != nil {
		c.Expect(stream, count, ordered)
	}
}

// Upcalls returns a send upcall that pumps s when its send buffer frees.
func (x *Sender) Upcalls() conn.Upcalls {
	return conn.Upcalls{Send: func(s *conn.Socket, free int) { x.Pump(s) }}
}

// Pump sends queued messages on s until its send buffer is full
// (conn.ErrWouldBlock; s must be non-blocking) or the queue is empty. Any
// other error stops the Sender (Err).
func (x *Sender) Pump(s *conn.Socket) {
	x.mu.Lock()
	if x.pumping || x.err != nil {
		x.again = true
		x.mu.Unlock()
		return
	}
	x.pumping, x.again = true, false
	for len(x.q) > 0 {
		m := x.q[0]
		x.mu.Unlock()
		info := m.Info
		_, err := s.SendV(m.Data, conn.SendSpec{Info: &info, PR: m.PR})
		x.mu.Lock()
		if errors.Is(err, conn.ErrWouldBlock) {
			if x.again { // space may have freed meanwhile
				x.again = false
				continue
			}
			break
		}
		if err != nil {
			x.err = err
			break
		}
		x.q = x.q[1:]
		x.sent++
	}
	x.pumping = false
	x.mu.Unlock()
}

// Sent returns the number of messages the socket accepted.
func (x *Sender) Sent() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.sent
}

// Done reports whether every queued message was accepted by the socket.
func (x *Sender) Done() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.q) == 0
}

// Err returns the error that stopped the Sender.
func (x *Sender) Err() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.err
}
