package conn

import (
	"strconv"
	"time"

	"github.com/sconnlab/sconn/assoc"
)

// AssocState is sstat_state, with usrsctp's values.
type AssocState int32

// Association states (SCTP_CLOSED … SCTP_SHUTDOWN_PENDING).
const (
	StateClosed           AssocState = 0x0000
	StateBound            AssocState = 0x1000
	StateListen           AssocState = 0x2000
	StateCookieWait       AssocState = 0x0002
	StateCookieEchoed     AssocState = 0x0004
	StateEstablished      AssocState = 0x0008
	StateShutdownSent     AssocState = 0x0010
	StateShutdownReceived AssocState = 0x0020
	StateShutdownAckSent  AssocState = 0x0040
	StateShutdownPending  AssocState = 0x0080
)

// String returns the usrsctp name, e.g. "SCTP_ESTABLISHED".
func (s AssocState) String() string {
	switch s {
	case StateClosed:
		return "SCTP_CLOSED"
	case StateBound:
		return "SCTP_BOUND"
	case StateListen:
		return "SCTP_LISTEN"
	case StateCookieWait:
		return "SCTP_COOKIE_WAIT"
	case StateCookieEchoed:
		return "SCTP_COOKIE_ECHOED"
	case StateEstablished:
		return "SCTP_ESTABLISHED"
	case StateShutdownSent:
		return "SCTP_SHUTDOWN_SENT"
	case StateShutdownReceived:
		return "SCTP_SHUTDOWN_RECEIVED"
	case StateShutdownAckSent:
		return "SCTP_SHUTDOWN_ACK_SENT"
	case StateShutdownPending:
		return "SCTP_SHUTDOWN_PENDING"
	}
	return "state 0x" + strconv.FormatInt(int64(s), 16)
}

func assocState(s assoc.State) AssocState {
	switch s {
	case assoc.CookieWait:
		return StateCookieWait
	case assoc.CookieEchoed:
		return StateCookieEchoed
	case assoc.Established:
		return StateEstablished
	case assoc.ShutdownPending:
		return StateShutdownPending
	case assoc.ShutdownSent:
		return StateShutdownSent
	case assoc.ShutdownReceived:
		return StateShutdownReceived
	case assoc.ShutdownAckSent:
		return StateShutdownAckSent
	}
	return StateClosed
}

// PathState is spinfo_state.
type PathState int32

// Path states (SCTP_ACTIVE, SCTP_INACTIVE, SCTP_UNCONFIRMED).
const (
	PathActive      PathState = 0x0001
	PathInactive    PathState = 0x0002
	PathUnconfirmed PathState = 0x0200
)

// PeerAddrInfo is SCTP_GET_PEER_ADDR_INFO (struct sctp_paddrinfo, RFC 6458
// §8.2.2), read-only: the state of the path to the peer.
type PeerAddrInfo struct {
	Address Addr
	AssocID AssocID
	State   PathState
	Cwnd    uint32
	SRTT    time.Duration
	RTO     time.Duration
	MTU     uint32
}

// OptionName implements GettableOption.
func (PeerAddrInfo) OptionName() string { return "SCTP_GET_PEER_ADDR_INFO" }

func (o *PeerAddrInfo) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.needAssocLocked(o.AssocID)
	if err != nil {
		return err
	}
	st := as.status()
	*o = st.Primary
	return nil
}

// Status is SCTP_STATUS (struct sctp_status, RFC 6458 §8.2.1), read-only.
type Status struct {
	AssocID            AssocID
	State              AssocState
	RWnd               uint32 // the peer's current receive window
	UnackedData        int    // DATA chunks sent and not cumulatively acknowledged
	PendingData        int    // received user data held, not yet read, in bytes (usrsctp counts chunks)
	InStreams          uint16
	OutStreams         uint16
	FragmentationPoint uint32 // the largest user data of one DATA chunk
	Primary            PeerAddrInfo
}

// OptionName implements GettableOption.
func (Status) OptionName() string { return "SCTP_STATUS" }

func (o *Status) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.needAssocLocked(o.AssocID)
	if err != nil {
		return err
	}
	*o = as.status()
	return nil
}

// AssocStats is SCTP_GET_ASSOC_STATS (Linux's struct sctp_assoc_stats),
// read-only: counters of one association.
type AssocStats struct {
	AssocID     AssocID
	ObsRTOAddr  Addr          // the address whose RTO is MaxRTO (the peer)
	MaxRTO      time.Duration // largest RTO observed
	ISacks      uint64        // SACKs received
	OSacks      uint64        // SACKs sent
	OPackets    uint64        // packets sent
	IPackets    uint64        // packets received
	RtxChunks   uint64        // DATA chunks retransmitted
	OutOfSeqTSN uint64        // TSNs received above the cumulative ack
	IDupChunks  uint64        // duplicate DATA chunks received
	GapCnt      uint64        // gap ack blocks received
	OUODChunks  uint64        // unordered DATA chunks sent
	IUODChunks  uint64        // unordered DATA chunks received
	OODChunks   uint64        // ordered DATA chunks sent
	IODChunks   uint64        // ordered DATA chunks received
	OCtrlChunks uint64        // control chunks sent
	ICtrlChunks uint64        // control chunks received
}

// OptionName implements GettableOption.
func (AssocStats) OptionName() string { return "SCTP_GET_ASSOC_STATS" }

func (o *AssocStats) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.needAssocLocked(o.AssocID)
	if err != nil {
		return err
	}
	return as.stats(o)
}
