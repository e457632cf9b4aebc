package wire

import (
	"encoding/binary"
	"strconv"
)

// ChunkHeaderLen is the length of a chunk header: type, flags, length (RFC 9260 §3.2).
const ChunkHeaderLen = 4

// ChunkType is the type of a chunk (RFC 9260 §3.2 and the IANA registry).
type ChunkType uint8

// Chunk types.
const (
	ChunkData             ChunkType = 0   // RFC 9260 §3.3.1
	ChunkInit             ChunkType = 1   // RFC 9260 §3.3.2
	ChunkInitAck          ChunkType = 2   // RFC 9260 §3.3.3
	ChunkSack             ChunkType = 3   // RFC 9260 §3.3.4
	ChunkHeartbeat        ChunkType = 4   // RFC 9260 §3.3.5
	ChunkHeartbeatAck     ChunkType = 5   // RFC 9260 §3.3.6
	ChunkAbort            ChunkType = 6   // RFC 9260 §3.3.7
	ChunkShutdown         ChunkType = 7   // RFC 9260 §3.3.8
	ChunkShutdownAck      ChunkType = 8   // RFC 9260 §3.3.9
	ChunkError            ChunkType = 9   // RFC 9260 §3.3.10
	ChunkCookieEcho       ChunkType = 10  // RFC 9260 §3.3.11
	ChunkCookieAck        ChunkType = 11  // RFC 9260 §3.3.12
	ChunkECNE             ChunkType = 12  // RFC 9260 Appendix A
	ChunkCWR              ChunkType = 13  // RFC 9260 Appendix A
	ChunkShutdownComplete ChunkType = 14  // RFC 9260 §3.3.13
	ChunkAuth             ChunkType = 15  // RFC 4895 §5.1
	ChunkNRSack           ChunkType = 16  // draft-tuexen-tsvwg-sctp-multipath / usrsctp NR-SACK
	ChunkIData            ChunkType = 64  // RFC 8260 §2.1
	ChunkAsconfAck        ChunkType = 128 // RFC 5061 §4.1.2
	ChunkReconfig         ChunkType = 130 // RFC 6525 §3.1
	ChunkPad              ChunkType = 132 // RFC 4820 §3
	ChunkForwardTSN       ChunkType = 192 // RFC 3758 §3.2
	ChunkAsconf           ChunkType = 193 // RFC 5061 §4.1.1
	ChunkIForwardTSN      ChunkType = 194 // RFC 8260 §2.3.1
)

var chunkNames = [256]string{
	ChunkData:             "DATA",
	ChunkInit:             "INIT",
	ChunkInitAck:          "INIT ACK",
	ChunkSack:             "SACK",
	ChunkHeartbeat:        "HEARTBEAT",
	ChunkHeartbeatAck:     "HEARTBEAT ACK",
	ChunkAbort:            "ABORT",
	ChunkShutdown:         "SHUTDOWN",
	ChunkShutdownAck:      "SHUTDOWN ACK",
	ChunkError:            "ERROR",
	ChunkCookieEcho:       "COOKIE ECHO",
	ChunkCookieAck:        "COOKIE ACK",
	ChunkECNE:             "ECNE",
	ChunkCWR:              "CWR",
	ChunkShutdownComplete: "SHUTDOWN COMPLETE",
	ChunkAuth:             "AUTH",
	ChunkNRSack:           "NR-SACK",
	ChunkIData:            "I-DATA",
	ChunkAsconfAck:        "ASCONF ACK",
	ChunkReconfig:         "RE-CONFIG",
	ChunkPad:              "PAD",
	ChunkForwardTSN:       "FORWARD TSN",
	ChunkAsconf:           "ASCONF",
	ChunkIForwardTSN:      "I-FORWARD TSN",
}

// String returns the RFC name of the chunk type, or "chunk 0xNN" for a type
// this package does not know.
func (t ChunkType) String() string {
	if s := chunkNames[t]; s != "" {
		return s
	}
	return "chunk 0x" + strconv.FormatUint(uint64(t), 16)
}

// Known reports whether this package decodes the chunk type.
func (t ChunkType) Known() bool { return chunkNames[t] != "" }

// Action is what a receiver does with an unrecognized chunk or parameter,
// given by the two highest bits of its type (RFC 9260 §3.2 and §3.2.1).
type Action uint8

// Actions, in the order of the bit patterns 00, 01, 10, 11.
const (
	// ActionStop: stop processing the packet (or the parameters), discard it.
	ActionStop Action = iota
	// ActionStopReport: stop, discard, and report it in an ERROR chunk (or INIT ACK).
	ActionStopReport
	// ActionSkip: skip it and continue processing.
	ActionSkip
	// ActionSkipReport: skip it, continue, and report it.
	ActionSkipReport
)

// Stop reports whether the rest of the packet (or parameter list) is discarded.
func (a Action) Stop() bool { return a == ActionStop || a == ActionStopReport }

// Report reports whether the unrecognized item is reported to the peer.
func (a Action) Report() bool { return a == ActionStopReport || a == ActionSkipReport }

func (a Action) String() string {
	return [...]string{"stop", "stop and report", "skip", "skip and report"}[a&3]
}

// Action returns what to do with this chunk type when it is not recognized
// (RFC 9260 §3.2).
func (t ChunkType) Action() Action { return Action(t >> 6) }

// Chunk is one chunk of a parsed packet: a view over its bytes, without the
// padding. Its zero value is not a chunk.
type Chunk struct {
	b   []byte // type, flags, length, value; len(b) == Length()
	off int    // offset in the packet
}

// ChunkAt returns a view of the chunk at the start of b, which must hold a
// chunk whose length field fits in b; off is recorded as the chunk's offset
// for error messages. It is for callers that hold chunk bytes outside a
// packet (for example a chunk quoted in an error cause).
func ChunkAt(b []byte, off int) (Chunk, error) {
	if len(b) < ChunkHeaderLen {
		return Chunk{}, lenErr("chunk header", off, len(b), ChunkHeaderLen)
	}
	l := int(binary.BigEndian.Uint16(b[2:]))
	if l < ChunkHeaderLen || l > len(b) {
		return Chunk{}, parseErr(ChunkType(b[0]).String()+" chunk", off, ErrBadLength,
			"length "+strconv.Itoa(l)+" with "+strconv.Itoa(len(b))+" bytes available")
	}
	return Chunk{b: b[:l], off: off}, nil
}

// Type returns the chunk type.
func (c Chunk) Type() ChunkType { return ChunkType(c.b[0]) }

// Flags returns the chunk flags byte.
func (c Chunk) Flags() uint8 { return c.b[1] }

// Length returns the chunk length field (header and value, no padding).
func (c Chunk) Length() int { return len(c.b) }

// Value returns the chunk value (after the 4-byte header, no padding).
func (c Chunk) Value() []byte { return c.b[ChunkHeaderLen:] }

// Bytes returns the whole chunk without its padding.
func (c Chunk) Bytes() []byte { return c.b }

// Offset returns the chunk's offset in its packet.
func (c Chunk) Offset() int { return c.off }

// IsZero reports whether c is the zero Chunk.
func (c Chunk) IsZero() bool { return c.b == nil }

// check validates the type and the minimum length of a chunk for a typed decoder.
func (c Chunk) check(t ChunkType, min int) error {
	if c.b == nil {
		return parseErr(t.String()+" chunk", 0, ErrTooShort, "empty chunk")
	}
	if c.Type() != t {
		return parseErr(t.String()+" chunk", c.off, ErrWrongType, "got "+c.Type().String())
	}
	if len(c.b) < min {
		return lenErr(t.String()+" chunk", c.off, len(c.b), min)
	}
	return nil
}

// appendChunkHeader appends a chunk header.
func appendChunkHeader(b []byte, t ChunkType, flags uint8, length int) []byte {
	return append(b, byte(t), flags, byte(length>>8), byte(length))
}

// Encoder is implemented by every typed chunk: it can report its encoded
// length and append itself to a packet.
type Encoder interface {
	// ChunkType returns the type of the chunk.
	ChunkType() ChunkType
	// EncodedLen returns the number of bytes Append adds, padding included.
	EncodedLen() int
	// Append appends the chunk with its padding to b.
	Append(b []byte) []byte
}

// RawChunk is a chunk kept as bytes: a chunk type this package does not
// decode (RFC 9260 §3.2) or one to send as is. Value excludes header and
// padding.
type RawChunk struct {
	Type  ChunkType
	Flags uint8
	Value []byte
}

// DecodeRaw returns any chunk as a RawChunk viewing the same bytes.
func DecodeRaw(c Chunk) RawChunk {
	if c.b == nil {
		return RawChunk{}
	}
	return RawChunk{Type: c.Type(), Flags: c.Flags(), Value: c.Value()}
}

// ChunkType implements Encoder.
func (r *RawChunk) ChunkType() ChunkType { return r.Type }

// EncodedLen implements Encoder.
func (r *RawChunk) EncodedLen() int { return pad4(ChunkHeaderLen + len(r.Value)) }

// Append implements Encoder.
func (r *RawChunk) Append(b []byte) []byte {
	n := ChunkHeaderLen + len(r.Value)
	b = appendChunkHeader(b, r.Type, r.Flags, n)
	b = append(b, r.Value...)
	return appendPadding(b, n)
}
