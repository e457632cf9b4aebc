package wire

import (
	"bytes"
	"testing"
)

func TestPadVector(t *testing.T) {
	// RFC 4820 §3: the receiver ignores the padding data and the flags.
	vec := dpHex(t, "84 00 00 0b 00 00 00 00 00 00 00")
	p, err := DecodePad(dpChunk(t, vec))
	if err != nil || p.Len != 7 {
		t.Fatalf("got %+v %v", p, err)
	}
	dpCheckEncode(t, &p, vec)
	q, err := DecodePad(dpChunk(t, dpHex(t, "84 ff 00 08 de ad be ef")))
	if err != nil || q.Len != 4 {
		t.Fatalf("got %+v %v", q, err)
	}
	dpCheckEncode(t, &q, dpHex(t, "84 00 00 08 00 00 00 00"))
}

func TestPadRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 4, 100, 1400, MaxPadLen} {
		in := Pad{Len: n}
		b := dpEncode(t, &in)
		if !bytes.Equal(b[4:], make([]byte, len(b)-4)) {
			t.Fatalf("Len %d: padding is not zero", n)
		}
		out, err := DecodePad(dpChunk(t, b))
		if err != nil || out != in {
			t.Fatalf("Len %d: %+v %v", n, out, err)
		}
	}
	// Out-of-range lengths are clamped, not a panic or a wrapped length.
	dpCheckEncode(t, &Pad{Len: -5}, dpHex(t, "84 00 00 04"))
	big := Pad{Len: 1 << 20}
	if b := dpEncode(t, &big); len(b) != 65536 || b[2] != 0xff || b[3] != 0xff {
		t.Fatalf("clamped PAD: %d bytes, length % x", len(b), b[2:4])
	}
	buf := make([]byte, 0, 1100)
	if n := testing.AllocsPerRun(20, func() {
		p := Pad{Len: 1000}
		buf = p.Append(buf[:0])
	}); n != 0 {
		t.Fatalf("Append allocated %v times", n)
	}
}

func TestPadErrors(t *testing.T) {
	dec := func(c Chunk) error { _, err := DecodePad(c); return err }
	dpWrongType(t, "PAD chunk", dec)
}
