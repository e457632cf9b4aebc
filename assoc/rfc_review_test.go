package assoc

// Heartbeat rules found missing by review (RFC 9260 §8.3).

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// TestRFC9260_8_3_IdlePathGetsHeartbeat: a path is idle when nothing was
// sent to it within the heartbeat period that just ended; the check must
// not use the next, re-jittered period.
func TestRFC9260_8_3_IdlePathGetsHeartbeat(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	missed := 0
	for round := 0; round < 20; round++ {
		d1 := f.a.timers[timerHeartbeat].at
		// Data goes out 1 ms before the timer: the period ending at d1
		// is busy, no HEARTBEAT then.
		f.now = d1.Add(-time.Millisecond)
		f.a.NotePathUsed(f.now)
		f.now = d1
		f.a.HandleTimeout(f.now)
		expectNone(t, f.a, f.now)
		// Nothing is sent during the next period: at its end the path
		// has been idle for the whole period.
		d2 := f.a.timers[timerHeartbeat].at
		f.now = d2
		f.a.HandleTimeout(f.now)
		outs := pollAll(t, f.a, f.now)
		if len(outs) == 0 {
			missed++
			continue
		}
		info := hbInfo(t, outs[0])
		f.send(f.tag, &wire.HeartbeatAck{Info: info})
	}
	if missed > 0 {
		t.Fatalf("%d of 20 periods idle from start to end got no HEARTBEAT", missed)
	}
}

// TestRFC9260_8_3_LateHeartbeatAckClearsErrors: §8.3 "Upon the receipt of
// the HEARTBEAT ACK chunk, the sender of the HEARTBEAT chunk SHOULD clear
// the error counter of the destination transport address ... The receiver
// of the HEARTBEAT ACK chunk SHOULD also clear the association overall
// error count". A HEARTBEAT ACK that arrives after the one-RTO deadline
// (so the miss was already counted) matches no probe any more: it is
// dropped and the counters stay.
func TestRFC9260_8_3_LateHeartbeatAckClearsErrors(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	f.a.Heartbeat(f.now)
	info := hbInfo(t, expectOne(t, f.a, f.now, "HEARTBEAT"))
	f.advance(f.a.RTO().Value()) // not acknowledged within one RTO
	if f.a.errors != 1 || f.a.path.errors != 1 {
		t.Fatalf("errors %d/%d after the miss", f.a.errors, f.a.path.errors)
	}
	f.advance(50 * time.Millisecond)
	err := f.send(f.tag, &wire.HeartbeatAck{Info: info})
	if err != nil || f.a.errors != 0 || f.a.path.errors != 0 {
		t.Fatalf("late HEARTBEAT ACK: err %v, errors %d/%d", err, f.a.errors, f.a.path.errors)
	}
}

// TestRFC9260_8_3_HeartbeatJitterLargeRTO: §8.3 "it is RECOMMENDED that a
// HEARTBEAT chunk is sent once per RTO of that destination address plus
// the protocol parameter 'HB.interval', with jittering of +/- 50% of the
// RTO value". heartbeatPeriod computes the jitter as
// uint64(Uint32()) * uint64(rto) >> 32, which overflows 64 bits once the
// RTO exceeds 2^32 ns (about 4.29 s, e.g. RTO.Initial 3 s backed off once,
// or any RTO.Min above it): the jitter then never exceeds 4.29 s, so the
// period is no longer RTO ± 50 %.
func TestRFC9260_8_3_HeartbeatJitterLargeRTO(t *testing.T) {
	const hbi = 10 * time.Second
	f := newClient(t, func(c *Config) {
		c.RTOInitial, c.RTOMin = 10*time.Second, 10*time.Second
		c.HeartbeatInterval = hbi
	})
	f.establish()
	rto := f.a.RTO().Value()
	if rto != 10*time.Second {
		t.Fatalf("RTO %v", rto)
	}
	var maxJitter time.Duration
	for i := 0; i < 50; i++ {
		el := f.toDeadline()
		if el < rto/2+hbi || el >= 3*rto/2+hbi {
			t.Fatalf("heartbeat %d after %v, outside RTO ± 50%% + HB.interval", i, el)
		}
		maxJitter = max(maxJitter, el-hbi-rto/2)
		info := hbInfo(t, expectOne(t, f.a, f.now, "HEARTBEAT"))
		f.send(f.tag, &wire.HeartbeatAck{Info: info})
	}
	// Uniform jitter over [0, RTO) = [0, 10 s): 50 draws all below 4.3 s
	// has probability 0.43^50.
	if maxJitter < 5*time.Second {
		t.Fatalf("largest jitter over 50 periods %v (RTO %v): the jitter is capped near 2^32 ns", maxJitter, rto)
	}
}

// TestRFC9260_8_5_1_E_ShutdownAckBundledWithAbort: §8.5.1 E treats a
// SHUTDOWN ACK in COOKIE-WAIT as out of the blue, and §8.4 rule 2 says an
// OOTB packet holding an ABORT is silently discarded: no SHUTDOWN COMPLETE.
func TestRFC9260_8_5_1_E_ShutdownAckBundledWithAbort(t *testing.T) {
	f := newClient(t, nil) // COOKIE-WAIT
	f.send(0x77777777, &wire.ShutdownAck{}, &wire.Abort{TagReflected: true})
	expectState(t, f.a, CookieWait)
	expectNone(t, f.a, f.now)
}

// TestRFC9260_3_2_2_ErrorNotBeforeCookieAck: §3.2.2 "the ERROR chunk MAY be
// sent separately but not before the COOKIE ACK chunk has been received".
func TestRFC9260_3_2_2_ErrorNotBeforeCookieAck(t *testing.T) {
	f := newClient(t, nil) // MTU 1200
	params := concat(
		wire.StateCookieParam{Cookie: make([]byte, 1100)}.Append(nil),
		wire.AppendParam(nil, 0xC123, make([]byte, 200)), // 11: skip, report
	)
	ack := &wire.InitAck{InitiateTag: zTag, ARwnd: 65536, OutStreams: 16, InStreams: 16,
		InitialTSN: zTSN, Params: params}
	if err := f.send(f.tag, ack); err != nil {
		t.Fatal(err)
	}
	expectState(t, f.a, CookieEchoed)
	for i, o := range pollAll(t, f.a, f.now) {
		if o.chunks[0].Type() != wire.ChunkCookieEcho {
			t.Fatalf("packet %d before the COOKIE ACK is %q, not a COOKIE ECHO", i, o.types())
		}
	}
	// After the COOKIE ACK, the held-back ERROR goes out.
	f.send(f.tag, &wire.CookieAck{})
	expectState(t, f.a, Established)
	o := pollAll(t, f.a, f.now)
	if len(o) != 1 || o[0].chunks[0].Type() != wire.ChunkError {
		t.Fatalf("after COOKIE ACK: %d packets", len(o))
	}
}

// TestRFC9260_3_2_1_InitAckStopParameterBeforeCookie: §3.2.1 "when an INIT
// or INIT ACK chunk is received, in all four cases, an INIT ACK or COOKIE
// ECHO chunk is sent in response": a stop parameter before the State
// Cookie still gets a COOKIE ECHO.
func TestRFC9260_3_2_1_InitAckStopParameterBeforeCookie(t *testing.T) {
	f := newClient(t, nil)
	params := concat(
		wire.AppendParam(nil, 0x4123, []byte{3, 3, 3}), // 01: stop, report
		wire.StateCookieParam{Cookie: zCookie}.Append(nil),
	)
	ack := &wire.InitAck{InitiateTag: zTag, ARwnd: 65536, OutStreams: 16, InStreams: 16,
		InitialTSN: zTSN, Params: params}
	f.send(f.tag, ack)
	o := pollAll(t, f.a, f.now)
	if len(o) != 1 || o[0].chunks[0].Type() != wire.ChunkCookieEcho {
		var got []string
		for _, x := range o {
			got = append(got, x.types())
		}
		t.Fatalf("INIT ACK answered with %q, want a COOKIE ECHO (+ERROR); state %v", got, f.a.State())
	}
}
