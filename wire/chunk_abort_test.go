package wire

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

var (
	_ Encoder = (*Abort)(nil)
	_ Encoder = (*ErrorChunk)(nil)
)

// ecChunkAt returns a view of the chunk vector b as if it were at offset off
// of a packet.
func ecChunkAt(t testing.TB, b []byte, off int) Chunk {
	t.Helper()
	c, err := ChunkAt(b, off)
	if err != nil {
		t.Fatalf("ChunkAt(% x): %v", b, err)
	}
	return c
}

// ecPacket returns a parsed packet holding the given chunk bytes (padded).
func ecPacket(t testing.TB, chunks ...[]byte) Packet {
	t.Helper()
	b := AppendHeader(nil, Header{SrcPort: 5000, DstPort: 5001, VerificationTag: 0x0a0b0c0d})
	for _, c := range chunks {
		b = append(b, c...)
	}
	p, err := ParsePacket(FinishPacket(b, false))
	if err != nil {
		t.Fatalf("ParsePacket: %v", err)
	}
	return p
}

// ecCauseList collects the codes and offsets of an iterator's causes.
func ecCauseList(t testing.TB, it CauseIter) (codes []CauseCode, offs []int) {
	t.Helper()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		codes = append(codes, c.Code())
		offs = append(offs, c.Offset())
	}
	if err := it.Err(); err != nil {
		t.Fatalf("cause iterator: %v", err)
	}
	return codes, offs
}

func TestChunkAbortVectors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		vec       string // chunk with its padding
		want      Abort
		canonical bool
	}{
		// An ABORT with the T bit and no cause, as Linux and usrsctp send in
		// reply to an out-of-the-blue packet (RFC 9260 §8.4).
		{"T bit only", "06 01 00 04", Abort{TagReflected: true, Causes: []byte{}}, true},
		{"reserved flags ignored", "06 fe 00 04", Abort{Causes: []byte{}}, false},
		// Protocol Violation "abc", then No User Data TSN 0x01020304.
		{"two causes", "06 01 00 14 00 0d 00 07 61 62 63 00 00 09 00 08 01 02 03 04",
			Abort{TagReflected: true, Causes: ecHexMust("00 0d 00 07 61 62 63 00 00 09 00 08 01 02 03 04")}, true},
		// User-Initiated Abort "bye": the Length excludes the last padding.
		{"user abort", "06 00 00 0b 00 0c 00 07 62 79 65 00",
			Abort{Causes: ecHexMust("00 0c 00 07 62 79 65")}, true},
		{"last padding counted", "06 00 00 0c 00 0c 00 07 62 79 65 00",
			Abort{Causes: ecHexMust("00 0c 00 07 62 79 65 00")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vec := ecHex(t, tc.vec)
			got, err := DecodeAbort(ecChunkAt(t, vec, 0))
			if err != nil {
				t.Fatal(err)
			}
			if got.TagReflected != tc.want.TagReflected || !bytes.Equal(got.Causes, tc.want.Causes) {
				t.Fatalf("decode = %+v, want %+v", got, tc.want)
			}
			if tc.canonical {
				if enc := tc.want.Append(nil); !bytes.Equal(enc, vec) || tc.want.EncodedLen() != len(vec) {
					t.Fatalf("encode = % x (EncodedLen %d), want % x", enc, tc.want.EncodedLen(), vec)
				}
			}
			enc := got.Append([]byte{0xee})
			again, err := DecodeAbort(ecChunkAt(t, enc[1:], 0))
			if err != nil || again.TagReflected != got.TagReflected || !bytes.Equal(again.Append(nil), enc[1:]) ||
				len(enc)-1 != got.EncodedLen() {
				t.Fatalf("round trip: % x → %+v, %v", enc, again, err)
			}
		})
	}
}

// A built ABORT with padded causes encodes with the Length of RFC 9260 §3.2.
func TestChunkAbortBuild(t *testing.T) {
	a := Abort{TagReflected: true, Causes: UserInitiatedAbort{Reason: []byte("bye")}.Append(nil)}
	want := ecHex(t, "06 01 00 0b 00 0c 00 07 62 79 65 00")
	if enc := a.Append(nil); !bytes.Equal(enc, want) || a.EncodedLen() != len(want) {
		t.Fatalf("encode = % x, want % x", enc, want)
	}
	if a.Flags() != FlagT || a.ChunkType() != ChunkAbort {
		t.Fatalf("Flags %x ChunkType %v", a.Flags(), a.ChunkType())
	}
	// Offsets of a built chunk's causes are offsets in the chunk.
	if _, offs := ecCauseList(t, a.CauseIter()); len(offs) != 1 || offs[0] != 4 {
		t.Fatalf("offsets %v", offs)
	}
	var bld Builder
	bld.Reset(nil, Header{}, 0)
	bld.Add(&a)
	if !bytes.Equal(bld.Bytes()[HeaderLen:], want) {
		t.Fatalf("Builder: % x", bld.Bytes()[HeaderLen:])
	}
}

func TestChunkErrorVectors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		vec    string
		causes string
	}{
		{"stale cookie", "09 00 00 0c 00 03 00 08 00 00 05 dc", "00 03 00 08 00 00 05 dc"},
		{"unrecognized chunk and cookie while shutting down",
			"09 00 00 10 00 06 00 08 4f 00 00 04 00 0a 00 04", "00 06 00 08 4f 00 00 04 00 0a 00 04"},
		// RFC 9260 §3.3.10 wants one or more causes; an empty ERROR is accepted.
		{"empty", "09 00 00 04", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vec, causes := ecHex(t, tc.vec), ecHex(t, tc.causes)
			got, err := DecodeErrorChunk(ecChunkAt(t, vec, 0))
			if err != nil || !bytes.Equal(got.Causes, causes) {
				t.Fatalf("decode = % x, %v; want % x", got.Causes, err, causes)
			}
			want := ErrorChunk{Causes: causes}
			if enc := want.Append(nil); !bytes.Equal(enc, vec) || want.EncodedLen() != len(vec) {
				t.Fatalf("encode = % x, want % x", enc, vec)
			}
			again, err := DecodeErrorChunk(ecChunkAt(t, got.Append(nil), 0))
			if err != nil || !bytes.Equal(again.Causes, got.Causes) {
				t.Fatalf("round trip % x, %v", again.Causes, err)
			}
		})
	}
}

// In a packet, CauseIter gives packet offsets.
func TestChunkAbortErrorInPacket(t *testing.T) {
	errc := ecHex(t, "09 00 00 0c 00 03 00 08 00 00 05 dc")
	abort := ecHex(t, "06 01 00 14 00 0d 00 07 61 62 63 00 00 09 00 08 01 02 03 04")
	p := ecPacket(t, errc, abort)
	it := p.Chunks()
	c, _ := it.Next()
	e, err := DecodeErrorChunk(c)
	if err != nil {
		t.Fatal(err)
	}
	if codes, offs := ecCauseList(t, e.CauseIter()); len(codes) != 1 || codes[0] != CauseStaleCookie || offs[0] != 16 {
		t.Fatalf("ERROR causes %v at %v", codes, offs)
	}
	c, _ = it.Next()
	a, err := DecodeAbort(c)
	if err != nil {
		t.Fatal(err)
	}
	codes, offs := ecCauseList(t, a.CauseIter())
	if len(codes) != 2 || codes[0] != CauseProtocolViolation || codes[1] != CauseNoUserData || offs[0] != 28 || offs[1] != 36 {
		t.Fatalf("ABORT causes %v at %v", codes, offs)
	}
	ci := a.CauseIter()
	ci.Next()
	nud, _ := ci.Next()
	if x, err := DecodeNoUserData(nud); err != nil || x.TSN != 0x01020304 {
		t.Fatalf("No User Data %+v, %v", x, err)
	}

	// Decoding the packet's chunks and walking their causes does not allocate.
	if n := testing.AllocsPerRun(100, func() {
		it := p.Chunks()
		c, _ := it.Next()
		e, _ := DecodeErrorChunk(c)
		ci := e.CauseIter()
		for _, ok := ci.Next(); ok; _, ok = ci.Next() {
		}
		c, _ = it.Next()
		a, _ := DecodeAbort(c)
		ci = a.CauseIter()
		for _, ok := ci.Next(); ok; _, ok = ci.Next() {
		}
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = a.Append(buf[:0]) }); n != 0 {
		t.Fatalf("Append: %v allocations", n)
	}
}

func TestChunkAbortErrorDecodeErrors(t *testing.T) {
	const off = 40
	for _, tc := range []struct {
		name     string
		vec      string
		sentinel error
		what     string
		off      int
	}{
		{"ABORT cause length 3", "06 00 00 08 00 0c 00 03", ErrBadLength, "ABORT chunk error cause", off + 4},
		{"ABORT cause past the end", "06 00 00 08 00 0c 00 07", ErrBadLength, "ABORT chunk error cause", off + 4},
		{"ABORT second cause past the end", "06 00 00 0c 00 04 00 04 00 0d 00 09", ErrBadLength, "ABORT chunk error cause", off + 8},
		{"ABORT trailing bytes", "06 00 00 0a 00 04 00 04 01 02", ErrTooShort, "ABORT chunk error cause header", off + 8},
		{"ERROR cause length 0", "09 00 00 08 00 03 00 00", ErrBadLength, "ERROR chunk error cause", off + 4},
		{"ERROR trailing bytes", "09 00 00 07 00 01 02", ErrTooShort, "ERROR chunk error cause header", off + 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ecChunkAt(t, ecHex(t, tc.vec), off)
			var err error
			if c.Type() == ChunkAbort {
				_, err = DecodeAbort(c)
			} else {
				_, err = DecodeErrorChunk(c)
			}
			ecWantErr(t, err, tc.sentinel, tc.what, tc.off)
		})
	}
	abort := ecChunkAt(t, ecHex(t, "06 00 00 04"), off)
	errc := ecChunkAt(t, ecHex(t, "09 00 00 04"), off)
	_, err := DecodeAbort(errc)
	ecWantErr(t, err, ErrWrongType, "ABORT chunk", off)
	_, err = DecodeErrorChunk(abort)
	ecWantErr(t, err, ErrWrongType, "ERROR chunk", off)
	if _, err := DecodeAbort(Chunk{}); !errors.Is(err, ErrTooShort) {
		t.Fatalf("zero Chunk: %v", err)
	}
	if _, err := DecodeErrorChunk(Chunk{}); !errors.Is(err, ErrTooShort) {
		t.Fatalf("zero Chunk: %v", err)
	}
}

// Random values never make the decoders panic, and what decodes round trips.
func TestChunkAbortErrorRandomInput(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, 40)
	for i := 0; i < 20000; i++ {
		n := 4 + r.IntN(len(b)-4)
		for j := range b[:n] {
			b[j] = byte(r.IntN(12))
		}
		b[0], b[1], b[2], b[3] = byte(ChunkAbort), byte(r.Uint32()), 0, byte(n)
		if i%2 == 1 {
			b[0] = byte(ChunkError)
		}
		c := Chunk{b: b[:n]}
		if a, err := DecodeAbort(c); err == nil {
			ecCauseList(t, a.CauseIter())
			again, err := DecodeAbort(ecChunkAt(t, a.Append(nil), 0))
			if err != nil || again.TagReflected != a.TagReflected {
				t.Fatalf("% x: %v", b[:n], err)
			}
		}
		if e, err := DecodeErrorChunk(c); err == nil {
			ecCauseList(t, e.CauseIter())
			if _, err := DecodeErrorChunk(ecChunkAt(t, e.Append(nil), 0)); err != nil {
				t.Fatalf("% x: %v", b[:n], err)
			}
		}
	}
}

// When Causes is not a well-formed list, the Length still covers every byte
// appended, so the chunk never spills into the next one. Padding bytes after
// the last cause are written as zeros, whatever they held (RFC 9260 §3.2:
// the receiver ignores them).
func TestChunkAbortMalformedCausesLength(t *testing.T) {
	for _, tc := range []struct{ causes, want string }{
		{"01 02 03", "06 00 00 07 01 02 03 00"},
		{"00 0c 00 05 61 00 00 00 00 00 00 00", "06 00 00 10 00 0c 00 05 61 00 00 00 00 00 00 00"},
		{"00 0c 00 05 61 00 00 07", "06 00 00 09 00 0c 00 05 61 00 00 00"},
		{"00 0c 00 09 61", "06 00 00 09 00 0c 00 09 61 00 00 00"},
	} {
		a := Abort{Causes: ecHex(t, tc.causes)}
		if enc := a.Append(nil); !bytes.Equal(enc, ecHex(t, tc.want)) || len(enc) != a.EncodedLen() {
			t.Errorf("causes %s: encode = % x, want %s", tc.causes, enc, tc.want)
		}
	}
}
