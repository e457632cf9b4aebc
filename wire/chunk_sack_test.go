package wire

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// Shared helpers of the data path (dp) tests.

// dpOff is the packet offset of the chunk under test: dpChunk puts it after
// a COOKIE ACK so that offsets in errors are not just the header length.
const dpOff = HeaderLen + 4

// dpHex decodes hex with spaces and newlines.
func dpHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// dpPacket wraps chunk bytes (padded here if needed) in a packet after a
// COOKIE ACK chunk.
func dpPacket(chunk []byte) []byte {
	pkt := AppendHeader(nil, Header{SrcPort: 5000, DstPort: 5001, VerificationTag: 0xdeadbeef})
	pkt = append(pkt, 0x0b, 0x00, 0x00, 0x04)
	pkt = append(pkt, chunk...)
	for len(pkt)%4 != 0 {
		pkt = append(pkt, 0)
	}
	return FinishPacket(pkt, false)
}

// dpChunk returns the chunk under test, parsed from a packet.
func dpChunk(t testing.TB, chunk []byte) Chunk {
	t.Helper()
	p, err := ParsePacket(dpPacket(chunk))
	if err != nil {
		t.Fatalf("ParsePacket: %v", err)
	}
	it := p.Chunks()
	it.Next()
	c, ok := it.Next()
	if !ok || c.Offset() != dpOff {
		t.Fatalf("chunk under test not found at offset %d", dpOff)
	}
	return c
}

// dpEncode appends e to a non-empty buffer and checks EncodedLen.
func dpEncode(t testing.TB, e Encoder) []byte {
	t.Helper()
	prefix := []byte{0xAA, 0xBB}
	b := e.Append(append([]byte(nil), prefix...))
	if !bytes.Equal(b[:2], prefix) {
		t.Fatalf("%s: Append changed the bytes before it", e.ChunkType())
	}
	b = b[2:]
	if len(b) != e.EncodedLen() {
		t.Fatalf("%s: Append wrote %d bytes, EncodedLen says %d", e.ChunkType(), len(b), e.EncodedLen())
	}
	if len(b)%4 != 0 {
		t.Fatalf("%s: encoding of %d bytes is not padded", e.ChunkType(), len(b))
	}
	return b
}

// dpCheckEncode checks that e encodes to want (the chunk plus its padding).
func dpCheckEncode(t testing.TB, e Encoder, want []byte) {
	t.Helper()
	want = append([]byte(nil), want...)
	for len(want)%4 != 0 {
		want = append(want, 0)
	}
	if got := dpEncode(t, e); !bytes.Equal(got, want) {
		t.Fatalf("%s encoding:\n got % x\nwant % x", e.ChunkType(), got, want)
	}
}

// dpErrCase is a chunk that a decoder must reject.
type dpErrCase struct {
	name   string
	chunk  string // hex
	decode func(Chunk) error
	err    error  // sentinel
	what   string // e.g. "SACK chunk"
	off    int    // packet offset in the message
}

func dpRunErrCases(t *testing.T, cases []dpErrCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.decode(dpChunk(t, dpHex(t, tc.chunk)))
			dpCheckErr(t, err, tc.err, tc.what, tc.off)
		})
	}
}

func dpCheckErr(t testing.TB, err, sentinel error, what string, off int) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", sentinel)
	}
	if !errors.Is(err, sentinel) {
		t.Fatalf("error %q is not %v", err, sentinel)
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %q is not a *ParseError", err)
	}
	if want := what + " at offset " + strconv.Itoa(off); !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not contain %q", err, want)
	}
}

// dpWrongType gives decode the COOKIE ACK that dpPacket puts first (or,
// for the COOKIE ACK decoder, a SACK) and expects ErrWrongType; the zero
// Chunk must give ErrTooShort.
func dpWrongType(t *testing.T, what string, decode func(Chunk) error) {
	t.Helper()
	p, err := ParsePacket(dpPacket(dpHex(t, dpSackVector)))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := p.FirstChunk()
	if what == "COOKIE ACK chunk" {
		it := p.Chunks()
		it.Next()
		c, _ = it.Next()
	}
	dpCheckErr(t, decode(c), ErrWrongType, what, c.Offset())
	// The zero Chunk is rejected too, without panicking.
	if err := decode(Chunk{}); !errors.Is(err, ErrTooShort) {
		t.Fatalf("zero Chunk: %v, want ErrTooShort", err)
	}
}

// SACK with cum TSN ack 0x12345678, a_rwnd 65536, 2 gap blocks and 1 dup.
const dpSackVector = `
03 00 00 1c
12 34 56 78
00 01 00 00
00 02 00 01
00 02 00 03
00 05 00 07
12 34 56 70`

func TestDecodeSackVector(t *testing.T) {
	s, err := DecodeSack(dpChunk(t, dpHex(t, dpSackVector)))
	if err != nil {
		t.Fatal(err)
	}
	if s.CumulativeTSNAck != 0x12345678 || s.ARwnd != 65536 {
		t.Fatalf("got cum TSN ack %#x a_rwnd %d", s.CumulativeTSNAck, s.ARwnd)
	}
	if s.GapBlocks != nil || s.DupTSNs != nil {
		t.Fatal("decoder filled the encoding slices")
	}
	if s.NumGapBlocks() != 2 || s.NumDupTSNs() != 1 {
		t.Fatalf("got %d gap blocks, %d dups", s.NumGapBlocks(), s.NumDupTSNs())
	}
	for i, want := range []GapBlock{{2, 3}, {5, 7}} {
		if st, en := s.GapBlock(i); st != want.Start || en != want.End {
			t.Fatalf("gap block %d = %d-%d, want %v", i, st, en, want)
		}
	}
	if d := s.DupTSN(0); d != 0x12345670 {
		t.Fatalf("dup TSN %#x", d)
	}
	// A decoded SACK re-encodes from its views.
	dpCheckEncode(t, &s, dpHex(t, dpSackVector))
}

func TestEncodeSackVector(t *testing.T) {
	s := Sack{CumulativeTSNAck: 0x12345678, ARwnd: 65536,
		GapBlocks: []GapBlock{{2, 3}, {5, 7}}, DupTSNs: []uint32{0x12345670}}
	dpCheckEncode(t, &s, dpHex(t, dpSackVector))
	if s.NumGapBlocks() != 2 || s.NumDupTSNs() != 1 {
		t.Fatal("accessors ignore the slices")
	}
	if st, en := s.GapBlock(1); st != 5 || en != 7 || s.DupTSN(0) != 0x12345670 {
		t.Fatal("accessors read the slices wrong")
	}
}

func TestSackRoundTrip(t *testing.T) {
	for _, in := range []Sack{
		{CumulativeTSNAck: 1, ARwnd: 2},
		{CumulativeTSNAck: 0xffffffff, ARwnd: 0, GapBlocks: []GapBlock{{1, 1}}},
		{CumulativeTSNAck: 7, ARwnd: 1 << 20, DupTSNs: []uint32{3, 4, 5}},
		{CumulativeTSNAck: 9, ARwnd: 9, GapBlocks: []GapBlock{{2, 4}, {6, 6}, {8, 100}, {200, 65535}}, DupTSNs: []uint32{1, 2}},
	} {
		out, err := DecodeSack(dpChunk(t, dpEncode(t, &in)))
		if err != nil {
			t.Fatal(err)
		}
		if out.CumulativeTSNAck != in.CumulativeTSNAck || out.ARwnd != in.ARwnd ||
			out.NumGapBlocks() != len(in.GapBlocks) || out.NumDupTSNs() != len(in.DupTSNs) {
			t.Fatalf("round trip: %+v -> %+v", in, out)
		}
		for i, g := range in.GapBlocks {
			if st, en := out.GapBlock(i); st != g.Start || en != g.End {
				t.Fatalf("gap block %d: %d-%d, want %v", i, st, en, g)
			}
		}
		for i, d := range in.DupTSNs {
			if out.DupTSN(i) != d {
				t.Fatalf("dup %d: %d, want %d", i, out.DupTSN(i), d)
			}
		}
	}
}

func TestSackSlicesOverrideViews(t *testing.T) {
	s, err := DecodeSack(dpChunk(t, dpHex(t, dpSackVector)))
	if err != nil {
		t.Fatal(err)
	}
	s.GapBlocks = []GapBlock{} // drop the decoded blocks, keep the dups
	dpCheckEncode(t, &s, dpHex(t, "03 00 00 14 12 34 56 78 00 01 00 00 00 00 00 01 12 34 56 70"))
}

func TestSackErrors(t *testing.T) {
	dec := func(c Chunk) error { _, err := DecodeSack(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"too short", "03 00 00 0c 00 00 00 01 00 00 00 01", dec, ErrBadLength, "SACK chunk", dpOff},
		{"missing block", "03 00 00 10 00 00 00 01 00 00 00 01 00 01 00 00", dec, ErrBadLength, "SACK chunk", dpOff + 12},
		{"missing dup", "03 00 00 14 00 00 00 01 00 00 00 01 00 01 00 01 00 02 00 03", dec, ErrBadLength, "SACK chunk", dpOff + 12},
		{"extra bytes", "03 00 00 14 00 00 00 01 00 00 00 01 00 00 00 00 00 02 00 03", dec, ErrBadLength, "SACK chunk", dpOff + 12},
		{"huge counts", "03 00 00 14 00 00 00 01 00 00 00 01 ff ff ff ff 00 02 00 03", dec, ErrBadLength, "SACK chunk", dpOff + 12},
	})
	dpWrongType(t, "SACK chunk", dec)
}

func TestDecodeSackDoesNotAllocate(t *testing.T) {
	c := dpChunk(t, dpHex(t, dpSackVector))
	var sum uint32
	n := testing.AllocsPerRun(100, func() {
		s, err := DecodeSack(c)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < s.NumGapBlocks(); i++ {
			st, en := s.GapBlock(i)
			sum += uint32(st) + uint32(en)
		}
		for i := 0; i < s.NumDupTSNs(); i++ {
			sum += s.DupTSN(i)
		}
	})
	if n != 0 {
		t.Fatalf("%v allocations", n)
	}
	_ = sum
}

// dpDecoders decodes any data path chunk into an Encoder.
var dpDecoders = map[ChunkType]func(Chunk) (Encoder, error){
	ChunkIData:            func(c Chunk) (Encoder, error) { v, err := DecodeIData(c); return &v, err },
	ChunkSack:             func(c Chunk) (Encoder, error) { v, err := DecodeSack(c); return &v, err },
	ChunkNRSack:           func(c Chunk) (Encoder, error) { v, err := DecodeNRSack(c); return &v, err },
	ChunkForwardTSN:       func(c Chunk) (Encoder, error) { v, err := DecodeForwardTSN(c); return &v, err },
	ChunkIForwardTSN:      func(c Chunk) (Encoder, error) { v, err := DecodeIForwardTSN(c); return &v, err },
	ChunkHeartbeat:        func(c Chunk) (Encoder, error) { v, err := DecodeHeartbeat(c); return &v, err },
	ChunkHeartbeatAck:     func(c Chunk) (Encoder, error) { v, err := DecodeHeartbeatAck(c); return &v, err },
	ChunkShutdown:         func(c Chunk) (Encoder, error) { v, err := DecodeShutdown(c); return &v, err },
	ChunkShutdownAck:      func(c Chunk) (Encoder, error) { v, err := DecodeShutdownAck(c); return &v, err },
	ChunkShutdownComplete: func(c Chunk) (Encoder, error) { v, err := DecodeShutdownComplete(c); return &v, err },
	ChunkCookieEcho:       func(c Chunk) (Encoder, error) { v, err := DecodeCookieEcho(c); return &v, err },
	ChunkCookieAck:        func(c Chunk) (Encoder, error) { v, err := DecodeCookieAck(c); return &v, err },
	ChunkECNE:             func(c Chunk) (Encoder, error) { v, err := DecodeECNE(c); return &v, err },
	ChunkCWR:              func(c Chunk) (Encoder, error) { v, err := DecodeCWR(c); return &v, err },
	ChunkPad:              func(c Chunk) (Encoder, error) { v, err := DecodePad(c); return &v, err },
	ChunkAuth:             func(c Chunk) (Encoder, error) { v, err := DecodeAuth(c); return &v, err },
}

// FuzzDataPathChunks feeds any bytes to every data path decoder: none may
// panic, every error must be a *ParseError, and what decodes re-encodes to
// bytes that decode and re-encode to themselves.
func FuzzDataPathChunks(f *testing.F) {
	for _, v := range []string{dpSackVector, dpNRSackVector, dpForwardTSNVector, dpIForwardTSNVector,
		dpIDataFirstVector, dpIDataLastVector, dpHeartbeatVector, dpHeartbeatAckVector, dpAuthVector,
		"07 00 00 08 00 00 00 01", "0e 01 00 04", "0c 00 00 0c 00 00 00 01 00 00 00 02", "84 00 00 05 00"} {
		f.Add(dpHex(f, v))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ChunkAt(b, HeaderLen)
		if err != nil {
			return
		}
		for ty, dec := range dpDecoders {
			e, err := dec(c)
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("%v: error %v is not a *ParseError", ty, err)
				}
				continue
			}
			if c.Type() != ty || e.ChunkType() != ty {
				t.Fatalf("%v decoded a %v chunk", ty, c.Type())
			}
			once := dpEncode(t, e)
			c2, err := ChunkAt(once, 0)
			if err != nil {
				t.Fatalf("%v: re-encoding is not a chunk: %v", ty, err)
			}
			e2, err := dec(c2)
			if err != nil {
				t.Fatalf("%v: re-encoding % x does not decode: %v", ty, once, err)
			}
			if twice := dpEncode(t, e2); !bytes.Equal(once, twice) {
				t.Fatalf("%v: re-encoding is not stable:\n% x\n% x", ty, once, twice)
			}
		}
	})
}
