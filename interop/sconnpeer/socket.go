package sconnpeer

import (
	"context"
	"errors"
	"time"

	"github.com/sconnlab/sconn/conn"
)

// Message is one whole received message or notification.
type Message struct {
	Data         []byte
	Info         conn.RcvInfo // valid with RecvRcvInfo on (Socket sets it)
	From         conn.Addr
	Notification conn.Notification // non-nil for a notification
}

// Socket creates a socket of typ on the peer's stack with the options
// given, and RecvRcvInfo on.
func (p *Peer) Socket(typ conn.SocketType, up conn.Upcalls, opts ...conn.SettableOption) (*conn.Socket, error) {
	s, err := p.Stack.Socket(typ, up)
	if err != nil {
		return nil, err
	}
	opts = append([]conn.SettableOption{conn.RecvRcvInfo(true)}, opts...)
	for _, o := range opts {
		if err := s.SetOption(o); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Subscribe subscribes s to every notification type in types (for future
// associations and existing ones).
func Subscribe(s *conn.Socket, types ...conn.NotificationType) error {
	for _, t := range types {
		if err := s.SetOption(conn.Event{AssocID: conn.AllAssoc, Type: t, On: true}); err != nil {
			return err
		}
	}
	return nil
}

// AllNotifications are the notification types sconn delivers.
var AllNotifications = []conn.NotificationType{
	conn.NotifyAssocChange, conn.NotifyPeerAddrChange, conn.NotifyRemoteError,
	conn.NotifyShutdownEvent, conn.NotifyAdaptationIndication, conn.NotifyPartialDelivery,
	conn.NotifySenderDry, conn.NotifySendFailedEvent,
}

// deadline sets the read deadline of s from ctx (none if ctx has none).
func deadline(ctx context.Context, set func(time.Time) error) {
	if d, ok := ctx.Deadline(); ok {
		_ = set(d)
	} else {
		_ = set(time.Time{})
	}
}

// ReadMessage reads one whole message (joining the pieces RecvV returns)
// or notification from s, until ctx's deadline. The stack's clock must be
// the wall clock (TimersGoroutine or TimersHostLoop) for the deadline to
// mean anything.
func ReadMessage(ctx context.Context, s *conn.Socket, buf []byte) (Message, error) {
	deadline(ctx, s.SetReadDeadline)
	var m Message
	var acc []byte
	for {
		n, info, err := s.RecvV(buf)
		if err != nil {
			return Message{}, err
		}
		if info.Flags&conn.MsgNotification != 0 {
			return Message{Notification: info.Notification, From: info.From}, nil
		}
		if acc == nil && info.Flags&conn.MsgEOR != 0 {
			m.Data = append([]byte(nil), buf[:n]...)
		} else {
			acc = append(acc, buf[:n]...)
			m.Data = acc
		}
		if info.HasRcvInfo && (acc == nil || len(acc) == n) {
			m.Info = info.RcvInfo // the first piece's
		}
		m.From = info.From
		if info.Flags&conn.MsgEOR != 0 {
			return m, nil
		}
	}
}

// WaitNotification reads from s until a notification for which match
// returns true arrives (messages read meanwhile are passed to onMsg, or
// discarded when it is nil).
func WaitNotification(ctx context.Context, s *conn.Socket, match func(conn.Notification) bool, onMsg func(Message)) (conn.Notification, error) {
	buf := make([]byte, 1<<16)
	for {
		m, err := ReadMessage(ctx, s, buf)
		if err != nil {
			return nil, err
		}
		if m.Notification == nil {
			if onMsg != nil {
				onMsg(m)
			}
			continue
		}
		if match(m.Notification) {
			return m.Notification, nil
		}
	}
}

// IsAssocChange returns a matcher for WaitNotification: an AssocChange
// with the given state.
func IsAssocChange(state conn.AssocChangeState) func(conn.Notification) bool {
	return func(n conn.Notification) bool {
		ac, ok := n.(conn.AssocChange)
		return ok && ac.State == state
	}
}

// Connect connects s to the peer at to, bounded by ctx's deadline.
func Connect(ctx context.Context, s *conn.Socket, to conn.Addr) error {
	deadline(ctx, s.SetWriteDeadline)
	defer s.SetWriteDeadline(time.Time{})
	return s.Connect(to)
}

// Accept accepts one association on the listening socket s, bounded by
// ctx's deadline.
func Accept(ctx context.Context, s *conn.Socket) (*conn.Socket, error) {
	deadline(ctx, s.SetReadDeadline)
	defer s.SetReadDeadline(time.Time{})
	c, _, err := s.Accept()
	return c, err
}

// Send sends one message on s with the given stream, PPID and
// ordering, bounded by ctx's deadline (a full send buffer blocks).
func Send(ctx context.Context, s *conn.Socket, data []byte, info conn.SendInfo) error {
	deadline(ctx, s.SetWriteDeadline)
	_, err := s.SendV(data, conn.SendSpec{Info: &info})
	return err
}

// ErrNotDrained is returned by Drain when data stays unacknowledged.
var ErrNotDrained = errors.New("sconnpeer: send buffer not drained")

// Drain waits until association id of s (0: a one-to-one socket's) has
// nothing buffered (every byte acknowledged) or ctx ends.
func Drain(ctx context.Context, s *conn.Socket, id conn.AssocID) error {
	for poll := 100 * time.Microsecond; ; poll = min(2*poll, 10*time.Millisecond) {
		n, err := s.BufferedAmount(id)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.Join(ErrNotDrained, ctx.Err())
		case <-time.After(poll):
		}
	}
}
