package assoc

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// TestRFC9260_9_2_ShutdownInitiator: SHUTDOWN carries the last in-sequence
// TSN received; T2-shutdown and T5 run; the SHUTDOWN ACK is answered with
// SHUTDOWN COMPLETE under the peer's tag with T clear, and the association
// ends with SHUTDOWN_COMP (§9.2, §8.5.1 C).
func TestRFC9260_9_2_ShutdownInitiator(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	f.send(f.tag, dataChunk(zTSN, 0, "a"), immediate(dataChunk(zTSN+1, 0, "b")))
	expectOne(t, f.a, f.now, "SACK")
	if err := f.a.Shutdown(f.now); err != nil {
		t.Fatal(err)
	}
	expectState(t, f.a, ShutdownSent)
	o := expectOne(t, f.a, f.now, "SHUTDOWN")
	if sd, _ := wire.DecodeShutdown(o.chunks[0]); sd.CumulativeTSNAck != zTSN+1 || o.hdr.VerificationTag != zTag {
		t.Fatalf("SHUTDOWN %+v tag %#x", sd, o.hdr.VerificationTag)
	}
	if !f.a.timers.running(timerT2Shutdown) || !f.a.timers.running(timerT5Guard) {
		t.Fatal("T2/T5 not running")
	}
	if err := f.send(f.tag, &wire.ShutdownAck{}); err != nil {
		t.Fatal(err)
	}
	o = expectOne(t, f.a, f.now, "SHUTDOWN COMPLETE")
	if o.hdr.VerificationTag != zTag || o.chunks[0].Flags() != 0 {
		t.Fatalf("SHUTDOWN COMPLETE tag %#x flags %d", o.hdr.VerificationTag, o.chunks[0].Flags())
	}
	expectEvent[DataReadable](t, f.a) // "a" and "b"
	expectEvent[ShutdownComplete](t, f.a)
	expectState(t, f.a, Closed)
	if !f.a.NextDeadline().IsZero() {
		t.Fatal("timers left")
	}
	expectDrop(t, f.send(f.tag, &wire.ShutdownAck{}), DropClosed)
	if f.a.Shutdown(f.now) != ErrClosed || f.a.Abort(f.now, nil) != ErrClosed {
		t.Fatal("user calls on a closed association")
	}
}

// TestRFC9260_9_2_ShutdownReceiver: a SHUTDOWN moves to SHUTDOWN-RECEIVED,
// reports SHUTDOWN_EVENT and, with nothing outstanding, answers SHUTDOWN
// ACK with T2 running (SHUTDOWN-ACK-SENT); SHUTDOWN COMPLETE ends it (§9.2).
func TestRFC9260_9_2_ShutdownReceiver(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	cum := f.a.Info().LocalInitialTSN - 1
	if err := f.send(f.tag, &wire.Shutdown{CumulativeTSNAck: cum}); err != nil {
		t.Fatal(err)
	}
	expectEvent[ShutdownEvent](t, f.a)
	expectState(t, f.a, ShutdownAckSent)
	expectOne(t, f.a, f.now, "SHUTDOWN ACK")
	if !f.a.timers.running(timerT2Shutdown) || f.a.timers.running(timerHeartbeat) {
		t.Fatal("timers")
	}
	// A retransmitted SHUTDOWN gets another SHUTDOWN ACK, no new event.
	f.send(f.tag, &wire.Shutdown{CumulativeTSNAck: cum})
	expectOne(t, f.a, f.now, "SHUTDOWN ACK")
	expectNoEvent(t, f.a)
	if f.a.Shutdown(f.now) != nil {
		t.Fatal("Shutdown in SHUTDOWN-ACK-SENT must be ignored")
	}
	if err := f.send(f.tag, &wire.ShutdownComplete{}); err != nil {
		t.Fatal(err)
	}
	expectEvent[ShutdownComplete](t, f.a)
	expectState(t, f.a, Closed)
	expectNone(t, f.a, f.now)
}

// TestRFC9260_9_2_T2ShutdownRetransmits: T2-shutdown resends the SHUTDOWN
// with the updated cumulative TSN ack and a doubled RTO, at most
// Association.Max.Retrans times, then COMM_LOST; a packet from the peer
// resets the count and restarts T2 (§9.2).
func TestRFC9260_9_2_T2ShutdownRetransmits(t *testing.T) {
	f := newClient(t, func(c *Config) { c.AssocMaxRetrans = 3; c.ShutdownGuard = time.Hour })
	f.establish()
	f.a.Shutdown(f.now)
	expectOne(t, f.a, f.now, "SHUTDOWN")
	rto := f.a.RTO().Value()
	if el := f.toDeadline(); el != rto {
		t.Fatalf("T2 after %v, want RTO %v", el, rto)
	}
	expectOne(t, f.a, f.now, "SHUTDOWN")
	// The peer sends DATA: immediately a SHUTDOWN with the new cumulative
	// TSN ack, T2 restarted, count reset (§9.2).
	f.send(f.tag, dataChunk(zTSN, 0, "late"))
	o := expectOne(t, f.a, f.now, "SHUTDOWN")
	if sd, _ := wire.DecodeShutdown(o.chunks[0]); sd.CumulativeTSNAck != zTSN {
		t.Fatalf("cum ack %d", sd.CumulativeTSNAck)
	}
	if f.a.shut.retransmits != 0 {
		t.Fatal("count not reset")
	}
	// A duplicate needs a SACK too (§9.2).
	f.send(f.tag, dataChunk(zTSN, 0, "late"))
	o = expectOne(t, f.a, f.now, "SHUTDOWN+SACK")
	if s := decodeSack(t, o.chunks[1]); s.NumDupTSNs() != 1 || s.DupTSN(0) != zTSN {
		t.Fatalf("SACK dups %d", s.NumDupTSNs())
	}
	for i := 0; i < 3; i++ {
		f.toDeadline()
		expectOne(t, f.a, f.now, "SHUTDOWN")
	}
	f.toDeadline()
	expectEvent[DataReadable](t, f.a) // the late DATA
	if ev := expectEvent[CommLost](t, f.a); ev.Reason != LostPeerUnreachable {
		t.Fatal(ev)
	}
	expectState(t, f.a, Closed)
}

// TestRFC9260_9_2_T2ShutdownAckRetransmits: the SHUTDOWN ACK is resent on
// T2 expiry, and the association given up after Association.Max.Retrans
// (§9.2).
func TestRFC9260_9_2_T2ShutdownAckRetransmits(t *testing.T) {
	f := newServer(t, func(c *Config) { c.AssocMaxRetrans = 1 })
	f.establish()
	f.send(f.tag, &wire.Shutdown{CumulativeTSNAck: f.a.Info().LocalInitialTSN - 1})
	expectOne(t, f.a, f.now, "SHUTDOWN ACK")
	rto := f.a.RTO().Value() // RTO.Initial: no RTT measured on this side
	f.advance(rto)
	expectOne(t, f.a, f.now, "SHUTDOWN ACK")
	f.advance(2 * rto)
	expectOne(t, f.a, f.now, "ABORT") // giving up (§9.2, §8.1), as usrsctp
	expectEvent[ShutdownEvent](t, f.a)
	if ev := expectEvent[CommLost](t, f.a); ev.Reason != LostPeerUnreachable {
		t.Fatal(ev)
	}
	expectState(t, f.a, Closed)
}

// TestRFC9260_9_2_T5ShutdownGuard: the T5-shutdown-guard (5 × RTO.Max by
// default) bounds the shutdown: at expiry an ABORT is sent and the
// association is lost (§9.2).
func TestRFC9260_9_2_T5ShutdownGuard(t *testing.T) {
	f := newClient(t, func(c *Config) { c.ShutdownGuard = 0; c.RTOMax = 4 * time.Second; c.AssocMaxRetrans = 100 })
	f.establish()
	f.a.Shutdown(f.now)
	expectOne(t, f.a, f.now, "SHUTDOWN")
	start := f.now
	for f.a.State() != Closed {
		f.toDeadline()
		pollAll(t, f.a, f.now)
		if f.a.State() == Closed {
			break
		}
	}
	if el := f.now.Sub(start); el != 20*time.Second {
		t.Fatalf("guard expired after %v, want 5 × RTO.Max", el)
	}
	if ev := expectEvent[CommLost](t, f.a); ev.Reason != LostShutdownGuard {
		t.Fatal(ev)
	}

	g := newClient(t, func(c *Config) { c.ShutdownGuard = time.Second / 2 })
	g.establish()
	g.a.Shutdown(g.now)
	expectOne(t, g.a, g.now, "SHUTDOWN")
	g.toDeadline()
	o := expectOne(t, g.a, g.now, "ABORT")
	if o.hdr.VerificationTag != zTag || o.chunks[0].Flags() != 0 {
		t.Fatal(o.hdr)
	}
}

// TestRFC9260_9_2_ShutdownCollision: in SHUTDOWN-SENT a SHUTDOWN from the
// peer is answered with a SHUTDOWN ACK at once (SHUTDOWN-ACK-SENT), and a
// SHUTDOWN ACK there is answered with SHUTDOWN COMPLETE (§9.2).
func TestRFC9260_9_2_ShutdownCollision(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	f.a.Shutdown(f.now)
	expectOne(t, f.a, f.now, "SHUTDOWN")
	f.send(f.tag, &wire.Shutdown{CumulativeTSNAck: f.tsn - 1})
	expectState(t, f.a, ShutdownAckSent)
	expectOne(t, f.a, f.now, "SHUTDOWN ACK")
	expectEvent[ShutdownEvent](t, f.a)
	f.send(f.tag, &wire.ShutdownAck{})
	expectOne(t, f.a, f.now, "SHUTDOWN COMPLETE")
	expectEvent[ShutdownComplete](t, f.a)
}

// TestRFC9260_9_2_ShutdownDuringHandshake: a SHUTDOWN received in
// COOKIE-WAIT or COOKIE-ECHOED is discarded (§9.2); a user Shutdown during
// the handshake is carried out once ESTABLISHED.
func TestRFC9260_9_2_ShutdownDuringHandshake(t *testing.T) {
	f := newClient(t, nil)
	expectDrop(t, f.send(f.tag, &wire.Shutdown{}), DropUnexpectedChunk)
	if err := f.a.Shutdown(f.now); err != nil {
		t.Fatal(err)
	}
	f.echo()
	expectDrop(t, f.send(f.tag, &wire.Shutdown{}), DropUnexpectedChunk)
	f.send(f.tag, &wire.CookieAck{})
	expectEvent[CommUp](t, f.a)
	expectState(t, f.a, ShutdownSent)
	expectOne(t, f.a, f.now, "SHUTDOWN")
}

// TestRFC9260_9_2_ShutdownAckUnexpected: a SHUTDOWN ACK in ESTABLISHED is
// discarded.
func TestRFC9260_9_2_ShutdownAckUnexpected(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	expectDrop(t, f.send(f.tag, &wire.ShutdownAck{}), DropUnexpectedChunk)
	expectState(t, f.a, Established)
	expectNone(t, f.a, f.now)
}

// TestRFC9260_9_2_ShutdownAcksNeverSentTSN: a SHUTDOWN acknowledging a TSN
// we never sent is a protocol violation: ABORT with cause 13 (§3.3.10.13).
func TestRFC9260_9_2_ShutdownAcksNeverSentTSN(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	expectDrop(t, f.send(f.tag, &wire.Shutdown{CumulativeTSNAck: f.tsn}), DropMalformed)
	o := expectOne(t, f.a, f.now, "ABORT")
	expectCause(t, o.chunks[0], wire.CauseProtocolViolation)
	if ev := expectEvent[CommLost](t, f.a); ev.Reason != LostProtocolViolation {
		t.Fatal(ev)
	}
}
