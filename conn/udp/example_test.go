package udp_test

import (
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/conn/udp"
)

// A PlainTransport-style server: SCTP over UDP on the same port as RTP. The
// host hands SCTP packets (ports 5000/5000, udp.IsSCTP) to its stack and
// every other datagram to the media handler.
func Example_plainTransport() {
	var rtp atomic.Int32
	server, err := udp.Listen("udp4", "127.0.0.1:0", udp.Config{
		Other: func(b []byte, from net.Addr) { // RTP and RTCP
			if len(b) >= 12 && b[0]>>6 == 2 {
				rtp.Add(1)
			}
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer server.Close()
	go server.Serve()
	ln, _ := server.Stack().Socket(conn.OneToOne, conn.Upcalls{})
	ln.Bind(conn.Addr{Handle: conn.AnyHandle, Port: udp.DefaultPort})
	ln.Listen(1)

	// The client: one UDP socket for its RTP and its SCTP, connected to
	// the server's address; its stack's packets go there.
	client, _ := udp.Listen("udp4", "127.0.0.1:0", udp.Config{Remote: server.LocalAddr()})
	defer client.Close()
	go client.Serve()
	for i := 0; i < 5; i++ {
		pkt := make([]byte, 172)
		pkt[0], pkt[1] = 0x80, 96 // RTP version 2, payload type 96
		client.PacketConn().WriteTo(pkt, server.LocalAddr())
	}
	s, _ := client.Stack().Socket(conn.OneToOne, conn.Upcalls{})
	// Bind to port 5000 too: PlainTransport and WebRTC want 5000 at both
	// ends (an unbound socket would use an ephemeral port).
	s.Bind(conn.Addr{Handle: client.RemoteHandle(), Port: udp.DefaultPort})
	s.SetDeadline(time.Now().Add(10 * time.Second))
	if err := s.Connect(conn.Addr{Handle: client.RemoteHandle(), Port: udp.DefaultPort}); err != nil {
		fmt.Println("connect:", err)
		return
	}
	s.SendV([]byte("hello beside RTP"), conn.SendSpec{})

	ln.SetDeadline(time.Now().Add(10 * time.Second))
	as, from, err := ln.Accept()
	if err != nil {
		fmt.Println("accept:", err)
		return
	}
	as.SetDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 100)
	n, _, err := as.RecvV(buf)
	fmt.Printf("SCTP from handle %v: %q %v\n", from.Handle, buf[:n], err)
	for rtp.Load() < 5 {
		time.Sleep(time.Millisecond)
	}
	fmt.Println("RTP packets to the media handler:", rtp.Load())
	fmt.Println("IsSCTP(RTP):", udp.IsSCTP([]byte{0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}))
	// Output:
	// SCTP from handle 1: "hello beside RTP" <nil>
	// RTP packets to the media handler: 5
	// IsSCTP(RTP): false
}
