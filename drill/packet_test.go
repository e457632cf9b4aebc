package drill

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/sconnlab/sconn/wire"
)

func packetSpec(t *testing.T, line string) *PacketSpec {
	t.Helper()
	s := mustParse(t, "0 "+line+"\n")
	if len(s.Events) != 1 || s.Events[0].Kind != EventPacket {
		t.Fatalf("%q: not one packet", line)
	}
	return s.Events[0].Packet
}

// sut builds a packet as the stack under test would send it.
func sut(vtag uint32, chunks ...wire.Encoder) []byte {
	b := wire.AppendHeader(nil, wire.Header{SrcPort: 8080, DstPort: 9090, VerificationTag: vtag})
	for _, c := range chunks {
		b = c.Append(b)
	}
	return wire.FinishPacket(b, false)
}

func mustMatch(t *testing.T, st *liveState, line string, pkt []byte) *liveState {
	t.Helper()
	ns, mm := matchPacket(packetSpec(t, line), pkt, st)
	if mm != nil {
		t.Fatalf("%s", mm)
	}
	return ns
}

func mismatch(t *testing.T, st *liveState, line string, pkt []byte, want string) {
	t.Helper()
	_, mm := matchPacket(packetSpec(t, line), pkt, st)
	if mm == nil {
		t.Fatalf("%s matched, want a mismatch with %q", line, want)
	}
	if !strings.Contains(mm.Error(), want) {
		t.Errorf("mismatch %q, want it to contain %q", mm.Error(), want)
	}
	if mm.Line != 1 {
		t.Errorf("mismatch line %d", mm.Line)
	}
}

func TestHandshakeBindings(t *testing.T) {
	st := newLiveState(8080, 9090)
	// The stack's INIT: tag=1 and tsn=0 name its live tag and initial TSN.
	init := sut(0, &wire.Init{InitiateTag: 0xdeadbeef, ARwnd: 65536, OutStreams: 10, InStreams: 10, InitialTSN: 1000,
		Params: wire.ForwardTSNSupportedParam{}.Append(nil)})
	st = mustMatch(t, st, "> sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=0, ...]", init)
	if !st.haveTag || st.curTag != 0xdeadbeef || st.tagMap[1] != 0xdeadbeef || st.off() != 1000 {
		t.Fatalf("bindings: %+v", st)
	}
	// Without "...", the extra parameter is a mismatch.
	mismatch(t, newLiveState(8080, 9090), "> sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=0]", init, "0 parameter(s) or cause(s) expected, got 1")

	// The injected INIT ACK carries the live tag, and names the peer's tag.
	pkt, err := encodePacket(packetSpec(t, "< sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=1500, os=1, is=1, tsn=3, STATE_COOKIE[len=4, val=...]]"), st)
	if err != nil {
		t.Fatal(err)
	}
	p, err := wire.ParsePacket(pkt)
	if err != nil {
		t.Fatal(err)
	}
	if err := wire.VerifyChecksum(pkt, false); err != nil {
		t.Fatal(err)
	}
	if p.VerificationTag() != 0xdeadbeef || p.SrcPort() != 9090 || p.DstPort() != 8080 {
		t.Errorf("header %+v", p.Header())
	}
	c, _ := p.FirstChunk()
	ia, err := wire.DecodeInitAck(c)
	if err != nil {
		t.Fatal(err)
	}
	ip, _ := ia.InitParams()
	if ia.InitiateTag != 2 || ia.InitialTSN != 3 || ia.ARwnd != 1500 || ip.StateCookie == nil || len(ip.StateCookie) != 0 {
		t.Errorf("INIT ACK %+v %+v", ia, ip)
	}
	if !st.havePeer || st.peerTag != 2 {
		t.Errorf("peer tag not recorded")
	}

	// COOKIE_ECHO and DATA from the stack; the DATA TSN is named 0.
	st = mustMatch(t, st, "> sctp: COOKIE_ECHO[flgs=0, len=4, val=...]", sut(2, &wire.CookieEcho{}))
	st = mustMatch(t, st, "> sctp: DATA[flgs=BE, len=1016, tsn=0, sid=0, ssn=0, ppid=0]",
		sut(2, &wire.Data{TSN: 1000, Beginning: true, Ending: true, UserData: make([]byte, 1000)}))
	mismatch(t, st, "> sctp: DATA[flgs=BE, len=1016, tsn=1, sid=0, ssn=0, ppid=0]",
		sut(2, &wire.Data{TSN: 1000, Beginning: true, Ending: true, UserData: make([]byte, 1000)}), "tsn: expected 1, got 0")
	mismatch(t, st, "> sctp: DATA[flgs=BE, len=1016, tsn=0, sid=0, ssn=0, ppid=0]",
		sut(2, &wire.Data{TSN: 1000, Beginning: true, UserData: make([]byte, 1000)}), "flgs: expected BE, got B")
	mismatch(t, st, "> sctp: DATA[flgs=BE, len=1016, tsn=0, sid=0, ssn=0, ppid=0]",
		sut(7, &wire.Data{TSN: 1000, Beginning: true, Ending: true, UserData: make([]byte, 1000)}), "verification tag")

	// An injected SACK of that DATA carries the live TSN.
	pkt, err = encodePacket(packetSpec(t, "< sctp: SACK[flgs=0, cum_tsn=0, a_rwnd=1500, gaps=[2:3], dups=[0]]"), st)
	if err != nil {
		t.Fatal(err)
	}
	p, _ = wire.ParsePacket(pkt)
	c, _ = p.FirstChunk()
	sk, err := wire.DecodeSack(c)
	if err != nil {
		t.Fatal(err)
	}
	if g0, g1 := sk.GapBlock(0); sk.CumulativeTSNAck != 1000 || sk.DupTSN(0) != 1000 || g0 != 2 || g1 != 3 {
		t.Errorf("SACK %+v", sk)
	}

	// SHUTDOWN from the stack acknowledges the peer's TSNs, as written.
	st = mustMatch(t, st, "> sctp: SHUTDOWN[flgs=0, cum_tsn=2]", sut(2, &wire.Shutdown{CumulativeTSNAck: 2}))
	mismatch(t, st, "> sctp: SHUTDOWN_COMPLETE[flgs=0]", sut(2, &wire.ShutdownComplete{TagReflected: true}), "flgs: expected 0, got T")

	// A second INIT with tag=1 must carry the same live tag.
	mismatch(t, st, "> sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=0, ...]",
		sut(0, &wire.Init{InitiateTag: 5, ARwnd: 1, OutStreams: 1, InStreams: 1, InitialTSN: 1000}), "bound to 0xdeadbeef")
}

func TestPassiveBindings(t *testing.T) {
	st := newLiveState(8080, 9090)
	pkt, err := encodePacket(packetSpec(t, "< sctp: INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=1]"), st)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := wire.ParsePacket(pkt); p.VerificationTag() != 0 {
		t.Errorf("INIT vtag %x", p.VerificationTag())
	}
	cookie := []byte("a state cookie!!")
	var params []byte
	params = wire.StateCookieParam{Cookie: cookie}.Append(params)
	ack := sut(1, &wire.InitAck{InitiateTag: 0x11223344, ARwnd: 1 << 20, OutStreams: 1, InStreams: 1, InitialTSN: 77, Params: params})
	st = mustMatch(t, st, "> sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=..., os=..., is=..., tsn=1, ...]", ack)
	s2 := newLiveState(8080, 9090)
	s2.notePeer(1)
	mismatch(t, s2, "> sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=..., os=..., is=..., tsn=1, ...]",
		sut(9, &wire.InitAck{InitiateTag: 0x11223344, ARwnd: 1 << 20, OutStreams: 1, InStreams: 1, InitialTSN: 77, Params: params}), "verification tag: expected the peer's tag 1, got 0x00000009")

	// The injected COOKIE_ECHO carries the live cookie and tag.
	pkt, err = encodePacket(packetSpec(t, "< sctp: COOKIE_ECHO[flgs=0, len=..., val=...]; DATA[flgs=BE, len=116, tsn=1, sid=0, ssn=0, ppid=0]"), st)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := wire.ParsePacket(pkt)
	if p.VerificationTag() != 0x11223344 || p.NumChunks() != 2 {
		t.Fatalf("COOKIE ECHO packet: %s", wire.Summary(p))
	}
	it := p.Chunks()
	c, _ := it.Next()
	ce, _ := wire.DecodeCookieEcho(c)
	if !bytes.Equal(ce.Cookie, cookie) {
		t.Errorf("cookie %q", ce.Cookie)
	}
	c, _ = it.Next()
	d, _ := wire.DecodeData(c)
	if d.TSN != 1 || len(d.UserData) != 100 || !d.Beginning || !d.Ending {
		t.Errorf("DATA %+v", d)
	}

	// SACK of the peer's DATA, then SHUTDOWN with cum_tsn=0 in the stack's numbering.
	st = mustMatch(t, st, "> sctp: COOKIE_ACK[flgs=0]; SACK[flgs=0, cum_tsn=1, a_rwnd=..., gaps=[], dups=[]]",
		sut(1, &wire.CookieAck{}, &wire.Sack{CumulativeTSNAck: 1, ARwnd: 1000}))
	mismatch(t, st, "> sctp: COOKIE_ACK[flgs=0]", sut(1, &wire.CookieAck{}, &wire.Sack{CumulativeTSNAck: 1}), "expected 1 chunk(s) (COOKIE_ACK), got 2 (COOKIE_ACK; SACK)")
	mismatch(t, st, "> sctp: SACK[flgs=0, cum_tsn=1, a_rwnd=..., gaps=[], dups=[]]",
		sut(1, &wire.Sack{CumulativeTSNAck: 1, GapBlocks: []wire.GapBlock{{Start: 2, End: 2}}}), "gaps: expected [], got [2:2]")
	pkt, _ = encodePacket(packetSpec(t, "< sctp: SHUTDOWN[flgs=0, cum_tsn=0]"), st)
	p, _ = wire.ParsePacket(pkt)
	c, _ = p.FirstChunk()
	sh, _ := wire.DecodeShutdown(c)
	if sh.CumulativeTSNAck != 76 {
		t.Errorf("SHUTDOWN cum %d, want 76", sh.CumulativeTSNAck)
	}
	// The T bit reflects the peer's own tag.
	pkt, _ = encodePacket(packetSpec(t, "< sctp: SHUTDOWN_COMPLETE[flgs=T]"), st)
	if p, _ := wire.ParsePacket(pkt); p.VerificationTag() != 1 {
		t.Errorf("T-bit vtag %x", p.VerificationTag())
	}
	// An ABORT with the T bit from the stack reflects the last injected tag.
	mustMatch(t, st, "> sctp: ABORT[flgs=T]", sut(1, &wire.Abort{TagReflected: true}))
	mismatch(t, st, "> sctp: ABORT[flgs=T]", sut(0x11223344, &wire.Abort{TagReflected: true}), "reflected tag")
}

func TestMatchCauses(t *testing.T) {
	st := newLiveState(8080, 9090)
	st.notePeer(1)
	unk := (&wire.RawChunk{Type: 0xEF, Value: []byte{1}}).Append(nil)[:5]
	errc := &wire.ErrorChunk{Causes: wire.UnrecognizedChunkType{Chunk: unk}.Append(nil)}
	mustMatch(t, st, "> sctp: ERROR[flgs=0, UNRECOGNIZED_CHUNK_TYPE[chk=CHUNK[type=0xEF, flgs=0, len=5, val=[0x01]]]]", sut(1, errc))
	mismatch(t, st, "> sctp: ERROR[flgs=0, UNRECOGNIZED_CHUNK_TYPE[chk=CHUNK[type=0xEF, flgs=0, len=5, val=[0x02]]]]", sut(1, errc), "val: expected [0x02], got [0x01]")

	host := wire.HostNameAddressParam{HostName: []byte("a.b\x00")}.Append(nil)[:8]
	ab := &wire.Abort{TagReflected: true, Causes: wire.UnresolvableAddress{Address: host}.Append(nil)}
	mustMatch(t, st, `> sctp: ABORT[flgs=..., UNRESOLVABLE_ADDRESS[param=HOSTNAME_ADDRESS[addr="a.b"]]]`, sut(1, ab))
	mismatch(t, st, `> sctp: ABORT[flgs=..., UNRESOLVABLE_ADDRESS[param=HOSTNAME_ADDRESS[addr="a.c"]]]`, sut(1, ab), `addr: expected "a.c", got "a.b"`)
	mustMatch(t, st, `> sctp: ABORT[flgs=T, ...]`, sut(1, ab))
	mismatch(t, st, `> sctp: ABORT[flgs=T]`, sut(1, ab), "0 parameter(s) or cause(s) expected, got 1")
	mismatch(t, st, `> sctp: ABORT[flgs=..., INVALID_MANDATORY_PARAMETER[]]`, sut(1, ab), "expected INVALID_MANDATORY_PARAMETER[]")

	nud := &wire.Abort{Causes: wire.NoUserData{TSN: 1}.Append(nil)}
	mustMatch(t, st, "> sctp: ABORT[flgs=0, NO_USER_DATA[tsn=1]]", sut(1, nud))

	// Unrecognized parameters in an INIT ACK, in order, then the cookie.
	p1 := wire.RawParam{Type: 0xc0cc, Value: []byte{1, 1, 1, 1}}.Append(nil)
	var params []byte
	params = wire.UnrecognizedParameterParam{Parameter: p1}.Append(params)
	params = wire.StateCookieParam{Cookie: []byte("cookie")}.Append(params)
	ia := &wire.InitAck{InitiateTag: 9, ARwnd: 1, OutStreams: 1, InStreams: 1, InitialTSN: 1, Params: params}
	line := "> sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=..., os=..., is=..., tsn=1, " +
		"UNRECOGNIZED_PARAMETER[params=[PARAMETER[type=0xc0cc, len=8, val=[0x01, 0x01, 0x01, 0x01]]]], STATE_COOKIE[len=..., val=...]]"
	ns := mustMatch(t, st, line, sut(1, ia))
	if string(ns.cookie) != "cookie" {
		t.Errorf("cookie %q", ns.cookie)
	}
	mismatch(t, st, strings.Replace(line, "0x01, 0x01, 0x01, 0x01]]]]", "0x01, 0x01, 0x01, 0x02]]]]", 1), sut(1, ia), "val: expected")
	// Parameters in another order do not match.
	mismatch(t, st, "> sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=..., os=..., is=..., tsn=1, STATE_COOKIE[len=..., val=...], "+
		"UNRECOGNIZED_PARAMETER[params=[PARAMETER[type=0xc0cc, len=8, val=[0x01, 0x01, 0x01, 0x01]]]]]", sut(1, ia), "expected STATE_COOKIE")
	// "..." in the middle of a parameter list.
	mustMatch(t, st, "> sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=..., os=..., is=..., tsn=1, ..., STATE_COOKIE[len=..., val=...]]", sut(1, ia))

	hb := &wire.HeartbeatAck{Info: []byte{1, 2, 3, 4, 5, 6, 7, 8}}
	mustMatch(t, st, "> sctp: HEARTBEAT_ACK[flgs=0, HEARTBEAT_INFORMATION[len=12, val=...]]", sut(1, hb))
	mismatch(t, st, "> sctp: HEARTBEAT_ACK[flgs=0, HEARTBEAT_INFORMATION[len=10, val=...]]", sut(1, hb), "len: expected 10, got 12")
}

func TestEncodeMisc(t *testing.T) {
	st := newLiveState(8080, 9090)
	st.curTag, st.haveTag = 0xabcd, true
	for _, tc := range []struct {
		line string
		want string // wire.Summary of the packet
	}{
		{"< sctp: HEARTBEAT[flgs=0, HEARTBEAT_INFORMATION[len=9, val=...]]", "HEARTBEAT info 5"},
		{"< sctp: CHUNK[type=0xEF, flgs=0, len=5, val=[0x01]]; DATA[flgs=BE, len=1016, tsn=1, sid=0, ssn=0, ppid=0]", "chunk 0xef flags 0x00 len 5; DATA tsn 1 sid 0 ssn 0 ppid 0 BE len 1000"},
		{"< sctp: ABORT[flgs=0]", "ABORT"},
		{"< sctp: DATA[flgs=BE, len=16, tsn=1, sid=0, ssn=0, ppid=0]", "DATA tsn 1 sid 0 ssn 0 ppid 0 BE len 0"},
		{"< sctp(tag=7): SHUTDOWN[flgs=0, cum_tsn=0]", "SHUTDOWN cum 0"},
		{"< sctp: INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=0, SUPPORTED_ADDRESS_TYPES[types=[IPv6]]]", "INIT tag 0x00000001"},
		{"< sctp: INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=0, COOKIE_PRESERVATIVE[incr=12345], IPV6_ADDRESS[addr=fe80::250:56ff:fe24:9e6], IPV4_ADDRESS[addr=1.1.1.1]]", "IPv4 Address 1.1.1.1"},
		{"< sctp: INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=1, PARAMETER[type=0xc0cc, len=8, val=[0x01, 0x01, 0x01, 0x01]]]", "INIT"},
		{`< sctp: INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=0, HOSTNAME_ADDRESS[addr="a.b"]]`, "Host Name"},
		{"< sctp: COOKIE_ECHO[flgs=0, len=16, val=[0x01, 0x02, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x9, 0x0a, 0x0b]]", "COOKIE ECHO len 12"},
	} {
		pkt, err := encodePacket(packetSpec(t, tc.line), st)
		if err != nil {
			t.Errorf("%s: %v", tc.line, err)
			continue
		}
		p, err := wire.ParsePacket(pkt)
		if err != nil {
			t.Errorf("%s: %v", tc.line, err)
			continue
		}
		if err := wire.ValidatePacket(p); err != nil {
			t.Errorf("%s: invalid: %v", tc.line, err)
		}
		if s := wire.Summary(p); !strings.Contains(s, tc.want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.line, s, tc.want)
		}
	}
	// bad_crc32c
	pkt, _ := encodePacket(packetSpec(t, "< sctp(bad_crc32c): COOKIE_ACK[flgs=0]"), st)
	if wire.VerifyChecksum(pkt, false) == nil {
		t.Error("bad_crc32c packet has a good checksum")
	}
	// COOKIE_ECHO[val=...] before any INIT ACK is an error, not a panic.
	if _, err := encodePacket(packetSpec(t, "< sctp: COOKIE_ECHO[flgs=0, len=..., val=...]"), newLiveState(1, 2)); err == nil {
		t.Error("no error for a cookie never seen")
	}
}

func TestFormatActual(t *testing.T) {
	st := newLiveState(8080, 9090)
	st.curTag, st.haveTag = 5, true
	st.tsnOff[5] = 100
	pkt := sut(1, &wire.Data{TSN: 101, Beginning: true, UserData: make([]byte, 10)}, &wire.Sack{CumulativeTSNAck: 3, ARwnd: 9, GapBlocks: []wire.GapBlock{{Start: 2, End: 4}}, DupTSNs: []uint32{2}})
	got := formatPacket(pkt, st)
	want := "sctp(tag=0x00000001): DATA[flgs=B, len=26, tsn=1, sid=0, ssn=0, ppid=0]; SACK[flgs=0, cum_tsn=3, a_rwnd=9, gaps=[2:4], dups=[2]]"
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

// An injected packet with sctp(zero_crc32c) carries a checksum field of
// zero (RFC 9653), which only an association that announced Zero Checksum
// Acceptable may accept.
func TestZeroChecksumOption(t *testing.T) {
	ps := packetSpec(t, "< sctp(zero_crc32c): COOKIE_ACK[flgs=0]")
	if !ps.ZeroCRC || ps.String() != "< sctp(zero_crc32c): COOKIE_ACK[flgs=0]" {
		t.Fatalf("parsed %+v as %q", ps, ps.String())
	}
	pkt, err := encodePacket(ps, newLiveState(8080, 9090))
	if err != nil {
		t.Fatal(err)
	}
	if binary.BigEndian.Uint32(pkt[8:12]) != 0 {
		t.Errorf("checksum field %x, want 0", pkt[8:12])
	}
	if _, err := Parse("x", []byte("0 < sctp(frob): COOKIE_ACK[flgs=0]\n"), ParseOptions{}); err == nil || !strings.Contains(err.Error(), "zero_crc32c") {
		t.Errorf("unknown option: %v", err)
	}
}

// An injected HEARTBEAT_ACK with HEARTBEAT_INFORMATION[val=...] echoes the
// information of the last HEARTBEAT the stack sent (RFC 9260 §8.3); with
// the value or the length written out it is sent as written.
func TestHeartbeatInfoEcho(t *testing.T) {
	st := newLiveState(8080, 9090)
	info := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	// Before any HEARTBEAT: the parameter is empty.
	pkt, err := encodePacket(packetSpec(t, "< sctp: HEARTBEAT_ACK[flgs=0, HEARTBEAT_INFORMATION[val=...]]"), st)
	if err != nil {
		t.Fatal(err)
	}
	if got := heartbeatAckInfo(t, pkt); len(got) != 0 {
		t.Errorf("before any HEARTBEAT: info %x, want none", got)
	}
	st = mustMatch(t, st, "> sctp: HEARTBEAT[flgs=0, HEARTBEAT_INFORMATION[len=..., val=...]]", sut(0, &wire.Heartbeat{Info: info}))
	for _, tc := range []struct {
		line string
		want []byte
	}{
		{"< sctp: HEARTBEAT_ACK[flgs=0, HEARTBEAT_INFORMATION[val=...]]", info},
		{"< sctp: HEARTBEAT_ACK[flgs=0, HEARTBEAT_INFORMATION[len=..., val=...]]", info},
		{"< sctp: HEARTBEAT_ACK[flgs=0, HEARTBEAT_INFORMATION[len=8, val=...]]", []byte{0, 0, 0, 0}},
		{"< sctp: HEARTBEAT_ACK[flgs=0, HEARTBEAT_INFORMATION[val=[0x01, 0x02]]]", []byte{1, 2}},
	} {
		pkt, err := encodePacket(packetSpec(t, tc.line), st)
		if err != nil {
			t.Fatalf("%s: %v", tc.line, err)
		}
		if got := heartbeatAckInfo(t, pkt); !bytes.Equal(got, tc.want) {
			t.Errorf("%s: info %x, want %x", tc.line, got, tc.want)
		}
	}
	// An injected HEARTBEAT is not an echo: val=... stays empty.
	pkt, err = encodePacket(packetSpec(t, "< sctp: HEARTBEAT[flgs=0, HEARTBEAT_INFORMATION[val=...]]"), st)
	if err != nil {
		t.Fatal(err)
	}
	p, err := wire.ParsePacket(pkt)
	if err != nil {
		t.Fatal(err)
	}
	it := p.Chunks()
	c, _ := it.Next()
	hb, err := wire.DecodeHeartbeat(c)
	if err != nil || len(hb.Info) != 0 {
		t.Errorf("injected HEARTBEAT info %x (%v), want none", hb.Info, err)
	}
}

func heartbeatAckInfo(t *testing.T, pkt []byte) []byte {
	t.Helper()
	p, err := wire.ParsePacket(pkt)
	if err != nil {
		t.Fatal(err)
	}
	it := p.Chunks()
	c, ok := it.Next()
	if !ok {
		t.Fatal("no chunk")
	}
	hb, err := wire.DecodeHeartbeatAck(c)
	if err != nil {
		t.Fatal(err)
	}
	return hb.Info
}

// sctp(local_tag) injects a packet with the stack's own tag even with the
// T bit, which alone would reflect the peer's tag (RFC 9260 §8.5.1).
func TestLocalTagOption(t *testing.T) {
	st := newLiveState(8080, 9090)
	st.curTag, st.haveTag = 0x11, true
	st.notePeer(0x22)
	for _, tc := range []struct {
		line string
		want uint32
	}{
		{"< sctp: ABORT[flgs=T]", 0x22},
		{"< sctp(local_tag): ABORT[flgs=T]", 0x11},
		{"< sctp(local_tag): SHUTDOWN_COMPLETE[flgs=T]", 0x11},
		{"< sctp: ABORT[flgs=0]", 0x11},
		{"< sctp(tag=7): ABORT[flgs=T]", 7},
	} {
		ps := packetSpec(t, tc.line)
		if got := ps.String(); got != tc.line {
			t.Errorf("String() = %q, want %q", got, tc.line)
		}
		pkt, err := encodePacket(ps, st)
		if err != nil {
			t.Fatalf("%s: %v", tc.line, err)
		}
		if got := binary.BigEndian.Uint32(pkt[4:8]); got != tc.want {
			t.Errorf("%s: verification tag 0x%x, want 0x%x", tc.line, got, tc.want)
		}
	}
}
