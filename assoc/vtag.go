package assoc

import (
	"time"

	"github.com/sconnlab/sconn/wire"
)

// checkVtag applies the verification tag rules to a packet for this
// association, by its first chunk (§8.5, §8.5.1). It returns a *DropError
// for a packet to discard; packets whose first chunk is a COOKIE ECHO are
// checked against the cookie by handleCookieEcho (§5.1.5 step 3, §8.5.1 D).
func (a *Association) checkVtag(now time.Time, p *rxPacket, first wire.Chunk) error {
	switch first.Type() {
	case wire.ChunkInit:
		// §8.5.1 A: the sender of an INIT sets the tag to 0.
		if p.vtag != 0 {
			return drop(DropBadVtag, "INIT with verification tag "+hex32(p.vtag))
		}
		return nil
	case wire.ChunkCookieEcho:
		return nil // §8.5.1 D: the procedures of §5
	}
	if p.vtag == 0 {
		// §8.5.1 A: a packet with tag 0 holds only an INIT.
		return drop(DropBadVtag, "verification tag 0 on "+first.Type().String())
	}
	switch first.Type() {
	case wire.ChunkAbort, wire.ChunkShutdownComplete:
		// §8.5.1 B and C: our tag with T clear, or the peer's tag with T set.
		t := first.Flags()&wire.FlagT != 0
		if (!t && p.vtag == a.info.LocalTag) || (t && a.state.hasPeerTag() && p.vtag == a.info.PeerTag) {
			return nil
		}
		return drop(DropBadVtag, first.Type().String()+" with verification tag "+hex32(p.vtag))
	case wire.ChunkShutdownAck:
		if a.state == CookieWait || a.state == CookieEchoed {
			// §8.5.1 E and §9.2: treated as out of the blue: answer with a
			// SHUTDOWN COMPLETE reflecting the tag, T set, and keep state;
			// but §8.4 rule 2 comes first: a packet with an ABORT gets no
			// answer.
			if containsChunk(p.pkt, wire.ChunkAbort) {
				return drop(DropOOTB, "SHUTDOWN ACK bundled with ABORT in "+a.state.String())
			}
			a.queueShutdownComplete(p.vtag, true)
			return drop(DropOOTB, "SHUTDOWN ACK in "+a.state.String())
		}
	}
	if p.vtag != a.info.LocalTag {
		return drop(DropBadVtag, "verification tag "+hex32(p.vtag)+" on "+first.Type().String())
	}
	return nil
}

// hex32 formats a tag for error details.
func hex32(v uint32) string {
	const digits = "0123456789abcdef"
	var b [10]byte
	b[0], b[1] = '0', 'x'
	for i := 9; i >= 2; i-- {
		b[i] = digits[v&0xF]
		v >>= 4
	}
	return string(b[:])
}
