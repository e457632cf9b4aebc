package wire

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

// Minimum lengths of ASCONF (with an IPv4 Address Parameter) and ASCONF ACK
// chunks (RFC 5061 §4.1.1, §4.1.2).
const (
	AsconfMinLen    = 16
	AsconfAckMinLen = 8
)

// Asconf is an ASCONF chunk (RFC 5061 §4.1.1). RFC 5061 requires it to be
// sent authenticated (RFC 4895); checking that is the engine's job.
type Asconf struct {
	SequenceNumber uint32
	// Address is the mandatory Address Parameter: an address of the
	// sender, or 0.0.0.0 / :: to have the association looked up otherwise.
	// It is encoded as an IPv4 Address parameter when Address.Is4() and as
	// an IPv6 one otherwise (see AppendAddressParam).
	Address netip.Addr
	// Params is the list of ASCONF parameters (Add IP Address, Delete IP
	// Address, Set Primary Address): a view when decoded; when encoding,
	// pre-encoded padded parameters, copied as is.
	Params []byte
	off    int // chunk offset in the packet
}

// iniAsconfAddrOff is the offset of the Address Parameter in an ASCONF chunk.
const iniAsconfAddrOff = ChunkHeaderLen + 4

// DecodeAsconf decodes an ASCONF chunk. The Address Parameter must be an
// IPv4 or IPv6 Address parameter of exact length (RFC 5061 §4.1.1 forbids a
// Host Name Address there), and the layout of the parameter list is
// checked. It does not allocate.
func DecodeAsconf(c Chunk) (Asconf, error) {
	if err := c.check(ChunkAsconf, AsconfMinLen); err != nil {
		return Asconf{}, err
	}
	v := c.b[iniAsconfAddrOff:]
	if t := ParamType(binary.BigEndian.Uint16(v)); t != ParamIPv4Address && t != ParamIPv6Address {
		return Asconf{}, parseErr("ASCONF chunk: address parameter", c.off+iniAsconfAddrOff, ErrMalformed,
			"got "+t.String()+", want an IPv4 or IPv6 Address")
	}
	l := int(binary.BigEndian.Uint16(v[2:]))
	if l < ParamHeaderLen || l > len(v) {
		return Asconf{}, parseErr("ASCONF chunk: address parameter", c.off+iniAsconfAddrOff, ErrBadLength,
			"length "+strconv.Itoa(l)+" with "+strconv.Itoa(len(v))+" bytes left")
	}
	a, err := DecodeAddressParam(Param{b: v[:l], off: c.off + iniAsconfAddrOff})
	if err != nil {
		return Asconf{}, err
	}
	list := v[l:] // l is 8 or 20: no padding
	if err := ValidateParams(list, c.off+iniAsconfAddrOff+l); err != nil {
		return Asconf{}, err
	}
	return Asconf{
		SequenceNumber: binary.BigEndian.Uint32(c.b[ChunkHeaderLen:]),
		Address:        a,
		Params:         list,
		off:            c.off,
	}, nil
}

// ParamIter returns an iterator over the ASCONF parameters; their offsets
// are packet offsets when x was decoded from a packet.
func (x *Asconf) ParamIter() ParamIter {
	return Params(x.Params, x.off+iniAsconfAddrOff+AddressParamLen(x.Address))
}

// ChunkType implements Encoder.
func (x *Asconf) ChunkType() ChunkType { return ChunkAsconf }

// EncodedLen implements Encoder.
func (x *Asconf) EncodedLen() int {
	return pad4(iniAsconfAddrOff + AddressParamLen(x.Address) + tlvListLen(x.Params))
}

// Append implements Encoder. The chunk length does not count the padding of
// the last parameter (RFC 9260 §3.2).
func (x *Asconf) Append(b []byte) []byte {
	n := iniAsconfAddrOff + AddressParamLen(x.Address)
	l := tlvListLen(x.Params)
	b = appendChunkHeader(b, ChunkAsconf, 0, n+l)
	b = binary.BigEndian.AppendUint32(b, x.SequenceNumber)
	b = AppendAddressParam(b, x.Address)
	b = append(b, x.Params[:l]...)
	return appendPadding(b, n+l)
}

// AsconfAck is an ASCONF ACK chunk (RFC 5061 §4.1.2): the sequence number
// of the ASCONF it acknowledges and the responses (Error Cause Indication,
// Success Indication parameters); an empty list means every request
// succeeded.
type AsconfAck struct {
	SequenceNumber uint32
	// Params is the list of response parameters: a view when decoded;
	// when encoding, pre-encoded padded parameters, copied as is.
	Params []byte
	off    int // chunk offset in the packet
}

// DecodeAsconfAck decodes an ASCONF ACK chunk and checks the layout of its
// parameter list. It does not allocate.
func DecodeAsconfAck(c Chunk) (AsconfAck, error) {
	if err := c.check(ChunkAsconfAck, AsconfAckMinLen); err != nil {
		return AsconfAck{}, err
	}
	list := c.b[AsconfAckMinLen:]
	if err := ValidateParams(list, c.off+AsconfAckMinLen); err != nil {
		return AsconfAck{}, err
	}
	return AsconfAck{SequenceNumber: binary.BigEndian.Uint32(c.b[ChunkHeaderLen:]), Params: list, off: c.off}, nil
}

// ParamIter returns an iterator over the response parameters; their offsets
// are packet offsets when x was decoded from a packet.
func (x *AsconfAck) ParamIter() ParamIter { return Params(x.Params, x.off+AsconfAckMinLen) }

// ChunkType implements Encoder.
func (x *AsconfAck) ChunkType() ChunkType { return ChunkAsconfAck }

// EncodedLen implements Encoder.
func (x *AsconfAck) EncodedLen() int { return pad4(AsconfAckMinLen + tlvListLen(x.Params)) }

// Append implements Encoder. The chunk length does not count the padding of
// the last parameter (RFC 9260 §3.2).
func (x *AsconfAck) Append(b []byte) []byte {
	l := tlvListLen(x.Params)
	b = appendChunkHeader(b, ChunkAsconfAck, 0, AsconfAckMinLen+l)
	b = binary.BigEndian.AppendUint32(b, x.SequenceNumber)
	b = append(b, x.Params[:l]...)
	return appendPadding(b, AsconfAckMinLen+l)
}
