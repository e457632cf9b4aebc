package tx

import (
	"time"

	"github.com/sconnlab/sconn/wire"
)

// Config configures a Sender.
type Config struct {
	// MTU is the largest SCTP packet; DATA chunks carry at most
	// MTU - 12 - 16 bytes of user data (MTU - 12 - 20 with I-DATA).
	MTU int
	// IData: chunks are I-DATA (RFC 8260), with MIDs and FSNs.
	IData bool
	// PartialReliability: the peer supports FORWARD TSN (RFC 3758 §3.3), so
	// sent messages may be abandoned. Without it only the lifetime of
	// messages not yet sent applies.
	PartialReliability bool
	// BufferSize limits the buffered amount (sctp_sendspace); 0: no limit.
	BufferSize int
	// Scheduler is the stream scheduler.
	Scheduler Scheduler
	// InitialTSN is the TSN of the first DATA chunk (§5.1).
	InitialTSN uint32
	// PeerRwnd is the a_rwnd of the peer's INIT or INIT ACK (§6.2.1 A).
	PeerRwnd uint32
}

// Sender is the transmit side of one association: the send queue, the
// outstanding queue and the congestion control, and the pool their
// buffers come from. Make it with New; it must not be copied.
type Sender struct {
	Queue SendQueue
	Out   OutstandingQueue
	CC    CongestionControl

	cfg        Config
	hdrLen     int // DATA or I-DATA chunk header
	maxPayload int // user data bytes in a full packet
	pool       bufferPool
	poolLimit  int       // what the pool may keep: 2× the peak buffered at a SACK in the last poolWindow
	poolPeakAt time.Time // when poolLimit was set
	freeMsgs   *message  // recycled message records, at most maxFreeMsgs
	nFree      int
	failed     struct{ head, tail *message }
}

// poolWindow is how long the pool keeps what the largest recent burst
// needed (see notePoolLimit).
const poolWindow = time.Second

// notePoolLimit raises the pool's limit to limit, or lowers it to limit
// once the previous peak is older than poolWindow.
func (s *Sender) notePoolLimit(now time.Time, limit int) {
	if limit >= s.poolLimit {
		s.poolLimit, s.poolPeakAt = limit, now
	} else if now.Sub(s.poolPeakAt) > poolWindow {
		s.poolLimit, s.poolPeakAt = limit, now
		s.trimRecords()
	}
}

// maxFreeMsgs is the least number of recycled message records an
// association may keep; maxFree raises it with the pool's limit.
const maxFreeMsgs = 1024

// maxFree bounds the recycled message records: one per 128 bytes of what
// the buffer pool may keep (a burst of small messages needs one record per
// message), at least maxFreeMsgs.
func (s *Sender) maxFree() int { return max(maxFreeMsgs, s.poolLimit/128) }

// trimRecords drops recycled message records beyond maxFree.
func (s *Sender) trimRecords() {
	for s.nFree > s.maxFree() {
		m := s.freeMsgs
		s.freeMsgs, m.next = m.next, nil
		s.nFree--
	}
}

// New returns a Sender; cc is its congestion control (NewReno for the
// RFC 9260 algorithm).
func New(cfg Config, cc CongestionControl) *Sender {
	s := &Sender{cfg: cfg, CC: cc, hdrLen: wire.DataHeaderLen}
	if cfg.IData {
		s.hdrLen = wire.IDataHeaderLen
	}
	s.maxPayload = (cfg.MTU-wire.HeaderLen)&^3 - s.hdrLen
	s.Queue.init(s, cfg.BufferSize)
	s.Out.init(s, cfg.InitialTSN, cfg.PeerRwnd)
	return s
}

// MaxPayload returns the user data bytes that fit in one full packet (the
// fragmentation point).
func (s *Sender) MaxPayload() int { return s.maxPayload }

// chunkLen is the size of a chunk with n bytes of user data, padding
// included (§7.2).
func (s *Sender) chunkLen(n int) int { return (s.hdrLen + n + 3) &^ 3 }

func (s *Sender) newMessage(n int) *message {
	m := s.freeMsgs
	if m != nil {
		s.freeMsgs = m.next
		s.nFree--
		m.next = nil
	} else {
		m = &message{}
	}
	m.buf = s.pool.get(n)
	return m
}

// grow makes room for n more bytes in m. Chunks already cut keep pointing
// to the old buffer, which is retired until the message is released.
func (s *Sender) grow(m *message, n int) {
	if cap(m.buf)-len(m.buf) >= n {
		return
	}
	nb := s.pool.get(max(2*cap(m.buf), len(m.buf)+n))
	nb = append(nb, m.buf...)
	if m.started() {
		m.retired = append(m.retired, m.buf)
	} else {
		s.pool.put(m.buf, max(s.poolLimit, s.Queue.buffered))
	}
	m.buf = nb
}

// maybeFree recycles m once nothing refers to it.
func (s *Sender) maybeFree(m *message) {
	if m.refs > 0 || m.queued || m.failed {
		return
	}
	limit := max(s.poolLimit, s.Queue.buffered)
	s.pool.put(m.buf, limit)
	for i, b := range m.retired {
		s.pool.put(b, limit)
		m.retired[i] = nil
	}
	if s.nFree >= s.maxFree() {
		*m = message{}
		return
	}
	*m = message{retired: m.retired[:0], next: s.freeMsgs}
	s.freeMsgs = m
	s.nFree++
}

// expired reports whether m must be abandoned for its lifetime at now (RFC
// 3758 §4.1 TR2, TR3): a message not yet sent in any case (the base
// protocol's lifetime, RFC 9260 §11.1.5), a sent one only with PR-SCTP.
func (s *Sender) expired(m *message, now time.Time) bool {
	return m.opts.Policy == PRTTL && now.After(m.expires) &&
		(!m.started() || s.cfg.PartialReliability)
}

// abandon gives up m (RFC 3758 §3.5 A2, A3): its chunks in flight are
// abandoned together, its unsent rest leaves the queue, its bytes leave
// the buffered amount, and it goes to the failed list.
func (s *Sender) abandon(m *message) {
	if m.abandoned {
		return
	}
	m.abandoned = true
	s.Out.abandonChunks(m)
	if m.queued {
		s.Queue.unsent -= m.unsent()
		st := s.Queue.stream(m.opts.Stream)
		if st.open == m {
			st.open, st.dropUntilEOR = nil, true
		}
		s.Queue.dequeue(m)
	}
	s.Queue.release(m.opts.Stream, m.pending)
	m.pending = 0
	s.pushFailed(m)
}

func (s *Sender) pushFailed(m *message) {
	m.failed = true
	if s.failed.tail == nil {
		s.failed.head = m
	} else {
		s.failed.tail.next = m
	}
	s.failed.tail = m
}

// FailedMessage is a message that was abandoned (PR-SCTP) or that the
// association could not deliver before it ended.
type FailedMessage struct {
	Data []byte // a copy, owned by the caller
	Opts MessageOptions
	Sent bool // at least one fragment was sent
}

// PopFailed returns the next failed message, oldest first.
func (s *Sender) PopFailed() (FailedMessage, bool) {
	m := s.failed.head
	if m == nil {
		return FailedMessage{}, false
	}
	s.failed.head = m.next
	if s.failed.head == nil {
		s.failed.tail = nil
	}
	m.next = nil
	f := FailedMessage{Data: append([]byte(nil), m.buf...), Opts: m.opts, Sent: m.started()}
	m.failed = false
	s.maybeFree(m)
	return f, true
}

// FailAll gives up every message, in flight first by TSN and then queued
// in scheduler order, as when the association ends (the SEND FAILURE
// notification, RFC 9260 §11.2.2); PopFailed returns them. The Sender is
// empty afterwards.
func (s *Sender) FailAll() {
	o := &s.Out
	for t := o.base; t != o.next; t++ {
		if m := o.at(t).msg; m != nil && !m.abandoned {
			s.abandon(m)
		}
	}
	q := &s.Queue
	for {
		var m *message
		if s.cfg.Scheduler == FCFS {
			m = q.fifo.head
		} else if q.cur != nil {
			m = q.cur.head
		}
		if m == nil {
			break
		}
		s.abandon(m)
	}
	o.clear()
}

// Dry reports that nothing is queued or outstanding.
func (s *Sender) Dry() bool { return s.Queue.buffered == 0 && s.Out.Outstanding() == 0 }

// Chunk is a DATA or I-DATA chunk to put in a packet. Data points into the
// message buffer.
type Chunk struct {
	TSN       uint32
	Stream    uint16
	SSN       uint16 // DATA
	MID, FSN  uint32 // I-DATA
	PPID      uint32
	Unordered bool
	Beginning bool
	Ending    bool
	Immediate bool
	Data      []byte

	msg *message
}

// add encodes c into bld as DATA or I-DATA.
func (s *Sender) add(bld *wire.Builder, c *Chunk) {
	if s.cfg.IData {
		d := wire.IData{TSN: c.TSN, StreamID: c.Stream, MID: c.MID, PPID: c.PPID, FSN: c.FSN,
			Unordered: c.Unordered, Beginning: c.Beginning, Ending: c.Ending, Immediate: c.Immediate, UserData: c.Data}
		bld.Add(&d)
		return
	}
	d := wire.Data{TSN: c.TSN, StreamID: c.Stream, SSN: c.SSN, PPID: c.PPID,
		Unordered: c.Unordered, Beginning: c.Beginning, Ending: c.Ending, Immediate: c.Immediate, UserData: c.Data}
	bld.Add(&d)
}

// FillOptions tune one Fill.
type FillOptions struct {
	// NoDelay turns off the Nagle-like coalescing: without it, a new
	// message smaller than a full chunk waits while data is in flight,
	// unless the packet carries other chunks anyway or the bytes are the
	// rest of a message already started.
	NoDelay bool
	// Immediate sets the I bit on every new chunk (RFC 9260 §6.1: e.g. in
	// SHUTDOWN-PENDING).
	Immediate bool
}

// FillResult says what Fill put in the packet.
type FillResult struct {
	Chunks          int  // DATA chunks added
	Retransmitted   int  // of which retransmissions
	NewUnordered    int  // new chunks of unordered messages
	RetransmitLow   bool // the lowest outstanding TSN was retransmitted (§6.1: restart T3-rtx)
	ForwardTSN      bool // a FORWARD TSN (or I-FORWARD TSN) was added
	ZeroWindowProbe bool
}

// Fill adds to bld, within its size limit: a pending FORWARD TSN (RFC 3758
// F2: bundled with DATA), chunks marked for retransmission (RFC 9260 §6.1
// C: before new data, within cwnd — except the one packet of a fast
// retransmit, §7.2.4 3), then new DATA while cwnd (§6.1 B, with Max.Burst,
// D) and the peer's rwnd (§6.1 A, with a zero window probe when nothing is
// outstanding) allow.
func (s *Sender) Fill(now time.Time, bld *wire.Builder, opt FillOptions) FillResult {
	o := &s.Out
	var r FillResult
	if o.fwdPending && s.cfg.PartialReliability {
		if o.appendForwardTSN(bld) {
			r.ForwardTSN = true
		}
	}
	if o.afterT3 && o.flight > 0 {
		return r // §7.2.3: one packet in flight after a T3-rtx expiry
	}
	fast := o.fastPacket
	for o.rtxCount > 0 && (fast || s.CC.CanSend(o.flight)) {
		c, ok := o.nextRetransmit(now, s.payloadRoom(bld))
		if !ok {
			break
		}
		r.RetransmitLow = r.RetransmitLow || c.TSN == uint32(o.base)
		s.add(bld, &c)
		r.Chunks++
		r.Retransmitted++
	}
	if r.Retransmitted > 0 {
		o.fastPacket = false
	}
	if o.rtxCount > 0 {
		return r // §6.1 C: no new data while retransmissions wait
	}
	if bld.NumChunks() == 0 && s.nagle(opt.NoDelay) {
		return r // unless the packet goes out anyway
	}
	for s.CC.CanSend(o.flight) {
		rwnd := int(o.rwnd)
		probe := o.Outstanding() == 0
		if probe {
			rwnd = 1 << 30 // §6.1 A: a zero window probe when nothing is outstanding
		}
		c, ok := s.Queue.produce(now, s.payloadRoom(bld), rwnd)
		if !ok {
			break
		}
		r.ZeroWindowProbe = r.ZeroWindowProbe || (probe && len(c.Data) > int(o.rwnd))
		c.Immediate = c.Immediate || opt.Immediate
		o.add(now, &c)
		s.add(bld, &c)
		r.Chunks++
		if c.Unordered {
			r.NewUnordered++
		}
	}
	return r
}

// payloadRoom is the user data that fits in the rest of the packet.
func (s *Sender) payloadRoom(bld *wire.Builder) int {
	return max(bld.Room()&^3-s.hdrLen, 0)
}

// WantsToSend reports whether Fill would add a chunk now, the packet room
// aside: for building a packet for it and for bundling a pending SACK
// with DATA (§6.1).
func (s *Sender) WantsToSend(noDelay bool) bool {
	o := &s.Out
	if o.fwdPending && s.cfg.PartialReliability {
		return true
	}
	if o.afterT3 && o.flight > 0 {
		return false
	}
	if o.rtxCount > 0 {
		return o.fastPacket || s.CC.CanSend(o.flight)
	}
	return s.Queue.unsent > 0 && s.CC.CanSend(o.flight) && (o.rwnd > 0 || o.Outstanding() == 0) &&
		!s.nagle(noDelay)
}

// nagle reports that the Nagle-like rule holds new data back: a new
// message smaller than a full chunk waits while data is in flight; the
// rest of a message already started does not (it would wait for a delayed
// SACK).
func (s *Sender) nagle(noDelay bool) bool {
	return !noDelay && s.Out.flight > 0 && s.Queue.unsent < s.maxPayload && !s.Queue.continuing()
}

// StartBurst marks a transmission opportunity (a SACK, a timeout, a user
// send): Max.Burst counts from here (§6.1 D), and a cwnd left unused for
// an RTO or more decays (§7.2.1).
func (s *Sender) StartBurst(now time.Time, rto time.Duration) {
	o := &s.Out
	if o.flight == 0 && !o.idleSince.IsZero() && rto > 0 {
		if k := now.Sub(o.idleSince) / rto; k > 0 {
			s.CC.OnIdle(int(min(k, 64)), !o.idleDecayed)
			o.idleSince = o.idleSince.Add(k * rto)
			o.idleDecayed = true
		}
	}
	s.CC.StartBurst(o.flight)
}
