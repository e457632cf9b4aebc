package assoc

import (
	"time"

	"github.com/sconnlab/sconn/wire"
)

// outChunk is a control chunk waiting for Poll: its bytes (padded), the
// verification tag of the packet that carries it, and bundling constraints.
type outChunk struct {
	b     []byte
	vtag  uint32
	flags outFlags
}

type outFlags uint8

const (
	// outAlone: INIT, INIT ACK, SHUTDOWN COMPLETE travel alone (§6.10).
	outAlone outFlags = 1 << iota
	// outFirst: COOKIE ECHO and COOKIE ACK start their packet (§5.1 C, D).
	outFirst
	// outLast: nothing follows an ABORT (§3.3.7: DATA MUST NOT be bundled,
	// and control chunks placed after it are ignored).
	outLast
	// outNoData: no DATA after SHUTDOWN or SHUTDOWN ACK (§6.10 note).
	outNoData
	// outCRC: the packet needs a real CRC32c even when the peer accepts
	// zero checksums: INIT, COOKIE ECHO and answers to out-of-the-blue
	// packets (RFC 9653 §5.2 1 and 2).
	outCRC
)

// outQueue is a FIFO of control chunks.
type outQueue struct {
	q    []outChunk
	head int
}

func (o *outQueue) push(c outChunk) { o.q = append(o.q, c) }

func (o *outQueue) peek() (*outChunk, bool) {
	if o.head >= len(o.q) {
		return nil, false
	}
	return &o.q[o.head], true
}

func (o *outQueue) pop() {
	o.q[o.head] = outChunk{}
	o.head++
	if o.head == len(o.q) {
		o.q, o.head = o.q[:0], 0
	}
}

func (o *outQueue) clear() { o.q, o.head = o.q[:0], 0 }

// queue encodes a chunk for the peer under its tag (§8.5).
func (a *Association) queue(e wire.Encoder, flags outFlags) {
	a.out.push(outChunk{b: e.Append(nil), vtag: a.info.PeerTag, flags: flags})
}

// queueTagged encodes a chunk for a packet with an explicit verification tag.
func (a *Association) queueTagged(e wire.Encoder, vtag uint32, flags outFlags) {
	a.out.push(outChunk{b: e.Append(nil), vtag: vtag, flags: flags})
}

// queueError queues an ERROR chunk holding the given encoded causes (§3.3.10).
func (a *Association) queueError(causes ...[]byte) {
	var b []byte
	for _, c := range causes {
		b = append(b, c...)
	}
	a.queue(&wire.ErrorChunk{Causes: b}, 0)
}

// queueShutdownComplete queues a SHUTDOWN COMPLETE: with the peer's tag and
// T clear when we have a TCB, or reflecting vtag with T set (§8.5.1 C).
func (a *Association) queueShutdownComplete(vtag uint32, reflected bool) {
	f := outAlone
	if reflected {
		f |= outCRC
	}
	a.queueTagged(&wire.ShutdownComplete{TagReflected: reflected}, vtag, f)
}

// Poll appends the next packet to send to buf and returns it, or returns
// nil when nothing is waiting. Control chunks are bundled in the order they
// were produced, as many as fit in Config.MTU and as the bundling rules of
// §6.10 allow; a chunk larger than the MTU (an INIT ACK with a big cookie)
// goes alone. Call Poll until it returns nil after every HandlePacket,
// HandleTimeout and user call.
func (a *Association) Poll(now time.Time, buf []byte) []byte {
	c, ok := a.out.peek()
	if !ok {
		if !a.state.hasPeerTag() || !a.dataWaiting(now) {
			return nil
		}
		var bld wire.Builder
		bld.Reset(buf, a.header(a.info.PeerTag), a.cfg.MTU)
		a.appendData(now, &bld, true)
		a.dataEvents(now)
		if bld.NumChunks() == 0 {
			return nil
		}
		a.data.stats.OPackets++
		return bld.Finish(a.info.Features.ZeroChecksum)
	}
	var bld wire.Builder
	bld.Reset(buf, a.header(c.vtag), a.cfg.MTU)
	vtag, flags := c.vtag, c.flags
	bld.AddRaw(c.b)
	a.out.pop()
	a.data.stats.OCtrlChunks++
	if flags&(outAlone|outLast) == 0 {
		for {
			n, ok := a.out.peek()
			if !ok || n.vtag != vtag || n.flags&(outAlone|outFirst) != 0 || !bld.Fits(len(n.b)) {
				break
			}
			bld.AddRaw(n.b)
			flags |= n.flags
			a.out.pop()
			a.data.stats.OCtrlChunks++
			if n.flags&outLast != 0 {
				break
			}
		}
	}
	if flags&(outAlone|outLast) == 0 && vtag == a.info.PeerTag && a.state.hasPeerTag() {
		a.appendData(now, &bld, flags&outNoData == 0)
		a.dataEvents(now)
	}
	a.data.stats.OPackets++
	return bld.Finish(flags&outCRC == 0 && a.info.Features.ZeroChecksum)
}

// header returns the common header of a packet to the peer with tag vtag.
func (a *Association) header(vtag uint32) wire.Header {
	return wire.Header{SrcPort: a.cfg.LocalPort, DstPort: a.cfg.PeerPort, VerificationTag: vtag}
}
