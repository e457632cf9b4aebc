package wire

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// iniHex decodes hex written with spaces and newlines.
func iniHex(s string) []byte {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// iniParamEncoder is what every parameter type implements.
type iniParamEncoder interface {
	ParamType() ParamType
	EncodedLen() int
	Append(b []byte) []byte
}

// iniParamAt returns the parameter at the start of b as the iterator would
// (without padding), recorded at offset off.
func iniParamAt(b []byte, off int) Param {
	l := min(int(binary.BigEndian.Uint16(b[2:])), len(b))
	return Param{b: b[:l], off: off}
}

// iniDec adapts a typed parameter decoder to the table.
func iniDec[T iniParamEncoder](f func(Param) (T, error)) func(Param) (iniParamEncoder, error) {
	return func(p Param) (iniParamEncoder, error) {
		v, err := f(p)
		return v, err
	}
}

// iniBad is a malformed parameter and the error it must give.
type iniBad struct {
	name string
	b    []byte // the parameter without padding
	err  error  // sentinel
	off  int    // offset named in the message, relative to the parameter
	what string // text the message must hold; default the parameter type's name
}

type iniParamCase struct {
	name   string
	vec    []byte // the parameter with its padding
	decode func(Param) (iniParamEncoder, error)
	want   iniParamEncoder // must encode to vec
	check  func(t *testing.T, got iniParamEncoder)
	bad    []iniBad
}

// iniWantErr checks that err wraps sentinel and names what and the offset.
func iniWantErr(t *testing.T, name string, err, sentinel error, what string, off int) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Errorf("%s: err = %v, want %v", name, err, sentinel)
		return
	}
	msg := err.Error()
	if !strings.Contains(msg, what) || !strings.Contains(msg, "offset "+strconv.Itoa(off)) {
		t.Errorf("%s: message %q does not name %q at offset %d", name, msg, what, off)
	}
}

func iniRunParamCases(t *testing.T, cases []iniParamCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			const base = 100
			typ := ParamType(binary.BigEndian.Uint16(tc.vec))
			// (1) the vector decodes to the expected value.
			got, err := tc.decode(iniParamAt(tc.vec, base))
			if err != nil {
				t.Fatalf("decode %x: %v", tc.vec, err)
			}
			if got.ParamType() != typ {
				t.Errorf("ParamType = %v, want %v", got.ParamType(), typ)
			}
			tc.check(t, got)
			// (2) encoding gives the vector, after any prefix.
			if enc := tc.want.Append(nil); !bytes.Equal(enc, tc.vec) {
				t.Errorf("encode:\n got %x\nwant %x", enc, tc.vec)
			}
			if n := tc.want.EncodedLen(); n != len(tc.vec) {
				t.Errorf("EncodedLen = %d, want %d", n, len(tc.vec))
			}
			if enc := tc.want.Append([]byte{0xAA, 0xBB}); !bytes.Equal(enc[2:], tc.vec) || enc[0] != 0xAA {
				t.Errorf("Append after a prefix: %x", enc)
			}
			// (3) round trips both ways.
			if enc := got.Append(nil); !bytes.Equal(enc, tc.vec) {
				t.Errorf("re-encode decoded:\n got %x\nwant %x", enc, tc.vec)
			}
			if n := got.EncodedLen(); n != len(tc.vec) {
				t.Errorf("decoded EncodedLen = %d, want %d", n, len(tc.vec))
			}
			got2, err := tc.decode(iniParamAt(tc.want.Append(nil), base))
			if err != nil {
				t.Fatalf("decode encoded: %v", err)
			}
			tc.check(t, got2)
			// (4) bad lengths.
			for _, bad := range tc.bad {
				what := bad.what
				if what == "" {
					what = typ.String()
				}
				_, err := tc.decode(iniParamAt(bad.b, 200))
				iniWantErr(t, bad.name, err, bad.err, what, 200+bad.off)
			}
			// (5) wrong type, and the zero Param.
			w := bytes.Clone(tc.vec)
			binary.BigEndian.PutUint16(w, uint16(ParamHeartbeatInfo))
			_, err = tc.decode(iniParamAt(w, 300))
			iniWantErr(t, "wrong type", err, ErrWrongType, typ.String(), 300)
			if _, err := tc.decode(Param{}); !errors.Is(err, ErrTooShort) {
				t.Errorf("zero Param: err = %v, want ErrTooShort", err)
			}
			// No panic on any truncation.
			for n := ParamHeaderLen; n < len(tc.vec); n++ {
				b := bytes.Clone(tc.vec[:n])
				binary.BigEndian.PutUint16(b[2:], uint16(n))
				_, _ = tc.decode(iniParamAt(b, 0))
			}
		})
	}
}

func TestInitParamTypesParams(t *testing.T) {
	iniRunParamCases(t, []iniParamCase{
		{
			name:   "State Cookie",
			vec:    iniHex("0007 000b 636f6f6b696521 00"),
			decode: iniDec(DecodeStateCookieParam),
			want:   StateCookieParam{Cookie: []byte("cookie!")},
			check: func(t *testing.T, got iniParamEncoder) {
				if c := got.(StateCookieParam).Cookie; string(c) != "cookie!" {
					t.Errorf("Cookie = %q", c)
				}
			},
		},
		{
			name:   "State Cookie empty",
			vec:    iniHex("0007 0004"),
			decode: iniDec(DecodeStateCookieParam),
			want:   StateCookieParam{},
			check: func(t *testing.T, got iniParamEncoder) {
				if c := got.(StateCookieParam).Cookie; len(c) != 0 {
					t.Errorf("Cookie = %x", c)
				}
			},
		},
		{
			name:   "Unrecognized Parameter",
			vec:    iniHex("0008 000a 800a0006abcd 0000"),
			decode: iniDec(DecodeUnrecognizedParameterParam),
			want:   UnrecognizedParameterParam{Parameter: iniHex("800a0006abcd")},
			check: func(t *testing.T, got iniParamEncoder) {
				u := got.(UnrecognizedParameterParam)
				if !bytes.Equal(u.Parameter, iniHex("800a0006abcd")) {
					t.Errorf("Parameter = %x", u.Parameter)
				}
				p, ok := u.Param()
				if !ok || p.Type() != 0x800a || p.Offset() != 104 || !bytes.Equal(p.Value(), []byte{0xab, 0xcd}) {
					t.Errorf("Param() = %v %x off %d, %v", p.Type(), p.Value(), p.Offset(), ok)
				}
			},
			bad: []iniBad{
				{name: "short", b: iniHex("0008 0006 800a"), err: ErrBadLength},
				{name: "inner length 3", b: iniHex("0008 0008 800a0003"), err: ErrBadLength, off: 4},
				{name: "inner too long", b: iniHex("0008 0008 800a0008"), err: ErrBadLength},
				{name: "trailing bytes", b: iniHex("0008 000c 800a0004 00000000"), err: ErrBadLength},
			},
		},
		{
			name:   "Cookie Preservative",
			vec:    iniHex("0009 0008 00002710"),
			decode: iniDec(DecodeCookiePreservativeParam),
			want:   CookiePreservativeParam{LifeSpanIncrement: 10000},
			check: func(t *testing.T, got iniParamEncoder) {
				if v := got.(CookiePreservativeParam).LifeSpanIncrement; v != 10000 {
					t.Errorf("LifeSpanIncrement = %d", v)
				}
			},
			bad: []iniBad{
				{name: "short", b: iniHex("0009 0006 0000"), err: ErrBadLength},
				{name: "long", b: iniHex("0009 000c 00002710 00000000"), err: ErrBadLength},
			},
		},
		{
			name:   "ECN Capable",
			vec:    iniHex("8000 0004"),
			decode: iniDec(DecodeECNCapableParam),
			want:   ECNCapableParam{},
			check:  func(t *testing.T, got iniParamEncoder) {},
			bad:    []iniBad{{name: "with value", b: iniHex("8000 0008 00000000"), err: ErrBadLength}},
		},
		{
			name:   "Forward-TSN-Supported",
			vec:    iniHex("c000 0004"),
			decode: iniDec(DecodeForwardTSNSupportedParam),
			want:   ForwardTSNSupportedParam{},
			check:  func(t *testing.T, got iniParamEncoder) {},
			bad:    []iniBad{{name: "with value", b: iniHex("c000 0005 00"), err: ErrBadLength}},
		},
		{
			name:   "Zero Checksum Acceptable",
			vec:    iniHex("8001 0008 00000001"),
			decode: iniDec(DecodeZeroChecksumAcceptableParam),
			want:   ZeroChecksumAcceptableParam{EDMID: EDMIDLowerLayerDTLS},
			check: func(t *testing.T, got iniParamEncoder) {
				if v := got.(ZeroChecksumAcceptableParam).EDMID; v != 1 {
					t.Errorf("EDMID = %d", v)
				}
			},
			bad: []iniBad{
				{name: "no EDMID", b: iniHex("8001 0004"), err: ErrBadLength},
				{name: "long", b: iniHex("8001 000c 00000001 00000000"), err: ErrBadLength},
			},
		},
		{
			name:   "Supported Extensions",
			vec:    iniHex("8008 0009 c00fc18082 000000"),
			decode: iniDec(DecodeSupportedExtensionsParam),
			want:   SupportedExtensionsParam{ChunkTypes: []byte{0xc0, 0x0f, 0xc1, 0x80, 0x82}},
			check: func(t *testing.T, got iniParamEncoder) {
				s := got.(SupportedExtensionsParam)
				for _, ct := range []ChunkType{ChunkForwardTSN, ChunkAuth, ChunkAsconf, ChunkAsconfAck, ChunkReconfig} {
					if !s.Has(ct) {
						t.Errorf("Has(%v) = false", ct)
					}
				}
				if s.Has(ChunkIData) || s.Has(ChunkData) {
					t.Errorf("Has(I-DATA/DATA) = true")
				}
			},
		},
		{
			name:   "Padding",
			vec:    iniHex("8005 000a 000000000000 0000"),
			decode: iniDec(DecodePaddingParam),
			want:   PaddingParam{Len: 6},
			check: func(t *testing.T, got iniParamEncoder) {
				if n := got.(PaddingParam).Len; n != 6 {
					t.Errorf("Len = %d", n)
				}
			},
		},
	})
}

func TestInitParamPaddingContentsIgnored(t *testing.T) {
	p, err := DecodePaddingParam(iniParamAt(iniHex("8005 0008 ffffffff"), 0))
	if err != nil || p.Len != 4 {
		t.Fatalf("DecodePaddingParam = %+v, %v", p, err)
	}
	if enc := p.Append(nil); !bytes.Equal(enc, iniHex("8005 0008 00000000")) {
		t.Errorf("Append = %x", enc)
	}
	if enc := (PaddingParam{Len: -3}).Append(nil); !bytes.Equal(enc, iniHex("8005 0004")) {
		t.Errorf("negative Len: %x", enc)
	}
	big := PaddingParam{Len: 1 << 20}
	if enc := big.Append(nil); len(enc) != big.EncodedLen() || binary.BigEndian.Uint16(enc[2:]) != 0xffff {
		t.Errorf("huge Len: %d bytes, EncodedLen %d, length %x", len(enc), big.EncodedLen(), enc[2:4])
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { _ = (PaddingParam{Len: 40}).Append(buf) }); n != 0 {
		t.Errorf("PaddingParam.Append allocates %v times", n)
	}
}

func TestInitParamStateCookieIsView(t *testing.T) {
	vec := iniHex("0007 0008 01020304")
	c, err := DecodeStateCookieParam(iniParamAt(vec, 0))
	if err != nil {
		t.Fatal(err)
	}
	vec[4] = 0xEE
	if c.Cookie[0] != 0xEE {
		t.Errorf("Cookie is not a view into the packet")
	}
}

func TestInitParamUnrecognizedParameterParamOfBuiltValue(t *testing.T) {
	if _, ok := (UnrecognizedParameterParam{Parameter: []byte{0x80}}).Param(); ok {
		t.Errorf("Param() of a 1-byte Parameter: ok")
	}
	if _, ok := (UnrecognizedParameterParam{Parameter: iniHex("800a0008abcd")}).Param(); ok {
		t.Errorf("Param() with a length field past the end: ok")
	}
	p, ok := (UnrecognizedParameterParam{Parameter: iniHex("800a0005ab")}).Param()
	if !ok || p.Type() != 0x800a || p.Offset() != ParamHeaderLen {
		t.Errorf("Param() = %v, %v", p.Type(), ok)
	}
}
