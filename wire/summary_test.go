package wire

import (
	"bytes"
	"errors"
	"net/netip"
	"strings"
	"testing"
)

// sumPacket builds a packet from encoded chunks (with a CRC32c).
func sumPacket(src, dst uint16, vtag uint32, chunks ...Encoder) []byte {
	b := AppendHeader(nil, Header{SrcPort: src, DstPort: dst, VerificationTag: vtag})
	for _, c := range chunks {
		b = c.Append(b)
	}
	return FinishPacket(b, false)
}

// sumRaw builds a packet from chunk bytes (already padded).
func sumRaw(vtag uint32, chunks ...[]byte) []byte {
	b := AppendHeader(nil, Header{SrcPort: 5000, DstPort: 5000, VerificationTag: vtag})
	for _, c := range chunks {
		b = append(b, c...)
	}
	return FinishPacket(b, false)
}

func mustParse(t testing.TB, b []byte) Packet {
	t.Helper()
	p, err := ParsePacket(b)
	if err != nil {
		t.Fatalf("ParsePacket: %v", err)
	}
	return p
}

func TestSummary(t *testing.T) {
	data := &Data{TSN: 12, StreamID: 1, SSN: 3, PPID: 51, Beginning: true, Ending: true,
		UserData: make([]byte, 1100)}
	sack := &Sack{CumulativeTSNAck: 11, ARwnd: 131072, GapBlocks: []GapBlock{{2, 3}, {5, 5}}}
	init := &Init{InitiateTag: 0xdeadbeef, ARwnd: 65536, OutStreams: 10, InStreams: 2048, InitialTSN: 1,
		Params: IPv4AddressParam{Addr: netip.MustParseAddr("10.0.0.1")}.Append(
			SupportedExtensionsParam{ChunkTypes: []byte{byte(ChunkReconfig), byte(ChunkIData), 0xc7}}.Append(
				ForwardTSNSupportedParam{}.Append(nil)))}
	abort := &Abort{TagReflected: true, Causes: AppendCause(
		UserInitiatedAbort{Reason: []byte("bye")}.Append(nil), CauseCode(0x4444), []byte{1, 2})}
	manyDups := &Sack{CumulativeTSNAck: 1, ARwnd: 2, DupTSNs: make([]uint32, 20)}
	for i := range manyDups.DupTSNs {
		manyDups.DupTSNs[i] = uint32(100 + i)
	}

	tests := []struct {
		name string
		pkt  []byte
		want string
	}{
		{"DATA+SACK", sumPacket(5000, 5000, 0x1234abcd, data, sack),
			"5000 > 5000 vtag 0x1234abcd: DATA tsn 12 sid 1 ssn 3 ppid 51 BE len 1100; " +
				"SACK cum 11 a_rwnd 131072 gaps 2 [2-3,5-5] dups 0"},
		{"no chunks", sumPacket(1, 2, 3), "1 > 2 vtag 0x00000003: no chunks"},
		{"INIT", sumPacket(5000, 5001, 0, init),
			"5000 > 5001 vtag 0x00000000: INIT tag 0xdeadbeef a_rwnd 65536 os 10 mis 2048 tsn 1 params: " +
				"Forward-TSN-Supported, Supported Extensions [RE-CONFIG,I-DATA,chunk 0xc7], IPv4 Address 10.0.0.1"},
		{"ABORT", sumPacket(5000, 5000, 7, abort),
			`5000 > 5000 vtag 0x00000007: ABORT T causes: User-Initiated Abort: "bye", cause 0x4444: 0x0102`},
		{"unknown chunk", sumRaw(1, []byte{0xc5, 0x81, 0, 8, 1, 2, 3, 4}),
			"5000 > 5000 vtag 0x00000001: chunk 0xc5 flags 0x81 len 8"},
		{"SHUTDOWN COMPLETE T", sumPacket(5000, 5000, 1, &ShutdownComplete{TagReflected: true}),
			"5000 > 5000 vtag 0x00000001: SHUTDOWN COMPLETE T"},
		{"I-FORWARD TSN", sumPacket(5000, 5000, 1, &IForwardTSN{NewCumulativeTSN: 9,
			Streams: []IForwardTSNStream{{StreamID: 1, MID: 3, Unordered: true}, {StreamID: 2, MID: 4}}}),
			"5000 > 5000 vtag 0x00000001: I-FORWARD TSN cum 9 streams 2 [1:3U,2:4]"},
		{"long list", sumPacket(5000, 5000, 1, manyDups),
			"5000 > 5000 vtag 0x00000001: SACK cum 1 a_rwnd 2 gaps 0 dups 20 " +
				"[100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,... 4 more]"},
		// A SACK whose counts do not match its length passes ParsePacket
		// but not DecodeSack.
		{"malformed SACK", sumRaw(1,
			[]byte{3, 0, 0, 16, 0, 0, 0, 11, 0, 0, 0, 1, 0, 1, 0, 0},
			[]byte{14, 0, 0, 4}),
			"5000 > 5000 vtag 0x00000001: SACK malformed: sctp: bad length: SACK chunk at offset 24: " +
				"length 16 does not match 1 gap ack blocks and 0 duplicate TSNs (want 20); SHUTDOWN COMPLETE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summary(mustParse(t, tt.pkt))
			if got != tt.want {
				t.Errorf("Summary:\n got %s\nwant %s", got, tt.want)
			}
			if a := string(AppendSummary([]byte("x"), mustParse(t, tt.pkt))); a != "x"+tt.want {
				t.Errorf("AppendSummary does not append: %s", a)
			}
		})
	}
}

func TestSummaryZeroValues(t *testing.T) {
	if got := Summary(Packet{}); got != "not a packet" {
		t.Errorf("Summary(Packet{}) = %q", got)
	}
	if got := string(AppendChunkSummary(nil, Chunk{})); got != "no chunk" {
		t.Errorf("AppendChunkSummary(Chunk{}) = %q", got)
	}
	if _, err := DecodeChunk(Chunk{}); err == nil {
		t.Error("DecodeChunk(Chunk{}) did not fail")
	}
	if err := ValidatePacket(Packet{}); err == nil {
		t.Error("ValidatePacket(Packet{}) did not fail")
	}
	if err := ValidateChunk(Chunk{}); err == nil {
		t.Error("ValidateChunk(Chunk{}) did not fail")
	}
	if err := ValidateParam(Param{}); err == nil {
		t.Error("ValidateParam(Param{}) did not fail")
	}
	if err := ValidateCause(Cause{}); err == nil {
		t.Error("ValidateCause(Cause{}) did not fail")
	}
}

// TestSummaryAllocs: the host logs dropped packets with AppendSummary, so
// summarising a DATA and SACK packet into a buffer must not allocate.
func TestSummaryAllocs(t *testing.T) {
	pkt := mustParse(t, sumPacket(5000, 5000, 1,
		&Sack{CumulativeTSNAck: 11, ARwnd: 131072, GapBlocks: []GapBlock{{2, 3}}, DupTSNs: []uint32{4}},
		&Data{TSN: 12, StreamID: 1, SSN: 3, PPID: 51, Beginning: true, UserData: make([]byte, 100)},
		&IData{TSN: 13, StreamID: 1, MID: 3, FSN: 2, UserData: make([]byte, 100)},
		&ForwardTSN{NewCumulativeTSN: 12, Streams: []ForwardTSNStream{{1, 2}}},
		&Heartbeat{Info: make([]byte, 20)}))
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { buf = AppendSummary(buf[:0], pkt) }); n != 0 {
		t.Errorf("AppendSummary: %v allocs, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = ValidatePacket(pkt) }); n != 0 {
		t.Errorf("ValidatePacket: %v allocs, want 0", n)
	}
}

func TestDecodeChunkTypes(t *testing.T) {
	pkt := mustParse(t, sumRaw(1,
		(&Data{TSN: 1, UserData: []byte{1}}).Append(nil),
		(&Sack{CumulativeTSNAck: 1}).Append(nil),
		[]byte{0x7f, 0, 0, 5, 0xee, 0, 0, 0}, // unknown type, length 5
		(&CookieAck{}).Append(nil),
	))
	var types []string
	it := pkt.Chunks()
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		e, err := DecodeChunk(c)
		if err != nil {
			t.Fatalf("DecodeChunk(%v): %v", c.Type(), err)
		}
		switch x := e.(type) {
		case *Data:
			types = append(types, "Data")
		case *Sack:
			types = append(types, "Sack")
		case *RawChunk:
			types = append(types, "RawChunk")
			if x.Type != 0x7f || !bytes.Equal(x.Value, []byte{0xee}) {
				t.Errorf("RawChunk = %+v", x)
			}
		case *CookieAck:
			types = append(types, "CookieAck")
		default:
			t.Errorf("DecodeChunk(%v) returned %T", c.Type(), e)
		}
	}
	if got := strings.Join(types, ","); got != "Data,Sack,RawChunk,CookieAck" {
		t.Errorf("decoded %s", got)
	}

	// A malformed chunk: nil and the decoder's error.
	bad := mustParse(t, sumRaw(1, []byte{byte(ChunkShutdown), 0, 0, 4}))
	c, _ := bad.FirstChunk()
	e, err := DecodeChunk(c)
	if e != nil || !errors.Is(err, ErrBadLength) {
		t.Errorf("DecodeChunk(short SHUTDOWN) = %v, %v", e, err)
	}
}

// TestValidatePacketNested checks that ValidatePacket finds errors that the
// chunk decoders alone do not look for, and reports their offsets.
func TestValidatePacketNested(t *testing.T) {
	addr := AppendAddressParam(nil, netip.MustParseAddr("192.0.2.1"))
	// An Invalid Stream Identifier cause must be 8 bytes long; this one is
	// 12 (its list layout is fine, so DecodeAbort accepts it).
	badCause := []byte{0, byte(CauseInvalidStreamIdentifier), 0, 12, 0, 1, 0, 0, 0, 0, 0, 0}
	// A Cookie Preservative parameter must be 8 bytes long.
	badPreservative := []byte{0, byte(ParamCookiePreservative), 0, 12, 0, 0, 0, 1, 0, 0, 0, 0}
	// An Add IP Address parameter whose nested parameter is a State Cookie.
	badAddIP := AddIPAddressParam{CorrelationID: 1, Address: StateCookieParam{Cookie: []byte{1, 2, 3, 4}}.Append(nil)}
	// A Padding parameter inside INIT is skipped by DecodeInitParams: its
	// own decoder still runs. An SSN/TSN Reset Request must be 8 bytes.
	badSSNTSN := []byte{0, byte(ParamSSNTSNResetRequest), 0, 12, 0, 0, 0, 1, 0, 0, 0, 0}
	badIndication := ErrorCauseIndicationParam{CorrelationID: 9, Causes: badCause}

	tests := []struct {
		name string
		pkt  []byte
		off  int // offset of the bad item
	}{
		{"ABORT cause", sumRaw(1, (&Abort{Causes: badCause}).Append(nil)), 16},
		{"ERROR cause", sumRaw(1, (&ErrorChunk{Causes: append(UserInitiatedAbort{}.Append(nil), badCause...)}).Append(nil)), 20},
		{"INIT parameter", sumRaw(0, (&Init{InitiateTag: 1, ARwnd: 1500, OutStreams: 1, InStreams: 1,
			Params: append(bytes.Clone(addr), badPreservative...)}).Append(nil)), 12 + 20 + 8},
		{"ASCONF address", sumRaw(1, (&Asconf{SequenceNumber: 1, Address: netip.MustParseAddr("192.0.2.1"),
			Params: badAddIP.Append(nil)}).Append(nil)), 12 + 16 + 8},
		{"RE-CONFIG parameter", sumRaw(1, (&Reconfig{Params: badSSNTSN}).Append(nil)), 16},
		{"ASCONF ACK cause", sumRaw(1, (&AsconfAck{SequenceNumber: 1, Params: badIndication.Append(nil)}).Append(nil)),
			12 + 8 + 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkt := mustParse(t, tt.pkt)
			c, _ := pkt.FirstChunk()
			if _, err := DecodeChunk(c); err != nil {
				t.Fatalf("the chunk decoder already rejects it: %v", err)
			}
			err := ValidatePacket(pkt)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ValidatePacket = %v, want a *ParseError", err)
			}
			if pe.Offset != tt.off {
				t.Errorf("error at offset %d, want %d: %v", pe.Offset, tt.off, err)
			}
			if s := Summary(pkt); !strings.Contains(s, "malformed") {
				t.Errorf("Summary does not say malformed: %s", s)
			}
		})
	}
}

func TestValidatePacketAcceptsUnknown(t *testing.T) {
	unknownParam := RawParam{Type: 0x8123, Value: []byte{1, 2, 3}}.Append(nil)
	pkt := mustParse(t, sumRaw(1,
		[]byte{0xc5, 0, 0, 6, 1, 2, 0, 0},
		(&ErrorChunk{Causes: AppendCause(nil, 0x7777, []byte{1})}).Append(nil),
		(&Reconfig{Params: unknownParam}).Append(nil),
	))
	if err := ValidatePacket(pkt); err != nil {
		t.Errorf("ValidatePacket: %v", err)
	}
}

// FuzzSummary checks that Summary, DecodeChunk and ValidatePacket never
// panic, and that they agree: a packet ValidatePacket accepts has no chunk
// DecodeChunk rejects and no "malformed" in its summary.
func FuzzSummary(f *testing.F) {
	f.Add(sumPacket(5000, 5000, 1,
		&Data{TSN: 12, StreamID: 1, SSN: 3, PPID: 51, Beginning: true, UserData: []byte("hi")},
		&Sack{CumulativeTSNAck: 11, ARwnd: 131072, GapBlocks: []GapBlock{{2, 3}}, DupTSNs: []uint32{4}}))
	f.Add(sumPacket(5000, 5000, 0, &Init{InitiateTag: 1, ARwnd: 1500, OutStreams: 1, InStreams: 1,
		Params: SupportedExtensionsParam{ChunkTypes: []byte{130}}.Append(
			UnrecognizedParameterParam{Parameter: []byte{0x80, 9, 0, 4}}.Append(nil))}))
	f.Add(sumPacket(5000, 5000, 1, &Abort{Causes: UnrecognizedChunkType{Chunk: []byte{0x45, 0, 0, 4}}.Append(nil)}))
	f.Add(sumPacket(5000, 5000, 1, &Reconfig{Params: OutgoingSSNResetRequestParam{RequestSeq: 1,
		StreamIDs: []uint16{1, 2}}.Append(nil)}))
	f.Add(sumPacket(5000, 5000, 1, &Asconf{SequenceNumber: 1, Address: netip.MustParseAddr("::1"),
		Params: AddIPAddressParam{CorrelationID: 1, Address: AppendAddressParam(nil, netip.MustParseAddr("10.0.0.1"))}.Append(nil)}))
	f.Add(sumPacket(5000, 5000, 1, &AsconfAck{SequenceNumber: 1, Params: ErrorCauseIndicationParam{CorrelationID: 1,
		Causes: NoAuthorization{Param: []byte{0, 5, 0, 8, 1, 2, 3, 4}}.Append(nil)}.Append(nil)}))
	f.Add(sumPacket(5000, 5000, 1, &NRSack{CumulativeTSNAck: 1, NRGapBlocks: []GapBlock{{1, 2}}},
		&IForwardTSN{NewCumulativeTSN: 3, Streams: []IForwardTSNStream{{1, true, 2}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var buf [512]byte
		_ = AppendSummary(buf[:0], Packet{b: b})
		p, err := ParsePacket(b)
		if err != nil {
			return
		}
		s := Summary(p)
		valid := ValidatePacket(p) == nil
		it := p.Chunks()
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			_ = AppendChunkSummary(buf[:0], c)
			e, err := DecodeChunk(c)
			if (e == nil) != (err != nil) {
				t.Fatalf("DecodeChunk(%v) = %v, %v", c.Type(), e, err)
			}
			if valid && err != nil {
				t.Fatalf("ValidatePacket accepts a packet whose %v does not decode: %v", c.Type(), err)
			}
			if e != nil && e.ChunkType() != c.Type() {
				t.Fatalf("DecodeChunk(%v) returned a %v", c.Type(), e.ChunkType())
			}
		}
		if valid && strings.Contains(s, "malformed") {
			t.Fatalf("ValidatePacket accepts a packet whose summary says malformed: %s", s)
		}
	})
}

func BenchmarkAppendSummary(b *testing.B) {
	pkt := mustParse(b, sumPacket(5000, 5000, 0x1234abcd,
		&Sack{CumulativeTSNAck: 11, ARwnd: 131072, GapBlocks: []GapBlock{{Start: 2, End: 3}}},
		&Data{TSN: 12, StreamID: 1, SSN: 3, PPID: 51, Beginning: true, Ending: true, UserData: make([]byte, 1100)}))
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendSummary(buf[:0], pkt)
	}
}
