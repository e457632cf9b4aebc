package main

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/pion/sctp"

	"github.com/sconnlab/sconn/interop/pionpeer"
	"github.com/sconnlab/sconn/interop/pipe"
)

// pionStack is pion/sctp, one pipe per association (pion does not
// demultiplex associations on one net.Conn).
type pionStack struct{}

func (pionStack) Name() string { return "pion" }

// pionMTU is the path MTU of pion associations in the throughput and
// latency cases.
const pionMTU = 1228

func (pionStack) Pair(ctx context.Context, cfg PairConfig) (Pair, error) {
	// pion v1.12's default MTU is 1191 (a 1200-byte message is two
	// chunks); the benchmark runs it at 1228, as sconn, so that a
	// 1200-byte message is one packet for both.
	pc := pionpeer.Config{MTU: pionMTU}
	p, err := pionpeer.NewPair(ctx, pipe.Options{}, pc, pc)
	if err != nil {
		return nil, err
	}
	pp := &pionPair{p: p, client: newPionConn(p.Client, cfg.OnClient), server: newPionConn(p.Server, cfg.OnServer)}
	go pp.client.acceptAll()
	go pp.server.acceptAll()
	return pp, nil
}

type pionPair struct {
	p              *pionpeer.Pair
	client, server *pionConn
}

func (p *pionPair) Client() Conn { return p.client }
func (p *pionPair) Server() Conn { return p.server }
func (p *pionPair) Close() error { return p.p.Close() }

// pionConn is one side of a pion pair. pion streams are bidirectional and
// a stream opened locally is never returned by AcceptStream, so every
// stream, accepted or opened, gets one reader here.
type pionConn struct {
	a         *sctp.Association
	onMessage func(uint16, []byte)
	mu        sync.Mutex
	streams   map[uint16]*sctp.Stream
	senders   map[uint16]*pionpeer.Sender
}

func newPionConn(a *sctp.Association, onMessage func(uint16, []byte)) *pionConn {
	return &pionConn{a: a, onMessage: onMessage, streams: map[uint16]*sctp.Stream{}, senders: map[uint16]*pionpeer.Sender{}}
}

// track starts a reader for s unless it has one; the caller holds mu.
func (c *pionConn) track(s *sctp.Stream) {
	if _, ok := c.streams[s.StreamIdentifier()]; ok {
		return
	}
	c.streams[s.StreamIdentifier()] = s
	go pionpeer.ReadAll(s, 1<<17, func(s *sctp.Stream, _ sctp.PayloadProtocolIdentifier, data []byte) {
		if c.onMessage != nil {
			c.onMessage(s.StreamIdentifier(), data)
		}
	})
}

func (c *pionConn) acceptAll() {
	for {
		s, err := c.a.AcceptStream()
		if err != nil {
			return
		}
		c.mu.Lock()
		c.track(s)
		c.mu.Unlock()
	}
}

func (c *pionConn) Send(ctx context.Context, sid uint16, unordered bool, msg []byte) error {
	c.mu.Lock()
	w := c.senders[sid]
	if w == nil {
		s, err := pionpeer.OpenStream(c.a, sid, sctp.PayloadTypeWebRTCBinary, unordered)
		if err != nil {
			c.mu.Unlock()
			return err
		}
		c.track(s)
		w = pionpeer.NewSender(s, 1<<20, 512<<10)
		c.senders[sid] = w
	}
	c.mu.Unlock()
	return w.Write(ctx, msg, sctp.PayloadTypeWebRTCBinary)
}

func (pionStack) Associations(ctx context.Context, n, parallel int) (io.Closer, error) {
	pairs := make([]*pionpeer.Pair, n)
	errs := make([]error, n)
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			pairs[i], errs[i] = pionpeer.NewPair(ctx, pipe.Options{}, pionpeer.Config{}, pionpeer.Config{})
		}()
	}
	wg.Wait()
	set := pionSet(pairs)
	if err := errors.Join(errs...); err != nil {
		set.Close()
		return nil, err
	}
	return set, nil
}

type pionSet []*pionpeer.Pair

func (s pionSet) Close() error {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for _, p := range s {
		if p == nil {
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			_ = p.Close()
		}()
	}
	wg.Wait()
	return nil
}
