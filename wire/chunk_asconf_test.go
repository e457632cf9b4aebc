package wire

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
)

// iniAsconfVec is an ASCONF (RFC 5061 §4.1.1) from 192.0.2.1 that adds
// 192.0.2.2 and makes it primary, with the correlation IDs of the RFC's
// examples.
var iniAsconfVec = iniHex(`
	c1 00 0030 00000001
	0005 0008 c0000201
	c001 0010 01023474 0005 0008 c0000202
	c004 0010 01023479 0005 0008 c0000202`)

// iniAsconfV6Vec is an ASCONF from 2001:db8::1 that deletes 2001:db8::2.
var iniAsconfV6Vec = iniHex(`
	c1 00 0038 00000002
	0006 0014 20010db8 00000000 00000000 00000001
	c002 001c 00000009 0006 0014 20010db8 00000000 00000000 00000002`)

// iniAsconfAckVec is an ASCONF ACK (RFC 5061 §4.1.2) with a Success
// Indication and an Error Cause Indication (Request Refused - No
// Authorization, quoting the request).
var iniAsconfAckVec = iniHex(`
	80 00 002c 00000001
	c005 0008 01023479
	c003 001c 01023474 00a4 0014 c001 0010 01023474 0005 0008 c0000201`)

func TestAsconfChunkVectors(t *testing.T) {
	v4b := netip.MustParseAddr("192.0.2.2")
	add := AddIPAddressParam{CorrelationID: 0x01023474, Address: AppendAddressParam(nil, v4b)}
	prim := SetPrimaryAddressParam{CorrelationID: 0x01023479, Address: AppendAddressParam(nil, v4b)}
	del := DeleteIPAddressParam{CorrelationID: 9, Address: AppendAddressParam(nil, netip.MustParseAddr("2001:db8::2"))}
	for _, tc := range []struct {
		name   string
		vec    []byte
		want   Asconf
		offs   []int // parameter offsets with the chunk at 12
		params []iniParamEncoder
	}{
		{"IPv4", iniAsconfVec, Asconf{SequenceNumber: 1, Address: iniV4, Params: prim.Append(add.Append(nil))},
			[]int{28, 44}, []iniParamEncoder{add, prim}},
		{"IPv6", iniAsconfV6Vec, Asconf{SequenceNumber: 2, Address: iniV6, Params: del.Append(nil)},
			[]int{40}, []iniParamEncoder{del}},
	} {
		b := append(make([]byte, 12), tc.vec...)
		x, err := DecodeAsconf(iniChunkAt(t, b, 12))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if x.SequenceNumber != tc.want.SequenceNumber || x.Address != tc.want.Address || !bytes.Equal(x.Params, tc.want.Params) {
			t.Errorf("%s: decoded %+v", tc.name, x)
		}
		it := x.ParamIter()
		for i, off := range tc.offs {
			p, ok := it.Next()
			if !ok || p.Offset() != off || p.Type() != tc.params[i].ParamType() {
				t.Errorf("%s: param %d: %v at %d, %v", tc.name, i, p.Type(), p.Offset(), ok)
			}
		}
		if _, ok := it.Next(); ok || it.Err() != nil {
			t.Errorf("%s: extra parameter or %v", tc.name, it.Err())
		}
		if got := tc.want.Append(nil); !bytes.Equal(got, tc.vec) || tc.want.EncodedLen() != len(got) {
			t.Errorf("%s: encode (EncodedLen %d):\n got %x\nwant %x", tc.name, tc.want.EncodedLen(), got, tc.vec)
		}
		if got := x.Append(nil); !bytes.Equal(got, tc.vec) {
			t.Errorf("%s: re-encode:\n got %x\nwant %x", tc.name, got, tc.vec)
		}
		if x.ChunkType() != ChunkAsconf {
			t.Errorf("ChunkType = %v", x.ChunkType())
		}
	}
}

func TestAsconfChunkErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		vec  string
		err  error
		what string
		off  int // from the chunk
	}{
		{"length 15", "c1 00 000f 00000001 0005 0008 c00002", ErrBadLength, "ASCONF chunk", 0},
		{"host name address", "c1 00 0010 00000001 000b 0008 61620000", ErrMalformed, "address parameter", 8},
		{"IPv4 length 7", "c1 00 0010 00000001 0005 0007 c0000200", ErrBadLength, "IPv4 Address parameter", 8},
		{"IPv4 length 12", "c1 00 0014 00000001 0005 000c c0000201 00000000", ErrBadLength, "IPv4 Address parameter", 8},
		{"IPv6 cut", "c1 00 0010 00000001 0006 0014 00000000", ErrBadLength, "address parameter", 8},
		{"address length 2", "c1 00 0010 00000001 0005 0002 00000000", ErrBadLength, "address parameter", 8},
		{"bad parameter", "c1 00 0014 00000001 0005 0008 c0000201 c001 0003", ErrBadLength, "parameter", 16},
		{"trailing bytes", "c1 00 0012 00000001 0005 0008 c0000201 0100", ErrTooShort, "parameter header", 16},
		{"ASCONF ACK given", "80 00 0010 00000001 0005 0008 c0000201", ErrWrongType, "ASCONF chunk", 0},
	} {
		b := append(make([]byte, 12), iniHex(tc.vec)...)
		_, err := DecodeAsconf(iniChunkAt(t, b, 12))
		iniWantErr(t, tc.name, err, tc.err, tc.what, 12+tc.off)
	}
	if _, err := DecodeAsconf(Chunk{}); !errors.Is(err, ErrTooShort) {
		t.Errorf("zero Chunk: %v", err)
	}
	// A request without parameters is only a layout matter: accepted.
	x, err := DecodeAsconf(iniChunkAt(t, iniHex("c1 00 0010 00000001 0005 0008 00000000"), 0))
	if err != nil || x.Address != netip.IPv4Unspecified() || len(x.Params) != 0 {
		t.Errorf("no parameters: %+v, %v", x, err)
	}
}

func TestAsconfAckChunkVector(t *testing.T) {
	b := append(make([]byte, 12), iniAsconfAckVec...)
	x, err := DecodeAsconfAck(iniChunkAt(t, b, 12))
	if err != nil {
		t.Fatal(err)
	}
	if x.SequenceNumber != 1 || len(x.Params) != 36 {
		t.Errorf("decoded %+v", x)
	}
	it := x.ParamIter()
	p, ok := it.Next()
	if s, err := DecodeSuccessIndicationParam(p); !ok || err != nil || s.CorrelationID != 0x01023479 || p.Offset() != 20 {
		t.Errorf("first parameter: %+v at %d, %v", s, p.Offset(), err)
	}
	p, ok = it.Next()
	e, err := DecodeErrorCauseIndicationParam(p)
	if !ok || err != nil || e.CorrelationID != 0x01023474 || p.Offset() != 28 {
		t.Fatalf("second parameter: %+v at %d, %v", e, p.Offset(), err)
	}
	ci := e.CauseIter()
	if c, ok := ci.Next(); !ok || c.Code() != CauseNoAuthorization || c.Offset() != 36 {
		t.Errorf("cause %v at %d", c.Code(), c.Offset())
	}
	var params []byte
	params = SuccessIndicationParam{CorrelationID: 0x01023479}.Append(params)
	params = ErrorCauseIndicationParam{CorrelationID: 0x01023474,
		Causes: AppendCause(nil, CauseNoAuthorization, iniHex("c001 0010 01023474 0005 0008 c0000201"))}.Append(params)
	want := AsconfAck{SequenceNumber: 1, Params: params}
	if got := want.Append(nil); !bytes.Equal(got, iniAsconfAckVec) || want.EncodedLen() != len(got) {
		t.Errorf("encode:\n got %x\nwant %x", got, iniAsconfAckVec)
	}
	if got := x.Append(nil); !bytes.Equal(got, iniAsconfAckVec) {
		t.Errorf("re-encode:\n got %x\nwant %x", got, iniAsconfAckVec)
	}
	// The all-success acknowledgement: length 8.
	empty := AsconfAck{SequenceNumber: 0xfffffffe}
	if got := empty.Append(nil); !bytes.Equal(got, iniHex("80 00 0008 fffffffe")) || empty.ChunkType() != ChunkAsconfAck {
		t.Errorf("empty: %x", got)
	}
}

func TestAsconfAckChunkErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		vec  string
		err  error
		what string
		off  int
	}{
		{"length 7", "80 00 0007 000000", ErrBadLength, "ASCONF ACK chunk", 0},
		{"bad parameter", "80 00 000c 00000001 c005 0002", ErrBadLength, "parameter", 8},
		{"parameter past the end", "80 00 000c 00000001 c005 0008", ErrBadLength, "parameter", 8},
		{"ASCONF given", "c1 00 0008 00000001", ErrWrongType, "ASCONF ACK chunk", 0},
	} {
		b := append(make([]byte, 12), iniHex(tc.vec)...)
		_, err := DecodeAsconfAck(iniChunkAt(t, b, 12))
		iniWantErr(t, tc.name, err, tc.err, tc.what, 12+tc.off)
	}
	if _, err := DecodeAsconfAck(Chunk{}); !errors.Is(err, ErrTooShort) {
		t.Errorf("zero Chunk: %v", err)
	}
}

func TestAsconfChunkZeroAlloc(t *testing.T) {
	c := iniChunkAt(t, iniAsconfVec, 0)
	ca := iniChunkAt(t, iniAsconfAckVec, 0)
	buf := make([]byte, 0, 128)
	n := testing.AllocsPerRun(100, func() {
		x, err := DecodeAsconf(c)
		if err != nil {
			t.Fatal(err)
		}
		it := x.ParamIter()
		p, _ := it.Next()
		a, err := DecodeAddIPAddressParam(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Addr(); err != nil {
			t.Fatal(err)
		}
		_ = x.Append(buf)
		y, err := DecodeAsconfAck(ca)
		if err != nil {
			t.Fatal(err)
		}
		_ = y.Append(buf)
	})
	if n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func FuzzAsconfChunk(f *testing.F) {
	f.Add(iniAsconfVec)
	f.Add(iniAsconfV6Vec)
	f.Add(iniAsconfAckVec)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ChunkAt(data, 0)
		if err != nil {
			return
		}
		switch c.Type() {
		case ChunkAsconf:
			x, err := DecodeAsconf(c)
			if err != nil {
				return
			}
			for it := x.ParamIter(); ; {
				p, ok := it.Next()
				if !ok {
					break
				}
				if a, err := DecodeAddIPAddressParam(p); err == nil {
					_, _ = a.Addr()
				}
			}
			enc := x.Append(nil)
			x2, err := DecodeAsconf(iniChunkAt(t, enc, 0))
			if err != nil || x2.SequenceNumber != x.SequenceNumber || x2.Address != x.Address ||
				!bytes.Equal(x2.Params, x.Params[:tlvListLen(x.Params)]) || len(enc) != x.EncodedLen() {
				t.Fatalf("round trip %x: %+v, %v", enc, x2, err)
			}
		case ChunkAsconfAck:
			x, err := DecodeAsconfAck(c)
			if err != nil {
				return
			}
			for it := x.ParamIter(); ; {
				p, ok := it.Next()
				if !ok {
					break
				}
				if e, err := DecodeErrorCauseIndicationParam(p); err == nil {
					_ = e.Append(nil)
				}
			}
			enc := x.Append(nil)
			x2, err := DecodeAsconfAck(iniChunkAt(t, enc, 0))
			if err != nil || x2.SequenceNumber != x.SequenceNumber ||
				!bytes.Equal(x2.Params, x.Params[:tlvListLen(x.Params)]) || len(enc) != x.EncodedLen() {
				t.Fatalf("round trip %x: %+v, %v", enc, x2, err)
			}
		}
	})
}
