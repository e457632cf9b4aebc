package wire

// MaxPadLen is the largest padding data a PAD chunk can carry: the 16-bit
// chunk length minus the chunk header.
const MaxPadLen = 0xFFFF - ChunkHeaderLen

// Pad is a PAD chunk (RFC 4820 §3), used to enlarge a packet (for example
// for path MTU probing). Len is the length of the Padding Data: the decoder
// sets it and ignores the contents, and Append writes Len zero bytes (Len is
// taken as 0 when negative and as MaxPadLen when larger).
type Pad struct {
	Len int
}

// DecodePad decodes a PAD chunk. The flags are ignored (RFC 4820 §3).
func DecodePad(c Chunk) (Pad, error) {
	if err := c.check(ChunkPad, ChunkHeaderLen); err != nil {
		return Pad{}, err
	}
	return Pad{Len: len(c.b) - ChunkHeaderLen}, nil
}

func (p *Pad) dataLen() int { return min(max(p.Len, 0), MaxPadLen) }

// ChunkType implements Encoder.
func (p *Pad) ChunkType() ChunkType { return ChunkPad }

// EncodedLen implements Encoder.
func (p *Pad) EncodedLen() int { return pad4(ChunkHeaderLen + p.dataLen()) }

// Append implements Encoder.
func (p *Pad) Append(b []byte) []byte {
	n := ChunkHeaderLen + p.dataLen()
	b = appendChunkHeader(b, ChunkPad, 0, n)
	b = append(b, make([]byte, pad4(n)-ChunkHeaderLen)...)
	return b
}
