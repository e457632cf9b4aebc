// Package serial implements serial number arithmetic (RFC 1982) for the
// wrapping sequence numbers of SCTP: TSNs and MIDs (32 bits), SSNs and FSNs
// of I-DATA (RFC 8260 §2.1) (16 and 32 bits).
//
// Comparisons follow RFC 1982 §3.2: a is less than b when the forward
// distance from a to b is in (0, 2^(n-1)). For the one undefined pair (the
// distance is exactly 2^(n-1)) both a.Less(b) and b.Less(a) are false, as
// the RFC allows; callers that must order every pair unwrap to 64 bits with
// an Unwrapper first.
package serial

// TSN is a Transmission Sequence Number (RFC 9260 §3.3.1), a 32-bit serial number.
type TSN uint32

// Less reports whether t precedes u (RFC 1982 §3.2).
func (t TSN) Less(u TSN) bool { d := uint32(u - t); return d != 0 && d < 1<<31 }

// LessEq reports whether t precedes or equals u.
func (t TSN) LessEq(u TSN) bool { return t == u || t.Less(u) }

// Greater reports whether t follows u.
func (t TSN) Greater(u TSN) bool { return u.Less(t) }

// GreaterEq reports whether t follows or equals u.
func (t TSN) GreaterEq(u TSN) bool { return t == u || u.Less(t) }

// Add returns t + n modulo 2^32 (RFC 1982 §3.1 restricts n to below 2^31).
func (t TSN) Add(n uint32) TSN { return t + TSN(n) }

// Next returns t + 1.
func (t TSN) Next() TSN { return t + 1 }

// Prev returns t - 1.
func (t TSN) Prev() TSN { return t - 1 }

// Distance returns the forward distance from t to u, u - t modulo 2^32.
func (t TSN) Distance(u TSN) uint32 { return uint32(u - t) }

// SSN is a Stream Sequence Number (RFC 9260 §3.3.1), a 16-bit serial number.
type SSN uint16

// Less reports whether s precedes u (RFC 1982 §3.2).
func (s SSN) Less(u SSN) bool { d := uint16(u - s); return d != 0 && d < 1<<15 }

// LessEq reports whether s precedes or equals u.
func (s SSN) LessEq(u SSN) bool { return s == u || s.Less(u) }

// Greater reports whether s follows u.
func (s SSN) Greater(u SSN) bool { return u.Less(s) }

// GreaterEq reports whether s follows or equals u.
func (s SSN) GreaterEq(u SSN) bool { return s == u || u.Less(s) }

// Add returns s + n modulo 2^16.
func (s SSN) Add(n uint16) SSN { return s + SSN(n) }

// Next returns s + 1.
func (s SSN) Next() SSN { return s + 1 }

// MID is a Message Identifier of I-DATA (RFC 8260 §2.1), a 32-bit serial number.
type MID uint32

// Less reports whether m precedes u (RFC 1982 §3.2).
func (m MID) Less(u MID) bool { return TSN(m).Less(TSN(u)) }

// LessEq reports whether m precedes or equals u.
func (m MID) LessEq(u MID) bool { return m == u || m.Less(u) }

// Next returns m + 1.
func (m MID) Next() MID { return m + 1 }

// Unwrapper turns 32-bit serial numbers into 64-bit counters that never
// wrap, given that consecutive inputs are less than 2^31 apart (RFC 1982's
// own assumption). The first value unwraps to itself. The zero value is
// ready to use.
type Unwrapper struct {
	last    uint64
	started bool
}

// Unwrap returns the 64-bit value of t: the one closest to the previous
// result that has t as its low 32 bits. It never returns a negative value:
// a t just below the first value seen unwraps upwards past 2^32.
func (u *Unwrapper) Unwrap(t TSN) uint64 {
	if !u.started {
		u.started = true
		u.last = uint64(t)
		return u.last
	}
	d := int64(int32(uint32(t) - uint32(u.last)))
	v := int64(u.last) + d
	if v < 0 {
		v += 1 << 32
	}
	u.last = uint64(v)
	return u.last
}

// Peek returns what Unwrap would return for t without recording it.
func (u *Unwrapper) Peek(t TSN) uint64 {
	c := *u
	return c.Unwrap(t)
}

// Reset forgets every value seen, as after an association restart.
func (u *Unwrapper) Reset() { *u = Unwrapper{} }
