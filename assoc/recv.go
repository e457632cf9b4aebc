package assoc

import (
	"errors"
	"time"

	"github.com/sconnlab/sconn/assoc/internal/rx"
	"github.com/sconnlab/sconn/internal/serial"
	"github.com/sconnlab/sconn/wire"
)

// ErrWouldBlock means Recv has nothing to deliver.
var ErrWouldBlock = errors.New("sctp: no data to read")

// RecvInfo describes a message, or a piece of one, returned by Recv (the
// SCTP_RCVINFO of RFC 6458 §5.3.5).
type RecvInfo struct {
	Stream    uint16
	SSN       uint16 // or the low bits of the MID with I-DATA
	PPID      uint32
	TSN       uint32 // TSN of the first fragment
	CumTSN    uint32 // cumulative TSN ack at delivery
	Unordered bool
	// EOR is false when this is a piece of a larger message (partial
	// delivery, or buf too short): the rest follows in the next Recv
	// (MSG_EOR semantics).
	EOR bool
}

// Recv copies the next deliverable message into buf: ordered messages in
// SSN order per stream, unordered ones as soon as complete (§6.6), large
// ones in pieces once the partial delivery point is reached. When buf is
// shorter than the message, Recv returns what fits with EOR false and the
// rest on the next calls. Reading frees receive window and may make a
// window update SACK due (drain Poll). It returns ErrWouldBlock when
// nothing is deliverable. Messages received before the association ended
// stay readable.
func (a *Association) Recv(buf []byte) (n int, info RecvInfo, err error) {
	r := a.data.rx
	if r == nil {
		return 0, info, ErrWouldBlock
	}
	n, ri, ok := r.Read(buf)
	if !ok {
		a.data.readable = false
		return 0, info, ErrWouldBlock
	}
	if !r.Reassembly.Readable() {
		a.data.readable = false // the next message raises DataReadable again
	}
	return n, RecvInfo{Stream: ri.Stream, SSN: ri.SSN, PPID: ri.PPID, TSN: ri.TSN,
		CumTSN: r.Tracker.CumulativeTSNAck(), Unordered: ri.Unordered, EOR: ri.EOR}, nil
}

// Readable reports that Recv has a message (or a piece of one) to deliver.
func (a *Association) Readable() bool { return a.data.rx != nil && a.data.rx.Reassembly.Readable() }

// NextMessageLen returns the length of what the next Recv delivers whole
// (the next message, or the next partial delivery piece), 0 if none.
func (a *Association) NextMessageLen() int {
	if a.data.rx == nil {
		return 0
	}
	return a.data.rx.Reassembly.NextMessageLen()
}

// handleData receives a DATA chunk (§6.2).
func (a *Association) handleData(now time.Time, p *rxPacket, c wire.Chunk) {
	if !a.acceptsData(p, "DATA") {
		return
	}
	d, err := wire.DecodeData(c)
	if err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	f := rx.DataFragment(&d)
	a.receiveFragment(now, p, &f)
}

// handleIData receives an I-DATA chunk (RFC 8260 §2.1).
func (a *Association) handleIData(now time.Time, p *rxPacket, c wire.Chunk) {
	if !a.acceptsData(p, "I-DATA") {
		return
	}
	d, err := wire.DecodeIData(c)
	if err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	f := rx.IDataFragment(&d)
	a.receiveFragment(now, p, &f)
}

// acceptsData applies the state rules to an inbound DATA or I-DATA chunk:
// none before the peer's tag is known, nor after the peer's SHUTDOWN
// (SHUTDOWN-RECEIVED, SHUTDOWN-ACK-SENT): §9.2, the peer sends SHUTDOWN
// once all its DATA is acknowledged and sends no new DATA after it; usrsctp
// discards it too.
func (a *Association) acceptsData(p *rxPacket, what string) bool {
	if a.data.rx == nil || a.state == CookieWait || a.state == ShutdownReceived || a.state == ShutdownAckSent {
		p.discard(DropUnexpectedChunk, what+" in "+a.state.String())
		return false
	}
	return true
}

// receiveFragment hands a DATA or I-DATA chunk to the receive side and
// answers its errors: ABORT for a chunk without data (§6.2), for DATA
// mixed with I-DATA (RFC 8260 §2.2.1) or for a peer exceeding the
// reassembly limit; ERROR for an invalid stream (§6.5).
func (a *Association) receiveFragment(now time.Time, p *rxPacket, f *rx.Fragment) {
	d := &a.data
	p.processed++
	p.dataSeen = true
	inSeq := serial.TSN(f.TSN) == serial.TSN(d.rx.Tracker.CumulativeTSNAck()).Next()
	v, err := d.rx.HandleData(f)
	switch {
	case err == rx.ErrNoUserData:
		a.sendAbort(wire.NoUserData{TSN: f.TSN}.Append(nil), LostNoUserData)
		p.abandon(DropMalformed, "DATA chunk without user data")
		return
	case err != nil:
		a.abortViolation(err.Error())
		p.abandon(DropMalformed, err.Error())
		return
	}
	switch v {
	case rx.Duplicate:
		d.stats.IDupChunks++
	case rx.InvalidStream:
		a.queueError(wire.InvalidStreamIdentifier{StreamID: f.Stream}.Append(nil))
	case rx.Accepted:
		if !inSeq {
			d.stats.OutSeqTSNs++
		}
		if f.Unordered {
			d.stats.IUODChunks++
		} else {
			d.stats.IDChunks++
		}
	}
}

// handleForwardTSN receives a FORWARD TSN (RFC 3758 §3.6) or I-FORWARD TSN
// (RFC 8260 §2.3.1) of a peer that negotiated it.
func (a *Association) handleForwardTSN(now time.Time, p *rxPacket, c wire.Chunk) {
	if !a.acceptsData(p, c.Type().String()) {
		return
	}
	if c.Type() == wire.ChunkIForwardTSN {
		f, err := wire.DecodeIForwardTSN(c)
		if err != nil {
			p.abandon(DropMalformed, err.Error())
			return
		}
		a.data.rx.HandleIForwardTSN(&f)
	} else {
		f, err := wire.DecodeForwardTSN(c)
		if err != nil {
			p.abandon(DropMalformed, err.Error())
			return
		}
		a.data.rx.HandleForwardTSN(&f)
	}
	p.processed++
	p.dataSeen = true // RFC 3758 §3.6: a SACK answers it like DATA
}

// handleExtensionChunk handles the chunk types of negotiated extensions.
// It returns false for a chunk it does not handle (or whose extension was
// not negotiated), which then follows the unrecognized-chunk rules of
// §3.2.
func (a *Association) handleExtensionChunk(now time.Time, p *rxPacket, c wire.Chunk) bool {
	f := a.info.Features
	switch c.Type() {
	case wire.ChunkIData:
		if !f.IData {
			return false
		}
		a.handleIData(now, p, c)
	case wire.ChunkForwardTSN:
		if !f.PartialReliability || f.IData {
			return false // RFC 8260 §2.3.1: I-FORWARD TSN with I-DATA
		}
		a.handleForwardTSN(now, p, c)
	case wire.ChunkIForwardTSN:
		if !f.PartialReliability || !f.IData {
			return false
		}
		a.handleForwardTSN(now, p, c)
	default:
		return false
	}
	return true
}
