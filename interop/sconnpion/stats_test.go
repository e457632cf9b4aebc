package sconnpion

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/pionpeer"
	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/wire"
)

// initialTSN returns the Initial TSN of the INIT or INIT ACK sent in
// direction dir.
func initialTSN(t *testing.T, tap *sconnpeer.Tap, dir int) uint32 {
	t.Helper()
	if cs := chunks(tap, dir, wire.ChunkInit); len(cs) > 0 {
		in, err := wire.DecodeInit(cs[0])
		require.NoError(t, err)
		return in.InitialTSN
	}
	cs := chunks(tap, dir, wire.ChunkInitAck)
	require.NotEmpty(t, cs)
	ack, err := wire.DecodeInitAck(cs[0])
	require.NoError(t, err)
	return ack.InitialTSN
}

// TestStatisticsAgree: after 3000 messages each way, messages and bytes
// sent by one side are those received by the other; pion's byte counters
// (bytes of packets written and read) equal the link's; sconn's
// SCTP_GET_ASSOC_STATS agree with the DATA, SACK and packet counts on the
// link; sconn's TSNs start at its Initial TSN and are contiguous, and the
// TSNs sconn reports in RcvInfo are pion's on the link.
func TestStatisticsAgree(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		p := newPair(t, setup{sconnClient: sconnClient})
		ctx := ctxFor(t, 30*time.Second)
		plan := &traffic.Plan{Streams: traffic.Streams(0, 4), N: 3000, Size: func(i int) int {
			if i%100 == 0 {
				return 5000
			}
			return 16 + (i*131)%1200
		}}
		p.exchange(ctx, plan, plan)
		waitUntil(t, ctx, func() bool {
			var st conn.Status
			return p.s.GetOption(&st) == nil && st.UnackedData == 0 && st.PendingData == 0 &&
				p.pa.BufferedAmount() == 0 && p.ca.Queued() == 0 && p.cb.Queued() == 0
		})
		time.Sleep(300 * time.Millisecond)

		require.EqualValues(t, plan.N, p.ps.msgs.Load())
		require.EqualValues(t, plan.N, p.sc.msgs.Load())
		require.Equal(t, plan.Bytes(), p.ps.bytes.Load())
		require.Equal(t, plan.Bytes(), p.sc.bytes.Load())

		out, in := p.tap.Stats(sconnpeer.AtoB), p.tap.Stats(sconnpeer.BtoA)
		require.EqualValues(t, in.Bytes, p.pa.BytesSent(), "pion's bytes sent vs the link")
		require.EqualValues(t, out.Bytes, p.pa.BytesReceived(), "pion's bytes received vs the link")

		var as conn.AssocStats
		require.NoError(t, p.s.GetOption(&as))
		outChunks, outTSNs := out.DataChunks()
		inChunks, inTSNs := in.DataChunks()
		t.Logf("sconn AssocStats: %+v", as)
		t.Logf("link sconn→pion: %d packets, %d DATA (%d TSNs), %d SACKs; pion→sconn: %d packets, %d DATA (%d TSNs), %d SACKs",
			out.Packets, outChunks, outTSNs, out.Chunks[wire.ChunkSack], in.Packets, inChunks, inTSNs, in.Chunks[wire.ChunkSack])
		require.EqualValues(t, outTSNs, as.OODChunks+as.OUODChunks)
		require.EqualValues(t, outChunks-outTSNs, as.RtxChunks)
		require.EqualValues(t, inTSNs, as.IODChunks+as.IUODChunks)
		require.EqualValues(t, inChunks-inTSNs, as.IDupChunks)
		require.EqualValues(t, out.Chunks[wire.ChunkSack], as.OSacks)
		require.EqualValues(t, in.Chunks[wire.ChunkSack], as.ISacks)
		listenerOut, listenerIn := 0, 0
		if !sconnClient {
			listenerOut, listenerIn = 1, 2 // INIT ACK; INIT and COOKIE ECHO
		}
		require.EqualValues(t, out.Packets-listenerOut, as.OPackets)
		require.EqualValues(t, in.Packets-listenerIn, as.IPackets)

		sITSN, pITSN := initialTSN(t, p.tap, sconnpeer.AtoB), initialTSN(t, p.tap, sconnpeer.BtoA)
		require.Equal(t, sITSN, out.FirstTSN)
		require.Equal(t, sITSN+uint32(outTSNs)-1, out.LastTSN)
		require.Equal(t, pITSN, in.FirstTSN)
		require.Equal(t, pITSN+uint32(inTSNs)-1, in.LastTSN)
		p.sc.mu.Lock()
		last := p.sc.last
		p.sc.mu.Unlock()
		require.Equal(t, in.LastTSN, last.cum)
		require.Equal(t, in.LastTSN, last.tsn)
	})
}

// TestOneToManySconnServer: one sconn one-to-many socket on AnyHandle
// serves four pion clients, each over its own link (pion cannot share
// one), echoes 100 messages per client to the right association, then
// shuts all of them down with SendV(FlagEOF|FlagSendAll).
func TestOneToManySconnServer(t *testing.T) {
	peer, err := sconnpeer.New(sconnpeer.Config{})
	require.NoError(t, err)
	ctx := ctxFor(t, 30*time.Second)
	var taps []*sconnpeer.Tap
	var clients []*pionSide
	defer func() {
		_ = peer.Close()
		for _, c := range clients {
			_ = c.a.Close()
		}
		for i, tap := range taps {
			if err := tap.Err(); err != nil {
				t.Errorf("link %d: %v", i, err)
			}
		}
	}()
	srv, err := peer.Socket(conn.OneToMany, conn.Upcalls{}, sconnDefaults()...)
	require.NoError(t, err)
	require.NoError(t, sconnpeer.Subscribe(srv, sconnpeer.AllNotifications...))
	require.NoError(t, srv.Bind(conn.Addr{Handle: conn.AnyHandle, Port: port}))
	require.NoError(t, srv.Listen(8))
	sd := newSide("sconn server")
	go func() {
		buf := make([]byte, 1<<16)
		for {
			m, err := sconnpeer.ReadMessage(context.Background(), srv, buf)
			if err != nil {
				sd.finish(err)
				return
			}
			if m.Notification != nil {
				sd.deliver(msg{note: m.Notification})
				continue
			}
			info := conn.SendInfo{Stream: m.Info.Stream, PPID: m.Info.PPID, AssocID: m.Info.AssocID}
			if _, err := srv.SendV(m.Data, conn.SendSpec{Info: &info}); err != nil {
				sd.finish(fmt.Errorf("echo: %w", err))
				return
			}
		}
	}()
	const n = 4
	plan := &traffic.Plan{Streams: traffic.Streams(0, 4), N: 100, Size: func(i int) int { return 16 + i*7 }}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		tap := &sconnpeer.Tap{Tolerate: pionEmptyHeartbeat}
		taps = append(taps, tap)
		var opts pipe.Options
		tap.Install(&opts)
		a, b := pipe.New(opts)
		require.NoError(t, peer.Attach(conn.Handle(i+1), a))
		pa, err := pionpeer.Client(ctx, b, pionCfg)
		require.NoError(t, err)
		c := newPionSide(pa)
		clients = append(clients, c)
		v := traffic.NewVerifier(plan)
		c.onMsg(func(m msg) { _ = v.Receive(m.sid, m.ppid, false, m.data) })
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.send(ctx, plan); err != nil {
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
	wg.Wait()
	for range n {
		require.NoError(t, <-errs)
	}
	require.Len(t, srv.AssocIDs(), n)
	require.Equal(t, n, sd.count(isState(conn.CommUp)))
	_, err = srv.SendV(nil, conn.SendSpec{Info: &conn.SendInfo{Flags: conn.FlagEOF | conn.FlagSendAll}})
	require.NoError(t, err)
	for _, c := range clients {
		select {
		case <-c.ended:
		case <-ctx.Done():
			t.Fatal("a pion client did not see the shutdown")
		}
	}
	waitUntil(t, ctx, func() bool { return len(srv.AssocIDs()) == 0 && sd.count(isState(conn.ShutdownComp)) == n })
	require.Equal(t, uint64(n), peer.Stack.Stats().Shutdown)
}
