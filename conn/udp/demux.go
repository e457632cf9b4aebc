package udp

import (
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/pion/logging"
)

// Demux routes the datagrams of one UDP socket shared by SCTP and media
// (RTP, RTCP): SCTP packets, told apart by their ports as IsSCTP does, go to
// SCTP and everything else to Other. Datagrams that look like a
// misconfigured SCTP peer (SCTP with other ports, SCTP behind an IP header)
// are logged once per source and kind, counted, and go to Other.
//
// The zero value routes by ports 5000/5000 and drops non-SCTP datagrams.
// A Demux is safe for concurrent use once its fields are set.
type Demux struct {
	// SCTP receives the SCTP packets; nil drops them.
	SCTP func(b []byte, from net.Addr)
	// Other receives every other datagram; nil drops them.
	Other func(b []byte, from net.Addr)
	// LocalPort and RemotePort are the SCTP ports (0: DefaultPort): an
	// SCTP packet from the peer has source port RemotePort and
	// destination port LocalPort.
	LocalPort, RemotePort uint16
	// Logger hears once about each classic mistake; nil: silent.
	Logger logging.LeveledLogger

	sctp, other, otherPorts, rawIP atomic.Uint64
	once                           onceTable
}

// DemuxStats counts what a Demux routed.
type DemuxStats struct {
	SCTP       uint64 // datagrams routed to SCTP
	Other      uint64 // datagrams routed to Other (or dropped without it)
	OtherPorts uint64 // SCTP packets with other ports than configured (counted in Other too)
	RawIP      uint64 // IPv4/IPv6 packets carrying SCTP (counted in Other too)
}

// Route hands b to SCTP or Other and reports whether it was SCTP.
func (d *Demux) Route(b []byte, from net.Addr) bool {
	if isSCTPPorts(b, portOr(d.RemotePort), portOr(d.LocalPort)) {
		d.sctp.Add(1)
		if d.SCTP != nil {
			d.SCTP(b, from)
		}
		return true
	}
	d.other.Add(1)
	d.explain(b, from)
	if d.Other != nil {
		d.Other(b, from)
	}
	return false
}

// Stats returns the counters.
func (d *Demux) Stats() DemuxStats {
	return DemuxStats{SCTP: d.sctp.Load(), Other: d.other.Load(), OtherPorts: d.otherPorts.Load(), RawIP: d.rawIP.Load()}
}

// explain logs and counts a datagram that looks like a misconfigured SCTP
// peer.
func (d *Demux) explain(b []byte, from net.Addr) {
	k, inner := classify(b)
	if k == kindOther {
		return
	}
	var msg string
	switch k {
	case kindOtherPorts:
		d.otherPorts.Add(1)
		src, dst := ports(inner)
		msg = fmt.Sprintf("SCTP packet from %v with ports %d→%d, expected %d→%d: "+
			"both ends must use the configured SCTP ports (PlainTransport and WebRTC use 5000 at both ends); "+
			"the packet is not treated as SCTP", from, src, dst, portOr(d.RemotePort), portOr(d.LocalPort))
	case kindRawIPv4, kindRawIPv6:
		d.rawIP.Add(1)
		v := "IPv4"
		if k == kindRawIPv6 {
			v = "IPv6"
		}
		src, dst := ports(inner)
		msg = fmt.Sprintf("datagram from %v starts with an %s header carrying SCTP (ports %d→%d): "+
			"the peer sends raw SCTP over IP (or replays a capture with its IP header) inside UDP; "+
			"SCTP over UDP (RFC 6951) puts the SCTP common header first in the UDP payload", from, v, src, dst)
	}
	if d.Logger != nil && d.once.first(uint8(k), addrKey(from)) {
		d.Logger.Warn(msg)
	}
}

func portOr(p uint16) uint16 {
	if p == 0 {
		return DefaultPort
	}
	return p
}

// onceTable remembers which (kind, source) pairs were logged. It is
// bounded: past maxOnce entries it logs nothing new.
type onceTable struct {
	mu   sync.Mutex
	seen map[onceKey]struct{}
}

type onceKey struct {
	kind uint8
	src  string
}

const maxOnce = 4096

// first reports whether (kind, src) is seen for the first time.
func (t *onceTable) first(kind uint8, src string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := onceKey{kind, src}
	if _, ok := t.seen[k]; ok || len(t.seen) >= maxOnce {
		return false
	}
	if t.seen == nil {
		t.seen = make(map[onceKey]struct{})
	}
	t.seen[k] = struct{}{}
	return true
}

// addrKey returns a map key for a remote address.
func addrKey(a net.Addr) string {
	if a == nil {
		return ""
	}
	if u, ok := a.(*net.UDPAddr); ok {
		ap := u.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()).String()
	}
	return a.Network() + "/" + a.String()
}
