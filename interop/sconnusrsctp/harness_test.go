package sconnusrsctp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/interop/usrsctp"
	"github.com/sconnlab/sconn/sysctl"
)

// Ports and the sconn handle of the link. The two stacks use different
// ports so that a mix-up shows.
const (
	sconnPort = 5000
	usrPort   = 6000
	hLink     = conn.Handle(7)
	nStreams  = 16
)

// gate drops the packets of a direction while closed.
type gate struct{ drop [2]atomic.Bool }

func (g *gate) hook(dir int) pipe.Hook {
	return func([]byte) bool { return !g.drop[dir].Load() }
}

// setup says how to build a pair.
type setup struct {
	sconnClient bool
	timers      sconnpeer.TimerMode
	// sconnOpts are set on the sconn socket (or listener) before the
	// handshake; usrPrep runs on the usrsctp socket (or listener).
	sconnOpts []conn.SettableOption
	usrPrep   func(*usrsctp.Socket) error
	pipeOpts  pipe.Options
	// sysctl, when set, is one assignment for sconn's stack
	// ("sctp_name=value").
	sysctl string
	// outputHook, when set, sees every packet sconn sends before it goes
	// on the link, on the sending goroutine (it may call ConnInput).
	outputHook func(p *pair, pkt []byte)
}

// msg is a received message or notification on either side.
type msg struct {
	sid       uint16
	ppid      uint32
	unordered bool
	data      []byte
	tsn, cum  uint32
	note      any // conn.Notification or usrsctp.Notification
}

// side is the receive log of one socket: a goroutine reads it from the
// start, passes messages to the handler and keeps notifications.
type side struct {
	name    string
	handler atomic.Pointer[func(msg)]
	msgs    atomic.Int64
	bytes   atomic.Int64

	mu      sync.Mutex
	notes   []any
	changed chan struct{}
	last    msg // latest message (TSN checks)
	done    chan struct{}
	endNote atomic.Bool // the association's last notification was read
	err     error       // why the reader stopped (io.EOF after a graceful end)
}

func newSide(name string) *side {
	return &side{name: name, changed: make(chan struct{}), done: make(chan struct{})}
}

func (s *side) onMsg(f func(msg)) { s.handler.Store(&f) }

func (s *side) setEnded()     { s.endNote.Store(true) }
func (s *side) endSeen() bool { return s.endNote.Load() }

// isEnd reports the notifications that end an association.
func isEnd(n conn.Notification) bool {
	ac, ok := n.(conn.AssocChange)
	return ok && (ac.State == conn.ShutdownComp || ac.State == conn.CommLost || ac.State == conn.CantStrAssoc)
}

func (s *side) deliver(m msg) {
	if m.note != nil {
		s.mu.Lock()
		s.notes = append(s.notes, m.note)
		close(s.changed)
		s.changed = make(chan struct{})
		s.mu.Unlock()
		return
	}
	s.msgs.Add(1)
	s.bytes.Add(int64(len(m.data)))
	s.mu.Lock()
	s.last = m
	s.mu.Unlock()
	if f := s.handler.Load(); f != nil {
		(*f)(m)
	}
}

func (s *side) finish(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
	close(s.done)
}

// waitNote waits for a notification that matches.
func (s *side) waitNote(ctx context.Context, match func(any) bool) (any, error) {
	for {
		s.mu.Lock()
		for _, n := range s.notes {
			if match(n) {
				s.mu.Unlock()
				return n, nil
			}
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: no such notification (have %v): %w", s.name, s.notesString(), ctx.Err())
		}
	}
}

func (s *side) notesString() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := "["
	for i, n := range s.notes {
		if i > 0 {
			out += ", "
		}
		out += noteString(n)
	}
	return out + "]"
}

func noteString(n any) string {
	switch n := n.(type) {
	case conn.Notification:
		return n.String()
	case *usrsctp.AssocChange:
		return fmt.Sprintf("usrsctp ASSOC_CHANGE %v assoc %d streams %d/%d", n.State, n.AssocID, n.OutboundStreams, n.InStreams)
	case usrsctp.Notification:
		return fmt.Sprintf("usrsctp %v", n.Type())
	}
	return fmt.Sprint(n)
}

// waitEnd waits for the reader to stop and returns why.
func (s *side) waitEnd(ctx context.Context) error {
	select {
	case <-s.done:
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.err
	case <-ctx.Done():
		return fmt.Errorf("%s: reader still running: %w", s.name, ctx.Err())
	}
}

// readSconn reads s until it fails. After end of file (the peer's
// SHUTDOWN) it goes on reading notifications until the association is gone.
func readSconn(sock *conn.Socket, sd *side) {
	buf := make([]byte, 1<<16)
	var eofAt time.Time
	for {
		m, err := sconnpeer.ReadMessage(context.Background(), sock, buf)
		if errors.Is(err, io.EOF) {
			// The association's last notification (SHUTDOWN_COMP or
			// COMM_LOST) may be queued after RecvV first returns end of
			// file: RecvV returns io.EOF at once while nothing is queued.
			if eofAt.IsZero() {
				eofAt = time.Now()
			}
			if !sd.endSeen() && time.Since(eofAt) < 2*time.Second {
				time.Sleep(time.Millisecond)
				continue
			}
		}
		if err != nil {
			sd.finish(err)
			return
		}
		if m.Notification != nil {
			sd.deliver(msg{note: m.Notification})
			if isEnd(m.Notification) {
				sd.setEnded()
			}
			continue
		}
		sd.deliver(msg{sid: m.Info.Stream, ppid: m.Info.PPID, unordered: m.Info.Flags&conn.RcvUnordered != 0,
			data: m.Data, tsn: m.Info.TSN, cum: m.Info.CumTSN})
	}
}

// readUsrsctp reads us until it fails.
func readUsrsctp(us *usrsctp.Socket, sd *side) {
	for {
		m, err := us.RecvMsg()
		if err != nil {
			sd.finish(err)
			return
		}
		if m.IsNotification {
			sd.deliver(msg{note: m.Notification})
			continue
		}
		sd.deliver(msg{sid: m.Info.SID, ppid: m.Info.PPID, unordered: m.Info.Unordered(), data: m.Data,
			tsn: m.Info.TSN, cum: m.Info.CumTSN})
	}
}

// pair is an sconn one-to-one socket associated with a usrsctp one over
// one pipe: end a is sconn's, end b usrsctp's.
type pair struct {
	t        *testing.T
	cfg      setup
	tap      *sconnpeer.Tap
	gate     *gate
	ca, cb   *pipe.Conn
	peer     *sconnpeer.Peer
	ep       *usrsctp.Endpoint
	s        *conn.Socket    // sconn's connected socket
	sln      *conn.Socket    // sconn's listener (usrsctp client)
	us       *usrsctp.Socket // usrsctp's connected socket
	uln      *usrsctp.Socket // usrsctp's listener (sconn client)
	sc, uc   *side
	closers  []func()
	usrClose sync.Once
}

func sconnDefaults() []conn.SettableOption {
	return []conn.SettableOption{
		conn.InitMsg{NumOStreams: nStreams, MaxInStreams: nStreams},
		conn.NoDelay(true),
	}
}

func usrDefaults(s *usrsctp.Socket) error {
	return errors.Join(
		s.SetInitMsg(usrsctp.InitMsg{OutStreams: nStreams, MaxInStreams: nStreams}),
		s.SetNoDelay(true),
		s.Subscribe(usrsctp.AllNotifications...),
	)
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// newPair builds a pair and waits for the handshake (and for COMM_UP on
// the sconn side).
func newPair(t *testing.T, cfg setup) *pair {
	t.Helper()
	p := &pair{t: t, cfg: cfg, tap: &sconnpeer.Tap{Keep: true}, gate: &gate{},
		sc: newSide("sconn"), uc: newSide("usrsctp")}
	opts := cfg.pipeOpts
	opts.AtoB = pipe.Chain(p.gate.hook(sconnpeer.AtoB), opts.AtoB)
	opts.BtoA = pipe.Chain(p.gate.hook(sconnpeer.BtoA), opts.BtoA)
	p.tap.Install(&opts)
	p.ca, p.cb = pipe.New(opts)
	var err error
	pc := sconnpeer.Config{Timers: cfg.timers}
	if cfg.sysctl != "" {
		pc.Sysctl = sysctl.Defaults()
		require.NoError(t, pc.Sysctl.SetString(cfg.sysctl))
	}
	p.peer, err = sconnpeer.New(pc)
	require.NoError(t, err)
	if cfg.outputHook == nil {
		require.NoError(t, p.peer.Attach(hLink, p.ca))
	} else {
		require.NoError(t, p.peer.AttachFunc(hLink, func(pkt []byte) error {
			cfg.outputHook(p, pkt)
			_, err := p.ca.Write(pkt)
			return err
		}))
		go func() {
			for {
				b, err := p.ca.ReadPacket()
				if err != nil {
					return
				}
				_ = p.peer.Stack.ConnInput(hLink, b, 0)
			}
		}()
	}
	p.ep = usrsctp.NewEndpoint()
	p.ep.Attach(p.cb)
	t.Cleanup(p.close)

	ctx := ctxFor(t, 10*time.Second)
	sopts := append(sconnDefaults(), cfg.sconnOpts...)
	prep := func(s *usrsctp.Socket) {
		require.NoError(t, usrDefaults(s))
		if cfg.usrPrep != nil {
			require.NoError(t, cfg.usrPrep(s))
		}
	}
	if cfg.sconnClient {
		p.uln, err = p.ep.Socket(false)
		require.NoError(t, err)
		prep(p.uln)
		require.NoError(t, p.uln.Bind(usrPort))
		require.NoError(t, p.uln.Listen(1))
		p.s, err = p.peer.Socket(conn.OneToOne, conn.Upcalls{}, sopts...)
		require.NoError(t, err)
		require.NoError(t, sconnpeer.Subscribe(p.s, sconnpeer.AllNotifications...))
		require.NoError(t, p.s.Bind(conn.Addr{Handle: hLink, Port: sconnPort}))
		require.NoError(t, sconnpeer.Connect(ctx, p.s, conn.Addr{Handle: hLink, Port: usrPort}))
		p.us, err = p.uln.AcceptContext(ctx)
		require.NoError(t, err)
	} else {
		p.sln, err = p.peer.Socket(conn.OneToOne, conn.Upcalls{}, sopts...)
		require.NoError(t, err)
		require.NoError(t, sconnpeer.Subscribe(p.sln, sconnpeer.AllNotifications...))
		require.NoError(t, p.sln.Bind(conn.Addr{Handle: hLink, Port: sconnPort}))
		require.NoError(t, p.sln.Listen(1))
		p.us, err = p.ep.Socket(false)
		require.NoError(t, err)
		prep(p.us)
		require.NoError(t, p.us.Bind(usrPort))
		require.NoError(t, p.us.ConnectContext(ctx, sconnPort))
		p.s, err = sconnpeer.Accept(ctx, p.sln)
		require.NoError(t, err)
	}
	go readSconn(p.s, p.sc)
	go readUsrsctp(p.us, p.uc)
	_, err = p.sc.waitNote(ctx, isConnCommUp)
	require.NoError(t, err)
	return p
}

func isConnCommUp(n any) bool {
	ac, ok := n.(conn.AssocChange)
	return ok && ac.State == conn.CommUp
}

func isConnState(st conn.AssocChangeState) func(any) bool {
	return func(n any) bool {
		ac, ok := n.(conn.AssocChange)
		return ok && ac.State == st
	}
}

func isUsrState(st usrsctp.AssocChangeState) func(any) bool {
	return func(n any) bool {
		ac, ok := n.(*usrsctp.AssocChange)
		return ok && ac.State == st
	}
}

func isConnType(t conn.NotificationType) func(any) bool {
	return func(n any) bool {
		c, ok := n.(conn.Notification)
		return ok && c.Type() == t
	}
}

func isUsrType(t usrsctp.NotificationType) func(any) bool {
	return func(n any) bool {
		c, ok := n.(usrsctp.Notification)
		return ok && c.Type() == t
	}
}

func (p *pair) close() {
	for i := len(p.closers) - 1; i >= 0; i-- {
		p.closers[i]()
	}
	_ = p.peer.Close()
	p.closeUsrsctp()
	_ = p.ep.Close()
	_ = p.ca.Close()
	_ = p.cb.Close()
	if err := p.tap.Err(); err != nil {
		p.t.Errorf("invalid packet on the link: %v", err)
	}
}

func (p *pair) closeUsrsctp() {
	p.usrClose.Do(func() {
		if p.us != nil {
			_ = p.us.Abort()
		}
		if p.uln != nil {
			_ = p.uln.Close()
		}
	})
}

// sendSconn sends the plan from sconn to usrsctp.
func sendSconn(ctx context.Context, s *conn.Socket, pl *traffic.Plan) error {
	for i := range pl.N {
		sid, ppid, data := pl.Message(i)
		info := conn.SendInfo{Stream: sid, PPID: ppid}
		if pl.Unordered {
			info.Flags |= conn.FlagUnordered
		}
		if err := sconnpeer.Send(ctx, s, data, info); err != nil {
			return fmt.Errorf("sconn send %d: %w", i, err)
		}
	}
	return nil
}

// sendUsrsctp sends the plan from usrsctp to sconn.
func sendUsrsctp(ctx context.Context, us *usrsctp.Socket, pl *traffic.Plan) error {
	for i := range pl.N {
		sid, ppid, data := pl.Message(i)
		if _, err := us.SendVContext(ctx, data, usrsctp.SendInfo{SID: sid, PPID: ppid, Unordered: pl.Unordered}); err != nil {
			return fmt.Errorf("usrsctp send %d: %w", i, err)
		}
	}
	return nil
}

// exchange sends toUsr from sconn and toSconn from usrsctp at the same
// time and verifies what each side receives.
func (p *pair) exchange(ctx context.Context, toUsr, toSconn *traffic.Plan) {
	t := p.t
	t.Helper()
	vu, vs := traffic.NewVerifier(toUsr), traffic.NewVerifier(toSconn)
	p.uc.onMsg(func(m msg) { _ = vu.Receive(m.sid, m.ppid, m.unordered, m.data) })
	p.sc.onMsg(func(m msg) { _ = vs.Receive(m.sid, m.ppid, m.unordered, m.data) })
	errs := make(chan error, 2)
	go func() { errs <- sendSconn(ctx, p.s, toUsr) }()
	go func() { errs <- sendUsrsctp(ctx, p.us, toSconn) }()
	for range 2 {
		require.NoError(t, <-errs)
	}
	for _, v := range []*traffic.Verifier{vu, vs} {
		select {
		case <-v.Done():
		case <-ctx.Done():
		}
	}
	require.NoError(t, vu.Err(), "sconn → usrsctp")
	require.NoError(t, vs.Err(), "usrsctp → sconn")
}

// roles runs f with sconn as client and as server.
func roles(t *testing.T, f func(t *testing.T, sconnClient bool)) {
	t.Run("sconn-client", func(t *testing.T) { f(t, true) })
	t.Run("usrsctp-client", func(t *testing.T) { f(t, false) })
}

// rolesTimers runs f in both roles and both timer modes of sconn.
func rolesTimers(t *testing.T, f func(t *testing.T, cfg setup)) {
	for _, tm := range []sconnpeer.TimerMode{sconnpeer.TimersGoroutine, sconnpeer.TimersHostLoop} {
		t.Run(tm.String(), func(t *testing.T) {
			roles(t, func(t *testing.T, sconnClient bool) { f(t, setup{sconnClient: sconnClient, timers: tm}) })
		})
	}
}

// waitUntil polls cond until it holds or ctx ends.
func waitUntil(t *testing.T, ctx context.Context, cond func() bool) {
	t.Helper()
	for poll := 100 * time.Microsecond; !cond(); poll = min(2*poll, 10*time.Millisecond) {
		select {
		case <-ctx.Done():
			t.Fatalf("condition not reached: %v", ctx.Err())
		case <-time.After(poll):
		}
	}
}
