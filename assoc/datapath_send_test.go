package assoc

import (
	"testing"
	"time"
)

// TestRFC9260_6_1_SendData: a message goes out as one DATA chunk with the
// initial TSN, the stream, SSN 0, the PPID and B and E set (§3.3.1,
// §6.1); T3-rtx starts with the RTO (§6.3.2 R1).
func TestRFC9260_6_1_SendData(t *testing.T) {
	f := newData(t, nil)
	f.sendMsg(100, SendOptions{Stream: 3, PPID: 51, EOR: true})
	o := expectOne(t, f.a, f.now, "DATA")
	if d := decodeData(t, o); d.TSN != f.tsn || d.PPID != 51 || d.StreamID != 3 {
		t.Fatalf("%+v", d)
	}
	if f.t3() != time.Second {
		t.Fatalf("T3-rtx %v, want the RTO (1 s)", f.t3())
	}
	if st := f.a.Status(); st.UnackedData != 1 || st.FragmentationPoint != 1172 || st.Cwnd != 3600 {
		t.Fatalf("%+v", st)
	}
}

// TestRFC9260_6_1_B_CwndLimitsNewData: new DATA while the flight size is
// below cwnd (3 MTUs = 3600 with sctp_initial_cwnd 3); the last chunk may
// overshoot. A SACK in slow start opens cwnd by one PMDCS (§7.2.1).
func TestRFC9260_6_1_B_CwndLimitsNewData(t *testing.T) {
	f := newData(t, nil)
	for i := 0; i < 8; i++ {
		f.sendMsg(1172, ordered(0))
	}
	f.expect("D0 s0 n0 BE 1172", "D1 s0 n1 BE 1172", "D2 s0 n2 BE 1172", "D3 s0 n3 BE 1172")
	f.z(f.zsack(0, 65536))
	if c := f.a.Status().Cwnd; c != 3600+1188 {
		t.Fatalf("cwnd %d", c)
	}
	f.expect("D4 s0 n4 BE 1172", "D5 s0 n5 BE 1172")
}

// TestRFC9260_6_1_A_RwndLimitsNewData: no new DATA larger than the peer's
// rwnd, which is a_rwnd minus the data in flight (§6.2.1 D ii) and shrinks
// with every chunk sent (§6.2.1 B).
func TestRFC9260_6_1_A_RwndLimitsNewData(t *testing.T) {
	f := newData(t, nil)
	f.sendMsg(100, ordered(0))
	f.expect("D0 s0 n0 BE 100")
	f.z(f.zsack(0, 2400))
	for i := 0; i < 3; i++ {
		f.sendMsg(1172, ordered(0))
	}
	f.expect("D1 s0 n1 BE 1172", "D2 s0 n2 BE 1172")
	if r := f.a.Status().RWnd; r != 2400-2*1172 {
		t.Fatalf("rwnd %d", r)
	}
	f.z(f.zsack(1, 2400))
	if r := f.a.Status().RWnd; r != 2400-1172 {
		t.Fatalf("rwnd %d", r)
	}
	f.expect("D3 s0 n3 BE 1172")
}

// TestRFC9260_6_1_A_ZeroWindowProbe: with a zero window and nothing
// outstanding, one DATA chunk probes it; the probe is retransmitted on
// T3-rtx without counting errors while SACKs keep coming (§6.1 A).
func TestRFC9260_6_1_A_ZeroWindowProbe(t *testing.T) {
	f := newData(t, func(c *Config) { c.HeartbeatDisabled = true })
	f.sendMsg(100, ordered(0))
	f.expect("D0 s0 n0 BE 100")
	f.z(f.zsack(0, 0))
	f.sendMsg(100, ordered(0))
	f.sendMsg(100, ordered(0))
	f.expect("D1 s0 n1 BE 100")
	for i := 0; i < 8; i++ {
		f.fireT3()
		f.expect("D1 s0 n1 BE 100")
		f.z(f.zsack(0, 0)) // the window is still closed: the probe was dropped
	}
	if f.a.errors != 0 || f.a.path.errors != 0 || f.a.State() != Established {
		t.Fatalf("errors %d/%d, state %v", f.a.errors, f.a.path.errors, f.a.State())
	}
	f.z(f.zsack(1, 5000))
	f.expect("D2 s0 n2 BE 100")
}

// TestRFC9260_6_1_C_RetransmissionsFirst: chunks marked for retransmission
// go before new data (§6.1 C).
func TestRFC9260_6_1_C_RetransmissionsFirst(t *testing.T) {
	f := newData(t, func(c *Config) { c.InitialCwnd = 10; c.NoDelay = true })
	for i := 0; i < 4; i++ {
		f.sendMsg(300, ordered(0))
	}
	f.expect("D0 s0 n0 BE 300 + D1 s0 n1 BE 300 + D2 s0 n2 BE 300", "D3 s0 n3 BE 300")
	f.sendMsg(300, ordered(0))
	f.fireT3()
	// cwnd is one PMDCS now: the three earliest fit one packet (E3).
	f.expect("D0 s0 n0 BE 300 + D1 s0 n1 BE 300 + D2 s0 n2 BE 300")
	f.z(f.zsack(2, 65536))
	f.expect("D3 s0 n3 BE 300 + D4 s0 n4 BE 300")
}

// TestRFC9260_6_1_D_MaxBurst: Max.Burst limits the packets of new data
// sent at one opportunity, cwnd-based (§6.1 D).
func TestRFC9260_6_1_D_MaxBurst(t *testing.T) {
	f := newData(t, func(c *Config) { c.MaxBurst = 2; c.InitialCwnd = 10 })
	for i := 0; i < 8; i++ {
		f.sendMsg(1172, ordered(0))
	}
	if got := len(f.pkts()); got != 2 {
		t.Fatalf("%d packets in the first burst", got)
	}
	f.z(f.zsack(0, 65536))
	if got := len(f.pkts()); got != 2 { // flight 1188 + 2·1188
		t.Fatalf("%d packets after the SACK", got)
	}
}

// TestRFC9260_6_1_SackBundledWithData: a delayed SACK goes with the next
// DATA (§6.1: bundle it with the outbound DATA chunk, SACK first).
func TestRFC9260_6_1_SackBundledWithData(t *testing.T) {
	f := newData(t, nil)
	f.z(zdata(0, 0, 0, "hello", "BE"))
	f.expect("SACK 0 a1864130") // the first DATA: at once (§5.1)
	f.z(zdata(1, 0, 1, "hello", "BE"))
	f.expect() // delayed
	f.sendMsg(100, ordered(0))
	f.expect("SACK 1 a1864125 + D0 s0 n0 BE 100")
	f.advance(500 * time.Millisecond)
	f.expect() // the delayed SACK timer was stopped
}

// TestRFC9260_6_1_IBit: the I bit on the last fragment when the user asks
// (§3.3.1, §6.1), and on every chunk in SHUTDOWN-PENDING (§6.1).
func TestRFC9260_6_1_IBit(t *testing.T) {
	f := newData(t, func(c *Config) { c.InitialCwnd = 10 })
	f.sendMsg(1500, SendOptions{Stream: 1, EOR: true, Immediate: true})
	f.expect("D0 s1 n0 B 1172", "D1 s1 n0 EI 328")
	for i := 0; i < 12; i++ {
		f.sendMsg(1172, ordered(2))
	}
	f.pkts() // 10 MTUs of cwnd: 10 go
	if err := f.a.Shutdown(f.now); err != nil {
		t.Fatal(err)
	}
	f.z(f.zsack(10, 65536))
	f.expect("D11 s2 n9 BEI 1172", "D12 s2 n10 BEI 1172", "D13 s2 n11 BEI 1172")
}

// TestRFC9260_6_6_Unordered: unordered messages carry the U bit and SSN 0
// and take no SSN (§6.6).
func TestRFC9260_6_6_Unordered(t *testing.T) {
	f := newData(t, nil)
	f.sendMsg(10, ordered(1))
	f.sendMsg(10, SendOptions{Stream: 1, EOR: true, Unordered: true})
	f.sendMsg(10, ordered(1))
	f.expect("D0 s1 n0 BE 10 + D1 s1 n0 BEU 10 + D2 s1 n1 BE 10")
	if s := f.a.Stats(); s.ODChunks != 2 || s.OUODChunks != 1 {
		t.Fatalf("%+v", s)
	}
}

// TestRFC9260_6_9_Fragmentation: a message larger than the fragmentation
// point is cut into DATA chunks of 1172 bytes with consecutive TSNs and
// one SSN, B on the first and E on the last (§6.9).
func TestRFC9260_6_9_Fragmentation(t *testing.T) {
	f := newData(t, nil)
	f.sendMsg(3000, ordered(4))
	f.expect("D0 s4 n0 B 1172", "D1 s4 n0 - 1172", "D2 s4 n0 E 656")
}

// TestRFC9260_6_10_BundlingSmallMessages: small messages share a packet, as many as the
// MTU allows (§6.10): 16+100 bytes each, 10 in 1188 bytes.
func TestRFC9260_6_10_BundlingSmallMessages(t *testing.T) {
	f := newData(t, func(c *Config) { c.NoDelay = true })
	for i := 0; i < 12; i++ {
		f.sendMsg(100, ordered(0))
	}
	p := f.pkts()
	if len(p) != 2 || len(splitChunks(p[0])) != 10 || len(splitChunks(p[1])) != 2 {
		t.Fatalf("%q", p)
	}
}

// TestRFC8260_3_2_RoundRobinStreams: a stream with a backlog does not
// hold back another stream (round robin by message, RFC 8260 §3.2).
func TestRFC8260_3_2_RoundRobinStreams(t *testing.T) {
	f := newData(t, func(c *Config) { c.NoDelay = true })
	for i := 0; i < 3; i++ {
		f.sendMsg(500, ordered(1))
	}
	f.sendMsg(10, ordered(2))
	f.expect("D0 s1 n0 BE 500 + D1 s2 n0 BE 10 + D2 s1 n1 BE 500", "D3 s1 n2 BE 500")
}

// TestNagleCoalescing: with data in flight, less than a full chunk of new
// data waits for the acknowledgement; NoDelay sends it at once.
func TestNagleCoalescing(t *testing.T) {
	f := newData(t, nil)
	f.sendMsg(100, ordered(0))
	f.expect("D0 s0 n0 BE 100")
	f.sendMsg(100, ordered(0))
	f.sendMsg(100, ordered(0))
	f.expect()
	f.z(f.zsack(0, 65536))
	f.expect("D1 s0 n1 BE 100 + D2 s0 n2 BE 100")

	g := newData(t, func(c *Config) { c.NoDelay = true })
	g.sendMsg(100, ordered(0))
	g.sendMsg(100, ordered(0))
	g.expect("D0 s0 n0 BE 100 + D1 s0 n1 BE 100")
	g.sendMsg(100, ordered(0))
	g.expect("D2 s0 n2 BE 100")
}

// TestSendErrors: Send refuses, queueing nothing: before ESTABLISHED and
// once a shutdown started (§9.2), an invalid stream (§6.5), a message over
// MaxMessageSize, an empty message, one that does not fit in the send
// buffer.
func TestSendErrors(t *testing.T) {
	c := newClient(t, nil)
	expectErr(t, c.a.Send(c.now, []byte("x"), ordered(0)), ErrNotEstablished)
	f := newData(t, func(c *Config) { c.MaxMessageSize = 1000; c.SendBufferSize = 2000 })
	expectErr(t, f.a.Send(f.now, []byte("x"), ordered(10)), ErrInvalidStream) // 10 outbound streams
	expectErr(t, f.a.Send(f.now, make([]byte, 1001), ordered(0)), ErrMessageTooLarge)
	expectErr(t, f.a.Send(f.now, nil, ordered(0)), ErrEmptyMessage)
	f.sendMsg(1000, ordered(0))
	f.sendMsg(900, ordered(0))
	err := f.a.Send(f.now, make([]byte, 101), ordered(1))
	expectErr(t, err, ErrSendBufferFull)
	if err.Error() != "sctp: send buffer full: 101 bytes, 100 free" {
		t.Fatalf("%q", err.Error())
	}
	if f.a.BufferedAmount() != 1900 || f.a.StreamBufferedAmount(1) != 0 {
		t.Fatal("something was queued")
	}
	// Explicit EOR: the message size counts every call.
	f.sendMsg(50, SendOptions{Stream: 2})
	expectErr(t, f.a.Send(f.now, make([]byte, 951), SendOptions{Stream: 2, EOR: true}), ErrMessageTooLarge)
	f.a.Shutdown(f.now)
	expectErr(t, f.a.Send(f.now, []byte("x"), ordered(0)), ErrNotEstablished)
}

// TestSendSpaceAvailable: after ErrSendBufferFull, the event fires once the
// refused message fits; with a threshold, when the free space reaches it
// (usrsctp's sb_threshold).
func TestSendSpaceAvailable(t *testing.T) {
	f := newData(t, func(c *Config) { c.SendBufferSize = 3000; c.NoDelay = true })
	f.sendMsg(1172, ordered(0))
	f.sendMsg(1172, ordered(0))
	expectErr(t, f.a.Send(f.now, make([]byte, 1000), ordered(0)), ErrSendBufferFull)
	f.pkts()
	f.z(f.zsack(0, 65536)) // frees 1172: 1828 free
	f.expectEvents("SEND_SPACE 1828")
	f.a.SetSendThreshold(2500)
	f.sendMsg(1000, ordered(0))
	f.pkts()
	f.z(f.zsack(1, 65536)) // 2172 free
	f.expectEvents()
	f.z(f.zsack(2, 65536)) // 3000 free
	f.expectEvents("SEND_SPACE 3000", "SENDER_DRY")
}

// TestSenderDry: SENDER_DRY once everything sent is acknowledged and
// nothing is queued (RFC 6458 §6.1.9).
func TestSenderDry(t *testing.T) {
	f := newData(t, nil)
	f.sendMsg(100, ordered(0))
	f.pkts()
	f.expectEvents()
	f.z(f.zsack(0, 65536))
	f.expectEvents("SENDER_DRY")
	f.z(f.zsack(0, 65536))
	f.expectEvents()
}

// TestBufferedAmount: bytes queued or unacknowledged, per stream and in
// total; gap-acknowledged data stays (renegable, §6.2.1).
func TestBufferedAmount(t *testing.T) {
	f := newData(t, func(c *Config) { c.NoDelay = true })
	f.sendMsg(100, ordered(1))
	f.sendMsg(200, ordered(2))
	f.sendMsg(300, ordered(1))
	if f.a.BufferedAmount() != 600 || f.a.StreamBufferedAmount(1) != 400 || f.a.StreamBufferedAmount(2) != 200 {
		t.Fatal(f.a.BufferedAmount(), f.a.StreamBufferedAmount(1))
	}
	f.pkts()
	f.z(f.zsack(-1, 65536, [2]int{1, 1}))
	if f.a.BufferedAmount() != 600 {
		t.Fatal(f.a.BufferedAmount())
	}
	f.z(f.zsack(1, 65536))
	if f.a.BufferedAmount() != 300 || f.a.StreamBufferedAmount(1) != 300 || f.a.StreamBufferedAmount(2) != 0 {
		t.Fatal(f.a.BufferedAmount())
	}
}

// TestExplicitEOR: a message written in several calls goes out a full
// chunk at a time as it grows, the rest with its EOR.
func TestExplicitEOR(t *testing.T) {
	f := newData(t, func(c *Config) { c.NoDelay = true })
	f.sendMsg(600, SendOptions{Stream: 1, PPID: 7})
	f.expect()
	f.sendMsg(600, SendOptions{Stream: 1})
	f.expect("D0 s1 n0 B 1172")
	f.sendMsg(10, SendOptions{Stream: 1, EOR: true})
	f.expect("D1 s1 n0 E 38")
}

// TestRFC8260_3_1_FCFS: with the first-come-first-served scheduler
// (Config.FCFS, sctp_default_ss_module 5) messages leave in the order they
// were sent, whatever their stream.
func TestRFC8260_3_1_FCFS(t *testing.T) {
	f := newData(t, func(c *Config) { c.NoDelay = true; c.FCFS = true })
	f.sendMsg(500, ordered(1))
	f.sendMsg(500, ordered(1))
	f.sendMsg(10, ordered(2))
	f.expect("D0 s1 n0 BE 500 + D1 s1 n1 BE 500 + D2 s2 n0 BE 10")
}
