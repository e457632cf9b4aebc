package wire

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// HEARTBEAT with 8 bytes of sender-specific info.
const dpHeartbeatVector = `
04 00 00 10
00 01 00 0c
01 02 03 04 05 06 07 08`

// HEARTBEAT ACK with 5 bytes of info: the chunk length (13) excludes the
// padding of the last parameter (RFC 9260 §3.2).
const dpHeartbeatAckVector = `
05 00 00 0d
00 01 00 09
aa bb cc dd ee`

func TestHeartbeatVectors(t *testing.T) {
	hb, err := DecodeHeartbeat(dpChunk(t, dpHex(t, dpHeartbeatVector)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(hb.Info, []byte{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Fatalf("info % x", hb.Info)
	}
	dpCheckEncode(t, &hb, dpHex(t, dpHeartbeatVector))
	dpCheckEncode(t, &Heartbeat{Info: []byte{1, 2, 3, 4, 5, 6, 7, 8}}, dpHex(t, dpHeartbeatVector))

	ack, err := DecodeHeartbeatAck(dpChunk(t, dpHex(t, dpHeartbeatAckVector)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ack.Info, []byte{0xaa, 0xbb, 0xcc, 0xdd, 0xee}) {
		t.Fatalf("info % x", ack.Info)
	}
	dpCheckEncode(t, &ack, dpHex(t, dpHeartbeatAckVector))
}

func TestHeartbeatAckEchoesInfo(t *testing.T) {
	hb, err := DecodeHeartbeat(dpChunk(t, dpHex(t, dpHeartbeatVector)))
	if err != nil {
		t.Fatal(err)
	}
	ack := HeartbeatAck(hb)
	want := dpHex(t, dpHeartbeatVector)
	want[0] = byte(ChunkHeartbeatAck)
	dpCheckEncode(t, &ack, want)
}

func TestHeartbeatLengthWithPadding(t *testing.T) {
	// Some senders count the parameter's padding in the chunk length.
	hb, err := DecodeHeartbeat(dpChunk(t, dpHex(t, "04 00 00 10 00 01 00 09 aa bb cc dd ee 00 00 00")))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(hb.Info, []byte{0xaa, 0xbb, 0xcc, 0xdd, 0xee}) {
		t.Fatalf("info % x", hb.Info)
	}
}

func TestHeartbeatRoundTrip(t *testing.T) {
	for _, info := range [][]byte{{}, {1}, {1, 2, 3}, make([]byte, 48), bytes.Repeat([]byte{9}, 1001)} {
		hb := Heartbeat{Info: info}
		out, err := DecodeHeartbeat(dpChunk(t, dpEncode(t, &hb)))
		if err != nil || !bytes.Equal(out.Info, info) {
			t.Fatalf("HEARTBEAT round trip of %d bytes: % x, %v", len(info), out.Info, err)
		}
		ack := HeartbeatAck{Info: info}
		outAck, err := DecodeHeartbeatAck(dpChunk(t, dpEncode(t, &ack)))
		if err != nil || !bytes.Equal(outAck.Info, info) {
			t.Fatalf("HEARTBEAT ACK round trip of %d bytes: % x, %v", len(info), outAck.Info, err)
		}
	}
}

func TestHeartbeatErrors(t *testing.T) {
	for _, tc := range []struct {
		t    ChunkType
		name string
		dec  func(Chunk) error
	}{
		{ChunkHeartbeat, "HEARTBEAT chunk", func(c Chunk) error { _, err := DecodeHeartbeat(c); return err }},
		{ChunkHeartbeatAck, "HEARTBEAT ACK chunk", func(c Chunk) error { _, err := DecodeHeartbeatAck(c); return err }},
	} {
		h := fmt.Sprintf("%02x ", byte(tc.t))
		dpRunErrCases(t, []dpErrCase{
			{"no parameter", h + "00 00 04", tc.dec, ErrBadLength, tc.name, dpOff},
			{"half parameter header", h + "00 00 06 00 01", tc.dec, ErrBadLength, tc.name, dpOff},
			{"other parameter", h + "00 00 08 00 05 00 04", tc.dec, ErrMalformed, tc.name, dpOff + 4},
			{"parameter length 3", h + "00 00 08 00 01 00 03", tc.dec, ErrBadLength, "Heartbeat Info parameter", dpOff + 4},
			{"parameter too long", h + "00 00 0c 00 01 00 0c 01 02 03 04", tc.dec, ErrBadLength, "Heartbeat Info parameter", dpOff + 4},
			{"bytes after the parameter", h + "00 00 10 00 01 00 05 01 00 00 00 00 01 00 04", tc.dec, ErrBadLength, tc.name, dpOff + 12},
		})
		dpWrongType(t, tc.name, tc.dec)
	}
}

func TestHeartbeatInfoParam(t *testing.T) {
	vec := dpHex(t, "00 01 00 07 61 62 63 00")
	it := Params(vec, 40)
	p, ok := it.Next()
	if !ok {
		t.Fatal(it.Err())
	}
	hi, err := DecodeHeartbeatInfoParam(p)
	if err != nil || string(hi.Info) != "abc" {
		t.Fatalf("got %q %v", hi.Info, err)
	}
	if hi.ParamType() != ParamHeartbeatInfo || hi.EncodedLen() != 8 {
		t.Fatalf("type %v len %d", hi.ParamType(), hi.EncodedLen())
	}
	if got := hi.Append([]byte{}); !bytes.Equal(got, vec) {
		t.Fatalf("encoded % x", got)
	}
	// Round trip through the iterator.
	in := HeartbeatInfoParam{Info: []byte{1, 2, 3, 4, 5}}
	it = Params(in.Append(nil), 0)
	p, _ = it.Next()
	out, err := DecodeHeartbeatInfoParam(p)
	if err != nil || !bytes.Equal(out.Info, in.Info) {
		t.Fatalf("round trip % x %v", out.Info, err)
	}
	// Wrong type, named with the packet offset.
	it = Params(dpHex(t, "00 07 00 04"), 40)
	p, _ = it.Next()
	_, err = DecodeHeartbeatInfoParam(p)
	dpCheckErr(t, err, ErrWrongType, "Heartbeat Info parameter", 40)
	if _, err := DecodeHeartbeatInfoParam(Param{}); !errors.Is(err, ErrTooShort) {
		t.Fatalf("zero Param: %v", err)
	}
}

func TestDecodeHeartbeatDoesNotAllocate(t *testing.T) {
	c := dpChunk(t, dpHex(t, dpHeartbeatVector))
	var sum int
	if n := testing.AllocsPerRun(100, func() {
		hb, _ := DecodeHeartbeat(c)
		sum += len(hb.Info)
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
	_ = sum
}
