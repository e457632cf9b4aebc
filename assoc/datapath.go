package assoc

import (
	"time"

	"github.com/sconnlab/sconn/assoc/internal/rx"
	"github.com/sconnlab/sconn/assoc/internal/tx"
	"github.com/sconnlab/sconn/internal/serial"
	"github.com/sconnlab/sconn/wire"
)

// This file joins user data transfer (RFC 9260 §6, §7) to the lifecycle:
// the transmit side (internal/tx: send queue, outstanding queue,
// congestion control) and the receive side (internal/rx: TSN tracker,
// reassembly) are driven from HandlePacket, Poll and the timers here.

// dataState is the user data state of the association.
type dataState struct {
	tx *tx.Sender   // nil until the peer is known (INIT ACK or cookie)
	rx *rx.Receiver // idem

	stats     Stats
	threshold int             // SetSendThreshold, kept across restarts
	gaps      []wire.GapBlock // SACK building buffers
	dups      []uint32
	readable  bool // DataReadable was raised and the queue not drained since
	sentData  bool // DATA was sent since the last SenderDry
	// sackSinceT3: a SACK arrived since T3-rtx last expired (§6.1 A: zero
	// window probes do not count as errors while SACKs arrive).
	sackSinceT3 bool
}

// initData builds the data state from a.info when the TCB gets its peer
// (INIT ACK, cookie, restart). On a restart the messages of the old
// association fail (SendFailed) and the unread received ones stay.
func (a *Association) initData() {
	d := &a.data
	if d.tx != nil {
		a.failData()
	}
	f := a.info.Features
	cc := tx.NewReno(tx.RenoConfig{MTU: a.cfg.MTU, InitialCwnd: a.cfg.InitialCwnd,
		InitialSsthresh: int(a.info.PeerARwnd), MaxBurst: a.cfg.MaxBurst})
	sched := tx.RoundRobin
	if a.cfg.FCFS {
		sched = tx.FCFS
	}
	d.tx = tx.New(tx.Config{MTU: a.cfg.MTU, IData: f.IData, PartialReliability: f.PartialReliability,
		BufferSize: a.cfg.SendBufferSize, Scheduler: sched,
		InitialTSN: a.info.LocalInitialTSN, PeerRwnd: a.info.PeerARwnd}, cc)
	d.tx.Queue.SetThreshold(d.threshold)
	if d.rx != nil && d.rx.Reassembly.IData() == f.IData {
		d.rx.Restart(a.info.PeerInitialTSN, a.info.InboundStreams)
	} else {
		d.rx = rx.NewReceiver(rx.Config{
			ReceiveBufferSize: a.cfg.ReceiveBufferSize, PartialDeliveryPoint: a.cfg.PartialDeliveryPoint,
			ReassemblyLimit: a.cfg.ReassemblyLimit, SackFreq: a.cfg.SackFreq,
			DelayedSackTime: a.cfg.DelayedSackTime, MTU: a.cfg.MTU,
		}, a.info.PeerInitialTSN, a.info.InboundStreams, f.IData)
	}
	d.sentData, d.sackSinceT3 = false, false
	a.timers.stop(timerT3Rtx)
	a.timers.stop(timerDelayedSack)
}

// failData returns every queued or unacknowledged message as a SendFailed
// with ErrClosed: the association ended or restarted.
func (a *Association) failData() {
	d := &a.data
	if d.tx == nil {
		return
	}
	d.tx.FailAll()
	for {
		f, ok := d.tx.PopFailed()
		if !ok {
			break
		}
		a.events.push(failedEvent(f, ErrClosed))
	}
	a.timers.stop(timerT3Rtx)
}

// endData ends the data path when the association is lost: every message
// not acknowledged fails, partial deliveries abort. Messages received
// stay readable.
func (a *Association) endData() {
	a.failData()
	if r := a.data.rx; r != nil {
		r.Abort()
		for {
			pd, ok := r.Reassembly.PollPartialDeliveryAborted()
			if !ok {
				break
			}
			a.events.push(PartialDeliveryAborted{Stream: pd.Stream, SSN: pd.SSN})
		}
	}
}

// cumulativeTSNAck is the last in-sequence TSN received (§3.3.8).
func (a *Association) cumulativeTSNAck() uint32 {
	if a.data.rx == nil {
		return a.info.PeerInitialTSN - 1
	}
	return a.data.rx.Tracker.CumulativeTSNAck()
}

// nextTSN is the TSN the next new DATA chunk gets.
func (a *Association) nextTSN() serial.TSN {
	if a.data.tx == nil {
		return serial.TSN(a.info.LocalInitialTSN)
	}
	return serial.TSN(a.data.tx.Out.NextTSN())
}

// hasOutstandingData reports DATA queued or sent and not cumulatively
// acknowledged (§9.2: SHUTDOWN waits for it).
func (a *Association) hasOutstandingData() bool { return a.data.tx != nil && !a.data.tx.Dry() }

// ackUpTo applies the cumulative TSN ack of a SHUTDOWN (§9.2) like that of
// a SACK without gap blocks; the peer's window stays as it was.
func (a *Association) ackUpTo(now time.Time, cum serial.TSN) {
	if a.data.tx == nil {
		return
	}
	o := &a.data.tx.Out
	s := wire.Sack{CumulativeTSNAck: uint32(cum), ARwnd: o.PeerRwnd() + uint32(o.UnackedData()),
		GapBlocks: []wire.GapBlock{}}
	a.sackReceived(now, &s)
}

// sendsData reports the states that transmit DATA: ESTABLISHED, and until
// the last outstanding data is acknowledged in SHUTDOWN-PENDING and
// SHUTDOWN-RECEIVED (§9.2).
func (s State) sendsData() bool {
	return s == Established || s == ShutdownPending || s == ShutdownReceived
}

// dataWaiting reports DATA, a FORWARD TSN or a SACK ready to send (Poll
// builds a packet for it even without control chunks).
func (a *Association) dataWaiting(now time.Time) bool {
	d := &a.data
	if d.tx == nil {
		return false
	}
	return d.rx.Tracker.ShouldSendSackNow() || (a.state.sendsData() && d.tx.WantsToSend(a.cfg.NoDelay))
}

// appendData adds to a packet being built by Poll, after its control
// chunks (§6.10): a SACK when one is due, or pending and the packet goes
// out anyway, then, when dataOK (not after SHUTDOWN or SHUTDOWN ACK,
// §6.10), FORWARD TSN, retransmissions and new DATA (tx.Sender.Fill).
func (a *Association) appendData(now time.Time, bld *wire.Builder, dataOK bool) {
	d := &a.data
	if d.tx == nil {
		return
	}
	send := a.state.sendsData() && dataOK
	// A pending SACK rides on any packet that goes out anyway (§6.1:
	// bundle it with DATA; with control chunks it saves a packet too).
	if t := d.rx.Tracker; t.ShouldSendSackNow() ||
		(t.SackPending() && (bld.NumChunks() > 0 || (send && d.tx.WantsToSend(a.cfg.NoDelay)))) {
		a.appendSack(bld)
	}
	if !send {
		return
	}
	r := d.tx.Fill(now, bld, tx.FillOptions{NoDelay: a.cfg.NoDelay, Immediate: a.state == ShutdownPending})
	if r.ForwardTSN {
		d.stats.OCtrlChunks++
	}
	if r.Chunks == 0 {
		return
	}
	d.stats.RtxChunks += uint64(r.Retransmitted)
	if n := r.Chunks - r.Retransmitted; n > 0 {
		d.stats.OUODChunks += uint64(r.NewUnordered)
		d.stats.ODChunks += uint64(n - r.NewUnordered)
		d.sentData = true
		a.NotePathUsed(now) // first transmissions: the path is not idle (§8.3)
	}
	// §6.3.2 R1: start T3-rtx if it is not running; §6.1: restart it when
	// the earliest outstanding chunk is retransmitted.
	if !a.timers.running(timerT3Rtx) || r.RetransmitLow {
		a.timers.start(timerT3Rtx, now, a.path.rto.Value())
	}
}

// appendSack adds the SACK (§6.2) with as many gap blocks and duplicate
// TSNs as fit in the rest of the packet (§6.7: the lowest first).
func (a *Association) appendSack(bld *wire.Builder) {
	d := &a.data
	room := (bld.Room() - wire.SackHeaderLen) / 4
	if room < 0 {
		return
	}
	if d.gaps == nil {
		d.gaps = make([]wire.GapBlock, 0, min(256, (a.cfg.MTU-wire.HeaderLen-wire.SackHeaderLen)/4))
		d.dups = make([]uint32, 0, 32)
	}
	ng := min(cap(d.gaps), room, d.rx.Tracker.NumGapBlocks())
	nd := min(cap(d.dups), room-ng)
	var s wire.Sack
	d.rx.FillSack(&s, d.gaps[:0:ng], d.dups[:0:nd])
	bld.Add(&s)
	d.stats.OSacks++
	d.stats.OCtrlChunks++
	a.timers.stop(timerDelayedSack)
}

// shutdownAcks notes that a SHUTDOWN is being sent: its cumulative TSN
// ack (§9.2) makes a pending SACK without gap blocks or duplicates
// redundant.
func (a *Association) shutdownAcks() {
	if t := a.data.rx; t != nil && t.Tracker.SackPending() && !t.Tracker.HasGaps() && t.Tracker.NumDupTSNs() == 0 {
		var s wire.Sack
		t.FillSack(&s, nil, nil)
		a.timers.stop(timerDelayedSack)
	}
}

// handleSack receives a SACK (§6.2.1). Acknowledging a TSN never sent is a
// protocol violation.
func (a *Association) handleSack(now time.Time, p *rxPacket, c wire.Chunk) {
	if !a.state.hasPeerTag() || a.data.tx == nil {
		p.discard(DropUnexpectedChunk, "SACK in "+a.state.String())
		return
	}
	s, err := wire.DecodeSack(c)
	if err != nil {
		p.abandon(DropMalformed, err.Error())
		return
	}
	if serial.TSN(s.CumulativeTSNAck).GreaterEq(a.nextTSN()) {
		a.abortViolation("SACK acknowledges TSN " + itoa(int(s.CumulativeTSNAck)) + " never sent")
		p.abandon(DropMalformed, "SACK cumulative TSN ack beyond the next TSN")
		return
	}
	p.processed++
	a.data.stats.ISacks++
	if s.NumGapBlocks() > 0 {
		a.data.stats.GapCnt++
	}
	a.sackReceived(now, &s)
}

// sackReceived applies a SACK (or the cumulative ack of a SHUTDOWN) to the
// transmit side: RTT (§6.3.1), error counters (§8.1, §8.2), T3-rtx
// (§6.3.2 R2-R4).
func (a *Association) sackReceived(now time.Time, s *wire.Sack) {
	d := &a.data
	o := &d.tx.Out
	r := o.HandleSack(now, s)
	if r.Ignored {
		return
	}
	d.sackSinceT3 = true
	if r.HaveRTT {
		a.path.rto.Measure(r.RTT)
		d.stats.MaxRTO = max(d.stats.MaxRTO, a.path.rto.Value())
	}
	if r.AckedBytes > 0 || r.CumAdvanced {
		// §8.1, §8.2: acknowledged DATA clears the error counters.
		a.errors = 0
		a.path.errors = 0
		if !a.path.reachable {
			a.path.reachable = true
			a.events.push(PathChange{Reachable: true})
		}
	}
	switch {
	case o.Outstanding() == 0:
		a.timers.stop(timerT3Rtx) // R2
	case r.CumAdvanced:
		a.timers.start(timerT3Rtx, now, a.path.rto.Value()) // R3
	case r.Reneged && !a.timers.running(timerT3Rtx):
		a.timers.start(timerT3Rtx, now, a.path.rto.Value()) // R4
	}
	d.tx.StartBurst(now, a.path.rto.Value())
}

// onT3Rtx handles a T3-rtx expiry (§6.3.3): the path and association
// error counters (§8.1, §8.2, except for zero window probes answered by
// SACKs, §6.1 A), RTO backoff (E2), cwnd (E1), everything in flight
// marked for retransmission (E3), the timer again (E4).
func (a *Association) onT3Rtx(now time.Time) {
	d := &a.data
	o := &d.tx.Out
	if o.Outstanding() == 0 {
		return
	}
	probing := o.PeerRwnd() == 0 && d.sackSinceT3
	d.sackSinceT3 = false
	if !probing {
		a.pathError()
		if a.state == Closed {
			return
		}
	}
	a.path.rto.Backoff()
	d.stats.MaxRTO = max(d.stats.MaxRTO, a.path.rto.Value())
	o.HandleT3Expiry(now)
	if o.Outstanding() > 0 {
		a.timers.start(timerT3Rtx, now, a.path.rto.Value())
	}
}

// onDelayedSack makes the delayed SACK due (§6.2).
func (a *Association) onDelayedSack(now time.Time) {
	if a.data.rx != nil {
		a.data.rx.Tracker.HandleTimeout(now)
	}
}

// afterPacket finishes an inbound packet: the SACK decision (§6.2), the
// SHUTDOWN that answers DATA in SHUTDOWN-SENT (§9.2), the data events.
func (a *Association) afterPacket(now time.Time, p *rxPacket) {
	d := &a.data
	if a.state == Closed || d.rx == nil {
		return
	}
	if p.dataSeen {
		d.rx.PacketEnd(now)
		if a.state == ShutdownSent {
			a.sendShutdown(now) // §9.2: answer DATA with a SHUTDOWN at once, restarting T2
		}
	}
	a.dataEvents(now)
}

// dataEvents turns what the data path did into events and follow-ups: a
// delayed SACK timer, DataReadable, PartialDeliveryAborted, SendFailed
// for abandoned messages, SendSpaceAvailable, SenderDry, and the SHUTDOWN
// or SHUTDOWN ACK waiting for the data to be acknowledged (§9.2).
func (a *Association) dataEvents(now time.Time) {
	d := &a.data
	if d.tx == nil || a.state == Closed {
		return
	}
	if dl := d.rx.Tracker.SackDeadline(); !dl.IsZero() && !d.rx.Tracker.ShouldSendSackNow() {
		a.timers[timerDelayedSack] = timer{at: dl, on: true}
	} else {
		a.timers.stop(timerDelayedSack)
	}
	for {
		pd, ok := d.rx.Reassembly.PollPartialDeliveryAborted()
		if !ok {
			break
		}
		a.events.push(PartialDeliveryAborted{Stream: pd.Stream, SSN: pd.SSN})
	}
	if !d.readable && d.rx.Reassembly.Readable() {
		d.readable = true
		a.events.push(DataReadable{})
	}
	for {
		f, ok := d.tx.PopFailed()
		if !ok {
			break
		}
		a.events.push(failedEvent(f, ErrAbandoned))
	}
	if free, ok := d.tx.Queue.PopSpaceSignal(); ok {
		a.events.push(SendSpaceAvailable{Free: free})
	}
	if d.tx.Dry() {
		if d.sentData {
			d.sentData = false
			a.events.push(SenderDry{})
		}
		switch a.state {
		case ShutdownPending:
			a.maybeSendShutdown(now)
		case ShutdownReceived:
			a.maybeSendShutdownAck(now)
		}
	}
}
