package assoc

import "time"

// Settings a host may change on a running association (the RFC 6458 socket
// options SCTP_PEER_ADDR_PARAMS and SCTP_NODELAY). Everything else in
// Config is read when the association starts.

// SetHeartbeat sets HB.interval and turns periodic heartbeats on or off
// (RFC 9260 §8.3: "the upper layer can enable or disable the HEARTBEAT
// chunk ... and change the HB.interval"; RFC 6458 §8.1.12). An interval
// of zero or less keeps the current one. When heartbeats are allowed in
// the current state the heartbeat timer restarts with a period drawn
// from the new interval; disabling stops it (a HEARTBEAT already sent is
// still awaited).
func (a *Association) SetHeartbeat(now time.Time, interval time.Duration, disabled bool) {
	if interval <= 0 {
		interval = a.cfg.HeartbeatInterval
	}
	if interval == a.cfg.HeartbeatInterval && disabled == a.cfg.HeartbeatDisabled {
		return
	}
	a.cfg.HeartbeatInterval, a.cfg.HeartbeatDisabled = interval, disabled
	if disabled {
		a.timers.stop(timerHeartbeat)
		return
	}
	if a.state.heartbeatsAllowed() {
		a.startHeartbeats(now)
	}
}

// SetPathMaxRetrans sets Path.Max.Retrans (RFC 9260 §8.2); n ≤ 0 keeps
// the current value. It applies from the next path error on.
func (a *Association) SetPathMaxRetrans(n int) {
	if n > 0 {
		a.cfg.PathMaxRetrans = n
	}
}

// SetNoDelay turns the Nagle-like coalescing of small messages off (true)
// or on (RFC 6458 §8.1.5 SCTP_NODELAY). It applies from the next Poll on.
func (a *Association) SetNoDelay(on bool) { a.cfg.NoDelay = on }
