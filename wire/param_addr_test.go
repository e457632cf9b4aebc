package wire

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
)

var (
	iniV4  = netip.MustParseAddr("192.0.2.1")
	iniV6  = netip.MustParseAddr("2001:db8::1")
	iniV4m = netip.MustParseAddr("::ffff:192.0.2.1")
)

func TestAddressParams(t *testing.T) {
	iniRunParamCases(t, []iniParamCase{
		{
			name:   "IPv4 Address",
			vec:    iniHex("0005 0008 c0000201"),
			decode: iniDec(DecodeIPv4AddressParam),
			want:   IPv4AddressParam{Addr: iniV4},
			check: func(t *testing.T, got iniParamEncoder) {
				if a := got.(IPv4AddressParam).Addr; a != iniV4 {
					t.Errorf("Addr = %v", a)
				}
			},
			bad: []iniBad{
				{name: "length 7", b: iniHex("0005 0007 c00002"), err: ErrBadLength},
				{name: "length 12", b: iniHex("0005 000c c0000201 00000000"), err: ErrBadLength},
			},
		},
		{
			name:   "IPv6 Address",
			vec:    iniHex("0006 0014 20010db8 00000000 00000000 00000001"),
			decode: iniDec(DecodeIPv6AddressParam),
			want:   IPv6AddressParam{Addr: iniV6},
			check: func(t *testing.T, got iniParamEncoder) {
				if a := got.(IPv6AddressParam).Addr; a != iniV6 {
					t.Errorf("Addr = %v", a)
				}
			},
			bad: []iniBad{
				{name: "length 8", b: iniHex("0006 0008 c0000201"), err: ErrBadLength},
				{name: "length 24", b: iniHex("0006 0018 20010db8 00000000 00000000 00000001 00000000"), err: ErrBadLength},
			},
		},
		{
			name:   "Host Name Address",
			vec:    iniHex("000b 000e 612e6578616d706c6500 0000"),
			decode: iniDec(DecodeHostNameAddressParam),
			want:   HostNameAddressParam{HostName: []byte("a.example\x00")},
			check: func(t *testing.T, got iniParamEncoder) {
				h := got.(HostNameAddressParam)
				if string(h.HostName) != "a.example\x00" || string(h.Name()) != "a.example" {
					t.Errorf("HostName = %q, Name = %q", h.HostName, h.Name())
				}
			},
		},
		{
			name:   "Supported Address Types IPv4 IPv6",
			vec:    iniHex("000c 0008 0005 0006"),
			decode: iniDec(DecodeSupportedAddressTypesParam),
			want:   SupportedAddressTypesParam{Types: []ParamType{ParamIPv4Address, ParamIPv6Address}},
			check: func(t *testing.T, got iniParamEncoder) {
				s := got.(SupportedAddressTypesParam)
				if s.NumTypes() != 2 || s.Type(0) != ParamIPv4Address || s.Type(1) != ParamIPv6Address ||
					s.Type(2) != 0 || s.Type(-1) != 0 || !s.Has(ParamIPv6Address) || s.Has(ParamHostNameAddress) {
					t.Errorf("types: %d %v %v", s.NumTypes(), s.Type(0), s.Type(1))
				}
			},
			bad: []iniBad{{name: "odd", b: iniHex("000c 0007 000500"), err: ErrBadLength}},
		},
		{
			name:   "Supported Address Types IPv4",
			vec:    iniHex("000c 0006 0005 0000"),
			decode: iniDec(DecodeSupportedAddressTypesParam),
			want:   SupportedAddressTypesParam{Types: []ParamType{ParamIPv4Address}},
			check: func(t *testing.T, got iniParamEncoder) {
				s := got.(SupportedAddressTypesParam)
				if s.NumTypes() != 1 || s.Type(0) != ParamIPv4Address || s.Type(1) != 0 || s.Has(ParamIPv6Address) {
					t.Errorf("types: %d %v", s.NumTypes(), s.Type(0))
				}
			},
		},
	})
}

func TestAddressParamEncodingOfOtherAddrs(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    iniParamEncoder
		want string
	}{
		{"IPv4 from mapped", IPv4AddressParam{Addr: iniV4m}, "0005 0008 c0000201"},
		{"IPv4 from IPv6", IPv4AddressParam{Addr: iniV6}, "0005 0008 00000000"},
		{"IPv4 from zero Addr", IPv4AddressParam{}, "0005 0008 00000000"},
		{"IPv6 from IPv4", IPv6AddressParam{Addr: iniV4}, "0006 0014 00000000 00000000 0000ffff c0000201"},
		{"IPv6 from zero Addr", IPv6AddressParam{}, "0006 0014 00000000 00000000 00000000 00000000"},
	} {
		if got := tc.p.Append(nil); !bytes.Equal(got, iniHex(tc.want)) {
			t.Errorf("%s: %x, want %s", tc.name, got, tc.want)
		}
	}
}

func TestAddressParamGeneric(t *testing.T) {
	for _, a := range []netip.Addr{iniV4, iniV6, iniV4m} {
		b := AppendAddressParam(nil, a)
		if len(b) != AddressParamLen(a) {
			t.Errorf("%v: %d bytes, AddressParamLen %d", a, len(b), AddressParamLen(a))
		}
		got, err := DecodeAddressParam(iniParamAt(b, 0))
		if err != nil || got != a {
			t.Errorf("%v: round trip %v, %v", a, got, err)
		}
	}
	if b := AppendAddressParam(nil, netip.Addr{}); !bytes.Equal(b, iniHex("0006 0014 00000000 00000000 00000000 00000000")) {
		t.Errorf("zero Addr: %x", b)
	}
	_, err := DecodeAddressParam(iniParamAt(iniHex("000b 0006 6100 0000"), 40))
	iniWantErr(t, "host name", err, ErrWrongType, "address parameter", 40)
	_, err = DecodeAddressParam(iniParamAt(iniHex("0005 000c c0000201 00000000"), 40))
	iniWantErr(t, "IPv4 length 12", err, ErrBadLength, "IPv4 Address parameter", 40)
	if _, err := DecodeAddressParam(Param{}); !errors.Is(err, ErrTooShort) {
		t.Errorf("zero Param: %v", err)
	}
}

func TestAddressParamIPv6MappedStaysIPv6(t *testing.T) {
	vec := iniHex("0006 0014 00000000 00000000 0000ffff c0000201")
	a, err := DecodeIPv6AddressParam(iniParamAt(vec, 0))
	if err != nil || a.Addr != iniV4m || a.Addr.Is4() {
		t.Fatalf("%v, %v", a.Addr, err)
	}
	if enc := a.Append(nil); !bytes.Equal(enc, vec) {
		t.Errorf("re-encoded %x", enc)
	}
}

func TestHostNameAddressParamWithoutNUL(t *testing.T) {
	h, err := DecodeHostNameAddressParam(iniParamAt(iniHex("000b 0007 616263 00"), 0))
	if err != nil || string(h.Name()) != "abc" {
		t.Errorf("%q, %v", h.Name(), err)
	}
}

func TestSupportedAddressTypesParamEmpty(t *testing.T) {
	s, err := DecodeSupportedAddressTypesParam(iniParamAt(iniHex("000c 0004"), 0))
	if err != nil || s.NumTypes() != 0 || s.Type(0) != 0 {
		t.Errorf("%d types, %v", s.NumTypes(), err)
	}
	if enc := s.Append(nil); !bytes.Equal(enc, iniHex("000c 0004")) {
		t.Errorf("%x", enc)
	}
}
