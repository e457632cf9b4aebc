package wire

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

// Lengths of the address parameters (RFC 9260 §3.3.2.1.1 and §3.3.2.1.2).
const (
	IPv4AddressParamLen = 8
	IPv6AddressParamLen = 20
)

// iniExactLen reports a parameter whose length is not exactly n.
func iniExactLen(p Param, n int) error {
	if len(p.b) != n {
		return parseErr(p.Type().String()+" parameter", p.off, ErrBadLength,
			"length "+strconv.Itoa(len(p.b))+", want "+strconv.Itoa(n))
	}
	return nil
}

// IPv4AddressParam is an IPv4 Address parameter (RFC 9260 §3.3.2.1.1): an
// address of the sender of an INIT or INIT ACK, or the address of an ASCONF
// request (RFC 5061 §4.1.1, §4.2.1).
type IPv4AddressParam struct {
	Addr netip.Addr
}

// DecodeIPv4AddressParam decodes an IPv4 Address parameter; its length must
// be exactly 8.
func DecodeIPv4AddressParam(p Param) (IPv4AddressParam, error) {
	if err := p.check(ParamIPv4Address, IPv4AddressParamLen); err != nil {
		return IPv4AddressParam{}, err
	}
	if err := iniExactLen(p, IPv4AddressParamLen); err != nil {
		return IPv4AddressParam{}, err
	}
	return IPv4AddressParam{Addr: netip.AddrFrom4([4]byte(p.b[4:8]))}, nil
}

// ParamType returns ParamIPv4Address.
func (a IPv4AddressParam) ParamType() ParamType { return ParamIPv4Address }

// EncodedLen returns 8.
func (a IPv4AddressParam) EncodedLen() int { return IPv4AddressParamLen }

// Append appends the parameter. An IPv4-mapped IPv6 Addr is written as its
// IPv4 address; any other non-IPv4 Addr (including the zero Addr) as 0.0.0.0.
func (a IPv4AddressParam) Append(b []byte) []byte {
	b = iniAppendParamHeader(b, ParamIPv4Address, IPv4AddressParamLen)
	v := a.Addr.Unmap()
	if !v.Is4() {
		return append(b, 0, 0, 0, 0)
	}
	v4 := v.As4()
	return append(b, v4[:]...)
}

// IPv6AddressParam is an IPv6 Address parameter (RFC 9260 §3.3.2.1.2).
type IPv6AddressParam struct {
	Addr netip.Addr
}

// DecodeIPv6AddressParam decodes an IPv6 Address parameter; its length must
// be exactly 20. The address is kept in its 16-byte form (an IPv4-mapped
// address stays mapped).
func DecodeIPv6AddressParam(p Param) (IPv6AddressParam, error) {
	if err := p.check(ParamIPv6Address, IPv6AddressParamLen); err != nil {
		return IPv6AddressParam{}, err
	}
	if err := iniExactLen(p, IPv6AddressParamLen); err != nil {
		return IPv6AddressParam{}, err
	}
	return IPv6AddressParam{Addr: netip.AddrFrom16([16]byte(p.b[4:20]))}, nil
}

// ParamType returns ParamIPv6Address.
func (a IPv6AddressParam) ParamType() ParamType { return ParamIPv6Address }

// EncodedLen returns 20.
func (a IPv6AddressParam) EncodedLen() int { return IPv6AddressParamLen }

// Append appends the parameter. An IPv4 Addr is written IPv4-mapped, the
// zero Addr as ::.
func (a IPv6AddressParam) Append(b []byte) []byte {
	b = iniAppendParamHeader(b, ParamIPv6Address, IPv6AddressParamLen)
	v := a.Addr.As16()
	return append(b, v[:]...)
}

// DecodeAddressParam decodes an IPv4 or an IPv6 Address parameter, as found
// in an ASCONF chunk and inside its Add IP Address, Delete IP Address and Set
// Primary Address parameters (RFC 5061 §4.1.1, §4.2.1, §4.2.2, §4.2.4). Any
// other type (a Host Name Address among them) is ErrWrongType.
func DecodeAddressParam(p Param) (netip.Addr, error) {
	if p.b == nil {
		return netip.Addr{}, parseErr("address parameter", 0, ErrTooShort, "empty parameter")
	}
	switch p.Type() {
	case ParamIPv4Address:
		a, err := DecodeIPv4AddressParam(p)
		return a.Addr, err
	case ParamIPv6Address:
		a, err := DecodeIPv6AddressParam(p)
		return a.Addr, err
	}
	return netip.Addr{}, parseErr("address parameter", p.off, ErrWrongType, "got "+p.Type().String())
}

// AppendAddressParam appends a as an IPv4 Address parameter when a.Is4(),
// and as an IPv6 Address parameter otherwise (the zero Addr becomes ::).
func AppendAddressParam(b []byte, a netip.Addr) []byte {
	if a.Is4() {
		return IPv4AddressParam{Addr: a}.Append(b)
	}
	return IPv6AddressParam{Addr: a}.Append(b)
}

// AddressParamLen returns the length AppendAddressParam adds for a: 8 or 20.
func AddressParamLen(a netip.Addr) int {
	if a.Is4() {
		return IPv4AddressParamLen
	}
	return IPv6AddressParamLen
}

// HostNameAddressParam is a Host Name Address parameter (RFC 9260
// §3.3.2.1.4). It is deprecated: a sender must not include it, and the
// receiver of an INIT or INIT ACK holding one sends an ABORT (with an
// Unresolvable Address cause) — the engine's decision; this package only
// decodes and encodes it.
type HostNameAddressParam struct {
	// HostName is the Host Name field as sent, NUL terminator(s) included
	// (the RFC requires at least one). Decoded, it points into the packet.
	HostName []byte
}

// DecodeHostNameAddressParam decodes a Host Name Address parameter. It does
// not require the NUL terminator.
func DecodeHostNameAddressParam(p Param) (HostNameAddressParam, error) {
	if err := p.check(ParamHostNameAddress, ParamHeaderLen); err != nil {
		return HostNameAddressParam{}, err
	}
	return HostNameAddressParam{HostName: p.b[ParamHeaderLen:]}, nil
}

// Name returns the host name up to its first NUL byte (a view, no copy).
func (h HostNameAddressParam) Name() []byte {
	for i, c := range h.HostName {
		if c == 0 {
			return h.HostName[:i]
		}
	}
	return h.HostName
}

// ParamType returns ParamHostNameAddress.
func (h HostNameAddressParam) ParamType() ParamType { return ParamHostNameAddress }

// EncodedLen returns the padded length of the parameter.
func (h HostNameAddressParam) EncodedLen() int { return pad4(ParamHeaderLen + len(h.HostName)) }

// Append appends the parameter, padded. HostName is written as is: include
// the NUL terminator in it.
func (h HostNameAddressParam) Append(b []byte) []byte {
	return appendTLV(b, uint16(ParamHostNameAddress), h.HostName)
}

// SupportedAddressTypesParam is a Supported Address Types parameter (RFC
// 9260 §3.3.2.1.5): the address parameter types (5 for IPv4, 6 for IPv6)
// the sender of the INIT supports.
type SupportedAddressTypesParam struct {
	// Types is the list to encode (each a 16-bit address parameter type).
	// Decoding leaves it nil and keeps a view of the list instead: read it
	// with NumTypes and Type, which work for both and do not allocate.
	Types []ParamType
	raw   []byte // decoded list, two bytes per type
}

// DecodeSupportedAddressTypesParam decodes a Supported Address Types
// parameter; its value must be a whole number of 2-byte types.
func DecodeSupportedAddressTypesParam(p Param) (SupportedAddressTypesParam, error) {
	if err := p.check(ParamSupportedAddressTypes, ParamHeaderLen); err != nil {
		return SupportedAddressTypesParam{}, err
	}
	v := p.b[ParamHeaderLen:]
	if len(v)%2 != 0 {
		return SupportedAddressTypesParam{}, parseErr(ParamSupportedAddressTypes.String()+" parameter",
			p.off, ErrBadLength, "length "+strconv.Itoa(len(p.b))+" is not 4 plus a multiple of 2")
	}
	return SupportedAddressTypesParam{raw: v}, nil
}

// NumTypes returns the number of address types listed.
func (s SupportedAddressTypesParam) NumTypes() int {
	if s.Types != nil {
		return len(s.Types)
	}
	return len(s.raw) / 2
}

// Type returns the i-th address type (0 <= i < NumTypes()), or 0 when i is
// out of range.
func (s SupportedAddressTypesParam) Type(i int) ParamType {
	if s.Types != nil {
		if i < 0 || i >= len(s.Types) {
			return 0
		}
		return s.Types[i]
	}
	if i < 0 || 2*i+2 > len(s.raw) {
		return 0
	}
	return ParamType(binary.BigEndian.Uint16(s.raw[2*i:]))
}

// Has reports whether address type t is listed.
func (s SupportedAddressTypesParam) Has(t ParamType) bool {
	for i, n := 0, s.NumTypes(); i < n; i++ {
		if s.Type(i) == t {
			return true
		}
	}
	return false
}

// ParamType returns ParamSupportedAddressTypes.
func (s SupportedAddressTypesParam) ParamType() ParamType { return ParamSupportedAddressTypes }

// EncodedLen returns the padded length of the parameter.
func (s SupportedAddressTypesParam) EncodedLen() int {
	return pad4(ParamHeaderLen + 2*s.NumTypes())
}

// Append appends the parameter, padded: Types if set, else the decoded list.
func (s SupportedAddressTypesParam) Append(b []byte) []byte {
	n := ParamHeaderLen + 2*s.NumTypes()
	b = iniAppendParamHeader(b, ParamSupportedAddressTypes, n)
	if s.Types != nil {
		for _, t := range s.Types {
			b = binary.BigEndian.AppendUint16(b, uint16(t))
		}
	} else {
		b = append(b, s.raw...)
	}
	return appendPadding(b, n)
}
