package wire

import (
	"bytes"
	"testing"
)

// I-DATA, first fragment (B), unordered and I: TSN 0x10, stream 3, MID 7,
// PPID 51 (WebRTC string), user data "hey" (length 23, 1 byte of padding).
const dpIDataFirstVector = `
40 0e 00 17
00 00 00 10
00 03 00 00
00 00 00 07
00 00 00 33
68 65 79`

// I-DATA, last fragment (E): TSN 0x11, stream 3, MID 7, FSN 1, "!".
const dpIDataLastVector = `
40 01 00 15
00 00 00 11
00 03 00 00
00 00 00 07
00 00 00 01
21`

func dpIDataEqual(a, b IData) bool {
	return a.TSN == b.TSN && a.StreamID == b.StreamID && a.MID == b.MID && a.PPID == b.PPID &&
		a.FSN == b.FSN && a.Unordered == b.Unordered && a.Beginning == b.Beginning &&
		a.Ending == b.Ending && a.Immediate == b.Immediate && bytes.Equal(a.UserData, b.UserData)
}

func TestIDataVectors(t *testing.T) {
	for _, tc := range []struct {
		vec  string
		want IData
	}{
		{dpIDataFirstVector, IData{TSN: 0x10, StreamID: 3, MID: 7, PPID: 51, Unordered: true,
			Beginning: true, Immediate: true, UserData: []byte("hey")}},
		{dpIDataLastVector, IData{TSN: 0x11, StreamID: 3, MID: 7, FSN: 1, Ending: true, UserData: []byte("!")}},
	} {
		vec := dpHex(t, tc.vec)
		got, err := DecodeIData(dpChunk(t, vec))
		if err != nil {
			t.Fatal(err)
		}
		if !dpIDataEqual(got, tc.want) {
			t.Fatalf("decoded %+v, want %+v", got, tc.want)
		}
		dpCheckEncode(t, &tc.want, vec)
	}
}

func TestIDataEncodesOnlyTheFieldThatApplies(t *testing.T) {
	// PPID is ignored without B and FSN with B.
	d := IData{TSN: 0x11, StreamID: 3, MID: 7, FSN: 1, PPID: 99, Ending: true, UserData: []byte("!")}
	dpCheckEncode(t, &d, dpHex(t, dpIDataLastVector))
	d = IData{TSN: 0x10, StreamID: 3, MID: 7, PPID: 51, FSN: 5, Unordered: true, Beginning: true,
		Immediate: true, UserData: []byte("hey")}
	dpCheckEncode(t, &d, dpHex(t, dpIDataFirstVector))
}

func TestIDataRoundTrip(t *testing.T) {
	for _, in := range []IData{
		{TSN: 1, StreamID: 0, MID: 0, PPID: 0, Beginning: true, Ending: true, UserData: []byte{1, 2, 3, 4}},
		{TSN: 0xffffffff, StreamID: 65535, MID: 0xffffffff, FSN: 0xfffffffe, UserData: make([]byte, 1001)},
	} {
		out, err := DecodeIData(dpChunk(t, dpEncode(t, &in)))
		if err != nil {
			t.Fatal(err)
		}
		if !dpIDataEqual(out, in) {
			t.Fatalf("round trip %+v -> %+v", in, out)
		}
	}
}

func TestIDataNoUserData(t *testing.T) {
	d, err := DecodeIData(dpChunk(t, dpHex(t, "40 03 00 14 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00")))
	if err != nil || len(d.UserData) != 0 {
		t.Fatalf("empty I-DATA: %+v %v", d, err)
	}
}

func TestIDataErrors(t *testing.T) {
	dec := func(c Chunk) error { _, err := DecodeIData(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"header only", "40 00 00 04", dec, ErrBadLength, "I-DATA chunk", dpOff},
		{"DATA sized", "40 03 00 10 00 00 00 01 00 00 00 00 00 00 00 00", dec, ErrBadLength, "I-DATA chunk", dpOff},
		{"19 bytes", "40 03 00 13 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00", dec, ErrBadLength, "I-DATA chunk", dpOff},
	})
	dpWrongType(t, "I-DATA chunk", dec)
}
