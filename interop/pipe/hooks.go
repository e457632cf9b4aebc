package pipe

import (
	"io"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/sconnlab/sconn/wire"
	"github.com/sconnlab/sconn/wire/pcap"
)

// Chain returns a Hook that runs hooks in order and drops the packet as
// soon as one of them does. Nil hooks are skipped.
func Chain(hooks ...Hook) Hook {
	return func(pkt []byte) bool {
		for _, h := range hooks {
			if h != nil && !h(pkt) {
				return false
			}
		}
		return true
	}
}

// Loss returns a Hook that drops each packet with probability rate, from a
// deterministic random sequence seeded with seed. It is safe for
// concurrent use.
func Loss(rate float64, seed uint64) Hook {
	var mu sync.Mutex
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func([]byte) bool {
		mu.Lock()
		defer mu.Unlock()
		return r.Float64() >= rate
	}
}

// Recorder keeps a copy of every packet it sees. It is safe for concurrent
// use.
type Recorder struct {
	mu      sync.Mutex
	packets [][]byte
}

// Hook returns the Hook that records packets; it never drops.
func (r *Recorder) Hook() Hook {
	return func(pkt []byte) bool {
		p := append([]byte(nil), pkt...)
		r.mu.Lock()
		r.packets = append(r.packets, p)
		r.mu.Unlock()
		return true
	}
}

// Packets returns the packets recorded so far, oldest first.
func (r *Recorder) Packets() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.packets...)
}

// Capture writes the packets of both directions of a link to one pcap
// file (SCTP over synthetic IPv4, readable by Wireshark and tshark), with
// end a as the local side. It is safe for concurrent use.
type Capture struct {
	mu  sync.Mutex
	w   *pcap.Writer
	err error
}

// NewCapture writes a pcap file header to w and returns a Capture.
func NewCapture(w io.Writer) (*Capture, error) {
	pw, err := pcap.NewWriter(w, pcap.WriterOptions{})
	if err != nil {
		return nil, err
	}
	return &Capture{w: pw}, nil
}

// Hooks returns the hooks to put in Options.AtoB and Options.BtoA.
func (c *Capture) Hooks() (atoB, btoA Hook) {
	return c.hook(wire.Outbound), c.hook(wire.Inbound)
}

func (c *Capture) hook(dir wire.Direction) Hook {
	return func(pkt []byte) bool {
		c.mu.Lock()
		if c.err == nil {
			c.err = c.w.WritePacket(time.Now(), dir, pkt)
		}
		c.mu.Unlock()
		return true
	}
}

// Err returns the first write error, if any.
func (c *Capture) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}
