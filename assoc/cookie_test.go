package assoc

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// TestRFC9260_5_1_5_CookieBadHMAC: a cookie that fails authentication is
// silently discarded with any bundled DATA, whatever byte was changed, and
// the endpoint stays CLOSED (§5.1.5 step 2, §4 note 1).
func TestRFC9260_5_1_5_CookieBadHMAC(t *testing.T) {
	f := newServer(t, nil)
	f.init()
	for i := range f.cookie {
		bad := append([]byte(nil), f.cookie...)
		bad[i] ^= 0x40
		o, err := f.handle(mk(t, f.tag, &wire.CookieEcho{Cookie: bad}, dataChunk(zTSN, 0, "x")))
		expectDrop(t, err, DropBadCookie)
		if o != nil || f.a != nil {
			t.Fatalf("byte %d: tampered cookie accepted", i)
		}
	}
	for _, bad := range [][]byte{nil, f.cookie[:CookieLen-1], append(append([]byte(nil), f.cookie...), 0)} {
		_, err := f.handle(mk(t, f.tag, &wire.CookieEcho{Cookie: bad}))
		expectDrop(t, err, DropBadCookie)
	}
}

// TestRFC9260_5_1_5_CookieTagAndPortsChecked: the packet's verification tag
// and ports must be those in the cookie (§5.1.5 step 3).
func TestRFC9260_5_1_5_CookieTagAndPortsChecked(t *testing.T) {
	f := newServer(t, nil)
	f.init()
	_, err := f.handle(mk(t, f.tag+1, &wire.CookieEcho{Cookie: f.cookie}))
	expectDrop(t, err, DropBadCookie)
	_, err = f.handle(mkPorts(t, zPort+1, aPort, f.tag, &wire.CookieEcho{Cookie: f.cookie}))
	expectDrop(t, err, DropBadCookie)
	if f.a != nil {
		t.Fatal("association created")
	}
}

// TestRFC9260_5_1_5_StaleCookie: a cookie older than its life span is
// answered with an ERROR carrying a Stale Cookie cause whose staleness is
// the time since expiry in microseconds, rounded up, under the peer's tag
// from the cookie (§5.1.5 step 4, §3.3.10.3).
func TestRFC9260_5_1_5_StaleCookie(t *testing.T) {
	f := newServer(t, nil)
	f.init()
	f.now = f.now.Add(60*time.Second + 1500*time.Microsecond + 1)
	o, err := f.handle(mk(t, f.tag, &wire.CookieEcho{Cookie: f.cookie}))
	expectDrop(t, err, DropStaleCookie)
	if o == nil || o.types() != "ERROR" || o.hdr.VerificationTag != zTag {
		t.Fatalf("reply %+v", o)
	}
	c := expectCause(t, o.chunks[0], wire.CauseStaleCookie)
	if st := binary.BigEndian.Uint32(c.Value()); st != 1501 {
		t.Fatalf("staleness %d µs, want 1501", st)
	}
	if f.a != nil {
		t.Fatal("association created from a stale cookie")
	}
	// Exactly at expiry the cookie is still valid.
	g := newServer(t, nil)
	g.init()
	g.now = g.now.Add(60 * time.Second)
	if _, err := g.handle(mk(t, g.tag, &wire.CookieEcho{Cookie: g.cookie})); err != nil {
		t.Fatal(err)
	}
}

// TestRFC9260_5_1_3_SecretRotation: the secret changes every
// sctp_secret_lifetime_default; a cookie signed by the previous secret is
// still accepted, one signed two secrets ago is silently discarded (§5.1.3,
// §5.1.5 step 1).
func TestRFC9260_5_1_3_SecretRotation(t *testing.T) {
	f := newServer(t, func(c *Config) { c.SecretLifetime = 10 * time.Second; c.ValidCookieLife = time.Hour })
	f.init()
	old := f.cookie
	oldTag := f.tag
	s1 := f.ep.Secrets(f.now)
	f.now = f.now.Add(11 * time.Second)
	s2 := f.ep.Secrets(f.now)
	if s1 == s2 || s2.prev != s1.cur || !s2.hasPrev {
		t.Fatal("secret not rotated")
	}
	if _, err := f.handle(mk(t, oldTag, &wire.CookieEcho{Cookie: old})); err != nil || f.a == nil {
		t.Fatalf("cookie of the previous secret refused: %v", err)
	}
	f.a = nil
	f.now = f.now.Add(11 * time.Second)
	_, err := f.handle(mk(t, oldTag, &wire.CookieEcho{Cookie: old}))
	expectDrop(t, err, DropBadCookie)
	if s1.cur.key == s2.cur.key {
		t.Fatal("rotation reused the key")
	}
}

// TestRFC9260_5_1_3_CookieContents: the cookie holds the tags, TSNs,
// streams, a_rwnd, features, tie-tags, creation time, life span and ports
// needed to build the association and nothing else, and its MAC covers
// all of it (§5.1.3; no host pointer, unlike CVE-2020-6514).
func TestRFC9260_5_1_3_CookieContents(t *testing.T) {
	rnd := NewSeededRand(5)
	s := NewSecrets(t0, rnd, time.Hour)
	ck := stateCookie{created: t0, lifetime: 61500 * time.Millisecond, localPort: 1, peerPort: 2,
		localTag: 3, peerTag: 4, localTSN: 5, peerTSN: 6, peerARwnd: 7, outStreams: 8, inStreams: 9,
		localTieTag: 10, peerTieTag: 11,
		features:  Features{ECN: true, IData: true, PeerAdaptation: true, PeerAdaptationIndication: 12},
		peerAddrs: 13}
	b := ck.seal(s)
	if len(b) != CookieLen {
		t.Fatalf("length %d", len(b))
	}
	got, ok := openCookie(b, s)
	if ok && got.created.Equal(ck.created) {
		got.created = ck.created
	}
	if !ok || got != ck {
		t.Fatalf("round trip: %+v", got)
	}
	body := b[:cookieBodyLen]
	want := []byte{cookieVersion, cfECN | cfIData | cfAdaptation, 0, 0}
	if !bytes.Equal(body[:4], want) {
		t.Fatalf("header %x", body[:4])
	}
	if _, ok := openCookie(b, NewSecrets(t0, rnd, time.Hour)); ok {
		t.Fatal("cookie verified under another secret")
	}
}

// TestRFC9260_5_1_3_SecretsSharedRaceFree: an association made by the
// endpoint verifies cookies with the endpoint's secrets; a rotation by the
// endpoint creates a new value and never changes one an association holds.
func TestRFC9260_5_1_3_SecretsSharedRaceFree(t *testing.T) {
	f := newServer(t, func(c *Config) { c.SecretLifetime = time.Second })
	f.establish()
	held := f.a.secrets
	before := *held
	f.now = f.now.Add(2 * time.Second)
	cur := f.ep.Secrets(f.now)
	if *held != before || cur == held {
		t.Fatal("rotation modified a shared Secrets value")
	}
	f.a.SetSecrets(cur)
	f.a.SetSecrets(nil)
	if f.a.secrets != cur {
		t.Fatal("SetSecrets")
	}
}
