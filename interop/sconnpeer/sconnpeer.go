// Package sconnpeer runs sconn (package conn) in process over the
// in-memory datagram links the other reference peers use (package pipe, or
// any datagram net.Conn), so that sconn can be tested against usrsctp
// (package usrsctp) and pion/sctp (package pionpeer) and benchmarked with
// them.
//
// A Peer is one conn.Stack. Attach joins one of its handles to a link: the
// stack's Output for that handle writes to the link, and one goroutine per
// link reads it and calls ConnInput. Three timer modes are offered:
//
//   - TimersGoroutine: conn's own timer goroutine (usrsctp_init).
//   - TimersHostLoop: conn.TimersManual driven by a host loop of the Peer
//     on the wall clock, the way a single-threaded host would run it
//     (NextTimeout, one timer, HandleTimers); ConnInput kicks the loop.
//   - TimersManual: conn.TimersManual and nothing drives it; the caller
//     calls Stack.HandleTimers itself (virtual time with Config.Clock).
//
// Tap checks every packet on a link with package wire (checksum, layout,
// every chunk, parameter and cause) and counts chunks per type, so tests
// can assert what crossed the link (HEARTBEAT, SHUTDOWN, ABORT, TSNs…).
package sconnpeer

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/pion/logging"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/sysctl"
)

// TimerMode says who drives the timers of a Peer's stack.
type TimerMode int

const (
	// TimersGoroutine: conn.TimersGoroutine, the stack's own goroutine.
	TimersGoroutine TimerMode = iota
	// TimersHostLoop: conn.TimersManual on the wall clock, driven by one
	// goroutine of the Peer that sleeps until NextTimeout (at most
	// HostLoopTick) and calls HandleTimers; every ConnInput wakes it.
	TimersHostLoop
	// TimersManual: conn.TimersManual with nothing driving it: the caller
	// calls Stack.HandleTimers (Config.Clock may be virtual).
	TimersManual
)

// String returns "goroutine", "hostloop" or "manual".
func (m TimerMode) String() string {
	switch m {
	case TimersHostLoop:
		return "hostloop"
	case TimersManual:
		return "manual"
	}
	return "goroutine"
}

// HostLoopTick is the longest the host loop sleeps without looking at
// NextTimeout again: socket calls (SendV, Connect…) may bring the
// deadline forward without the loop knowing.
const HostLoopTick = 2 * time.Millisecond

// Config configures a Peer. The zero value is a stack with conn's timer
// goroutine, usrsctp's default sysctls and quiet loggers.
type Config struct {
	Timers TimerMode
	// Clock is the stack's clock in TimersManual mode (nil: the latest
	// HandleTimers time). TimersHostLoop always uses time.Now.
	Clock func() time.Time
	// Sysctl (zero: sysctl.Defaults()).
	Sysctl sysctl.Values
	// LoggerFactory (nil: pion's default logger at level error).
	LoggerFactory logging.LoggerFactory
	// Tracer sees every packet in and out (conn.Config.Tracer).
	Tracer conn.TracerFunc
	// Stack, when set, may change the conn.Config last (Rand…); Output,
	// Timers and Clock are the Peer's.
	Stack func(*conn.Config)
}

// QuietLoggers returns pion's default logger factory at level error.
func QuietLoggers() logging.LoggerFactory {
	f := logging.NewDefaultLoggerFactory()
	f.DefaultLogLevel = logging.LogLevelError
	return f
}

// Peer is a conn.Stack attached to in-memory links.
type Peer struct {
	Stack *conn.Stack
	mode  TimerMode

	mu     sync.RWMutex
	links  map[conn.Handle]*attachment
	closed bool

	kick     chan struct{}
	loopDone chan struct{}
	stop     chan struct{}
}

type attachment struct {
	c     net.Conn           // nil for AttachFunc
	fn    func([]byte) error // AttachFunc's output
	owned ownedConn          // c as a pipe.Conn, or nil
	done  chan struct{}
}

// ownedConn is implemented by *pipe.Conn: inbound packets move without a
// copy, a batch at a time, and their buffers are recycled (ConnInput does
// not keep them).
type ownedConn interface {
	ReadBatch(dst [][]byte, max int) ([][]byte, error)
	ReleaseBatch(ps [][]byte)
}

// readBatch is the most packets the reader takes from the link at once.
const readBatch = 64

// New returns a running Peer with no link.
func New(cfg Config) (*Peer, error) {
	p := &Peer{mode: cfg.Timers, links: map[conn.Handle]*attachment{},
		kick: make(chan struct{}, 1), stop: make(chan struct{})}
	cc := conn.Config{
		Output:        p.output,
		LoggerFactory: cfg.LoggerFactory,
		Sysctl:        cfg.Sysctl,
		Tracer:        cfg.Tracer,
	}
	if cc.LoggerFactory == nil {
		cc.LoggerFactory = QuietLoggers()
	}
	if cfg.Stack != nil {
		cfg.Stack(&cc)
	}
	cc.Output = p.output
	switch cfg.Timers {
	case TimersGoroutine:
		cc.Timers = conn.TimersGoroutine
	case TimersHostLoop:
		cc.Timers, cc.Clock = conn.TimersManual, time.Now
	case TimersManual:
		cc.Timers, cc.Clock = conn.TimersManual, cfg.Clock
	default:
		return nil, fmt.Errorf("sconnpeer: unknown timer mode %d", cfg.Timers)
	}
	st, err := conn.NewStack(cc)
	if err != nil {
		return nil, err
	}
	p.Stack = st
	if cfg.Timers == TimersHostLoop {
		p.loopDone = make(chan struct{})
		go p.hostLoop()
	}
	return p, nil
}

// Mode returns the peer's timer mode.
func (p *Peer) Mode() TimerMode { return p.mode }

// output is the stack's Output: the packet goes to the link of h.
func (p *Peer) output(h conn.Handle, pkt []byte, _ uint8, _ bool) error {
	p.mu.RLock()
	a := p.links[h]
	p.mu.RUnlock()
	if a == nil {
		return fmt.Errorf("sconnpeer: no link for handle %d", h)
	}
	if a.fn != nil {
		return a.fn(pkt)
	}
	_, err := a.c.Write(pkt) // a datagram write copies pkt (pipe: into a recycled buffer)
	return err
}

// Attach registers handle h with the stack and joins it to the datagram
// connection c: every packet the stack sends to h is written to c (which
// must not block, as a pipe.Conn never does), and a goroutine reads c and
// hands each packet to ConnInput(h) until c fails (is closed).
func (p *Peer) Attach(h conn.Handle, c net.Conn) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return conn.ErrClosed
	}
	if _, ok := p.links[h]; ok {
		p.mu.Unlock()
		return fmt.Errorf("sconnpeer: handle %d already attached", h)
	}
	a := &attachment{c: c, done: make(chan struct{})}
	a.owned, _ = c.(ownedConn)
	p.links[h] = a
	p.mu.Unlock()
	if err := p.Stack.RegisterAddress(h); err != nil {
		p.mu.Lock()
		delete(p.links, h)
		p.mu.Unlock()
		return err
	}
	go p.read(h, a)
	return nil
}

// AttachFunc registers handle h with the stack and sends its packets to
// out, synchronously (out may call another stack's ConnInput: the stack
// holds no lock during Output). Nothing reads for h: the host calls
// Stack.ConnInput(h, …) itself. Join uses it to connect two peers with no
// link and no goroutine in between.
func (p *Peer) AttachFunc(h conn.Handle, out func(pkt []byte) error) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return conn.ErrClosed
	}
	if _, ok := p.links[h]; ok {
		p.mu.Unlock()
		return fmt.Errorf("sconnpeer: handle %d already attached", h)
	}
	p.links[h] = &attachment{fn: out}
	p.mu.Unlock()
	if err := p.Stack.RegisterAddress(h); err != nil {
		p.mu.Lock()
		delete(p.links, h)
		p.mu.Unlock()
		return err
	}
	return nil
}

// Join connects handle ha of a and handle hb of b directly: each packet
// one sends is handed to the other's ConnInput on the sending goroutine
// (what conn's examples do). It measures the stacks without a link.
func Join(a *Peer, ha conn.Handle, b *Peer, hb conn.Handle) error {
	if err := a.AttachFunc(ha, func(pkt []byte) error { return b.Stack.ConnInput(hb, pkt, 0) }); err != nil {
		return err
	}
	return b.AttachFunc(hb, func(pkt []byte) error { return a.Stack.ConnInput(ha, pkt, 0) })
}

func (p *Peer) read(h conn.Handle, a *attachment) {
	defer close(a.done)
	if a.owned != nil {
		batch := make([][]byte, 0, readBatch)
		for {
			var err error
			if batch, err = a.owned.ReadBatch(batch[:0], readBatch); err != nil {
				return
			}
			_ = p.Stack.ConnInputBatch(h, batch, 0) // drops are counted by the stack
			a.owned.ReleaseBatch(batch)
			if p.mode == TimersHostLoop {
				p.Kick()
			}
		}
	}
	buf := make([]byte, 1<<16)
	for {
		n, err := a.c.Read(buf)
		if err != nil {
			return
		}
		_ = p.Stack.ConnInput(h, buf[:n], 0)
		if p.mode == TimersHostLoop {
			p.Kick()
		}
	}
}

// Detach deregisters h (aborting its associations, whose ABORTs still go
// out), closes its connection and waits for its reader.
func (p *Peer) Detach(h conn.Handle) error {
	err := p.Stack.DeregisterAddress(h)
	p.mu.Lock()
	a := p.links[h]
	delete(p.links, h)
	p.mu.Unlock()
	if a != nil && a.c != nil {
		_ = a.c.Close()
		<-a.done
	}
	return err
}

// Kick makes the host loop look at NextTimeout now (TimersHostLoop only;
// otherwise it does nothing).
func (p *Peer) Kick() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *Peer) hostLoop() {
	defer close(p.loopDone)
	t := time.NewTimer(HostLoopTick)
	defer t.Stop()
	for {
		now := time.Now()
		p.Stack.HandleTimers(now)
		d := HostLoopTick
		if next := p.Stack.NextTimeout(); !next.IsZero() {
			d = min(max(time.Until(next), 0), HostLoopTick)
		}
		t.Reset(d)
		select {
		case <-p.stop:
			return
		case <-p.kick:
			if !t.Stop() {
				select {
				case <-t.C:
				default:
				}
			}
		case <-t.C:
		}
	}
}

// Close closes the stack (aborting every association: the ABORTs still go
// out), then every link, and waits for the readers and the host loop.
func (p *Peer) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.mu.Unlock()
	err := p.Stack.Close()
	close(p.stop)
	if p.loopDone != nil {
		<-p.loopDone
	}
	p.mu.Lock()
	links := p.links
	p.links = map[conn.Handle]*attachment{}
	p.mu.Unlock()
	var errs []error
	for _, a := range links {
		if a.c != nil {
			errs = append(errs, a.c.Close())
			<-a.done
		}
	}
	return errors.Join(append(errs, err)...)
}
