package wire

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
)

type ecParamValue interface {
	ParamType() ParamType
	EncodedLen() int
	Append(b []byte) []byte
}

type ecParamDecoder func(Param) (ecParamValue, error)

func ecPDec[T ecParamValue](f func(Param) (T, error)) ecParamDecoder {
	return func(p Param) (ecParamValue, error) { return f(p) }
}

// ecParamAt returns the first parameter of b, with base as its packet offset.
func ecParamAt(t testing.TB, b []byte, base int) Param {
	t.Helper()
	it := Params(b, base)
	p, ok := it.Next()
	if !ok {
		t.Fatalf("no parameter in % x: %v", b, it.Err())
	}
	return p
}

// RFC 6525 §4 parameters used by the tests (each with its padding).
const (
	ecOutReq1   = "00 0d 00 12 00 00 00 01 00 00 00 00 00 00 00 09 00 05 00 00" // streams 5; 2 bytes of padding
	ecOutReqAll = "00 0d 00 10 00 00 00 02 00 00 00 03 00 00 00 09"             // all streams
	ecInReq2    = "00 0e 00 0c 00 00 00 05 00 01 00 02"                         // streams 1, 2
	ecTSNReq    = "00 0f 00 08 00 00 00 06"
	ecResp12    = "00 10 00 0c 00 00 00 01 00 00 00 01"
	ecResp20    = "00 10 00 14 00 00 00 02 00 00 00 01 00 00 10 00 00 00 20 00"
	ecAddOut    = "00 11 00 0c 00 00 00 07 00 03 00 00"
	ecAddIn     = "00 12 00 0c 00 00 00 08 00 02 00 00"
)

var ecReconfigParamCases = []struct {
	name string
	vec  string
	dec  ecParamDecoder
	want ecParamValue
	enc  ecParamValue // the encoding form, when it differs from want
}{
	{"OutgoingSSNResetRequest/1 stream", ecOutReq1, ecPDec(DecodeOutgoingSSNResetRequestParam),
		OutgoingSSNResetRequestParam{RequestSeq: 1, LastTSN: 9, raw: []byte{0, 5}},
		OutgoingSSNResetRequestParam{RequestSeq: 1, LastTSN: 9, StreamIDs: []uint16{5}}},
	{"OutgoingSSNResetRequest/all", ecOutReqAll, ecPDec(DecodeOutgoingSSNResetRequestParam),
		OutgoingSSNResetRequestParam{RequestSeq: 2, ResponseSeq: 3, LastTSN: 9, raw: []byte{}},
		OutgoingSSNResetRequestParam{RequestSeq: 2, ResponseSeq: 3, LastTSN: 9}},
	{"IncomingSSNResetRequest/2 streams", ecInReq2, ecPDec(DecodeIncomingSSNResetRequestParam),
		IncomingSSNResetRequestParam{RequestSeq: 5, raw: []byte{0, 1, 0, 2}},
		IncomingSSNResetRequestParam{RequestSeq: 5, StreamIDs: []uint16{1, 2}}},
	{"IncomingSSNResetRequest/1 stream", "00 0e 00 0a 00 00 00 05 00 07 00 00", ecPDec(DecodeIncomingSSNResetRequestParam),
		IncomingSSNResetRequestParam{RequestSeq: 5, raw: []byte{0, 7}},
		IncomingSSNResetRequestParam{RequestSeq: 5, StreamIDs: []uint16{7}}},
	{"IncomingSSNResetRequest/all", "00 0e 00 08 00 00 00 05", ecPDec(DecodeIncomingSSNResetRequestParam),
		IncomingSSNResetRequestParam{RequestSeq: 5, raw: []byte{}}, IncomingSSNResetRequestParam{RequestSeq: 5}},
	{"SSNTSNResetRequest", ecTSNReq, ecPDec(DecodeSSNTSNResetRequestParam),
		SSNTSNResetRequestParam{RequestSeq: 6}, nil},
	{"ReconfigResponse/12", ecResp12, ecPDec(DecodeReconfigResponseParam),
		ReconfigResponseParam{ResponseSeq: 1, Result: ReconfigResultSuccessPerformed}, nil},
	{"ReconfigResponse/20", ecResp20, ecPDec(DecodeReconfigResponseParam),
		ReconfigResponseParam{ResponseSeq: 2, Result: ReconfigResultSuccessPerformed,
			SenderNextTSN: 0x1000, ReceiverNextTSN: 0x2000, HasTSNs: true}, nil},
	{"AddOutgoingStreams", ecAddOut, ecPDec(DecodeAddOutgoingStreamsParam),
		AddOutgoingStreamsParam{RequestSeq: 7, NumNewStreams: 3}, nil},
	{"AddIncomingStreams", ecAddIn, ecPDec(DecodeAddIncomingStreamsParam),
		AddIncomingStreamsParam{RequestSeq: 8, NumNewStreams: 2}, nil},
}

func TestParamReconfigDecodeEncode(t *testing.T) {
	for _, tc := range ecReconfigParamCases {
		t.Run(tc.name, func(t *testing.T) {
			vec := ecHex(t, tc.vec)
			p := ecParamAt(t, vec, ecBase)
			got, err := tc.dec(p)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("decode = %#v, want %#v", got, tc.want)
			}
			if got.ParamType() != p.Type() {
				t.Fatalf("ParamType() = %v, want %v", got.ParamType(), p.Type())
			}
			for _, v := range []ecParamValue{tc.want, tc.enc} {
				if v == nil {
					continue
				}
				if enc := v.Append(nil); !bytes.Equal(enc, vec) || v.EncodedLen() != len(vec) {
					t.Fatalf("encode %#v = % x (EncodedLen %d), want % x", v, enc, v.EncodedLen(), vec)
				}
			}
			enc := got.Append([]byte{0xee})
			if enc[0] != 0xee || len(enc)-1 != got.EncodedLen() {
				t.Fatalf("Append = % x", enc)
			}
			again, err := tc.dec(ecParamAt(t, enc[1:], 0))
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("round trip = %#v, %v", again, err)
			}
		})
	}
}

func TestParamReconfigStreams(t *testing.T) {
	out, _ := DecodeOutgoingSSNResetRequestParam(ecParamAt(t, ecHex(t, "00 0d 00 16 00 00 00 01 00 00 00 00 00 00 00 09 00 05 00 06 ff ff 00 00"), 0))
	built := OutgoingSSNResetRequestParam{StreamIDs: []uint16{5, 6, 0xffff}}
	for _, v := range []OutgoingSSNResetRequestParam{out, built} {
		if v.NumStreams() != 3 || v.Stream(0) != 5 || v.Stream(1) != 6 || v.Stream(2) != 0xffff ||
			v.Stream(3) != 0 || v.Stream(-1) != 0 {
			t.Fatalf("accessors of %#v wrong", v)
		}
	}
	in, _ := DecodeIncomingSSNResetRequestParam(ecParamAt(t, ecHex(t, ecInReq2), 0))
	builtIn := IncomingSSNResetRequestParam{StreamIDs: []uint16{1, 2}}
	for _, v := range []IncomingSSNResetRequestParam{in, builtIn} {
		if v.NumStreams() != 2 || v.Stream(0) != 1 || v.Stream(1) != 2 || v.Stream(2) != 0 || v.Stream(-1) != 0 {
			t.Fatalf("accessors of %#v wrong", v)
		}
	}
	// Decoding and reading the streams does not allocate.
	vec := ecHex(t, ecOutReq1)
	if n := testing.AllocsPerRun(100, func() {
		x, err := DecodeOutgoingSSNResetRequestParam(Param{b: vec[:18]})
		if err != nil || x.Stream(0) != 5 {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}

func TestParamReconfigDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, vec string
		dec       ecParamDecoder
		what      string
	}{
		{"OutgoingSSNResetRequest/short", "00 0d 00 0c 00 00 00 01 00 00 00 00 00 00 00 09", ecPDec(DecodeOutgoingSSNResetRequestParam), "Outgoing SSN Reset Request parameter"},
		{"OutgoingSSNResetRequest/odd", "00 0d 00 11 00 00 00 01 00 00 00 00 00 00 00 09 00 00 00 00", ecPDec(DecodeOutgoingSSNResetRequestParam), "Outgoing SSN Reset Request parameter"},
		{"IncomingSSNResetRequest/short", "00 0e 00 04", ecPDec(DecodeIncomingSSNResetRequestParam), "Incoming SSN Reset Request parameter"},
		{"IncomingSSNResetRequest/odd", "00 0e 00 09 00 00 00 05 00 00 00 00", ecPDec(DecodeIncomingSSNResetRequestParam), "Incoming SSN Reset Request parameter"},
		{"SSNTSNResetRequest/short", "00 0f 00 04", ecPDec(DecodeSSNTSNResetRequestParam), "SSN/TSN Reset Request parameter"},
		{"SSNTSNResetRequest/long", "00 0f 00 0c 00 00 00 06 00 00 00 00", ecPDec(DecodeSSNTSNResetRequestParam), "SSN/TSN Reset Request parameter"},
		{"ReconfigResponse/short", "00 10 00 08 00 00 00 01", ecPDec(DecodeReconfigResponseParam), "Re-configuration Response parameter"},
		{"ReconfigResponse/16", "00 10 00 10 00 00 00 01 00 00 00 01 00 00 10 00", ecPDec(DecodeReconfigResponseParam), "Re-configuration Response parameter"},
		{"ReconfigResponse/24", "00 10 00 18 00 00 00 01 00 00 00 01 00 00 10 00 00 00 20 00 00 00 00 00", ecPDec(DecodeReconfigResponseParam), "Re-configuration Response parameter"},
		{"AddOutgoingStreams/short", "00 11 00 08 00 00 00 07", ecPDec(DecodeAddOutgoingStreamsParam), "Add Outgoing Streams Request parameter"},
		{"AddOutgoingStreams/long", "00 11 00 10 00 00 00 07 00 03 00 00 00 00 00 00", ecPDec(DecodeAddOutgoingStreamsParam), "Add Outgoing Streams Request parameter"},
		{"AddIncomingStreams/long", "00 12 00 0e 00 00 00 08 00 02 00 00 00 00 00 00", ecPDec(DecodeAddIncomingStreamsParam), "Add Incoming Streams Request parameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.dec(ecParamAt(t, ecHex(t, tc.vec), ecBase))
			ecWantErr(t, err, ErrBadLength, tc.what, ecBase)
		})
	}
}

func TestParamReconfigWrongType(t *testing.T) {
	other := ecParamAt(t, ecHex(t, "00 13 00 14 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"), ecBase)
	for _, tc := range ecReconfigParamCases {
		_, err := tc.dec(other)
		ecWantErr(t, err, ErrWrongType, tc.want.ParamType().String()+" parameter", ecBase)
		if _, err := tc.dec(Param{}); !errors.Is(err, ErrTooShort) {
			t.Errorf("%s: zero Param: %v", tc.name, err)
		}
	}
}

func TestParamReconfigResultString(t *testing.T) {
	for r, want := range map[ReconfigResult]string{
		ReconfigResultSuccessNothingToDo:            "Success - Nothing to do",
		ReconfigResultSuccessPerformed:              "Success - Performed",
		ReconfigResultDenied:                        "Denied",
		ReconfigResultErrorWrongSSN:                 "Error - Wrong SSN",
		ReconfigResultErrorRequestAlreadyInProgress: "Error - Request already in progress",
		ReconfigResultErrorBadSequenceNumber:        "Error - Bad Sequence Number",
		ReconfigResultInProgress:                    "In progress",
		7:                                           "result 7",
		0xffffffff:                                  "result 4294967295",
	} {
		if s := r.String(); s != want {
			t.Errorf("ReconfigResult(%d).String() = %q, want %q", uint32(r), s, want)
		}
	}
}

func TestParamReconfigRandomInput(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	b := make([]byte, 32)
	for i := 0; i < 20000; i++ {
		n := 4 + r.IntN(len(b)-4)
		for j := range b[:n] {
			b[j] = byte(r.Uint32())
		}
		b[0], b[1], b[2], b[3] = 0, byte(13+r.IntN(6)), 0, byte(n)
		p := Param{b: b[:n]}
		for _, tc := range ecReconfigParamCases {
			v, err := tc.dec(p)
			if err != nil {
				continue
			}
			again, err := tc.dec(ecParamAt(t, v.Append(nil), 0))
			if err != nil || !reflect.DeepEqual(again, v) {
				t.Fatalf("% x: round trip %#v, %v; want %#v", b[:n], again, err, v)
			}
		}
	}
}
