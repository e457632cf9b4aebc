package udp

import (
	"errors"
	"fmt"
	"net"
	"sync/atomic"
)

// Stats counts what a Host saw and sent.
type Stats struct {
	In               uint64 // SCTP datagrams given to the stack
	Out              uint64 // packets written
	OutErrors        uint64 // packets that could not be written
	Other            uint64 // non-SCTP datagrams (to Config.Other, or dropped)
	OtherPorts       uint64 // SCTP packets with other ports than configured (counted in Other)
	RawIP            uint64 // IP packets carrying SCTP inside UDP (counted in Other)
	UnexpectedSource uint64 // SCTP datagrams from a UDP source that is no peer, dropped
	PortChanges      uint64 // the connected peer moved to another UDP port (RFC 6951 §5.4)
	WrongPortsOut    uint64 // packets sent with other SCTP ports than configured (an unbound socket?)
	Peers            int    // peers registered now
}

type hostCounters struct {
	in, out, outErrors, unexpected, portChanges, wrongPortsOut atomic.Uint64
}

// Stats returns a snapshot of the counters.
func (h *Host) Stats() Stats {
	d := h.demux.Stats()
	h.mu.RLock()
	n := len(h.byHandle)
	h.mu.RUnlock()
	return Stats{In: h.stats.in.Load(), Out: h.stats.out.Load(), OutErrors: h.stats.outErrors.Load(),
		Other: d.Other, OtherPorts: d.OtherPorts, RawIP: d.RawIP,
		UnexpectedSource: h.stats.unexpected.Load(), PortChanges: h.stats.portChanges.Load(),
		WrongPortsOut: h.stats.wrongPortsOut.Load(), Peers: n}
}

// Input hands the Host one datagram read from its PacketConn: SCTP packets
// go to the stack under their peer's handle, other datagrams to
// Config.Other. It reports whether b was SCTP. The Host does not keep b.
func (h *Host) Input(b []byte, from net.Addr) bool {
	if h.closed.Load() {
		return false
	}
	return h.demux.Route(b, from)
}

// inputSCTP delivers an SCTP packet from a UDP source.
func (h *Host) inputSCTP(b []byte, from net.Addr) {
	key := addrKey(from)
	h.mu.RLock()
	p := h.byKey[key]
	h.mu.RUnlock()
	if p != nil {
		h.stats.in.Add(1)
		_ = h.st.ConnInput(p.h, b, 0)
		return
	}
	if h.remote != 0 {
		h.fromOtherSource(b, from)
		return
	}
	// A server: an INIT from a new source makes a new peer.
	if len(b) > 12 && b[12] == 1 {
		h.mu.RLock()
		full := h.auto >= h.cfg.MaxPeers
		h.mu.RUnlock()
		if !full {
			hd, err := h.register(from, true)
			if err == nil {
				if h.cfg.OnPeer != nil {
					h.cfg.OnPeer(hd, from)
				}
				h.stats.in.Add(1)
				_ = h.st.ConnInput(hd, b, 0)
				return
			}
		}
		h.unexpected(from, fmt.Sprintf("an INIT from %v, but the host already has its %d peers (Config.MaxPeers): dropped", from, h.cfg.MaxPeers))
		return
	}
	h.unexpected(from, fmt.Sprintf("SCTP packet from %v, which is not a peer and did not start with an INIT: dropped "+
		"(a peer that was deregistered, or packets arriving from another UDP address than the one the association started from)", from))
}

// fromOtherSource handles an SCTP packet of a connected Host from a UDP
// address other than the peer's. From the peer's IP address, a packet that
// the association accepts moves the peer to its port (RFC 6951 §5.4).
func (h *Host) fromOtherSource(b []byte, from net.Addr) {
	h.mu.RLock()
	p := h.byHandle[h.remote]
	var cur net.Addr
	if p != nil {
		cur = p.addr
	}
	h.mu.RUnlock()
	if p == nil {
		return
	}
	if !h.cfg.FixedRemotePort && sameIP(cur, from) {
		h.stats.in.Add(1)
		if err := h.st.ConnInput(p.h, b, 0); err == nil {
			h.mu.Lock()
			h.movePeerLocked(p, from)
			h.mu.Unlock()
			h.stats.portChanges.Add(1)
			h.log.Infof("peer %v now sends from UDP port %v: answering that port (RFC 6951 §5.4)", cur, from)
		}
		return
	}
	h.stats.unexpected.Add(1)
	if h.once.first(0, addrKey(from)) {
		h.log.Warnf("SCTP packet from unexpected UDP source %v, the peer is %v: dropped "+
			"(check the remote address and port given for the peer: RFC 6951 encapsulation answers the UDP port the peer sends from)", from, cur)
	}
}

// unexpected counts and logs once an SCTP packet from no peer.
func (h *Host) unexpected(from net.Addr, msg string) {
	h.stats.unexpected.Add(1)
	if h.once.first(0, addrKey(from)) {
		h.log.Warn(msg)
	}
}

// sameIP reports whether two UDP addresses have the same IP address.
func sameIP(a, b net.Addr) bool {
	ua, ok1 := a.(*net.UDPAddr)
	ub, ok2 := b.(*net.UDPAddr)
	if !ok1 || !ok2 {
		return false
	}
	return ua.AddrPort().Addr().Unmap() == ub.AddrPort().Addr().Unmap()
}

// maxDatagram is the largest UDP payload.
const maxDatagram = 65536

// Serve reads datagrams from the PacketConn and passes them to Input until
// the Host or the PacketConn is closed (then it returns nil) or reading
// fails.
func (h *Host) Serve() error {
	h.serving.Add(1)
	defer h.serving.Add(-1)
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := h.pc.ReadFrom(buf)
		if h.closed.Load() {
			return nil
		}
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return err
		}
		h.Input(buf[:n], from)
	}
}
