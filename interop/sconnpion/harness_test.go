package sconnpion

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/sctp"
	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/pionpeer"
	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/sysctl"
	"github.com/sconnlab/sconn/wire"
)

// pion always uses SCTP port 5000 on both sides.
const (
	port     = 5000
	hLink    = conn.Handle(7)
	nStreams = 16
)

// pionCfg is pion's configuration in these tests: 1 MiB messages.
var pionCfg = pionpeer.Config{Name: "pion", MaxMessageSize: 1 << 20}

type gate struct{ drop [2]atomic.Bool }

func (g *gate) hook(dir int) pipe.Hook {
	return func([]byte) bool { return !g.drop[dir].Load() }
}

type setup struct {
	sconnClient bool
	timers      sconnpeer.TimerMode
	sconnOpts   []conn.SettableOption
	pionCfg     *pionpeer.Config
	// pipeOpts are chained after the tap and the gate (loss).
	pipeOpts pipe.Options
	// sysctl, when set, is one assignment for sconn's stack
	// ("sctp_name=value").
	sysctl string
	// relay puts a relay between pion and its pipe end, so that pion can
	// be replaced by a new association on the same link (restart).
	relay bool
}

type msg struct {
	sid       uint16
	ppid      uint32
	unordered bool
	data      []byte
	tsn, cum  uint32
	note      conn.Notification
}

// side is the receive log of sconn's socket (see the usrsctp tests).
type side struct {
	name    string
	handler atomic.Pointer[func(msg)]
	msgs    atomic.Int64
	bytes   atomic.Int64

	mu      sync.Mutex
	notes   []conn.Notification
	changed chan struct{}
	last    msg
	done    chan struct{}
	endNote atomic.Bool // the association's last notification was read
	err     error
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

func (s *side) waitNote(ctx context.Context, match func(conn.Notification) bool) (conn.Notification, error) {
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
			s.mu.Lock()
			defer s.mu.Unlock()
			return nil, fmt.Errorf("%s: no such notification (have %v): %w", s.name, s.notes, ctx.Err())
		}
	}
}

func (s *side) count(match func(conn.Notification) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, x := range s.notes {
		if match(x) {
			n++
		}
	}
	return n
}

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

func isState(st conn.AssocChangeState) func(conn.Notification) bool {
	return func(n conn.Notification) bool {
		ac, ok := n.(conn.AssocChange)
		return ok && ac.State == st
	}
}

func isType(t conn.NotificationType) func(conn.Notification) bool {
	return func(n conn.Notification) bool { return n.Type() == t }
}

// readSconn reads s until it fails; after end of file it goes on reading
// notifications until the association is gone.
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

// pionEmptyHeartbeat tolerates the HEARTBEAT without Heartbeat Info that
// pion/sctp v1.12.1 sends (ActiveHeartbeat and idle RTT probes; see
// TestHeartbeats): a lone 4-byte chunk of type 4 from pion's side.
func pionEmptyHeartbeat(dir int, pkt []byte, _ error) bool {
	return dir == sconnpeer.BtoA && len(pkt) == 16 && pkt[12] == byte(wire.ChunkHeartbeat) && pkt[14] == 0 && pkt[15] == 4
}

// pionSide is one pion association: every stream, accepted or opened,
// gets a reader; senders are paced by pion's buffered amount.
type pionSide struct {
	a       *sctp.Association
	handler atomic.Pointer[func(msg)]
	msgs    atomic.Int64
	bytes   atomic.Int64

	mu      sync.Mutex
	streams map[uint16]*sctp.Stream
	senders map[uint16]*pionpeer.Sender
	ended   chan struct{} // AcceptStream failed: the association is gone
	readErr map[uint16]error
}

func newPionSide(a *sctp.Association) *pionSide {
	p := &pionSide{a: a, streams: map[uint16]*sctp.Stream{}, senders: map[uint16]*pionpeer.Sender{},
		ended: make(chan struct{}), readErr: map[uint16]error{}}
	go func() {
		defer close(p.ended)
		for {
			s, err := a.AcceptStream()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.track(s)
			p.mu.Unlock()
		}
	}()
	return p
}

func (p *pionSide) onMsg(f func(msg)) { p.handler.Store(&f) }

// track starts a reader for s (p.mu held).
func (p *pionSide) track(s *sctp.Stream) {
	sid := s.StreamIdentifier()
	if _, ok := p.streams[sid]; ok {
		return
	}
	p.streams[sid] = s
	go func() {
		buf := make([]byte, 1<<20)
		for {
			n, ppid, err := s.ReadSCTP(buf)
			if err != nil {
				p.mu.Lock()
				p.readErr[sid] = err
				p.mu.Unlock()
				return
			}
			p.msgs.Add(1)
			p.bytes.Add(int64(n))
			if f := p.handler.Load(); f != nil {
				(*f)(msg{sid: sid, ppid: uint32(ppid), data: buf[:n]})
			}
		}
	}()
}

// sender returns the paced sender of stream sid, opening the stream.
func (p *pionSide) sender(sid uint16, unordered bool) (*pionpeer.Sender, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if w := p.senders[sid]; w != nil {
		return w, nil
	}
	s, ok := p.streams[sid]
	if !ok {
		var err error
		s, err = pionpeer.OpenStream(p.a, sid, sctp.PayloadTypeWebRTCBinary, unordered)
		if err != nil {
			return nil, err
		}
		p.track(s)
	} else {
		s.SetReliabilityParams(unordered, sctp.ReliabilityTypeReliable, 0)
	}
	w := pionpeer.NewSender(s, 1<<20, 512<<10)
	p.senders[sid] = w
	return w, nil
}

// send sends the plan from pion to sconn.
func (p *pionSide) send(ctx context.Context, pl *traffic.Plan) error {
	for i := range pl.N {
		sid, ppid, data := pl.Message(i)
		w, err := p.sender(sid, pl.Unordered)
		if err != nil {
			return err
		}
		if err := w.Write(ctx, data, sctp.PayloadProtocolIdentifier(ppid)); err != nil {
			return fmt.Errorf("pion send %d: %w", i, err)
		}
	}
	return nil
}

// pair is an sconn one-to-one socket associated with a pion association
// over one pipe: end a is sconn's, end b pion's.
type pair struct {
	t       *testing.T
	cfg     setup
	tap     *sconnpeer.Tap
	gate    *gate
	ca, cb  *pipe.Conn
	relay   *relay
	peer    *sconnpeer.Peer
	s       *conn.Socket
	sln     *conn.Socket
	pa      *sctp.Association
	ps      *pionSide
	sc      *side
	closers []func()
}

func sconnDefaults() []conn.SettableOption {
	return []conn.SettableOption{
		conn.InitMsg{NumOStreams: nStreams, MaxInStreams: nStreams},
		conn.NoDelay(true),
	}
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func newPair(t *testing.T, cfg setup) *pair {
	t.Helper()
	p := &pair{t: t, cfg: cfg, tap: &sconnpeer.Tap{Keep: true, Tolerate: pionEmptyHeartbeat}, gate: &gate{}, sc: newSide("sconn")}
	opts := cfg.pipeOpts
	opts.AtoB = pipe.Chain(p.gate.hook(sconnpeer.AtoB), opts.AtoB)
	opts.BtoA = pipe.Chain(p.gate.hook(sconnpeer.BtoA), opts.BtoA)
	p.tap.Install(&opts)
	p.ca, p.cb = pipe.New(opts)
	var err error
	pc0 := sconnpeer.Config{Timers: cfg.timers}
	if cfg.sysctl != "" {
		pc0.Sysctl = sysctl.Defaults()
		require.NoError(t, pc0.Sysctl.SetString(cfg.sysctl))
	}
	p.peer, err = sconnpeer.New(pc0)
	require.NoError(t, err)
	require.NoError(t, p.peer.Attach(hLink, p.ca))
	t.Cleanup(p.close)
	var pconn net.Conn = p.cb
	if cfg.relay {
		p.relay = newRelay(p.cb)
		pconn = p.relay.view()
	}
	pc := pionCfg
	if cfg.pionCfg != nil {
		pc = *cfg.pionCfg
	}

	ctx := ctxFor(t, 10*time.Second)
	sopts := append(sconnDefaults(), cfg.sconnOpts...)
	res := make(chan error, 1)
	if cfg.sconnClient {
		go func() {
			var err error
			p.pa, err = pionpeer.Server(ctx, pconn, pc)
			res <- err
		}()
		p.s, err = p.peer.Socket(conn.OneToOne, conn.Upcalls{}, sopts...)
		require.NoError(t, err)
		require.NoError(t, sconnpeer.Subscribe(p.s, sconnpeer.AllNotifications...))
		require.NoError(t, p.s.Bind(conn.Addr{Handle: hLink, Port: port}))
		require.NoError(t, sconnpeer.Connect(ctx, p.s, conn.Addr{Handle: hLink, Port: port}))
		require.NoError(t, <-res)
	} else {
		p.sln, err = p.peer.Socket(conn.OneToOne, conn.Upcalls{}, sopts...)
		require.NoError(t, err)
		require.NoError(t, sconnpeer.Subscribe(p.sln, sconnpeer.AllNotifications...))
		require.NoError(t, p.sln.Bind(conn.Addr{Handle: hLink, Port: port}))
		require.NoError(t, p.sln.Listen(1))
		go func() {
			var err error
			p.pa, err = pionpeer.Client(ctx, pconn, pc)
			res <- err
		}()
		p.s, err = sconnpeer.Accept(ctx, p.sln)
		require.NoError(t, err)
		require.NoError(t, <-res)
	}
	p.ps = newPionSide(p.pa)
	go readSconn(p.s, p.sc)
	_, err = p.sc.waitNote(ctx, isState(conn.CommUp))
	require.NoError(t, err)
	return p
}

func (p *pair) close() {
	for i := len(p.closers) - 1; i >= 0; i-- {
		p.closers[i]()
	}
	_ = p.peer.Close()
	if p.pa != nil {
		_ = p.pa.Close()
	}
	if p.relay != nil {
		p.relay.close()
	}
	_ = p.cb.Close()
	if err := p.tap.Err(); err != nil {
		p.t.Errorf("invalid packet on the link: %v", err)
	}
}

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

// exchange sends toPion from sconn and toSconn from pion at the same time
// and verifies both. pion does not report the U flag: the tests check it
// on the link.
func (p *pair) exchange(ctx context.Context, toPion, toSconn *traffic.Plan) {
	t := p.t
	t.Helper()
	vp, vs := traffic.NewVerifier(toPion), traffic.NewVerifier(toSconn)
	p.ps.onMsg(func(m msg) { _ = vp.Receive(m.sid, m.ppid, toPion.Unordered, m.data) })
	p.sc.onMsg(func(m msg) { _ = vs.Receive(m.sid, m.ppid, m.unordered, m.data) })
	errs := make(chan error, 2)
	go func() { errs <- sendSconn(ctx, p.s, toPion) }()
	go func() { errs <- p.ps.send(ctx, toSconn) }()
	for range 2 {
		require.NoError(t, <-errs)
	}
	for _, v := range []*traffic.Verifier{vp, vs} {
		select {
		case <-v.Done():
		case <-ctx.Done():
		}
	}
	require.NoError(t, vp.Err(), "sconn → pion")
	require.NoError(t, vs.Err(), "pion → sconn")
}

func roles(t *testing.T, f func(t *testing.T, sconnClient bool)) {
	t.Run("sconn-client", func(t *testing.T) { f(t, true) })
	t.Run("pion-client", func(t *testing.T) { f(t, false) })
}

func rolesTimers(t *testing.T, f func(t *testing.T, cfg setup)) {
	for _, tm := range []sconnpeer.TimerMode{sconnpeer.TimersGoroutine, sconnpeer.TimersHostLoop} {
		t.Run(tm.String(), func(t *testing.T) {
			roles(t, func(t *testing.T, sconnClient bool) { f(t, setup{sconnClient: sconnClient, timers: tm}) })
		})
	}
}

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

// chunks returns the chunks of type ct the tap kept in direction dir.
func chunks(tap *sconnpeer.Tap, dir int, ct wire.ChunkType) []wire.Chunk {
	var out []wire.Chunk
	for _, pk := range tap.Packets() {
		if pk.Dir != dir {
			continue
		}
		pkt, err := wire.ParsePacket(pk.Data)
		if err != nil {
			continue
		}
		for it := pkt.Chunks(); ; {
			c, ok := it.Next()
			if !ok {
				break
			}
			if c.Type() == ct {
				out = append(out, c)
			}
		}
	}
	return out
}

// ownAborts counts the ABORTs of direction dir without the T bit.
func ownAborts(tap *sconnpeer.Tap, dir int) int {
	n := 0
	for _, c := range chunks(tap, dir, wire.ChunkAbort) {
		if a, err := wire.DecodeAbort(c); err == nil && !a.TagReflected {
			n++
		}
	}
	return n
}

// relay sits between a pipe end and pion so that pion's association can
// be closed (which closes its net.Conn) and replaced on the same link:
// each view is a net.Conn that lives until closed; packets from the pipe
// go to the current view.
type relay struct {
	pc   *pipe.Conn
	mu   sync.Mutex
	cur  *view
	done chan struct{}
}

func newRelay(pc *pipe.Conn) *relay {
	r := &relay{pc: pc, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for {
			b, err := pc.ReadPacket()
			if err != nil {
				return
			}
			r.mu.Lock()
			v := r.cur
			r.mu.Unlock()
			if v != nil {
				v.push(b)
			}
		}
	}()
	return r
}

// view returns a new view, which from now on gets the link's packets.
func (r *relay) view() *view {
	v := &view{r: r, in: make(chan []byte, 8192), done: make(chan struct{})}
	r.mu.Lock()
	r.cur = v
	r.mu.Unlock()
	return v
}

func (r *relay) close() {
	_ = r.pc.Close()
	<-r.done
}

type view struct {
	r    *relay
	in   chan []byte
	done chan struct{}
	once sync.Once
}

func (v *view) push(b []byte) {
	select {
	case v.in <- b:
	default: // full: lost, like UDP
	}
}

func (v *view) Read(b []byte) (int, error) {
	select {
	case p := <-v.in:
		return copy(b, p), nil
	case <-v.done:
		return 0, net.ErrClosed
	}
}

func (v *view) Write(b []byte) (int, error) {
	select {
	case <-v.done:
		return 0, net.ErrClosed
	default:
	}
	return v.r.pc.Write(b)
}

func (v *view) Close() error {
	v.once.Do(func() { close(v.done) })
	return nil
}

func (v *view) LocalAddr() net.Addr              { return pipe.Addr("pion") }
func (v *view) RemoteAddr() net.Addr             { return pipe.Addr("sconn") }
func (v *view) SetDeadline(time.Time) error      { return nil }
func (v *view) SetReadDeadline(time.Time) error  { return nil }
func (v *view) SetWriteDeadline(time.Time) error { return nil }
