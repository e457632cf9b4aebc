package conntest

import (
	"net"
	"sync/atomic"
	"time"

	"github.com/pion/transport/v3/packetio"
)

// pipeBufferSize bounds the packets waiting to be read at one end.
const pipeBufferSize = 4 << 20

// PipeConn is one end of a Pipe: a datagram net.Conn (each Write is one
// packet, each Read returns one packet, like a DTLS connection) whose
// packets cross a Link with impairments. Inbound packets wait in a pion
// packetio.Buffer until read.
type PipeConn struct {
	in     *packetio.Buffer
	out    *Link
	local  pipeAddr
	remote pipeAddr
	closed atomic.Bool
}

// pipeAddr names a pipe end.
type pipeAddr string

func (a pipeAddr) Network() string { return "conntest" }
func (a pipeAddr) String() string  { return string(a) }

// Pipe returns two connected datagram net.Conns: what c1 writes crosses a
// link with impairments ab and is read by c2, and back through ba. On a
// virtual network packets move only when the network is advanced.
func (n *Network) Pipe(ab, ba LinkConfig) (c1, c2 *PipeConn) {
	c1 = &PipeConn{in: packetio.NewBuffer(), local: "pipe-1", remote: "pipe-2"}
	c2 = &PipeConn{in: packetio.NewBuffer(), local: "pipe-2", remote: "pipe-1"}
	for _, c := range []*PipeConn{c1, c2} {
		c.in.SetLimitSize(pipeBufferSize)
	}
	c1.out = n.newLink("pipe-1→pipe-2", ab, func(p []byte) { _, _ = c2.in.Write(p) })
	c2.out = n.newLink("pipe-2→pipe-1", ba, func(p []byte) { _, _ = c1.in.Write(p) })
	return c1, c2
}

// Link returns the link this end writes to.
func (c *PipeConn) Link() *Link { return c.out }

// Read reads one packet (io.ErrShortBuffer if b is too small for it).
func (c *PipeConn) Read(b []byte) (int, error) { return c.in.Read(b) }

// Write sends b as one packet. It never blocks: the link may lose it.
func (c *PipeConn) Write(b []byte) (int, error) {
	if c.closed.Load() {
		return 0, net.ErrClosed
	}
	c.out.send(b)
	return len(b), nil
}

// Close closes this end: Read returns io.EOF once the buffered packets are
// read, Write fails. The other end is not told (as with UDP).
func (c *PipeConn) Close() error {
	c.closed.Store(true)
	return c.in.Close()
}

// LocalAddr returns this end's name.
func (c *PipeConn) LocalAddr() net.Addr { return c.local }

// RemoteAddr returns the other end's name.
func (c *PipeConn) RemoteAddr() net.Addr { return c.remote }

// SetDeadline sets the read deadline (writes never block).
func (c *PipeConn) SetDeadline(t time.Time) error { return c.in.SetReadDeadline(t) }

// SetReadDeadline bounds Read, on the wall clock.
func (c *PipeConn) SetReadDeadline(t time.Time) error { return c.in.SetReadDeadline(t) }

// SetWriteDeadline does nothing: writes never block.
func (c *PipeConn) SetWriteDeadline(time.Time) error { return nil }

var _ net.Conn = (*PipeConn)(nil)
