package assoc

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// pair is two established engines joined back to back with no I/O: a
// packet polled from one is parsed and handed to the other at once. The
// clock advances 10 µs per round so that timers run.
type pair struct {
	now  time.Time
	a, b *Association
	buf  []byte
	crc  bool // verify the CRC32c of every packet, as a host does
}

func newPair(tb testing.TB, mod func(*Config)) *pair {
	cfgA := testConfig(mod)
	cfgB := testConfig(mod)
	cfgB.LocalPort, cfgB.PeerPort = zPort, aPort
	p := &pair{now: t0, a: New(cfgA, NewSeededRand(1)), buf: make([]byte, 0, 1<<16)}
	ep := NewEndpoint(cfgB, NewSeededRand(2), t0)
	if err := p.a.Connect(p.now); err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < 10 && (p.b == nil || p.a.State() != Established); i++ {
		for pkt := p.a.Poll(p.now, p.buf[:0]); pkt != nil; pkt = p.a.Poll(p.now, p.buf[:0]) {
			in, _ := wire.ParsePacket(pkt)
			if p.b != nil {
				p.b.HandlePacket(p.now, in)
				continue
			}
			reply, b, _ := ep.HandlePacket(p.now, in, nil)
			if b != nil {
				p.b = b
			}
			if reply != nil {
				r, _ := wire.ParsePacket(reply)
				p.a.HandlePacket(p.now, r)
			}
		}
		if p.b != nil {
			p.pump(p.b, p.a)
		}
	}
	if p.b == nil || p.a.State() != Established || p.b.State() != Established {
		tb.Fatal("no association")
	}
	events(p.a)
	events(p.b)
	return p
}

// pump moves every packet from one side to the other.
func (p *pair) pump(from, to *Association) int {
	n := 0
	for pkt := from.Poll(p.now, p.buf[:0]); pkt != nil; pkt = from.Poll(p.now, p.buf[:0]) {
		if p.crc {
			if err := wire.VerifyChecksum(pkt, false); err != nil {
				panic(err)
			}
		}
		in, err := wire.ParsePacket(pkt)
		if err != nil {
			panic(err)
		}
		to.HandlePacket(p.now, in)
		n++
	}
	return n
}

// benchTransfer sends b.N messages of size bytes from A to B and reads
// them, with the sender paced by its buffered amount. Both sides accept
// zero checksums (RFC 9653, as WebRTC over DTLS does), so the figures are
// the engine's own cost, unless mod turns that off: then every packet
// carries a CRC32c that the pump verifies.
func benchTransfer(b *testing.B, size int, mod func(*Config)) {
	crc := false
	p := newPair(b, func(c *Config) {
		c.ZeroChecksum = true
		c.HeartbeatDisabled = true
		c.SendBufferSize = 4 << 20
		c.ReceiveBufferSize = 4 << 20
		c.MaxMessageSize = 1 << 20
		if mod != nil {
			mod(c)
		}
		crc = !c.ZeroChecksum
	})
	p.crc = crc
	msg := make([]byte, size)
	rbuf := make([]byte, size+1)
	opts := SendOptions{Stream: 1, PPID: 53, EOR: true}
	window := max(64<<10, 8*size)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	sent, got := 0, 0
	for got < b.N {
		for sent < b.N && p.a.BufferedAmount() < window {
			if err := p.a.Send(p.now, msg, opts); err != nil {
				b.Fatal(err)
			}
			sent++
		}
		p.pump(p.a, p.b)
		for {
			n, info, err := p.b.Recv(rbuf)
			if err != nil {
				break
			}
			if info.EOR {
				got++
			} else if n == 0 {
				b.Fatal("empty piece")
			}
		}
		p.pump(p.b, p.a)
		p.now = p.now.Add(10 * time.Microsecond)
		p.a.HandleTimeout(p.now)
		p.b.HandleTimeout(p.now)
		for ev, ok := p.a.PollEvent(); ok; ev, ok = p.a.PollEvent() {
			if _, lost := ev.(CommLost); lost {
				b.Fatal(ev)
			}
		}
		for _, ok := p.b.PollEvent(); ok; _, ok = p.b.PollEvent() {
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkTransfer100(b *testing.B)  { benchTransfer(b, 100, nil) }
func BenchmarkTransfer1200(b *testing.B) { benchTransfer(b, 1200, nil) }
func BenchmarkTransfer64K(b *testing.B)  { benchTransfer(b, 64<<10, nil) }

// BenchmarkTransfer100NoDelay is BenchmarkTransfer100 with Nagle off.
func BenchmarkTransfer100NoDelay(b *testing.B) {
	benchTransfer(b, 100, func(c *Config) { c.NoDelay = true })
}

// BenchmarkTransfer1200IData uses I-DATA (RFC 8260).
func BenchmarkTransfer1200IData(b *testing.B) {
	benchTransfer(b, 1200, func(c *Config) { c.IData = true })
}

// BenchmarkTransfer1200CRC computes and verifies the CRC32c of every
// packet (no zero checksum), as over plain UDP.
func BenchmarkTransfer1200CRC(b *testing.B) {
	benchTransfer(b, 1200, func(c *Config) { c.ZeroChecksum = false })
}

// BenchmarkHandshake sets up one association per op with the four-way
// handshake (INIT, INIT ACK with a signed cookie, COOKIE ECHO verified
// against the endpoint's secrets, COOKIE ACK): both engines, one shared
// endpoint, packets handed over with no I/O.
func BenchmarkHandshake(b *testing.B) {
	cfgA := testConfig(nil)
	cfgB := testConfig(nil)
	cfgB.LocalPort, cfgB.PeerPort = zPort, aPort
	ep := NewEndpoint(cfgB, NewSeededRand(2), t0)
	rnd := NewSeededRand(1)
	buf := make([]byte, 0, 1500)
	rbuf := make([]byte, 0, 1500)
	b.ReportAllocs()
	for range b.N {
		a := New(cfgA, rnd)
		if err := a.Connect(t0); err != nil {
			b.Fatal(err)
		}
		var z *Association
		for round := 0; a.State() != Established || z == nil || z.State() != Established; round++ {
			if round > 4 {
				b.Fatal("no association")
			}
			for pkt := a.Poll(t0, buf[:0]); pkt != nil; pkt = a.Poll(t0, buf[:0]) {
				in, _ := wire.ParsePacket(pkt)
				if z != nil {
					z.HandlePacket(t0, in)
					continue
				}
				reply, nz, _ := ep.HandlePacket(t0, in, rbuf[:0])
				if nz != nil {
					z = nz
				}
				if reply != nil {
					r, _ := wire.ParsePacket(reply)
					a.HandlePacket(t0, r)
				}
			}
			if z != nil {
				for pkt := z.Poll(t0, buf[:0]); pkt != nil; pkt = z.Poll(t0, buf[:0]) {
					in, _ := wire.ParsePacket(pkt)
					a.HandlePacket(t0, in)
				}
			}
		}
	}
}
