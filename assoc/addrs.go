package assoc

import (
	"hash/fnv"

	"github.com/sconnlab/sconn/wire"
)

// peerAddrs remembers the IPv4/IPv6 address parameters of the peer's INIT
// (carried in the State Cookie) or INIT ACK, so that an INIT that adds
// addresses to the association can be refused (RFC 9260 §5.2.2). With
// AF_CONN the addresses carry no transport meaning (the host's handle is
// the only address), so a 64-bit Bloom filter of them is enough: it fits
// the cookie, and a false "known" only means the INIT gets the INIT ACK
// that an INIT without new addresses gets.
type peerAddrs uint64

// addrBits are the two filter bits of one address parameter.
func addrBits(p wire.Param) peerAddrs {
	h := fnv.New64a()
	h.Write(p.Bytes())
	x := h.Sum64()
	return 1<<(x&63) | 1<<((x>>6)&63)
}

func isAddressParam(p wire.Param) bool {
	t := p.Type()
	return t == wire.ParamIPv4Address || t == wire.ParamIPv6Address
}

// peerAddrsOf builds the filter of the address parameters in an INIT or
// INIT ACK parameter list.
func peerAddrsOf(params []byte) peerAddrs {
	var f peerAddrs
	it := wire.Params(params, 0)
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if isAddressParam(p) {
			f |= addrBits(p)
		}
	}
	return f
}

// newAddresses returns the address parameters of an INIT that the
// association does not know (a TLV list for the Restart of an Association
// with New Addresses cause, §3.3.10.11), or nil.
func (f peerAddrs) newAddresses(params []byte) []byte {
	var out []byte
	it := wire.Params(params, 0)
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if isAddressParam(p) && f&addrBits(p) != addrBits(p) {
			out = append(out, p.Bytes()...)
		}
	}
	return out
}
