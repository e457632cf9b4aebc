package udp

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn/conn"
)

// logs records every log line.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) NewLogger(scope string) logging.LeveledLogger { return &logger{l, scope} }

func (l *logs) count(sub string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.lines {
		if strings.Contains(s, sub) {
			n++
		}
	}
	return n
}

type logger struct {
	l     *logs
	scope string
}

func (g *logger) add(lvl, s string) {
	g.l.mu.Lock()
	g.l.lines = append(g.l.lines, lvl+" "+g.scope+": "+s)
	g.l.mu.Unlock()
}
func (g *logger) Trace(m string)            {}
func (g *logger) Tracef(f string, a ...any) {}
func (g *logger) Debug(m string)            {}
func (g *logger) Debugf(f string, a ...any) {}
func (g *logger) Info(m string)             { g.add("INFO", m) }
func (g *logger) Infof(f string, a ...any)  { g.add("INFO", fmt.Sprintf(f, a...)) }
func (g *logger) Warn(m string)             { g.add("WARN", m) }
func (g *logger) Warnf(f string, a ...any)  { g.add("WARN", fmt.Sprintf(f, a...)) }
func (g *logger) Error(m string)            { g.add("ERROR", m) }
func (g *logger) Errorf(f string, a ...any) { g.add("ERROR", fmt.Sprintf(f, a...)) }

// waitLimit bounds every wait of these loopback tests; they finish in
// milliseconds when the machine is idle.
const waitLimit = 10 * time.Second

// serve runs h.Serve until the test ends.
func serve(t *testing.T, h *Host) {
	done := make(chan error, 1)
	go func() { done <- h.Serve() }()
	t.Cleanup(func() {
		h.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
}

// loopbackPair returns a server Host and a client Host connected to it,
// both serving, and their logs.
func loopbackPair(t *testing.T, srvCfg Config) (srv, cli *Host, lg *logs) {
	t.Helper()
	lg = &logs{}
	srvCfg.Stack.LoggerFactory = lg
	srv, err := Listen("udp4", "127.0.0.1:0", srvCfg)
	if err != nil {
		t.Fatal(err)
	}
	serve(t, srv)
	cli, err = Listen("udp4", "127.0.0.1:0", Config{Remote: srv.LocalAddr(), Stack: conn.Config{LoggerFactory: lg}})
	if err != nil {
		t.Fatal(err)
	}
	serve(t, cli)
	return srv, cli, lg
}

// connect makes a listening socket on srv (port 5000, any handle) and a
// client socket connected to it; it returns the client socket and the
// accepted one.
func connect(t *testing.T, srv, cli *Host) (c, s *conn.Socket) {
	t.Helper()
	ln, err := srv.Stack().Socket(conn.OneToOne, conn.Upcalls{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ln.Bind(conn.Addr{Handle: conn.AnyHandle, Port: DefaultPort}); err != nil {
		t.Fatal(err)
	}
	if err := ln.Listen(4); err != nil {
		t.Fatal(err)
	}
	c, err = cli.Stack().Socket(conn.OneToOne, conn.Upcalls{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Bind(conn.Addr{Handle: cli.RemoteHandle(), Port: DefaultPort}); err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(waitLimit))
	if err := c.Connect(conn.Addr{Handle: cli.RemoteHandle(), Port: DefaultPort}); err != nil {
		t.Fatalf("connect: %v", err)
	}
	ln.SetDeadline(time.Now().Add(waitLimit))
	s, _, err = ln.Accept()
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	s.SetDeadline(time.Now().Add(waitLimit))
	t.Cleanup(func() { c.Close(); s.Close(); ln.Close() })
	return c, s
}

// exchange sends a message each way.
func exchange(t *testing.T, c, s *conn.Socket, msg string) {
	t.Helper()
	if _, err := c.SendV([]byte(msg), conn.SendSpec{}); err != nil {
		t.Fatalf("send: %v", err)
	}
	buf := make([]byte, 1500)
	n, _, err := s.RecvV(buf)
	if err != nil || string(buf[:n]) != msg {
		t.Fatalf("server got %q, %v", buf[:n], err)
	}
	if _, err := s.SendV(buf[:n], conn.SendSpec{}); err != nil {
		t.Fatalf("echo: %v", err)
	}
	n, _, err = c.RecvV(buf)
	if err != nil || string(buf[:n]) != msg {
		t.Fatalf("client got %q, %v", buf[:n], err)
	}
}

func TestLoopbackAssociation(t *testing.T) {
	srv, cli, _ := loopbackPair(t, Config{})
	c, s := connect(t, srv, cli)
	if st := srv.Stats(); st.Peers != 1 || st.In == 0 || st.Out == 0 {
		t.Fatalf("server stats %+v", st)
	}
	if hd, ok := srv.Handle(cli.LocalAddr()); !ok || hd == 0 {
		t.Fatalf("server has no handle for the client")
	}
	exchange(t, c, s, "hello over udp")
}

func TestSharedPortWithRTP(t *testing.T) {
	var mu sync.Mutex
	rtp := 0
	srv, cli, _ := loopbackPair(t, Config{Other: func(b []byte, from net.Addr) {
		if len(b) > 0 && b[0]&0xc0 == 0x80 {
			mu.Lock()
			rtp++
			mu.Unlock()
		}
	}})
	// The client's socket also carries RTP to the server's port.
	for i := 0; i < 20; i++ {
		if _, err := cli.PacketConn().WriteTo(rtpPacket(), srv.LocalAddr()); err != nil {
			t.Fatal(err)
		}
	}
	c, s := connect(t, srv, cli)
	for i := 0; i < 20; i++ {
		cli.PacketConn().WriteTo(rtpPacket(), srv.LocalAddr())
	}
	waitFor(t, func() bool { mu.Lock(); defer mu.Unlock(); return rtp == 40 })
	if st := srv.Stats(); st.Other != 40 || st.UnexpectedSource != 0 {
		t.Fatalf("server stats %+v", st)
	}
	exchange(t, c, s, "sctp beside rtp")
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	end := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(end) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestUnexpectedSourceLoggedOnce(t *testing.T) {
	srv, cli, lg := loopbackPair(t, Config{})
	connect(t, srv, cli)
	stranger, err := net.ListenPacket("udp4", "127.0.0.2:0")
	if err != nil {
		t.Skip("no 127.0.0.2 on this host:", err)
	}
	defer stranger.Close()
	for i := 0; i < 3; i++ {
		stranger.WriteTo(sctpPacket(5000, 5000), cli.LocalAddr()) // the client is connected to srv only
		stranger.WriteTo(sctpPacket(5000, 5000), srv.LocalAddr()) // the server wants an INIT first
	}
	waitFor(t, func() bool { return cli.Stats().UnexpectedSource == 3 && srv.Stats().UnexpectedSource == 3 })
	if n := lg.count("unexpected UDP source " + stranger.LocalAddr().String()); n != 1 {
		t.Fatalf("client logged %d times, want once", n)
	}
	if n := lg.count("which is not a peer"); n != 1 {
		t.Fatalf("server logged %d times, want once", n)
	}
}

func TestMistakesLoggedOnce(t *testing.T) {
	srv, cli, lg := loopbackPair(t, Config{})
	inner := sctpPacket(5000, 5000)
	ip4 := append([]byte{0x45, 0, 0, byte(20 + len(inner)), 0, 0, 0x40, 0, 64, ipProtoSCTP, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1}, inner...)
	for i := 0; i < 3; i++ {
		cli.PacketConn().WriteTo(ip4, srv.LocalAddr())
		cli.PacketConn().WriteTo(sctpPacket(5001, 5000), srv.LocalAddr())
	}
	waitFor(t, func() bool { st := srv.Stats(); return st.RawIP == 3 && st.OtherPorts == 3 })
	if n := lg.count("IPv4 header carrying SCTP"); n != 1 {
		t.Fatalf("raw IP logged %d times", n)
	}
	if n := lg.count("with ports 5001→5000, expected 5000→5000"); n != 1 {
		t.Fatalf("wrong ports logged %d times", n)
	}
	if st := srv.Stats(); st.In != 0 || st.Peers != 0 {
		t.Fatalf("mistakes reached the stack: %+v", st)
	}
}

func TestWrongLocalPortLoggedOnce(t *testing.T) {
	srv, cli, lg := loopbackPair(t, Config{})
	_ = srv
	s, err := cli.Stack().Socket(conn.OneToOne, conn.Upcalls{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetNonBlocking(true)
	s.Connect(conn.Addr{Handle: cli.RemoteHandle(), Port: DefaultPort}) // unbound: an ephemeral source port
	waitFor(t, func() bool { return cli.Stats().WrongPortsOut > 0 && srv.Stats().Other > 0 })
	if lg.count("bind the socket to port 5000") != 1 {
		t.Fatal("not logged once")
	}
}
