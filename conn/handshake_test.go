package conn

import (
	"io"
	"testing"
	"time"
)

func TestOneToOneConnectAccept(t *testing.T) {
	for _, direct := range []bool{false, true} {
		name := "queued"
		if direct {
			name = "direct"
		}
		t.Run(name, func(t *testing.T) {
			p := newPair(t, direct)
			ln := p.listen(OneToOne, 5000, Event{Type: NotifyAssocChange, On: true})
			c := p.dial(OneToOne, 5000, NotifyAssocChange)
			if got := p.traceString(); got != "A→B INIT\nB→A INIT ACK\nA→B COOKIE ECHO\nB→A COOKIE ACK" {
				t.Fatalf("trace:\n%s", got)
			}
			ac := expectAssocChange(t, c, CommUp)
			if ac.OutboundStreams == 0 || ac.InboundStreams == 0 || ac.AssocID < firstAssocID {
				t.Errorf("COMM_UP %+v", ac)
			}
			if c.Events()&EventWrite == 0 {
				t.Errorf("events %v, want WRITE", c.Events())
			}
			ln.SetNonBlocking(true)
			if ln.Events()&EventRead == 0 {
				t.Errorf("listener events %v, want READ", ln.Events())
			}
			s, peer, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			if peer != (Addr{p.hb, c.LocalAddr().Port}) {
				t.Errorf("peer %v", peer)
			}
			expectAssocChange(t, s, CommUp)
			if _, _, err := ln.Accept(); !isErr(err, ErrWouldBlock) {
				t.Errorf("second Accept: %v", err)
			}
			la, _ := s.GetLAddrs(0)
			pa, _ := s.GetPAddrs(0)
			if len(la) != 1 || la[0] != (Addr{p.hb, 5000}) || len(pa) != 1 || pa[0] != peer {
				t.Errorf("laddrs %v paddrs %v", la, pa)
			}
			var st Status
			if err := c.GetOption(&st); err != nil || st.State != StateEstablished {
				t.Errorf("status %+v %v", st, err)
			}

			// Graceful shutdown from the client.
			if err := c.Shutdown(ShutWR); err != nil {
				t.Fatal(err)
			}
			p.pump()
			if got := p.traceString(); got != "A→B SHUTDOWN\nB→A SHUTDOWN ACK\nA→B SHUTDOWN COMPLETE" {
				t.Fatalf("trace:\n%s", got)
			}
			expectAssocChange(t, c, ShutdownComp)
			expectAssocChange(t, s, ShutdownComp)
			s.SetNonBlocking(true)
			if _, _, err := s.RecvV(make([]byte, 10)); err != io.EOF {
				t.Errorf("RecvV after shutdown: %v, want EOF", err)
			}
			if n := p.a.Stats().Associations + p.b.Stats().Associations; n != 0 {
				t.Errorf("%d associations left", n)
			}
			if err := c.Close(); err != nil {
				t.Error(err)
			}
			if err := c.Close(); !isErr(err, ErrClosed) {
				t.Errorf("second close: %v", err)
			}
		})
	}
}

func TestConnectBlocking(t *testing.T) {
	p := newPair(t, true)
	p.listen(OneToOne, 5000)
	c, _ := p.a.Socket(OneToOne, Upcalls{})
	if err := c.Connect(Addr{p.ha, 5000}); err != nil {
		t.Fatal(err)
	}
	if err := c.Connect(Addr{p.ha, 5000}); !isErr(err, ErrIsConnected) {
		t.Errorf("second connect: %v", err)
	}
}

func TestConnectRefused(t *testing.T) {
	p := newPair(t, true)
	c, _ := p.a.Socket(OneToOne, Upcalls{})
	err := c.Connect(Addr{p.ha, 6000})
	if !isErr(err, ErrConnRefused) {
		t.Fatalf("connect to a port without listener: %v", err)
	}
	if d := p.b.Drops(); d[DropNoListener] != 1 {
		t.Errorf("drops %v", d)
	}
	var se SOError
	c.GetOption(&se)
	if se.Err != nil {
		t.Errorf("SO_ERROR after a failed blocking connect: %v", se.Err)
	}
}

func TestConnectNonBlockingTimeout(t *testing.T) {
	p := newPair(t, false)
	p.lose = func(packet) bool { return true }
	c, _ := p.a.Socket(OneToOne, Upcalls{})
	c.SetOption(Event{Type: NotifyAssocChange, On: true})
	c.SetOption(InitMsg{MaxAttempts: 2})
	var events []EventMask
	c.SetUpcall(func(s *Socket, ev EventMask) { events = append(events, ev) })
	c.SetNonBlocking(true)
	if err := c.Connect(Addr{p.ha, 5000}); !isErr(err, ErrInProgress) {
		t.Fatal(err)
	}
	if err := c.Connect(Addr{p.ha, 5000}); !isErr(err, ErrAlready) {
		t.Errorf("second connect: %v", err)
	}
	if next := p.a.NextTimeout(); next.Sub(t0) != 3*time.Second {
		t.Errorf("T1-init at %v, want t0+3s (RTO.Initial)", next.Sub(t0))
	}
	p.advance(2 * time.Minute)
	if got := p.traceString(); got != "A→B INIT (lost)\nA→B INIT (lost)\nA→B INIT (lost)" {
		t.Errorf("trace:\n%s", got)
	}
	ac := expectAssocChange(t, c, CantStrAssoc)
	if !isErr(ac.Err, ErrPeerUnreachable) {
		t.Errorf("CANT_STR_ASSOC error %v", ac.Err)
	}
	if len(events) == 0 || events[len(events)-1]&(EventError|EventWrite) != EventError|EventWrite {
		t.Errorf("upcall events %v", events)
	}
	var se SOError
	if c.GetOption(&se); !isErr(se.Err, ErrPeerUnreachable) {
		t.Errorf("SO_ERROR %v", se.Err)
	}
	if c.GetOption(&se); se.Err != nil {
		t.Errorf("SO_ERROR not cleared: %v", se.Err)
	}
	if !p.a.NextTimeout().IsZero() {
		t.Errorf("timer still armed at %v", p.a.NextTimeout())
	}
}
