package wire

import "testing"

func TestECNEVectors(t *testing.T) {
	for _, tc := range []struct {
		name, vec string
		want      ECNE
	}{
		{"RFC 4960", "0c 00 00 08 00 00 12 34", ECNE{LowestTSN: 0x1234}},
		{"usrsctp", "0c 00 00 0c 00 00 12 34 00 00 00 03", ECNE{LowestTSN: 0x1234, NumPacketsSinceCWR: 3}},
	} {
		vec := dpHex(t, tc.vec)
		got, err := DecodeECNE(dpChunk(t, vec))
		if err != nil || got != tc.want {
			t.Fatalf("%s: %+v %v", tc.name, got, err)
		}
		dpCheckEncode(t, &tc.want, vec)
		out, err := DecodeECNE(dpChunk(t, dpEncode(t, &tc.want)))
		if err != nil || out != tc.want {
			t.Fatalf("%s round trip: %+v %v", tc.name, out, err)
		}
	}
	dec := func(c Chunk) error { _, err := DecodeECNE(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"no TSN", "0c 00 00 04", dec, ErrBadLength, "ECNE chunk", dpOff},
		{"short TSN", "0c 00 00 06 00 01", dec, ErrBadLength, "ECNE chunk", dpOff},
		{"length 10", "0c 00 00 0a 00 00 00 01 00 00", dec, ErrBadLength, "ECNE chunk", dpOff},
		{"length 16", "0c 00 00 10 00 00 00 01 00 00 00 01 00 00 00 00", dec, ErrBadLength, "ECNE chunk", dpOff},
	})
	dpWrongType(t, "ECNE chunk", dec)
}

func TestCWRVectors(t *testing.T) {
	for _, tc := range []struct {
		vec  string
		want CWR
	}{
		{"0d 00 00 08 ff ff ff fe", CWR{LowestTSN: 0xfffffffe}},
		{"0d 01 00 08 00 00 00 05", CWR{Flags: 0x01, LowestTSN: 5}}, // usrsctp reduce override
	} {
		vec := dpHex(t, tc.vec)
		got, err := DecodeCWR(dpChunk(t, vec))
		if err != nil || got != tc.want {
			t.Fatalf("%s: %+v %v", tc.vec, got, err)
		}
		dpCheckEncode(t, &tc.want, vec)
		out, err := DecodeCWR(dpChunk(t, dpEncode(t, &tc.want)))
		if err != nil || out != tc.want {
			t.Fatalf("round trip: %+v %v", out, err)
		}
	}
	dec := func(c Chunk) error { _, err := DecodeCWR(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"no TSN", "0d 00 00 04", dec, ErrBadLength, "CWR chunk", dpOff},
		{"too long", "0d 00 00 0c 00 00 00 01 00 00 00 03", dec, ErrBadLength, "CWR chunk", dpOff},
	})
	dpWrongType(t, "CWR chunk", dec)
}
