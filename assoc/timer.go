package assoc

import "time"

// timerKind names one of the association's timers. Each kind has one slot;
// NextDeadline is the earliest running slot and HandleTimeout fires every
// expired slot in the order of the kinds.
type timerKind uint8

const (
	timerT1Init       timerKind = iota // §5.1 T1-init
	timerT1Cookie                      // §5.1 T1-cookie
	timerT2Shutdown                    // §9.2 T2-shutdown (SHUTDOWN or SHUTDOWN ACK)
	timerT5Guard                       // §9.2 T5-shutdown-guard
	timerHeartbeat                     // §8.3 heartbeat interval
	timerHeartbeatAck                  // §8.3 "not acknowledged within one RTO"
	timerT3Rtx                         // §6.3.2 T3-rtx (one path)
	timerDelayedSack                   // §6.2 delayed SACK
	numTimers
)

func (k timerKind) String() string {
	switch k {
	case timerT1Init:
		return "T1-init"
	case timerT1Cookie:
		return "T1-cookie"
	case timerT2Shutdown:
		return "T2-shutdown"
	case timerT5Guard:
		return "T5-shutdown-guard"
	case timerHeartbeat:
		return "heartbeat"
	case timerHeartbeatAck:
		return "heartbeat-ack"
	case timerT3Rtx:
		return "T3-rtx"
	case timerDelayedSack:
		return "delayed-SACK"
	}
	return "timer " + itoa(int(k))
}

// timer is one running or stopped timer.
type timer struct {
	at time.Time
	on bool
}

// timers holds every timer of an association.
type timers [numTimers]timer

func (ts *timers) start(k timerKind, now time.Time, d time.Duration) {
	ts[k] = timer{at: now.Add(d), on: true}
}

func (ts *timers) stop(k timerKind) { ts[k].on = false }

func (ts *timers) running(k timerKind) bool { return ts[k].on }

func (ts *timers) stopAll() { *ts = timers{} }

// next returns the earliest deadline, or the zero time.
func (ts *timers) next() time.Time {
	var t time.Time
	for i := range ts {
		if ts[i].on && (t.IsZero() || ts[i].at.Before(t)) {
			t = ts[i].at
		}
	}
	return t
}

// expired reports and stops timer k if it is due at now.
func (ts *timers) expired(k timerKind, now time.Time) bool {
	if ts[k].on && !ts[k].at.After(now) {
		ts[k].on = false
		return true
	}
	return false
}

// NextDeadline returns when HandleTimeout must next be called, or the zero
// time when no timer runs.
func (a *Association) NextDeadline() time.Time { return a.timers.next() }

// HandleTimeout runs every timer that is due at now. Calling it early or
// twice is harmless.
func (a *Association) HandleTimeout(now time.Time) {
	for k := timerKind(0); k < numTimers; k++ {
		if a.state == Closed {
			a.timers.stopAll()
			return
		}
		if !a.timers.expired(k, now) {
			continue
		}
		switch k {
		case timerT1Init:
			a.onT1Init(now)
		case timerT1Cookie:
			a.onT1Cookie(now)
		case timerT2Shutdown:
			a.onT2Shutdown(now)
		case timerT5Guard:
			a.onT5Guard(now)
		case timerHeartbeat:
			a.onHeartbeatTimer(now)
		case timerHeartbeatAck:
			a.onHeartbeatAckTimer(now)
		case timerT3Rtx:
			a.onT3Rtx(now)
		case timerDelayedSack:
			a.onDelayedSack(now)
		}
	}
	a.dataEvents(now)
}
