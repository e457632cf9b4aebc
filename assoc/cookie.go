package assoc

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"sync"
	"time"
)

// stateCookie is everything the responder of an INIT needs to build the
// association when the COOKIE ECHO comes back (§5.1.3), so that it keeps no
// state per INIT (§5.1 B). It holds protocol values only: no host pointer,
// handle or address (usrsctp's CVE-2020-6514 leaked a kernel pointer in its
// cookie). It is signed, not encrypted: everything in it is known to the
// peer already, except the tie-tags, which are random nonces rather than
// the association's tags (§5.2.2).
type stateCookie struct {
	created             time.Time
	lifetime            time.Duration // Valid.Cookie.Life plus an accepted preservative
	localPort, peerPort uint16
	localTag, peerTag   uint32
	localTSN, peerTSN   uint32 // initial TSNs
	peerARwnd           uint32
	outStreams          uint16 // negotiated: min(our OS, peer's MIS)
	inStreams           uint16 // negotiated: min(peer's OS, our MIS)
	localTieTag         uint32 // §5.2.2 Local-Tie-Tag, 0 without a TCB
	peerTieTag          uint32 // §5.2.2 Peer's-Tie-Tag, 0 without a TCB
	features            Features
	peerAddrs           peerAddrs // the address parameters of the INIT (§5.2.2)
}

const (
	cookieVersion = 2
	cookieBodyLen = 68
	cookieMACLen  = sha256.Size
	// CookieLen is the length of the State Cookies this package makes.
	CookieLen = cookieBodyLen + cookieMACLen
)

// Feature bits of the cookie.
const (
	cfECN = 1 << iota
	cfPR
	cfReconfig
	cfIData
	cfZeroChecksum
	cfAdaptation
)

func (f Features) bits() byte {
	var b byte
	set := func(on bool, bit byte) {
		if on {
			b |= bit
		}
	}
	set(f.ECN, cfECN)
	set(f.PartialReliability, cfPR)
	set(f.Reconfig, cfReconfig)
	set(f.IData, cfIData)
	set(f.ZeroChecksum, cfZeroChecksum)
	set(f.PeerAdaptation, cfAdaptation)
	return b
}

func featuresFromBits(b byte, adaptation uint32) Features {
	return Features{
		ECN:                      b&cfECN != 0,
		PartialReliability:       b&cfPR != 0,
		Reconfig:                 b&cfReconfig != 0,
		IData:                    b&cfIData != 0,
		ZeroChecksum:             b&cfZeroChecksum != 0,
		PeerAdaptation:           b&cfAdaptation != 0,
		PeerAdaptationIndication: adaptation,
	}
}

// seal encodes the cookie and appends its HMAC-SHA256 under the current
// secret of s (§5.1.3: a MAC with a secret key, which identifies itself by
// an id so that the previous secret still verifies older cookies).
func (c *stateCookie) seal(s *Secrets) []byte {
	b := make([]byte, cookieBodyLen, CookieLen)
	b[0] = cookieVersion
	b[1] = c.features.bits()
	be := binary.BigEndian
	be.PutUint32(b[4:], s.cur.id)
	be.PutUint64(b[8:], uint64(c.created.UnixNano()))
	be.PutUint32(b[16:], uint32(c.lifetime/time.Millisecond))
	be.PutUint16(b[20:], c.localPort)
	be.PutUint16(b[22:], c.peerPort)
	be.PutUint32(b[24:], c.localTag)
	be.PutUint32(b[28:], c.peerTag)
	be.PutUint32(b[32:], c.localTSN)
	be.PutUint32(b[36:], c.peerTSN)
	be.PutUint32(b[40:], c.peerARwnd)
	be.PutUint16(b[44:], c.outStreams)
	be.PutUint16(b[46:], c.inStreams)
	be.PutUint32(b[48:], c.localTieTag)
	be.PutUint32(b[52:], c.peerTieTag)
	be.PutUint32(b[56:], c.features.PeerAdaptationIndication)
	be.PutUint64(b[60:], uint64(c.peerAddrs))
	return append(b, cookieMAC(&s.cur, b)...)
}

func cookieMAC(k *cookieKey, body []byte) []byte {
	m := macs.Get().(*macState)
	if m.h == nil || m.key != k.key {
		m.key, m.h = k.key, hmac.New(sha256.New, k.key[:])
	} else {
		m.h.Reset()
	}
	m.h.Write(body)
	sum := m.h.Sum(nil)
	macs.Put(m)
	return sum
}

// macState is an HMAC-SHA256 keyed with key. Keying one (two SHA-256
// blocks and their allocations) costs about as much as the MAC of a
// cookie, and the secrets rotate rarely, so states are pooled and rekeyed
// only when the key changes (goroutines of one stack share the secrets).
type macState struct {
	key [32]byte
	h   hash.Hash
}

var macs = sync.Pool{New: func() any { return new(macState) }}

// openCookie authenticates a cookie (§5.1.5 steps 1 and 2) and decodes it.
// ok is false for a cookie that is not ours, was altered or was signed by a
// secret no longer kept; such a packet is silently discarded.
func openCookie(b []byte, s *Secrets) (c stateCookie, ok bool) {
	if len(b) != CookieLen || b[0] != cookieVersion || s == nil {
		return stateCookie{}, false
	}
	be := binary.BigEndian
	k, found := s.key(be.Uint32(b[4:]))
	if !found || !hmac.Equal(cookieMAC(k, b[:cookieBodyLen]), b[cookieBodyLen:]) {
		return stateCookie{}, false
	}
	return stateCookie{
		created:     time.Unix(0, int64(be.Uint64(b[8:]))),
		lifetime:    time.Duration(be.Uint32(b[16:])) * time.Millisecond,
		localPort:   be.Uint16(b[20:]),
		peerPort:    be.Uint16(b[22:]),
		localTag:    be.Uint32(b[24:]),
		peerTag:     be.Uint32(b[28:]),
		localTSN:    be.Uint32(b[32:]),
		peerTSN:     be.Uint32(b[36:]),
		peerARwnd:   be.Uint32(b[40:]),
		outStreams:  be.Uint16(b[44:]),
		inStreams:   be.Uint16(b[46:]),
		localTieTag: be.Uint32(b[48:]),
		peerTieTag:  be.Uint32(b[52:]),
		features:    featuresFromBits(b[1], be.Uint32(b[56:])),
		peerAddrs:   peerAddrs(be.Uint64(b[60:])),
	}, true
}

// staleness returns how long ago the cookie expired, rounded up to whole
// microseconds (§3.3.10.3), or 0 when it has not expired.
func (c *stateCookie) staleness(now time.Time) (time.Duration, bool) {
	d := now.Sub(c.created.Add(c.lifetime))
	if d <= 0 {
		return 0, false
	}
	return d, true
}

// stalenessMicros converts a staleness to the Measure of Staleness field:
// microseconds, rounded up, saturated at 2^32-1.
func stalenessMicros(d time.Duration) uint32 {
	us := (d + time.Microsecond - 1) / time.Microsecond
	if us > 0xFFFFFFFF {
		return 0xFFFFFFFF
	}
	return uint32(us)
}

// info returns the association parameters the cookie carries.
func (c *stateCookie) info() Info {
	return Info{
		LocalTag: c.localTag, PeerTag: c.peerTag,
		OutboundStreams: c.outStreams, InboundStreams: c.inStreams,
		LocalInitialTSN: c.localTSN, PeerInitialTSN: c.peerTSN,
		PeerARwnd: c.peerARwnd, Features: c.features,
	}
}

// cookieKey is one HMAC secret with its id.
type cookieKey struct {
	id  uint32
	key [32]byte
}

// Secrets is the set of keys that sign and verify State Cookies: the
// current one and the previous one (§5.1.3: the secret "SHOULD be changed
// reasonably frequently"; cookies signed just before a change stay valid).
//
// A Secrets value is immutable: Rotate returns a new value. An Endpoint
// replaces its pointer under its own lock and its associations may hold
// older pointers under theirs, so concurrent use needs no other locking.
type Secrets struct {
	cur, prev cookieKey
	hasPrev   bool
	rotateAt  time.Time
}

// NewSecrets returns a fresh set with one random secret valid for lifetime.
func NewSecrets(now time.Time, rnd Rand, lifetime time.Duration) *Secrets {
	s := &Secrets{cur: cookieKey{id: rnd.Uint32()}, rotateAt: now.Add(lifetime)}
	_, _ = rnd.Read(s.cur.key[:])
	return s
}

// Rotate returns s if its current secret is still within its lifetime at
// now, or a new set whose previous secret is s's current one. A nil s gives
// NewSecrets.
func (s *Secrets) Rotate(now time.Time, rnd Rand, lifetime time.Duration) *Secrets {
	if s == nil {
		return NewSecrets(now, rnd, lifetime)
	}
	if now.Before(s.rotateAt) {
		return s
	}
	n := &Secrets{cur: cookieKey{id: s.cur.id + 1}, prev: s.cur, hasPrev: true, rotateAt: now.Add(lifetime)}
	_, _ = rnd.Read(n.cur.key[:])
	return n
}

// key returns the secret with the given id.
func (s *Secrets) key(id uint32) (*cookieKey, bool) {
	switch {
	case s.cur.id == id:
		return &s.cur, true
	case s.hasPrev && s.prev.id == id:
		return &s.prev, true
	}
	return nil, false
}
