package udp

import (
	"encoding/binary"

	"github.com/sconnlab/sconn/wire"
)

// DefaultPort is the SCTP port of WebRTC and of mediasoup's PlainTransport,
// used at both ends.
const DefaultPort = 5000

// DefaultEncapsPort is the IANA port for SCTP over UDP (sctp-tunneling,
// RFC 6951 §5.1), usrsctp's usual sctp_udp_tunneling_port.
const DefaultEncapsPort = 9899

// IsSCTP reports whether b is an SCTP packet by the PlainTransport rule:
// at least 12 bytes (the common header) with source and destination port
// 5000. RTP and RTCP never match (their first byte is 0x80-0xBF, SCTP's
// is 0x13), so the rule separates SCTP from media on a shared UDP port.
func IsSCTP(b []byte) bool { return isSCTPPorts(b, DefaultPort, DefaultPort) }

// isSCTPPorts is IsSCTP for a source port src and destination port dst.
func isSCTPPorts(b []byte, src, dst uint16) bool {
	return len(b) >= 12 && binary.BigEndian.Uint16(b[0:2]) == src && binary.BigEndian.Uint16(b[2:4]) == dst
}

// kind classifies a datagram that is not SCTP for the configured ports,
// to explain it.
type kind uint8

const (
	kindOther      kind = iota // RTP, RTCP or anything else
	kindOtherPorts             // SCTP (valid CRC32c) with other ports
	kindRawIPv4                // an IPv4 header carrying SCTP
	kindRawIPv6                // an IPv6 header carrying SCTP
)

// ipProtoSCTP is SCTP's IP protocol number.
const ipProtoSCTP = 132

// classify explains a datagram that failed the port rule.
func classify(b []byte) (kind, []byte) {
	if looksSCTP(b) {
		return kindOtherPorts, b
	}
	if len(b) >= 20 && b[0]>>4 == 4 {
		ihl := int(b[0]&0x0f) * 4
		if ihl >= 20 && b[9] == ipProtoSCTP && len(b) >= ihl+12 {
			return kindRawIPv4, b[ihl:]
		}
	}
	if len(b) >= 40+12 && b[0]>>4 == 6 && b[6] == ipProtoSCTP {
		return kindRawIPv6, b[40:]
	}
	return kindOther, nil
}

// looksSCTP reports a datagram with a valid SCTP common header, CRC32c and
// first chunk length, whatever its ports. RTP and RTCP practically never
// pass the checksum.
func looksSCTP(b []byte) bool {
	if len(b) < 16 {
		return false
	}
	if l := int(binary.BigEndian.Uint16(b[14:16])); l < 4 || l > len(b)-12 {
		return false
	}
	return wire.VerifyChecksum(b, false) == nil
}

// ports returns the source and destination ports of an SCTP header.
func ports(b []byte) (src, dst uint16) {
	return binary.BigEndian.Uint16(b[0:2]), binary.BigEndian.Uint16(b[2:4])
}
