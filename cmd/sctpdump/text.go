package main

import (
	"encoding/binary"
	"net/netip"
	"strconv"

	"github.com/sconnlab/sconn/wire"
)

// appendText appends the one-line form of a packet:
//
//	FRAME TIME [UDP SRC:PORT > DST:PORT | IP SRC > DST | DIRECTION] SCTP SUMMARY [!checksum]
//
// for example
//
//	11 01:04:45.826954 UDP 127.0.0.1:22222 > 127.0.0.1:11111 SCTP 50252 > 7 vtag 0x1ff0ee13: DATA tsn 3956030025 sid 0 ssn 0 ppid 0 BE len 12
func appendText(dst []byte, r *record) []byte {
	dst = strconv.AppendInt(dst, int64(r.Frame), 10)
	dst = append(dst, ' ')
	if r.Time.IsZero() {
		dst = append(dst, '-')
	} else {
		dst = r.Time.UTC().AppendFormat(dst, "15:04:05.000000")
	}
	switch {
	case r.Src.IsValid() && r.UDP:
		dst = append(dst, " UDP "...)
		dst = netip.AddrPortFrom(r.Src, r.SrcPort).AppendTo(dst)
		dst = append(dst, " > "...)
		dst = netip.AddrPortFrom(r.Dst, r.DstPort).AppendTo(dst)
	case r.Src.IsValid():
		dst = append(dst, " IP "...)
		dst = r.Src.AppendTo(dst)
		dst = append(dst, " > "...)
		dst = r.Dst.AppendTo(dst)
	case r.Dir != 0:
		dst = append(dst, ' ')
		dst = append(dst, r.Dir.String()...)
	}
	dst = append(dst, " SCTP "...)
	dst = appendSummary(dst, r)
	switch {
	case !r.hasHeader() || r.checksumOK:
	case r.zeroChecksum:
		dst = append(dst, " !zero-checksum"...)
	default:
		dst = append(dst, " !bad-checksum"...)
	}
	return dst
}

// appendSummary appends wire.Summary of the packet, or as much of it as the
// packet allows when its layout is broken.
func appendSummary(dst []byte, r *record) []byte {
	b := r.Data
	if len(b) < wire.HeaderLen {
		dst = append(dst, "truncated: "...)
		dst = strconv.AppendInt(dst, int64(len(b)), 10)
		return append(dst, " bytes, shorter than the common header"...)
	}
	if r.layoutErr == nil {
		p, _ := wire.ParsePacket(b)
		return wire.AppendSummary(dst, p)
	}
	dst = strconv.AppendUint(dst, uint64(binary.BigEndian.Uint16(b[0:2])), 10)
	dst = append(dst, " > "...)
	dst = strconv.AppendUint(dst, uint64(binary.BigEndian.Uint16(b[2:4])), 10)
	dst = append(dst, " vtag 0x"...)
	dst = appendHex32(dst, binary.BigEndian.Uint32(b[4:8]))
	dst = append(dst, ':')
	for i, c := range r.chunks {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, ' ')
		dst = wire.AppendChunkSummary(dst, c)
	}
	if len(r.chunks) > 0 {
		dst = append(dst, ';')
	}
	dst = append(dst, " malformed: "...)
	return append(dst, r.layoutErr.Error()...)
}

func appendHex32(dst []byte, v uint32) []byte {
	const digits = "0123456789abcdef"
	for i := 28; i >= 0; i -= 4 {
		dst = append(dst, digits[(v>>uint(i))&0xf])
	}
	return dst
}
