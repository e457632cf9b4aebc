// Package tx is the transmit side of an SCTP association: the send queue
// with its stream scheduler and fragmentation (RFC 9260 §6.1, §6.9,
// RFC 8260 §2.2.2, §3), the outstanding (retransmission) queue with SACK
// processing, fast retransmit and T3-rtx handling (§6.2.1, §6.3, §7.2.4),
// partial reliability (RFC 3758, RFC 7496) and congestion control behind
// an interface (§7.2).
//
// Like the rest of the engine it is pure and deterministic: no goroutines,
// no locks, no clock (every call takes now), no package-level state. It
// never touches the network: the association asks it for chunks to put in a
// packet and feeds it the SACKs it receives.
//
// A Sender holds the three parts. User data is copied once, into a buffer
// of the Sender's own pool, when it is queued; the chunks produced from it,
// sent and retransmitted, are views of that buffer, which goes back to the
// pool once every fragment is acknowledged or abandoned. In steady state
// nothing allocates: messages, buffers and ring slots are reused.
//
// Sizes: flight size, cwnd and ssthresh count DATA chunk bytes with header
// and padding (§7.2: "the length of the DATA chunk, including the
// padding"); the peer's rwnd counts user data bytes, as its a_rwnd does;
// buffered amounts count user data bytes.
package tx
