package conntest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"sort"
	"sync"
)

// MessageHeaderLen is the size of the header Message writes.
const MessageHeaderLen = 16

var messageMagic = [2]byte{'c', 't'}

// Message returns a test message of size bytes (at least MessageHeaderLen)
// for stream, with sequence number seq: a header (magic, stream, seq, size,
// CRC-32 of the rest) and filler derived from stream and seq, so that a
// Checker can detect loss, duplication, reordering, truncation and
// corruption.
func Message(stream uint16, seq uint32, size int) []byte {
	size = max(size, MessageHeaderLen)
	b := make([]byte, size)
	copy(b, messageMagic[:])
	binary.BigEndian.PutUint16(b[2:], stream)
	binary.BigEndian.PutUint32(b[4:], seq)
	binary.BigEndian.PutUint32(b[8:], uint32(size))
	x := uint32(stream)<<16 ^ seq*2654435761
	for i := MessageHeaderLen; i < size; i++ {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	binary.BigEndian.PutUint32(b[12:], crc32.ChecksumIEEE(b[MessageHeaderLen:]))
	return b
}

// ParseMessage returns the stream and sequence number of a Message, or an
// error if b is not one or is damaged.
func ParseMessage(b []byte) (stream uint16, seq uint32, err error) {
	if len(b) < MessageHeaderLen || b[0] != messageMagic[0] || b[1] != messageMagic[1] {
		return 0, 0, errors.New("conntest: not a test message")
	}
	stream, seq = binary.BigEndian.Uint16(b[2:]), binary.BigEndian.Uint32(b[4:])
	if n := binary.BigEndian.Uint32(b[8:]); int(n) != len(b) {
		return stream, seq, fmt.Errorf("conntest: message %d/%d has %d bytes, sent %d", stream, seq, len(b), n)
	}
	if crc32.ChecksumIEEE(b[MessageHeaderLen:]) != binary.BigEndian.Uint32(b[12:]) {
		return stream, seq, fmt.Errorf("conntest: message %d/%d is corrupt", stream, seq)
	}
	return stream, seq, nil
}

// Checker verifies that the Messages sent on each stream arrive exactly
// once, intact, and, on ordered streams, in order. It is safe for
// concurrent use.
type Checker struct {
	mu     sync.Mutex
	want   map[uint16]expectation
	next   map[uint16]uint32
	seen   map[uint16]map[uint32]struct{}
	total  int
	expect int
	err    error
}

type expectation struct {
	count   int
	ordered bool
}

// NewChecker returns an empty Checker.
func NewChecker() *Checker {
	return &Checker{want: map[uint16]expectation{}, next: map[uint16]uint32{},
		seen: map[uint16]map[uint32]struct{}{}}
}

// Expect declares that count messages, numbered from 0, are sent on
// stream, in order when ordered.
func (c *Checker) Expect(stream uint16, count int, ordered bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expect += count - c.want[stream].count
	c.want[stream] = expectation{count, ordered}
}

// Receive checks one message received on stream. It returns (and
// remembers, see Err) the first problem: a damaged message, one on the
// wrong stream, a duplicate, one out of order on an ordered stream, or one
// that was not expected.
func (c *Checker) Receive(stream uint16, b []byte) error {
	s, seq, err := ParseMessage(b)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil {
		err = c.checkLocked(stream, s, seq)
	}
	if err != nil && c.err == nil {
		c.err = err
	}
	return err
}

func (c *Checker) checkLocked(stream, s uint16, seq uint32) error {
	if s != stream {
		return fmt.Errorf("conntest: message %d/%d arrived on stream %d", s, seq, stream)
	}
	w, ok := c.want[s]
	if !ok || int(seq) >= w.count {
		return fmt.Errorf("conntest: unexpected message %d/%d", s, seq)
	}
	m := c.seen[s]
	if m == nil {
		m = map[uint32]struct{}{}
		c.seen[s] = m
	}
	if _, dup := m[seq]; dup {
		return fmt.Errorf("conntest: message %d/%d arrived twice", s, seq)
	}
	if w.ordered && seq != c.next[s] {
		return fmt.Errorf("conntest: message %d/%d arrived before %d/%d on an ordered stream", s, seq, s, c.next[s])
	}
	m[seq] = struct{}{}
	c.next[s] = seq + 1
	c.total++
	return nil
}

// Received returns the number of good messages received.
func (c *Checker) Received() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// Done reports whether every expected message arrived (or a problem was
// found: check Err).
func (c *Checker) Done() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err != nil || c.total >= c.expect
}

// Err returns the first problem Receive found.
func (c *Checker) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Check returns the first problem, or an error listing the streams with
// messages still missing, or nil when everything arrived exactly once.
func (c *Checker) Check() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	var missing []string
	streams := make([]int, 0, len(c.want))
	for s := range c.want {
		streams = append(streams, int(s))
	}
	sort.Ints(streams)
	for _, s := range streams {
		if got, w := len(c.seen[uint16(s)]), c.want[uint16(s)].count; got < w {
			missing = append(missing, fmt.Sprintf("stream %d: %d of %d", s, got, w))
		}
	}
	if missing != nil {
		return fmt.Errorf("conntest: messages missing: %v", missing)
	}
	return nil
}
