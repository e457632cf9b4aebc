package wire

import (
	"bytes"
	"testing"
)

func TestCookieEchoVector(t *testing.T) {
	// A 6-byte cookie: chunk length 10, padded to 12.
	vec := dpHex(t, "0a 00 00 0a 63 6f 6f 6b 69 65")
	e, err := DecodeCookieEcho(dpChunk(t, vec))
	if err != nil {
		t.Fatal(err)
	}
	if string(e.Cookie) != "cookie" {
		t.Fatalf("cookie %q", e.Cookie)
	}
	dpCheckEncode(t, &e, vec)
	dpCheckEncode(t, &CookieEcho{Cookie: []byte("cookie")}, vec)
}

func TestCookieEchoRoundTrip(t *testing.T) {
	for _, cookie := range [][]byte{{}, {1}, bytes.Repeat([]byte{0x5a}, 300)} {
		in := CookieEcho{Cookie: cookie}
		out, err := DecodeCookieEcho(dpChunk(t, dpEncode(t, &in)))
		if err != nil || !bytes.Equal(out.Cookie, cookie) {
			t.Fatalf("round trip of %d bytes: %v", len(cookie), err)
		}
	}
	dec := func(c Chunk) error { _, err := DecodeCookieEcho(c); return err }
	dpWrongType(t, "COOKIE ECHO chunk", dec)
}

func TestCookieAckVector(t *testing.T) {
	vec := dpHex(t, "0b 00 00 04")
	if _, err := DecodeCookieAck(dpChunk(t, vec)); err != nil {
		t.Fatal(err)
	}
	dpCheckEncode(t, &CookieAck{}, vec)
	dec := func(c Chunk) error { _, err := DecodeCookieAck(c); return err }
	dpRunErrCases(t, []dpErrCase{
		{"with a value", "0b 00 00 08 00 00 00 00", dec, ErrBadLength, "COOKIE ACK chunk", dpOff},
	})
	dpWrongType(t, "COOKIE ACK chunk", dec)
}
