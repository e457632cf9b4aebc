package wire_test

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
	"github.com/sconnlab/sconn/wire/pcap"
)

// chunkPacket is one packet of the every-chunk-type corpus.
type chunkPacket struct {
	name  string
	types []wire.ChunkType // the chunk types in the packet, in order
	// quoted are the chunk types quoted in Unrecognized Chunk Type causes
	// of the last chunk: tshark lists them in sctp.chunk_type too.
	quoted []wire.ChunkType
	b      []byte
}

// buildPacket builds a packet with a CRC32c from the given chunks.
func buildPacket(vtag uint32, chunks ...wire.Encoder) []byte {
	var bld wire.Builder
	bld.Reset(nil, wire.Header{SrcPort: 5000, DstPort: 5001, VerificationTag: vtag}, 0)
	for _, c := range chunks {
		bld.Add(c)
	}
	return bld.Finish(false)
}

type appender interface{ Append([]byte) []byte }

func enc(items ...appender) []byte {
	var b []byte
	for _, it := range items {
		b = it.Append(b)
	}
	return b
}

var (
	addr4a = netip.MustParseAddr("192.0.2.1")
	addr4b = netip.MustParseAddr("192.0.2.7")
	addr6a = netip.MustParseAddr("2001:db8::1")
)

// quotedChunk is the type of the chunk quoted in the Unrecognized Chunk Type
// cause of allCauses.
const quotedChunk wire.ChunkType = 0x45

// quoting records the chunk types quoted in the causes of cp's last chunk.
func quoting(cp chunkPacket, types ...wire.ChunkType) chunkPacket {
	cp.quoted = types
	return cp
}

// allCauses returns one of every error cause this package knows, encoded
// back to back: RFC 9260 §3.3.10.1–13, RFC 5061 §4.3 and RFC 4895 §4.1.
func allCauses() []byte {
	unknownChunk := (&wire.RawChunk{Type: quotedChunk, Flags: 0, Value: []byte{1, 2, 3, 4}}).Append(nil)
	unknownParam := wire.RawParam{Type: 0x4123, Value: []byte{9, 9}}.Append(nil)
	addIP := wire.AddIPAddressParam{CorrelationID: 7, Address: wire.AppendAddressParam(nil, addr4b)}.Append(nil)
	return enc(
		wire.InvalidStreamIdentifier{StreamID: 7},
		wire.MissingMandatoryParameter{Types: []uint16{uint16(wire.ParamStateCookie)}},
		wire.StaleCookie{Staleness: 1500},
		wire.OutOfResource{},
		wire.UnresolvableAddress{Address: wire.AppendAddressParam(nil, addr4b)},
		wire.UnrecognizedChunkType{Chunk: unknownChunk},
		wire.InvalidMandatoryParameter{},
		wire.UnrecognizedParameters{Params: unknownParam},
		wire.NoUserData{TSN: 1234},
		wire.CookieReceivedWhileShuttingDown{},
		wire.RestartWithNewAddresses{Addresses: wire.AppendAddressParam(nil, addr4b)},
		wire.UserInitiatedAbort{Reason: []byte("bye")},
		wire.ProtocolViolation{Info: []byte("TSN out of window")},
		wire.DeleteLastRemainingAddress{Param: addIP},
		wire.ResourceShortage{Param: addIP},
		wire.DeleteSourceAddress{Param: addIP},
		wire.IllegalAsconfAck{},
		wire.NoAuthorization{Param: addIP},
		wire.UnsupportedHMACIdentifier{HMACID: 2},
	)
}

// allChunkPackets returns one packet (or a few, for RE-CONFIG) per chunk
// type of wire/chunk.go, each with realistic contents.
func allChunkPackets() []chunkPacket {
	const vtag = 0x1234abcd
	random := bytes.Repeat([]byte{0x5a}, 32)
	initParams := enc(
		wire.IPv4AddressParam{Addr: addr4a},
		wire.IPv6AddressParam{Addr: addr6a},
		wire.CookiePreservativeParam{LifeSpanIncrement: 2000},
		wire.HostNameAddressParam{HostName: []byte("sctp.example\x00")},
		wire.SupportedAddressTypesParam{Types: []wire.ParamType{wire.ParamIPv4Address, wire.ParamIPv6Address}},
		wire.ECNCapableParam{},
		wire.ZeroChecksumAcceptableParam{EDMID: wire.EDMIDLowerLayerDTLS},
		wire.ForwardTSNSupportedParam{},
		wire.SupportedExtensionsParam{ChunkTypes: []byte{
			byte(wire.ChunkForwardTSN), byte(wire.ChunkAuth), byte(wire.ChunkAsconf), byte(wire.ChunkAsconfAck),
			byte(wire.ChunkReconfig), byte(wire.ChunkIData), byte(wire.ChunkIForwardTSN), byte(wire.ChunkPad),
			byte(wire.ChunkNRSack)}},
		wire.RandomParam{Random: random},
		wire.ChunkListParam{ChunkTypes: []byte{byte(wire.ChunkAsconf), byte(wire.ChunkAsconfAck)}},
		wire.RequestedHMACAlgorithmParam{HMACIDs: []uint16{3, 1}},
		wire.AdaptationLayerIndicationParam{AdaptationCodePoint: 0x01020304},
		wire.PaddingParam{Len: 16},
	)
	unrecognized := wire.RawParam{Type: 0xC123, Value: []byte{1, 2, 3, 4, 5}}.Append(nil)
	initAckParams := enc(
		wire.IPv4AddressParam{Addr: addr4b},
		wire.StateCookieParam{Cookie: bytes.Repeat([]byte{0xc0, 0x0c}, 40)},
		wire.UnrecognizedParameterParam{Parameter: unrecognized[:9]},
		wire.ECNCapableParam{},
		wire.ForwardTSNSupportedParam{},
		wire.SupportedExtensionsParam{ChunkTypes: []byte{byte(wire.ChunkReconfig), byte(wire.ChunkForwardTSN)}},
	)
	addIP := wire.AddIPAddressParam{CorrelationID: 1, Address: wire.AppendAddressParam(nil, addr4b)}
	delIP := wire.DeleteIPAddressParam{CorrelationID: 2, Address: wire.AppendAddressParam(nil, addr4a)}
	setPrimary := wire.SetPrimaryAddressParam{CorrelationID: 3, Address: wire.AppendAddressParam(nil, addr4b)}
	addIP6 := wire.AddIPAddressParam{CorrelationID: 4, Address: wire.AppendAddressParam(nil, addr6a)}
	hbInfo := []byte("heartbeat info: 1700000000123456")
	data := func(tsn uint32) *wire.Data {
		return &wire.Data{TSN: tsn, StreamID: 1, SSN: uint16(tsn - 100), PPID: 51, Beginning: true, Ending: true,
			UserData: []byte("hello, sctp")}
	}

	p := func(name string, vt uint32, chunks ...wire.Encoder) chunkPacket {
		cp := chunkPacket{name: name, b: buildPacket(vt, chunks...)}
		for _, c := range chunks {
			cp.types = append(cp.types, c.ChunkType())
		}
		return cp
	}
	return []chunkPacket{
		p("INIT", 0, &wire.Init{InitiateTag: vtag, ARwnd: 131072, OutStreams: 10, InStreams: 65535,
			InitialTSN: 100, Params: initParams}),
		p("INIT ACK", vtag, &wire.InitAck{InitiateTag: 0x55667788, ARwnd: 65536, OutStreams: 10, InStreams: 10,
			InitialTSN: 5000, Params: initAckParams}),
		p("COOKIE ECHO + DATA", vtag, &wire.CookieEcho{Cookie: bytes.Repeat([]byte{0xc0, 0x0c}, 40)}, data(100)),
		p("COOKIE ACK + SACK", vtag, &wire.CookieAck{}, &wire.Sack{CumulativeTSNAck: 100, ARwnd: 131072,
			GapBlocks: []wire.GapBlock{{2, 3}, {5, 7}}, DupTSNs: []uint32{99}}),
		p("DATA", vtag, data(101), &wire.Data{TSN: 102, StreamID: 2, SSN: 0, PPID: 53, Unordered: true,
			Beginning: true, Immediate: true, UserData: bytes.Repeat([]byte{0xab}, 33)}),
		p("HEARTBEAT", vtag, &wire.Heartbeat{Info: hbInfo}),
		p("HEARTBEAT ACK", vtag, &wire.HeartbeatAck{Info: hbInfo}),
		quoting(p("ABORT", vtag, &wire.Abort{Causes: allCauses()}), quotedChunk),
		p("ABORT T", 0x55667788, &wire.Abort{TagReflected: true,
			Causes: wire.UserInitiatedAbort{Reason: []byte("shutting down")}.Append(nil)}),
		p("SHUTDOWN", vtag, &wire.Shutdown{CumulativeTSNAck: 5003}),
		p("SHUTDOWN ACK", vtag, &wire.ShutdownAck{}),
		p("SHUTDOWN COMPLETE", vtag, &wire.ShutdownComplete{TagReflected: true}),
		quoting(p("ERROR", vtag, &wire.ErrorChunk{Causes: allCauses()}), quotedChunk),
		p("ECNE + CWR", vtag, &wire.ECNE{LowestTSN: 104}, &wire.CWR{LowestTSN: 5004}),
		p("AUTH + DATA", vtag, &wire.Auth{SharedKeyID: 0, HMACID: 1, HMAC: make([]byte, 20)}, data(103)),
		p("NR-SACK", vtag, &wire.NRSack{CumulativeTSNAck: 100, ARwnd: 100000,
			GapBlocks: []wire.GapBlock{{2, 2}}, NRGapBlocks: []wire.GapBlock{{4, 6}}, DupTSNs: []uint32{98, 99}}),
		p("I-DATA", vtag,
			&wire.IData{TSN: 200, StreamID: 4, MID: 9, PPID: 51, Beginning: true, UserData: bytes.Repeat([]byte("x"), 40)},
			&wire.IData{TSN: 201, StreamID: 4, MID: 9, FSN: 1, Ending: true, UserData: []byte("end")}),
		p("FORWARD TSN", vtag, &wire.ForwardTSN{NewCumulativeTSN: 120,
			Streams: []wire.ForwardTSNStream{{StreamID: 1, SSN: 4}, {StreamID: 3, SSN: 10}}}),
		p("I-FORWARD TSN", vtag, &wire.IForwardTSN{NewCumulativeTSN: 220,
			Streams: []wire.IForwardTSNStream{{StreamID: 4, Unordered: false, MID: 9}, {StreamID: 5, Unordered: true, MID: 2}}}),
		p("PAD + HEARTBEAT", vtag, &wire.Pad{Len: 100}, &wire.Heartbeat{Info: hbInfo}),
		p("RE-CONFIG outgoing+incoming", vtag, &wire.Reconfig{Params: enc(
			wire.OutgoingSSNResetRequestParam{RequestSeq: 10, ResponseSeq: 20, LastTSN: 119, StreamIDs: []uint16{1, 2, 3}},
			wire.IncomingSSNResetRequestParam{RequestSeq: 11, StreamIDs: []uint16{4}},
		)}),
		p("RE-CONFIG SSN/TSN", vtag, &wire.Reconfig{Params: enc(wire.SSNTSNResetRequestParam{RequestSeq: 12})}),
		p("RE-CONFIG add streams", vtag, &wire.Reconfig{Params: enc(
			wire.AddOutgoingStreamsParam{RequestSeq: 13, NumNewStreams: 5},
			wire.AddIncomingStreamsParam{RequestSeq: 14, NumNewStreams: 6},
		)}),
		p("RE-CONFIG responses", vtag, &wire.Reconfig{Params: enc(
			wire.ReconfigResponseParam{ResponseSeq: 10, Result: wire.ReconfigResultSuccessPerformed},
			wire.ReconfigResponseParam{ResponseSeq: 12, Result: wire.ReconfigResultSuccessPerformed,
				HasTSNs: true, SenderNextTSN: 300, ReceiverNextTSN: 6000},
		)}),
		p("RE-CONFIG response+outgoing", vtag, &wire.Reconfig{Params: enc(
			wire.ReconfigResponseParam{ResponseSeq: 21, Result: wire.ReconfigResultDenied},
			wire.OutgoingSSNResetRequestParam{RequestSeq: 15, ResponseSeq: 21, LastTSN: 130},
		)}),
		p("AUTH + ASCONF", vtag, &wire.Auth{SharedKeyID: 1, HMACID: 3, HMAC: make([]byte, 32)},
			&wire.Asconf{SequenceNumber: 1, Address: addr4a, Params: enc(addIP, delIP, setPrimary, addIP6)}),
		p("AUTH + ASCONF ACK", vtag, &wire.Auth{SharedKeyID: 1, HMACID: 3, HMAC: make([]byte, 32)},
			&wire.AsconfAck{SequenceNumber: 1, Params: enc(
				wire.SuccessIndicationParam{CorrelationID: 1},
				wire.ErrorCauseIndicationParam{CorrelationID: 2,
					Causes: wire.DeleteLastRemainingAddress{Param: delIP.Append(nil)}.Append(nil)},
				wire.ErrorCauseIndicationParam{CorrelationID: 3,
					Causes: wire.NoAuthorization{Param: setPrimary.Append(nil)}.Append(nil)},
				wire.SuccessIndicationParam{CorrelationID: 4},
			)}),
	}
}

// TestAllChunkTypesDecode checks the corpus itself, without tshark: every
// chunk type of wire/chunk.go is present, every packet passes
// ValidatePacket, DecodeChunk re-encodes each chunk byte for byte, and
// Summary names every chunk.
func TestAllChunkTypesDecode(t *testing.T) {
	seen := map[wire.ChunkType]bool{}
	for _, cp := range allChunkPackets() {
		pkt, err := wire.ParsePacket(cp.b)
		if err != nil {
			t.Fatalf("%s: ParsePacket: %v", cp.name, err)
		}
		if err := wire.VerifyChecksum(cp.b, false); err != nil {
			t.Errorf("%s: %v", cp.name, err)
		}
		if err := wire.ValidatePacket(pkt); err != nil {
			t.Errorf("%s: ValidatePacket: %v", cp.name, err)
		}
		sum := wire.Summary(pkt)
		var got []wire.ChunkType
		it := pkt.Chunks()
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			got = append(got, c.Type())
			seen[c.Type()] = true
			e, err := wire.DecodeChunk(c)
			if err != nil {
				t.Errorf("%s: DecodeChunk(%v): %v", cp.name, c.Type(), err)
				continue
			}
			if _, raw := e.(*wire.RawChunk); raw {
				t.Errorf("%s: DecodeChunk(%v) returned a RawChunk", cp.name, c.Type())
			}
			if e.ChunkType() != c.Type() {
				t.Errorf("%s: DecodeChunk(%v) returned a %v", cp.name, c.Type(), e.ChunkType())
			}
			want := cp.b[c.Offset() : c.Offset()+(c.Length()+3)&^3]
			if re := e.Append(nil); !bytes.Equal(re, want) {
				t.Errorf("%s: %v re-encodes as\n%x\nwant\n%x", cp.name, c.Type(), re, want)
			}
			if !strings.Contains(sum, c.Type().String()) {
				t.Errorf("%s: summary %q does not name %v", cp.name, sum, c.Type())
			}
		}
		if !slices.Equal(got, cp.types) {
			t.Errorf("%s: chunk types %v, want %v", cp.name, got, cp.types)
		}
		if strings.Contains(sum, "malformed") {
			t.Errorf("%s: summary says malformed: %s", cp.name, sum)
		}
		t.Logf("%s: %s", cp.name, sum)
	}
	for ty := range 256 {
		if ct := wire.ChunkType(ty); ct.Known() && !seen[ct] {
			t.Errorf("chunk type %v (%d) missing from the corpus", ct, ty)
		}
	}
}

// tsharkPath returns the path of tshark, failing the test when it is missing
// unless SCONN_NO_TSHARK=1 asks to skip.
func tsharkPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("SCONN_NO_TSHARK") == "1" {
			t.Skip("tshark not found; skipped because SCONN_NO_TSHARK=1")
		}
		t.Fatal("tshark not found: run make deps")
	}
	return path
}

// Expert info severities of Wireshark (epan/proto.h PI_*).
const (
	severityWarn  = 0x00600000
	severityError = 0x00800000
)

// badExpert matches the expert messages that mean tshark found the
// encoding wrong, as opposed to notes about things it merely does not know.
var badExpert = regexp.MustCompile(`(?i)malformed|length|checksum|bogus|exceed|truncat|too (short|long|large|small)|padding|reserved`)

// TestTsharkDecodesAllChunkTypes writes the corpus to pcap files (SCTP over
// IPv4, and inside UDP on port 9899) and checks that tshark decodes every
// chunk of every packet, with good checksums, no malformed packet and no
// expert warning or error about lengths, padding or checksums.
func TestTsharkDecodesAllChunkTypes(t *testing.T) {
	tshark := tsharkPath(t)
	corpus := allChunkPackets()
	for _, tc := range []struct {
		name string
		opts pcap.WriterOptions
	}{
		{"ipv4", pcap.WriterOptions{}},
		{"udp9899", pcap.WriterOptions{UDP: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "all-chunks-"+tc.name+".pcap")
			var buf bytes.Buffer
			w, err := pcap.NewWriter(&buf, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
			for i, cp := range corpus {
				if err := w.WritePacket(t0.Add(time.Duration(i)*time.Millisecond), wire.Outbound, cp.b); err != nil {
					t.Fatalf("%s: %v", cp.name, err)
				}
			}
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"-r", file, "-n", "-o", "sctp.checksum:CRC-32C",
				"-d", "udp.port==9899,sctp",
				"-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=|",
				"-e", "frame.number", "-e", "sctp.chunk_type", "-e", "sctp.checksum.status",
				"-e", "_ws.malformed", "-e", "_ws.expert.severity", "-e", "_ws.expert.message"}
			out, stderr := runTshark(t, tshark, args...)
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			if len(lines) != len(corpus) {
				t.Fatalf("tshark printed %d lines for %d packets:\n%s\n%s", len(lines), len(corpus), out, stderr)
			}
			failed := false
			for i, line := range lines {
				cp := corpus[i]
				f := strings.Split(line, "\t")
				for len(f) < 6 {
					f = append(f, "")
				}
				var problems []string
				if f[0] != strconv.Itoa(i+1) {
					problems = append(problems, "frame number "+f[0])
				}
				var want []string
				for _, ty := range append(slices.Clone(cp.types), cp.quoted...) {
					want = append(want, strconv.Itoa(int(ty)))
				}
				if f[1] != strings.Join(want, "|") {
					problems = append(problems, "chunk types "+f[1]+", want "+strings.Join(want, "|"))
				}
				if f[2] != "1" {
					problems = append(problems, "checksum status "+f[2]+" (1 is good)")
				}
				if f[3] != "" {
					problems = append(problems, "malformed packet")
				}
				sev := strings.Split(f[4], "|")
				msgs := strings.Split(f[5], "|")
				for j, m := range msgs {
					if m == "" {
						continue
					}
					s := 0
					if j < len(sev) {
						n, _ := strconv.ParseUint(sev[j], 0, 32)
						s = int(n)
					}
					switch {
					case s >= severityWarn && badExpert.MatchString(m):
						problems = append(problems, "expert: "+m)
					case s >= severityWarn:
						t.Logf("%s: tshark expert info (severity %#x), not a failure: %s", cp.name, s, m)
					}
				}
				if len(problems) > 0 {
					failed = true
					t.Errorf("frame %d (%s): %s", i+1, cp.name, strings.Join(problems, "; "))
					v, _ := runTshark(t, tshark, "-r", file, "-n", "-o", "sctp.checksum:CRC-32C",
						"-d", "udp.port==9899,sctp", "-V", "-Y", "frame.number=="+strconv.Itoa(i+1))
					t.Logf("tshark -V of frame %d:\n%s", i+1, v)
				}
			}
			if failed {
				t.Logf("tshark fields:\n%s", out)
			}
		})
	}
}

// runTshark runs tshark and returns its standard output and error; it
// fails the test if tshark fails.
func runTshark(t *testing.T, tshark string, args ...string) (stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	cmd := exec.Command(tshark, args...)
	cmd.Stdout, cmd.Stderr = &o, &e
	// tshark writes its profile under $HOME; keep it out of the user's.
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, e.String())
	}
	return o.String(), e.String()
}

// TestAllChunkTypesCorpusIsUnique guards the corpus against accidental
// edits that drop a chunk (the tshark test compares chunk lists, so a
// packet whose chunk list is empty would pass vacuously).
func TestAllChunkTypesCorpusIsUnique(t *testing.T) {
	names := map[string]bool{}
	for _, cp := range allChunkPackets() {
		if names[cp.name] {
			t.Errorf("duplicate corpus packet %q", cp.name)
		}
		names[cp.name] = true
		if len(cp.types) == 0 || len(cp.b) < wire.HeaderLen+wire.ChunkHeaderLen {
			t.Errorf("%s: empty packet", cp.name)
		}
		if binary.BigEndian.Uint16(cp.b[0:2]) != 5000 {
			t.Errorf("%s: wrong source port", cp.name)
		}
	}
}
