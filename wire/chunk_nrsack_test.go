package wire

import "testing"

// NR-SACK as usrsctp lays it out: all-NR flag, cum TSN ack 1000, a_rwnd
// 0x20000, 1 gap block, 2 NR gap blocks, 1 dup TSN, reserved.
const dpNRSackVector = `
10 01 00 24
00 00 03 e8
00 02 00 00
00 01 00 02
00 01 00 00
00 02 00 04
00 06 00 06
00 08 00 0a
00 00 03 e0`

func TestDecodeNRSackVector(t *testing.T) {
	s, err := DecodeNRSack(dpChunk(t, dpHex(t, dpNRSackVector)))
	if err != nil {
		t.Fatal(err)
	}
	if s.Flags != FlagAllNonRenegable || !s.AllNonRenegable() || s.CumulativeTSNAck != 1000 || s.ARwnd != 0x20000 {
		t.Fatalf("got %+v", s)
	}
	if s.NumGapBlocks() != 1 || s.NumNRGapBlocks() != 2 || s.NumDupTSNs() != 1 {
		t.Fatalf("counts %d %d %d", s.NumGapBlocks(), s.NumNRGapBlocks(), s.NumDupTSNs())
	}
	if st, en := s.GapBlock(0); st != 2 || en != 4 {
		t.Fatalf("gap block %d-%d", st, en)
	}
	if st, en := s.NRGapBlock(0); st != 6 || en != 6 {
		t.Fatalf("NR gap block 0 %d-%d", st, en)
	}
	if st, en := s.NRGapBlock(1); st != 8 || en != 10 {
		t.Fatalf("NR gap block 1 %d-%d", st, en)
	}
	if s.DupTSN(0) != 992 {
		t.Fatalf("dup %d", s.DupTSN(0))
	}
	dpCheckEncode(t, &s, dpHex(t, dpNRSackVector))
}

func TestEncodeNRSackVector(t *testing.T) {
	s := NRSack{Flags: FlagAllNonRenegable, CumulativeTSNAck: 1000, ARwnd: 0x20000,
		GapBlocks: []GapBlock{{2, 4}}, NRGapBlocks: []GapBlock{{6, 6}, {8, 10}}, DupTSNs: []uint32{992}}
	dpCheckEncode(t, &s, dpHex(t, dpNRSackVector))
}

func TestNRSackRoundTrip(t *testing.T) {
	for _, in := range []NRSack{
		{CumulativeTSNAck: 5, ARwnd: 6},
		{CumulativeTSNAck: 5, ARwnd: 6, NRGapBlocks: []GapBlock{{3, 9}}},
		{Flags: 0x80, CumulativeTSNAck: 1, GapBlocks: []GapBlock{{1, 2}, {4, 5}}, DupTSNs: []uint32{7, 8}},
	} {
		out, err := DecodeNRSack(dpChunk(t, dpEncode(t, &in)))
		if err != nil {
			t.Fatal(err)
		}
		if out.Flags != in.Flags || out.CumulativeTSNAck != in.CumulativeTSNAck || out.ARwnd != in.ARwnd ||
			out.NumGapBlocks() != len(in.GapBlocks) || out.NumNRGapBlocks() != len(in.NRGapBlocks) ||
			out.NumDupTSNs() != len(in.DupTSNs) {
			t.Fatalf("round trip %+v", in)
		}
		for i, g := range in.GapBlocks {
			if st, en := out.GapBlock(i); st != g.Start || en != g.End {
				t.Fatalf("gap %d", i)
			}
		}
		for i, g := range in.NRGapBlocks {
			if st, en := out.NRGapBlock(i); st != g.Start || en != g.End {
				t.Fatalf("NR gap %d", i)
			}
		}
		for i, d := range in.DupTSNs {
			if out.DupTSN(i) != d {
				t.Fatalf("dup %d", i)
			}
		}
	}
}

func TestNRSackErrors(t *testing.T) {
	dec := func(c Chunk) error { _, err := DecodeNRSack(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"too short", "10 00 00 10 00 00 00 01 00 00 00 01 00 00 00 00", dec, ErrBadLength, "NR-SACK chunk", dpOff},
		{"missing NR block", "10 00 00 14 00 00 00 01 00 00 00 01 00 00 00 01 00 00 00 00", dec, ErrBadLength, "NR-SACK chunk", dpOff + 12},
		{"extra bytes", "10 00 00 18 00 00 00 01 00 00 00 01 00 00 00 00 00 00 00 00 00 01 00 02", dec, ErrBadLength, "NR-SACK chunk", dpOff + 12},
		{"missing dup", "10 00 00 18 00 00 00 01 00 00 00 01 00 01 00 00 00 01 00 00 00 01 00 02", dec, ErrBadLength, "NR-SACK chunk", dpOff + 12},
	})
	dpWrongType(t, "NR-SACK chunk", dec)
}

func TestDecodeNRSackDoesNotAllocate(t *testing.T) {
	c := dpChunk(t, dpHex(t, dpNRSackVector))
	var sum uint32
	if n := testing.AllocsPerRun(100, func() {
		s, _ := DecodeNRSack(c)
		for i := 0; i < s.NumNRGapBlocks(); i++ {
			st, en := s.NRGapBlock(i)
			sum += uint32(st) + uint32(en)
		}
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
	_ = sum
}
