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

// TestRFC9260_5_1_FirstDataSackedAtOnce: §5.1 "After the reception of the
// first DATA chunk in an association, the endpoint MUST immediately
// respond with a SACK chunk to acknowledge the DATA chunk." Later DATA
// follows the delayed SACK rules (§6.2).
func TestRFC9260_5_1_FirstDataSackedAtOnce(t *testing.T) {
	f := newData(t, nil)
	f.z(zdata(0, 0, 0, "first", "BE"))
	f.expect("SACK 0 a1864130")
	f.z(zdata(1, 0, 1, "second", "BE"))
	f.expect() // delayed
}

// TestRFC9260_3_3_3_InitAckCookieLast: §3.3.3 lets the parameters of an
// INIT ACK come in any order; we put the State Cookie last, after the
// extension parameters and the Unrecognized Parameter reports, as usrsctp
// (FreeBSD) does, so peers and scripts written against it see the same
// layout (ETSI sctp-as-i-1-8-*).
func TestRFC9260_3_3_3_InitAckCookieLast(t *testing.T) {
	f := newServer(t, nil)
	ack := f.init(wire.AppendParam(nil, 0xC0CC, []byte{1, 1, 1, 1}))
	var types []wire.ParamType
	it := wire.Params(ack.Params, 0)
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		types = append(types, p.Type())
	}
	if len(types) < 2 || types[len(types)-1] != wire.ParamStateCookie {
		t.Fatalf("INIT ACK parameters %v: the State Cookie is not last", types)
	}
	if types[len(types)-2] != wire.ParamUnrecognizedParameter {
		t.Fatalf("INIT ACK parameters %v: the report does not precede the cookie", types)
	}
}

// TestRFC9260_8_3_HeartbeatOnOffWhileRunning: §8.3 "The upper layer can
// ... enable or disable the HEARTBEAT chunk ... and change the HB.interval"
// on a running association: disabling stops the timer, enabling restarts
// it with the new interval.
func TestRFC9260_8_3_HeartbeatOnOffWhileRunning(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	f.a.SetHeartbeat(f.now, 0, true)
	if f.a.timers.running(timerHeartbeat) {
		t.Fatal("heartbeat timer still running after disable")
	}
	f.advance(time.Hour)
	expectNone(t, f.a, f.now)
	f.a.SetHeartbeat(f.now, 2*time.Second, false)
	el := f.toDeadline()
	rto := f.a.RTO().Value()
	if el < rto/2+2*time.Second || el >= 3*rto/2+2*time.Second {
		t.Fatalf("first HEARTBEAT after %v, want RTO ± 50%% + 2 s (RTO %v)", el, rto)
	}
	expectOne(t, f.a, f.now, "HEARTBEAT")
}

// TestRFC9260_6_3_3_T1BackoffCappedByRTOMax: the T1-init and T1-cookie
// timers follow §6.3 (§5.1 A, C): the doubled RTO is capped by RTO.Max
// (E2), here 800 ms as SCTP_RTOINFO sets it, even when
// sctp_init_rto_max_default allows 60 s (ETSI sctp-as-i-1-3-1/2).
func TestRFC9260_6_3_3_T1BackoffCappedByRTOMax(t *testing.T) {
	mod := func(c *Config) {
		c.RTOInitial, c.RTOMin, c.RTOMax, c.InitRTOMax = 100*time.Millisecond, 100*time.Millisecond, 800*time.Millisecond, time.Minute
		c.MaxInitRetransmits = 6
	}
	want := []time.Duration{100, 200, 400, 800, 800, 800}
	f := newClient(t, mod)
	for i, w := range want {
		if el := f.toDeadline(); el != w*time.Millisecond {
			t.Fatalf("T1-init expiry %d after %v, want %v", i, el, w*time.Millisecond)
		}
		expectOne(t, f.a, f.now, "INIT")
	}
	f = newClient(t, mod)
	f.echo()
	for i, w := range want {
		if el := f.toDeadline(); el != w*time.Millisecond {
			t.Fatalf("T1-cookie expiry %d after %v, want %v", i, el, w*time.Millisecond)
		}
		expectOne(t, f.a, f.now, "COOKIE ECHO")
	}
}

// TestRFC9260_8_1_AbortWhenGivingUp: when Association.Max.Retrans (§8.1,
// §9.2 T2-shutdown) or Max.Init.Retransmits for the COOKIE ECHO (§5.1 C)
// is exceeded, the association ends with an ABORT without cause, as
// usrsctp sends (ETSI sctp-as-i-1-3-2, sctp-at-i-2-12). In COOKIE-WAIT the
// peer's tag is unknown: the INIT give-up is silent.
func TestRFC9260_8_1_AbortWhenGivingUp(t *testing.T) {
	t.Run("T2-shutdown", func(t *testing.T) {
		f := newClient(t, func(c *Config) { c.AssocMaxRetrans = 2 })
		f.establish()
		f.a.Shutdown(f.now)
		expectOne(t, f.a, f.now, "SHUTDOWN")
		for i := 0; i < 2; i++ {
			f.toDeadline()
			expectOne(t, f.a, f.now, "SHUTDOWN")
		}
		f.toDeadline()
		expectState(t, f.a, Closed)
		o := expectOne(t, f.a, f.now, "ABORT")
		if o.hdr.VerificationTag != zTag || len(causeList(t, o.chunks[0])) != 0 {
			t.Fatalf("ABORT tag %#x with %d causes", o.hdr.VerificationTag, len(causeList(t, o.chunks[0])))
		}
		expectEvent[CommLost](t, f.a)
	})
	t.Run("T1-cookie", func(t *testing.T) {
		f := newClient(t, func(c *Config) { c.MaxInitRetransmits = 2 })
		f.echo()
		for i := 0; i < 2; i++ {
			f.toDeadline()
			expectOne(t, f.a, f.now, "COOKIE ECHO")
		}
		f.toDeadline()
		expectState(t, f.a, Closed)
		expectOne(t, f.a, f.now, "ABORT")
		expectEvent[CantStartAssoc](t, f.a)
	})
	t.Run("T1-init", func(t *testing.T) {
		f := newClient(t, func(c *Config) { c.MaxInitRetransmits = 1 })
		f.toDeadline()
		expectOne(t, f.a, f.now, "INIT")
		f.toDeadline()
		expectState(t, f.a, Closed)
		expectNone(t, f.a, f.now)
	})
}

// TestRFC9260_3_3_3_InitAckTagZeroAbortCause: the ABORT (T bit) answering
// an INIT ACK with Initiate Tag 0 says why: an Invalid Mandatory Parameter
// cause (§3.3.3, §3.3.10.7; ETSI sctp-as-i-1-14-2).
func TestRFC9260_3_3_3_InitAckTagZeroAbortCause(t *testing.T) {
	f := newClient(t, nil)
	ack := f.initAck()
	ack.InitiateTag = 0
	expectDrop(t, f.send(f.tag, ack), DropInvalidInit)
	o := expectOne(t, f.a, f.now, "ABORT")
	if o.chunks[0].Flags() != wire.FlagT {
		t.Fatalf("ABORT flags %d", o.chunks[0].Flags())
	}
	expectCause(t, o.chunks[0], wire.CauseInvalidMandatoryParameter)
}

// TestRFC9260_9_2_NoDataAfterPeerShutdown: the peer sends SHUTDOWN only
// once all its DATA is acknowledged and sends no new DATA after it (§9.2),
// so DATA arriving in SHUTDOWN-RECEIVED (or SHUTDOWN-ACK-SENT) is
// discarded, not delivered nor acknowledged, as usrsctp does (ETSI
// sctp-at-i-2-9).
func TestRFC9260_9_2_NoDataAfterPeerShutdown(t *testing.T) {
	f := newData(t, noHB)
	f.sendMsg(1000, ordered(0))
	f.expect("D0 s0 n0 BE 1000")
	f.z(&wire.Shutdown{CumulativeTSNAck: f.tsn - 1})
	expectState(t, f.a, ShutdownReceived)
	expectDrop(t, f.send(f.tag, zdata(0, 0, 0, "late", "BE")), DropUnexpectedChunk)
	f.expect()
	f.z(f.zsack(0, 65536))
	f.expect("SHUTDOWN ACK")
	f.expectNoRecv()
}

// TestRFC9260_9_1_NoReplyToPacketWithAbort: §9.1 "An endpoint MUST NOT
// respond to any received packet that contains an ABORT chunk (also see
// Section 8.4)." Chunks before a valid ABORT (HEARTBEAT, an unknown chunk
// asking for a report, DATA) must not get their answers out.
func TestRFC9260_9_1_NoReplyToPacketWithAbort(t *testing.T) {
	t.Run("HEARTBEAT before ABORT", func(t *testing.T) {
		f := newClient(t, nil)
		f.establish()
		f.send(f.tag, &wire.Heartbeat{Info: []byte{1, 2, 3, 4}}, &wire.Abort{})
		expectState(t, f.a, Closed)
		expectEvent[CommLost](t, f.a)
		expectNone(t, f.a, f.now)
	})
	t.Run("unknown chunk 11 before ABORT", func(t *testing.T) {
		f := newClient(t, nil)
		f.establish()
		f.send(f.tag, &wire.RawChunk{Type: 0xFE, Value: []byte{1, 2, 3, 4}}, &wire.Abort{})
		expectState(t, f.a, Closed)
		expectNone(t, f.a, f.now)
	})
	t.Run("DATA before ABORT", func(t *testing.T) {
		f := newData(t, nil)
		f.send(f.tag, zdata(0, 0, 0, "x", "BEI"), &wire.Abort{})
		expectState(t, f.a, Closed)
		expectNone(t, f.a, f.now)
	})
}
