package conntest

import (
	"math/rand/v2"
	"sync"
	"time"
)

// LinkConfig sets the impairments of one direction of a link. The zero
// value is a perfect link: no loss, no delay, no limit.
type LinkConfig struct {
	// Loss is the probability (0 to 1) that a packet is lost.
	Loss float64
	// Delay is the one-way propagation delay.
	Delay time.Duration
	// Jitter adds a random delay in [0, Jitter) to each packet. Packets
	// still arrive in order, unless Reorder picks them.
	Jitter time.Duration
	// Reorder is the probability that a packet is held back by
	// ReorderDelay, so that the packets behind it overtake it.
	Reorder float64
	// ReorderDelay is the hold-back of a reordered packet (0: Delay+Jitter,
	// at least 5 ms).
	ReorderDelay time.Duration
	// Duplicate is the probability that a packet is delivered twice.
	Duplicate float64
	// Corrupt is the probability that a packet arrives with one byte
	// changed (a bit error the CRC32c catches).
	Corrupt float64
	// Bandwidth limits the link in bits per second (0: unlimited): a packet
	// waits until the ones before it are serialised.
	Bandwidth int64
	// QueueLimit is the bytes a bandwidth-limited link queues before it
	// drops (tail drop); 0 means 64 KiB.
	QueueLimit int
	// Drop, when set, is asked first about every packet (with its index on
	// the link, from 0) and drops it when it returns true: deterministic
	// losses such as "the third packet".
	Drop func(index int, pkt []byte) bool
}

// LinkStats counts what a link did.
type LinkStats struct {
	Sent       uint64 // packets offered to the link
	Delivered  uint64 // packets delivered (duplicates included)
	Bytes      uint64 // bytes delivered
	Lost       uint64 // random losses (Loss)
	Dropped    uint64 // drops by LinkConfig.Drop
	QueueDrops uint64 // tail drops of the bandwidth limit
	Reordered  uint64 // packets held back (Reorder)
	Duplicated uint64 // packets delivered twice (Duplicate)
	Corrupted  uint64 // packets delivered with a changed byte (Corrupt)
}

// Link is one direction of a connection between two endpoints.
type Link struct {
	name string
	net  *Network
	recv func([]byte)

	mu       sync.Mutex
	cfg      LinkConfig
	rnd      *rand.Rand
	busy     time.Time // when the bandwidth limit has serialised the queue
	last     time.Time // the latest in-order delivery time
	index    int
	stats    LinkStats
	disabled bool
}

// Name returns the link's name, e.g. "A→B".
func (l *Link) Name() string { return l.name }

// Config returns the link's impairments.
func (l *Link) Config() LinkConfig {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cfg
}

// SetConfig changes the link's impairments for the packets sent from now
// on.
func (l *Link) SetConfig(c LinkConfig) {
	l.mu.Lock()
	l.cfg = c
	l.mu.Unlock()
}

// SetDown cuts the link (down true: every packet is lost, counted in
// Lost) or restores it.
func (l *Link) SetDown(down bool) {
	l.mu.Lock()
	l.disabled = down
	l.mu.Unlock()
}

// Stats returns the link's counters.
func (l *Link) Stats() LinkStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stats
}

// send offers a packet to the link: it is copied and delivered (or not)
// according to the impairments.
func (l *Link) send(pkt []byte) {
	now := l.net.Now()
	l.mu.Lock()
	c := &l.cfg
	idx := l.index
	l.index++
	l.stats.Sent++
	switch {
	case c.Drop != nil && c.Drop(idx, pkt):
		l.stats.Dropped++
		l.mu.Unlock()
		return
	case l.disabled || (c.Loss > 0 && l.rnd.Float64() < c.Loss):
		l.stats.Lost++
		l.mu.Unlock()
		return
	}
	at := now
	if c.Bandwidth > 0 {
		start := l.busy
		if start.Before(now) {
			start = now
		}
		limit := c.QueueLimit
		if limit <= 0 {
			limit = 64 << 10
		}
		if queued := int64(start.Sub(now)) * c.Bandwidth / 8 / int64(time.Second); queued+int64(len(pkt)) > int64(limit) {
			l.stats.QueueDrops++
			l.mu.Unlock()
			return
		}
		l.busy = start.Add(time.Duration(int64(len(pkt)) * 8 * int64(time.Second) / c.Bandwidth))
		at = l.busy
	}
	at = at.Add(c.Delay)
	if c.Jitter > 0 {
		at = at.Add(time.Duration(l.rnd.Int64N(int64(c.Jitter))))
	}
	if at.Before(l.last) {
		at = l.last // jitter alone does not reorder
	}
	l.last = at
	if c.Reorder > 0 && l.rnd.Float64() < c.Reorder {
		hold := c.ReorderDelay
		if hold <= 0 {
			hold = max(c.Delay+c.Jitter, 5*time.Millisecond)
		}
		at = at.Add(hold)
		l.stats.Reordered++
	}
	dup := c.Duplicate > 0 && l.rnd.Float64() < c.Duplicate
	if dup {
		l.stats.Duplicated++
	}
	b := append([]byte(nil), pkt...)
	if c.Corrupt > 0 && len(b) > 0 && l.rnd.Float64() < c.Corrupt {
		b[l.rnd.IntN(len(b))] ^= byte(1 + l.rnd.IntN(255))
		l.stats.Corrupted++
	}
	l.mu.Unlock()
	l.net.sched.at(at, func() { l.deliver(b) })
	if dup {
		l.net.sched.at(at.Add(time.Microsecond), func() { l.deliver(b) })
	}
}

func (l *Link) deliver(b []byte) {
	l.mu.Lock()
	l.stats.Delivered++
	l.stats.Bytes += uint64(len(b))
	l.mu.Unlock()
	l.recv(b)
}
