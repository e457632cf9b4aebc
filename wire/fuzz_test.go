package wire_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/sconnlab/sconn/wire"
	"github.com/sconnlab/sconn/wire/pcap"
)

// fuzzSeeds adds every SCTP packet of the bundled usrsctp captures.
func fuzzSeeds(f *testing.F) {
	for _, name := range []string{"testdata/usrsctp-echo.pcapng", "testdata/usrsctp-tsctp-9899.pcapng"} {
		file, err := os.Open(name)
		if err != nil {
			f.Fatal(err)
		}
		r, err := pcap.NewReader(file, pcap.ReaderOptions{UDPPorts: []uint16{9899, 11111, 22222}})
		if err != nil {
			f.Fatal(err)
		}
		for n := 0; n < 40; n++ {
			p, err := r.Next()
			if err != nil {
				break
			}
			f.Add(append([]byte(nil), p.Data...))
		}
		file.Close()
	}
}

// FuzzParsePacket: no input makes parsing, validation, summarising or
// checksum verification panic, and a packet that parses can be walked.
func FuzzParsePacket(f *testing.F) {
	fuzzSeeds(f)
	f.Add([]byte{})
	f.Add(make([]byte, 12))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = wire.VerifyChecksum(b, true)
		p, err := wire.ParsePacket(b)
		if err != nil {
			return
		}
		_ = wire.ValidatePacket(p)
		_ = wire.Summary(p)
		n := 0
		for it := p.Chunks(); ; n++ {
			c, ok := it.Next()
			if !ok {
				break
			}
			if e, err := wire.DecodeChunk(c); err == nil && e == nil {
				t.Fatalf("%v: nil value without error", c.Type())
			}
		}
		if n != p.NumChunks() {
			t.Fatalf("iterated %d chunks, ParsePacket counted %d", n, p.NumChunks())
		}
	})
}

// FuzzChunkRoundTrip: every chunk that decodes encodes to bytes that decode
// again to the same encoding (encode∘decode is idempotent), with the length
// EncodedLen announces, and re-parses as a packet.
func FuzzChunkRoundTrip(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := wire.ParsePacket(b)
		if err != nil {
			return
		}
		for it := p.Chunks(); ; {
			c, ok := it.Next()
			if !ok {
				return
			}
			e1, err := wire.DecodeChunk(c)
			if err != nil {
				continue
			}
			b1 := e1.Append(nil)
			if len(b1) != e1.EncodedLen() {
				t.Fatalf("%v: EncodedLen %d, Append wrote %d", c.Type(), e1.EncodedLen(), len(b1))
			}
			c1, err := wire.ChunkAt(b1, 0)
			if err != nil {
				t.Fatalf("%v: re-encoded chunk unreadable: %v", c.Type(), err)
			}
			e2, err := wire.DecodeChunk(c1)
			if err != nil {
				t.Fatalf("%v: re-encoded chunk does not decode: %v\norig % x\nnew  % x", c.Type(), err, c.Bytes(), b1)
			}
			if e2.ChunkType() != c.Type() {
				t.Fatalf("type %v became %v", c.Type(), e2.ChunkType())
			}
			if b2 := e2.Append(nil); !bytes.Equal(b1, b2) {
				t.Fatalf("%v: not idempotent\n1st % x\n2nd % x", c.Type(), b1, b2)
			}
			pkt := wire.FinishPacket(append(wire.AppendHeader(nil, p.Header()), b1...), false)
			if _, err := wire.ParsePacket(pkt); err != nil {
				t.Fatalf("%v: rebuilt packet does not parse: %v", c.Type(), err)
			}
			if err := wire.VerifyChecksum(pkt, false); err != nil {
				t.Fatal(err)
			}
		}
	})
}
