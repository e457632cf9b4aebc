package assoc

import (
	"time"

	"github.com/sconnlab/sconn/wire"
)

// handshake is the initiator's state between Connect and ESTABLISHED.
type handshake struct {
	cookie        []byte    // State Cookie to echo (§5.1 C), a copy
	sentAt        time.Time // first transmission of the INIT or COOKIE ECHO
	retransmitted bool      // Karn (§6.3.1 C5): no RTT sample after a retransmission
	retransmits   int       // expiries of the running T1 timer (§4 notes 2 and 3)
	staleRetries  int       // new INITs after Stale Cookie errors (§5.2.6)
	preservative  uint32    // ms of Cookie Preservative for the next INIT (§5.2.6 3)
	// pendingError is an ERROR cause (Unrecognized Parameters) that did not
	// fit beside the COOKIE ECHO; it goes out after the COOKIE ACK (§3.2.2).
	pendingError []byte
}

// Connect starts the association (the ASSOCIATE primitive, §11.1.2): it
// sends an INIT, starts T1-init and enters COOKIE-WAIT (§5.1 A). It may be
// called once, on an association made by New.
func (a *Association) Connect(now time.Time) error {
	if a.started {
		return ErrInvalidState
	}
	a.started = true
	a.info.LocalTag = nonZero32(a.rnd)      // §5.3.1
	a.info.LocalInitialTSN = a.rnd.Uint32() // §3.3.2 Initial TSN
	a.newTieTags()
	a.setState(CookieWait)
	a.sendInit(now)
	return nil
}

// newTieTags gives the TCB its tie-tag nonces (§5.2.2: random and non-zero
// while a TCB exists).
func (a *Association) newTieTags() {
	a.localTieTag, a.peerTieTag = nonZero32(a.rnd), nonZero32(a.rnd)
}

// sendInit queues our INIT, alone in a packet with tag 0 (§8.5.1 A) and a
// real checksum (RFC 9653 §5.2 1a), and starts T1-init (§5.1 A).
func (a *Association) sendInit(now time.Time) {
	var pb [128]byte // the parameters, on the stack
	p := pb[:0]
	if a.hs.preservative > 0 {
		p = wire.CookiePreservativeParam{LifeSpanIncrement: a.hs.preservative}.Append(p)
	}
	p = appendExtensionParams(p, &a.cfg)
	init := wire.Init{
		InitiateTag: a.info.LocalTag,
		ARwnd:       a.cfg.ARwnd,
		OutStreams:  a.cfg.OutboundStreams,
		InStreams:   a.cfg.InboundStreams,
		InitialTSN:  a.info.LocalInitialTSN,
		Params:      p,
	}
	a.queueTagged(&init, 0, outAlone|outCRC)
	a.hs.sentAt = now
	a.timers.start(timerT1Init, now, a.path.rto.Value())
}

// onT1Init retransmits the INIT with a doubled RTO, up to
// Max.Init.Retransmits times (§4 note 2, §5.1.6, §6.3.3 E2).
func (a *Association) onT1Init(now time.Time) {
	if a.state != CookieWait {
		return
	}
	a.hs.retransmits++
	if a.hs.retransmits > a.cfg.MaxInitRetransmits {
		a.lost(LostInitTimeout, nil, nil)
		return
	}
	a.backoffT1()
	a.hs.retransmitted = true
	a.sendInit(now)
}

// sendCookieEcho queues the COOKIE ECHO, first in its packet (§5.1 C) with
// a real checksum (RFC 9653 §5.2 2), and starts T1-cookie (§5.1.4).
func (a *Association) sendCookieEcho(now time.Time) {
	a.queue(&wire.CookieEcho{Cookie: a.hs.cookie}, outFirst|outCRC)
	a.timers.start(timerT1Cookie, now, a.path.rto.Value())
}

// onT1Cookie retransmits the COOKIE ECHO with a doubled RTO, up to
// Max.Init.Retransmits times (§4 note 3, §5.1.4).
func (a *Association) onT1Cookie(now time.Time) {
	if a.state != CookieEchoed {
		return
	}
	a.hs.retransmits++
	if a.hs.retransmits > a.cfg.MaxInitRetransmits {
		a.giveUp(LostCookieTimeout) // §5.1 C, §4 note 3
		return
	}
	a.backoffT1()
	a.hs.retransmitted = true
	a.sendCookieEcho(now)
}

// backoffT1 doubles the RTO for a T1 retransmission (§5.1 A, C: "following
// the rules defined in Section 6.3", i.e. §6.3.3 E2, capped by RTO.Max as
// the association has it now, SCTP_RTOINFO included), and also by
// sctp_init_rto_max_default as usrsctp does.
func (a *Association) backoffT1() {
	_, _, rtoMax := a.path.rto.Bounds()
	limit := a.cfg.InitRTOMax
	if rtoMax > 0 && (limit <= 0 || rtoMax < limit) {
		limit = rtoMax
	}
	a.path.rto.BackoffMax(limit)
}

// handleInitAck processes an INIT ACK (§5.1 C). Only COOKIE-WAIT expects
// one (§5.2.3).
func (a *Association) handleInitAck(now time.Time, p *rxPacket, c wire.Chunk) {
	if a.state != CookieWait {
		p.discard(DropUnexpectedChunk, "INIT ACK in "+a.state.String()) // §5.2.3
		return
	}
	ack, err := wire.DecodeInitAck(c)
	if err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	abort := func(cause []byte, detail string) {
		// §5.1: an ABORT to the Initiate Tag of the INIT ACK, then CLOSED.
		a.queueTagged(&wire.Abort{Causes: cause}, ack.InitiateTag, outLast|outCRC)
		p.abandon(DropInvalidInit, detail)
		a.lost(LostInvalidInitAck, nil, nil)
	}
	switch {
	case ack.InitiateTag == 0:
		// §3.3.3: destroy the TCB, ABORT with the T bit (our tag reflected).
		cause := wire.InvalidMandatoryParameter{}.Append(nil) // §3.3.10.7, as usrsctp
		a.queueTagged(&wire.Abort{TagReflected: true, Causes: cause}, p.vtag, outLast|outCRC)
		p.abandon(DropInvalidInit, "INIT ACK with initiate tag 0")
		a.lost(LostInvalidInitAck, nil, nil)
		return
	case ack.OutStreams == 0 || ack.InStreams == 0:
		abort(wire.InvalidMandatoryParameter{}.Append(nil), "INIT ACK with 0 streams") // §3.3.3 OS, MIS
		return
	case ack.ARwnd < minARwnd:
		// §3.3.3: discard, ABORT, and do not change the state.
		a.queueTagged(&wire.Abort{Causes: wire.InvalidMandatoryParameter{}.Append(nil)}, ack.InitiateTag, outLast|outCRC)
		p.abandon(DropInvalidInit, "INIT ACK with a_rwnd "+itoa(int(ack.ARwnd)))
		return
	}
	a.peerAddrs = peerAddrsOf(ack.Params) // §5.2.2
	ip, err := wire.DecodeInitParams(ack.Params, c.Offset()+wire.InitHeaderLen)
	if err != nil {
		abort(wire.ProtocolViolation{Info: []byte(err.Error())}.Append(nil), err.Error())
		return
	}
	if ip.HostName {
		// §3.3.2.1.4, §5.1.2 B: ABORT, may carry Unresolvable Address.
		abort(wire.UnresolvableAddress{Address: ip.HostNameAddress}.Append(nil), "INIT ACK with a Host Name Address")
		return
	}
	if ip.StateCookie == nil && ip.Stopped {
		// §3.2.1: "in all four cases, an INIT ACK or COOKIE ECHO chunk is
		// sent in response": a stop parameter ends the processing of the
		// others, but the State Cookie is still echoed.
		ip.StateCookie = findStateCookie(ack.ParamIter())
	}
	if ip.StateCookie == nil {
		// §5.1: missing mandatory parameter: ABORT naming it.
		abort(wire.MissingMandatoryParameter{Types: []uint16{uint16(wire.ParamStateCookie)}}.Append(nil), "INIT ACK without State Cookie")
		return
	}
	p.processed++
	a.timers.stop(timerT1Init)
	if !a.hs.retransmitted {
		a.path.rto.Measure(now.Sub(a.hs.sentAt)) // §6.3.1 C5: INIT sent once
	}
	a.info.PeerTag = ack.InitiateTag
	a.info.PeerInitialTSN = ack.InitialTSN
	a.info.PeerARwnd = ack.ARwnd
	a.info.OutboundStreams = min(a.cfg.OutboundStreams, ack.InStreams) // §5.1.1
	a.info.InboundStreams = min(a.cfg.InboundStreams, ack.OutStreams)
	a.info.Features = negotiate(&a.cfg, &ip)
	a.initData()
	a.hs = handshake{cookie: append([]byte(nil), ip.StateCookie...), sentAt: now,
		staleRetries: a.hs.staleRetries}
	a.setState(CookieEchoed)
	a.sendCookieEcho(now)
	if u := reportedParams(ip.Unrecognized); u != nil {
		// §3.2.2: an ERROR with Unrecognized Parameters bundled with the
		// COOKIE ECHO, or, if both do not fit one packet, sent after the
		// COOKIE ACK ("not before the COOKIE ACK chunk has been received").
		cause := wire.UnrecognizedParameters{Params: u}.Append(nil)
		echo := wire.CookieEcho{Cookie: a.hs.cookie}
		if wire.HeaderLen+echo.EncodedLen()+wire.ChunkHeaderLen+len(cause) <= a.cfg.MTU {
			a.queueError(cause)
		} else {
			a.hs.pendingError = cause
		}
	}
}

// findStateCookie returns the value of the first State Cookie parameter of
// a parameter list, or nil.
func findStateCookie(it wire.ParamIter) []byte {
	for q, ok := it.Next(); ok; q, ok = it.Next() {
		if q.Type() == wire.ParamStateCookie {
			return q.Value()
		}
	}
	return nil
}

// reportedParams returns, padded and concatenated, the unrecognized
// parameters whose type asks for a report (§3.2.1: 01 and 11), or nil.
func reportedParams(ps []wire.Param) []byte {
	var b []byte
	for _, q := range ps {
		if q.Type().Action().Report() {
			b = wire.AppendParam(b, q.Type(), q.Value())
		}
	}
	return b
}

// handleCookieAck completes the handshake (§5.1 E); anywhere but in
// COOKIE-ECHOED a COOKIE ACK is discarded (§5.2.5).
func (a *Association) handleCookieAck(now time.Time, p *rxPacket, c wire.Chunk) {
	if a.state != CookieEchoed {
		p.discard(DropUnexpectedChunk, "COOKIE ACK in "+a.state.String())
		return
	}
	if _, err := wire.DecodeCookieAck(c); err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	p.processed++
	if !a.hs.retransmitted {
		a.path.rto.Measure(now.Sub(a.hs.sentAt)) // §6.3.1 C5: COOKIE ECHO sent once
	}
	pending := a.hs.pendingError
	a.established(now)
	if pending != nil {
		a.queueError(pending) // §3.2.2: held back until the COOKIE ACK
	}
}

// appendExtensionParams appends the optional parameters that announce our
// extensions, the same in INIT and INIT ACK.
func appendExtensionParams(b []byte, cfg *Config) []byte {
	if cfg.ECN {
		b = wire.ECNCapableParam{}.Append(b) // RFC 9260 Appendix A
	}
	if cfg.PartialReliability {
		b = wire.ForwardTSNSupportedParam{}.Append(b) // RFC 3758 §3.3.1
	}
	var ext []byte
	if cfg.PartialReliability {
		ext = append(ext, byte(wire.ChunkForwardTSN))
	}
	if cfg.Reconfig {
		ext = append(ext, byte(wire.ChunkReconfig)) // RFC 6525 §5.1
	}
	if cfg.IData {
		ext = append(ext, byte(wire.ChunkIData)) // RFC 8260 §2.2.1
		if cfg.PartialReliability {
			ext = append(ext, byte(wire.ChunkIForwardTSN)) // RFC 8260 §2.3.1
		}
	}
	if len(ext) > 0 {
		b = wire.SupportedExtensionsParam{ChunkTypes: ext}.Append(b) // RFC 5061 §4.2.7
	}
	if cfg.ZeroChecksum {
		b = wire.ZeroChecksumAcceptableParam{EDMID: cfg.ZeroChecksumEDMID}.Append(b) // RFC 9653 §5.1
	}
	if cfg.Adaptation {
		b = wire.AdaptationLayerIndicationParam{AdaptationCodePoint: cfg.AdaptationIndication}.Append(b) // RFC 5061 §4.2.6
	}
	return b
}

// negotiate returns the features both sides announced.
func negotiate(cfg *Config, ip *wire.InitParams) Features {
	return Features{
		ECN:                cfg.ECN && ip.ECN,
		PartialReliability: cfg.PartialReliability && (ip.ForwardTSN || ip.SupportsChunk(wire.ChunkForwardTSN)),
		Reconfig:           cfg.Reconfig && ip.SupportsChunk(wire.ChunkReconfig),
		IData:              cfg.IData && ip.SupportsChunk(wire.ChunkIData),
		// RFC 9653 §5.2 1: only for a method we support and allow.
		ZeroChecksum:             cfg.ZeroChecksum && ip.ZeroChecksum && ip.ZeroChecksumEDMID == cfg.ZeroChecksumEDMID,
		PeerAdaptation:           ip.HasAdaptation,
		PeerAdaptationIndication: ip.Adaptation,
	}
}
