package rx

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// simMsg is one user message of the property test.
type simMsg struct {
	stream    uint16
	unordered bool
	id        uint32 // SSN or MID
	data      []byte
	firstTSN  uint32
}

// simulation builds messages on several streams, fragments them, and
// sends them to a Receiver through a lossy, reordering, duplicating link
// with a sender that retransmits what the SACKs do not acknowledge.
type simulation struct {
	t       *testing.T
	rng     *rand.Rand
	idata   bool
	msgs    []simMsg
	frags   []Fragment // by TSN order
	fragMsg []int      // message index of each fragment
	byTSN   map[uint32]int
	acked   []bool
	recv    *Receiver
	now     time.Time

	got       []bool // message delivered
	pending   bytes.Buffer
	cur       int // message being read in pieces, -1 if none
	lastOrder map[uint16]int
	pieces    int
	verdicts  [InvalidStream + 1]int
	pdStarts  int          // times a partial delivery was in progress at a read
	abortedOK map[int]bool // messages whose partial delivery was aborted
}

func newSimulation(t *testing.T, seed uint64, idata bool) *simulation {
	rng := rand.New(rand.NewPCG(seed, 0x5c7))
	s := &simulation{t: t, rng: rng, idata: idata, byTSN: map[uint32]int{}, cur: -1,
		lastOrder: map[uint16]int{}, now: t0}
	const streams = 5
	nMsgs := 150 + rng.IntN(150)
	var ssn [streams]uint32
	var umid [streams]uint32
	perStream := make([][]int, streams)
	for i := 0; i < nMsgs; i++ {
		m := simMsg{stream: uint16(rng.IntN(streams)), unordered: rng.IntN(4) == 0}
		size := 1 + rng.IntN(3000)
		if rng.IntN(10) == 0 {
			size = 5000 + rng.IntN(30000)
		}
		m.data = make([]byte, size)
		for j := range m.data {
			m.data[j] = byte(rng.Uint32())
		}
		switch {
		case !m.unordered:
			m.id = ssn[m.stream]
			ssn[m.stream]++
		case idata:
			m.id = umid[m.stream]
			umid[m.stream]++
		}
		s.msgs = append(s.msgs, m)
		perStream[m.stream] = append(perStream[m.stream], i)
	}
	tsn := 0xFFFFFFFF - uint32(rng.IntN(200)) // wraps during the run
	initial := tsn
	chunk := 200 + rng.IntN(1000)
	if !idata {
		// DATA: the fragments of a message take consecutive TSNs.
		for i := range s.msgs {
			m := &s.msgs[i]
			m.firstTSN = tsn
			fs := splitData(m.data, tsn, m.stream, uint16(m.id), m.unordered, chunk)
			s.frags = append(s.frags, fs...)
			for range fs {
				s.fragMsg = append(s.fragMsg, i)
			}
			tsn += uint32(len(fs))
		}
	} else {
		// I-DATA: messages of different streams interleave.
		type cursor struct{ msg, off int }
		var queues [streams][]cursor
		for st := range perStream {
			for _, i := range perStream[st] {
				queues[st] = append(queues[st], cursor{i, 0})
			}
		}
		var fragsOf = make([][]Fragment, len(s.msgs))
		for i := range s.msgs {
			m := &s.msgs[i]
			fragsOf[i] = splitIData(m.data, m.stream, m.id, m.unordered, chunk)
		}
		for {
			var live []int
			for st := range queues {
				if len(queues[st]) > 0 {
					live = append(live, st)
				}
			}
			if len(live) == 0 {
				break
			}
			st := live[rng.IntN(len(live))]
			c := &queues[st][0]
			f := fragsOf[c.msg][c.off]
			f.TSN = tsn
			if c.off == 0 {
				s.msgs[c.msg].firstTSN = tsn
			}
			s.frags = append(s.frags, f)
			s.fragMsg = append(s.fragMsg, c.msg)
			tsn++
			c.off++
			if c.off == len(fragsOf[c.msg]) {
				queues[st] = queues[st][1:]
			}
		}
	}
	for i := range s.msgs {
		s.byTSN[s.msgs[i].firstTSN] = i
	}
	s.acked = make([]bool, len(s.frags))
	s.got = make([]bool, len(s.msgs))
	bufSize := []int{6000, 20000, 1 << 20}[rng.IntN(3)]
	cfg := Config{ReceiveBufferSize: bufSize, ReassemblyLimit: 64 << 20, MaxGapBlocks: 16 + rng.IntN(64)}
	s.recv = NewReceiver(cfg, initial, streams, idata)
	return s
}

func (s *simulation) run() {
	base := 0 // lowest unacked fragment index
	for round := 0; ; round++ {
		if round > 200000 {
			s.t.Fatalf("no progress: %d/%d fragments acked", base, len(s.frags))
		}
		for base < len(s.frags) && s.acked[base] {
			base++
		}
		if base == len(s.frags) && s.allRead() {
			return
		}
		// The sender's window: the first 40 unacked fragments, a random
		// subset in random order, some lost, plus duplicates of acked ones.
		var cand []int
		for i := base; i < len(s.frags) && len(cand) < 40; i++ {
			if !s.acked[i] {
				cand = append(cand, i)
			}
		}
		s.rng.Shuffle(len(cand), func(i, j int) { cand[i], cand[j] = cand[j], cand[i] })
		cand = cand[:min(len(cand), 1+s.rng.IntN(20))]
		if base > 0 && s.rng.IntN(3) == 0 {
			cand = append(cand, s.rng.IntN(base))
		}
		for len(cand) > 0 {
			n := min(len(cand), 1+s.rng.IntN(4))
			if s.rng.IntN(5) != 0 { // 20% packet loss
				for _, i := range cand[:n] {
					f := s.frags[i]
					v, err := s.recv.HandleData(&f)
					if err != nil {
						s.t.Fatalf("HandleData(TSN %d): %v", f.TSN, err)
					}
					s.verdicts[v]++
				}
				s.recv.PacketEnd(s.now)
			}
			cand = cand[n:]
		}
		s.now = s.now.Add(10 * time.Millisecond)
		s.recv.Tracker.HandleTimeout(s.now)
		if s.recv.Tracker.ShouldSendSackNow() || s.rng.IntN(4) == 0 {
			s.applySack()
		}
		for k := s.rng.IntN(6); k > 0; k-- {
			s.read(1 + s.rng.IntN(8000))
		}
	}
}

// applySack marks what a SACK acknowledges (cumulative and gap blocks).
func (s *simulation) applySack() {
	var sack wire.Sack
	s.recv.FillSack(&sack, make([]wire.GapBlock, 0, 32), make([]uint32, 0, 8))
	mark := func(tsn uint32) {
		if i, ok := s.tsnIndex(tsn); ok {
			s.acked[i] = true
		}
	}
	for i := range s.frags {
		if d := sack.CumulativeTSNAck - s.frags[i].TSN; int32(d) >= 0 {
			s.acked[i] = true
		}
	}
	for _, g := range sack.GapBlocks {
		for o := uint32(g.Start); o <= uint32(g.End); o++ {
			mark(sack.CumulativeTSNAck + o)
		}
	}
}

func (s *simulation) tsnIndex(tsn uint32) (int, bool) {
	i := int(tsn - s.frags[0].TSN)
	return i, i >= 0 && i < len(s.frags)
}

func (s *simulation) read(size int) {
	buf := make([]byte, size)
	n, info, ok := s.recv.Read(buf)
	if !ok {
		return
	}
	s.pieces++
	if s.recv.Reassembly.pdMsg != nil {
		s.pdStarts++
	}
	i, found := s.byTSN[info.TSN]
	if !found {
		s.t.Fatalf("read a message with unknown first TSN %d", info.TSN)
	}
	if s.cur != -1 && s.cur != i {
		s.t.Fatalf("message %d interleaved into message %d", i, s.cur)
	}
	m := s.msgs[i]
	if info.Stream != m.stream || info.Unordered != m.unordered || info.PPID != 7 ||
		(!m.unordered || s.idata) && info.MID != m.id {
		s.t.Fatalf("message %d: info %+v, want %+v", i, info, m)
	}
	s.cur = i
	s.pending.Write(buf[:n])
	if !info.EOR {
		return
	}
	if !bytes.Equal(s.pending.Bytes(), m.data) {
		s.t.Fatalf("message %d: %d bytes differ from the %d sent", i, s.pending.Len(), len(m.data))
	}
	if s.got[i] {
		s.t.Fatalf("message %d delivered twice", i)
	}
	s.got[i] = true
	if !m.unordered {
		if last, ok := s.lastOrder[m.stream]; ok && last > i {
			s.t.Fatalf("stream %d: message %d after %d", m.stream, i, last)
		}
		s.lastOrder[m.stream] = i
	}
	s.pending.Reset()
	s.cur = -1
}

func (s *simulation) allRead() bool {
	for s.recv.Reassembly.Readable() {
		s.read(1 << 16)
	}
	for _, g := range s.got {
		if !g {
			return false
		}
	}
	return true
}

// TestPropertyExactlyOnce: whatever the loss, reordering and duplication,
// every message is read exactly once, intact, and in order within its
// stream when ordered; pieces of one message are never interleaved with
// another's.
func TestPropertyExactlyOnce(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 4
	}
	for _, idata := range []bool{false, true} {
		for seed := uint64(1); seed <= uint64(seeds); seed++ {
			t.Run(fmt.Sprintf("idata=%v/seed=%d", idata, seed), func(t *testing.T) {
				s := newSimulation(t, seed, idata)
				s.run()
				t.Logf("%d messages, %d fragments, %d pieces read, %d during partial delivery, verdicts %v",
					len(s.msgs), len(s.frags), s.pieces, s.pdStarts, s.verdicts)
				if r := s.recv.Reassembly; r.Held() != 0 || r.ARwnd() != uint32(r.ReceiveBufferSize()) {
					t.Fatalf("held %d after everything was read", r.Held())
				}
			})
		}
	}
}

// TestPropertyPermutation feeds every fragment (with duplicates) in one
// random order, without loss and with a buffer large enough, then reads.
func TestPropertyPermutation(t *testing.T) {
	for _, idata := range []bool{false, true} {
		for seed := uint64(100); seed < 106; seed++ {
			s := newSimulation(t, seed, idata)
			// Every gap stays open until the end: track them all.
			s.recv = NewReceiver(Config{ReceiveBufferSize: 64 << 20, MaxGapBlocks: 1 << 16}, s.frags[0].TSN, 5, idata)
			order := s.rng.Perm(len(s.frags))
			for _, i := range order {
				for k := 0; k < 1+s.rng.IntN(2); k++ {
					f := s.frags[i]
					if _, err := s.recv.HandleData(&f); err != nil {
						t.Fatal(err)
					}
				}
				if s.rng.IntN(3) == 0 {
					s.read(1 + s.rng.IntN(5000))
				}
			}
			if !s.allRead() {
				t.Fatalf("seed %d idata %v: not every message was delivered", seed, idata)
			}
		}
	}
}
