package conn

import (
	"bytes"
	"testing"
	"time"
)

func TestDataBeforeTerminationNotification(t *testing.T) {
	p := newPair(t, true)
	c, s := p.connected(Event{Type: NotifyAssocChange, On: true})
	expectAssocChange(t, s, CommUp)
	s.SetOption(Event{Type: NotifyShutdownEvent, On: true})
	send(t, c, "1", SendInfo{})
	send(t, c, "2", SendInfo{Flags: FlagEOF})
	p.advance(time.Second) // "2" is SACKed after the delayed SACK timer (§6.2)
	var order []string
	buf := make([]byte, 10)
	for {
		n, info, err := s.RecvV(buf)
		if err != nil {
			break
		}
		if info.Notification != nil {
			order = append(order, info.Notification.Type().String())
		} else {
			order = append(order, string(buf[:n]))
		}
	}
	want := "1 2 SCTP_SHUTDOWN_EVENT SCTP_ASSOC_CHANGE"
	if got := joinStrings(order); got != want {
		t.Errorf("order %q, want %q", got, want)
	}
}

func joinStrings(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func TestDataPartialDeliveryAborted(t *testing.T) {
	p := newPair(t, false)
	c, s := p.connected(PartialDeliveryPoint(2000))
	s.SetOption(Event{Type: NotifyPartialDelivery, On: true})
	// Fragments 1-3 of a 12-fragment message arrive, the rest is lost.
	n := 0
	p.lose = func(pk packet) bool {
		if pk.from != p.a || chunkNames(pk.b) != "DATA" {
			return false
		}
		n++
		return n > 3
	}
	c.SendV(bytes.Repeat([]byte("p"), 12*1100), SendSpec{})
	p.pump()
	got, info := recv(t, s, 64<<10)
	if len(got) == 0 || info.Flags&MsgEOR != 0 {
		t.Fatalf("partial piece: %d bytes, flags %v", len(got), info.Flags)
	}
	// The sender aborts: the partial delivery is aborted.
	p.lose = nil
	c.Abort()
	p.pump()
	var found bool
	for i := 0; i < 4 && !found; i++ {
		_, info, err := s.RecvV(make([]byte, 64<<10))
		if err != nil {
			break
		}
		if pd, ok := info.Notification.(PartialDeliveryEvent); ok {
			found = pd.Indication == PartialDeliveryAborted
		}
	}
	if !found {
		t.Error("no SCTP_PARTIAL_DELIVERY_EVENT")
	}
}

func TestDataBeforeCommUp(t *testing.T) {
	p := newPair(t, false)
	ln := p.listen(OneToOne, 5000, NoDelay(true))
	c, _ := p.a.Socket(OneToOne, Upcalls{})
	c.SetOption(NoDelay(true))
	c.SetNonBlocking(true)
	if err := c.Connect(Addr{p.ha, 5000}); !isErr(err, ErrInProgress) {
		t.Fatal(err)
	}
	// Kept until COMM_UP, then sent.
	send(t, c, "early", SendInfo{Stream: 1})
	if _, err := c.SendV(make([]byte, 300<<10), SendSpec{}); !isErr(err, ErrMessageTooLarge) {
		t.Errorf("huge early message: %v", err)
	}
	p.pump()
	ln.SetNonBlocking(true)
	s, _, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	s.SetNonBlocking(true)
	if m, _ := recv(t, s, 64); m != "early" {
		t.Errorf("got %q", m)
	}

	// A message kept for an association that never comes up fails.
	c2, _ := p.a.Socket(OneToMany, Upcalls{})
	c2.SetOption(Event{Type: NotifySendFailedEvent, On: true})
	c2.SetOption(InitMsg{MaxAttempts: 1})
	c2.SetNonBlocking(true)
	p.lose = func(packet) bool { return true }
	if _, err := c2.SendV([]byte("doomed"), SendSpec{To: &Addr{p.ha, 5000}, Info: &SendInfo{PPID: 7}}); err != nil {
		t.Fatal(err)
	}
	p.advance(time.Minute)
	n := nextNotification(t, c2)
	sf, ok := n.(SendFailedEvent)
	if !ok || string(sf.Data) != "doomed" || sf.Flags != DataUnsent || sf.Info.PPID != 7 || !isErr(sf.Err, ErrPeerUnreachable) {
		t.Errorf("got %v (%+v)", n, sf)
	}
}

func TestDataOneToManyFairness(t *testing.T) {
	n := newNet(t, true)
	a := n.stack("A", nil)
	b := n.stack("B", nil)
	n.link(a, 1, b, 1)
	n.link(a, 2, b, 2)
	srv, _ := b.Socket(OneToMany, Upcalls{})
	srv.Bind(Addr{AnyHandle, 5000})
	srv.Listen(1)
	srv.SetNonBlocking(true)
	var socks []*Socket
	for h := Handle(1); h <= 2; h++ {
		c, _ := a.Socket(OneToOne, Upcalls{})
		c.SetOption(NoDelay(true))
		c.Connect(Addr{h, 5000})
		socks = append(socks, c)
	}
	for _, m := range []string{"a1", "a2"} {
		send(t, socks[0], m, SendInfo{})
	}
	for _, m := range []string{"b1", "b2"} {
		send(t, socks[1], m, SendInfo{})
	}
	var order []string
	for i := 0; i < 4; i++ {
		m, _ := recv(t, srv, 16)
		order = append(order, m)
	}
	if got := joinStrings(order); got != "a1 b1 a2 b2" {
		t.Errorf("order %q", got)
	}
}
