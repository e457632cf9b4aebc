package conn

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

func TestOneToManyServer(t *testing.T) {
	n := newNet(t, true)
	srv := n.stack("S", nil)
	var clients []*Socket
	ln, _ := srv.Socket(OneToMany, Upcalls{})
	ln.SetOption(Event{Type: NotifyAssocChange, On: true})
	ln.SetOption(Event{Type: NotifyShutdownEvent, On: true})
	if err := ln.Bind(Addr{AnyHandle, 5000}); err != nil {
		t.Fatal(err)
	}
	if err := ln.Listen(1); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		c := n.stack("C", nil)
		n.link(c, 1, srv, Handle(10+i))
		s, _ := c.Socket(OneToOne, Upcalls{})
		if err := s.Connect(Addr{1, 5000}); err != nil {
			t.Fatal(err)
		}
		clients = append(clients, s)
	}
	ids := map[AssocID]Addr{}
	for i := 0; i < 3; i++ {
		ac := expectAssocChange(t, ln, CommUp)
		pa, err := ln.GetPAddrs(ac.AssocID)
		if err != nil {
			t.Fatal(err)
		}
		ids[ac.AssocID] = pa[0]
	}
	if len(ids) != 3 {
		t.Fatalf("ids %v", ids)
	}
	var num AssocNumber
	var list AssocIDList
	ln.GetOption(&num)
	ln.GetOption(&list)
	if num != 3 || len(list) != 3 || list[0] >= list[1] {
		t.Errorf("assoc number %d list %v", num, list)
	}
	for id, pa := range ids {
		if ln.AssocID(pa) != id {
			t.Errorf("AssocID(%v) = %v, want %v", pa, ln.AssocID(pa), id)
		}
	}
	if err := ln.Shutdown(ShutWR); !isErr(err, ErrNotSupported) {
		t.Errorf("shutdown on one-to-many: %v", err)
	}
	if _, _, err := ln.Accept(); !isErr(err, ErrNotSupported) {
		t.Errorf("accept on one-to-many: %v", err)
	}

	// One client shuts down: SHUTDOWN_EVENT then SHUTDOWN_COMP for its ID.
	clients[1].Shutdown(ShutWR)
	ev := nextNotification(t, ln)
	if _, ok := ev.(ShutdownEvent); !ok {
		t.Fatalf("got %v", ev)
	}
	gone := expectAssocChange(t, ln, ShutdownComp).AssocID
	if ids[gone] != (Addr{11, clients[1].LocalAddr().Port}) {
		t.Errorf("wrong association shut down: %v", gone)
	}
	// FlagEOF without data shuts down another one; FlagAbort aborts the last.
	var rest []AssocID
	for id := range ids {
		if id != gone {
			rest = append(rest, id)
		}
	}
	if _, err := ln.SendV(nil, SendSpec{Info: &SendInfo{AssocID: rest[0], Flags: FlagEOF}}); err != nil {
		t.Fatal(err)
	}
	expectAssocChange(t, ln, ShutdownComp)
	if _, err := ln.SendV([]byte("bye"), SendSpec{Info: &SendInfo{AssocID: rest[1], Flags: FlagAbort}}); err != nil {
		t.Fatal(err)
	}
	ac := expectAssocChange(t, ln, CommLost)
	if !isErr(ac.Err, ErrConnAborted) {
		t.Errorf("local abort: %v", ac.Err)
	}
	if _, err := ln.SendV(nil, SendSpec{Info: &SendInfo{AssocID: rest[1], Flags: FlagEOF}}); !isErr(err, ErrNoAssociation) {
		t.Errorf("send to a gone association: %v", err)
	}
	ln.GetOption(&num)
	if num != 0 {
		t.Errorf("%d associations left", num)
	}
}

func TestOneToManyConnectAndSendAllAbort(t *testing.T) {
	n := newNet(t, true)
	a := n.stack("A", nil)
	b := n.stack("B", nil)
	for i := Handle(1); i <= 3; i++ {
		n.link(a, i, b, i)
	}
	ln, _ := b.Socket(OneToMany, Upcalls{})
	ln.SetOption(Event{Type: NotifyAssocChange, On: true})
	ln.Bind(Addr{AnyHandle, 5000})
	ln.Listen(5)
	cl, _ := a.Socket(OneToMany, Upcalls{})
	cl.SetOption(Event{Type: NotifyAssocChange, On: true})
	cl.Bind(Addr{AnyHandle, 5000})
	for i := Handle(1); i <= 3; i++ {
		id, err := cl.ConnectX(Addr{i, 5000})
		if err != nil {
			t.Fatal(err)
		}
		if ac := expectAssocChange(t, cl, CommUp); ac.AssocID != id {
			t.Errorf("COMM_UP for %v, ConnectX said %v", ac.AssocID, id)
		}
	}
	if err := cl.Connect(Addr{1, 5000}); !isErr(err, ErrAddrInUse) {
		t.Errorf("duplicate association: %v", err)
	}
	for i := 0; i < 3; i++ {
		expectAssocChange(t, ln, CommUp)
	}
	if _, err := cl.SendV([]byte("x"), SendSpec{Info: &SendInfo{Flags: FlagAbort | FlagSendAll}}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		ac := expectAssocChange(t, ln, CommLost)
		if !isErr(ac.Err, ErrConnReset) {
			t.Errorf("peer abort: %v", ac.Err)
		}
		if ac.Error != uint16(wire.CauseUserInitiatedAbort) {
			t.Errorf("sac_error %d", ac.Error)
		}
	}
}

func TestPeelOff(t *testing.T) {
	p := newPair(t, false)
	ln := p.listen(OneToMany, 5000, Event{Type: NotifyAssocChange, On: true}, Event{Type: NotifyShutdownEvent, On: true})
	c := p.dial(OneToOne, 5000)
	ac := expectAssocChange(t, ln, CommUp)
	c.Shutdown(ShutWR)
	p.pumpOne() // the SHUTDOWN: SHUTDOWN_EVENT queues on ln
	ps, err := ln.PeelOff(ac.AssocID)
	if err != nil {
		t.Fatal(err)
	}
	p.pump()
	if ps.Type() != OneToOne {
		t.Errorf("type %v", ps.Type())
	}
	if _, ok := nextNotification(t, ps).(ShutdownEvent); !ok {
		t.Error("peeled socket lost the SHUTDOWN_EVENT")
	}
	expectAssocChange(t, ps, ShutdownComp)
	expectNothing(t, ln)
	if _, err := ln.PeelOff(ac.AssocID); !isErr(err, ErrNoAssociation) {
		t.Errorf("second peeloff: %v", err)
	}
	if _, err := c.PeelOff(3); !isErr(err, ErrNotSupported) {
		t.Errorf("peeloff on one-to-one: %v", err)
	}
}

func TestCloseAbortAndLinger(t *testing.T) {
	p := newPair(t, true)
	ln := p.listen(OneToOne, 5000, Event{Type: NotifyAssocChange, On: true})
	ln.SetNonBlocking(true)

	// Linger 0: Close aborts; the peer sees COMM_LOST with ECONNRESET.
	c := p.dial(OneToOne, 5000)
	s, _, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	expectAssocChange(t, s, CommUp)
	c.SetOption(Linger{On: true})
	p.traceString()
	c.Close()
	if got := p.traceString(); got != "A→B ABORT" {
		t.Errorf("trace %q", got)
	}
	ac := expectAssocChange(t, s, CommLost)
	if !isErr(ac.Err, ErrConnReset) || ac.Error != uint16(wire.CauseUserInitiatedAbort) {
		t.Errorf("COMM_LOST %+v", ac)
	}
	s.SetNonBlocking(true)
	if _, _, err := s.RecvV(make([]byte, 8)); !isErr(err, ErrConnReset) {
		t.Errorf("RecvV after peer abort: %v", err)
	}
	var se SOError
	if s.GetOption(&se); !isErr(se.Err, ErrConnReset) {
		t.Errorf("SO_ERROR %v", se.Err)
	}
	if _, err := s.SendV(nil, SendSpec{}); !isErr(err, ErrConnReset) {
		t.Errorf("SendV after peer abort: %v", err)
	}

	// Default Close: graceful shutdown.
	c = p.dial(OneToOne, 5000)
	s, _, _ = ln.Accept()
	p.traceString()
	c.Close()
	if got := p.traceString(); got != "A→B SHUTDOWN\nB→A SHUTDOWN ACK\nA→B SHUTDOWN COMPLETE" {
		t.Errorf("trace %q", got)
	}
	expectAssocChange(t, s, CommUp)
	expectAssocChange(t, s, ShutdownComp)

	// Closing a listener aborts what waits in its accept queue.
	p.dial(OneToOne, 5000)
	p.traceString()
	ln.Close()
	if got := p.traceString(); got != "B→A ABORT" {
		t.Errorf("trace %q", got)
	}
	// The port is free again and new INITs are refused.
	c2, _ := p.a.Socket(OneToOne, Upcalls{})
	if err := c2.Connect(Addr{p.ha, 5000}); !isErr(err, ErrConnRefused) {
		t.Errorf("connect to a closed listener: %v", err)
	}
}

func TestLingerTimeoutWaits(t *testing.T) {
	p := newPair(t, false)
	ln := p.listen(OneToOne, 5000)
	c := p.dial(OneToOne, 5000)
	ln.SetNonBlocking(true)
	if _, _, err := ln.Accept(); err != nil {
		t.Fatal(err)
	}
	c.SetNonBlocking(false)
	c.SetOption(Linger{On: true, Timeout: 5 * time.Second})
	p.lose = func(packet) bool { return true } // SHUTDOWNs never arrive
	done := make(chan error)
	go func() { done <- c.Close() }()
	// Drive virtual time from this goroutine until Close returns.
	for i := 0; ; i++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			if now := p.clock.Now(); now.Sub(t0) < 5*time.Second || now.Sub(t0) > 7*time.Second {
				t.Errorf("close returned at t0+%v", now.Sub(t0))
			}
			if tr := p.traceString(); len(tr) == 0 || tr[len(tr)-len("A→B ABORT (lost)"):] != "A→B ABORT (lost)" {
				t.Errorf("trace %q", tr)
			}
			return
		default:
		}
		if i > 10000 {
			t.Fatal("close never returned")
		}
		time.Sleep(time.Millisecond)
		p.advance(100 * time.Millisecond)
	}
}

func TestBindErrors(t *testing.T) {
	p := newPair(t, true)
	s1, _ := p.a.Socket(OneToOne, Upcalls{})
	s2, _ := p.a.Socket(OneToOne, Upcalls{})
	if err := s1.Bind(Addr{p.ha, 5000}); err != nil {
		t.Fatal(err)
	}
	if err := s1.Bind(Addr{p.ha, 5001}); !isErr(err, ErrInvalidArgument) {
		t.Errorf("rebind: %v", err)
	}
	if err := s2.Bind(Addr{p.ha, 5000}); !isErr(err, ErrAddrInUse) {
		t.Errorf("same address: %v", err)
	}
	var oe *OpError
	if err := s2.Bind(Addr{p.ha, 5000}); !errors.As(err, &oe) || oe.Op != "bind" {
		t.Errorf("not an OpError: %v", err)
	}
	if err := s2.Bind(Addr{99, 5000}); !isErr(err, ErrAddrNotAvailable) {
		t.Errorf("unregistered handle: %v", err)
	}
	if err := s2.Bind(Addr{AnyHandle, 5000}); err != nil {
		t.Errorf("wildcard next to a specific bind: %v", err)
	}
	s3, _ := p.a.Socket(OneToOne, Upcalls{})
	if err := s3.Bind(Addr{AnyHandle, 0}); err != nil || s3.LocalAddr().Port < ephemeralLow {
		t.Errorf("ephemeral: %v %v", s3.LocalAddr(), err)
	}
	if err := s1.Connect(Addr{AnyHandle, 5000}); !isErr(err, ErrInvalidArgument) {
		t.Errorf("connect to AnyHandle: %v", err)
	}
	p.a.RegisterAddress(5)
	if err := s1.Connect(Addr{5, 5000}); !isErr(err, ErrInvalidArgument) {
		t.Errorf("connect over another handle: %v", err)
	}
	if err := s1.Connect(Addr{6, 5000}); !isErr(err, ErrAddrNotAvailable) {
		t.Errorf("connect to an unregistered handle: %v", err)
	}
	if _, err := p.a.Socket(7, Upcalls{}); !isErr(err, ErrInvalidArgument) {
		t.Errorf("bad socket type: %v", err)
	}
	if _, err := s1.SendV([]byte("x"), SendSpec{}); !isErr(err, ErrNotConnected) {
		t.Errorf("send unconnected: %v", err)
	}
	if _, _, err := s1.RecvV(nil); !isErr(err, ErrNotConnected) {
		t.Errorf("recv unconnected: %v", err)
	}
	if err := s1.Shutdown(ShutWR); !isErr(err, ErrNotConnected) {
		t.Errorf("shutdown unconnected: %v", err)
	}
	if _, _, err := s1.Accept(); !isErr(err, ErrInvalidArgument) {
		t.Errorf("accept without listen: %v", err)
	}
	s1.Close()
	if err := s1.Listen(1); !isErr(err, ErrClosed) {
		t.Errorf("listen after close: %v", err)
	}
	if _, _, err := s1.RecvV(nil); !isErr(err, ErrClosed) {
		t.Errorf("recv after close: %v", err)
	}
	if err := s1.SetOption(NoDelay(true)); !isErr(err, ErrClosed) {
		t.Errorf("setsockopt after close: %v", err)
	}
}

func TestShutdownRead(t *testing.T) {
	p := newPair(t, true)
	p.listen(OneToOne, 5000)
	c := p.dial(OneToOne, 5000)
	if err := c.Shutdown(ShutRD); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.RecvV(make([]byte, 4)); err != io.EOF {
		t.Errorf("RecvV after SHUT_RD: %v", err)
	}
	if c.Events()&EventRead == 0 {
		t.Errorf("events %v", c.Events())
	}
	if err := c.Shutdown(99); !isErr(err, ErrInvalidArgument) {
		t.Errorf("bad how: %v", err)
	}
}

func TestDeregisterAborts(t *testing.T) {
	p := newPair(t, true)
	p.listen(OneToOne, 5000)
	c := p.dial(OneToOne, 5000, NotifyAssocChange)
	expectAssocChange(t, c, CommUp)
	p.traceString()
	if err := p.a.DeregisterAddress(p.ha); err != nil {
		t.Fatal(err)
	}
	if got := p.traceString(); got != "A→B ABORT" {
		t.Errorf("trace %q", got)
	}
	expectAssocChange(t, c, CommLost)
	if err := p.a.DeregisterAddress(p.ha); !isErr(err, ErrAddrNotAvailable) {
		t.Errorf("second deregister: %v", err)
	}
	var de *DropError
	if err := p.a.ConnInput(p.ha, mkPacket(1, 2, 3, &wire.CookieAck{}), 0); !errors.As(err, &de) || de.Reason != DropUnregisteredHandle {
		t.Errorf("input after deregister: %v", err)
	}
	if err := p.a.RegisterAddress(AnyHandle); !isErr(err, ErrInvalidArgument) {
		t.Errorf("register AnyHandle: %v", err)
	}
	p.a.RegisterAddress(3)
	if err := p.a.RegisterAddress(3); !isErr(err, ErrAddrInUse) {
		t.Errorf("register twice: %v", err)
	}
}

func TestBacklogFull(t *testing.T) {
	p := newPair(t, true)
	ln, _ := p.b.Socket(OneToOne, Upcalls{})
	ln.Bind(Addr{AnyHandle, 5000})
	ln.Listen(1)
	c1, _ := p.a.Socket(OneToOne, Upcalls{})
	if err := c1.Connect(Addr{p.ha, 5000}); err != nil {
		t.Fatal(err)
	}
	c2, _ := p.a.Socket(OneToOne, Upcalls{})
	if err := c2.Connect(Addr{p.ha, 5000}); !isErr(err, ErrConnRefused) {
		t.Errorf("second connect with a full backlog: %v", err)
	}
	if d := p.b.Drops()[DropBacklogFull]; d != 1 {
		t.Errorf("drops %v", p.b.Drops())
	}
	if len(p.logs.matching("accept queue full", "WARN")) != 1 {
		t.Error("backlog drop not logged")
	}
}
