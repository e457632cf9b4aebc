package wire

// Builder assembles one packet into a caller buffer with a size limit (the
// path MTU minus the IP and UDP/DTLS overhead, as the caller counts it).
//
//	var bld wire.Builder
//	bld.Reset(buf[:0], hdr, 1200)
//	bld.Add(&sack)
//	for bld.Fits(data.EncodedLen()) { bld.Add(&data) … }
//	pkt := bld.Finish(false)
//
// Builder does not allocate when buf has capacity for the packet.
type Builder struct {
	buf    []byte
	start  int
	max    int
	chunks int
}

// Reset starts a new packet with header h at the end of buf (normally
// buf[:0]), limited to max bytes (0 means no limit).
func (b *Builder) Reset(buf []byte, h Header, max int) {
	b.start = len(buf)
	b.buf = AppendHeader(buf, h)
	b.max = max
	b.chunks = 0
}

// Len returns the length of the packet so far.
func (b *Builder) Len() int { return len(b.buf) - b.start }

// NumChunks returns the number of chunks added.
func (b *Builder) NumChunks() int { return b.chunks }

// Room returns how many more bytes fit under the limit.
func (b *Builder) Room() int {
	if b.max == 0 {
		return 1<<31 - 1
	}
	return b.max - b.Len()
}

// Fits reports whether n more bytes fit under the limit.
func (b *Builder) Fits(n int) bool { return n <= b.Room() }

// Add appends a chunk. It does not check the limit: use Fits first. A chunk
// larger than the limit can still be sent alone (for example an INIT ACK with
// a big cookie): the caller decides.
func (b *Builder) Add(c Encoder) {
	b.buf = c.Append(b.buf)
	b.chunks++
}

// AddRaw appends pre-encoded chunk bytes (already padded).
func (b *Builder) AddRaw(chunk []byte) {
	b.buf = append(b.buf, chunk...)
	b.chunks++
}

// Finish fills the checksum (or zero, RFC 9653) and returns the packet,
// which starts where Reset started it.
func (b *Builder) Finish(zeroChecksum bool) []byte {
	return FinishPacket(b.buf[b.start:], zeroChecksum)
}

// Bytes returns the whole buffer including anything before the packet.
func (b *Builder) Bytes() []byte { return b.buf }
