package rx

import (
	"github.com/sconnlab/sconn/internal/serial"
	"github.com/sconnlab/sconn/wire"
)

// Verdict says what the receive side did with a TSN (or a whole DATA chunk,
// for Receiver.HandleData).
type Verdict uint8

// Verdicts.
const (
	// Accepted: a new TSN; its data goes to reassembly (Observe's isNew).
	Accepted Verdict = iota
	// Duplicate: the TSN was received before (at or below the cumulative
	// TSN ack, or inside a Gap Ack Block); it is reported in the next SACK
	// (RFC 9260 §6.2) and its data dropped.
	Duplicate
	// OutOfWindow: the TSN is more than Config.MaxTSNWindow beyond the
	// cumulative TSN ack. Dropped without acknowledgement; SACK at once.
	OutOfWindow
	// TooManyGaps: the TSN would open a Gap Ack Block beyond
	// Config.MaxGapBlocks. Dropped without acknowledgement; SACK at once.
	TooManyGaps
	// WindowFull: a_rwnd is 0 and the TSN is beyond the highest received:
	// dropped without acknowledgement and a SACK sent at once (§6.2).
	WindowFull
	// InvalidStream: the TSN was accepted and will be acknowledged, but the
	// data was discarded because its stream does not exist; the engine
	// sends an ERROR with an Invalid Stream Identifier cause (§6.5).
	InvalidStream
)

var verdictNames = [...]string{"accepted", "duplicate", "out of window", "too many gaps", "window full", "invalid stream"}

// String returns the verdict in words, for logs and drop counters.
func (v Verdict) String() string {
	if int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return "verdict?"
}

// tsnBlock is a run of received TSNs above the cumulative TSN ack,
// unwrapped to 64 bits.
type tsnBlock struct{ first, last uint64 }

// DataTracker tracks the TSNs received from the peer (RFC 9260 §6.2, §6.7):
// the cumulative TSN ack point, the runs above it that become Gap Ack
// Blocks, and the duplicates to report; it also decides when a SACK is due
// (sack_policy.go). TSNs are unwrapped to 64 bits relative to the
// cumulative TSN ack, so every comparison is plain integer arithmetic.
//
// A DataTracker is not safe for concurrent use.
type DataTracker struct {
	cfg    Config
	cum    uint64     // cumulative TSN ack point, unwrapped; always >= 2^32
	blocks []tsnBlock // sorted, disjoint, non-adjacent, all above cum+1
	dups   []uint32   // duplicates for the next SACK (at most MaxDupTSNs)

	dupTotal uint64 // every duplicate seen (SCTP_GET_ASSOC_STATS idupchunks)

	sackState
}

// NewDataTracker returns a tracker for a peer whose Initial TSN is
// peerInitialTSN (from its INIT or INIT ACK).
func NewDataTracker(cfg Config, peerInitialTSN uint32) *DataTracker {
	// blocks and dups grow on first use and are kept: an association that
	// never sees a gap or a duplicate stays small.
	t := &DataTracker{cfg: cfg.Normalized()}
	t.Init(peerInitialTSN)
	return t
}

// Init forgets every TSN and starts over with the cumulative TSN ack at
// peerInitialTSN-1 (§5.1), as after an association restart (§5.2.4).
func (t *DataTracker) Init(peerInitialTSN uint32) {
	t.cum = 1<<32 | uint64(peerInitialTSN-1)
	t.blocks = t.blocks[:0]
	t.dups = t.dups[:0]
	t.sackState = sackState{lastAdvertised: uint32(t.cfg.ReceiveBufferSize)}
}

// CumulativeTSNAck returns the cumulative TSN ack point: the last TSN of
// the in-sequence run received (§6.2), as SACK and SHUTDOWN carry it.
func (t *DataTracker) CumulativeTSNAck() uint32 { return uint32(t.cum) }

// HighestTSN returns the highest TSN received (the cumulative TSN ack when
// there are no gaps).
func (t *DataTracker) HighestTSN() uint32 {
	if n := len(t.blocks); n > 0 {
		return uint32(t.blocks[n-1].last)
	}
	return uint32(t.cum)
}

// IsBeyondHighest reports whether tsn is above every TSN received so far.
func (t *DataTracker) IsBeyondHighest(tsn uint32) bool {
	return serial.TSN(t.HighestTSN()).Less(serial.TSN(tsn))
}

// HasGaps reports whether TSNs are missing below the highest received.
func (t *DataTracker) HasGaps() bool { return len(t.blocks) > 0 }

// NumGapBlocks returns the number of Gap Ack Blocks the next SACK would
// carry if its buffer were large enough.
func (t *DataTracker) NumGapBlocks() int { return len(t.blocks) }

// NumDupTSNs returns the number of duplicate TSNs waiting for the next SACK.
func (t *DataTracker) NumDupTSNs() int { return len(t.dups) }

// DuplicatesSeen returns the count of every duplicate TSN received since
// NewDataTracker (the idupchunks counter), including those not reported.
func (t *DataTracker) DuplicatesSeen() uint64 { return t.dupTotal }

// Observe records the TSN of a DATA or I-DATA chunk. isNew is true, with
// v == Accepted, when the TSN was not received before: the caller then
// passes the chunk to reassembly. A duplicate is remembered for the next
// SACK (§6.2); a TSN beyond Config.MaxTSNWindow, or one that would need
// more than Config.MaxGapBlocks blocks, is dropped without being
// acknowledged (the peer retransmits it). Every outcome counts towards the
// SACK decision of the current packet (ObservePacketEnd).
func (t *DataTracker) Observe(tsn uint32) (isNew bool, v Verdict) {
	t.pkt.seen = true
	u := serial.UnwrapNear(t.cum, serial.TSN(tsn))
	switch {
	case u <= t.cum:
		t.addDup(tsn)
		return false, Duplicate
	case u-t.cum > uint64(t.cfg.MaxTSNWindow):
		t.pkt.dropped = true
		return false, OutOfWindow
	case u == t.cum+1:
		t.cum = u
		if len(t.blocks) > 0 && t.blocks[0].first == u+1 {
			t.cum = t.blocks[0].last
			t.removeBlocks(1)
		}
		t.pkt.fresh = true
		return true, Accepted
	}
	v = t.insert(u)
	if v == Duplicate {
		t.addDup(tsn)
		return false, v
	}
	if v != Accepted {
		t.pkt.dropped = true
		return false, v
	}
	t.pkt.fresh = true
	return true, Accepted
}

// insert adds u (> cum+1) to the blocks.
func (t *DataTracker) insert(u uint64) Verdict {
	b := t.blocks
	// i is the first block whose last is >= u-1 (a block u may extend or
	// that lies above u). Most TSNs land at the top, so look there first.
	i := len(b)
	if i > 0 && b[i-1].last+1 < u {
		// above every block
	} else {
		lo, hi := 0, len(b)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if b[m].last+1 < u {
				lo = m + 1
			} else {
				hi = m
			}
		}
		i = lo
	}
	if i < len(b) {
		if u >= b[i].first && u <= b[i].last {
			return Duplicate
		}
		if b[i].last+1 == u { // extends block i upwards
			b[i].last = u
			if i+1 < len(b) && b[i+1].first == u+1 { // and joins block i+1
				b[i].last = b[i+1].last
				copy(b[i+1:], b[i+2:])
				t.blocks = b[:len(b)-1]
			}
			return Accepted
		}
		if b[i].first == u+1 { // extends block i downwards
			b[i].first = u
			return Accepted
		}
	}
	if len(b) >= t.cfg.MaxGapBlocks {
		return TooManyGaps
	}
	b = append(b, tsnBlock{})
	copy(b[i+1:], b[i:])
	b[i] = tsnBlock{u, u}
	t.blocks = b
	return Accepted
}

// removeBlocks drops the first n blocks.
func (t *DataTracker) removeBlocks(n int) {
	k := copy(t.blocks, t.blocks[n:])
	t.blocks = t.blocks[:k]
}

func (t *DataTracker) addDup(tsn uint32) {
	t.pkt.dup = true
	t.dupTotal++
	if len(t.dups) < t.cfg.MaxDupTSNs {
		t.dups = append(t.dups, tsn)
	}
}

// HandleForwardTSN applies the New Cumulative TSN of a FORWARD TSN or
// I-FORWARD TSN chunk (RFC 3758 §3.6, RFC 8260 §2.3.1): the cumulative TSN
// ack moves to newCum and then on over any blocks that now join it; gaps
// at or below it are no longer reported. It returns Accepted when the
// point moved, Duplicate for an out-of-date chunk (newCum at or behind the
// point: nothing changes, and a SACK goes out at once since the previous
// one was probably lost), and OutOfWindow for a newCum farther than
// Config.MaxTSNWindow ahead (ignored). For the SACK decision the chunk
// counts as DATA (§3.6).
func (t *DataTracker) HandleForwardTSN(newCum uint32) Verdict {
	t.pkt.seen = true
	u := serial.UnwrapNear(t.cum, serial.TSN(newCum))
	if u <= t.cum {
		t.pkt.dropped = true // §3.6: SHOULD send a SACK
		return Duplicate
	}
	if u-t.cum > uint64(t.cfg.MaxTSNWindow) {
		t.pkt.dropped = true
		return OutOfWindow
	}
	t.cum = u
	n := 0
	for n < len(t.blocks) && t.blocks[n].first <= t.cum+1 {
		t.cum = max(t.cum, t.blocks[n].last)
		n++
	}
	t.removeBlocks(n)
	t.pkt.fresh = true
	return Accepted
}

// FillSack writes a SACK (RFC 9260 §3.3.4) into s: the cumulative TSN ack,
// arwnd, the Gap Ack Blocks from the lowest to the highest TSN (§6.7) as
// offsets from the cumulative TSN ack, and the duplicates received since
// the last SACK, each reported once. The lists are written into gapBuf and
// dupBuf without allocating and limited to their capacities, so the caller
// sizes them for the room left in the packet (4 bytes each). It also
// resets the delayed SACK state: the SACK is considered sent.
func (t *DataTracker) FillSack(s *wire.Sack, gapBuf []wire.GapBlock, dupBuf []uint32, arwnd uint32) {
	gaps := gapBuf[:0]
	for _, b := range t.blocks {
		if len(gaps) == cap(gaps) {
			break // §6.7: lowest first, leave the highest unacknowledged
		}
		gaps = append(gaps, wire.GapBlock{Start: uint16(b.first - t.cum), End: uint16(b.last - t.cum)})
	}
	dups := dupBuf[:0]
	for _, d := range t.dups {
		if len(dups) == cap(dups) {
			break
		}
		dups = append(dups, d)
	}
	*s = wire.Sack{CumulativeTSNAck: uint32(t.cum), ARwnd: arwnd, GapBlocks: gaps, DupTSNs: dups}
	t.dups = t.dups[:0]
	t.sackSent(arwnd)
}
