package rx

import "math/bits"

// Payload buffers come from power-of-two size classes, 64 B to 64 KiB (a
// chunk is at most 64 KiB). Buffers return to the pool when the reader has
// copied them out, so a steady flow of messages allocates nothing. The
// pool keeps at most maxRetained bytes of free buffers.
const (
	minBufShift = 6
	maxBufShift = 16
	numBufClass = maxBufShift - minBufShift + 1
)

type bufPool struct {
	free        *[numBufClass][][]byte // made on first put: idle associations stay small
	retained    int
	maxRetained int
}

func bufClass(n int) int {
	if n <= 1<<minBufShift {
		return 0
	}
	return bits.Len(uint(n-1)) - minBufShift
}

// get returns a buffer of length n.
func (p *bufPool) get(n int) []byte {
	c := bufClass(n)
	if c >= numBufClass {
		return make([]byte, n) // larger than any chunk: not pooled
	}
	if p.free == nil {
		return make([]byte, n, 1<<(c+minBufShift))
	}
	if l := p.free[c]; len(l) > 0 {
		b := l[len(l)-1]
		l[len(l)-1] = nil
		p.free[c] = l[:len(l)-1]
		p.retained -= cap(b)
		return b[:n]
	}
	return make([]byte, n, 1<<(c+minBufShift))
}

// put returns b to the pool (or to the garbage collector when the pool is
// full or b is not one of its sizes).
func (p *bufPool) put(b []byte) {
	c := bufClass(cap(b))
	if c >= numBufClass || cap(b) != 1<<(c+minBufShift) || p.retained+cap(b) > p.maxRetained {
		return
	}
	if p.free == nil {
		p.free = new([numBufClass][][]byte)
	}
	p.free[c] = append(p.free[c], b[:0])
	p.retained += cap(b)
}

// reset drops every free buffer.
func (p *bufPool) reset() {
	if p.free == nil {
		return
	}
	for i := range p.free {
		clear(p.free[i])
		p.free[i] = p.free[i][:0]
	}
	p.retained = 0
}
