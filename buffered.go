package sconn

// BufferedAmount returns the bytes written on the stream and not yet
// acknowledged by the peer (WebRTC's bufferedAmount).
func (s *Stream) BufferedAmount() int {
	n, _ := s.a.s.StreamBufferedAmount(0, s.id)
	return n
}

// SetBufferedAmountLowThreshold sets the buffered amount at or below which
// OnBufferedAmountLow's callback runs (0 by default).
func (s *Stream) SetBufferedAmountLowThreshold(n int) {
	s.wmu.Lock()
	s.lowThresh = max(n, 0)
	s.wmu.Unlock()
}

// OnBufferedAmountLow sets f to run when the stream's buffered amount falls
// from above the low threshold to at or below it. The stack reports its
// buffer level when the association's buffered amount falls to
// Config.LowWater and when everything is acknowledged, so f may run later
// than the exact moment, never earlier. f runs on a stack goroutine: it
// must not block (it may Write).
func (s *Stream) OnBufferedAmountLow(f func()) {
	s.wmu.Lock()
	s.onLow = f
	s.wmu.Unlock()
}

// written notes a message just queued: the callback is armed when the
// buffered amount is above the threshold.
func (s *Stream) written() {
	s.wmu.Lock()
	armed := s.onLow != nil && !s.above
	thr := s.lowThresh
	s.wmu.Unlock()
	if !armed {
		return
	}
	if s.BufferedAmount() > thr {
		s.wmu.Lock()
		s.above = true
		s.wmu.Unlock()
	}
}

// checkLow runs the callbacks of the streams whose buffered amount fell to
// their threshold.
func (a *Association) checkLow() {
	a.mu.Lock()
	streams := make([]*Stream, 0, len(a.streams))
	for _, s := range a.streams {
		streams = append(streams, s)
	}
	a.mu.Unlock()
	for _, s := range streams {
		s.wmu.Lock()
		above, thr, f := s.above, s.lowThresh, s.onLow
		s.wmu.Unlock()
		if !above || f == nil || s.BufferedAmount() > thr {
			continue
		}
		s.wmu.Lock()
		fire := s.above
		s.above = false
		s.wmu.Unlock()
		if fire {
			f()
		}
	}
}
