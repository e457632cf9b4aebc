package conn_test

import (
	"fmt"
	"time"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/wire"
)

// Two stacks joined by their output callbacks: each packet one stack sends
// is handed to the other's ConnInput at once (a real host would write it
// to a DTLS transport and feed what it reads to ConnInput). Handle 1 names
// the transport on both sides.
func Example_echo() {
	var client, server *conn.Stack
	client, _ = conn.NewStack(conn.Config{Output: func(h conn.Handle, pkt []byte, tos uint8, df bool) error {
		return server.ConnInput(1, pkt, 0)
	}})
	server, _ = conn.NewStack(conn.Config{Output: func(h conn.Handle, pkt []byte, tos uint8, df bool) error {
		return client.ConnInput(1, pkt, 0)
	}})
	defer client.Close()
	defer server.Close()
	client.RegisterAddress(1)
	server.RegisterAddress(1)

	// The server echoes every message from its receive upcall.
	ln, _ := server.Socket(conn.OneToOne, conn.Upcalls{
		Receive: func(s *conn.Socket, d conn.Delivery) {
			if d.Data != nil {
				info := conn.SendInfo{Stream: d.Info.Stream, PPID: d.Info.PPID}
				s.SendV(d.Data, conn.SendSpec{Info: &info})
			}
		},
	})
	ln.Bind(conn.Addr{Handle: 1, Port: 5000})
	ln.Listen(1)

	s, _ := client.Socket(conn.OneToOne, conn.Upcalls{})
	s.SetOption(conn.RecvRcvInfo(true))
	s.Bind(conn.Addr{Handle: 1, Port: 5000})
	if err := s.Connect(conn.Addr{Handle: 1, Port: 5000}); err != nil {
		fmt.Println("connect:", err)
		return
	}
	fmt.Println("connected")
	if _, err := s.SendV([]byte("hello"), conn.SendSpec{Info: &conn.SendInfo{Stream: 1, PPID: 51}}); err != nil {
		fmt.Println("send:", err)
		return
	}
	buf := make([]byte, 100)
	s.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, info, err := s.RecvV(buf)
	if err != nil {
		fmt.Println("recv:", err)
		return
	}
	fmt.Printf("echo %q stream %d ppid %d eor %v\n", buf[:n], info.RcvInfo.Stream, info.RcvInfo.PPID, info.Flags&conn.MsgEOR != 0)
	s.Close()
	// Output:
	// connected
	// echo "hello" stream 1 ppid 51 eor true
}

// The host drives the timers (usrsctp_init_nothreads): it asks NextTimeout,
// arms one timer of its own and calls HandleTimers when it fires. Here the
// host's clock is virtual, so the example runs in no time: the first INIT
// is lost and retransmitted 3 s later (RTO.Initial).
func Example_hostDrivenTimers() {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var queue []func()
	var a, b *conn.Stack
	lost := 0
	trace := func(name string) conn.TracerFunc {
		return func(dir wire.Direction, h conn.Handle, pkt []byte) {
			if dir == wire.Outbound {
				p, _ := wire.ParsePacket(pkt)
				c, _ := p.FirstChunk()
				fmt.Printf("t+%v %s sends %v\n", now.Sub(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)), name, c.Type())
			}
		}
	}
	a, _ = conn.NewStack(conn.Config{Timers: conn.TimersManual, Clock: clock, Tracer: trace("client"),
		Output: func(h conn.Handle, pkt []byte, tos uint8, df bool) error {
			if lost == 0 {
				lost++
				return nil // the first packet is lost
			}
			p := append([]byte(nil), pkt...)
			queue = append(queue, func() { b.ConnInput(1, p, 0) })
			return nil
		}})
	b, _ = conn.NewStack(conn.Config{Timers: conn.TimersManual, Clock: clock, Tracer: trace("server"),
		Output: func(h conn.Handle, pkt []byte, tos uint8, df bool) error {
			p := append([]byte(nil), pkt...)
			queue = append(queue, func() { a.ConnInput(1, p, 0) })
			return nil
		}})
	a.RegisterAddress(1)
	b.RegisterAddress(1)
	ln, _ := b.Socket(conn.OneToOne, conn.Upcalls{})
	ln.Bind(conn.Addr{Handle: 1, Port: 5000})
	ln.Listen(1)

	s, _ := a.Socket(conn.OneToOne, conn.Upcalls{})
	s.SetNonBlocking(true)
	s.SetUpcall(func(s *conn.Socket, ev conn.EventMask) {
		if ev&conn.EventWrite != 0 {
			fmt.Println("client socket writable: connected")
		}
	})
	fmt.Println(s.Connect(conn.Addr{Handle: 1, Port: 5000}))

	// The host's event loop: deliver packets, then sleep until the next
	// timeout (here: jump the virtual clock to it).
	for i := 0; i < 10; i++ {
		for len(queue) > 0 {
			f := queue[0]
			queue = queue[1:]
			f()
		}
		var st conn.Status
		if s.GetOption(&st) == nil && st.State == conn.StateEstablished {
			break
		}
		next := a.NextTimeout()
		fmt.Println("next timeout in", next.Sub(now))
		now = next
		a.HandleTimers(now)
		b.HandleTimers(now)
	}
	// Output:
	// t+0s client sends INIT
	// sctp connect 1:5000 assoc 3: sctp: operation now in progress
	// next timeout in 3s
	// t+3s client sends INIT
	// t+3s server sends INIT ACK
	// t+3s client sends COOKIE ECHO
	// t+3s server sends COOKIE ACK
	// client socket writable: connected
}

// A one-to-many server (SOCK_SEQPACKET) on port 5000 of every handle
// serves several peers, each over its own handle, and tells them apart by
// association ID. Each client is its own stack here; the network is direct
// calls.
func Example_oneToManyServer() {
	var server *conn.Stack
	clients := map[conn.Handle]*conn.Stack{}
	server, _ = conn.NewStack(conn.Config{Timers: conn.TimersManual,
		Output: func(h conn.Handle, pkt []byte, tos uint8, df bool) error {
			return clients[h].ConnInput(1, pkt, 0)
		}})
	defer server.Close()

	srv, _ := server.Socket(conn.OneToMany, conn.Upcalls{})
	srv.SetOption(conn.Event{Type: conn.NotifyAssocChange, On: true})
	srv.SetOption(conn.RecvRcvInfo(true))
	srv.Bind(conn.Addr{Handle: conn.AnyHandle, Port: 5000})
	srv.Listen(1)

	for h := conn.Handle(1); h <= 3; h++ {
		h := h
		c, _ := conn.NewStack(conn.Config{Timers: conn.TimersManual,
			Output: func(_ conn.Handle, pkt []byte, tos uint8, df bool) error {
				return server.ConnInput(h, pkt, 0)
			}})
		defer c.Close()
		clients[h] = c
		server.RegisterAddress(h)
		c.RegisterAddress(1)
		s, _ := c.Socket(conn.OneToOne, conn.Upcalls{})
		s.Bind(conn.Addr{Handle: 1, Port: 5000})
		if err := s.Connect(conn.Addr{Handle: 1, Port: 5000}); err != nil {
			fmt.Println(err)
		}
		if h == 2 {
			s.Close() // one client leaves again
		}
	}

	srv.SetNonBlocking(true)
	buf := make([]byte, 1500)
	for {
		_, info, err := srv.RecvV(buf)
		if err != nil {
			break // ErrWouldBlock: nothing more
		}
		if ac, ok := info.Notification.(conn.AssocChange); ok {
			fmt.Printf("%v from %v\n", ac.State, info.From)
		}
	}
	fmt.Println("associations:", srv.AssocIDs())
	// Output:
	// SCTP_COMM_UP from 1:5000
	// SCTP_COMM_UP from 2:5000
	// SCTP_SHUTDOWN_COMP from 2:5000
	// SCTP_COMM_UP from 3:5000
	// associations: [3 5]
}
