package rx

import (
	"github.com/sconnlab/sconn/internal/serial"
	"github.com/sconnlab/sconn/wire"
)

// inStream is the receive state of one inbound stream.
type inStream struct {
	// next is the SSN (DATA, 16 bits) or MID (I-DATA) of the next ordered
	// message to deliver (§6.5: SSNs start at 0).
	next uint32
	// ordered holds ordered messages not delivered yet (incomplete, or
	// complete but waiting for an earlier SSN), by SSN or MID.
	ordered map[uint32]*message
	// unordered holds incomplete unordered I-DATA messages by MID.
	unordered map[uint32]*message
}

// stream returns the state of stream sid, creating it.
func (r *Reassembly) stream(sid uint16) *inStream {
	if r.last != nil && r.lastSID == sid {
		return r.last
	}
	st := r.streams[sid]
	if st == nil {
		st = &inStream{}
		if r.streams == nil {
			r.streams = make(map[uint16]*inStream) // on first use: idle associations stay small
		}
		r.streams[sid] = st
	}
	r.lastSID, r.last = sid, st
	return st
}

// idLess compares SSNs (16-bit serial numbers, §6.5: they wrap after
// 65535) or MIDs (32-bit, RFC 8260 §2.1).
func (r *Reassembly) idLess(a, b uint32) bool {
	if r.idata {
		return serial.MID(a).Less(serial.MID(b))
	}
	return serial.SSN(a).Less(serial.SSN(b))
}

func (r *Reassembly) idLessEq(a, b uint32) bool { return a == b || r.idLess(a, b) }

// nextID returns the SSN or MID after id.
func (r *Reassembly) nextID(id uint32) uint32 {
	if r.idata {
		return id + 1
	}
	return uint32(uint16(id + 1))
}

// drain delivers the stream's messages in order from st.next while they
// are complete, and starts a partial delivery of the first one that is
// not (§6.6).
func (r *Reassembly) drain(st *inStream) {
	for {
		m := st.ordered[st.next]
		if m == nil {
			return
		}
		if !m.complete {
			r.maybePD(m)
			return
		}
		delete(st.ordered, st.next)
		st.next = r.nextID(st.next)
		r.complete(m)
	}
}

// SkipForwardTSN applies the stream entries of a FORWARD TSN chunk the
// DataTracker accepted (RFC 3758 §3.6); cumTSN is the tracker's cumulative
// TSN ack after it. Per listed stream, ordered messages up to the SSN are
// delivered when complete and dropped when not, and the stream moves on
// past the SSN. Then every DATA message still missing a TSN at or below
// cumTSN is dropped: it can never complete. A partial delivery cut this
// way is reported by PollPartialDeliveryAborted.
func (r *Reassembly) SkipForwardTSN(cumTSN uint32, fwd *wire.ForwardTSN) {
	for i := 0; i < fwd.NumStreams(); i++ {
		e := fwd.Stream(i)
		r.skipOrdered(e.StreamID, uint32(e.SSN))
	}
	r.dropDoomed(cumTSN)
	r.afterSkip()
}

// SkipIForwardTSN applies an I-FORWARD TSN chunk (RFC 8260 §2.3.1): per
// entry, ordered messages up to the MID are delivered or dropped as for
// FORWARD TSN, and incomplete unordered messages up to the MID dropped.
func (r *Reassembly) SkipIForwardTSN(fwd *wire.IForwardTSN) {
	for i := 0; i < fwd.NumStreams(); i++ {
		e := fwd.Stream(i)
		if e.Unordered {
			r.skipUnordered(e.StreamID, e.MID)
		} else {
			r.skipOrdered(e.StreamID, e.MID)
		}
	}
	r.afterSkip()
}

// skipOrdered makes SSNs (MIDs) up to id available (RFC 3758 §3.6): the
// complete ones are delivered in order, the others dropped.
func (r *Reassembly) skipOrdered(sid uint16, id uint32) {
	if r.closed || int(sid) >= r.inbound {
		return
	}
	st := r.stream(sid)
	s := r.scratch[:0]
	for k, m := range st.ordered {
		if r.idLessEq(k, id) {
			s = append(s, m)
		}
	}
	for i := 1; i < len(s); i++ { // insertion sort by SSN: map order is random
		for j := i; j > 0 && r.idLess(s[j].id, s[j-1].id); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	for _, m := range s {
		delete(st.ordered, m.id)
		if m.complete {
			r.complete(m)
		} else {
			r.discard(m)
		}
	}
	clear(s)
	r.scratch = s[:0]
	if r.idLessEq(st.next, id) {
		st.next = r.nextID(id)
	}
	r.drain(st)
}

// skipUnordered drops incomplete unordered I-DATA messages up to MID id.
func (r *Reassembly) skipUnordered(sid uint16, id uint32) {
	if r.closed || int(sid) >= r.inbound {
		return
	}
	st := r.stream(sid)
	for k, m := range st.unordered {
		if serial.MID(k).LessEq(serial.MID(id)) {
			delete(st.unordered, k)
			r.discard(m)
		}
	}
}

// dropDoomed drops the DATA messages missing a TSN at or below cum (RFC
// 3758 §3.6: "remove any partially reassembled message, which is still
// missing one or more TSNs earlier than or equal to the new cumulative
// TSN point").
func (r *Reassembly) dropDoomed(cum uint32) {
	if r.idata || r.closed {
		return
	}
	doomed := func(m *message) bool {
		return !m.complete && serial.TSN(m.firstMissingTSN()).LessEq(serial.TSN(cum))
	}
	for _, st := range r.streams {
		for k, m := range st.ordered {
			if doomed(m) {
				delete(st.ordered, k)
				r.discard(m)
			}
		}
	}
	for lo, m := range r.runFirst {
		if doomed(m) {
			delete(r.runFirst, lo)
			delete(r.runLast, m.hi)
			r.discard(m)
		}
	}
}

// afterSkip starts a partial delivery if dropping data left the window
// blocked.
func (r *Reassembly) afterSkip() {
	if r.pdMsg == nil && r.windowBlocked() {
		r.pdScan()
	}
}
