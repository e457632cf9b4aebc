package assoc

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// TestRFC9260_6_2_DelayedSack: one packet of DATA is acknowledged after
// SACK.Delay (200 ms), not at once — except the first DATA of the
// association (§5.1).
func TestRFC9260_6_2_DelayedSack(t *testing.T) {
	f := newData(t, nil)
	f.z(zdata(0, 0, 0, "hello", "BE"))
	f.expect("SACK 0 a1864130")
	f.z(zdata(1, 0, 1, "hello", "BE"))
	f.expect()
	f.advance(199 * time.Millisecond)
	f.expect()
	f.advance(time.Millisecond)
	f.expect("SACK 1 a1864125")
}

// TestRFC9260_6_2_SackEverySecondPacket: a SACK for every second packet
// with new DATA (sctp_sack_freq_default 2).
func TestRFC9260_6_2_SackEverySecondPacket(t *testing.T) {
	f := newData(t, func(c *Config) { c.ReceiveBufferSize = 100000 })
	f.z(zdata(0, 0, 0, "a", "BE"))
	f.expect("SACK 0 a99999") // the first DATA: at once (§5.1)
	f.z(zdata(1, 0, 1, "b", "BE"))
	f.expect()
	f.z(zdata(2, 0, 2, "c", "BE"))
	f.expect("SACK 2 a99997")
	f.z(zdata(3, 0, 3, "d", "BE"))
	f.expect()
}

// TestRFC9260_6_2_SackAtOnceOnGap: a packet that leaves a gap is
// acknowledged at once, with a Gap Ack Block (§6.2, §6.7); so is the one
// that fills it.
func TestRFC9260_6_2_SackAtOnceOnGap(t *testing.T) {
	f := newData(t, func(c *Config) { c.ReceiveBufferSize = 100000 })
	f.z(zdata(0, 0, 0, "a", "BE"))
	f.z(zdata(2, 0, 2, "c", "BE"), zdata(3, 0, 3, "d", "BE"))
	f.expect("SACK 0 a99997 g[2-3]")
	if s := f.a.Stats(); s.OutSeqTSNs != 2 {
		t.Fatalf("%+v", s)
	}
	f.z(zdata(1, 0, 1, "b", "BE"))
	f.expect("SACK 3 a99996")
}

// TestRFC9260_6_2_DuplicateReported: a duplicate TSN is reported in the
// next SACK, sent at once (§6.2).
func TestRFC9260_6_2_DuplicateReported(t *testing.T) {
	f := newData(t, func(c *Config) { c.ReceiveBufferSize = 100000 })
	f.z(zdata(0, 0, 0, "a", "BE"))
	f.z(zdata(0, 0, 0, "a", "BE"))
	f.expect("SACK 0 a99999 d[0]")
	if s := f.a.Stats(); s.IDupChunks != 1 || s.IDChunks != 1 {
		t.Fatalf("%+v", s)
	}
}

// TestRFC9260_3_3_1_IBit: DATA with the I bit is acknowledged at once
// (RFC 7053).
func TestRFC9260_3_3_1_IBit(t *testing.T) {
	f := newData(t, func(c *Config) { c.ReceiveBufferSize = 100000 })
	f.z(zdata(0, 0, 0, "a", "BEI"))
	f.expect("SACK 0 a99999")
}

// TestRFC9260_6_6_OrderedDelivery: ordered messages of a stream are
// delivered in SSN order, whatever the arrival order; streams are
// independent.
func TestRFC9260_6_6_OrderedDelivery(t *testing.T) {
	f := newData(t, nil)
	f.z(zdata(1, 0, 1, "second", "BE"), zdata(2, 1, 0, "other stream", "BE"))
	if m, info := f.recv(100); m != "other stream" || info.Stream != 1 {
		t.Fatalf("%q %+v", m, info)
	}
	f.expectNoRecv()
	f.z(zdata(0, 0, 0, "first", "BE"))
	for _, want := range []string{"first", "second"} {
		if m, info := f.recv(100); m != want || info.Stream != 0 || !info.EOR || info.PPID != 51 {
			t.Fatalf("%q %+v", m, info)
		}
	}
	f.expectNoRecv()
}

// TestRFC9260_6_6_UnorderedDeliveredAtOnce: an unordered message is
// delivered as soon as it is complete, ahead of ordered ones waiting.
func TestRFC9260_6_6_UnorderedDeliveredAtOnce(t *testing.T) {
	f := newData(t, nil)
	f.z(zdata(1, 0, 1, "ordered", "BE"), zdata(2, 0, 0, "unordered", "BEU"))
	m, info := f.recv(100)
	if m != "unordered" || !info.Unordered || info.TSN != zTSN+2 {
		t.Fatalf("%q %+v", m, info)
	}
	f.expectNoRecv()
}

// TestRFC9260_6_9_Reassembly: fragments, in any order, make one message;
// RecvInfo carries the TSN of the first fragment and the cumulative TSN
// ack at delivery.
func TestRFC9260_6_9_Reassembly(t *testing.T) {
	f := newData(t, nil)
	f.z(zdata(2, 3, 0, "C", "E"), zdata(0, 3, 0, "A", "B"))
	f.expectNoRecv()
	f.z(zdata(1, 3, 0, "B", ""))
	m, info := f.recv(100)
	if m != "ABC" || info.TSN != zTSN || info.CumTSN != zTSN+2 || info.Stream != 3 || !info.EOR {
		t.Fatalf("%q %+v", m, info)
	}
}

// TestRecvShortBuffer: a buffer shorter than the message gets it in pieces,
// EOR on the last (MSG_EOR semantics).
func TestRecvShortBuffer(t *testing.T) {
	f := newData(t, nil)
	f.z(zdata(0, 0, 0, "0123456789", "BE"))
	if f.a.NextMessageLen() != 10 || !f.a.Readable() {
		t.Fatal("NextMessageLen")
	}
	var got []string
	for {
		m, info := f.recv(4)
		got = append(got, m)
		if info.EOR {
			break
		}
	}
	if len(got) != 3 || got[0] != "0123" || got[2] != "89" {
		t.Fatalf("%q", got)
	}
	if f.a.Readable() || f.a.NextMessageLen() != 0 {
		t.Fatal("still readable")
	}
}

// TestPartialDelivery: a message larger than the partial delivery point is
// handed to the reader in pieces before it is complete
// (SCTP_PARTIAL_DELIVERY_POINT).
func TestPartialDelivery(t *testing.T) {
	f := newData(t, func(c *Config) { c.PartialDeliveryPoint = 1000 })
	chunk := string(make([]byte, 800))
	f.z(zdata(0, 0, 0, chunk, "B"), zdata(1, 0, 0, chunk, ""))
	m, info := f.recv(4000)
	if len(m) != 1600 || info.EOR {
		t.Fatalf("%d bytes, %+v", len(m), info)
	}
	f.z(zdata(2, 0, 0, chunk, "E"))
	m, info = f.recv(4000)
	if len(m) != 800 || !info.EOR {
		t.Fatalf("%d bytes, %+v", len(m), info)
	}
}

// TestRFC9260_6_2_ReceiveWindow: a_rwnd is the receive buffer minus what
// is held unread; reading reopens it, and a window update SACK goes out
// once it grew by min(MTU, buffer/2) (receiver SWS avoidance).
func TestRFC9260_6_2_ReceiveWindow(t *testing.T) {
	f := newData(t, func(c *Config) { c.ReceiveBufferSize = 4000 })
	k := string(make([]byte, 1000))
	f.z(zdata(0, 0, 0, k, "BE"), zdata(1, 0, 1, k, "BE"), zdata(2, 0, 2, k, "BEI"))
	f.expect("SACK 2 a1000")
	f.recv(2000)
	f.expect()
	f.recv(2000)
	f.expect("SACK 2 a3000")
}

// TestRFC9260_6_2_ZeroWindowDropsNewData: with a_rwnd 0 a TSN beyond the
// highest received is dropped and a SACK sent at once, without it (§6.2).
func TestRFC9260_6_2_ZeroWindowDropsNewData(t *testing.T) {
	f := newData(t, func(c *Config) { c.ReceiveBufferSize = 1500 })
	f.z(zdata(0, 0, 0, string(make([]byte, 1500)), "BEI"))
	f.expect("SACK 0 a0")
	f.z(zdata(1, 0, 1, "x", "BE"))
	f.expect("SACK 0 a0")
	f.recv(2000)
	f.expect("SACK 0 a1500") // the window update
	f.z(zdata(1, 0, 1, "x", "BEI"))
	f.expect("SACK 1 a1499")
}

// TestDataReadableEvent: DATA_READABLE when the receive queue becomes
// non-empty, once, and again after Recv emptied it.
func TestDataReadableEvent(t *testing.T) {
	f := newData(t, nil)
	f.z(zdata(0, 0, 0, "a", "BE"))
	f.z(zdata(1, 0, 1, "b", "BE"))
	f.expectEvents("DATA_READABLE")
	f.recv(10)
	f.recv(10)
	f.expectNoRecv()
	f.z(zdata(2, 0, 2, "c", "BE"))
	f.expectEvents("DATA_READABLE")
}

// TestRFC9260_6_5_InvalidStreamAcknowledged: DATA for a stream we do not
// have is acknowledged, discarded and reported with an ERROR (§6.5).
func TestRFC9260_6_5_InvalidStreamAcknowledged(t *testing.T) {
	f := newData(t, func(c *Config) { c.InboundStreams = 2; c.ReceiveBufferSize = 100000 })
	f.z(zdata(0, 5, 0, "x", "BEI"))
	f.expect("ERROR + SACK 0 a100000")
	f.expectNoRecv()
}

// TestReassemblyLimitAborts: a peer that makes us hold more than
// ReassemblyLimit is aborted with a Protocol Violation. (Beyond the window
// with nothing readable — the message waits behind a missing one — the
// data is accepted up to the limit so that delivery cannot deadlock.)
func TestReassemblyLimitAborts(t *testing.T) {
	f := newData(t, func(c *Config) { c.ReceiveBufferSize = 2000; c.ReassemblyLimit = 3000 })
	k := string(make([]byte, 1000))
	// TSN 0 (SSN 0) is missing; SSN 1 grows behind it.
	f.z(zdata(1, 0, 1, k, "B"))
	f.z(zdata(2, 0, 1, k, ""))
	f.z(zdata(3, 0, 1, k, ""))
	expectDrop(t, f.send(f.tag, zdata(4, 0, 1, k, "")), DropMalformed)
	o := expectOne(t, f.a, f.now, "ABORT")
	expectCause(t, o.chunks[0], wire.CauseProtocolViolation)
	if ev := expectEvent[CommLost](t, f.a); ev.Reason != LostProtocolViolation {
		t.Fatal(ev)
	}
}

// TestRecvAfterAbort: messages received before the association ended stay
// readable.
func TestRecvAfterAbort(t *testing.T) {
	f := newData(t, nil)
	f.z(zdata(0, 0, 0, "kept", "BE"))
	f.z(&wire.Abort{})
	expectState(t, f.a, Closed)
	if m, _ := f.recv(10); m != "kept" {
		t.Fatalf("%q", m)
	}
}

// TestRFC9260_9_2_DataInShutdownSent: DATA received in SHUTDOWN-SENT is
// answered by a SHUTDOWN with the new cumulative TSN ack (§9.2) and
// delivered.
func TestRFC9260_9_2_DataInShutdownSent(t *testing.T) {
	f := newData(t, nil)
	f.a.Shutdown(f.now)
	f.expect("SHUTDOWN -1")
	f.z(zdata(0, 0, 0, "late", "BE"))
	f.expect("SHUTDOWN 0")
	if m, _ := f.recv(10); m != "late" {
		t.Fatalf("%q", m)
	}
}
