package wire

import "encoding/binary"

// AuthHeaderLen is the length of an AUTH chunk without its HMAC.
const AuthHeaderLen = 8

// AuthHMACOffset is where the HMAC starts, counted from the first byte of the
// AUTH chunk. The HMAC is computed over the AUTH chunk with its HMAC field
// zeroed followed by all the chunks after it (RFC 4895 §6.2): zero
// pkt[off+AuthHMACOffset : off+AuthHMACOffset+len(HMAC)], where off is the
// chunk's offset in the packet (Chunk.Offset), compute, then write it there.
const AuthHMACOffset = AuthHeaderLen

// Auth is an AUTH chunk (RFC 4895 §5.1; chunk.go's ChunkAuth comment says
// §4.1, which is the error cause). A decoded Auth's HMAC points into the
// packet.
type Auth struct {
	SharedKeyID uint16 // Shared Key Identifier
	HMACID      uint16 // HMAC Identifier (RFC 4895 §3.3: 1 SHA-1, 3 SHA-256)
	HMAC        []byte
}

// DecodeAuth decodes an AUTH chunk. The HMAC length is not checked against
// the HMAC identifier: that is the engine's job. The flags are ignored.
func DecodeAuth(c Chunk) (Auth, error) {
	if err := c.check(ChunkAuth, AuthHeaderLen); err != nil {
		return Auth{}, err
	}
	return Auth{
		SharedKeyID: binary.BigEndian.Uint16(c.b[4:6]),
		HMACID:      binary.BigEndian.Uint16(c.b[6:8]),
		HMAC:        c.b[AuthHMACOffset:],
	}, nil
}

// ChunkType implements Encoder.
func (a *Auth) ChunkType() ChunkType { return ChunkAuth }

// EncodedLen implements Encoder.
func (a *Auth) EncodedLen() int { return pad4(AuthHeaderLen + len(a.HMAC)) }

// Append implements Encoder. To send an authenticated packet, append an Auth
// whose HMAC is zero bytes of the right length, append the chunks to
// authenticate, then compute the HMAC and write it at AuthHMACOffset.
func (a *Auth) Append(b []byte) []byte {
	n := AuthHeaderLen + len(a.HMAC)
	b = appendChunkHeader(b, ChunkAuth, 0, n)
	b = binary.BigEndian.AppendUint16(b, a.SharedKeyID)
	b = binary.BigEndian.AppendUint16(b, a.HMACID)
	b = append(b, a.HMAC...)
	return appendPadding(b, n)
}
