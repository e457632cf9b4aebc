package sconn

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"

	"github.com/sconnlab/sconn/conn"
)

// netConnHandle is the handle of the one transport of a private stack.
const netConnHandle conn.Handle = 1

// writeQueueLen bounds the packets waiting to be written to a net.Conn;
// beyond it packets are dropped (SCTP retransmits them).
const writeQueueLen = 512

// Client starts an association over nc and waits until it is up. nc must
// carry one SCTP packet per Write and per Read, as a DTLS connection does;
// the association owns it and its Close closes it. The association gets its
// own stack.
func Client(ctx context.Context, nc net.Conn, cfg *Config) (*Association, error) {
	t, err := newPacketTransport(nc, cfg)
	if err != nil {
		return nil, err
	}
	t.start()
	a, err := Dial(ctx, t.st, netConnHandle, cfg)
	if err != nil {
		t.close()
		return nil, err
	}
	a.owner = t
	return a, nil
}

// Server waits for the peer at the other end of nc to start an association
// (see Client).
func Server(ctx context.Context, nc net.Conn, cfg *Config) (*Association, error) {
	t, err := newPacketTransport(nc, cfg)
	if err != nil {
		return nil, err
	}
	l, err := Listen(t.st, netConnHandle, cfg)
	if err != nil {
		t.close()
		return nil, err
	}
	t.start()
	a, err := l.Accept(ctx)
	l.Close()
	if err != nil {
		t.close()
		return nil, err
	}
	a.owner = t
	return a, nil
}

// packetTransport joins a private stack to a packet-oriented net.Conn: one
// goroutine reads nc into the stack, one writes the stack's packets, so a
// slow or synchronous Write (net.Pipe) never blocks the stack.
type packetTransport struct {
	nc      net.Conn
	st      *conn.Stack
	out     chan []byte
	quit    chan struct{}
	wg      sync.WaitGroup // readLoop
	wdone   chan struct{}  // writeLoop ended
	once    sync.Once
	started bool
	// dropped counts packets the write queue had no room for.
	dropped atomic.Uint64
}

func newPacketTransport(nc net.Conn, cfg *Config) (*packetTransport, error) {
	c := cfg.withDefaults()
	t := &packetTransport{nc: nc, out: make(chan []byte, writeQueueLen), quit: make(chan struct{}), wdone: make(chan struct{})}
	sc := conn.Config{LoggerFactory: c.LoggerFactory}
	if c.Stack != nil {
		c.Stack(&sc)
	}
	sc.Output = t.output
	st, err := conn.NewStack(sc)
	if err != nil {
		return nil, err
	}
	if err := st.RegisterAddress(netConnHandle); err != nil {
		st.Close()
		return nil, err
	}
	t.st = st
	return t, nil
}

// start starts the goroutines (after the listener is up, so that an early
// INIT is not answered with an ABORT).
func (t *packetTransport) start() {
	t.started = true
	t.wg.Add(1)
	go t.readLoop()
	go t.writeLoop()
}

func (t *packetTransport) output(h conn.Handle, pkt []byte, tos uint8, df bool) error {
	select {
	case <-t.quit:
		return net.ErrClosed
	default:
	}
	select {
	case t.out <- append([]byte(nil), pkt...):
		return nil
	default:
		t.dropped.Add(1)
		return errors.New("sconn: write queue full")
	}
}

func (t *packetTransport) readLoop() {
	defer t.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, err := t.nc.Read(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				select {
				case <-t.quit:
					return
				default:
					continue
				}
			}
			// The transport is gone: end the association now rather
			// than after its retransmissions time out.
			go t.close()
			return
		}
		_ = t.st.ConnInput(netConnHandle, buf[:n], 0)
	}
}

func (t *packetTransport) writeLoop() {
	defer close(t.wdone)
	for {
		select {
		case p := <-t.out:
			if _, err := t.nc.Write(p); err != nil {
				continue
			}
		case <-t.quit:
			for { // the last packets, such as an ABORT
				select {
				case p := <-t.out:
					_, _ = t.nc.Write(p)
				default:
					return
				}
			}
		}
	}
}

// close closes the stack (aborting what remains) and the net.Conn, and
// waits for the goroutines.
func (t *packetTransport) close() error {
	var err error
	t.once.Do(func() {
		t.st.Close()
		close(t.quit)
		if t.started {
			<-t.wdone
		}
		err = t.nc.Close()
		t.wg.Wait()
	})
	return err
}
