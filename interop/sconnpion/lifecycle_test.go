package sconnpion

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/conn/conntest"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/pionpeer"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/wire"
)

func inFlight() *traffic.Plan {
	return &traffic.Plan{Streams: traffic.Streams(0, 4), N: 200, Size: func(i int) int { return 1000 + i }}
}

// userAbortReason returns the Upper Layer Abort Reason of the first ABORT
// (without T bit) in direction dir.
func userAbortReason(t *testing.T, tap *sconnpeer.Tap, dir int) []byte {
	t.Helper()
	for _, c := range chunks(tap, dir, wire.ChunkAbort) {
		a, err := wire.DecodeAbort(c)
		require.NoError(t, err)
		if a.TagReflected {
			continue
		}
		for it := a.CauseIter(); ; {
			cause, ok := it.Next()
			if !ok {
				break
			}
			if cause.Code() == wire.CauseUserInitiatedAbort {
				u, err := wire.DecodeUserInitiatedAbort(cause)
				require.NoError(t, err)
				return u.Reason
			}
		}
	}
	t.Fatalf("no ABORT with a User-Initiated Abort cause")
	return nil
}

// TestShutdownBySconn: sconn sends 200 messages and ends the association
// gracefully (Shutdown(SHUT_WR) or Close); pion receives them all and its
// association ends (AcceptStream fails, stream reads end).
func TestShutdownBySconn(t *testing.T) {
	for _, how := range []string{"shutdown", "close"} {
		t.Run(how, func(t *testing.T) {
			rolesTimers(t, func(t *testing.T, cfg setup) {
				p := newPair(t, cfg)
				ctx := ctxFor(t, 15*time.Second)
				pl := inFlight()
				v := traffic.NewVerifier(pl)
				p.ps.onMsg(func(m msg) { _ = v.Receive(m.sid, m.ppid, false, m.data) })
				require.NoError(t, sendSconn(ctx, p.s, pl))
				if how == "shutdown" {
					require.NoError(t, p.s.Shutdown(conn.ShutWR))
				} else {
					require.NoError(t, p.s.Close())
				}
				select {
				case <-p.ps.ended:
				case <-ctx.Done():
					t.Fatal("pion's association did not end")
				}
				select {
				case <-v.Done():
				case <-ctx.Done():
				}
				require.NoError(t, v.Err())
				if how == "shutdown" {
					_, err := p.sc.waitNote(ctx, isState(conn.ShutdownComp))
					require.NoError(t, err)
					require.ErrorIs(t, p.sc.waitEnd(ctx), io.EOF)
				}
				waitUntil(t, ctx, func() bool { return p.tap.Count(sconnpeer.AtoB, wire.ChunkShutdownComplete) == 1 })
				require.GreaterOrEqual(t, p.tap.Count(sconnpeer.AtoB, wire.ChunkShutdown), 1)
				require.Equal(t, 1, p.tap.Count(sconnpeer.BtoA, wire.ChunkShutdownAck))
				require.Zero(t, ownAborts(p.tap, sconnpeer.AtoB)+ownAborts(p.tap, sconnpeer.BtoA))
				// (Associations drops before the counters are updated)
				waitUntil(t, ctx, func() bool { st := p.peer.Stack.Stats(); return st.Associations == 0 && st.Shutdown == 1 })
			})
		})
	}
}

// TestShutdownByPion: pion sends 200 messages and calls Shutdown; sconn
// receives everything, then SHUTDOWN_EVENT, SHUTDOWN_COMP and end of file.
func TestShutdownByPion(t *testing.T) {
	rolesTimers(t, func(t *testing.T, cfg setup) {
		p := newPair(t, cfg)
		ctx := ctxFor(t, 15*time.Second)
		pl := inFlight()
		v := traffic.NewVerifier(pl)
		p.sc.onMsg(func(m msg) { _ = v.Receive(m.sid, m.ppid, m.unordered, m.data) })
		require.NoError(t, p.ps.send(ctx, pl))
		require.NoError(t, p.pa.Shutdown(ctx))
		require.ErrorIs(t, p.sc.waitEnd(ctx), io.EOF)
		require.NoError(t, v.Err())
		_, err := p.sc.waitNote(ctx, isType(conn.NotifyShutdownEvent))
		require.NoError(t, err)
		_, err = p.sc.waitNote(ctx, isState(conn.ShutdownComp))
		require.NoError(t, err)
		require.GreaterOrEqual(t, p.tap.Count(sconnpeer.BtoA, wire.ChunkShutdown), 1)
		require.Equal(t, 1, p.tap.Count(sconnpeer.AtoB, wire.ChunkShutdownAck))
		require.Equal(t, 1, p.tap.Count(sconnpeer.BtoA, wire.ChunkShutdownComplete))
		require.Zero(t, ownAborts(p.tap, sconnpeer.AtoB)+ownAborts(p.tap, sconnpeer.BtoA))
		st := p.peer.Stack.Stats()
		require.Equal(t, uint64(1), st.Shutdown)
		require.Zero(t, st.CurrEstab)
	})
}

// TestAbortBySconn: sconn aborts with data in flight (Abort, or SendV with
// FlagAbort and a reason); pion's association ends.
func TestAbortBySconn(t *testing.T) {
	for _, how := range []string{"abort", "sendv-abort"} {
		t.Run(how, func(t *testing.T) {
			roles(t, func(t *testing.T, sconnClient bool) {
				p := newPair(t, setup{sconnClient: sconnClient})
				ctx := ctxFor(t, 15*time.Second)
				require.NoError(t, sendSconn(ctx, p.s, inFlight()))
				reason := []byte("sconn says goodbye")
				if how == "abort" {
					require.NoError(t, p.s.Abort())
				} else {
					_, err := p.s.SendV(reason, conn.SendSpec{Info: &conn.SendInfo{Flags: conn.FlagAbort}})
					require.NoError(t, err)
				}
				select {
				case <-p.ps.ended:
				case <-ctx.Done():
					t.Fatal("pion did not notice the ABORT")
				}
				require.Equal(t, 1, ownAborts(p.tap, sconnpeer.AtoB))
				require.Zero(t, ownAborts(p.tap, sconnpeer.BtoA))
				if how == "sendv-abort" {
					require.Equal(t, reason, userAbortReason(t, p.tap, sconnpeer.AtoB))
				}
				waitUntil(t, ctx, func() bool { return p.peer.Stack.Stats().Aborted == 1 })
			})
		})
	}
}

// TestAbortByPion: pion aborts with a reason; sconn gets COMM_LOST with
// ErrConnReset and the User-Initiated Abort cause carrying the reason.
func TestAbortByPion(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		p := newPair(t, setup{sconnClient: sconnClient})
		ctx := ctxFor(t, 15*time.Second)
		require.NoError(t, p.ps.send(ctx, inFlight()))
		p.pa.Abort("pion says goodbye")
		n, err := p.sc.waitNote(ctx, isState(conn.CommLost))
		require.NoError(t, err)
		ac := n.(conn.AssocChange)
		require.ErrorIs(t, ac.Err, conn.ErrConnReset)
		require.Equal(t, uint16(wire.CauseUserInitiatedAbort), ac.Error)
		require.Equal(t, []byte("pion says goodbye"), userAbortReason(t, p.tap, sconnpeer.BtoA))
		require.ErrorIs(t, p.sc.waitEnd(ctx), conn.ErrConnReset)
		require.Zero(t, ownAborts(p.tap, sconnpeer.AtoB))
		require.Equal(t, uint64(1), p.peer.Stack.Stats().Aborted)
	})
}

// TestRestart: pion's side restarts while sconn has data outstanding: the
// link is cut, sconn sends 20 messages, pion's association is closed (it
// sends nothing), the link comes back and a new pion client with the same
// ports (5000/5000) sends INIT: sconn reports SCTP_RESTART, the association
// carries data again, and each outstanding message is delivered or
// reported in SEND_FAILED.
func TestRestart(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		p := newPair(t, setup{sconnClient: sconnClient, relay: true})
		ctx := ctxFor(t, 20*time.Second)
		var st0 conn.Status
		require.NoError(t, p.s.GetOption(&st0))
		warm := &traffic.Plan{Streams: traffic.Streams(0, 4), N: 40}
		p.exchange(ctx, warm, warm)

		p.gate.drop[sconnpeer.AtoB].Store(true)
		p.gate.drop[sconnpeer.BtoA].Store(true)
		const outstanding = 20
		for i := range outstanding {
			require.NoError(t, sconnpeer.Send(ctx, p.s, conntest.Message(9, uint32(i), 200), conn.SendInfo{Stream: 9, PPID: 60}))
		}
		_ = p.pa.Close()
		p.gate.drop[sconnpeer.AtoB].Store(false)
		p.gate.drop[sconnpeer.BtoA].Store(false)

		pa, err := pionpeer.Client(ctx, p.relay.view(), pionCfg)
		require.NoError(t, err)
		p.pa = pa
		p.ps = newPionSide(pa)
		n, err := p.sc.waitNote(ctx, isState(conn.Restart))
		require.NoError(t, err, "sconn did not report a restart")
		require.Equal(t, st0.AssocID, n.Assoc())
		require.Equal(t, uint64(1), p.peer.Stack.Stats().Restarts)
		require.Zero(t, p.peer.Stack.Stats().Aborted)

		var (
			delivered int
			failed    = map[uint32]bool{}
		)
		p.ps.onMsg(func(m msg) {
			if m.sid == 9 {
				delivered++
			}
		})
		time.Sleep(200 * time.Millisecond)
		after := &traffic.Plan{Streams: traffic.Streams(0, 8), N: 200, Size: func(i int) int { return 16 + i*13 }}
		p.exchange(ctx, after, after)
		p.sc.mu.Lock()
		for _, n := range p.sc.notes {
			if sf, ok := n.(conn.SendFailedEvent); ok && sf.Info.Stream == 9 {
				if _, seq, err := conntest.ParseMessage(sf.Data); err == nil {
					failed[seq] = true
				}
			}
		}
		p.sc.mu.Unlock()
		t.Logf("outstanding at restart: %d; SEND_FAILED: %d", outstanding, len(failed))
		require.Equal(t, outstanding, delivered+len(failed))
	})
}

// TestHeartbeats: sconn heartbeats an idle pion association every ~100 ms
// (RTO.Min 20 ms) for 0.6 s and pion answers each HEARTBEAT with a
// HEARTBEAT ACK echoing its info. pion's own HEARTBEATs (ActiveHeartbeat,
// also sent as idle RTT probes) are malformed in pion/sctp v1.12.1: the
// chunk has no Heartbeat Info parameter (length 4; chunkHeartbeat defines
// Marshal, not the marshal its interface calls, so the embedded header's
// marshal writes an empty chunk). sconn must drop them as malformed (no
// ACK, counted) and keep the association.
func TestHeartbeats(t *testing.T) {
	rolesTimers(t, func(t *testing.T, cfg setup) {
		cfg.sconnOpts = []conn.SettableOption{
			conn.RTOInfo{Initial: 100 * time.Millisecond, Min: 20 * time.Millisecond, Max: 200 * time.Millisecond},
			conn.PeerAddrParams{HBInterval: 100 * time.Millisecond, Flags: conn.HBEnable},
		}
		p := newPair(t, cfg)
		ctx := ctxFor(t, 5*time.Second)
		time.Sleep(500 * time.Millisecond)
		waitUntil(t, ctx, func() bool { return len(chunks(p.tap, sconnpeer.BtoA, wire.ChunkHeartbeatAck)) >= 3 })
		hbs := chunks(p.tap, sconnpeer.AtoB, wire.ChunkHeartbeat)
		acks := chunks(p.tap, sconnpeer.BtoA, wire.ChunkHeartbeatAck)
		require.GreaterOrEqual(t, len(hbs), 3)
		require.GreaterOrEqual(t, len(acks), len(hbs)-1)
		sent := map[string]bool{}
		for _, c := range hbs {
			hb, err := wire.DecodeHeartbeat(c)
			require.NoError(t, err)
			sent[string(hb.Info)] = true
		}
		for _, c := range acks {
			ack, err := wire.DecodeHeartbeatAck(c)
			require.NoError(t, err)
			require.True(t, sent[string(ack.Info)], "HEARTBEAT ACK with unknown info")
		}
		t.Logf("sconn: %d HEARTBEATs, pion: %d HEARTBEAT ACKs", len(hbs), len(acks))
		require.NoError(t, p.tap.Err())
		require.Zero(t, p.tap.Count(sconnpeer.AtoB, wire.ChunkData)+p.tap.Count(sconnpeer.BtoA, wire.ChunkData))

		// pion's HEARTBEAT: malformed, dropped
		malformed := p.peer.Stack.DropStats()
		tolerated := p.tap.Tolerated()
		p.pa.ActiveHeartbeat()
		waitUntil(t, ctx, func() bool {
			d := p.peer.Stack.DropStats()
			return d.Get(conn.DropMalformed) > malformed.Get(conn.DropMalformed)
		})
		require.Greater(t, p.tap.Tolerated(), tolerated, "pion's HEARTBEAT is valid: pion fixed it, update the test and docs/interop.md")
		require.NoError(t, p.tap.Err())
		time.Sleep(50 * time.Millisecond)
		require.Zero(t, p.tap.Count(sconnpeer.AtoB, wire.ChunkAbort)+p.tap.Count(sconnpeer.AtoB, wire.ChunkError))
		var st conn.Status
		require.NoError(t, p.s.GetOption(&st))
		require.Equal(t, conn.StateEstablished, st.State)
		require.LessOrEqual(t, st.Primary.RTO, 200*time.Millisecond)
	})
}

// TestStreamCloseByPion: pion closes a stream (what closing a data channel
// does): it sends a RE-CONFIG Outgoing SSN Reset Request although sconn
// does not announce RE-CONFIG. sconn skips the unknown chunk (type 130:
// skip, no report), counts it, and the association and the other streams
// keep working both ways.
func TestStreamCloseByPion(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		p := newPair(t, setup{sconnClient: sconnClient})
		ctx := ctxFor(t, 10*time.Second)
		n, err := p.sc.waitNote(ctx, isState(conn.CommUp))
		require.NoError(t, err)
		require.NotContains(t, n.(conn.AssocChange).Supports, conn.SupportsReConfig)
		pl := &traffic.Plan{Streams: []uint16{3, 4}, N: 20}
		p.exchange(ctx, pl, pl)
		p.ps.mu.Lock()
		s3 := p.ps.streams[3]
		p.ps.mu.Unlock()
		require.NoError(t, s3.Close())
		waitUntil(t, ctx, func() bool { return p.tap.Count(sconnpeer.BtoA, wire.ChunkReconfig) > 0 })
		waitUntil(t, ctx, func() bool { return p.peer.Stack.Drops()[conn.DropUnknownChunk] > 0 })
		more := &traffic.Plan{Streams: []uint16{4}, N: 50, Size: func(i int) int { return 16 + i }}
		p.exchange(ctx, more, more)
		require.Zero(t, p.tap.Count(sconnpeer.AtoB, wire.ChunkReconfig)+p.tap.Count(sconnpeer.AtoB, wire.ChunkError))
		require.Zero(t, ownAborts(p.tap, sconnpeer.AtoB)+ownAborts(p.tap, sconnpeer.BtoA))
	})
}
