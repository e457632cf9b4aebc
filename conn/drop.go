package conn

import (
	"encoding/hex"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/sconnlab/sconn/assoc"
	"github.com/sconnlab/sconn/wire"
)

// DropReason says why the stack discarded an inbound datagram (or the rest
// of it). Every drop is counted (Stack.Drops) and the first drop of each
// reason from each handle is logged with a one-line packet summary.
type DropReason uint8

// Drop reasons. The engine's reasons (assoc.DropReason) are mapped onto the
// same list (see dropFromEngine).
const (
	// DropTooShort: shorter than the 12-byte common header (sctps_hdrops).
	DropTooShort DropReason = iota + 1
	// DropBadChecksum: the CRC32c does not match, or is zero where the
	// association did not accept zero checksums (RFC 9653) (sctps_badsum).
	DropBadChecksum
	// DropMalformed: a chunk, parameter or error cause could not be
	// decoded; DropError.Offset says where.
	DropMalformed
	// DropUnregisteredHandle: ConnInput for a handle that is not
	// registered (or no longer).
	DropUnregisteredHandle
	// DropNoListener: no association and no listening socket on the
	// destination port (sctps_noport); answered as §8.4 says unless
	// sctp_blackhole forbids it.
	DropNoListener
	// DropBadVtag: the verification tag does not match the association
	// (RFC 9260 §8.5, §8.5.1) (sctps_badvtag).
	DropBadVtag
	// DropOOTB: an out-of-the-blue packet for a listening socket (§8.4)
	// (sctps_outoftheblue).
	DropOOTB
	// DropUnexpectedChunk: a chunk not acceptable in the association's
	// state (e.g. an INIT ACK once ESTABLISHED).
	DropUnexpectedChunk
	// DropBadCookie: a State Cookie failed authentication.
	DropBadCookie
	// DropStaleCookie: a State Cookie has expired.
	DropStaleCookie
	// DropInvalidInit: an INIT or INIT ACK with invalid mandatory fields.
	DropInvalidInit
	// DropUnknownChunk: an unrecognized chunk whose action bits stop or
	// skip it (§3.2).
	DropUnknownChunk
	// DropAssocClosed: the association had already ended.
	DropAssocClosed
	// DropWrongPort: the ports do not match the association or endpoint.
	DropWrongPort
	// DropBundling: chunks bundled against §6.10.
	DropBundling
	// DropBacklogFull: a valid COOKIE ECHO for a one-to-one listener whose
	// accept queue is full; the new association was aborted.
	DropBacklogFull
	// DropStackClosed: the stack was closed.
	DropStackClosed
	// DropEngine: an engine drop reason this version does not know.
	DropEngine

	numDropReasons
)

var dropNames = [numDropReasons]string{
	DropTooShort:           "too short",
	DropBadChecksum:        "bad checksum",
	DropMalformed:          "malformed",
	DropUnregisteredHandle: "unregistered handle",
	DropNoListener:         "no listener on that port",
	DropBadVtag:            "unknown verification tag",
	DropOOTB:               "out of the blue",
	DropUnexpectedChunk:    "unexpected chunk",
	DropBadCookie:          "bad cookie",
	DropStaleCookie:        "stale cookie",
	DropInvalidInit:        "invalid INIT",
	DropUnknownChunk:       "unknown chunk",
	DropAssocClosed:        "association closed",
	DropWrongPort:          "wrong port",
	DropBundling:           "bad bundling",
	DropBacklogFull:        "accept queue full",
	DropStackClosed:        "stack closed",
	DropEngine:             "engine drop",
}

// String returns a short name such as "bad checksum".
func (r DropReason) String() string {
	if r > 0 && r < numDropReasons {
		return dropNames[r]
	}
	return "drop reason " + strconv.Itoa(int(r))
}

// DropReasons returns every drop reason, in order.
func DropReasons() []DropReason {
	rs := make([]DropReason, 0, numDropReasons-1)
	for r := DropReason(1); r < numDropReasons; r++ {
		rs = append(rs, r)
	}
	return rs
}

// notable reports reasons that usually mean a misconfigured host or peer
// (logged at Warn level); the others are normal protocol events (Info).
func (r DropReason) notable() bool {
	switch r {
	case DropTooShort, DropBadChecksum, DropMalformed, DropUnregisteredHandle,
		DropNoListener, DropBadVtag, DropWrongPort, DropBacklogFull, DropBadCookie:
		return true
	}
	return false
}

// DropError describes a discarded datagram. ConnInput returns it; it wraps
// ErrDropped (and the engine's *assoc.DropError when the engine refused the
// packet).
type DropError struct {
	Reason DropReason
	Handle Handle
	// Offset is the byte offset in the datagram of the chunk, parameter or
	// field at fault, or -1 when no single place is at fault.
	Offset int
	// Detail says what, e.g. "INIT ACK in ESTABLISHED".
	Detail string
	// Engine is the engine's error when the engine dropped the packet.
	Engine *assoc.DropError
}

// Error describes the drop: reason, handle, offset and detail.
func (e *DropError) Error() string {
	s := "sctp: dropped packet from handle " + e.Handle.String() + ": " + e.Reason.String()
	if e.Offset >= 0 {
		s += " at offset " + strconv.Itoa(e.Offset)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns ErrDropped and, if any, the engine's error.
func (e *DropError) Unwrap() []error {
	if e.Engine != nil {
		return []error{ErrDropped, e.Engine}
	}
	return []error{ErrDropped}
}

// dropFromEngine maps an engine reason.
func dropFromEngine(r assoc.DropReason) DropReason {
	switch r {
	case assoc.DropMalformed:
		return DropMalformed
	case assoc.DropBadVtag:
		return DropBadVtag
	case assoc.DropOOTB:
		return DropOOTB
	case assoc.DropUnexpectedChunk:
		return DropUnexpectedChunk
	case assoc.DropBadCookie:
		return DropBadCookie
	case assoc.DropStaleCookie:
		return DropStaleCookie
	case assoc.DropInvalidInit:
		return DropInvalidInit
	case assoc.DropUnknownChunk:
		return DropUnknownChunk
	case assoc.DropClosed:
		return DropAssocClosed
	case assoc.DropWrongPort:
		return DropWrongPort
	case assoc.DropBundling:
		return DropBundling
	}
	return DropEngine
}

// dropKey is one (reason, handle) pair for log-once.
type dropKey struct {
	r DropReason
	h Handle
}

// maxLoggedDropKeys bounds the log-once memory: past it, new pairs are
// counted but not logged (one line says so).
const maxLoggedDropKeys = 4096

// dropTable counts drops per reason (lock-free) and remembers which
// (reason, handle) pairs were logged.
type dropTable struct {
	counts [numDropReasons]atomic.Uint64

	mu     sync.Mutex
	logged map[dropKey]struct{}
	full   bool
}

// DropStats is a snapshot of the drop counters.
type DropStats [numDropReasons]uint64

// Get returns the count of reason r.
func (d *DropStats) Get(r DropReason) uint64 {
	if r < numDropReasons {
		return d[r]
	}
	return 0
}

// Total returns the sum over every reason.
func (d *DropStats) Total() uint64 {
	var n uint64
	for _, c := range d {
		n += c
	}
	return n
}

// Drops returns the number of dropped datagrams per reason, only the
// reasons with at least one drop.
func (st *Stack) Drops() map[DropReason]uint64 {
	m := make(map[DropReason]uint64)
	for r := DropReason(1); r < numDropReasons; r++ {
		if n := st.drops.counts[r].Load(); n > 0 {
			m[r] = n
		}
	}
	return m
}

// DropStats returns the drop counters as an array indexed by DropReason
// (no allocation).
func (st *Stack) DropStats() DropStats {
	var d DropStats
	for r := range d {
		d[r] = st.drops.counts[r].Load()
	}
	return d
}

// drop counts and (once per reason and handle) logs a dropped datagram and
// returns the error ConnInput reports.
func (st *Stack) drop(h Handle, b []byte, r DropReason, off int, detail string, eng *assoc.DropError) *DropError {
	st.drops.counts[r].Add(1)
	e := &DropError{Reason: r, Handle: h, Offset: off, Detail: detail, Engine: eng}
	if st.drops.first(dropKey{r, h}, st) {
		msg := e.Error() + " | " + describePacket(b)
		if r.notable() {
			st.log.Warn(msg + " (further drops of this reason from this handle are counted, not logged)")
		} else {
			st.log.Info(msg + " (further drops of this reason from this handle are counted, not logged)")
		}
	}
	return e
}

// dropEngine counts a drop the engine reported (err from HandlePacket or an
// Endpoint), finding the offset of a malformed chunk.
func (st *Stack) dropEngine(h Handle, b []byte, pkt wire.Packet, err error) *DropError {
	var de *assoc.DropError
	if !errors.As(err, &de) {
		return st.drop(h, b, DropEngine, -1, err.Error(), nil)
	}
	r := dropFromEngine(de.Reason)
	off := -1
	if r == DropMalformed {
		var pe *wire.ParseError
		if errors.As(wire.ValidatePacket(pkt), &pe) {
			off = pe.Offset
		}
	}
	return st.drop(h, b, r, off, de.Detail, de)
}

// first reports whether k is seen for the first time.
func (d *dropTable) first(k dropKey, st *Stack) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.logged[k]; ok {
		return false
	}
	if len(d.logged) >= maxLoggedDropKeys {
		if !d.full {
			d.full = true
			st.log.Warn("sctp: too many distinct (drop reason, handle) pairs; further new ones are counted, not logged")
		}
		return false
	}
	if d.logged == nil {
		d.logged = make(map[dropKey]struct{})
	}
	d.logged[k] = struct{}{}
	return true
}

// forget removes the log-once entries of handle h (on DeregisterAddress).
func (d *dropTable) forget(h Handle) {
	d.mu.Lock()
	for k := range d.logged {
		if k.h == h {
			delete(d.logged, k)
		}
	}
	d.mu.Unlock()
}

// describePacket returns wire.Summary of b, or a hex prefix when b does not
// parse.
func describePacket(b []byte) string {
	if p, err := wire.ParsePacket(b); err == nil {
		return wire.Summary(p)
	}
	n := len(b)
	if n > 32 {
		n = 32
	}
	s := "len " + strconv.Itoa(len(b)) + ": " + hex.EncodeToString(b[:n])
	if n < len(b) {
		s += "…"
	}
	return s
}
