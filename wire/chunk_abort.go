package wire

// Abort is an ABORT chunk (RFC 9260 §3.3.7): the T flag and zero or more
// error causes.
//
// Causes is the list of error causes, each padded (build it with the causes'
// Append methods or AppendCause); a decoded Abort's Causes views the packet.
// Walk it with CauseIter and decode each cause with its DecodeXxx function.
type Abort struct {
	// TagReflected is the T bit: the Verification Tag of the packet is the
	// one received, not the peer's (RFC 9260 §3.3.7, §8.5.1).
	TagReflected bool
	Causes       []byte
	off          int // offset of the chunk in its packet, for CauseIter
}

// DecodeAbort decodes an ABORT chunk and checks the layout of its error
// cause list (not the contents of each cause).
func DecodeAbort(c Chunk) (Abort, error) {
	if err := c.check(ChunkAbort, ChunkHeaderLen); err != nil {
		return Abort{}, err
	}
	v := c.b[ChunkHeaderLen:]
	if err := validateTLVList(v, c.off+ChunkHeaderLen, "ABORT chunk error cause"); err != nil {
		return Abort{}, err
	}
	return Abort{TagReflected: c.b[1]&FlagT != 0, Causes: v, off: c.off}, nil
}

// CauseIter returns an iterator over the error causes. For a decoded chunk
// the causes' offsets are offsets in the packet; for a built one they are
// offsets in the chunk.
func (a *Abort) CauseIter() CauseIter { return Causes(a.Causes, a.off+ChunkHeaderLen) }

// Flags returns the chunk flags byte for a.
func (a *Abort) Flags() uint8 {
	if a.TagReflected {
		return FlagT
	}
	return 0
}

// ChunkType implements Encoder.
func (a *Abort) ChunkType() ChunkType { return ChunkAbort }

// EncodedLen implements Encoder.
func (a *Abort) EncodedLen() int { return pad4(ChunkHeaderLen + tlvListLen(a.Causes)) }

// Append implements Encoder. The Length field excludes the padding of the
// last cause (RFC 9260 §3.2).
func (a *Abort) Append(b []byte) []byte {
	return appendTLVListChunk(b, ChunkAbort, a.Flags(), a.Causes)
}

// ErrorChunk is an ERROR chunk (RFC 9260 §3.3.10): one or more error causes.
//
// Causes is the list of error causes, each padded; a decoded ErrorChunk's
// Causes views the packet. Walk it with CauseIter.
type ErrorChunk struct {
	Causes []byte
	off    int // offset of the chunk in its packet, for CauseIter
}

// DecodeErrorChunk decodes an ERROR chunk and checks the layout of its error
// cause list (not the contents of each cause). RFC 9260 §3.3.10 says the
// chunk holds one or more causes, but an ERROR chunk without causes (length
// 4) is accepted: it carries nothing to act on, and the receiver decides
// whether to ignore it.
func DecodeErrorChunk(c Chunk) (ErrorChunk, error) {
	if err := c.check(ChunkError, ChunkHeaderLen); err != nil {
		return ErrorChunk{}, err
	}
	v := c.b[ChunkHeaderLen:]
	if err := validateTLVList(v, c.off+ChunkHeaderLen, "ERROR chunk error cause"); err != nil {
		return ErrorChunk{}, err
	}
	return ErrorChunk{Causes: v, off: c.off}, nil
}

// CauseIter returns an iterator over the error causes. For a decoded chunk
// the causes' offsets are offsets in the packet; for a built one they are
// offsets in the chunk.
func (e *ErrorChunk) CauseIter() CauseIter { return Causes(e.Causes, e.off+ChunkHeaderLen) }

// ChunkType implements Encoder.
func (e *ErrorChunk) ChunkType() ChunkType { return ChunkError }

// EncodedLen implements Encoder.
func (e *ErrorChunk) EncodedLen() int { return pad4(ChunkHeaderLen + tlvListLen(e.Causes)) }

// Append implements Encoder. The Length field excludes the padding of the
// last cause (RFC 9260 §3.2).
func (e *ErrorChunk) Append(b []byte) []byte {
	return appendTLVListChunk(b, ChunkError, 0, e.Causes)
}

// validateTLVList checks that v (at offset base in the packet) is a
// well-formed list of TLVs (error causes or parameters); what names them in
// errors.
func validateTLVList(v []byte, base int, what string) error {
	it := ParamIter{b: v, base: base, what: what}
	for {
		if _, ok := it.Next(); !ok {
			return it.Err()
		}
	}
}

// appendTLVListChunk appends a chunk whose value is the TLV list v, with a
// Length that excludes the padding of the last TLV.
func appendTLVListChunk(b []byte, t ChunkType, flags uint8, v []byte) []byte {
	l := tlvListLen(v)
	b = appendChunkHeader(b, t, flags, ChunkHeaderLen+l)
	b = append(b, v[:l]...)
	return appendPadding(b, ChunkHeaderLen+l)
}
