package conn

import "testing"

func TestListenerOptionsAfterListen(t *testing.T) {
	p := newPair(t, true)
	ln := p.listen(OneToMany, 5000, Event{Type: NotifyAssocChange, On: true})
	if err := ln.SetOption(InitMsg{NumOStreams: 3}); err != nil {
		t.Fatal(err)
	}
	p.dial(OneToOne, 5000)
	if ac := expectAssocChange(t, ln, CommUp); ac.OutboundStreams != 3 {
		t.Errorf("outbound streams %d", ac.OutboundStreams)
	}
}

func TestSocketMisc(t *testing.T) {
	p := newPair(t, true)
	s, _ := p.a.Socket(OneToMany, Upcalls{})
	s.SetULPInfo("mine")
	if s.ULPInfo() != "mine" || s.Stack() != p.a || s.Type() != OneToMany {
		t.Error("accessors")
	}
	s.Bind(Addr{AnyHandle, 7})
	if got := s.String(); got != "one-to-many socket *:7" {
		t.Errorf("String %q", got)
	}
	if (Addr{3, 5000}).Network() != "sctp-conn" || (Addr{3, 5000}).String() != "3:5000" {
		t.Error("Addr")
	}
	s.SetDeadline(t0)
	s.SetNonBlocking(false)
	if _, _, err := s.RecvV(nil); !isErr(err, ErrTimeout) {
		t.Errorf("RecvV past the deadline: %v", err)
	} else {
		var oe *OpError
		if !errorsAs(err, &oe) || !oe.Timeout() || !oe.Temporary() || oe.Error() == "" {
			t.Errorf("OpError %v", err)
		}
	}
	if EventRead.String() != "READ" || (EventRead|EventError).String() != "READ|ERROR" || EventMask(0).String() != "0" {
		t.Error("EventMask.String")
	}
	if StateEstablished.String() != "SCTP_ESTABLISHED" || AssocState(0x7).String() == "" {
		t.Error("AssocState.String")
	}
	if OneToOne.String() != "one-to-one" || SocketType(9).String() == "" {
		t.Error("SocketType.String")
	}
	for _, n := range []Notification{AssocChange{AssocID: 4}, PeerAddrChange{AssocID: 4}, RemoteError{AssocID: 4},
		SendFailedEvent{AssocID: 4}, ShutdownEvent{AssocID: 4}, AdaptationEvent{AssocID: 4},
		PartialDeliveryEvent{AssocID: 4}, SenderDryEvent{AssocID: 4}} {
		if n.Assoc() != 4 {
			t.Errorf("%T.Assoc", n)
		}
	}
}
