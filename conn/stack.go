package conn

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn/assoc"
	"github.com/sconnlab/sconn/wire"
)

// Stack is one SCTP instance (what usrsctp_init creates), with no global
// state: a process may run any number of stacks. The host feeds it inbound
// datagrams with ConnInput and receives outbound packets through
// Config.Output; sockets are created with Socket.
//
// All methods are safe for concurrent use. Each association has its own
// lock; the only stack-wide lock on the data path is the read side of the
// demultiplexing map. No lock is held while Output, the tracer or a socket
// upcall runs, so they may call back into any stack.
type Stack struct {
	cfg    stackConfig
	manual bool
	log    logging.LeveledLogger // "sctp:conn"
	alog   logging.LeveledLogger // "sctp"

	vnow atomic.Pointer[time.Time] // manual clock

	demux  demux
	timers timerHeap
	drops  dropTable
	stats  stackCounters

	nextID  atomic.Uint32
	bufPool sync.Pool // *[]byte packet buffers

	closeOnce  sync.Once
	closed     atomic.Bool
	quit       chan struct{}
	timersDone chan struct{}

	sockMu  sync.Mutex
	sockets map[*Socket]struct{}
}

// NewStack returns a running stack. In TimersGoroutine mode it starts the
// stack's timer goroutine; Close stops it.
func NewStack(cfg Config) (*Stack, error) {
	c, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	st := &Stack{
		cfg:     c,
		manual:  c.Timers == TimersManual,
		log:     c.LoggerFactory.NewLogger("sctp:conn"),
		alog:    c.LoggerFactory.NewLogger("sctp"),
		quit:    make(chan struct{}),
		sockets: make(map[*Socket]struct{}),
	}
	st.demux.init()
	st.nextID.Store(uint32(firstAssocID) - 1)
	st.bufPool.New = func() any {
		b := make([]byte, 0, packetBufSize)
		return &b
	}
	if !st.manual {
		st.timers.wake = make(chan struct{}, 1)
		st.timersDone = make(chan struct{})
		go st.runTimers()
	}
	return st, nil
}

// packetBufSize is the capacity of pooled packet buffers: the default MTU
// plus room; larger packets grow their buffer.
const packetBufSize = 1500

func (st *Stack) getBuf() *[]byte {
	b := st.bufPool.Get().(*[]byte)
	*b = (*b)[:0]
	return b
}

func (st *Stack) putBuf(b *[]byte) {
	if cap(*b) <= 64<<10 {
		st.bufPool.Put(b)
	}
}

// TimerMode returns the stack's timer mode.
func (st *Stack) TimerMode() TimerMode { return st.cfg.Timers }

// RegisterAddress makes h a valid address (usrsctp_register_address):
// ConnInput accepts datagrams for it and sockets may bind and connect to it.
// Registering a handle twice is an error wrapping ErrAddrInUse;
// AnyHandle cannot be registered.
func (st *Stack) RegisterAddress(h Handle) error {
	if h == AnyHandle {
		return errorf(ErrInvalidArgument, "AnyHandle cannot be registered")
	}
	if st.closed.Load() {
		return ErrClosed
	}
	if !st.demux.register(h) {
		return errorf(ErrAddrInUse, "handle "+h.String()+" already registered")
	}
	return nil
}

// DeregisterAddress removes h (usrsctp_deregister_address). The
// associations running over h are aborted first (their ABORT still goes
// out through Output); afterwards datagrams for h are dropped with
// DropUnregisteredHandle and nothing is sent to it. Sockets bound to h stay
// bound but receive nothing more.
func (st *Stack) DeregisterAddress(h Handle) error {
	if !st.demux.registered(h) {
		return errorf(ErrAddrNotAvailable, "handle "+h.String())
	}
	for _, as := range st.assocsOver(h) {
		as.abort([]byte("address deregistered"))
	}
	ok, rest := st.demux.deregister(h)
	for _, as := range rest {
		as.detached.Store(true)
		as.abort(nil)
	}
	st.drops.forget(h)
	if !ok {
		return errorf(ErrAddrNotAvailable, "handle "+h.String())
	}
	return nil
}

// assocsOver lists the associations that run over h.
func (st *Stack) assocsOver(h Handle) []*association {
	var list []*association
	for _, as := range st.demux.allAssocs() {
		if as.key.h == h {
			list = append(list, as)
		}
	}
	return list
}

// Close aborts every association, closes every socket (blocked calls return
// ErrClosed) and stops the timer goroutine (usrsctp_finish, which instead
// fails while sockets exist). Close is idempotent.
func (st *Stack) Close() error {
	st.closeOnce.Do(func() {
		st.sockMu.Lock()
		socks := make([]*Socket, 0, len(st.sockets))
		for s := range st.sockets {
			socks = append(socks, s)
		}
		st.sockMu.Unlock()
		for _, s := range socks {
			_ = s.Abort()
		}
		for _, as := range st.demux.allAssocs() {
			as.abort(nil)
		}
		st.closed.Store(true)
		close(st.quit)
		if st.timersDone != nil {
			<-st.timersDone
		}
	})
	return nil
}

// output hands one packet to the host.
func (st *Stack) output(h Handle, pkt []byte) {
	if t := st.cfg.Tracer; t != nil {
		t(wire.Outbound, h, pkt)
	}
	st.stats.outPackets.Add(1)
	if err := st.cfg.Output(h, pkt, 0, false); err != nil {
		if st.stats.outErrors.Add(1) == 1 {
			st.log.Warnf("sctp: output to handle %v failed (later failures are counted in StackStats.OutputErrors): %v", h, err)
		}
	}
}

// newAssocID returns a fresh association ID.
func (st *Stack) newAssocID() AssocID {
	for {
		id := AssocID(st.nextID.Add(1))
		if id >= firstAssocID {
			return id
		}
	}
}

// assocConfig returns the engine configuration of the stack's defaults.
func (st *Stack) assocConfig() assoc.Config { return st.cfg.assoc }

// addSocket and removeSocket track the stack's open sockets.
func (st *Stack) addSocket(s *Socket) error {
	st.sockMu.Lock()
	defer st.sockMu.Unlock()
	if st.closed.Load() {
		return ErrClosed
	}
	st.sockets[s] = struct{}{}
	return nil
}

func (st *Stack) removeSocket(s *Socket) {
	st.sockMu.Lock()
	delete(st.sockets, s)
	st.sockMu.Unlock()
}
