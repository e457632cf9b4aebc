// Package pipe is an in-memory datagram link for SCTP peers in one process.
//
// New returns the two ends of a link. Each end is a net.Conn that keeps
// packet boundaries: one Write is one packet, one Read returns one packet
// (truncated, like UDP, if the buffer is short). Nothing is reordered and
// nothing is lost unless a Hook says so or a queue overflows, which is
// counted. Writes never block, so a stack may write from inside a callback
// that holds its own locks (usrsctp's conn_output does).
//
// Both ends are safe for concurrent use. The link adds no goroutines: a
// Write appends to the peer's queue and wakes a reader blocked in Read.
//
// Packet buffers are recycled: Write copies into a buffer from the link's
// free list, and Read (which copies out) or Release (after ReadPacket)
// returns it, so a steady flow of packets allocates nothing; benchmarks
// then count the stacks' allocations, not the link's.
package pipe

import (
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Hook sees every packet written into one direction of the link before it
// is queued. It returns false to drop the packet (loss) and may record it
// (capture); it must not keep pkt after returning and must not block. It
// runs on the writer's goroutine or thread, which may be inside a stack's
// callback: it must not call back into that stack.
type Hook func(pkt []byte) (deliver bool)

// Options configures a link. The zero value is a lossless link with the
// default queue limit.
type Options struct {
	// AtoB and BtoA, when set, see every packet of that direction.
	AtoB, BtoA Hook
	// MaxQueueBytes bounds the bytes waiting in each direction; a packet
	// that would exceed it is dropped and counted as an overflow, as a
	// router queue would. Zero means DefaultMaxQueueBytes.
	MaxQueueBytes int
}

// DefaultMaxQueueBytes is the per-direction queue limit when
// Options.MaxQueueBytes is zero.
const DefaultMaxQueueBytes = 32 << 20

// Stats counts the packets written by one end of a link.
type Stats struct {
	Packets  uint64 // packets written (before hooks)
	Bytes    uint64 // bytes written (before hooks)
	Dropped  uint64 // packets a Hook dropped
	Overflow uint64 // packets dropped because the peer's queue was full
}

// Addr is the net.Addr of a pipe end.
type Addr string

// Network returns "pipe".
func (Addr) Network() string { return "pipe" }

// String returns the name of the end, "a" or "b".
func (a Addr) String() string { return string(a) }

// Conn is one end of a link. Write sends a packet to the other end, Read
// receives one from it.
type Conn struct {
	name, peerName Addr
	peer           *Conn
	hook           Hook
	max            int

	// mu guards the packets waiting to be read at this end and the free
	// buffers of that direction: a writer takes a buffer, copies and
	// queues in one critical section, and a reader gives a whole batch
	// back in one, so the two sides meet on one lock once per packet
	// (writer) and once per batch (reader).
	mu       sync.Mutex
	q        [][]byte // ring buffer of packets waiting to be read
	head, n  int
	qBytes   int
	free     [][]byte    // recycled buffers of packets written to this end
	waiting  bool        // a reader is blocked: the next push wakes it
	closed   bool        // (mu)
	isClosed atomic.Bool // closed, read without the lock by writers
	deadline time.Time
	notify   chan struct{} // capacity 1: "the queue may have changed"
	done     chan struct{} // closed by Close

	packets, bytes, dropped, overflow atomic.Uint64

	// wmu guards cache: free buffers this end's writers took from the
	// peer's free list in a batch, so a write copies outside the peer's
	// lock.
	wmu   sync.Mutex
	cache [][]byte
}

// cacheBatch is how many free buffers a writer takes from the peer at once.
const cacheBatch = 32

// Buffers up to poolBufSize bytes are recycled, at most poolMax of them
// per direction.
const (
	poolBufSize = 2048
	poolMax     = 4096
)

// putBuf recycles b. Called with c.mu held.
func (c *Conn) putBuf(b []byte) {
	if cap(b) == poolBufSize && len(c.free) < poolMax {
		c.free = append(c.free, b[:0])
	}
}

// New returns the two ends of a new link.
func New(opts Options) (a, b *Conn) {
	max := opts.MaxQueueBytes
	if max <= 0 {
		max = DefaultMaxQueueBytes
	}
	a = &Conn{name: "a", peerName: "b", hook: opts.AtoB, max: max, notify: make(chan struct{}, 1), done: make(chan struct{})}
	b = &Conn{name: "b", peerName: "a", hook: opts.BtoA, max: max, notify: make(chan struct{}, 1), done: make(chan struct{})}
	a.peer, b.peer = b, a
	return a, b
}

// Write sends b as one packet. It copies b (into a recycled buffer),
// never blocks, and reports success even when the packet is dropped, as a
// datagram socket does. It fails only after Close.
func (c *Conn) Write(b []byte) (int, error) {
	if c.isClosed.Load() {
		return 0, net.ErrClosed
	}
	p := c.getBuf(len(b))
	copy(p, b)
	if err := c.WriteOwned(p); err != nil {
		return 0, err
	}
	return len(b), nil
}

// getBuf returns a buffer of n bytes for a packet this end writes: from
// the writers' cache, refilled from the peer's free list a batch at a time.
func (c *Conn) getBuf(n int) []byte {
	if n > poolBufSize {
		return make([]byte, n)
	}
	c.wmu.Lock()
	if len(c.cache) == 0 {
		peer := c.peer
		peer.mu.Lock()
		k := min(len(peer.free), cacheBatch)
		c.cache = append(c.cache, peer.free[len(peer.free)-k:]...)
		clear(peer.free[len(peer.free)-k:])
		peer.free = peer.free[:len(peer.free)-k]
		peer.mu.Unlock()
	}
	var b []byte
	if k := len(c.cache); k > 0 {
		b = c.cache[k-1][:n]
		c.cache[k-1] = nil
		c.cache = c.cache[:k-1]
	}
	c.wmu.Unlock()
	if b == nil {
		b = make([]byte, n, poolBufSize)
	}
	return b
}

// WriteOwned is Write without the copy: the link takes ownership of p,
// which the caller must not touch again.
func (c *Conn) WriteOwned(p []byte) error {
	if c.isClosed.Load() {
		return net.ErrClosed
	}
	c.packets.Add(1)
	c.bytes.Add(uint64(len(p)))
	if c.hook != nil && !c.hook(p) {
		c.dropped.Add(1)
		c.peer.Release(p)
		return nil
	}
	peer := c.peer
	peer.mu.Lock()
	if peer.closed {
		peer.mu.Unlock()
		return nil
	}
	if peer.qBytes+len(p) > peer.max {
		peer.putBuf(p)
		peer.mu.Unlock()
		c.overflow.Add(1)
		return nil
	}
	wake := peer.enqueue(p)
	peer.mu.Unlock()
	if wake {
		peer.wake()
	}
	return nil
}

// enqueue queues p for reading at c and reports whether a blocked reader
// must be woken. Called with c.mu held.
func (c *Conn) enqueue(p []byte) (wake bool) {
	if c.n == len(c.q) {
		c.grow()
	}
	c.q[(c.head+c.n)%len(c.q)] = p
	c.n++
	c.qBytes += len(p)
	wake, c.waiting = c.waiting, false
	return wake
}

// wake signals a blocked reader (or a deadline change).
func (c *Conn) wake() {
	select {
	case c.notify <- struct{}{}:
	default:
	}
}

func (c *Conn) grow() {
	size := 2 * len(c.q)
	if size == 0 {
		size = 16
	}
	q := make([][]byte, size)
	for i := 0; i < c.n; i++ {
		q[i] = c.q[(c.head+i)%len(c.q)]
	}
	c.q, c.head = q, 0
}

// ReadPacket returns the next packet, blocking until one arrives, the read
// deadline passes (os.ErrDeadlineExceeded) or the end is closed
// (net.ErrClosed). The caller owns the returned slice; it may give it back
// with Release once done with it.
func (c *Conn) ReadPacket() ([]byte, error) {
	var one [1][]byte
	got, err := c.ReadBatch(one[:0], 1)
	if err != nil {
		return nil, err
	}
	return got[0], nil
}

// ReadBatch appends to dst up to max of the packets waiting at this end
// (all of them if max <= 0), taken under one lock, and returns the
// extended slice. It blocks until at least one packet is there, the read
// deadline passes (os.ErrDeadlineExceeded) or the end is closed
// (net.ErrClosed). The caller owns the packets; ReleaseBatch gives them
// back. A host reads like this with recvmmsg.
func (c *Conn) ReadBatch(dst [][]byte, max int) ([][]byte, error) {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return dst, net.ErrClosed
		}
		if c.n > 0 {
			k := c.n
			if max > 0 && k > max {
				k = max
			}
			for i := 0; i < k; i++ {
				p := c.q[c.head]
				c.q[c.head] = nil
				c.head = (c.head + 1) % len(c.q)
				c.qBytes -= len(p)
				dst = append(dst, p)
			}
			c.n -= k
			c.mu.Unlock()
			return dst, nil
		}
		c.waiting = true
		dl := c.deadline
		c.mu.Unlock()
		var expired <-chan time.Time
		if !dl.IsZero() {
			d := time.Until(dl)
			if d <= 0 {
				return dst, os.ErrDeadlineExceeded
			}
			if timer == nil {
				timer = time.NewTimer(d)
			} else {
				timer.Reset(d)
			}
			expired = timer.C
		}
		select {
		case <-c.notify:
		case <-c.done:
		case <-expired:
		}
	}
}

// Release gives back a packet returned by ReadPacket or ReadBatch for
// reuse; the caller must not touch p afterwards.
func (c *Conn) Release(p []byte) {
	c.mu.Lock()
	c.putBuf(p)
	c.mu.Unlock()
}

// ReleaseBatch gives back the packets of a ReadBatch under one lock and
// clears ps; the caller must not touch them afterwards.
func (c *Conn) ReleaseBatch(ps [][]byte) {
	c.mu.Lock()
	for i, p := range ps {
		c.putBuf(p)
		ps[i] = nil
	}
	c.mu.Unlock()
}

// Read copies the next packet into b and returns its length; a packet
// longer than b is truncated, as with UDP.
func (c *Conn) Read(b []byte) (int, error) {
	p, err := c.ReadPacket()
	if err != nil {
		return 0, err
	}
	n := copy(b, p)
	c.Release(p)
	return n, nil
}

// Close closes this end: blocked and later Reads and Writes fail with
// net.ErrClosed and packets sent to it are discarded. The other end stays
// open (its packets go nowhere), as with UDP. Close is idempotent.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	c.isClosed.Store(true)
	c.q, c.n, c.qBytes = nil, 0, 0
	close(c.done)
	return nil
}

// Stats returns the counters of the packets this end wrote.
func (c *Conn) Stats() Stats {
	return Stats{Packets: c.packets.Load(), Bytes: c.bytes.Load(), Dropped: c.dropped.Load(), Overflow: c.overflow.Load()}
}

// Queued returns the number of packets waiting to be read at this end.
func (c *Conn) Queued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// LocalAddr returns the name of this end.
func (c *Conn) LocalAddr() net.Addr { return c.name }

// RemoteAddr returns the name of the other end.
func (c *Conn) RemoteAddr() net.Addr { return c.peerName }

// SetDeadline sets the read deadline; writes never block.
func (c *Conn) SetDeadline(t time.Time) error { return c.SetReadDeadline(t) }

// SetReadDeadline makes blocked and later Reads fail with
// os.ErrDeadlineExceeded after t; the zero Time means no deadline.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	c.wake()
	return nil
}

// SetWriteDeadline does nothing: writes never block.
func (c *Conn) SetWriteDeadline(time.Time) error { return nil }
