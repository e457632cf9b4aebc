package conn

import (
	"sync/atomic"

	"github.com/sconnlab/sconn/assoc"
)

// StackStats are stack-wide counters, the part of usrsctp's struct
// sctpstat (usrsctp_get_stat, RFC 3873 MIB) that this stack keeps. Drop
// counters per reason are in Stack.Drops.
type StackStats struct {
	CurrEstab    uint64 // sctps_currestab: associations ESTABLISHED now (or shutting down)
	ActiveEstab  uint64 // sctps_activeestab: associations this side started that came up
	PassiveEstab uint64 // sctps_passiveestab: associations a listener accepted
	Restarts     uint64 // sctps_restartestab: peer restarts
	Aborted      uint64 // sctps_aborted: associations ended by an ABORT (either side) or a timeout
	Shutdown     uint64 // sctps_shutdown: associations ended by a graceful shutdown
	CantStart    uint64 // handshakes that failed
	InPackets    uint64 // sctps_inpackets: datagrams given to ConnInput
	OutPackets   uint64 // sctps_outpackets: packets given to Output
	OutputErrors uint64 // sctps_senderrors: Output returned an error
	Dropped      uint64 // every drop, the sum of Stack.Drops
	Associations uint64 // associations registered now (any state)
	TimersArmed  uint64 // entries in the timer heap now
}

type stackCounters struct {
	currEstab    atomic.Int64
	activeEstab  atomic.Uint64
	passiveEstab atomic.Uint64
	restarts     atomic.Uint64
	aborted      atomic.Uint64
	shutdown     atomic.Uint64
	cantStart    atomic.Uint64
	inPackets    atomic.Uint64
	outPackets   atomic.Uint64
	outErrors    atomic.Uint64
}

// count updates the counters from the events of one association.
func (c *stackCounters) count(as *association, evs []assoc.Event) {
	for _, ev := range evs {
		switch ev.(type) {
		case assoc.CommUp:
			c.currEstab.Add(1)
			if as.lst != nil {
				c.passiveEstab.Add(1)
			} else {
				c.activeEstab.Add(1)
			}
		case assoc.Restart:
			c.restarts.Add(1)
		case assoc.CommLost:
			c.currEstab.Add(-1)
			c.aborted.Add(1)
		case assoc.ShutdownComplete:
			c.currEstab.Add(-1)
			c.shutdown.Add(1)
		case assoc.CantStartAssoc:
			c.cantStart.Add(1)
		}
	}
}

// Stats returns a snapshot of the stack's counters.
func (st *Stack) Stats() StackStats {
	c := &st.stats
	d := st.DropStats()
	cur := c.currEstab.Load()
	if cur < 0 {
		cur = 0
	}
	return StackStats{
		CurrEstab:    uint64(cur),
		ActiveEstab:  c.activeEstab.Load(),
		PassiveEstab: c.passiveEstab.Load(),
		Restarts:     c.restarts.Load(),
		Aborted:      c.aborted.Load(),
		Shutdown:     c.shutdown.Load(),
		CantStart:    c.cantStart.Load(),
		InPackets:    c.inPackets.Load(),
		OutPackets:   c.outPackets.Load(),
		OutputErrors: c.outErrors.Load(),
		Dropped:      d.Total(),
		Associations: uint64(st.demux.count()),
		TimersArmed:  uint64(st.timers.len()),
	}
}
