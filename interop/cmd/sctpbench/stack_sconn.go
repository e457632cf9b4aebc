package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/interop/sconnpeer"
)

// sconnStack is sconn's host API (package conn): two stacks (client and
// server) in TimersGoroutine mode joined by a pipe (interop/sconnpeer),
// one-to-one sockets with the receive upcall (usrsctp's receive_cb, as the
// usrsctp stack uses it), blocking SendV paced by SO_SNDBUF (1 MiB).
// Idle associations share one pipe: sconn demultiplexes by port.
type sconnStack struct{}

func (sconnStack) Name() string { return "sconn" }

const sconnHandle = conn.Handle(1)

// sconnMTU is -sconn-mtu: the path MTU of sconn associations. The default
// is 1228 bytes, as pion runs here (pionMTU), so that a 1200-byte message
// is one packet for both (sconn's own default, 1200, splits it into two
// DATA chunks in two packets; usrsctp's AF_CONN MTU is 1268). 0 keeps
// sconn's default.
var sconnMTU = 1228

// sconnOptions is what a WebRTC host sets; noDelay is PairConfig.NoDelay.
func sconnOptions(noDelay bool) []conn.SettableOption {
	o := []conn.SettableOption{
		conn.SndBuf(1 << 20), conn.RcvBuf(1 << 20), conn.NoDelay(noDelay),
		conn.InitMsg{NumOStreams: 16, MaxInStreams: 16},
	}
	if sconnMTU > 0 {
		o = append(o, conn.PeerAddrParams{PathMTU: uint32(sconnMTU), Flags: conn.PMTUDDisable})
	}
	return o
}

// sconnStacks returns a client and a server peer joined by a new pipe on
// handle 1 of each.
func sconnStacks() (client, server *sconnpeer.Peer, err error) {
	a, b := pipe.New(pipe.Options{})
	if client, err = sconnpeer.New(sconnpeer.Config{}); err != nil {
		return nil, nil, err
	}
	if server, err = sconnpeer.New(sconnpeer.Config{}); err != nil {
		client.Close()
		return nil, nil, err
	}
	if err := errors.Join(client.Attach(sconnHandle, a), server.Attach(sconnHandle, b)); err != nil {
		client.Close()
		server.Close()
		return nil, nil, err
	}
	return client, server, nil
}

// receiver joins the pieces of the receive upcall into whole messages.
func receiver(fn func(uint16, []byte)) conn.Upcalls {
	var mu sync.Mutex // calls for one socket are serialised; this guards part across sockets of a listener
	parts := map[*conn.Socket][]byte{}
	return conn.Upcalls{Receive: func(s *conn.Socket, d conn.Delivery) {
		if d.Flags&conn.MsgNotification != 0 || d.Data == nil || fn == nil {
			return
		}
		if d.Flags&conn.MsgEOR != 0 {
			mu.Lock()
			p, ok := parts[s]
			if ok {
				delete(parts, s)
			}
			mu.Unlock()
			if !ok {
				fn(d.Info.Stream, d.Data)
				return
			}
			fn(d.Info.Stream, append(p, d.Data...))
			return
		}
		mu.Lock()
		parts[s] = append(parts[s], d.Data...)
		mu.Unlock()
	}}
}

func (sconnStack) Pair(ctx context.Context, cfg PairConfig) (Pair, error) {
	cs, ss, err := sconnStacks()
	if err != nil {
		return nil, err
	}
	p := &sconnPair{cs: cs, ss: ss}
	fail := func(err error) (Pair, error) {
		p.Close()
		return nil, err
	}
	ln, err := ss.Socket(conn.OneToOne, receiver(cfg.OnServer), sconnOptions(cfg.NoDelay)...)
	if err != nil {
		return fail(err)
	}
	defer ln.Close()
	if err := errors.Join(ln.Bind(conn.Addr{Handle: sconnHandle, Port: 5000}), ln.Listen(1)); err != nil {
		return fail(err)
	}
	c, err := cs.Socket(conn.OneToOne, receiver(cfg.OnClient), sconnOptions(cfg.NoDelay)...)
	if err != nil {
		return fail(err)
	}
	p.client = c
	if err := c.Bind(conn.Addr{Handle: sconnHandle, Port: 5000}); err != nil {
		return fail(err)
	}
	if err := sconnpeer.Connect(ctx, c, conn.Addr{Handle: sconnHandle, Port: 5000}); err != nil {
		return fail(fmt.Errorf("connect: %w", err))
	}
	if p.server, err = sconnpeer.Accept(ctx, ln); err != nil {
		return fail(fmt.Errorf("accept: %w", err))
	}
	return p, nil
}

type sconnPair struct {
	cs, ss         *sconnpeer.Peer
	client, server *conn.Socket
}

func (p *sconnPair) Client() Conn { return sconnConn{p.client} }
func (p *sconnPair) Server() Conn { return sconnConn{p.server} }

func (p *sconnPair) Close() error {
	return errors.Join(p.cs.Close(), p.ss.Close()) // aborts everything
}

type sconnConn struct{ s *conn.Socket }

// Send is a blocking SendV: it waits while the association's send buffer
// (SO_SNDBUF, 1 MiB) is full.
func (c sconnConn) Send(ctx context.Context, sid uint16, unordered bool, msg []byte) error {
	info := conn.SendInfo{Stream: sid, PPID: 53}
	if unordered {
		info.Flags = conn.FlagUnordered
	}
	if d, ok := ctx.Deadline(); ok {
		_ = c.s.SetWriteDeadline(d)
	}
	_, err := c.s.SendV(msg, conn.SendSpec{Info: &info})
	return err
}

func (sconnStack) Associations(ctx context.Context, n, parallel int) (io.Closer, error) {
	cs, ss, err := sconnStacks()
	if err != nil {
		return nil, err
	}
	set := &sconnSet{cs: cs, ss: ss}
	ln, err := ss.Socket(conn.OneToOne, conn.Upcalls{}, sconnOptions(true)...)
	if err != nil {
		set.Close()
		return nil, err
	}
	set.ln = ln
	if err := errors.Join(ln.Bind(conn.Addr{Handle: sconnHandle, Port: 5000}), ln.Listen(n)); err != nil {
		set.Close()
		return nil, err
	}
	accepted := make(chan error, 1)
	go func() {
		for range n {
			s, err := sconnpeer.Accept(ctx, ln)
			if err != nil {
				accepted <- fmt.Errorf("accept: %w", err)
				return
			}
			set.add(s)
		}
		accepted <- nil
	}()
	sem := make(chan struct{}, parallel)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			s, err := cs.Socket(conn.OneToOne, conn.Upcalls{}, sconnOptions(true)...)
			if err != nil {
				errs[i] = err
				return
			}
			set.add(s)
			// distinct ports: sconn demultiplexes by (handle, ports)
			port := uint16(10000 + i%50000)
			errs[i] = errors.Join(s.Bind(conn.Addr{Handle: sconnHandle, Port: port}),
				sconnpeer.Connect(ctx, s, conn.Addr{Handle: sconnHandle, Port: 5000}))
		}()
	}
	wg.Wait()
	if err := errors.Join(errors.Join(errs...), <-accepted); err != nil {
		set.Close()
		return nil, err
	}
	return set, nil
}

type sconnSet struct {
	cs, ss  *sconnpeer.Peer
	ln      *conn.Socket
	mu      sync.Mutex
	sockets []*conn.Socket
}

func (s *sconnSet) add(so *conn.Socket) {
	s.mu.Lock()
	s.sockets = append(s.sockets, so)
	s.mu.Unlock()
}

func (s *sconnSet) Close() error {
	return errors.Join(s.cs.Close(), s.ss.Close())
}
