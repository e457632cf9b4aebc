package cli

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/conn/udp"
	"github.com/sconnlab/sconn/sysctl"
	"github.com/sconnlab/sconn/wire"
	"github.com/sconnlab/sconn/wire/pcap"
)

// Config configures an Endpoint.
type Config struct {
	// Local is the local UDP address to bind ("host:port", ":0" for any
	// port; see LocalUDP).
	Local string
	// Remote is the peer's UDP address for a client; nil makes a server,
	// which answers the UDP source of whoever sends it an INIT (RFC 6951
	// §5).
	Remote *net.UDPAddr
	// SPort is the local SCTP port. DPort is the peer's SCTP port for a
	// client; a server accepts peers on any SCTP port.
	SPort, DPort uint16
	// Sysctl holds the usrsctp tunables of the stack.
	Sysctl sysctl.Values
	// Verbose, when set, gets one line per packet in and out (wire.Summary).
	Verbose io.Writer
	// Pcap, when set, gets a pcap capture of every packet (SCTP in UDP in
	// IP, the addresses and ports of the real sockets).
	Pcap io.Writer
	// Log gets the stack's logs (pion/logging) at LogLevel.
	Log      io.Writer
	LogLevel logging.LogLevel
}

// Endpoint is one UDP socket carrying SCTP (RFC 6951) for a command-line
// tool: a conn/udp Host, its read loop, and the packet log and capture.
//
// The Host routes a datagram to the stack only when its SCTP ports are the
// configured pair. A client knows both ports, so the Host does everything;
// a server does not know its peers' SCTP port (usrsctp's client and tsctp
// connect from an ephemeral port), so for a server the read loop routes
// packets to the stack itself: a new UDP source that sends an INIT is
// registered with the Host, whose handle then carries its packets.
type Endpoint struct {
	Host  *udp.Host
	Stack *conn.Stack

	cfg    Config
	server bool
	done   chan struct{}

	rx     atomic.Uint64 // datagrams received
	rxPeer atomic.Uint64 // SCTP datagrams routed to the stack
	mu     sync.Mutex
	wrong  string // first SCTP packet with unexpected ports, explained
	pcapMu sync.Mutex
	pw     *pcap.Writer
	logMu  sync.Mutex
}

// Open opens the UDP socket and the stack and starts reading.
func Open(cfg Config) (*Endpoint, error) {
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	e := &Endpoint{cfg: cfg, server: cfg.Remote == nil, done: make(chan struct{})}
	lf := &logging.DefaultLoggerFactory{Writer: cfg.Log, DefaultLogLevel: cfg.LogLevel, ScopeLevels: map[string]logging.LogLevel{}}
	if e.server {
		// The Host expects one pair of SCTP ports and would warn about
		// every peer on another port; the read loop routes them instead
		// (and WrongPorts explains real mistakes).
		lf.ScopeLevels["sctp:udp"] = logging.LogLevelError
	}
	hc := udp.Config{
		Stack:     conn.Config{Sysctl: cfg.Sysctl, LoggerFactory: lf},
		LocalPort: cfg.SPort,
	}
	if cfg.Remote != nil {
		hc.Remote = cfg.Remote
		hc.RemotePort = cfg.DPort
	} else {
		hc.RemotePort = cfg.SPort // unused: the read loop routes a server's packets
	}
	if cfg.Verbose != nil || cfg.Pcap != nil {
		hc.Stack.Tracer = e.traceOut
	}
	network := "udp"
	if cfg.Remote != nil && cfg.Remote.IP.To4() != nil && isWildcard(cfg.Local) {
		network = "udp4"
	}
	h, err := udp.Listen(network, cfg.Local, hc)
	if err != nil {
		return nil, fmt.Errorf("cannot open UDP port %s: %v", cfg.Local, unwrapOp(err))
	}
	e.Host, e.Stack = h, h.Stack()
	go e.serve()
	return e, nil
}

func isWildcard(local string) bool {
	host, _, err := net.SplitHostPort(local)
	return err == nil && host == ""
}

func unwrapOp(err error) error {
	if oe, ok := err.(*net.OpError); ok && oe.Err != nil {
		return oe.Err
	}
	return err
}

// Settle waits up to d until the stack has no association left (the
// shutdowns under way completed).
func (e *Endpoint) Settle(d time.Duration) {
	deadline := time.Now().Add(d)
	for e.Stack.Stats().Associations > 0 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
}

// LocalAddr is the local UDP address.
func (e *Endpoint) LocalAddr() *net.UDPAddr {
	a, _ := e.Host.LocalAddr().(*net.UDPAddr)
	return a
}

// Close waits up to linger for the associations still shutting down to
// finish (after Socket.Close, or a SHUTDOWN from the peer whose SHUTDOWN
// COMPLETE is still due), then closes the stack (aborting what remains) and
// the socket, and waits for the read loop.
func (e *Endpoint) Close(linger time.Duration) error {
	e.Settle(linger)
	err := e.Host.Close()
	<-e.done
	return err
}

// Received returns the datagrams read from the socket and, of them, the
// SCTP packets handed to the stack.
func (e *Endpoint) Received() (datagrams, sctp uint64) {
	return e.rx.Load(), e.rxPeer.Load()
}

// WrongPorts describes the first SCTP packet that arrived with other SCTP
// ports than expected, or "".
func (e *Endpoint) WrongPorts() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.wrong
}

// PeerAddr returns the UDP address of handle h.
func (e *Endpoint) PeerAddr(h conn.Handle) net.Addr {
	a, _ := e.Host.Addr(h)
	return a
}

// Handle returns the handle of the UDP address a, or 0.
func (e *Endpoint) Handle(a net.Addr) conn.Handle {
	h, _ := e.Host.Handle(a)
	return h
}

const (
	chunkINIT       = 1
	chunkCookieEcho = 10
)

func (e *Endpoint) serve() {
	defer close(e.done)
	buf := make([]byte, 65536)
	pc := e.Host.PacketConn()
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				continue
			}
			return
		}
		b := buf[:n]
		e.rx.Add(1)
		e.traceIn(b, from)
		e.route(b, from)
	}
}

func (e *Endpoint) route(b []byte, from net.Addr) {
	if len(b) < 12 {
		e.Host.Input(b, from)
		return
	}
	src, dst := binary.BigEndian.Uint16(b[0:2]), binary.BigEndian.Uint16(b[2:4])
	if !e.server {
		if src == e.cfg.DPort && dst == e.cfg.SPort {
			e.rxPeer.Add(1)
		} else {
			e.noteWrongPorts(b, from, src, dst)
		}
		e.Host.Input(b, from)
		return
	}
	if dst != e.cfg.SPort {
		// The stack answers an INIT for a port nobody listens on with an
		// ABORT, which the peer reports as "connection refused".
		e.noteWrongPorts(b, from, src, dst)
	}
	hd, ok := e.Host.Handle(from)
	if !ok {
		if len(b) < 16 || (b[12] != chunkINIT && b[12] != chunkCookieEcho) {
			// Not a new association: from a peer we never heard of.
			e.Host.Input(b, from)
			return
		}
		var err error
		if hd, err = e.Host.Register(from); err != nil {
			return
		}
	}
	e.rxPeer.Add(1)
	_ = e.Stack.ConnInput(hd, b, 0)
}

func (e *Endpoint) noteWrongPorts(b []byte, from net.Addr, src, dst uint16) {
	if len(b) < 16 || wire.VerifyChecksum(b, false) != nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.wrong != "" {
		return
	}
	if e.server {
		e.wrong = fmt.Sprintf("%v sent SCTP packets to SCTP port %d, but this side listens on %d (-sport)", from, dst, e.cfg.SPort)
		return
	}
	switch {
	case src != e.cfg.DPort && dst == e.cfg.SPort:
		e.wrong = fmt.Sprintf("%v answers from SCTP port %d, not %d (try -dport %d)", from, src, e.cfg.DPort, src)
	case dst != e.cfg.SPort && src == e.cfg.DPort:
		e.wrong = fmt.Sprintf("%v sends to SCTP port %d, not %d (try -sport %d)", from, dst, e.cfg.SPort, dst)
	default:
		e.wrong = fmt.Sprintf("%v uses SCTP ports %d→%d, expected %d→%d (-dport, -sport)", from, src, dst, e.cfg.DPort, e.cfg.SPort)
	}
}

// traceIn logs and captures a datagram as read from the socket.
func (e *Endpoint) traceIn(b []byte, from net.Addr) {
	if e.cfg.Verbose != nil {
		e.logPacket(wire.Inbound, b, from)
	}
	if e.cfg.Pcap != nil {
		e.capture(wire.Inbound, b, from)
	}
}

// traceOut is the stack's tracer: it sees outbound packets (inbound ones
// are traced by the read loop, before routing, so that the log also shows
// the datagrams the stack never gets).
func (e *Endpoint) traceOut(dir wire.Direction, h conn.Handle, pkt []byte) {
	if dir != wire.Outbound {
		return
	}
	to := e.PeerAddr(h)
	if e.cfg.Verbose != nil {
		e.logPacket(dir, pkt, to)
	}
	if e.cfg.Pcap != nil {
		e.capture(dir, pkt, to)
	}
}

func (e *Endpoint) logPacket(dir wire.Direction, b []byte, peer net.Addr) {
	arrow := "<"
	if dir == wire.Outbound {
		arrow = ">"
	}
	var sum string
	if p, err := wire.ParsePacket(b); err != nil {
		sum = fmt.Sprintf("%d bytes, not SCTP: %v", len(b), err)
	} else {
		sum = wire.Summary(p)
	}
	e.logMu.Lock()
	fmt.Fprintf(e.cfg.Verbose, "%s %s %v %s\n", time.Now().Format("15:04:05.000000"), arrow, peer, sum)
	e.logMu.Unlock()
}

func (e *Endpoint) capture(dir wire.Direction, b []byte, peer net.Addr) {
	e.pcapMu.Lock()
	defer e.pcapMu.Unlock()
	if e.pw == nil {
		pw, err := e.newPcap(peer)
		if err != nil {
			return
		}
		e.pw = pw
	}
	_ = e.pw.WritePacket(time.Now(), dir, b)
}

// newPcap makes the capture writer once the peer is known: outbound packets
// go from the local UDP address to the peer's.
func (e *Endpoint) newPcap(peer net.Addr) (*pcap.Writer, error) {
	opts := pcap.WriterOptions{UDP: true}
	if la := e.LocalAddr(); la != nil {
		opts.SrcPort = uint16(la.Port)
		opts.Src, _ = netip.AddrFromSlice(la.IP)
	}
	if pa, ok := peer.(*net.UDPAddr); ok {
		opts.DstPort = uint16(pa.Port)
		opts.Dst, _ = netip.AddrFromSlice(pa.IP)
		if !opts.Src.IsValid() || opts.Src.IsUnspecified() {
			// The source address the kernel would pick for the peer.
			if c, err := net.DialUDP("udp", nil, pa); err == nil {
				opts.Src, _ = netip.AddrFromSlice(c.LocalAddr().(*net.UDPAddr).IP)
				c.Close()
			}
		}
	}
	opts.Src, opts.Dst = opts.Src.Unmap(), opts.Dst.Unmap()
	if opts.Src.IsValid() != opts.Dst.IsValid() || (opts.Src.IsValid() && opts.Src.Is4() != opts.Dst.Is4()) {
		opts.Src, opts.Dst = netip.Addr{}, netip.Addr{}
	}
	return pcap.NewWriter(e.cfg.Pcap, opts)
}
