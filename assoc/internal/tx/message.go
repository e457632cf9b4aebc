package tx

import "time"

// PRPolicy is the partial reliability policy of a message (RFC 3758 §4,
// RFC 7496 §3).
type PRPolicy uint8

const (
	// PRNone: the message is reliable.
	PRNone PRPolicy = iota
	// PRTTL: timed reliability (RFC 3758 §4.1): the value is a lifetime in
	// milliseconds, after which the message is abandoned.
	PRTTL
	// PRRtx: limited retransmissions (RFC 7496 §3.1): the value is the
	// number of retransmissions allowed per DATA chunk; one more abandons
	// the message.
	PRRtx
)

// MessageOptions describe a message, or the part of it given to one
// SendQueue.Add call.
type MessageOptions struct {
	Stream    uint16
	PPID      uint32
	Unordered bool
	// EOR ends the message. A call without EOR opens a message that later
	// calls for the same stream extend (explicit EOR).
	EOR bool
	// Immediate sets the I bit on the last fragment (RFC 9260 §3.3.1).
	Immediate bool
	Policy    PRPolicy
	PRValue   uint32
	// Context is opaque to the stack and returned with a failed message.
	Context uint32
}

// message is one user message: its data, in a pooled buffer, and the state
// of its fragmentation and acknowledgement. Messages are recycled through
// the Sender's free list.
type message struct {
	buf     []byte   // the data so far, buf[:len(buf)]; capacity from the pool
	retired [][]byte // older buffers of a growing message still referenced by chunks
	off     int      // bytes already fragmented into chunks
	pending int      // bytes counted in the buffered amount, released by acks

	opts    MessageOptions
	expires time.Time // PRTTL deadline; zero when none
	mid     uint32    // SSN (DATA) or MID (I-DATA), assigned with the first fragment
	fsn     uint32    // FSN of the next fragment (I-DATA)

	// firstTSN and lastTSN span the fragments given a TSN (for abandoning).
	firstTSN, lastTSN uint32

	refs      int  // ring entries that point to this message
	complete  bool // EOR received
	queued    bool // in its stream queue (not fully fragmented)
	abandoned bool // abandoned (PR-SCTP) or failed
	failed    bool // on the failed list, waiting for PopFailed

	next *message // stream queue, FCFS queue, failed list or free list
}

// started reports whether a fragment has been produced.
func (m *message) started() bool { return m.off > 0 }

// unsent returns the bytes not yet fragmented.
func (m *message) unsent() int { return len(m.buf) - m.off }
