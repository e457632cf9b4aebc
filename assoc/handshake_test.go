package assoc

import (
	"bytes"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// TestRFC9260_5_1_A_ConnectSendsInit: Connect sends an INIT alone, with
// verification tag 0 (§8.5.1 A), a non-zero Initiate Tag (§5.3.1), our
// OS/MIS/a_rwnd, the extension parameters, a real CRC32c (RFC 9653 §5.2),
// starts T1-init at RTO.Initial and enters COOKIE-WAIT.
func TestRFC9260_5_1_A_ConnectSendsInit(t *testing.T) {
	a := New(testConfig(func(c *Config) {
		c.OutboundStreams, c.InboundStreams, c.ARwnd = 7, 9, 100000
		c.ECN, c.PartialReliability, c.Reconfig, c.IData = true, true, true, false
		c.ZeroChecksum = true
	}), NewSeededRand(1))
	expectState(t, a, Closed)
	if err := a.Connect(t0); err != nil {
		t.Fatal(err)
	}
	expectState(t, a, CookieWait)
	o := expectOne(t, a, t0, "INIT")
	if o.hdr.VerificationTag != 0 || o.hdr.SrcPort != aPort || o.hdr.DstPort != zPort || o.zeroCk {
		t.Fatalf("INIT header %+v zero checksum %v", o.hdr, o.zeroCk)
	}
	in, err := wire.DecodeInit(o.chunks[0])
	if err != nil {
		t.Fatal(err)
	}
	if in.InitiateTag == 0 || in.OutStreams != 7 || in.InStreams != 9 || in.ARwnd != 100000 {
		t.Fatalf("INIT %+v", in)
	}
	want := concat(
		wire.ECNCapableParam{}.Append(nil),
		wire.ForwardTSNSupportedParam{}.Append(nil),
		wire.SupportedExtensionsParam{ChunkTypes: []byte{byte(wire.ChunkForwardTSN), byte(wire.ChunkReconfig)}}.Append(nil),
		wire.ZeroChecksumAcceptableParam{EDMID: wire.EDMIDLowerLayerDTLS}.Append(nil))
	if !bytes.Equal(in.Params, want) {
		t.Fatalf("INIT parameters\n got %x\nwant %x", in.Params, want)
	}
	if d := a.NextDeadline().Sub(t0); d != 3*time.Second {
		t.Fatalf("T1-init %v, want RTO.Initial 3s", d)
	}
	if a.Connect(t0) != ErrInvalidState {
		t.Fatal("second Connect accepted")
	}
	if a.Info().LocalTag != in.InitiateTag || a.Info().LocalInitialTSN != in.InitialTSN {
		t.Fatalf("Info %+v", a.Info())
	}
}

// TestRFC9260_5_1_C_InitAckSendsCookieEcho: the INIT ACK stops T1-init; the
// COOKIE ECHO carries the cookie unchanged, goes first in its packet under
// the peer's tag, and T1-cookie starts (§5.1 C, §5.1.4).
func TestRFC9260_5_1_C_InitAckSendsCookieEcho(t *testing.T) {
	f := newClient(t, nil)
	f.now = f.now.Add(40 * time.Millisecond)
	if err := f.send(f.tag, f.initAck()); err != nil {
		t.Fatal(err)
	}
	expectState(t, f.a, CookieEchoed)
	o := expectOne(t, f.a, f.now, "COOKIE ECHO")
	if o.hdr.VerificationTag != zTag {
		t.Fatalf("COOKIE ECHO tag %#x", o.hdr.VerificationTag)
	}
	want := append([]byte{10, 0, 0, byte(4 + len(zCookie))}, zCookie...)
	if !bytes.Equal(o.chunks[0].Bytes(), want) {
		t.Fatalf("COOKIE ECHO %x, want %x", o.chunks[0].Bytes(), want)
	}
	// §6.3.1 C2: the INIT/INIT ACK round trip is the first sample; RTO
	// = 40 + 4·20 = 120 ms, raised to RTO.Min (C6).
	if r := f.a.RTO(); r.SRTT() != 40*time.Millisecond || r.Value() != time.Second {
		t.Fatalf("SRTT %v RTO %v", r.SRTT(), r.Value())
	}
	if d := f.a.NextDeadline().Sub(f.now); d != time.Second {
		t.Fatalf("T1-cookie %v", d)
	}
	info := f.a.Info()
	if info.PeerTag != zTag || info.PeerInitialTSN != zTSN || info.PeerARwnd != 65536 {
		t.Fatalf("Info %+v", info)
	}
}

// TestRFC9260_5_1_E_CookieAckEstablishes: COOKIE ACK in COOKIE-ECHOED
// stops T1-cookie, enters ESTABLISHED and reports COMMUNICATION UP with the
// negotiated streams (§5.1 E, §5.1.1, §11.2.4).
func TestRFC9260_5_1_E_CookieAckEstablishes(t *testing.T) {
	f := newClient(t, func(c *Config) { c.OutboundStreams, c.InboundStreams = 100, 4 })
	f.echo()
	if err := f.send(f.tag, &wire.CookieAck{}); err != nil {
		t.Fatal(err)
	}
	up := expectEvent[CommUp](t, f.a)
	// Ours: OS 100, MIS 4; the peer's INIT ACK: OS 16, MIS 16.
	if up.Info.OutboundStreams != 16 || up.Info.InboundStreams != 4 {
		t.Fatalf("streams %+v", up.Info)
	}
	expectState(t, f.a, Established)
	if f.a.timers.running(timerT1Cookie) || !f.a.timers.running(timerHeartbeat) {
		t.Fatal("timers after COOKIE ACK")
	}
	expectNone(t, f.a, f.now)
}

// TestRFC9260_5_1_B_EndpointAnswersInit: the endpoint answers an INIT with
// an INIT ACK to the Initiate Tag, with its own non-zero tag, streams
// bounded by the INIT's MIS (§3.3.3) and a cookie; it keeps no state, so
// the same INIT twice gets two valid, different INIT ACKs (§5.1 B).
func TestRFC9260_5_1_B_EndpointAnswersInit(t *testing.T) {
	f := newServer(t, func(c *Config) { c.OutboundStreams = 300 })
	ack1 := f.init()
	cookie1 := f.cookie
	ack2 := f.init()
	if ack1.InitiateTag == 0 || ack1.InitiateTag == ack2.InitiateTag || bytes.Equal(cookie1, f.cookie) {
		t.Fatal("INIT ACKs should carry fresh tags and cookies")
	}
	if ack1.OutStreams != 16 || ack1.InStreams != 2048 || ack1.ARwnd != 1864135 {
		t.Fatalf("INIT ACK %+v", ack1)
	}
	if len(cookie1) != CookieLen {
		t.Fatalf("cookie length %d", len(cookie1))
	}
	// Either cookie creates the association.
	o, err := f.handle(mk(t, ack1.InitiateTag, &wire.CookieEcho{Cookie: cookie1}))
	if err != nil || o != nil || f.a == nil {
		t.Fatalf("cookie 1: %v %v", o, err)
	}
	if f.a.Info().LocalTag != ack1.InitiateTag {
		t.Fatal("association does not use the cookie's tag")
	}
}

// TestRFC9260_5_1_5_CookieEchoCreatesAssociation: a valid COOKIE ECHO makes
// an ESTABLISHED association from the cookie alone, answers with COOKIE
// ACK and reports COMMUNICATION UP (§5.1.5 steps 5 and 6).
func TestRFC9260_5_1_5_CookieEchoCreatesAssociation(t *testing.T) {
	f := newServer(t, func(c *Config) { c.InboundStreams = 5 })
	f.init()
	f.now = f.now.Add(time.Second)
	_, err := f.handle(mk(t, f.tag, &wire.CookieEcho{Cookie: f.cookie}))
	if err != nil || f.a == nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "COOKIE ACK")
	if o.hdr.VerificationTag != zTag || o.hdr.SrcPort != aPort || o.hdr.DstPort != zPort {
		t.Fatalf("COOKIE ACK header %+v", o.hdr)
	}
	up := expectEvent[CommUp](t, f.a)
	want := Info{LocalTag: f.tag, PeerTag: zTag, OutboundStreams: 10, InboundStreams: 5,
		LocalInitialTSN: up.Info.LocalInitialTSN, PeerInitialTSN: zTSN, PeerARwnd: 65536}
	if up.Info != want {
		t.Fatalf("Info %+v\nwant %+v", up.Info, want)
	}
	expectState(t, f.a, Established)
}

// TestRFC9260_5_1_5_DataBundledWithCookieEcho: DATA after the COOKIE ECHO
// is processed by the new association and acknowledged at once, the
// COOKIE ACK first in the packet (§5.1.5 steps 6 and 7).
func TestRFC9260_5_1_5_DataBundledWithCookieEcho(t *testing.T) {
	f := newServer(t, nil)
	f.init()
	_, err := f.handle(mk(t, f.tag, &wire.CookieEcho{Cookie: f.cookie}, dataChunk(zTSN, 0, "hello")))
	if err != nil || f.a == nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "COOKIE ACK+SACK")
	// a_rwnd counts the 5 bytes not read yet (§6.2).
	if s := decodeSack(t, o.chunks[1]); s.CumulativeTSNAck != zTSN || s.ARwnd != 1864135-5 {
		t.Fatalf("SACK %+v", s)
	}
}

// TestRFC9260_5_1_1_StreamNegotiation: each side uses min(its OS, the
// peer's MIS) outbound streams (§5.1.1); the INIT ACK's OS never exceeds
// the INIT's MIS (§3.3.3).
func TestRFC9260_5_1_1_StreamNegotiation(t *testing.T) {
	f := newServer(t, func(c *Config) { c.OutboundStreams, c.InboundStreams = 20, 3 })
	in := peerInit()
	in.OutStreams, in.InStreams = 8, 12
	o, _ := f.handle(mk(t, 0, in))
	ack, _ := wire.DecodeInitAck(o.chunks[0])
	if ack.OutStreams != 12 || ack.InStreams != 3 {
		t.Fatalf("INIT ACK OS %d MIS %d", ack.OutStreams, ack.InStreams)
	}
	ip, _ := wire.DecodeInitParams(ack.Params, 0)
	f.handle(mk(t, ack.InitiateTag, &wire.CookieEcho{Cookie: ip.StateCookie}))
	if i := f.a.Info(); i.OutboundStreams != 12 || i.InboundStreams != 3 {
		t.Fatalf("streams out %d in %d", i.OutboundStreams, i.InboundStreams)
	}
}

// TestRFC9260_3_3_2_InitTagZeroDiscarded: an INIT with Initiate Tag 0 is
// silently discarded (§3.3.2).
func TestRFC9260_3_3_2_InitTagZeroDiscarded(t *testing.T) {
	f := newServer(t, nil)
	in := peerInit()
	in.InitiateTag = 0
	o, err := f.handle(mk(t, 0, in))
	expectDrop(t, err, DropInvalidInit)
	if o != nil {
		t.Fatalf("answered with %s", o.types())
	}
}

// TestRFC9260_3_3_2_InvalidMandatoryParameters: OS 0, MIS 0 or a_rwnd
// below 1500 are answered with an ABORT to the Initiate Tag, T bit clear,
// with an Invalid Mandatory Parameter cause (§3.3.2, §5.1, §8.4 3).
func TestRFC9260_3_3_2_InvalidMandatoryParameters(t *testing.T) {
	for _, mod := range []func(*wire.Init){
		func(i *wire.Init) { i.OutStreams = 0 },
		func(i *wire.Init) { i.InStreams = 0 },
		func(i *wire.Init) { i.ARwnd = 1499 },
	} {
		f := newServer(t, nil)
		in := peerInit()
		mod(in)
		o, err := f.handle(mk(t, 0, in))
		expectDrop(t, err, DropInvalidInit)
		if o == nil || o.types() != "ABORT" || o.hdr.VerificationTag != zTag || o.chunks[0].Flags() != 0 {
			t.Fatalf("reply %+v", o)
		}
		expectCause(t, o.chunks[0], wire.CauseInvalidMandatoryParameter)
	}
}

// TestRFC9260_3_3_2_1_4_HostNameAddressAborted: an INIT with a Host Name
// Address is answered with an ABORT quoting it in an Unresolvable Address
// cause (§3.3.2.1.4, §5.1.2 B).
func TestRFC9260_3_3_2_1_4_HostNameAddressAborted(t *testing.T) {
	f := newServer(t, nil)
	host := wire.AppendParam(nil, wire.ParamHostNameAddress, []byte("example.org\x00"))
	o, err := f.handle(mk(t, 0, peerInit(host)))
	expectDrop(t, err, DropInvalidInit)
	if o == nil || o.types() != "ABORT" || o.hdr.VerificationTag != zTag {
		t.Fatalf("reply %+v", o)
	}
	c := expectCause(t, o.chunks[0], wire.CauseUnresolvableAddress)
	if !bytes.Equal(c.Value(), host) {
		t.Fatalf("cause value %x", c.Value())
	}
}

// TestRFC9260_5_1_2_AddressParametersIgnored: IPv4 and IPv6 address
// parameters (as usrsctp over UDP sends) are accepted and ignored: the
// INIT ACK reports nothing unrecognized (§5.1.2 C).
func TestRFC9260_5_1_2_AddressParametersIgnored(t *testing.T) {
	f := newServer(t, nil)
	v4 := wire.AppendParam(nil, wire.ParamIPv4Address, []byte{192, 0, 2, 1})
	v6 := wire.AppendParam(nil, wire.ParamIPv6Address, make([]byte, 16))
	types := wire.AppendParam(nil, wire.ParamSupportedAddressTypes, []byte{0, 5, 0, 6})
	ack := f.init(v4, v6, types)
	ip, _ := wire.DecodeInitParams(ack.Params, 0)
	if len(ip.PeerUnrecognized) != 0 || ip.StateCookie == nil {
		t.Fatalf("INIT ACK params %+v", ip)
	}
}

// TestRFC9260_3_2_1_UnrecognizedInitParameters: unknown INIT parameters
// follow their action bits: 10 skipped, 11 skipped and reported, 01 stops
// the walk and is reported, and parameters after a stop are not looked at;
// the reports are Unrecognized Parameter parameters of the INIT ACK
// (§3.2.1, §3.2.2).
func TestRFC9260_3_2_1_UnrecognizedInitParameters(t *testing.T) {
	f := newServer(t, nil)
	skip := wire.AppendParam(nil, 0x8123, []byte{1})
	skipReport := wire.AppendParam(nil, 0xC123, []byte{2, 2})
	stopReport := wire.AppendParam(nil, 0x4123, []byte{3, 3, 3})
	after := wire.AppendParam(nil, 0xC124, []byte{4})
	ack := f.init(skip, skipReport, stopReport, after)
	ip, _ := wire.DecodeInitParams(ack.Params, 0)
	if len(ip.PeerUnrecognized) != 2 ||
		!bytes.Equal(ip.PeerUnrecognized[0].Bytes(), skipReport[:6]) ||
		!bytes.Equal(ip.PeerUnrecognized[1].Bytes(), stopReport[:7]) {
		t.Fatalf("reported %d parameters", len(ip.PeerUnrecognized))
	}
	// 00: stop without report.
	ack = f.init(wire.AppendParam(nil, 0x0123, nil), skipReport)
	ip, _ = wire.DecodeInitParams(ack.Params, 0)
	if len(ip.PeerUnrecognized) != 0 {
		t.Fatal("parameters after a 00 parameter must not be processed")
	}
}

// TestRFC9260_3_2_2_UnrecognizedInitAckParameters: unknown INIT ACK
// parameters with a report bit come back in an ERROR with an Unrecognized
// Parameters cause bundled after the COOKIE ECHO (§3.2.2, §3.3.10.8).
func TestRFC9260_3_2_2_UnrecognizedInitAckParameters(t *testing.T) {
	f := newClient(t, nil)
	u := wire.AppendParam(nil, 0xC0FE, []byte("xyz"))
	if err := f.send(f.tag, f.initAck(u, wire.AppendParam(nil, 0x80FE, nil))); err != nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "COOKIE ECHO+ERROR")
	c := expectCause(t, o.chunks[1], wire.CauseUnrecognizedParameters)
	if !bytes.Equal(c.Value(), u[:7]) { // the cause length leaves out the last padding
		t.Fatalf("reported %x, want %x", c.Value(), u[:7])
	}
	if o.zeroCk {
		t.Fatal("COOKIE ECHO packet without CRC32c")
	}
}

// TestRFC9260_3_3_3_InitAckInitiateTagZero: an INIT ACK with Initiate Tag
// 0 in COOKIE-WAIT destroys the TCB and is answered with an ABORT with the
// T bit set (§3.3.3).
func TestRFC9260_3_3_3_InitAckInitiateTagZero(t *testing.T) {
	f := newClient(t, nil)
	ack := f.initAck()
	ack.InitiateTag = 0
	expectDrop(t, f.send(f.tag, ack), DropInvalidInit)
	o := expectOne(t, f.a, f.now, "ABORT")
	if o.hdr.VerificationTag != f.tag || o.chunks[0].Flags() != wire.FlagT {
		t.Fatalf("ABORT tag %#x flags %d", o.hdr.VerificationTag, o.chunks[0].Flags())
	}
	if ev := expectEvent[CantStartAssoc](t, f.a); ev.Reason != LostInvalidInitAck {
		t.Fatal(ev)
	}
	expectState(t, f.a, Closed)
}

// TestRFC9260_3_3_3_InitAckZeroStreams: OS or MIS of 0 in the INIT ACK:
// destroy the TCB and send an ABORT to its Initiate Tag (§3.3.3, §5.1).
func TestRFC9260_3_3_3_InitAckZeroStreams(t *testing.T) {
	f := newClient(t, nil)
	ack := f.initAck()
	ack.InStreams = 0
	expectDrop(t, f.send(f.tag, ack), DropInvalidInit)
	o := expectOne(t, f.a, f.now, "ABORT")
	if o.hdr.VerificationTag != zTag || o.chunks[0].Flags() != 0 {
		t.Fatalf("ABORT tag %#x", o.hdr.VerificationTag)
	}
	expectCause(t, o.chunks[0], wire.CauseInvalidMandatoryParameter)
	expectEvent[CantStartAssoc](t, f.a)
	expectState(t, f.a, Closed)
}

// TestRFC9260_3_3_3_InitAckSmallRwnd: an a_rwnd below 1500 discards the INIT
// ACK with an ABORT but does not change the state: T1-init retransmits
// (§3.3.3).
func TestRFC9260_3_3_3_InitAckSmallRwnd(t *testing.T) {
	f := newClient(t, nil)
	ack := f.initAck()
	ack.ARwnd = 1000
	expectDrop(t, f.send(f.tag, ack), DropInvalidInit)
	expectOne(t, f.a, f.now, "ABORT")
	expectState(t, f.a, CookieWait)
	f.toDeadline()
	expectOne(t, f.a, f.now, "INIT")
}

// TestRFC9260_5_1_InitAckWithoutCookie: an INIT ACK missing its State
// Cookie is refused with an ABORT naming the Missing Mandatory Parameter
// (§5.1, §3.3.10.2).
func TestRFC9260_5_1_InitAckWithoutCookie(t *testing.T) {
	f := newClient(t, nil)
	ack := f.initAck()
	ack.Params = nil
	expectDrop(t, f.send(f.tag, ack), DropInvalidInit)
	o := expectOne(t, f.a, f.now, "ABORT")
	c := expectCause(t, o.chunks[0], wire.CauseMissingMandatoryParameter)
	if !bytes.Equal(c.Value(), []byte{0, 0, 0, 1, 0, 7}) {
		t.Fatalf("cause %x", c.Value())
	}
	expectEvent[CantStartAssoc](t, f.a)
}

// TestRFC9260_5_2_3_UnexpectedInitAck: an INIT ACK outside COOKIE-WAIT is
// discarded (§5.2.3).
func TestRFC9260_5_2_3_UnexpectedInitAck(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	expectDrop(t, f.send(f.tag, f.initAck()), DropUnexpectedChunk)
	expectNone(t, f.a, f.now)
	expectState(t, f.a, Established)
}

// TestRFC9260_4_2_T1InitBackoffAndGiveUp: unanswered INITs are resent on
// each T1-init expiry with the RTO doubled up to sctp_init_rto_max, 8
// times; the 9th expiry ends the attempt with CANT_STR_ASSOC (§4 note 2,
// §5.1.6, §6.3.3 E2).
func TestRFC9260_4_2_T1InitBackoffAndGiveUp(t *testing.T) {
	f := newClient(t, func(c *Config) { c.InitRTOMax = 30 * time.Second })
	want := []time.Duration{3, 6, 12, 24, 30, 30, 30, 30}
	for i, w := range want {
		if el := f.toDeadline(); el != w*time.Second {
			t.Fatalf("retransmission %d after %v, want %v", i+1, el, w*time.Second)
		}
		o := expectOne(t, f.a, f.now, "INIT")
		in, _ := wire.DecodeInit(o.chunks[0])
		if in.InitiateTag != f.tag || in.InitialTSN != f.tsn {
			t.Fatal("a retransmitted INIT keeps its tag and TSN (§5.1.6)")
		}
	}
	f.toDeadline()
	expectNone(t, f.a, f.now)
	if ev := expectEvent[CantStartAssoc](t, f.a); ev.Reason != LostInitTimeout {
		t.Fatal(ev)
	}
	expectState(t, f.a, Closed)
	if !f.a.NextDeadline().IsZero() {
		t.Fatal("timer left running")
	}
}

// TestRFC9260_4_3_T1CookieGiveUp: an unanswered COOKIE ECHO is resent up
// to Max.Init.Retransmits times, then CANT_STR_ASSOC (§4 note 3, §5.1.4).
func TestRFC9260_4_3_T1CookieGiveUp(t *testing.T) {
	f := newClient(t, func(c *Config) { c.MaxInitRetransmits = 2 })
	f.echo()
	for i := 0; i < 2; i++ {
		f.toDeadline()
		expectOne(t, f.a, f.now, "COOKIE ECHO")
	}
	f.toDeadline()
	if ev := expectEvent[CantStartAssoc](t, f.a); ev.Reason != LostCookieTimeout {
		t.Fatal(ev)
	}
	expectState(t, f.a, Closed)
}

// TestRFC9260_5_2_5_DuplicateCookieAck: a COOKIE ACK outside COOKIE-ECHOED
// is discarded (§5.2.5).
func TestRFC9260_5_2_5_DuplicateCookieAck(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	expectDrop(t, f.send(f.tag, &wire.CookieAck{}), DropUnexpectedChunk)
	expectNoEvent(t, f.a)
	g := newClient(t, nil)
	expectDrop(t, g.send(g.tag, &wire.CookieAck{}), DropUnexpectedChunk)
	expectState(t, g.a, CookieWait)
}

// TestRFC9260_5_1_InitBundledIsDiscarded: INIT, INIT ACK and SHUTDOWN
// COMPLETE are never bundled (§5.1, §6.10).
func TestRFC9260_5_1_InitBundledIsDiscarded(t *testing.T) {
	f := newServer(t, nil)
	o, err := f.handle(mk(t, 0, peerInit(), &wire.CookieAck{}))
	expectDrop(t, err, DropBundling)
	if o != nil {
		t.Fatal("answered a bundled INIT")
	}
	c := newClient(t, nil)
	expectDrop(t, c.send(c.tag, c.initAck(), &wire.CookieAck{}), DropBundling)
	expectState(t, c.a, CookieWait)
}

// TestRFC9653_ZeroChecksumNegotiated: when the peer accepts zero checksums
// for our method, packets carry a zero checksum, except INIT and COOKIE
// ECHO packets (RFC 9653 §5.2).
func TestRFC9653_ZeroChecksumNegotiated(t *testing.T) {
	f := newClient(t, func(c *Config) { c.ZeroChecksum = true })
	zc := wire.ZeroChecksumAcceptableParam{EDMID: wire.EDMIDLowerLayerDTLS}.Append(nil)
	f.send(f.tag, f.initAck(zc))
	if o := expectOne(t, f.a, f.now, "COOKIE ECHO"); o.zeroCk {
		t.Fatal("COOKIE ECHO with a zero checksum")
	}
	f.send(f.tag, &wire.CookieAck{})
	if !expectEvent[CommUp](t, f.a).Info.Features.ZeroChecksum {
		t.Fatal("zero checksum not negotiated")
	}
	f.a.Heartbeat(f.now)
	if o := expectOne(t, f.a, f.now, "HEARTBEAT"); !o.zeroCk {
		t.Fatal("HEARTBEAT packet with a CRC32c")
	}
	if !f.a.AcceptsZeroChecksum() {
		t.Fatal("AcceptsZeroChecksum")
	}
	// Another EDMID is a method we do not support: CRC32c stays.
	g := newClient(t, func(c *Config) { c.ZeroChecksum = true })
	g.send(g.tag, g.initAck(wire.ZeroChecksumAcceptableParam{EDMID: 7}.Append(nil)))
	g.send(g.tag, &wire.CookieAck{})
	if expectEvent[CommUp](t, g.a).Info.Features.ZeroChecksum {
		t.Fatal("zero checksum with an unknown EDMID")
	}
}

// TestRFC5061_4_2_FeatureNegotiation: extensions are used only when both
// sides announce them; the peer's Adaptation Layer Indication is reported
// after COMMUNICATION UP (RFC 5061 §4.2.6, §4.2.7, RFC 3758 §3.3, RFC 8260
// §2.2.1).
func TestRFC5061_4_2_FeatureNegotiation(t *testing.T) {
	f := newServer(t, func(c *Config) {
		c.ECN, c.PartialReliability, c.Reconfig, c.IData = true, true, true, true
		c.Adaptation, c.AdaptationIndication = true, 0x01020304
	})
	ext := wire.SupportedExtensionsParam{ChunkTypes: []byte{byte(wire.ChunkIData), byte(wire.ChunkForwardTSN)}}.Append(nil)
	adapt := wire.AdaptationLayerIndicationParam{AdaptationCodePoint: 99}.Append(nil)
	ack := f.init(wire.ECNCapableParam{}.Append(nil), ext, adapt)
	ip, _ := wire.DecodeInitParams(ack.Params, 0)
	if !ip.HasAdaptation || ip.Adaptation != 0x01020304 || !ip.SupportsChunk(wire.ChunkReconfig) || !ip.ForwardTSN {
		t.Fatalf("INIT ACK does not announce our extensions: %+v", ip)
	}
	f.handle(mk(t, f.tag, &wire.CookieEcho{Cookie: f.cookie}))
	got := expectEvent[CommUp](t, f.a).Info.Features
	want := Features{ECN: true, PartialReliability: true, IData: true, PeerAdaptation: true, PeerAdaptationIndication: 99}
	if got != want {
		t.Fatalf("features %+v, want %+v", got, want)
	}
	if ev := expectEvent[AdaptationIndication](t, f.a); ev.Indication != 99 {
		t.Fatal(ev)
	}
}

// TestRFC9260_3_3_2_1_3_CookiePreservative: a Cookie Preservative extends
// the cookie's life span by the suggested increment, capped by
// Config.MaxCookiePreservative (§3.3.2.1.3).
func TestRFC9260_3_3_2_1_3_CookiePreservative(t *testing.T) {
	f := newServer(t, func(c *Config) { c.MaxCookiePreservative = 10 * time.Second })
	f.init(wire.CookiePreservativeParam{LifeSpanIncrement: 5000}.Append(nil))
	f.now = f.now.Add(64 * time.Second) // Valid.Cookie.Life 60 s + 5 s
	if _, err := f.handle(mk(t, f.tag, &wire.CookieEcho{Cookie: f.cookie})); err != nil || f.a == nil {
		t.Fatalf("cookie within the extended life refused: %v", err)
	}
	g := newServer(t, func(c *Config) { c.MaxCookiePreservative = 10 * time.Second })
	g.init(wire.CookiePreservativeParam{LifeSpanIncrement: 3600000}.Append(nil))
	g.now = g.now.Add(71 * time.Second)
	_, err := g.handle(mk(t, g.tag, &wire.CookieEcho{Cookie: g.cookie}))
	expectDrop(t, err, DropStaleCookie)
}
