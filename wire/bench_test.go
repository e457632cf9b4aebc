package wire

import "testing"

// dataPacket builds a packet with n DATA chunks of size bytes each.
func dataPacket(n, size int) []byte {
	var bld Builder
	bld.Reset(make([]byte, 0, 65536), Header{SrcPort: 5000, DstPort: 5000, VerificationTag: 0x01020304}, 0)
	payload := make([]byte, size)
	for i := 0; i < n; i++ {
		d := Data{TSN: uint32(100 + i), StreamID: 1, SSN: uint16(i), PPID: 51, Beginning: true, Ending: true, UserData: payload}
		bld.Add(&d)
	}
	return bld.Finish(false)
}

func BenchmarkParseDataPacket(b *testing.B) {
	pkt := dataPacket(1, 1100)
	b.SetBytes(int64(len(pkt)))
	b.ReportAllocs()
	var sum int
	for b.Loop() {
		if err := VerifyChecksum(pkt, false); err != nil {
			b.Fatal(err)
		}
		p, err := ParsePacket(pkt)
		if err != nil {
			b.Fatal(err)
		}
		it := p.Chunks()
		for c, ok := it.Next(); ok; c, ok = it.Next() {
			d, err := DecodeData(c)
			if err != nil {
				b.Fatal(err)
			}
			sum += len(d.UserData)
		}
	}
	_ = sum
}

func BenchmarkBuildBundledDataPacket(b *testing.B) {
	buf := make([]byte, 0, 1500)
	payload := make([]byte, 100)
	b.ReportAllocs()
	var bld Builder
	for b.Loop() {
		bld.Reset(buf, Header{SrcPort: 5000, DstPort: 5000, VerificationTag: 7}, 1200)
		for i := 0; ; i++ {
			d := Data{TSN: uint32(i), StreamID: 1, SSN: uint16(i), PPID: 53, Beginning: true, Ending: true, UserData: payload}
			if !bld.Fits(d.EncodedLen()) {
				break
			}
			bld.Add(&d)
		}
		pkt := bld.Finish(false)
		b.SetBytes(int64(len(pkt)))
	}
}
