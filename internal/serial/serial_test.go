package serial

import "testing"

func TestTSNCompare(t *testing.T) {
	cases := []struct {
		a, b TSN
		less bool
	}{
		{0, 1, true},
		{1, 0, false},
		{0xFFFFFFFF, 0, true},
		{0, 0xFFFFFFFF, false},
		{5, 5, false},
		{0, 1<<31 - 1, true},
		{1<<31 - 1, 0, false},
		{0xFFFFFFF0, 0x10, true},
	}
	for _, c := range cases {
		if got := c.a.Less(c.b); got != c.less {
			t.Errorf("%d.Less(%d) = %v, want %v", c.a, c.b, got, c.less)
		}
		if got := c.b.Greater(c.a); got != c.less {
			t.Errorf("%d.Greater(%d) = %v, want %v", c.b, c.a, got, c.less)
		}
	}
	// RFC 1982 §3.2: the pair at distance 2^31 is undefined: neither is less.
	if TSN(0).Less(1<<31) || TSN(1<<31).Less(0) {
		t.Error("distance 2^31 must compare as undefined")
	}
	if !TSN(7).LessEq(7) || !TSN(7).GreaterEq(7) || !TSN(6).LessEq(7) || !TSN(8).GreaterEq(7) {
		t.Error("LessEq/GreaterEq")
	}
	if TSN(0xFFFFFFFF).Next() != 0 || TSN(0).Prev() != 0xFFFFFFFF || TSN(0xFFFFFFFE).Add(3) != 1 {
		t.Error("wrapping arithmetic")
	}
	if TSN(0xFFFFFFFE).Distance(1) != 3 {
		t.Error("Distance")
	}
}

func TestSSNAndMID(t *testing.T) {
	if !SSN(0xFFFF).Less(0) || SSN(0).Less(0xFFFF) || SSN(0).Less(1<<15) || SSN(1<<15).Less(0) {
		t.Error("SSN.Less")
	}
	if !SSN(3).LessEq(3) || !SSN(4).Greater(3) || !SSN(4).GreaterEq(4) || SSN(0xFFFF).Next() != 0 || SSN(1).Add(0xFFFF) != 0 {
		t.Error("SSN helpers")
	}
	if !MID(0xFFFFFFFF).Less(0) || !MID(1).LessEq(1) || MID(0xFFFFFFFF).Next() != 0 {
		t.Error("MID helpers")
	}
}

func TestUnwrapper(t *testing.T) {
	var u Unwrapper
	steps := []struct {
		in   TSN
		want uint64
	}{
		{0xFFFFFFF0, 0xFFFFFFF0},
		{0xFFFFFFFF, 0xFFFFFFFF},
		{0x00000005, 0x100000005},
		{0xFFFFFFFE, 0xFFFFFFFE}, // old value still reachable backwards
		{0x00000010, 0x100000010},
		{0x80000000, 0x180000000},
		{0xF0000000, 0x1F0000000},
		{0x00000011, 0x200000011},
	}
	for i, s := range steps {
		if got := u.Peek(s.in); got != s.want {
			t.Fatalf("step %d: Peek(%#x) = %#x, want %#x", i, s.in, got, s.want)
		}
		if got := u.Unwrap(s.in); got != s.want {
			t.Fatalf("step %d: Unwrap(%#x) = %#x, want %#x", i, s.in, got, s.want)
		}
	}
	var v Unwrapper
	v.Unwrap(5)
	if got := v.Unwrap(0xFFFFFFFF); got != 0xFFFFFFFF {
		t.Fatalf("below the first value: got %#x", got)
	}
	v.Reset()
	if got := v.Unwrap(3); got != 3 {
		t.Fatalf("after Reset: %d", got)
	}
}
