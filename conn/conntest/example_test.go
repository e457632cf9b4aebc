package conntest_test

import (
	"fmt"
	"time"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/conn/conntest"
)

// Two stacks over a link that loses 10 % of the packets, on a virtual
// clock: the association retransmits, and every message arrives exactly
// once and in order. Minutes of protocol time take milliseconds, the same
// on every run.
func Example_lossyPair() {
	p, _ := conntest.NewPair(conntest.PairConfig{
		Config: conntest.Config{Virtual: true, Seed: 1},
		Link:   conntest.LinkConfig{Loss: 0.10, Delay: 25 * time.Millisecond, Jitter: 5 * time.Millisecond},
	})
	defer p.Close()

	// B listens; a Recorder checks what its accepted sockets receive.
	chk := conntest.NewChecker()
	rec := conntest.NewRecorder(chk)
	ln, _ := p.B.Socket(conn.OneToOne, rec.Upcalls())
	ln.Bind(conn.Addr{Handle: conn.AnyHandle, Port: 5000})
	ln.Listen(1)

	// A sends 200 numbered messages on stream 1 from a non-blocking socket.
	snd := conntest.NewSender()
	snd.AddStream(chk, 1, 200, 1000, true)
	s, _ := p.A.Socket(conn.OneToOne, snd.Upcalls())
	s.SetNonBlocking(true)
	s.Connect(conn.Addr{Handle: p.HandleA, Port: 5000})

	ok := p.RunUntil(func() bool { snd.Pump(s); return chk.Done() }, 10*time.Minute)
	lost := p.AtoB.Stats().Lost + p.BtoA.Stats().Lost
	var st conn.AssocStats
	s.GetOption(&st)
	fmt.Println("all delivered:", ok, chk.Check())
	fmt.Println("packets lost:", lost > 0, "chunks retransmitted:", st.RtxChunks > 0)
	// Output:
	// all delivered: true <nil>
	// packets lost: true chunks retransmitted: true
}
