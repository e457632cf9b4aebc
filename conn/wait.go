package conn

import "time"

// waitLocked blocks until something about the socket changes
// (broadcastLocked), the deadline passes, or the stack closes. It is
// called and returns with s.mu held; the caller re-checks its condition
// and calls again. It returns errTimeout once the deadline has passed.
func (s *Socket) waitLocked(deadline time.Time) error {
	if !deadline.IsZero() && !s.st.now().Before(deadline) {
		return errTimeout
	}
	select {
	case <-s.st.quit:
		return ErrClosed
	default:
	}
	if s.wake == nil {
		s.wake = make(chan struct{})
	}
	ch := s.wake
	if !deadline.IsZero() && (s.timerAt.IsZero() || deadline.Before(s.timerAt)) {
		s.timerAt = deadline
		s.st.arm(&s.timer, deadline)
	}
	s.waiters++
	s.mu.Unlock()
	select {
	case <-ch:
	case <-s.st.quit:
	}
	s.mu.Lock()
	s.waiters--
	return nil
}

// broadcastLocked wakes every goroutine blocked in waitLocked. It costs
// nothing when none waits.
func (s *Socket) broadcastLocked() {
	if s.wake != nil {
		close(s.wake)
		s.wake = nil
	}
}

// onTimer implements timerOwner: a deadline of a blocked call passed.
func (s *Socket) onTimer(now time.Time) {
	s.mu.Lock()
	s.timerAt = time.Time{}
	s.broadcastLocked()
	s.mu.Unlock()
}
