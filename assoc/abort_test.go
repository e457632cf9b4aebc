package assoc

import (
	"bytes"
	"testing"

	"github.com/sconnlab/sconn/wire"
)

// TestRFC9260_9_1_UserAbort: Abort sends an ABORT with the peer's tag, T
// clear, and a User-Initiated Abort cause with the reason (§9.1,
// §3.3.10.12); nothing else goes out; COMM_LOST reports it.
func TestRFC9260_9_1_UserAbort(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	f.a.Heartbeat(f.now) // queued, then voided by the ABORT
	if err := f.a.Abort(f.now, []byte("bye")); err != nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "ABORT")
	if o.hdr.VerificationTag != zTag || o.chunks[0].Flags() != 0 {
		t.Fatal(o.hdr)
	}
	want := []byte{6, 0, 0, 11, 0, 12, 0, 7, 'b', 'y', 'e', 0}
	if !bytes.Equal(o.raw[12:], want) {
		t.Fatalf("ABORT %x, want %x", o.raw[12:], want)
	}
	ev := expectEvent[CommLost](t, f.a)
	if ev.Reason != LostUserAbort || string(ev.UpperLayerReason) != "bye" {
		t.Fatal(ev)
	}
	expectState(t, f.a, Closed)
	if !f.a.NextDeadline().IsZero() {
		t.Fatal("timers left")
	}
}

// TestRFC9260_9_1_UserAbortDuringHandshake: in COOKIE-WAIT the peer's tag is
// unknown and no ABORT is sent (§8.5.1 B); in COOKIE-ECHOED it is.
func TestRFC9260_9_1_UserAbortDuringHandshake(t *testing.T) {
	f := newClient(t, nil)
	f.a.Abort(f.now, nil)
	expectNone(t, f.a, f.now)
	if ev := expectEvent[CantStartAssoc](t, f.a); ev.Reason != LostUserAbort {
		t.Fatal(ev)
	}
	g := newClient(t, nil)
	g.echo()
	g.a.Abort(g.now, nil)
	o := expectOne(t, g.a, g.now, "ABORT")
	expectCause(t, o.chunks[0], wire.CauseUserInitiatedAbort)
	expectEvent[CantStartAssoc](t, g.a)
}

// TestRFC9260_9_1_PeerAbort: a valid ABORT removes the association and
// reports the causes and the Upper Layer Abort Reason; it is not answered;
// chunks after it are ignored (§9.1, §3.3.7).
func TestRFC9260_9_1_PeerAbort(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	causes := concat(wire.OutOfResource{}.Append(nil), wire.UserInitiatedAbort{Reason: []byte("going away")}.Append(nil))
	if err := f.send(f.tag, &wire.Abort{Causes: causes}, &wire.Heartbeat{Info: []byte{1}}); err != nil {
		t.Fatal(err)
	}
	ev := expectEvent[CommLost](t, f.a)
	if ev.Reason != LostPeerAbort || string(ev.UpperLayerReason) != "going away" || len(ev.Causes) != 18 { // the chunk length leaves out the last padding
		t.Fatalf("%+v", ev)
	}
	expectState(t, f.a, Closed)
	expectNone(t, f.a, f.now)
	// The event owns its bytes.
	if &ev.Causes[0] == &causes[0] {
		t.Fatal("event aliases the packet")
	}
}

// TestRFC9260_9_1_PeerAbortDuringHandshake: an ABORT answering our INIT
// (tag = our Initiate Tag, T clear) is CANT_STR_ASSOC (§5.1, §9.1).
func TestRFC9260_9_1_PeerAbortDuringHandshake(t *testing.T) {
	f := newClient(t, nil)
	f.send(f.tag, &wire.Abort{Causes: wire.InvalidMandatoryParameter{}.Append(nil)})
	ev := expectEvent[CantStartAssoc](t, f.a)
	if ev.Reason != LostPeerAbort || len(ev.Causes) != 4 {
		t.Fatal(ev)
	}
	expectState(t, f.a, Closed)
}

// TestRFC9260_3_3_7_MalformedAbortDiscarded: an ABORT with a format error
// is silently discarded (§3.3.7).
func TestRFC9260_3_3_7_MalformedAbortDiscarded(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	bad := &wire.RawChunk{Type: wire.ChunkAbort, Value: []byte{0, 12, 0, 9, 1}}
	expectDrop(t, f.send(f.tag, bad), DropMalformed)
	expectState(t, f.a, Established)
	expectNone(t, f.a, f.now)
}
