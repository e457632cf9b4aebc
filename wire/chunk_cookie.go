package wire

// CookieEcho is a COOKIE ECHO chunk (RFC 9260 §3.3.11): the State Cookie
// received in the INIT ACK, returned unchanged. A decoded CookieEcho's Cookie
// points into the packet.
type CookieEcho struct {
	Cookie []byte
}

// DecodeCookieEcho decodes a COOKIE ECHO chunk. An empty cookie is returned
// without error; validating the cookie is the engine's job (RFC 9260 §5.1.5).
func DecodeCookieEcho(c Chunk) (CookieEcho, error) {
	if err := c.check(ChunkCookieEcho, ChunkHeaderLen); err != nil {
		return CookieEcho{}, err
	}
	return CookieEcho{Cookie: c.b[ChunkHeaderLen:]}, nil
}

// ChunkType implements Encoder.
func (e *CookieEcho) ChunkType() ChunkType { return ChunkCookieEcho }

// EncodedLen implements Encoder.
func (e *CookieEcho) EncodedLen() int { return pad4(ChunkHeaderLen + len(e.Cookie)) }

// Append implements Encoder.
func (e *CookieEcho) Append(b []byte) []byte {
	n := ChunkHeaderLen + len(e.Cookie)
	b = appendChunkHeader(b, ChunkCookieEcho, 0, n)
	b = append(b, e.Cookie...)
	return appendPadding(b, n)
}

// CookieAck is a COOKIE ACK chunk (RFC 9260 §3.3.12). It has no value.
type CookieAck struct{}

// DecodeCookieAck decodes a COOKIE ACK chunk, whose length must be exactly 4.
func DecodeCookieAck(c Chunk) (CookieAck, error) {
	return CookieAck{}, checkChunkLen(c, ChunkCookieAck, ChunkHeaderLen)
}

// ChunkType implements Encoder.
func (a *CookieAck) ChunkType() ChunkType { return ChunkCookieAck }

// EncodedLen implements Encoder.
func (a *CookieAck) EncodedLen() int { return ChunkHeaderLen }

// Append implements Encoder.
func (a *CookieAck) Append(b []byte) []byte {
	return appendChunkHeader(b, ChunkCookieAck, 0, ChunkHeaderLen)
}
