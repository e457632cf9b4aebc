package sconnusrsctp

import (
	"context"
	"fmt"
	"io"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/interop/usrsctp"
	"github.com/sconnlab/sconn/wire"
)

// net is one sconn peer joined to several usrsctp endpoints, each over
// its own pipe and sconn handle.
type net struct {
	t    *testing.T
	peer *sconnpeer.Peer
	eps  []*usrsctp.Endpoint
	taps []*sconnpeer.Tap
}

func newNet(t *testing.T, links int) *net {
	n := &net{t: t}
	var err error
	n.peer, err = sconnpeer.New(sconnpeer.Config{})
	require.NoError(t, err)
	for i := range links {
		tap := &sconnpeer.Tap{Keep: true}
		var opts pipe.Options
		tap.Install(&opts)
		a, b := pipe.New(opts)
		require.NoError(t, n.peer.Attach(conn.Handle(i+1), a))
		ep := usrsctp.NewEndpoint()
		ep.Attach(b)
		n.eps = append(n.eps, ep)
		n.taps = append(n.taps, tap)
	}
	return n
}

func (n *net) close(sockets ...*usrsctp.Socket) {
	_ = n.peer.Close()
	for _, s := range sockets {
		_ = s.Abort()
	}
	for _, ep := range n.eps {
		_ = ep.Close()
	}
	for i, tap := range n.taps {
		if err := tap.Err(); err != nil {
			n.t.Errorf("link %d: invalid packet: %v", i+1, err)
		}
	}
}

// echoSconn reads a one-to-many sconn socket and echoes every message to
// its association; notifications go to sd.
func echoSconn(s *conn.Socket, sd *side) {
	buf := make([]byte, 1<<16)
	for {
		m, err := sconnpeer.ReadMessage(context.Background(), s, buf)
		if err != nil {
			sd.finish(err)
			return
		}
		if m.Notification != nil {
			sd.deliver(msg{note: m.Notification})
			continue
		}
		sd.deliver(msg{sid: m.Info.Stream, data: m.Data})
		info := conn.SendInfo{Stream: m.Info.Stream, PPID: m.Info.PPID, AssocID: m.Info.AssocID}
		if m.Info.Flags&conn.RcvUnordered != 0 {
			info.Flags |= conn.FlagUnordered
		}
		if _, err := s.SendV(m.Data, conn.SendSpec{Info: &info}); err != nil {
			sd.finish(fmt.Errorf("echo to assoc %d: %w", m.Info.AssocID, err))
			return
		}
	}
}

// echoUsrsctp is echoSconn for a usrsctp one-to-many socket.
func echoUsrsctp(s *usrsctp.Socket, sd *side) {
	for {
		m, err := s.RecvMsg()
		if err != nil {
			sd.finish(err)
			return
		}
		if m.IsNotification {
			sd.deliver(msg{note: m.Notification})
			continue
		}
		sd.deliver(msg{sid: m.Info.SID, data: m.Data})
		if _, err := s.SendV(m.Data, usrsctp.SendInfo{SID: m.Info.SID, PPID: m.Info.PPID, Unordered: m.Info.Unordered(), AssocID: m.Info.AssocID}); err != nil {
			sd.finish(fmt.Errorf("echo to assoc %d: %w", m.Info.AssocID, err))
			return
		}
	}
}

// countNotes counts the notifications of sd that match.
func countNotes(sd *side, match func(any) bool) int {
	sd.mu.Lock()
	defer sd.mu.Unlock()
	n := 0
	for _, x := range sd.notes {
		if match(x) {
			n++
		}
	}
	return n
}

// TestOneToManySconnServer: one sconn one-to-many socket bound to
// AnyHandle serves six usrsctp clients, two ports on each of three links
// (handles): it demultiplexes them by handle and port, echoes 100 messages
// per client on four streams to the right association, then ends them one
// way each: a client's SHUTDOWN, an ABORT through SendV(FlagAbort,
// AssocID), and SendV(FlagEOF|FlagSendAll) for the rest.
func TestOneToManySconnServer(t *testing.T) {
	n := newNet(t, 3)
	ctx := ctxFor(t, 30*time.Second)
	srv, err := n.peer.Socket(conn.OneToMany, conn.Upcalls{}, sconnDefaults()...)
	require.NoError(t, err)
	require.NoError(t, sconnpeer.Subscribe(srv, sconnpeer.AllNotifications...))
	require.NoError(t, srv.Bind(conn.Addr{Handle: conn.AnyHandle, Port: sconnPort}))
	require.NoError(t, srv.Listen(8))
	sd := newSide("sconn server")
	go echoSconn(srv, sd)

	type client struct {
		s    *usrsctp.Socket
		side *side
		v    *traffic.Verifier
		link int
	}
	var clients []*client
	var socks []*usrsctp.Socket
	defer func() { n.close(socks...) }()
	plan := &traffic.Plan{Streams: traffic.Streams(0, 4), N: 100, Size: func(i int) int { return 16 + i*7 }}
	for li, ep := range n.eps {
		for _, port := range []uint16{usrPort + 1, usrPort + 2} {
			s, err := ep.Socket(false)
			require.NoError(t, err)
			socks = append(socks, s)
			require.NoError(t, usrDefaults(s))
			require.NoError(t, s.Bind(port))
			require.NoError(t, s.ConnectContext(ctx, sconnPort))
			c := &client{s: s, side: newSide(fmt.Sprintf("usrsctp %d:%d", li+1, port)), v: traffic.NewVerifier(plan), link: li}
			c.side.onMsg(func(m msg) { _ = c.v.Receive(m.sid, m.ppid, m.unordered, m.data) })
			go readUsrsctp(s, c.side)
			clients = append(clients, c)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(clients))
	for _, c := range clients {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- sendUsrsctp(ctx, c.s, plan) }()
	}
	wg.Wait()
	for range clients {
		require.NoError(t, <-errs)
	}
	for _, c := range clients {
		select {
		case <-c.v.Done():
		case <-ctx.Done():
		}
		require.NoError(t, c.v.Err(), c.side.name)
	}
	// six associations, each COMM_UP with its peer's address
	ids := srv.AssocIDs()
	require.Len(t, ids, 6)
	require.Equal(t, 6, countNotes(sd, isConnCommUp))
	peers := map[conn.Addr]bool{}
	for _, id := range ids {
		addrs, err := srv.GetPAddrs(id)
		require.NoError(t, err)
		require.Len(t, addrs, 1)
		peers[addrs[0]] = true
	}
	require.Len(t, peers, 6, "six distinct peers (handle, port)")

	// client 0 shuts down
	require.NoError(t, clients[0].s.Shutdown(usrsctp.ShutWR))
	_, err = sd.waitNote(ctx, isConnState(conn.ShutdownComp))
	require.NoError(t, err)
	require.ErrorIs(t, clients[0].side.waitEnd(ctx), io.EOF)

	// the server aborts client 1's association
	var st usrsctp.Stats
	st, err = clients[1].s.Stats()
	require.NoError(t, err)
	require.Equal(t, usrsctp.StateEstablished, st.State)
	id1 := idOf(t, srv, conn.Addr{Handle: conn.Handle(clients[1].link + 1), Port: usrPort + 2})
	_, err = srv.SendV([]byte("bye"), conn.SendSpec{Info: &conn.SendInfo{AssocID: id1, Flags: conn.FlagAbort}})
	require.NoError(t, err)
	_, err = clients[1].side.waitNote(ctx, isUsrState(usrsctp.CommLost))
	require.NoError(t, err)
	require.ErrorIs(t, clients[1].side.waitEnd(ctx), syscall.ECONNRESET)

	// graceful shutdown of the remaining four
	_, err = srv.SendV(nil, conn.SendSpec{Info: &conn.SendInfo{Flags: conn.FlagEOF | conn.FlagSendAll}})
	require.NoError(t, err)
	for _, c := range clients[2:] {
		require.ErrorIs(t, c.side.waitEnd(ctx), io.EOF, c.side.name)
		_, err := c.side.waitNote(ctx, isUsrType(usrsctp.ShutdownEventType))
		require.NoError(t, err)
	}
	waitUntil(t, ctx, func() bool {
		return len(srv.AssocIDs()) == 0 && countNotes(sd, isConnState(conn.ShutdownComp)) == 5
	})
	require.Equal(t, 1, countNotes(sd, isConnState(conn.CommLost)))
	st2 := n.peer.Stack.Stats()
	require.Equal(t, uint64(6), st2.PassiveEstab)
	require.Equal(t, uint64(5), st2.Shutdown)
	require.Equal(t, uint64(1), st2.Aborted)
	for i, tap := range n.taps {
		require.Equal(t, 2, tap.Count(sconnpeer.BtoA, wire.ChunkInit), "link %d", i+1)
	}
}

func idOf(t *testing.T, s *conn.Socket, peer conn.Addr) conn.AssocID {
	t.Helper()
	for _, id := range s.AssocIDs() {
		addrs, err := s.GetPAddrs(id)
		if err == nil && len(addrs) == 1 && addrs[0] == peer {
			return id
		}
	}
	t.Fatalf("no association with %v", peer)
	return 0
}

// TestOneToManyUsrsctpServer: usrsctp one-to-many servers (SOCK_SEQPACKET)
// echo for sconn clients: three sconn one-to-one sockets connect to the
// server on port 6000, and one sconn one-to-many socket sets up
// associations with the servers on ports 6000 and 6001 implicitly, by
// sending to them (SendV with To). Every client checks its echoes (the
// one-to-many one per peer, by From); the one-to-many socket then ends one
// association with SendV(FlagEOF, AssocID) and aborts the other.
func TestOneToManyUsrsctpServer(t *testing.T) {
	n := newNet(t, 1)
	ctx := ctxFor(t, 30*time.Second)
	ep := n.eps[0]
	h := conn.Handle(1)
	var servers []*usrsctp.Socket
	defer func() { n.close(servers...) }()
	srvSides := map[uint16]*side{}
	for _, port := range []uint16{usrPort, usrPort + 1} {
		s, err := ep.Socket(true)
		require.NoError(t, err)
		servers = append(servers, s)
		require.NoError(t, s.SetInitMsg(usrsctp.InitMsg{OutStreams: nStreams, MaxInStreams: nStreams}))
		require.NoError(t, s.SetNoDelay(true))
		// (usrsctp refuses SENDER_DRY for SCTP_ALL_ASSOC)
		require.NoError(t, s.Subscribe(usrsctp.AssocChangeEvent, usrsctp.ShutdownEventType, usrsctp.RemoteErrorEvent, usrsctp.SendFailedEventType))
		require.NoError(t, s.Bind(port))
		require.NoError(t, s.Listen(8))
		sd := newSide(fmt.Sprintf("usrsctp server %d", port))
		srvSides[port] = sd
		go echoUsrsctp(s, sd)
	}

	plan := &traffic.Plan{Streams: traffic.Streams(0, 4), N: 100, Size: func(i int) int { return 16 + i*7 }}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	// one-to-one clients
	for i := range 3 {
		s, err := n.peer.Socket(conn.OneToOne, conn.Upcalls{}, sconnDefaults()...)
		require.NoError(t, err)
		require.NoError(t, s.Bind(conn.Addr{Handle: h, Port: uint16(sconnPort + 1 + i)}))
		require.NoError(t, sconnpeer.Connect(ctx, s, conn.Addr{Handle: h, Port: usrPort}))
		sd := newSide(fmt.Sprintf("sconn client %d", i))
		v := traffic.NewVerifier(plan)
		sd.onMsg(func(m msg) { _ = v.Receive(m.sid, m.ppid, m.unordered, m.data) })
		go readSconn(s, sd)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sendSconn(ctx, s, plan); err != nil {
				errs <- err
				return
			}
			select {
			case <-v.Done():
			case <-ctx.Done():
			}
			errs <- v.Err()
		}()
	}
	// the one-to-many client
	otm, err := n.peer.Socket(conn.OneToMany, conn.Upcalls{}, sconnDefaults()...)
	require.NoError(t, err)
	require.NoError(t, sconnpeer.Subscribe(otm, sconnpeer.AllNotifications...))
	require.NoError(t, otm.Bind(conn.Addr{Handle: h, Port: sconnPort + 10}))
	vs := map[uint16]*traffic.Verifier{usrPort: traffic.NewVerifier(plan), usrPort + 1: traffic.NewVerifier(plan)}
	var fromMu sync.Mutex
	otmSide := newSide("sconn one-to-many")
	go func() {
		buf := make([]byte, 1<<16)
		for {
			m, err := sconnpeer.ReadMessage(context.Background(), otm, buf)
			if err != nil {
				otmSide.finish(err)
				return
			}
			if m.Notification != nil {
				otmSide.deliver(msg{note: m.Notification})
				continue
			}
			fromMu.Lock()
			v := vs[m.From.Port]
			fromMu.Unlock()
			if v == nil {
				otmSide.finish(fmt.Errorf("message from unknown peer %v", m.From))
				return
			}
			_ = v.Receive(m.Info.Stream, m.Info.PPID, m.Info.Flags&conn.RcvUnordered != 0, m.Data)
		}
	}()
	for _, port := range []uint16{usrPort, usrPort + 1} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			to := conn.Addr{Handle: h, Port: port}
			for i := range plan.N {
				sid, ppid, data := plan.Message(i)
				deadline(ctx, otm)
				if _, err := otm.SendV(data, conn.SendSpec{To: &to, Info: &conn.SendInfo{Stream: sid, PPID: ppid}}); err != nil {
					errs <- fmt.Errorf("one-to-many send %d to %v: %w", i, to, err)
					return
				}
			}
			v := vs[port]
			select {
			case <-v.Done():
			case <-ctx.Done():
			}
			errs <- v.Err()
		}()
	}
	wg.Wait()
	for range 5 {
		require.NoError(t, <-errs)
	}
	ids := otm.AssocIDs()
	require.Len(t, ids, 2)
	require.Equal(t, 2, countNotes(otmSide, isConnCommUp))
	// usrsctp: four associations on the 6000 server, one on 6001
	require.Equal(t, 4, countNotes(srvSides[usrPort], isUsrState(usrsctp.CommUp)))
	require.Equal(t, 1, countNotes(srvSides[usrPort+1], isUsrState(usrsctp.CommUp)))

	// end the one-to-many client's associations: one gracefully, one abort
	id0 := idOf(t, otm, conn.Addr{Handle: h, Port: usrPort})
	id1 := idOf(t, otm, conn.Addr{Handle: h, Port: usrPort + 1})
	_, err = otm.SendV(nil, conn.SendSpec{Info: &conn.SendInfo{AssocID: id0, Flags: conn.FlagEOF}})
	require.NoError(t, err)
	_, err = otm.SendV(nil, conn.SendSpec{Info: &conn.SendInfo{AssocID: id1, Flags: conn.FlagAbort}})
	require.NoError(t, err)
	_, err = otmSide.waitNote(ctx, isConnState(conn.ShutdownComp))
	require.NoError(t, err)
	_, err = srvSides[usrPort].waitNote(ctx, isUsrState(usrsctp.ShutdownComp))
	require.NoError(t, err)
	_, err = srvSides[usrPort+1].waitNote(ctx, isUsrState(usrsctp.CommLost))
	require.NoError(t, err)
	waitUntil(t, ctx, func() bool { return len(otm.AssocIDs()) == 0 })
}

// deadline bounds the next blocking call of s by ctx.
func deadline(ctx context.Context, s *conn.Socket) {
	if d, ok := ctx.Deadline(); ok {
		_ = s.SetWriteDeadline(d)
	}
}
