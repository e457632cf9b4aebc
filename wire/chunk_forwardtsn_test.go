package wire

import (
	"reflect"
	"testing"
)

// FORWARD TSN: new cum TSN 0x100, stream 1 SSN 5, stream 7 SSN 0xffff.
const dpForwardTSNVector = `
c0 00 00 10
00 00 01 00
00 01 00 05
00 07 ff ff`

func TestDecodeForwardTSNVector(t *testing.T) {
	f, err := DecodeForwardTSN(dpChunk(t, dpHex(t, dpForwardTSNVector)))
	if err != nil {
		t.Fatal(err)
	}
	if f.NewCumulativeTSN != 0x100 || f.Streams != nil || f.NumStreams() != 2 {
		t.Fatalf("got %+v, %d streams", f, f.NumStreams())
	}
	if s := f.Stream(0); s != (ForwardTSNStream{1, 5}) {
		t.Fatalf("stream 0 %+v", s)
	}
	if s := f.Stream(1); s != (ForwardTSNStream{7, 0xffff}) {
		t.Fatalf("stream 1 %+v", s)
	}
	dpCheckEncode(t, &f, dpHex(t, dpForwardTSNVector))
}

func TestEncodeForwardTSNVector(t *testing.T) {
	f := ForwardTSN{NewCumulativeTSN: 0x100, Streams: []ForwardTSNStream{{1, 5}, {7, 0xffff}}}
	dpCheckEncode(t, &f, dpHex(t, dpForwardTSNVector))
	if f.NumStreams() != 2 || f.Stream(1) != (ForwardTSNStream{7, 0xffff}) {
		t.Fatal("accessors ignore Streams")
	}
	empty := ForwardTSN{NewCumulativeTSN: 3}
	dpCheckEncode(t, &empty, dpHex(t, "c0 00 00 08 00 00 00 03"))
}

func TestForwardTSNRoundTrip(t *testing.T) {
	for _, in := range []ForwardTSN{
		{NewCumulativeTSN: 0xfffffffe},
		{NewCumulativeTSN: 1, Streams: []ForwardTSNStream{{0, 0}, {65535, 1}, {3, 4}}},
	} {
		out, err := DecodeForwardTSN(dpChunk(t, dpEncode(t, &in)))
		if err != nil {
			t.Fatal(err)
		}
		got := ForwardTSN{NewCumulativeTSN: out.NewCumulativeTSN}
		for i := 0; i < out.NumStreams(); i++ {
			got.Streams = append(got.Streams, out.Stream(i))
		}
		if !reflect.DeepEqual(got, in) {
			t.Fatalf("round trip %+v -> %+v", in, got)
		}
	}
}

func TestForwardTSNErrors(t *testing.T) {
	dec := func(c Chunk) error { _, err := DecodeForwardTSN(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"too short", "c0 00 00 04", dec, ErrBadLength, "FORWARD TSN chunk", dpOff},
		{"no TSN", "c0 00 00 07 00 00 01", dec, ErrBadLength, "FORWARD TSN chunk", dpOff},
		{"half entry", "c0 00 00 0a 00 00 00 01 00 01", dec, ErrBadLength, "FORWARD TSN chunk", dpOff},
	})
	dpWrongType(t, "FORWARD TSN chunk", dec)
}

// I-FORWARD TSN: new cum TSN 0x200; stream 2 ordered MID 9; stream 3
// unordered MID 0x01020304.
const dpIForwardTSNVector = `
c2 00 00 18
00 00 02 00
00 02 00 00
00 00 00 09
00 03 00 01
01 02 03 04`

func TestDecodeIForwardTSNVector(t *testing.T) {
	f, err := DecodeIForwardTSN(dpChunk(t, dpHex(t, dpIForwardTSNVector)))
	if err != nil {
		t.Fatal(err)
	}
	if f.NewCumulativeTSN != 0x200 || f.Streams != nil || f.NumStreams() != 2 {
		t.Fatalf("got %+v, %d streams", f, f.NumStreams())
	}
	if s := f.Stream(0); s != (IForwardTSNStream{StreamID: 2, MID: 9}) {
		t.Fatalf("stream 0 %+v", s)
	}
	if s := f.Stream(1); s != (IForwardTSNStream{StreamID: 3, Unordered: true, MID: 0x01020304}) {
		t.Fatalf("stream 1 %+v", s)
	}
	dpCheckEncode(t, &f, dpHex(t, dpIForwardTSNVector))
}

func TestIForwardTSNReservedBits(t *testing.T) {
	// Reserved bits are ignored on receipt and sent as zero.
	c := dpChunk(t, dpHex(t, "c2 ff 00 10 00 00 00 01 00 05 ff fe 00 00 00 02"))
	f, err := DecodeIForwardTSN(c)
	if err != nil {
		t.Fatal(err)
	}
	if s := f.Stream(0); s != (IForwardTSNStream{StreamID: 5, MID: 2}) {
		t.Fatalf("stream %+v", s)
	}
	dpCheckEncode(t, &f, dpHex(t, "c2 00 00 10 00 00 00 01 00 05 00 00 00 00 00 02"))
}

func TestEncodeIForwardTSNVector(t *testing.T) {
	f := IForwardTSN{NewCumulativeTSN: 0x200, Streams: []IForwardTSNStream{
		{StreamID: 2, MID: 9}, {StreamID: 3, Unordered: true, MID: 0x01020304}}}
	dpCheckEncode(t, &f, dpHex(t, dpIForwardTSNVector))
}

func TestIForwardTSNRoundTrip(t *testing.T) {
	for _, in := range []IForwardTSN{
		{NewCumulativeTSN: 42},
		{NewCumulativeTSN: 1, Streams: []IForwardTSNStream{{65535, true, 0xffffffff}, {0, false, 0}}},
	} {
		out, err := DecodeIForwardTSN(dpChunk(t, dpEncode(t, &in)))
		if err != nil {
			t.Fatal(err)
		}
		got := IForwardTSN{NewCumulativeTSN: out.NewCumulativeTSN}
		for i := 0; i < out.NumStreams(); i++ {
			got.Streams = append(got.Streams, out.Stream(i))
		}
		if !reflect.DeepEqual(got, in) {
			t.Fatalf("round trip %+v -> %+v", in, got)
		}
	}
}

func TestIForwardTSNErrors(t *testing.T) {
	dec := func(c Chunk) error { _, err := DecodeIForwardTSN(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"too short", "c2 00 00 04", dec, ErrBadLength, "I-FORWARD TSN chunk", dpOff},
		{"half entry", "c2 00 00 0c 00 00 00 01 00 01 00 00", dec, ErrBadLength, "I-FORWARD TSN chunk", dpOff},
		{"FORWARD TSN sized entries", "c2 00 00 14 00 00 00 01 00 01 00 00 00 00 00 01 00 02 00 00", dec, ErrBadLength, "I-FORWARD TSN chunk", dpOff},
	})
	dpWrongType(t, "I-FORWARD TSN chunk", dec)
}

func TestDecodeForwardTSNDoesNotAllocate(t *testing.T) {
	c1 := dpChunk(t, dpHex(t, dpForwardTSNVector))
	c2 := dpChunk(t, dpHex(t, dpIForwardTSNVector))
	var sum uint32
	if n := testing.AllocsPerRun(100, func() {
		f, _ := DecodeForwardTSN(c1)
		for i := 0; i < f.NumStreams(); i++ {
			sum += uint32(f.Stream(i).SSN)
		}
		g, _ := DecodeIForwardTSN(c2)
		for i := 0; i < g.NumStreams(); i++ {
			sum += g.Stream(i).MID
		}
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
	_ = sum
}
