package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/sconnlab/sconn/conn"
)

// AssocSnapshot keeps the latest statistics of an association, so that
// they can be printed after it ended (the socket forgets a closed
// association).
type AssocSnapshot struct {
	mu     sync.Mutex
	ok     bool
	stats  conn.AssocStats
	status conn.Status
}

// Update reads the statistics and status of the socket's association; it
// keeps the previous snapshot if the association is gone.
func (a *AssocSnapshot) Update(s *conn.Socket) {
	var st conn.AssocStats
	var ss conn.Status
	if s.GetOption(&st) != nil || s.GetOption(&ss) != nil {
		return
	}
	a.mu.Lock()
	a.ok, a.stats, a.status = true, st, ss
	a.mu.Unlock()
}

// Print writes the snapshot of the association, then the stack's, the
// host's and the drop counters.
func (a *AssocSnapshot) Print(w io.Writer, e *Endpoint) {
	a.mu.Lock()
	ok, st, ss := a.ok, a.stats, a.status
	a.mu.Unlock()
	if ok {
		fmt.Fprintf(w, "association %v with %v: state %v, streams in/out %d/%d, peer rwnd %d, srtt %v, rto %v, cwnd %d, mtu %d\n",
			st.AssocID, e.PeerAddr(st.ObsRTOAddr.Handle), ss.State, ss.InStreams, ss.OutStreams, ss.RWnd,
			ss.Primary.SRTT, ss.Primary.RTO, ss.Primary.Cwnd, ss.Primary.MTU)
		fmt.Fprintf(w, "  packets out %d in %d; DATA chunks out %d (ordered %d, unordered %d), in %d (ordered %d, unordered %d)\n",
			st.OPackets, st.IPackets, st.OODChunks+st.OUODChunks, st.OODChunks, st.OUODChunks,
			st.IODChunks+st.IUODChunks, st.IODChunks, st.IUODChunks)
		fmt.Fprintf(w, "  SACKs out %d in %d; control chunks out %d in %d; retransmitted %d; gap blocks %d; duplicates in %d; out of sequence TSNs %d; max RTO %v\n",
			st.OSacks, st.ISacks, st.OCtrlChunks, st.ICtrlChunks, st.RtxChunks, st.GapCnt, st.IDupChunks, st.OutOfSeqTSN, st.MaxRTO)
	}
	PrintStackStats(w, e)
}

// PrintStackStats writes the stack's, the host's and the drop counters.
func PrintStackStats(w io.Writer, e *Endpoint) {
	s := e.Stack.Stats()
	fmt.Fprintf(w, "stack: established active %d passive %d, shutdown %d, aborted %d, failed handshakes %d, restarts %d; packets in %d out %d, output errors %d, dropped %d\n",
		s.ActiveEstab, s.PassiveEstab, s.Shutdown, s.Aborted, s.CantStart, s.Restarts, s.InPackets, s.OutPackets, s.OutputErrors, s.Dropped)
	h := e.Host.Stats()
	fmt.Fprintf(w, "udp %v: datagrams in %d, SCTP to the stack %d, out %d, send errors %d, not SCTP %d (wrong SCTP ports %d, raw IP %d), unexpected source %d, peer port changes %d\n",
		e.LocalAddr(), e.rx.Load(), e.rxPeer.Load(), h.Out, h.OutErrors, h.Other, h.OtherPorts, h.RawIP, h.UnexpectedSource, h.PortChanges)
	if d := e.Stack.Drops(); len(d) > 0 {
		var parts []string
		for r, n := range d {
			parts = append(parts, fmt.Sprintf("%v %d", r, n))
		}
		sort.Strings(parts)
		fmt.Fprintf(w, "drops: %s\n", strings.Join(parts, ", "))
	}
}
