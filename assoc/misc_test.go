package assoc

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sconnlab/sconn/sysctl"
	"github.com/sconnlab/sconn/wire"
)

// TestRFC9260_6_10_Bundling: control chunks are bundled in order into
// packets no larger than the MTU; INIT ACK and SHUTDOWN COMPLETE go alone,
// COOKIE ACK starts a packet, nothing follows an ABORT (§6.10, §3.3.7).
func TestRFC9260_6_10_Bundling(t *testing.T) {
	f := newClient(t, func(c *Config) { c.MTU = 200 })
	f.establish()
	hb := &wire.Heartbeat{Info: make([]byte, 50)} // 58 bytes, answered with 60
	f.send(f.tag, hb, hb, hb, hb, hb)
	outs := pollAll(t, f.a, f.now)
	if len(outs) != 2 || outs[0].types() != "HEARTBEAT ACK+HEARTBEAT ACK+HEARTBEAT ACK" ||
		outs[1].types() != "HEARTBEAT ACK+HEARTBEAT ACK" || len(outs[0].raw) > 200 {
		t.Fatalf("%d packets: %q", len(outs), outs[0].types())
	}
	// An INIT ACK (answering an INIT) is never bundled; an ABORT ends its
	// packet.
	f.send(f.tag, hb)
	f.send(0, peerInit())
	f.send(f.tag, hb)
	f.a.Abort(f.now, nil)
	outs = pollAll(t, f.a, f.now)
	if len(outs) != 1 || outs[0].types() != "ABORT" {
		t.Fatalf("abort voids the queue: %d", len(outs))
	}
	g := newServer(t, nil)
	g.establish()
	g.send(g.tag, hb)
	g.send(0, peerInit())
	g.send(g.tag, hb)
	var got []string
	for _, o := range pollAll(t, g.a, g.now) {
		got = append(got, o.types())
	}
	if strings.Join(got, "|") != "HEARTBEAT ACK|INIT ACK|HEARTBEAT ACK" {
		t.Fatalf("packets %q", got)
	}
}

// TestRFC9260_4_StateNames: every state of §4 has its RFC name.
func TestRFC9260_4_StateNames(t *testing.T) {
	want := "CLOSED COOKIE-WAIT COOKIE-ECHOED ESTABLISHED SHUTDOWN-PENDING SHUTDOWN-SENT SHUTDOWN-RECEIVED SHUTDOWN-ACK-SENT STATE(8)"
	var got []string
	for s := Closed; s <= ShutdownAckSent+1; s++ {
		got = append(got, s.String())
	}
	if strings.Join(got, " ") != want {
		t.Fatal(got)
	}
}

// TestEventAndErrorStrings: events, reasons, timers and drop errors
// describe themselves for logs.
func TestEventAndErrorStrings(t *testing.T) {
	for _, ev := range []Event{CommUp{}, Restart{}, CommLost{Reason: LostPeerAbort}, CantStartAssoc{Reason: LostInitTimeout},
		ShutdownComplete{}, ShutdownEvent{}, RemoteError{Code: wire.CauseOutOfResource}, AdaptationIndication{Indication: 3},
		PathChange{}, PathChange{Reachable: true}} {
		if ev.String() == "" {
			t.Fatalf("%T", ev)
		}
		ev.isEvent()
	}
	for r := LostReason(0); r <= LostNoUserData+1; r++ {
		if r.String() == "" {
			t.Fatal(r)
		}
	}
	for k := timerKind(0); k <= numTimers; k++ {
		if k.String() == "" {
			t.Fatal(k)
		}
	}
	for r := DropReason(0); r <= DropBundling+1; r++ {
		err := error(drop(r, "x"))
		if !errors.Is(err, ErrDropped) || !strings.Contains(err.Error(), r.String()) {
			t.Fatal(err)
		}
	}
	if drop(DropOOTB, "").Error() != "sctp: packet dropped: out of the blue" {
		t.Fatal(drop(DropOOTB, "").Error())
	}
	if itoa(-42) != "-42" || hex32(0xdeadbeef) != "0xdeadbeef" {
		t.Fatal("formatting")
	}
}

// TestConfigFromSysctl: the configuration follows the usrsctp tunables,
// and zero values are replaced by the §16 values.
func TestConfigFromSysctl(t *testing.T) {
	v := sysctl.Defaults()
	v.Set(sysctl.HeartbeatIntervalDefault, 0)
	v.Set(sysctl.RtoMinDefault, 250)
	v.Set(sysctl.NrIncomingStreamsDefault, 65535)
	c := ConfigFromSysctl(&v)
	if !c.HeartbeatDisabled || c.RTOMin != 250*time.Millisecond || c.InboundStreams != 65535 ||
		c.ValidCookieLife != time.Minute || c.MaxInitRetransmits != 8 || c.SecretLifetime != time.Hour ||
		c.ShutdownGuard != 0 || c.MTU != DefaultMTU || !c.ECN || !c.PartialReliability {
		t.Fatalf("%+v", c)
	}
	n := Config{RTOMin: 5 * time.Second, RTOMax: time.Second, MTU: 10, ARwnd: 10, MaxCookiePreservative: -1}.normalized()
	if n.RTOMax != 5*time.Second || n.MTU != 64 || n.ARwnd != 1500 || n.OutboundStreams != 10 ||
		n.ShutdownGuard != 0 || n.InitRTOMax != 5*time.Second || n.MaxCookiePreservative != 0 {
		t.Fatalf("%+v", n)
	}
	if clampU16(70000) != 0xFFFF {
		t.Fatal("clamp")
	}
	if e := NewEndpoint(Config{}, NewSeededRand(1), t0); e.Config().MTU != DefaultMTU {
		t.Fatal("endpoint config")
	}
}

// TestCryptoRand: the production source gives non-repeating values.
func TestCryptoRand(t *testing.T) {
	var r CryptoRand
	b := make([]byte, 16)
	if n, err := r.Read(b); n != 16 || err != nil {
		t.Fatal(err)
	}
	if a, b, c, d := r.Uint32(), r.Uint32(), r.Uint32(), r.Uint32(); a == b && c == d {
		t.Fatal("not random")
	}
	if nonZero32(zeroThenOne{n: new(int)}) != 1 {
		t.Fatal("nonZero32")
	}
}

type zeroThenOne struct{ n *int }

func (z zeroThenOne) Uint32() uint32 {
	*z.n++
	return uint32(*z.n - 1)
}
func (zeroThenOne) Read(p []byte) (int, error) { return len(p), nil }

// TestRFC9260_5_2_4_RestartResumesShutdown: a restart while the user's
// SHUTDOWN is pending rebuilds the association and goes on shutting down.
func TestRFC9260_5_2_4_RestartResumesShutdown(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	f.a.Shutdown(f.now)
	expectOne(t, f.a, f.now, "SHUTDOWN")
	newLocal, cookie := restartCookie(t, f, 0x0badcafe)
	f.send(newLocal, &wire.CookieEcho{Cookie: cookie})
	expectOne(t, f.a, f.now, "COOKIE ACK+SHUTDOWN")
	expectEvent[Restart](t, f.a)
	expectState(t, f.a, ShutdownSent)
}

// TestRFC9260_5_2_2_InvalidInitWithTCB: an invalid INIT to an existing
// association is refused with an ABORT to its Initiate Tag, and the
// association is left alone (§3.3.2 "MUST NOT change the state of any
// existing association").
func TestRFC9260_5_2_2_InvalidInitWithTCB(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	in := peerInit()
	in.InStreams = 0
	in.InitiateTag = 0x5151
	expectDrop(t, f.send(0, in), DropInvalidInit)
	o := expectOne(t, f.a, f.now, "ABORT")
	if o.hdr.VerificationTag != 0x5151 {
		t.Fatal(o.hdr)
	}
	expectState(t, f.a, Established)
	// A malformed parameter list is refused too.
	bad := peerInit(wire.AppendParam(nil, wire.ParamCookiePreservative, []byte{1}))
	expectDrop(t, f.send(0, bad), DropMalformed)
	expectCause(t, expectOne(t, f.a, f.now, "ABORT").chunks[0], wire.CauseProtocolViolation)
	expectDrop(t, f.send(0, &wire.RawChunk{Type: wire.ChunkInit, Value: []byte{1, 2}}), DropMalformed)
	expectNone(t, f.a, f.now)
	expectNoEvent(t, f.a)
}

// TestHandlePacketEdgeCases: a packet with no chunks, a COOKIE ECHO not
// first, and a Closed association.
func TestHandlePacketEdgeCases(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	expectDrop(t, f.send(f.tag), DropMalformed)
	expectDrop(t, f.send(f.tag, &wire.Heartbeat{Info: []byte{1}}, &wire.CookieEcho{Cookie: []byte{1}}), DropBundling)
	expectOne(t, f.a, f.now, "HEARTBEAT ACK")
	fresh := New(testConfig(nil), NewSeededRand(3))
	expectDrop(t, fresh.HandlePacket(t0, mk(t, 0, peerInit())), DropClosed)
	if fresh.Poll(t0, nil) != nil || !fresh.NextDeadline().IsZero() {
		t.Fatal("a fresh association is idle")
	}
	r, _, err := NewEndpoint(testConfig(nil), NewSeededRand(1), t0).HandlePacket(t0, mk(t, 5), nil)
	expectDrop(t, err, DropMalformed)
	if r != nil {
		t.Fatal("answered an empty packet")
	}
}
