package pcap

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// readAll reads every packet of file.
func readAll(t testing.TB, file []byte, opts ReaderOptions) ([]Packet, *Reader, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(file), opts)
	if err != nil {
		return nil, nil, err
	}
	var ps []Packet
	for {
		p, err := r.Next()
		if err == io.EOF {
			return ps, r, nil
		}
		if err != nil {
			return ps, r, err
		}
		ps = append(ps, p)
	}
}

func checkPackets(t *testing.T, got []Packet, want []want) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d packets, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Frame != w.frame {
			t.Errorf("packet %d: frame %d, want %d", i, g.Frame, w.frame)
		}
		if !w.time.IsZero() && !g.Time.Equal(w.time) {
			t.Errorf("packet %d: time %v, want %v", i, g.Time, w.time)
		}
		if w.time.IsZero() && !g.Time.IsZero() {
			t.Errorf("packet %d: time %v, want zero", i, g.Time)
		}
		if !bytes.Equal(g.Data, w.data) {
			t.Errorf("packet %d: data\n% x\nwant\n% x", i, g.Data, w.data)
		}
		if g.Src != w.src || g.Dst != w.dst {
			t.Errorf("packet %d: %v -> %v, want %v -> %v", i, g.Src, g.Dst, w.src, w.dst)
		}
		if g.UDP != w.udp || g.SrcPort != w.sp || g.DstPort != w.dp {
			t.Errorf("packet %d: udp %v %d -> %d, want %v %d -> %d", i, g.UDP, g.SrcPort, g.DstPort, w.udp, w.sp, w.dp)
		}
		if g.Dir != w.dir {
			t.Errorf("packet %d: dir %v, want %v", i, g.Dir, w.dir)
		}
	}
}

func TestVectors(t *testing.T) {
	for _, v := range allVectors() {
		t.Run(v.name, func(t *testing.T) {
			got, r, err := readAll(t, v.file, v.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkPackets(t, got, v.want)
			if r.Skipped() != v.skipped {
				t.Errorf("Skipped() = %d, want %d", r.Skipped(), v.skipped)
			}
			// Next keeps returning io.EOF.
			if _, err := r.Next(); err != io.EOF {
				t.Errorf("Next after EOF: %v", err)
			}
		})
	}
}

// TestLiteralVector decodes a classic pcap file written out byte by byte:
// Ethernet, IPv4, SCTP COOKIE ACK from port 5000 to 5000.
func TestLiteralVector(t *testing.T) {
	const file = "" +
		"d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000" + // header, LE µs, Ethernet
		"e1b73866 40e20100 32000000 32000000" + // 2024-05-06 10:58:41.123456 UTC, 62 bytes
		"000102030405 060708090a0b 0800" + // Ethernet
		"4500 0024 1234 4000 4084 0000 c0000201 c0000202" + // IPv4, proto 132 (checksum not checked)
		"1388 1388 01020304 00000000 0b000004" // SCTP (checksum not checked)
	b, err := hex.DecodeString(strings.ReplaceAll(file, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := readAll(t, b, ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkPackets(t, got, []want{{
		frame: 1,
		time:  time.Date(2024, 5, 6, 10, 58, 41, 123456000, time.UTC),
		data:  []byte{0x13, 0x88, 0x13, 0x88, 1, 2, 3, 4, 0, 0, 0, 0, 0x0b, 0, 0, 4},
		src:   netip.MustParseAddr("192.0.2.1"),
		dst:   netip.MustParseAddr("192.0.2.2"),
	}})
}

func TestTextRoundTrip(t *testing.T) {
	ts := time.Date(2024, 3, 9, 13, 4, 5, 123456789, time.UTC)
	pkt := sctpCookieAck(5000, 5000, 0x01020304)
	line := wire.AppendDump(nil, wire.Outbound, ts, pkt)
	wantLine := "\nO 13:04:05.123456 0000 13 88 13 88 01 02 03 04 " +
		hex3(pkt[8:12]) + "0b 00 00 04 # SCTP_PACKET\n"
	if string(line) != wantLine {
		t.Fatalf("dump line\n%q\nwant\n%q", line, wantLine)
	}
	var file []byte
	file = append(file, line...)
	file = wire.AppendDump(file, wire.Inbound, ts.Add(time.Hour), pktB)
	// A log prefix, CRLF and upper-case hex are tolerated.
	file = append(file, "[12:00] usrsctp: O 01:02:03.5 0000 "...)
	file = append(file, strings.ToUpper(hex3(pktC))...)
	file = append(file, "# SCTP_PACKET\r\n"...)
	got, _, err := readAll(t, file, ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkPackets(t, got, []want{
		{frame: 1, time: time.Date(1970, 1, 1, 13, 4, 5, 123456000, time.UTC), data: pkt, dir: wire.Outbound},
		{frame: 2, time: time.Date(1970, 1, 1, 14, 4, 5, 123456000, time.UTC), data: pktB, dir: wire.Inbound},
		{frame: 3, time: time.Date(1970, 1, 1, 1, 2, 3, 500000000, time.UTC), data: pktC, dir: wire.Outbound},
	})
}

// hex3 formats b as usrsctp does: "xx " per byte.
func hex3(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		s.WriteString(hex.EncodeToString([]byte{c}) + " ")
	}
	return s.String()
}

func TestTextErrors(t *testing.T) {
	good := string(wire.AppendDump(nil, wire.Outbound, t0, pktA))
	for _, tc := range []struct {
		name, file string
		err        error
		frame      string
	}{
		{"bad hex", good + "I 00:00:00.000000 0000 13 8g # SCTP_PACKET\n", ErrCorrupt, "frame 2 at offset"},
		{"odd hex", good + "I 00:00:00.000000 0000 13 888 # SCTP_PACKET\n", ErrCorrupt, "frame 2 at offset"},
		{"bad time", "I 25:00:00.000000 0000 13 88 # SCTP_PACKET\n", ErrCorrupt, "frame 1 at offset 0"},
		{"no trailer", good + "\nO 00:00:00.000000 0000 13 88\n" + good, ErrCorrupt, "frame 2 at offset"},
		{"truncated", good + good[:40], ErrTruncated, "frame 2 at offset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readAll(t, []byte(tc.file), ReaderOptions{})
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.frame) {
				t.Fatalf("err = %v, want %v with %q", err, tc.err, tc.frame)
			}
		})
	}
}

func TestNewReaderErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		file []byte
		err  error
	}{
		{"empty", nil, ErrFormat},
		{"garbage", []byte("hello, world\n"), ErrFormat},
		{"short", []byte{0xd4, 0xc3}, ErrFormat},
		{"pcap header truncated", pcapFile(binary.LittleEndian, false, 1)[:20], ErrTruncated},
		{"pcap link type", pcapFile(binary.LittleEndian, false, 147), ErrLinkType},
		{"pcap version", func() []byte {
			b := pcapFile(binary.LittleEndian, false, 1)
			b[4] = 3
			return b
		}(), ErrFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader(bytes.NewReader(tc.file), ReaderOptions{})
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
		})
	}
}

// TestTruncated cuts every vector at every length: reading must end with
// io.EOF (cut at a frame boundary) or an error, never a panic, and the
// packets read before must be a prefix of the full file's.
func TestTruncated(t *testing.T) {
	for _, v := range allVectors() {
		full, _, err := readAll(t, v.file, v.opts)
		if err != nil {
			t.Fatal(err)
		}
		for n := range len(v.file) {
			got, _, err := readAll(t, v.file[:n], v.opts)
			if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrFormat) && !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s cut at %d: unexpected error %v", v.name, n, err)
			}
			if len(got) > len(full) {
				t.Fatalf("%s cut at %d: %d packets, full file has %d", v.name, n, len(got), len(full))
			}
			for i := range got {
				if got[i].Frame != full[i].Frame || !bytes.HasPrefix(full[i].Data, got[i].Data) {
					t.Errorf("%s cut at %d: packet %d differs", v.name, n, i)
				}
			}
		}
	}
}

func TestTruncatedMessage(t *testing.T) {
	le := binary.LittleEndian
	ip := ipv4(protoSCTP, v4a, v4b, 0, nil, pktA)
	file := pcapFile(le, false, LinkTypeIPv4, frame{ts: t0, data: ip}, frame{ts: t1, data: ip})
	second := 24 + 16 + len(ip)
	for _, cut := range []int{second + 8, second + 16 + 5} {
		r, err := NewReader(bytes.NewReader(file[:cut]), ReaderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Next(); err != nil {
			t.Fatal(err)
		}
		_, err = r.Next()
		want := "frame 2 at offset " + strconv.Itoa(second)
		if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), want) {
			t.Fatalf("cut at %d: err = %v, want ErrTruncated with %q", cut, err, want)
		}
		if _, err2 := r.Next(); err2 != err {
			t.Fatalf("error not sticky: %v then %v", err, err2)
		}
	}

	// pcapng: cut inside the enhanced packet block.
	ng := cat(ngSHB(le), ngIDB(le, LinkTypeSCTP, 0), ngEPB(le, 0, 0, pktA))
	epb := len(ngSHB(le)) + len(ngIDB(le, LinkTypeSCTP, 0))
	_, _, err := readAll(t, ng[:len(ng)-4], ReaderOptions{})
	if want := "frame 1 at offset " + strconv.Itoa(epb); !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), want) {
		t.Fatalf("pcapng: err = %v, want ErrTruncated with %q", err, want)
	}
}

func TestCorrupt(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	badTrailer := cat(ngSHB(le), ngIDB(le, LinkTypeSCTP, 0), ngEPB(le, 0, 0, pktA))
	badTrailer[len(badTrailer)-1] = 9
	badBOM := ngSHB(be)
	badBOM[8] = 0
	for _, tc := range []struct {
		name string
		file []byte
		err  error
	}{
		{"ng trailer", badTrailer, ErrCorrupt},
		{"ng byte order magic", badBOM, ErrCorrupt},
		{"ng undefined interface", cat(ngSHB(le), ngEPB(le, 0, 0, pktA)), ErrCorrupt},
		{"ng spb without interface", cat(ngSHB(le), ngSPB(le, pktA)), ErrCorrupt},
		{"ng block length", cat(ngSHB(be), []byte{0, 0, 0, 6, 0, 0, 0, 13}), ErrCorrupt},
		{"ng caplen", func() []byte {
			b := cat(ngSHB(le), ngIDB(le, LinkTypeSCTP, 0), ngEPB(le, 0, 0, pktA))
			le.PutUint32(b[len(b)-len(ngEPB(le, 0, 0, pktA))+8+12:], 1000)
			return b
		}(), ErrCorrupt},
		{"ng tsresol", cat(ngSHB(le), ngIDB(le, LinkTypeSCTP, 0, ngOpt{9, []byte{20}})), ErrCorrupt},
		{"ng version", func() []byte {
			b := ngSHB(le)
			b[12] = 2
			return b
		}(), ErrFormat},
		{"pcap huge record", cat(pcapFile(le, false, LinkTypeSCTP), []byte{0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0}), ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readAll(t, tc.file, ReaderOptions{})
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), "frame 1 at offset") {
				t.Fatalf("err = %v, want %v naming frame 1", err, tc.err)
			}
		})
	}
}

// TestTimeResolution checks the conversion of pcapng timestamps.
func TestTimeResolution(t *testing.T) {
	for _, tc := range []struct {
		resol uint8
		ts    uint64
		want  time.Time
	}{
		{6, 1_500_000, time.Unix(1, 500e6)},
		{9, 1_000_000_001, time.Unix(1, 1)},
		{0, 7, time.Unix(7, 0)},
		{12, 2_000_000_123_999, time.Unix(2, 123)},
		{19, 10_000_000_000_000_000_000, time.Unix(1, 0)},
		{0x80, 5, time.Unix(5, 0)},
		{0x80 | 1, 3, time.Unix(1, 500e6)},
		{0x80 | 20, 1<<20 + 1<<18, time.Unix(1, 250e6)},
		{0x80 | 63, 1 << 62, time.Unix(0, 500e6)},
	} {
		f := iface{tsresol: tc.resol}
		if got := f.time(tc.ts); !got.Equal(tc.want) {
			t.Errorf("resol %#x ts %d: %v, want %v", tc.resol, tc.ts, got, tc.want)
		}
	}
}

func TestModifiedPcap(t *testing.T) {
	le := binary.LittleEndian
	b := le.AppendUint32(nil, magicModified)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = le.AppendUint32(b, 65535)
	b = le.AppendUint32(b, LinkTypeSCTP)
	b = le.AppendUint32(b, uint32(t0.Unix()))
	b = le.AppendUint32(b, uint32(t0.Nanosecond()/1000))
	b = le.AppendUint32(b, uint32(len(pktA)))
	b = le.AppendUint32(b, uint32(len(pktA)))
	b = append(b, 1, 0, 0, 0, 0, 0, 0, 0) // ifindex, protocol, pkt_type, pad
	b = append(b, pktA...)
	got, _, err := readAll(t, b, ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkPackets(t, got, []want{{frame: 1, time: t0, data: pktA}})
}

// TestLargeFile reads packets crossing the internal buffer boundaries.
func TestLargeFile(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var pkts [][]byte
	for i := range 300 {
		p := make([]byte, 12+i*37%1400)
		for j := range p {
			p[j] = byte(i + j)
		}
		pkts = append(pkts, p)
		if err := w.WritePacket(t0.Add(time.Duration(i)*time.Millisecond), wire.Outbound, p); err != nil {
			t.Fatal(err)
		}
	}
	p := make([]byte, 65535-20)
	pkts = append(pkts, p)
	if err := w.WritePacket(t0, wire.Inbound, p); err != nil {
		t.Fatal(err)
	}
	got, _, err := readAll(t, buf.Bytes(), ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(pkts) {
		t.Fatalf("got %d packets, want %d", len(got), len(pkts))
	}
	for i := range pkts {
		if !bytes.Equal(got[i].Data, pkts[i]) {
			t.Fatalf("packet %d differs", i)
		}
	}
}
