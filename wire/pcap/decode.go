package pcap

import (
	"encoding/binary"
	"net/netip"
	"slices"
)

const (
	etherTypeIPv4  = 0x0800
	etherTypeIPv6  = 0x86dd
	etherTypeVLAN  = 0x8100
	etherTypeQinQ  = 0x88a8
	etherTypeQinQ2 = 0x9100

	protoSCTP = 132
	protoUDP  = 17
)

// decode finds the SCTP packet in a frame of the given link type, filling in
// p.Data and the address fields. It reports false if the frame carries no
// SCTP.
func (r *Reader) decode(linkType uint32, b []byte, p *Packet) bool {
	switch linkType {
	case LinkTypeEthernet:
		if len(b) < 14 {
			return false
		}
		et := binary.BigEndian.Uint16(b[12:])
		b = b[14:]
		for et == etherTypeVLAN || et == etherTypeQinQ || et == etherTypeQinQ2 {
			if len(b) < 4 {
				return false
			}
			et = binary.BigEndian.Uint16(b[2:])
			b = b[4:]
		}
		return r.decodeEtherType(et, b, p)
	case LinkTypeRaw, 12, 14, LinkTypeIPv4, LinkTypeIPv6:
		if len(b) == 0 {
			return false
		}
		switch b[0] >> 4 {
		case 4:
			return r.decodeIPv4(b, p)
		case 6:
			return r.decodeIPv6(b, p)
		}
		return false
	case LinkTypeLinuxSLL:
		if len(b) < 16 {
			return false
		}
		return r.decodeEtherType(binary.BigEndian.Uint16(b[14:]), b[16:], p)
	case LinkTypeLinuxSLL2:
		if len(b) < 20 {
			return false
		}
		return r.decodeEtherType(binary.BigEndian.Uint16(b), b[20:], p)
	case LinkTypeNull, LinkTypeLoop:
		if len(b) < 4 {
			return false
		}
		// The address family is in the byte order of the capturing host
		// (null) or supposedly network order (loop), but writers
		// disagree: accept either.
		af := binary.LittleEndian.Uint32(b)
		if af > 0xffff {
			af = binary.BigEndian.Uint32(b)
		}
		switch af {
		case 2: // AF_INET everywhere
			return r.decodeIPv4(b[4:], p)
		case 10, 23, 24, 28, 30: // AF_INET6: Linux, Windows, Net/OpenBSD, FreeBSD, Darwin
			return r.decodeIPv6(b[4:], p)
		}
		return false
	case LinkTypeSCTP:
		p.Data = b
		return len(b) > 0
	}
	return false
}

func (r *Reader) decodeEtherType(et uint16, b []byte, p *Packet) bool {
	switch et {
	case etherTypeIPv4:
		return r.decodeIPv4(b, p)
	case etherTypeIPv6:
		return r.decodeIPv6(b, p)
	}
	return false
}

func (r *Reader) decodeIPv4(b []byte, p *Packet) bool {
	if len(b) < 20 || b[0]>>4 != 4 {
		return false
	}
	ihl := int(b[0]&0x0f) * 4
	if ihl < 20 || len(b) < ihl {
		return false
	}
	total := int(binary.BigEndian.Uint16(b[2:]))
	if total == 0 { // TCP segmentation offload leaves it 0
		total = len(b)
	}
	if total < ihl {
		return false
	}
	total = min(total, len(b)) // truncated by the snapshot length
	if binary.BigEndian.Uint16(b[6:])&0x1fff != 0 {
		return false // not the first fragment
	}
	p.Src = netip.AddrFrom4([4]byte(b[12:16]))
	p.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	return r.decodeTransport(b[9], b[ihl:total], p)
}

func (r *Reader) decodeIPv6(b []byte, p *Packet) bool {
	if len(b) < 40 || b[0]>>4 != 6 {
		return false
	}
	end := 40 + int(binary.BigEndian.Uint16(b[4:]))
	if end == 40 { // jumbogram, or a bogus length
		end = len(b)
	}
	end = min(end, len(b))
	nh := b[6]
	p.Src = netip.AddrFrom16([16]byte(b[8:24]))
	p.Dst = netip.AddrFrom16([16]byte(b[24:40]))
	pl := b[40:end]
	for {
		switch nh {
		case 0, 43, 60: // hop-by-hop, routing, destination options
			if len(pl) < 2 {
				return false
			}
			n := (int(pl[1]) + 1) * 8
			if len(pl) < n {
				return false
			}
			nh, pl = pl[0], pl[n:]
		case 51: // authentication header
			if len(pl) < 2 {
				return false
			}
			n := (int(pl[1]) + 2) * 4
			if len(pl) < n || n < 8 {
				return false
			}
			nh, pl = pl[0], pl[n:]
		case 44: // fragment
			if len(pl) < 8 || binary.BigEndian.Uint16(pl[2:])>>3 != 0 {
				return false
			}
			nh, pl = pl[0], pl[8:]
		default:
			return r.decodeTransport(nh, pl, p)
		}
	}
}

func (r *Reader) decodeTransport(proto byte, b []byte, p *Packet) bool {
	switch proto {
	case protoSCTP:
		p.Data = b
		return true
	case protoUDP:
		if len(b) < 8 {
			return false
		}
		sp := binary.BigEndian.Uint16(b)
		dp := binary.BigEndian.Uint16(b[2:])
		ulen := int(binary.BigEndian.Uint16(b[4:]))
		pl := b[8:]
		if ulen >= 8 && ulen-8 < len(pl) {
			pl = pl[:ulen-8]
		}
		if !slices.Contains(r.ports, sp) && !slices.Contains(r.ports, dp) &&
			!(r.heur && len(pl) >= 12 &&
				binary.BigEndian.Uint16(pl) == heuristicPort &&
				binary.BigEndian.Uint16(pl[2:]) == heuristicPort) {
			return false
		}
		p.UDP = true
		p.SrcPort, p.DstPort = sp, dp
		p.Data = pl
		return true
	}
	return false
}
