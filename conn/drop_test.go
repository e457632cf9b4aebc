package conn

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sconnlab/sconn/assoc"
	"github.com/sconnlab/sconn/sysctl"
	"github.com/sconnlab/sconn/wire"
)

// mkPacket builds a packet with a valid checksum.
func mkPacket(src, dst uint16, vtag uint32, cs ...wire.Encoder) []byte {
	b := wire.AppendHeader(nil, wire.Header{SrcPort: src, DstPort: dst, VerificationTag: vtag})
	for _, c := range cs {
		b = c.Append(b)
	}
	return wire.FinishPacket(b, false)
}

func mkInit(tag uint32) *wire.Init {
	return &wire.Init{InitiateTag: tag, ARwnd: 65536, OutStreams: 10, InStreams: 10, InitialTSN: 1}
}

func TestDrops(t *testing.T) {
	p := newPair(t, false)
	ln := p.listen(OneToOne, 5000)
	_ = ln
	st := p.b
	h := p.hb

	check := func(name string, b []byte, hh Handle, want DropReason, wantOff int) {
		t.Helper()
		err := st.ConnInput(hh, b, 0)
		var de *DropError
		if !errors.As(err, &de) || de.Reason != want {
			t.Fatalf("%s: ConnInput = %v, want a %v drop", name, err, want)
		}
		if !errors.Is(err, ErrDropped) {
			t.Errorf("%s: not ErrDropped", name)
		}
		if wantOff >= -1 && de.Offset != wantOff {
			t.Errorf("%s: offset %d, want %d (%v)", name, de.Offset, wantOff, err)
		}
	}
	good := mkPacket(4000, 5000, 0, mkInit(77))

	check("short", good[:11], h, DropTooShort, -1)
	check("unregistered", good, 99, DropUnregisteredHandle, -1)
	bad := append([]byte(nil), good...)
	bad[8] ^= 1
	check("checksum", bad, h, DropBadChecksum, 8)
	zero := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(zero[8:], 0)
	check("zero checksum without association", zero, h, DropBadChecksum, 8)
	// A chunk whose length runs past the end.
	mal := append([]byte(nil), good...)
	binary.BigEndian.PutUint16(mal[14:], 200)
	wire.SetChecksum(mal)
	check("malformed layout", mal, h, DropMalformed, 12)
	// An INIT whose Initiate Tag is 0 is invalid (§3.3.2).
	check("invalid init", mkPacket(4000, 5000, 0, mkInit(0)), h, DropInvalidInit, -1)
	// A malformed parameter inside the INIT: offset of the parameter.
	badParam := mkPacket(4000, 5000, 0, mkInit(5))
	badParam = append(badParam[:len(badParam):len(badParam)], 0, 5, 0, 3) // IPv4 parameter of length 3
	binary.BigEndian.PutUint16(badParam[14:], uint16(len(badParam)-12))
	wire.SetChecksum(badParam)
	check("malformed parameter", badParam, h, DropMalformed, 32)
	// No listener on port 6000: answered with an ABORT.
	p.traceString()
	check("no listener", mkPacket(4000, 6000, 0, mkInit(5)), h, DropNoListener, -1)
	if got := p.traceString(); got != "B→A ABORT" {
		t.Errorf("OOTB reply: %q", got)
	}
	p.queue = nil
	// OOTB to the listener: a SACK with some tag.
	check("ootb", mkPacket(4000, 5000, 1234, &wire.Sack{CumulativeTSNAck: 1}), h, DropOOTB, -1)

	d := st.Drops()
	for _, r := range []DropReason{DropTooShort, DropUnregisteredHandle, DropMalformed, DropInvalidInit, DropNoListener, DropOOTB} {
		if d[r] == 0 {
			t.Errorf("no %v counted: %v", r, d)
		}
	}
	if d[DropBadChecksum] != 2 {
		t.Errorf("bad checksum count %d", d[DropBadChecksum])
	}
	ds := st.DropStats()
	if ds.Get(DropBadChecksum) != 2 || ds.Total() != st.Stats().Dropped {
		t.Errorf("DropStats %v", ds)
	}

	// Logged once per reason and handle, with the packet summary.
	check("checksum again", bad, h, DropBadChecksum, 8)
	lines := p.logs.matching("sctp:conn", "bad checksum", "handle 2")
	if len(lines) != 1 {
		t.Fatalf("bad checksum logged %d times: %q", len(lines), lines)
	}
	if !strings.Contains(lines[0], "WARN") || !strings.Contains(lines[0], "4000 > 5000") || !strings.Contains(lines[0], "INIT") {
		t.Errorf("log line %q", lines[0])
	}
	if lines := p.logs.matching("too short", "len 11"); len(lines) != 1 {
		t.Errorf("too short log: %q", lines)
	}
	if lines := p.logs.matching("malformed at offset 12"); len(lines) != 1 {
		t.Errorf("malformed log: %q", lines)
	}
	// Another handle logs again.
	p.b.RegisterAddress(7)
	check("checksum other handle", bad, 7, DropBadChecksum, 8)
	if len(p.logs.matching("bad checksum", "handle 7")) != 1 {
		t.Errorf("second handle not logged")
	}
}

func TestDropBadVtag(t *testing.T) {
	p := newPair(t, true)
	p.listen(OneToOne, 5000)
	c := p.dial(OneToOne, 5000)
	port := c.LocalAddr().Port
	err := p.b.ConnInput(p.hb, mkPacket(port, 5000, 0xdead, &wire.Heartbeat{Info: []byte{1, 2, 3, 4}}), 0)
	var de *DropError
	if !errors.As(err, &de) || de.Reason != DropBadVtag {
		t.Fatalf("got %v", err)
	}
	var ae *assoc.DropError
	if !errors.As(err, &ae) || ae.Reason != assoc.DropBadVtag {
		t.Errorf("engine error not wrapped: %v", err)
	}
}

func TestBlackhole(t *testing.T) {
	for _, tc := range []struct {
		level     uint32
		init, any bool // answered?
	}{{0, true, true}, {1, false, true}, {2, false, false}} {
		n := newNet(t, false)
		v := sysctl.Defaults()
		v.Set(sysctl.Blackhole, tc.level)
		a := n.stack("A", nil)
		b := n.stack("B", func(c *Config) { c.Sysctl = v })
		n.link(a, 1, b, 2)
		b.ConnInput(2, mkPacket(4000, 6000, 0, mkInit(5)), 0)
		if got := n.traceString() != ""; got != tc.init {
			t.Errorf("blackhole %d: INIT answered %v", tc.level, got)
		}
		b.ConnInput(2, mkPacket(4000, 6000, 9, &wire.Sack{}), 0)
		if got := n.traceString() != ""; got != tc.any {
			t.Errorf("blackhole %d: SACK answered %v", tc.level, got)
		}
		if d := b.Drops()[DropNoListener]; d != 2 {
			t.Errorf("blackhole %d: %d drops", tc.level, d)
		}
	}
}

func TestDropReasonNames(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range DropReasons() {
		s := r.String()
		if s == "" || seen[s] || strings.HasPrefix(s, "drop reason") {
			t.Errorf("reason %d: %q", r, s)
		}
		seen[s] = true
	}
	for r := assoc.DropReason(1); r <= assoc.DropBundling; r++ {
		if dropFromEngine(r) == DropEngine {
			t.Errorf("engine reason %v not mapped", r)
		}
	}
}

// TestZeroChecksum: an association that announced Zero Checksum Acceptable
// (RFC 9653) takes packets with a zero checksum; nothing else does.
func TestZeroChecksum(t *testing.T) {
	p := newPair(t, true)
	var zeros int
	p.lose = func(pk packet) bool {
		if binary.LittleEndian.Uint32(pk.b[8:12]) == 0 {
			zeros++
		}
		return false
	}
	ln, _ := p.b.Socket(OneToOne, Upcalls{})
	ln.opts.cfg.ZeroChecksum = true // no socket option yet: the extension options come with their own issue
	ln.Bind(Addr{AnyHandle, 5000})
	ln.Listen(4)
	c, _ := p.a.Socket(OneToOne, Upcalls{})
	c.opts.cfg.ZeroChecksum = true
	if err := c.Connect(Addr{p.ha, 5000}); err != nil {
		t.Fatal(err)
	}
	if !c.one.zeroCsum {
		t.Fatal("association does not accept zero checksums")
	}
	send(t, c, "zero", SendInfo{})
	p.advance(time.Second)
	if zeros == 0 {
		t.Error("no packet with a zero checksum was sent")
	}
	if d := p.a.Drops(); len(d) != 0 {
		t.Errorf("A dropped %v", d)
	}
	if d := p.b.Drops(); len(d) != 0 {
		t.Errorf("B dropped %v", d)
	}
	// A client that did not announce it refuses zero checksums.
	c2, _ := p.a.Socket(OneToOne, Upcalls{})
	if err := c2.Connect(Addr{p.ha, 5000}); err != nil {
		t.Fatal(err)
	}
	pkt := mkPacket(5000, c2.LocalAddr().Port, 1, &wire.CookieAck{})
	binary.LittleEndian.PutUint32(pkt[8:], 0)
	var de *DropError
	if err := p.a.ConnInput(p.ha, pkt, 0); !errors.As(err, &de) || de.Reason != DropBadChecksum {
		t.Errorf("zero checksum to a plain association: %v", err)
	}
}
