package udp

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/sconnlab/sconn/wire"
)

// sctpPacket returns a valid SCTP packet (one HEARTBEAT chunk) from port
// src to dst.
func sctpPacket(src, dst uint16) []byte {
	b := make([]byte, 12, 32)
	binary.BigEndian.PutUint16(b[0:], src)
	binary.BigEndian.PutUint16(b[2:], dst)
	binary.BigEndian.PutUint32(b[4:], 0x01020304)
	b = append(b, 4, 0, 0, 8, 0, 1, 0, 4) // HEARTBEAT with an empty info parameter
	wire.SetChecksum(b)
	return b
}

func rtpPacket() []byte {
	b := make([]byte, 172)
	b[0], b[1] = 0x80, 111 // V=2, PT=111
	return b
}

func TestIsSCTP(t *testing.T) {
	rtcp := []byte{0x81, 200, 0, 6, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	cases := []struct {
		name string
		b    []byte
		want bool
	}{
		{"sctp 5000/5000", sctpPacket(5000, 5000), true},
		{"header only", sctpPacket(5000, 5000)[:12], true},
		{"11 bytes", sctpPacket(5000, 5000)[:11], false},
		{"other source port", sctpPacket(5001, 5000), false},
		{"other destination port", sctpPacket(5000, 5001), false},
		{"rtp", rtpPacket(), false},
		{"rtcp", rtcp, false},
		{"empty", nil, false},
	}
	for _, c := range cases {
		if got := IsSCTP(c.b); got != c.want {
			t.Errorf("%s: IsSCTP = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestClassify(t *testing.T) {
	inner := sctpPacket(5000, 5000)
	ip4 := append([]byte{0x45, 0, 0, byte(20 + len(inner)), 0, 0, 0x40, 0, 64, ipProtoSCTP, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}, inner...)
	ip6 := make([]byte, 40)
	ip6[0], ip6[6], ip6[7] = 0x60, ipProtoSCTP, 64
	ip6 = append(ip6, inner...)
	cases := []struct {
		name string
		b    []byte
		want kind
	}{
		{"other ports", sctpPacket(5001, 5002), kindOtherPorts},
		{"ipv4", ip4, kindRawIPv4},
		{"ipv6", ip6, kindRawIPv6},
		{"rtp", rtpPacket(), kindOther},
		{"bad checksum", func() []byte { b := sctpPacket(1, 2); b[8]++; return b }(), kindOther},
		{"short", []byte{0x45, 0}, kindOther},
	}
	for _, c := range cases {
		if got, _ := classify(c.b); got != c.want {
			t.Errorf("%s: classify = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestDemuxRoutes(t *testing.T) {
	var sctp, other int
	d := &Demux{SCTP: func([]byte, net.Addr) { sctp++ }, Other: func([]byte, net.Addr) { other++ }}
	from := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4000}
	for i := 0; i < 3; i++ {
		d.Route(sctpPacket(5000, 5000), from)
		d.Route(rtpPacket(), from)
	}
	d.Route(sctpPacket(5000, 5001), from)
	if sctp != 3 || other != 4 {
		t.Fatalf("sctp %d other %d, want 3 and 4", sctp, other)
	}
	st := d.Stats()
	if st.SCTP != 3 || st.Other != 4 || st.OtherPorts != 1 {
		t.Fatalf("stats %+v", st)
	}
	// Other ports configured: 5000/5000 is then not SCTP.
	d2 := &Demux{LocalPort: 6000, RemotePort: 7000}
	if d2.Route(sctpPacket(5000, 5000), from) || !d2.Route(sctpPacket(7000, 6000), from) {
		t.Fatal("configured ports not honoured")
	}
}
