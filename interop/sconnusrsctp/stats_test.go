package sconnusrsctp

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/internal/traffic"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/interop/usrsctp"
	"github.com/sconnlab/sconn/wire"
)

// initialTSNs returns the Initial TSNs announced by sconn (in its INIT or
// INIT ACK, direction a→b) and by usrsctp.
func initialTSNs(t *testing.T, tap *sconnpeer.Tap) (sconnTSN, usrTSN uint32) {
	t.Helper()
	find := func(dir int) uint32 {
		if cs := chunks(tap, dir, wire.ChunkInit); len(cs) > 0 {
			in, err := wire.DecodeInit(cs[0])
			require.NoError(t, err)
			return in.InitialTSN
		}
		cs := chunks(tap, dir, wire.ChunkInitAck)
		require.NotEmpty(t, cs, "no INIT or INIT ACK in direction %d", dir)
		ack, err := wire.DecodeInitAck(cs[0])
		require.NoError(t, err)
		return ack.InitialTSN
	}
	return find(sconnpeer.AtoB), find(sconnpeer.BtoA)
}

// quiesce waits until neither side has unacknowledged or unread data and
// the link is idle.
func (p *pair) quiesce(ctx context.Context) {
	t := p.t
	t.Helper()
	waitUntil(t, ctx, func() bool {
		var st conn.Status
		if p.s.GetOption(&st) != nil || st.UnackedData != 0 || st.PendingData != 0 {
			return false
		}
		ust, err := p.us.Stats()
		return err == nil && ust.UnackData == 0 && ust.PendData == 0 && p.ca.Queued() == 0 && p.cb.Queued() == 0
	})
	// delayed SACKs (200 ms) and window updates
	time.Sleep(300 * time.Millisecond)
}

// TestStatisticsAgree: after 3000 messages each way (some fragmented),
// what each side says it sent is what the other says it received, and
// both agree with the link:
//   - messages and user bytes sent by one side = received by the other;
//   - sconn's SCTP_GET_ASSOC_STATS: first transmissions of DATA = distinct
//     TSNs on the link = usrsctp's sctps_recvdata; retransmissions = DATA
//     chunks − distinct TSNs; DATA chunks received = usrsctp's
//     sctps_senddata; SACKs sent and received = SACK chunks on the link;
//     packets sent and received = packets on the link (handshake included);
//   - TSNs: sconn's DATA start at its Initial TSN and are contiguous; the
//     last CumTSN usrsctp reports is sconn's last TSN, and the TSNs sconn
//     reports in RcvInfo follow usrsctp's Initial TSN the same way;
//   - SCTP_STATUS on both sides: nothing unacknowledged, nothing pending.
func TestStatisticsAgree(t *testing.T) {
	roles(t, func(t *testing.T, sconnClient bool) {
		g0 := usrsctp.ReadGlobalStats()
		p := newPair(t, setup{sconnClient: sconnClient})
		ctx := ctxFor(t, 30*time.Second)
		plan := &traffic.Plan{Streams: traffic.Streams(0, 4), N: 3000, Size: func(i int) int {
			if i%100 == 0 {
				return 5000 // fragmented
			}
			return 16 + (i*131)%1200
		}}
		p.exchange(ctx, plan, plan)
		p.quiesce(ctx)
		g1 := usrsctp.ReadGlobalStats()

		// messages and bytes
		require.EqualValues(t, plan.N, p.uc.msgs.Load())
		require.EqualValues(t, plan.N, p.sc.msgs.Load())
		require.Equal(t, plan.Bytes(), p.uc.bytes.Load())
		require.Equal(t, plan.Bytes(), p.sc.bytes.Load())

		var as conn.AssocStats
		require.NoError(t, p.s.GetOption(&as))
		out, in := p.tap.Stats(sconnpeer.AtoB), p.tap.Stats(sconnpeer.BtoA)
		outChunks, outTSNs := out.DataChunks()
		inChunks, inTSNs := in.DataChunks()
		t.Logf("sconn AssocStats: %+v", as)
		t.Logf("link sconn→usrsctp: %d packets, %d DATA (%d TSNs), %d SACKs; usrsctp→sconn: %d packets, %d DATA (%d TSNs), %d SACKs",
			out.Packets, outChunks, outTSNs, out.Chunks[wire.ChunkSack], in.Packets, inChunks, inTSNs, in.Chunks[wire.ChunkSack])
		t.Logf("usrsctp global: recvdata %d senddata %d retrans %d inpackets %d outpackets %d",
			g1.RecvData-g0.RecvData, g1.SendData-g0.SendData, g1.SendRetransData-g0.SendRetransData,
			g1.InPackets-g0.InPackets, g1.OutPackets-g0.OutPackets)

		// DATA chunks
		require.EqualValues(t, outTSNs, as.OODChunks+as.OUODChunks, "first transmissions vs TSNs on the link")
		require.EqualValues(t, outChunks-outTSNs, as.RtxChunks, "retransmissions")
		require.EqualValues(t, inTSNs, as.IODChunks+as.IUODChunks, "DATA received vs TSNs on the link")
		require.EqualValues(t, inChunks-inTSNs, as.IDupChunks, "duplicates received")
		require.EqualValues(t, outTSNs, g1.RecvData-g0.RecvData, "usrsctp sctps_recvdata")
		require.EqualValues(t, inChunks, (g1.SendData-g0.SendData)+(g1.SendRetransData-g0.SendRetransData), "usrsctp sctps_senddata")
		// SACKs and packets
		require.EqualValues(t, out.Chunks[wire.ChunkSack], as.OSacks, "SACKs sent")
		require.EqualValues(t, in.Chunks[wire.ChunkSack], as.ISacks, "SACKs received")
		// A listening sconn socket answers the INIT (INIT ACK) and takes
		// the COOKIE ECHO before the association exists: those three
		// packets are the listener's, not the association's.
		listenerOut, listenerIn := 0, 0
		if !sconnClient {
			listenerOut, listenerIn = 1, 2
		}
		require.EqualValues(t, out.Packets-listenerOut, as.OPackets, "packets sent")
		require.EqualValues(t, in.Packets-listenerIn, as.IPackets, "packets received")
		require.EqualValues(t, out.Packets, g1.InPackets-g0.InPackets, "usrsctp sctps_inpackets")
		// (usrsctp 0.9.5 does not count sctps_outpackets for AF_CONN.)

		// TSNs
		sconnITSN, usrITSN := initialTSNs(t, p.tap)
		require.Equal(t, sconnITSN, out.FirstTSN, "sconn's first DATA uses its Initial TSN")
		require.Equal(t, sconnITSN+uint32(outTSNs)-1, out.LastTSN, "sconn's TSNs are contiguous")
		require.Equal(t, usrITSN, in.FirstTSN)
		require.Equal(t, usrITSN+uint32(inTSNs)-1, in.LastTSN)
		p.uc.mu.Lock()
		ulast := p.uc.last
		p.uc.mu.Unlock()
		p.sc.mu.Lock()
		slast := p.sc.last
		p.sc.mu.Unlock()
		require.Equal(t, out.LastTSN, ulast.cum, "usrsctp's last CumTSN")
		require.Equal(t, in.LastTSN, slast.cum, "sconn's last CumTSN (RcvInfo)")
		require.Equal(t, in.LastTSN, slast.tsn, "sconn's RcvInfo TSN of the last message")
		require.Equal(t, out.LastTSN, ulast.tsn)

		// SCTP_STATUS
		var st conn.Status
		require.NoError(t, p.s.GetOption(&st))
		ust, err := p.us.Stats()
		require.NoError(t, err)
		require.Zero(t, st.UnackedData)
		require.Zero(t, st.PendingData)
		require.Zero(t, ust.UnackData)
		require.Zero(t, ust.PendData)
		require.Equal(t, ust.InStreams, st.OutStreams)
		require.Equal(t, ust.OutStreams, st.InStreams)
	})
}
