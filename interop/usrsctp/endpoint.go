package usrsctp

/*
#include "shim.h"
*/
import "C"

import (
	"net"
	"sync"
	"unsafe"

	"github.com/sconnlab/sconn/interop/pipe"
)

// Endpoint is one AF_CONN address registered with usrsctp: a handle, the
// function that carries its outbound packets, and Input for its inbound
// ones. Create sockets on it with Socket.
type Endpoint struct {
	h uintptr

	mu  sync.RWMutex
	out func(pkt []byte)
	// write, when set (Attach to a pipe), takes borrowed packets: it copies
	// them into the link's recycled buffers, so conn_output allocates
	// nothing.
	write  func(pkt []byte)
	closed bool
	conn   net.Conn
	pumped chan struct{}
}

// NewEndpoint registers a new address with usrsctp (starting usrsctp if
// this is the first use in the process).
func NewEndpoint() *Endpoint {
	ensureInit()
	e := &Endpoint{h: newID()}
	endpoints.Store(e.h, e)
	C.sconn_register(C.uintptr_t(e.h))
	return e
}

// Handle returns the opaque AF_CONN address of the endpoint.
func (e *Endpoint) Handle() uintptr { return e.h }

// SetOutput sets the function that receives every packet usrsctp sends
// from this endpoint. The function owns pkt. It runs inside usrsctp's
// conn_output, on a usrsctp or caller thread with usrsctp locks held: it
// must not block and must not call into usrsctp (queue the packet instead).
func (e *Endpoint) SetOutput(out func(pkt []byte)) {
	e.mu.Lock()
	e.out, e.write = out, nil
	e.mu.Unlock()
}

// output hands a packet that usrsctp owns (valid only during the call) to
// the endpoint's link.
func (e *Endpoint) output(pkt []byte) {
	e.mu.RLock()
	out, write := e.out, e.write
	e.mu.RUnlock()
	switch {
	case write != nil:
		write(pkt)
	case out != nil:
		out(append([]byte(nil), pkt...))
	}
}

// Input hands one inbound SCTP packet (common header onwards) to usrsctp
// (usrsctp_conninput), which copies it. It may run usrsctp's receive
// callbacks on the calling goroutine. Never call it from an output function
// or a callback.
func (e *Endpoint) Input(pkt []byte) {
	if len(pkt) == 0 {
		return
	}
	e.mu.RLock()
	closed := e.closed
	e.mu.RUnlock()
	if closed {
		return
	}
	teardownMu.RLock()
	C.sconn_conninput(C.uintptr_t(e.h), unsafe.Pointer(&pkt[0]), C.size_t(len(pkt)))
	teardownMu.RUnlock()
}

// ownedConn is implemented by *pipe.Conn: inbound packets move without a
// copy, a batch at a time, and their buffers are recycled.
type ownedConn interface {
	ReadBatch(dst [][]byte, max int) ([][]byte, error)
	ReleaseBatch(ps [][]byte)
}

// Attach connects the endpoint to a datagram connection: every outbound
// packet is written to c, and one goroutine reads c and feeds each packet
// to Input until c fails (for instance, is closed). Writes to c must not
// block (a pipe.Conn never does).
func (e *Endpoint) Attach(c net.Conn) {
	oc, owned := c.(ownedConn)
	done := make(chan struct{})
	e.mu.Lock()
	e.out = nil
	e.write = func(pkt []byte) { _, _ = c.Write(pkt) } // copies, never blocks
	e.conn, e.pumped = c, done
	e.mu.Unlock()
	go func() {
		defer close(done)
		if owned {
			batch := make([][]byte, 0, 64)
			for {
				var err error
				if batch, err = oc.ReadBatch(batch[:0], 64); err != nil {
					return
				}
				for _, pkt := range batch {
					e.Input(pkt)
				}
				oc.ReleaseBatch(batch)
			}
		}
		buf := make([]byte, 64<<10)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			e.Input(buf[:n])
		}
	}()
}

// Close deregisters the address (usrsctp_deregister_address), closes the
// attached connection and waits for its reader to stop. Close the sockets
// first. Close is idempotent.
func (e *Endpoint) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	e.out, e.write = nil, nil
	c, done := e.conn, e.pumped
	e.mu.Unlock()
	var err error
	if c != nil {
		err = c.Close()
		<-done
	}
	C.sconn_deregister(C.uintptr_t(e.h))
	endpoints.Delete(e.h)
	return err
}

// Link is two endpoints joined by an in-memory pipe: the packets of A go
// to B's Input and those of B to A's, in order, each direction fed by its
// own goroutine. Hooks in the pipe options drop or capture packets.
type Link struct {
	A, B         *Endpoint
	ConnA, ConnB *pipe.Conn // the pipe ends A and B write to
}

// NewLink returns two new endpoints joined by a pipe made with opts
// (opts.AtoB sees the packets of A, opts.BtoA those of B).
func NewLink(opts pipe.Options) *Link {
	ca, cb := pipe.New(opts)
	l := &Link{A: NewEndpoint(), B: NewEndpoint(), ConnA: ca, ConnB: cb}
	l.A.Attach(ca)
	l.B.Attach(cb)
	return l
}

// Close closes both endpoints (close the sockets first).
func (l *Link) Close() error {
	err := l.A.Close()
	if err2 := l.B.Close(); err == nil {
		err = err2
	}
	return err
}
