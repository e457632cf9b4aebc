package assoc

// More rules found by the RFC review and the ETSI suite (continued from
// rfc_review_test.go).

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/sysctl"
	"github.com/sconnlab/sconn/wire"
)

// TestRFC9260_9_2_T5GuardDefault: §9.2 "If the T5-shutdown-guard timer is
// used, it SHOULD be set to the RECOMMENDED value of 5 times 'RTO.Max'."
// The default configuration (ConfigFromSysctl of sysctl.Defaults) derives
// it from the association's RTO.Max, so SCTP_RTOINFO changes it (ETSI
// sctp-at-i-2-5); an explicitly configured value is kept.
func TestRFC9260_9_2_T5GuardDefault(t *testing.T) {
	v := sysctl.Defaults()
	def := ConfigFromSysctl(&v)
	start := func(mod func(*Config), rtoMax time.Duration) time.Duration {
		t.Helper()
		f := newClient(t, func(c *Config) {
			c.ShutdownGuard = def.ShutdownGuard
			if mod != nil {
				mod(c)
			}
		})
		f.establish()
		if rtoMax != 0 {
			i, m, _ := f.a.RTO().Bounds()
			*f.a.RTO() = NewRTO(i, m, rtoMax, time.Millisecond) // SCTP_RTOINFO
		}
		if err := f.a.Shutdown(f.now); err != nil {
			t.Fatal(err)
		}
		expectOne(t, f.a, f.now, "SHUTDOWN")
		if !f.a.timers.running(timerT5Guard) {
			t.Fatal("T5 not running")
		}
		return f.a.timers[timerT5Guard].at.Sub(f.now)
	}
	if got, want := start(nil, 0), 5*def.RTOMax; got != want {
		t.Errorf("T5-shutdown-guard %v, want 5 x RTO.Max = %v", got, want)
	}
	if got := start(nil, 2*time.Second); got != 10*time.Second {
		t.Errorf("T5-shutdown-guard %v after RTO.Max 2 s, want 10 s", got)
	}
	if got := start(func(c *Config) { c.ShutdownGuard = 7 * time.Second }, 2*time.Second); got != 7*time.Second {
		t.Errorf("configured T5-shutdown-guard: %v, want 7 s", got)
	}
}

// TestRFC9260_5_2_2_InitDoesNotTouchShutdownTimer: §5.2.2 "After sending
// the INIT ACK or ABORT chunk, the endpoint MUST take no further actions,
// i.e., the existing association, including its current state, and the
// corresponding TCB MUST NOT be changed." An INIT (tag 0, not verified)
// in SHUTDOWN-SENT must not clear the SHUTDOWN retransmission count nor
// restart T2-shutdown, or anyone could keep the shutdown from failing.
func TestRFC9260_5_2_2_InitDoesNotTouchShutdownTimer(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	f.a.Shutdown(f.now)
	expectOne(t, f.a, f.now, "SHUTDOWN")
	f.toDeadline() // T2 expiry: SHUTDOWN again, one retransmission counted
	expectOne(t, f.a, f.now, "SHUTDOWN")
	n, deadline := f.a.shut.retransmits, f.a.timers[timerT2Shutdown].at
	f.now = f.now.Add(100 * time.Millisecond)
	in := peerInit()
	in.InitiateTag = 0x12345678
	f.send(0, in)
	expectOne(t, f.a, f.now, "INIT ACK")
	if f.a.shut.retransmits != n || f.a.timers[timerT2Shutdown].at != deadline {
		t.Fatalf("INIT changed the TCB: retransmits %d→%d, T2 %v→%v",
			n, f.a.shut.retransmits, deadline.Sub(t0), f.a.timers[timerT2Shutdown].at.Sub(t0))
	}
}

// TestRFC9260_5_2_4_CaseB_TakesPeerSide: Table 12 case B in ESTABLISHED
// (the peer restarted its INIT during the collision and echoes our cookie
// with a new tag): §5.2.4 B "the endpoint ... SHOULD ... update its peer's
// verification tag" — and the peer's side of the association is the one in
// the cookie: its Initial TSN, a_rwnd and streams. Otherwise its DATA,
// numbered from the new Initial TSN, is never acknowledged.
func TestRFC9260_5_2_4_CaseB_TakesPeerSide(t *testing.T) {
	f := newClient(t, nil)
	f.echo() // COOKIE-ECHOED, our COOKIE ECHO carries the peer's (zTag) cookie
	in := peerInit()
	in.InitiateTag, in.InitialTSN, in.ARwnd = 0x41414141, 0x70000000, 30000
	f.send(0, in) // the peer's new INIT crosses: INIT ACK with our tag
	_, _, cookie := initAckCookie(t, f.a, expectOne(t, f.a, f.now, "INIT ACK"))
	if err := f.send(f.tag, &wire.CookieAck{}); err != nil { // up with zTag
		t.Fatal(err)
	}
	expectEvent[CommUp](t, f.a)
	if err := f.send(f.tag, &wire.CookieEcho{Cookie: cookie}); err != nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "COOKIE ACK")
	if o.hdr.VerificationTag != 0x41414141 {
		t.Fatalf("COOKIE ACK tag %#x", o.hdr.VerificationTag)
	}
	if i := f.a.Info(); i.PeerInitialTSN != 0x70000000 || i.PeerARwnd != 30000 {
		t.Fatalf("peer side not taken from the cookie: %+v", i)
	}
	if err := f.send(f.tag, immediate(dataChunk(0x70000000, 0, "x"))); err != nil {
		t.Fatal(err)
	}
	s := decodeSack(t, expectOne(t, f.a, f.now, "SACK").chunks[0])
	if s.CumulativeTSNAck != 0x70000000 || len(s.GapBlocks) != 0 {
		t.Fatalf("DATA after case B: SACK %+v", s)
	}
}

// TestRFC9260_5_2_2_InitWithNewAddresses: §5.2.2 "Before responding, the
// endpoint MUST check to see if the unexpected INIT chunk adds new
// addresses to the association. If new addresses are added to the
// association, the endpoint MUST respond with an ABORT chunk, copying the
// 'Initiate Tag' of the unexpected INIT chunk into the 'Verification Tag'
// ... the error cause MAY be set to 'Restart of an Association with New
// Addresses'." The association remembers the address parameters of the
// peer's INIT (in the cookie) or INIT ACK; the handle stays the only
// transport address (AF_CONN). ETSI sctp-as-o-1-9-1, sctp-as-o-1-9-2.
func TestRFC9260_5_2_2_InitWithNewAddresses(t *testing.T) {
	v4 := func(d byte) []byte { return wire.AppendParam(nil, wire.ParamIPv4Address, []byte{192, 0, 2, d}) }
	restart := func(params ...[]byte) *wire.Init {
		in := peerInit(params...)
		in.InitiateTag = 0x51515151
		return in
	}
	t.Run("server, no address before, one now", func(t *testing.T) {
		f := newServer(t, nil)
		f.establish()
		f.send(0, restart(v4(1)))
		o := expectOne(t, f.a, f.now, "ABORT")
		if o.hdr.VerificationTag != 0x51515151 || o.chunks[0].Flags() != 0 {
			t.Fatalf("ABORT tag %#x flags %d", o.hdr.VerificationTag, o.chunks[0].Flags())
		}
		c := expectCause(t, o.chunks[0], wire.CauseRestartWithNewAddresses)
		if r, err := wire.DecodeRestartWithNewAddresses(c); err != nil || string(r.Addresses) != string(v4(1)) {
			t.Fatalf("cause %v %v", r, err)
		}
		expectState(t, f.a, Established)
		f.send(0, restart())
		expectOne(t, f.a, f.now, "INIT ACK")
	})
	t.Run("server, same and fewer addresses", func(t *testing.T) {
		f := newServer(t, nil)
		f.init(v4(1), v4(2))
		f.handle(mk(t, f.tag, &wire.CookieEcho{Cookie: f.cookie}))
		expectOne(t, f.a, f.now, "COOKIE ACK")
		f.send(0, restart(v4(2), v4(1)))
		expectOne(t, f.a, f.now, "INIT ACK")
		f.send(0, restart(v4(2)))
		expectOne(t, f.a, f.now, "INIT ACK")
		f.send(0, restart(v4(2), v4(3)))
		expectOne(t, f.a, f.now, "ABORT")
	})
	t.Run("client, addresses of the INIT ACK", func(t *testing.T) {
		f := newClient(t, nil)
		if err := f.send(f.tag, f.initAck(v4(7))); err != nil {
			t.Fatal(err)
		}
		expectOne(t, f.a, f.now, "COOKIE ECHO")
		f.send(f.tag, &wire.CookieAck{})
		f.send(0, restart(v4(7)))
		expectOne(t, f.a, f.now, "INIT ACK")
		f.send(0, restart(v4(8)))
		expectOne(t, f.a, f.now, "ABORT")
	})
}
