package main

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
	"github.com/sconnlab/sconn/wire/pcap"
)

const (
	echoCapture  = "../../wire/testdata/usrsctp-echo.pcapng"
	tsctpCapture = "../../wire/testdata/usrsctp-tsctp-9899.pcapng"
)

// runCmd runs the command and returns its exit status, stdout and stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	status := run(args, &out, &errOut)
	return status, out.String(), errOut.String()
}

func lines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestEchoCaptureText(t *testing.T) {
	status, out, errOut := runCmd(t, "-udp", "11111,22222", echoCapture)
	if status != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	l := lines(out)
	if len(l) != 26 {
		t.Fatalf("%d lines, want 26:\n%s", len(l), out)
	}
	want := map[int]string{
		1: "1 01:04:45.824210 UDP 127.0.0.1:22222 > 127.0.0.1:11111 SCTP 50252 > 7 vtag 0x00000000: " +
			"INIT tag 0x16605b92 a_rwnd 131072 os 10 mis 2048 tsn 3956030025 params: ECN Capable, " +
			"Forward-TSN-Supported, Supported Extensions [FORWARD TSN,AUTH,ASCONF,ASCONF ACK,RE-CONFIG], " +
			"Random len 32, Requested HMAC Algorithm [SHA-1], Chunk List [ASCONF ACK,ASCONF], " +
			"Supported Address Types [IPv4,IPv6], IPv6 Address fd00::2, IPv4 Address 192.0.2.2, " +
			"IPv6 Address ::1, IPv4 Address 127.0.0.1",
		5: "5 01:04:45.826332 UDP [fd00::2]:22222 > [fd00::2]:11111 SCTP 50252 > 7 vtag 0x1ff0ee13: HEARTBEAT info 36",
		20: "20 01:04:45.827851 UDP 127.0.0.1:11111 > 127.0.0.1:22222 SCTP 7 > 50252 vtag 0x16605b92: " +
			"SACK cum 3956030026 a_rwnd 130396 gaps 0 dups 0; DATA tsn 28883506 sid 0 ssn 0 ppid 0 BE len 12",
		26: "26 01:04:47.816056 UDP 127.0.0.1:22222 > 127.0.0.1:11111 SCTP 50252 > 7 vtag 0x1ff0ee13: SHUTDOWN COMPLETE",
	}
	for n, w := range want {
		if l[n-1] != w {
			t.Errorf("line %d:\n got %s\nwant %s", n, l[n-1], w)
		}
	}
}

// jsonPacket is the part of the -json schema the tests look at.
type jsonPacket struct {
	File       string  `json:"file"`
	Frame      int     `json:"frame"`
	Time       *string `json:"time"`
	Src        string  `json:"src"`
	Dst        string  `json:"dst"`
	UDP        bool    `json:"udp"`
	UDPSrcPort *int    `json:"udp_src_port"`
	UDPDstPort *int    `json:"udp_dst_port"`
	Direction  string  `json:"direction"`
	Length     int     `json:"length"`
	SrcPort    *int    `json:"src_port"`
	DstPort    *int    `json:"dst_port"`
	VTag       *uint32 `json:"vtag"`
	Checksum   *uint32 `json:"checksum"`
	ChecksumOK *bool   `json:"checksum_ok"`
	Zero       *bool   `json:"zero_checksum"`
	Chunks     []struct {
		Type      *int                       `json:"type"`
		Name      string                     `json:"name"`
		Flags     *int                       `json:"flags"`
		Length    *int                       `json:"length"`
		Offset    *int                       `json:"offset"`
		Error     string                     `json:"error"`
		Params    []map[string]any           `json:"params"`
		Causes    []map[string]any           `json:"causes"`
		GapBlocks []struct{ Start, End int } `json:"gap_blocks"`
		DupTSNs   []uint32                   `json:"dup_tsns"`
		TSN       *uint32                    `json:"tsn"`
	} `json:"chunks"`
	Error string `json:"error"`
}

// parseJSON decodes -json output strictly: one object per line, every
// required field present.
func parseJSON(t *testing.T, out string) []jsonPacket {
	t.Helper()
	var pkts []jsonPacket
	for i, line := range lines(out) {
		var p jsonPacket
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		var generic map[string]any
		if err := json.Unmarshal([]byte(line), &generic); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for _, k := range []string{"file", "frame", "time", "udp", "length", "chunks"} {
			if _, ok := generic[k]; !ok {
				t.Errorf("line %d: no %q: %s", i+1, k, line)
			}
		}
		if p.Length >= wire.HeaderLen && (p.SrcPort == nil || p.DstPort == nil || p.VTag == nil ||
			p.Checksum == nil || p.ChecksumOK == nil || p.Zero == nil) {
			t.Errorf("line %d: header fields missing: %s", i+1, line)
		}
		if p.Time != nil {
			if _, err := time.Parse(time.RFC3339Nano, *p.Time); err != nil {
				t.Errorf("line %d: time %q: %v", i+1, *p.Time, err)
			}
		}
		for j, c := range p.Chunks {
			if c.Type == nil || c.Name == "" || c.Flags == nil || c.Length == nil || c.Offset == nil {
				t.Errorf("line %d chunk %d: type, name, flags, length or offset missing: %s", i+1, j, line)
			}
		}
		pkts = append(pkts, p)
	}
	return pkts
}

func TestEchoCaptureJSON(t *testing.T) {
	status, out, errOut := runCmd(t, "-json", "-udp", "11111,22222", echoCapture)
	if status != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	pkts := parseJSON(t, out)
	if len(pkts) != 26 {
		t.Fatalf("%d packets, want 26", len(pkts))
	}
	p := pkts[0]
	if p.Frame != 1 || *p.Time != "2026-11-23T01:04:45.824210167Z" || p.Src != "127.0.0.1" || !p.UDP ||
		*p.UDPSrcPort != 22222 || *p.UDPDstPort != 11111 || *p.SrcPort != 50252 || *p.DstPort != 7 ||
		*p.VTag != 0 || !*p.ChecksumOK || *p.Zero || p.Length != 168 {
		t.Errorf("frame 1: %+v", p)
	}
	if len(p.Chunks) != 1 || *p.Chunks[0].Type != 1 || p.Chunks[0].Name != "INIT" || len(p.Chunks[0].Params) != 11 {
		t.Errorf("frame 1 chunks: %+v", p.Chunks)
	}
	p = pkts[19]
	if len(p.Chunks) != 2 || p.Chunks[0].Name != "SACK" || p.Chunks[1].Name != "DATA" ||
		*p.Chunks[1].TSN != 28883506 || *p.Chunks[1].Offset != 28 || p.Chunks[0].GapBlocks == nil {
		t.Errorf("frame 20: %+v", p)
	}
	for _, p := range pkts {
		if p.Error != "" {
			t.Errorf("frame %d: error %s", p.Frame, p.Error)
		}
	}
}

func TestTsctpCapture(t *testing.T) {
	// Default flags: UDP port 9899.
	status, out, errOut := runCmd(t, "-json", tsctpCapture)
	if status != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	pkts := parseJSON(t, out)
	if len(pkts) != 129 {
		t.Fatalf("%d packets, want 129", len(pkts))
	}
	count := map[string]int{}
	for _, p := range pkts {
		for _, c := range p.Chunks {
			count[c.Name]++
		}
	}
	if count["DATA"] != 60 || count["SACK"] != 58 || count["SHUTDOWN COMPLETE"] != 1 {
		t.Errorf("chunk counts %v", count)
	}
}

func TestCheckRealCaptures(t *testing.T) {
	status, out, errOut := runCmd(t, "-check", "-q", "-udp", "11111,22222", echoCapture)
	if status != 0 || out != "" {
		t.Errorf("status %d, stdout %q", status, out)
	}
	want := echoCapture + ": 26 SCTP packets, 0 bad checksums, 0 zero checksums, 0 malformed; 0 frames without SCTP\n"
	if errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	status, _, errOut = runCmd(t, "-check", "-q", tsctpCapture)
	if status != 0 || !strings.Contains(errOut, ": 129 SCTP packets, 0 bad checksums, 0 zero checksums, 0 malformed") {
		t.Errorf("status %d, stderr %q", status, errOut)
	}
}

func TestNoSCTPFound(t *testing.T) {
	// Without -udp 11111,22222 the echo capture holds nothing we decode.
	status, out, errOut := runCmd(t, echoCapture)
	if status != 0 || out != "" || !strings.Contains(errOut, "no SCTP packets in 26 frames") {
		t.Errorf("status %d, stdout %q, stderr %q", status, out, errOut)
	}
}

// writeCapture writes SCTP packets to a pcap file with the pcap Writer.
func writeCapture(t *testing.T, opts pcap.WriterOptions, pkts ...[]byte) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := pcap.NewWriter(&buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for i, p := range pkts {
		dir := wire.Outbound
		if i%2 == 1 {
			dir = wire.Inbound
		}
		if err := w.WritePacket(t0.Add(time.Duration(i)*time.Millisecond), dir, p); err != nil {
			t.Fatal(err)
		}
	}
	name := filepath.Join(t.TempDir(), "gen.pcap")
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func packet(vtag uint32, chunks ...wire.Encoder) []byte {
	b := wire.AppendHeader(nil, wire.Header{SrcPort: 5000, DstPort: 5000, VerificationTag: vtag})
	for _, c := range chunks {
		b = c.Append(b)
	}
	return wire.FinishPacket(b, false)
}

// problemPackets returns: a good packet, one with a bad checksum, one with a
// zero checksum, one with a chunk that does not decode (at offset 28), and
// one whose chunk length runs past the end.
func problemPackets() [][]byte {
	good := packet(7, &wire.Sack{CumulativeTSNAck: 9, ARwnd: 1000, GapBlocks: []wire.GapBlock{{Start: 2, End: 4}}},
		&wire.Data{TSN: 10, StreamID: 1, SSN: 2, PPID: 51, Beginning: true, Ending: true, UserData: []byte("hi")})
	bad := bytes.Clone(good)
	bad[len(bad)-1] ^= 0xff
	zero := wire.FinishPacket(bytes.Clone(good), true)
	malformed := packet(7, &wire.CookieAck{}, &wire.Data{TSN: 11, UserData: []byte("x")},
		&wire.RawChunk{Type: wire.ChunkShutdown, Value: []byte{1, 2}}) // SHUTDOWN must be 8 bytes
	truncated := bytes.Clone(good)
	truncated = wire.FinishPacket(truncated[:len(truncated)-8], false)
	return [][]byte{good, bad, zero, malformed, truncated}
}

func TestCheckProblems(t *testing.T) {
	file := writeCapture(t, pcap.WriterOptions{}, problemPackets()...)
	status, out, errOut := runCmd(t, "-check", file)
	if status != 1 {
		t.Errorf("status %d, want 1", status)
	}
	l := lines(out)
	if len(l) != 5 {
		t.Fatalf("%d lines:\n%s", len(l), out)
	}
	wantOut := []string{
		"1 07:08:09.000000 IP 10.0.0.1 > 10.0.0.2 SCTP 5000 > 5000 vtag 0x00000007: SACK cum 9 a_rwnd 1000 gaps 1 [2-4] dups 0; DATA tsn 10 sid 1 ssn 2 ppid 51 BE len 2",
		"2 07:08:09.001000 IP 10.0.0.2 > 10.0.0.1 SCTP 5000 > 5000 vtag 0x00000007: SACK cum 9 a_rwnd 1000 gaps 1 [2-4] dups 0; DATA tsn 10 sid 1 ssn 2 ppid 51 BE len 2 !bad-checksum",
		"3 07:08:09.002000 IP 10.0.0.1 > 10.0.0.2 SCTP 5000 > 5000 vtag 0x00000007: SACK cum 9 a_rwnd 1000 gaps 1 [2-4] dups 0; DATA tsn 10 sid 1 ssn 2 ppid 51 BE len 2 !zero-checksum",
		"4 07:08:09.003000 IP 10.0.0.2 > 10.0.0.1 SCTP 5000 > 5000 vtag 0x00000007: COOKIE ACK; DATA tsn 11 sid 0 ssn 0 ppid 0 len 1; SHUTDOWN malformed: sctp: bad length: SHUTDOWN chunk at offset 36: length 6 below minimum 8",
		"5 07:08:09.004000 IP 10.0.0.1 > 10.0.0.2 SCTP 5000 > 5000 vtag 0x00000007: SACK cum 9 a_rwnd 1000 gaps 1 [2-4] dups 0; malformed: sctp: bad length: DATA chunk at offset 32: length 18 exceeds the 12 bytes left",
	}
	for i, w := range wantOut {
		if l[i] != w {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, l[i], w)
		}
	}
	for _, w := range []string{
		file + ": frame 2: sctp: bad checksum: common header at offset 8: checksum 0x",
		file + ": frame 3: zero checksum (RFC 9653",
		file + ": frame 4: sctp: bad length: SHUTDOWN chunk at offset 36",
		file + ": frame 5: sctp: bad length: DATA chunk at offset 32",
		file + ": 5 SCTP packets, 1 bad checksums, 1 zero checksums, 2 malformed; 0 frames without SCTP",
	} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}

	// The same in JSON.
	status, out, _ = runCmd(t, "-check", "-json", file)
	if status != 1 {
		t.Errorf("-json: status %d, want 1", status)
	}
	pkts := parseJSON(t, out)
	if len(pkts) != 5 {
		t.Fatalf("%d JSON packets", len(pkts))
	}
	if !*pkts[0].ChecksumOK || *pkts[1].ChecksumOK || *pkts[1].Zero || *pkts[2].ChecksumOK || !*pkts[2].Zero {
		t.Errorf("checksum fields wrong")
	}
	if pkts[1].Src != "10.0.0.2" || pkts[1].UDP {
		t.Errorf("frame 2 addresses: %+v", pkts[1])
	}
	if c := pkts[3].Chunks; len(c) != 3 || c[2].Error == "" || !strings.Contains(pkts[3].Error, "offset 36") {
		t.Errorf("frame 4: %+v", pkts[3])
	}
	if c := pkts[4].Chunks; len(c) != 1 || !strings.Contains(pkts[4].Error, "offset 32") {
		t.Errorf("frame 5: %+v", pkts[4])
	}

	// Without -check the exit status is 0 and stderr is quiet.
	status, _, errOut = runCmd(t, file)
	if status != 0 || errOut != "" {
		t.Errorf("without -check: status %d, stderr %q", status, errOut)
	}
}

func TestUDPPortsAndHeuristic(t *testing.T) {
	pkt := packet(1, &wire.CookieAck{})
	other := wire.FinishPacket(wire.AppendHeader(nil, wire.Header{SrcPort: 1234, DstPort: 5678, VerificationTag: 2}), false)
	other = (&wire.CookieAck{}).Append(other)
	wire.SetChecksum(other)
	file := writeCapture(t, pcap.WriterOptions{UDP: true, SrcPort: 40000, DstPort: 40001,
		Src: netip.MustParseAddr("2001:db8::1"), Dst: netip.MustParseAddr("2001:db8::2")}, pkt, other)

	// By default: only the 5000 > 5000 packet, found by the heuristic.
	status, out, _ := runCmd(t, file)
	want := "1 07:08:09.000000 UDP [2001:db8::1]:40000 > [2001:db8::2]:40001 SCTP 5000 > 5000 vtag 0x00000001: COOKIE ACK\n"
	if status != 0 || out != want {
		t.Errorf("default: status %d, output\n%s\nwant\n%s", status, out, want)
	}
	// -udp 40000: both.
	if _, out, _ := runCmd(t, "-udp", "40000", file); len(lines(out)) != 2 {
		t.Errorf("-udp 40000: %s", out)
	}
	// No heuristic, no port: none.
	if _, out, errOut := runCmd(t, "-heuristic=false", "-udp", "", file); out != "" || !strings.Contains(errOut, "no SCTP packets in 2 frames") {
		t.Errorf("-heuristic=false -udp '': %q %q", out, errOut)
	}
}

func TestText2pcapDump(t *testing.T) {
	var buf bytes.Buffer
	t0 := time.Date(2024, 1, 1, 13, 4, 5, 123000, time.UTC)
	if err := wire.Dump(&buf, wire.Outbound, t0, packet(1, &wire.Heartbeat{Info: []byte("abcd")})); err != nil {
		t.Fatal(err)
	}
	if err := wire.Dump(&buf, wire.Inbound, t0.Add(time.Millisecond), packet(2, &wire.HeartbeatAck{Info: []byte("abcd")})); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("some log line in between\n")
	name := filepath.Join(t.TempDir(), "usrsctp.log")
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	status, out, errOut := runCmd(t, name)
	want := "1 13:04:05.000123 outbound SCTP 5000 > 5000 vtag 0x00000001: HEARTBEAT info 4\n" +
		"2 13:04:05.001123 inbound SCTP 5000 > 5000 vtag 0x00000002: HEARTBEAT ACK info 4\n"
	if status != 0 || out != want {
		t.Errorf("status %d stderr %q output\n%s\nwant\n%s", status, errOut, out, want)
	}
	_, out, _ = runCmd(t, "-json", name)
	pkts := parseJSON(t, out)
	if len(pkts) != 2 || pkts[0].Direction != "outbound" || pkts[1].Direction != "inbound" || pkts[0].Src != "" {
		t.Errorf("JSON: %s", out)
	}
}

func TestStdin(t *testing.T) {
	file := writeCapture(t, pcap.WriterOptions{}, packet(1, &wire.CookieAck{}))
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = old }()
	if status, out, _ := runCmd(t, "-"); status != 0 || !strings.Contains(out, "COOKIE ACK") {
		t.Errorf("status %d, output %q", status, out)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.bin")
	os.WriteFile(garbage, []byte("this is not a capture file at all\x00\x01\x02"), 0o644)
	empty := filepath.Join(dir, "empty.pcap")
	os.WriteFile(empty, nil, 0o644)
	good := writeCapture(t, pcap.WriterOptions{}, packet(1, &wire.CookieAck{}), packet(1, &wire.CookieAck{}))
	data, _ := os.ReadFile(good)
	truncated := filepath.Join(dir, "truncated.pcap")
	os.WriteFile(truncated, data[:len(data)-5], 0o644)
	missing := filepath.Join(dir, "missing.pcap")

	tests := []struct {
		name      string
		args      []string
		status    int
		out       int    // number of output lines
		errSubstr string // in stderr, which must be one line per problem
	}{
		{"missing", []string{missing}, 2, 0, "sctpdump: open " + missing + ": no such file or directory"},
		{"garbage", []string{garbage}, 2, 0, "sctpdump: " + garbage + ": not a capture file"},
		{"empty", []string{empty}, 2, 0, "sctpdump: " + empty + ": not a capture file"},
		{"directory", []string{dir}, 2, 0, "sctpdump: " + dir + ": "},
		{"truncated", []string{truncated}, 2, 1, "sctpdump: " + truncated + ": pcap: truncated file: frame 2"},
		{"missing then good", []string{missing, good}, 2, 2, "no such file"},
		{"no files", nil, 2, 0, "sctpdump: no capture file given"},
		{"bad -udp", []string{"-udp", "99999", good}, 2, 0, `sctpdump: -udp "99999": "99999" is not a UDP port`},
		{"bad flag", []string{"-nope", good}, 2, 0, "flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out, errOut := runCmd(t, tt.args...)
			if status != tt.status {
				t.Errorf("status %d, want %d", status, tt.status)
			}
			if n := len(lines(out)); n != tt.out {
				t.Errorf("%d output lines, want %d:\n%s", n, tt.out, out)
			}
			if !strings.Contains(errOut, tt.errSubstr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.errSubstr)
			}
		})
	}

	if status, _, errOut := runCmd(t, "-h"); status != 0 || !strings.Contains(errOut, "usage: sctpdump") ||
		!strings.Contains(errOut, "-udp") {
		t.Errorf("-h: status %d, %q", status, errOut)
	}
}

// TestJSONStrings checks the JSON string escaper on hostile input.
func TestJSONStrings(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "ctl\x00\x01\n\r\t\x7f", "bad utf8 \xff\xfe", "µs ✓"} {
		b := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("%q: %s: %v", s, b, err)
			continue
		}
		if want := string([]rune(s)); got != want { // one U+FFFD per invalid byte
			t.Errorf("%q round-trips as %q", s, got)
		}
	}
}
