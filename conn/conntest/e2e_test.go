package conntest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/sconnlab/sconn/conn"
)

// quiet is a LoggerFactory for tests: conn's default one writes to stderr.
var quiet = discardLogger{}

// endpoint is one side of an end-to-end transfer: a socket, what it sends
// and what it checks.
type endpoint struct {
	s   *conn.Socket
	snd *Sender
	rec *Recorder
	chk *Checker
}

func newEndpoint() *endpoint {
	chk := NewChecker()
	return &endpoint{snd: NewSender(), rec: NewRecorder(chk), chk: chk}
}

func (e *endpoint) upcalls() conn.Upcalls {
	u := e.rec.Upcalls()
	u.Send = e.snd.Upcalls().Send
	return u
}

// workload queues count messages on three streams: small ordered, large
// ordered (fragmented) and unordered; the peer's checker expects them.
func (e *endpoint) workload(peer *Checker, count int) {
	for i := 0; i < count; i++ {
		size := 16 + (i*7919)%1200
		e.snd.Add(Outgoing{Data: Message(0, uint32(i), size), Info: conn.SendInfo{Stream: 0}})
		if i%4 == 0 {
			e.snd.Add(Outgoing{Data: Message(1, uint32(i/4), 3000+(i*104729)%5000), Info: conn.SendInfo{Stream: 1}})
		}
		e.snd.Add(Outgoing{Data: Message(2, uint32(i), 100), Info: conn.SendInfo{Stream: 2, Flags: conn.FlagUnordered}})
	}
	peer.Expect(0, count, true)
	peer.Expect(1, (count+3)/4, true)
	peer.Expect(2, count, false)
}

// connectPair sets up a listener on B and a connected, non-blocking socket
// on A, both with the endpoints' upcalls, and returns the accepted socket.
func connectPair(t *testing.T, p *Pair, a, b *endpoint) {
	t.Helper()
	ln, err := p.B.Socket(conn.OneToOne, b.upcalls())
	if err != nil {
		t.Fatal(err)
	}
	if err := ln.Bind(conn.Addr{Handle: conn.AnyHandle, Port: 5000}); err != nil {
		t.Fatal(err)
	}
	if err := ln.Listen(1); err != nil {
		t.Fatal(err)
	}
	ln.SetNonBlocking(true)
	if a.s, err = p.A.Socket(conn.OneToOne, a.upcalls()); err != nil {
		t.Fatal(err)
	}
	a.s.SetNonBlocking(true)
	if err := a.s.Connect(conn.Addr{Handle: p.HandleA, Port: 5000}); !errors.Is(err, conn.ErrInProgress) {
		t.Fatalf("connect: %v", err)
	}
	p.WaitUntil(t, "accept", func() bool {
		s, _, err := ln.Accept()
		if err == nil {
			b.s = s
			s.SetNonBlocking(true)
		}
		return b.s != nil
	}, time.Minute)
	p.WaitUntil(t, "client established", func() bool {
		var st conn.Status
		return a.s.GetOption(&st) == nil && st.State == conn.StateEstablished
	}, time.Minute)
}

// transfer runs the workload both ways and checks it.
func transfer(t *testing.T, p *Pair, count int, limit time.Duration) (rtx uint64, took time.Duration) {
	t.Helper()
	a, b := newEndpoint(), newEndpoint()
	connectPair(t, p, a, b)
	a.workload(b.chk, count)
	b.workload(a.chk, count)
	start := p.Now()
	p.WaitUntil(t, "all messages delivered", func() bool {
		a.snd.Pump(a.s)
		b.snd.Pump(b.s)
		return a.chk.Done() && b.chk.Done()
	}, limit)
	for _, e := range []*endpoint{a, b} {
		if err := e.snd.Err(); err != nil {
			t.Fatalf("send: %v", err)
		}
		if err := e.chk.Check(); err != nil {
			t.Fatal(err)
		}
	}
	var sa, sb conn.AssocStats
	if err := a.s.GetOption(&sa); err != nil {
		t.Fatal(err)
	}
	if err := b.s.GetOption(&sb); err != nil {
		t.Fatal(err)
	}
	return sa.RtxChunks + sb.RtxChunks, p.Now().Sub(start)
}

func TestEndToEndOverLossVirtual(t *testing.T) {
	for _, loss := range []float64{0, 0.01, 0.05, 0.20} {
		t.Run(fmt.Sprintf("loss%g%%", loss*100), func(t *testing.T) {
			p, err := NewPair(PairConfig{Config: Config{Virtual: true, Seed: 42, LoggerFactory: quiet},
				Link: LinkConfig{Loss: loss, Delay: 20 * time.Millisecond, Jitter: 5 * time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			real0 := time.Now()
			rtx, took := transfer(t, p, 300, 30*time.Minute)
			lost := p.AtoB.Stats().Lost + p.BtoA.Stats().Lost
			t.Logf("loss %g%%: %d packets lost, %d chunks retransmitted, %v of virtual time in %v",
				loss*100, lost, rtx, took, time.Since(real0).Round(time.Millisecond))
			if loss > 0 && (lost == 0 || rtx == 0) {
				t.Fatalf("no loss or no retransmission: lost %d rtx %d", lost, rtx)
			}
		})
	}
}

func TestEndToEndReorderDuplicateBandwidth(t *testing.T) {
	p, err := NewPair(PairConfig{Config: Config{Virtual: true, Seed: 3, LoggerFactory: quiet},
		Link: LinkConfig{Delay: 10 * time.Millisecond, Jitter: 10 * time.Millisecond, Reorder: 0.05,
			Duplicate: 0.05, Bandwidth: 2_000_000, QueueLimit: 32 << 10}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	transfer(t, p, 200, 30*time.Minute)
	if st := p.AtoB.Stats(); st.Reordered == 0 || st.Duplicated == 0 {
		t.Fatalf("link did not reorder or duplicate: %+v", st)
	}
}

func TestEndToEndVirtualIsDeterministic(t *testing.T) {
	run := func() (LinkStats, uint64) {
		p, err := NewPair(PairConfig{Config: Config{Virtual: true, Seed: 9, LoggerFactory: quiet},
			Link: LinkConfig{Loss: 0.05, Delay: 15 * time.Millisecond, Jitter: 3 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		rtx, _ := transfer(t, p, 100, 10*time.Minute)
		return p.AtoB.Stats(), rtx
	}
	s1, r1 := run()
	s2, r2 := run()
	if s1 != s2 || r1 != r2 {
		t.Fatalf("two runs differ: %+v rtx %d vs %+v rtx %d", s1, r1, s2, r2)
	}
}

func TestEndToEndRealTime(t *testing.T) {
	p, err := NewPair(PairConfig{Config: Config{LoggerFactory: quiet},
		Link: LinkConfig{Loss: 0.05, Delay: 2 * time.Millisecond, Jitter: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	// Bounded generously: a loaded 2-core machine still finishes in
	// seconds (a tail loss costs one RTO, 1 s at least).
	transfer(t, p, 60, 60*time.Second)
}

func TestHandshakeFirstINITLost(t *testing.T) {
	p, err := NewPair(PairConfig{Config: Config{Virtual: true, LoggerFactory: quiet},
		Up: &LinkConfig{Drop: func(i int, pkt []byte) bool { return i == 0 }}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	a, b := newEndpoint(), newEndpoint()
	start := p.Now()
	connectPair(t, p, a, b)
	if took := p.Now().Sub(start); took < 3*time.Second || took > 4*time.Second {
		t.Fatalf("handshake took %v of virtual time, want the 3 s RTO.Initial", took)
	}
}

func TestFanOneToMany(t *testing.T) {
	const clients = 8
	f, err := NewFan(clients, PairConfig{Config: Config{Virtual: true, Seed: 5, LoggerFactory: quiet},
		Link: LinkConfig{Loss: 0.05, Delay: 30 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chk := NewChecker()
	rec := NewRecorder(chk)
	srv, err := f.Server.Socket(conn.OneToMany, rec.Upcalls())
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Bind(conn.Addr{Handle: conn.AnyHandle, Port: 5000}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(clients); err != nil {
		t.Fatal(err)
	}
	var socks []*conn.Socket
	var snds []*Sender
	for i, c := range f.Clients {
		snd := NewSender()
		s, err := c.Socket(conn.OneToOne, snd.Upcalls())
		if err != nil {
			t.Fatal(err)
		}
		s.SetNonBlocking(true)
		if err := s.Connect(conn.Addr{Handle: f.ClientHandle, Port: 5000}); !errors.Is(err, conn.ErrInProgress) {
			t.Fatal(err)
		}
		snd.AddStream(chk, uint16(i), 50, 200+i*100, true)
		socks, snds = append(socks, s), append(snds, snd)
	}
	f.WaitUntil(t, "every client's messages", func() bool {
		for i, s := range socks {
			snds[i].Pump(s)
		}
		return chk.Done()
	}, 10*time.Minute)
	if err := chk.Check(); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.AssocIDs()); n != clients {
		t.Fatalf("server has %d associations", n)
	}
}
