package wire

import "testing"

func TestShutdownVector(t *testing.T) {
	vec := dpHex(t, "07 00 00 08 89 ab cd ef")
	s, err := DecodeShutdown(dpChunk(t, vec))
	if err != nil {
		t.Fatal(err)
	}
	if s.CumulativeTSNAck != 0x89abcdef {
		t.Fatalf("cum TSN ack %#x", s.CumulativeTSNAck)
	}
	dpCheckEncode(t, &Shutdown{CumulativeTSNAck: 0x89abcdef}, vec)
	for _, tsn := range []uint32{0, 1, 0xffffffff} {
		in := Shutdown{CumulativeTSNAck: tsn}
		out, err := DecodeShutdown(dpChunk(t, dpEncode(t, &in)))
		if err != nil || out != in {
			t.Fatalf("round trip %v: %v %v", in, out, err)
		}
	}
}

func TestShutdownErrors(t *testing.T) {
	dec := func(c Chunk) error { _, err := DecodeShutdown(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"no TSN", "07 00 00 04", dec, ErrBadLength, "SHUTDOWN chunk", dpOff},
		{"short TSN", "07 00 00 07 00 00 01", dec, ErrBadLength, "SHUTDOWN chunk", dpOff},
		{"too long", "07 00 00 0c 00 00 00 01 00 00 00 00", dec, ErrBadLength, "SHUTDOWN chunk", dpOff},
	})
	dpWrongType(t, "SHUTDOWN chunk", dec)
}

func TestShutdownAckVector(t *testing.T) {
	vec := dpHex(t, "08 00 00 04")
	if _, err := DecodeShutdownAck(dpChunk(t, vec)); err != nil {
		t.Fatal(err)
	}
	dpCheckEncode(t, &ShutdownAck{}, vec)
	dec := func(c Chunk) error { _, err := DecodeShutdownAck(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"with a value", "08 00 00 08 00 00 00 00", dec, ErrBadLength, "SHUTDOWN ACK chunk", dpOff},
	})
	dpWrongType(t, "SHUTDOWN ACK chunk", dec)
}

func TestShutdownCompleteVectors(t *testing.T) {
	for _, tc := range []struct {
		vec  string
		want ShutdownComplete
	}{
		{"0e 00 00 04", ShutdownComplete{}},
		{"0e 01 00 04", ShutdownComplete{TagReflected: true}},
	} {
		vec := dpHex(t, tc.vec)
		got, err := DecodeShutdownComplete(dpChunk(t, vec))
		if err != nil || got != tc.want {
			t.Fatalf("%s: %+v %v", tc.vec, got, err)
		}
		dpCheckEncode(t, &tc.want, vec)
	}
	// Flags other than T are ignored.
	got, err := DecodeShutdownComplete(dpChunk(t, dpHex(t, "0e fe 00 04")))
	if err != nil || got.TagReflected {
		t.Fatalf("flags 0xfe: %+v %v", got, err)
	}
	sc := ShutdownComplete{TagReflected: true}
	if sc.Flags() != FlagT {
		t.Fatalf("flags %#x", sc.Flags())
	}
	dec := func(c Chunk) error { _, err := DecodeShutdownComplete(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"with a value", "0e 01 00 05 00", dec, ErrBadLength, "SHUTDOWN COMPLETE chunk", dpOff},
	})
	dpWrongType(t, "SHUTDOWN COMPLETE chunk", dec)
}
