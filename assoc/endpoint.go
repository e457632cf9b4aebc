package assoc

import (
	"time"

	"github.com/sconnlab/sconn/wire"
)

// Endpoint is the listening side of one local port: it answers INITs with
// INIT ACKs carrying signed State Cookies and creates an Association from
// each valid COOKIE ECHO, keeping no state per INIT (§5.1 B). It also
// answers every other packet for which the host found no association, as
// §8.4 says.
//
// An Endpoint is not safe for concurrent use (the host holds a listener
// lock around its calls); the associations it creates are independent of
// it, except that they share its Rand (which must then be safe for
// concurrent use, as CryptoRand is) and its immutable *Secrets values.
type Endpoint struct {
	cfg     Config
	rnd     Rand
	secrets *Secrets
}

// NewEndpoint returns an endpoint for cfg.LocalPort; cfg is also the
// configuration of the associations it creates (PeerPort is taken from each
// packet). The first cookie secret is drawn from rnd at now.
func NewEndpoint(cfg Config, rnd Rand, now time.Time) *Endpoint {
	cfg = cfg.normalized()
	return &Endpoint{cfg: cfg, rnd: rnd, secrets: NewSecrets(now, rnd, cfg.SecretLifetime)}
}

// Secrets returns the current cookie secrets, rotated first if their
// lifetime is over (§5.1.3). Hand them to the endpoint's associations with
// SetSecrets so the INIT ACKs and COOKIE ECHOs of existing associations use
// the same keys.
func (e *Endpoint) Secrets(now time.Time) *Secrets {
	e.secrets = e.secrets.Rotate(now, e.rnd, e.cfg.SecretLifetime)
	return e.secrets
}

// Config returns the endpoint's normalised configuration.
func (e *Endpoint) Config() Config { return e.cfg }

// HandlePacket processes a packet for the endpoint's port that matched no
// association (the host demultiplexes by handle and ports first).
//
// It returns reply, a packet appended to buf to send back to the source of
// pkt (an INIT ACK, ABORT, SHUTDOWN COMPLETE or ERROR), or nil; and a, a new
// ESTABLISHED association when pkt held a valid COOKIE ECHO: the host
// registers it and then drains its Poll (COOKIE ACK first) and PollEvent
// (CommUp). err is a *DropError when the packet was refused, whether or not
// it was answered.
func (e *Endpoint) HandlePacket(now time.Time, pkt wire.Packet, buf []byte) (reply []byte, a *Association, err error) {
	if pkt.DstPort() != e.cfg.LocalPort {
		return nil, nil, drop(DropWrongPort, "destination port "+itoa(int(pkt.DstPort())))
	}
	first, ok := pkt.FirstChunk()
	if !ok {
		return nil, nil, drop(DropMalformed, "packet without chunks")
	}
	if containsChunk(pkt, wire.ChunkAbort) {
		return nil, nil, drop(DropOOTB, "ABORT") // §8.4 2
	}
	switch {
	case first.Type() == wire.ChunkInit && pkt.VerificationTag() == 0:
		if pkt.NumChunks() != 1 {
			// §5.1, §8.5.1 A: an INIT travels alone.
			return nil, nil, drop(DropBundling, "INIT bundled with other chunks")
		}
		reply, err = e.handleInit(now, pkt, first, buf) // §8.4 3
		return reply, nil, err
	case first.Type() == wire.ChunkCookieEcho:
		return e.handleCookieEcho(now, pkt, first, buf) // §8.4 4
	}
	reply, err = respondOOTB(pkt, buf)
	return reply, nil, err
}

// handleInit answers an INIT with no TCB (§5.1 B): an INIT ACK whose cookie
// has zero tie-tags (§5.2.2), or an ABORT with the INIT's Initiate Tag and
// the T bit clear (§8.4 3).
func (e *Endpoint) handleInit(now time.Time, pkt wire.Packet, c wire.Chunk, buf []byte) ([]byte, error) {
	r := checkInit(c)
	if r.refused != nil {
		if r.abort == nil {
			return nil, r.refused
		}
		return ootbReply(buf, pkt, r.init.InitiateTag, &wire.Abort{Causes: r.abort}), r.refused
	}
	ack := buildInitAck(now, &e.cfg, e.Secrets(now), &r, initAckSpec{
		localTag:  nonZero32(e.rnd), // §5.3.1
		localTSN:  e.rnd.Uint32(),
		localPort: pkt.DstPort(),
		peerPort:  pkt.SrcPort(),
	})
	return ootbReply(buf, pkt, r.init.InitiateTag, rawChunk(ack)), nil
}

// handleCookieEcho authenticates a COOKIE ECHO with no TCB (§5.1.5) and
// creates the association.
func (e *Endpoint) handleCookieEcho(now time.Time, pkt wire.Packet, c wire.Chunk, buf []byte) ([]byte, *Association, error) {
	ce, err := wire.DecodeCookieEcho(c)
	if err != nil {
		return nil, nil, drop(DropMalformed, err.Error())
	}
	ck, ok := openCookie(ce.Cookie, e.Secrets(now)) // §5.1.5 steps 1 and 2
	if !ok {
		return nil, nil, drop(DropBadCookie, "State Cookie failed authentication")
	}
	if ck.localPort != pkt.DstPort() || ck.peerPort != pkt.SrcPort() || ck.localTag != pkt.VerificationTag() {
		return nil, nil, drop(DropBadCookie, "State Cookie for other ports or tag") // §5.1.5 step 3
	}
	if st, stale := ck.staleness(now); stale {
		// §5.1.5 step 4, §4 note 1: ERROR with Stale Cookie, stay CLOSED.
		errc := wire.ErrorChunk{Causes: wire.StaleCookie{Staleness: stalenessMicros(st)}.Append(nil)}
		return ootbReply(buf, pkt, ck.peerTag, &errc), nil, drop(DropStaleCookie, "stale by "+st.String())
	}
	// §5.1.5 steps 5-7: create the association, COOKIE ACK first, then
	// the chunks bundled after the COOKIE ECHO (DATA).
	cfg := e.cfg
	cfg.PeerPort = pkt.SrcPort()
	a := New(cfg, e.rnd)
	a.secrets = e.secrets
	a.started = true
	a.info = ck.info()
	a.peerAddrs = ck.peerAddrs
	a.newTieTags()
	a.initData()
	a.queue(&wire.CookieAck{}, outFirst)
	a.established(now)
	p := &rxPacket{pkt: pkt, vtag: pkt.VerificationTag(), processed: 1}
	it := pkt.Chunks()
	it.Next()
	a.processChunks(now, p, &it)
	a.afterPacket(now, p)
	return nil, a, p.result()
}

// containsChunk reports whether pkt holds a chunk of type t.
func containsChunk(pkt wire.Packet, t wire.ChunkType) bool {
	for it := pkt.Chunks(); ; {
		c, ok := it.Next()
		if !ok {
			return false
		}
		if c.Type() == t {
			return true
		}
	}
}
