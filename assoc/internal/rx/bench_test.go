package rx

import (
	"testing"

	"github.com/sconnlab/sconn/wire"
)

// BenchmarkReceive1200 receives 1200-byte messages, one DATA chunk each,
// in order: Observe, reassemble, SACK every second packet, Read. Steady
// state allocates nothing.
func BenchmarkReceive1200(b *testing.B) {
	payload := make([]byte, 1200)
	r := NewReceiver(Config{ReceiveBufferSize: 1 << 20}, 1, 16, false)
	buf := make([]byte, 2048)
	gaps := make([]wire.GapBlock, 0, 16)
	dups := make([]uint32, 0, 16)
	var sack wire.Sack
	f := Fragment{Stream: 3, PPID: 51, Beginning: true, Ending: true, Payload: payload}
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f.TSN = uint32(1 + i)
		f.SSN = uint16(i)
		if _, err := r.HandleData(&f); err != nil {
			b.Fatal(err)
		}
		r.PacketEnd(t0)
		if r.Tracker.ShouldSendSackNow() {
			r.FillSack(&sack, gaps, dups)
		}
		if n, _, ok := r.Read(buf); !ok || n != len(payload) {
			b.Fatal(n, ok)
		}
	}
}

// BenchmarkReceive64K receives 64 KiB messages in 1172-byte DATA
// fragments, one per packet, and reads each whole.
func BenchmarkReceive64K(b *testing.B) {
	msg := make([]byte, 64<<10)
	frags := splitData(msg, 0, 1, 0, false, DefaultMTU-12-wire.DataHeaderLen)
	r := NewReceiver(Config{ReceiveBufferSize: 1 << 20}, 1, 16, false)
	buf := make([]byte, len(msg))
	gaps := make([]wire.GapBlock, 0, 16)
	dups := make([]uint32, 0, 16)
	var sack wire.Sack
	tsn := uint32(1)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		for k := range frags {
			f := &frags[k]
			f.TSN = tsn
			f.SSN = uint16(i)
			tsn++
			if _, err := r.HandleData(f); err != nil {
				b.Fatal(err)
			}
			r.PacketEnd(t0)
			if r.Tracker.ShouldSendSackNow() {
				r.FillSack(&sack, gaps, dups)
			}
		}
		if n, info, ok := r.Read(buf); !ok || n != len(msg) || !info.EOR {
			b.Fatal(n, ok)
		}
	}
}

// BenchmarkSackFill fills a SACK with 4 gap blocks and 2 duplicates (the
// two duplicates are observed again each time, since a SACK reports them
// once).
func BenchmarkSackFill(b *testing.B) {
	tr := NewDataTracker(Config{}, 1)
	for _, tsn := range [...]uint32{1, 2, 4, 5, 7, 9, 10, 12} {
		tr.Observe(tsn)
	}
	gaps := make([]wire.GapBlock, 0, 16)
	dups := make([]uint32, 0, 16)
	var sack wire.Sack
	b.ReportAllocs()
	for b.Loop() {
		tr.Observe(2)
		tr.Observe(9)
		tr.FillSack(&sack, gaps, dups, 1000)
	}
	if len(sack.GapBlocks) != 4 || len(sack.DupTSNs) != 2 {
		b.Fatal(sack.GapBlocks, sack.DupTSNs)
	}
}
