package wire

import (
	"encoding/binary"
	"strconv"
)

// FlagT is the T bit of SHUTDOWN COMPLETE and ABORT chunks (RFC 9260
// §3.3.7, §3.3.13): set when the sender reflected the peer's verification
// tag instead of using its own.
const FlagT uint8 = 0x01

// ShutdownLen is the length of a SHUTDOWN chunk (RFC 9260 §3.3.8).
const ShutdownLen = 8

// checkChunkLen validates the type and an exact length of a fixed-size chunk.
func checkChunkLen(c Chunk, t ChunkType, n int) error {
	if err := c.check(t, n); err != nil {
		return err
	}
	if len(c.b) != n {
		return parseErr(t.String()+" chunk", c.off, ErrBadLength,
			"length "+strconv.Itoa(len(c.b))+", want "+strconv.Itoa(n))
	}
	return nil
}

// Shutdown is a SHUTDOWN chunk (RFC 9260 §3.3.8).
type Shutdown struct {
	CumulativeTSNAck uint32
}

// DecodeShutdown decodes a SHUTDOWN chunk, whose length must be exactly 8.
func DecodeShutdown(c Chunk) (Shutdown, error) {
	if err := checkChunkLen(c, ChunkShutdown, ShutdownLen); err != nil {
		return Shutdown{}, err
	}
	return Shutdown{CumulativeTSNAck: binary.BigEndian.Uint32(c.b[4:8])}, nil
}

// ChunkType implements Encoder.
func (s *Shutdown) ChunkType() ChunkType { return ChunkShutdown }

// EncodedLen implements Encoder.
func (s *Shutdown) EncodedLen() int { return ShutdownLen }

// Append implements Encoder.
func (s *Shutdown) Append(b []byte) []byte {
	b = appendChunkHeader(b, ChunkShutdown, 0, ShutdownLen)
	return binary.BigEndian.AppendUint32(b, s.CumulativeTSNAck)
}

// ShutdownAck is a SHUTDOWN ACK chunk (RFC 9260 §3.3.9). It has no value.
type ShutdownAck struct{}

// DecodeShutdownAck decodes a SHUTDOWN ACK chunk, whose length must be
// exactly 4.
func DecodeShutdownAck(c Chunk) (ShutdownAck, error) {
	return ShutdownAck{}, checkChunkLen(c, ChunkShutdownAck, ChunkHeaderLen)
}

// ChunkType implements Encoder.
func (s *ShutdownAck) ChunkType() ChunkType { return ChunkShutdownAck }

// EncodedLen implements Encoder.
func (s *ShutdownAck) EncodedLen() int { return ChunkHeaderLen }

// Append implements Encoder.
func (s *ShutdownAck) Append(b []byte) []byte {
	return appendChunkHeader(b, ChunkShutdownAck, 0, ChunkHeaderLen)
}

// ShutdownComplete is a SHUTDOWN COMPLETE chunk (RFC 9260 §3.3.13). It has
// no value; TagReflected is its T bit (FlagT).
type ShutdownComplete struct {
	TagReflected bool // T bit: the verification tag is the peer's, reflected
}

// DecodeShutdownComplete decodes a SHUTDOWN COMPLETE chunk, whose length
// must be exactly 4. Flags other than T are ignored.
func DecodeShutdownComplete(c Chunk) (ShutdownComplete, error) {
	if err := checkChunkLen(c, ChunkShutdownComplete, ChunkHeaderLen); err != nil {
		return ShutdownComplete{}, err
	}
	return ShutdownComplete{TagReflected: c.b[1]&FlagT != 0}, nil
}

// Flags returns the chunk flags byte for s.
func (s *ShutdownComplete) Flags() uint8 {
	if s.TagReflected {
		return FlagT
	}
	return 0
}

// ChunkType implements Encoder.
func (s *ShutdownComplete) ChunkType() ChunkType { return ChunkShutdownComplete }

// EncodedLen implements Encoder.
func (s *ShutdownComplete) EncodedLen() int { return ChunkHeaderLen }

// Append implements Encoder.
func (s *ShutdownComplete) Append(b []byte) []byte {
	return appendChunkHeader(b, ChunkShutdownComplete, s.Flags(), ChunkHeaderLen)
}
