package wire

import (
	"encoding/binary"
	"strconv"
)

// ECN chunks. RFC 9260 (Table 1) only reserves types 12 and 13; their format
// is the one of RFC 4960 Appendix A, which usrsctp and FreeBSD extend.

// ECNELen is the length of an ECNE chunk (RFC 4960 Appendix A).
const ECNELen = 8

// ECNELongLen is the length of the ECNE chunk that usrsctp and FreeBSD send
// (struct sctp_ecne_chunk): ECNELen plus the number of packets since CWR.
const ECNELongLen = 12

// CWRLen is the length of a CWR chunk (RFC 4960 Appendix A).
const CWRLen = 8

// ECNE is an Explicit Congestion Notification Echo chunk (RFC 4960
// Appendix A): LowestTSN is the lowest TSN of the packets received with the
// CE codepoint. NumPacketsSinceCWR is usrsctp's extra field (the 12-byte
// form): the decoder sets it from a 12-byte chunk and leaves it 0 for an
// 8-byte one; Append writes the 12-byte form when it is non-zero and the
// 8-byte RFC form otherwise.
type ECNE struct {
	LowestTSN          uint32
	NumPacketsSinceCWR uint32
}

// DecodeECNE decodes an ECNE chunk, whose length must be 8 (RFC) or 12
// (usrsctp).
func DecodeECNE(c Chunk) (ECNE, error) {
	if err := c.check(ChunkECNE, ECNELen); err != nil {
		return ECNE{}, err
	}
	switch len(c.b) {
	case ECNELen:
		return ECNE{LowestTSN: binary.BigEndian.Uint32(c.b[4:8])}, nil
	case ECNELongLen:
		return ECNE{
			LowestTSN:          binary.BigEndian.Uint32(c.b[4:8]),
			NumPacketsSinceCWR: binary.BigEndian.Uint32(c.b[8:12]),
		}, nil
	}
	return ECNE{}, parseErr("ECNE chunk", c.off, ErrBadLength,
		"length "+strconv.Itoa(len(c.b))+", want 8 or 12")
}

// ChunkType implements Encoder.
func (e *ECNE) ChunkType() ChunkType { return ChunkECNE }

// EncodedLen implements Encoder.
func (e *ECNE) EncodedLen() int {
	if e.NumPacketsSinceCWR != 0 {
		return ECNELongLen
	}
	return ECNELen
}

// Append implements Encoder.
func (e *ECNE) Append(b []byte) []byte {
	n := e.EncodedLen()
	b = appendChunkHeader(b, ChunkECNE, 0, n)
	b = binary.BigEndian.AppendUint32(b, e.LowestTSN)
	if n == ECNELongLen {
		b = binary.BigEndian.AppendUint32(b, e.NumPacketsSinceCWR)
	}
	return b
}

// CWR is a Congestion Window Reduced chunk (RFC 4960 Appendix A): LowestTSN
// is the Lowest TSN Number of the ECNE it answers. Flags is the flags byte,
// zero in the RFC; usrsctp sets 0x01 (reduce override) and 0x02 (in the same
// window).
type CWR struct {
	Flags     uint8
	LowestTSN uint32
}

// DecodeCWR decodes a CWR chunk, whose length must be exactly 8.
func DecodeCWR(c Chunk) (CWR, error) {
	if err := checkChunkLen(c, ChunkCWR, CWRLen); err != nil {
		return CWR{}, err
	}
	return CWR{Flags: c.b[1], LowestTSN: binary.BigEndian.Uint32(c.b[4:8])}, nil
}

// ChunkType implements Encoder.
func (w *CWR) ChunkType() ChunkType { return ChunkCWR }

// EncodedLen implements Encoder.
func (w *CWR) EncodedLen() int { return CWRLen }

// Append implements Encoder.
func (w *CWR) Append(b []byte) []byte {
	b = appendChunkHeader(b, ChunkCWR, w.Flags, CWRLen)
	return binary.BigEndian.AppendUint32(b, w.LowestTSN)
}
