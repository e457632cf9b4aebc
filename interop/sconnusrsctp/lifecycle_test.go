package sconnusrsctp

import (
	"errors"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/interop/usrsctp"
	"github.com/sconnlab/sconn/wire"
)

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

// userAbortReason returns the reason of the User-Initiated Abort cause of
// the first ABORT without the T bit in direction dir.
func userAbortReason(t *testing.T, tap *sconnpeer.Tap, dir int) []byte {
	t.Helper()
	for _, c := range chunks(tap, dir, wire.ChunkAbort) {
		a, err := wire.DecodeAbort(c)
		require.NoError(t, err)
		if a.TagReflected {
			continue
		}
		for it := a.CauseIter(); ; {
			c, ok := it.Next()
			if !ok {
				break
			}
			if c.Code() == wire.CauseUserInitiatedAbort {
				u, err := wire.DecodeUserInitiatedAbort(c)
				require.NoError(t, err)
				return u.Reason
			}
		}
	}
	t.Fatalf("no ABORT with a User-Initiated Abort cause")
	return nil
}

// ownAborts counts the ABORT chunks of direction dir without the T bit:
// those that end the sender's own association. (Packets still in flight
// when an association ends are out of the blue for the side that ended it,
// which answers each with an ABORT with the T bit, RFC 9260 §8.4 rule 8.)
func ownAborts(tap *sconnpeer.Tap, dir int) int {
	n := 0
	for _, c := range chunks(tap, dir, wire.ChunkAbort) {
		if a, err := wire.DecodeAbort(c); err == nil && !a.TagReflected {
			n++
		}
	}
	return n
}

// inFlight is the data sent just before a shutdown or an abort.
func inFlight() *traffic.Plan {
	return &traffic.Plan{Streams: traffic.Streams(0, 4), N: 200, Size: func(i int) int { return 1000 + i }}
}

// TestShutdownBySconn: sconn sends 200 messages and at once ends the
// association gracefully (Shutdown(SHUT_WR), or Close); usrsctp receives
// everything, then SHUTDOWN_EVENT and end of file; SHUTDOWN, SHUTDOWN ACK
// and SHUTDOWN COMPLETE cross the link.
func TestShutdownBySconn(t *testing.T) {
	for _, how := range []string{"shutdown", "close"} {
		t.Run(how, func(t *testing.T) {
			rolesTimers(t, func(t *testing.T, cfg setup) {
				p := newPair(t, cfg)
				ctx := ctxFor(t, 15*time.Second)
				pl := inFlight()
				v := traffic.NewVerifier(pl)
				p.uc.onMsg(func(m msg) { _ = v.Receive(m.sid, m.ppid, m.unordered, m.data) })
				require.NoError(t, sendSconn(ctx, p.s, pl))
				if how == "shutdown" {
					require.NoError(t, p.s.Shutdown(conn.ShutWR))
				} else {
					require.NoError(t, p.s.Close())
				}
				require.ErrorIs(t, p.uc.waitEnd(ctx), io.EOF)
				require.NoError(t, v.Err())
				_, err := p.uc.waitNote(ctx, isUsrType(usrsctp.ShutdownEventType))
				require.NoError(t, err)
				if how == "shutdown" {
					// sconn: SHUTDOWN_COMP, then end of file
					_, err := p.sc.waitNote(ctx, isConnState(conn.ShutdownComp))
					require.NoError(t, err)
					require.ErrorIs(t, p.sc.waitEnd(ctx), io.EOF)
					require.Equal(t, uint64(1), p.peer.Stack.Stats().Shutdown)
				}
				waitUntil(t, ctx, func() bool { return p.tap.Count(sconnpeer.AtoB, wire.ChunkShutdownComplete) == 1 })
				require.GreaterOrEqual(t, p.tap.Count(sconnpeer.AtoB, wire.ChunkShutdown), 1)
				require.Equal(t, 1, p.tap.Count(sconnpeer.BtoA, wire.ChunkShutdownAck))
				require.Zero(t, ownAborts(p.tap, sconnpeer.AtoB)+ownAborts(p.tap, sconnpeer.BtoA))
				waitUntil(t, ctx, func() bool { st := p.peer.Stack.Stats(); return st.Associations == 0 && st.Shutdown == 1 })
			})
		})
	}
}

// TestShutdownByUsrsctp: usrsctp sends 200 messages and at once shuts down
// (usrsctp_shutdown(SHUT_WR), or usrsctp_close); sconn receives everything,
// then SHUTDOWN_EVENT, SHUTDOWN_COMP and end of file.
func TestShutdownByUsrsctp(t *testing.T) {
	for _, how := range []string{"shutdown", "close"} {
		t.Run(how, func(t *testing.T) {
			rolesTimers(t, func(t *testing.T, cfg setup) {
				p := newPair(t, cfg)
				ctx := ctxFor(t, 15*time.Second)
				pl := inFlight()
				v := traffic.NewVerifier(pl)
				if how == "close" {
					// usrsctp_close aborts when anything is unread,
					// notifications included: subscribe to none.
					require.NoError(t, p.us.Unsubscribe(usrsctp.AllNotifications...))
					_, err := p.uc.waitNote(ctx, isUsrState(usrsctp.CommUp))
					require.NoError(t, err)
				}
				p.sc.onMsg(func(m msg) { _ = v.Receive(m.sid, m.ppid, m.unordered, m.data) })
				require.NoError(t, sendUsrsctp(ctx, p.us, pl))
				if how == "shutdown" {
					require.NoError(t, p.us.Shutdown(usrsctp.ShutWR))
				} else {
					require.NoError(t, p.us.Close())
				}
				require.ErrorIs(t, p.sc.waitEnd(ctx), io.EOF)
				require.NoError(t, v.Err())
				_, err := p.sc.waitNote(ctx, isConnType(conn.NotifyShutdownEvent))
				require.NoError(t, err)
				_, err = p.sc.waitNote(ctx, isConnState(conn.ShutdownComp))
				require.NoError(t, err)
				if how == "shutdown" {
					_, err := p.uc.waitNote(ctx, isUsrState(usrsctp.ShutdownComp))
					require.NoError(t, err)
				}
				waitUntil(t, ctx, func() bool { return p.tap.Count(sconnpeer.BtoA, wire.ChunkShutdownComplete) == 1 })
				require.GreaterOrEqual(t, p.tap.Count(sconnpeer.BtoA, wire.ChunkShutdown), 1)
				require.Equal(t, 1, p.tap.Count(sconnpeer.AtoB, wire.ChunkShutdownAck))
				require.Zero(t, ownAborts(p.tap, sconnpeer.AtoB)+ownAborts(p.tap, sconnpeer.BtoA))
				st := p.peer.Stack.Stats()
				require.Equal(t, uint64(1), st.Shutdown)
				require.Zero(t, st.CurrEstab)
				// sending after the peer's SHUTDOWN fails
				_, err = p.s.SendV([]byte("late"), conn.SendSpec{})
				require.Error(t, err)
			})
		})
	}
}

// TestAbortBySconn: sconn aborts (Abort, or SendV with FlagAbort and an
// Upper Layer Abort Reason) with data in flight; usrsctp gets COMM_LOST
// and ECONNRESET; the ABORT carries the reason.
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
					_, err = p.sc.waitNote(ctx, isConnState(conn.CommLost))
					require.NoError(t, err)
				}
				n, err := p.uc.waitNote(ctx, isUsrState(usrsctp.CommLost))
				require.NoError(t, err)
				_ = n
				require.ErrorIs(t, p.uc.waitEnd(ctx), syscall.ECONNRESET)
				waitUntil(t, ctx, func() bool { return ownAborts(p.tap, sconnpeer.AtoB) == 1 })
				if how == "sendv-abort" {
					require.Equal(t, reason, userAbortReason(t, p.tap, sconnpeer.AtoB))
				}
				require.Zero(t, ownAborts(p.tap, sconnpeer.BtoA))
				waitUntil(t, ctx, func() bool { st := p.peer.Stack.Stats(); return st.Associations == 0 && st.Aborted == 1 })
			})
		})
	}
}

// TestAbortByUsrsctp: usrsctp aborts (SO_LINGER 0 and close, or sendv
// with SCTP_ABORT and a reason) with data in flight; sconn gets COMM_LOST
// with ErrConnReset and the ABORT's causes, and RecvV fails with
// ErrConnReset.
func TestAbortByUsrsctp(t *testing.T) {
	for _, how := range []string{"abort", "sendv-abort"} {
		t.Run(how, func(t *testing.T) {
			roles(t, func(t *testing.T, sconnClient bool) {
				p := newPair(t, setup{sconnClient: sconnClient})
				ctx := ctxFor(t, 15*time.Second)
				require.NoError(t, sendUsrsctp(ctx, p.us, inFlight()))
				reason := []byte("usrsctp says goodbye")
				if how == "abort" {
					p.closeUsrsctp()
				} else {
					_, err := p.us.TrySendV(reason, usrsctp.SendInfo{Abort: true})
					require.NoError(t, err)
				}
				n, err := p.sc.waitNote(ctx, isConnState(conn.CommLost))
				require.NoError(t, err)
				ac := n.(conn.AssocChange)
				require.ErrorIs(t, ac.Err, conn.ErrConnReset)
				rerr := p.sc.waitEnd(ctx)
				require.ErrorIs(t, rerr, conn.ErrConnReset)
				waitUntil(t, ctx, func() bool { return ownAborts(p.tap, sconnpeer.BtoA) == 1 })
				if how == "sendv-abort" {
					require.Equal(t, reason, userAbortReason(t, p.tap, sconnpeer.BtoA))
					require.Equal(t, uint16(wire.CauseUserInitiatedAbort), ac.Error)
					var found bool
					for it := wire.Causes(ac.AbortCauses, 0); ; {
						c, ok := it.Next()
						if !ok {
							break
						}
						if c.Code() == wire.CauseUserInitiatedAbort {
							u, err := wire.DecodeUserInitiatedAbort(c)
							require.NoError(t, err)
							require.Equal(t, reason, u.Reason)
							found = true
						}
					}
					require.True(t, found, "COMM_LOST lacks the ABORT's cause")
				}
				require.Zero(t, ownAborts(p.tap, sconnpeer.AtoB))
				_, err = p.s.SendV([]byte("late"), conn.SendSpec{})
				require.True(t, errors.Is(err, conn.ErrConnReset) || errors.Is(err, conn.ErrNotConnected), "SendV after the abort: %v", err)
				require.Equal(t, uint64(1), p.peer.Stack.Stats().Aborted)
			})
		})
	}
}
