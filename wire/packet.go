package wire

import (
	"encoding/binary"
	"strconv"
)

// Packet is a parsed SCTP packet: a view over the caller's bytes. Its chunk
// layout has been checked by ParsePacket, so iterating its chunks cannot fail.
type Packet struct {
	b      []byte
	chunks int
}

// ParsePacket checks the common header and that the chunks tile the packet
// (each at least 4 bytes, lengths inside the packet, padding of at most 3
// bytes) and returns a view over b. It does not verify the checksum (see
// VerifyChecksum) and does not decode chunk values (see the Decode functions).
// An empty packet (a header with no chunk) is valid here; the receiver
// decides what to do with it.
func ParsePacket(b []byte) (Packet, error) {
	if len(b) < HeaderLen {
		return Packet{}, lenErr("common header", 0, len(b), HeaderLen)
	}
	n := 0
	for off := HeaderLen; off < len(b); n++ {
		rest := len(b) - off
		if rest < ChunkHeaderLen {
			if allZero(b[off:]) {
				break // stray padding after the last chunk
			}
			return Packet{}, parseErr("chunk header", off, ErrTooShort,
				strconv.Itoa(rest)+" trailing bytes")
		}
		t := ChunkType(b[off])
		l := int(binary.BigEndian.Uint16(b[off+2:]))
		if l < ChunkHeaderLen {
			return Packet{}, lenErr(t.String()+" chunk", off, l, ChunkHeaderLen)
		}
		if l > rest {
			return Packet{}, parseErr(t.String()+" chunk", off, ErrBadLength,
				"length "+strconv.Itoa(l)+" exceeds the "+strconv.Itoa(rest)+" bytes left")
		}
		off += pad4(l)
	}
	return Packet{b: b, chunks: n}, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// Bytes returns the whole packet.
func (p Packet) Bytes() []byte { return p.b }

// Header returns the common header.
func (p Packet) Header() Header {
	return Header{
		SrcPort:         p.SrcPort(),
		DstPort:         p.DstPort(),
		VerificationTag: p.VerificationTag(),
		Checksum:        binary.BigEndian.Uint32(p.b[8:12]),
	}
}

// SrcPort returns the source port.
func (p Packet) SrcPort() uint16 { return binary.BigEndian.Uint16(p.b[0:2]) }

// DstPort returns the destination port.
func (p Packet) DstPort() uint16 { return binary.BigEndian.Uint16(p.b[2:4]) }

// VerificationTag returns the verification tag.
func (p Packet) VerificationTag() uint32 { return binary.BigEndian.Uint32(p.b[4:8]) }

// NumChunks returns the number of chunks in the packet.
func (p Packet) NumChunks() int { return p.chunks }

// Chunks returns an iterator over the chunks, in order.
func (p Packet) Chunks() ChunkIter { return ChunkIter{b: p.b, off: HeaderLen} }

// FirstChunk returns the first chunk; ok is false for a packet without chunks.
func (p Packet) FirstChunk() (c Chunk, ok bool) {
	it := p.Chunks()
	return it.Next()
}

// ChunkIter walks the chunks of a Packet. The zero value yields nothing.
//
//	for it := pkt.Chunks(); ; {
//		c, ok := it.Next()
//		if !ok { break }
//		…
//	}
type ChunkIter struct {
	b   []byte
	off int
}

// Next returns the next chunk, or ok == false at the end.
func (it *ChunkIter) Next() (c Chunk, ok bool) {
	if it.off+ChunkHeaderLen > len(it.b) {
		return Chunk{}, false
	}
	l := int(binary.BigEndian.Uint16(it.b[it.off+2:]))
	if l < ChunkHeaderLen || it.off+l > len(it.b) {
		return Chunk{}, false // cannot happen after ParsePacket
	}
	c = Chunk{b: it.b[it.off : it.off+l], off: it.off}
	it.off += pad4(l)
	return c, true
}

// Rest returns the bytes from the start of the chunk that Next would return
// next (used to report "all further chunks" of §3.2).
func (it *ChunkIter) Rest() []byte {
	if it.off >= len(it.b) {
		return nil
	}
	return it.b[it.off:]
}
