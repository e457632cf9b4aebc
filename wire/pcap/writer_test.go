package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

var writerCases = []struct {
	name string
	opts WriterOptions
}{
	{"ipv4", WriterOptions{}},
	{"ipv4-udp", WriterOptions{UDP: true}},
	{"ipv4-udp-ports", WriterOptions{UDP: true, SrcPort: 5000, DstPort: 5001, Src: netip.MustParseAddr("192.0.2.7")}},
	{"ipv6", WriterOptions{Src: netip.MustParseAddr("2001:db8::1"), Dst: netip.MustParseAddr("2001:db8::2")}},
	{"ipv6-udp", WriterOptions{UDP: true, Dst: netip.MustParseAddr("fe80::2%eth0")}},
	{"ipv4-mapped", WriterOptions{Src: netip.MustParseAddr("::ffff:10.1.1.1")}},
	{"ethernet-ipv4-udp", WriterOptions{Ethernet: true, UDP: true}},
	{"ethernet-ipv6", WriterOptions{Ethernet: true, Src: netip.MustParseAddr("2001:db8::1")}},
}

func TestWriterRoundTrip(t *testing.T) {
	for _, tc := range writerCases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			odd := append(sctpCookieAck(1, 2, 3), 0xaa) // odd length for the checksums
			if err := w.WritePacket(t0, wire.Outbound, pktA); err != nil {
				t.Fatal(err)
			}
			if err := w.WritePacket(t1, wire.Inbound, pktB); err != nil {
				t.Fatal(err)
			}
			if err := w.WritePacket(time.Time{}, 0, odd); err != nil {
				t.Fatal(err)
			}
			file := buf.Bytes()
			checkWriterFile(t, file)

			local, remote := w.opts.Src, w.opts.Dst
			lp, rp := w.opts.SrcPort, w.opts.DstPort
			if !tc.opts.UDP {
				lp, rp = 0, 0
			}
			got, r, err := readAll(t, file, ReaderOptions{UDPPorts: []uint16{lp, rp}, NoHeuristic: true})
			if err != nil {
				t.Fatal(err)
			}
			checkPackets(t, got, []want{
				{frame: 1, time: t0, data: pktA, src: local, dst: remote, udp: tc.opts.UDP, sp: lp, dp: rp},
				{frame: 2, time: t1, data: pktB, src: remote, dst: local, udp: tc.opts.UDP, sp: rp, dp: lp},
				{frame: 3, time: time.Unix(0, 0).UTC(), data: odd, src: local, dst: remote, udp: tc.opts.UDP, sp: lp, dp: rp},
			})
			if r.Skipped() != 0 {
				t.Errorf("skipped %d", r.Skipped())
			}
		})
	}
}

func TestWriterDefaults(t *testing.T) {
	w, err := NewWriter(io.Discard, WriterOptions{UDP: true})
	if err != nil {
		t.Fatal(err)
	}
	if w.opts.Src != netip.MustParseAddr("10.0.0.1") || w.opts.Dst != netip.MustParseAddr("10.0.0.2") ||
		w.opts.SrcPort != 9899 || w.opts.DstPort != 9899 || w.linkType != LinkTypeIPv4 {
		t.Errorf("defaults: %+v link type %d", w.opts, w.linkType)
	}
	w, err = NewWriter(io.Discard, WriterOptions{Dst: netip.MustParseAddr("2001:db8::9")})
	if err != nil {
		t.Fatal(err)
	}
	if w.opts.Src != netip.MustParseAddr("2001:db8::1") || w.linkType != LinkTypeIPv6 {
		t.Errorf("IPv6 defaults: %+v link type %d", w.opts, w.linkType)
	}
}

// checkWriterFile verifies the headers and checksums of a file written by a
// Writer.
func checkWriterFile(t *testing.T, file []byte) {
	t.Helper()
	le := binary.LittleEndian
	if le.Uint32(file) != magicMicro || le.Uint16(file[4:]) != 2 || le.Uint16(file[6:]) != 4 {
		t.Fatalf("bad file header % x", file[:24])
	}
	lt := le.Uint32(file[20:])
	for off := 24; off < len(file); {
		n := int(le.Uint32(file[off+8:]))
		if le.Uint32(file[off+12:]) != uint32(n) {
			t.Fatalf("orig len != incl len")
		}
		b := file[off+16 : off+16+n]
		off += 16 + n
		if lt == LinkTypeEthernet {
			b = b[14:]
		}
		var l4 []byte
		var pseudo uint64
		var proto byte
		switch b[0] >> 4 {
		case 4:
			if csum(b[:20]) != 0 {
				t.Errorf("bad IPv4 header checksum % x", b[:20])
			}
			if int(binary.BigEndian.Uint16(b[2:])) != len(b) || b[6]&0x40 == 0 {
				t.Errorf("bad IPv4 length or flags % x", b[:20])
			}
			proto, l4 = b[9], b[20:]
			pseudo = sum(0, b[12:20])
		case 6:
			if int(binary.BigEndian.Uint16(b[4:])) != len(b)-40 {
				t.Errorf("bad IPv6 payload length")
			}
			proto, l4 = b[6], b[40:]
			pseudo = sum(0, b[8:40])
		default:
			t.Fatalf("bad IP version % x", b[:1])
		}
		if proto == protoUDP {
			if int(binary.BigEndian.Uint16(l4[4:])) != len(l4) {
				t.Errorf("bad UDP length")
			}
			if c := ^fold(sum(pseudo+protoUDP+uint64(len(l4)), l4)); c != 0 {
				t.Errorf("bad UDP checksum (residue %#x)", c)
			}
		} else if proto != protoSCTP {
			t.Errorf("protocol %d", proto)
		}
	}
}

func TestWriterErrors(t *testing.T) {
	if _, err := NewWriter(io.Discard, WriterOptions{Src: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("::1")}); err == nil {
		t.Error("mixed families: no error")
	}
	werr := errors.New("disk full")
	if _, err := NewWriter(failWriter{werr}, WriterOptions{}); err != werr {
		t.Errorf("header write error = %v", err)
	}
	w, err := NewWriter(io.Discard, WriterOptions{UDP: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(t0, wire.Outbound, make([]byte, 65535-28+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: %v", err)
	}
	if err := w.WritePacket(t0, wire.Outbound, make([]byte, 65535-28)); err != nil {
		t.Errorf("largest: %v", err)
	}
	if err := w.WritePacket(time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC), wire.Outbound, pktA); !errors.Is(err, ErrTime) {
		t.Errorf("1969: %v", err)
	}
	if err := w.WritePacket(time.Date(2107, 1, 1, 0, 0, 0, 0, time.UTC), wire.Outbound, pktA); !errors.Is(err, ErrTime) {
		t.Errorf("2107: %v", err)
	}
	w6, err := NewWriter(io.Discard, WriterOptions{Src: netip.MustParseAddr("::1")})
	if err != nil {
		t.Fatal(err)
	}
	if err := w6.WritePacket(t0, wire.Outbound, make([]byte, 65536)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("IPv6 too large: %v", err)
	}
	if err := w6.WritePacket(t0, wire.Outbound, make([]byte, 65535)); err != nil {
		t.Errorf("IPv6 largest: %v", err)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

func TestWriterNoAlloc(t *testing.T) {
	for _, tc := range writerCases {
		w, err := NewWriter(io.Discard, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		pkt := make([]byte, 1200)
		if err := w.WritePacket(t0, wire.Outbound, pkt); err != nil {
			t.Fatal(err)
		}
		n := testing.AllocsPerRun(100, func() {
			if err := w.WritePacket(t1, wire.Inbound, pkt); err != nil {
				t.Fatal(err)
			}
		})
		if n != 0 {
			t.Errorf("%s: WritePacket allocates %v times", tc.name, n)
		}
	}
}

func BenchmarkWritePacket(b *testing.B) {
	w, err := NewWriter(io.Discard, WriterOptions{UDP: true})
	if err != nil {
		b.Fatal(err)
	}
	pkt := make([]byte, 1200)
	b.SetBytes(int64(len(pkt)))
	for b.Loop() {
		if err := w.WritePacket(t0, wire.Outbound, pkt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReader(b *testing.B) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, WriterOptions{Ethernet: true, UDP: true})
	if err != nil {
		b.Fatal(err)
	}
	pkt := make([]byte, 1200)
	for range 1000 {
		if err := w.WritePacket(t0, wire.Outbound, pkt); err != nil {
			b.Fatal(err)
		}
	}
	file := buf.Bytes()
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(file), ReaderOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Next(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
	}
}
