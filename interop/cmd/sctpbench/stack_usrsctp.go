package main

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/interop/usrsctp"
)

// usrsctpStack is libusrsctp through cgo in AF_CONN mode, in usrsctp's
// receive-callback mode (what WebRTC hosts use), one Link per pair and one
// shared Link for idle associations (usrsctp demultiplexes by port and
// verification tag).
type usrsctpStack struct{}

func (usrsctpStack) Name() string { return "usrsctp" }

// usrsctpStreams is the number of outbound and inbound streams usrsctp
// sockets ask for (-usrsctp-streams). usrsctp allocates every stream when
// the association starts (pion allocates on first use), so this drives its
// memory per association; 1024 is mediasoup's default.
var usrsctpStreams = 1024

// configureUsrsctp sets what a WebRTC host sets. usrsctp runs with
// SCTP_NODELAY in every case, whatever PairConfig.NoDelay says: with Nagle
// its throughput on this link was lower (1200 B: 61 against 100 MB/s), so
// NODELAY is its better setting here.
func configureUsrsctp(s *usrsctp.Socket, _ bool) error {
	return errors.Join(
		s.SetBuffers(1<<20, 1<<20),
		s.SetNoDelay(true),
		s.SetInitMsg(usrsctp.InitMsg{OutStreams: uint16(usrsctpStreams), MaxInStreams: uint16(usrsctpStreams)}),
	)
}

func (usrsctpStack) Pair(ctx context.Context, cfg PairConfig) (Pair, error) {
	link := usrsctp.NewLink(pipe.Options{})
	cb := func(fn func(uint16, []byte)) usrsctp.Callbacks {
		return usrsctp.Callbacks{OnMessage: func(_ *usrsctp.Socket, m *usrsctp.Message) {
			if !m.IsNotification && fn != nil {
				fn(m.Info.SID, m.Data)
			}
		}}
	}
	p := &usrsctpPair{link: link}
	fail := func(err error) (Pair, error) {
		p.Close()
		return nil, err
	}
	ln, err := link.B.SocketWithCallbacks(false, cb(cfg.OnServer))
	if err != nil {
		return fail(err)
	}
	defer ln.Close()
	if err := errors.Join(configureUsrsctp(ln, cfg.NoDelay), ln.Bind(5000), ln.Listen(1)); err != nil {
		return fail(err)
	}
	p.client, err = link.A.SocketWithCallbacks(false, cb(cfg.OnClient))
	if err != nil {
		return fail(err)
	}
	if err := errors.Join(configureUsrsctp(p.client, cfg.NoDelay), p.client.Bind(5000)); err != nil {
		return fail(err)
	}
	if err := p.client.ConnectContext(ctx, 5000); err != nil {
		return fail(err)
	}
	if p.server, err = ln.AcceptContext(ctx); err != nil {
		return fail(err)
	}
	if err := configureUsrsctp(p.server, cfg.NoDelay); err != nil {
		return fail(err)
	}
	return p, nil
}

type usrsctpPair struct {
	link           *usrsctp.Link
	client, server *usrsctp.Socket
}

func (p *usrsctpPair) Client() Conn { return usrsctpConn{p.client} }
func (p *usrsctpPair) Server() Conn { return usrsctpConn{p.server} }

func (p *usrsctpPair) Close() error {
	for _, s := range []*usrsctp.Socket{p.client, p.server} {
		if s != nil {
			_ = s.Abort()
		}
	}
	return p.link.Close()
}

type usrsctpConn struct{ s *usrsctp.Socket }

func (c usrsctpConn) Send(ctx context.Context, sid uint16, unordered bool, msg []byte) error {
	_, err := c.s.SendVContext(ctx, msg, usrsctp.SendInfo{SID: sid, PPID: 53, Unordered: unordered})
	return err
}

func (usrsctpStack) Associations(ctx context.Context, n, parallel int) (io.Closer, error) {
	set := &usrsctpSet{link: usrsctp.NewLink(pipe.Options{})}
	ln, err := set.link.B.Socket(false)
	if err != nil {
		set.Close()
		return nil, err
	}
	set.ln = ln
	if err := errors.Join(configureUsrsctp(ln, true), ln.Bind(5000), ln.Listen(n)); err != nil {
		set.Close()
		return nil, err
	}
	accepted := make(chan error, 1)
	go func() {
		for range n {
			s, err := ln.AcceptContext(ctx)
			if err != nil {
				accepted <- err
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
			s, err := set.link.A.Socket(false)
			if err != nil {
				errs[i] = err
				return
			}
			set.add(s)
			errs[i] = errors.Join(configureUsrsctp(s, true), s.Bind(0), s.ConnectContext(ctx, 5000))
		}()
	}
	wg.Wait()
	if err := errors.Join(errors.Join(errs...), <-accepted); err != nil {
		set.Close()
		return nil, err
	}
	return set, nil
}

type usrsctpSet struct {
	link    *usrsctp.Link
	ln      *usrsctp.Socket
	mu      sync.Mutex
	sockets []*usrsctp.Socket
}

func (s *usrsctpSet) add(so *usrsctp.Socket) {
	s.mu.Lock()
	s.sockets = append(s.sockets, so)
	s.mu.Unlock()
}

func (s *usrsctpSet) Close() error {
	if s.ln != nil {
		_ = s.ln.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, so := range s.sockets {
		_ = so.Abort()
	}
	return s.link.Close()
}
