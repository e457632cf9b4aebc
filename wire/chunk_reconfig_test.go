package wire

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

var _ Encoder = (*Reconfig)(nil)

func TestChunkReconfigVectors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		vec    string // the chunk and its padding
		params string // the parameters, padded, as built
	}{
		// One stream to reset: parameter length 18; the chunk Length (22)
		// excludes the parameter's padding, as Linux writes it.
		{"outgoing reset of 1 stream", "82 00 00 16 " + ecOutReq1, ecOutReq1},
		{"outgoing and incoming", "82 00 00 20 " + ecOutReqAll + " " + ecInReq2, ecOutReqAll + " " + ecInReq2},
		{"response with TSNs", "82 00 00 18 " + ecResp20, ecResp20},
		{"two responses", "82 00 00 1c " + ecResp12 + " " + ecResp12, ecResp12 + " " + ecResp12},
		{"add streams", "82 00 00 1c " + ecAddOut + " " + ecAddIn, ecAddOut + " " + ecAddIn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vec, params := ecHex(t, tc.vec), ecHex(t, tc.params)
			c := ecChunkAt(t, vec, 0)
			got, err := DecodeReconfig(c)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Params, c.Value()) || !got.ValidCombination() {
				t.Fatalf("decode = % x (valid %v), want % x", got.Params, got.ValidCombination(), c.Value())
			}
			built := Reconfig{Params: params}
			if enc := built.Append(nil); !bytes.Equal(enc, vec) || built.EncodedLen() != len(vec) {
				t.Fatalf("encode = % x (EncodedLen %d), want % x", enc, built.EncodedLen(), vec)
			}
			if enc := got.Append(nil); !bytes.Equal(enc, vec) || got.EncodedLen() != len(vec) {
				t.Fatalf("re-encode = % x (EncodedLen %d), want % x", enc, got.EncodedLen(), vec)
			}
		})
	}
}

// In a packet, ParamIter gives packet offsets, and decoding does not allocate.
func TestChunkReconfigInPacket(t *testing.T) {
	p := ecPacket(t, ecHex(t, "82 00 00 20 "+ecOutReqAll+" "+ecInReq2))
	c, _ := p.FirstChunk()
	r, err := DecodeReconfig(c)
	if err != nil {
		t.Fatal(err)
	}
	it := r.ParamIter()
	p1, _ := it.Next()
	p2, ok := it.Next()
	if !ok || p1.Offset() != 16 || p2.Offset() != 32 || p1.Type() != ParamOutgoingSSNResetRequest {
		t.Fatalf("params at %d, %d: %v", p1.Offset(), p2.Offset(), it.Err())
	}
	in, err := DecodeIncomingSSNResetRequestParam(p2)
	if err != nil || in.RequestSeq != 5 || in.NumStreams() != 2 || in.Stream(1) != 2 {
		t.Fatalf("incoming %#v, %v", in, err)
	}
	if n := testing.AllocsPerRun(100, func() {
		c, _ := p.FirstChunk()
		r, _ := DecodeReconfig(c)
		it := r.ParamIter()
		it.Next()
		q, _ := it.Next()
		in, _ := DecodeIncomingSSNResetRequestParam(q)
		_ = in.Stream(0)
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
	built := Reconfig{Params: ecHex(t, ecTSNReq)}
	bit := built.ParamIter()
	if q, _ := bit.Next(); q.Offset() != 4 {
		t.Fatalf("built chunk: parameter at %d, want 4", q.Offset())
	}
	var bld Builder
	bld.Reset(make([]byte, 0, 64), Header{}, 0)
	if n := testing.AllocsPerRun(100, func() {
		bld.Reset(bld.Bytes()[:0], Header{}, 0)
		bld.Add(&r)
	}); n != 0 {
		t.Fatalf("Append: %v allocations", n)
	}
}

func TestChunkReconfigDecodeErrors(t *testing.T) {
	const off = 28
	for _, tc := range []struct {
		name     string
		vec      string
		sentinel error
		what     string
		off      int
	}{
		{"empty", "82 00 00 04", ErrBadLength, "RE-CONFIG chunk", off},
		{"three parameters", "82 00 00 1c " + ecTSNReq + " " + ecTSNReq + " " + ecTSNReq, ErrMalformed, "RE-CONFIG chunk", off},
		{"parameter length 2", "82 00 00 08 00 0f 00 02", ErrBadLength, "RE-CONFIG chunk parameter", off + 4},
		{"parameter past the end", "82 00 00 0c 00 0f 00 0c 00 00 00 06", ErrBadLength, "RE-CONFIG chunk parameter", off + 4},
		{"second parameter past the end", "82 00 00 10 " + ecTSNReq + " 00 0f 00 10", ErrBadLength, "RE-CONFIG chunk parameter", off + 12},
		{"trailing bytes", "82 00 00 0f " + ecTSNReq + " 00 0f 01", ErrTooShort, "RE-CONFIG chunk parameter header", off + 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeReconfig(ecChunkAt(t, ecHex(t, tc.vec), off))
			ecWantErr(t, err, tc.sentinel, tc.what, tc.off)
		})
	}
	_, err := DecodeReconfig(ecChunkAt(t, ecHex(t, "06 00 00 08 00 04 00 04"), off))
	ecWantErr(t, err, ErrWrongType, "RE-CONFIG chunk", off)
	if _, err := DecodeReconfig(Chunk{}); !errors.Is(err, ErrTooShort) {
		t.Fatalf("zero Chunk: %v", err)
	}
}

func TestChunkReconfigValidCombination(t *testing.T) {
	const (
		out  = ParamOutgoingSSNResetRequest
		in   = ParamIncomingSSNResetRequest
		tsn  = ParamSSNTSNResetRequest
		resp = ParamReconfigResponse
		aout = ParamAddOutgoingStreams
		ain  = ParamAddIncomingStreams
	)
	for _, tc := range []struct {
		types []ParamType
		ok    bool
	}{
		{[]ParamType{out}, true}, {[]ParamType{in}, true}, {[]ParamType{out, in}, true},
		{[]ParamType{tsn}, true}, {[]ParamType{aout}, true}, {[]ParamType{ain}, true},
		{[]ParamType{aout, ain}, true}, {[]ParamType{resp}, true}, {[]ParamType{resp, out}, true},
		{[]ParamType{resp, resp}, true}, {[]ParamType{in, out}, true}, {[]ParamType{out, resp}, true},
		{[]ParamType{out, out}, false}, {[]ParamType{tsn, tsn}, false}, {[]ParamType{resp, in}, false},
		{[]ParamType{out, aout}, false}, {[]ParamType{ParamHeartbeatInfo}, false},
		{[]ParamType{tsn, in}, false}, {[]ParamType{out, in, resp}, false}, {nil, false},
	} {
		var b []byte
		for _, typ := range tc.types {
			b = RawParam{Type: typ, Value: []byte{0, 0, 0, 1}}.Append(b)
		}
		r := Reconfig{Params: b}
		if got := r.ValidCombination(); got != tc.ok {
			t.Errorf("%v: ValidCombination() = %v, want %v", tc.types, got, tc.ok)
		}
	}
}

func TestChunkReconfigRandomInput(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 8))
	b := make([]byte, 48)
	for i := 0; i < 20000; i++ {
		n := 4 + rnd.IntN(len(b)-4)
		for j := range b[:n] {
			b[j] = byte(rnd.IntN(24))
		}
		b[0], b[1], b[2], b[3] = byte(ChunkReconfig), 0, 0, byte(n)
		r, err := DecodeReconfig(Chunk{b: b[:n]})
		if err != nil {
			continue
		}
		_ = r.ValidCombination()
		again, err := DecodeReconfig(ecChunkAt(t, r.Append(nil), 0))
		if err != nil || !bytes.Equal(again.Append(nil), r.Append(nil)) {
			t.Fatalf("% x: round trip %v", b[:n], err)
		}
	}
}
