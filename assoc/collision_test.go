package assoc

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// initAckCookie decodes an INIT ACK sent by the association and opens its
// cookie with the association's secrets.
func initAckCookie(t *testing.T, a *Association, o out) (wire.InitAck, stateCookie, []byte) {
	t.Helper()
	ack, err := wire.DecodeInitAck(o.chunks[0])
	if err != nil {
		t.Fatal(err)
	}
	ip, err := wire.DecodeInitParams(ack.Params, 0)
	if err != nil {
		t.Fatal(err)
	}
	ck, ok := openCookie(ip.StateCookie, a.secrets)
	if !ok {
		t.Fatal("cookie does not verify")
	}
	return ack, ck, append([]byte(nil), ip.StateCookie...)
}

// TestRFC9260_5_2_1_InitInCookieWait: an INIT in COOKIE-WAIT is answered
// with an INIT ACK bearing our original Initiate Tag and TSN, to the
// INIT's Initiate Tag, with zero tie-tags; state and T1-init are unchanged
// (§5.2.1, §5.2.2).
func TestRFC9260_5_2_1_InitInCookieWait(t *testing.T) {
	f := newClient(t, nil)
	deadline := f.a.NextDeadline()
	f.now = f.now.Add(time.Second)
	if err := f.send(0, peerInit()); err != nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "INIT ACK")
	if o.hdr.VerificationTag != zTag || o.zeroCk {
		t.Fatalf("INIT ACK tag %#x", o.hdr.VerificationTag)
	}
	ack, ck, _ := initAckCookie(t, f.a, o)
	if ack.InitiateTag != f.tag || ack.InitialTSN != f.tsn {
		t.Fatalf("INIT ACK tag %#x TSN %d, want our INIT's", ack.InitiateTag, ack.InitialTSN)
	}
	if ck.localTag != f.tag || ck.peerTag != zTag || ck.localTieTag != 0 || ck.peerTieTag != 0 {
		t.Fatalf("cookie %+v", ck)
	}
	expectState(t, f.a, CookieWait)
	if f.a.NextDeadline() != deadline {
		t.Fatal("T1-init changed")
	}
}

// TestRFC9260_5_2_1_InitInCookieEchoed: in COOKIE-ECHOED the INIT ACK
// again carries our original tag, and the cookie holds the TCB's non-zero
// tie-tags (§5.2.1).
func TestRFC9260_5_2_1_InitInCookieEchoed(t *testing.T) {
	f := newClient(t, nil)
	f.echo()
	f.send(0, peerInit())
	o := expectOne(t, f.a, f.now, "INIT ACK")
	ack, ck, _ := initAckCookie(t, f.a, o)
	if ack.InitiateTag != f.tag || ck.localTieTag == 0 || ck.localTieTag != f.a.localTieTag || ck.peerTieTag != f.a.peerTieTag {
		t.Fatalf("INIT ACK tag %#x cookie %+v", ack.InitiateTag, ck)
	}
	expectState(t, f.a, CookieEchoed)
}

// TestRFC9260_5_2_2_InitInEstablished: an unexpected INIT gets an INIT ACK
// with a new random Initiate Tag, to the INIT's tag, with the tie-tags in
// the cookie; nothing else changes (§5.2.2).
func TestRFC9260_5_2_2_InitInEstablished(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	in := peerInit()
	in.InitiateTag = 0x12345678
	if err := f.send(0, in); err != nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "INIT ACK")
	if o.hdr.VerificationTag != 0x12345678 {
		t.Fatalf("tag %#x", o.hdr.VerificationTag)
	}
	ack, ck, _ := initAckCookie(t, f.a, o)
	if ack.InitiateTag == f.tag || ack.InitiateTag == 0 || ck.localTieTag != f.a.localTieTag || ck.peerTieTag != f.a.peerTieTag || ck.localTieTag == 0 {
		t.Fatalf("INIT ACK %#x cookie %+v", ack.InitiateTag, ck)
	}
	// The tie-tags are nonces, not the association's tags (§5.2.2).
	if ck.localTieTag == f.tag || ck.peerTieTag == zTag {
		t.Fatal("tie-tags reveal the verification tags")
	}
	expectState(t, f.a, Established)
	if f.a.Info().LocalTag != f.tag || f.a.Info().PeerTag != zTag {
		t.Fatal("TCB changed")
	}
}

// TestRFC9260_9_2_InitInShutdownAckSent: an INIT in SHUTDOWN-ACK-SENT is
// discarded and the SHUTDOWN ACK retransmitted (§9.2).
func TestRFC9260_9_2_InitInShutdownAckSent(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	f.send(f.tag, &wire.Shutdown{CumulativeTSNAck: f.a.Info().LocalInitialTSN - 1})
	expectOne(t, f.a, f.now, "SHUTDOWN ACK")
	expectState(t, f.a, ShutdownAckSent)
	f.send(0, peerInit())
	o := expectOne(t, f.a, f.now, "SHUTDOWN ACK")
	if o.hdr.VerificationTag != zTag {
		t.Fatalf("tag %#x", o.hdr.VerificationTag)
	}
	expectState(t, f.a, ShutdownAckSent)
}

// restartCookie has the raw peer restart: a new INIT to the established
// association, and the cookie of its INIT ACK.
func restartCookie(t *testing.T, f *serverFx, newTag uint32) (uint32, []byte) {
	t.Helper()
	in := peerInit()
	in.InitiateTag, in.InitialTSN = newTag, 7000
	if err := f.send(0, in); err != nil {
		t.Fatal(err)
	}
	ack, _, cookie := initAckCookie(t, f.a, expectOne(t, f.a, f.now, "INIT ACK"))
	return ack.InitiateTag, cookie
}

// TestRFC9260_5_2_4_CaseA_Restart: a COOKIE ECHO whose tags both differ
// from the TCB's while its tie-tags match is a peer restart: the
// association is rebuilt from the cookie, a COOKIE ACK goes out under the
// new tags and RESTART is reported (§5.2.4 Table 12 row A).
func TestRFC9260_5_2_4_CaseA_Restart(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	newLocal, cookie := restartCookie(t, f, 0x0badcafe)
	if err := f.send(newLocal, &wire.CookieEcho{Cookie: cookie}); err != nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "COOKIE ACK")
	if o.hdr.VerificationTag != 0x0badcafe {
		t.Fatalf("COOKIE ACK tag %#x", o.hdr.VerificationTag)
	}
	rs := expectEvent[Restart](t, f.a)
	if rs.Info.LocalTag != newLocal || rs.Info.PeerTag != 0x0badcafe || rs.Info.PeerInitialTSN != 7000 {
		t.Fatalf("restart %+v", rs.Info)
	}
	expectState(t, f.a, Established)
	// The old tag is dead; the new one works.
	expectDrop(t, f.send(f.tag, &wire.Heartbeat{Info: []byte{1}}), DropBadVtag)
	if err := f.send(newLocal, &wire.Heartbeat{Info: []byte{1}}); err != nil {
		t.Fatal(err)
	}
	expectOne(t, f.a, f.now, "HEARTBEAT ACK")
}

// TestRFC9260_5_2_4_CaseA_InShutdownAckSent: a restart cookie in
// SHUTDOWN-ACK-SENT sets up nothing: the SHUTDOWN ACK is resent with an
// ERROR "Cookie Received While Shutting Down" (§5.2.4 A, §3.3.10.10).
func TestRFC9260_5_2_4_CaseA_InShutdownAckSent(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	newLocal, cookie := restartCookie(t, f, 0x0badcafe)
	f.send(f.tag, &wire.Shutdown{CumulativeTSNAck: f.a.Info().LocalInitialTSN - 1})
	expectOne(t, f.a, f.now, "SHUTDOWN ACK")
	events(f.a)
	expectDrop(t, f.send(newLocal, &wire.CookieEcho{Cookie: cookie}), DropUnexpectedChunk)
	o := expectOne(t, f.a, f.now, "SHUTDOWN ACK+ERROR")
	expectCause(t, o.chunks[1], wire.CauseCookieWhileShuttingDown)
	expectState(t, f.a, ShutdownAckSent)
	expectNoEvent(t, f.a)
}

// TestRFC9260_5_2_4_CaseB_Collision: a cookie with our tag and a new peer
// tag: take the peer's tag (and, from COOKIE-WAIT, its whole side) from the
// cookie, stop T1, ESTABLISHED, COOKIE ACK (§5.2.4 B).
func TestRFC9260_5_2_4_CaseB_Collision(t *testing.T) {
	f := newClient(t, nil)
	// The peer's INIT crosses ours; we answer from COOKIE-WAIT.
	in := peerInit()
	in.InitiateTag = 0x31313131
	f.send(0, in)
	_, _, cookie := initAckCookie(t, f.a, expectOne(t, f.a, f.now, "INIT ACK"))
	// Our INIT ACK reaches the peer, which echoes the cookie: local tag
	// matches, peer tag unknown in COOKIE-WAIT (M 0 A A).
	if err := f.send(f.tag, &wire.CookieEcho{Cookie: cookie}); err != nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "COOKIE ACK")
	if o.hdr.VerificationTag != 0x31313131 {
		t.Fatalf("tag %#x", o.hdr.VerificationTag)
	}
	up := expectEvent[CommUp](t, f.a)
	if up.Info.PeerTag != 0x31313131 || up.Info.PeerInitialTSN != zTSN || up.Info.OutboundStreams != 10 {
		t.Fatalf("info %+v", up.Info)
	}
	if f.a.timers.running(timerT1Init) {
		t.Fatal("T1-init still running")
	}
	expectState(t, f.a, Established)

	// From COOKIE-ECHOED with a different peer tag (M X A A).
	g := newClient(t, nil)
	g.echo()
	in.InitiateTag = 0x41414141
	g.send(0, in)
	_, _, cookie = initAckCookie(t, g.a, expectOne(t, g.a, g.now, "INIT ACK"))
	g.send(g.tag, &wire.CookieEcho{Cookie: cookie})
	expectOne(t, g.a, g.now, "COOKIE ACK")
	if expectEvent[CommUp](t, g.a).Info.PeerTag != 0x41414141 {
		t.Fatal("peer tag not updated")
	}
}

// TestRFC9260_5_2_4_CaseC_LateCookie: a cookie with another local tag, the
// current peer tag and no tie-tags is our own late cookie: silently
// discarded, nothing changes (§5.2.4 C).
func TestRFC9260_5_2_4_CaseC_LateCookie(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	first := f.a
	// A second cookie for the same peer INIT, from the stateless endpoint.
	f.init()
	f.a = first
	expectDrop(t, f.send(f.tag, &wire.CookieEcho{Cookie: f.cookie}), DropUnexpectedChunk)
	expectNone(t, f.a, f.now)
	expectNoEvent(t, f.a)
	expectState(t, f.a, Established)
}

// TestRFC9260_5_2_4_CaseD_DuplicateCookieEcho: a retransmitted COOKIE ECHO
// (our COOKIE ACK was lost) matches both tags: COOKIE ACK again, no event
// (§5.2.4 D, §5.2 E).
func TestRFC9260_5_2_4_CaseD_DuplicateCookieEcho(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	f.now = f.now.Add(3 * time.Second)
	if err := f.send(f.tag, &wire.CookieEcho{Cookie: f.cookie}, dataChunk(zTSN, 0, "d")); err != nil {
		t.Fatal(err)
	}
	expectOne(t, f.a, f.now, "COOKIE ACK+SACK")
	expectEvent[DataReadable](t, f.a) // the bundled DATA
	expectNoEvent(t, f.a)
}

// TestRFC9260_5_2_4_3_ExpiredCookieOfThisAssociation: a cookie past its
// life span whose tags match the TCB is still valid (case E of §5.2).
func TestRFC9260_5_2_4_3_ExpiredCookieOfThisAssociation(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	f.now = f.now.Add(10 * time.Minute)
	if err := f.send(f.tag, &wire.CookieEcho{Cookie: f.cookie}); err != nil {
		t.Fatal(err)
	}
	expectOne(t, f.a, f.now, "COOKIE ACK")
}

// TestRFC9260_5_2_4_3_StaleCookieWithTCB: an expired cookie whose tags do
// not match is discarded with a Stale Cookie error (§5.2.4 step 3).
func TestRFC9260_5_2_4_3_StaleCookieWithTCB(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	newLocal, cookie := restartCookie(t, f, 0x0badcafe)
	f.now = f.now.Add(61 * time.Second)
	expectDrop(t, f.send(newLocal, &wire.CookieEcho{Cookie: cookie}), DropStaleCookie)
	o := expectOne(t, f.a, f.now, "ERROR")
	if o.hdr.VerificationTag != 0x0badcafe {
		t.Fatalf("tag %#x", o.hdr.VerificationTag)
	}
	expectCause(t, o.chunks[0], wire.CauseStaleCookie)
	expectNoEvent(t, f.a)
}

// TestRFC9260_5_2_4_BadCookieWithTCB: a cookie that fails authentication
// is silently discarded even when a TCB exists (§5.2.4 step 2).
func TestRFC9260_5_2_4_BadCookieWithTCB(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	bad := append([]byte(nil), f.cookie...)
	bad[CookieLen-1] ^= 1
	expectDrop(t, f.send(f.tag, &wire.CookieEcho{Cookie: bad}), DropBadCookie)
	expectNone(t, f.a, f.now)
	// A client (no secrets yet) cannot verify any cookie.
	c := newClient(t, nil)
	c.establish()
	expectDrop(t, c.send(c.tag, &wire.CookieEcho{Cookie: f.cookie}), DropBadCookie)
}

// TestRFC9260_5_2_6_StaleCookieError: a Stale Cookie error in COOKIE-ECHOED
// makes the endpoint send a new INIT with a Cookie Preservative of the
// measured RTT plus the staleness, at most 1 s more (§5.2.6 alternative 3),
// in COOKIE-WAIT with the same tag; elsewhere it is ignored.
func TestRFC9260_5_2_6_StaleCookieError(t *testing.T) {
	f := newClient(t, nil)
	f.echo()
	f.now = f.now.Add(30 * time.Millisecond)
	stale := &wire.ErrorChunk{Causes: wire.StaleCookie{Staleness: 2500}.Append(nil)}
	if err := f.send(f.tag, stale); err != nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "INIT")
	in, _ := wire.DecodeInit(o.chunks[0])
	ip, _ := wire.DecodeInitParams(in.Params, 0)
	if in.InitiateTag != f.tag || ip.CookiePreservative != 33 { // 30 ms + 2.5 ms, rounded up
		t.Fatalf("INIT tag %#x preservative %d", in.InitiateTag, ip.CookiePreservative)
	}
	expectState(t, f.a, CookieWait)
	expectNoEvent(t, f.a)
	// In ESTABLISHED the same error is silently discarded.
	g := newClient(t, nil)
	g.establish()
	g.send(g.tag, stale)
	expectNone(t, g.a, g.now)
	expectNoEvent(t, g.a)
	// Stale cookies again and again end the attempt.
	h := newClient(t, func(c *Config) { c.MaxInitRetransmits = 1 })
	for i := 0; i < 2; i++ {
		h.echo()
		h.send(h.tag, stale)
		pollAll(t, h.a, h.now)
	}
	if ev := expectEvent[CantStartAssoc](t, h.a); ev.Reason != LostStaleCookie {
		t.Fatal(ev)
	}
}
