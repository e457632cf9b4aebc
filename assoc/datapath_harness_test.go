package assoc

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// Data-path scenarios: our association (a client, established with the
// raw peer Z) sends and receives user data on virtual time; Z's SACKs,
// DATA and FORWARD TSNs are built with package wire, and every packet the
// engine sends is summarised chunk by chunk:
//
//	D3 s1 n0 BE 100     DATA, TSN = our initial TSN + 3, stream 1, SSN 0, flags, user data bytes
//	I3 s1 m0 f0 BE 100  I-DATA with MID and FSN
//	SACK 2 a1000 g[2-3] d[1]  cumulative TSN ack = Z's TSN + 2, a_rwnd, gap blocks, dup TSNs (relative)
//	FWD 4 [s1 n2]       FORWARD TSN, new cumulative TSN = our initial TSN + 4
//	SHUTDOWN 3          SHUTDOWN with its cumulative TSN ack relative to Z's TSN
//
// Z's TSNs start at zTSN; ours at f.tsn.

// dfx is a data-path scenario.
type dfx struct {
	*clientFx
}

func newData(t *testing.T, mod func(*Config)) *dfx {
	t.Helper()
	f := &dfx{newClient(t, mod)}
	f.establish()
	return f
}

// send queues a message of n bytes; the byte values are its stream.
func (f *dfx) sendMsg(n int, o SendOptions) {
	f.t.Helper()
	if err := f.a.Send(f.now, make([]byte, n), o); err != nil {
		f.t.Fatal(err)
	}
}

func ordered(stream uint16) SendOptions { return SendOptions{Stream: stream, PPID: 51, EOR: true} }

// z sends chunks from the peer.
func (f *dfx) z(cs ...wire.Encoder) {
	f.t.Helper()
	if err := f.send(f.tag, cs...); err != nil {
		f.t.Fatalf("packet from Z: %v", err)
	}
}

// zsack is a SACK from Z acknowledging our TSNs up to f.tsn+cum with gap
// blocks given as offsets from our initial TSN.
func (f *dfx) zsack(cum int, arwnd uint32, blocks ...[2]int) *wire.Sack {
	s := &wire.Sack{CumulativeTSNAck: f.tsn + uint32(cum), ARwnd: arwnd, GapBlocks: []wire.GapBlock{}}
	for _, b := range blocks {
		s.GapBlocks = append(s.GapBlocks, wire.GapBlock{Start: uint16(b[0] - cum), End: uint16(b[1] - cum)})
	}
	return s
}

// zdata is a DATA chunk from Z with TSN zTSN+off.
func zdata(off int, stream, ssn uint16, payload string, flags string) *wire.Data {
	return &wire.Data{TSN: zTSN + uint32(off), StreamID: stream, SSN: ssn, PPID: 51,
		Beginning: strings.Contains(flags, "B"), Ending: strings.Contains(flags, "E"),
		Unordered: strings.Contains(flags, "U"), Immediate: strings.Contains(flags, "I"),
		UserData: []byte(payload)}
}

// pkts drains the output and summarises every packet.
func (f *dfx) pkts() []string {
	f.t.Helper()
	var s []string
	for _, o := range pollAll(f.t, f.a, f.now) {
		if o.hdr.VerificationTag != f.a.info.PeerTag {
			f.t.Fatalf("packet with tag %#x", o.hdr.VerificationTag)
		}
		s = append(s, f.summary(o))
	}
	return s
}

// expect drains the output and compares the packet summaries.
func (f *dfx) expect(want ...string) {
	f.t.Helper()
	got := f.pkts()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		f.t.Fatalf("packets:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func flagString(b, e, u, i bool) string {
	s := ""
	for _, x := range []struct {
		on bool
		c  string
	}{{b, "B"}, {e, "E"}, {u, "U"}, {i, "I"}} {
		if x.on {
			s += x.c
		}
	}
	if s == "" {
		s = "-"
	}
	return s
}

func (f *dfx) summary(o out) string {
	var parts []string
	for _, c := range o.chunks {
		switch c.Type() {
		case wire.ChunkData:
			d, _ := wire.DecodeData(c)
			parts = append(parts, fmt.Sprintf("D%d s%d n%d %s %d", d.TSN-f.tsn, d.StreamID, d.SSN,
				flagString(d.Beginning, d.Ending, d.Unordered, d.Immediate), len(d.UserData)))
		case wire.ChunkIData:
			d, _ := wire.DecodeIData(c)
			parts = append(parts, fmt.Sprintf("I%d s%d m%d f%d %s %d", d.TSN-f.tsn, d.StreamID, d.MID, d.FSN,
				flagString(d.Beginning, d.Ending, d.Unordered, d.Immediate), len(d.UserData)))
		case wire.ChunkSack:
			s, _ := wire.DecodeSack(c)
			x := fmt.Sprintf("SACK %d a%d", int32(s.CumulativeTSNAck-zTSN), s.ARwnd)
			for i := 0; i < s.NumGapBlocks(); i++ {
				st, en := s.GapBlock(i)
				x += fmt.Sprintf(" g[%d-%d]", st, en)
			}
			for i := 0; i < s.NumDupTSNs(); i++ {
				x += fmt.Sprintf(" d[%d]", int32(s.DupTSN(i)-zTSN))
			}
			parts = append(parts, x)
		case wire.ChunkForwardTSN:
			fw, _ := wire.DecodeForwardTSN(c)
			x := fmt.Sprintf("FWD %d [", fw.NewCumulativeTSN-f.tsn)
			for i := 0; i < fw.NumStreams(); i++ {
				if i > 0 {
					x += " "
				}
				x += fmt.Sprintf("s%d n%d", fw.Stream(i).StreamID, fw.Stream(i).SSN)
			}
			parts = append(parts, x+"]")
		case wire.ChunkIForwardTSN:
			fw, _ := wire.DecodeIForwardTSN(c)
			x := fmt.Sprintf("IFWD %d [", fw.NewCumulativeTSN-f.tsn)
			for i := 0; i < fw.NumStreams(); i++ {
				e := fw.Stream(i)
				if i > 0 {
					x += " "
				}
				x += fmt.Sprintf("s%d m%d", e.StreamID, e.MID)
				if e.Unordered {
					x += "U"
				}
			}
			parts = append(parts, x+"]")
		case wire.ChunkShutdown:
			sd, _ := wire.DecodeShutdown(c)
			parts = append(parts, fmt.Sprintf("SHUTDOWN %d", int32(sd.CumulativeTSNAck-zTSN)))
		default:
			parts = append(parts, c.Type().String())
		}
	}
	return strings.Join(parts, " + ")
}

// recv reads one message (or piece) into a buffer of size n.
func (f *dfx) recv(n int) (string, RecvInfo) {
	f.t.Helper()
	buf := make([]byte, n)
	k, info, err := f.a.Recv(buf)
	if err != nil {
		f.t.Fatalf("Recv: %v", err)
	}
	return string(buf[:k]), info
}

func (f *dfx) expectNoRecv() {
	f.t.Helper()
	if _, _, err := f.a.Recv(make([]byte, 100)); !errors.Is(err, ErrWouldBlock) {
		f.t.Fatalf("Recv: %v, want ErrWouldBlock", err)
	}
}

// drainEvents returns the events as strings.
func (f *dfx) events() []string {
	var s []string
	for _, e := range events(f.a) {
		s = append(s, e.String())
	}
	return s
}

func (f *dfx) expectEvents(want ...string) {
	f.t.Helper()
	got := f.events()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		f.t.Fatalf("events %q, want %q", got, want)
	}
}

// t3 returns how long until T3-rtx expires, or -1 when it is not running.
func (f *dfx) t3() time.Duration {
	tm := f.a.timers[timerT3Rtx]
	if !tm.on {
		return -1
	}
	return tm.at.Sub(f.now)
}

// fire advances to the T3-rtx deadline and runs it.
func (f *dfx) fireT3() {
	f.t.Helper()
	d := f.t3()
	if d < 0 {
		f.t.Fatal("T3-rtx not running")
	}
	f.advance(d)
}

func expectErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
}

func decodeData(t *testing.T, o out) wire.Data {
	t.Helper()
	d, err := wire.DecodeData(o.chunk(t, 0, wire.ChunkData))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func splitChunks(p string) []string { return strings.Split(p, " + ") }

// newDataExt is newData with extension parameters in Z's INIT ACK: PR-SCTP
// (pr) and I-DATA (idata), when our configuration enables them too.
func newDataExt(t *testing.T, pr, idata bool, mod func(*Config)) *dfx {
	t.Helper()
	f := &dfx{newClient(t, func(c *Config) {
		c.PartialReliability, c.IData = pr, idata
		if mod != nil {
			mod(c)
		}
	})}
	var params [][]byte
	var ext []byte
	if pr {
		params = append(params, wire.ForwardTSNSupportedParam{}.Append(nil))
		ext = append(ext, byte(wire.ChunkForwardTSN))
	}
	if idata {
		ext = append(ext, byte(wire.ChunkIData), byte(wire.ChunkIForwardTSN))
	}
	if ext != nil {
		params = append(params, wire.SupportedExtensionsParam{ChunkTypes: ext}.Append(nil))
	}
	if err := f.send(f.tag, f.initAck(params...)); err != nil {
		t.Fatal(err)
	}
	expectOne(t, f.a, f.now, "COOKIE ECHO")
	if err := f.send(f.tag, &wire.CookieAck{}); err != nil {
		t.Fatal(err)
	}
	up := expectEvent[CommUp](t, f.a)
	if up.Info.Features.PartialReliability != pr || up.Info.Features.IData != idata {
		t.Fatalf("features %+v", up.Info.Features)
	}
	return f
}

// zidata is an I-DATA chunk from Z.
func zidata(off int, stream uint16, mid, fsn uint32, payload, flags string) *wire.IData {
	return &wire.IData{TSN: zTSN + uint32(off), StreamID: stream, MID: mid, FSN: fsn, PPID: 51,
		Beginning: strings.Contains(flags, "B"), Ending: strings.Contains(flags, "E"),
		Unordered: strings.Contains(flags, "U"), Immediate: strings.Contains(flags, "I"),
		UserData: []byte(payload)}
}
