package assoc

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// hbInfo returns the Heartbeat Info of a HEARTBEAT the engine sent.
func hbInfo(t *testing.T, o out) []byte {
	t.Helper()
	hb, err := wire.DecodeHeartbeat(o.chunk(t, 0, wire.ChunkHeartbeat))
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), hb.Info...)
}

// TestRFC9260_8_3_HeartbeatInterval: on an idle path a HEARTBEAT goes every
// RTO + HB.interval with a jitter of ±50 % of the RTO (§8.3); its info holds
// a 64-bit nonce and the send time (§3.3.5, §5.4).
func TestRFC9260_8_3_HeartbeatInterval(t *testing.T) {
	f := newClient(t, func(c *Config) { c.HeartbeatInterval = 10 * time.Second })
	f.establish() // RTO.Min after a 0 s handshake sample
	rto := f.a.RTO().Value()
	seen := map[time.Duration]bool{}
	for i := 0; i < 20; i++ {
		el := f.toDeadline()
		if el < rto/2+10*time.Second || el >= 3*rto/2+10*time.Second {
			t.Fatalf("heartbeat %d after %v (RTO %v)", i, el, rto)
		}
		seen[el] = true
		o := expectOne(t, f.a, f.now, "HEARTBEAT")
		info := hbInfo(t, o)
		if len(info) != 16 || int64(binary.BigEndian.Uint64(info[8:])) != f.now.UnixNano() {
			t.Fatalf("info %x", info)
		}
		f.send(f.tag, &wire.HeartbeatAck{Info: info})
		if d := f.a.NextDeadline(); d.Sub(f.now) < rto/2 {
			t.Fatal("ack deadline still armed after the HEARTBEAT ACK")
		}
	}
	if len(seen) < 10 {
		t.Fatal("no jitter")
	}
}

// TestRFC9260_8_3_HeartbeatAnswered: a HEARTBEAT is answered at once with a
// HEARTBEAT ACK carrying the Heartbeat Info, and any other TLV, unchanged
// (§8.3, §3.3.6), from COOKIE-ECHOED on.
func TestRFC9260_8_3_HeartbeatAnswered(t *testing.T) {
	f := newClient(t, nil)
	hb := wire.RawChunk{Type: wire.ChunkHeartbeat, Value: concat(
		wire.HeartbeatInfoParam{Info: []byte("opaque info")}.Append(nil))}
	expectDrop(t, f.send(f.tag, &hb), DropUnexpectedChunk) // COOKIE-WAIT: no peer tag
	f.echo()
	if err := f.send(f.tag, &hb); err != nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "HEARTBEAT ACK")
	// The received chunk length (20) counted the padding of the info.
	want := append([]byte{5, 0, 0, 20}, hb.Value...)
	if !bytes.Equal(o.chunks[0].Bytes(), want) || o.hdr.VerificationTag != zTag {
		t.Fatalf("HEARTBEAT ACK %x, want %x", o.chunks[0].Bytes(), want)
	}
	expectDrop(t, f.send(f.tag, &wire.RawChunk{Type: wire.ChunkHeartbeat, Value: []byte{0, 2, 0, 4}}), DropMalformed)
}

// TestRFC9260_8_3_HeartbeatAckMeasuresRTT: the HEARTBEAT ACK gives an RTT
// sample from our own record of the send time (§8.3, §6.3.1) and clears
// the error counters (§8.1, §8.3).
func TestRFC9260_8_3_HeartbeatAckMeasuresRTT(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	f.a.errors, f.a.path.errors = 3, 3
	f.a.Heartbeat(f.now)
	info := hbInfo(t, expectOne(t, f.a, f.now, "HEARTBEAT"))
	// A forged send time in the echoed info does not matter.
	binary.BigEndian.PutUint64(info[8:], 0)
	f.now = f.now.Add(250 * time.Millisecond)
	if err := f.send(f.tag, &wire.HeartbeatAck{Info: info}); err != nil {
		t.Fatal(err)
	}
	// The handshake gave two 0 s samples (C2: SRTT 0, RTTVAR 0 → G1 1 ms;
	// C3: RTTVAR 3/4 ms); then C3: SRTT = 250/8 ms, RTTVAR = 3/4·3/4 +
	// 1/4·250 ms; RTO.Min applies (C6).
	if r := f.a.RTO(); r.SRTT() != 31250*time.Microsecond || r.RTTVAR() != 63062500*time.Nanosecond || r.Value() != time.Second {
		t.Fatalf("SRTT %v RTTVAR %v RTO %v", r.SRTT(), r.RTTVAR(), r.Value())
	}
	if f.a.errors != 0 || f.a.path.errors != 0 {
		t.Fatal("error counters not cleared")
	}
	// The same ACK again, or one with an unknown nonce, does nothing.
	expectDrop(t, f.send(f.tag, &wire.HeartbeatAck{Info: info}), DropUnexpectedChunk)
	expectDrop(t, f.send(f.tag, &wire.HeartbeatAck{Info: []byte("short")}), DropUnexpectedChunk)
}

// TestRFC9260_8_2_PathInactiveAndBack: each HEARTBEAT not acknowledged
// within one RTO is an error of the path and the association with RTO
// backoff; past Path.Max.Retrans the path is reported unreachable, and a
// HEARTBEAT ACK reports it reachable again (§8.2, §8.3).
func TestRFC9260_8_2_PathInactiveAndBack(t *testing.T) {
	f := newClient(t, func(c *Config) { c.PathMaxRetrans, c.AssocMaxRetrans = 2, 10 })
	f.establish()
	rto := f.a.RTO().Value()
	for i := 1; i <= 3; i++ {
		f.a.Heartbeat(f.now)
		expectOne(t, f.a, f.now, "HEARTBEAT") // never acknowledged
		if el := f.toDeadline(); el != rto {
			t.Fatalf("miss %d counted after %v, want the RTO %v", i, el, rto)
		}
		rto *= 2 // §8.3 exponential backoff
		if f.a.RTO().Value() != rto || f.a.errors != i {
			t.Fatalf("after miss %d: RTO %v errors %d", i, f.a.RTO().Value(), f.a.errors)
		}
	}
	if pc := expectEvent[PathChange](t, f.a); pc.Reachable || pc.Errors != 3 {
		t.Fatal(pc)
	}
	expectNoEvent(t, f.a)
	f.a.Heartbeat(f.now)
	info := hbInfo(t, expectOne(t, f.a, f.now, "HEARTBEAT"))
	f.send(f.tag, &wire.HeartbeatAck{Info: info})
	if pc := expectEvent[PathChange](t, f.a); !pc.Reachable {
		t.Fatal(pc)
	}
	expectState(t, f.a, Established)
}

// TestRFC9260_8_1_AssocMaxRetrans: the association overall error counter
// beyond Association.Max.Retrans closes the association with COMM_LOST
// (§8.1); nothing is sent.
func TestRFC9260_8_1_AssocMaxRetrans(t *testing.T) {
	f := newClient(t, func(c *Config) { c.AssocMaxRetrans = 2; c.HeartbeatDisabled = true })
	f.establish()
	for i := 0; i < 3; i++ {
		f.a.Heartbeat(f.now)
		expectOne(t, f.a, f.now, "HEARTBEAT")
		f.toDeadline()
	}
	expectEvent[CommLost](t, f.a)
	expectState(t, f.a, Closed)
	expectOne(t, f.a, f.now, "ABORT") // as usrsctp (§8.1; TestRFC9260_8_1_AbortWhenGivingUp)
	if f.a.Heartbeat(f.now) != ErrInvalidState {
		t.Fatal("heartbeat on a closed association")
	}
}

// TestRFC9260_8_3_OnDemandHeartbeat: REQUESTHEARTBEAT sends a HEARTBEAT at
// once, even with periodic heartbeats disabled, from ESTABLISHED on
// (§8.3 D, §11.1.10).
func TestRFC9260_8_3_OnDemandHeartbeat(t *testing.T) {
	f := newClient(t, func(c *Config) { c.HeartbeatDisabled = true })
	if f.a.Heartbeat(f.now) != ErrInvalidState {
		t.Fatal("heartbeat in COOKIE-WAIT")
	}
	expectNone(t, f.a, f.now)
	f.establish()
	f.now = f.now.Add(time.Hour)
	f.a.HandleTimeout(f.now)
	expectNone(t, f.a, f.now)
	if err := f.a.Heartbeat(f.now); err != nil {
		t.Fatal(err)
	}
	if o := expectOne(t, f.a, f.now, "HEARTBEAT"); o.hdr.VerificationTag != zTag {
		t.Fatal(o.hdr)
	}
}

// TestRFC9260_8_3_HeartbeatDisabled: with heartbeats disabled no heartbeat
// timer runs, and on-demand heartbeats still work (§8.3 A).
func TestRFC9260_8_3_HeartbeatDisabled(t *testing.T) {
	f := newClient(t, func(c *Config) { c.HeartbeatDisabled = true })
	f.establish()
	if !f.a.NextDeadline().IsZero() {
		t.Fatal("a timer runs")
	}
	if err := f.a.Heartbeat(f.now); err != nil {
		t.Fatal(err)
	}
	expectOne(t, f.a, f.now, "HEARTBEAT")
	// Probes beyond maxProbes replace the oldest.
	for i := 0; i < maxProbes+2; i++ {
		f.a.Heartbeat(f.now)
	}
	if f.a.path.hb.n != maxProbes {
		t.Fatal(f.a.path.hb.n)
	}
}

// TestRFC9260_8_3_HeartbeatsStopAfterShutdown: no HEARTBEAT is sent after a
// SHUTDOWN or SHUTDOWN ACK, and in SHUTDOWN-SENT and SHUTDOWN-ACK-SENT a
// HEARTBEAT is not answered (§8.3).
func TestRFC9260_8_3_HeartbeatsStopAfterShutdown(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	f.a.Shutdown(f.now)
	expectOne(t, f.a, f.now, "SHUTDOWN")
	if f.a.timers.running(timerHeartbeat) || f.a.Heartbeat(f.now) != ErrInvalidState {
		t.Fatal("heartbeats after SHUTDOWN")
	}
	expectDrop(t, f.send(f.tag, &wire.Heartbeat{Info: []byte{1}}), DropUnexpectedChunk)
	expectNone(t, f.a, f.now)
}

// TestRFC9260_8_3_BusyPathNotProbed: a path on which the data transfer
// engine sent within the heartbeat period is not idle and gets no
// HEARTBEAT (§8.3).
func TestRFC9260_8_3_BusyPathNotProbed(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	d := f.a.NextDeadline()
	f.now = d.Add(-time.Second)
	f.a.NotePathUsed(f.now)
	f.now = d
	f.a.HandleTimeout(f.now)
	expectNone(t, f.a, f.now)
	if !f.a.timers.running(timerHeartbeat) {
		t.Fatal("heartbeat timer not re-armed")
	}
}
