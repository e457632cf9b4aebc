// Package traffic generates deterministic test messages for the interop
// tests and verifies what arrives: every message exactly once, intact,
// with its PPID and unordered flag, and in order on ordered streams.
package traffic

import (
	"errors"
	"fmt"
	"sync"

	"github.com/sconnlab/sconn/conn/conntest"
)

// Plan describes N messages sent one way: message i goes on stream
// Streams[i%len(Streams)] as the (i/len(Streams))-th message of that
// stream, with size Size(i) and PPID PPID(i).
type Plan struct {
	Streams   []uint16
	N         int
	Unordered bool
	// Size of message i (nil: 100 bytes). Unordered plans need sizes of at
	// least conntest.MessageHeaderLen (16) so that messages identify
	// themselves; ordered ones may use any size from 1.
	Size func(i int) int
	// PPID of message i (nil: 51 + stream%4).
	PPID func(i int) uint32
}

// Streams returns the stream numbers from..from+n-1.
func Streams(from, n int) []uint16 {
	s := make([]uint16, n)
	for i := range s {
		s[i] = uint16(from + i)
	}
	return s
}

// Message returns stream, PPID and bytes of message i.
func (p *Plan) Message(i int) (sid uint16, ppid uint32, data []byte) {
	sid = p.Streams[i%len(p.Streams)]
	seq := uint32(i / len(p.Streams))
	size := 100
	if p.Size != nil {
		size = p.Size(i)
	}
	if p.PPID != nil {
		ppid = p.PPID(i)
	} else {
		ppid = 51 + uint32(sid%4)
	}
	return sid, ppid, Payload(sid, seq, size)
}

// Bytes returns the total user bytes of the plan.
func (p *Plan) Bytes() int64 {
	var n int64
	for i := range p.N {
		if p.Size != nil {
			n += int64(p.Size(i))
		} else {
			n += 100
		}
	}
	return n
}

// Payload returns the bytes of message seq of stream sid: a
// conntest.Message (self-describing, with a CRC) when size is at least 16
// bytes, otherwise size bytes derived from stream and seq.
func Payload(sid uint16, seq uint32, size int) []byte {
	if size >= conntest.MessageHeaderLen {
		return conntest.Message(sid, seq, size)
	}
	b := make([]byte, size)
	x := uint32(sid)<<16 ^ seq*2654435761 ^ 0x5bd1e995
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return b
}

// Verifier checks the messages of one Plan as they arrive. It is safe for
// concurrent use.
type Verifier struct {
	plan   *Plan
	mu     sync.Mutex
	index  map[uint16]int // stream -> position in Plan.Streams
	next   map[uint16]int // ordered: next per-stream sequence number
	seen   map[uint16]map[uint32]bool
	got    int
	bytes  int64
	err    error
	doneCh chan struct{}
}

// NewVerifier returns a Verifier for p.
func NewVerifier(p *Plan) *Verifier {
	v := &Verifier{plan: p, index: map[uint16]int{}, next: map[uint16]int{},
		seen: map[uint16]map[uint32]bool{}, doneCh: make(chan struct{})}
	for i, s := range p.Streams {
		v.index[s] = i
	}
	if p.N == 0 {
		close(v.doneCh)
	}
	return v
}

// Receive checks one received message. It returns (and remembers) the
// first problem.
func (v *Verifier) Receive(sid uint16, ppid uint32, unordered bool, data []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	err := v.check(sid, ppid, unordered, data)
	if err != nil && v.err == nil {
		v.err = err
		close(v.doneCh)
	}
	if err == nil {
		v.got++
		v.bytes += int64(len(data))
		if v.got == v.plan.N && v.err == nil {
			close(v.doneCh)
		}
	}
	return err
}

func (v *Verifier) check(sid uint16, ppid uint32, unordered bool, data []byte) error {
	k, ok := v.index[sid]
	if !ok {
		return fmt.Errorf("message of %d bytes on unexpected stream %d", len(data), sid)
	}
	if unordered != v.plan.Unordered {
		return fmt.Errorf("stream %d: unordered flag %v, sent %v", sid, unordered, v.plan.Unordered)
	}
	var seq int
	if v.plan.Unordered {
		s, q, err := conntest.ParseMessage(data)
		if err != nil {
			return fmt.Errorf("stream %d: %w", sid, err)
		}
		if s != sid {
			return fmt.Errorf("message of stream %d arrived on stream %d", s, sid)
		}
		if v.seen[sid] == nil {
			v.seen[sid] = map[uint32]bool{}
		}
		if v.seen[sid][q] {
			return fmt.Errorf("stream %d: message %d received twice", sid, q)
		}
		v.seen[sid][q] = true
		seq = int(q)
	} else {
		seq = v.next[sid]
		v.next[sid]++
	}
	i := seq*len(v.plan.Streams) + k
	if i >= v.plan.N {
		return fmt.Errorf("stream %d: unexpected message %d (%d bytes)", sid, seq, len(data))
	}
	wsid, wppid, want := v.plan.Message(i)
	if wsid != sid {
		return fmt.Errorf("internal: message %d is for stream %d", i, wsid)
	}
	if len(data) != len(want) {
		return fmt.Errorf("stream %d message %d: %d bytes, sent %d", sid, seq, len(data), len(want))
	}
	if string(data) != string(want) {
		for j := range data {
			if data[j] != want[j] {
				return fmt.Errorf("stream %d message %d (%d bytes): differs at byte %d (out of order or corrupt)", sid, seq, len(data), j)
			}
		}
	}
	if ppid != wppid {
		return fmt.Errorf("stream %d message %d: PPID %d, sent %d", sid, seq, ppid, wppid)
	}
	return nil
}

// Done is closed once every message arrived or a problem was found.
func (v *Verifier) Done() <-chan struct{} { return v.doneCh }

// Err returns the first problem, or an error saying how many messages are
// missing, or nil when all arrived intact.
func (v *Verifier) Err() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.err != nil {
		return v.err
	}
	if v.got < v.plan.N {
		return fmt.Errorf("%w: %d of %d messages received", ErrMissing, v.got, v.plan.N)
	}
	return nil
}

// ErrMissing is wrapped by Err when messages have not arrived (yet).
var ErrMissing = errors.New("traffic: messages missing")

// Received returns the messages and bytes received intact.
func (v *Verifier) Received() (msgs int, bytes int64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.got, v.bytes
}
