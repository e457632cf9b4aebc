package conn

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/sconnlab/sconn/assoc"
	"github.com/sconnlab/sconn/wire"
)

// association wraps one engine association with its lock, its outbox and
// its timer. It starts no goroutine.
//
// Locking: mu guards the engine and the fields marked (mu). The fields
// marked (socket) are guarded by the owning socket's lock. Lock order is
// socket.mu before association.mu before a timer shard; the demux lock is
// never held with association.mu. No lock is held while packets are output
// or upcalls run.
type association struct {
	st       *Stack
	id       AssocID
	key      assocKey
	zeroCsum bool      // the engine accepts zero checksums (immutable)
	lst      *listener // the listener that created it, for cookie secrets
	detached atomic.Bool
	timer    timerEntry

	mu        sync.Mutex
	a         *assoc.Association // (mu)
	sock      *Socket            // (mu, written under socket lock too) owner; nil when orphaned
	outbox    []*[]byte          // (mu) packets waiting for Output
	flushing  bool               // (mu) one goroutine drains the outbox
	events    []assoc.Event      // (mu) engine events not yet dispatched
	secrets   *assoc.Secrets     // (mu) what SetSecrets last got
	ended     bool               // (mu) the engine reached CLOSED
	removed   bool               // (mu) unregistered from the demux
	lastUse   time.Time          // (mu) last user data activity, for autoclose
	autoclose time.Duration      // (mu)

	// (socket) fields.
	subs        eventMask   // notification subscriptions
	context     uint32      // SCTP_CONTEXT
	inRQ        bool        // a data marker is in the socket's read queue
	up          bool        // the socket saw COMM_UP
	spaceSeq    uint32      // counts SendSpaceAvailable events (for blocked senders)
	unreachable bool        // the last PEER_ADDR_CHANGE said unreachable
	preUp       *preUpQueue // messages sent before COMM_UP
	endErr      error       // why it ended (SO_ERROR, Connect)
	finished    bool        // the socket saw it end
}

func newAssociation(st *Stack, s *Socket, key assocKey, a *assoc.Association) *association {
	as := &association{
		st:       st,
		id:       st.newAssocID(),
		key:      key,
		zeroCsum: a.AcceptsZeroChecksum(),
		a:        a,
		sock:     s,
	}
	as.timer.init(as, uint32(as.id))
	return as
}

// peer returns the peer's address.
func (as *association) peer() Addr { return Addr{as.key.h, as.key.peer} }

// local returns the local address.
func (as *association) local() Addr { return Addr{as.key.h, as.key.local} }

// do runs fn on the engine under the association's lock, then sends what
// the engine produced and dispatches its events, with no lock held.
func (as *association) do(fn func(now time.Time) error) error {
	now := as.st.now()
	as.mu.Lock()
	err := fn(now)
	as.collect(now)
	as.mu.Unlock()
	as.after()
	return err
}

// input hands an inbound packet to the engine.
func (as *association) input(b []byte, p wire.Packet) error {
	now := as.st.now()
	as.mu.Lock()
	as.refreshSecrets()
	err := as.a.HandlePacket(now, p)
	as.collect(now)
	as.mu.Unlock()
	as.after()
	if err != nil {
		return as.st.dropEngine(as.key.h, b, p, err)
	}
	return nil
}

// refreshSecrets gives the engine the listener's current cookie secrets.
// Called with mu held.
func (as *association) refreshSecrets() {
	if as.lst != nil {
		if s := as.lst.secrets.Load(); s != nil && s != as.secrets {
			as.a.SetSecrets(s)
			as.secrets = s
		}
	}
}

// onTimer implements timerOwner: the engine's timers and autoclose.
func (as *association) onTimer(now time.Time) {
	as.mu.Lock()
	if as.a.State() != assoc.Closed {
		as.a.HandleTimeout(now)
		if as.autoclose > 0 && as.a.State() == assoc.Established && !now.Before(as.lastUse.Add(as.autoclose)) {
			_ = as.a.Shutdown(now)
		}
	}
	as.collect(now)
	as.mu.Unlock()
	as.after()
}

// abort aborts the association (reason is the Upper Layer Abort Reason).
func (as *association) abort(reason []byte) {
	_ = as.do(func(now time.Time) error { return as.a.Abort(now, reason) })
}

// collect moves the engine's packets to the outbox and its events to the
// event list, and re-arms the timer. Called with mu held.
func (as *association) collect(now time.Time) {
	for {
		b := as.st.getBuf()
		p := as.a.Poll(now, *b)
		if p == nil {
			as.st.putBuf(b)
			break
		}
		*b = p
		as.outbox = append(as.outbox, b)
	}
	for {
		ev, ok := as.a.PollEvent()
		if !ok {
			break
		}
		as.noteEvent(now, ev)
		as.events = append(as.events, ev)
	}
	if as.a.State() == assoc.Closed {
		as.ended = true
		as.st.arm(&as.timer, time.Time{})
		return
	}
	as.st.arm(&as.timer, as.deadline())
}

// deadline is the earliest of the engine's deadline and autoclose.
func (as *association) deadline() time.Time {
	d := as.a.NextDeadline()
	if as.autoclose > 0 && as.a.State() == assoc.Established {
		ac := as.lastUse.Add(as.autoclose)
		if d.IsZero() || ac.Before(d) {
			d = ac
		}
	}
	return d
}

// after runs, with no lock held, what collect prepared: its packets go out
// in order, the association leaves the demultiplexer once CLOSED, and its
// events reach its socket. The last packets (an ABORT with its causes, a
// SHUTDOWN COMPLETE) are flushed before the association leaves the
// demultiplexer: otherwise a peer packet arriving in between takes the
// out-of-the-blue path and its bare ABORT (§8.4) overtakes ours.
func (as *association) after() {
	as.mu.Lock()
	end := as.ended && !as.removed
	if end {
		as.removed = true
	}
	as.mu.Unlock()
	if end {
		as.flush()
		as.st.demux.removeAssoc(as)
	}
	for {
		as.flush()
		as.dispatch()
		// Event handling may have produced packets (messages queued
		// before COMM_UP); send them too.
		as.mu.Lock()
		again := len(as.outbox) > 0 && !as.flushing
		as.mu.Unlock()
		if !again {
			return
		}
	}
}

// maxKeptOutbox is the largest outbox slice an association keeps between
// flushes: a 64 KiB message at MTU 1200 makes 55 packets at once, and a
// slice of 128 pointers (1 KiB) lets such bursts allocate nothing. An
// association that never bursts keeps a small one.
const maxKeptOutbox = 128

// flush sends the outbox. One goroutine at a time drains it, so packets
// leave in the order the engine made them; a goroutine that finds another
// draining leaves its packets to it. No lock is held during Output, which
// may therefore re-enter the stack (even this association).
func (as *association) flush() {
	as.mu.Lock()
	if as.flushing || len(as.outbox) == 0 {
		as.mu.Unlock()
		return
	}
	as.flushing = true
	for len(as.outbox) > 0 {
		batch := as.outbox
		as.outbox = nil
		as.mu.Unlock()
		for i, b := range batch {
			if !as.detached.Load() {
				as.st.output(as.key.h, *b)
			}
			as.st.putBuf(b)
			batch[i] = nil
		}
		as.mu.Lock()
		if as.outbox == nil && cap(batch) <= maxKeptOutbox {
			as.outbox = batch[:0] // keep the slice for the next packets
		}
	}
	as.flushing = false
	as.mu.Unlock()
}

// dispatch hands pending engine events to the owning socket, in order.
// The event slice goes back to the association once handled, so a steady
// flow of events allocates nothing.
func (as *association) dispatch() {
	var spare []assoc.Event
	for {
		as.mu.Lock()
		if len(as.events) == 0 {
			if cap(as.events) == 0 && spare != nil {
				clear(spare[:cap(spare)])
				as.events = spare[:0]
			}
			as.mu.Unlock()
			return
		}
		s := as.sock
		if s == nil {
			evs := as.events
			as.events = nil
			as.mu.Unlock()
			as.st.stats.count(as, evs)
			continue
		}
		as.mu.Unlock()

		s.mu.Lock()
		as.mu.Lock()
		if as.sock != s {
			as.mu.Unlock()
			s.mu.Unlock()
			continue
		}
		evs := as.events
		as.events = nil
		ended := as.ended
		as.mu.Unlock()
		as.st.stats.count(as, evs)
		fx := s.handleEventsLocked(as, evs, ended)
		s.mu.Unlock()
		s.afterEffects(fx)
		spare = evs
	}
}
