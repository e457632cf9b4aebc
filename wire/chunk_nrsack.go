package wire

import (
	"encoding/binary"
	"strconv"
)

// NRSackHeaderLen is the length of an NR-SACK chunk without blocks and
// duplicate TSNs.
const NRSackHeaderLen = 20

// FlagAllNonRenegable is the NR-SACK flag by which usrsctp says that all
// out-of-order TSNs are non-renegable (its "all NR" bit).
const FlagAllNonRenegable uint8 = 0x01

// NRSack is an NR-SACK chunk (type 16), laid out as usrsctp and FreeBSD
// encode it (draft-tuexen-tsvwg-sctp-multipath, sctp_header.h
// struct sctp_nr_sack_chunk):
//
//	type=16 | flags | length
//	cumulative TSN ack
//	a_rwnd
//	number of gap ack blocks   | number of NR gap ack blocks
//	number of duplicate TSNs   | reserved
//	gap ack blocks, then NR gap ack blocks, then duplicate TSNs
//
// The lists follow the same rules as Sack: the decoder leaves GapBlocks,
// NRGapBlocks and DupTSNs nil and keeps views of the raw bytes, read with the
// accessors; a non-nil slice (even empty) replaces the decoded view in the
// accessors, EncodedLen and Append.
type NRSack struct {
	Flags            uint8 // FlagAllNonRenegable
	CumulativeTSNAck uint32
	ARwnd            uint32 // a_rwnd
	GapBlocks        []GapBlock
	NRGapBlocks      []GapBlock
	DupTSNs          []uint32

	gaps, nrGaps, dups []byte // decoded views, 4 bytes per entry
}

// DecodeNRSack decodes an NR-SACK chunk. The three counts must match the
// chunk length exactly; the reserved field is ignored. It does not allocate.
func DecodeNRSack(c Chunk) (NRSack, error) {
	if err := c.check(ChunkNRSack, NRSackHeaderLen); err != nil {
		return NRSack{}, err
	}
	v := c.b[ChunkHeaderLen:]
	nGaps := int(binary.BigEndian.Uint16(v[8:10]))
	nNR := int(binary.BigEndian.Uint16(v[10:12]))
	nDups := int(binary.BigEndian.Uint16(v[12:14]))
	want := NRSackHeaderLen + 4*(nGaps+nNR+nDups)
	if len(c.b) != want {
		return NRSack{}, tsnListLenErr("NR-SACK chunk", c.off+12, len(c.b), want,
			strconv.Itoa(nGaps)+" gap ack blocks, "+strconv.Itoa(nNR)+" NR gap ack blocks and "+
				strconv.Itoa(nDups)+" duplicate TSNs")
	}
	g := 16 + 4*nGaps
	n := g + 4*nNR
	return NRSack{
		Flags:            c.b[1],
		CumulativeTSNAck: binary.BigEndian.Uint32(v[0:4]),
		ARwnd:            binary.BigEndian.Uint32(v[4:8]),
		gaps:             v[16:g],
		nrGaps:           v[g:n],
		dups:             v[n:],
	}, nil
}

// AllNonRenegable reports whether FlagAllNonRenegable is set.
func (s *NRSack) AllNonRenegable() bool { return s.Flags&FlagAllNonRenegable != 0 }

// NumGapBlocks returns the number of (renegable) gap ack blocks.
func (s *NRSack) NumGapBlocks() int { return gapCount(s.GapBlocks, s.gaps) }

// GapBlock returns gap ack block i, 0 <= i < NumGapBlocks().
func (s *NRSack) GapBlock(i int) (start, end uint16) { return gapAt(s.GapBlocks, s.gaps, i) }

// NumNRGapBlocks returns the number of non-renegable gap ack blocks.
func (s *NRSack) NumNRGapBlocks() int { return gapCount(s.NRGapBlocks, s.nrGaps) }

// NRGapBlock returns NR gap ack block i, 0 <= i < NumNRGapBlocks().
func (s *NRSack) NRGapBlock(i int) (start, end uint16) { return gapAt(s.NRGapBlocks, s.nrGaps, i) }

// NumDupTSNs returns the number of duplicate TSNs.
func (s *NRSack) NumDupTSNs() int { return dupCount(s.DupTSNs, s.dups) }

// DupTSN returns duplicate TSN i, 0 <= i < NumDupTSNs().
func (s *NRSack) DupTSN(i int) uint32 { return dupAt(s.DupTSNs, s.dups, i) }

// ChunkType implements Encoder.
func (s *NRSack) ChunkType() ChunkType { return ChunkNRSack }

// EncodedLen implements Encoder.
func (s *NRSack) EncodedLen() int {
	return NRSackHeaderLen + 4*(s.NumGapBlocks()+s.NumNRGapBlocks()+s.NumDupTSNs())
}

// Append implements Encoder (see NRSack for which lists it encodes).
func (s *NRSack) Append(b []byte) []byte {
	nGaps, nNR, nDups := s.NumGapBlocks(), s.NumNRGapBlocks(), s.NumDupTSNs()
	b = appendChunkHeader(b, ChunkNRSack, s.Flags, NRSackHeaderLen+4*(nGaps+nNR+nDups))
	b = binary.BigEndian.AppendUint32(b, s.CumulativeTSNAck)
	b = binary.BigEndian.AppendUint32(b, s.ARwnd)
	b = binary.BigEndian.AppendUint16(b, uint16(nGaps))
	b = binary.BigEndian.AppendUint16(b, uint16(nNR))
	b = binary.BigEndian.AppendUint16(b, uint16(nDups))
	b = append(b, 0, 0) // reserved
	b = appendGaps(b, s.GapBlocks, s.gaps)
	b = appendGaps(b, s.NRGapBlocks, s.nrGaps)
	return appendDups(b, s.DupTSNs, s.dups)
}
