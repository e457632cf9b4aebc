package assoc

import (
	"github.com/sconnlab/sconn/wire"
)

// HandleOOTB answers an out-of-the-blue packet (§8.4): one for which the
// host found neither an association nor a listening Endpoint. It returns a
// reply packet appended to buf, or nil, and always a *DropError (the packet
// belongs to nothing). Hosts that blackhole such packets (usrsctp's
// sctp_blackhole) simply do not send the reply.
func HandleOOTB(pkt wire.Packet, buf []byte) ([]byte, error) {
	first, ok := pkt.FirstChunk()
	if !ok {
		return nil, drop(DropMalformed, "packet without chunks")
	}
	if containsChunk(pkt, wire.ChunkAbort) {
		return nil, drop(DropOOTB, "ABORT") // §8.4 2
	}
	if first.Type() == wire.ChunkInit && pkt.VerificationTag() == 0 {
		if pkt.NumChunks() != 1 {
			return nil, drop(DropBundling, "INIT bundled with other chunks") // §8.5.1 A
		}
		r := checkInit(first)
		if r.refused != nil && r.abort == nil {
			return nil, r.refused // malformed INIT or Initiate Tag 0: silent (§3.3.2)
		}
		// §8.4 3: the INIT cannot be processed (nobody listens): ABORT
		// with the Initiate Tag and the T bit clear.
		causes := r.abort
		return ootbReply(buf, pkt, r.init.InitiateTag, &wire.Abort{Causes: causes}), drop(DropOOTB, "INIT to a port without listener")
	}
	return respondOOTB(pkt, buf)
}

// respondOOTB applies steps 5 to 8 of §8.4 (and §8.5.1 A) to a packet that
// is neither an INIT nor a COOKIE ECHO an endpoint could process.
func respondOOTB(pkt wire.Packet, buf []byte) ([]byte, error) {
	vtag := pkt.VerificationTag()
	first, _ := pkt.FirstChunk()
	switch {
	case vtag == 0:
		// §8.5.1 A: a packet with tag 0 must be a lone INIT.
		return nil, drop(DropBadVtag, "verification tag 0 on "+first.Type().String())
	case containsChunk(pkt, wire.ChunkShutdownAck):
		// §8.4 5: SHUTDOWN COMPLETE reflecting the tag, T set.
		return ootbReply(buf, pkt, vtag, &wire.ShutdownComplete{TagReflected: true}), drop(DropOOTB, "SHUTDOWN ACK")
	case containsChunk(pkt, wire.ChunkShutdownComplete):
		return nil, drop(DropOOTB, "SHUTDOWN COMPLETE") // §8.4 6
	case containsChunk(pkt, wire.ChunkCookieAck) || containsStaleCookieError(pkt):
		return nil, drop(DropOOTB, "COOKIE ACK or Stale Cookie error") // §8.4 7
	}
	// §8.4 8: ABORT reflecting the tag, T set.
	return ootbReply(buf, pkt, vtag, &wire.Abort{TagReflected: true}), drop(DropOOTB, first.Type().String())
}

// containsStaleCookieError reports an ERROR chunk with a Stale Cookie cause.
func containsStaleCookieError(pkt wire.Packet) bool {
	for it := pkt.Chunks(); ; {
		c, ok := it.Next()
		if !ok {
			return false
		}
		if c.Type() != wire.ChunkError {
			continue
		}
		e, err := wire.DecodeErrorChunk(c)
		if err != nil {
			continue
		}
		for ci := e.CauseIter(); ; {
			cause, ok := ci.Next()
			if !ok {
				break
			}
			if cause.Code() == wire.CauseStaleCookie {
				return true
			}
		}
	}
}

// ootbReply builds a one-chunk packet back to the source of pkt, always
// with a real checksum (RFC 9653 §5.2 1b).
func ootbReply(buf []byte, pkt wire.Packet, vtag uint32, c wire.Encoder) []byte {
	b := wire.AppendHeader(buf, wire.Header{SrcPort: pkt.DstPort(), DstPort: pkt.SrcPort(), VerificationTag: vtag})
	start := len(buf)
	b = c.Append(b)
	return wire.FinishPacket(b[start:], false)
}
