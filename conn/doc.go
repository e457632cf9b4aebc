// Package conn is the host API of sconn: usrsctp's AF_CONN interface in
// Go's shape.
//
// A Stack is one SCTP instance with no global state. The host gives it
// every datagram that arrives on a transport (ConnInput, with an opaque
// Handle naming the transport) and sends what it gets from Config.Output;
// the stack owns no socket and no network:
//
//	st, _ := conn.NewStack(conn.Config{
//		Output: func(h conn.Handle, pkt []byte, tos uint8, df bool) error {
//			return transports[h].Write(pkt) // DTLS, UDP, a pipe…
//		},
//	})
//	st.RegisterAddress(h)
//	s, _ := st.Socket(conn.OneToOne, conn.Upcalls{})
//	s.Bind(conn.Addr{Handle: h, Port: 5000})
//	s.Connect(conn.Addr{Handle: h, Port: 5000})
//	// for each datagram of transport h: st.ConnInput(h, datagram, 0)
//	// or, for several read at once: st.ConnInputBatch(h, datagrams, 0)
//
// Sockets follow RFC 6458 as usrsctp implements it: one-to-one and
// one-to-many styles, SendV and RecvV with sndinfo, prinfo, rcvinfo and
// nxtinfo, notifications delivered through RecvV with MsgNotification,
// typed socket options (SetOption(conn.NoDelay(true)),
// GetOption(&status)), the receive and send upcalls of usrsctp_socket and
// usrsctp_set_upcall. Errors wrap sentinels such as ErrWouldBlock and
// ErrNotConnected.
//
// Timers: in TimersGoroutine mode one goroutine per stack sleeps until the
// earliest deadline of the stack's timer heap; in TimersManual mode the
// host calls HandleTimers(now) at NextTimeout(), and the stack never reads
// the wall clock, so it runs on virtual time.
//
// Associations cost no goroutine. Each has its own lock; Output, the
// tracer and the upcalls run with no lock held, so they may call back into
// any stack. Every dropped datagram is counted under a DropReason
// (Stack.Drops) and the first of each reason from each handle is logged
// with a one-line summary (pion/logging scope "sctp:conn").
//
// docs/conn.md describes the design; docs/usrsctp-migration.md maps every
// usrsctp function, socket option and notification to this package.
package conn
