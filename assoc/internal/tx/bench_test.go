package tx

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// BenchmarkSendQueue1200 queues a 1200-byte message (two chunks with MTU
// 1200), cuts it into a packet, and acknowledges it: the whole transmit
// path of one message without I/O. Steady state allocates nothing.
func BenchmarkSendQueue1200(b *testing.B) {
	s := New(Config{MTU: 1200, InitialTSN: 1, PeerRwnd: 1 << 20, BufferSize: 1 << 20},
		NewReno(RenoConfig{MTU: 1200, InitialCwnd: 100, InitialSsthresh: 1 << 20}))
	data := make([]byte, 1200)
	buf := make([]byte, 0, 1500)
	sk := wire.Sack{ARwnd: 1 << 20, GapBlocks: []wire.GapBlock{}}
	now := time.Unix(0, 0)
	opts := MessageOptions{Stream: 1, PPID: 53, EOR: true}
	var bld wire.Builder
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Queue.Add(now, data, opts); err != nil {
			b.Fatal(err)
		}
		for {
			bld.Reset(buf, wire.Header{SrcPort: 5000, DstPort: 5000, VerificationTag: 1}, 1200)
			if s.Fill(now, &bld, FillOptions{NoDelay: true}).Chunks == 0 {
				break
			}
			bld.Finish(true)
		}
		sk.CumulativeTSNAck = s.Out.NextTSN() - 1
		s.Out.HandleSack(now, &sk)
	}
}

// BenchmarkSackProcessing processes one SACK with 64 chunks in flight:
// each SACK acknowledges the oldest chunk and one new chunk takes its
// place.
func BenchmarkSackProcessing(b *testing.B) {
	s := New(Config{MTU: 1200, InitialTSN: 0xFFFFFF00, PeerRwnd: 1 << 24, BufferSize: 1 << 24},
		NewReno(RenoConfig{MTU: 1200, InitialCwnd: 1000, InitialSsthresh: 1 << 24}))
	data := make([]byte, 100)
	buf := make([]byte, 0, 1500)
	now := time.Unix(0, 0)
	opts := MessageOptions{Stream: 1, PPID: 53, EOR: true}
	var bld wire.Builder
	send := func() {
		if err := s.Queue.Add(now, data, opts); err != nil {
			b.Fatal(err)
		}
		bld.Reset(buf, wire.Header{}, 1200)
		s.Fill(now, &bld, FillOptions{NoDelay: true})
	}
	for range 64 {
		send()
	}
	sk := wire.Sack{ARwnd: 1 << 24, GapBlocks: []wire.GapBlock{}}
	b.ReportAllocs()
	for b.Loop() {
		sk.CumulativeTSNAck = s.Out.CumAck() + 1
		s.Out.HandleSack(now, &sk)
		send()
	}
	if s.Out.Outstanding() != 64 {
		b.Fatalf("%d in flight", s.Out.Outstanding())
	}
}

// BenchmarkSackWithGaps sends 64 chunks, processes a SACK with four gap
// blocks over them (the shape of a SACK during loss recovery), then one
// that acknowledges everything: per op, one window of 64 chunks.
func BenchmarkSackWithGaps(b *testing.B) {
	s := New(Config{MTU: 1200, InitialTSN: 1, PeerRwnd: 1 << 24, BufferSize: 1 << 24},
		NewReno(RenoConfig{MTU: 1200, InitialCwnd: 1000, InitialSsthresh: 1 << 24}))
	data := make([]byte, 100)
	buf := make([]byte, 0, 1500)
	now := time.Unix(0, 0)
	opts := MessageOptions{Stream: 1, PPID: 53, EOR: true}
	gaps := wire.Sack{ARwnd: 1 << 24, GapBlocks: []wire.GapBlock{{Start: 2, End: 10}, {Start: 12, End: 20}, {Start: 22, End: 40}, {Start: 42, End: 63}}}
	all := wire.Sack{ARwnd: 1 << 24, GapBlocks: []wire.GapBlock{}}
	var bld wire.Builder
	b.ReportAllocs()
	for b.Loop() {
		for range 64 {
			if err := s.Queue.Add(now, data, opts); err != nil {
				b.Fatal(err)
			}
		}
		for {
			bld.Reset(buf, wire.Header{}, 1200)
			if s.Fill(now, &bld, FillOptions{NoDelay: true}).Chunks == 0 {
				break
			}
		}
		gaps.CumulativeTSNAck = s.Out.CumAck() + 1
		s.Out.HandleSack(now, &gaps)
		all.CumulativeTSNAck = s.Out.NextTSN() - 1
		s.Out.HandleSack(now, &all)
	}
}
