package wire

import (
	"bytes"
	"testing"
)

var iniRandom32 = iniHex("3d8a0c9b 5e71f2a4 0b6c19e8 d2437f50 96a1c3e7 24f85b0d e9137a6c 58b2d40f")

func TestAuthParams(t *testing.T) {
	iniRunParamCases(t, []iniParamCase{
		{
			name:   "Random 32 bytes",
			vec:    append(iniHex("8002 0024"), iniRandom32...),
			decode: iniDec(DecodeRandomParam),
			want:   RandomParam{Random: iniRandom32},
			check: func(t *testing.T, got iniParamEncoder) {
				if r := got.(RandomParam).Random; !bytes.Equal(r, iniRandom32) {
					t.Errorf("Random = %x", r)
				}
			},
		},
		{
			name:   "Random 5 bytes",
			vec:    iniHex("8002 0009 0102030405 000000"),
			decode: iniDec(DecodeRandomParam),
			want:   RandomParam{Random: []byte{1, 2, 3, 4, 5}},
			check: func(t *testing.T, got iniParamEncoder) {
				if r := got.(RandomParam).Random; !bytes.Equal(r, []byte{1, 2, 3, 4, 5}) {
					t.Errorf("Random = %x", r)
				}
			},
		},
		{
			name:   "Chunk List",
			vec:    iniHex("8003 0006 80c1 0000"),
			decode: iniDec(DecodeChunkListParam),
			want:   ChunkListParam{ChunkTypes: []byte{byte(ChunkAsconfAck), byte(ChunkAsconf)}},
			check: func(t *testing.T, got iniParamEncoder) {
				c := got.(ChunkListParam)
				if !bytes.Equal(c.ChunkTypes, []byte{0x80, 0xc1}) || !c.Has(ChunkAsconf) || c.Has(ChunkData) {
					t.Errorf("ChunkTypes = %x", c.ChunkTypes)
				}
			},
		},
		{
			name:   "Requested HMAC Algorithm SHA-1 SHA-256",
			vec:    iniHex("8004 0008 0001 0003"),
			decode: iniDec(DecodeRequestedHMACAlgorithmParam),
			want:   RequestedHMACAlgorithmParam{HMACIDs: []uint16{1, 3}},
			check: func(t *testing.T, got iniParamEncoder) {
				h := got.(RequestedHMACAlgorithmParam)
				if h.NumIDs() != 2 || h.ID(0) != 1 || h.ID(1) != 3 || h.ID(2) != 0 || h.ID(-1) != 0 ||
					!h.Has(3) || h.Has(2) {
					t.Errorf("ids: %d %d %d", h.NumIDs(), h.ID(0), h.ID(1))
				}
			},
			bad: []iniBad{{name: "odd", b: iniHex("8004 0007 000100"), err: ErrBadLength}},
		},
		{
			name:   "Requested HMAC Algorithm SHA-1",
			vec:    iniHex("8004 0006 0001 0000"),
			decode: iniDec(DecodeRequestedHMACAlgorithmParam),
			want:   RequestedHMACAlgorithmParam{HMACIDs: []uint16{1}},
			check: func(t *testing.T, got iniParamEncoder) {
				h := got.(RequestedHMACAlgorithmParam)
				if h.NumIDs() != 1 || h.ID(0) != 1 || h.ID(1) != 0 {
					t.Errorf("ids: %d %d", h.NumIDs(), h.ID(0))
				}
			},
		},
	})
}

func TestAuthParamsDecodeDoesNotAllocate(t *testing.T) {
	vec := iniHex("8004 0008 0001 0003")
	p := iniParamAt(vec, 0)
	n := testing.AllocsPerRun(100, func() {
		h, err := DecodeRequestedHMACAlgorithmParam(p)
		if err != nil || h.ID(1) != 3 {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("%v allocations", n)
	}
}
