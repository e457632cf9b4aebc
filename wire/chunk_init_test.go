package wire

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"
)

// iniUsrsctpInit is an INIT as usrsctp (default sysctls, AUTH, ASCONF,
// PR-SCTP, RE-CONFIG and ECN on, an adaptation indication set) sends it on
// a host with one IPv4 and one IPv6 address, in usrsctp's parameter order.
// It is BUILT BY HAND from usrsctp's sctp_send_initiate and the RFC
// layouts, not captured: tag, TSN, random and addresses are made up.
var iniUsrsctpInit = iniHex(`
	1388 1388 00000000 00000000
	01 00 0088
	8a3b5c1d 001c71c7 000a 0800 5f2e9a04
	c006 0008 00000000
	8000 0004
	c000 0004
	8008 0009 c00fc18082 000000
	8002 0024 3d8a0c9b 5e71f2a4 0b6c19e8 d2437f50 96a1c3e7 24f85b0d e9137a6c 58b2d40f
	8004 0008 0001 0003
	8003 0006 80c1 0000
	000c 0008 0005 0006
	0005 0008 c000020a
	0006 0014 20010db8 00000000 00000000 00000010`)

// iniUsrsctpInitParams builds the parameter list of iniUsrsctpInit.
func iniUsrsctpInitParams() []byte {
	var b []byte
	b = AdaptationLayerIndicationParam{}.Append(b)
	b = ECNCapableParam{}.Append(b)
	b = ForwardTSNSupportedParam{}.Append(b)
	b = SupportedExtensionsParam{ChunkTypes: []byte{0xc0, 0x0f, 0xc1, 0x80, 0x82}}.Append(b)
	b = RandomParam{Random: iniRandom32}.Append(b)
	b = RequestedHMACAlgorithmParam{HMACIDs: []uint16{1, 3}}.Append(b)
	b = ChunkListParam{ChunkTypes: []byte{0x80, 0xc1}}.Append(b)
	b = SupportedAddressTypesParam{Types: []ParamType{ParamIPv4Address, ParamIPv6Address}}.Append(b)
	b = IPv4AddressParam{Addr: netip.MustParseAddr("192.0.2.10")}.Append(b)
	return IPv6AddressParam{Addr: netip.MustParseAddr("2001:db8::10")}.Append(b)
}

// iniChunkAt returns the chunk at b[off:] recorded at offset off.
func iniChunkAt(t *testing.T, b []byte, off int) Chunk {
	t.Helper()
	c, err := ChunkAt(b[off:], off)
	if err != nil {
		t.Fatalf("ChunkAt: %v", err)
	}
	return c
}

func TestInitChunkUsrsctpVector(t *testing.T) {
	pkt := iniWithChecksum(iniUsrsctpInit)
	p, err := ParsePacket(pkt)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := p.FirstChunk()
	if !ok || p.NumChunks() != 1 {
		t.Fatalf("chunks: %d", p.NumChunks())
	}
	x, err := DecodeInit(c)
	if err != nil {
		t.Fatal(err)
	}
	if x.InitiateTag != 0x8a3b5c1d || x.ARwnd != 1864135 || x.OutStreams != 10 || x.InStreams != 2048 ||
		x.InitialTSN != 0x5f2e9a04 || len(x.Params) != 116 {
		t.Errorf("fixed fields: %+v", x)
	}
	var types []ParamType
	var offs []int
	it := x.ParamIter()
	for q, ok := it.Next(); ok; q, ok = it.Next() {
		types = append(types, q.Type())
		offs = append(offs, q.Offset())
	}
	wantTypes := []ParamType{ParamAdaptationLayerIndication, ParamECNCapable, ParamForwardTSNSupported,
		ParamSupportedExtensions, ParamRandom, ParamRequestedHMACAlgorithm, ParamChunkList,
		ParamSupportedAddressTypes, ParamIPv4Address, ParamIPv6Address}
	wantOffs := []int{32, 40, 44, 48, 60, 96, 104, 112, 120, 128}
	if it.Err() != nil || len(types) != len(wantTypes) {
		t.Fatalf("params %v, %v", types, it.Err())
	}
	for i := range types {
		if types[i] != wantTypes[i] || offs[i] != wantOffs[i] {
			t.Errorf("param %d: %v at %d, want %v at %d", i, types[i], offs[i], wantTypes[i], wantOffs[i])
		}
	}

	// Encode: the same packet, checksum included.
	want := Init{InitiateTag: 0x8a3b5c1d, ARwnd: 1864135, OutStreams: 10, InStreams: 2048,
		InitialTSN: 0x5f2e9a04, Params: iniUsrsctpInitParams()}
	var bld Builder
	bld.Reset(nil, Header{SrcPort: 5000, DstPort: 5000}, 0)
	if !bld.Fits(want.EncodedLen()) || want.EncodedLen() != 136 {
		t.Errorf("EncodedLen = %d", want.EncodedLen())
	}
	bld.Add(&want)
	if got := bld.Finish(false); !bytes.Equal(got, pkt) {
		t.Errorf("encode:\n got %x\nwant %x", got, pkt)
	}
	if err := VerifyChecksum(pkt, false); err != nil {
		t.Error(err)
	}
	// Round trip of the decoded chunk.
	if got := x.Append(nil); !bytes.Equal(got, pkt[HeaderLen:]) {
		t.Errorf("re-encode:\n got %x\nwant %x", got, pkt[HeaderLen:])
	}
}

// iniWithChecksum returns a copy of pkt with its CRC32c filled in.
func iniWithChecksum(pkt []byte) []byte {
	b := bytes.Clone(pkt)
	SetChecksum(b)
	return b
}

// iniInitAckVec is an INIT ACK (RFC 9260 §3.3.3) with ECN, Forward-TSN,
// an Unrecognized Parameter and a 13-byte State Cookie last: the chunk
// length (57) does not count the cookie's 3 bytes of padding.
var iniInitAckVec = iniHex(`
	02 00 0039
	1a2b3c4d 00020000 0400 0400 00000001
	8000 0004
	c000 0004
	0008 000a 800a0006abcd 0000
	0007 0011 0102030405060708090a0b0c0d 000000`)

func TestInitAckChunkVector(t *testing.T) {
	b := append(make([]byte, 12), iniInitAckVec...)
	x, err := DecodeInitAck(iniChunkAt(t, b, 12))
	if err != nil {
		t.Fatal(err)
	}
	if x.InitiateTag != 0x1a2b3c4d || x.ARwnd != 0x20000 || x.OutStreams != 1024 || x.InStreams != 1024 ||
		x.InitialTSN != 1 || len(x.Params) != 37 {
		t.Errorf("fixed fields: %+v", x)
	}
	ip, err := x.InitParams()
	if err != nil {
		t.Fatal(err)
	}
	if !ip.ECN || !ip.ForwardTSN || !bytes.Equal(ip.StateCookie, iniHex("0102030405060708090a0b0c0d")) ||
		len(ip.PeerUnrecognized) != 1 || ip.PeerUnrecognized[0].Type() != 0x800a ||
		ip.PeerUnrecognized[0].Offset() != 12+20+8+4 || len(ip.Unrecognized) != 0 {
		t.Errorf("InitParams: %+v", ip)
	}
	var params []byte
	params = ECNCapableParam{}.Append(params)
	params = ForwardTSNSupportedParam{}.Append(params)
	params = UnrecognizedParameterParam{Parameter: iniHex("800a0006abcd")}.Append(params)
	params = StateCookieParam{Cookie: iniHex("0102030405060708090a0b0c0d")}.Append(params)
	want := InitAck{InitiateTag: 0x1a2b3c4d, ARwnd: 0x20000, OutStreams: 1024, InStreams: 1024, InitialTSN: 1, Params: params}
	if got := want.Append(nil); !bytes.Equal(got, iniInitAckVec) || want.EncodedLen() != len(got) {
		t.Errorf("encode (EncodedLen %d):\n got %x\nwant %x", want.EncodedLen(), got, iniInitAckVec)
	}
	if got := x.Append([]byte{9}); !bytes.Equal(got[1:], iniInitAckVec) || got[0] != 9 {
		t.Errorf("re-encode:\n got %x\nwant %x", got, iniInitAckVec)
	}
	if x.ChunkType() != ChunkInitAck || want.ChunkType() != ChunkInitAck {
		t.Errorf("ChunkType")
	}
}

// iniInitFixed is the fixed part of an INIT or INIT ACK value.
const iniInitFixed = "11223344 0000ffff 0001 0001 00000000"

func TestInitChunkLayoutOnly(t *testing.T) {
	for _, tc := range []struct {
		name string
		vec  string
	}{
		{"zero tag, window and streams", "01 00 0014 00000000 00000000 0000 0000 00000000"},
		{"final padding counted", "01 00 0024 " + iniInitFixed + " 8000 0004 c000 0004 000c 0006 0005 0000"},
		{"stray zero bytes", "01 00 0016 " + iniInitFixed + " 0000 0000"},
		{"flags set", "01 ff 0018 " + iniInitFixed + " 8000 0004"},
	} {
		b := append(make([]byte, 12), iniHex(tc.vec)...)
		x, err := DecodeInit(iniChunkAt(t, b, 12))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if _, err := x.InitParams(); err != nil {
			t.Errorf("%s: InitParams: %v", tc.name, err)
		}
		// Re-encoding drops the counted final padding and the flags.
		x2, err := DecodeInit(iniChunkAt(t, x.Append(nil), 0))
		if err != nil || x2.InitiateTag != x.InitiateTag || x2.InitialTSN != x.InitialTSN ||
			!bytes.Equal(x2.Params, x.Params[:tlvListLen(x.Params)]) {
			t.Errorf("%s: round trip %+v, %v", tc.name, x2, err)
		}
	}
}

func TestInitChunkErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		vec  string
		err  error
		what string
		off  int // from the chunk
	}{
		{"length 19", "01 00 0013 11223344 0000ffff 0001 0001 000000", ErrBadLength, "INIT chunk", 0},
		{"parameter length 3", "01 00 0018 " + iniInitFixed + " 8000 0003", ErrBadLength, "parameter", 20},
		{"parameter past the end", "01 00 0018 " + iniInitFixed + " 8000 0008", ErrBadLength, "parameter", 20},
		{"second parameter bad", "01 00 001c " + iniInitFixed + " 8000 0004 0005 0002", ErrBadLength, "parameter", 24},
		{"trailing bytes", "01 00 0016 " + iniInitFixed + " ffff", ErrTooShort, "parameter header", 20},
		{"INIT ACK given", "02 00 0014 " + iniInitFixed, ErrWrongType, "INIT chunk", 0},
	} {
		b := append(make([]byte, 12), iniHex(tc.vec)...)
		_, err := DecodeInit(iniChunkAt(t, b, 12))
		iniWantErr(t, tc.name, err, tc.err, tc.what, 12+tc.off)
	}
	if _, err := DecodeInit(Chunk{}); !errors.Is(err, ErrTooShort) {
		t.Errorf("zero Chunk: %v", err)
	}
}

func TestInitAckChunkErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		vec  string
		err  error
		what string
		off  int
	}{
		{"length 16", "02 00 0010 11223344 0000ffff 0001 0001", ErrBadLength, "INIT ACK chunk", 0},
		{"parameter length 2", "02 00 0018 " + iniInitFixed + " 0007 0002", ErrBadLength, "parameter", 20},
		{"INIT given", "01 00 0014 " + iniInitFixed, ErrWrongType, "INIT ACK chunk", 0},
	} {
		b := append(make([]byte, 12), iniHex(tc.vec)...)
		_, err := DecodeInitAck(iniChunkAt(t, b, 12))
		iniWantErr(t, tc.name, err, tc.err, tc.what, 12+tc.off)
	}
	if _, err := DecodeInitAck(Chunk{}); !errors.Is(err, ErrTooShort) {
		t.Errorf("zero Chunk: %v", err)
	}
}

func TestInitChunkZeroAlloc(t *testing.T) {
	pkt := iniWithChecksum(iniUsrsctpInit)
	c := iniChunkAt(t, pkt, HeaderLen)
	buf := make([]byte, 0, 256)
	n := testing.AllocsPerRun(100, func() {
		x, err := DecodeInit(c)
		if err != nil {
			t.Fatal(err)
		}
		ip, err := x.InitParams()
		if err != nil || !ip.SupportsChunk(ChunkAsconf) {
			t.Fatal(err)
		}
		_ = x.Append(buf)
	})
	if n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func FuzzInitChunk(f *testing.F) {
	f.Add(iniUsrsctpInit[HeaderLen:])
	f.Add(iniInitAckVec)
	f.Add(iniHex("01 00 0018 " + iniInitFixed + " 0008 0008 0000 0000"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ChunkAt(data, 0)
		if err != nil {
			return
		}
		var fixed [5]uint32
		var params []byte
		var enc []byte
		switch c.Type() {
		case ChunkInit:
			x, err := DecodeInit(c)
			if err != nil {
				return
			}
			_, _ = x.InitParams()
			fixed = [5]uint32{x.InitiateTag, x.ARwnd, uint32(x.OutStreams), uint32(x.InStreams), x.InitialTSN}
			params, enc = x.Params, x.Append(nil)
		case ChunkInitAck:
			x, err := DecodeInitAck(c)
			if err != nil {
				return
			}
			_, _ = x.InitParams()
			fixed = [5]uint32{x.InitiateTag, x.ARwnd, uint32(x.OutStreams), uint32(x.InStreams), x.InitialTSN}
			params, enc = x.Params, x.Append(nil)
		default:
			return
		}
		c2, err := ChunkAt(enc, 0)
		if err != nil || len(enc)%4 != 0 {
			t.Fatalf("re-encoded %x: %v", enc, err)
		}
		var fixed2 [5]uint32
		var params2 []byte
		if c2.Type() == ChunkInit {
			x2, err := DecodeInit(c2)
			if err != nil {
				t.Fatal(err)
			}
			fixed2 = [5]uint32{x2.InitiateTag, x2.ARwnd, uint32(x2.OutStreams), uint32(x2.InStreams), x2.InitialTSN}
			params2 = x2.Params
		} else {
			x2, err := DecodeInitAck(c2)
			if err != nil {
				t.Fatal(err)
			}
			fixed2 = [5]uint32{x2.InitiateTag, x2.ARwnd, uint32(x2.OutStreams), uint32(x2.InStreams), x2.InitialTSN}
			params2 = x2.Params
		}
		if fixed != fixed2 || !bytes.Equal(params2, params[:tlvListLen(params)]) {
			t.Fatalf("round trip: %v %x, want %v %x", fixed2, params2, fixed, params)
		}
	})
}
