// Package rx is the receive side of the SCTP engine: pure, deterministic
// and sans-IO, in the style of dcSCTP's rx/. It never starts a goroutine,
// takes a lock or reads a clock (the caller passes the time), and holds no
// package-level state.
//
// Three parts, usable alone or through Receiver, which wires them:
//
//   - DataTracker (tracker.go, sack_policy.go) follows the peer's TSNs
//     (RFC 9260 §6.2, §6.7): the cumulative TSN ack, the Gap Ack Blocks
//     above it, the duplicates to report once, FORWARD TSN (RFC 3758 §3.6),
//     and when a SACK is due: at once on gaps, duplicates, the I bit, a gap
//     closing, a dropped chunk or every SackFreq-th packet with new data;
//     otherwise after DelayedSackTime; and as a window update once reads
//     reopened the window by min(MTU, ReceiveBufferSize/2). FillSack
//     writes the SACK into caller buffers without allocating. TSNs are
//     unwrapped to 64 bits around the cumulative TSN ack, so wrap-around
//     at 2^32 needs no special case.
//
//   - Reassembly (reassembly.go, stream.go, runs.go, message.go,
//     delivery.go, window.go, pool.go) rebuilds user messages from DATA or
//     I-DATA (RFC 8260) fragments (§6.9), delivers ordered messages per
//     stream by SSN or MID and unordered ones when complete (§6.6),
//     partially delivers large messages (RFC 6458 SCTP_PARTIAL_DELIVERY_POINT),
//     applies FORWARD TSN and I-FORWARD TSN, accounts the receive window
//     (a_rwnd = ReceiveBufferSize - held bytes, §6.2) and caps the memory a
//     peer can make it hold (ReassemblyLimit, a *LimitError the engine turns
//     into an ABORT). Payloads are copied once into pooled buffers that
//     return to the pool when Read copied them out: a steady flow of
//     single-chunk messages allocates nothing.
//
//   - ValidateFragment (fragment.go) reports the chunk-level errors the
//     engine answers with control chunks: No User Data (§6.2, ABORT) and
//     Invalid Stream Identifier (§6.5, ERROR).
//
// The engine (package assoc) owns a Receiver per association. Per inbound
// packet:
//
//	for each DATA / I-DATA chunk:
//		f := rx.DataFragment(&d)          // or rx.IDataFragment
//		v, err := recv.HandleData(&f)     // err: ABORT; v == InvalidStream: ERROR
//	for each FORWARD TSN: recv.HandleForwardTSN(&fwd)
//	recv.PacketEnd(now)
//	if recv.Tracker.ShouldSendSackNow() { recv.FillSack(&sack, gaps[:0:n], dups[:0:m]); bundle it }
//
// and on the delayed SACK timer recv.Tracker.HandleTimeout(now); on
// Association.Recv, recv.Read(buf), which may make a window update SACK due.
package rx
