package assoc

// State is the state of an association (RFC 9260 §4, Figure 3).
type State uint8

// The states of RFC 9260 §4. Closed is both "not yet started" and "deleted":
// once an association returns to Closed it is finished and the host drops it.
const (
	Closed State = iota
	CookieWait
	CookieEchoed
	Established
	ShutdownPending
	ShutdownSent
	ShutdownReceived
	ShutdownAckSent
)

// String returns the RFC name of the state, e.g. "COOKIE-ECHOED".
func (s State) String() string {
	switch s {
	case Closed:
		return "CLOSED"
	case CookieWait:
		return "COOKIE-WAIT"
	case CookieEchoed:
		return "COOKIE-ECHOED"
	case Established:
		return "ESTABLISHED"
	case ShutdownPending:
		return "SHUTDOWN-PENDING"
	case ShutdownSent:
		return "SHUTDOWN-SENT"
	case ShutdownReceived:
		return "SHUTDOWN-RECEIVED"
	case ShutdownAckSent:
		return "SHUTDOWN-ACK-SENT"
	}
	return "STATE(" + itoa(int(s)) + ")"
}

// hasPeerTag reports whether the peer's verification tag is known: from
// COOKIE-ECHOED on (the INIT ACK gave it) and in every state after.
func (s State) hasPeerTag() bool { return s >= CookieEchoed }

// isShuttingDown reports the four shutdown states of §9.2.
func (s State) isShuttingDown() bool { return s >= ShutdownPending }

// heartbeatsAllowed reports whether this endpoint sends HEARTBEATs: from
// ESTABLISHED until it sends SHUTDOWN or SHUTDOWN ACK (§8.3).
func (s State) heartbeatsAllowed() bool {
	return s == Established || s == ShutdownPending || s == ShutdownReceived
}

// answersHeartbeat reports whether a HEARTBEAT gets a HEARTBEAT ACK: from
// COOKIE-ECHOED (initiator) or ESTABLISHED (responder) until SHUTDOWN-SENT or
// SHUTDOWN-ACK-SENT (§8.3).
func (s State) answersHeartbeat() bool {
	return s == CookieEchoed || s == Established || s == ShutdownPending || s == ShutdownReceived
}

// itoa formats a small integer without importing strconv in every file.
func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
