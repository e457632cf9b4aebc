package assoc

import (
	"time"

	"github.com/sconnlab/sconn/wire"
)

// handleInit answers an INIT received while a TCB exists (§5.2.1, §5.2.2,
// §9.2). The association's state never changes here.
func (a *Association) handleInit(now time.Time, p *rxPacket, c wire.Chunk) {
	r := checkInit(c)
	if r.refused != nil {
		if r.abort != nil {
			// §5.1, §3.3.2: ABORT with the Initiate Tag, T clear; the
			// existing association is left alone.
			a.queueTagged(&wire.Abort{Causes: r.abort}, r.init.InitiateTag, outLast|outCRC)
		}
		p.stop = r.refused
		return
	}
	spec := initAckSpec{localPort: a.cfg.LocalPort, peerPort: a.cfg.PeerPort}
	switch a.state {
	case ShutdownAckSent:
		// §9.2: discard the INIT and retransmit the SHUTDOWN ACK.
		a.queue(&wire.ShutdownAck{}, outNoData)
		p.processed++
		return
	case CookieWait, CookieEchoed:
		// §5.2.1: answer with the parameters of our INIT, our Initiate Tag
		// unchanged; T1-init keeps running. In COOKIE-ECHOED the cookie
		// carries the tie-tags; in COOKIE-WAIT they are 0 (§5.2.2).
		spec.localTag, spec.localTSN = a.info.LocalTag, a.info.LocalInitialTSN
		if a.state == CookieEchoed {
			spec.localTieTag, spec.peerTieTag = a.localTieTag, a.peerTieTag
		}
	default:
		// §5.2.2: an INIT that adds addresses to the association gets an
		// ABORT with its Initiate Tag and the new addresses; nothing
		// changes. (The addresses are compared with those of the peer's
		// INIT or INIT ACK; the handle stays the only transport address.)
		if na := a.peerAddrs.newAddresses(r.init.Params); na != nil {
			cause := wire.RestartWithNewAddresses{Addresses: na}.Append(nil)
			a.queueTagged(&wire.Abort{Causes: cause}, r.init.InitiateTag, outLast|outCRC)
			p.processed++
			return
		}
		// Otherwise a new Initiate Tag, the TCB's tie-tags in the cookie.
		spec.localTag, spec.localTSN = nonZero32(a.rnd), a.rnd.Uint32()
		spec.localTieTag, spec.peerTieTag = a.localTieTag, a.peerTieTag
	}
	ack := buildInitAck(now, &a.cfg, a.secretsAt(now), &r, spec)
	// §5.2.2: the packet carries the Initiate Tag of the INIT.
	a.queueTagged(rawChunk(ack), r.init.InitiateTag, outAlone|outCRC)
	p.processed++
}

// handleCookieEcho processes a COOKIE ECHO received while a TCB exists
// (§5.2.4). It is always the first chunk of its packet.
func (a *Association) handleCookieEcho(now time.Time, p *rxPacket, c wire.Chunk) {
	ce, err := wire.DecodeCookieEcho(c)
	if err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	ck, ok := openCookie(ce.Cookie, a.secrets) // §5.2.4 steps 1 and 2
	if !ok {
		p.abandon(DropBadCookie, "State Cookie failed authentication")
		return
	}
	if ck.localPort != a.cfg.LocalPort || ck.peerPort != a.cfg.PeerPort || ck.localTag != p.vtag {
		// §5.1.5 step 3: ports and tag of the packet must match the cookie.
		p.abandon(DropBadCookie, "State Cookie for other ports or tag")
		return
	}
	tagsMatch := ck.localTag == a.info.LocalTag && a.state.hasPeerTag() && ck.peerTag == a.info.PeerTag
	if st, stale := ck.staleness(now); stale && !tagsMatch {
		// §5.2.4 step 3: too old and not this association's (case C or D
		// of §5.2): discard and report a Stale Cookie. Matching tags make
		// it valid however old (case E).
		a.queueTagged(&wire.ErrorChunk{Causes: wire.StaleCookie{Staleness: stalenessMicros(st)}.Append(nil)},
			ck.peerTag, 0)
		p.abandon(DropStaleCookie, "stale by "+st.String())
		return
	}
	switch a.cookieCase(&ck) { // §5.2.4 step 5, Table 12
	case 'A':
		if a.state == ShutdownAckSent {
			// §5.2.4 A: no new association while shutting down: resend
			// SHUTDOWN ACK and report the cookie.
			a.queue(&wire.ShutdownAck{}, outNoData)
			a.queueError(wire.CookieReceivedWhileShuttingDown{}.Append(nil))
			p.processed++
			p.abandon(DropUnexpectedChunk, "restart COOKIE ECHO in SHUTDOWN-ACK-SENT")
			return
		}
		a.restart(now, &ck)
	case 'B':
		// §5.2.4 B: the peer picked a new tag: take the peer's side from the
		// cookie, stop T1 timers, ESTABLISHED, COOKIE ACK.
		up := a.state != CookieWait && a.state != CookieEchoed
		a.info.PeerTag = ck.peerTag
		a.peerAddrs = ck.peerAddrs
		a.queue(&wire.CookieAck{}, outFirst)
		if !up {
			a.info = ck.info()
			a.initData()
			a.established(now)
		} else {
			// Already up: our side (tag, TSNs, outbound streams and what
			// is queued on them) stays; the peer's side is the one of its
			// cookie, so its DATA, numbered from its new Initial TSN, is
			// acknowledged (§5.2.4 B).
			a.info.PeerInitialTSN, a.info.PeerARwnd = ck.peerTSN, ck.peerARwnd
			a.info.InboundStreams = ck.inStreams
			a.data.rx.Restart(ck.peerTSN, ck.inStreams) // its next SACK sets rwnd
		}
	case 'D':
		// §5.2.4 D: both tags match (a retransmitted COOKIE ECHO, or the
		// collision cookie of a simultaneous open): COOKIE ACK, and
		// ESTABLISHED from COOKIE-ECHOED.
		a.queue(&wire.CookieAck{}, outFirst)
		if a.state == CookieEchoed {
			a.established(now)
		}
	default:
		// §5.2.4 C (our own late cookie) and every case not in Table 12:
		// silently discarded, nothing changes.
		p.abandon(DropUnexpectedChunk, "COOKIE ECHO matches no action of Table 12")
		return
	}
	p.processed++
}

// cookieCase classifies a valid cookie against the TCB (§5.2.4 Table 12):
// 'A' restart, 'B' collision with a new peer tag, 'C' late cookie, 'D'
// duplicate, or 0 for the cases the table does not list.
func (a *Association) cookieCase(ck *stateCookie) byte {
	local := ck.localTag == a.info.LocalTag
	peerKnown := a.state.hasPeerTag()
	peer := peerKnown && ck.peerTag == a.info.PeerTag
	tieMatch := a.localTieTag != 0 && ck.localTieTag == a.localTieTag && ck.peerTieTag == a.peerTieTag
	tieZero := ck.localTieTag == 0 && ck.peerTieTag == 0
	switch {
	case !local && peerKnown && !peer && tieMatch:
		return 'A' // X X M M
	case local && !peer:
		return 'B' // M X A A, M 0 A A
	case !local && peer && tieZero:
		return 'C' // X M 0 0
	case local && peer:
		return 'D' // M M A A
	}
	return 0
}

// restart rebuilds the association from the cookie of a peer that
// restarted (§5.2.4 A): as if an ABORT then a new COOKIE ECHO had arrived,
// but reported as RESTART. The user's pending SHUTDOWN, if any, resumes.
func (a *Association) restart(now time.Time, ck *stateCookie) {
	a.out.clear() // chunks queued under the old tags
	a.timers.stopAll()
	a.info = ck.info()
	a.peerAddrs = ck.peerAddrs
	a.newTieTags()
	a.errors = 0
	a.path.restart()
	a.initData() // congestion and TSN state start afresh (§5.2.4 A)
	a.hs = handshake{}
	a.shut = shutdownState{requested: a.shut.requested}
	a.setState(Established)
	a.queue(&wire.CookieAck{}, outFirst)
	a.events.push(Restart{Info: a.info})
	a.startHeartbeats(now)
	if a.shut.requested {
		a.setState(ShutdownPending)
		a.maybeSendShutdown(now)
	}
}
