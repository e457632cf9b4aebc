package sconnpeer

import (
	"fmt"
	"sync"

	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/wire"
)

// Tap checks and counts the packets of both directions of a link with
// package wire: each packet must pass ParsePacket, VerifyChecksum (a zero
// checksum is refused unless AllowZeroChecksum) and ValidatePacket. It
// counts packets, chunks per type, DATA user bytes and the TSNs of DATA
// chunks, per direction. It is safe for concurrent use.
type Tap struct {
	// AllowZeroChecksum accepts packets whose checksum is zero (RFC 9653).
	AllowZeroChecksum bool
	// Keep, when true, keeps a copy of every packet (Packets).
	Keep bool
	// Tolerate, when set, is asked about every invalid packet: when it
	// returns true the packet is counted in Tolerated instead of Errs
	// (a known defect of a peer).
	Tolerate func(dir int, pkt []byte, err error) bool

	mu        sync.Mutex
	dirs      [2]TapStats
	errs      []error
	pkts      []TapPacket
	tolerated int
}

// Direction of a link, as seen by a Tap: AtoB is pipe.Options.AtoB.
const (
	AtoB = 0
	BtoA = 1
)

// TapStats counts what crossed one direction of a link.
type TapStats struct {
	Packets  int
	Bytes    int
	Chunks   map[wire.ChunkType]int
	DataUser int // user data bytes in DATA chunks (retransmissions included)
	// DataTSNs counts DATA chunks per TSN: a TSN seen twice was
	// retransmitted.
	DataTSNs map[uint32]int
	// FirstTSN and LastTSN are the first and the latest TSN of a DATA
	// chunk seen (valid when len(DataTSNs) > 0).
	FirstTSN, LastTSN uint32
	// Tags are the verification tags seen, with how many packets carried
	// each.
	Tags map[uint32]int
}

// TapPacket is a packet the Tap kept.
type TapPacket struct {
	Dir  int
	Data []byte
}

// Hooks returns the pipe hooks of both directions (they never drop).
func (t *Tap) Hooks() (atoB, btoA pipe.Hook) {
	return t.hook(AtoB), t.hook(BtoA)
}

// Install chains the Tap's hooks in front of the hooks of opts.
func (t *Tap) Install(opts *pipe.Options) {
	a, b := t.Hooks()
	opts.AtoB = pipe.Chain(a, opts.AtoB)
	opts.BtoA = pipe.Chain(b, opts.BtoA)
}

func (t *Tap) hook(dir int) pipe.Hook {
	return func(pkt []byte) bool {
		t.observe(dir, pkt)
		return true
	}
}

func (t *Tap) observe(dir int, pkt []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := &t.dirs[dir]
	if st.Chunks == nil {
		st.Chunks = map[wire.ChunkType]int{}
		st.DataTSNs = map[uint32]int{}
		st.Tags = map[uint32]int{}
	}
	st.Packets++
	st.Bytes += len(pkt)
	n := st.Packets
	fail := func(err error) {
		if t.Tolerate != nil && t.Tolerate(dir, pkt, err) {
			t.tolerated++
			return
		}
		if len(t.errs) < 20 {
			t.errs = append(t.errs, fmt.Errorf("%s packet %d (%d bytes): %w", dirName(dir), n, len(pkt), err))
		}
	}
	if t.Keep {
		t.pkts = append(t.pkts, TapPacket{Dir: dir, Data: append([]byte(nil), pkt...)})
	}
	p, err := wire.ParsePacket(pkt)
	if err != nil {
		fail(err)
		return
	}
	if err := wire.VerifyChecksum(pkt, t.AllowZeroChecksum); err != nil {
		fail(err)
	}
	if err := wire.ValidatePacket(p); err != nil {
		fail(fmt.Errorf("%w (%s)", err, wire.Summary(p)))
	}
	st.Tags[p.VerificationTag()]++
	for it := p.Chunks(); ; {
		c, ok := it.Next()
		if !ok {
			break
		}
		st.Chunks[c.Type()]++
		if c.Type() == wire.ChunkData {
			d, err := wire.DecodeData(c)
			if err != nil {
				continue // reported by ValidatePacket
			}
			if len(st.DataTSNs) == 0 {
				st.FirstTSN = d.TSN
			}
			st.LastTSN = d.TSN
			st.DataTSNs[d.TSN]++
			st.DataUser += len(d.UserData)
		}
	}
}

func dirName(dir int) string {
	if dir == AtoB {
		return "a→b"
	}
	return "b→a"
}

// Err returns the first invalid packet, or nil.
func (t *Tap) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.errs) == 0 {
		return nil
	}
	return t.errs[0]
}

// Errs returns the invalid packets found (at most 20).
func (t *Tap) Errs() []error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]error(nil), t.errs...)
}

// Tolerated returns the number of invalid packets Tolerate accepted.
func (t *Tap) Tolerated() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.tolerated
}

// Stats returns a copy of the counters of one direction (AtoB or BtoA).
func (t *Tap) Stats(dir int) TapStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.dirs[dir]
	s.Chunks = clone(s.Chunks)
	s.DataTSNs = clone(s.DataTSNs)
	s.Tags = clone(s.Tags)
	return s
}

// Count returns the number of chunks of type ct seen in direction dir.
func (t *Tap) Count(dir int, ct wire.ChunkType) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dirs[dir].Chunks[ct]
}

// Packets returns the packets kept (Keep), in order.
func (t *Tap) Packets() []TapPacket {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]TapPacket(nil), t.pkts...)
}

// Reset forgets everything counted and kept so far.
func (t *Tap) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.dirs = [2]TapStats{}
	t.errs, t.pkts, t.tolerated = nil, nil, 0
}

// DataChunks returns the number of DATA chunks (retransmissions included)
// and the number of distinct TSNs seen in direction dir.
func (s TapStats) DataChunks() (chunks, tsns int) {
	for _, n := range s.DataTSNs {
		chunks += n
	}
	return chunks, len(s.DataTSNs)
}

func clone[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
