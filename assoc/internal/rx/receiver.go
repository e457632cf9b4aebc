package rx

import (
	"errors"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// Receiver is the receive side of one association: a DataTracker and a
// Reassembly wired together with the rules that need both (the zero window
// rule of §6.2, Invalid Stream Identifier handling of §6.5, FORWARD TSN,
// window update SACKs after reads). The engine can also drive the two
// parts directly; both are exported fields.
//
// Per inbound packet the engine calls HandleData for each DATA / I-DATA
// chunk and HandleForwardTSN / HandleIForwardTSN for each FORWARD TSN,
// then PacketEnd; then, if Tracker.ShouldSendSackNow(), it bundles a SACK
// built with FillSack. It arms a timer for Tracker.SackDeadline() and calls
// Tracker.HandleTimeout when it fires.
type Receiver struct {
	Tracker    *DataTracker
	Reassembly *Reassembly

	inbound   uint16
	immediate bool // the packet being processed had a chunk with the I bit
}

// NewReceiver returns the receive side of an association whose peer's
// Initial TSN is peerInitialTSN, with inboundStreams negotiated inbound
// streams (min(peer's OS, our MIS), §5.1.1) and I-DATA when negotiated
// (RFC 8260 §2.2.1).
func NewReceiver(cfg Config, peerInitialTSN uint32, inboundStreams uint16, idata bool) *Receiver {
	cfg = cfg.Normalized()
	r := &Receiver{
		Tracker:    NewDataTracker(cfg, peerInitialTSN),
		Reassembly: NewReassembly(cfg, idata),
		inbound:    inboundStreams,
	}
	r.Reassembly.inbound = int(inboundStreams) // FORWARD TSN entries for other streams are ignored
	return r
}

// Restart resets the receive side for a restarted association (RFC 9260
// §5.2.4): new peer Initial TSN and stream counts; SSNs start again at 0;
// queued messages stay readable.
func (r *Receiver) Restart(peerInitialTSN uint32, inboundStreams uint16) {
	r.Tracker.Init(peerInitialTSN)
	r.Reassembly.Reset()
	r.inbound = inboundStreams
	r.Reassembly.inbound = int(inboundStreams)
	r.immediate = false
}

// HandleData processes one DATA or I-DATA chunk:
//
//   - no user data: returns ErrNoUserData; the engine sends ABORT with a
//     No User Data cause (§6.2).
//   - a_rwnd is 0 and the TSN is beyond the highest received: WindowFull,
//     dropped, SACK due at once (§6.2). Only while the reader has data to
//     read, though: when nothing is readable (say the message being
//     partially delivered waits for its next fragment while complete
//     messages wait behind it), reading cannot reopen the window, and
//     dropping would deadlock; the chunk is accepted, within
//     Config.ReassemblyLimit.
//   - Duplicate, OutOfWindow, TooManyGaps: see DataTracker.Observe.
//   - a new TSN on a stream >= the inbound streams: InvalidStream; the TSN
//     is acknowledged and the data discarded; the engine sends an ERROR
//     with an Invalid Stream Identifier cause (§6.5).
//   - otherwise Accepted, and the data goes to reassembly; an error from
//     Reassembly.Add (*LimitError, ErrChunkMismatch) means ABORT.
func (r *Receiver) HandleData(f *Fragment) (Verdict, error) {
	err := ValidateFragment(f, r.inbound)
	if errors.Is(err, ErrNoUserData) {
		return Accepted, err
	}
	if f.IData != r.Reassembly.idata {
		return Accepted, ErrChunkMismatch
	}
	if f.Immediate {
		r.immediate = true
	}
	if r.Reassembly.ARwnd() == 0 && r.Tracker.IsBeyondHighest(f.TSN) && r.Reassembly.Readable() {
		r.Tracker.ScheduleImmediateSack()
		return WindowFull, nil
	}
	isNew, v := r.Tracker.Observe(f.TSN)
	if !isNew {
		return v, nil
	}
	if err != nil {
		return InvalidStream, nil
	}
	return Accepted, r.Reassembly.Add(f)
}

// HandleForwardTSN processes a FORWARD TSN chunk (RFC 3758 §3.6). It
// returns the tracker's verdict; only an Accepted one touches reassembly.
func (r *Receiver) HandleForwardTSN(fwd *wire.ForwardTSN) Verdict {
	v := r.Tracker.HandleForwardTSN(fwd.NewCumulativeTSN)
	if v == Accepted {
		r.Reassembly.SkipForwardTSN(r.Tracker.CumulativeTSNAck(), fwd)
	}
	return v
}

// HandleIForwardTSN processes an I-FORWARD TSN chunk (RFC 8260 §2.3.1).
func (r *Receiver) HandleIForwardTSN(fwd *wire.IForwardTSN) Verdict {
	v := r.Tracker.HandleForwardTSN(fwd.NewCumulativeTSN)
	if v == Accepted {
		r.Reassembly.SkipIForwardTSN(fwd)
	}
	return v
}

// PacketEnd ends the processing of an inbound packet: it applies the
// delayed SACK rules to what the packet carried.
func (r *Receiver) PacketEnd(now time.Time) {
	r.Tracker.ObservePacketEnd(now, r.immediate)
	r.immediate = false
}

// Read copies the next message (or piece) into buf (see Reassembly.Read)
// and, when the read reopened the window enough, makes a window update
// SACK due (receiver SWS avoidance).
func (r *Receiver) Read(buf []byte) (n int, info RecvInfo, ok bool) {
	n, info, ok = r.Reassembly.Read(buf)
	if ok {
		r.Tracker.UpdateWindow(r.Reassembly.ARwnd())
	}
	return n, info, ok
}

// FillSack writes the SACK to send into s with the current a_rwnd (see
// DataTracker.FillSack).
func (r *Receiver) FillSack(s *wire.Sack, gapBuf []wire.GapBlock, dupBuf []uint32) {
	r.Tracker.FillSack(s, gapBuf, dupBuf, r.Reassembly.ARwnd())
}

// Abort ends the receive side with the association (ABORT, COMM_LOST):
// see Reassembly.Abort.
func (r *Receiver) Abort() { r.Reassembly.Abort() }
