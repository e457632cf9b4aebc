package assoc

import (
	"time"

	"github.com/sconnlab/sconn/wire"
)

// Association is one SCTP association as a sans-IO state machine. It never
// reads a clock, starts a goroutine or touches the network: the host feeds
// it packets (HandlePacket), time (HandleTimeout at NextDeadline) and user
// calls, and drains packets (Poll) and events (PollEvent).
//
// An Association is not safe for concurrent use; the host serialises calls
// (for example with one lock per association).
type Association struct {
	cfg     Config
	rnd     Rand
	secrets *Secrets // immutable; replaced, never modified (see SetSecrets)

	state   State
	started bool // Connect was called or the association came from a cookie

	info Info // tags, streams, TSNs and features of the TCB (§14.2)
	// Tie-tags (§5.2.2): random nonces of this TCB, copied into the cookies
	// of INIT ACKs sent while the TCB exists, to recognise a restart.
	localTieTag, peerTieTag uint32
	peerAddrs               peerAddrs // the peer's address parameters (§5.2.2)

	hs     handshake
	path   path
	errors int // association overall error counter (§8.1)
	shut   shutdownState
	timers timers
	out    outQueue
	events eventQueue
	data   dataState
}

// New returns an association in the CLOSED state, ready for Connect. The
// configuration is normalised (see Config); rnd supplies tags, TSNs, nonces
// and secrets.
func New(cfg Config, rnd Rand) *Association {
	cfg = cfg.normalized()
	a := &Association{cfg: cfg, rnd: rnd}
	a.path = newPath(&a.cfg)
	return a
}

// State returns the current state.
func (a *Association) State() State { return a.state }

// Info returns what the INIT and INIT ACK negotiated; it is meaningful once
// the association is ESTABLISHED (tags and TSNs are set from COOKIE-WAIT on).
func (a *Association) Info() Info { return a.info }

// Config returns the normalised configuration.
func (a *Association) Config() Config { return a.cfg }

// RTO returns the retransmission timeout estimator of the peer's address.
func (a *Association) RTO() *RTO { return &a.path.rto }

// AcceptsZeroChecksum reports whether packets for this association may
// carry a zero checksum (RFC 9653 §5.3: we announced Zero Checksum
// Acceptable). The host uses it before verifying the CRC32c.
func (a *Association) AcceptsZeroChecksum() bool { return a.cfg.ZeroChecksum }

// SetSecrets replaces the cookie secrets the association uses to sign the
// INIT ACKs it sends from an existing TCB (§5.2.1, §5.2.2) and to verify
// COOKIE ECHOs (§5.2.4). Associations made by an Endpoint start with the
// endpoint's secrets; a host that runs associations concurrently passes the
// endpoint's current *Secrets here under the association's own lock. A
// Secrets value is never modified, so sharing it is race-free.
func (a *Association) SetSecrets(s *Secrets) {
	if s != nil {
		a.secrets = s
	}
}

// secretsAt returns the secrets to sign with at now, rotating them when
// their lifetime is over (§5.1.3).
func (a *Association) secretsAt(now time.Time) *Secrets {
	a.secrets = a.secrets.Rotate(now, a.rnd, a.cfg.SecretLifetime)
	return a.secrets
}

// setState changes state; every transition goes through here.
func (a *Association) setState(s State) { a.state = s }

// teardown deletes the TCB (§4 "delete TCB"): the association is CLOSED for
// good. Queued control chunks (an ABORT, a SHUTDOWN COMPLETE) can still be
// polled.
func (a *Association) teardown() {
	a.setState(Closed)
	a.timers.stopAll()
	a.hs = handshake{}
	a.path.hb = heartbeatState{}
}

// lost ends the association with CantStartAssoc before ESTABLISHED and with
// CommLost after (§11.2.5; SCTP_CANT_STR_ASSOC).
func (a *Association) lost(reason LostReason, causes, ulpReason []byte) {
	a.endData()
	if a.state == CookieWait || a.state == CookieEchoed {
		a.events.push(CantStartAssoc{Reason: reason, Causes: causes, UpperLayerReason: ulpReason})
	} else {
		a.events.push(CommLost{Reason: reason, Causes: causes, UpperLayerReason: ulpReason})
	}
	a.teardown()
}

// established enters ESTABLISHED from the handshake and reports CommUp (and
// the peer's adaptation layer indication, RFC 5061 §4.2.6). A SHUTDOWN the
// user asked for during the handshake starts now.
func (a *Association) established(now time.Time) {
	a.timers.stop(timerT1Init)
	a.timers.stop(timerT1Cookie)
	a.hs = handshake{}
	a.setState(Established)
	a.events.push(CommUp{Info: a.info})
	if a.info.Features.PeerAdaptation {
		a.events.push(AdaptationIndication{Indication: a.info.Features.PeerAdaptationIndication})
	}
	a.startHeartbeats(now)
	if a.shut.requested {
		a.setState(ShutdownPending)
		a.maybeSendShutdown(now)
	}
}

// rxPacket tracks the handling of one inbound packet.
type rxPacket struct {
	pkt       wire.Packet
	vtag      uint32
	processed int        // chunks that had an effect
	discarded *DropError // first chunk discarded
	stop      *DropError // set when the rest of the packet is discarded
	dataSeen  bool       // a DATA chunk arrived (SACK after the packet)
}

// discard records a chunk that was ignored.
func (p *rxPacket) discard(r DropReason, detail string) {
	if p.discarded == nil {
		p.discarded = drop(r, detail)
	}
}

// abandon discards the rest of the packet.
func (p *rxPacket) abandon(r DropReason, detail string) { p.stop = drop(r, detail) }

// result is what HandlePacket returns: the reason the tail of the packet was
// discarded, or the reason of its first discarded chunk when no chunk had an
// effect, or nil.
func (p *rxPacket) result() error {
	if p.stop != nil {
		return p.stop
	}
	if p.processed == 0 && p.discarded != nil {
		return p.discarded
	}
	return nil
}

// HandlePacket processes an inbound packet that the host demultiplexed to
// this association by its ports (and verified the checksum of, see
// AcceptsZeroChecksum). Verification tags are checked here (§8.5, §8.5.1).
// It returns nil, or a *DropError (wrapping ErrDropped) when the packet, or
// its tail, was discarded; answers (ABORT, ERROR, INIT ACK…) are in Poll.
func (a *Association) HandlePacket(now time.Time, pkt wire.Packet) error {
	if a.state == Closed {
		return drop(DropClosed, "")
	}
	if pkt.SrcPort() != a.cfg.PeerPort || pkt.DstPort() != a.cfg.LocalPort {
		return drop(DropWrongPort, "ports "+itoa(int(pkt.SrcPort()))+"->"+itoa(int(pkt.DstPort())))
	}
	first, ok := pkt.FirstChunk()
	if !ok {
		return drop(DropMalformed, "packet without chunks")
	}
	a.data.stats.IPackets++
	p := &rxPacket{pkt: pkt, vtag: pkt.VerificationTag()}
	it := pkt.Chunks()
	if err := a.checkVtag(now, p, first); err != nil {
		return err
	}
	if first.Type() == wire.ChunkCookieEcho {
		it.Next()
		a.handleCookieEcho(now, p, first)
		if p.stop != nil || a.state == Closed {
			return p.result()
		}
		// The rest of the packet (DATA) is under the cookie's tag, which is
		// now the association's (§5.1.5 step 3).
	} else if a.state == ShutdownSent && first.Type() != wire.ChunkInit {
		// §9.2: any packet from the peer clears the SHUTDOWN retransmission
		// count and restarts T2-shutdown; not an INIT, whose tag 0 proves
		// nothing and which MUST NOT change the TCB (§5.2.2).
		a.shut.retransmits = 0
		a.timers.start(timerT2Shutdown, now, a.path.rto.Value())
	}
	a.processChunks(now, p, &it)
	a.afterPacket(now, p)
	return p.result()
}

// processChunks handles the chunks of a packet in order (§6.10).
func (a *Association) processChunks(now time.Time, p *rxPacket, it *wire.ChunkIter) {
	for p.stop == nil && a.state != Closed {
		c, ok := it.Next()
		if !ok {
			return
		}
		if t := c.Type(); t != wire.ChunkData && t != wire.ChunkIData {
			a.data.stats.ICtrlChunks++
		}
		switch c.Type() {
		case wire.ChunkInit, wire.ChunkInitAck, wire.ChunkShutdownComplete:
			if p.pkt.NumChunks() != 1 {
				// §6.10: INIT, INIT ACK and SHUTDOWN COMPLETE are never bundled.
				p.abandon(DropBundling, c.Type().String()+" bundled with other chunks")
				return
			}
			switch c.Type() {
			case wire.ChunkInit:
				a.handleInit(now, p, c)
			case wire.ChunkInitAck:
				a.handleInitAck(now, p, c)
			default:
				a.handleShutdownComplete(now, p, c)
			}
		case wire.ChunkCookieEcho:
			// §3.2.2: a COOKIE ECHO is always the first chunk of its packet.
			p.abandon(DropBundling, "COOKIE ECHO not first in the packet")
		case wire.ChunkCookieAck:
			a.handleCookieAck(now, p, c)
		case wire.ChunkData:
			a.handleData(now, p, c)
		case wire.ChunkSack:
			a.handleSack(now, p, c)
		case wire.ChunkHeartbeat:
			a.handleHeartbeat(now, p, c)
		case wire.ChunkHeartbeatAck:
			a.handleHeartbeatAck(now, p, c)
		case wire.ChunkAbort:
			a.handleAbort(now, p, c)
			if a.state == Closed {
				// §9.1: "MUST NOT respond to any received packet that
				// contains an ABORT chunk": drop the answers queued for the
				// chunks before it.
				a.out.clear()
			}
			return // §3.3.7: chunks after an ABORT are ignored
		case wire.ChunkShutdown:
			a.handleShutdown(now, p, c)
		case wire.ChunkShutdownAck:
			a.handleShutdownAck(now, p, c)
		case wire.ChunkError:
			a.handleError(now, p, c)
		default:
			if !a.handleExtensionChunk(now, p, c) {
				a.handleUnrecognizedChunk(p, c)
			}
		}
	}
}

// handleUnrecognizedChunk applies the action bits of an unknown chunk type
// (§3.2, Table 2): report it in an ERROR with an Unrecognized Chunk Type
// cause (01, 11) and stop processing the packet (00, 01).
func (a *Association) handleUnrecognizedChunk(p *rxPacket, c wire.Chunk) {
	act := c.Type().Action()
	if act.Report() && a.state.hasPeerTag() {
		a.queueError(a.unrecognizedChunkCause(c))
		p.processed++
	}
	if act.Stop() {
		p.abandon(DropUnknownChunk, c.Type().String()+" at offset "+itoa(c.Offset()))
		return
	}
	if !act.Report() {
		p.discard(DropUnknownChunk, c.Type().String()+" at offset "+itoa(c.Offset()))
	}
}

// unrecognizedChunkCause builds an Unrecognized Chunk Type cause quoting c,
// truncated so that the ERROR chunk fits in one packet.
func (a *Association) unrecognizedChunkCause(c wire.Chunk) []byte {
	b := c.Bytes()
	room := a.cfg.MTU - wire.HeaderLen - wire.ChunkHeaderLen - wire.CauseHeaderLen
	if len(b) > room {
		b = b[:room&^3]
	}
	return wire.UnrecognizedChunkType{Chunk: b}.Append(nil)
}
