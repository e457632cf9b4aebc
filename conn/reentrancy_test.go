package conn

import (
	"sync"
	"testing"
)

// TestOutputReentersStack: the Output callback calls back into its own
// stack (stats, timers, options, a drop) while the stacks also call each
// other synchronously (direct network). Nothing deadlocks.
func TestOutputReentersStack(t *testing.T) {
	n := newNet(t, true)
	var a *Stack
	var sock *Socket
	var mu sync.Mutex
	calls := 0
	a = n.stack("A", func(c *Config) {
		next := c.Output
		c.Output = func(h Handle, pkt []byte, tos uint8, df bool) error {
			mu.Lock()
			calls++
			s := sock
			mu.Unlock()
			_ = a.Stats()
			_ = a.NextTimeout()
			_ = a.ConnInput(h, []byte{1, 2, 3}, 0) // dropped: too short
			if s != nil {
				var st Status
				_ = s.GetOption(&st)
				_ = s.SetOption(Context{Value: 5})
				_ = s.Events()
			}
			return next(h, pkt, tos, df)
		}
	})
	b := n.stack("B", nil)
	n.link(a, 1, b, 2)
	ln, _ := b.Socket(OneToOne, Upcalls{})
	ln.Bind(Addr{AnyHandle, 5000})
	ln.Listen(1)
	s, _ := a.Socket(OneToOne, Upcalls{})
	mu.Lock()
	sock = s
	mu.Unlock()
	if err := s.Connect(Addr{1, 5000}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if calls < 3 {
		t.Errorf("output called %d times", calls)
	}
	if a.Drops()[DropTooShort] != uint64(calls) {
		t.Errorf("drops %v", a.Drops())
	}
	if a.Stats().Associations != 0 || b.Stats().Associations != 0 {
		t.Error("associations left")
	}
}

// TestUpcallsReenter: the socket upcall closes the socket from inside, and
// the receive upcall reacts to notifications by shutting the association
// down, all while the network delivers synchronously.
func TestUpcallsReenter(t *testing.T) {
	p := newPair(t, true)
	var got []string
	var srv *Socket
	ln, _ := p.b.Socket(OneToOne, Upcalls{
		Receive: func(s *Socket, d Delivery) {
			switch {
			case d.EOF:
				got = append(got, "EOF")
			case d.Notification != nil:
				got = append(got, d.Notification.String())
				if ac, ok := d.Notification.(AssocChange); ok && ac.State == CommUp {
					// React from inside the upcall: graceful shutdown.
					if _, err := s.SendV(nil, SendSpec{Info: &SendInfo{Flags: FlagEOF}}); err != nil {
						t.Errorf("SendV(EOF) in upcall: %v", err)
					}
				}
			}
		},
	})
	ln.SetOption(Event{Type: NotifyAssocChange, On: true})
	ln.Bind(Addr{AnyHandle, 5000})
	ln.Listen(1)

	var events []EventMask
	c, _ := p.a.Socket(OneToOne, Upcalls{})
	c.SetUpcall(func(s *Socket, ev EventMask) {
		events = append(events, ev)
		if ev&EventRead != 0 && len(events) < 10 {
			// The peer shut down: close from inside the upcall.
			_ = s.Close()
		}
	})
	if err := c.Connect(Addr{p.ha, 5000}); err != nil {
		t.Fatal(err)
	}
	ln.SetNonBlocking(true)
	srv, _, _ = ln.Accept()
	if srv == nil {
		t.Fatal("nothing accepted")
	}
	want := []string{"SCTP_ASSOC_CHANGE SCTP_COMM_UP", "SCTP_ASSOC_CHANGE SCTP_SHUTDOWN_COMP", "EOF"}
	if len(got) != len(want) {
		t.Fatalf("deliveries %q", got)
	}
	for i := range want {
		if len(got[i]) < len(want[i]) || got[i][:len(want[i])] != want[i] {
			t.Errorf("delivery %d: %q, want %q", i, got[i], want[i])
		}
	}
	if len(events) == 0 {
		t.Error("no upcall")
	}
	if err := c.Close(); !isErr(err, ErrClosed) {
		t.Errorf("socket not closed by its upcall: %v", err)
	}
}

// TestAcceptedSocketInheritsUpcall: the listener's upcall reports the new
// association and the accepted socket inherits it.
func TestAcceptedSocketInheritsUpcall(t *testing.T) {
	p := newPair(t, true)
	ln := p.listen(OneToOne, 5000)
	var mu sync.Mutex
	seen := map[*Socket]bool{}
	ln.SetUpcall(func(s *Socket, ev EventMask) {
		mu.Lock()
		seen[s] = true
		mu.Unlock()
	})
	c := p.dial(OneToOne, 5000)
	ln.SetNonBlocking(true)
	s, _, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	mu.Lock()
	defer mu.Unlock()
	if !seen[ln] || !seen[s] {
		t.Errorf("upcalls: listener %v accepted %v", seen[ln], seen[s])
	}
}
