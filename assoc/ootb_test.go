package assoc

import (
	"testing"

	"github.com/sconnlab/sconn/wire"
)

// ootb runs a packet through HandleOOTB (no listener) and through an
// Endpoint (listener, no association); both must agree on everything but
// INIT and COOKIE ECHO.
func ootb(t *testing.T, p wire.Packet) (noListener, listener *out) {
	t.Helper()
	r, err := HandleOOTB(p, nil)
	expectDrop(t, err, dropReasonOf(err))
	if r != nil {
		o := decodeOut(t, r)
		noListener = &o
	}
	f := newServer(t, nil)
	listener, _ = f.handle(p)
	return noListener, listener
}

func dropReasonOf(err error) DropReason {
	if de, ok := err.(*DropError); ok {
		return de.Reason
	}
	return 0
}

// TestRFC9260_8_4_2_AbortDiscarded: an out-of-the-blue packet with an
// ABORT, anywhere in it, is silently discarded (§8.4 2, §3.3.7).
func TestRFC9260_8_4_2_AbortDiscarded(t *testing.T) {
	for _, p := range []wire.Packet{
		mk(t, 7, &wire.Abort{}),
		mk(t, 7, &wire.Abort{TagReflected: true}),
		mk(t, 7, &wire.Heartbeat{Info: []byte{1}}, &wire.Abort{}),
	} {
		a, b := ootb(t, p)
		if a != nil || b != nil {
			t.Fatal("answered an ABORT")
		}
	}
}

// TestRFC9260_8_4_3_InitWithoutListener: an INIT to a port nobody listens
// on is answered with an ABORT to its Initiate Tag with the T bit clear
// (§8.4 3).
func TestRFC9260_8_4_3_InitWithoutListener(t *testing.T) {
	r, err := HandleOOTB(mk(t, 0, peerInit()), nil)
	expectDrop(t, err, DropOOTB)
	o := decodeOut(t, r)
	if o.types() != "ABORT" || o.hdr.VerificationTag != zTag || o.chunks[0].Flags() != 0 ||
		o.hdr.SrcPort != aPort || o.hdr.DstPort != zPort || o.zeroCk {
		t.Fatalf("reply %s %+v", o.types(), o.hdr)
	}
	// A bad INIT keeps its ABORT cause; Initiate Tag 0 gets nothing.
	in := peerInit()
	in.OutStreams = 0
	r, _ = HandleOOTB(mk(t, 0, in), nil)
	expectCause(t, decodeOut(t, r).chunks[0], wire.CauseInvalidMandatoryParameter)
	in.InitiateTag = 0
	if r, _ := HandleOOTB(mk(t, 0, in), nil); r != nil {
		t.Fatal("answered an INIT with tag 0")
	}
	if r, _ := HandleOOTB(mk(t, 0, peerInit(), &wire.CookieAck{}), nil); r != nil {
		t.Fatal("answered a bundled INIT")
	}
}

// TestRFC9260_8_4_5_ShutdownAck: a SHUTDOWN ACK out of the blue gets a
// SHUTDOWN COMPLETE reflecting its tag with the T bit set (§8.4 5).
func TestRFC9260_8_4_5_ShutdownAck(t *testing.T) {
	a, b := ootb(t, mk(t, 0x55, &wire.ShutdownAck{}))
	for _, o := range []*out{a, b} {
		if o == nil || o.types() != "SHUTDOWN COMPLETE" || o.hdr.VerificationTag != 0x55 || o.chunks[0].Flags() != wire.FlagT {
			t.Fatalf("reply %+v", o)
		}
	}
}

// TestRFC9260_8_4_6_ShutdownComplete: a SHUTDOWN COMPLETE out of the blue
// is silently discarded (§8.4 6).
func TestRFC9260_8_4_6_ShutdownComplete(t *testing.T) {
	if a, b := ootb(t, mk(t, 0x55, &wire.ShutdownComplete{})); a != nil || b != nil {
		t.Fatal("answered")
	}
}

// TestRFC9260_8_4_7_CookieAckAndStaleCookie: a COOKIE ACK or an ERROR with a
// Stale Cookie cause out of the blue is silently discarded (§8.4 7); an
// ERROR with another cause is not.
func TestRFC9260_8_4_7_CookieAckAndStaleCookie(t *testing.T) {
	if a, b := ootb(t, mk(t, 0x55, &wire.CookieAck{})); a != nil || b != nil {
		t.Fatal("answered a COOKIE ACK")
	}
	stale := &wire.ErrorChunk{Causes: concat(wire.OutOfResource{}.Append(nil), wire.StaleCookie{Staleness: 1}.Append(nil))}
	if a, b := ootb(t, mk(t, 0x55, stale)); a != nil || b != nil {
		t.Fatal("answered a Stale Cookie error")
	}
	other := &wire.ErrorChunk{Causes: wire.OutOfResource{}.Append(nil)}
	if a, _ := ootb(t, mk(t, 0x55, other)); a == nil || a.types() != "ABORT" {
		t.Fatal("other ERROR not answered with ABORT")
	}
}

// TestRFC9260_8_4_8_OtherPacketsGetAbortT: anything else out of the blue
// gets an ABORT reflecting the packet's tag with the T bit set (§8.4 8).
func TestRFC9260_8_4_8_OtherPacketsGetAbortT(t *testing.T) {
	for _, c := range []wire.Encoder{
		dataChunk(1, 0, "x"),
		&wire.Heartbeat{Info: []byte{1, 2}},
		&wire.Shutdown{CumulativeTSNAck: 1},
		&wire.Sack{CumulativeTSNAck: 1, ARwnd: 1500},
		&wire.RawChunk{Type: 0xC7, Value: []byte{1}},
	} {
		a, b := ootb(t, mk(t, 0x66, c))
		for _, o := range []*out{a, b} {
			if o == nil || o.types() != "ABORT" || o.hdr.VerificationTag != 0x66 || o.chunks[0].Flags() != wire.FlagT || o.zeroCk {
				t.Fatalf("%v: reply %+v", c.ChunkType(), o)
			}
			if len(causeList(t, o.chunks[0])) != 0 {
				t.Fatal("causes in an OOTB ABORT")
			}
		}
	}
	// §8.4 4: a COOKIE ECHO with no listener cannot be processed: ABORT T.
	r, _ := HandleOOTB(mk(t, 0x66, &wire.CookieEcho{Cookie: []byte("c")}), nil)
	if o := decodeOut(t, r); o.types() != "ABORT" || o.chunks[0].Flags() != wire.FlagT {
		t.Fatal(o.types())
	}
}

// TestRFC9260_8_5_1_A_ZeroTagOnlyForInit: a packet with verification tag 0
// that is not a lone INIT is silently discarded (§8.5.1 A), with or without
// a TCB.
func TestRFC9260_8_5_1_A_ZeroTagOnlyForInit(t *testing.T) {
	a, b := ootb(t, mk(t, 0, &wire.Heartbeat{Info: []byte{1}}))
	if a != nil || b != nil {
		t.Fatal("answered a tag-0 HEARTBEAT")
	}
	f := newClient(t, nil)
	f.establish()
	expectDrop(t, f.send(0, &wire.Heartbeat{Info: []byte{1}}), DropBadVtag)
	expectNone(t, f.a, f.now)
}

// TestRFC9260_8_5_1_A_InitWithWrongTag: an INIT whose packet has a non-zero
// verification tag breaks §8.5.1 A: an association discards it; with no
// association it is not "an INIT with tag 0" of §8.4 3 and gets the
// ABORT with the T bit of §8.4 8.
func TestRFC9260_8_5_1_A_InitWithWrongTag(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	expectDrop(t, f.send(f.tag, peerInit()), DropBadVtag)
	expectNone(t, f.a, f.now)
	a, b := ootb(t, mk(t, 0x99, peerInit()))
	for _, o := range []*out{a, b} {
		if o == nil || o.types() != "ABORT" || o.hdr.VerificationTag != 0x99 || o.chunks[0].Flags() != wire.FlagT {
			t.Fatalf("reply %+v", o)
		}
	}
}

// TestRFC9260_8_5_WrongTagDiscarded: a packet whose tag is not ours is
// silently discarded (§8.5).
func TestRFC9260_8_5_WrongTagDiscarded(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	for _, c := range []wire.Encoder{&wire.Heartbeat{Info: []byte{1}}, &wire.Shutdown{}, dataChunk(zTSN, 0, "x"), &wire.CookieAck{}} {
		expectDrop(t, f.send(zTag, c), DropBadVtag)
	}
	expectNone(t, f.a, f.now)
	expectState(t, f.a, Established)
	// Wrong ports are refused before anything else.
	expectDrop(t, f.a.HandlePacket(f.now, mkPorts(t, zPort, aPort+1, f.tag, &wire.CookieAck{})), DropWrongPort)
	_, _, err := NewEndpoint(testConfig(nil), NewSeededRand(1), t0).HandlePacket(t0, mkPorts(t, zPort, aPort+1, 0, peerInit()), nil)
	expectDrop(t, err, DropWrongPort)
}

// TestRFC9260_8_5_1_B_AbortTagRules: an ABORT is accepted with our tag and
// T clear, or the peer's tag and T set; otherwise discarded (§8.5.1 B).
func TestRFC9260_8_5_1_B_AbortTagRules(t *testing.T) {
	cases := []struct {
		vtag   func(f *clientFx) uint32
		t      bool
		accept bool
	}{
		{func(f *clientFx) uint32 { return f.tag }, false, true},
		{func(f *clientFx) uint32 { return zTag }, true, true},
		{func(f *clientFx) uint32 { return f.tag }, true, false},
		{func(f *clientFx) uint32 { return zTag }, false, false},
		{func(f *clientFx) uint32 { return 12345 }, false, false},
	}
	for i, c := range cases {
		f := newClient(t, nil)
		f.establish()
		err := f.send(c.vtag(f), &wire.Abort{TagReflected: c.t})
		if c.accept {
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			expectEvent[CommLost](t, f.a)
			expectState(t, f.a, Closed)
		} else {
			expectDrop(t, err, DropBadVtag)
			expectState(t, f.a, Established)
		}
		expectNone(t, f.a, f.now) // never answer an ABORT (§3.3.7)
	}
	// After other chunks, the ABORT must have T clear.
	f := newClient(t, nil)
	f.establish()
	expectDrop(t, f.send(f.tag, &wire.CookieAck{}, &wire.Abort{TagReflected: true}), DropBadVtag)
	expectState(t, f.a, Established)
	// In COOKIE-WAIT the peer's tag is unknown: only our tag works.
	g := newClient(t, nil)
	expectDrop(t, g.send(0, &wire.Abort{TagReflected: true}), DropBadVtag)
	g.send(g.tag, &wire.Abort{})
	expectEvent[CantStartAssoc](t, g.a)
}

// TestRFC9260_8_5_1_C_ShutdownCompleteTagRules: a SHUTDOWN COMPLETE is
// accepted with our tag and T clear or the peer's tag and T set, and only
// in SHUTDOWN-ACK-SENT (§8.5.1 C).
func TestRFC9260_8_5_1_C_ShutdownCompleteTagRules(t *testing.T) {
	for _, reflected := range []bool{false, true} {
		f := newServer(t, nil)
		f.establish()
		expectDrop(t, f.send(f.tag, &wire.ShutdownComplete{}), DropUnexpectedChunk) // not in SHUTDOWN-ACK-SENT
		f.send(f.tag, &wire.Shutdown{CumulativeTSNAck: f.a.Info().LocalInitialTSN - 1})
		expectOne(t, f.a, f.now, "SHUTDOWN ACK")
		good, bad := f.tag, uint32(zTag)
		if reflected {
			good, bad = bad, good
		}
		expectDrop(t, f.send(bad, &wire.ShutdownComplete{TagReflected: reflected}), DropBadVtag)
		expectState(t, f.a, ShutdownAckSent)
		if err := f.send(good, &wire.ShutdownComplete{TagReflected: reflected}); err != nil {
			t.Fatal(err)
		}
		expectState(t, f.a, Closed)
		expectNone(t, f.a, f.now)
	}
}

// TestRFC9260_8_5_1_E_ShutdownAckInCookieWait: a SHUTDOWN ACK in COOKIE-WAIT
// or COOKIE-ECHOED is out of the blue: SHUTDOWN COMPLETE reflecting the
// tag with T set, and the handshake goes on (§8.5.1 E, §9.2).
func TestRFC9260_8_5_1_E_ShutdownAckInCookieWait(t *testing.T) {
	f := newClient(t, nil)
	expectDrop(t, f.send(0x4242, &wire.ShutdownAck{}), DropOOTB)
	o := expectOne(t, f.a, f.now, "SHUTDOWN COMPLETE")
	if o.hdr.VerificationTag != 0x4242 || o.chunks[0].Flags() != wire.FlagT {
		t.Fatalf("%+v flags %d", o.hdr, o.chunks[0].Flags())
	}
	expectState(t, f.a, CookieWait)
	f.echo()
	expectDrop(t, f.send(f.tag, &wire.ShutdownAck{}), DropOOTB)
	expectOne(t, f.a, f.now, "SHUTDOWN COMPLETE")
	expectState(t, f.a, CookieEchoed)
}
