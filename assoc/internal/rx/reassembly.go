package rx

// Reassembly turns DATA and I-DATA fragments into user messages and hands
// them to the reader (RFC 9260 §6.5, §6.6, §6.9; RFC 8260 §2.2.3):
//
//   - DATA fragments of a message have consecutive TSNs and share the SSN;
//     I-DATA fragments share the MID and are ordered by FSN.
//   - Ordered messages are delivered per stream in SSN (or MID) order;
//     streams never block each other. Unordered messages are delivered as
//     soon as they are complete.
//   - Each payload is copied once, into a pooled buffer that returns to the
//     pool when Read has copied it out.
//   - A message whose leading bytes reach the partial delivery point, or
//     that holds a full window while nothing else is readable, is handed
//     out in pieces (EOR false) before it is complete. While one is, no
//     other message is delivered: its pieces are read back to back
//     (RFC 6458 §8.1.20 fragment interleave level 0).
//   - a_rwnd = ReceiveBufferSize - held bytes (window.go), and held bytes
//     beyond Config.ReassemblyLimit make Add fail with a *LimitError.
//
// A Reassembly is not safe for concurrent use.
type Reassembly struct {
	cfg     Config
	idata   bool
	pdPoint int
	// inbound bounds the stream IDs of FORWARD TSN entries acted upon
	// (Receiver sets it to the negotiated inbound streams).
	inbound int

	streams map[uint16]*inStream
	lastSID uint16
	last    *inStream

	// Unordered DATA messages being reassembled, by their first and last
	// TSN (runs.go).
	runFirst, runLast map[uint32]*message

	queue   msgQueue   // messages (and partial deliveries) for the reader
	waiting []*message // completed during a partial delivery
	pdMsg   *message   // the message being partially delivered, until complete

	held     int // bytes held: payload (+ ChunkOverhead) of every stored fragment
	pool     bufPool
	freeMsgs []*message
	aborts   []PartialDeliveryAborted
	scratch  []*message
	closed   bool // Abort was called: new fragments are dropped
}

// maxFreeMsgs bounds the recycled message structs kept.
const maxFreeMsgs = 1024

// NewReassembly returns an empty Reassembly. idata selects I-DATA
// (RFC 8260) fragments instead of DATA ones, as negotiated.
func NewReassembly(cfg Config, idata bool) *Reassembly {
	cfg = cfg.Normalized()
	r := &Reassembly{cfg: cfg, idata: idata, pdPoint: cfg.PartialDeliveryPoint, inbound: 1 << 16}
	r.pool.maxRetained = cfg.ReceiveBufferSize
	return r
}

// IData reports whether r takes I-DATA fragments.
func (r *Reassembly) IData() bool { return r.idata }

// Add stores a fragment whose TSN the DataTracker accepted as new, and
// delivers what it completes. It copies f.Payload.
//
// Errors: ErrChunkMismatch (DATA on an I-DATA association or the reverse),
// ErrNoUserData, and *LimitError when the held bytes would pass
// Config.ReassemblyLimit; the engine aborts the association on each. A
// fragment that cannot belong to any message (a second B for one SSN, an
// SSN already delivered, ...) is dropped without error.
func (r *Reassembly) Add(f *Fragment) error {
	if f.IData != r.idata {
		return ErrChunkMismatch
	}
	n := len(f.Payload)
	if n == 0 {
		return ErrNoUserData
	}
	charge := n + r.cfg.ChunkOverhead
	if r.held+charge > r.cfg.ReassemblyLimit {
		return &LimitError{TSN: f.TSN, Stream: f.Stream, Size: charge, Held: r.held, Limit: r.cfg.ReassemblyLimit}
	}
	if r.closed {
		return nil
	}
	switch {
	case f.Unordered && !r.idata && !(f.Beginning && f.Ending):
		r.addRun(f)
	case f.Unordered:
		r.addUnordered(f)
	default:
		r.addOrdered(f)
	}
	if r.pdMsg == nil && r.windowBlocked() {
		r.pdScan()
	}
	return nil
}

// addOrdered handles an ordered fragment (§6.6): a message is delivered
// when it is complete and its SSN (MID) is the next one of its stream.
func (r *Reassembly) addOrdered(f *Fragment) {
	st := r.stream(f.Stream)
	id := r.fragID(f)
	if r.idLess(id, st.next) {
		return // that SSN was delivered or skipped already
	}
	m := st.ordered[id]
	if m == nil && f.Beginning && f.Ending && id == st.next && len(st.ordered) == 0 {
		// Fast path: the next message of the stream in one fragment.
		m = r.single(f, id)
		r.deliver(m)
		st.next = r.nextID(st.next)
		return
	}
	fresh := m == nil
	if fresh {
		m = r.newMsg(f, id)
	} else if m.complete {
		return
	}
	if !r.store(m, f) {
		if fresh {
			r.recycle(m)
		}
		return
	}
	if fresh {
		if st.ordered == nil {
			st.ordered = make(map[uint32]*message)
		}
		st.ordered[id] = m
	}
	if id != st.next {
		return
	}
	if m.complete {
		r.drain(st)
	} else {
		r.maybePD(m)
	}
}

// addUnordered handles an unordered DATA fragment that is a whole message
// and every unordered I-DATA fragment (keyed by MID, RFC 8260 §2.2.3).
func (r *Reassembly) addUnordered(f *Fragment) {
	if f.Beginning && f.Ending {
		r.deliver(r.single(f, r.fragID(f)))
		return
	}
	st := r.stream(f.Stream)
	m := st.unordered[f.MID]
	fresh := m == nil
	if fresh {
		m = r.newMsg(f, f.MID)
	}
	if !r.store(m, f) {
		if fresh {
			r.recycle(m)
		}
		return
	}
	if m.complete {
		if !fresh {
			delete(st.unordered, f.MID)
		}
		r.complete(m)
		return
	}
	if fresh {
		if st.unordered == nil {
			st.unordered = make(map[uint32]*message)
		}
		st.unordered[f.MID] = m
	}
	r.maybePD(m)
}

// fragID returns the ordering identifier of f: its SSN or MID.
func (r *Reassembly) fragID(f *Fragment) uint32 {
	if r.idata {
		return f.MID
	}
	return uint32(f.SSN)
}

// fragSeq returns the sequence number that orders f within its message.
func (r *Reassembly) fragSeq(f *Fragment) uint32 {
	if r.idata {
		return f.FSN
	}
	return f.TSN
}

// newMsg returns an empty message for f's stream.
func (r *Reassembly) newMsg(f *Fragment, id uint32) *message {
	var m *message
	if k := len(r.freeMsgs); k > 0 {
		m = r.freeMsgs[k-1]
		r.freeMsgs[k-1] = nil
		r.freeMsgs = r.freeMsgs[:k-1]
	} else {
		m = &message{}
	}
	m.stream, m.unordered, m.id = f.Stream, f.Unordered, id
	return m
}

// single returns the complete message of a fragment with B and E set.
func (r *Reassembly) single(f *Fragment, id uint32) *message {
	m := r.newMsg(f, id)
	r.store(m, f)
	return m
}

// store copies f into m. It returns false when m refuses the fragment.
func (r *Reassembly) store(m *message, f *Fragment) bool {
	i, ok := m.add(r.fragSeq(f), f.TSN, f.Beginning, f.Ending)
	if !ok {
		return false
	}
	b := r.pool.get(len(f.Payload))
	copy(b, f.Payload)
	m.frags[i].b = b
	m.size += len(b)
	r.held += len(b) + r.cfg.ChunkOverhead
	if f.Beginning || !r.idata {
		m.ppid = f.PPID // I-DATA carries the PPID only in the B fragment
	}
	if f.Beginning && !r.idata {
		m.id = uint32(f.SSN)
	}
	m.extend()
	return true
}

// recycle returns m's remaining buffers and m itself to the pools.
func (r *Reassembly) recycle(m *message) {
	for i := m.rd; i < len(m.frags); i++ {
		if b := m.frags[i].b; b != nil {
			r.release(b)
		}
	}
	m.reset()
	if len(r.freeMsgs) < maxFreeMsgs {
		r.freeMsgs = append(r.freeMsgs, m)
	}
}

// Abort ends reassembly when the association ends: messages not complete
// (or complete but waiting for an earlier SSN) are dropped, a partial
// delivery in progress is reported aborted, and later fragments are
// ignored. Complete messages already queued stay readable.
func (r *Reassembly) Abort() {
	if r.pdMsg != nil {
		m := r.pdMsg
		r.abortPD(m)
	}
	for _, st := range r.streams {
		for id, m := range st.ordered {
			delete(st.ordered, id)
			if !m.pd {
				r.recycle(m)
			}
		}
		for id, m := range st.unordered {
			delete(st.unordered, id)
			if !m.pd {
				r.recycle(m)
			}
		}
	}
	for lo, m := range r.runFirst {
		delete(r.runFirst, lo)
		if !m.pd {
			r.recycle(m)
		}
	}
	clear(r.runLast)
	r.closed = true
}

// Reset prepares r for a restarted association (RFC 9260 §5.2.4): like
// Abort, then every stream starts again at SSN (MID) 0 and new fragments
// are accepted. Messages already queued for the reader stay readable.
func (r *Reassembly) Reset() {
	r.Abort()
	clear(r.streams)
	r.last = nil
	r.closed = false
}
