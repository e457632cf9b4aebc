package rx

import (
	"slices"
	"testing"

	"github.com/sconnlab/sconn/wire"
)

func TestTrackerGapBlocks(t *testing.T) {
	type step struct {
		tsn uint32
		v   Verdict
	}
	cases := []struct {
		name  string
		init  uint32
		steps []step
		cum   uint32
		gaps  []wire.GapBlock
		dups  []uint32
	}{
		{"in order", 10, []step{{10, Accepted}, {11, Accepted}, {12, Accepted}}, 12, nil, nil},
		{"nothing yet", 10, nil, 9, nil, nil},
		// RFC 9260 §6.7 Figure 9: 6 received, 7 lost, 8 received.
		{"figure 9", 6, []step{{6, Accepted}, {8, Accepted}}, 6, []wire.GapBlock{g(2, 2)}, nil},
		{"two gaps", 1, []step{{1, Accepted}, {3, Accepted}, {4, Accepted}, {7, Accepted}}, 1,
			[]wire.GapBlock{g(2, 3), g(6, 6)}, nil},
		{"fill first gap", 1, []step{{1, Accepted}, {3, Accepted}, {5, Accepted}, {2, Accepted}}, 3,
			[]wire.GapBlock{g(2, 2)}, nil},
		{"extend down and join", 1, []step{{3, Accepted}, {5, Accepted}, {4, Accepted}}, 0,
			[]wire.GapBlock{g(3, 5)}, nil},
		{"extend down", 1, []step{{5, Accepted}, {4, Accepted}}, 0, []wire.GapBlock{g(4, 5)}, nil},
		{"insert between", 1, []step{{3, Accepted}, {9, Accepted}, {6, Accepted}}, 0,
			[]wire.GapBlock{g(3, 3), g(6, 6), g(9, 9)}, nil},
		{"out of order fills all", 1, []step{{4, Accepted}, {3, Accepted}, {2, Accepted}, {1, Accepted}}, 4, nil, nil},
		{"dups", 1, []step{{1, Accepted}, {1, Duplicate}, {3, Accepted}, {3, Duplicate}, {0, Duplicate}}, 1,
			[]wire.GapBlock{g(2, 2)}, []uint32{1, 3, 0}},
		{"wrap in order", 0xFFFFFFFE, []step{{0xFFFFFFFE, Accepted}, {0xFFFFFFFF, Accepted}, {0, Accepted}, {1, Accepted}}, 1, nil, nil},
		{"gap across wrap", 0xFFFFFFFE, []step{{0xFFFFFFFE, Accepted}, {1, Accepted}, {2, Accepted}}, 0xFFFFFFFE,
			[]wire.GapBlock{g(3, 4)}, nil},
		{"gap across wrap filled", 0xFFFFFFFE, []step{{0xFFFFFFFE, Accepted}, {1, Accepted}, {0, Accepted}, {0xFFFFFFFF, Accepted}}, 1, nil, nil},
		{"dup across wrap", 0xFFFFFFFF, []step{{0xFFFFFFFF, Accepted}, {0, Accepted}, {0xFFFFFFFF, Duplicate}}, 0, nil, []uint32{0xFFFFFFFF}},
		{"initial tsn 0", 0, []step{{0, Accepted}, {0xFFFFFFFF, Duplicate}}, 0, nil, []uint32{0xFFFFFFFF}},
		{"window edge", 1, []step{{65535, Accepted}, {65536, OutOfWindow}}, 0, []wire.GapBlock{g(65535, 65535)}, nil},
		{"far behind is a duplicate", 1 << 20, []step{{1, Duplicate}}, 1<<20 - 1, nil, []uint32{1}},
		{"half the space away", 1, []step{{1 << 31, Duplicate}}, 0, nil, []uint32{1 << 31}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := NewDataTracker(Config{}, c.init)
			for _, s := range c.steps {
				isNew, v := tr.Observe(s.tsn)
				if v != s.v || isNew != (s.v == Accepted) {
					t.Fatalf("Observe(%d) = %v, %v; want %v", s.tsn, isNew, v, s.v)
				}
			}
			if tr.CumulativeTSNAck() != c.cum {
				t.Errorf("cum = %d, want %d", tr.CumulativeTSNAck(), c.cum)
			}
			s := sackOf(tr, 777)
			if s.CumulativeTSNAck != c.cum || s.ARwnd != 777 {
				t.Errorf("sack cum %d arwnd %d", s.CumulativeTSNAck, s.ARwnd)
			}
			if !slices.Equal(s.GapBlocks, c.gaps) {
				t.Errorf("gaps = %v, want %v", s.GapBlocks, c.gaps)
			}
			if !slices.Equal(s.DupTSNs, c.dups) {
				t.Errorf("dups = %v, want %v", s.DupTSNs, c.dups)
			}
			// Duplicates are reported once.
			if s2 := sackOf(tr, 0); len(s2.DupTSNs) != 0 || !slices.Equal(s2.GapBlocks, c.gaps) {
				t.Errorf("second SACK: dups %v gaps %v", s2.DupTSNs, s2.GapBlocks)
			}
		})
	}
}

func TestTrackerHighest(t *testing.T) {
	tr := NewDataTracker(Config{}, 0xFFFFFFF0)
	if tr.HighestTSN() != 0xFFFFFFEF || tr.HasGaps() {
		t.Fatal(tr.HighestTSN())
	}
	tr.Observe(0xFFFFFFF0)
	tr.Observe(3)
	if tr.HighestTSN() != 3 || !tr.HasGaps() || tr.NumGapBlocks() != 1 {
		t.Fatalf("highest %d gaps %d", tr.HighestTSN(), tr.NumGapBlocks())
	}
	if !tr.IsBeyondHighest(4) || tr.IsBeyondHighest(3) || tr.IsBeyondHighest(0xFFFFFFFF) {
		t.Error("IsBeyondHighest")
	}
}

func TestTrackerTooManyGaps(t *testing.T) {
	tr := NewDataTracker(Config{MaxGapBlocks: 3}, 1)
	for _, tsn := range []uint32{3, 5, 7} {
		if _, v := tr.Observe(tsn); v != Accepted {
			t.Fatal(tsn, v)
		}
	}
	if _, v := tr.Observe(9); v != TooManyGaps {
		t.Fatalf("9: %v", v)
	}
	// Extending a block or filling a gap still works.
	for _, tsn := range []uint32{8, 4, 1} {
		if _, v := tr.Observe(tsn); v != Accepted {
			t.Fatal(tsn, v)
		}
	}
	s := sackOf(tr, 0)
	if want := []wire.GapBlock{g(2, 4), g(6, 7)}; !slices.Equal(s.GapBlocks, want) || s.CumulativeTSNAck != 1 {
		t.Fatalf("cum %d gaps %v, want %v", s.CumulativeTSNAck, s.GapBlocks, want)
	}
}

func TestTrackerDupBound(t *testing.T) {
	tr := NewDataTracker(Config{MaxDupTSNs: 4}, 1)
	tr.Observe(1)
	for i := 0; i < 10; i++ {
		tr.Observe(1)
	}
	if tr.NumDupTSNs() != 4 || tr.DuplicatesSeen() != 10 {
		t.Fatalf("kept %d seen %d", tr.NumDupTSNs(), tr.DuplicatesSeen())
	}
	// The SACK list is limited by the caller's buffer too.
	var s wire.Sack
	tr.FillSack(&s, nil, make([]uint32, 0, 2), 0)
	if len(s.DupTSNs) != 2 || tr.NumDupTSNs() != 0 {
		t.Fatalf("dups %v left %d", s.DupTSNs, tr.NumDupTSNs())
	}
}

func TestTrackerFillSackTruncates(t *testing.T) {
	tr := NewDataTracker(Config{}, 100)
	for _, tsn := range []uint32{102, 104, 106, 108, 110} {
		tr.Observe(tsn)
	}
	var s wire.Sack
	tr.FillSack(&s, make([]wire.GapBlock, 0, 3), nil, 5)
	// §6.7: the lowest blocks first; the highest TSNs stay unacknowledged.
	want := []wire.GapBlock{g(3, 3), g(5, 5), g(7, 7)}
	if !slices.Equal(s.GapBlocks, want) || s.CumulativeTSNAck != 99 {
		t.Fatalf("gaps %v cum %d", s.GapBlocks, s.CumulativeTSNAck)
	}
	if s.EncodedLen() != wire.SackHeaderLen+3*4 {
		t.Fatalf("encoded length %d", s.EncodedLen())
	}
}

func TestTrackerForwardTSN(t *testing.T) {
	cases := []struct {
		name   string
		init   uint32
		recv   []uint32
		newCum uint32
		v      Verdict
		cum    uint32
		gaps   []wire.GapBlock
	}{
		// RFC 3758 §3.6 example: 102 received, 103 missing, 104-105
		// received, 106 missing, 107 received; FORWARD TSN 103 -> 105.
		{"rfc 3758 example", 100, []uint32{100, 101, 102, 104, 105, 107}, 103, Accepted, 105, []wire.GapBlock{g(2, 2)}},
		{"past every block", 1, []uint32{1, 3, 5}, 10, Accepted, 10, nil},
		{"into a block", 1, []uint32{1, 5, 6, 7, 9}, 6, Accepted, 7, []wire.GapBlock{g(2, 2)}},
		{"stale", 1, []uint32{1, 2, 3}, 2, Duplicate, 3, nil},
		{"equal", 1, []uint32{1, 2, 3}, 3, Duplicate, 3, nil},
		{"too far", 1, []uint32{1}, 1 + 70000, OutOfWindow, 1, nil},
		{"across wrap", 0xFFFFFFFE, []uint32{0xFFFFFFFE, 1, 3}, 0, Accepted, 1, []wire.GapBlock{g(2, 2)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := NewDataTracker(Config{}, c.init)
			for _, tsn := range c.recv {
				tr.Observe(tsn)
			}
			if v := tr.HandleForwardTSN(c.newCum); v != c.v {
				t.Fatalf("verdict %v, want %v", v, c.v)
			}
			s := sackOf(tr, 0)
			if s.CumulativeTSNAck != c.cum || !slices.Equal(s.GapBlocks, c.gaps) {
				t.Fatalf("cum %d gaps %v; want %d %v", s.CumulativeTSNAck, s.GapBlocks, c.cum, c.gaps)
			}
			// §3.6: a skipped TSN arriving later is a duplicate.
			if c.v == Accepted {
				if _, v := tr.Observe(c.newCum); v != Duplicate {
					t.Errorf("skipped TSN: %v", v)
				}
			}
		})
	}
}

func TestTrackerInitRestart(t *testing.T) {
	tr := NewDataTracker(Config{}, 5)
	tr.Observe(5)
	tr.Observe(9)
	tr.Observe(5)
	tr.Init(1000)
	if tr.CumulativeTSNAck() != 999 || tr.HasGaps() || tr.NumDupTSNs() != 0 || tr.ShouldSendSackNow() {
		t.Fatal("Init did not reset")
	}
}

func TestVerdictString(t *testing.T) {
	for v := Accepted; v <= InvalidStream; v++ {
		if v.String() == "verdict?" {
			t.Error(int(v))
		}
	}
	if Verdict(99).String() != "verdict?" {
		t.Error("unknown verdict")
	}
}

func g(start, end uint16) wire.GapBlock { return wire.GapBlock{Start: start, End: end} }
