package udp

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn/conn"
)

// Errors of the Host.
var (
	// ErrClosed: the Host is closed.
	ErrClosed = errors.New("sctp/udp: host closed")
	// ErrUnknownHandle: no peer has that handle.
	ErrUnknownHandle = errors.New("sctp/udp: unknown handle")
	// ErrOutputSet: Config.Stack.Output must be nil, the Host sends.
	ErrOutputSet = errors.New("sctp/udp: Config.Stack.Output must be nil")
)

// DefaultMaxPeers bounds the peers a server Host registers by itself.
const DefaultMaxPeers = 1024

// Config configures a Host.
type Config struct {
	// Stack configures the host's stack. Its Output must be nil: the Host
	// writes the packets to the PacketConn.
	Stack conn.Config
	// Remote is the peer's UDP address, for a client or a connected
	// PlainTransport: it is registered at once (RemoteHandle) and
	// datagrams from other sources are dropped. nil makes a server: each
	// new UDP source that sends an INIT becomes a peer with a new handle,
	// up to MaxPeers.
	Remote net.Addr
	// FixedRemotePort keeps Remote's port even when the peer's packets
	// come from another port of the same IP address (by default the
	// Host then answers the port the peer used, RFC 6951 §5.4).
	FixedRemotePort bool
	// MaxPeers bounds the peers a server registers by itself
	// (0: DefaultMaxPeers). 1 gives the PlainTransport "comedia" mode: the
	// first source is the peer and all others are unexpected.
	MaxPeers int
	// OnPeer, when set, is called when a server registers a new peer by
	// itself (before the INIT goes to the stack): accept its associations
	// on a listening socket bound to conn.AnyHandle or to h.
	OnPeer func(h conn.Handle, from net.Addr)
	// LocalPort and RemotePort are the SCTP ports of the packets
	// (0: DefaultPort, as PlainTransport and WebRTC use).
	LocalPort, RemotePort uint16
	// Other receives the datagrams that are not SCTP (RTP, RTCP…) when the
	// port is shared; nil drops them. b is valid only during the call.
	Other func(b []byte, from net.Addr)
}

// Host is the SCTP-over-UDP side of one net.PacketConn: it owns a
// conn.Stack whose packets it writes to the PacketConn, and maps remote UDP
// addresses to handles. Its methods are safe for concurrent use.
type Host struct {
	pc     net.PacketConn
	ownPC  bool
	st     *conn.Stack
	cfg    Config
	log    logging.LeveledLogger
	demux  Demux
	once   onceTable
	remote conn.Handle

	mu       sync.RWMutex
	byKey    map[string]*peer
	byHandle map[conn.Handle]*peer
	next     conn.Handle
	auto     int // peers registered by the server logic

	closed  atomic.Bool
	serving atomic.Int32
	stats   hostCounters
}

// peer is one remote UDP address.
type peer struct {
	h    conn.Handle
	addr net.Addr
	key  string
	auto bool
}

// socketBuffer is the socket buffer size Listen asks for.
const socketBuffer = 4 << 20

// Listen opens a UDP socket on address (e.g. "127.0.0.1:9899", or ":0"
// for any port) and returns a Host on it; Close closes the socket too.
func Listen(network, address string, cfg Config) (*Host, error) {
	pc, err := net.ListenPacket(network, address)
	if err != nil {
		return nil, err
	}
	if u, ok := pc.(*net.UDPConn); ok {
		_ = u.SetReadBuffer(socketBuffer) // best effort: bursts of SCTP packets
		_ = u.SetWriteBuffer(socketBuffer)
	}
	h, err := NewHost(pc, cfg)
	if err != nil {
		pc.Close()
		return nil, err
	}
	h.ownPC = true
	return h, nil
}

// NewHost returns a Host on pc and its new stack. The caller keeps pc:
// Close does not close it. Call Serve to read pc, or pass each datagram
// read elsewhere to Input.
func NewHost(pc net.PacketConn, cfg Config) (*Host, error) {
	if cfg.Stack.Output != nil {
		return nil, ErrOutputSet
	}
	if cfg.MaxPeers <= 0 {
		cfg.MaxPeers = DefaultMaxPeers
	}
	if cfg.Stack.LoggerFactory == nil {
		cfg.Stack.LoggerFactory = logging.NewDefaultLoggerFactory()
	}
	h := &Host{pc: pc, cfg: cfg, byKey: map[string]*peer{}, byHandle: map[conn.Handle]*peer{}, next: 1}
	h.log = cfg.Stack.LoggerFactory.NewLogger("sctp:udp")
	h.demux = Demux{SCTP: h.inputSCTP, Other: cfg.Other, LocalPort: cfg.LocalPort, RemotePort: cfg.RemotePort, Logger: h.log}
	sc := cfg.Stack
	sc.Output = h.output
	st, err := conn.NewStack(sc)
	if err != nil {
		return nil, err
	}
	h.st = st
	if cfg.Remote != nil {
		if h.remote, err = h.Register(cfg.Remote); err != nil {
			st.Close()
			return nil, err
		}
	}
	return h, nil
}

// Stack returns the host's stack.
func (h *Host) Stack() *conn.Stack { return h.st }

// PacketConn returns the socket the Host sends on.
func (h *Host) PacketConn() net.PacketConn { return h.pc }

// LocalAddr returns the local UDP address (the local encapsulation port).
func (h *Host) LocalAddr() net.Addr { return h.pc.LocalAddr() }

// RemoteHandle returns the handle of Config.Remote (0 for a server).
func (h *Host) RemoteHandle() conn.Handle { return h.remote }

// Register makes addr a peer: it gets a new handle, registered with the
// stack, and the Host accepts its datagrams. Registering an address twice
// returns its handle.
func (h *Host) Register(addr net.Addr) (conn.Handle, error) {
	return h.register(addr, false)
}

func (h *Host) register(addr net.Addr, auto bool) (conn.Handle, error) {
	if h.closed.Load() {
		return 0, ErrClosed
	}
	key := addrKey(addr)
	h.mu.Lock()
	if p := h.byKey[key]; p != nil {
		h.mu.Unlock()
		return p.h, nil
	}
	p := &peer{h: h.next, addr: addr, key: key, auto: auto}
	h.next++
	h.byKey[key] = p
	h.byHandle[p.h] = p
	if auto {
		h.auto++
	}
	h.mu.Unlock()
	if err := h.st.RegisterAddress(p.h); err != nil {
		h.forget(p)
		return 0, err
	}
	return p.h, nil
}

// Deregister removes the peer with handle hd: its associations are
// aborted (the ABORT still goes out) and its datagrams are dropped from
// then on.
func (h *Host) Deregister(hd conn.Handle) error {
	h.mu.RLock()
	p := h.byHandle[hd]
	h.mu.RUnlock()
	if p == nil {
		return fmt.Errorf("%w: %v", ErrUnknownHandle, hd)
	}
	err := h.st.DeregisterAddress(hd)
	h.forget(p)
	return err
}

func (h *Host) forget(p *peer) {
	h.mu.Lock()
	if h.byKey[p.key] == p {
		delete(h.byKey, p.key)
	}
	if h.byHandle[p.h] == p {
		delete(h.byHandle, p.h)
		if p.auto {
			h.auto--
		}
	}
	h.mu.Unlock()
}

// Handle returns the handle of the peer at addr.
func (h *Host) Handle(addr net.Addr) (conn.Handle, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if p := h.byKey[addrKey(addr)]; p != nil {
		return p.h, true
	}
	return 0, false
}

// Addr returns the UDP address of the peer with handle hd: where its
// packets go, the port it last used.
func (h *Host) Addr(hd conn.Handle) (net.Addr, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if p := h.byHandle[hd]; p != nil {
		return p.addr, true
	}
	return nil, false
}

// SetRemotePort changes the remote encapsulation port of the peer hd
// (what usrsctp's SCTP_REMOTE_UDP_ENCAPS_PORT sets): its packets go to that
// port of its IP address from now on.
func (h *Host) SetRemotePort(hd conn.Handle, port uint16) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.byHandle[hd]
	if p == nil {
		return fmt.Errorf("%w: %v", ErrUnknownHandle, hd)
	}
	u, ok := p.addr.(*net.UDPAddr)
	if !ok {
		return fmt.Errorf("sctp/udp: peer %v is not a UDP address", p.addr)
	}
	h.movePeerLocked(p, &net.UDPAddr{IP: u.IP, Port: int(port), Zone: u.Zone})
	return nil
}

func (h *Host) movePeerLocked(p *peer, to net.Addr) {
	if h.byKey[p.key] == p {
		delete(h.byKey, p.key)
	}
	p.addr, p.key = to, addrKey(to)
	h.byKey[p.key] = p
}

// Close closes the stack (aborting its associations) and stops Serve.
// A PacketConn passed to NewHost stays open; one opened by Listen is
// closed.
func (h *Host) Close() error {
	if h.closed.Swap(true) {
		return nil
	}
	err := h.st.Close()
	if h.ownPC {
		if cerr := h.pc.Close(); err == nil {
			err = cerr
		}
	} else if h.serving.Load() > 0 {
		_ = h.pc.SetReadDeadline(time.Now()) // unblock Serve
	}
	return err
}

// output is the stack's conn_output: it writes pkt to the peer's address.
func (h *Host) output(hd conn.Handle, pkt []byte, tos uint8, df bool) error {
	h.mu.RLock()
	p := h.byHandle[hd]
	var to net.Addr
	if p != nil {
		to = p.addr
	}
	h.mu.RUnlock()
	if to == nil {
		h.stats.outErrors.Add(1)
		return fmt.Errorf("%w: %v", ErrUnknownHandle, hd)
	}
	if !isSCTPPorts(pkt, portOr(h.cfg.LocalPort), portOr(h.cfg.RemotePort)) {
		h.stats.wrongPortsOut.Add(1)
		if len(pkt) >= 4 && h.once.first(1, "") {
			src, dst := ports(pkt)
			h.log.Warnf("sending SCTP packets with ports %d→%d to %v, but the ports are %d→%d: "+
				"a PlainTransport or WebRTC peer takes such packets for media; bind the socket to port %d",
				src, dst, to, portOr(h.cfg.LocalPort), portOr(h.cfg.RemotePort), portOr(h.cfg.LocalPort))
		}
	}
	if _, err := h.pc.WriteTo(pkt, to); err != nil {
		h.stats.outErrors.Add(1)
		return err
	}
	h.stats.out.Add(1)
	return nil
}
