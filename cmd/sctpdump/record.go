package main

import (
	"encoding/binary"

	"github.com/sconnlab/sconn/wire"
	"github.com/sconnlab/sconn/wire/pcap"
)

// record is one SCTP packet read from a capture, decoded once for both
// output formats and for -check.
type record struct {
	file string
	pcap.Packet

	// chunks are the chunks of the packet: all of them when layoutErr is
	// nil, otherwise those before the one that broke the layout.
	chunks []wire.Chunk
	// layoutErr is ParsePacket's error (a short header, a chunk length
	// that runs past the end, …).
	layoutErr error
	// err is the first error of the whole packet: layoutErr, or the first
	// chunk, parameter or cause that does not decode (wire.ValidatePacket).
	err error
	// checksum is the checksum field as it is on the wire (CRC32c bytes in
	// the order RFC 9260 Appendix B stores them, read little-endian).
	checksum   uint32
	checksumOK bool
	// zeroChecksum reports a checksum field of zero that is not the
	// CRC32c: an RFC 9653 zero checksum, valid if the association
	// negotiated it.
	zeroChecksum bool
	checksumErr  error
}

// hasHeader reports whether the packet holds a whole common header.
func (r *record) hasHeader() bool { return len(r.Data) >= wire.HeaderLen }

// decode fills in everything but file and Packet, reusing r.chunks.
func (r *record) decode() {
	r.chunks = r.chunks[:0]
	r.layoutErr, r.err, r.checksumErr = nil, nil, nil
	r.checksum, r.checksumOK, r.zeroChecksum = 0, false, false

	b := r.Data
	if len(b) >= wire.HeaderLen {
		r.checksum = binary.LittleEndian.Uint32(b[8:12])
		r.checksumErr = wire.VerifyChecksum(b, false)
		r.checksumOK = r.checksumErr == nil
		r.zeroChecksum = !r.checksumOK && r.checksum == 0
	}
	p, err := wire.ParsePacket(b)
	if err != nil {
		r.layoutErr, r.err = err, err
		r.chunks = walkChunks(b, r.chunks)
		return
	}
	for it := p.Chunks(); ; {
		c, ok := it.Next()
		if !ok {
			break
		}
		r.chunks = append(r.chunks, c)
	}
	r.err = wire.ValidatePacket(p)
}

// walkChunks appends to dst the chunks of a packet that ParsePacket
// rejected, up to the first one whose header or length is wrong.
func walkChunks(b []byte, dst []wire.Chunk) []wire.Chunk {
	for off := wire.HeaderLen; off < len(b); {
		c, err := wire.ChunkAt(b[off:], off)
		if err != nil {
			break
		}
		dst = append(dst, c)
		off += (c.Length() + 3) &^ 3
	}
	return dst
}
