package pcap

// Cross-checks against Wireshark: tshark must decode what Writer writes (and
// the hand-built test vectors), and Reader must read what text2pcap makes of
// wire.Dump output. These tests fail when the tools are missing; set
// SCONN_NO_TSHARK=1 to skip them.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// needTool returns the path of a Wireshark tool.
func needTool(t *testing.T, name string) string {
	t.Helper()
	if os.Getenv("SCONN_NO_TSHARK") == "1" {
		t.Skip("SCONN_NO_TSHARK=1")
	}
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found on PATH: run make deps (or set SCONN_NO_TSHARK=1 to skip this test)", name)
	}
	return p
}

// tsharkFields runs tshark on file and returns, per frame, the requested
// fields.
func tsharkFields(t *testing.T, tshark string, file []byte, extra []string, fields ...string) [][]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.pcap")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-n", "-r", path,
		"-o", "sctp.checksum:CRC-32C",
		"-o", "ip.check_checksum:TRUE",
		"-o", "udp.check_checksum:TRUE",
		"-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"}
	args = append(args, extra...)
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, ee.Stderr)
		}
		t.Fatalf("tshark: %v", err)
	}
	var rows [][]string
	for line := range strings.Lines(string(out)) {
		rows = append(rows, strings.Split(strings.TrimRight(line, "\r\n"), "\t"))
	}
	return rows
}

// TestTsharkChecksum checks the minimal SCTP packet the tests use and the
// CRC32c convention: tshark must call its checksum good.
func TestTsharkChecksum(t *testing.T) {
	tshark := needTool(t, "tshark")
	file := pcapFile(binary.LittleEndian, false, LinkTypeSCTP, frame{ts: t0, data: sctpCookieAck(5000, 5001, 0x01020304)})
	rows := tsharkFields(t, tshark, file, nil, "sctp.srcport", "sctp.dstport", "sctp.checksum.status", "sctp.chunk_type")
	if len(rows) != 1 || strings.Join(rows[0], " ") != "5000 5001 1 11" {
		t.Fatalf("tshark says %q, want srcport 5000, dstport 5001, checksum status 1 (good), chunk type 11", rows)
	}
}

// TestTsharkWriter checks that tshark decodes Writer's output: addresses,
// ports, directions and all checksums.
func TestTsharkWriter(t *testing.T) {
	tshark := needTool(t, "tshark")
	for _, tc := range writerCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			w, err := NewWriter(&buf, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WritePacket(t0, wire.Outbound, pktA); err != nil {
				t.Fatal(err)
			}
			if err := w.WritePacket(t1, wire.Inbound, pktB); err != nil {
				t.Fatal(err)
			}
			var extra []string
			if tc.opts.UDP {
				// tshark decodes only port 9899 as SCTP by default.
				extra = []string{"-d", "udp.port==" + strconv.Itoa(int(w.opts.SrcPort)) + ",sctp"}
			}
			rows := tsharkFields(t, tshark, buf.Bytes(), extra,
				"frame.time_epoch", "ip.src", "ipv6.src", "ip.checksum.status",
				"udp.srcport", "udp.checksum.status",
				"sctp.srcport", "sctp.checksum.status")
			if len(rows) != 2 {
				t.Fatalf("tshark printed %d frames, want 2: %q", len(rows), rows)
			}
			for i, r := range rows {
				src, sport, pkt, ts := w.opts.Src, w.opts.SrcPort, pktA, t0
				if i == 1 {
					src, sport, pkt, ts = w.opts.Dst, w.opts.DstPort, pktB, t1
				}
				wantTime := strconv.FormatInt(ts.Unix(), 10) + "." + strconv.Itoa(ts.Nanosecond()/1000) + "000"
				if r[0] != wantTime {
					t.Errorf("frame %d: time %s, want %s", i+1, r[0], wantTime)
				}
				if src.Is4() {
					if r[1] != src.String() || r[3] != "1" {
						t.Errorf("frame %d: ip.src %q checksum status %q, want %v and 1 (good)", i+1, r[1], r[3], src)
					}
				} else if r[2] != src.String() {
					t.Errorf("frame %d: ipv6.src %q, want %v", i+1, r[2], src)
				}
				if tc.opts.UDP {
					if r[4] != strconv.Itoa(int(sport)) || r[5] != "1" {
						t.Errorf("frame %d: udp.srcport %q checksum status %q, want %d and 1 (good)", i+1, r[4], r[5], sport)
					}
				} else if r[4] != "" {
					t.Errorf("frame %d: unexpected UDP", i+1)
				}
				if want := strconv.Itoa(int(binary.BigEndian.Uint16(pkt))); r[6] != want || r[7] != "1" {
					t.Errorf("frame %d: sctp.srcport %q checksum status %q, want %s and 1 (good)", i+1, r[6], r[7], want)
				}
			}
		})
	}
}

// TestTsharkVectors checks the hand-built test vectors against tshark, so
// that they are not merely consistent with the Reader.
func TestTsharkVectors(t *testing.T) {
	tshark := needTool(t, "tshark")
	for _, v := range allVectors() {
		if v.tshark < 0 {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			rows := tsharkFields(t, tshark, v.file, nil, "frame.number", "sctp.srcport", "sctp.checksum.status")
			ports := map[string]string{}
			for _, r := range rows {
				if r[1] != "" {
					if r[2] != "1" {
						t.Errorf("frame %s: checksum status %q", r[0], r[2])
					}
					ports[r[0]] = r[1]
				}
			}
			if len(ports) != v.tshark {
				t.Errorf("tshark decoded %d SCTP frames, want %d: %q", len(ports), v.tshark, rows)
			}
			for _, w := range v.want {
				want := strconv.Itoa(int(binary.BigEndian.Uint16(w.data)))
				if got := ports[strconv.Itoa(w.frame)]; got != want {
					t.Errorf("frame %d: tshark sctp.srcport %q, want %s", w.frame, got, want)
				}
			}
		})
	}
}

// TestText2pcap converts wire.Dump output with text2pcap as the usrsctp
// documentation describes and reads the result back.
func TestText2pcap(t *testing.T) {
	text2pcap := needTool(t, "text2pcap")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "dump.txt"), filepath.Join(dir, "dump.pcapng")
	tA := time.Date(2024, 1, 1, 13, 4, 5, 123456000, time.UTC)
	var b []byte
	b = wire.AppendDump(b, wire.Outbound, tA, pktA)
	b = wire.AppendDump(b, wire.Inbound, tA.Add(time.Second), pktB)
	b = wire.AppendDump(b, wire.Outbound, tA.Add(2*time.Second), pktC)
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(text2pcap, "-n", "-l", "248", "-D", "-t", "%H:%M:%S.", in, out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("text2pcap: %v\n%s", err, msg)
	}
	file, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := readAll(t, file, ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// text2pcap's handling of the date and fraction varies between
	// versions; compare everything else.
	for i := range got {
		got[i].Time = time.Time{}
	}
	checkPackets(t, got, []want{
		{frame: 1, data: pktA, dir: wire.Outbound},
		{frame: 2, data: pktB, dir: wire.Inbound},
		{frame: 3, data: pktC, dir: wire.Outbound},
	})
}
