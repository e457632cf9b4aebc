package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn"
	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/conn/udp"
	"github.com/sconnlab/sconn/wire"
)

// udpResult is what part 2 reports.
type udpResult struct {
	flows             [2]*flow
	rtpSent, rtpAtSrv int64
	rtcpAtCli         int64
	srv, cli          udp.Stats
	dropSrv, dropCli  string
	warnings          []string
	assocStats        [2]string
	took              time.Duration
}

// warnLog keeps the warnings of the "sctp:udp" scope (the classic
// mistakes, logged once each).
type warnLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *warnLog) NewLogger(scope string) logging.LeveledLogger {
	if scope != "sctp:udp" {
		return quietLogs{}.NewLogger(scope)
	}
	return &warnLogger{l}
}

type warnLogger struct{ l *warnLog }

func (w *warnLogger) Warn(m string) {
	w.l.mu.Lock()
	w.l.lines = append(w.l.lines, m)
	w.l.mu.Unlock()
}
func (w *warnLogger) Warnf(f string, a ...any) { w.Warn(fmt.Sprintf(f, a...)) }
func (w *warnLogger) Trace(string)             {}
func (w *warnLogger) Tracef(string, ...any)    {}
func (w *warnLogger) Debug(string)             {}
func (w *warnLogger) Debugf(string, ...any)    {}
func (w *warnLogger) Info(string)              {}
func (w *warnLogger) Infof(string, ...any)     {}
func (w *warnLogger) Error(string)             {}
func (w *warnLogger) Errorf(string, ...any)    {}

// rtpPacket returns a fake RTP packet (version 2, payload type 96).
func rtpPacket(seq uint16) []byte {
	b := make([]byte, 12+160)
	b[0], b[1] = 0x80, 96
	binary.BigEndian.PutUint16(b[2:], seq)
	binary.BigEndian.PutUint32(b[4:], uint32(seq)*960)
	binary.BigEndian.PutUint32(b[8:], 0x5c0ffee)
	return b
}

// rtcpReceiverReport returns a fake RTCP RR (version 2, PT 201).
func rtcpReceiverReport() []byte {
	return []byte{0x80, 201, 0, 1, 0x0d, 0xec, 0xaf, 0xba}
}

// runUDP runs a PlainTransport-style server on loopback: SCTP over UDP on
// the same port as RTP, both ways.
func runUDP(ctx context.Context, w io.Writer, o options) (*udpResult, error) {
	start := time.Now()
	res := &udpResult{}
	warns := &warnLog{}
	var rtpAtSrv, rtcpAtCli atomic.Int64
	var srvHost *udp.Host
	srvHost, err := udp.Listen("udp4", "127.0.0.1:0", udp.Config{
		Stack: conn.Config{LoggerFactory: warns},
		// RTP and RTCP share the port: the host hands them here.
		Other: func(b []byte, from net.Addr) {
			if len(b) >= 12 && b[0]>>6 == 2 && b[1] == 96 {
				rtpAtSrv.Add(1)
				if rtpAtSrv.Load()%10 == 0 { // a receiver report now and then
					srvHost.PacketConn().WriteTo(rtcpReceiverReport(), from)
				}
			}
		},
	})
	if err != nil {
		return nil, err
	}
	defer srvHost.Close()
	go srvHost.Serve()

	// The client reads its own socket and demultiplexes with IsSCTP.
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer pc.Close()
	if u, ok := pc.(*net.UDPConn); ok {
		u.SetReadBuffer(4 << 20)
	}
	cliHost, err := udp.NewHost(pc, udp.Config{Remote: srvHost.LocalAddr(), Stack: conn.Config{LoggerFactory: quietLogs{}}})
	if err != nil {
		return nil, err
	}
	defer cliHost.Close()
	go func() {
		buf := make([]byte, 65536)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if udp.IsSCTP(buf[:n]) {
				cliHost.Input(buf[:n], from)
			} else {
				rtcpAtCli.Add(1)
			}
		}
	}()
	fmt.Fprintf(w, "\npart 2: PlainTransport-style SCTP over UDP: server %v, client %v; the client also sends %d RTP packets to the same port\n",
		srvHost.LocalAddr(), pc.LocalAddr(), o.RTP)

	ln, err := sconn.ListenUDP(srvHost, nil)
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	type acc struct {
		a   *sconn.Association
		err error
	}
	accc := make(chan acc, 1)
	go func() {
		a, err := ln.Accept(ctx)
		accc <- acc{a, err}
	}()
	cli, err := sconn.DialUDP(ctx, cliHost, nil)
	if err != nil {
		return nil, err
	}
	defer cli.Abort()
	r := <-accc
	if r.err != nil {
		return nil, r.err
	}
	srv := r.a
	defer srv.Abort()
	fmt.Fprintf(w, "  association up\n")

	// Two classic mistakes, which the server logs once and counts: SCTP
	// with other ports, and SCTP behind an IPv4 header.
	wrong := make([]byte, 12, 20)
	binary.BigEndian.PutUint16(wrong[0:], 5001)
	binary.BigEndian.PutUint16(wrong[2:], 5000)
	wrong = append(wrong, 4, 0, 0, 4) // HEARTBEAT header
	wire.SetChecksum(wrong)
	ip := append([]byte{0x45, 0, 0, byte(20 + len(wrong)), 0, 0, 0x40, 0, 64, 132, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1}, wrong...)
	binary.BigEndian.PutUint16(ip[20:], 5000)
	for i := 0; i < 2; i++ {
		pc.WriteTo(wrong, srvHost.LocalAddr())
		pc.WriteTo(ip, srvHost.LocalAddr())
	}

	var rtpSent atomic.Int64
	rtpDone := make(chan struct{})
	go func() {
		defer close(rtpDone)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for i := 0; i < o.RTP; i++ {
			select {
			case <-t.C:
			case <-ctx.Done():
				return
			}
			if _, err := pc.WriteTo(rtpPacket(uint16(i)), srvHost.LocalAddr()); err == nil {
				rtpSent.Add(1)
			}
		}
	}()
	extra := func() string {
		return fmt.Sprintf("RTP %d sent, %d demuxed at the server", rtpSent.Load(), rtpAtSrv.Load())
	}
	flows, err := exchange(ctx, w, o, "udp", cli, srv, extra)
	if err != nil {
		return nil, err
	}
	select {
	case <-rtpDone:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Loopback does not lose packets, but give the last ones a moment.
	for end := time.Now().Add(time.Second); rtpAtSrv.Load() < rtpSent.Load() && time.Now().Before(end); {
		time.Sleep(time.Millisecond)
	}
	res.flows = flows
	res.rtpSent, res.rtpAtSrv, res.rtcpAtCli = rtpSent.Load(), rtpAtSrv.Load(), rtcpAtCli.Load()
	res.srv, res.cli = srvHost.Stats(), cliHost.Stats()
	res.dropSrv, res.dropCli = dropLine(srvHost.Stack()), dropLine(cliHost.Stack())
	res.assocStats = [2]string{assocLine(cli), assocLine(srv)}
	warns.mu.Lock()
	res.warnings = append(res.warnings, warns.lines...)
	warns.mu.Unlock()
	res.took = time.Since(start)
	return res, nil
}

func (r *udpResult) print(w io.Writer) {
	fmt.Fprintf(w, "== part 2: SCTP over UDP beside RTP (%v) ==\n", r.took.Round(time.Millisecond))
	for _, f := range r.flows {
		fmt.Fprintf(w, "  %s: %d messages sent, %d received exactly once and in order (%d bytes)\n",
			f.name, f.sent.Load(), f.recv.Load(), f.bytes.Load())
	}
	fmt.Fprintf(w, "  RTP: %d packets sent by the client, %d handed to the server's media handler; %d RTCP reports back, told apart by IsSCTP\n",
		r.rtpSent, r.rtpAtSrv, r.rtcpAtCli)
	fmt.Fprintf(w, "  server UDP host: %d SCTP datagrams in, %d out, %d non-SCTP (of which %d SCTP with wrong ports, %d SCTP behind an IP header), %d from unexpected sources\n",
		r.srv.In, r.srv.Out, r.srv.Other, r.srv.OtherPorts, r.srv.RawIP, r.srv.UnexpectedSource)
	fmt.Fprintf(w, "  client UDP host: %d SCTP datagrams in, %d out\n", r.cli.In, r.cli.Out)
	fmt.Fprintf(w, "  association (client): %s\n", r.assocStats[0])
	fmt.Fprintf(w, "  association (server): %s\n", r.assocStats[1])
	fmt.Fprintf(w, "  drops at the server stack: %s\n", r.dropSrv)
	fmt.Fprintf(w, "  drops at the client stack: %s\n", r.dropCli)
	for _, l := range r.warnings {
		fmt.Fprintf(w, "  logged once: %s\n", l)
	}
}
