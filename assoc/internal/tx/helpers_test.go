package tx

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

const tsn0 = 1000

// fx is a Sender under test on virtual time.
type fx struct {
	t   *testing.T
	now time.Time
	s   *Sender
	cc  *Reno
}

type fxOpt func(*Config, *RenoConfig)

func newFx(t *testing.T, opts ...fxOpt) *fx {
	cfg := Config{MTU: 1200, InitialTSN: tsn0, PeerRwnd: 1 << 20, BufferSize: 1 << 20, PartialReliability: true}
	rc := RenoConfig{MTU: 1200, InitialSsthresh: 1 << 20}
	for _, o := range opts {
		o(&cfg, &rc)
	}
	rc.MTU = cfg.MTU
	cc := NewReno(rc)
	return &fx{t: t, now: t0, s: New(cfg, cc), cc: cc}
}

func idata(c *Config, _ *RenoConfig)       { c.IData = true }
func fcfs(c *Config, _ *RenoConfig)        { c.Scheduler = FCFS }
func bigCwnd(_ *Config, r *RenoConfig)     { r.InitialCwnd = 1000 }
func tsnAt(n uint32) fxOpt                 { return func(c *Config, _ *RenoConfig) { c.InitialTSN = n } }
func rwnd(n uint32) fxOpt                  { return func(c *Config, _ *RenoConfig) { c.PeerRwnd = n } }
func bufSize(n int) fxOpt                  { return func(c *Config, _ *RenoConfig) { c.BufferSize = n } }
func noPR(c *Config, _ *RenoConfig)        { c.PartialReliability = false }
func maxBurst(n int) fxOpt                 { return func(_ *Config, r *RenoConfig) { r.MaxBurst = n } }
func initialCwnd(n int) fxOpt              { return func(_ *Config, r *RenoConfig) { r.InitialCwnd = n } }
func (f *fx) advance(d time.Duration)      { f.now = f.now.Add(d) }
func msg(stream uint16, n int) (d []byte)  { return bytes.Repeat([]byte{byte(stream)}, n) }
func eor(stream uint16) MessageOptions     { return MessageOptions{Stream: stream, PPID: 51, EOR: true} }
func unord(stream uint16) MessageOptions   { o := eor(stream); o.Unordered = true; return o }
func partial(stream uint16) MessageOptions { o := eor(stream); o.EOR = false; return o }
func withPR(o MessageOptions, p PRPolicy, v uint32) MessageOptions {
	o.Policy, o.PRValue = p, v
	return o
}

// add queues a message and fails the test on error.
func (f *fx) add(n int, o MessageOptions) {
	f.t.Helper()
	if err := f.s.Queue.Add(f.now, msg(o.Stream, n), o); err != nil {
		f.t.Fatal(err)
	}
}

// sent is one chunk of a packet, decoded.
type sent struct {
	typ      wire.ChunkType
	tsn      uint32
	stream   uint16
	ssn      uint16
	mid, fsn uint32
	flags    string // "BE", "B", "E", "" plus "U", "I"
	n        int
	fwdCum   uint32
	fwd      []wire.ForwardTSNStream
	ifwd     []wire.IForwardTSNStream
}

func (c sent) String() string {
	switch c.typ {
	case wire.ChunkForwardTSN:
		return fmt.Sprintf("FWD %d %v", c.fwdCum, c.fwd)
	case wire.ChunkIForwardTSN:
		return fmt.Sprintf("IFWD %d %v", c.fwdCum, c.ifwd)
	case wire.ChunkIData:
		return fmt.Sprintf("%d s%d m%d f%d %s %d", c.tsn, c.stream, c.mid, c.fsn, c.flags, c.n)
	}
	return fmt.Sprintf("%d s%d n%d %s %d", c.tsn, c.stream, c.ssn, c.flags, c.n)
}

func flagStr(b, e, u, i bool) string {
	var s string
	if b {
		s += "B"
	}
	if e {
		s += "E"
	}
	if u {
		s += "U"
	}
	if i {
		s += "I"
	}
	return s
}

// packet fills one packet and returns its chunks; nil when Fill added none.
func (f *fx) packet(opt FillOptions) []sent {
	f.t.Helper()
	var bld wire.Builder
	bld.Reset(make([]byte, 0, 1500), wire.Header{SrcPort: 1, DstPort: 2, VerificationTag: 3}, f.s.cfg.MTU)
	f.s.Fill(f.now, &bld, opt)
	if bld.NumChunks() == 0 {
		return nil
	}
	pkt := bld.Finish(false)
	if len(pkt) > f.s.cfg.MTU {
		f.t.Fatalf("packet of %d bytes over MTU %d", len(pkt), f.s.cfg.MTU)
	}
	p, err := wire.ParsePacket(pkt)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []sent
	for it := p.Chunks(); ; {
		c, ok := it.Next()
		if !ok {
			break
		}
		switch c.Type() {
		case wire.ChunkData:
			d, err := wire.DecodeData(c)
			if err != nil {
				f.t.Fatal(err)
			}
			out = append(out, sent{typ: c.Type(), tsn: d.TSN, stream: d.StreamID, ssn: d.SSN,
				flags: flagStr(d.Beginning, d.Ending, d.Unordered, d.Immediate), n: len(d.UserData)})
		case wire.ChunkIData:
			d, err := wire.DecodeIData(c)
			if err != nil {
				f.t.Fatal(err)
			}
			out = append(out, sent{typ: c.Type(), tsn: d.TSN, stream: d.StreamID, mid: d.MID, fsn: d.FSN,
				flags: flagStr(d.Beginning, d.Ending, d.Unordered, d.Immediate), n: len(d.UserData)})
		case wire.ChunkForwardTSN:
			d, err := wire.DecodeForwardTSN(c)
			if err != nil {
				f.t.Fatal(err)
			}
			s := sent{typ: c.Type(), fwdCum: d.NewCumulativeTSN}
			for i := 0; i < d.NumStreams(); i++ {
				s.fwd = append(s.fwd, d.Stream(i))
			}
			out = append(out, s)
		case wire.ChunkIForwardTSN:
			d, err := wire.DecodeIForwardTSN(c)
			if err != nil {
				f.t.Fatal(err)
			}
			s := sent{typ: c.Type(), fwdCum: d.NewCumulativeTSN}
			for i := 0; i < d.NumStreams(); i++ {
				s.ifwd = append(s.ifwd, d.Stream(i))
			}
			out = append(out, s)
		default:
			f.t.Fatalf("unexpected chunk %v", c.Type())
		}
	}
	return out
}

// drain fills packets until Fill adds nothing, and returns them.
func (f *fx) drain(opt FillOptions) [][]sent {
	f.t.Helper()
	var pkts [][]sent
	for i := 0; ; i++ {
		p := f.packet(opt)
		if p == nil {
			return pkts
		}
		if i > 10000 {
			f.t.Fatal("Fill never stops")
		}
		pkts = append(pkts, p)
	}
}

// chunks flattens packets into their chunk descriptions.
func chunks(pkts [][]sent) []string {
	var s []string
	for _, p := range pkts {
		for _, c := range p {
			s = append(s, c.String())
		}
	}
	return s
}

func expectChunks(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("chunks:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// sack builds a SACK with gap blocks given as absolute TSN ranges.
func sack(cum uint32, arwnd uint32, blocks ...[2]uint32) *wire.Sack {
	s := &wire.Sack{CumulativeTSNAck: cum, ARwnd: arwnd, GapBlocks: []wire.GapBlock{}}
	for _, b := range blocks {
		s.GapBlocks = append(s.GapBlocks, wire.GapBlock{Start: uint16(b[0] - cum), End: uint16(b[1] - cum)})
	}
	return s
}

func (f *fx) sack(cum uint32, blocks ...[2]uint32) SackResult {
	return f.s.Out.HandleSack(f.now, sack(cum, 1<<20, blocks...))
}

func expectInt(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %d, want %d", what, got, want)
	}
}

func (f *fx) expectCC(cwnd, ssthresh, pba int) {
	f.t.Helper()
	if f.cc.Cwnd() != cwnd || f.cc.Ssthresh() != ssthresh || f.cc.PartialBytesAcked() != pba {
		f.t.Fatalf("cwnd/ssthresh/pba = %d/%d/%d, want %d/%d/%d",
			f.cc.Cwnd(), f.cc.Ssthresh(), f.cc.PartialBytesAcked(), cwnd, ssthresh, pba)
	}
}

// nd fills without the Nagle-like delay.
var nd = FillOptions{NoDelay: true}

// fill runs one Fill on a fresh packet.
func (f *fx) fill(opt FillOptions) FillResult {
	var bld wire.Builder
	bld.Reset(make([]byte, 0, 1500), wire.Header{}, f.s.cfg.MTU)
	return f.s.Fill(f.now, &bld, opt)
}
