package wire

import (
	"encoding/binary"
	"strconv"
)

// iniDecodeU32 decodes a parameter of type t whose value is one 32-bit
// number: its length must be exactly 8.
func iniDecodeU32(p Param, t ParamType) (uint32, error) {
	if err := p.check(t, ParamHeaderLen+4); err != nil {
		return 0, err
	}
	if err := iniExactLen(p, ParamHeaderLen+4); err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(p.b[ParamHeaderLen:]), nil
}

// iniAppendU32 appends a parameter of type t holding one 32-bit number.
func iniAppendU32(b []byte, t ParamType, v uint32) []byte {
	b = iniAppendParamHeader(b, t, ParamHeaderLen+4)
	return binary.BigEndian.AppendUint32(b, v)
}

// iniDecodeEmpty decodes a parameter of type t without a value: its length
// must be exactly 4.
func iniDecodeEmpty(p Param, t ParamType) error {
	if err := p.check(t, ParamHeaderLen); err != nil {
		return err
	}
	return iniExactLen(p, ParamHeaderLen)
}

// StateCookieParam is a State Cookie parameter (RFC 9260 §3.3.3.1.1), sent
// in an INIT ACK and echoed in a COOKIE ECHO.
type StateCookieParam struct {
	// Cookie is opaque to the receiver. Decoded, it points into the packet.
	Cookie []byte
}

// DecodeStateCookieParam decodes a State Cookie parameter. An empty cookie
// is returned without error: whether it is acceptable is the engine's call.
func DecodeStateCookieParam(p Param) (StateCookieParam, error) {
	if err := p.check(ParamStateCookie, ParamHeaderLen); err != nil {
		return StateCookieParam{}, err
	}
	return StateCookieParam{Cookie: p.b[ParamHeaderLen:]}, nil
}

// ParamType returns ParamStateCookie.
func (s StateCookieParam) ParamType() ParamType { return ParamStateCookie }

// EncodedLen returns the padded length of the parameter.
func (s StateCookieParam) EncodedLen() int { return pad4(ParamHeaderLen + len(s.Cookie)) }

// Append appends the parameter, padded.
func (s StateCookieParam) Append(b []byte) []byte {
	return appendTLV(b, uint16(ParamStateCookie), s.Cookie)
}

// UnrecognizedParameterParam is an Unrecognized Parameter parameter (RFC
// 9260 §3.3.3.1.2): an INIT ACK returns in it a parameter of the INIT that
// the responder did not recognize and whose type asks for a report.
type UnrecognizedParameterParam struct {
	// Parameter is the unrecognized parameter complete with its type,
	// length and value, without padding. Decoded, it points into the packet.
	Parameter []byte
	off       int // offset of the Unrecognized Parameter parameter
}

// DecodeUnrecognizedParameterParam decodes an Unrecognized Parameter
// parameter. Its value must hold one whole parameter (at least its 4-byte
// header), optionally followed by that parameter's padding.
func DecodeUnrecognizedParameterParam(p Param) (UnrecognizedParameterParam, error) {
	const what = "Unrecognized Parameter parameter"
	if err := p.check(ParamUnrecognizedParameter, 2*ParamHeaderLen); err != nil {
		return UnrecognizedParameterParam{}, err
	}
	v := p.b[ParamHeaderLen:]
	l := int(binary.BigEndian.Uint16(v[2:]))
	if l < ParamHeaderLen {
		return UnrecognizedParameterParam{}, lenErr(what+": inner parameter", p.off+ParamHeaderLen, l, ParamHeaderLen)
	}
	if l > len(v) || len(v) > pad4(l) {
		return UnrecognizedParameterParam{}, parseErr(what, p.off, ErrBadLength,
			"inner parameter length "+strconv.Itoa(l)+" with "+strconv.Itoa(len(v))+" bytes of value")
	}
	return UnrecognizedParameterParam{Parameter: v[:l], off: p.off}, nil
}

// Param returns the unrecognized parameter as a Param whose offset is its
// packet offset. ok is false when Parameter does not hold a whole parameter
// (never for a decoded value).
func (u UnrecognizedParameterParam) Param() (p Param, ok bool) {
	if len(u.Parameter) < ParamHeaderLen || int(binary.BigEndian.Uint16(u.Parameter[2:])) != len(u.Parameter) {
		return Param{}, false
	}
	return Param{b: u.Parameter, off: u.off + ParamHeaderLen}, true
}

// ParamType returns ParamUnrecognizedParameter.
func (u UnrecognizedParameterParam) ParamType() ParamType { return ParamUnrecognizedParameter }

// EncodedLen returns the padded length of the parameter.
func (u UnrecognizedParameterParam) EncodedLen() int {
	return pad4(ParamHeaderLen + len(u.Parameter))
}

// Append appends the parameter, padded. Parameter is copied as is (set it
// to the Bytes of the unrecognized Param).
func (u UnrecognizedParameterParam) Append(b []byte) []byte {
	return appendTLV(b, uint16(ParamUnrecognizedParameter), u.Parameter)
}

// CookiePreservativeParam is a Cookie Preservative parameter (RFC 9260
// §3.3.2.1.3): the sender of an INIT asks for a longer cookie life span.
type CookiePreservativeParam struct {
	// LifeSpanIncrement is the Suggested Cookie Life-Span Increment, in
	// milliseconds.
	LifeSpanIncrement uint32
}

// DecodeCookiePreservativeParam decodes a Cookie Preservative parameter;
// its length must be exactly 8.
func DecodeCookiePreservativeParam(p Param) (CookiePreservativeParam, error) {
	v, err := iniDecodeU32(p, ParamCookiePreservative)
	return CookiePreservativeParam{LifeSpanIncrement: v}, err
}

// ParamType returns ParamCookiePreservative.
func (c CookiePreservativeParam) ParamType() ParamType { return ParamCookiePreservative }

// EncodedLen returns 8.
func (c CookiePreservativeParam) EncodedLen() int { return ParamHeaderLen + 4 }

// Append appends the parameter.
func (c CookiePreservativeParam) Append(b []byte) []byte {
	return iniAppendU32(b, ParamCookiePreservative, c.LifeSpanIncrement)
}

// ECNCapableParam is the ECN Capable parameter (RFC 9260 §3.3.2 and
// Appendix A): the sender supports ECN. It has no value.
type ECNCapableParam struct{}

// DecodeECNCapableParam decodes an ECN Capable parameter; its length must
// be exactly 4.
func DecodeECNCapableParam(p Param) (ECNCapableParam, error) {
	return ECNCapableParam{}, iniDecodeEmpty(p, ParamECNCapable)
}

// ParamType returns ParamECNCapable.
func (ECNCapableParam) ParamType() ParamType { return ParamECNCapable }

// EncodedLen returns 4.
func (ECNCapableParam) EncodedLen() int { return ParamHeaderLen }

// Append appends the parameter.
func (ECNCapableParam) Append(b []byte) []byte {
	return iniAppendParamHeader(b, ParamECNCapable, ParamHeaderLen)
}

// ForwardTSNSupportedParam is the Forward-TSN-Supported parameter (RFC 3758
// §3.1): the sender supports PR-SCTP. It has no value.
type ForwardTSNSupportedParam struct{}

// DecodeForwardTSNSupportedParam decodes a Forward-TSN-Supported parameter;
// its length must be exactly 4.
func DecodeForwardTSNSupportedParam(p Param) (ForwardTSNSupportedParam, error) {
	return ForwardTSNSupportedParam{}, iniDecodeEmpty(p, ParamForwardTSNSupported)
}

// ParamType returns ParamForwardTSNSupported.
func (ForwardTSNSupportedParam) ParamType() ParamType { return ParamForwardTSNSupported }

// EncodedLen returns 4.
func (ForwardTSNSupportedParam) EncodedLen() int { return ParamHeaderLen }

// Append appends the parameter.
func (ForwardTSNSupportedParam) Append(b []byte) []byte {
	return iniAppendParamHeader(b, ParamForwardTSNSupported, ParamHeaderLen)
}

// EDMIDLowerLayerDTLS is the Error Detection Method Identifier "SCTP over
// DTLS" (RFC 9653 §6 and §8); EDMID 0 is reserved.
const EDMIDLowerLayerDTLS uint32 = 1

// ZeroChecksumAcceptableParam is the Zero Checksum Acceptable parameter
// (RFC 9653 §4): the sender accepts packets with a zero checksum when the
// given alternate error detection method is in use.
type ZeroChecksumAcceptableParam struct {
	EDMID uint32 // Error Detection Method Identifier
}

// DecodeZeroChecksumAcceptableParam decodes a Zero Checksum Acceptable
// parameter; its length must be exactly 8. The EDMID is not checked.
func DecodeZeroChecksumAcceptableParam(p Param) (ZeroChecksumAcceptableParam, error) {
	v, err := iniDecodeU32(p, ParamZeroChecksumAcceptable)
	return ZeroChecksumAcceptableParam{EDMID: v}, err
}

// ParamType returns ParamZeroChecksumAcceptable.
func (z ZeroChecksumAcceptableParam) ParamType() ParamType { return ParamZeroChecksumAcceptable }

// EncodedLen returns 8.
func (z ZeroChecksumAcceptableParam) EncodedLen() int { return ParamHeaderLen + 4 }

// Append appends the parameter.
func (z ZeroChecksumAcceptableParam) Append(b []byte) []byte {
	return iniAppendU32(b, ParamZeroChecksumAcceptable, z.EDMID)
}

// SupportedExtensionsParam is the Supported Extensions parameter (RFC 5061
// §4.2.7): the chunk types of the extensions the sender supports, one byte
// each.
type SupportedExtensionsParam struct {
	ChunkTypes []byte // decoded, a view into the packet
}

// DecodeSupportedExtensionsParam decodes a Supported Extensions parameter.
func DecodeSupportedExtensionsParam(p Param) (SupportedExtensionsParam, error) {
	if err := p.check(ParamSupportedExtensions, ParamHeaderLen); err != nil {
		return SupportedExtensionsParam{}, err
	}
	return SupportedExtensionsParam{ChunkTypes: p.b[ParamHeaderLen:]}, nil
}

// Has reports whether chunk type t is listed.
func (s SupportedExtensionsParam) Has(t ChunkType) bool { return iniHasChunk(s.ChunkTypes, t) }

func iniHasChunk(list []byte, t ChunkType) bool {
	for _, c := range list {
		if ChunkType(c) == t {
			return true
		}
	}
	return false
}

// ParamType returns ParamSupportedExtensions.
func (s SupportedExtensionsParam) ParamType() ParamType { return ParamSupportedExtensions }

// EncodedLen returns the padded length of the parameter.
func (s SupportedExtensionsParam) EncodedLen() int { return pad4(ParamHeaderLen + len(s.ChunkTypes)) }

// Append appends the parameter, padded.
func (s SupportedExtensionsParam) Append(b []byte) []byte {
	return appendTLV(b, uint16(ParamSupportedExtensions), s.ChunkTypes)
}

// PaddingParam is a Padding parameter (RFC 4820 §4): it enlarges an INIT
// (for path MTU probing). The receiver ignores its contents.
type PaddingParam struct {
	// Len is the length of the Padding Data: the parameter length minus 4.
	// Append writes that many zero bytes (Len is taken as 0 when negative
	// and as 65531 when larger, the most a parameter can hold).
	Len int
}

// DecodePaddingParam decodes a Padding parameter.
func DecodePaddingParam(p Param) (PaddingParam, error) {
	if err := p.check(ParamPadding, ParamHeaderLen); err != nil {
		return PaddingParam{}, err
	}
	return PaddingParam{Len: len(p.b) - ParamHeaderLen}, nil
}

func (pp PaddingParam) dataLen() int { return min(max(pp.Len, 0), 0xFFFF-ParamHeaderLen) }

// ParamType returns ParamPadding.
func (pp PaddingParam) ParamType() ParamType { return ParamPadding }

// EncodedLen returns the padded length of the parameter.
func (pp PaddingParam) EncodedLen() int { return pad4(ParamHeaderLen + pp.dataLen()) }

// Append appends the parameter, padded, with zero bytes as Padding Data.
func (pp PaddingParam) Append(b []byte) []byte {
	n := ParamHeaderLen + pp.dataLen()
	b = iniAppendParamHeader(b, ParamPadding, n)
	return append(b, make([]byte, pad4(n)-ParamHeaderLen)...)
}

// iniAppendParamHeader appends a parameter header of type t and length n.
func iniAppendParamHeader(b []byte, t ParamType, n int) []byte {
	return append(b, byte(t>>8), byte(t), byte(n>>8), byte(n))
}
