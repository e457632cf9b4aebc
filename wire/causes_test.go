package wire

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// ecHex decodes a hex vector written with spaces.
func ecHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex vector %q: %v", s, err)
	}
	return b
}

// ecWantErr checks that err wraps sentinel and is a *ParseError naming what
// at offset off.
func ecWantErr(t testing.TB, err, sentinel error, what string, off int) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("error %v, want %v", err, sentinel)
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %T is not a *ParseError", err)
	}
	if !strings.Contains(pe.What, what) || pe.Offset != off {
		t.Fatalf("error %q: want it to name %q at offset %d", err, what, off)
	}
	if !strings.Contains(err.Error(), "offset "+strconv.Itoa(off)) {
		t.Fatalf("error message %q lacks the offset %d", err, off)
	}
}

// ecCauseAt returns the first cause of b, with base as its packet offset.
func ecCauseAt(t testing.TB, b []byte, base int) Cause {
	t.Helper()
	it := Causes(b, base)
	c, ok := it.Next()
	if !ok {
		t.Fatalf("no cause in % x: %v", b, it.Err())
	}
	return c
}

type ecCauseValue interface {
	CauseCode() CauseCode
	EncodedLen() int
	Append(b []byte) []byte
}

type ecCauseDecoder func(Cause) (ecCauseValue, error)

func ecDec[T ecCauseValue](f func(Cause) (T, error)) ecCauseDecoder {
	return func(c Cause) (ecCauseValue, error) { return f(c) }
}

const ecBase = 100 // packet offset given to the cause iterators in these tests

// ecAddr4 is an IPv4 Address parameter for 192.0.2.1 (RFC 9260 §3.3.2.1).
const ecAddr4 = "00 05 00 08 c0 00 02 01"

// ecASCONFDelete is the Delete IP Address parameter of RFC 5061 §4.3.1's
// example: C-ID 0x01023476, address 192.0.2.1.
const ecASCONFDelete = "c0 02 00 10 01 02 34 76 " + ecAddr4

// ecASCONFAdd is the Add IP Address parameter of RFC 5061 §4.3.2's example.
const ecASCONFAdd = "c0 01 00 10 01 02 34 74 " + ecAddr4

var ecCauseCases = []struct {
	name      string
	vec       string // the cause and its padding
	dec       ecCauseDecoder
	want      ecCauseValue
	canonical bool // want.Append gives vec
	desc      string
}{
	{"InvalidStreamIdentifier", "00 01 00 08 00 07 00 00", ecDec(DecodeInvalidStreamIdentifier),
		InvalidStreamIdentifier{StreamID: 7}, true, "Invalid Stream Identifier: stream 7"},
	{"MissingMandatoryParameter/1", "00 02 00 0a 00 00 00 01 00 07 00 00", ecDec(DecodeMissingMandatoryParameter),
		MissingMandatoryParameter{raw: []byte{0, 7}}, true, "Missing Mandatory Parameter: State Cookie"},
	{"MissingMandatoryParameter/2", "00 02 00 0c 00 00 00 02 00 07 00 09", ecDec(DecodeMissingMandatoryParameter),
		MissingMandatoryParameter{raw: []byte{0, 7, 0, 9}}, true, "Missing Mandatory Parameter: State Cookie, Cookie Preservative"},
	{"MissingMandatoryParameter/0", "00 02 00 08 00 00 00 00", ecDec(DecodeMissingMandatoryParameter),
		MissingMandatoryParameter{raw: []byte{}}, true, "Missing Mandatory Parameter"},
	{"StaleCookie", "00 03 00 08 00 00 05 dc", ecDec(DecodeStaleCookie),
		StaleCookie{Staleness: 1500}, true, "Stale Cookie Error: staleness 1500 µs"},
	{"OutOfResource", "00 04 00 04", ecDec(DecodeOutOfResource), OutOfResource{}, true, "Out of Resource"},
	{"UnresolvableAddress/IPv4", "00 05 00 0c " + ecAddr4, ecDec(DecodeUnresolvableAddress),
		UnresolvableAddress{Address: []byte{0, 5, 0, 8, 192, 0, 2, 1}}, true, "Unresolvable Address: 192.0.2.1"},
	{"UnresolvableAddress/HostName", "00 05 00 0d 00 0b 00 09 61 62 63 64 00 00 00 00", ecDec(DecodeUnresolvableAddress),
		UnresolvableAddress{Address: []byte{0, 11, 0, 9, 'a', 'b', 'c', 'd', 0}}, true,
		`Unresolvable Address: Host Name Address "abcd"`},
	{"UnresolvableAddress/padding counted", "00 05 00 10 00 0b 00 09 61 62 63 64 00 00 00 00", ecDec(DecodeUnresolvableAddress),
		UnresolvableAddress{Address: []byte{0, 11, 0, 9, 'a', 'b', 'c', 'd', 0}}, false,
		`Unresolvable Address: Host Name Address "abcd"`},
	{"UnrecognizedChunkType", "00 06 00 08 4f 00 00 04", ecDec(DecodeUnrecognizedChunkType),
		UnrecognizedChunkType{Chunk: []byte{0x4f, 0, 0, 4}}, true, "Unrecognized Chunk Type: chunk 0x4f, length 4"},
	// usrsctp and Linux count the quoted chunk's padding in the cause length.
	{"UnrecognizedChunkType/padding counted", "00 06 00 0c 4f 00 00 05 aa 00 00 00", ecDec(DecodeUnrecognizedChunkType),
		UnrecognizedChunkType{Chunk: []byte{0x4f, 0, 0, 5, 0xaa}}, false, "Unrecognized Chunk Type: chunk 0x4f, length 5"},
	{"InvalidMandatoryParameter", "00 07 00 04", ecDec(DecodeInvalidMandatoryParameter),
		InvalidMandatoryParameter{}, true, "Invalid Mandatory Parameter"},
	{"UnrecognizedParameters", "00 08 00 10 80 0a 00 05 01 00 00 00 80 08 00 04", ecDec(DecodeUnrecognizedParameters),
		UnrecognizedParameters{Params: ecHexMust("80 0a 00 05 01 00 00 00 80 08 00 04")}, true,
		"Unrecognized Parameters: parameter 0x800a (5 bytes), Supported Extensions (4 bytes)"},
	{"NoUserData", "00 09 00 08 00 00 00 2a", ecDec(DecodeNoUserData), NoUserData{TSN: 42}, true, "No User Data: TSN 42"},
	{"CookieReceivedWhileShuttingDown", "00 0a 00 04", ecDec(DecodeCookieReceivedWhileShuttingDown),
		CookieReceivedWhileShuttingDown{}, true, "Cookie Received While Shutting Down"},
	{"RestartWithNewAddresses", "00 0b 00 20 " + ecAddr4 + " 00 06 00 14 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01",
		ecDec(DecodeRestartWithNewAddresses),
		RestartWithNewAddresses{Addresses: ecHexMust(ecAddr4 + " 00 06 00 14 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01")}, true,
		"Restart of an Association with New Addresses: 192.0.2.1, 2001:db8::1"},
	{"UserInitiatedAbort", "00 0c 00 07 62 79 65 00", ecDec(DecodeUserInitiatedAbort),
		UserInitiatedAbort{Reason: []byte("bye")}, true, `User-Initiated Abort: "bye"`},
	{"UserInitiatedAbort/C string", "00 0c 00 08 62 79 65 00", ecDec(DecodeUserInitiatedAbort),
		UserInitiatedAbort{Reason: []byte("bye\x00")}, true, `User-Initiated Abort: "bye"`},
	{"UserInitiatedAbort/binary", "00 0c 00 06 ff 01 00 00", ecDec(DecodeUserInitiatedAbort),
		UserInitiatedAbort{Reason: []byte{0xff, 1}}, true, "User-Initiated Abort: 0xff01"},
	{"UserInitiatedAbort/empty", "00 0c 00 04", ecDec(DecodeUserInitiatedAbort),
		UserInitiatedAbort{Reason: []byte{}}, true, "User-Initiated Abort"},
	{"ProtocolViolation", "00 0d 00 0a 01 02 03 04 05 06 00 00", ecDec(DecodeProtocolViolation),
		ProtocolViolation{Info: []byte{1, 2, 3, 4, 5, 6}}, true, "Protocol Violation: 0x010203040506"},
	{"DeleteLastRemainingAddress", "00 a0 00 14 " + ecASCONFDelete, ecDec(DecodeDeleteLastRemainingAddress),
		DeleteLastRemainingAddress{Param: ecHexMust(ecASCONFDelete)}, true,
		"Request to Delete Last Remaining IP Address: Delete IP Address correlation ID 0x1023476 192.0.2.1"},
	{"ResourceShortage", "00 a1 00 14 " + ecASCONFAdd, ecDec(DecodeResourceShortage),
		ResourceShortage{Param: ecHexMust(ecASCONFAdd)}, true,
		"Operation Refused Due to Resource Shortage: Add IP Address correlation ID 0x1023474 192.0.2.1"},
	{"DeleteSourceAddress", "00 a2 00 14 " + ecASCONFDelete, ecDec(DecodeDeleteSourceAddress),
		DeleteSourceAddress{Param: ecHexMust(ecASCONFDelete)}, true,
		"Request to Delete Source IP Address: Delete IP Address correlation ID 0x1023476 192.0.2.1"},
	{"IllegalAsconfAck", "00 a3 00 04", ecDec(DecodeIllegalAsconfAck),
		IllegalAsconfAck{}, true, "Association Aborted Due to Illegal ASCONF-ACK"},
	{"NoAuthorization", "00 a4 00 14 " + ecASCONFAdd, ecDec(DecodeNoAuthorization),
		NoAuthorization{Param: ecHexMust(ecASCONFAdd)}, true,
		"Request Refused - No Authorization: Add IP Address correlation ID 0x1023474 192.0.2.1"},
	{"UnsupportedHMACIdentifier", "01 05 00 06 00 02 00 00", ecDec(DecodeUnsupportedHMACIdentifier),
		UnsupportedHMACIdentifier{HMACID: 2}, true, "Unsupported HMAC Identifier: HMAC identifier 2"},
	{"UnsupportedHMACIdentifier/SHA-256", "01 05 00 06 00 03 00 00", ecDec(DecodeUnsupportedHMACIdentifier),
		UnsupportedHMACIdentifier{HMACID: 3}, true, "Unsupported HMAC Identifier: HMAC identifier 3 (SHA-256)"},
}

// ecHexMust is ecHex for package-level tables.
func ecHexMust(s string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		panic(err)
	}
	return b
}

func TestCausesDecodeEncode(t *testing.T) {
	for _, tc := range ecCauseCases {
		t.Run(tc.name, func(t *testing.T) {
			vec := ecHex(t, tc.vec)
			c := ecCauseAt(t, vec, ecBase)
			got, err := tc.dec(c)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("decode = %#v, want %#v", got, tc.want)
			}
			if got.CauseCode() != c.Code() {
				t.Fatalf("CauseCode() = %v, want %v", got.CauseCode(), c.Code())
			}
			if tc.canonical {
				if enc := tc.want.Append(nil); !bytes.Equal(enc, vec) {
					t.Fatalf("encode = % x, want % x", enc, vec)
				}
				if n := tc.want.EncodedLen(); n != len(vec) {
					t.Fatalf("EncodedLen() = %d, want %d", n, len(vec))
				}
			}
			// Append appends and reports its length; decode(encode) round trips.
			enc := got.Append([]byte{0xee})
			if enc[0] != 0xee || len(enc)-1 != got.EncodedLen() || (len(enc)-1)%4 != 0 {
				t.Fatalf("Append = % x, EncodedLen %d", enc, got.EncodedLen())
			}
			again, err := tc.dec(ecCauseAt(t, enc[1:], 0))
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("round trip = %#v, %v; want %#v", again, err, got)
			}
			if d := DescribeCause(c); d != tc.desc {
				t.Fatalf("DescribeCause = %q, want %q", d, tc.desc)
			}
		})
	}
}

// The []uint16 form of MissingMandatoryParameter encodes like the view.
func TestCausesMissingMandatoryParameterTypes(t *testing.T) {
	x := MissingMandatoryParameter{Types: []uint16{uint16(ParamStateCookie), uint16(ParamCookiePreservative)}}
	want := ecHex(t, "00 02 00 0c 00 00 00 02 00 07 00 09")
	if enc := x.Append(nil); !bytes.Equal(enc, want) || x.EncodedLen() != len(want) {
		t.Fatalf("encode = % x (EncodedLen %d), want % x", enc, x.EncodedLen(), want)
	}
	one := MissingMandatoryParameter{Types: []uint16{7}}
	if enc := one.Append(nil); !bytes.Equal(enc, ecHex(t, "00 02 00 0a 00 00 00 01 00 07 00 00")) {
		t.Fatalf("encode one = % x", enc)
	}
	d, _ := DecodeMissingMandatoryParameter(ecCauseAt(t, want, 0))
	for _, v := range []MissingMandatoryParameter{x, d} {
		if v.NumMissing() != 2 || v.Missing(0) != ParamStateCookie || v.Missing(1) != ParamCookiePreservative ||
			v.Missing(2) != 0 || v.Missing(-1) != 0 {
			t.Fatalf("accessors of %#v wrong", v)
		}
	}
}

var ecCauseErrCases = []struct {
	name     string
	vec      string
	dec      ecCauseDecoder
	sentinel error
	what     string
	off      int
}{
	{"InvalidStreamIdentifier/short", "00 01 00 06 00 07 00 00", ecDec(DecodeInvalidStreamIdentifier), ErrBadLength, "Invalid Stream Identifier cause", ecBase},
	{"InvalidStreamIdentifier/long", "00 01 00 0c 00 07 00 00 00 00 00 00", ecDec(DecodeInvalidStreamIdentifier), ErrBadLength, "Invalid Stream Identifier cause", ecBase},
	{"MissingMandatoryParameter/short", "00 02 00 04", ecDec(DecodeMissingMandatoryParameter), ErrBadLength, "Missing Mandatory Parameter cause", ecBase},
	{"MissingMandatoryParameter/count above length", "00 02 00 0a 00 00 00 02 00 07 00 00", ecDec(DecodeMissingMandatoryParameter), ErrBadLength, "Missing Mandatory Parameter cause", ecBase},
	{"MissingMandatoryParameter/count below length", "00 02 00 0c 00 00 00 01 00 07 00 09", ecDec(DecodeMissingMandatoryParameter), ErrBadLength, "Missing Mandatory Parameter cause", ecBase},
	{"MissingMandatoryParameter/huge count", "00 02 00 08 ff ff ff ff", ecDec(DecodeMissingMandatoryParameter), ErrBadLength, "Missing Mandatory Parameter cause", ecBase},
	{"MissingMandatoryParameter/odd", "00 02 00 09 00 00 00 00 07 00 00 00", ecDec(DecodeMissingMandatoryParameter), ErrBadLength, "Missing Mandatory Parameter cause", ecBase},
	{"StaleCookie/short", "00 03 00 06 00 00 00 00", ecDec(DecodeStaleCookie), ErrBadLength, "Stale Cookie Error cause", ecBase},
	{"StaleCookie/long", "00 03 00 0c 00 00 05 dc 00 00 00 00", ecDec(DecodeStaleCookie), ErrBadLength, "Stale Cookie Error cause", ecBase},
	{"OutOfResource/long", "00 04 00 08 00 00 00 00", ecDec(DecodeOutOfResource), ErrBadLength, "Out of Resource cause", ecBase},
	{"UnresolvableAddress/empty", "00 05 00 04", ecDec(DecodeUnresolvableAddress), ErrBadLength, "Unresolvable Address cause", ecBase},
	{"UnresolvableAddress/inner short", "00 05 00 08 00 05 00 02", ecDec(DecodeUnresolvableAddress), ErrBadLength, "Unresolvable Address cause address parameter", ecBase + 4},
	{"UnresolvableAddress/inner long", "00 05 00 0c 00 05 00 0c c0 00 02 01", ecDec(DecodeUnresolvableAddress), ErrBadLength, "Unresolvable Address cause address parameter", ecBase + 4},
	{"UnresolvableAddress/two TLVs", "00 05 00 10 " + ecAddr4 + " 00 05 00 04", ecDec(DecodeUnresolvableAddress), ErrBadLength, "Unresolvable Address cause", ecBase},
	{"UnrecognizedChunkType/inner short", "00 06 00 08 4f 00 00 03", ecDec(DecodeUnrecognizedChunkType), ErrBadLength, "Unrecognized Chunk Type cause chunk", ecBase + 4},
	{"UnrecognizedChunkType/truncated", "00 06 00 08 4f 00 00 08", ecDec(DecodeUnrecognizedChunkType), ErrBadLength, "Unrecognized Chunk Type cause chunk", ecBase + 4},
	{"InvalidMandatoryParameter/long", "00 07 00 08 00 05 00 04", ecDec(DecodeInvalidMandatoryParameter), ErrBadLength, "Invalid Mandatory Parameter cause", ecBase},
	{"UnrecognizedParameters/empty", "00 08 00 04", ecDec(DecodeUnrecognizedParameters), ErrBadLength, "Unrecognized Parameters cause", ecBase},
	{"UnrecognizedParameters/inner long", "00 08 00 0c 80 0a 00 10 01 02 03 04", ecDec(DecodeUnrecognizedParameters), ErrBadLength, "Unrecognized Parameters cause parameter", ecBase + 4},
	{"UnrecognizedParameters/second short", "00 08 00 10 80 0a 00 04 80 0b 00 02 00 00 00 00", ecDec(DecodeUnrecognizedParameters), ErrBadLength, "Unrecognized Parameters cause parameter", ecBase + 8},
	{"UnrecognizedParameters/trailing bytes", "00 08 00 0a 80 0b 00 04 01 02 00 00", ecDec(DecodeUnrecognizedParameters), ErrTooShort, "Unrecognized Parameters cause parameter header", ecBase + 8},
	{"NoUserData/short", "00 09 00 04", ecDec(DecodeNoUserData), ErrBadLength, "No User Data cause", ecBase},
	{"NoUserData/long", "00 09 00 0c 00 00 00 01 00 00 00 00", ecDec(DecodeNoUserData), ErrBadLength, "No User Data cause", ecBase},
	{"CookieReceivedWhileShuttingDown/long", "00 0a 00 05 00 00 00 00", ecDec(DecodeCookieReceivedWhileShuttingDown), ErrBadLength, "Cookie Received While Shutting Down cause", ecBase},
	{"RestartWithNewAddresses/empty", "00 0b 00 04", ecDec(DecodeRestartWithNewAddresses), ErrBadLength, "Restart of an Association with New Addresses cause", ecBase},
	{"RestartWithNewAddresses/inner short", "00 0b 00 08 00 05 00 00", ecDec(DecodeRestartWithNewAddresses), ErrBadLength, "Restart of an Association with New Addresses cause address parameter", ecBase + 4},
	{"DeleteLastRemainingAddress/empty", "00 a0 00 04", ecDec(DecodeDeleteLastRemainingAddress), ErrBadLength, "Request to Delete Last Remaining IP Address cause", ecBase},
	{"ResourceShortage/inner long", "00 a1 00 08 c0 01 00 10", ecDec(DecodeResourceShortage), ErrBadLength, "Operation Refused Due to Resource Shortage cause ASCONF parameter", ecBase + 4},
	{"DeleteSourceAddress/inner short", "00 a2 00 08 c0 02 00 01", ecDec(DecodeDeleteSourceAddress), ErrBadLength, "Request to Delete Source IP Address cause ASCONF parameter", ecBase + 4},
	{"IllegalAsconfAck/long", "00 a3 00 08 00 00 00 00", ecDec(DecodeIllegalAsconfAck), ErrBadLength, "Association Aborted Due to Illegal ASCONF-ACK cause", ecBase},
	{"NoAuthorization/empty", "00 a4 00 04", ecDec(DecodeNoAuthorization), ErrBadLength, "Request Refused - No Authorization cause", ecBase},
	{"UnsupportedHMACIdentifier/short", "01 05 00 04", ecDec(DecodeUnsupportedHMACIdentifier), ErrBadLength, "Unsupported HMAC Identifier cause", ecBase},
	{"UnsupportedHMACIdentifier/long", "01 05 00 08 00 01 00 00", ecDec(DecodeUnsupportedHMACIdentifier), ErrBadLength, "Unsupported HMAC Identifier cause", ecBase},
}

func TestCausesDecodeErrors(t *testing.T) {
	for _, tc := range ecCauseErrCases {
		t.Run(tc.name, func(t *testing.T) {
			c := ecCauseAt(t, ecHex(t, tc.vec), ecBase)
			_, err := tc.dec(c)
			ecWantErr(t, err, tc.sentinel, tc.what, tc.off)
			if d := DescribeCause(c); !strings.Contains(d, "malformed") {
				t.Fatalf("DescribeCause = %q, want it to say malformed", d)
			}
		})
	}
}

// Every decoder rejects another code with ErrWrongType and the zero Cause
// with ErrTooShort.
func TestCausesWrongType(t *testing.T) {
	other := ecCauseAt(t, ecHex(t, "7f ff 00 0c 00 00 00 00 00 00 00 00"), ecBase)
	for _, tc := range ecCauseCases {
		if _, err := tc.dec(other); !errors.Is(err, ErrWrongType) {
			t.Errorf("%s: error %v, want ErrWrongType", tc.name, err)
		} else {
			ecWantErr(t, err, ErrWrongType, tc.want.CauseCode().String()+" cause", ecBase)
		}
		if _, err := tc.dec(Cause{}); !errors.Is(err, ErrTooShort) {
			t.Errorf("%s: zero Cause: error %v, want ErrTooShort", tc.name, err)
		}
	}
}

func TestCausesDescribeOther(t *testing.T) {
	for _, tc := range []struct{ vec, want string }{
		{"7f ff 00 06 68 69 00 00", `cause 0x7fff: "hi"`},
		{"7f ff 00 04", "cause 0x7fff"},
		{"00 0d 00 04", "Protocol Violation"},
		{"00 05 00 0c 00 05 00 08 c0 00 02", "Unresolvable Address: malformed"},
	} {
		b := ecHex(t, tc.vec)
		c := Cause{b: b, off: 0}
		if l := int(b[2])<<8 | int(b[3]); l <= len(b) {
			c.b = b[:l]
		}
		if d := DescribeCause(c); !strings.HasPrefix(d, tc.want) {
			t.Errorf("DescribeCause(%s) = %q, want prefix %q", tc.vec, d, tc.want)
		}
	}
	if d := DescribeCause(Cause{}); d != "empty cause" {
		t.Errorf("DescribeCause(Cause{}) = %q", d)
	}
	long := UserInitiatedAbort{Reason: bytes.Repeat([]byte("x"), 300)}.Append(nil)
	if d := DescribeCause(ecCauseAt(t, long, 0)); !strings.HasSuffix(d, "… (300 bytes)") || len(d) > 200 {
		t.Errorf("long reason: %q", d)
	}
}

// Decoding never allocates; Append does not allocate into a big enough buffer.
func TestCausesZeroAlloc(t *testing.T) {
	vec := ecHex(t, "00 02 00 0c 00 00 00 02 00 07 00 09 00 0b 00 0c "+ecAddr4)
	buf := make([]byte, 0, 64)
	n := testing.AllocsPerRun(100, func() {
		it := Causes(vec, 0)
		c, _ := it.Next()
		m, err := DecodeMissingMandatoryParameter(c)
		if err != nil || m.Missing(1) != ParamCookiePreservative {
			t.Fatal(err)
		}
		c, _ = it.Next()
		r, err := DecodeRestartWithNewAddresses(c)
		if err != nil {
			t.Fatal(err)
		}
		buf = m.Append(buf[:0])
		buf = r.Append(buf)
		buf = StaleCookie{Staleness: 1}.Append(buf)
	})
	if n != 0 {
		t.Fatalf("%v allocations", n)
	}
}

// Random causes never make a decoder or DescribeCause panic, and what
// decodes re-encodes to something that decodes to the same value.
func TestCausesRandomInput(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	codes := []uint16{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0x105}
	b := make([]byte, 48)
	for i := 0; i < 20000; i++ {
		n := 4 + r.IntN(len(b)-4)
		for j := range b[:n] {
			b[j] = byte(r.IntN(4)) // small values make plausible lengths
			if r.IntN(4) == 0 {
				b[j] = byte(r.Uint32())
			}
		}
		code := codes[r.IntN(len(codes))]
		b[0], b[1], b[2], b[3] = byte(code>>8), byte(code), 0, byte(n)
		c := Cause{b: b[:n]}
		_ = DescribeCause(c)
		for _, tc := range ecCauseCases {
			v, err := tc.dec(c)
			if err != nil {
				continue
			}
			again, err := tc.dec(ecCauseAt(t, v.Append(nil), 0))
			if err != nil || !reflect.DeepEqual(again, v) {
				t.Fatalf("% x: round trip %#v, %v; want %#v", b[:n], again, err, v)
			}
		}
	}
}
