package assoc

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

func hb5s(c *Config) { c.HeartbeatInterval = 5 * time.Second }

// TestLink_HandshakeHeartbeatShutdownRestart is the acceptance scenario of
// the lifecycle: two engines complete the handshake (§5.1), exchange
// heartbeats (§8.3), shut down (§9.2); a new association is set up and the
// client, after a crash, restarts it (§5.2.4.1).
func TestLink_HandshakeHeartbeatShutdownRestart(t *testing.T) {
	l := newLink(t, hb5s, hb5s)
	if err := l.a.Connect(l.now); err != nil {
		t.Fatal(err)
	}
	l.run(time.Second)
	expectTrace(t, l.takeTrace(),
		"A→B INIT",
		"B→A INIT ACK",
		"A→B COOKIE ECHO",
		"B→A COOKIE ACK")
	expectState(t, l.a, Established)
	expectState(t, l.b, Established)
	ia := expectEvent[CommUp](t, l.a).Info
	ib := expectEvent[CommUp](t, l.b).Info
	if ia.LocalTag != ib.PeerTag || ia.PeerTag != ib.LocalTag || ia.LocalInitialTSN != ib.PeerInitialTSN {
		t.Fatalf("the two sides disagree: %+v vs %+v", ia, ib)
	}

	// Heartbeats: each side probes every RTO (1 s, RTO.Min) + 5 s ± 0.5 s.
	l.run(13 * time.Second)
	expectTrace(t, l.takeTrace(),
		"A→B HEARTBEAT",
		"B→A HEARTBEAT ACK",
		"B→A HEARTBEAT",
		"A→B HEARTBEAT ACK",
		"A→B HEARTBEAT",
		"B→A HEARTBEAT ACK")
	if srtt := l.a.RTO().SRTT(); srtt != 20*time.Millisecond {
		t.Fatalf("SRTT %v, want the 20 ms round trip", srtt)
	}

	// Graceful shutdown from A.
	if err := l.a.Shutdown(l.now); err != nil {
		t.Fatal(err)
	}
	l.run(time.Second)
	expectTrace(t, l.takeTrace(),
		"A→B SHUTDOWN",
		"B→A SHUTDOWN ACK",
		"A→B SHUTDOWN COMPLETE")
	expectState(t, l.a, Closed)
	expectState(t, l.b, Closed)
	expectEvent[ShutdownComplete](t, l.a)
	expectEvent[ShutdownEvent](t, l.b)
	expectEvent[ShutdownComplete](t, l.b)
	if l.a.NextDeadline() != (time.Time{}) || l.b.NextDeadline() != (time.Time{}) {
		t.Fatal("timers still running after SHUTDOWN COMPLETE")
	}

	// A new association, then A crashes and connects again: B sees an INIT
	// for its ESTABLISHED association and the cookie's tie-tags reveal
	// the restart (Table 12, case A).
	l.crashA(hb5s)
	l.a.Connect(l.now)
	l.run(time.Second)
	expectTrace(t, l.takeTrace(), "A→B INIT", "B→A INIT ACK", "A→B COOKIE ECHO", "B→A COOKIE ACK")
	expectEvent[CommUp](t, l.a)
	first := expectEvent[CommUp](t, l.b).Info
	l.crashA(hb5s)
	l.a.Connect(l.now)
	l.run(time.Second)
	expectTrace(t, l.takeTrace(), "A→B INIT", "B→A INIT ACK", "A→B COOKIE ECHO", "B→A COOKIE ACK")
	expectEvent[CommUp](t, l.a)
	rs := expectEvent[Restart](t, l.b).Info
	if rs.LocalTag == first.LocalTag || rs.PeerTag != l.a.Info().LocalTag || rs.LocalTag != l.a.Info().PeerTag {
		t.Fatalf("restart tags: before %+v, after %+v, A %+v", first, rs, l.a.Info())
	}
	expectState(t, l.b, Established)
	expectNoEvent(t, l.b)
}

// TestRFC9260_5_1_LostInitAck: the INIT ACK is lost; T1-init expires after
// RTO.Initial and the INIT is sent again (§4 note 2, §5.1.6).
func TestRFC9260_5_1_LostInitAck(t *testing.T) {
	l := newLink(t, nil, nil)
	l.lose = func(dir string, n int, o out) bool { return dir == "B→A" && n == 1 }
	l.a.Connect(l.now)
	l.run(10 * time.Second)
	expectTrace(t, l.takeTrace(),
		"A→B INIT",
		"B→A INIT ACK (lost)",
		"A→B INIT",
		"B→A INIT ACK",
		"A→B COOKIE ECHO",
		"B→A COOKIE ACK")
	expectEvent[CommUp](t, l.a)
	// Karn (§6.3.1 C5): no RTT from the retransmitted INIT; the COOKIE
	// ECHO was sent once and gives the 20 ms sample.
	if srtt := l.a.RTO().SRTT(); srtt != 20*time.Millisecond {
		t.Fatalf("SRTT %v", srtt)
	}
}

// TestRFC9260_5_1_LostCookieAck: the COOKIE ACK is lost; T1-cookie resends
// the COOKIE ECHO and B, already ESTABLISHED, answers it as a duplicate
// (§5.2.4 case D) without a second CommUp.
func TestRFC9260_5_1_LostCookieAck(t *testing.T) {
	l := newLink(t, nil, nil)
	l.lose = func(dir string, n int, o out) bool { return o.types() == "COOKIE ACK" && n == 2 }
	l.a.Connect(l.now)
	l.run(10 * time.Second)
	expectTrace(t, l.takeTrace(),
		"A→B INIT",
		"B→A INIT ACK",
		"A→B COOKIE ECHO",
		"B→A COOKIE ACK (lost)",
		"A→B COOKIE ECHO",
		"B→A COOKIE ACK")
	expectEvent[CommUp](t, l.a)
	expectEvent[CommUp](t, l.b)
	expectNoEvent(t, l.b)
	// One sample only, from the INIT (§6.3.1 C2): none from the
	// retransmitted COOKIE ECHO (§6.3.1 C5), or RTTVAR would have moved.
	if r := l.a.RTO(); r.SRTT() != 20*time.Millisecond || r.RTTVAR() != 10*time.Millisecond {
		t.Fatalf("SRTT %v RTTVAR %v", r.SRTT(), r.RTTVAR())
	}
}

// TestRFC9260_5_2_1_SimultaneousOpen: both sides send INIT at once (§5.2.1);
// each answers the other's INIT with an INIT ACK from its TCB, and the
// cookies resolve to one association (Table 12 case D).
func TestRFC9260_5_2_1_SimultaneousOpen(t *testing.T) {
	l := newLink(t, nil, nil)
	cfgB := testConfig(nil)
	cfgB.LocalPort, cfgB.PeerPort = zPort, aPort
	l.b = New(cfgB, NewSeededRand(77))
	l.a.Connect(l.now)
	l.b.Connect(l.now)
	l.run(5 * time.Second)
	expectTrace(t, l.takeTrace(),
		"A→B INIT",
		"B→A INIT",
		"B→A INIT ACK",
		"A→B INIT ACK",
		"A→B COOKIE ECHO",
		"B→A COOKIE ECHO",
		"B→A COOKIE ACK",
		"A→B COOKIE ACK")
	expectState(t, l.a, Established)
	expectState(t, l.b, Established)
	ia := expectEvent[CommUp](t, l.a).Info
	ib := expectEvent[CommUp](t, l.b).Info
	if ia.LocalTag != ib.PeerTag || ib.LocalTag != ia.PeerTag {
		t.Fatalf("tags: %+v / %+v", ia, ib)
	}
	expectNoEvent(t, l.a)
	expectNoEvent(t, l.b)
}

// TestRFC9260_8_1_HeartbeatsUnansweredUntilCommLost: B vanishes; A's
// heartbeats go unanswered, each one an error of the path and the
// association; past Path.Max.Retrans (5) the path is unreachable, past
// Association.Max.Retrans (10) the association is lost (§8.1, §8.2, §8.3).
func TestRFC9260_8_1_HeartbeatsUnansweredUntilCommLost(t *testing.T) {
	l := newLink(t, hb5s, hb5s)
	l.a.Connect(l.now)
	l.run(time.Second)
	events(l.a)
	l.takeTrace()
	l.lose = func(dir string, n int, o out) bool { return dir == "A→B" }
	l.b = nil // B is gone
	start := l.now
	if !l.runUntil(time.Hour, func() bool { return l.a.State() == Closed }) {
		t.Fatal("association still up after an hour of silence")
	}
	lostAfter := l.now.Sub(start)
	tr := l.takeTrace()
	// The 11th miss (> Association.Max.Retrans) is counted one RTO after
	// the 11th HEARTBEAT. With the RTO backed off to RTO.Max (60 s), the
	// period is 30 s + jitter in [0, 60 s) + 5 s, so a 12th HEARTBEAT may
	// or may not have gone out by then, depending on the jitter.
	// The association then gives up with an ABORT (§8.1, as usrsctp).
	if len(tr) == 0 || tr[len(tr)-1] != "A→B ABORT (lost)" {
		t.Fatalf("no ABORT at the end: %q", tr)
	}
	tr = tr[:len(tr)-1]
	if len(tr) != 11 && len(tr) != 12 {
		t.Fatalf("want 11 or 12 lost heartbeats, got %q", tr)
	}
	for _, e := range tr {
		if e != "A→B HEARTBEAT (lost)" {
			t.Fatalf("trace %q", tr)
		}
	}
	pc := expectEvent[PathChange](t, l.a)
	if pc.Reachable || pc.Errors != 6 {
		t.Fatalf("path change %+v", pc)
	}
	cl := expectEvent[CommLost](t, l.a)
	if cl.Reason != LostPeerUnreachable {
		t.Fatalf("reason %v", cl.Reason)
	}
	// Misses at RTO 1, 2, 4, 8, 16, 32, then 60 s (RTO.Max) after each
	// HEARTBEAT, which go every backed-off RTO ± 50 % + 5 s: the sum of the
	// RTOs is about 363 s, so 11 periods plus the last RTO take between
	// 0.5·363 + 55 + 60 s (about 5 min) and 1.5·363 + 55 + 60 s (about 11 min).
	if lostAfter < 4*time.Minute || lostAfter > 11*time.Minute {
		t.Fatalf("COMM_LOST after %v", lostAfter)
	}
}

// TestRFC9260_5_2_4_1_PeerRestartWhileDataOutstanding: the raw client has
// DATA acknowledged by B, then restarts; B rebuilds the association with
// the new TSNs (Table 12 case A) and its SHUTDOWN acknowledges the new
// peer's TSN, not the old one.
func TestRFC9260_5_2_4_1_PeerRestartWhileDataOutstanding(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	f.send(f.tag, dataChunk(zTSN, 0, "one"), dataChunk(zTSN+1, 0, "two"), dataChunk(zTSN+3, 0, "gap"))
	o := expectOne(t, f.a, f.now, "SACK")
	if s := decodeSack(t, o.chunks[0]); s.CumulativeTSNAck != zTSN+1 {
		t.Fatalf("cum ack %d", s.CumulativeTSNAck)
	}
	// The peer restarts with a new tag and TSN; TSN zTSN+3 was never
	// acknowledged: it is outstanding at the peer when it crashes.
	in := peerInit()
	in.InitiateTag, in.InitialTSN = 0x77777777, 5000
	if err := f.send(0, in); err != nil {
		t.Fatal(err)
	}
	o = expectOne(t, f.a, f.now, "INIT ACK")
	if o.hdr.VerificationTag != 0x77777777 {
		t.Fatalf("INIT ACK tag %#x", o.hdr.VerificationTag)
	}
	ack, _ := wire.DecodeInitAck(o.chunks[0])
	ip, _ := wire.DecodeInitParams(ack.Params, 0)
	f.now = f.now.Add(100 * time.Millisecond)
	if err := f.send(ack.InitiateTag, &wire.CookieEcho{Cookie: ip.StateCookie}, dataChunk(5000, 1, "new")); err != nil {
		t.Fatal(err)
	}
	o = expectOne(t, f.a, f.now, "COOKIE ACK+SACK")
	if o.hdr.VerificationTag != 0x77777777 {
		t.Fatalf("tag %#x", o.hdr.VerificationTag)
	}
	if s := decodeSack(t, o.chunks[1]); s.CumulativeTSNAck != 5000 {
		t.Fatalf("cum ack after restart %d", s.CumulativeTSNAck)
	}
	expectEvent[DataReadable](t, f.a) // "one" and "two", still readable
	rs := expectEvent[Restart](t, f.a)
	if rs.Info.PeerInitialTSN != 5000 || rs.Info.LocalTag != ack.InitiateTag {
		t.Fatalf("restart info %+v", rs.Info)
	}
	f.a.Shutdown(f.now)
	o = expectOne(t, f.a, f.now, "SHUTDOWN")
	if sd, _ := wire.DecodeShutdown(o.chunks[0]); sd.CumulativeTSNAck != 5000 {
		t.Fatalf("SHUTDOWN cum ack %d", sd.CumulativeTSNAck)
	}
}
