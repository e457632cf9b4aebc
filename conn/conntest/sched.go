package conntest

import (
	"container/heap"
	"sync"
	"time"
)

// scheduler runs functions at times: packet deliveries. On virtual time
// the Network runs them from Advance; on real time a goroutine does.
type scheduler struct {
	mu    sync.Mutex
	q     eventQueue
	seq   uint64
	wake  chan struct{} // real time: a new earliest event
	quit  chan struct{}
	done  chan struct{}
	clock func() time.Time
}

type event struct {
	at  time.Time
	seq uint64
	fn  func()
}

type eventQueue []event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// at schedules fn at t.
func (s *scheduler) at(t time.Time, fn func()) {
	s.mu.Lock()
	s.seq++
	heap.Push(&s.q, event{at: t, seq: s.seq, fn: fn})
	first := s.q[0].seq == s.seq
	s.mu.Unlock()
	if first && s.wake != nil {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// next returns the time of the earliest event, or the zero time.
func (s *scheduler) next() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.q) == 0 {
		return time.Time{}
	}
	return s.q[0].at
}

// pop removes and returns the earliest event due at now.
func (s *scheduler) pop(now time.Time) (func(), bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.q) == 0 || s.q[0].at.After(now) {
		return nil, false
	}
	return heap.Pop(&s.q).(event).fn, true
}

// runRealTime runs events at their time until stop.
func (s *scheduler) runRealTime() {
	defer close(s.done)
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		for {
			fn, ok := s.pop(s.clock())
			if !ok {
				break
			}
			fn()
		}
		wait := time.Hour
		if n := s.next(); !n.IsZero() {
			wait = max(time.Until(n), 0)
		}
		t.Reset(wait)
		select {
		case <-s.quit:
			return
		case <-s.wake:
		case <-t.C:
		}
	}
}
