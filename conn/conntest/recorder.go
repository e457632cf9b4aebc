package conntest

import (
	"sync"

	"github.com/sconnlab/sconn/conn"
)

// Received is a message a Recorder kept.
type Received struct {
	Stream uint16
	PPID   uint32
	Data   []byte
}

// Recorder collects what sockets receive through their receive upcall:
// whole messages (pieces are joined at MsgEOR), which it checks with its
// Checker or keeps, notifications and end of file. Give Upcalls() to
// Stack.Socket; a listening socket passes them to the sockets it accepts.
// It is safe for concurrent use.
type Recorder struct {
	// Checker, when set, checks every message (Message payloads);
	// otherwise the messages are kept (Messages).
	Checker *Checker

	mu       sync.Mutex
	partial  map[partialKey][]byte
	msgs     []Received
	count    int
	bytes    int
	notes    []conn.Notification
	eof      int
	accepted []*conn.Socket
	seen     map[*conn.Socket]bool
}

type partialKey struct {
	s  *conn.Socket
	id conn.AssocID
}

// NewRecorder returns a Recorder that checks messages with c (nil: keep
// them).
func NewRecorder(c *Checker) *Recorder {
	return &Recorder{Checker: c, partial: map[partialKey][]byte{}, seen: map[*conn.Socket]bool{}}
}

// Upcalls returns the receive upcall that records into r.
func (r *Recorder) Upcalls() conn.Upcalls {
	return conn.Upcalls{Receive: r.receive}
}

func (r *Recorder) receive(s *conn.Socket, d conn.Delivery) {
	r.mu.Lock()
	if !r.seen[s] {
		r.seen[s] = true
		r.accepted = append(r.accepted, s)
	}
	switch {
	case d.EOF:
		r.eof++
		r.mu.Unlock()
		return
	case d.Notification != nil:
		r.notes = append(r.notes, d.Notification)
		r.mu.Unlock()
		return
	}
	k := partialKey{s, d.Info.AssocID}
	msg := append(r.partial[k], d.Data...)
	if d.Flags&conn.MsgEOR == 0 {
		r.partial[k] = msg
		r.mu.Unlock()
		return
	}
	delete(r.partial, k)
	r.count++
	r.bytes += len(msg)
	if r.Checker == nil {
		r.msgs = append(r.msgs, Received{Stream: d.Info.Stream, PPID: d.Info.PPID, Data: msg})
	}
	c := r.Checker
	r.mu.Unlock()
	if c != nil {
		_ = c.Receive(d.Info.Stream, msg)
	}
}

// Count returns the number of whole messages received and their bytes.
func (r *Recorder) Count() (msgs, bytes int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count, r.bytes
}

// Messages returns the kept messages (none when a Checker is set).
func (r *Recorder) Messages() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.msgs...)
}

// Notifications returns the notifications received so far.
func (r *Recorder) Notifications() []conn.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]conn.Notification(nil), r.notes...)
}

// Has reports whether a notification matching match arrived.
func (r *Recorder) Has(match func(conn.Notification) bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.notes {
		if match(n) {
			return true
		}
	}
	return false
}

// HasAssocChange reports whether an SCTP_ASSOC_CHANGE with state st
// arrived (subscribe to conn.NotifyAssocChange first).
func (r *Recorder) HasAssocChange(st conn.AssocChangeState) bool {
	return r.Has(func(n conn.Notification) bool {
		ac, ok := n.(conn.AssocChange)
		return ok && ac.State == st
	})
}

// EOF returns the number of associations that ended with every message
// delivered (one-to-one sockets).
func (r *Recorder) EOF() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.eof
}

// Sockets returns the sockets that received something, in order of their
// first delivery (for a listener: the accepted sockets).
func (r *Recorder) Sockets() []*conn.Socket {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*conn.Socket(nil), r.accepted...)
}

// Subscribe subscribes s to the notification types.
func Subscribe(s *conn.Socket, types ...conn.NotificationType) error {
	for _, t := range types {
		if err := s.SetOption(conn.Event{Type: t, On: true}); err != nil {
			return err
		}
	}
	return nil
}
