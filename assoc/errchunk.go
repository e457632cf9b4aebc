package assoc

import (
	"time"

	"github.com/sconnlab/sconn/wire"
)

// handleError processes an ERROR chunk (§3.3.10): a Stale Cookie in
// COOKIE-ECHOED restarts the handshake (§5.2.6); every other cause is
// reported as a RemoteError event (§11.2.6).
func (a *Association) handleError(now time.Time, p *rxPacket, c wire.Chunk) {
	e, err := wire.DecodeErrorChunk(c)
	if err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	p.processed++
	for ci := e.CauseIter(); a.state != Closed; {
		cause, ok := ci.Next()
		if !ok {
			return
		}
		if cause.Code() == wire.CauseStaleCookie {
			// §5.2.6: only meaningful in COOKIE-ECHOED; silently
			// discarded elsewhere.
			if a.state == CookieEchoed {
				sc, err := wire.DecodeStaleCookie(cause)
				if err == nil {
					a.handleStaleCookie(now, sc.Staleness)
				}
			}
			continue
		}
		a.events.push(RemoteError{Code: cause.Code(), Cause: append([]byte(nil), cause.Bytes()...)})
	}
}

// handleStaleCookie takes alternative 3 of §5.2.6: a new INIT with a
// Cookie Preservative asking for the measured RTT plus the staleness, at
// most 1 second beyond the RTT, back in COOKIE-WAIT with the same tag and
// TSN. After Max.Init.Retransmits stale cookies the attempt fails.
func (a *Association) handleStaleCookie(now time.Time, stalenessMicros uint32) {
	a.hs.staleRetries++
	if a.hs.staleRetries > a.cfg.MaxInitRetransmits {
		a.lost(LostStaleCookie, nil, nil)
		return
	}
	rtt := now.Sub(a.hs.sentAt)
	if a.hs.retransmitted || rtt < 0 {
		rtt = a.path.rto.Value()
	}
	extra := min(time.Duration(stalenessMicros)*time.Microsecond, time.Second)
	inc := (rtt + extra + time.Millisecond - 1) / time.Millisecond
	a.timers.stop(timerT1Cookie)
	a.out.clear() // a COOKIE ECHO retransmission waiting to go is void
	a.hs = handshake{staleRetries: a.hs.staleRetries, preservative: uint32(min(inc, 0xFFFFFFFF))}
	a.info.PeerTag = 0
	a.setState(CookieWait)
	a.sendInit(now)
}
