package sconnusrsctp

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/conn/conntest"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/wire"
)

// TestRestart: the usrsctp side restarts while sconn has data outstanding.
// The link is cut, sconn sends 20 messages (never acknowledged), usrsctp's
// socket is closed without a SHUTDOWN (its ABORT is lost), the link comes
// back and a new usrsctp socket with the same ports connects: sconn answers
// the INIT in ESTABLISHED (§5.2.2, tie-tags), accepts the COOKIE ECHO as a
// restart (§5.2.4 action A) and reports SCTP_RESTART. Afterwards the
// association carries data both ways; each outstanding message was either
// delivered to the new socket or reported in a SEND_FAILED_EVENT.
func TestRestart(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		p := newPair(t, setup{sconnClient: sconnClient})
		ctx := ctxFor(t, 20*time.Second)
		var st0 conn.Status
		require.NoError(t, p.s.GetOption(&st0))

		// some traffic first
		warm := &traffic.Plan{Streams: traffic.Streams(0, 4), N: 40}
		p.exchange(ctx, warm, warm)

		// cut the link, leave data outstanding on sconn, kill usrsctp
		p.gate.drop[sconnpeer.AtoB].Store(true)
		p.gate.drop[sconnpeer.BtoA].Store(true)
		const outstanding = 20
		for i := range outstanding {
			data := conntest.Message(9, uint32(i), 200)
			require.NoError(t, sconnpeer.Send(ctx, p.s, data, conn.SendInfo{Stream: 9, PPID: 60}))
		}
		var st conn.Status
		require.NoError(t, p.s.GetOption(&st))
		require.Positive(t, st.UnackedData)
		p.closeUsrsctp() // its ABORT is lost on the cut link
		_ = p.uc.waitEnd(ctx)
		initsBefore := p.tap.Count(sconnpeer.BtoA, wire.ChunkInit)
		p.gate.drop[sconnpeer.AtoB].Store(false)
		p.gate.drop[sconnpeer.BtoA].Store(false)

		// a new usrsctp socket, same ports
		us, err := p.ep.Socket(false)
		require.NoError(t, err)
		require.NoError(t, usrDefaults(us))
		require.NoError(t, us.Bind(usrPort))
		uc := newSide("usrsctp2")
		var mu sync.Mutex
		var delivered []uint32
		uc.onMsg(func(m msg) {
			if m.sid == 9 {
				if _, seq, err := conntest.ParseMessage(m.data); err == nil {
					mu.Lock()
					delivered = append(delivered, seq)
					mu.Unlock()
				}
			}
		})
		p.closers = append(p.closers, func() { _ = us.Abort() })
		require.NoError(t, us.ConnectContext(ctx, sconnPort))
		go readUsrsctp(us, uc)

		n, err := p.sc.waitNote(ctx, isConnState(conn.Restart))
		require.NoError(t, err, "sconn did not report a restart")
		ac := n.(conn.AssocChange)
		require.Equal(t, st0.AssocID, ac.AssocID, "the restarted association keeps its ID")
		require.Equal(t, uint16(nStreams), ac.OutboundStreams)
		require.Equal(t, initsBefore+1, p.tap.Count(sconnpeer.BtoA, wire.ChunkInit))
		require.Equal(t, uint64(1), p.peer.Stack.Stats().Restarts)
		require.Zero(t, p.peer.Stack.Stats().Aborted)

		// the restarted association works both ways
		time.Sleep(200 * time.Millisecond) // retained messages, if any, arrive
		mu.Lock()
		uc.onMsg(func(msg) {}) // replaced by exchange
		mu.Unlock()
		p.us, p.uc = us, uc
		after := &traffic.Plan{Streams: traffic.Streams(0, 8), N: 200, Size: func(i int) int { return 16 + i*13 }}
		p.exchange(ctx, after, after)
		mu.Lock()
		defer mu.Unlock()

		// every outstanding message: delivered or reported, not both
		var st2 conn.Status
		require.NoError(t, p.s.GetOption(&st2))
		require.Equal(t, conn.StateEstablished, st2.State)
		failed := map[uint32]bool{}
		p.sc.mu.Lock()
		for _, n := range p.sc.notes {
			if sf, ok := n.(conn.SendFailedEvent); ok && sf.Info.Stream == 9 {
				if _, seq, err := conntest.ParseMessage(sf.Data); err == nil {
					failed[seq] = true
				}
			}
		}
		p.sc.mu.Unlock()
		for _, seq := range delivered {
			require.False(t, failed[seq], "message %d delivered and reported as failed", seq)
		}
		t.Logf("outstanding at restart: %d; delivered after it: %d; SEND_FAILED: %d", outstanding, len(delivered), len(failed))
		require.Equal(t, outstanding, len(delivered)+len(failed), "outstanding messages neither delivered nor reported")
	})
}
