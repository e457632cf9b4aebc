package assoc

import (
	"encoding/binary"
	"math/bits"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// path is the state of the peer's transport address. With AF_CONN there is
// one: the host's handle (§6.4 multi-homing does not apply).
type path struct {
	rto       RTO
	errors    int  // path error counter (§8.2)
	reachable bool // active/inactive (§8.2, §8.3)
	// lastUsed is when a chunk usable for an RTT measurement (first
	// transmission of DATA and the like) was last sent; the path is idle
	// when none was sent within the heartbeat period (§8.3).
	lastUsed time.Time
	// hbPeriod is the heartbeat period running now: when it ends, the path
	// was idle if nothing was sent to it within that period (§8.3).
	hbPeriod time.Duration
	hb       heartbeatState
}

func newPath(cfg *Config) path {
	return path{rto: NewRTO(cfg.RTOInitial, cfg.RTOMin, cfg.RTOMax, cfg.ClockGranularity), reachable: true}
}

// restart resets the error counter and heartbeats after a peer restart; the
// RTT estimate is kept since the path is the same.
func (p *path) restart() {
	p.errors = 0
	p.reachable = true
	p.hb = heartbeatState{}
}

// maxProbes bounds the HEARTBEATs awaiting an acknowledgement.
const maxProbes = 4

// hbInfoLen is the length of our Heartbeat Info: a 64-bit nonce (§5.4) and
// the send time in Unix nanoseconds (§3.3.5, §8.3).
const hbInfoLen = 16

// probe is a HEARTBEAT awaiting its HEARTBEAT ACK.
type probe struct {
	nonce    uint64
	sentAt   time.Time
	deadline time.Time // sentAt + RTO: unacknowledged after it, an error (§8.3)
	// missed is set once the deadline passed and the error was counted; the
	// probe is kept so that a late HEARTBEAT ACK still clears the error
	// counters (§8.3) and gives an RTT sample.
	missed bool
}

type heartbeatState struct {
	probes [maxProbes]probe
	n      int
}

// NotePathUsed records that a chunk usable for an RTT measurement (a first
// transmission of DATA) was sent at now, which makes the path not idle for
// the current heartbeat period (§8.3). The data transfer engine calls it.
func (a *Association) NotePathUsed(now time.Time) { a.path.lastUsed = now }

// startHeartbeats arms the heartbeat timer on entering ESTABLISHED (§8.3:
// heartbeats MAY begin there).
func (a *Association) startHeartbeats(now time.Time) {
	if a.cfg.HeartbeatDisabled {
		return
	}
	a.path.hbPeriod = a.heartbeatPeriod()
	a.timers.start(timerHeartbeat, now, a.path.hbPeriod)
}

// stopHeartbeats stops heartbeats after a SHUTDOWN or SHUTDOWN ACK is sent
// (§8.3).
func (a *Association) stopHeartbeats() {
	a.timers.stop(timerHeartbeat)
	a.timers.stop(timerHeartbeatAck)
	a.path.hb = heartbeatState{}
}

// heartbeatPeriod is RTO + HB.interval with a jitter of ±50 % of the RTO
// (§8.3), drawn from the injected Rand.
func (a *Association) heartbeatPeriod() time.Duration {
	rto := a.path.rto.Value()
	// jitter = RTO · r / 2^32, in [0, RTO), computed in 128 bits: RTO in
	// nanoseconds times a 32-bit r overflows 64 bits once RTO > 4.29 s.
	hi, lo := bits.Mul64(uint64(a.rnd.Uint32()), uint64(rto))
	jitter := time.Duration(hi<<32 | lo>>32)
	return rto/2 + jitter + a.cfg.HeartbeatInterval
}

// onHeartbeatTimer sends a HEARTBEAT on an idle path and re-arms the timer.
func (a *Association) onHeartbeatTimer(now time.Time) {
	if !a.state.heartbeatsAllowed() || a.cfg.HeartbeatDisabled {
		return
	}
	// §8.3: the path is idle if nothing usable for an RTT measurement was
	// sent within the period that just ended (not the next, re-jittered one).
	if a.path.lastUsed.IsZero() || now.Sub(a.path.lastUsed) >= a.path.hbPeriod {
		a.sendHeartbeat(now)
	}
	a.path.hbPeriod = a.heartbeatPeriod()
	a.timers.start(timerHeartbeat, now, a.path.hbPeriod)
}

// Heartbeat sends a HEARTBEAT now (the REQUESTHEARTBEAT primitive,
// §11.1.10; §8.3 D). It is allowed from ESTABLISHED until a SHUTDOWN or
// SHUTDOWN ACK is sent, whether periodic heartbeats are enabled or not.
func (a *Association) Heartbeat(now time.Time) error {
	if !a.state.heartbeatsAllowed() {
		return ErrInvalidState
	}
	a.sendHeartbeat(now)
	return nil
}

// sendHeartbeat queues a HEARTBEAT with a fresh nonce and the send time
// (§3.3.5, §5.4) and starts its one-RTO acknowledgement deadline (§8.3).
func (a *Association) sendHeartbeat(now time.Time) {
	hb := &a.path.hb
	if hb.n == maxProbes {
		copy(hb.probes[:], hb.probes[1:])
		hb.n--
	}
	pr := probe{
		nonce:    uint64(a.rnd.Uint32())<<32 | uint64(a.rnd.Uint32()),
		sentAt:   now,
		deadline: now.Add(a.path.rto.Value()),
	}
	hb.probes[hb.n] = pr
	hb.n++
	var info [hbInfoLen]byte
	binary.BigEndian.PutUint64(info[0:], pr.nonce)
	binary.BigEndian.PutUint64(info[8:], uint64(now.UnixNano()))
	a.queue(&wire.Heartbeat{Info: info[:]}, 0)
	a.armHeartbeatAck()
}

// armHeartbeatAck runs the heartbeat-ack timer to the earliest deadline.
func (a *Association) armHeartbeatAck() {
	hb := &a.path.hb
	var d time.Time
	for _, pr := range hb.probes[:hb.n] {
		if !pr.missed && (d.IsZero() || pr.deadline.Before(d)) {
			d = pr.deadline
		}
	}
	if d.IsZero() {
		a.timers.stop(timerHeartbeatAck)
		return
	}
	a.timers[timerHeartbeatAck] = timer{at: d, on: true}
}

// onHeartbeatAckTimer counts each HEARTBEAT not acknowledged within one RTO
// as an error of the path and of the association (§8.1, §8.3), backs off
// the RTO (§8.3), marks the path inactive beyond Path.Max.Retrans and ends
// the association beyond Association.Max.Retrans.
func (a *Association) onHeartbeatAckTimer(now time.Time) {
	hb := &a.path.hb
	missed := 0
	for i := range hb.probes[:hb.n] {
		if pr := &hb.probes[i]; !pr.missed && !pr.deadline.After(now) {
			pr.missed = true
			missed++
		}
	}
	for ; missed > 0 && a.state != Closed; missed-- {
		a.path.rto.Backoff()
		a.pathError()
	}
	if a.state != Closed {
		a.armHeartbeatAck()
	}
}

// pathError increments the path and association error counters (§8.1,
// §8.2) and acts on their thresholds. The data transfer engine calls it on
// each T3-rtx expiry.
func (a *Association) pathError() {
	if a.path.reachable {
		a.path.errors++
		if a.path.errors > a.cfg.PathMaxRetrans {
			// §8.2: inactive, and report it; the counter stops (§8.3).
			a.path.reachable = false
			a.events.push(PathChange{Reachable: false, Errors: a.path.errors})
		}
	}
	a.errors++
	if a.errors > a.cfg.AssocMaxRetrans {
		// §8.1: the peer is unreachable: stop sending, CLOSED, report.
		a.giveUp(LostPeerUnreachable)
	}
}

// handleHeartbeat answers a HEARTBEAT with a HEARTBEAT ACK that copies its
// information unchanged (§8.3), in the states of §8.3.
func (a *Association) handleHeartbeat(now time.Time, p *rxPacket, c wire.Chunk) {
	if !a.state.answersHeartbeat() {
		p.discard(DropUnexpectedChunk, "HEARTBEAT in "+a.state.String())
		return
	}
	if _, err := wire.DecodeHeartbeat(c); err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	// §8.3: "the Heartbeat Information TLV, together with any other
	// received TLVs, copied unchanged": the whole chunk value.
	ack := append([]byte{byte(wire.ChunkHeartbeatAck), 0, 0, 0}, c.Value()...)
	ack[2], ack[3] = byte(len(ack)>>8), byte(len(ack))
	for len(ack)%4 != 0 {
		ack = append(ack, 0)
	}
	a.queue(rawChunk(ack), 0)
	p.processed++
}

// handleHeartbeatAck matches a HEARTBEAT ACK with its probe by nonce,
// measures the RTT (§8.3) and clears the error counters (§8.1, §8.3).
func (a *Association) handleHeartbeatAck(now time.Time, p *rxPacket, c wire.Chunk) {
	hb, err := wire.DecodeHeartbeatAck(c)
	if err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	if len(hb.Info) != hbInfoLen {
		p.discard(DropUnexpectedChunk, "HEARTBEAT ACK with foreign info")
		return
	}
	nonce := binary.BigEndian.Uint64(hb.Info)
	st := &a.path.hb
	for i, pr := range st.probes[:st.n] {
		if pr.nonce != nonce {
			continue
		}
		copy(st.probes[i:], st.probes[i+1:st.n])
		st.n--
		a.armHeartbeatAck()
		// The send time comes from our record, not from the packet.
		a.path.rto.Measure(now.Sub(pr.sentAt))
		a.path.errors = 0
		if !a.path.reachable {
			a.path.reachable = true
			a.events.push(PathChange{Reachable: true})
		}
		a.errors = 0
		p.processed++
		return
	}
	p.discard(DropUnexpectedChunk, "HEARTBEAT ACK for no outstanding HEARTBEAT")
}
