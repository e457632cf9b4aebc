package assoc

import (
	"bytes"
	"testing"

	"github.com/sconnlab/sconn/wire"
)

// TestRFC9260_3_2_UnrecognizedChunkTypes: unknown chunk types follow their
// two high bits (§3.2 Table 2): 00 stop silently, 01 stop and report, 10
// skip, 11 skip and report, the report being an ERROR with an Unrecognized
// Chunk Type cause quoting the chunk (§3.3.10.6).
func TestRFC9260_3_2_UnrecognizedChunkTypes(t *testing.T) {
	hb := &wire.Heartbeat{Info: []byte{9}}
	cases := []struct {
		typ     wire.ChunkType
		report  bool
		goesOn  bool
		outcome string
	}{
		{0x3E, false, false, ""},
		{0x7E, true, false, "ERROR"},
		{0xBE, false, true, "HEARTBEAT ACK"},
		{0xFE, true, true, "ERROR+HEARTBEAT ACK"},
	}
	for _, c := range cases {
		f := newClient(t, nil)
		f.establish()
		unk := &wire.RawChunk{Type: c.typ, Flags: 3, Value: []byte{1, 2, 3}}
		err := f.send(f.tag, unk, hb)
		if c.goesOn != (err == nil) {
			t.Fatalf("type %#x: err %v", c.typ, err)
		}
		if !c.goesOn {
			expectDrop(t, err, DropUnknownChunk)
		}
		if c.outcome == "" {
			expectNone(t, f.a, f.now)
			continue
		}
		o := expectOne(t, f.a, f.now, c.outcome)
		if c.report {
			cause := expectCause(t, o.chunks[0], wire.CauseUnrecognizedChunkType)
			if !bytes.Equal(cause.Value(), []byte{byte(c.typ), 3, 0, 7, 1, 2, 3}) {
				t.Fatalf("quoted %x", cause.Value())
			}
		}
	}
}

// TestRFC9260_3_3_10_6_LongUnrecognizedChunkTruncated: the quoted chunk is
// cut so the ERROR fits in one packet.
func TestRFC9260_3_3_10_6_LongUnrecognizedChunkTruncated(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	f.send(f.tag, &wire.RawChunk{Type: 0xFE, Value: make([]byte, 3000)})
	o := expectOne(t, f.a, f.now, "ERROR")
	if len(o.raw) > f.a.Config().MTU {
		t.Fatalf("ERROR packet of %d bytes", len(o.raw))
	}
}

// TestRFC9260_6_5_InvalidStreamIdentifier: DATA on a stream beyond the
// negotiated inbound streams is acknowledged and reported with an ERROR
// carrying an Invalid Stream Identifier cause (§6.5, §3.3.10.1).
func TestRFC9260_6_5_InvalidStreamIdentifier(t *testing.T) {
	f := newServer(t, func(c *Config) { c.InboundStreams = 4 })
	f.establish()
	if err := f.send(f.tag, dataChunk(zTSN, 4, "x")); err != nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "ERROR+SACK")
	c := expectCause(t, o.chunks[0], wire.CauseInvalidStreamIdentifier)
	if !bytes.Equal(c.Value(), []byte{0, 4, 0, 0}) {
		t.Fatalf("cause %x", c.Value())
	}
	if decodeSack(t, o.chunks[1]).CumulativeTSNAck != zTSN {
		t.Fatal("DATA on an invalid stream must still be acknowledged")
	}
}

// TestRFC9260_6_2_NoUserData: a DATA chunk without user data is answered
// with an ABORT carrying a No User Data cause with its TSN (§6.2,
// §3.3.10.9).
func TestRFC9260_6_2_NoUserData(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	expectDrop(t, f.send(f.tag, &wire.Data{TSN: zTSN + 5}), DropMalformed)
	o := expectOne(t, f.a, f.now, "ABORT")
	c := expectCause(t, o.chunks[0], wire.CauseNoUserData)
	if !bytes.Equal(c.Value(), []byte{0, 0, 0x03, 0xED}) {
		t.Fatalf("cause %x", c.Value())
	}
	if ev := expectEvent[CommLost](t, f.a); ev.Reason != LostNoUserData {
		t.Fatal(ev)
	}
}

// TestRFC9260_6_2_DataAcknowledged: a gap is reported at once with a Gap
// Ack Block (§6.2, §6.7); the packet that fills it is acknowledged at once
// too, with the duplicate it carried (§6.2).
func TestRFC9260_6_2_DataAcknowledged(t *testing.T) {
	f := newServer(t, nil)
	f.establish()
	f.send(f.tag, dataChunk(zTSN, 0, "a"), dataChunk(zTSN+2, 0, "c"))
	s := decodeSack(t, expectOne(t, f.a, f.now, "SACK").chunks[0])
	if st, en := s.GapBlock(0); s.CumulativeTSNAck != zTSN || s.NumDupTSNs() != 0 || s.NumGapBlocks() != 1 || st != 2 || en != 2 {
		t.Fatal(s)
	}
	f.send(f.tag, dataChunk(zTSN, 0, "a"), dataChunk(zTSN+1, 0, "b"))
	s = decodeSack(t, expectOne(t, f.a, f.now, "SACK").chunks[0])
	if s.CumulativeTSNAck != zTSN+2 || s.NumDupTSNs() != 1 || s.DupTSN(0) != zTSN || s.NumGapBlocks() != 0 {
		t.Fatalf("cum %d dups %d", s.CumulativeTSNAck, s.NumDupTSNs())
	}
	// DATA before the peer's tag is known is refused.
	c := newClient(t, nil)
	expectDrop(t, c.send(c.tag, dataChunk(1, 0, "x")), DropUnexpectedChunk)
	expectDrop(t, c.send(c.tag, &wire.RawChunk{Type: wire.ChunkData, Value: []byte{1}}), DropUnexpectedChunk)
	f.send(f.tag, &wire.RawChunk{Type: wire.ChunkData, Value: []byte{1}})
}

// TestRFC9260_3_3_10_RemoteError: causes of a received ERROR chunk are
// reported one by one as REMOTE_ERROR events with their bytes (§11.2.6).
func TestRFC9260_3_3_10_RemoteError(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	causes := concat(wire.InvalidStreamIdentifier{StreamID: 3}.Append(nil), wire.OutOfResource{}.Append(nil))
	if err := f.send(f.tag, &wire.ErrorChunk{Causes: causes}); err != nil {
		t.Fatal(err)
	}
	e1 := expectEvent[RemoteError](t, f.a)
	e2 := expectEvent[RemoteError](t, f.a)
	if e1.Code != wire.CauseInvalidStreamIdentifier || !bytes.Equal(e1.Cause, causes[:8]) || e2.Code != wire.CauseOutOfResource {
		t.Fatalf("%+v %+v", e1, e2)
	}
	expectState(t, f.a, Established)
	expectDrop(t, f.send(f.tag, &wire.RawChunk{Type: wire.ChunkError, Value: []byte{0, 1, 0, 9}}), DropMalformed)
}

// TestRFC9260_3_3_10_13_SackBeyondNextTSN: a SACK acknowledging a TSN we
// never sent is a protocol violation: ABORT with cause 13.
func TestRFC9260_3_3_10_13_SackBeyondNextTSN(t *testing.T) {
	f := newClient(t, nil)
	f.establish()
	if err := f.send(f.tag, &wire.Sack{CumulativeTSNAck: f.tsn - 1, ARwnd: 5000}); err != nil {
		t.Fatal(err)
	}
	expectNone(t, f.a, f.now)
	expectDrop(t, f.send(f.tag, &wire.Sack{CumulativeTSNAck: f.tsn + 10, ARwnd: 5000}), DropMalformed)
	o := expectOne(t, f.a, f.now, "ABORT")
	expectCause(t, o.chunks[0], wire.CauseProtocolViolation)
	expectEvent[CommLost](t, f.a)
}
