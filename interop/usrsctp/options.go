package usrsctp

/*
#include "shim.h"
*/
import "C"

import "unsafe"

func (s *Socket) setsockopt(name string, level, opt C.int, p unsafe.Pointer, n uintptr) error {
	so, err := s.use()
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	if rc, err := C.usrsctp_setsockopt(so, level, opt, p, C.socklen_t(n)); rc < 0 {
		return errnoErr("setsockopt "+name, err)
	}
	return nil
}

func (s *Socket) setInt(name string, level, opt C.int, v int) error {
	x := C.int(v)
	return s.setsockopt(name, level, opt, unsafe.Pointer(&x), unsafe.Sizeof(x))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// assocAll is the assoc_id for options that apply to the socket: the
// future associations of a one-to-one socket, or all of a one-to-many one.
func (s *Socket) assocAll() C.uint32_t {
	if s.oneToMany {
		return C.SCTP_ALL_ASSOC
	}
	return C.SCTP_FUTURE_ASSOC
}

// SetNoDelay turns Nagle's algorithm off (SCTP_NODELAY true) or on.
func (s *Socket) SetNoDelay(on bool) error {
	return s.setInt("SCTP_NODELAY", C.IPPROTO_SCTP, C.SCTP_NODELAY, boolInt(on))
}

// InitMsg is SCTP_INITMSG: the streams and INIT retransmission limits of
// new associations. Zero fields keep usrsctp's defaults.
type InitMsg struct {
	OutStreams, MaxInStreams uint16
	MaxAttempts              uint16
	MaxInitTimeoutMs         uint16
}

// SetInitMsg sets SCTP_INITMSG.
func (s *Socket) SetInitMsg(m InitMsg) error {
	v := C.struct_sctp_initmsg{
		sinit_num_ostreams: C.uint16_t(m.OutStreams), sinit_max_instreams: C.uint16_t(m.MaxInStreams),
		sinit_max_attempts: C.uint16_t(m.MaxAttempts), sinit_max_init_timeo: C.uint16_t(m.MaxInitTimeoutMs),
	}
	return s.setsockopt("SCTP_INITMSG", C.IPPROTO_SCTP, C.SCTP_INITMSG, unsafe.Pointer(&v), unsafe.Sizeof(v))
}

// SetRecvRcvInfo makes RecvV report RcvInfo (SCTP_RECVRCVINFO); new
// sockets have it on.
func (s *Socket) SetRecvRcvInfo(on bool) error {
	return s.setInt("SCTP_RECVRCVINFO", C.IPPROTO_SCTP, C.SCTP_RECVRCVINFO, boolInt(on))
}

// Subscribe turns the given notifications on (SCTP_EVENT, one call per
// type).
func (s *Socket) Subscribe(types ...NotificationType) error {
	return s.setEvents(true, types)
}

// Unsubscribe turns the given notifications off.
func (s *Socket) Unsubscribe(types ...NotificationType) error {
	return s.setEvents(false, types)
}

func (s *Socket) setEvents(on bool, types []NotificationType) error {
	so, err := s.use()
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	for _, t := range types {
		if rc, err := C.sconn_set_event(so, s.assocAll(), C.uint16_t(t), C.int(boolInt(on))); rc < 0 {
			return errnoErr("setsockopt SCTP_EVENT "+t.String(), err)
		}
	}
	return nil
}

// SetBuffers sets SO_RCVBUF and SO_SNDBUF in bytes; zero keeps a value.
// The send buffer is what SendV paces on.
func (s *Socket) SetBuffers(rcv, snd int) error {
	if rcv > 0 {
		if err := s.setInt("SO_RCVBUF", C.SOL_SOCKET, C.SO_RCVBUF, rcv); err != nil {
			return err
		}
	}
	if snd > 0 {
		return s.setInt("SO_SNDBUF", C.SOL_SOCKET, C.SO_SNDBUF, snd)
	}
	return nil
}

// The flags of SetStreamReset.
const (
	ResetStreamReq  = C.SCTP_ENABLE_RESET_STREAM_REQ
	ResetAssocReq   = C.SCTP_ENABLE_RESET_ASSOC_REQ
	ChangeAssocReq  = C.SCTP_ENABLE_CHANGE_ASSOC_REQ
	ResetAllEnabled = C.SCTP_ENABLE_VALUE_MASK
)

// SetStreamReset enables answering RE-CONFIG requests
// (SCTP_ENABLE_STREAM_RESET) with a mask of ResetStreamReq, ResetAssocReq
// and ChangeAssocReq.
func (s *Socket) SetStreamReset(flags uint32) error {
	so, err := s.use()
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	if rc, err := C.sconn_set_assoc_value(so, C.SCTP_ENABLE_STREAM_RESET, s.assocAll(), C.uint32_t(flags)); rc < 0 {
		return errnoErr("setsockopt SCTP_ENABLE_STREAM_RESET", err)
	}
	return nil
}

// ResetStreams asks the peer to reset the given outgoing streams
// (SCTP_RESET_STREAMS; none means all). assocID matters for one-to-many
// sockets only.
func (s *Socket) ResetStreams(assocID uint32, sids ...uint16) error {
	var p *C.uint16_t
	if len(sids) > 0 {
		p = (*C.uint16_t)(unsafe.Pointer(&sids[0]))
	}
	so, err := s.use()
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	if rc, err := C.sconn_reset_streams(so, C.uint32_t(assocID), C.SCTP_STREAM_RESET_OUTGOING, p, C.uint16_t(len(sids))); rc < 0 {
		return errnoErr("setsockopt SCTP_RESET_STREAMS", err)
	}
	return nil
}

// SetReusePort sets SCTP_REUSE_PORT (several one-to-one sockets bound to
// one port). usrsctp accepts it before Bind only.
func (s *Socket) SetReusePort(on bool) error {
	return s.setInt("SCTP_REUSE_PORT", C.IPPROTO_SCTP, C.SCTP_REUSE_PORT, boolInt(on))
}

// SetLinger sets SO_LINGER; on with zero seconds makes Close abort.
func (s *Socket) SetLinger(on bool, secs int) error {
	so, err := s.use()
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	if rc, err := C.sconn_set_linger(so, C.int(boolInt(on)), C.int(secs)); rc < 0 {
		return errnoErr("setsockopt SO_LINGER", err)
	}
	return nil
}

// State is an association state as SCTP_STATUS reports it.
type State int32

// The states of Stats.State.
const (
	StateClosed           State = C.SCTP_CLOSED
	StateCookieWait       State = C.SCTP_COOKIE_WAIT
	StateCookieEchoed     State = C.SCTP_COOKIE_ECHOED
	StateEstablished      State = C.SCTP_ESTABLISHED
	StateShutdownSent     State = C.SCTP_SHUTDOWN_SENT
	StateShutdownReceived State = C.SCTP_SHUTDOWN_RECEIVED
	StateShutdownAckSent  State = C.SCTP_SHUTDOWN_ACK_SENT
	StateShutdownPending  State = C.SCTP_SHUTDOWN_PENDING
)

func (st State) String() string {
	switch st {
	case StateClosed:
		return "CLOSED"
	case StateCookieWait:
		return "COOKIE-WAIT"
	case StateCookieEchoed:
		return "COOKIE-ECHOED"
	case StateEstablished:
		return "ESTABLISHED"
	case StateShutdownSent:
		return "SHUTDOWN-SENT"
	case StateShutdownReceived:
		return "SHUTDOWN-RECEIVED"
	case StateShutdownAckSent:
		return "SHUTDOWN-ACK-SENT"
	case StateShutdownPending:
		return "SHUTDOWN-PENDING"
	}
	return "State(" + itoa(int(st)) + ")"
}

// Stats is the state of one association. usrsctp 0.9.5 has no
// SCTP_GET_ASSOC_STATS, so this is SCTP_STATUS (with the primary path's
// sctp_paddrinfo).
type Stats struct {
	AssocID            uint32
	State              State
	Rwnd               uint32 // peer's receive window
	UnackData          uint16 // DATA chunks sent and not acknowledged
	PendData           uint16 // DATA chunks waiting to be read
	InStreams          uint16
	OutStreams         uint16
	FragmentationPoint uint32
	Cwnd               uint32 // primary path
	SRTTms             uint32
	RTOms              uint32
	MTU                uint32
}

// Stats returns the SCTP_STATUS of the socket's association.
func (s *Socket) Stats() (Stats, error) { return s.StatsOf(0) }

// StatsOf returns the SCTP_STATUS of one association of a one-to-many
// socket.
func (s *Socket) StatsOf(assocID uint32) (Stats, error) {
	var st C.struct_sctp_status
	st.sstat_assoc_id = C.sctp_assoc_t(assocID)
	n := C.socklen_t(unsafe.Sizeof(st))
	so, err := s.use()
	if err != nil {
		return Stats{}, err
	}
	rc, gerr := C.usrsctp_getsockopt(so, C.IPPROTO_SCTP, C.SCTP_STATUS, unsafe.Pointer(&st), &n)
	s.mu.RUnlock()
	if rc < 0 {
		return Stats{}, errnoErr("getsockopt SCTP_STATUS", gerr)
	}
	return Stats{
		AssocID: uint32(st.sstat_assoc_id), State: State(st.sstat_state), Rwnd: uint32(st.sstat_rwnd),
		UnackData: uint16(st.sstat_unackdata), PendData: uint16(st.sstat_penddata),
		InStreams: uint16(st.sstat_instrms), OutStreams: uint16(st.sstat_outstrms),
		FragmentationPoint: uint32(st.sstat_fragmentation_point),
		Cwnd:               uint32(st.sstat_primary.spinfo_cwnd), SRTTms: uint32(st.sstat_primary.spinfo_srtt),
		RTOms: uint32(st.sstat_primary.spinfo_rto), MTU: uint32(st.sstat_primary.spinfo_mtu),
	}, nil
}

// GlobalStats are process-wide counters of usrsctp (usrsctp_get_stat),
// shared by every endpoint.
type GlobalStats struct {
	CurrEstab, ActiveEstab, PassiveEstab, Aborted, Shutdown uint32
	OutOfTheBlue, ChecksumErrors, BadVtag                   uint32
	InPackets, OutPackets, RecvData, SendData               uint32
	SendRetransData, SendFastRetrans, T3Timeouts            uint32
}

// ReadGlobalStats returns usrsctp's process-wide counters.
func ReadGlobalStats() GlobalStats {
	ensureInit()
	var st C.struct_sctpstat
	C.usrsctp_get_stat(&st)
	return GlobalStats{
		CurrEstab: uint32(st.sctps_currestab), ActiveEstab: uint32(st.sctps_activeestab),
		PassiveEstab: uint32(st.sctps_passiveestab), Aborted: uint32(st.sctps_aborted),
		Shutdown: uint32(st.sctps_shutdown), OutOfTheBlue: uint32(st.sctps_outoftheblue),
		ChecksumErrors: uint32(st.sctps_checksumerrors), BadVtag: uint32(st.sctps_badvtag),
		InPackets: uint32(st.sctps_inpackets), OutPackets: uint32(st.sctps_outpackets),
		RecvData: uint32(st.sctps_recvdata), SendData: uint32(st.sctps_senddata),
		SendRetransData: uint32(st.sctps_sendretransdata), SendFastRetrans: uint32(st.sctps_sendfastretrans),
		T3Timeouts: uint32(st.sctps_timodata),
	}
}

// The flags of PeerAddrParams.
const (
	HBEnable  = C.SPP_HB_ENABLE
	HBDisable = C.SPP_HB_DISABLE
	HBDemand  = C.SPP_HB_DEMAND
)

// PeerAddrParams is the part of SCTP_PEER_ADDR_PARAMS the tests use: the
// heartbeat interval (ms, with HBEnable) and Path.Max.Retrans of every
// path (zero fields unchanged).
type PeerAddrParams struct {
	HBIntervalMs uint32
	PathMaxRxt   uint16
	Flags        uint32
}

// SetPeerAddrParams sets SCTP_PEER_ADDR_PARAMS for the socket's future
// associations (or all of a one-to-many socket's), or for assocID.
func (s *Socket) SetPeerAddrParams(assocID uint32, p PeerAddrParams) error {
	so, err := s.use()
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	id := C.uint32_t(assocID)
	if assocID == 0 {
		id = s.assocAll()
	}
	if rc, err := C.sconn_set_paddrparams(so, id, C.uint32_t(p.HBIntervalMs), C.uint16_t(p.PathMaxRxt), C.uint32_t(p.Flags)); rc < 0 {
		return errnoErr("setsockopt SCTP_PEER_ADDR_PARAMS", err)
	}
	return nil
}

// RTOInfo is SCTP_RTOINFO in milliseconds (zero fields unchanged).
type RTOInfo struct {
	InitialMs, MaxMs, MinMs uint32
}

// SetRTOInfo sets SCTP_RTOINFO for the socket's future associations (or
// all of a one-to-many socket's), or for assocID.
func (s *Socket) SetRTOInfo(assocID uint32, r RTOInfo) error {
	so, err := s.use()
	if err != nil {
		return err
	}
	defer s.mu.RUnlock()
	id := C.uint32_t(assocID)
	if assocID == 0 {
		id = s.assocAll()
	}
	if rc, err := C.sconn_set_rtoinfo(so, id, C.uint32_t(r.InitialMs), C.uint32_t(r.MaxMs), C.uint32_t(r.MinMs)); rc < 0 {
		return errnoErr("setsockopt SCTP_RTOINFO", err)
	}
	return nil
}
