package serial

// UnwrapNear returns the 64-bit value whose low 32 bits are t and that is
// closest to ref: ref plus the signed 32-bit distance from ref's low bits to
// t (RFC 1982 §3.2 ordering, with the undefined distance 2^31 counted as
// behind). Unlike Unwrapper it keeps no state, so a receiver can unwrap
// every TSN relative to its cumulative TSN ack point. The caller keeps ref
// at least 2^31 so that the result never goes below zero.
func UnwrapNear(ref uint64, t TSN) uint64 {
	d := int64(int32(uint32(t) - uint32(ref)))
	return uint64(int64(ref) + d)
}
