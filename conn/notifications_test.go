package conn

import (
	"strings"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

func TestNotificationRemoteError(t *testing.T) {
	p := newPair(t, true)
	ln := p.listen(OneToMany, 5000)
	c := p.dial(OneToOne, 5000, NotifyRemoteError)
	// B's association answers an unknown chunk type whose action bits ask
	// for a report (01) with an ERROR: A reports SCTP_REMOTE_ERROR.
	ln.mu.Lock()
	var bas *association
	for _, as := range ln.assocs {
		bas = as
	}
	ln.mu.Unlock()
	bas.mu.Lock()
	tag := bas.a.Info().LocalTag
	bas.mu.Unlock()
	unknown := mkPacket(c.LocalAddr().Port, 5000, tag, rawChunk{0x7f, []byte{1, 2, 3, 4}})
	if err := p.b.ConnInput(p.hb, unknown, 0); err == nil {
		t.Error("unknown chunk not reported as a drop")
	}
	n := nextNotification(t, c)
	re, ok := n.(RemoteError)
	if !ok || re.Error != uint16(wire.CauseUnrecognizedChunkType) || len(re.Data) < 4 {
		t.Fatalf("got %v", n)
	}
	if !strings.Contains(re.String(), "Unrecognized Chunk Type") {
		t.Errorf("String %q", re.String())
	}
	if d := p.b.Drops()[DropUnknownChunk]; d != 1 {
		t.Errorf("drops %v", p.b.Drops())
	}
}

// rawChunk encodes a chunk of any type.
type rawChunk struct {
	typ   uint8
	value []byte
}

func (r rawChunk) Append(b []byte) []byte {
	l := 4 + len(r.value)
	b = append(b, r.typ, 0, byte(l>>8), byte(l))
	b = append(b, r.value...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}
func (r rawChunk) ChunkType() wire.ChunkType { return wire.ChunkType(r.typ) }
func (r rawChunk) EncodedLen() int           { return (4 + len(r.value) + 3) &^ 3 }

func TestNotificationPeerAddrChangeAndCommLost(t *testing.T) {
	p := newPair(t, false)
	p.listen(OneToOne, 5000)
	c := p.dial(OneToOne, 5000, NotifyAssocChange, NotifyPeerAddrChange)
	expectAssocChange(t, c, CommUp)
	p.lose = func(pk packet) bool { return true }
	p.advance(30 * time.Minute)
	n := nextNotification(t, c)
	pc, ok := n.(PeerAddrChange)
	if !ok || pc.State != AddrUnreachable || pc.Addr != (Addr{p.ha, 5000}) {
		t.Fatalf("got %v", n)
	}
	var st Status
	c.GetOption(&st)
	if st.Primary.State != PathInactive {
		t.Errorf("path state %v", st.Primary.State)
	}
	ac := expectAssocChange(t, c, CommLost)
	if !isErr(ac.Err, ErrPeerUnreachable) {
		t.Errorf("COMM_LOST %v", ac.Err)
	}
	if _, _, err := c.RecvV(nil); !isErr(err, ErrPeerUnreachable) {
		t.Errorf("RecvV: %v", err)
	}
}

func TestNotificationRestart(t *testing.T) {
	n := newNet(t, true)
	a := n.stack("A", nil)
	b := n.stack("B", nil)
	n.link(a, 1, b, 2)
	ln, _ := b.Socket(OneToMany, Upcalls{})
	ln.SetOption(Event{Type: NotifyAssocChange, On: true})
	ln.Bind(Addr{AnyHandle, 5000})
	ln.Listen(1)
	c, _ := a.Socket(OneToOne, Upcalls{})
	c.Bind(Addr{1, 4000})
	if err := c.Connect(Addr{1, 5000}); err != nil {
		t.Fatal(err)
	}
	up := expectAssocChange(t, ln, CommUp)
	// A crashes; A2 comes back on the same ports.
	a2 := n.stack("A2", nil)
	a2.RegisterAddress(1)
	n.mu.Lock()
	n.routes[a2][1] = route{b, 2}
	n.routes[b][2] = route{a2, 1}
	n.mu.Unlock()
	c2, _ := a2.Socket(OneToOne, Upcalls{})
	c2.Bind(Addr{1, 4000})
	if err := c2.Connect(Addr{1, 5000}); err != nil {
		t.Fatal(err)
	}
	rs := expectAssocChange(t, ln, Restart)
	if rs.AssocID != up.AssocID {
		t.Errorf("restart of %v, want %v", rs.AssocID, up.AssocID)
	}
	if b.Stats().Restarts != 1 {
		t.Errorf("stats %+v", b.Stats())
	}
}

func TestNotificationStrings(t *testing.T) {
	for _, n := range []Notification{
		AssocChange{State: CommUp, AssocID: 3, OutboundStreams: 1, InboundStreams: 2},
		AssocChange{State: CommLost, Err: ErrConnReset},
		PeerAddrChange{State: AddrUnreachable},
		RemoteError{Error: 1},
		SendFailedEvent{Flags: DataSent},
		SendFailedEvent{},
		ShutdownEvent{},
		AdaptationEvent{Indication: 1},
		PartialDeliveryEvent{Indication: PartialDeliveryAborted},
		SenderDryEvent{},
	} {
		if s := n.String(); !strings.HasPrefix(s, n.Type().String()) {
			t.Errorf("%T: %q does not start with %q", n, s, n.Type())
		}
	}
	for ty := NotificationType(1); ty <= maxNotificationType; ty++ {
		if !strings.HasPrefix(ty.String(), "SCTP_") {
			t.Errorf("type %d: %q", ty, ty)
		}
	}
	for _, st := range []AssocChangeState{CommUp, CommLost, Restart, ShutdownComp, CantStrAssoc} {
		if !strings.HasPrefix(st.String(), "SCTP_") {
			t.Errorf("%q", st)
		}
	}
	for s := AddrAvailable; s <= AddrConfirmed; s++ {
		if !strings.HasPrefix(s.String(), "SCTP_ADDR_") {
			t.Errorf("%q", s)
		}
	}
}

func TestNxtInfoForNotifications(t *testing.T) {
	p := newPair(t, true)
	p.listen(OneToOne, 5000)
	c := p.dial(OneToOne, 5000, NotifyAssocChange, NotifyShutdownEvent)
	c.SetOption(RecvNxtInfo(true))
	c.SetNonBlocking(true)
	_, info, err := c.RecvV(nil)
	if err != nil || info.HasNxtInfo {
		t.Fatalf("%+v %v", info, err)
	}
	if info.InfoType() != 0 || info.Flags != MsgNotification|MsgEOR {
		t.Errorf("info %+v", info)
	}
}
