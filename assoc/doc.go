// Package assoc is the SCTP protocol engine: one association as a
// deterministic, sans-IO state machine (RFC 9260), plus the stateless
// listening side (Endpoint) and the out-of-the-blue rules (HandleOOTB).
//
// The engine never reads a clock, starts a goroutine, takes a lock or
// touches the network. The host passes the time to every call, supplies the
// randomness (Rand), and moves bytes:
//
//	a := assoc.New(cfg, assoc.CryptoRand{})
//	a.Connect(now)
//	for pkt := a.Poll(now, buf[:0]); pkt != nil; pkt = a.Poll(now, buf[:0]) {
//		send(pkt)
//	}
//	// on a datagram for this association (demultiplexed by ports):
//	p, _ := wire.ParsePacket(datagram)
//	if err := a.HandlePacket(now, p); err != nil { count(err) } // *DropError
//	// on the timer the host keeps for a.NextDeadline():
//	a.HandleTimeout(now)
//	for ev, ok := a.PollEvent(); ok; ev, ok = a.PollEvent() { … }
//
// A listener is an Endpoint per local port: it answers INITs with a signed
// State Cookie and returns a new Association for each valid COOKIE ECHO,
// keeping nothing per INIT (RFC 9260 §5.1). Packets for a port with neither
// association nor listener go to HandleOOTB (§8.4).
//
// The files follow the RFC: state.go (§4), handshake.go and init.go (§5.1),
// cookie.go (§5.1.3, §5.1.5), collision.go (§5.2), vtag.go and ootb.go
// (§8.4, §8.5), heartbeat.go (§8.1-§8.3), rto.go (§6.3.1), shutdown.go
// (§9.2), abort.go (§9.1), errchunk.go (§3.3.10), poll.go (bundling,
// §6.10), timer.go, events.go (§11.2); user data transfer (§6, §7): send.go,
// recv.go, datapath.go and stats.go over internal/tx (send queue,
// outstanding queue, congestion control) and internal/rx (TSN tracker,
// reassembly). docs/engine.md has the state diagram, the timers and the
// data path.
package assoc
