package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/internal/cli"
)

// options are the command line.
type options struct {
	listen    bool
	keep      bool
	udpLocal  string
	sport     uint
	dport     uint
	stream    uint
	ppid      uint
	unordered bool
	prTTL     int
	prRtx     int
	echo      bool
	discard   bool
	count     int
	verbose   bool
	pcap      string
	stats     bool
	hex       bool
	quit      time.Duration
	maxMsg    int
	sysctls   cli.Sysctls

	connTimeout time.Duration
}

// exit codes
const (
	exitOK        = 0
	exitFail      = 1
	exitUsage     = 2
	exitInterrupt = 130
)

// maxLine bounds a line read from stdin (one message).
const maxLine = 4 << 20

func parse(args []string, stderr io.Writer) (*options, []string, error) {
	o := &options{}
	fs := flag.NewFlagSet("sctpcat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.listen, "l", false, "listen on local UDP port PORT and answer whoever connects")
	fs.BoolVar(&o.keep, "k", false, "with -l and -echo or -discard: keep listening after an association ends, serve several at once")
	fs.StringVar(&o.udpLocal, "udp-local", "", "local UDP `PORT` (or HOST:PORT) when connecting (default any)")
	fs.UintVar(&o.sport, "sport", 5000, "local SCTP `port`")
	fs.UintVar(&o.dport, "dport", 5000, "SCTP `port` of the peer when connecting")
	fs.UintVar(&o.stream, "stream", 0, "stream `id` of the messages sent")
	fs.UintVar(&o.ppid, "ppid", 0, "payload protocol identifier (`PPID`) of the messages sent")
	fs.BoolVar(&o.unordered, "unordered", false, "send unordered messages")
	fs.IntVar(&o.prTTL, "pr-ttl", -1, "partial reliability: abandon a message not acknowledged within `MS` milliseconds")
	fs.IntVar(&o.prRtx, "pr-rtx", -1, "partial reliability: abandon a message after `N` retransmissions")
	fs.BoolVar(&o.echo, "echo", false, "server mode: send every message back (same stream, PPID, ordering); ignore stdin")
	fs.BoolVar(&o.discard, "discard", false, "server mode: swallow every message; ignore stdin")
	fs.IntVar(&o.count, "n", 0, "exit after `COUNT` messages received (then shut down gracefully); also send at most COUNT lines of stdin")
	fs.BoolVar(&o.verbose, "v", false, "log each packet (wire.Summary), notifications and warnings to stderr")
	fs.StringVar(&o.pcap, "pcap", "", "write every packet to `FILE` (pcap, SCTP in UDP)")
	fs.BoolVar(&o.stats, "stats", false, "print association, stack and UDP statistics to stderr at exit")
	fs.BoolVar(&o.hex, "x", false, "write received messages in hex")
	fs.DurationVar(&o.quit, "q", time.Second, "after stdin ends and everything sent is acknowledged, shut down once the peer has been silent for `DURATION`")
	fs.DurationVar(&o.connTimeout, "w", 0, "give up connecting after `DURATION` (default: when the INIT retransmissions are exhausted, sctp_init_rtx_max_default)")
	fs.IntVar(&o.maxMsg, "max-msg", 1<<20, "largest message received, in `bytes` (longer ones are an error)")
	fs.Var(&o.sysctls, "sysctl", "set a usrsctp tunable, `name=value` (repeatable), e.g. -sysctl sctp_init_rtx_max_default=2")
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: sctpcat [flags] HOST PORT     connect to the SCTP-over-UDP peer at HOST, UDP port PORT
       sctpcat -l [flags] PORT       listen on local UDP port PORT

Lines of stdin are sent as messages, received messages go to stdout, one per line.
Example with usrsctp: echo_server 11111 22222 listens on SCTP port 7 over UDP 11111:
  sctpcat -udp-local 22222 -dport 7 127.0.0.1 11111
and usrsctp's "client 127.0.0.1 7 0 22222 11111" talks to
  sctpcat -l -echo -sport 7 11111

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	rest := fs.Args()
	bad := func(f string, a ...any) (*options, []string, error) {
		return nil, nil, fmt.Errorf(f, a...)
	}
	switch {
	case o.listen && len(rest) != 1:
		return bad("-l takes one argument, the local UDP PORT (usage: sctpcat -l [flags] PORT)")
	case !o.listen && len(rest) != 2:
		return bad("want HOST PORT (usage: sctpcat [flags] HOST PORT, or sctpcat -l [flags] PORT)")
	case o.sport == 0 || o.sport > 65535:
		return bad("-sport %d: want an SCTP port 1-65535", o.sport)
	case o.dport == 0 || o.dport > 65535:
		return bad("-dport %d: want an SCTP port 1-65535", o.dport)
	case o.stream > 65534:
		return bad("-stream %d: want 0-65534", o.stream)
	case o.ppid > 0xffffffff:
		return bad("-ppid %d: want a 32-bit value", o.ppid)
	case o.prTTL >= 0 && o.prRtx >= 0:
		return bad("-pr-ttl and -pr-rtx are exclusive (one PR-SCTP policy per message)")
	case o.echo && o.discard:
		return bad("-echo and -discard are exclusive")
	case o.keep && !(o.listen && (o.echo || o.discard)):
		return bad("-k needs -l and -echo or -discard (stdin can feed one association only)")
	case o.count < 0:
		return bad("-n %d: want a count ≥ 0", o.count)
	case o.quit < 0:
		return bad("-q %v: want a duration ≥ 0", o.quit)
	case o.connTimeout < 0:
		return bad("-w %v: want a duration ≥ 0", o.connTimeout)
	}
	return o, rest, nil
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, rest, err := parse(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitUsage
		}
		if !strings.HasPrefix(err.Error(), "flag ") { // the flag package printed its own error
			fmt.Fprintf(stderr, "sctpcat: %v\n", err)
		}
		return exitUsage
	}
	fail := func(f string, a ...any) int {
		fmt.Fprintf(stderr, "sctpcat: "+f+"\n", a...)
		return exitFail
	}

	cfg := cli.Config{
		SPort: uint16(o.sport), DPort: uint16(o.dport),
		Sysctl:   o.sysctls.Values(),
		Log:      stderr,
		LogLevel: logging.LogLevelError,
	}
	if o.verbose {
		cfg.Verbose, cfg.LogLevel = stderr, logging.LogLevelWarn
	}
	if o.listen {
		p, err := cli.ParsePort("PORT", rest[0], false)
		if err != nil {
			return fail("%v", err)
		}
		cfg.Local = fmt.Sprintf(":%d", p)
		if o.udpLocal != "" {
			return fail("-udp-local is for connecting; with -l the local UDP port is PORT")
		}
	} else {
		if cfg.Remote, err = cli.ResolveUDP(rest[0], rest[1]); err != nil {
			return fail("%v", err)
		}
		if cfg.Local, err = cli.LocalUDP(o.udpLocal); err != nil {
			return fail("%v", err)
		}
	}
	var pcapFile *os.File
	var pcapBuf *bufio.Writer
	if o.pcap != "" {
		if pcapFile, err = os.Create(o.pcap); err != nil {
			return fail("-pcap: %v", err)
		}
		pcapBuf = bufio.NewWriter(pcapFile)
		cfg.Pcap = pcapBuf
	}
	ep, err := cli.Open(cfg)
	if err != nil {
		return fail("%v", err)
	}
	c := &cat{o: o, ep: ep, stdin: stdin, stdout: stdout, stderr: stderr}
	var code int
	if o.listen {
		code = c.serve(ctx)
	} else {
		code = c.connect(ctx, cfg.Remote)
	}
	linger := 3 * time.Second // let the shutdowns under way complete
	if code == exitInterrupt {
		linger = 200 * time.Millisecond
	}
	ep.Close(linger)
	if pcapBuf != nil {
		err := pcapBuf.Flush()
		if cerr := pcapFile.Close(); err == nil {
			err = cerr
		}
		if err != nil && code == exitOK {
			return fail("-pcap: %v", err)
		}
	}
	return code
}

// cat is one run of the command.
type cat struct {
	o      *options
	ep     *cli.Endpoint
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	outMu  sync.Mutex
	errMu  sync.Mutex
}

func (c *cat) logf(f string, a ...any) {
	if c.o.verbose {
		c.errMu.Lock()
		fmt.Fprintf(c.stderr, "sctpcat: "+f+"\n", a...)
		c.errMu.Unlock()
	}
}

func (c *cat) failf(f string, a ...any) int {
	c.errMu.Lock()
	fmt.Fprintf(c.stderr, "sctpcat: "+f+"\n", a...)
	c.errMu.Unlock()
	return exitFail
}

// newSocket makes a one-to-one socket with the options every session needs.
func (c *cat) newSocket() (*conn.Socket, error) {
	s, err := c.ep.Stack.Socket(conn.OneToOne, conn.Upcalls{})
	if err != nil {
		return nil, err
	}
	opts := []conn.SettableOption{
		conn.RecvRcvInfo(true),
		conn.NoDelay(true),
		conn.Event{Type: conn.NotifyAssocChange, On: true},
		conn.Event{Type: conn.NotifySendFailedEvent, On: true},
		conn.Event{Type: conn.NotifyShutdownEvent, On: true},
	}
	for _, opt := range opts {
		if err := s.SetOption(opt); err != nil {
			s.Close()
			return nil, fmt.Errorf("setting %s: %v", opt.OptionName(), err)
		}
	}
	if err := s.Bind(conn.Addr{Handle: conn.AnyHandle, Port: uint16(c.o.sport)}); err != nil {
		s.Close()
		return nil, fmt.Errorf("binding SCTP port %d: %v", c.o.sport, err)
	}
	return s, nil
}

// connect runs the client.
func (c *cat) connect(ctx context.Context, remote *net.UDPAddr) int {
	s, err := c.newSocket()
	if err != nil {
		return c.failf("%v", err)
	}
	defer s.Close()
	stop := context.AfterFunc(ctx, func() { s.Abort() })
	c.logf("connecting from UDP %v to %v, SCTP port %d > %d", c.ep.LocalAddr(), remote, c.o.sport, c.o.dport)
	if c.o.connTimeout > 0 {
		s.SetWriteDeadline(time.Now().Add(c.o.connTimeout))
	}
	err = s.Connect(conn.Addr{Handle: c.ep.Host.RemoteHandle(), Port: uint16(c.o.dport)})
	if !stop() {
		c.failf("interrupted while connecting to %v", remote)
		return exitInterrupt
	}
	if err != nil {
		return c.failf("%s", c.ep.ExplainConnect(err, remote, uint16(c.o.dport), c.o.connTimeout))
	}
	s.SetWriteDeadline(time.Time{})
	return c.session(ctx, s, remote, true)
}

// serve runs the server: one association, or any number with -k.
func (c *cat) serve(ctx context.Context) int {
	l, err := c.newSocket()
	if err != nil {
		return c.failf("%v", err)
	}
	defer l.Close()
	if err := l.Listen(8); err != nil {
		return c.failf("listen: %v", err)
	}
	c.logf("listening on UDP %v, SCTP port %d", c.ep.LocalAddr(), c.o.sport)
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	if !c.o.keep {
		s, peer, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				c.failf("interrupted while waiting for a peer")
				return exitInterrupt
			}
			return c.failf("accept: %v", err)
		}
		l.Close() // like nc -l: one association; later INITs are refused
		defer s.Close()
		return c.session(ctx, s, c.ep.PeerAddr(peer.Handle), false)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		s, peer, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return exitInterrupt
			}
			return c.failf("accept: %v", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.Close()
			c.session(ctx, s, c.ep.PeerAddr(peer.Handle), false)
		}()
	}
}

// session is one association: it moves messages until the association
// ends and returns the exit code.
func (c *cat) session(ctx context.Context, s *conn.Socket, peer net.Addr, client bool) int {
	x := &session{cat: c, s: s, peer: peer, nReached: make(chan struct{})}
	x.snap.Update(s)
	var st conn.Status
	if s.GetOption(&st) == nil {
		c.logf("association %v up with %v: streams out %d in %d", st.AssocID, peer, st.OutStreams, st.InStreams)
	}
	if int(c.o.stream) >= int(st.OutStreams) && st.OutStreams > 0 && !c.o.echo && !c.o.discard {
		c.failf("warning: -stream %d but the peer accepts only streams 0-%d", c.o.stream, st.OutStreams-1)
	}

	recvDone := make(chan error, 1)
	go func() { recvDone <- x.recvLoop() }()
	var sendDone chan error
	sending := !c.o.echo && !c.o.discard
	if sending {
		sendDone = make(chan error, 1)
		go func() { sendDone <- x.sendLoop() }()
	}

	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var (
		inputDone    bool      // stdin ended (or -n lines sent)
		ackedAt      time.Time // when everything sent was first seen acknowledged
		shuttingDown bool
		interrupted  bool
		lastSnap     time.Time
	)
	shutdown := func(why string) {
		if shuttingDown {
			return
		}
		shuttingDown = true
		x.snap.Update(s)
		c.logf("shutting down: %s", why)
		if err := s.Shutdown(conn.ShutWR); err != nil && !errors.Is(err, conn.ErrNotConnected) {
			c.logf("shutdown: %v", err)
		}
	}
	var abortTimer <-chan time.Time
	ctxDone := ctx.Done()
	for {
		select {
		case err := <-recvDone:
			return x.finish(err, interrupted)
		case err := <-sendDone:
			sendDone = nil
			inputDone = true
			if err != nil && !errors.Is(err, conn.ErrShutdown) && !errors.Is(err, conn.ErrClosed) {
				if errors.Is(err, conn.ErrNotConnected) || errors.Is(err, conn.ErrConnReset) || errors.Is(err, conn.ErrPeerUnreachable) {
					continue // the receive side reports how the association ended
				}
				x.snap.Update(s)
				s.Abort()
				<-recvDone
				return c.failf("%v", err)
			}
		case <-x.nReached:
			x.nReached = nil
			shutdown(fmt.Sprintf("%d messages received", c.o.count))
		case <-ctxDone:
			ctxDone = nil
			interrupted = true
			shutdown("interrupted")
			abortTimer = time.After(2 * time.Second)
		case <-abortTimer:
			s.Abort()
		case now := <-tick.C:
			if c.o.stats && now.Sub(lastSnap) > 100*time.Millisecond {
				x.snap.Update(s)
				lastSnap = now
			}
			if !sending || !inputDone || shuttingDown {
				continue
			}
			if n, err := s.BufferedAmount(0); err != nil || n > 0 {
				ackedAt = time.Time{}
				continue
			}
			if ackedAt.IsZero() {
				ackedAt = now
			}
			quiet := ackedAt
			if t := x.lastRecv.Load(); t > quiet.UnixNano() {
				quiet = time.Unix(0, t)
			}
			if now.Sub(quiet) >= c.o.quit {
				shutdown("input ended and everything sent was acknowledged")
			}
		}
	}
}

// session is the state of one association.
type session struct {
	*cat
	s        *conn.Socket
	peer     net.Addr
	snap     cli.AssocSnapshot
	recvd    atomic.Int64
	sent     atomic.Int64
	lastRecv atomic.Int64 // UnixNano of the last message
	nReached chan struct{}
	causes   []byte // of the ABORT that ended the association
	abandon  atomic.Int64
}

// finish reports how the association ended.
func (x *session) finish(err error, interrupted bool) int {
	x.snap.Update(x.s)
	c := x.cat
	if c.o.stats {
		if !c.o.keep {
			x.s.Close()
			c.ep.Settle(time.Second) // so that the stack counts the shutdown
		}
		c.errMu.Lock()
		x.snap.Print(c.stderr, c.ep)
		fmt.Fprintf(c.stderr, "messages: sent %d, received %d, abandoned (PR-SCTP) %d\n", x.sent.Load(), x.recvd.Load(), x.abandon.Load())
		c.errMu.Unlock()
	}
	switch {
	case interrupted && err == nil:
		c.logf("interrupted; association shut down")
		return exitInterrupt
	case interrupted:
		return c.failf("interrupted; association aborted")
	case err == nil:
		c.logf("association with %v shut down", x.peer)
		return exitOK
	}
	return c.failf("%s", cli.ExplainLost(err, x.peer, x.causes))
}

// recvLoop reads until the association ends: nil after a graceful
// shutdown, the association's error otherwise.
func (x *session) recvLoop() error {
	buf := make([]byte, 64<<10)
	var msg []byte
	for {
		n, info, err := x.s.RecvV(buf)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if info.Flags&conn.MsgNotification != 0 {
			x.notification(info.Notification)
			continue
		}
		msg = append(msg, buf[:n]...)
		if len(msg) > x.o.maxMsg {
			x.s.Abort()
			return fmt.Errorf("received a message longer than %d bytes (-max-msg)", x.o.maxMsg)
		}
		if info.Flags&conn.MsgEOR == 0 {
			continue
		}
		x.deliver(msg, info)
		msg = msg[:0]
	}
}

func (x *session) notification(n conn.Notification) {
	switch n := n.(type) {
	case conn.AssocChange:
		if n.State == conn.CommLost || n.State == conn.CantStrAssoc {
			x.causes = append([]byte(nil), n.AbortCauses...)
		}
	case conn.SendFailedEvent:
		if errors.Is(n.Err, conn.ErrMessageAbandoned) {
			x.abandon.Add(1)
		}
	}
	x.logf("notification: %v", n)
}

func (x *session) deliver(msg []byte, info conn.RecvInfo) {
	x.lastRecv.Store(time.Now().UnixNano())
	ri := info.RcvInfo
	switch {
	case x.o.echo:
		si := &conn.SendInfo{Stream: ri.Stream, PPID: ri.PPID}
		if ri.Flags&conn.RcvUnordered != 0 {
			si.Flags |= conn.FlagUnordered
		}
		if _, err := x.s.SendV(msg, conn.SendSpec{Info: si}); err != nil {
			x.logf("echo of a %d-byte message failed: %v", len(msg), err)
		} else {
			x.sent.Add(1)
		}
	case x.o.discard:
	default:
		x.outMu.Lock()
		if x.o.hex {
			fmt.Fprintf(x.stdout, "%s\n", hex.EncodeToString(msg))
		} else {
			// A message that already ends with a newline (usrsctp's client
			// sends whole lines) is not given a second one.
			if len(msg) > 0 && msg[len(msg)-1] == '\n' {
				x.stdout.Write(msg)
			} else {
				x.stdout.Write(append(msg, '\n'))
			}
		}
		x.outMu.Unlock()
	}
	if x.o.verbose {
		x.logf("message %d: %d bytes, stream %d, ssn %d, ppid %d, unordered %v", x.recvd.Load()+1, len(msg), ri.Stream, ri.SSN, ri.PPID, ri.Flags&conn.RcvUnordered != 0)
	}
	if n := x.recvd.Add(1); x.o.count > 0 && n == int64(x.o.count) {
		close(x.nReached)
	}
}

// sendLoop sends the lines of stdin until it ends (or -n lines were sent).
func (x *session) sendLoop() error {
	sc := bufio.NewScanner(x.stdin)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	si := &conn.SendInfo{Stream: uint16(x.o.stream), PPID: uint32(x.o.ppid)}
	if x.o.unordered {
		si.Flags |= conn.FlagUnordered
	}
	spec := conn.SendSpec{Info: si}
	switch {
	case x.o.prTTL >= 0:
		spec.PR = &conn.PRInfo{Policy: conn.PRTTL, Value: uint32(x.o.prTTL)}
	case x.o.prRtx >= 0:
		spec.PR = &conn.PRInfo{Policy: conn.PRRtx, Value: uint32(x.o.prRtx)}
	}
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			x.logf("empty line skipped (SCTP has no empty messages)")
			continue
		}
		// Counted first: the answer may come back (and end the session)
		// before SendV returns to this goroutine.
		n := x.sent.Add(1)
		if _, err := x.s.SendV(line, spec); err != nil {
			x.sent.Add(-1)
			return err
		}
		if x.o.count > 0 && n >= int64(x.o.count) {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading stdin: %v", err)
	}
	return nil
}
