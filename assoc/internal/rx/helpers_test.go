package rx

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

var t0 = time.Unix(1000, 0)

// frag builds a DATA fragment; flags holds any of "BEUI".
func dfrag(tsn uint32, stream, ssn uint16, flags string, payload string) Fragment {
	f := Fragment{TSN: tsn, Stream: stream, SSN: ssn, PPID: 51, Payload: []byte(payload)}
	setFlags(&f, flags)
	return f
}

// ifrag builds an I-DATA fragment.
func ifrag(tsn uint32, stream uint16, mid, fsn uint32, flags string, payload string) Fragment {
	f := Fragment{TSN: tsn, Stream: stream, MID: mid, FSN: fsn, PPID: 53, IData: true, Payload: []byte(payload)}
	setFlags(&f, flags)
	if !f.Beginning {
		f.PPID = 0
	}
	return f
}

func setFlags(f *Fragment, flags string) {
	for _, c := range flags {
		switch c {
		case 'B':
			f.Beginning = true
		case 'E':
			f.Ending = true
		case 'U':
			f.Unordered = true
		case 'I':
			f.Immediate = true
		default:
			panic("bad flag " + string(c))
		}
	}
}

// splitData fragments msg into DATA chunks of at most size bytes with
// consecutive TSNs from tsn.
func splitData(msg []byte, tsn uint32, stream, ssn uint16, unordered bool, size int) []Fragment {
	var out []Fragment
	for off := 0; off < len(msg); off += size {
		end := min(off+size, len(msg))
		f := Fragment{TSN: tsn, Stream: stream, SSN: ssn, PPID: 7, Unordered: unordered,
			Beginning: off == 0, Ending: end == len(msg), Payload: msg[off:end]}
		out = append(out, f)
		tsn++
	}
	return out
}

// splitIData fragments msg into I-DATA chunks; TSNs are assigned later.
func splitIData(msg []byte, stream uint16, mid uint32, unordered bool, size int) []Fragment {
	var out []Fragment
	fsn := uint32(0)
	for off := 0; off < len(msg); off += size {
		end := min(off+size, len(msg))
		f := Fragment{Stream: stream, MID: mid, FSN: fsn, IData: true, Unordered: unordered,
			Beginning: off == 0, Ending: end == len(msg), Payload: msg[off:end]}
		if f.Beginning {
			f.PPID = 7
		}
		out = append(out, f)
		fsn++
	}
	return out
}

type got struct {
	info RecvInfo
	data string
}

func (g got) String() string {
	return fmt.Sprintf("s%d/%d %q eor=%v u=%v", g.info.Stream, g.info.MID, g.data, g.info.EOR, g.info.Unordered)
}

// readAll drains r with a large buffer.
func readAll(r *Reassembly) []got {
	var out []got
	buf := make([]byte, 1<<20)
	for {
		n, info, ok := r.Read(buf)
		if !ok {
			return out
		}
		out = append(out, got{info, string(buf[:n])})
	}
}

// readMessages drains r and joins pieces into messages.
func readMessages(t *testing.T, r *Reassembly) []got {
	t.Helper()
	var out []got
	var cur bytes.Buffer
	for _, g := range readAll(r) {
		cur.WriteString(g.data)
		if g.info.EOR {
			g.data = cur.String()
			out = append(out, g)
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		t.Fatalf("unterminated message %q", cur.String())
	}
	return out
}

func datas(gs []got) []string {
	var s []string
	for _, g := range gs {
		s = append(s, g.data)
	}
	return s
}

func mustAdd(t *testing.T, r *Reassembly, fs ...Fragment) {
	t.Helper()
	for i := range fs {
		if err := r.Add(&fs[i]); err != nil {
			t.Fatalf("Add(TSN %d): %v", fs[i].TSN, err)
		}
	}
}

func sackOf(t *DataTracker, arwnd uint32) wire.Sack {
	var s wire.Sack
	t.FillSack(&s, make([]wire.GapBlock, 0, 64), make([]uint32, 0, 64), arwnd)
	return s
}

func wireData(f *Fragment) wire.Data {
	return wire.Data{TSN: f.TSN, StreamID: f.Stream, SSN: f.SSN, PPID: f.PPID, Unordered: f.Unordered,
		Beginning: f.Beginning, Ending: f.Ending, Immediate: f.Immediate, UserData: f.Payload}
}

func wireIData(tsn uint32, stream uint16, mid, fsn uint32, begin bool) wire.IData {
	d := wire.IData{TSN: tsn, StreamID: stream, MID: mid, Beginning: begin, UserData: []byte("x")}
	if begin {
		d.PPID = 99
	} else {
		d.FSN = fsn
	}
	return d
}
