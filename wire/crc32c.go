package wire

import (
	"encoding/binary"
	"hash/crc32"
)

// castagnoli is read-only after package initialisation; hash/crc32 uses the
// SSE4.2/ARMv8 CRC32C instructions for it when the CPU has them.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var zero4 [4]byte

// Checksum returns the CRC32c of an SCTP packet computed with its checksum
// field taken as zero (RFC 9260 §6.8 and Appendix A). pkt must hold at least
// the 12-byte common header; shorter input returns 0.
func Checksum(pkt []byte) uint32 {
	if len(pkt) < HeaderLen {
		return 0
	}
	c := crc32.Update(0, castagnoli, pkt[:8])
	c = crc32.Update(c, castagnoli, zero4[:])
	return crc32.Update(c, castagnoli, pkt[12:])
}

// SetChecksum fills the checksum field of pkt with its CRC32c. The CRC is
// stored in the byte order RFC 9260 Appendix A prescribes (least significant
// byte first, as every implementation writes it).
func SetChecksum(pkt []byte) {
	if len(pkt) < HeaderLen {
		return
	}
	binary.LittleEndian.PutUint32(pkt[8:12], Checksum(pkt))
}

// VerifyChecksum checks the CRC32c of pkt. When allowZero is true, a checksum
// field of zero is also accepted (RFC 9653 §5.3: the peer agreed to zero
// checksums, typically because DTLS protects the packets); a correct CRC32c is
// always accepted.
func VerifyChecksum(pkt []byte, allowZero bool) error {
	if len(pkt) < HeaderLen {
		return lenErr("common header", 0, len(pkt), HeaderLen)
	}
	got := binary.LittleEndian.Uint32(pkt[8:12])
	if allowZero && got == 0 {
		return nil
	}
	if want := Checksum(pkt); got != want {
		return &ParseError{What: "common header", Offset: 8, Err: ErrBadChecksum,
			Detail: "checksum 0x" + hex32(got) + ", computed 0x" + hex32(want)}
	}
	return nil
}

func hex32(v uint32) string {
	const digits = "0123456789abcdef"
	var b [8]byte
	for i := 7; i >= 0; i-- {
		b[i] = digits[v&0xf]
		v >>= 4
	}
	return string(b[:])
}
