package conn

import (
	"testing"
	"time"
)

func TestOptionsRoundTrip(t *testing.T) {
	p := newPair(t, true)
	s, _ := p.a.Socket(OneToMany, Upcalls{})
	set := func(o SettableOption) {
		t.Helper()
		if err := s.SetOption(o); err != nil {
			t.Fatalf("%s: %v", o.OptionName(), err)
		}
	}
	set(RTOInfo{Initial: 2 * time.Second, Min: 500 * time.Millisecond, Max: 10 * time.Second})
	var rto RTOInfo
	s.GetOption(&rto)
	if rto.Initial != 2*time.Second || rto.Min != 500*time.Millisecond || rto.Max != 10*time.Second {
		t.Errorf("RTOINFO %+v", rto)
	}
	set(RTOInfo{Initial: 3 * time.Second}) // zero fields unchanged
	s.GetOption(&rto)
	if rto.Initial != 3*time.Second || rto.Min != 500*time.Millisecond {
		t.Errorf("RTOINFO %+v", rto)
	}
	set(AssocInfo{AssocMaxRxt: 4, CookieLife: 30 * time.Second})
	var ai AssocInfo
	s.GetOption(&ai)
	if ai.AssocMaxRxt != 4 || ai.CookieLife != 30*time.Second || ai.LocalRwnd == 0 {
		t.Errorf("ASSOCINFO %+v", ai)
	}
	set(InitMsg{NumOStreams: 16, MaxInStreams: 32, MaxAttempts: 3, MaxInitTimeo: 20 * time.Second})
	var im InitMsg
	s.GetOption(&im)
	if im != (InitMsg{16, 32, 3, 20 * time.Second}) {
		t.Errorf("INITMSG %+v", im)
	}
	set(NoDelay(true))
	var nd NoDelay
	s.GetOption(&nd)
	if !nd {
		t.Error("NODELAY")
	}
	set(AutoClose(10 * time.Second))
	var ac AutoClose
	s.GetOption(&ac)
	if time.Duration(ac) != 10*time.Second {
		t.Errorf("AUTOCLOSE %v", ac)
	}
	set(PeerAddrParams{HBInterval: 5 * time.Second, PathMaxRxt: 3, PathMTU: 1400, Flags: HBEnable | PMTUDDisable})
	var pp PeerAddrParams
	s.GetOption(&pp)
	if pp.HBInterval != 5*time.Second || pp.PathMaxRxt != 3 || pp.PathMTU != 1400 || pp.Flags&HBEnable == 0 {
		t.Errorf("PEER_ADDR_PARAMS %+v", pp)
	}
	set(PeerAddrParams{Flags: HBDisable})
	s.GetOption(&pp)
	if pp.Flags&HBDisable == 0 {
		t.Errorf("PEER_ADDR_PARAMS %+v", pp)
	}
	set(MaxSeg{Value: 1000})
	var ms MaxSeg
	s.GetOption(&ms)
	if ms.Value != 1000 {
		t.Errorf("MAXSEG %v", ms.Value)
	}
	set(DelayedSack{Delay: 100 * time.Millisecond, Freq: 2})
	var ds DelayedSack
	s.GetOption(&ds)
	if ds.Delay != 100*time.Millisecond || ds.Freq != 2 {
		t.Errorf("DELAYED_SACK %+v", ds)
	}
	set(MaxBurst{Value: 8})
	var mb MaxBurst
	s.GetOption(&mb)
	if mb.Value != 8 {
		t.Errorf("MAX_BURST %v", mb.Value)
	}
	set(Context{Value: 42})
	var cx Context
	s.GetOption(&cx)
	if cx.Value != 42 {
		t.Errorf("CONTEXT %v", cx.Value)
	}
	set(FragmentInterleave(2))
	var fi FragmentInterleave
	s.GetOption(&fi)
	if fi != 2 {
		t.Errorf("FRAGMENT_INTERLEAVE %v", fi)
	}
	set(PartialDeliveryPoint(1000))
	var pdp PartialDeliveryPoint
	s.GetOption(&pdp)
	if pdp != 1000 {
		t.Errorf("PARTIAL_DELIVERY_POINT %v", pdp)
	}
	set(ExplicitEOR(true))
	var eor ExplicitEOR
	s.GetOption(&eor)
	if !eor {
		t.Error("EXPLICIT_EOR")
	}
	set(Event{Type: NotifySenderDry, On: true})
	ev := Event{Type: NotifySenderDry}
	s.GetOption(&ev)
	if !ev.On {
		t.Error("EVENT")
	}
	ev = Event{Type: NotifyAssocChange}
	s.GetOption(&ev)
	if ev.On {
		t.Error("ASSOC_CHANGE subscribed by default")
	}
	set(RecvRcvInfo(true))
	set(RecvNxtInfo(true))
	var rr RecvRcvInfo
	var rn RecvNxtInfo
	s.GetOption(&rr)
	s.GetOption(&rn)
	if !bool(rr) || !bool(rn) {
		t.Error("RECVRCVINFO/RECVNXTINFO")
	}
	set(DefaultSndInfo{Stream: 3, PPID: 51, Flags: FlagUnordered, Context: 9})
	var dsi DefaultSndInfo
	s.GetOption(&dsi)
	if dsi.Stream != 3 || dsi.PPID != 51 || dsi.Flags != FlagUnordered || dsi.Context != 9 {
		t.Errorf("DEFAULT_SNDINFO %+v", dsi)
	}
	set(DefaultPRInfo{Policy: PRRtx, Value: 2})
	var dpr DefaultPRInfo
	s.GetOption(&dpr)
	if dpr.Policy != PRRtx || dpr.Value != 2 {
		t.Errorf("DEFAULT_PRINFO %+v", dpr)
	}
	set(RemoteUDPEncapsPort{Port: 9899})
	var ue RemoteUDPEncapsPort
	s.GetOption(&ue)
	if ue.Port != 9899 {
		t.Errorf("REMOTE_UDP_ENCAPS_PORT %v", ue.Port)
	}
	set(RcvBuf(200000))
	set(SndBuf(300000))
	var rb RcvBuf
	var sb SndBuf
	s.GetOption(&rb)
	s.GetOption(&sb)
	if rb != 200000 || sb != 300000 {
		t.Errorf("SO_RCVBUF %d SO_SNDBUF %d", rb, sb)
	}
	set(Linger{On: true, Timeout: time.Second})
	var lg Linger
	s.GetOption(&lg)
	if lg != (Linger{true, time.Second}) {
		t.Errorf("SO_LINGER %+v", lg)
	}
	set(AdaptationLayer{Indication: 7})
	var al AdaptationLayer
	s.GetOption(&al)
	if al.Indication != 7 {
		t.Errorf("ADAPTATION_LAYER %v", al.Indication)
	}

	// The settings reach the engine configuration of a new association.
	cfg := s.engineConfigLocked(1, 2)
	if cfg.RTOInitial != 3*time.Second || cfg.OutboundStreams != 16 || cfg.InboundStreams != 32 ||
		cfg.MaxInitRetransmits != 3 || cfg.HeartbeatInterval != 5*time.Second || !cfg.HeartbeatDisabled ||
		cfg.PathMaxRetrans != 3 || cfg.MTU != 1000+28 || cfg.DelayedSackTime != 100*time.Millisecond ||
		cfg.SackFreq != 2 || cfg.MaxBurst != 8 || cfg.ARwnd != 200000 || cfg.SendSpace != 300000 ||
		cfg.AssocMaxRetrans != 4 || cfg.ValidCookieLife != 30*time.Second || !cfg.Adaptation {
		t.Errorf("engine config %+v", cfg)
	}
}

func TestOptionsInvalid(t *testing.T) {
	p := newPair(t, true)
	s, _ := p.a.Socket(OneToMany, Upcalls{})
	o2o, _ := p.a.Socket(OneToOne, Upcalls{})
	for _, tc := range []struct {
		s    *Socket
		o    SettableOption
		want error
	}{
		{s, RTOInfo{Min: 5 * time.Second, Max: time.Second}, ErrInvalidArgument},
		{s, RTOInfo{Initial: -1}, ErrInvalidArgument},
		{s, RTOInfo{Initial: 100 * time.Second}, ErrInvalidArgument},
		{s, RTOInfo{AssocID: 99}, ErrNoAssociation},
		{s, AssocInfo{CookieLife: -1}, ErrInvalidArgument},
		{s, InitMsg{MaxInitTimeo: -1}, ErrInvalidArgument},
		{o2o, AutoClose(time.Second), ErrNotSupported},
		{s, AutoClose(-time.Second), ErrInvalidArgument},
		{s, PeerAddrParams{Flags: HBEnable | HBDisable}, ErrInvalidArgument},
		{s, PeerAddrParams{Flags: PMTUDEnable | PMTUDDisable}, ErrInvalidArgument},
		{s, PeerAddrParams{Flags: 0x40000}, ErrInvalidArgument},
		{s, PeerAddrParams{PathMTU: 100}, ErrInvalidArgument},
		{s, PeerAddrParams{HBInterval: -1}, ErrInvalidArgument},
		{s, MaxSeg{Value: 10}, ErrInvalidArgument},
		{s, DelayedSack{Delay: time.Second}, ErrInvalidArgument},
		{s, FragmentInterleave(3), ErrInvalidArgument},
		{s, PartialDeliveryPoint(1 << 30), ErrInvalidArgument},
		{s, Event{Type: 0}, ErrInvalidArgument},
		{s, Event{Type: 99}, ErrInvalidArgument},
		{s, DefaultSndInfo{Flags: FlagAbort}, ErrInvalidArgument},
		{s, DefaultSndInfo{Flags: 0x8}, ErrInvalidArgument},
		{s, DefaultPRInfo{Policy: 9}, ErrInvalidArgument},
		{s, DefaultPRInfo{Policy: PRBuf}, ErrNotSupported},
		{s, RcvBuf(100), ErrInvalidArgument},
		{s, SndBuf(-1), ErrInvalidArgument},
		{s, Linger{On: true, Timeout: -1}, ErrInvalidArgument},
		{s, nil, ErrInvalidArgument},
	} {
		err := tc.s.SetOption(tc.o)
		if !isErr(err, tc.want) {
			t.Errorf("SetOption(%#v) = %v, want %v", tc.o, err, tc.want)
		}
	}
	var st Status
	if err := s.GetOption(&st); !isErr(err, ErrInvalidArgument) {
		t.Errorf("STATUS without assoc id: %v", err)
	}
	if err := o2o.GetOption(&st); !isErr(err, ErrNotConnected) {
		t.Errorf("STATUS unconnected: %v", err)
	}
	rto := RTOInfo{AssocID: CurrentAssoc}
	if err := s.GetOption(&rto); !isErr(err, ErrInvalidArgument) {
		t.Errorf("get with SCTP_CURRENT_ASSOC: %v", err)
	}
	if err := s.GetOption(nil); !isErr(err, ErrInvalidArgument) {
		t.Errorf("nil option: %v", err)
	}
}

func TestOptionsOnRunningAssociation(t *testing.T) {
	p := newPair(t, true)
	ln := p.listen(OneToOne, 5000, AdaptationLayer{Indication: 0x1234})
	_ = ln
	c := p.dial(OneToOne, 5000, NotifyAssocChange, NotifyAdaptationIndication)
	expectAssocChange(t, c, CommUp)
	if ad, ok := nextNotification(t, c).(AdaptationEvent); !ok || ad.Indication != 0x1234 {
		t.Errorf("adaptation indication: %v", ad)
	}
	// RTO bounds apply to the running association.
	if err := c.SetOption(RTOInfo{Initial: time.Second, Min: 200 * time.Millisecond, Max: 5 * time.Second}); err != nil {
		t.Fatal(err)
	}
	var rto RTOInfo
	c.GetOption(&rto)
	if rto.Min != 200*time.Millisecond || rto.Max != 5*time.Second {
		t.Errorf("RTOINFO %+v", rto)
	}
	// Engine settings read at start cannot change.
	// (SCTP_NODELAY and the heartbeat settings of SCTP_PEER_ADDR_PARAMS do
	// apply: TestPeerAddrParamsAndNoDelayOnRunningAssociation.)
	for _, o := range []SettableOption{MaxBurst{Value: 2}, DelayedSack{Freq: 5}, MaxSeg{Value: 600},
		PeerAddrParams{PathMTU: 1000}, AssocInfo{AssocMaxRxt: 2}, RcvBuf(5000), SndBuf(5000)} {
		if err := c.SetOption(o); !isErr(err, ErrNotSupported) {
			t.Errorf("%s on a running association: %v", o.OptionName(), err)
		}
	}
	// Same values are fine, and so is a heartbeat on demand.
	if err := c.SetOption(NoDelay(false)); err != nil {
		t.Error(err)
	}
	p.traceString()
	if err := c.SetOption(PeerAddrParams{Flags: HBDemand}); err != nil {
		t.Fatal(err)
	}
	if got := p.traceString(); got != "A→B HEARTBEAT\nB→A HEARTBEAT ACK" {
		t.Errorf("trace %q", got)
	}
	var st Status
	if err := c.GetOption(&st); err != nil {
		t.Fatal(err)
	}
	if st.State != StateEstablished || st.OutStreams == 0 || st.Primary.State != PathActive || st.Primary.MTU != 1200 ||
		st.FragmentationPoint != 1200-28 || st.Primary.Address != (Addr{p.ha, 5000}) {
		t.Errorf("STATUS %+v", st)
	}
	var pi PeerAddrInfo
	if err := c.GetOption(&pi); err != nil || pi.RTO == 0 {
		t.Errorf("PEER_ADDR_INFO %+v %v", pi, err)
	}
	var ai AssocInfo
	c.GetOption(&ai)
	if ai.NumberPeerDestinations != 1 || ai.PeerRwnd == 0 {
		t.Errorf("ASSOCINFO %+v", ai)
	}
	var pp PeerAddrParams
	c.GetOption(&pp)
	if pp.Address != (Addr{p.ha, 5000}) {
		t.Errorf("PEER_ADDR_PARAMS %+v", pp)
	}
}

func TestEventSubscriptionPerAssoc(t *testing.T) {
	p := newPair(t, true)
	ln := p.listen(OneToMany, 5000, Event{Type: NotifyAssocChange, On: true})
	c1 := p.dial(OneToOne, 5000)
	c2 := p.dial(OneToOne, 5000)
	id1 := expectAssocChange(t, ln, CommUp).AssocID
	id2 := expectAssocChange(t, ln, CommUp).AssocID
	// Unsubscribe association 1 only.
	if err := ln.SetOption(Event{AssocID: id1, Type: NotifyAssocChange, On: false}); err != nil {
		t.Fatal(err)
	}
	ev := Event{AssocID: id1, Type: NotifyAssocChange}
	ln.GetOption(&ev)
	if ev.On {
		t.Error("still subscribed")
	}
	c1.Close()
	c2.Close()
	if ac := expectAssocChange(t, ln, ShutdownComp); ac.AssocID != id2 {
		t.Errorf("notification for %v", ac.AssocID)
	}
	expectNothing(t, ln)
}
