package assoc

import "time"

// Stats are the counters of SCTP_GET_ASSOC_STATS (RFC 6458 §8.2.2, as
// usrsctp keeps them).
type Stats struct {
	RtxChunks   uint64 // DATA chunks retransmitted
	GapCnt      uint64 // SACKs received with Gap Ack Blocks
	OutSeqTSNs  uint64 // DATA chunks received out of sequence
	OSacks      uint64 // SACKs sent
	ISacks      uint64 // SACKs received
	OCtrlChunks uint64 // control chunks sent (SACK and FORWARD TSN included)
	ICtrlChunks uint64 // control chunks received
	ODChunks    uint64 // ordered DATA chunks sent (first transmissions)
	IDChunks    uint64 // ordered DATA chunks received (new TSNs)
	OUODChunks  uint64 // unordered DATA chunks sent
	IUODChunks  uint64 // unordered DATA chunks received
	IDupChunks  uint64 // duplicate DATA chunks received
	OPackets    uint64 // packets sent
	IPackets    uint64 // packets received (for this association)
	// MaxRTO is the largest RTO seen (sas_maxrto).
	MaxRTO time.Duration
}

// Stats returns the association's counters.
func (a *Association) Stats() Stats { return a.data.stats }

// Status holds the figures of SCTP_STATUS (RFC 6458 §8.2.1) for the
// association and its (only) path.
type Status struct {
	State State
	// RWnd is the peer's receive window as this side tracks it (§6.2.1).
	RWnd uint32
	// UnackedData is the number of DATA chunks sent and not cumulatively
	// acknowledged (sstat_unackdata).
	UnackedData int
	// PendingData is the number of user data bytes received and held:
	// being reassembled or waiting to be read (sstat_penddata counts them
	// in chunks).
	PendingData           int
	InStreams, OutStreams uint16
	FragmentationPoint    int // user data bytes per full DATA chunk
	SRTT, RTO             time.Duration
	Cwnd                  uint32
	MTU                   int
}

// Status returns the association's SCTP_STATUS figures.
func (a *Association) Status() Status {
	st := Status{
		State: a.state, RWnd: a.info.PeerARwnd,
		InStreams: a.info.InboundStreams, OutStreams: a.info.OutboundStreams,
		SRTT: a.path.rto.SRTT(), RTO: a.path.rto.Value(), MTU: a.cfg.MTU,
	}
	if t := a.data.tx; t != nil {
		st.RWnd = t.Out.PeerRwnd()
		st.UnackedData = t.Out.Outstanding()
		st.FragmentationPoint = t.MaxPayload()
		st.Cwnd = uint32(t.CC.Cwnd())
	}
	if r := a.data.rx; r != nil {
		st.PendingData = r.Reassembly.Held()
	}
	return st
}
