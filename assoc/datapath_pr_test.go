package assoc

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

func prOpts(stream uint16, p PRPolicy, v uint32) SendOptions {
	return SendOptions{Stream: stream, PPID: 51, EOR: true, PRPolicy: p, PRValue: v, Context: 42}
}

// TestRFC7496_3_1_LimitedRetransmissions: a message allowed no
// retransmission is abandoned when it would be retransmitted; a FORWARD
// TSN moves the peer past it with its stream and SSN (RFC 3758 C3, C4);
// SendFailed returns it.
func TestRFC7496_3_1_LimitedRetransmissions(t *testing.T) {
	f := newDataExt(t, true, false, func(c *Config) { c.NoDelay = true; c.HeartbeatDisabled = true })
	f.sendMsg(100, prOpts(1, PRRtx, 0))
	f.sendMsg(100, ordered(2))
	f.expect("D0 s1 n0 BE 100 + D1 s2 n0 BE 100")
	f.fireT3()
	f.expect("FWD 0 [s1 n0] + D1 s2 n0 BE 100")
	sf := expectEvent[SendFailed](t, f.a)
	if sf.Err != ErrAbandoned || !sf.Sent || sf.Opts.Context != 42 || sf.Opts.PRPolicy != PRRtx || len(sf.Data) != 100 {
		t.Fatalf("%+v", sf)
	}
	f.z(f.zsack(1, 65536))
	f.expect()
	if f.a.BufferedAmount() != 0 {
		t.Fatal(f.a.BufferedAmount())
	}
}

// TestRFC3758_4_1_TimedReliability: a message whose lifetime expired is
// abandoned instead of retransmitted (TR2, TR3).
func TestRFC3758_4_1_TimedReliability(t *testing.T) {
	f := newDataExt(t, true, false, noHB)
	f.sendMsg(100, prOpts(0, PRTTL, 500))
	f.pkts()
	f.fireT3() // at 1 s: expired
	f.expect("FWD 0 [s0 n0]")
	expectEvent[SendFailed](t, f.a)
}

// TestRFC3758_3_5_C3_ForwardTSNOnEverySack: while the peer's cumulative
// ack stays below the Advanced.Peer.Ack.Point, every SACK brings the
// FORWARD TSN again (C3).
func TestRFC3758_3_5_C3_ForwardTSNOnEverySack(t *testing.T) {
	f := newDataExt(t, true, false, func(c *Config) { c.NoDelay = true; c.HeartbeatDisabled = true })
	f.sendMsg(100, prOpts(1, PRRtx, 0))
	f.sendMsg(100, ordered(1))
	f.pkts()
	f.fireT3()
	f.expect("FWD 0 [s1 n0] + D1 s1 n1 BE 100")
	f.z(f.zsack(-1, 65536, [2]int{1, 1})) // the FORWARD TSN was lost
	f.expect("FWD 0 [s1 n0]")
	f.z(f.zsack(1, 65536))
	f.expect()
}

// TestRFC3758_3_5_A5_ForwardTSNOnT3: T3-rtx keeps running for an
// unacknowledged FORWARD TSN (C5) and its expiry sends it again (A5).
func TestRFC3758_3_5_A5_ForwardTSNOnT3(t *testing.T) {
	f := newDataExt(t, true, false, noHB)
	f.sendMsg(100, prOpts(3, PRRtx, 0))
	f.pkts()
	f.fireT3()
	f.expect("FWD 0 [s3 n0]")
	f.fireT3()
	f.expect("FWD 0 [s3 n0]")
	f.z(f.zsack(0, 65536))
	if f.t3() != -1 {
		t.Fatal("T3 still running")
	}
}

// TestRFC3758_A3_FragmentedMessageAbandoned: all fragments of a message go
// together; its unsent rest is dropped; its SSN stays used.
func TestRFC3758_A3_FragmentedMessageAbandoned(t *testing.T) {
	f := newDataExt(t, true, false, noHB)
	f.sendMsg(6000, prOpts(1, PRRtx, 0))
	f.sendMsg(10, ordered(1))
	f.expect("D0 s1 n0 B 1172", "D1 s1 n0 - 1172", "D2 s1 n0 - 1172", "D3 s1 n0 - 1172")
	f.fireT3()
	f.expect("FWD 3 [s1 n0] + D4 s1 n1 BE 10")
}

// TestRFC8260_2_3_1_IForwardTSN: with I-DATA, I-FORWARD TSN carries the
// MID, for unordered messages too.
func TestRFC8260_2_3_1_IForwardTSN(t *testing.T) {
	f := newDataExt(t, true, true, func(c *Config) { c.NoDelay = true; c.HeartbeatDisabled = true })
	f.sendMsg(100, prOpts(1, PRRtx, 0))
	o := prOpts(1, PRRtx, 0)
	o.Unordered = true
	f.sendMsg(100, o)
	f.expect("I0 s1 m0 f0 BE 100 + I1 s1 m0 f0 BEU 100")
	f.fireT3()
	f.expect("IFWD 1 [s1 m0 s1 m0U]")
}

// TestRFC8260_2_2_2_IDataSent: with I-DATA negotiated, messages go out as
// I-DATA with MIDs per stream and FSNs per fragment (1168 bytes each).
func TestRFC8260_2_2_2_IDataSent(t *testing.T) {
	f := newDataExt(t, false, true, nil)
	f.sendMsg(2000, ordered(2))
	f.expect("I0 s2 m0 f0 B 1168", "I1 s2 m0 f1 E 832")
	if f.a.Status().FragmentationPoint != 1168 {
		t.Fatal(f.a.Status().FragmentationPoint)
	}
}

// TestRFC8260_2_1_IDataReceived: I-DATA fragments are reassembled by MID
// and FSN.
func TestRFC8260_2_1_IDataReceived(t *testing.T) {
	f := newDataExt(t, false, true, nil)
	f.z(zidata(1, 4, 0, 1, "world", "E"), zidata(0, 4, 0, 0, "hello ", "B"))
	m, info := f.recv(100)
	if m != "hello world" || info.Stream != 4 || info.SSN != 0 {
		t.Fatalf("%q %+v", m, info)
	}
}

// TestRFC8260_2_2_1_DataOnIDataAssociation: DATA on an association that
// negotiated I-DATA is a protocol violation: ABORT.
func TestRFC8260_2_2_1_DataOnIDataAssociation(t *testing.T) {
	f := newDataExt(t, false, true, nil)
	expectDrop(t, f.send(f.tag, zdata(0, 0, 0, "x", "BE")), DropMalformed)
	o := expectOne(t, f.a, f.now, "ABORT")
	expectCause(t, o.chunks[0], wire.CauseProtocolViolation)
}

// TestRFC3758_3_6_ForwardTSNReceived: a FORWARD TSN moves the cumulative
// TSN ack over abandoned TSNs and releases the messages behind them; it is
// acknowledged at once.
func TestRFC3758_3_6_ForwardTSNReceived(t *testing.T) {
	f := newDataExt(t, true, false, nil)
	f.z(zdata(2, 0, 2, "after", "BE"))
	f.expectNoRecv()
	f.pkts()
	f.z(&wire.ForwardTSN{NewCumulativeTSN: zTSN + 1, Streams: []wire.ForwardTSNStream{{StreamID: 0, SSN: 1}}})
	f.expect("SACK 2 a1864130")
	if m, _ := f.recv(10); m != "after" {
		t.Fatalf("%q", m)
	}
}

// TestRFC3758_3_3_ForwardTSNNotNegotiated: without PR-SCTP a FORWARD TSN
// is an unrecognized chunk (type 192: skip it and report it, §3.2).
func TestRFC3758_3_3_ForwardTSNNotNegotiated(t *testing.T) {
	f := newDataExt(t, false, false, nil)
	f.z(&wire.ForwardTSN{NewCumulativeTSN: zTSN + 5, Streams: []wire.ForwardTSNStream{}})
	o := expectOne(t, f.a, f.now, "ERROR")
	expectCause(t, o.chunks[0], wire.CauseUnrecognizedChunkType)
}

// TestRFC9260_11_1_5_LifetimeWithoutPR: without PR-SCTP an expired message
// is still dropped while unsent, but never once sent.
func TestRFC9260_11_1_5_LifetimeWithoutPR(t *testing.T) {
	f := newDataExt(t, false, false, noHB)
	f.sendMsg(100, prOpts(0, PRTTL, 100))
	f.expect("D0 s0 n0 BE 100")
	f.sendMsg(100, prOpts(1, PRTTL, 100)) // held by Nagle
	f.advance(200 * time.Millisecond)
	f.z(f.zsack(0, 65536))
	f.expect()
	sf := expectEvent[SendFailed](t, f.a)
	if sf.Sent || sf.Opts.Stream != 1 {
		t.Fatalf("%+v", sf)
	}
	f.sendMsg(100, prOpts(2, PRTTL, 100))
	f.expect("D1 s2 n0 BE 100")
	f.advance(time.Second)
	f.expect("D1 s2 n0 BE 100") // retransmitted: no FORWARD TSN without PR-SCTP
}
