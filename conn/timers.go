package conn

import (
	"sync"
	"sync/atomic"
	"time"
)

// timerOwner is what a timer entry belongs to: an association (its engine
// deadline and autoclose) or a socket (blocking-call deadlines, linger).
type timerOwner interface {
	onTimer(now time.Time)
}

// timerEntry is one slot in the stack's timer heap. It is embedded in its
// owner, so arming a timer never allocates.
type timerEntry struct {
	when  time.Time // valid while index >= 0
	index int       // position in the shard's heap, -1 when not armed
	shard uint8
	owner timerOwner
}

func (e *timerEntry) init(owner timerOwner, shard uint32) {
	e.owner = owner
	e.index = -1
	e.shard = uint8(shard % numTimerShards)
}

// numTimerShards splits the heap so that the data path of unrelated
// associations does not serialise on one lock.
const numTimerShards = 16

// timerShard is a binary min-heap of entries by deadline.
type timerShard struct {
	mu sync.Mutex
	h  []*timerEntry
	_  [40]byte // keep shards on separate cache lines
}

// timerHeap is the stack's timer heap: one deadline per association and per
// socket with a pending deadline. In TimersGoroutine mode one goroutine
// sleeps until the earliest deadline; in TimersManual mode the host asks
// NextTimeout and calls HandleTimers.
type timerHeap struct {
	shards [numTimerShards]timerShard
	// armed is the deadline (UnixNano) the goroutine sleeps until, or
	// math.MaxInt64 when it sleeps without deadline. A new earlier deadline
	// wakes it.
	armed atomic.Int64
	wake  chan struct{}
}

// set arms e at when, or disarms it when when is zero. It reports whether
// the goroutine must be woken (the new deadline is earlier than its sleep).
func (t *timerHeap) set(e *timerEntry, when time.Time) bool {
	s := &t.shards[e.shard]
	s.mu.Lock()
	switch {
	case when.IsZero():
		if e.index >= 0 {
			s.remove(e.index)
		}
		s.mu.Unlock()
		return false
	case e.index >= 0:
		if e.when.Equal(when) {
			s.mu.Unlock()
			return false
		}
		e.when = when
		s.fix(e.index)
	default:
		e.when = when
		e.index = len(s.h)
		s.h = append(s.h, e)
		s.up(e.index)
	}
	s.mu.Unlock()
	return t.wake != nil && when.UnixNano() < t.armed.Load()
}

// next returns the earliest deadline, or the zero time.
func (t *timerHeap) next() time.Time {
	var min time.Time
	for i := range t.shards {
		s := &t.shards[i]
		s.mu.Lock()
		if len(s.h) > 0 && (min.IsZero() || s.h[0].when.Before(min)) {
			min = s.h[0].when
		}
		s.mu.Unlock()
	}
	return min
}

// expire removes and returns the entries due at now, appended to dst.
func (t *timerHeap) expire(now time.Time, dst []*timerEntry) []*timerEntry {
	for i := range t.shards {
		s := &t.shards[i]
		s.mu.Lock()
		for len(s.h) > 0 && !s.h[0].when.After(now) {
			dst = append(dst, s.h[0])
			s.remove(0)
		}
		s.mu.Unlock()
	}
	return dst
}

// len returns the number of armed entries.
func (t *timerHeap) len() int {
	n := 0
	for i := range t.shards {
		s := &t.shards[i]
		s.mu.Lock()
		n += len(s.h)
		s.mu.Unlock()
	}
	return n
}

func (s *timerShard) less(i, j int) bool { return s.h[i].when.Before(s.h[j].when) }

func (s *timerShard) swap(i, j int) {
	s.h[i], s.h[j] = s.h[j], s.h[i]
	s.h[i].index = i
	s.h[j].index = j
}

func (s *timerShard) up(j int) {
	for j > 0 {
		i := (j - 1) / 2
		if !s.less(j, i) {
			break
		}
		s.swap(i, j)
		j = i
	}
}

func (s *timerShard) down(i int) bool {
	i0, n := i, len(s.h)
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		j := l
		if r := l + 1; r < n && s.less(r, l) {
			j = r
		}
		if !s.less(j, i) {
			break
		}
		s.swap(i, j)
		i = j
	}
	return i > i0
}

func (s *timerShard) fix(i int) {
	if !s.down(i) {
		s.up(i)
	}
}

func (s *timerShard) remove(i int) {
	n := len(s.h) - 1
	e := s.h[i]
	if i != n {
		s.swap(i, n)
	}
	s.h[n] = nil
	s.h = s.h[:n]
	if i != n {
		s.fix(i)
	}
	e.index = -1
}

// arm sets a timer entry and wakes the timer goroutine if needed.
func (st *Stack) arm(e *timerEntry, when time.Time) {
	if st.timers.set(e, when) {
		select {
		case st.timers.wake <- struct{}{}:
		default:
		}
	}
}

// NextTimeout returns the earliest deadline of the stack's timers, or the
// zero time when none runs. In TimersManual mode the host arms one timer
// for it and calls HandleTimers when it fires (a new packet or call may
// bring the deadline forward: ask again after ConnInput and socket calls).
func (st *Stack) NextTimeout() time.Time { return st.timers.next() }

// HandleTimers runs every timer due at now (usrsctp_handle_timers, with an
// absolute time instead of elapsed milliseconds). In TimersManual mode now
// also becomes the stack's time when Config.Clock is nil (it never goes
// backwards). In TimersGoroutine mode the stack's goroutine calls it; a
// host may call it too. Calling it early or twice is harmless.
func (st *Stack) HandleTimers(now time.Time) {
	if st.manual {
		st.advance(now)
		if st.cfg.Clock == nil {
			now = st.now() // never earlier than the stack's time
		}
	}
	var buf [32]*timerEntry
	due := st.timers.expire(now, buf[:0])
	for i, e := range due {
		due[i] = nil
		e.owner.onTimer(now)
	}
}

// advance moves the manual clock forward to now.
func (st *Stack) advance(now time.Time) {
	for {
		cur := st.vnow.Load()
		if cur != nil && !now.After(*cur) {
			return
		}
		t := now
		if st.vnow.CompareAndSwap(cur, &t) {
			return
		}
	}
}

// now returns the stack's time: time.Now in goroutine mode; Config.Clock
// or the latest HandleTimers time in manual mode.
func (st *Stack) now() time.Time {
	if !st.manual {
		return time.Now()
	}
	if st.cfg.Clock != nil {
		return st.cfg.Clock()
	}
	if t := st.vnow.Load(); t != nil {
		return *t
	}
	return time.Time{}
}

// Now returns the stack's current time (see TimerMode).
func (st *Stack) Now() time.Time { return st.now() }

// runTimers is the timer goroutine of TimersGoroutine mode.
func (st *Stack) runTimers() {
	defer close(st.timersDone)
	t := time.NewTimer(time.Hour)
	t.Stop()
	const never = int64(^uint64(0) >> 1)
	for {
		next := st.timers.next()
		if next.IsZero() {
			st.timers.armed.Store(never)
		} else {
			st.timers.armed.Store(next.UnixNano())
			t.Reset(time.Until(next))
		}
		// A deadline armed between next() and Store is caught by
		// re-reading the heap before sleeping.
		if n2 := st.timers.next(); !n2.IsZero() && (next.IsZero() || n2.Before(next)) {
			continue
		}
		select {
		case <-st.quit:
			t.Stop()
			return
		case <-st.timers.wake:
			t.Stop()
		case <-t.C:
			st.HandleTimers(time.Now())
		}
	}
}
