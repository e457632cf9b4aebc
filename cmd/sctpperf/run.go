package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/internal/cli"
)

const (
	exitOK        = 0
	exitFail      = 1
	exitUsage     = 2
	exitInterrupt = 130
)

// tsctpPort is the SCTP port of usrsctp's tsctp, the default at both ends.
const tsctpPort = 5001

type options struct {
	listen   bool
	keep     bool
	udpLocal string
	sport    uint
	dport    uint
	count    int
	seconds  float64
	length   int
	unorder  bool
	policy   conn.PRPolicy
	prValue  uint
	noDelay  bool
	sndBuf   int
	rcvBuf   int
	jsonOut  bool
	verbose  bool
	pcap     string
	stats    bool
	sysctls  cli.Sysctls
	policyIn string

	connTimeout time.Duration
}

// parsePolicy reads -P: a name or usrsctp.h's number.
func parsePolicy(s string) (conn.PRPolicy, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "none":
		return conn.PRNone, nil
	case "1", "ttl":
		return conn.PRTTL, nil
	case "2", "buf", "prio":
		return conn.PRBuf, nil
	case "3", "rtx":
		return conn.PRRtx, nil
	}
	return 0, fmt.Errorf("-P %q: want none, ttl, rtx or buf (or usrsctp.h's numbers 0, 1, 3, 2)", s)
}

func parse(args []string, stderr io.Writer) (*options, []string, error) {
	o := &options{}
	fs := flag.NewFlagSet("sctpperf", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.listen, "l", false, "serve on local UDP port PORT: receive and report, as tsctp without an address")
	fs.BoolVar(&o.keep, "k", false, "with -l: keep serving after an association ends (tsctp's server does)")
	fs.StringVar(&o.udpLocal, "udp-local", "", "local UDP `PORT` (or HOST:PORT) when sending (default any); tsctp's -E")
	fs.UintVar(&o.sport, "sport", tsctpPort, "local SCTP `port`")
	fs.UintVar(&o.dport, "dport", tsctpPort, "SCTP `port` of the server when sending (tsctp's -p)")
	fs.IntVar(&o.count, "n", 0, "send `N` messages (default 1024 unless -T is given, as tsctp)")
	fs.Float64Var(&o.seconds, "T", 0, "send for `SECONDS` instead of a number of messages")
	fs.IntVar(&o.length, "L", 1024, "message `length` in bytes (tsctp's -l)")
	fs.BoolVar(&o.unorder, "u", false, "send unordered messages")
	fs.StringVar(&o.policyIn, "P", "none", "PR-SCTP `policy`: none, ttl, rtx or buf (numbers are usrsctp.h's: 0 none, 1 ttl, 2 buf, 3 rtx)")
	fs.UintVar(&o.prValue, "t", 0, "the policy's `value`: lifetime in ms (ttl) or retransmissions (rtx)")
	fs.BoolVar(&o.noDelay, "D", false, "turn Nagle off (SCTP_NODELAY)")
	fs.IntVar(&o.sndBuf, "S", 0, "socket send buffer in `bytes` (SO_SNDBUF; 0: the stack's default)")
	fs.IntVar(&o.rcvBuf, "R", 0, "socket receive buffer in `bytes` (SO_RCVBUF; 0: the stack's default)")
	fs.DurationVar(&o.connTimeout, "w", 0, "give up connecting after `DURATION` (default: when the INIT retransmissions are exhausted)")
	fs.BoolVar(&o.jsonOut, "json", false, "print one JSON object (messages, bytes, seconds, mbit_per_s, …) instead of the summary")
	fs.BoolVar(&o.verbose, "v", false, "log each packet (wire.Summary) and events to stderr")
	fs.StringVar(&o.pcap, "pcap", "", "write every packet to `FILE` (pcap, SCTP in UDP)")
	fs.BoolVar(&o.stats, "stats", false, "print association, stack and UDP statistics to stderr at exit")
	fs.Var(&o.sysctls, "sysctl", "set a usrsctp tunable, `name=value` (repeatable)")
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: sctpperf -l [flags] PORT      serve on local UDP port PORT
       sctpperf [flags] HOST PORT    send to UDP port PORT of HOST

Interoperates with usrsctp's tsctp (SCTP port 5001). Examples:
  tsctp -E 11111 -U 22222                                   (a tsctp server)
  sctpperf -udp-local 22222 -n 2000 -L 1200 127.0.0.1 11111 (sends to it)
  sctpperf -l 11111                                         (a server)
  tsctp -E 22222 -U 11111 -n 2000 -l 1200 127.0.0.1         (sends to it)

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	rest := fs.Args()
	var err error
	if o.policy, err = parsePolicy(o.policyIn); err != nil {
		return nil, nil, err
	}
	bad := func(f string, a ...any) (*options, []string, error) { return nil, nil, fmt.Errorf(f, a...) }
	switch {
	case o.listen && len(rest) != 1:
		return bad("-l takes one argument, the local UDP PORT (usage: sctpperf -l [flags] PORT)")
	case !o.listen && len(rest) != 2:
		return bad("want HOST PORT (usage: sctpperf [flags] HOST PORT, or sctpperf -l [flags] PORT)")
	case o.sport == 0 || o.sport > 65535:
		return bad("-sport %d: want an SCTP port 1-65535", o.sport)
	case o.dport == 0 || o.dport > 65535:
		return bad("-dport %d: want an SCTP port 1-65535", o.dport)
	case o.length < 1:
		return bad("-L %d: want a length ≥ 1", o.length)
	case o.count < 0 || o.seconds < 0:
		return bad("-n and -T must not be negative")
	case o.count > 0 && o.seconds > 0:
		return bad("-n and -T are exclusive")
	case o.keep && !o.listen:
		return bad("-k needs -l")
	case o.connTimeout < 0:
		return bad("-w %v: want a duration ≥ 0", o.connTimeout)
	case o.prValue > 0xffffffff:
		return bad("-t %d: want a 32-bit value", o.prValue)
	}
	if !o.listen && o.count == 0 && o.seconds == 0 {
		o.count = 1024
	}
	return o, rest, nil
}

// result is what one side measured.
type result struct {
	Role     string  `json:"role"`
	Peer     string  `json:"peer"`
	Messages uint64  `json:"messages"`
	Bytes    uint64  `json:"bytes"`
	Seconds  float64 `json:"seconds"`
	MbitPerS float64 `json:"mbit_per_s"`
	Length   int     `json:"length"` // message length (the first message's, for a server)
	// Server only: the RecvV calls and notifications, as tsctp counts them.
	RecvCalls     uint64 `json:"recv_calls,omitempty"`
	Notifications uint64 `json:"notifications,omitempty"`
	// Client only: messages abandoned under the PR-SCTP policy.
	Abandoned uint64 `json:"abandoned,omitempty"`
	Error     string `json:"error,omitempty"`
}

func (r *result) finish(d time.Duration) {
	r.Seconds = d.Seconds()
	if r.Seconds > 0 {
		r.MbitPerS = float64(r.Bytes) * 8 / r.Seconds / 1e6
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, rest, err := parse(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) && !strings.HasPrefix(err.Error(), "flag ") {
			fmt.Fprintf(stderr, "sctpperf: %v\n", err)
		}
		return exitUsage
	}
	p := &perf{o: o, stdout: stdout, stderr: stderr}
	cfg := cli.Config{SPort: uint16(o.sport), DPort: uint16(o.dport), Sysctl: o.sysctls.Values(),
		Log: stderr, LogLevel: logging.LogLevelError}
	if o.verbose {
		cfg.Verbose, cfg.LogLevel = stderr, logging.LogLevelWarn
	}
	if o.listen {
		port, err := cli.ParsePort("PORT", rest[0], false)
		if err != nil {
			return p.failf("%v", err)
		}
		if o.udpLocal != "" {
			return p.failf("-udp-local is for sending; with -l the local UDP port is PORT")
		}
		cfg.Local = ":" + strconv.Itoa(int(port))
	} else {
		if cfg.Remote, err = cli.ResolveUDP(rest[0], rest[1]); err != nil {
			return p.failf("%v", err)
		}
		if cfg.Local, err = cli.LocalUDP(o.udpLocal); err != nil {
			return p.failf("%v", err)
		}
	}
	var pcapFile *os.File
	var pcapBuf *bufio.Writer
	if o.pcap != "" {
		if pcapFile, err = os.Create(o.pcap); err != nil {
			return p.failf("-pcap: %v", err)
		}
		pcapBuf = bufio.NewWriter(pcapFile)
		cfg.Pcap = pcapBuf
	}
	if p.ep, err = cli.Open(cfg); err != nil {
		return p.failf("%v", err)
	}
	var code int
	if o.listen {
		code = p.serve(ctx)
	} else {
		code = p.send(ctx, cfg.Remote)
	}
	linger := 3 * time.Second // let the shutdowns under way complete
	if code == exitInterrupt {
		linger = 200 * time.Millisecond
	}
	p.ep.Close(linger)
	if pcapBuf != nil {
		err := pcapBuf.Flush()
		if cerr := pcapFile.Close(); err == nil {
			err = cerr
		}
		if err != nil && code == exitOK {
			code = p.failf("-pcap: %v", err)
		}
	}
	return code
}

type perf struct {
	o      *options
	ep     *cli.Endpoint
	stdout io.Writer
	stderr io.Writer
	mu     sync.Mutex // stdout and stderr
}

func (p *perf) failf(f string, a ...any) int {
	p.mu.Lock()
	fmt.Fprintf(p.stderr, "sctpperf: "+f+"\n", a...)
	p.mu.Unlock()
	return exitFail
}

func (p *perf) logf(f string, a ...any) {
	if p.o.verbose {
		p.mu.Lock()
		fmt.Fprintf(p.stderr, "sctpperf: "+f+"\n", a...)
		p.mu.Unlock()
	}
}

func (p *perf) newSocket() (*conn.Socket, error) {
	s, err := p.ep.Stack.Socket(conn.OneToOne, conn.Upcalls{})
	if err != nil {
		return nil, err
	}
	var opts []conn.SettableOption
	if !p.o.listen {
		// The sender learns why an association failed and counts the
		// messages abandoned under PR-SCTP. The server subscribes to
		// nothing, as tsctp's, so that its notification count means the same.
		opts = append(opts, conn.Event{Type: conn.NotifyAssocChange, On: true},
			conn.Event{Type: conn.NotifySendFailedEvent, On: true})
	}
	if p.o.noDelay {
		opts = append(opts, conn.NoDelay(true))
	}
	if p.o.sndBuf > 0 {
		opts = append(opts, conn.SndBuf(p.o.sndBuf))
	}
	if p.o.rcvBuf > 0 {
		opts = append(opts, conn.RcvBuf(p.o.rcvBuf))
	}
	for _, opt := range opts {
		if err := s.SetOption(opt); err != nil {
			s.Close()
			return nil, fmt.Errorf("setting %s: %v", opt.OptionName(), err)
		}
	}
	if err := s.Bind(conn.Addr{Handle: conn.AnyHandle, Port: uint16(p.o.sport)}); err != nil {
		s.Close()
		return nil, fmt.Errorf("binding SCTP port %d: %v", p.o.sport, err)
	}
	return s, nil
}

// report prints a result: tsctp's summary, or one JSON object.
func (p *perf) report(r *result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.o.jsonOut {
		b, _ := json.Marshal(r)
		fmt.Fprintf(p.stdout, "%s\n", b)
		return
	}
	bps := 0.0
	if r.Seconds > 0 {
		bps = float64(r.Bytes) / r.Seconds
	}
	if r.Role == "server" {
		// tsctp's server line: length, messages, recv calls, bytes, seconds,
		// bytes per second, notifications.
		fmt.Fprintf(p.stdout, "%d, %d, %d, %d, %f, %f, %d\n", r.Length, r.Messages, r.RecvCalls, r.Bytes, r.Seconds, bps, r.Notifications)
		return
	}
	fmt.Fprintf(p.stdout, "Sending of %d messages of length %d took %f seconds.\nThroughput was %f Byte/sec.\n",
		r.Messages, r.Length, r.Seconds, bps)
}

// serve receives: one association, or one after the other with -k.
func (p *perf) serve(ctx context.Context) int {
	l, err := p.newSocket()
	if err != nil {
		return p.failf("%v", err)
	}
	defer l.Close()
	if err := l.Listen(8); err != nil {
		return p.failf("listen: %v", err)
	}
	p.logf("listening on UDP %v, SCTP port %d", p.ep.LocalAddr(), p.o.sport)
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	code := exitOK
	for {
		s, peer, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				if p.o.keep {
					return code
				}
				return exitInterrupt
			}
			return p.failf("accept: %v", err)
		}
		if !p.o.keep {
			l.Close()
		}
		c := p.receive(ctx, s, p.ep.PeerAddr(peer.Handle))
		s.Close()
		if c != exitOK {
			code = c
		}
		if !p.o.keep {
			return code
		}
	}
}

// receive counts what one association brings, as tsctp's server does,
// from the association's start to its end.
func (p *perf) receive(ctx context.Context, s *conn.Socket, peer net.Addr) int {
	start := time.Now()
	p.logf("association from %v", peer)
	stop := context.AfterFunc(ctx, func() { s.Abort() })
	defer stop()
	r := &result{Role: "server", Peer: fmt.Sprint(peer)}
	var snap cli.AssocSnapshot
	buf := make([]byte, 64<<10)
	var cur uint64 // bytes of the message being received
	var causes []byte
	var rerr error
	for {
		n, info, err := s.RecvV(buf)
		if err != nil {
			if err != io.EOF {
				rerr = err
			}
			break
		}
		r.RecvCalls++
		if info.Flags&conn.MsgNotification != 0 {
			r.Notifications++
			if ac, ok := info.Notification.(conn.AssocChange); ok && (ac.State == conn.CommLost) {
				causes = ac.AbortCauses
			}
			p.logf("notification: %v", info.Notification)
			continue
		}
		r.Bytes += uint64(n)
		cur += uint64(n)
		if info.Flags&conn.MsgEOR != 0 {
			r.Messages++
			if r.Length == 0 {
				r.Length = int(cur)
				if p.o.stats {
					snap.Update(s)
				}
			}
			cur = 0
		}
	}
	r.finish(time.Since(start))
	snap.Update(s)
	if rerr != nil {
		r.Error = cli.ExplainLost(rerr, peer, causes)
		if ctx.Err() != nil {
			r.Error = "interrupted"
		}
	}
	p.report(r)
	if p.o.stats {
		if !p.o.keep {
			s.Close()
			p.ep.Settle(time.Second) // so that the stack counts the shutdown
		}
		p.mu.Lock()
		snap.Print(p.stderr, p.ep)
		p.mu.Unlock()
	}
	if rerr != nil {
		if ctx.Err() != nil {
			p.failf("interrupted")
			return exitInterrupt
		}
		return p.failf("%s", r.Error)
	}
	return exitOK
}

// send connects, sends -n messages (or for -T seconds), waits until they are
// acknowledged, and shuts down.
func (p *perf) send(ctx context.Context, remote *net.UDPAddr) int {
	s, err := p.newSocket()
	if err != nil {
		return p.failf("%v", err)
	}
	defer s.Close()
	stop := context.AfterFunc(ctx, func() { s.Abort() })
	defer stop()
	p.logf("connecting from UDP %v to %v, SCTP port %d > %d", p.ep.LocalAddr(), remote, p.o.sport, p.o.dport)
	if p.o.connTimeout > 0 {
		s.SetWriteDeadline(time.Now().Add(p.o.connTimeout))
	}
	if err := s.Connect(conn.Addr{Handle: p.ep.Host.RemoteHandle(), Port: uint16(p.o.dport)}); err != nil {
		if ctx.Err() != nil {
			p.failf("interrupted while connecting to %v", remote)
			return exitInterrupt
		}
		return p.failf("%s", p.ep.ExplainConnect(err, remote, uint16(p.o.dport), p.o.connTimeout))
	}
	s.SetWriteDeadline(time.Time{})
	var snap cli.AssocSnapshot
	snap.Update(s)

	// The receive side: notifications, and the end of the association.
	var abandoned atomic.Uint64
	var causes atomic.Pointer[[]byte]
	recvDone := make(chan error, 1)
	go func() {
		buf := make([]byte, 64<<10)
		for {
			_, info, err := s.RecvV(buf)
			if err == io.EOF {
				recvDone <- nil
				return
			}
			if err != nil {
				recvDone <- err
				return
			}
			switch n := info.Notification.(type) {
			case conn.SendFailedEvent:
				if errors.Is(n.Err, conn.ErrMessageAbandoned) {
					abandoned.Add(1)
				}
				continue // one per message under PR-SCTP: not worth a log line each
			case conn.AssocChange:
				if n.State == conn.CommLost {
					c := append([]byte(nil), n.AbortCauses...)
					causes.Store(&c)
				}
			}
			if info.Notification != nil {
				p.logf("notification: %v", info.Notification)
			}
		}
	}()
	lost := func(err error) int {
		c := causes.Load()
		var cs []byte
		if c != nil {
			cs = *c
		}
		if ctx.Err() != nil {
			p.failf("interrupted")
			return exitInterrupt
		}
		return p.failf("%s", cli.ExplainLost(err, remote, cs))
	}

	info := &conn.SendInfo{}
	if p.o.unorder {
		info.Flags |= conn.FlagUnordered
	}
	spec := conn.SendSpec{Info: info}
	if p.o.policy != conn.PRNone {
		spec.PR = &conn.PRInfo{Policy: p.o.policy, Value: uint32(p.o.prValue)}
	}
	msg := make([]byte, p.o.length)
	for i := range msg {
		msg[i] = 'A' + byte(i%26)
	}
	r := &result{Role: "client", Peer: remote.String(), Length: p.o.length}
	start := time.Now()
	deadline := start.Add(time.Duration(p.o.seconds * float64(time.Second)))
	var sendErr error
	for i := 0; p.o.count == 0 || i < p.o.count; i++ {
		if p.o.seconds > 0 && i%16 == 0 && !time.Now().Before(deadline) {
			break
		}
		if len(msg) >= 4 {
			binary.BigEndian.PutUint32(msg, uint32(i))
		}
		if _, err := s.SendV(msg, spec); err != nil {
			sendErr = err
			break
		}
		r.Messages++
		r.Bytes += uint64(len(msg))
	}
	sendTime := time.Since(start)
	if sendErr != nil {
		s.Abort()
		if err := <-recvDone; err != nil {
			return lost(err)
		}
		return p.failf("sending: %v", sendErr)
	}
	p.logf("%d messages queued in %v; waiting for their acknowledgement", r.Messages, sendTime)
	// Wait until everything is acknowledged (or abandoned).
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
wait:
	for {
		select {
		case err := <-recvDone:
			if err == nil {
				err = errors.New("the peer shut the association down before everything was acknowledged")
			}
			return lost(err)
		case <-tick.C:
			if n, err := s.BufferedAmount(0); err != nil || n == 0 {
				break wait
			}
		}
	}
	r.finish(time.Since(start))
	r.Abandoned = abandoned.Load()
	snap.Update(s)
	if err := s.Shutdown(conn.ShutWR); err != nil {
		p.logf("shutdown: %v", err)
	}
	if err := <-recvDone; err != nil {
		return lost(err)
	}
	r.Abandoned = abandoned.Load()
	p.report(r)
	if p.o.stats {
		s.Close()
		p.ep.Settle(time.Second)
		p.mu.Lock()
		snap.Print(p.stderr, p.ep)
		if r.Abandoned > 0 {
			fmt.Fprintf(p.stderr, "abandoned (PR-SCTP): %d messages\n", r.Abandoned)
		}
		p.mu.Unlock()
	}
	return exitOK
}
