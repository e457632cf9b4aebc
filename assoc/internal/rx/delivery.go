package rx

// RecvInfo describes what Read returned (the SCTP_RCVINFO of RFC 6458
// §5.3.5). The engine adds the cumulative TSN ack for assoc.RecvInfo.
type RecvInfo struct {
	Stream uint16
	SSN    uint16 // the SSN (DATA) or the low 16 bits of the MID (I-DATA)
	MID    uint32 // the MID (I-DATA) or the SSN (DATA)
	PPID   uint32
	TSN    uint32 // TSN of the first fragment
	// Unordered is the U flag of the message.
	Unordered bool
	// EOR is set on the last piece of a message (MSG_EOR). It is false when
	// buf was too short or the message is being partially delivered: the
	// rest of the same message comes from the next Read calls, unless a
	// PartialDeliveryAborted is reported for it.
	EOR bool
}

// PartialDeliveryAborted reports that a message handed out in pieces will
// not be completed (SCTP_PARTIAL_DELIVERY_ABORTED, RFC 6458 §6.1.7): a
// FORWARD TSN abandoned it (RFC 3758 §3.6) or the association ended.
// Pieces already queued stay readable; the last one has EOR false.
type PartialDeliveryAborted struct {
	Stream    uint16
	SSN       uint16 // SSN, or the low 16 bits of the MID
	MID       uint32
	Unordered bool
}

// msgQueue is a FIFO of messages for the reader.
type msgQueue struct {
	q    []*message
	head int
}

func (q *msgQueue) len() int { return len(q.q) - q.head }

func (q *msgQueue) front() *message {
	if q.head == len(q.q) {
		return nil
	}
	return q.q[q.head]
}

func (q *msgQueue) push(m *message) {
	if q.head > 32 && q.head*2 >= len(q.q) {
		n := copy(q.q, q.q[q.head:])
		clear(q.q[n:])
		q.q, q.head = q.q[:n], 0
	}
	q.q = append(q.q, m)
}

func (q *msgQueue) pop() {
	q.q[q.head] = nil
	q.head++
	if q.head == len(q.q) {
		q.q, q.head = q.q[:0], 0
	}
}

// deliver queues a complete message for the reader, or holds it while a
// partial delivery is in progress (interleave level 0).
func (r *Reassembly) deliver(m *message) {
	if r.pdMsg != nil {
		r.waiting = append(r.waiting, m)
		return
	}
	r.queue.push(m)
}

// complete handles a message that just became complete and left the
// reassembly maps.
func (r *Reassembly) complete(m *message) {
	if m.pd {
		r.pdDone(m)
		return
	}
	r.deliver(m)
}

// maybePD starts a partial delivery of m, the next deliverable message of
// its stream (or an unordered one), when its leading run from B reached the
// partial delivery point, or when the window is full and nothing is
// readable (§6.9: "dispatch part of its inbound message through a partial
// delivery API, freeing some of its receive buffer space").
func (r *Reassembly) maybePD(m *message) {
	if r.pdMsg != nil || m.pd || m.contig == 0 {
		return
	}
	if m.contigBytes >= r.pdPoint || r.windowBlocked() {
		r.startPD(m)
	}
}

// windowBlocked reports a closed window the reader cannot reopen.
func (r *Reassembly) windowBlocked() bool {
	return r.held >= r.cfg.ReceiveBufferSize && r.queue.len() == 0
}

// pdScan picks the message to partially deliver when the window is
// blocked: the deliverable message with the longest run from B (ties: the
// lowest first TSN, so the choice does not depend on map order).
func (r *Reassembly) pdScan() {
	var best *message
	better := func(m *message) {
		if m == nil || m.complete || m.contig == 0 {
			return
		}
		if best == nil || m.contigBytes > best.contigBytes ||
			m.contigBytes == best.contigBytes && seqLess(m.firstTSN, best.firstTSN) {
			best = m
		}
	}
	for _, st := range r.streams {
		better(st.ordered[st.next])
		for _, m := range st.unordered {
			better(m)
		}
	}
	for _, m := range r.runFirst {
		better(m)
	}
	if best != nil {
		r.startPD(best)
	}
}

// startPD hands m's leading run to the reader now; the rest follows as it
// arrives.
func (r *Reassembly) startPD(m *message) {
	m.pd = true
	r.queue.push(m)
	r.pdMsg = m
}

// pdDone ends the partial delivery of m, now complete; what completed
// meanwhile is queued behind it.
func (r *Reassembly) pdDone(m *message) {
	if r.pdMsg == m {
		r.pdMsg = nil
		r.flushWaiting()
	}
}

func (r *Reassembly) flushWaiting() {
	for i, m := range r.waiting {
		r.queue.push(m)
		r.waiting[i] = nil
	}
	r.waiting = r.waiting[:0]
}

// discard drops a message that can never complete. One being partially
// delivered keeps its delivered run readable and is reported aborted.
func (r *Reassembly) discard(m *message) {
	if m.pd {
		r.abortPD(m)
		return
	}
	r.recycle(m)
}

// abortPD cuts the partial delivery of m: the fragments past its run are
// freed, the reader gets what was released, and the event is queued.
func (r *Reassembly) abortPD(m *message) {
	for i := m.contig; i < len(m.frags); i++ {
		r.release(m.frags[i].b)
		m.frags[i].b = nil
	}
	m.frags = m.frags[:m.contig]
	m.aborted = true
	r.aborts = append(r.aborts, PartialDeliveryAborted{
		Stream: m.stream, SSN: uint16(m.id), MID: m.id, Unordered: m.unordered,
	})
	if r.pdMsg == m {
		r.pdMsg = nil
		r.flushWaiting()
	}
	r.trimHead()
}

// PollPartialDeliveryAborted returns the next partial delivery abort, in
// the order they happened.
func (r *Reassembly) PollPartialDeliveryAborted() (PartialDeliveryAborted, bool) {
	if len(r.aborts) == 0 {
		return PartialDeliveryAborted{}, false
	}
	a := r.aborts[0]
	n := copy(r.aborts, r.aborts[1:])
	r.aborts = r.aborts[:n]
	return a, true
}

// Readable reports whether Read would return data.
func (r *Reassembly) Readable() bool {
	m := r.queue.front()
	return m != nil && m.available() > 0
}

// NextMessageLen returns the bytes Read can return for the next message
// (or piece of a partially delivered one) with a large enough buffer, 0
// when nothing is readable.
func (r *Reassembly) NextMessageLen() int {
	if m := r.queue.front(); m != nil {
		return m.available()
	}
	return 0
}

// Read copies the next message into buf and frees its window. If buf is
// too short, or the message is being partially delivered, it copies what
// fits (or what has arrived) with info.EOR false, and the rest of the same
// message comes from the next calls. ok is false when nothing is
// readable. A zero-length buf returns ok with n 0 and takes nothing.
func (r *Reassembly) Read(buf []byte) (n int, info RecvInfo, ok bool) {
	m := r.queue.front()
	if m == nil || m.available() == 0 {
		return 0, RecvInfo{}, false
	}
	info = RecvInfo{Stream: m.stream, SSN: uint16(m.id), MID: m.id, PPID: m.ppid, TSN: m.firstTSN, Unordered: m.unordered}
	for n < len(buf) && m.rd < m.contig {
		fr := &m.frags[m.rd]
		c := copy(buf[n:], fr.b[m.off:])
		n += c
		m.off += c
		m.readBytes += c
		if m.off == len(fr.b) {
			r.release(fr.b)
			fr.b = nil
			m.rd++
			m.off = 0
		}
	}
	if m.available() == 0 && (m.complete || m.aborted) {
		info.EOR = m.complete
		r.queue.pop()
		r.recycle(m)
		r.trimHead()
	} else if m.rd >= 32 && 2*m.rd >= len(m.frags) {
		m.compact()
	}
	return n, info, true
}

// trimHead drops aborted partial deliveries the reader has fully read.
func (r *Reassembly) trimHead() {
	for m := r.queue.front(); m != nil && m.aborted && m.available() == 0; m = r.queue.front() {
		r.queue.pop()
		r.recycle(m)
	}
}
