package sconn_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"time"

	"github.com/sconnlab/sconn"
)

// An association over a net.Conn: here the two ends of net.Pipe, in a
// real program a DTLS connection (each Read one SCTP packet). The server
// answers each message on its stream in upper case.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c1, c2 := net.Pipe()

	go func() {
		srv, err := sconn.Server(ctx, c2, nil)
		if err != nil {
			return
		}
		defer srv.Close()
		st, err := srv.AcceptStream(ctx)
		if err != nil {
			return
		}
		msg, ppid, _ := st.ReadMessage(ctx)
		st.WriteMessage(ctx, bytes.ToUpper(msg), ppid)
		<-srv.Done() // until the client closes
	}()

	cli, err := sconn.Client(ctx, c1, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cli.Close()
	st, _ := cli.OpenStream()
	st.SetPPID(51) // WebRTC string
	st.Write([]byte("hello"))
	buf := make([]byte, 100)
	n, err := st.ReadContext(ctx, buf)
	fmt.Printf("stream %d: %s %v\n", st.ID(), buf[:n], err)
	// Output:
	// stream 0: HELLO <nil>
}
