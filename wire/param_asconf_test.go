package wire

import (
	"bytes"
	"net/netip"
	"testing"
)

// iniAddrReqCheck checks a decoded address request parameter.
func iniAddrReqCheck(t *testing.T, id uint32, addr []byte, a func() (netip.Addr, error), wantID uint32, wantAddr netip.Addr) {
	t.Helper()
	if id != wantID {
		t.Errorf("CorrelationID = %#x, want %#x", id, wantID)
	}
	if !bytes.Equal(addr, AppendAddressParam(nil, wantAddr)) {
		t.Errorf("Address = %x", addr)
	}
	if got, err := a(); err != nil || got != wantAddr {
		t.Errorf("Addr() = %v, %v", got, err)
	}
}

// iniAddrReqBad are the layout errors shared by the three address requests
// (RFC 5061 §4.2.1 example with broken lengths); t is the type prefix.
func iniAddrReqBad(t string) []iniBad {
	return []iniBad{
		{name: "short", b: iniHex(t + "0008 01023474"), err: ErrBadLength},
		{name: "nested length 3", b: iniHex(t + "000c 01023474 00050003"), err: ErrBadLength, off: 8},
		{name: "nested too long", b: iniHex(t + "000c 01023474 00050008"), err: ErrBadLength},
		{name: "trailing bytes", b: iniHex(t + "0014 01023474 00050008 c0000201 00000000"), err: ErrBadLength},
	}
}

func TestAsconfParams(t *testing.T) {
	iniRunParamCases(t, []iniParamCase{
		{
			name:   "Adaptation Layer Indication",
			vec:    iniHex("c006 0008 01020304"),
			decode: iniDec(DecodeAdaptationLayerIndicationParam),
			want:   AdaptationLayerIndicationParam{AdaptationCodePoint: 0x01020304},
			check: func(t *testing.T, got iniParamEncoder) {
				if v := got.(AdaptationLayerIndicationParam).AdaptationCodePoint; v != 0x01020304 {
					t.Errorf("AdaptationCodePoint = %#x", v)
				}
			},
			bad: []iniBad{
				{name: "short", b: iniHex("c006 0004"), err: ErrBadLength},
				{name: "long", b: iniHex("c006 000c 01020304 00000000"), err: ErrBadLength},
			},
		},
		{
			// RFC 5061 §4.2.1 example.
			name:   "Add IP Address",
			vec:    iniHex("c001 0010 01023474 0005 0008 c0000201"),
			decode: iniDec(DecodeAddIPAddressParam),
			want:   AddIPAddressParam{CorrelationID: 0x01023474, Address: AppendAddressParam(nil, iniV4)},
			check: func(t *testing.T, got iniParamEncoder) {
				a := got.(AddIPAddressParam)
				iniAddrReqCheck(t, a.CorrelationID, a.Address, a.Addr, 0x01023474, iniV4)
			},
			bad: iniAddrReqBad("c001"),
		},
		{
			name:   "Add IP Address IPv6",
			vec:    iniHex("c001 001c 00000007 0006 0014 20010db8 00000000 00000000 00000001"),
			decode: iniDec(DecodeAddIPAddressParam),
			want:   AddIPAddressParam{CorrelationID: 7, Address: AppendAddressParam(nil, iniV6)},
			check: func(t *testing.T, got iniParamEncoder) {
				a := got.(AddIPAddressParam)
				iniAddrReqCheck(t, a.CorrelationID, a.Address, a.Addr, 7, iniV6)
			},
		},
		{
			// RFC 5061 §4.2.2 example.
			name:   "Delete IP Address",
			vec:    iniHex("c002 0010 01023476 0005 0008 c0000201"),
			decode: iniDec(DecodeDeleteIPAddressParam),
			want:   DeleteIPAddressParam{CorrelationID: 0x01023476, Address: AppendAddressParam(nil, iniV4)},
			check: func(t *testing.T, got iniParamEncoder) {
				d := got.(DeleteIPAddressParam)
				iniAddrReqCheck(t, d.CorrelationID, d.Address, d.Addr, 0x01023476, iniV4)
			},
			bad: iniAddrReqBad("c002"),
		},
		{
			// RFC 5061 §4.2.4 example.
			name:   "Set Primary Address",
			vec:    iniHex("c004 0010 01023479 0005 0008 c0000201"),
			decode: iniDec(DecodeSetPrimaryAddressParam),
			want:   SetPrimaryAddressParam{CorrelationID: 0x01023479, Address: AppendAddressParam(nil, iniV4)},
			check: func(t *testing.T, got iniParamEncoder) {
				s := got.(SetPrimaryAddressParam)
				iniAddrReqCheck(t, s.CorrelationID, s.Address, s.Addr, 0x01023479, iniV4)
			},
			bad: iniAddrReqBad("c004"),
		},
		{
			name: "Error Cause Indication",
			vec: iniHex(`c003 001c 01023474
				00a4 0014 c001 0010 01023474 0005 0008 c0000201`),
			decode: iniDec(DecodeErrorCauseIndicationParam),
			want: ErrorCauseIndicationParam{CorrelationID: 0x01023474,
				Causes: AppendCause(nil, CauseNoAuthorization, iniHex("c001 0010 01023474 0005 0008 c0000201"))},
			check: func(t *testing.T, got iniParamEncoder) {
				e := got.(ErrorCauseIndicationParam)
				if e.CorrelationID != 0x01023474 {
					t.Errorf("CorrelationID = %#x", e.CorrelationID)
				}
				ci := e.CauseIter()
				c, ok := ci.Next()
				if !ok || c.Code() != CauseNoAuthorization || c.Offset() != 108 || len(c.Value()) != 16 {
					t.Errorf("cause %v off %d len %d, %v", c.Code(), c.Offset(), c.Length(), ok)
				}
				if _, ok := ci.Next(); ok || ci.Err() != nil {
					t.Errorf("second cause or error: %v", ci.Err())
				}
			},
			bad: []iniBad{
				{name: "short", b: iniHex("c003 0006 0102"), err: ErrBadLength},
				{name: "bad cause length", b: iniHex("c003 000e 00000001 0005 0009 0000"), err: ErrBadLength,
					off: 8, what: "error cause"},
				{name: "trailing bytes", b: iniHex("c003 000a 00000001 ffff"), err: ErrTooShort,
					off: 8, what: "error cause header"},
			},
		},
		{
			// The last cause is not padded: the parameter length does not
			// count its padding.
			name:   "Error Cause Indication unpadded last cause",
			vec:    iniHex("c003 0012 00000007 0005 000a 000b 0006 6100 0000"),
			decode: iniDec(DecodeErrorCauseIndicationParam),
			want: ErrorCauseIndicationParam{CorrelationID: 7,
				Causes: AppendCause(nil, CauseUnresolvableAddress, iniHex("000b 0006 6100"))},
			check: func(t *testing.T, got iniParamEncoder) {
				ci := got.(ErrorCauseIndicationParam).CauseIter()
				c, ok := ci.Next()
				if !ok || c.Code() != CauseUnresolvableAddress || c.Length() != 10 {
					t.Errorf("cause %v len %d, %v", c.Code(), c.Length(), ok)
				}
			},
		},
		{
			name:   "Error Cause Indication no cause",
			vec:    iniHex("c003 0008 00000001"),
			decode: iniDec(DecodeErrorCauseIndicationParam),
			want:   ErrorCauseIndicationParam{CorrelationID: 1},
			check: func(t *testing.T, got iniParamEncoder) {
				ci := got.(ErrorCauseIndicationParam).CauseIter()
				if _, ok := ci.Next(); ok {
					t.Errorf("a cause in an empty list")
				}
			},
		},
		{
			name:   "Success Indication",
			vec:    iniHex("c005 0008 01023479"),
			decode: iniDec(DecodeSuccessIndicationParam),
			want:   SuccessIndicationParam{CorrelationID: 0x01023479},
			check: func(t *testing.T, got iniParamEncoder) {
				if v := got.(SuccessIndicationParam).CorrelationID; v != 0x01023479 {
					t.Errorf("CorrelationID = %#x", v)
				}
			},
			bad: []iniBad{
				{name: "short", b: iniHex("c005 0004"), err: ErrBadLength},
				{name: "long", b: iniHex("c005 000c 01023479 00000000"), err: ErrBadLength},
			},
		},
	})
}

func TestAsconfParamAddrErrors(t *testing.T) {
	// A Host Name Address nested in an Add IP Address: the layout is fine,
	// the address is not (RFC 5061 §4.1.1 has it ignored).
	a, err := DecodeAddIPAddressParam(iniParamAt(iniHex("c001 0010 01023474 000b 0006 6100 0000"), 100))
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Addr()
	iniWantErr(t, "host name", err, ErrWrongType, "address parameter", 108)

	d, err := DecodeDeleteIPAddressParam(iniParamAt(iniHex("c002 0014 01023474 0005 000c c0000201 00000000"), 100))
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Addr()
	iniWantErr(t, "IPv4 length 12", err, ErrBadLength, "IPv4 Address parameter", 108)

	_, err = (SetPrimaryAddressParam{Address: []byte{0, 5}}).Addr()
	iniWantErr(t, "built short", err, ErrBadLength, "address parameter", 8)
}
