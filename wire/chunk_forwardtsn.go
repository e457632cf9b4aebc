package wire

import (
	"encoding/binary"
	"strconv"
)

// ForwardTSNHeaderLen is the length of a FORWARD TSN or I-FORWARD TSN chunk
// without stream entries.
const ForwardTSNHeaderLen = 8

// ForwardTSNStream is one (Stream-N, Stream Sequence-N) entry of a FORWARD
// TSN chunk (RFC 3758 §3.2): the largest SSN skipped on the stream.
type ForwardTSNStream struct{ StreamID, SSN uint16 }

// ForwardTSN is a FORWARD TSN chunk (RFC 3758 §3.2).
//
// Like Sack, it has two representations of its entries so that decoding does
// not allocate: DecodeForwardTSN leaves Streams nil and keeps a view of the
// raw entries, read with NumStreams/Stream; to build one, set Streams. A
// non-nil Streams (even empty) replaces the decoded view in the accessors,
// EncodedLen and Append.
type ForwardTSN struct {
	NewCumulativeTSN uint32
	Streams          []ForwardTSNStream

	raw []byte // decoded entries, 4 bytes each, when Streams is nil
}

// DecodeForwardTSN decodes a FORWARD TSN chunk: the value after the new
// cumulative TSN must be a whole number of 4-byte entries. It does not
// allocate.
func DecodeForwardTSN(c Chunk) (ForwardTSN, error) {
	if err := c.check(ChunkForwardTSN, ForwardTSNHeaderLen); err != nil {
		return ForwardTSN{}, err
	}
	if err := forwardTSNLenErr(c, 4); err != nil {
		return ForwardTSN{}, err
	}
	return ForwardTSN{
		NewCumulativeTSN: binary.BigEndian.Uint32(c.b[4:8]),
		raw:              c.b[8:],
	}, nil
}

// forwardTSNLenErr checks that the entries after the new cumulative TSN have
// whole size-byte entries.
func forwardTSNLenErr(c Chunk, size int) error {
	if n := len(c.b) - ForwardTSNHeaderLen; n%size != 0 {
		return parseErr(c.Type().String()+" chunk", c.off, ErrBadLength,
			"length "+strconv.Itoa(len(c.b))+" leaves "+strconv.Itoa(n)+
				" bytes of stream entries, not a multiple of "+strconv.Itoa(size))
	}
	return nil
}

// NumStreams returns the number of stream entries.
func (f *ForwardTSN) NumStreams() int {
	if f.Streams != nil {
		return len(f.Streams)
	}
	return len(f.raw) / 4
}

// Stream returns stream entry i, 0 <= i < NumStreams().
func (f *ForwardTSN) Stream(i int) ForwardTSNStream {
	if f.Streams != nil {
		return f.Streams[i]
	}
	e := f.raw[4*i : 4*i+4]
	return ForwardTSNStream{StreamID: binary.BigEndian.Uint16(e[0:2]), SSN: binary.BigEndian.Uint16(e[2:4])}
}

// ChunkType implements Encoder.
func (f *ForwardTSN) ChunkType() ChunkType { return ChunkForwardTSN }

// EncodedLen implements Encoder.
func (f *ForwardTSN) EncodedLen() int { return ForwardTSNHeaderLen + 4*f.NumStreams() }

// Append implements Encoder. It encodes Streams when it is non-nil and the
// decoded entries otherwise.
func (f *ForwardTSN) Append(b []byte) []byte {
	b = appendChunkHeader(b, ChunkForwardTSN, 0, f.EncodedLen())
	b = binary.BigEndian.AppendUint32(b, f.NewCumulativeTSN)
	if f.Streams == nil {
		return append(b, f.raw...)
	}
	for _, s := range f.Streams {
		b = append(b, byte(s.StreamID>>8), byte(s.StreamID), byte(s.SSN>>8), byte(s.SSN))
	}
	return b
}

// iForwardTSNUnordered is the U bit, the lowest bit of the 16-bit field after
// the stream identifier of an I-FORWARD TSN entry (RFC 8260 §2.3.1).
const iForwardTSNUnordered = 0x0001

// IForwardTSNStream is one entry of an I-FORWARD TSN chunk (RFC 8260
// §2.3.1): the largest MID skipped on the stream, for unordered messages
// when Unordered (the U bit) is set and for ordered ones otherwise.
type IForwardTSNStream struct {
	StreamID  uint16
	Unordered bool
	MID       uint32
}

// IForwardTSN is an I-FORWARD TSN chunk (RFC 8260 §2.3.1). Its entries have
// the same two representations as ForwardTSN's: decoded view read with
// NumStreams/Stream, or the Streams slice for building.
type IForwardTSN struct {
	NewCumulativeTSN uint32
	Streams          []IForwardTSNStream

	raw []byte // decoded entries, 8 bytes each, when Streams is nil
}

// DecodeIForwardTSN decodes an I-FORWARD TSN chunk: the value after the new
// cumulative TSN must be a whole number of 8-byte entries. The reserved bits
// are ignored. It does not allocate.
func DecodeIForwardTSN(c Chunk) (IForwardTSN, error) {
	if err := c.check(ChunkIForwardTSN, ForwardTSNHeaderLen); err != nil {
		return IForwardTSN{}, err
	}
	if err := forwardTSNLenErr(c, 8); err != nil {
		return IForwardTSN{}, err
	}
	return IForwardTSN{
		NewCumulativeTSN: binary.BigEndian.Uint32(c.b[4:8]),
		raw:              c.b[8:],
	}, nil
}

// NumStreams returns the number of stream entries.
func (f *IForwardTSN) NumStreams() int {
	if f.Streams != nil {
		return len(f.Streams)
	}
	return len(f.raw) / 8
}

// Stream returns stream entry i, 0 <= i < NumStreams().
func (f *IForwardTSN) Stream(i int) IForwardTSNStream {
	if f.Streams != nil {
		return f.Streams[i]
	}
	e := f.raw[8*i : 8*i+8]
	return IForwardTSNStream{
		StreamID:  binary.BigEndian.Uint16(e[0:2]),
		Unordered: binary.BigEndian.Uint16(e[2:4])&iForwardTSNUnordered != 0,
		MID:       binary.BigEndian.Uint32(e[4:8]),
	}
}

// ChunkType implements Encoder.
func (f *IForwardTSN) ChunkType() ChunkType { return ChunkIForwardTSN }

// EncodedLen implements Encoder.
func (f *IForwardTSN) EncodedLen() int { return ForwardTSNHeaderLen + 8*f.NumStreams() }

// Append implements Encoder. It encodes Streams when it is non-nil and the
// decoded entries otherwise, with the reserved bits zero in both cases.
func (f *IForwardTSN) Append(b []byte) []byte {
	n := f.NumStreams()
	b = appendChunkHeader(b, ChunkIForwardTSN, 0, ForwardTSNHeaderLen+8*n)
	b = binary.BigEndian.AppendUint32(b, f.NewCumulativeTSN)
	for i := 0; i < n; i++ {
		s := f.Stream(i)
		var u byte
		if s.Unordered {
			u = iForwardTSNUnordered
		}
		b = append(b, byte(s.StreamID>>8), byte(s.StreamID), 0, u)
		b = binary.BigEndian.AppendUint32(b, s.MID)
	}
	return b
}
