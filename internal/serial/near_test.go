package serial

import "testing"

func TestUnwrapNear(t *testing.T) {
	const base = 1 << 32
	cases := []struct {
		ref  uint64
		t    TSN
		want uint64
	}{
		{base + 10, 10, base + 10},
		{base + 10, 11, base + 11},
		{base + 10, 9, base + 9},
		{base + 0xFFFFFFFF, 0, 2*base + 0},          // forward across the wrap
		{2*base + 1, 0xFFFFFFFE, base + 0xFFFFFFFE}, // backward across the wrap
		{base, 1<<31 - 1, base + 1<<31 - 1},         // farthest ahead
		{base, 1 << 31, base - 1<<31},               // the undefined distance counts as behind
	}
	for _, c := range cases {
		if got := UnwrapNear(c.ref, c.t); got != c.want {
			t.Errorf("UnwrapNear(%#x, %#x) = %#x, want %#x", c.ref, c.t, got, c.want)
		}
	}
}
