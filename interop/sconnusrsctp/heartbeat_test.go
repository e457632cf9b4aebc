package sconnusrsctp

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/interop/sconnpeer"
	"github.com/sconnlab/sconn/interop/usrsctp"
	"github.com/sconnlab/sconn/wire"
)

// TestHeartbeats: an idle association with short heartbeat intervals on
// both sides (RTO.Min 20 ms, interval 100 ms) for 1.2 s of real time:
// HEARTBEATs go both ways and each is answered by a HEARTBEAT ACK that
// echoes its Heartbeat Info (checked by decoding both with package wire);
// no DATA moves, the association stays up and both sides measured an RTT.
func TestHeartbeats(t *testing.T) {
	rolesTimers(t, func(t *testing.T, cfg setup) {
		cfg.sconnOpts = []conn.SettableOption{
			conn.RTOInfo{Initial: 100 * time.Millisecond, Min: 20 * time.Millisecond, Max: 200 * time.Millisecond},
			conn.PeerAddrParams{HBInterval: 100 * time.Millisecond, Flags: conn.HBEnable},
		}
		cfg.usrPrep = func(s *usrsctp.Socket) error {
			if err := s.SetRTOInfo(0, usrsctp.RTOInfo{InitialMs: 100, MinMs: 20, MaxMs: 200}); err != nil {
				return err
			}
			return s.SetPeerAddrParams(0, usrsctp.PeerAddrParams{HBIntervalMs: 100, Flags: usrsctp.HBEnable})
		}
		p := newPair(t, cfg)
		time.Sleep(1200 * time.Millisecond)

		for _, dir := range []int{sconnpeer.AtoB, sconnpeer.BtoA} {
			hbs := chunks(p.tap, dir, wire.ChunkHeartbeat)
			acks := chunks(p.tap, 1-dir, wire.ChunkHeartbeatAck)
			who := map[int]string{sconnpeer.AtoB: "sconn", sconnpeer.BtoA: "usrsctp"}[dir]
			require.GreaterOrEqual(t, len(hbs), 3, "%s sent %d HEARTBEATs in 1.2 s", who, len(hbs))
			require.GreaterOrEqual(t, len(acks), len(hbs)-1, "%s: %d HEARTBEATs, %d HEARTBEAT ACKs", who, len(hbs), len(acks))
			// each ACK echoes the info of a HEARTBEAT
			sent := map[string]bool{}
			for _, c := range hbs {
				hb, err := wire.DecodeHeartbeat(c)
				require.NoError(t, err)
				sent[string(hb.Info)] = true
			}
			for _, c := range acks {
				ack, err := wire.DecodeHeartbeatAck(c)
				require.NoError(t, err)
				require.True(t, sent[string(ack.Info)], "%s: HEARTBEAT ACK echoes unknown info", who)
			}
			require.Zero(t, p.tap.Count(dir, wire.ChunkData))
			t.Logf("%s: %d HEARTBEATs, %d answered", who, len(hbs), len(acks))
		}
		var st conn.Status
		require.NoError(t, p.s.GetOption(&st))
		require.Equal(t, conn.StateEstablished, st.State)
		require.Equal(t, conn.PathActive, st.Primary.State)
		require.Positive(t, st.Primary.RTO)
		require.LessOrEqual(t, st.Primary.RTO, 200*time.Millisecond)
		ust, err := p.us.Stats()
		require.NoError(t, err)
		require.Equal(t, usrsctp.StateEstablished, ust.State)
	})
}
