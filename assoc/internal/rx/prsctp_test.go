package rx

import (
	"fmt"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// TestPropertyPartialReliability runs the simulation with a PR-SCTP
// sender: it abandons some messages that are not fully acknowledged and
// sends FORWARD TSN (or I-FORWARD TSN) past them (RFC 3758 §3.5, RFC 8260
// §2.3.1). Every message not abandoned must be read exactly once, intact,
// in order within its stream; an abandoned one at most once, intact, or
// cut with a PartialDeliveryAborted for it.
func TestPropertyPartialReliability(t *testing.T) {
	for _, idata := range []bool{false, true} {
		for seed := uint64(1); seed <= 10; seed++ {
			t.Run(fmt.Sprintf("idata=%v/seed=%d", idata, seed), func(t *testing.T) {
				s := newSimulation(t, seed+1000, idata)
				p := &prSim{simulation: s, abandoned: make([]bool, len(s.msgs)), msgOf: s.fragMsg}
				s.abortedOK = map[int]bool{}
				p.run()
				t.Logf("%d messages, %d abandoned, %d FORWARD TSNs, %d partial deliveries aborted",
					len(s.msgs), p.nAbandoned, p.nFwd, len(s.abortedOK))
			})
		}
	}
}

type prSim struct {
	*simulation
	abandoned  []bool
	msgOf      []int // fragment index -> message index
	nAbandoned int
	nFwd       int
}

func (p *prSim) run() {
	s := p.simulation
	base := 0
	for round := 0; ; round++ {
		if round > 200000 {
			s.t.Fatalf("no progress")
		}
		for base < len(s.frags) && s.acked[base] {
			base++
		}
		if base == len(s.frags) && p.allReadPR() {
			return
		}
		// Abandon a message now and then (one with unacknowledged data).
		if base < len(s.frags) && s.rng.IntN(8) == 0 {
			fi := base + s.rng.IntN(min(40, len(s.frags)-base))
			if mi := p.msgOf[fi]; !s.acked[fi] && !p.abandoned[mi] {
				p.abandoned[mi] = true
				p.nAbandoned++
			}
		}
		var cand []int
		for i := base; i < len(s.frags) && len(cand) < 40; i++ {
			if !s.acked[i] && !p.abandoned[p.msgOf[i]] {
				cand = append(cand, i)
			}
		}
		s.rng.Shuffle(len(cand), func(i, j int) { cand[i], cand[j] = cand[j], cand[i] })
		cand = cand[:min(len(cand), 1+s.rng.IntN(20))]
		for len(cand) > 0 {
			n := min(len(cand), 1+s.rng.IntN(4))
			if s.rng.IntN(5) != 0 {
				for _, i := range cand[:n] {
					f := s.frags[i]
					if _, err := s.recv.HandleData(&f); err != nil {
						s.t.Fatalf("HandleData(TSN %d): %v", f.TSN, err)
					}
				}
				if s.rng.IntN(2) == 0 {
					p.sendForward(base)
				}
				s.recv.PacketEnd(s.now)
			}
			cand = cand[n:]
		}
		if s.rng.IntN(3) == 0 {
			p.sendForward(base)
		}
		s.now = s.now.Add(10 * time.Millisecond)
		s.recv.Tracker.HandleTimeout(s.now)
		if s.recv.Tracker.ShouldSendSackNow() || s.rng.IntN(4) == 0 {
			s.applySack()
		}
		for k := s.rng.IntN(6); k > 0; k-- {
			p.readPR(1 + s.rng.IntN(8000))
		}
	}
}

// sendForward sends a FORWARD TSN past the abandoned (or acknowledged)
// fragments from base, if any is abandoned.
func (p *prSim) sendForward(base int) {
	s := p.simulation
	k := base
	skipped := false
	for k < len(s.frags) && (s.acked[k] || p.abandoned[p.msgOf[k]]) {
		skipped = skipped || !s.acked[k]
		k++
	}
	if !skipped {
		return
	}
	newCum := s.frags[k-1].TSN
	type key struct {
		stream    uint16
		unordered bool
	}
	last := map[key]uint32{}
	var order []key
	for i := range s.msgs {
		m := &s.msgs[i]
		if !p.abandoned[i] || int32(m.firstTSN-newCum) > 0 || (m.unordered && !p.idata) {
			continue
		}
		k := key{m.stream, m.unordered}
		if v, ok := last[k]; !ok || int32(m.id-v) > 0 {
			if !ok {
				order = append(order, k)
			}
			last[k] = m.id
		}
	}
	p.nFwd++
	if p.idata {
		fwd := &wire.IForwardTSN{NewCumulativeTSN: newCum, Streams: []wire.IForwardTSNStream{}}
		for _, k := range order {
			fwd.Streams = append(fwd.Streams, wire.IForwardTSNStream{StreamID: k.stream, Unordered: k.unordered, MID: last[k]})
		}
		s.recv.HandleIForwardTSN(fwd)
	} else {
		fwd := &wire.ForwardTSN{NewCumulativeTSN: newCum, Streams: []wire.ForwardTSNStream{}}
		for _, k := range order {
			fwd.Streams = append(fwd.Streams, wire.ForwardTSNStream{StreamID: k.stream, SSN: uint16(last[k])})
		}
		s.recv.HandleForwardTSN(fwd)
	}
	for a, ok := s.recv.Reassembly.PollPartialDeliveryAborted(); ok; a, ok = s.recv.Reassembly.PollPartialDeliveryAborted() {
		found := false
		for i := range s.msgs {
			m := &s.msgs[i]
			if m.stream == a.Stream && m.unordered == a.Unordered && p.abandoned[i] && (m.id == a.MID || !p.idata && m.unordered) {
				s.abortedOK[i] = true
				found = true
			}
		}
		if !found {
			s.t.Fatalf("partial delivery aborted for a message not abandoned: %+v", a)
		}
	}
}

// readPR reads like simulation.read, but accepts a message cut by an
// aborted partial delivery.
func (p *prSim) readPR(size int) {
	s := p.simulation
	if s.cur != -1 {
		if m := s.recv.Reassembly.queue.front(); m == nil || m.firstTSN != s.msgs[s.cur].firstTSN {
			// The message being read in pieces was cut.
			if !p.abandoned[s.cur] || !s.abortedOK[s.cur] {
				s.t.Fatalf("message %d (abandoned %v) cut without an abort event", s.cur, p.abandoned[s.cur])
			}
			s.pending.Reset()
			s.got[s.cur] = true
			s.cur = -1
		}
	}
	s.read(size)
}

func (p *prSim) allReadPR() bool {
	s := p.simulation
	for s.recv.Reassembly.Readable() {
		p.readPR(1 << 16)
	}
	p.readPR(1) // notice a cut message at the end
	for i, g := range s.got {
		if !g && !p.abandoned[i] {
			return false
		}
	}
	return true
}
