package pcap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// WriterOptions configures a Writer.
type WriterOptions struct {
	// UDP encapsulates every SCTP packet in UDP (RFC 6951).
	UDP bool
	// SrcPort and DstPort are the UDP ports of the local (outbound
	// source) and remote side. Zero means DefaultUDPPort (9899).
	SrcPort, DstPort uint16
	// Src and Dst are the IP addresses of the local (outbound source) and
	// remote side. Both must be of the same family; IPv4-mapped IPv6
	// addresses count as IPv4. The defaults are 10.0.0.1 and 10.0.0.2, or
	// 2001:db8::1 and 2001:db8::2 if the other address is IPv6.
	Src, Dst netip.Addr
	// Ethernet writes Ethernet frames (link type 1) between the
	// locally administered MAC addresses 02:00:00:00:00:01 (Src) and
	// 02:00:00:00:00:02 (Dst) instead of raw IP packets (link type 228
	// for IPv4, 229 for IPv6).
	Ethernet bool
}

// Writer writes SCTP packets to a classic pcap file with microsecond
// timestamps, wrapped in synthesized IP, and optionally UDP and Ethernet,
// headers. Create one with NewWriter. A Writer is not safe for concurrent
// use.
type Writer struct {
	w        io.Writer
	opts     WriterOptions
	v6       bool
	linkType uint32
	id       uint16
	buf      []byte
}

const writerSnaplen = 262144

// NewWriter returns a Writer writing to w and writes the pcap file header.
func NewWriter(w io.Writer, opts WriterOptions) (*Writer, error) {
	src, dst := opts.Src.Unmap().WithZone(""), opts.Dst.Unmap().WithZone("")
	switch {
	case !src.IsValid() && !dst.IsValid():
		src, dst = netip.AddrFrom4([4]byte{10, 0, 0, 1}), netip.AddrFrom4([4]byte{10, 0, 0, 2})
	case !src.IsValid():
		src = defaultAddr(dst.Is6(), 1)
	case !dst.IsValid():
		dst = defaultAddr(src.Is6(), 2)
	}
	if src.Is6() != dst.Is6() {
		return nil, errors.New("pcap: Src and Dst are of different address families")
	}
	opts.Src, opts.Dst = src, dst
	if opts.SrcPort == 0 {
		opts.SrcPort = DefaultUDPPort
	}
	if opts.DstPort == 0 {
		opts.DstPort = DefaultUDPPort
	}
	wr := &Writer{w: w, opts: opts, v6: src.Is6(), buf: make([]byte, 0, 2048)}
	switch {
	case opts.Ethernet:
		wr.linkType = LinkTypeEthernet
	case wr.v6:
		wr.linkType = LinkTypeIPv6
	default:
		wr.linkType = LinkTypeIPv4
	}
	var h [24]byte
	binary.LittleEndian.PutUint32(h[0:], magicMicro)
	binary.LittleEndian.PutUint16(h[4:], 2)
	binary.LittleEndian.PutUint16(h[6:], 4)
	binary.LittleEndian.PutUint32(h[16:], writerSnaplen)
	binary.LittleEndian.PutUint32(h[20:], wr.linkType)
	if _, err := w.Write(h[:]); err != nil {
		return nil, err
	}
	return wr, nil
}

func defaultAddr(v6 bool, last byte) netip.Addr {
	if v6 {
		return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: last})
	}
	return netip.AddrFrom4([4]byte{10, 0, 0, last})
}

// WritePacket writes one SCTP packet (common header onwards) captured at t.
// Outbound packets (and those of unknown direction) go from Src to Dst,
// Inbound ones from Dst to Src. The zero Time is written as the Unix epoch;
// other times before 1970 or after 2106 give an error wrapping ErrTime. A
// packet too large for an IP datagram gives an error wrapping ErrTooLarge.
// WritePacket issues a single Write call and, once its buffer has grown to
// the largest packet size, does not allocate.
func (w *Writer) WritePacket(t time.Time, dir wire.Direction, sctp []byte) error {
	var sec, usec int64
	if !t.IsZero() {
		sec, usec = t.Unix(), int64(t.Nanosecond()/1000)
		if sec < 0 || sec > math.MaxUint32 {
			return fmt.Errorf("%w: %v", ErrTime, t)
		}
	}
	l4 := len(sctp)
	if w.opts.UDP {
		l4 += 8
	}
	ipHdr := 20
	if w.v6 {
		ipHdr = 40
	}
	if (w.v6 && l4 > 0xffff) || (!w.v6 && ipHdr+l4 > 0xffff) {
		return fmt.Errorf("%w: %d bytes", ErrTooLarge, len(sctp))
	}
	src, dst := w.opts.Src, w.opts.Dst
	sport, dport := w.opts.SrcPort, w.opts.DstPort
	smac, dmac := byte(1), byte(2)
	if dir == wire.Inbound {
		src, dst, sport, dport, smac, dmac = dst, src, dport, sport, dmac, smac
	}

	b := w.buf[:16]
	if w.opts.Ethernet {
		et := uint16(etherTypeIPv4)
		if w.v6 {
			et = etherTypeIPv6
		}
		b = append(b, 2, 0, 0, 0, 0, dmac, 2, 0, 0, 0, 0, smac, byte(et>>8), byte(et))
	}
	ip := len(b)
	proto := byte(protoSCTP)
	if w.opts.UDP {
		proto = protoUDP
	}
	if w.v6 {
		b = append(b, 0x60, 0, 0, 0, byte(l4>>8), byte(l4), proto, 64)
		s, d := src.As16(), dst.As16()
		b = append(b, s[:]...)
		b = append(b, d[:]...)
	} else {
		tot := ipHdr + l4
		b = append(b, 0x45, 0, byte(tot>>8), byte(tot), byte(w.id>>8), byte(w.id), 0x40, 0, 64, proto, 0, 0)
		s, d := src.As4(), dst.As4()
		b = append(b, s[:]...)
		b = append(b, d[:]...)
		binary.BigEndian.PutUint16(b[ip+10:], ^fold(sum(0, b[ip:])))
		w.id++
	}
	if w.opts.UDP {
		u := len(b)
		b = append(b, byte(sport>>8), byte(sport), byte(dport>>8), byte(dport), byte(l4>>8), byte(l4), 0, 0)
		b = append(b, sctp...)
		// Pseudo-header: addresses, protocol, UDP length.
		var s uint64
		if w.v6 {
			s = sum(0, b[ip+8:ip+40])
		} else {
			s = sum(0, b[ip+12:ip+20])
		}
		s += protoUDP + uint64(l4)
		c := ^fold(sum(s, b[u:]))
		if c == 0 {
			c = 0xffff
		}
		binary.BigEndian.PutUint16(b[u+6:], c)
	} else {
		b = append(b, sctp...)
	}
	n := len(b) - 16
	binary.LittleEndian.PutUint32(b[0:], uint32(sec))
	binary.LittleEndian.PutUint32(b[4:], uint32(usec))
	binary.LittleEndian.PutUint32(b[8:], uint32(n))
	binary.LittleEndian.PutUint32(b[12:], uint32(n))
	w.buf = b
	_, err := w.w.Write(b)
	return err
}

// sum adds b as big-endian 16-bit words to s (the Internet checksum before
// folding).
func sum(s uint64, b []byte) uint64 {
	for len(b) >= 2 {
		s += uint64(b[0])<<8 | uint64(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint64(b[0]) << 8
	}
	return s
}

func fold(s uint64) uint16 {
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return uint16(s)
}
