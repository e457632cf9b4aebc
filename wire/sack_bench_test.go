package wire

import "testing"

var (
	dpBenchGaps = []GapBlock{{2, 3}, {5, 9}, {12, 12}, {20, 31}}
	dpBenchDups = []uint32{1000, 1001}
	dpBenchHdr  = Header{SrcPort: 5000, DstPort: 5000, VerificationTag: 0x01020304}
)

// dpSackPacket builds a packet with one SACK: 4 gap blocks and 2 dup TSNs.
func dpSackPacket() []byte {
	var bld Builder
	bld.Reset(make([]byte, 0, 1500), dpBenchHdr, 0)
	s := Sack{CumulativeTSNAck: 999, ARwnd: 1 << 20, GapBlocks: dpBenchGaps, DupTSNs: dpBenchDups}
	bld.Add(&s)
	return bld.Finish(false)
}

// dpReadSackPacket parses pkt and sums everything in its SACK chunks.
func dpReadSackPacket(pkt []byte) (uint32, error) {
	p, err := ParsePacket(pkt)
	if err != nil {
		return 0, err
	}
	var sum uint32
	it := p.Chunks()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		if c.Type() != ChunkSack {
			continue
		}
		s, err := DecodeSack(c)
		if err != nil {
			return 0, err
		}
		sum += s.CumulativeTSNAck + s.ARwnd
		for i := 0; i < s.NumGapBlocks(); i++ {
			st, en := s.GapBlock(i)
			sum += uint32(st) + uint32(en)
		}
		for i := 0; i < s.NumDupTSNs(); i++ {
			sum += s.DupTSN(i)
		}
	}
	return sum, nil
}

func BenchmarkParseSackPacket(b *testing.B) {
	pkt := dpSackPacket()
	b.SetBytes(int64(len(pkt)))
	b.ReportAllocs()
	var sum uint32
	for b.Loop() {
		n, err := dpReadSackPacket(pkt)
		if err != nil {
			b.Fatal(err)
		}
		sum += n
	}
	_ = sum
}

func BenchmarkBuildSackPacket(b *testing.B) {
	buf := make([]byte, 0, 1500)
	b.ReportAllocs()
	var bld Builder
	for b.Loop() {
		bld.Reset(buf, dpBenchHdr, 1200)
		s := Sack{CumulativeTSNAck: 999, ARwnd: 1 << 20, GapBlocks: dpBenchGaps, DupTSNs: dpBenchDups}
		if !bld.Fits(s.EncodedLen()) {
			b.Fatal("SACK does not fit")
		}
		bld.Add(&s)
		pkt := bld.Finish(false)
		b.SetBytes(int64(len(pkt)))
	}
}

// TestSackPacketZeroAlloc enforces in plain `go test` what the benchmarks
// report: parsing and building a SACK packet do not allocate.
func TestSackPacketZeroAlloc(t *testing.T) {
	pkt := dpSackPacket()
	want := uint32(999 + 1<<20 + 2 + 3 + 5 + 9 + 12 + 12 + 20 + 31 + 1000 + 1001)
	if sum, err := dpReadSackPacket(pkt); err != nil || sum != want {
		t.Fatalf("sum %d, want %d (%v)", sum, want, err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = dpReadSackPacket(pkt) }); n != 0 {
		t.Fatalf("parse: %v allocations", n)
	}
	buf := make([]byte, 0, 1500)
	var bld Builder
	if n := testing.AllocsPerRun(100, func() {
		bld.Reset(buf, dpBenchHdr, 1200)
		s := Sack{CumulativeTSNAck: 999, ARwnd: 1 << 20, GapBlocks: dpBenchGaps, DupTSNs: dpBenchDups}
		bld.Add(&s)
		_ = bld.Finish(false)
	}); n != 0 {
		t.Fatalf("build: %v allocations", n)
	}
	if got := bld.Finish(false); string(got) != string(pkt) {
		t.Fatalf("built packet differs:\n% x\n% x", got, pkt)
	}
}
