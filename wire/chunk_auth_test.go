package wire

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"testing"
)

// AUTH with shared key 1, HMAC-SHA-1 (id 1) and a 20-byte HMAC.
const dpAuthVector = `
0f 00 00 1c
00 01 00 01
00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13`

func TestAuthVector(t *testing.T) {
	vec := dpHex(t, dpAuthVector)
	a, err := DecodeAuth(dpChunk(t, vec))
	if err != nil {
		t.Fatal(err)
	}
	if a.SharedKeyID != 1 || a.HMACID != 1 || !bytes.Equal(a.HMAC, vec[8:]) {
		t.Fatalf("got %+v", a)
	}
	dpCheckEncode(t, &a, vec)
	dpCheckEncode(t, &Auth{SharedKeyID: 1, HMACID: 1, HMAC: vec[8:]}, vec)
}

func TestAuthRoundTrip(t *testing.T) {
	for _, in := range []Auth{
		{SharedKeyID: 0, HMACID: 3, HMAC: make([]byte, 32)},
		{SharedKeyID: 0xffff, HMACID: 0xfffe, HMAC: []byte{1, 2, 3}},
		{SharedKeyID: 7, HMACID: 1, HMAC: []byte{}},
	} {
		out, err := DecodeAuth(dpChunk(t, dpEncode(t, &in)))
		if err != nil || out.SharedKeyID != in.SharedKeyID || out.HMACID != in.HMACID || !bytes.Equal(out.HMAC, in.HMAC) {
			t.Fatalf("round trip %+v: %+v %v", in, out, err)
		}
	}
}

func TestAuthHMACOffset(t *testing.T) {
	// Build AUTH + COOKIE ACK with a zero HMAC, compute the HMAC over the
	// AUTH chunk onwards (RFC 4895 §6.2), write it at AuthHMACOffset, and
	// find it again through the decoder.
	key := []byte("key")
	pkt := AppendHeader(nil, Header{SrcPort: 1, DstPort: 2, VerificationTag: 3})
	off := len(pkt)
	a := Auth{SharedKeyID: 0, HMACID: 1, HMAC: make([]byte, sha1.Size)}
	pkt = a.Append(pkt)
	pkt = (&CookieAck{}).Append(pkt)
	m := hmac.New(sha1.New, key)
	m.Write(pkt[off:])
	sum := m.Sum(nil)
	copy(pkt[off+AuthHMACOffset:], sum)
	p, err := ParsePacket(FinishPacket(pkt, false))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := p.FirstChunk()
	got, err := DecodeAuth(c)
	if err != nil || !bytes.Equal(got.HMAC, sum) {
		t.Fatalf("HMAC % x, want % x (%v)", got.HMAC, sum, err)
	}
}

func TestAuthErrors(t *testing.T) {
	dec := func(c Chunk) error { _, err := DecodeAuth(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"no identifiers", "0f 00 00 04", dec, ErrBadLength, "AUTH chunk", dpOff},
		{"no HMAC identifier", "0f 00 00 06 00 01", dec, ErrBadLength, "AUTH chunk", dpOff},
	})
	dpWrongType(t, "AUTH chunk", dec)
}
