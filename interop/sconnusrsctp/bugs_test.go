package sconnusrsctp

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/interop/usrsctp"
	"github.com/sconnlab/sconn/wire"
)

// TestWindowUpdateSACKs guards a bug found here (and fixed in f53f6b0,
// "rx: window-update SACK only when a_rwnd grows by max(MTU, buffer/4)"):
// sconn sent a window-update SACK each time the application had read about
// one MTU, even with its receive window almost wide open, so in a bulk
// transfer it sent more SACKs than it received DATA packets (2 347 SACKs
// for 3 090 DATA chunks against usrsctp's 1 275 for 3 238), and after a
// SHUTDOWN from the peer the updates reached a peer that had already
// closed, which answered each with an ABORT (T bit).
//
// usrsctp sends 200 messages of 1000 bytes while the sconn application
// does not read; once everything is acknowledged the application reads the
// 200 KB. The window grows back from 1.66 MB to 1.86 MB (11 % of the
// receive buffer): at most one window update is useful (usrsctp sends one
// when the window grew by 1/4 of its buffer). Before the fix sconn sent 99.
func TestWindowUpdateSACKs(t *testing.T) {
	p := newPair(t, setup{sconnClient: true})
	ctx := ctxFor(t, 10*time.Second)
	pl := &traffic.Plan{Streams: []uint16{1}, N: 200, Size: func(int) int { return 1000 }}
	// hold the messages in the engine: the reader goroutine blocks in the
	// handler until released
	release := make(chan struct{})
	v := traffic.NewVerifier(pl)
	p.sc.onMsg(func(m msg) {
		<-release
		_ = v.Receive(m.sid, m.ppid, m.unordered, m.data)
	})
	require.NoError(t, sendUsrsctp(ctx, p.us, pl))
	waitUntil(t, ctx, func() bool {
		var st conn.Status
		ust, err := p.us.Stats()
		return p.s.GetOption(&st) == nil && err == nil && ust.UnackData == 0 && st.PendingData >= 199*1000
	})
	time.Sleep(300 * time.Millisecond) // delayed SACKs
	before := p.tap.Count(sconnpeer.AtoB, wire.ChunkSack)
	close(release)
	<-v.Done()
	require.NoError(t, v.Err())
	time.Sleep(300 * time.Millisecond)
	updates := p.tap.Count(sconnpeer.AtoB, wire.ChunkSack) - before
	t.Logf("window-update SACKs after reading 200 KB with a 1.86 MB window: %d", updates)
	require.LessOrEqual(t, updates, 2, "sconn sends window update SACKs for small increases of a wide open window (assoc/internal/rx/sack_policy.go UpdateWindow)")
}

// TestBug_ReconfigAnnouncedButNotHandled: sconn announced stream
// reconfiguration (RE-CONFIG in the Supported Extensions of its INIT and
// INIT ACK, SCTP_ASSOC_SUPPORTS_RE_CONFIG in COMM_UP) but had no handler
// for the RE-CONFIG chunk: it dropped every one as an unknown chunk
// (DropUnknownChunk) and never answered. usrsctp, which believed the
// feature negotiated, retransmitted its Outgoing SSN Reset Request (what a
// WebRTC stack sends to close a data channel) and, after Assoc.Max.Retrans
// (10) unanswered requests, ABORTed the whole association: ~2 s here with
// RTO.Max 200 ms, minutes with the default RTOs. pion sends the same
// request whether or not the peer announced RE-CONFIG, and retransmits it
// forever.
//
// Cause: assoc/handshake.go lists RE-CONFIG when Config.Reconfig (which
// assoc/config.go ConfigFromSysctl took from sctp_reconfig_enable, default
// 1) while the chunk dispatch in assoc/recv.go has no case for
// wire.ChunkReconfig. Either fix passes: answer RE-CONFIG (RFC 6525 §5.2.2:
// reset the incoming streams once last_tsn is delivered, respond "Success -
// Performed"; usrsctp then reports SCTP_STREAM_RESET_EVENT), or announce
// nothing, in which case usrsctp refuses ResetStreams locally (EOPNOTSUPP)
// and the association survives. ed7c549 did the latter.
func TestBug_ReconfigAnnouncedButNotHandled(t *testing.T) {
	p := newPair(t, setup{sconnClient: true, usrPrep: func(s *usrsctp.Socket) error {
		if err := s.SetRTOInfo(0, usrsctp.RTOInfo{InitialMs: 100, MinMs: 50, MaxMs: 200}); err != nil {
			return err
		}
		return s.SetStreamReset(usrsctp.ResetStreamReq)
	}})
	ctx := ctxFor(t, 10*time.Second)
	pl := &traffic.Plan{Streams: []uint16{3}, N: 3}
	p.exchange(ctx, pl, pl)
	n, err := p.sc.waitNote(ctx, isConnCommUp)
	require.NoError(t, err)
	announced := slices.Contains(n.(conn.AssocChange).Supports, conn.SupportsReConfig)
	if err := p.us.ResetStreams(0, 3); err != nil {
		require.False(t, announced, "RE-CONFIG negotiated, yet usrsctp refused to reset: %v", err)
		return // not announced: nothing to answer
	}
	// wait for an answer, or for the association to die
	deadline := time.Now().Add(4 * time.Second)
	for time.Now().Before(deadline) && len(chunks(p.tap, sconnpeer.AtoB, wire.ChunkReconfig)) == 0 && ownAborts(p.tap, sconnpeer.BtoA) == 0 {
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("RE-CONFIG from usrsctp: %d, answered by sconn: %d, dropped as unknown: %d",
		p.tap.Count(sconnpeer.BtoA, wire.ChunkReconfig), p.tap.Count(sconnpeer.AtoB, wire.ChunkReconfig),
		p.peer.Stack.Drops()[conn.DropUnknownChunk])
	require.Zero(t, ownAborts(p.tap, sconnpeer.BtoA), "usrsctp aborted the association: its RE-CONFIG was never answered")
	require.NotEmpty(t, chunks(p.tap, sconnpeer.AtoB, wire.ChunkReconfig), "sconn announced RE-CONFIG but did not answer the request")
}

// TestBug_AbortOvertakenByOOTBAbort: when sconn aborts an association, a
// packet from the peer that is processed before sconn's ABORT has left
// (here: a SACK, handed to ConnInput from the Output callback just before
// the ABORT is written, as a reader goroutine may do at that moment) finds
// no association and is answered as out of the blue (RFC 9260 §8.4 rule 8:
// an ABORT with the T bit, no cause). That ABORT reaches the peer first and
// ends the association there; sconn's own ABORT, with its causes (the User-
// Initiated Abort and its reason), arrives second and is discarded. usrsctp
// then reports COMM_LOST with an empty ABORT: the reason is lost. Seen in
// TestAbortBySconn about once in 100 runs (usrsctp's COMM_LOST info was
// 06 01 00 04, a bare ABORT with the T bit); this test makes the timing
// deterministic.
//
// Cause: conn/association.go, association.after(): once the engine is
// CLOSED the association leaves the demultiplexer (demux.removeAssoc)
// before flush() sends its outbox, so its last packets (the ABORT, or a
// SHUTDOWN COMPLETE) are still unsent while inbound packets for it already
// take the out-of-the-blue path. Expected: flush the outbox first and
// remove the association afterwards (packets arriving in between then reach
// the CLOSED engine and are dropped as DropAssocClosed), so that the peer
// gets sconn's ABORT, with its causes, before anything else.
func TestBug_AbortOvertakenByOOTBAbort(t *testing.T) {
	var lastSack atomic.Pointer[[]byte]
	var injected atomic.Bool
	cfg := setup{sconnClient: true, outputHook: func(p *pair, pkt []byte) {
		if len(pkt) < 13 || wire.ChunkType(pkt[12]) != wire.ChunkAbort || pkt[13]&wire.FlagT != 0 {
			return
		}
		if b := lastSack.Load(); b != nil && !injected.Swap(true) {
			_ = p.peer.Stack.ConnInput(hLink, *b, 0) // arrives "now"
		}
	}}
	cfg.pipeOpts.BtoA = func(pkt []byte) bool {
		if len(pkt) > 12 && wire.ChunkType(pkt[12]) == wire.ChunkSack {
			b := append([]byte(nil), pkt...)
			lastSack.Store(&b)
		}
		return true
	}
	p := newPair(t, cfg)
	ctx := ctxFor(t, 10*time.Second)
	pl := &traffic.Plan{Streams: []uint16{1}, N: 20}
	p.exchange(ctx, pl, &traffic.Plan{Streams: []uint16{1}})
	waitUntil(t, ctx, func() bool { return lastSack.Load() != nil })
	reason := []byte("sconn says goodbye")
	_, err := p.s.SendV(reason, conn.SendSpec{Info: &conn.SendInfo{Flags: conn.FlagAbort}})
	require.NoError(t, err)
	n, err := p.uc.waitNote(ctx, isUsrState(usrsctp.CommLost))
	require.NoError(t, err)
	info := n.(*usrsctp.AssocChange).Info
	aborts := chunks(p.tap, sconnpeer.AtoB, wire.ChunkAbort)
	require.NotEmpty(t, aborts)
	first, err := wire.DecodeAbort(aborts[0])
	require.NoError(t, err)
	t.Logf("ABORTs sconn→usrsctp: %d, first with T bit: %v; usrsctp COMM_LOST sac_info % x", len(aborts), first.TagReflected, info)
	require.False(t, first.TagReflected, "an out-of-the-blue ABORT (T bit) overtook the association's own ABORT")
	require.Contains(t, string(info), string(reason), "usrsctp's COMM_LOST lacks the abort reason")
}
