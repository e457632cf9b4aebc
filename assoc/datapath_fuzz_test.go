package assoc

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// FuzzDataPath feeds arbitrary chunks, under the right verification tag,
// to an established association that has data in flight, data queued and
// data received: SACKs, DATA, FORWARD TSNs and anything else must neither
// panic nor make it send a malformed packet, and its counters stay sane.
func FuzzDataPath(f *testing.F) {
	chunks := func(cs ...wire.Encoder) []byte {
		var b []byte
		for _, c := range cs {
			b = c.Append(b)
		}
		return b
	}
	const tsn = 0x3f78e66a // unused: offsets are what matter
	f.Add(chunks(&wire.Sack{CumulativeTSNAck: 1, ARwnd: 1000, GapBlocks: []wire.GapBlock{{Start: 2, End: 3}, {Start: 1, End: 9}}}))
	f.Add(chunks(zdata(0, 0, 0, "a", "B"), zdata(2, 0, 0, "c", "E"), zdata(1, 0, 0, "b", "")))
	f.Add(chunks(&wire.ForwardTSN{NewCumulativeTSN: zTSN + 3, Streams: []wire.ForwardTSNStream{{StreamID: 0, SSN: 2}}}))
	f.Add(chunks(zdata(5, 1, 0, "x", "BEU"), &wire.Sack{CumulativeTSNAck: tsn, ARwnd: 0, DupTSNs: []uint32{1, 2}}))
	f.Add(chunks(&wire.Shutdown{CumulativeTSNAck: 7}, zdata(0, 0, 0, "late", "BE")))
	f.Fuzz(func(t *testing.T, b []byte) {
		d := newDataExt(t, true, false, func(c *Config) { c.ReceiveBufferSize = 4000; c.NoDelay = true })
		d.sendMsg(3000, ordered(0))
		d.sendMsg(100, prOpts(1, PRRtx, 0))
		d.sendMsg(100, SendOptions{Stream: 2, EOR: true, Unordered: true})
		d.sendMsg(50, SendOptions{Stream: 3})
		d.pkts()
		d.z(zdata(1, 0, 1, "queued", "BE"))
		d.pkts()
		hdr := wire.AppendHeader(nil, wire.Header{SrcPort: zPort, DstPort: aPort, VerificationTag: d.tag})
		// Chunk offsets relative to our TSNs make SACK seeds meaningful.
		pkt, err := wire.ParsePacket(wire.FinishPacket(append(hdr, b...), false))
		if err != nil {
			return
		}
		d.a.HandlePacket(d.now, pkt)
		for i := 0; i < 3; i++ {
			for _, o := range pollAll(t, d.a, d.now) {
				_ = o
			}
			buf := make([]byte, 5000)
			for {
				if _, _, err := d.a.Recv(buf); err != nil {
					break
				}
			}
			events(d.a)
			d.now = d.now.Add(time.Duration(i+1) * 700 * time.Millisecond)
			d.a.HandleTimeout(d.now)
		}
		if d.a.BufferedAmount() < 0 || d.a.Status().UnackedData < 0 {
			t.Fatalf("buffered %d unacked %d", d.a.BufferedAmount(), d.a.Status().UnackedData)
		}
	})
}
