// Command sconndemo shows sconn's main job in one process, in a few
// seconds: two stacks joined by an in-memory link with loss, corruption and
// reordering (conn/conntest), and a PlainTransport-style SCTP-over-UDP host
// on loopback whose UDP port also carries a stream of fake RTP packets
// (conn/udp, demultiplexed with udp.IsSCTP). Messages flow both ways on
// both; the summary says what was sent, received, retransmitted and
// dropped, and why. It exits 0 when every message arrived exactly once and
// in order.
//
//	go run ./cmd/sconndemo [-messages 400] [-loss 0.05] [-rtp 200] [-timeout 25s]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	o := defaultOptions()
	flag.IntVar(&o.Messages, "messages", o.Messages, "messages each way, per part")
	flag.Float64Var(&o.Loss, "loss", o.Loss, "packet loss of the in-memory link (0 to 1)")
	flag.IntVar(&o.RTP, "rtp", o.RTP, "fake RTP packets sent beside SCTP on the UDP port")
	flag.DurationVar(&o.Timeout, "timeout", o.Timeout, "give up after this long")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	defer cancel()
	start := time.Now()
	if err := run(ctx, os.Stdout, o); err != nil {
		fmt.Fprintf(os.Stderr, "sconndemo: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("demo passed in %v\n", time.Since(start).Round(time.Millisecond))
}
