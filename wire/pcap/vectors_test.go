package pcap

// Builders for hand-made capture files used by the tests, the fuzz seeds and
// the tshark cross-check.

import (
	"encoding/binary"
	"hash/crc32"
	"net/netip"
	"time"

	"github.com/sconnlab/sconn/wire"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sctpCookieAck returns a minimal valid SCTP packet: common header and a
// COOKIE ACK chunk, with a correct CRC32c.
func sctpCookieAck(sport, dport uint16, vtag uint32) []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint16(b[0:], sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	binary.BigEndian.PutUint32(b[4:], vtag)
	copy(b[12:], []byte{0x0b, 0x00, 0x00, 0x04})
	binary.LittleEndian.PutUint32(b[8:], crc32.Checksum(b, castagnoli))
	return b
}

var (
	v4a = netip.MustParseAddr("192.0.2.1")
	v4b = netip.MustParseAddr("192.0.2.2")
	v6a = netip.MustParseAddr("2001:db8::a")
	v6b = netip.MustParseAddr("2001:db8::b")
)

func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func csum(b []byte) uint16 { return ^fold(sum(0, b)) }

// ipv4 builds an IPv4 packet; opts are IP options (a multiple of 4 bytes).
func ipv4(proto byte, src, dst netip.Addr, fragOff uint16, opts, payload []byte) []byte {
	ihl := 20 + len(opts)
	h := make([]byte, 20, ihl)
	h[0] = 0x40 | byte(ihl/4)
	binary.BigEndian.PutUint16(h[2:], uint16(ihl+len(payload)))
	binary.BigEndian.PutUint16(h[4:], 0x1234)
	binary.BigEndian.PutUint16(h[6:], fragOff)
	h[8] = 64
	h[9] = proto
	s, d := src.As4(), dst.As4()
	copy(h[12:], s[:])
	copy(h[16:], d[:])
	h = append(h, opts...)
	binary.BigEndian.PutUint16(h[10:], csum(h))
	return cat(h, payload)
}

// ext is an IPv6 extension header; byte 0 of b (next header) is filled in
// by ipv6.
type ext struct {
	typ byte
	b   []byte
}

var (
	extHopByHop = ext{0, []byte{0, 0, 1, 4, 0, 0, 0, 0}} // PadN
	extDestOpts = ext{60, []byte{0, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}
	extRouting  = ext{43, []byte{0, 0, 0, 0, 0, 0, 0, 0}} // segments left 0
	extFragment = ext{44, []byte{0, 0, 0, 0, 0, 0, 0, 1}} // offset 0, M=0
)

// ipv6 builds an IPv6 packet with the given extension headers.
func ipv6(proto byte, src, dst netip.Addr, payload []byte, exts ...ext) []byte {
	h := make([]byte, 40)
	h[0] = 0x60
	nh := proto
	var eb []byte
	for i := len(exts) - 1; i >= 0; i-- {
		e := append([]byte(nil), exts[i].b...)
		e[0] = nh
		nh = exts[i].typ
		eb = append(e, eb...)
	}
	binary.BigEndian.PutUint16(h[4:], uint16(len(eb)+len(payload)))
	h[6] = nh
	h[7] = 64
	s, d := src.As16(), dst.As16()
	copy(h[8:], s[:])
	copy(h[24:], d[:])
	return cat(h, eb, payload)
}

func udp(sp, dp uint16, payload []byte) []byte {
	return cat(be16(sp), be16(dp), be16(uint16(8+len(payload))), be16(0), payload)
}

func ether(et uint16, payload []byte, vlans ...uint16) []byte {
	b := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	for _, v := range vlans {
		b = append(b, 0x81, 0x00)
		b = append(b, be16(v)...)
	}
	return cat(b, be16(et), payload)
}

func cooked1(et uint16, payload []byte) []byte {
	return cat(be16(0), be16(1), be16(6), []byte{0, 1, 2, 3, 4, 5, 0, 0}, be16(et), payload)
}

func cooked2(et uint16, payload []byte) []byte {
	return cat(be16(et), be16(0), []byte{0, 0, 0, 2}, be16(1), []byte{4, 6}, []byte{0, 1, 2, 3, 4, 5, 0, 0}, payload)
}

func null(order bo, af uint32, payload []byte) []byte {
	return cat(order.AppendUint32(nil, af), payload)
}

type frame struct {
	ts   time.Time
	data []byte
	orig int // original length, 0 means len(data)
}

// pcapFile builds a classic pcap file.
func pcapFile(order bo, nano bool, linkType uint32, frames ...frame) []byte {
	magic := uint32(magicMicro)
	if nano {
		magic = magicNano
	}
	b := order.AppendUint32(nil, magic)
	b = order.AppendUint16(b, 2)
	b = order.AppendUint16(b, 4)
	b = order.AppendUint32(b, 0)
	b = order.AppendUint32(b, 0)
	b = order.AppendUint32(b, 65535)
	b = order.AppendUint32(b, linkType)
	for _, f := range frames {
		b = order.AppendUint32(b, uint32(f.ts.Unix()))
		if nano {
			b = order.AppendUint32(b, uint32(f.ts.Nanosecond()))
		} else {
			b = order.AppendUint32(b, uint32(f.ts.Nanosecond()/1000))
		}
		orig := f.orig
		if orig == 0 {
			orig = len(f.data)
		}
		b = order.AppendUint32(b, uint32(len(f.data)))
		b = order.AppendUint32(b, uint32(orig))
		b = append(b, f.data...)
	}
	return b
}

// pcapng building blocks.

type ngOpt struct {
	code uint16
	val  []byte
}

func ngOpts(order bo, opts []ngOpt) []byte {
	if len(opts) == 0 {
		return nil
	}
	var b []byte
	for _, o := range opts {
		b = order.AppendUint16(b, o.code)
		b = order.AppendUint16(b, uint16(len(o.val)))
		b = append(b, o.val...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	return append(b, 0, 0, 0, 0) // opt_endofopt
}

func ngBlock(order bo, typ uint32, body []byte) []byte {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	n := uint32(12 + len(body))
	b := order.AppendUint32(nil, typ)
	b = order.AppendUint32(b, n)
	b = append(b, body...)
	return order.AppendUint32(b, n)
}

func ngSHB(order bo, opts ...ngOpt) []byte {
	body := order.AppendUint32(nil, 0x1a2b3c4d)
	body = order.AppendUint16(body, 1)
	body = order.AppendUint16(body, 0)
	body = order.AppendUint64(body, ^uint64(0)) // section length unknown
	body = append(body, ngOpts(order, opts)...)
	return ngBlock(order, blockSHB, body)
}

func ngIDB(order bo, linkType uint16, snaplen uint32, opts ...ngOpt) []byte {
	body := order.AppendUint16(nil, linkType)
	body = order.AppendUint16(body, 0)
	body = order.AppendUint32(body, snaplen)
	body = append(body, ngOpts(order, opts)...)
	return ngBlock(order, blockIDB, body)
}

// ngEPB builds an enhanced packet block; ts is in the interface's units.
func ngEPB(order bo, ifid uint32, ts uint64, data []byte, opts ...ngOpt) []byte {
	body := order.AppendUint32(nil, ifid)
	body = order.AppendUint32(body, uint32(ts>>32))
	body = order.AppendUint32(body, uint32(ts))
	body = order.AppendUint32(body, uint32(len(data)))
	body = order.AppendUint32(body, uint32(len(data)))
	body = append(body, data...)
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	body = append(body, ngOpts(order, opts)...)
	return ngBlock(order, blockEPB, body)
}

func ngSPB(order bo, data []byte) []byte {
	return ngBlock(order, blockSPB, cat(order.AppendUint32(nil, uint32(len(data))), data))
}

func ngPB(order bo, ifid uint16, ts uint64, data []byte) []byte {
	body := order.AppendUint16(nil, ifid)
	body = order.AppendUint16(body, 0)
	body = order.AppendUint32(body, uint32(ts>>32))
	body = order.AppendUint32(body, uint32(ts))
	body = order.AppendUint32(body, uint32(len(data)))
	body = order.AppendUint32(body, uint32(len(data)))
	return ngBlock(order, blockPB, cat(body, data))
}

// ngNRB is a name resolution block, which the reader skips.
func ngNRB(order bo) []byte {
	rec := order.AppendUint16(nil, 1) // nrb_record_ipv4
	rec = order.AppendUint16(rec, 10)
	rec = append(rec, 192, 0, 2, 1, 'h', 'o', 's', 't', 'a', 0, 0, 0)
	rec = append(rec, 0, 0, 0, 0) // nrb_record_end
	return ngBlock(order, 4, rec)
}

func u32opt(order bo, code uint16, v uint32) ngOpt {
	return ngOpt{code, order.AppendUint32(nil, v)}
}

// want describes an expected packet.
type want struct {
	frame    int
	time     time.Time // zero: not checked
	data     []byte
	src, dst netip.Addr
	udp      bool
	sp, dp   uint16
	dir      wire.Direction
}

type vector struct {
	name    string
	file    []byte
	opts    ReaderOptions
	want    []want
	skipped int
	// tshark is the number of frames tshark should decode as SCTP, or -1
	// if the vector should not be checked with tshark.
	tshark int
}

var (
	t0 = time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	t1 = t0.Add(1500 * time.Millisecond)
	t2 = t0.Add(3 * time.Second)
)

// Packets used in vectors.
var (
	pktA = sctpCookieAck(5000, 5000, 0x01020304)
	pktB = sctpCookieAck(1234, 4321, 0xdeadbeef)
	pktC = sctpCookieAck(9, 10, 7)
)

// nonSCTP is a frame's worth of TCP over IPv4.
var tcp4 = ipv4(6, v4a, v4b, 0, nil, make([]byte, 20))

// pcapVectors returns classic pcap files, one or more per link type.
func pcapVectors() []vector {
	le, be := binary.LittleEndian, binary.BigEndian
	ip4A := ipv4(protoSCTP, v4a, v4b, 0, nil, pktA)
	ip6B := ipv6(protoSCTP, v6a, v6b, pktB)
	w4A := want{data: pktA, src: v4a, dst: v4b}
	w6B := want{data: pktB, src: v6a, dst: v6b}
	var vs []vector
	vs = append(vs,
		vector{
			name: "ethernet-vlan",
			file: pcapFile(le, false, LinkTypeEthernet,
				frame{ts: t0, data: ether(etherTypeIPv4, ip4A, 100)},
				frame{ts: t1, data: ether(0x0806, make([]byte, 28))}, // ARP
				frame{ts: t2, data: ether(etherTypeIPv6, ip6B, 7, 8)},
			),
			want:    []want{withFT(w4A, 1, t0), withFT(w6B, 3, t2)},
			skipped: 1,
			tshark:  2,
		},
		vector{
			name: "ethernet-ipv6-ext-be-nano",
			file: pcapFile(be, true, LinkTypeEthernet,
				frame{ts: t0.Add(789), data: ether(etherTypeIPv6, ipv6(protoSCTP, v6a, v6b, pktB, extHopByHop, extRouting, extDestOpts, extFragment))},
			),
			want:   []want{withFT(w6B, 1, t0.Add(789))},
			tshark: 1,
		},
		vector{
			name: "ethernet-ipv4-options-udp",
			file: pcapFile(le, false, LinkTypeEthernet,
				frame{ts: t0, data: ether(etherTypeIPv4, ipv4(protoUDP, v4a, v4b, 0, []byte{1, 1, 1, 0}, udp(9899, 40000, pktC)))},
				frame{ts: t1, data: ether(etherTypeIPv4, ipv4(protoSCTP, v4a, v4b, 185, nil, pktC))}, // non-first fragment
				frame{ts: t2, data: ether(etherTypeIPv4, tcp4)},
			),
			want:    []want{{frame: 1, time: t0, data: pktC, src: v4a, dst: v4b, udp: true, sp: 9899, dp: 40000}},
			skipped: 2,
			tshark:  1,
		},
		vector{
			name: "cooked-v1",
			file: pcapFile(le, false, LinkTypeLinuxSLL,
				frame{ts: t0, data: cooked1(etherTypeIPv4, ip4A)},
				frame{ts: t1, data: cooked1(etherTypeIPv6, ip6B)},
			),
			want:   []want{withFT(w4A, 1, t0), withFT(w6B, 2, t1)},
			tshark: 2,
		},
		vector{
			name: "cooked-v2",
			file: pcapFile(be, false, LinkTypeLinuxSLL2,
				frame{ts: t0, data: cooked2(etherTypeIPv6, ipv6(protoUDP, v6a, v6b, udp(40000, 9899, pktA)))},
				frame{ts: t1, data: cooked2(etherTypeIPv4, ip4A)},
			),
			want: []want{
				{frame: 1, time: t0, data: pktA, src: v6a, dst: v6b, udp: true, sp: 40000, dp: 9899},
				withFT(w4A, 2, t1),
			},
			tshark: 2,
		},
		vector{
			name: "null-le",
			file: pcapFile(le, false, LinkTypeNull,
				frame{ts: t0, data: null(le, 2, ip4A)},
				frame{ts: t1, data: null(le, 30, ip6B)},
			),
			want:   []want{withFT(w4A, 1, t0), withFT(w6B, 2, t1)},
			tshark: 2,
		},
		vector{
			name: "null-be",
			file: pcapFile(be, false, LinkTypeNull,
				frame{ts: t0, data: null(be, 2, ip4A)},
				frame{ts: t1, data: null(be, 24, ip6B)},
				frame{ts: t2, data: null(be, 17, ip4A)}, // unknown family
			),
			want:    []want{withFT(w4A, 1, t0), withFT(w6B, 2, t1)},
			skipped: 1,
			tshark:  2,
		},
		vector{
			name: "null-other-endian",
			file: pcapFile(le, false, LinkTypeNull,
				frame{ts: t0, data: null(be, 2, ip4A)},
				frame{ts: t1, data: null(be, 28, ip6B)},
			),
			want:   []want{withFT(w4A, 1, t0), withFT(w6B, 2, t1)},
			tshark: 2,
		},
		vector{
			name: "loop",
			file: pcapFile(le, false, LinkTypeLoop,
				frame{ts: t0, data: null(be, 2, ip4A)},
				frame{ts: t1, data: null(be, 24, ip6B)},
			),
			want:   []want{withFT(w4A, 1, t0), withFT(w6B, 2, t1)},
			tshark: 2,
		},
		vector{
			name:   "loop-le",
			file:   pcapFile(be, false, LinkTypeLoop, frame{ts: t0, data: null(le, 24, ip6B)}),
			want:   []want{withFT(w6B, 1, t0)},
			tshark: -1, // tshark insists on network byte order
		},
		vector{
			name: "raw",
			file: pcapFile(le, false, LinkTypeRaw,
				frame{ts: t0, data: ip4A},
				frame{ts: t1, data: ip6B},
				frame{ts: t2, data: tcp4},
			),
			want:    []want{withFT(w4A, 1, t0), withFT(w6B, 2, t1)},
			skipped: 1,
			tshark:  2,
		},
		vector{
			name:   "raw-12",
			file:   pcapFile(le, false, 12, frame{ts: t0, data: ip4A}),
			want:   []want{withFT(w4A, 1, t0)},
			tshark: 1,
		},
		vector{
			name:   "raw-14",
			file:   pcapFile(be, false, 14, frame{ts: t0, data: ip6B}),
			want:   []want{withFT(w6B, 1, t0)},
			tshark: 1,
		},
		vector{
			name:   "ipv4",
			file:   pcapFile(le, false, LinkTypeIPv4, frame{ts: t0, data: ip4A}, frame{ts: t1, data: tcp4}),
			want:   []want{withFT(w4A, 1, t0)},
			tshark: 1, skipped: 1,
		},
		vector{
			name:   "ipv6",
			file:   pcapFile(be, false, LinkTypeIPv6, frame{ts: t0, data: ip6B}),
			want:   []want{withFT(w6B, 1, t0)},
			tshark: 1,
		},
		vector{
			name: "sctp-248",
			file: pcapFile(le, false, LinkTypeSCTP, frame{ts: t0, data: pktA}, frame{ts: t1, data: pktB}),
			want: []want{
				{frame: 1, time: t0, data: pktA},
				{frame: 2, time: t1, data: pktB},
			},
			tshark: 2,
		},
		vector{
			name: "truncated-capture",
			file: pcapFile(le, false, LinkTypeEthernet,
				frame{ts: t0, data: ether(etherTypeIPv4, ip4A)[:14+20+10], orig: 14 + len(ip4A)}),
			want:   []want{{frame: 1, time: t0, data: pktA[:10], src: v4a, dst: v4b}},
			tshark: -1, // tshark does not decode a 10-byte SCTP header
		},
		vector{
			name: "udp-heuristic",
			file: pcapFile(le, false, LinkTypeIPv4,
				frame{ts: t0, data: ipv4(protoUDP, v4a, v4b, 0, nil, udp(40000, 40001, pktA))},
				frame{ts: t1, data: ipv4(protoUDP, v4a, v4b, 0, nil, udp(40000, 40001, pktB))},
			),
			want:    []want{{frame: 1, time: t0, data: pktA, src: v4a, dst: v4b, udp: true, sp: 40000, dp: 40001}},
			skipped: 1,
			tshark:  -1, // tshark lacks the port 5000 heuristic
		},
		vector{
			name: "udp-no-heuristic-ports",
			opts: ReaderOptions{UDPPorts: []uint16{40001}, NoHeuristic: true},
			file: pcapFile(le, false, LinkTypeIPv4,
				frame{ts: t0, data: ipv4(protoUDP, v4a, v4b, 0, nil, udp(40002, 40003, pktA))},
				frame{ts: t1, data: ipv4(protoUDP, v4a, v4b, 0, nil, udp(40000, 40001, pktB))},
				frame{ts: t2, data: ipv4(protoUDP, v4a, v4b, 0, nil, udp(9899, 9899, pktB))},
			),
			want:    []want{{frame: 2, time: t1, data: pktB, src: v4a, dst: v4b, udp: true, sp: 40000, dp: 40001}},
			skipped: 2,
			tshark:  -1, // ReaderOptions differ from tshark's defaults
		},
	)
	return vs
}

func withFT(w want, frame int, t time.Time) want {
	w.frame, w.time = frame, t
	return w
}

// pcapngVectors returns pcapng files in both byte orders.
func pcapngVectors() []vector {
	var vs []vector
	for _, order := range []bo{binary.LittleEndian, binary.BigEndian} {
		name := "le"
		if order == binary.BigEndian {
			name = "be"
		}
		ip4A := ipv4(protoSCTP, v4a, v4b, 0, nil, pktA)
		ip6B := ipv6(protoSCTP, v6a, v6b, pktB)
		us := func(t time.Time) uint64 { return uint64(t.UnixMicro()) }
		ns := func(t time.Time) uint64 { return uint64(t.UnixNano()) }
		vs = append(vs,
			vector{
				name: "ng-" + name + "-linktypes",
				file: cat(
					ngSHB(order, ngOpt{4, []byte("sconn test")}),
					ngIDB(order, LinkTypeEthernet, 0),                                          // if 0: µs
					ngIDB(order, LinkTypeLinuxSLL, 0, ngOpt{9, []byte{9}}),                     // if 1: ns
					ngIDB(order, LinkTypeLinuxSLL2, 0, ngOpt{9, []byte{0x80 | 10}}),            // if 2: 2^-10 s
					ngIDB(order, LinkTypeNull, 0, ngOpt{2, []byte("lo0")}),                     // if 3
					ngIDB(order, LinkTypeRaw, 0, ngOpt{9, []byte{3}}),                          // if 4: ms
					ngIDB(order, LinkTypeSCTP, 0, ngOpt{9, []byte{6}}),                         // if 5
					ngIDB(order, LinkTypeEthernet, 0, ngOpt{14, order.AppendUint64(nil, 100)}), // if 6: offset 100 s
					ngNRB(order),
					ngEPB(order, 0, us(t0), ether(etherTypeIPv4, ip4A, 5)),
					ngEPB(order, 1, ns(t0.Add(1)), cooked1(etherTypeIPv6, ip6B)),
					ngEPB(order, 2, 3*1024+512, cooked2(etherTypeIPv4, ip4A)),
					ngEPB(order, 3, us(t1), null(binary.LittleEndian, 2, ip4A)),
					ngEPB(order, 4, uint64(t2.UnixMilli()), ip6B),
					ngEPB(order, 5, us(t0), pktC, u32opt(order, 2, 1)), // inbound
					ngEPB(order, 5, us(t1), pktC, u32opt(order, 2, 2)), // outbound
					ngEPB(order, 0, us(t1), ether(0x0806, make([]byte, 28))),
					ngEPB(order, 6, us(t0), ether(etherTypeIPv4, ip4A)),
				),
				want: []want{
					{frame: 1, time: t0, data: pktA, src: v4a, dst: v4b},
					{frame: 2, time: t0.Add(1), data: pktB, src: v6a, dst: v6b},
					{frame: 3, time: time.Unix(3, 500e6).UTC(), data: pktA, src: v4a, dst: v4b},
					{frame: 4, time: t1, data: pktA, src: v4a, dst: v4b},
					{frame: 5, time: t2.Truncate(time.Millisecond), data: pktB, src: v6a, dst: v6b},
					{frame: 6, time: t0, data: pktC, dir: wire.Inbound},
					{frame: 7, time: t1, data: pktC, dir: wire.Outbound},
					{frame: 9, time: t0.Add(100 * time.Second), data: pktA, src: v4a, dst: v4b},
				},
				skipped: 1,
				tshark:  8,
			},
			vector{
				name: "ng-" + name + "-spb-pb",
				file: cat(
					ngSHB(order),
					ngIDB(order, LinkTypeIPv4, 0),
					ngSPB(order, ip4A),
					ngPB(order, 0, us(t2), ip4A),
				),
				want: []want{
					{frame: 1, data: pktA, src: v4a, dst: v4b},
					{frame: 2, time: t2, data: pktA, src: v4a, dst: v4b},
				},
				tshark: 2,
			},
		)
	}
	// Two sections of different byte orders; interface numbering restarts.
	le, be := binary.LittleEndian, binary.BigEndian
	vs = append(vs, vector{
		name: "ng-two-sections",
		file: cat(
			ngSHB(le),
			ngIDB(le, LinkTypeSCTP, 0),
			ngEPB(le, 0, uint64(t0.UnixMicro()), pktA),
			ngSHB(be),
			ngIDB(be, LinkTypeIPv6, 0, ngOpt{9, []byte{9}}),
			ngEPB(be, 0, uint64(t1.UnixNano()), ipv6(protoSCTP, v6a, v6b, pktB)),
		),
		want: []want{
			{frame: 1, time: t0, data: pktA},
			{frame: 2, time: t1, data: pktB, src: v6a, dst: v6b},
		},
		tshark: 2,
	})
	return vs
}

// textVector is a text2pcap dump as usrsctp prints it, with other log lines
// in between.
func textVector() vector {
	tA := time.Date(1970, 1, 1, 13, 4, 5, 123456000, time.UTC)
	tB := time.Date(1970, 1, 1, 23, 59, 59, 999999000, time.UTC)
	var b []byte
	b = append(b, "usrsctp: some log line\n"...)
	b = wire.AppendDump(b, wire.Outbound, tA, pktA)
	b = append(b, "\nanother log line: I am not a packet\n"...)
	b = wire.AppendDump(b, wire.Inbound, tB, pktB)
	return vector{
		name: "text2pcap",
		file: b,
		want: []want{
			{frame: 1, time: tA, data: pktA, dir: wire.Outbound},
			{frame: 2, time: tB, data: pktB, dir: wire.Inbound},
		},
		tshark: -1, // text, see TestText2pcap
	}
}

func allVectors() []vector {
	vs := append(pcapVectors(), pcapngVectors()...)
	return append(vs, textVector())
}

// bo is a byte order that can also append.
type bo interface {
	binary.ByteOrder
	binary.AppendByteOrder
}
