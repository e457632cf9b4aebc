package conn

import (
	"errors"
	"strconv"
	"time"

	"github.com/sconnlab/sconn/assoc"
)

// This file adapts the engine's data path (RFC 9260 §6, §7: Association.
// Send, Recv, Readable, BufferedAmount, Stats, Status and the data events)
// to the sockets.

// errSendBufferFull means the engine's send buffer lacks room for a message.
var errSendBufferFull = errors.New("sctp: send buffer full")

// errNoData means the association has nothing to read.
var errNoData = errors.New("sctp: no data")

// recvMeta describes a message piece the engine delivered.
type recvMeta struct {
	stream, ssn       uint16
	ppid, tsn, cumTSN uint32
	unordered, eor    bool
}

// pendingMsg is a message kept until COMM_UP.
type pendingMsg struct {
	data []byte
	m    sendMeta
}

// preUpQueue holds the messages sent before COMM_UP.
type preUpQueue struct {
	msgs []pendingMsg
	len  int
}

// engineOptions converts a message's description.
func engineOptions(m sendMeta) assoc.SendOptions {
	o := assoc.SendOptions{Stream: m.stream, PPID: m.ppid, Unordered: m.unordered, EOR: m.eor,
		PRValue: m.pr.Value, Context: m.context, Immediate: m.immediate}
	switch m.pr.Policy {
	case PRTTL:
		o.PRPolicy = assoc.PRTTL
	case PRRtx:
		o.PRPolicy = assoc.PRRtx
	}
	return o
}

// noteEvent sees every engine event under as.mu: received data counts as
// activity for autoclose.
func (as *association) noteEvent(now time.Time, ev assoc.Event) {
	if _, ok := ev.(assoc.DataReadable); ok {
		as.lastUse = now
	}
}

// initData sets up a new association's data path for the socket's
// upcalls (not yet shared, so no lock): the send upcall's sb_threshold.
func (as *association) initData(up *Upcalls) {
	if up.Send != nil {
		as.a.SetSendThreshold(max(up.SendThreshold, 1))
	}
}

// sendLocked hands a message to the engine. Called with as.mu held.
func (as *association) sendLocked(now time.Time, data []byte, m sendMeta) error {
	if limit := as.a.Config().SendBufferSize; limit > 0 && len(data) > limit {
		return errorf(ErrMessageTooLarge, strconv.Itoa(len(data))+" bytes exceed the send buffer of "+strconv.Itoa(limit))
	}
	err := as.a.Send(now, data, engineOptions(m))
	switch {
	case err == nil:
		as.lastUse = now
		return nil
	case errors.Is(err, assoc.ErrSendBufferFull):
		return errSendBufferFull
	case errors.Is(err, assoc.ErrMessageTooLarge):
		return errorf(ErrMessageTooLarge, err.Error())
	case errors.Is(err, assoc.ErrInvalidStream), errors.Is(err, assoc.ErrEmptyMessage):
		return errorf(ErrInvalidArgument, err.Error())
	case errors.Is(err, assoc.ErrNotEstablished), errors.Is(err, assoc.ErrClosed):
		return errorf(ErrShutdown, err.Error())
	}
	return err
}

// recvLocked copies the next message piece. Called with as.mu held.
func (as *association) recvLocked(buf []byte) (int, recvMeta, error) {
	n, ri, err := as.a.Recv(buf)
	if err != nil {
		return 0, recvMeta{}, errNoData
	}
	return n, recvMeta{stream: ri.Stream, ssn: ri.SSN, ppid: ri.PPID, tsn: ri.TSN, cumTSN: ri.CumTSN,
		unordered: ri.Unordered, eor: ri.EOR}, nil
}

// readableLocked reports a deliverable message. Called with as.mu held.
func (as *association) readableLocked() bool { return as.a.Readable() }

// nextLen returns the length of the next deliverable piece, 0 if none.
func (as *association) nextLen() int {
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.a.NextMessageLen()
}

// unreadData reports received data not read yet.
func (as *association) unreadData() bool {
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.a.Readable()
}

// sendSpace returns the free room of the send buffer.
func (as *association) sendSpace() int {
	as.mu.Lock()
	defer as.mu.Unlock()
	limit := as.a.Config().SendBufferSize
	if limit <= 0 {
		return 1 << 30
	}
	return max(limit-as.a.BufferedAmount(), 0)
}

// buffered returns the bytes queued or in flight, not acknowledged, of
// every stream (stream < 0) or of one.
func (as *association) buffered(stream int) int {
	as.mu.Lock()
	defer as.mu.Unlock()
	if stream < 0 {
		return as.a.BufferedAmount()
	}
	return as.a.StreamBufferedAmount(uint16(stream))
}

// queueBeforeUp keeps a message until COMM_UP (socket lock held), within
// the send buffer.
func (as *association) queueBeforeUp(data []byte, m sendMeta) error {
	if len(data) == 0 {
		return errorf(ErrInvalidArgument, "empty message")
	}
	if as.preUp == nil {
		as.preUp = &preUpQueue{}
	}
	q := as.preUp
	cfg := as.config()
	if cfg.MaxMessageSize > 0 && len(data) > cfg.MaxMessageSize {
		return errorf(ErrMessageTooLarge, strconv.Itoa(len(data))+" bytes, limit "+strconv.Itoa(cfg.MaxMessageSize))
	}
	limit := cfg.SendBufferSize
	if limit > 0 && q.len+len(data) > limit {
		if len(data) > limit {
			return errorf(ErrMessageTooLarge, strconv.Itoa(len(data))+" bytes exceed the send buffer")
		}
		return ErrWouldBlock
	}
	q.msgs = append(q.msgs, pendingMsg{data: append([]byte(nil), data...), m: m})
	q.len += len(data)
	return nil
}

// sendPreUpLocked sends the messages kept until COMM_UP (socket lock held).
func (s *Socket) sendPreUpLocked(as *association, fx *effects) {
	if as.preUp == nil {
		return
	}
	msgs := as.preUp.msgs
	as.preUp = nil
	now := s.st.now()
	as.mu.Lock()
	var failed []pendingMsg
	var errs []error
	for _, pm := range msgs {
		if err := as.sendLocked(now, pm.data, pm.m); err != nil {
			failed = append(failed, pm)
			errs = append(errs, err)
		}
	}
	as.collect(now)
	as.mu.Unlock()
	for i, pm := range failed {
		s.notifyLocked(as, sendFailedNotification(as, pm.data, pm.m, false, errs[i]), fx)
	}
}

// failPreUpLocked reports the messages kept for an association that never
// came up as SEND_FAILED_EVENTs (socket lock held).
func (s *Socket) failPreUpLocked(as *association, err error) {
	if as.preUp == nil {
		return
	}
	for _, pm := range as.preUp.msgs {
		s.notifyLocked(as, sendFailedNotification(as, pm.data, pm.m, false, err), nil)
	}
	as.preUp = nil
}

func sendFailedNotification(as *association, data []byte, m sendMeta, sent bool, err error) SendFailedEvent {
	flags := DataUnsent
	if sent {
		flags = DataSent
	}
	info := SendInfo{Stream: m.stream, PPID: m.ppid, Context: m.context, AssocID: as.id}
	if m.unordered {
		info.Flags |= FlagUnordered
	}
	if m.eor {
		info.Flags |= FlagEOR
	}
	return SendFailedEvent{Flags: flags, Info: info, AssocID: as.id, Data: data, Err: err}
}

// handleDataEventLocked handles the engine's data events: DataReadable,
// SendSpaceAvailable, SendFailed, PartialDeliveryAborted, SenderDry.
func (s *Socket) handleDataEventLocked(as *association, ev assoc.Event, fx *effects) {
	switch e := ev.(type) {
	case assoc.DataReadable:
		if s.closed || as.inRQ {
			return
		}
		if s.rdShut {
			s.discardLocked(as)
			return
		}
		as.inRQ = true
		s.rq.push(readItem{as: as})
	case assoc.SendSpaceAvailable:
		as.spaceSeq++
		fx.sendCB, fx.sendFree = true, e.Free
	case assoc.SendFailed:
		o := e.Opts
		m := sendMeta{stream: o.Stream, ppid: o.PPID, context: o.Context, unordered: o.Unordered, eor: o.EOR}
		err := e.Err
		switch {
		case errors.Is(err, assoc.ErrAbandoned):
			err = errorf(ErrMessageAbandoned, err.Error())
		case fx.endErr != nil:
			err = fx.endErr // the engine reports failed messages before the end itself
		case as.endErr != nil:
			err = as.endErr
		case errors.Is(err, assoc.ErrClosed):
			err = errorf(ErrConnAborted, err.Error())
		}
		s.notifyLocked(as, sendFailedNotification(as, e.Data, m, e.Sent, err), fx)
	case assoc.PartialDeliveryAborted:
		s.notifyLocked(as, PartialDeliveryEvent{Indication: PartialDeliveryAborted, Stream: uint32(e.Stream),
			Seq: uint32(e.SSN), AssocID: as.id}, fx)
	case assoc.SenderDry:
		s.notifyLocked(as, SenderDryEvent{AssocID: as.id}, fx)
	}
}

// discardLocked reads and drops what as received (after Shutdown(ShutRD)),
// which reopens the peer's window.
func (s *Socket) discardLocked(as *association) {
	var scratch [2048]byte
	now := s.st.now()
	as.mu.Lock()
	for as.a.Readable() {
		if _, _, err := as.a.Recv(scratch[:]); err != nil {
			break
		}
	}
	as.collect(now)
	as.mu.Unlock()
}

// applyDataConfig copies the socket options the data path reads into an
// engine configuration.
func applyDataConfig(cfg *assoc.Config, o *sockOptions) {
	cfg.NoDelay = o.noDelay
	cfg.PartialDeliveryPoint = int(o.pdPoint)
	if o.rcvBuf > 0 {
		cfg.ReceiveBufferSize = o.rcvBuf
	}
	if o.sndBuf > 0 {
		cfg.SendBufferSize = o.sndBuf
	}
}

// status returns SCTP_STATUS (socket lock held).
func (as *association) status() Status {
	as.mu.Lock()
	defer as.mu.Unlock()
	st := as.a.Status()
	ps := PathActive
	if as.unreachable {
		ps = PathInactive
	}
	return Status{
		AssocID: as.id, State: assocState(st.State), RWnd: st.RWnd,
		UnackedData: st.UnackedData, PendingData: st.PendingData,
		InStreams: st.InStreams, OutStreams: st.OutStreams,
		FragmentationPoint: uint32(st.FragmentationPoint),
		Primary: PeerAddrInfo{Address: as.peer(), AssocID: as.id, State: ps, Cwnd: st.Cwnd,
			SRTT: st.SRTT, RTO: st.RTO, MTU: uint32(st.MTU)},
	}
}

// stats fills SCTP_GET_ASSOC_STATS (socket lock held).
func (as *association) stats(o *AssocStats) error {
	as.mu.Lock()
	st := as.a.Stats()
	as.mu.Unlock()
	*o = AssocStats{
		AssocID: as.id, ObsRTOAddr: as.peer(), MaxRTO: st.MaxRTO,
		ISacks: st.ISacks, OSacks: st.OSacks, OPackets: st.OPackets, IPackets: st.IPackets,
		RtxChunks: st.RtxChunks, OutOfSeqTSN: st.OutSeqTSNs, IDupChunks: st.IDupChunks, GapCnt: st.GapCnt,
		OUODChunks: st.OUODChunks, IUODChunks: st.IUODChunks, OODChunks: st.ODChunks, IODChunks: st.IDChunks,
		OCtrlChunks: st.OCtrlChunks, ICtrlChunks: st.ICtrlChunks,
	}
	return nil
}

// peerRwndLocked returns the peer's receive window (as.mu held).
func (as *association) peerRwndLocked() uint32 { return as.a.Status().RWnd }
