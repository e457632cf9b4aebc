package wire

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

// AdaptationLayerIndicationParam is the Adaptation Layer Indication
// parameter (RFC 5061 §4.2.6) of INIT and INIT ACK, passed opaquely to the
// upper layer.
type AdaptationLayerIndicationParam struct {
	AdaptationCodePoint uint32
}

// DecodeAdaptationLayerIndicationParam decodes an Adaptation Layer
// Indication parameter; its length must be exactly 8.
func DecodeAdaptationLayerIndicationParam(p Param) (AdaptationLayerIndicationParam, error) {
	v, err := iniDecodeU32(p, ParamAdaptationLayerIndication)
	return AdaptationLayerIndicationParam{AdaptationCodePoint: v}, err
}

// ParamType returns ParamAdaptationLayerIndication.
func (a AdaptationLayerIndicationParam) ParamType() ParamType {
	return ParamAdaptationLayerIndication
}

// EncodedLen returns 8.
func (a AdaptationLayerIndicationParam) EncodedLen() int { return ParamHeaderLen + 4 }

// Append appends the parameter.
func (a AdaptationLayerIndicationParam) Append(b []byte) []byte {
	return iniAppendU32(b, ParamAdaptationLayerIndication, a.AdaptationCodePoint)
}

// iniAddrReq is the layout shared by Add IP Address, Delete IP Address
// and Set Primary Address (RFC 5061 §4.2.1, §4.2.2, §4.2.4): a correlation
// ID followed by a whole address parameter.
type iniAddrReq struct {
	id   uint32
	addr []byte
	off  int
}

// iniDecodeAddrReq checks the layout only: the nested parameter must be
// whole (header, length inside the value, at most 3 bytes of padding
// after it). Its type and length are checked by Addr.
func iniDecodeAddrReq(p Param, t ParamType) (iniAddrReq, error) {
	if err := p.check(t, 2*ParamHeaderLen+4); err != nil {
		return iniAddrReq{}, err
	}
	v := p.b[ParamHeaderLen+4:]
	l := int(binary.BigEndian.Uint16(v[2:]))
	if l < ParamHeaderLen {
		return iniAddrReq{}, lenErr(t.String()+" parameter: address parameter", p.off+8, l, ParamHeaderLen)
	}
	if l > len(v) || len(v) > pad4(l) {
		return iniAddrReq{}, parseErr(t.String()+" parameter", p.off, ErrBadLength,
			"address parameter length "+strconv.Itoa(l)+" with "+strconv.Itoa(len(v))+" bytes left")
	}
	return iniAddrReq{id: binary.BigEndian.Uint32(p.b[ParamHeaderLen:]), addr: v[:l], off: p.off}, nil
}

func iniAddrOf(addr []byte, off int) (netip.Addr, error) {
	if len(addr) < ParamHeaderLen || int(binary.BigEndian.Uint16(addr[2:])) != len(addr) {
		return netip.Addr{}, parseErr("address parameter", off, ErrBadLength,
			"not one whole parameter in "+strconv.Itoa(len(addr))+" bytes")
	}
	return DecodeAddressParam(Param{b: addr, off: off})
}

func iniAppendAddrReq(b []byte, t ParamType, id uint32, addr []byte) []byte {
	n := ParamHeaderLen + 4 + len(addr)
	b = iniAppendParamHeader(b, t, n)
	b = binary.BigEndian.AppendUint32(b, id)
	b = append(b, addr...)
	return appendPadding(b, n)
}

// AddIPAddressParam is an Add IP Address parameter of an ASCONF (RFC 5061
// §4.2.1). To build one: AddIPAddressParam{CorrelationID: id, Address:
// AppendAddressParam(nil, addr)}.
type AddIPAddressParam struct {
	CorrelationID uint32 // ASCONF-Request Correlation ID
	// Address is the nested IPv4 or IPv6 Address parameter, whole (a view
	// when decoded). Addr decodes it.
	Address []byte
	off     int
}

// DecodeAddIPAddressParam decodes an Add IP Address parameter. It checks
// that the nested address parameter is whole; Addr checks its type.
func DecodeAddIPAddressParam(p Param) (AddIPAddressParam, error) {
	r, err := iniDecodeAddrReq(p, ParamAddIPAddress)
	return AddIPAddressParam{CorrelationID: r.id, Address: r.addr, off: r.off}, err
}

// Addr decodes the nested address parameter (IPv4 or IPv6, exact length).
func (a AddIPAddressParam) Addr() (netip.Addr, error) { return iniAddrOf(a.Address, a.off+8) }

// ParamType returns ParamAddIPAddress.
func (a AddIPAddressParam) ParamType() ParamType { return ParamAddIPAddress }

// EncodedLen returns the padded length of the parameter.
func (a AddIPAddressParam) EncodedLen() int { return pad4(ParamHeaderLen + 4 + len(a.Address)) }

// Append appends the parameter, padded.
func (a AddIPAddressParam) Append(b []byte) []byte {
	return iniAppendAddrReq(b, ParamAddIPAddress, a.CorrelationID, a.Address)
}

// DeleteIPAddressParam is a Delete IP Address parameter of an ASCONF (RFC
// 5061 §4.2.2). Built like AddIPAddressParam.
type DeleteIPAddressParam struct {
	CorrelationID uint32 // ASCONF-Request Correlation ID
	Address       []byte // the nested address parameter, whole
	off           int
}

// DecodeDeleteIPAddressParam decodes a Delete IP Address parameter. It
// checks that the nested address parameter is whole; Addr checks its type.
func DecodeDeleteIPAddressParam(p Param) (DeleteIPAddressParam, error) {
	r, err := iniDecodeAddrReq(p, ParamDeleteIPAddress)
	return DeleteIPAddressParam{CorrelationID: r.id, Address: r.addr, off: r.off}, err
}

// Addr decodes the nested address parameter (IPv4 or IPv6, exact length).
func (d DeleteIPAddressParam) Addr() (netip.Addr, error) { return iniAddrOf(d.Address, d.off+8) }

// ParamType returns ParamDeleteIPAddress.
func (d DeleteIPAddressParam) ParamType() ParamType { return ParamDeleteIPAddress }

// EncodedLen returns the padded length of the parameter.
func (d DeleteIPAddressParam) EncodedLen() int { return pad4(ParamHeaderLen + 4 + len(d.Address)) }

// Append appends the parameter, padded.
func (d DeleteIPAddressParam) Append(b []byte) []byte {
	return iniAppendAddrReq(b, ParamDeleteIPAddress, d.CorrelationID, d.Address)
}

// SetPrimaryAddressParam is a Set Primary Address parameter (RFC 5061
// §4.2.4), in an ASCONF, INIT or INIT ACK. Built like AddIPAddressParam.
type SetPrimaryAddressParam struct {
	CorrelationID uint32 // ASCONF-Request Correlation ID
	Address       []byte // the nested address parameter, whole
	off           int
}

// DecodeSetPrimaryAddressParam decodes a Set Primary Address parameter. It
// checks that the nested address parameter is whole; Addr checks its type.
func DecodeSetPrimaryAddressParam(p Param) (SetPrimaryAddressParam, error) {
	r, err := iniDecodeAddrReq(p, ParamSetPrimaryAddress)
	return SetPrimaryAddressParam{CorrelationID: r.id, Address: r.addr, off: r.off}, err
}

// Addr decodes the nested address parameter (IPv4 or IPv6, exact length).
func (s SetPrimaryAddressParam) Addr() (netip.Addr, error) { return iniAddrOf(s.Address, s.off+8) }

// ParamType returns ParamSetPrimaryAddress.
func (s SetPrimaryAddressParam) ParamType() ParamType { return ParamSetPrimaryAddress }

// EncodedLen returns the padded length of the parameter.
func (s SetPrimaryAddressParam) EncodedLen() int { return pad4(ParamHeaderLen + 4 + len(s.Address)) }

// Append appends the parameter, padded.
func (s SetPrimaryAddressParam) Append(b []byte) []byte {
	return iniAppendAddrReq(b, ParamSetPrimaryAddress, s.CorrelationID, s.Address)
}

// ErrorCauseIndicationParam is an Error Cause Indication parameter of an
// ASCONF ACK (RFC 5061 §4.2.3): the request with this correlation ID
// failed, for the error causes listed.
type ErrorCauseIndicationParam struct {
	CorrelationID uint32 // ASCONF-Response Correlation ID
	// Causes is the list of error causes (RFC 9260 §3.3.10): a view when
	// decoded; when encoding, pre-encoded causes (AppendCause, …), padded.
	Causes []byte
	off    int
}

// DecodeErrorCauseIndicationParam decodes an Error Cause Indication
// parameter and checks the layout of its cause list (which may be empty).
func DecodeErrorCauseIndicationParam(p Param) (ErrorCauseIndicationParam, error) {
	if err := p.check(ParamErrorCauseIndication, ParamHeaderLen+4); err != nil {
		return ErrorCauseIndicationParam{}, err
	}
	e := ErrorCauseIndicationParam{
		CorrelationID: binary.BigEndian.Uint32(p.b[ParamHeaderLen:]),
		Causes:        p.b[ParamHeaderLen+4:],
		off:           p.off,
	}
	ci := e.CauseIter()
	for {
		if _, ok := ci.Next(); !ok {
			break
		}
	}
	if err := ci.Err(); err != nil {
		return ErrorCauseIndicationParam{}, err
	}
	return e, nil
}

// CauseIter returns an iterator over the error causes; their offsets are
// packet offsets when e was decoded from a packet.
func (e ErrorCauseIndicationParam) CauseIter() CauseIter {
	return Causes(e.Causes, e.off+ParamHeaderLen+4)
}

// ParamType returns ParamErrorCauseIndication.
func (e ErrorCauseIndicationParam) ParamType() ParamType { return ParamErrorCauseIndication }

// EncodedLen returns the padded length of the parameter.
func (e ErrorCauseIndicationParam) EncodedLen() int {
	return pad4(ParamHeaderLen + 4 + tlvListLen(e.Causes))
}

// Append appends the parameter, padded. Its length field does not count the
// padding of the last cause (as for a chunk, RFC 9260 §3.2).
func (e ErrorCauseIndicationParam) Append(b []byte) []byte {
	l := tlvListLen(e.Causes)
	b = iniAppendParamHeader(b, ParamErrorCauseIndication, ParamHeaderLen+4+l)
	b = binary.BigEndian.AppendUint32(b, e.CorrelationID)
	b = append(b, e.Causes[:l]...)
	return appendPadding(b, ParamHeaderLen+4+l)
}

// SuccessIndicationParam is a Success Indication parameter of an ASCONF ACK
// (RFC 5061 §4.2.5).
type SuccessIndicationParam struct {
	CorrelationID uint32 // ASCONF-Response Correlation ID
}

// DecodeSuccessIndicationParam decodes a Success Indication parameter; its
// length must be exactly 8.
func DecodeSuccessIndicationParam(p Param) (SuccessIndicationParam, error) {
	v, err := iniDecodeU32(p, ParamSuccessIndication)
	return SuccessIndicationParam{CorrelationID: v}, err
}

// ParamType returns ParamSuccessIndication.
func (s SuccessIndicationParam) ParamType() ParamType { return ParamSuccessIndication }

// EncodedLen returns 8.
func (s SuccessIndicationParam) EncodedLen() int { return ParamHeaderLen + 4 }

// Append appends the parameter.
func (s SuccessIndicationParam) Append(b []byte) []byte {
	return iniAppendU32(b, ParamSuccessIndication, s.CorrelationID)
}
