package pcap_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"time"

	"github.com/sconnlab/sconn/wire"
	"github.com/sconnlab/sconn/wire/pcap"
)

func Example() {
	// Two SCTP packets: common header (ports 5000 -> 5000, verification
	// tag, checksum left 0 here) and a COOKIE ECHO / COOKIE ACK chunk.
	echo := []byte{0x13, 0x88, 0x13, 0x88, 0, 0, 0, 1, 0, 0, 0, 0, 0x0a, 0, 0, 8, 1, 2, 3, 4}
	ack := []byte{0x13, 0x88, 0x13, 0x88, 0, 0, 0, 2, 0, 0, 0, 0, 0x0b, 0, 0, 4}
	t0 := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

	var buf bytes.Buffer
	w, err := pcap.NewWriter(&buf, pcap.WriterOptions{UDP: true})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.WritePacket(t0, wire.Outbound, echo); err != nil {
		log.Fatal(err)
	}
	if err := w.WritePacket(t0.Add(time.Millisecond), wire.Inbound, ack); err != nil {
		log.Fatal(err)
	}

	r, err := pcap.NewReader(&buf, pcap.ReaderOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("frame %d %s %v:%d -> %v:%d, %d bytes of SCTP\n",
			p.Frame, p.Time.Format("15:04:05.000"), p.Src, p.SrcPort, p.Dst, p.DstPort, len(p.Data))
	}
	// Output:
	// frame 1 07:08:09.000 10.0.0.1:9899 -> 10.0.0.2:9899, 20 bytes of SCTP
	// frame 2 07:08:09.001 10.0.0.2:9899 -> 10.0.0.1:9899, 16 bytes of SCTP
}
