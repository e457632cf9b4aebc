package wire

import (
	"encoding/binary"
	"strconv"
)

// RandomParam is the Random parameter (RFC 4895 §3.1), part of the key
// material of SCTP-AUTH. RFC 4895 asks for a 32-byte random number; the
// decoder accepts any length and leaves that rule to the engine.
type RandomParam struct {
	Random []byte // decoded, a view into the packet
}

// DecodeRandomParam decodes a Random parameter.
func DecodeRandomParam(p Param) (RandomParam, error) {
	if err := p.check(ParamRandom, ParamHeaderLen); err != nil {
		return RandomParam{}, err
	}
	return RandomParam{Random: p.b[ParamHeaderLen:]}, nil
}

// ParamType returns ParamRandom.
func (r RandomParam) ParamType() ParamType { return ParamRandom }

// EncodedLen returns the padded length of the parameter.
func (r RandomParam) EncodedLen() int { return pad4(ParamHeaderLen + len(r.Random)) }

// Append appends the parameter, padded.
func (r RandomParam) Append(b []byte) []byte { return appendTLV(b, uint16(ParamRandom), r.Random) }

// ChunkListParam is the Chunk List parameter (RFC 4895 §3.2): the chunk
// types the sender wants to receive authenticated, one byte each. The RFC
// caps it at 260 bytes and has the receiver ignore INIT, INIT ACK, SHUTDOWN
// COMPLETE and AUTH in it; both rules are left to the engine.
type ChunkListParam struct {
	ChunkTypes []byte // decoded, a view into the packet
}

// DecodeChunkListParam decodes a Chunk List parameter.
func DecodeChunkListParam(p Param) (ChunkListParam, error) {
	if err := p.check(ParamChunkList, ParamHeaderLen); err != nil {
		return ChunkListParam{}, err
	}
	return ChunkListParam{ChunkTypes: p.b[ParamHeaderLen:]}, nil
}

// Has reports whether chunk type t is listed.
func (c ChunkListParam) Has(t ChunkType) bool { return iniHasChunk(c.ChunkTypes, t) }

// ParamType returns ParamChunkList.
func (c ChunkListParam) ParamType() ParamType { return ParamChunkList }

// EncodedLen returns the padded length of the parameter.
func (c ChunkListParam) EncodedLen() int { return pad4(ParamHeaderLen + len(c.ChunkTypes)) }

// Append appends the parameter, padded.
func (c ChunkListParam) Append(b []byte) []byte {
	return appendTLV(b, uint16(ParamChunkList), c.ChunkTypes)
}

// RequestedHMACAlgorithmParam is the Requested HMAC Algorithm parameter
// (RFC 4895 §3.3): the HMAC identifiers the peer may use, most preferred
// first (1 is SHA-1, 3 is SHA-256).
type RequestedHMACAlgorithmParam struct {
	// HMACIDs is the list to encode. Decoding leaves it nil and keeps a
	// view of the list instead: read it with NumIDs and ID, which work for
	// both and do not allocate.
	HMACIDs []uint16
	raw     []byte // decoded list, two bytes per identifier
}

// DecodeRequestedHMACAlgorithmParam decodes a Requested HMAC Algorithm
// parameter; its value must be a whole number of 2-byte identifiers.
func DecodeRequestedHMACAlgorithmParam(p Param) (RequestedHMACAlgorithmParam, error) {
	if err := p.check(ParamRequestedHMACAlgorithm, ParamHeaderLen); err != nil {
		return RequestedHMACAlgorithmParam{}, err
	}
	v := p.b[ParamHeaderLen:]
	if len(v)%2 != 0 {
		return RequestedHMACAlgorithmParam{}, parseErr(ParamRequestedHMACAlgorithm.String()+" parameter",
			p.off, ErrBadLength, "length "+strconv.Itoa(len(p.b))+" is not 4 plus a multiple of 2")
	}
	return RequestedHMACAlgorithmParam{raw: v}, nil
}

// NumIDs returns the number of HMAC identifiers listed.
func (h RequestedHMACAlgorithmParam) NumIDs() int {
	if h.HMACIDs != nil {
		return len(h.HMACIDs)
	}
	return len(h.raw) / 2
}

// ID returns the i-th HMAC identifier (0 <= i < NumIDs()), or 0 (reserved)
// when i is out of range.
func (h RequestedHMACAlgorithmParam) ID(i int) uint16 {
	if h.HMACIDs != nil {
		if i < 0 || i >= len(h.HMACIDs) {
			return 0
		}
		return h.HMACIDs[i]
	}
	if i < 0 || 2*i+2 > len(h.raw) {
		return 0
	}
	return binary.BigEndian.Uint16(h.raw[2*i:])
}

// Has reports whether HMAC identifier id is listed.
func (h RequestedHMACAlgorithmParam) Has(id uint16) bool {
	for i, n := 0, h.NumIDs(); i < n; i++ {
		if h.ID(i) == id {
			return true
		}
	}
	return false
}

// ParamType returns ParamRequestedHMACAlgorithm.
func (h RequestedHMACAlgorithmParam) ParamType() ParamType { return ParamRequestedHMACAlgorithm }

// EncodedLen returns the padded length of the parameter.
func (h RequestedHMACAlgorithmParam) EncodedLen() int { return pad4(ParamHeaderLen + 2*h.NumIDs()) }

// Append appends the parameter, padded: HMACIDs if set, else the decoded list.
func (h RequestedHMACAlgorithmParam) Append(b []byte) []byte {
	n := ParamHeaderLen + 2*h.NumIDs()
	b = iniAppendParamHeader(b, ParamRequestedHMACAlgorithm, n)
	if h.HMACIDs != nil {
		for _, id := range h.HMACIDs {
			b = binary.BigEndian.AppendUint16(b, id)
		}
	} else {
		b = append(b, h.raw...)
	}
	return appendPadding(b, n)
}
