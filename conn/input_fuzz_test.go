package conn

import (
	"bytes"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// FuzzConnInput feeds arbitrary datagrams to a stack that has a listener
// and an established association (the network's entry point): nothing may
// panic, and every datagram is either accepted or dropped with a reason.
// The input is split into datagrams at "\xff\xfe"; the first byte selects
// whether the checksums are fixed (so the fuzzer gets past the CRC) and
// whether the datagrams go one at a time or as one ConnInputBatch.
func FuzzConnInput(f *testing.F) {
	// Seeds: the packets of a real exchange (handshake, data, SACKs,
	// shutdown), to be mutated.
	p := newPair(f, false)
	c, _ := p.connected()
	send(f, c, "hello", SendInfo{Stream: 1})
	var seeds [][]byte
	seeds = append(seeds, p.takeQueued(p.b)...)
	p.pump()
	_ = c.Close()
	seeds = append(seeds, p.takeQueued(p.b)...)
	for _, s := range seeds {
		f.Add(append([]byte{3}, s...))
		f.Add(append([]byte{1}, s...))
	}
	f.Add(append([]byte{3}, bytes.Join(seeds, []byte{0xff, 0xfe})...))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		mode, in := in[0], in[1:]
		p := newPair(t, false)
		p.connected()
		dgrams := bytes.Split(in, []byte{0xff, 0xfe})
		for i, d := range dgrams {
			d = bytes.Clone(d)
			if mode&1 != 0 && len(d) >= wire.HeaderLen {
				// Past the CRC, the packet reaches the demultiplexer.
				wire.SetChecksum(d)
			}
			dgrams[i] = d
		}
		before := p.b.Stats().InPackets
		if mode&2 != 0 {
			_ = p.b.ConnInputBatch(p.hb, dgrams, 0)
		} else {
			for _, d := range dgrams {
				_ = p.b.ConnInput(p.hb, d, 0)
			}
		}
		if got := p.b.Stats().InPackets - before; got != uint64(len(dgrams)) {
			t.Fatalf("%d datagrams counted, %d given", got, len(dgrams))
		}
		p.pump()
		p.advance(time.Minute) // timers the datagrams started run too
	})
}
