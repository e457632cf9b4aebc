package wire

import "strconv"

// Reconfig is a RE-CONFIG chunk (RFC 6525 §3.1): one or two
// re-configuration parameters (RFC 6525 §4).
//
// Params is the parameter list, each padded (build it with the parameters'
// Append methods); a decoded Reconfig's Params views the packet. Walk it
// with ParamIter and decode each parameter with its DecodeXxx function.
type Reconfig struct {
	Params []byte
	off    int // offset of the chunk in its packet, for ParamIter
}

// ReconfigMinLen is the minimum length of a RE-CONFIG chunk: the header and
// one parameter header.
const ReconfigMinLen = ChunkHeaderLen + ParamHeaderLen

// DecodeReconfig decodes a RE-CONFIG chunk. It checks the layout of the
// parameter list and that it holds one or two parameters (ErrMalformed
// otherwise), not which parameters: see ValidCombination.
func DecodeReconfig(c Chunk) (Reconfig, error) {
	if err := c.check(ChunkReconfig, ReconfigMinLen); err != nil {
		return Reconfig{}, err
	}
	v := c.b[ChunkHeaderLen:]
	it := ParamIter{b: v, base: c.off + ChunkHeaderLen, what: "RE-CONFIG chunk parameter"}
	n := 0
	for {
		if _, ok := it.Next(); !ok {
			break
		}
		n++
	}
	if err := it.Err(); err != nil {
		return Reconfig{}, err
	}
	if n < 1 || n > 2 {
		return Reconfig{}, parseErr("RE-CONFIG chunk", c.off, ErrMalformed,
			strconv.Itoa(n)+" parameters, want 1 or 2")
	}
	return Reconfig{Params: v, off: c.off}, nil
}

// ParamIter returns an iterator over the parameters. For a decoded chunk the
// parameters' offsets are offsets in the packet; for a built one they are
// offsets in the chunk.
func (r *Reconfig) ParamIter() ParamIter { return Params(r.Params, r.off+ChunkHeaderLen) }

// ValidCombination reports whether the parameters are one of the ten
// combinations RFC 6525 §3.1 allows (in either order): Outgoing SSN Reset
// Request and/or Incoming SSN Reset Request; SSN/TSN Reset Request; Add
// Outgoing Streams and/or Add Incoming Streams; Re-configuration Response
// alone, with an Outgoing SSN Reset Request, or with a second Response. For
// any other list the receiver SHOULD send an ERROR chunk with a Protocol
// Violation cause.
func (r *Reconfig) ValidCombination() bool {
	var t [2]ParamType
	n := 0
	it := Params(r.Params, 0)
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if n == 2 {
			return false
		}
		t[n] = p.Type()
		n++
	}
	if it.Err() != nil {
		return false
	}
	switch n {
	case 1:
		switch t[0] {
		case ParamOutgoingSSNResetRequest, ParamIncomingSSNResetRequest, ParamSSNTSNResetRequest,
			ParamAddOutgoingStreams, ParamAddIncomingStreams, ParamReconfigResponse:
			return true
		}
	case 2:
		pair := func(a, b ParamType) bool { return t[0] == a && t[1] == b || t[0] == b && t[1] == a }
		return pair(ParamOutgoingSSNResetRequest, ParamIncomingSSNResetRequest) ||
			pair(ParamAddOutgoingStreams, ParamAddIncomingStreams) ||
			pair(ParamReconfigResponse, ParamOutgoingSSNResetRequest) ||
			pair(ParamReconfigResponse, ParamReconfigResponse)
	}
	return false
}

// ChunkType implements Encoder.
func (r *Reconfig) ChunkType() ChunkType { return ChunkReconfig }

// EncodedLen implements Encoder.
func (r *Reconfig) EncodedLen() int { return pad4(ChunkHeaderLen + tlvListLen(r.Params)) }

// Append implements Encoder. The Length field excludes the padding of the
// last parameter (RFC 9260 §3.2).
func (r *Reconfig) Append(b []byte) []byte {
	return appendTLVListChunk(b, ChunkReconfig, 0, r.Params)
}
