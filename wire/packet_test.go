package wire

import (
	"encoding/hex"
	"errors"
	"hash/crc32"
	"strings"
	"testing"
)

// Real packets sent by usrsctp 0.9.5 (echo_server/client over UDP on
// loopback; wire/testdata/usrsctp-echo.pcapng frames 1, 4 and 11).
const (
	coreUsrsctpInit      = "c44c00070000000035b1143c0100009c16605b9200020000000a0800ebcc3a4980000004c000000480080009c00fc180820000008002002496273e067911425c582fcc12ba178245662afa7896b77aa44cf4c9dd98b5a82f80040006000100008003000680c10000000c00080005000600060014fd00000000000000000000000000000200050008c00002020006001400000000000000000000000000000001000500087f000001"
	coreUsrsctpCookieAck = "0007c44c16605b926433860a0b000004"
	coreUsrsctpData      = "c44c00071ff0ee130127eba70003001cebcc3a49000000000000000068656c6c6f2073636f6e6e0a"
)

func coreHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestChecksumIsCastagnoli(t *testing.T) {
	// The CRC32c check value of "123456789" (RFC 3720 B.4 style check).
	if got := crc32.Checksum([]byte("123456789"), castagnoli); got != 0xe3069283 {
		t.Fatalf("crc32c check value = %#x", got)
	}
}

func TestVerifyChecksumRealUsrsctpPackets(t *testing.T) {
	for _, s := range []string{coreUsrsctpInit, coreUsrsctpCookieAck, coreUsrsctpData} {
		pkt := coreHex(t, s)
		if err := VerifyChecksum(pkt, false); err != nil {
			t.Fatalf("usrsctp packet rejected: %v", err)
		}
		// Recomputing gives the same bytes.
		cp := append([]byte(nil), pkt...)
		cp[8], cp[9] = 0, 0
		SetChecksum(cp)
		if string(cp) != string(pkt) {
			t.Fatalf("SetChecksum differs from usrsctp: % x vs % x", cp[8:12], pkt[8:12])
		}
	}
}

func TestVerifyChecksumBadAndZero(t *testing.T) {
	pkt := coreHex(t, coreUsrsctpCookieAck)
	pkt[15] ^= 1 // corrupt the chunk
	err := VerifyChecksum(pkt, false)
	if !errors.Is(err, ErrBadChecksum) {
		t.Fatalf("want ErrBadChecksum, got %v", err)
	}
	if !strings.Contains(err.Error(), "offset 8") {
		t.Fatalf("error should name the offset: %v", err)
	}
	// RFC 9653: zero is accepted only when allowed.
	z := FinishPacket(coreHex(t, coreUsrsctpCookieAck), true)
	if z[8]|z[9]|z[10]|z[11] != 0 {
		t.Fatal("zero checksum not written")
	}
	if err := VerifyChecksum(z, false); !errors.Is(err, ErrBadChecksum) {
		t.Fatalf("zero checksum accepted without agreement: %v", err)
	}
	if err := VerifyChecksum(z, true); err != nil {
		t.Fatalf("zero checksum refused with agreement: %v", err)
	}
	// A correct CRC is still accepted when zero is allowed.
	if err := VerifyChecksum(coreHex(t, coreUsrsctpCookieAck), true); err != nil {
		t.Fatal(err)
	}
	if err := VerifyChecksum(make([]byte, 11), false); !errors.Is(err, ErrBadLength) {
		t.Fatalf("short packet: %v", err)
	}
}

func TestParsePacketRealData(t *testing.T) {
	p, err := ParsePacket(coreHex(t, coreUsrsctpData))
	if err != nil {
		t.Fatal(err)
	}
	h := p.Header()
	if h.SrcPort != 0xc44c || h.DstPort != 7 || h.VerificationTag != 0x1ff0ee13 || p.NumChunks() != 1 {
		t.Fatalf("header %+v chunks %d", h, p.NumChunks())
	}
	c, ok := p.FirstChunk()
	if !ok || c.Type() != ChunkData || c.Offset() != 12 || c.Length() != 28 {
		t.Fatalf("chunk %v %d %d", c.Type(), c.Offset(), c.Length())
	}
	d, err := DecodeData(c)
	if err != nil {
		t.Fatal(err)
	}
	want := Data{TSN: 0xebcc3a49, StreamID: 0, SSN: 0, PPID: 0, Beginning: true, Ending: true, UserData: []byte("hello sconn\n")}
	if d.TSN != want.TSN || d.StreamID != 0 || d.SSN != 0 || d.PPID != 0 || !d.Beginning || !d.Ending || d.Unordered || d.Immediate || string(d.UserData) != string(want.UserData) {
		t.Fatalf("decoded %+v", d)
	}
	// Re-encoding gives usrsctp's bytes.
	var bld Builder
	bld.Reset(nil, Header{SrcPort: 0xc44c, DstPort: 7, VerificationTag: 0x1ff0ee13}, 1200)
	bld.Add(&want)
	if got := bld.Finish(false); hex.EncodeToString(got) != coreUsrsctpData {
		t.Fatalf("encode\n got %x\nwant %s", got, coreUsrsctpData)
	}
}

func TestParsePacketLayoutErrors(t *testing.T) {
	hdr := AppendHeader(nil, Header{SrcPort: 1, DstPort: 2, VerificationTag: 3})
	cases := []struct {
		name   string
		pkt    []byte
		err    error
		offset string
	}{
		{"short header", hdr[:11], ErrBadLength, "offset 0"},
		{"chunk length below 4", append(append([]byte{}, hdr...), 11, 0, 0, 3), ErrBadLength, "COOKIE ACK chunk at offset 12"},
		{"chunk past end", append(append([]byte{}, hdr...), 0, 3, 0, 20, 1, 2, 3, 4), ErrBadLength, "DATA chunk at offset 12"},
		{"trailing garbage", append(append([]byte{}, hdr...), 11, 0, 0, 4, 1, 2), ErrTooShort, "offset 16"},
		{"second chunk bad", append(append([]byte{}, hdr...), 11, 0, 0, 4, 14, 0, 0, 9), ErrBadLength, "SHUTDOWN COMPLETE chunk at offset 16"},
	}
	for _, tc := range cases {
		_, err := ParsePacket(tc.pkt)
		if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.offset) {
			t.Errorf("%s: got %v, want %v mentioning %q", tc.name, err, tc.err, tc.offset)
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: not a *ParseError", tc.name)
		}
	}
}

func TestParsePacketPadding(t *testing.T) {
	hdr := AppendHeader(nil, Header{})
	// Last chunk without its padding, and stray zero padding, are tolerated.
	unpadded := append(append([]byte{}, hdr...), 0x84, 0, 0, 5, 0xaa)
	p, err := ParsePacket(unpadded)
	if err != nil || p.NumChunks() != 1 {
		t.Fatalf("unpadded last chunk: %v", err)
	}
	padded := append(append([]byte{}, hdr...), 11, 0, 0, 4, 0, 0)
	if p, err = ParsePacket(padded); err != nil || p.NumChunks() != 1 {
		t.Fatalf("stray padding: %v", err)
	}
	empty, err := ParsePacket(hdr)
	if err != nil || empty.NumChunks() != 0 {
		t.Fatalf("empty packet: %v", err)
	}
	if _, ok := empty.FirstChunk(); ok {
		t.Fatal("chunk in empty packet")
	}
	// Iteration over several chunks with padding in between.
	multi := append(append([]byte{}, hdr...), 0x84, 0, 0, 5, 1, 0, 0, 0, 11, 0, 0, 4)
	p, err = ParsePacket(multi)
	if err != nil {
		t.Fatal(err)
	}
	it := p.Chunks()
	var types []ChunkType
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		types = append(types, c.Type())
	}
	if len(types) != 2 || types[0] != ChunkPad || types[1] != ChunkCookieAck {
		t.Fatalf("types %v", types)
	}
}

func TestChunkActionBits(t *testing.T) {
	// RFC 9260 §3.2: the two highest bits of the type.
	cases := map[ChunkType]Action{0x3f: ActionStop, 0x40: ActionStopReport, 0x80: ActionSkip, 0xc0: ActionSkipReport}
	for ct, want := range cases {
		if got := ct.Action(); got != want {
			t.Errorf("%v: %v want %v", ct, got, want)
		}
	}
	if !ActionStopReport.Stop() || !ActionStopReport.Report() || ActionSkip.Stop() || ActionSkip.Report() {
		t.Fatal("Action predicates")
	}
	if ParamType(0x8001).Action() != ActionSkip || ParamType(0xc006).Action() != ActionSkipReport || ParamType(7).Action() != ActionStop || ParamType(0x4000).Action() != ActionStopReport {
		t.Fatal("parameter action bits (RFC 9260 §3.2.1)")
	}
	if ChunkType(0x99).String() != "chunk 0x99" || ChunkInitAck.String() != "INIT ACK" {
		t.Fatal("names")
	}
}

func TestRawChunkRoundTrip(t *testing.T) {
	r := RawChunk{Type: 0xc7, Flags: 0x5a, Value: []byte{1, 2, 3, 4, 5}}
	b := r.Append(nil)
	if len(b) != r.EncodedLen() || len(b) != 12 {
		t.Fatalf("len %d", len(b))
	}
	c, err := ChunkAt(b, 40)
	if err != nil {
		t.Fatal(err)
	}
	got := DecodeRaw(c)
	if got.Type != r.Type || got.Flags != r.Flags || string(got.Value) != string(r.Value) || c.Offset() != 40 {
		t.Fatalf("%+v", got)
	}
	if _, err := ChunkAt(b[:3], 0); !errors.Is(err, ErrBadLength) {
		t.Fatal(err)
	}
	if _, err := ChunkAt([]byte{1, 0, 0, 9, 0, 0, 0, 0}, 0); !errors.Is(err, ErrBadLength) {
		t.Fatal(err)
	}
}

func TestParamIterErrors(t *testing.T) {
	good := AppendParam(nil, ParamECNCapable, nil)
	good = AppendParam(good, ParamCookiePreservative, []byte{0, 0, 0, 1})
	if err := ValidateParams(good, 20); err != nil {
		t.Fatal(err)
	}
	it := Params(good, 20)
	p, _ := it.Next()
	p2, _ := it.Next()
	if p.Type() != ParamECNCapable || p.Offset() != 20 || p2.Offset() != 24 || p2.Length() != 8 || len(p2.Value()) != 4 {
		t.Fatalf("%v %d %d", p.Type(), p.Offset(), p2.Offset())
	}
	bad := append(append([]byte{}, good...), 0x80, 0, 0, 2)
	err := ValidateParams(bad, 20)
	if !errors.Is(err, ErrBadLength) || !strings.Contains(err.Error(), "offset 32") {
		t.Fatalf("got %v", err)
	}
	over := append(append([]byte{}, good...), 0, 7, 0, 40)
	if err := ValidateParams(over, 0); !errors.Is(err, ErrBadLength) {
		t.Fatalf("got %v", err)
	}
	ci := Causes(AppendCause(nil, CauseOutOfResource, nil), 8)
	c, ok := ci.Next()
	if !ok || c.Code() != CauseOutOfResource || c.Offset() != 8 || ci.Err() != nil {
		t.Fatal("cause iter")
	}
}

func TestDecodeRealUsrsctpInit(t *testing.T) {
	p, err := ParsePacket(coreHex(t, coreUsrsctpInit))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := p.FirstChunk()
	in, err := DecodeInit(c)
	if err != nil {
		t.Fatal(err)
	}
	if in.InitiateTag != 0x16605b92 || in.ARwnd != 0x20000 || in.OutStreams != 10 || in.InStreams != 2048 || in.InitialTSN != 0xebcc3a49 {
		t.Fatalf("INIT %+v", in)
	}
	ip, err := in.InitParams()
	if err != nil {
		t.Fatal(err)
	}
	// usrsctp 0.9.5 over UDP: ECN, PR-SCTP, AUTH (random, HMAC, chunk list),
	// supported extensions, address types and four addresses, no unknowns.
	if !ip.ECN || !ip.ForwardTSN || len(ip.Random) != 32 || !ip.HasHMACAlgorithms || !ip.HasSupportedAddressTypes ||
		ip.NumAddresses != 4 || len(ip.Unrecognized) != 0 || ip.Stopped {
		t.Fatalf("params %+v", ip)
	}
	for _, ct := range []ChunkType{ChunkForwardTSN, ChunkReconfig, ChunkAsconf, ChunkAsconfAck, ChunkAuth} {
		if !ip.SupportsChunk(ct) {
			t.Errorf("supported extensions lack %v", ct)
		}
	}
	// Re-encoding the decoded INIT gives usrsctp's bytes.
	var bld Builder
	bld.Reset(nil, p.Header(), 0)
	bld.Add(&in)
	if got := bld.Finish(false); hex.EncodeToString(got) != coreUsrsctpInit {
		t.Fatalf("re-encode\n got %x\nwant %s", got, coreUsrsctpInit)
	}
}
