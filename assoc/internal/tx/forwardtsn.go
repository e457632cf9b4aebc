package tx

import (
	"github.com/sconnlab/sconn/internal/serial"
	"github.com/sconnlab/sconn/wire"
)

// Partial reliability on the transmit side (RFC 3758 §3.5, RFC 8260
// §2.3.1): abandoning chunks, the Advanced.Peer.Ack.Point and the FORWARD
// TSN (or I-FORWARD TSN) that carries it.

// abandonChunks abandons the chunks of m still held (RFC 3758 A3: all
// fragments together).
func (o *OutstandingQueue) abandonChunks(m *message) {
	if m.refs == 0 {
		return
	}
	first, last := serial.TSN(m.firstTSN), serial.TSN(m.lastTSN)
	if first.Less(o.base) {
		first = o.base
	}
	for t := first; t.LessEq(last); t++ {
		e := o.at(t)
		if e.msg != m {
			continue
		}
		switch e.state {
		case inFlight:
			o.unflight(e)
			o.rwnd += uint32(len(e.data))
		case toResend:
			o.rtxCount--
		}
		e.state = abandoned
	}
	o.advance()
	if o.advPoint.GreaterEq(o.base) {
		o.fwdPending = true
	}
}

// advance moves the Advanced.Peer.Ack.Point over abandoned chunks (RFC
// 3758 C2).
func (o *OutstandingQueue) advance() {
	for t := o.advPoint + 1; t != o.next && t.GreaterEq(o.base); t++ {
		if o.at(t).state != abandoned {
			return
		}
		o.advPoint = t
	}
}

// maxForwardStreams bounds the stream entries of a FORWARD TSN so that it
// fits one packet (RFC 3758 C4).
func (o *OutstandingQueue) maxForwardStreams(entryLen int) int {
	return (o.s.cfg.MTU - wire.HeaderLen - wire.ForwardTSNHeaderLen) / entryLen
}

// appendForwardTSN adds the FORWARD TSN (or I-FORWARD TSN, RFC 8260
// §2.3.1) for the Advanced.Peer.Ack.Point to bld if it fits (RFC 3758 C3,
// C4: the highest SSN skipped per stream, ordered messages only with
// FORWARD TSN).
func (o *OutstandingQueue) appendForwardTSN(bld *wire.Builder) bool {
	if !o.advPoint.GreaterEq(o.base) {
		o.fwdPending = false
		return false
	}
	var fs [16]wire.ForwardTSNStream
	var ifs [16]wire.IForwardTSNStream
	idata := o.s.cfg.IData
	entryLen := 4
	if idata {
		entryLen = 8
	}
	maxN := o.maxForwardStreams(entryLen)
	streams, istreams := fs[:0], ifs[:0]
	newCum := o.base - 1
	for t := o.base; t.LessEq(o.advPoint); t++ {
		m := o.at(t).msg
		if idata {
			i := 0
			for i < len(istreams) && (istreams[i].StreamID != m.opts.Stream || istreams[i].Unordered != m.opts.Unordered) {
				i++
			}
			if i == len(istreams) {
				if i == maxN {
					break // C4: lower the point to what fits
				}
				istreams = append(istreams, wire.IForwardTSNStream{StreamID: m.opts.Stream, Unordered: m.opts.Unordered})
			}
			istreams[i].MID = m.mid
		} else if !m.opts.Unordered {
			i := 0
			for i < len(streams) && streams[i].StreamID != m.opts.Stream {
				i++
			}
			if i == len(streams) {
				if i == maxN {
					break
				}
				streams = append(streams, wire.ForwardTSNStream{StreamID: m.opts.Stream})
			}
			streams[i].SSN = uint16(m.mid)
		}
		newCum = t
	}
	var need int
	if idata {
		need = wire.ForwardTSNHeaderLen + 8*len(istreams)
	} else {
		need = wire.ForwardTSNHeaderLen + 4*len(streams)
	}
	if newCum == o.base-1 || !bld.Fits(need) {
		return false
	}
	if idata {
		f := wire.IForwardTSN{NewCumulativeTSN: uint32(newCum), Streams: istreams}
		bld.Add(&f)
	} else {
		f := wire.ForwardTSN{NewCumulativeTSN: uint32(newCum), Streams: streams}
		bld.Add(&f)
	}
	o.fwdPending = false
	return true
}
