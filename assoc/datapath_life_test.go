package assoc

import (
	"testing"

	"github.com/sconnlab/sconn/wire"
)

// TestRFC9260_9_2_ShutdownWaitsForData: in SHUTDOWN-PENDING the queued and
// outstanding data still go and are retransmitted; the SHUTDOWN follows
// once everything is acknowledged, with the cumulative TSN ack of what we
// received.
func TestRFC9260_9_2_ShutdownWaitsForData(t *testing.T) {
	f := newData(t, noHB)
	f.z(zdata(0, 0, 0, "in", "BE"), zdata(1, 0, 1, "in", "BEI"))
	f.expect("SACK 1 a1864131")
	for i := 0; i < 5; i++ {
		f.sendMsg(1172, ordered(0))
	}
	f.pkts() // 4 go, cwnd 3600
	if err := f.a.Shutdown(f.now); err != nil {
		t.Fatal(err)
	}
	expectState(t, f.a, ShutdownPending)
	f.expect()
	f.z(f.zsack(3, 65536))
	f.expect("D4 s0 n4 BEI 1172")
	expectState(t, f.a, ShutdownPending)
	f.fireT3()
	f.expect("D4 s0 n4 BEI 1172")
	f.z(f.zsack(4, 65536))
	f.expect("SHUTDOWN 1")
	expectState(t, f.a, ShutdownSent)
}

// TestRFC9260_9_2_ShutdownReceivedFinishesData: after the peer's SHUTDOWN
// no new data is accepted from the user, but what is queued goes out; the
// SHUTDOWN's cumulative TSN ack acknowledges data like a SACK; the
// SHUTDOWN ACK follows once nothing is outstanding.
func TestRFC9260_9_2_ShutdownReceivedFinishesData(t *testing.T) {
	f := newData(t, noHB)
	for i := 0; i < 6; i++ {
		f.sendMsg(1172, ordered(1))
	}
	f.pkts() // D0-D3
	f.z(&wire.Shutdown{CumulativeTSNAck: f.tsn + 1})
	expectState(t, f.a, ShutdownReceived)
	expectErr(t, f.a.Send(f.now, []byte("x"), ordered(1)), ErrNotEstablished)
	f.expect("D4 s1 n4 BE 1172", "D5 s1 n5 BE 1172")
	f.z(&wire.Shutdown{CumulativeTSNAck: f.tsn + 4})
	f.expect()
	f.z(&wire.Shutdown{CumulativeTSNAck: f.tsn + 5})
	f.expect("SHUTDOWN ACK")
	expectState(t, f.a, ShutdownAckSent)
	f.expectEvents("SHUTDOWN_EVENT", "SENDER_DRY")
}

// TestRFC9260_9_1_AbortFailsMessages: Abort sends an ABORT without DATA;
// every message not acknowledged comes back as SendFailed, sent or not,
// before COMM_LOST.
func TestRFC9260_9_1_AbortFailsMessages(t *testing.T) {
	f := newData(t, nil)
	f.sendMsg(4000, SendOptions{Stream: 1, EOR: true, Context: 7})
	f.sendMsg(10, ordered(2))
	f.pkts() // 4000 goes in 4 chunks; the 10 bytes wait (cwnd)
	f.a.Abort(f.now, []byte("bye"))
	f.expect("ABORT")
	evs := events(f.a)
	if len(evs) != 3 {
		t.Fatalf("%v", evs)
	}
	a, b := evs[0].(SendFailed), evs[1].(SendFailed)
	if !a.Sent || a.Opts.Context != 7 || len(a.Data) != 4000 || b.Sent || len(b.Data) != 10 || a.Err != ErrClosed {
		t.Fatalf("%+v %+v", a, b)
	}
	if cl := evs[2].(CommLost); cl.Reason != LostUserAbort {
		t.Fatal(cl)
	}
	if f.a.BufferedAmount() != 0 {
		t.Fatal("buffered after abort")
	}
}

// TestRFC9260_9_1_PeerAbortFailsMessages: an ABORT from the peer fails the
// messages too.
func TestRFC9260_9_1_PeerAbortFailsMessages(t *testing.T) {
	f := newData(t, nil)
	f.sendMsg(10, ordered(2))
	f.pkts()
	f.z(&wire.Abort{})
	f.expectEvents("SEND_FAILED stream 2 len 10: sctp: association closed", "COMM_LOST: peer abort")
}

// TestRFC9260_5_2_4_RestartFailsMessages: when the peer restarts (§5.2.4
// A), our messages of the old association fail, before RESTART; the new
// one starts from its own TSNs with fresh congestion control.
func TestRFC9260_5_2_4_RestartFailsMessages(t *testing.T) {
	f := newData(t, nil)
	f.sendMsg(10, ordered(2))
	f.pkts()
	in := peerInit()
	in.InitiateTag, in.InitialTSN = 0x77777777, 5000
	if err := f.send(0, in); err != nil {
		t.Fatal(err)
	}
	// The INIT is answered with the peer's own tag.
	o := pollAll(t, f.a, f.now)
	if len(o) != 1 || o[0].types() != "INIT ACK" {
		t.Fatalf("%v", o)
	}
	ack, _ := wire.DecodeInitAck(o[0].chunks[0])
	ip, _ := wire.DecodeInitParams(ack.Params, 0)
	if err := f.send(ack.InitiateTag, &wire.CookieEcho{Cookie: ip.StateCookie}); err != nil {
		t.Fatal(err)
	}
	f.expectEvents("SEND_FAILED stream 2 len 10: sctp: association closed", "RESTART os=10 is=16")
	if st := f.a.Status(); st.UnackedData != 0 || st.Cwnd != 3600 || f.a.BufferedAmount() != 0 {
		t.Fatalf("%+v", st)
	}
	f.tsn = ack.InitialTSN
	pollAll(t, f.a, f.now)
	f.sendMsg(10, ordered(2))
	f.expect("D0 s2 n0 BE 10")
}

// TestStatsCounters: the SCTP_GET_ASSOC_STATS counters.
func TestStatsCounters(t *testing.T) {
	f := newData(t, func(c *Config) { c.NoDelay = true; c.HeartbeatDisabled = true })
	base := f.a.Stats()
	f.sendMsg(100, ordered(0))
	f.sendMsg(100, SendOptions{Stream: 1, EOR: true, Unordered: true})
	f.pkts()
	f.z(zdata(0, 0, 0, "a", "BE"), zdata(2, 0, 0, "u", "BEU"), f.zsack(-1, 65536, [2]int{1, 1}))
	f.pkts()
	f.z(zdata(0, 0, 0, "a", "BE"))
	f.pkts()
	f.fireT3()
	f.pkts()
	s := f.a.Stats()
	s.OPackets -= base.OPackets
	s.IPackets -= base.IPackets
	s.OCtrlChunks -= base.OCtrlChunks
	s.ICtrlChunks -= base.ICtrlChunks
	want := Stats{RtxChunks: 1, GapCnt: 1, OutSeqTSNs: 1, OSacks: 2, ISacks: 1, OCtrlChunks: 2, ICtrlChunks: 1,
		ODChunks: 1, IDChunks: 1, OUODChunks: 1, IUODChunks: 1, IDupChunks: 1, OPackets: 4, IPackets: 2,
		MaxRTO: s.MaxRTO}
	if s != want {
		t.Fatalf("stats\n %+v\nwant\n %+v", s, want)
	}
}

// TestStatusFigures: the SCTP_STATUS figures.
func TestStatusFigures(t *testing.T) {
	f := newData(t, nil)
	f.sendMsg(100, ordered(0))
	f.pkts()
	f.z(zdata(0, 0, 0, "abc", "BE"))
	st := f.a.Status()
	want := Status{State: Established, RWnd: 65536 - 100, UnackedData: 1, PendingData: 3,
		InStreams: 16, OutStreams: 10, FragmentationPoint: 1172, SRTT: 0, RTO: st.RTO, Cwnd: 3600, MTU: 1200}
	if st != want {
		t.Fatalf("status\n %+v\nwant\n %+v", st, want)
	}
}
