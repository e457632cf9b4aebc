package tx

import "math/bits"

// Buffer size classes are powers of two from 64 B to 1 MiB; larger buffers
// are allocated to size and never kept.
const (
	minClassShift = 6
	maxClassShift = 20
	numClasses    = maxClassShift - minClassShift + 1
)

// minRetain is what the pool keeps even when nothing is buffered, so that a
// request/response exchange of small messages does not allocate, while an
// idle association holds little memory.
const minRetain = 4096

// bufferPool recycles message buffers by size class. It is owned by one
// Sender, so it needs no lock. The bytes it keeps are bounded by the
// caller's limit (at least minRetain): the Sender passes the bytes it had
// buffered when the last SACK arrived, so memory follows the load and an
// idle association keeps little.
type bufferPool struct {
	free     *[numClasses][][]byte // made on first put: idle associations stay small
	retained int                   // total capacity of the free buffers
}

func sizeClass(n int) int {
	if n <= 1<<minClassShift {
		return 0
	}
	return bits.Len(uint(n-1)) - minClassShift
}

// get returns an empty buffer with room for n bytes.
func (p *bufferPool) get(n int) []byte {
	c := sizeClass(n)
	if c >= numClasses {
		return make([]byte, 0, n)
	}
	if p.free == nil {
		return make([]byte, 0, 1<<(c+minClassShift))
	}
	if f := p.free[c]; len(f) > 0 {
		b := f[len(f)-1]
		f[len(f)-1] = nil
		p.free[c] = f[:len(f)-1]
		p.retained -= cap(b)
		return b[:0]
	}
	return make([]byte, 0, 1<<(c+minClassShift))
}

// put returns b to the pool, then trims the pool to limit bytes.
func (p *bufferPool) put(b []byte, limit int) {
	c := sizeClass(cap(b))
	if c >= numClasses || cap(b) != 1<<(c+minClassShift) {
		return
	}
	if p.free == nil {
		p.free = new([numClasses][][]byte)
	}
	p.free[c] = append(p.free[c], b[:0])
	p.retained += cap(b)
	p.trim(limit)
}

// trim drops free buffers, largest first, until at most limit bytes remain.
func (p *bufferPool) trim(limit int) {
	limit = max(limit, minRetain)
	if p.retained <= limit {
		return
	}
	for c := numClasses - 1; c >= 0 && p.retained > limit; c-- {
		f := p.free[c]
		for len(f) > 0 && p.retained > limit {
			p.retained -= cap(f[len(f)-1])
			f[len(f)-1] = nil
			f = f[:len(f)-1]
		}
		p.free[c] = f
	}
}
