// Package udp is the host side of SCTP over UDP (RFC 6951) for a conn.Stack,
// in the style of mediasoup's PlainTransport: SCTP packets travel as UDP
// payloads, possibly on the same UDP port as RTP and RTCP.
//
// A Host wraps a net.PacketConn (the stack still owns no socket): it
// creates the stack with an Output that writes to the PacketConn, maps each
// remote UDP address to a conn.Handle (Register, Deregister, or
// automatically for a server), and feeds received datagrams to the stack
// (Input, or the read loop Serve):
//
//	h, _ := udp.Listen("udp", "127.0.0.1:9899", udp.Config{Remote: peer})
//	go h.Serve()
//	s, _ := h.Stack().Socket(conn.OneToOne, conn.Upcalls{})
//	s.Connect(conn.Addr{Handle: h.RemoteHandle(), Port: 5000})
//
// # Ports
//
// The local encapsulation port is the PacketConn's port (usrsctp's
// sctp_udp_tunneling_port, 9899 by IANA, DefaultEncapsPort). The remote
// encapsulation port is the port of the peer's UDP address (usrsctp's
// SCTP_REMOTE_UDP_ENCAPS_PORT). As RFC 6951 §5.4 asks, the Host answers the
// UDP source port a peer actually used: for the connected peer (Config.Remote)
// a packet from the same IP address and another port moves the peer to that
// port (unless Config.FixedRemotePort).
//
// # Sharing a port with RTP
//
// IsSCTP implements the PlainTransport rule: a datagram of at least 12 bytes
// whose first four bytes are the SCTP source and destination ports 5000 and
// 5000 is SCTP; RTP and RTCP (version 2, first byte 0x80-0xBF) never match.
// Demux routes a datagram to SCTP or to the caller's RTP/RTCP handler;
// Config.Other does the same inside a Host.
//
// # Classic mistakes
//
// The Host logs once (pion/logging scope "sctp:udp") and counts
// (Stats) the mistakes seen in the field: datagrams from an unexpected UDP
// source, SCTP packets with other ports than the configured ones (received,
// or sent by a local socket left unbound, which gets an ephemeral port), and
// datagrams that carry an IPv4 or IPv6 header in front of an SCTP header (a
// peer that sends raw SCTP over IP, or a capture replayed with its IP
// header, instead of SCTP over UDP).
package udp
