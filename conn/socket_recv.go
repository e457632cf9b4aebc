package conn

import (
	"errors"
	"io"
)

// MsgFlags are the msg_flags of RecvV and of the receive upcall.
type MsgFlags uint32

const (
	// MsgEOR marks the last (or only) piece of a message; without it the
	// rest of the message follows in the next RecvV (MSG_EOR).
	MsgEOR MsgFlags = 0x0080
	// MsgNotification marks a notification (MSG_NOTIFICATION);
	// RecvInfo.Notification holds it.
	MsgNotification MsgFlags = 0x2000
)

// RcvFlags are rcv_flags (and sinfo_flags).
type RcvFlags uint16

// RcvUnordered marks a message sent unordered (SCTP_UNORDERED).
const RcvUnordered RcvFlags = 0x0400

// RcvInfo is struct sctp_rcvinfo (RFC 6458 §5.3.5): where a message came
// from. RecvV fills it when the RecvRcvInfo option is on; the receive
// upcall always gets it.
type RcvInfo struct {
	Stream  uint16
	SSN     uint16 // stream sequence number (low bits of the MID with I-DATA)
	Flags   RcvFlags
	PPID    uint32
	TSN     uint32 // TSN of the message's first fragment
	CumTSN  uint32 // the cumulative TSN ack point when it was delivered
	Context uint32 // the association's SCTP_CONTEXT
	AssocID AssocID
}

// NxtFlags are nxt_flags.
type NxtFlags uint16

// Flags of NxtInfo (SCTP_NEXT_MSG_*).
const (
	NextMsgAvail          NxtFlags = 0x0001 // SCTP_NEXT_MSG_AVAIL
	NextMsgIsComplete     NxtFlags = 0x0002 // SCTP_NEXT_MSG_ISCOMPLETE
	NextMsgIsUnordered    NxtFlags = 0x0004 // SCTP_NEXT_MSG_IS_UNORDERED
	NextMsgIsNotification NxtFlags = 0x0008 // SCTP_NEXT_MSG_IS_NOTIFICATION
)

// NxtInfo is struct sctp_nxtinfo (RFC 6458 §5.3.6): what the next RecvV
// would return. The engine reports only the length of its next message, so
// Stream and PPID are 0 for data.
type NxtInfo struct {
	Stream  uint16
	Flags   NxtFlags
	PPID    uint32
	Length  uint32
	AssocID AssocID
}

// RecvInfo is what RecvV returns besides the bytes.
type RecvInfo struct {
	// From is the peer that sent the message.
	From Addr
	// Flags holds MsgEOR and MsgNotification.
	Flags MsgFlags
	// RcvInfo is valid when HasRcvInfo (the RecvRcvInfo option is on and
	// this is a message).
	RcvInfo    RcvInfo
	HasRcvInfo bool
	// NxtInfo is valid when HasNxtInfo (the RecvNxtInfo option is on and
	// something else is ready to read).
	NxtInfo    NxtInfo
	HasNxtInfo bool
	// Notification is set when Flags has MsgNotification.
	Notification Notification
}

// InfoType returns the infotype usrsctp_recvv would report
// (SCTP_RECVV_NOINFO 0, RCVINFO 1, NXTINFO 2, RN 3).
func (r *RecvInfo) InfoType() int {
	t := 0
	if r.HasRcvInfo {
		t |= 1
	}
	if r.HasNxtInfo {
		t |= 2
	}
	return t
}

// RecvV receives the next message or notification (usrsctp_recvv). A
// message longer than buf is returned in pieces: MsgEOR marks the last.
// Notifications (of the subscribed types) come with MsgNotification and
// n == 0, in RecvInfo.Notification. On a one-to-many socket messages of
// all its associations come in arrival order, told apart by
// RcvInfo.AssocID and From.
//
// RecvV blocks until something arrives, the read deadline passes
// (ErrTimeout) or the socket closes; a non-blocking socket returns
// ErrWouldBlock. A one-to-one socket returns io.EOF once the association
// ended gracefully (or Shutdown(ShutRD)) and everything was read, and the
// association's error if it was aborted.
func (s *Socket) RecvV(buf []byte) (int, RecvInfo, error) {
	s.mu.Lock()
	for {
		if err := s.checkOpenLocked(); err != nil {
			s.mu.Unlock()
			return 0, RecvInfo{}, opErr("recvv", 0, nil, err)
		}
		if s.rdShut {
			s.mu.Unlock()
			return 0, RecvInfo{}, io.EOF
		}
		n, info, as, err := s.recvLocked(buf)
		if err == nil {
			s.mu.Unlock()
			if as != nil {
				as.after()
			}
			return n, info, nil
		}
		if err != errEmpty {
			s.mu.Unlock()
			return 0, RecvInfo{}, opErr("recvv", 0, nil, err)
		}
		if s.typ == OneToOne {
			switch {
			case s.state == stateListening:
				s.mu.Unlock()
				return 0, RecvInfo{}, opErr("recvv", 0, nil, ErrNotConnected)
			case s.state == stateDisconnected || s.peerShut:
				var err error = io.EOF
				if s.one != nil && s.one.endErr != nil {
					err = opErr("recvv", s.one.id, nil, s.one.endErr)
				}
				s.mu.Unlock()
				return 0, RecvInfo{}, err
			case s.one == nil:
				s.mu.Unlock()
				return 0, RecvInfo{}, opErr("recvv", 0, nil, ErrNotConnected)
			}
		}
		if s.nonBlocking {
			s.mu.Unlock()
			return 0, RecvInfo{}, opErr("recvv", 0, nil, ErrWouldBlock)
		}
		if err := s.waitLocked(s.rdDeadline); err != nil {
			s.mu.Unlock()
			return 0, RecvInfo{}, opErr("recvv", 0, nil, err)
		}
	}
}

// errEmpty means the read queue holds nothing.
var errEmpty = errors.New("sctp: nothing to read")

// readItem is an entry of a socket's read queue: a notification, or a
// marker saying that association as has data to read (the data itself
// stays in the engine until RecvV copies it out).
type readItem struct {
	as *association
	n  Notification // nil for a data marker
}

// readQueue is a FIFO of read items.
type readQueue struct {
	items []readItem
	head  int
}

func (q *readQueue) len() int { return len(q.items) - q.head }

func (q *readQueue) push(it readItem) { q.items = append(q.items, it) }

func (q *readQueue) peek() *readItem {
	if q.head >= len(q.items) {
		return nil
	}
	return &q.items[q.head]
}

func (q *readQueue) pop() {
	q.items[q.head] = readItem{}
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
		if cap(q.items) > 64 {
			q.items = nil
		}
	}
}

// rotate moves the head to the tail (fairness between associations).
func (q *readQueue) rotate() {
	it := *q.peek()
	q.pop()
	q.push(it)
}

// removeMarker deletes the data marker of as, if any.
func (q *readQueue) removeMarker(as *association) {
	for i := q.head; i < len(q.items); i++ {
		if q.items[i].as == as && q.items[i].n == nil {
			q.items = append(q.items[:i], q.items[i+1:]...)
			if q.head == len(q.items) {
				q.items, q.head = q.items[:0], 0
			}
			return
		}
	}
}

// moveTo moves the items of as to dst, keeping their order.
func (q *readQueue) moveTo(dst *readQueue, as *association) {
	kept := q.items[:q.head]
	for _, it := range q.items[q.head:] {
		if it.as == as {
			dst.push(it)
		} else {
			kept = append(kept, it)
		}
	}
	for i := len(kept); i < len(q.items); i++ {
		q.items[i] = readItem{}
	}
	q.items = kept
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	}
}

// ends reports a notification after which its association delivers
// nothing more: its pending data must be read first.
func ends(n Notification) bool {
	switch n := n.(type) {
	case AssocChange:
		return n.State == CommLost || n.State == ShutdownComp
	case ShutdownEvent:
		return true
	}
	return false
}

// recvLocked takes the next item of the read queue into buf. It returns
// errEmpty when there is none. The association it read from, if any, must
// get after() once s.mu is released (its window update SACK). Called with
// s.mu held.
func (s *Socket) recvLocked(buf []byte) (int, RecvInfo, *association, error) {
	for {
		it := s.rq.peek()
		if it == nil {
			return 0, RecvInfo{}, nil, errEmpty
		}
		as := it.as
		if it.n != nil {
			if !(ends(it.n) && as.unreadData()) {
				info := RecvInfo{From: as.peer(), Flags: MsgNotification | MsgEOR, Notification: it.n}
				s.rq.pop()
				s.nxtInfoLocked(&info, nil)
				return 0, info, nil, nil
			}
			// Data the association received before it ended comes first.
			n, info, ok := s.recvDataLocked(as, buf, false)
			if !ok {
				continue
			}
			return n, info, as, nil
		}
		n, info, ok := s.recvDataLocked(as, buf, true)
		if !ok {
			continue
		}
		return n, info, as, nil
	}
}

// recvDataLocked reads the next message piece of as. atHead says the
// queue's head is the data marker of as. It returns false (having removed
// the stale marker) when as had nothing to read.
func (s *Socket) recvDataLocked(as *association, buf []byte, atHead bool) (int, RecvInfo, bool) {
	now := s.st.now()
	as.mu.Lock()
	n, m, err := as.recvLocked(buf)
	more := err == nil && as.readableLocked()
	as.collect(now)
	as.mu.Unlock()
	if err != nil {
		if atHead {
			s.rq.pop()
		} else {
			s.rq.removeMarker(as)
		}
		as.inRQ = false
		return 0, RecvInfo{}, false
	}
	switch {
	case !more && atHead:
		s.rq.pop()
		as.inRQ = false
	case !more:
		s.rq.removeMarker(as)
		as.inRQ = false
	case atHead && s.typ == OneToMany && (m.eor || s.opts.fragInterleave > 0):
		// Take turns between associations: after each message, and with
		// SCTP_FRAGMENT_INTERLEAVE ≥ 1 after each piece too.
		s.rq.rotate()
	}
	info := RecvInfo{From: as.peer()}
	if m.eor {
		info.Flags |= MsgEOR
	}
	ri := RcvInfo{Stream: m.stream, SSN: m.ssn, PPID: m.ppid, TSN: m.tsn, CumTSN: m.cumTSN,
		Context: as.context, AssocID: as.id}
	if m.unordered {
		ri.Flags |= RcvUnordered
	}
	if s.opts.recvRcvInfo || s.up.Receive != nil {
		info.RcvInfo, info.HasRcvInfo = ri, true
	}
	s.nxtInfoLocked(&info, as)
	return n, info, true
}

// nxtInfoLocked fills the NxtInfo of info when the option is on: the next
// piece of as if it has one, else the head of the read queue.
func (s *Socket) nxtInfoLocked(info *RecvInfo, as *association) {
	if !s.opts.recvNxtInfo {
		return
	}
	if as != nil {
		if n := as.nextLen(); n > 0 {
			info.NxtInfo = NxtInfo{Flags: NextMsgAvail, Length: uint32(n), AssocID: as.id}
			info.HasNxtInfo = true
			return
		}
	}
	it := s.rq.peek()
	if it == nil {
		return
	}
	if it.n != nil {
		info.NxtInfo = NxtInfo{Flags: NextMsgAvail | NextMsgIsComplete | NextMsgIsNotification, AssocID: it.as.id}
	} else {
		info.NxtInfo = NxtInfo{Flags: NextMsgAvail, Length: uint32(it.as.nextLen()), AssocID: it.as.id}
	}
	info.HasNxtInfo = true
}

// nextLenLocked returns the length of what the next recvLocked returns,
// for sizing the upcall buffer (at least 64 KiB is not assumed).
func (s *Socket) nextLenLocked() int {
	it := s.rq.peek()
	if it == nil || it.n != nil {
		return 0
	}
	return it.as.nextLen()
}
