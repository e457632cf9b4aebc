package assoc

import (
	crand "crypto/rand"
	"encoding/binary"
	mrand "math/rand/v2"
)

// Rand is the engine's only source of randomness: verification tags and
// initial TSNs (§5.3.1, §3.3.2), heartbeat jitter and nonces (§8.3, §5.4),
// and cookie secrets (§5.1.3). Production code uses CryptoRand; tests use a
// seeded source such as NewSeededRand so every run is identical.
type Rand interface {
	// Uint32 returns a uniformly distributed 32-bit number.
	Uint32() uint32
	// Read fills p with random bytes and returns len(p), nil.
	Read(p []byte) (n int, err error)
}

// CryptoRand is a Rand backed by crypto/rand. Its zero value is ready.
type CryptoRand struct{}

// Uint32 implements Rand.
func (CryptoRand) Uint32() uint32 {
	var b [4]byte
	_, _ = crand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	return binary.BigEndian.Uint32(b[:])
}

// Read implements Rand.
func (CryptoRand) Read(p []byte) (int, error) { return crand.Read(p) }

// SeededRand is a deterministic Rand (ChaCha8) for tests and simulations.
// Never use it for a real association: its tags and secrets are predictable.
type SeededRand struct{ c *mrand.ChaCha8 }

// NewSeededRand returns a deterministic Rand derived from seed.
func NewSeededRand(seed uint64) *SeededRand {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	return &SeededRand{c: mrand.NewChaCha8(s)}
}

// Uint32 implements Rand.
func (r *SeededRand) Uint32() uint32 { return uint32(r.c.Uint64()) }

// Read implements Rand.
func (r *SeededRand) Read(p []byte) (int, error) { return r.c.Read(p) }

// nonZero32 returns a random value in 1..2^32-1 (§5.3.1: tags are never 0).
func nonZero32(r Rand) uint32 {
	for {
		if v := r.Uint32(); v != 0 {
			return v
		}
	}
}
