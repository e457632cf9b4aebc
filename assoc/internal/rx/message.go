package rx

import "github.com/sconnlab/sconn/internal/serial"

// frag is one fragment held in a message: its payload copied into a pooled
// buffer. seq orders the fragments of a message: the TSN for DATA (whose
// fragments have consecutive TSNs, RFC 9260 §6.9) and the FSN for I-DATA
// (RFC 8260 §2.1).
type frag struct {
	seq, tsn uint32
	b        []byte
}

// seqLess orders fragment sequence numbers with RFC 1982 arithmetic.
func seqLess(a, b uint32) bool { return int32(a-b) < 0 }

// message is a user message being reassembled, waiting for its turn, or
// sitting in the delivery queue. Messages are recycled through a free list
// with their frags slice, so a steady flow allocates none.
type message struct {
	stream    uint16
	unordered bool
	id        uint32 // SSN (DATA) or MID (I-DATA)
	ppid      uint32
	firstTSN  uint32 // TSN of the B fragment
	minTSN    uint32 // lowest TSN held
	lo, hi    uint32 // unordered DATA runs: TSNs of the first and last fragment

	haveB, haveE      bool
	firstSeq, lastSeq uint32 // seq of the B and E fragments

	frags       []frag // sorted by seq
	contig      int    // frags[:contig] is the run that starts with B
	nextSeq     uint32 // seq that would extend the run
	contigBytes int    // payload bytes in frags[:contig], read ones included
	size        int    // payload bytes in all frags, read ones included

	rd, off   int // read position: byte off of frags[rd]
	readBytes int // payload bytes the reader has copied out

	complete bool // B through E, nothing missing
	pd       bool // in the delivery queue before completion (partial delivery)
	aborted  bool // partial delivery cut by FORWARD TSN or abort
}

// add inserts a fragment. It refuses (returns false) a second B or E, a
// sequence number already held or read, and one outside B..E: a correct
// peer sends none of these, and a TSN-level duplicate never gets here.
func (m *message) add(seq, tsn uint32, begin, end bool) (int, bool) {
	if begin && m.haveB || end && m.haveE {
		return 0, false
	}
	if m.haveB && seqLess(seq, m.nextSeq) {
		return 0, false // below B, or already in the run from B
	}
	if m.haveE && seqLess(m.lastSeq, seq) {
		return 0, false
	}
	i := len(m.frags)
	for i > m.rd && seqLess(seq, m.frags[i-1].seq) {
		i--
	}
	if i > m.rd && m.frags[i-1].seq == seq {
		return 0, false
	}
	if begin && i != 0 {
		return 0, false // fragments below the B one: bogus
	}
	m.frags = append(m.frags, frag{})
	copy(m.frags[i+1:], m.frags[i:])
	m.frags[i] = frag{seq: seq, tsn: tsn}
	if len(m.frags) == 1 || serial.TSN(tsn).Less(serial.TSN(m.minTSN)) {
		m.minTSN = tsn
	}
	if begin {
		m.haveB, m.firstSeq, m.firstTSN, m.nextSeq = true, seq, tsn, seq
	}
	if end {
		m.haveE, m.lastSeq = true, seq
	}
	return i, true
}

// extend grows the leading run after an insertion and updates complete.
func (m *message) extend() {
	if !m.haveB {
		return
	}
	for m.contig < len(m.frags) && m.frags[m.contig].seq == m.nextSeq {
		m.contigBytes += len(m.frags[m.contig].b)
		m.contig++
		m.nextSeq++
	}
	m.complete = m.haveE && m.contig == len(m.frags) && m.nextSeq-1 == m.lastSeq
}

// available returns the bytes the reader may copy now.
func (m *message) available() int { return m.contigBytes - m.readBytes }

// firstMissingTSN returns the lowest TSN of a DATA message not yet held:
// the one before the lowest when B is missing, else the one that would
// extend the run from B (DATA fragments have consecutive TSNs, §6.9).
func (m *message) firstMissingTSN() uint32 {
	if !m.haveB {
		return m.minTSN - 1
	}
	return m.nextSeq
}

// compact drops the fragments the reader has consumed (long partial
// deliveries).
func (m *message) compact() {
	n := copy(m.frags, m.frags[m.rd:])
	clear(m.frags[n:])
	m.frags = m.frags[:n]
	m.contig -= m.rd
	m.rd = 0
}

// maxKeptFrags bounds the frags capacity a recycled message keeps.
const maxKeptFrags = 256

// reset empties m for reuse, keeping the frags capacity unless large.
func (m *message) reset() {
	f := m.frags
	clear(f)
	if cap(f) > maxKeptFrags {
		f = nil
	}
	*m = message{frags: f[:0]}
}
