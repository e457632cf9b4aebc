package conn

import (
	"encoding/binary"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sconnlab/sconn/assoc"
	"github.com/sconnlab/sconn/sysctl"
	"github.com/sconnlab/sconn/wire"
)

// ConnInput hands the stack one datagram received from the transport
// identified by h (usrsctp_conninput). ecn is the ECN field of the IP
// header it came in, if the host knows it (the engine does not use it yet).
// The stack does not keep b after ConnInput returns.
//
// The datagram goes to the association with the same handle and ports
// (the engine then checks its verification tag), else to the socket
// listening on its destination port (on h, or on AnyHandle), else it is out
// of the blue and answered as RFC 9260 §8.4 says, unless sctp_blackhole
// forbids it. ConnInput returns nil, or a *DropError when the datagram (or
// part of it) was discarded; drops are also counted (Stack.Drops) and
// logged once per reason and handle, so the host may ignore the result.
//
// Replies and the upcalls the datagram triggers run on the calling
// goroutine, with no lock held.
func (st *Stack) ConnInput(h Handle, b []byte, ecn uint8) error {
	as, l, p, err := st.classify(h, b)
	if err != nil {
		return err
	}
	return st.dispatchInput(h, b, p, as, l)
}

// dispatchInput hands a classified datagram to its association, its
// listener or the out-of-the-blue path.
func (st *Stack) dispatchInput(h Handle, b []byte, p wire.Packet, as *association, l *listener) error {
	if as != nil {
		return as.input(b, p)
	}
	if l != nil {
		return l.input(h, b, p)
	}
	return st.noListener(h, b, p, "")
}

// ConnInputBatch hands the stack several datagrams received from the
// transport h, in order, as a host reading with recvmmsg has them. It is
// ConnInput for each datagram, except that a run of datagrams for the
// same association is handled under one lock, with one clock read, and
// what they trigger leaves once after the run: one SACK for all the DATA
// of the run (RFC 9260 §6.2: each is acknowledged no later than the end of
// the batch), the replies in engine order, then the upcalls. The stack
// does not keep the datagrams. It returns the first error ConnInput would
// have returned; every drop is counted and logged as with ConnInput.
func (st *Stack) ConnInputBatch(h Handle, pkts [][]byte, ecn uint8) error {
	var first error
	note := func(err error) {
		if first == nil {
			first = err
		}
	}
	var cur *association // locked, handling a run of datagrams
	var now time.Time
	end := func() {
		if cur != nil {
			cur.collect(now)
			cur.mu.Unlock()
			cur.after()
			cur = nil
		}
	}
	for _, b := range pkts {
		as, l, p, err := st.classify(h, b)
		if err != nil {
			note(err)
			continue
		}
		if as == nil {
			end()
			note(st.dispatchInput(h, b, p, nil, l))
			continue
		}
		if as != cur {
			end()
			now = st.now()
			as.mu.Lock()
			as.refreshSecrets()
			cur = as
		}
		if err := as.a.HandlePacket(now, p); err != nil {
			end()
			note(st.dropEngine(h, b, p, err))
		} else if as.a.State() == assoc.Closed {
			// The association ended (an ABORT, a SHUTDOWN COMPLETE): it
			// leaves the demultiplexer now, so that the datagrams after
			// it take the path ConnInput would give them (§8.4).
			end()
		}
	}
	end()
	return first
}

// classify runs the checks every inbound datagram goes through: counters
// and tracer, stack state, length, the demultiplexer, the checksum and the
// parse. It returns the parsed packet with its association or, failing
// that, the listener of its port (both nil: out of the blue), or the drop
// error.
func (st *Stack) classify(h Handle, b []byte) (*association, *listener, wire.Packet, error) {
	st.stats.inPackets.Add(1)
	if t := st.cfg.Tracer; t != nil {
		t(wire.Inbound, h, b)
	}
	if st.closed.Load() {
		return nil, nil, wire.Packet{}, st.drop(h, b, DropStackClosed, -1, "", nil)
	}
	if len(b) < wire.HeaderLen {
		return nil, nil, wire.Packet{}, st.drop(h, b, DropTooShort, -1, strconv.Itoa(len(b))+" bytes", nil)
	}
	src := binary.BigEndian.Uint16(b[0:2])
	dst := binary.BigEndian.Uint16(b[2:4])
	as, sock, ok := st.demux.lookup(assocKey{h, dst, src})
	if !ok {
		return nil, nil, wire.Packet{}, st.drop(h, b, DropUnregisteredHandle, -1, "handle "+h.String()+" is not registered", nil)
	}
	allowZero := as != nil && as.zeroCsum
	if err := wire.VerifyChecksum(b, allowZero); err != nil {
		got := binary.LittleEndian.Uint32(b[8:12])
		return nil, nil, wire.Packet{}, st.drop(h, b, DropBadChecksum, 8, "checksum 0x"+strconv.FormatUint(uint64(got), 16)+
			", want 0x"+strconv.FormatUint(uint64(wire.Checksum(b)), 16), nil)
	}
	p, err := wire.ParsePacket(b)
	if err != nil {
		off := -1
		var pe *wire.ParseError
		if errors.As(err, &pe) {
			off = pe.Offset
		}
		return nil, nil, wire.Packet{}, st.drop(h, b, DropMalformed, off, err.Error(), nil)
	}
	if as == nil && sock != nil {
		return nil, sock.lst.Load(), p, nil
	}
	return as, nil, p, nil
}

// noListener answers a packet for which neither an association nor a
// listener exists (§8.4), as sctp_blackhole allows: 0 answers, 1 answers
// everything but INITs, 2 answers nothing.
func (st *Stack) noListener(h Handle, b []byte, p wire.Packet, why string) error {
	buf := st.getBuf()
	reply, err := assoc.HandleOOTB(p, *buf)
	detail := "port " + strconv.Itoa(int(p.DstPort()))
	if why != "" {
		detail += " (" + why + ")"
	}
	var de *assoc.DropError
	if errors.As(err, &de) && de.Detail != "" {
		detail += ": " + de.Detail
	}
	if reply != nil {
		bh := st.cfg.Sysctl.Get(sysctl.Blackhole)
		first, _ := p.FirstChunk()
		if bh == 2 || (bh == 1 && first.Type() == wire.ChunkInit) {
			detail += "; not answered (sctp_blackhole=" + strconv.Itoa(int(bh)) + ")"
			reply = nil
		} else {
			detail += "; answered with " + firstChunkName(reply)
		}
	}
	dropErr := st.drop(h, b, DropNoListener, -1, detail, de)
	if reply != nil {
		*buf = reply
		st.output(h, reply)
	}
	st.putBuf(buf)
	return dropErr
}

func firstChunkName(pkt []byte) string {
	p, err := wire.ParsePacket(pkt)
	if err != nil {
		return "?"
	}
	c, ok := p.FirstChunk()
	if !ok {
		return "?"
	}
	return c.Type().String()
}

// listener is the listening side of a socket: the engine's Endpoint under
// its own lock. Lock order: listener.mu before socket.mu.
type listener struct {
	st      *Stack
	sock    *Socket
	mu      sync.Mutex
	ep      *assoc.Endpoint // (mu) nil once closed
	secrets atomic.Pointer[assoc.Secrets]
}

// input hands a packet that matched no association to the endpoint and
// adopts the association a valid COOKIE ECHO creates.
func (l *listener) input(h Handle, b []byte, p wire.Packet) error {
	st := l.st
	now := st.now()
	buf := st.getBuf()
	l.mu.Lock()
	if l.ep == nil {
		l.mu.Unlock()
		st.putBuf(buf)
		return st.noListener(h, b, p, "listener closed")
	}
	reply, a, err := l.ep.HandlePacket(now, p, *buf)
	l.secrets.Store(l.ep.Secrets(now))
	var as, existing *association
	full := false
	if a != nil {
		key := assocKey{h, p.DstPort(), p.SrcPort()}
		as, existing, full = l.sock.adopt(l, key, a)
	}
	l.mu.Unlock()

	if reply != nil {
		*buf = reply
		st.output(h, reply)
	}
	st.putBuf(buf)
	switch {
	case existing != nil:
		// Another goroutine registered the same association first (a
		// retransmitted COOKIE ECHO): it handles the packet (§5.2.4).
		return existing.input(b, p)
	case full:
		as.abort(nil)
		return st.drop(h, b, DropBacklogFull, -1, "listen backlog of "+l.sock.String()+" is full; association aborted", nil)
	case as != nil:
		as.mu.Lock()
		as.collect(now)
		as.mu.Unlock()
		as.after()
		if l.sock.typ == OneToOne {
			l.sock.poke() // something to accept
		}
	}
	if err != nil {
		return st.dropEngine(h, b, p, err)
	}
	return nil
}
