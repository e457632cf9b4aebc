package wire

import (
	"encoding/binary"
	"strconv"
)

// SackHeaderLen is the length of a SACK chunk without gap ack blocks and
// duplicate TSNs (RFC 9260 §3.3.4).
const SackHeaderLen = 16

// GapBlock is a Gap Ack Block of a SACK or NR-SACK (RFC 9260 §3.3.4): Start
// and End are offsets from the cumulative TSN ack, so the block acknowledges
// the TSNs cumTSNAck+Start through cumTSNAck+End.
type GapBlock struct{ Start, End uint16 }

// Sack is a SACK chunk (RFC 9260 §3.3.4).
//
// Gap ack blocks and duplicate TSNs have two representations, so that
// decoding never allocates:
//
//   - DecodeSack leaves GapBlocks and DupTSNs nil and keeps unexported views
//     of the raw block and TSN bytes in the packet. Read them with
//     NumGapBlocks/GapBlock and NumDupTSNs/DupTSN.
//   - To build a SACK, set GapBlocks and DupTSNs (they may live outside the
//     send loop, so building does not allocate either).
//
// For each of the two lists, a non-nil slice wins over the raw view: the
// accessors, EncodedLen and Append use GapBlocks when it is non-nil (even if
// empty) and the decoded view otherwise, and likewise DupTSNs. So a decoded
// SACK re-encodes byte for byte, and setting GapBlocks = []GapBlock{} on it
// removes its blocks.
type Sack struct {
	CumulativeTSNAck uint32
	ARwnd            uint32 // a_rwnd, Advertised Receiver Window Credit
	GapBlocks        []GapBlock
	DupTSNs          []uint32

	gaps []byte // decoded gap ack blocks, 4 bytes each, when GapBlocks is nil
	dups []byte // decoded duplicate TSNs, 4 bytes each, when DupTSNs is nil
}

// DecodeSack decodes a SACK chunk. The numbers of gap ack blocks and
// duplicate TSNs must match the chunk length exactly. It does not allocate.
func DecodeSack(c Chunk) (Sack, error) {
	if err := c.check(ChunkSack, SackHeaderLen); err != nil {
		return Sack{}, err
	}
	v := c.b[ChunkHeaderLen:]
	nGaps := int(binary.BigEndian.Uint16(v[8:10]))
	nDups := int(binary.BigEndian.Uint16(v[10:12]))
	want := SackHeaderLen + 4*nGaps + 4*nDups
	if len(c.b) != want {
		return Sack{}, tsnListLenErr("SACK chunk", c.off+12, len(c.b), want,
			strconv.Itoa(nGaps)+" gap ack blocks and "+strconv.Itoa(nDups)+" duplicate TSNs")
	}
	g := 12 + 4*nGaps
	return Sack{
		CumulativeTSNAck: binary.BigEndian.Uint32(v[0:4]),
		ARwnd:            binary.BigEndian.Uint32(v[4:8]),
		gaps:             v[12:g],
		dups:             v[g:],
	}, nil
}

// tsnListLenErr reports a chunk whose length does not match the counts it holds.
func tsnListLenErr(what string, off, got, want int, counts string) error {
	return parseErr(what, off, ErrBadLength, "length "+strconv.Itoa(got)+" does not match "+
		counts+" (want "+strconv.Itoa(want)+")")
}

// NumGapBlocks returns the number of gap ack blocks.
func (s *Sack) NumGapBlocks() int { return gapCount(s.GapBlocks, s.gaps) }

// GapBlock returns gap ack block i, 0 <= i < NumGapBlocks().
func (s *Sack) GapBlock(i int) (start, end uint16) { return gapAt(s.GapBlocks, s.gaps, i) }

// NumDupTSNs returns the number of duplicate TSNs.
func (s *Sack) NumDupTSNs() int { return dupCount(s.DupTSNs, s.dups) }

// DupTSN returns duplicate TSN i, 0 <= i < NumDupTSNs().
func (s *Sack) DupTSN(i int) uint32 { return dupAt(s.DupTSNs, s.dups, i) }

// ChunkType implements Encoder.
func (s *Sack) ChunkType() ChunkType { return ChunkSack }

// EncodedLen implements Encoder.
func (s *Sack) EncodedLen() int { return SackHeaderLen + 4*s.NumGapBlocks() + 4*s.NumDupTSNs() }

// Append implements Encoder. It encodes GapBlocks and DupTSNs when they are
// non-nil and the decoded views otherwise (see Sack).
func (s *Sack) Append(b []byte) []byte {
	nGaps, nDups := s.NumGapBlocks(), s.NumDupTSNs()
	b = appendChunkHeader(b, ChunkSack, 0, SackHeaderLen+4*nGaps+4*nDups)
	b = binary.BigEndian.AppendUint32(b, s.CumulativeTSNAck)
	b = binary.BigEndian.AppendUint32(b, s.ARwnd)
	b = binary.BigEndian.AppendUint16(b, uint16(nGaps))
	b = binary.BigEndian.AppendUint16(b, uint16(nDups))
	b = appendGaps(b, s.GapBlocks, s.gaps)
	return appendDups(b, s.DupTSNs, s.dups)
}

// Helpers shared by SACK and NR-SACK: a list is the slice when it is non-nil
// and the raw view (4 bytes per entry) otherwise.

func gapCount(blocks []GapBlock, raw []byte) int {
	if blocks != nil {
		return len(blocks)
	}
	return len(raw) / 4
}

func gapAt(blocks []GapBlock, raw []byte, i int) (start, end uint16) {
	if blocks != nil {
		return blocks[i].Start, blocks[i].End
	}
	e := raw[4*i : 4*i+4]
	return binary.BigEndian.Uint16(e[0:2]), binary.BigEndian.Uint16(e[2:4])
}

func appendGaps(b []byte, blocks []GapBlock, raw []byte) []byte {
	if blocks == nil {
		return append(b, raw...)
	}
	for _, g := range blocks {
		b = append(b, byte(g.Start>>8), byte(g.Start), byte(g.End>>8), byte(g.End))
	}
	return b
}

func dupCount(tsns []uint32, raw []byte) int {
	if tsns != nil {
		return len(tsns)
	}
	return len(raw) / 4
}

func dupAt(tsns []uint32, raw []byte, i int) uint32 {
	if tsns != nil {
		return tsns[i]
	}
	return binary.BigEndian.Uint32(raw[4*i : 4*i+4])
}

func appendDups(b []byte, tsns []uint32, raw []byte) []byte {
	if tsns == nil {
		return append(b, raw...)
	}
	for _, t := range tsns {
		b = binary.BigEndian.AppendUint32(b, t)
	}
	return b
}
