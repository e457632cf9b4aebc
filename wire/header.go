package wire

import "encoding/binary"

// HeaderLen is the length of the SCTP common header (RFC 9260 §3.1).
const HeaderLen = 12

// Header is the SCTP common header (RFC 9260 §3.1).
type Header struct {
	SrcPort         uint16
	DstPort         uint16
	VerificationTag uint32
	// Checksum is the checksum field as read from the wire (big-endian), as
	// packet analysers print it. AppendHeader ignores it: FinishPacket fills it.
	Checksum uint32
}

// AppendHeader appends a common header with a zero checksum field to b.
func AppendHeader(b []byte, h Header) []byte {
	b = binary.BigEndian.AppendUint16(b, h.SrcPort)
	b = binary.BigEndian.AppendUint16(b, h.DstPort)
	b = binary.BigEndian.AppendUint32(b, h.VerificationTag)
	return append(b, 0, 0, 0, 0)
}

// FinishPacket completes a packet built with AppendHeader and the chunks'
// Append methods: it fills the CRC32c, or leaves the checksum field zero when
// zeroChecksum is true (RFC 9653 §5.2; only when the peer accepted it).
func FinishPacket(pkt []byte, zeroChecksum bool) []byte {
	if len(pkt) < HeaderLen {
		return pkt
	}
	if zeroChecksum {
		copy(pkt[8:12], zero4[:])
		return pkt
	}
	SetChecksum(pkt)
	return pkt
}

// pad4 rounds n up to a multiple of 4.
func pad4(n int) int { return (n + 3) &^ 3 }

// appendPadding appends the zero bytes that bring a structure of length n to
// a multiple of 4 (RFC 9260 §3.2: at most 3 bytes).
func appendPadding(b []byte, n int) []byte {
	switch n & 3 {
	case 1:
		return append(b, 0, 0, 0)
	case 2:
		return append(b, 0, 0)
	case 3:
		return append(b, 0)
	}
	return b
}
