package conntest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn/assoc"
	"github.com/sconnlab/sconn/conn"
)

// DefaultStart is where virtual time starts.
var DefaultStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Config configures a Network.
type Config struct {
	// Virtual runs the network and its stacks on a virtual clock that
	// only Advance and RunUntil move (conn.TimersManual).
	Virtual bool
	// Start is the virtual clock's start (zero: DefaultStart).
	Start time.Time
	// Seed makes the links' randomness and, on virtual time, the stacks'
	// tags and TSNs reproducible (0 means 1).
	Seed uint64
	// LoggerFactory is given to the stacks (nil: conn's default).
	LoggerFactory logging.LoggerFactory
	// Stack, when set, may change each new stack's configuration (Sysctl,
	// Tracer…); Output, Timers and Clock are the Network's.
	Stack func(name string, cfg *conn.Config)
}

// Network joins stacks by links, on real or virtual time.
type Network struct {
	cfg   Config
	sched scheduler

	mu     sync.Mutex
	now    time.Time // virtual time
	seeds  uint64
	stacks []*conn.Stack
	names  map[*conn.Stack]string
	routes map[route]*Link
	closed bool
}

type route struct {
	from *conn.Stack
	h    conn.Handle
}

// ErrNoRoute is returned by a stack's Output for a handle no link serves.
var ErrNoRoute = errors.New("conntest: no link for this handle")

// NewNetwork returns an empty network.
func NewNetwork(cfg Config) *Network {
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Start.IsZero() {
		cfg.Start = DefaultStart
	}
	n := &Network{cfg: cfg, now: cfg.Start, names: map[*conn.Stack]string{}, routes: map[route]*Link{}}
	n.sched.clock = n.Now
	if !cfg.Virtual {
		n.sched.wake = make(chan struct{}, 1)
		n.sched.quit = make(chan struct{})
		n.sched.done = make(chan struct{})
		go n.sched.runRealTime()
	}
	return n
}

// Virtual reports whether the network runs on virtual time.
func (n *Network) Virtual() bool { return n.cfg.Virtual }

// Now returns the network's time: the virtual clock, or time.Now.
func (n *Network) Now() time.Time {
	if !n.cfg.Virtual {
		return time.Now()
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.now
}

// Stacks returns the network's stacks, in creation order.
func (n *Network) Stacks() []*conn.Stack {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]*conn.Stack(nil), n.stacks...)
}

// Name returns the name a stack was created with.
func (n *Network) Name(st *conn.Stack) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.names[st]
}

// nextSeed returns a new seed derived from Config.Seed.
func (n *Network) nextSeed() uint64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.seeds++
	return n.cfg.Seed*0x9e3779b97f4a7c15 + n.seeds
}

// NewStack adds a stack whose packets go through the links of its handles.
// The Network closes it on Close.
func (n *Network) NewStack(name string) (*conn.Stack, error) {
	var st *conn.Stack
	cfg := conn.Config{LoggerFactory: n.cfg.LoggerFactory}
	if n.cfg.Stack != nil {
		n.cfg.Stack(name, &cfg)
	}
	cfg.Output = func(h conn.Handle, pkt []byte, tos uint8, df bool) error { return n.output(st, h, pkt) }
	if n.cfg.Virtual {
		cfg.Timers, cfg.Clock = conn.TimersManual, n.Now
		if cfg.Rand == nil {
			cfg.Rand = &lockedRand{r: assoc.NewSeededRand(n.nextSeed())}
		}
	} else {
		cfg.Timers, cfg.Clock = conn.TimersGoroutine, nil
	}
	st, err := conn.NewStack(cfg)
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	n.stacks = append(n.stacks, st)
	n.names[st] = name
	n.mu.Unlock()
	return st, nil
}

// Connect registers handle ha on a and hb on b and joins them: what a sends
// to ha arrives at b on hb through a link with impairments ab, and back
// through ba. It returns the two links.
func (n *Network) Connect(a *conn.Stack, ha conn.Handle, b *conn.Stack, hb conn.Handle, ab, ba LinkConfig) (*Link, *Link, error) {
	if err := a.RegisterAddress(ha); err != nil {
		return nil, nil, err
	}
	if err := b.RegisterAddress(hb); err != nil {
		return nil, nil, err
	}
	lab := n.newLink(n.Name(a)+"→"+n.Name(b), ab, func(p []byte) { _ = b.ConnInput(hb, p, 0) })
	lba := n.newLink(n.Name(b)+"→"+n.Name(a), ba, func(p []byte) { _ = a.ConnInput(ha, p, 0) })
	n.mu.Lock()
	n.routes[route{a, ha}] = lab
	n.routes[route{b, hb}] = lba
	n.mu.Unlock()
	return lab, lba, nil
}

func (n *Network) newLink(name string, c LinkConfig, recv func([]byte)) *Link {
	s := n.nextSeed()
	return &Link{name: name, net: n, recv: recv, cfg: c, rnd: rand.New(rand.NewPCG(s, s^0xda3e39cb94b95bdb))}
}

func (n *Network) output(from *conn.Stack, h conn.Handle, pkt []byte) error {
	n.mu.Lock()
	l := n.routes[route{from, h}]
	n.mu.Unlock()
	if l == nil {
		return fmt.Errorf("%w %v", ErrNoRoute, h)
	}
	l.send(pkt)
	return nil
}

// Close closes every stack and stops the real-time delivery goroutine.
// Packets in flight are discarded.
func (n *Network) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	stacks := n.stacks
	n.mu.Unlock()
	if !n.cfg.Virtual {
		close(n.sched.quit)
		<-n.sched.done
	}
	for _, st := range stacks {
		st.Close()
	}
	return nil
}

// lockedRand makes a seeded assoc.Rand safe for concurrent use.
type lockedRand struct {
	mu sync.Mutex
	r  assoc.Rand
}

func (l *lockedRand) Uint32() uint32 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Uint32()
}

func (l *lockedRand) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}
