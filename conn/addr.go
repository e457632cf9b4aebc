package conn

import "strconv"

// Handle is the opaque identifier of a lower-layer transport: the
// sconn_addr pointer of usrsctp's struct sockaddr_conn. The host chooses
// the values (mediasoup uses its transport id), registers them with
// Stack.RegisterAddress, passes them to Stack.ConnInput with every inbound
// datagram and gets them back in Config.Output. Handle 0 is AnyHandle.
type Handle uint64

// AnyHandle is the wildcard handle: a socket bound to it listens on a port
// of every registered handle (INADDR_ANY for AF_CONN). It cannot be
// registered, connected to or used as the source of a packet.
const AnyHandle Handle = 0

// String returns the handle in decimal.
func (h Handle) String() string { return strconv.FormatUint(uint64(h), 10) }

// Addr is an AF_CONN transport address (struct sockaddr_conn): a handle and
// an SCTP port. It implements net.Addr.
type Addr struct {
	Handle Handle
	Port   uint16
}

// Network returns "sctp-conn".
func (a Addr) Network() string { return "sctp-conn" }

// String returns "handle:port", e.g. "7:5000" (AnyHandle prints as "*").
func (a Addr) String() string {
	h := a.Handle.String()
	if a.Handle == AnyHandle {
		h = "*"
	}
	return h + ":" + strconv.Itoa(int(a.Port))
}

// AssocID identifies an association within its stack (sctp_assoc_t). The
// values 0, 1 and 2 are the wildcards of RFC 6458 §7.2 used by the socket
// options; real associations are numbered from 3.
type AssocID uint32

// Association ID wildcards of the socket options (RFC 6458 §7.2).
const (
	// FutureAssoc addresses the socket's defaults for associations created
	// later (SCTP_FUTURE_ASSOC). On a one-to-one socket an option with
	// FutureAssoc applies to the socket and its association alike.
	FutureAssoc AssocID = 0
	// CurrentAssoc addresses every existing association (SCTP_CURRENT_ASSOC).
	CurrentAssoc AssocID = 1
	// AllAssoc addresses the defaults and every existing association
	// (SCTP_ALL_ASSOC).
	AllAssoc AssocID = 2

	firstAssocID AssocID = 3
)

// String returns the number.
func (id AssocID) String() string { return strconv.FormatUint(uint64(id), 10) }

// assocKey identifies an association in the demultiplexer: the handle it
// runs over and its ports (in AF_CONN the handle is both the local and the
// peer address).
type assocKey struct {
	h           Handle
	local, peer uint16
}

// portKey identifies a bound socket: a handle (or AnyHandle) and a port.
type portKey struct {
	h    Handle
	port uint16
}
