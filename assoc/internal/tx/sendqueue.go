package tx

import (
	"errors"
	"time"
)

// Errors of SendQueue.Add.
var (
	// ErrBufferFull: the message does not fit in the send buffer; nothing
	// was queued.
	ErrBufferFull = errors.New("sctp: send buffer full")
	// ErrEmptyMessage: a message without data (RFC 9260 §6.2 forbids DATA
	// chunks without user data).
	ErrEmptyMessage = errors.New("sctp: empty message")
)

// Scheduler selects the stream scheduler (RFC 8260 §3).
type Scheduler uint8

const (
	// RoundRobin cycles over the streams with data (RFC 8260 §3.2): one
	// message per turn with DATA, one chunk per turn with I-DATA. A stream
	// never waits behind another stream's backlog.
	RoundRobin Scheduler = iota
	// FCFS sends messages in the order they were queued (RFC 8260 §3.1).
	FCFS
)

// minFragment is the smallest fragment cut to fill the rest of a packet; a
// message that must be fragmented anyway is split at the room left in the
// packet rather than leaving the room empty.
const minFragment = 64

// stream is the send state of one outbound stream.
type stream struct {
	id         uint16
	head, tail *message // queued messages (RoundRobin)
	open       *message // message waiting for its EOR (explicit EOR)
	// dropUntilEOR: the open message was abandoned; the calls that
	// would have extended it are dropped up to its EOR.
	dropUntilEOR bool
	buffered     int
	nextSSN      uint32 // SSN (DATA) or MID (I-DATA) of the next ordered message (§6.5)
	nextUMID     uint32 // MID of the next unordered message (I-DATA)

	prev, next *stream // ring of streams with queued messages (RoundRobin)
	active     bool
}

// SendQueue holds the user messages not yet fully fragmented into chunks,
// per stream, and decides which stream sends next (RFC 8260 §3). It also
// keeps the buffered amount (queued plus unacknowledged bytes), per stream
// and in total, against the send buffer limit, and the send-space signal
// (usrsctp's sb_threshold).
type SendQueue struct {
	s       *Sender
	streams map[uint16]*stream
	last    *stream // lookup cache

	cur    *stream // RoundRobin: the stream whose turn it is
	locked *stream // DATA: the stream whose message is being fragmented
	fifo   struct{ head, tail *message }

	buffered int // bytes queued or unacknowledged
	unsent   int // bytes not yet fragmented

	limit     int
	threshold int
	need      int  // free space that raises the signal
	armed     bool // free space is below need
	signal    bool // free space rose to need since the last PopSpaceSignal
}

func (q *SendQueue) init(s *Sender, limit int) {
	*q = SendQueue{s: s, limit: limit} // streams is made on first use
}

// find returns the state of stream id, nil when it has none.
func (q *SendQueue) find(id uint16) *stream {
	if q.last != nil && q.last.id == id {
		return q.last
	}
	return q.streams[id]
}

// stream returns the state of stream id, made on first use.
func (q *SendQueue) stream(id uint16) *stream {
	if q.last != nil && q.last.id == id {
		return q.last
	}
	st := q.streams[id]
	if st == nil {
		st = &stream{id: id}
		if q.streams == nil {
			q.streams = make(map[uint16]*stream)
		}
		q.streams[id] = st
	}
	q.last = st
	return st
}

// Add queues data for opts.Stream: a new message, or the continuation of
// the stream's open message (explicit EOR). The data is copied. It fails
// with ErrBufferFull, queueing nothing, when the send buffer would
// overflow.
func (q *SendQueue) Add(now time.Time, data []byte, opts MessageOptions) error {
	st := q.stream(opts.Stream)
	if st.dropUntilEOR {
		if opts.EOR {
			st.dropUntilEOR = false
		}
		return nil
	}
	n := len(data)
	m := st.open
	if m == nil && n == 0 {
		if opts.EOR {
			return ErrEmptyMessage
		}
		return nil
	}
	if q.limit > 0 && q.buffered+n > q.limit {
		q.arm(max(q.threshold, min(n, q.limit)))
		return ErrBufferFull
	}
	if m == nil {
		m = q.s.newMessage(n)
		m.opts = opts
		if opts.Policy == PRTTL {
			m.expires = now.Add(time.Duration(opts.PRValue) * time.Millisecond)
		}
		q.enqueue(st, m)
		if !opts.EOR {
			st.open = m
		}
	} else {
		q.s.grow(m, n)
		m.opts.Immediate = opts.Immediate
	}
	m.buf = append(m.buf, data...)
	m.pending += n
	st.buffered += n
	q.buffered += n
	q.unsent += n
	if opts.EOR {
		m.complete = true
		m.opts.EOR = true
		st.open = nil
	}
	if q.threshold > 0 {
		q.arm(q.threshold)
	}
	return nil
}

// enqueue appends m to its stream (RoundRobin) or to the FIFO (FCFS).
func (q *SendQueue) enqueue(st *stream, m *message) {
	m.queued = true
	if q.s.cfg.Scheduler == FCFS {
		if q.fifo.tail == nil {
			q.fifo.head = m
		} else {
			q.fifo.tail.next = m
		}
		q.fifo.tail = m
		return
	}
	if st.tail == nil {
		st.head = m
	} else {
		st.tail.next = m
	}
	st.tail = m
	if !st.active {
		q.activate(st)
	}
}

// activate puts st in the ring just before the current stream, so it gets
// its turn after every stream already waiting.
func (q *SendQueue) activate(st *stream) {
	st.active = true
	if q.cur == nil {
		st.prev, st.next = st, st
		q.cur = st
		return
	}
	p := q.cur.prev
	st.prev, st.next = p, q.cur
	p.next = st
	q.cur.prev = st
}

func (q *SendQueue) deactivate(st *stream) {
	st.active = false
	if st.next == st {
		q.cur = nil
	} else {
		st.prev.next = st.next
		st.next.prev = st.prev
		if q.cur == st {
			q.cur = st.next
		}
	}
	st.prev, st.next = nil, nil
}

// dequeue removes m, the head of its stream (or of the FIFO): it was fully
// fragmented or abandoned.
func (q *SendQueue) dequeue(m *message) {
	st := q.stream(m.opts.Stream)
	m.queued = false
	if q.s.cfg.Scheduler == FCFS {
		q.fifo.head = m.next
		if q.fifo.head == nil {
			q.fifo.tail = nil
		}
	} else {
		st.head = m.next
		if st.head == nil {
			st.tail = nil
			q.deactivate(st)
		}
	}
	m.next = nil
	if q.locked == st {
		q.locked = nil
	}
}

// ready reports whether m can produce a chunk: complete messages always;
// a message still growing only a full chunk at a time.
func (q *SendQueue) ready(m *message) bool {
	u := m.unsent()
	return u > 0 && (m.complete || u >= q.s.maxPayload)
}

// pick returns the message the scheduler sends from next, or nil.
func (q *SendQueue) pick() *message {
	if q.s.cfg.Scheduler == FCFS {
		if m := q.fifo.head; m != nil && q.ready(m) {
			return m
		}
		return nil
	}
	if q.locked != nil {
		// §6.9: the fragments of a DATA message take consecutive TSNs.
		if m := q.locked.head; q.ready(m) {
			return m
		}
		return nil
	}
	if q.cur == nil {
		return nil
	}
	st := q.cur
	for {
		if q.ready(st.head) {
			q.cur = st
			return st.head
		}
		st = st.next
		if st == q.cur {
			return nil
		}
	}
}

// continuing reports that the next chunk continues a message already
// started.
func (q *SendQueue) continuing() bool {
	m := q.pick()
	return m != nil && m.started()
}

// produce cuts the next chunk, of at most room bytes of user data and
// never more than rwnd (SWS avoidance: messages are not split to fit the
// peer's window), from the message the scheduler picks. Messages whose
// lifetime expired before they were fully sent are abandoned on the way
// (RFC 3758 §4.1). ok is false when nothing can be sent in this room.
func (q *SendQueue) produce(now time.Time, room, rwnd int) (c Chunk, ok bool) {
	for {
		m := q.pick()
		if m == nil {
			return c, false
		}
		if q.s.expired(m, now) {
			q.s.abandon(m)
			continue
		}
		mp := q.s.maxPayload
		u := m.unsent()
		size := min(u, mp)
		if size > room {
			if (u <= mp && m.complete) || room < minFragment {
				return c, false // whole in the next packet
			}
			size = room // fragmented anyway: fill this packet
		}
		if size > rwnd {
			return c, false
		}
		return q.cut(m, size), true
	}
}

// cut makes the chunk for the next size bytes of m.
func (q *SendQueue) cut(m *message, size int) Chunk {
	st := q.stream(m.opts.Stream)
	first := !m.started()
	if first {
		// §6.5, RFC 8260 §2.1: SSNs and MIDs are assigned per stream in
		// send order, on the first fragment; unordered DATA carry none.
		switch {
		case !m.opts.Unordered:
			m.mid = st.nextSSN
			st.nextSSN++
			if !q.s.cfg.IData {
				st.nextSSN &= 0xFFFF
			}
		case q.s.cfg.IData:
			m.mid = st.nextUMID
			st.nextUMID++
		}
	}
	c := Chunk{
		Stream:    m.opts.Stream,
		PPID:      m.opts.PPID,
		Unordered: m.opts.Unordered,
		Beginning: first,
		Data:      m.buf[m.off : m.off+size : m.off+size],
		msg:       m,
	}
	if q.s.cfg.IData {
		c.MID, c.FSN = m.mid, m.fsn
		m.fsn++
	} else {
		c.SSN = uint16(m.mid)
	}
	m.off += size
	q.unsent -= size
	last := m.complete && m.off == len(m.buf)
	if last {
		c.Ending = true
		c.Immediate = m.opts.Immediate
		q.dequeue(m)
		if q.cur != nil && q.cur == st && q.s.cfg.Scheduler == RoundRobin {
			q.cur = st.next // next message, next stream (RFC 8260 §3.2)
		}
	} else if q.s.cfg.IData {
		if q.cur == st {
			q.cur = st.next // I-DATA: round robin per chunk (RFC 8260 §3.2)
		}
	} else {
		q.locked = st
	}
	return c
}

// release subtracts n acknowledged or abandoned bytes from the buffered
// amounts.
func (q *SendQueue) release(id uint16, n int) {
	if n == 0 {
		return
	}
	q.stream(id).buffered -= n
	q.buffered -= n
	if q.armed && q.free() >= q.need {
		q.armed = false
		q.signal = true
	}
}

func (q *SendQueue) free() int { return q.limit - q.buffered }

// arm raises the signal once free space reaches need.
func (q *SendQueue) arm(need int) {
	if q.limit <= 0 || need <= 0 {
		return
	}
	if q.armed {
		need = max(need, q.need)
	}
	if q.free() < need {
		q.need, q.armed = need, true
	}
}

// Buffered returns the bytes queued or sent and not yet acknowledged.
func (q *SendQueue) Buffered() int { return q.buffered }

// StreamBuffered returns Buffered for one stream.
func (q *SendQueue) StreamBuffered(id uint16) int {
	if st := q.find(id); st != nil {
		return st.buffered
	}
	return 0
}

// OpenLen returns the bytes of the stream's open message (explicit EOR),
// 0 when it has none.
func (q *SendQueue) OpenLen(id uint16) int {
	if st := q.find(id); st != nil && st.open != nil {
		return len(st.open.buf)
	}
	return 0
}

// Unsent returns the bytes not yet cut into chunks.
func (q *SendQueue) Unsent() int { return q.unsent }

// SetThreshold sets the free space at which PopSpaceSignal reports
// (usrsctp's sb_threshold); 0 reports only after ErrBufferFull.
func (q *SendQueue) SetThreshold(n int) {
	q.threshold = max(n, 0)
	q.arm(q.threshold)
}

// PopSpaceSignal reports, once, that the free send space rose to the
// threshold (or to the size of a message refused with ErrBufferFull).
func (q *SendQueue) PopSpaceSignal() (free int, ok bool) {
	if !q.signal {
		return 0, false
	}
	q.signal = false
	return q.free(), true
}

// NextSSN returns the SSN (or MID) the next ordered message on stream id
// gets.
func (q *SendQueue) NextSSN(id uint16) uint32 {
	if st := q.find(id); st != nil {
		return st.nextSSN
	}
	return 0
}
