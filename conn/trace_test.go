package conn

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/sconnlab/sconn/wire"
	"github.com/sconnlab/sconn/wire/pcap"
)

func TestTracers(t *testing.T) {
	var text, cap1 bytes.Buffer
	n := newNet(t, true)
	pw, err := pcap.NewWriter(&cap1, pcap.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	a := n.stack("A", func(c *Config) {
		c.Tracer = MultiTracer(
			NewTextTracer(&text, n.clock.Now),
			TraceHandle(1, NewPcapTracer(pw, n.clock.Now)),
			TraceHandle(9, func(dir wire.Direction, h Handle, pkt []byte) { t.Error("filtered handle traced") }),
			func(dir wire.Direction, h Handle, pkt []byte) { seen = append(seen, dir.String()+" "+chunkNames(pkt)) },
		)
	})
	b := n.stack("B", nil)
	n.link(a, 1, b, 2)
	ln, _ := b.Socket(OneToOne, Upcalls{})
	ln.Bind(Addr{AnyHandle, 5000})
	ln.Listen(1)
	c, _ := a.Socket(OneToOne, Upcalls{})
	if err := c.Connect(Addr{1, 5000}); err != nil {
		t.Fatal(err)
	}
	want := "outbound INIT|inbound INIT ACK|outbound COOKIE ECHO|inbound COOKIE ACK"
	if got := strings.Join(seen, "|"); got != want {
		t.Errorf("traced %q", got)
	}
	// The text dump reads back with the pcap package.
	r, err := pcap.NewReader(&text, pcap.ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, p.Dir.String()+" "+chunkNames(p.Data))
	}
	if got := strings.Join(dirs, "|"); got != want {
		t.Errorf("text dump %q", got)
	}
	r2, err := pcap.NewReader(&cap1, pcap.ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for {
		_, err := r2.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		count++
	}
	if count != 4 {
		t.Errorf("pcap has %d packets", count)
	}
}
