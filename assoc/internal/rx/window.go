package rx

// Receive window accounting (RFC 9260 §6.2 A-D): every stored fragment
// counts from the moment Add copies it until Read has copied all of it out
// (or it is dropped), whether it waits in reassembly, for an earlier SSN,
// or in the delivery queue. a_rwnd is what is left of the receive buffer;
// §6.2 C: it does not grow while data only moves from reassembly to the
// delivery queue.

// ARwnd returns the Advertised Receiver Window Credit for the next SACK:
// ReceiveBufferSize minus the held bytes, never below 0. At 0 the peer
// sends only zero window probes (§6.1 rule A) and the engine drops DATA
// beyond the highest TSN received (§6.2; Receiver does this).
func (r *Reassembly) ARwnd() uint32 {
	free := r.cfg.ReceiveBufferSize - r.held
	if free < 0 {
		return 0
	}
	return uint32(free)
}

// Held returns the bytes held: payload (plus Config.ChunkOverhead per
// fragment) in reassembly and in the delivery queue, not yet read.
func (r *Reassembly) Held() int { return r.held }

// ReceiveBufferSize returns the configured receive buffer (the a_rwnd of
// INIT and INIT ACK).
func (r *Reassembly) ReceiveBufferSize() int { return r.cfg.ReceiveBufferSize }

// release returns a payload buffer and its window.
func (r *Reassembly) release(b []byte) {
	r.held -= len(b) + r.cfg.ChunkOverhead
	r.pool.put(b)
}
