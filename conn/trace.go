package conn

import (
	"io"
	"sync"
	"time"

	"github.com/sconnlab/sconn/wire"
	"github.com/sconnlab/sconn/wire/pcap"
)

// NewTextTracer returns a tracer that writes every packet to w as a line of
// usrsctp's text2pcap dump format (wire.Dump), which
//
//	text2pcap -n -l 248 -D -t "%H:%M:%S." dump.txt dump.pcapng
//
// turns into a capture. clock stamps the lines; nil means time.Now (pass
// Stack.Now for a stack on virtual time). Writes are serialised; write
// errors are ignored.
func NewTextTracer(w io.Writer, clock func() time.Time) TracerFunc {
	if clock == nil {
		clock = time.Now
	}
	var mu sync.Mutex
	var buf []byte
	return func(dir wire.Direction, h Handle, pkt []byte) {
		mu.Lock()
		buf = wire.AppendDump(buf[:0], dir, clock(), pkt)
		_, _ = w.Write(buf)
		mu.Unlock()
	}
}

// NewPcapTracer returns a tracer that writes every packet to a pcap Writer
// (wire/pcap), which Wireshark and tshark decode: outbound packets go from
// the writer's Src to its Dst. Packets of every handle go to the same
// pair of addresses; filter with TraceHandle for one capture per handle.
// clock is as for NewTextTracer. Writes are serialised; errors are ignored.
func NewPcapTracer(w *pcap.Writer, clock func() time.Time) TracerFunc {
	if clock == nil {
		clock = time.Now
	}
	var mu sync.Mutex
	return func(dir wire.Direction, h Handle, pkt []byte) {
		mu.Lock()
		_ = w.WritePacket(clock(), dir, pkt)
		mu.Unlock()
	}
}

// TraceHandle returns a tracer that passes only the packets of handle h to t.
func TraceHandle(h Handle, t TracerFunc) TracerFunc {
	return func(dir wire.Direction, hh Handle, pkt []byte) {
		if hh == h {
			t(dir, hh, pkt)
		}
	}
}

// MultiTracer returns a tracer that calls every tracer in turn.
func MultiTracer(ts ...TracerFunc) TracerFunc {
	return func(dir wire.Direction, h Handle, pkt []byte) {
		for _, t := range ts {
			t(dir, h, pkt)
		}
	}
}
