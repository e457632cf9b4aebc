// Package conntest is a test harness for code built on package conn: stacks
// joined by in-memory links with loss, delay, jitter, reordering,
// duplication and bandwidth limits, on real time or on a virtual clock.
//
// A Network owns the links and the clock. NewPair joins two stacks and
// NewFan joins N client stacks to one server; Network.Pipe returns a pair of
// datagram net.Conns (each Read is one packet, buffered in pion's
// packetio.Buffer) for code that runs SCTP over a net.Conn, as over DTLS.
//
// On a virtual clock (Config.Virtual) the stacks run in conn.TimersManual
// mode and nothing happens between calls: Advance and RunUntil move the
// clock from event to event, delivering each packet when its delay has
// elapsed and firing the stacks' timers, on the calling goroutine. Link
// randomness is seeded (Config.Seed), so a test behaves the same on every
// run: minutes of protocol time (RTO backoff, heartbeats) take
// milliseconds. Use non-blocking sockets and upcalls there, or drive the
// network from another goroutine.
//
// On real time the stacks run their own timer goroutines and one goroutine
// per Network delivers the packets.
//
// Checker and Recorder assert what tests usually want: every message
// arrives exactly once, intact and, on ordered streams, in order.
package conntest
