package sysctl

import (
	"fmt"
	"strconv"
	"strings"
)

// Key identifies one usrsctp tunable. Each constant is the CamelCase form of
// the usrsctp name without its "sctp_" prefix: sctp_valid_cookie_life_default
// is ValidCookieLifeDefault. Key values index [Values]; their numbering is an
// implementation detail and may change between versions, so persist names
// (see [Key.Name]), never numbers.
type Key int

// The tunables. The first group follows the usrsctp manual's table; names
// that only appear in usrsctp.h's usrsctp_sysctl_set_* functions are placed
// next to their relatives. Five names of the manual (StrictSacks,
// NrSackOnOff, AsconfAuthNochk, AuthDisable, StrictDataOrder) are no longer
// settable in current usrsctp; they are kept so that every documented
// setting can be expressed.
const (
	// Sendspace is sctp_sendspace: send buffer space (bytes).
	Sendspace Key = iota
	// Recvspace is sctp_recvspace: receive buffer space (bytes).
	Recvspace
	// Hashtblsize is sctp_hashtblsize: TCB hash table size (a boot-time
	// tunable in usrsctp, set with usrsctp_tunable_set_sctp_hashtblsize).
	Hashtblsize
	// Pcbtblsize is sctp_pcbtblsize: PCB hash table size (boot-time tunable).
	Pcbtblsize
	// SystemFreeRescLimit is sctp_system_free_resc_limit: resources cached
	// in the whole stack.
	SystemFreeRescLimit
	// AsocFreeRescLimit is sctp_asoc_free_resc_limit: resources cached in
	// one association.
	AsocFreeRescLimit
	// RtoMaxDefault is sctp_rto_max_default: default RTO.Max in ms.
	RtoMaxDefault
	// RtoMinDefault is sctp_rto_min_default: default RTO.Min in ms.
	RtoMinDefault
	// RtoInitialDefault is sctp_rto_initial_default: default RTO.Initial in ms.
	RtoInitialDefault
	// InitRtoMaxDefault is sctp_init_rto_max_default: maximum RTO in ms
	// while sending INIT.
	InitRtoMaxDefault
	// ValidCookieLifeDefault is sctp_valid_cookie_life_default: valid
	// cookie lifetime in ms.
	ValidCookieLifeDefault
	// InitRtxMaxDefault is sctp_init_rtx_max_default: maximum number of
	// INIT retransmissions.
	InitRtxMaxDefault
	// AssocRtxMaxDefault is sctp_assoc_rtx_max_default: failed
	// retransmissions before the association is aborted.
	AssocRtxMaxDefault
	// PathRtxMaxDefault is sctp_path_rtx_max_default: failed
	// retransmissions before a path fails.
	PathRtxMaxDefault
	// EcnEnable is sctp_ecn_enable: explicit congestion notification on/off.
	EcnEnable
	// PrEnable is sctp_pr_enable: partial reliability (PR-SCTP) on/off.
	PrEnable
	// AuthEnable is sctp_auth_enable: SCTP AUTH (RFC 4895) on/off.
	AuthEnable
	// AsconfEnable is sctp_asconf_enable: ASCONF (RFC 5061) on/off.
	AsconfEnable
	// ReconfigEnable is sctp_reconfig_enable: stream reconfiguration
	// (RFC 6525) on/off.
	ReconfigEnable
	// NrsackEnable is sctp_nrsack_enable: non-renegable SACKs on/off.
	NrsackEnable
	// PktdropEnable is sctp_pktdrop_enable: PKTDROP reports on/off.
	PktdropEnable
	// StrictSacks is sctp_strict_sacks: check the coherence of SACKs.
	StrictSacks
	// DelayedSackTimeDefault is sctp_delayed_sack_time_default: delayed
	// SACK timer in ms.
	DelayedSackTimeDefault
	// SackFreqDefault is sctp_sack_freq_default: packets per SACK.
	SackFreqDefault
	// NrSackOnOff is sctp_nr_sack_on_off: the manual's older switch for
	// non-renegable SACKs (see NrsackEnable).
	NrSackOnOff
	// EnableSackImmediately is sctp_enable_sack_immediately: send the
	// SACK-IMMEDIATELY bit.
	EnableSackImmediately
	// NoCsumOnLoopback is sctp_no_csum_on_loopback: skip the CRC32c on
	// packets sent over loopback.
	NoCsumOnLoopback
	// PeerChunkOh is sctp_peer_chunk_oh: bytes debited from the peer's rwnd
	// per chunk sent.
	PeerChunkOh
	// MaxBurstDefault is sctp_max_burst_default: default max burst
	// (0 means no limit).
	MaxBurstDefault
	// UseCwndBasedMaxburst is sctp_use_cwnd_based_maxburst: base max burst
	// on the congestion window.
	UseCwndBasedMaxburst
	// HbMaxburst is sctp_hb_maxburst: confirmation heartbeat max burst.
	HbMaxburst
	// MaxChunksOnQueue is sctp_max_chunks_on_queue: max chunks queued per
	// association.
	MaxChunksOnQueue
	// MinSplitPoint is sctp_min_split_point: minimum size when splitting a
	// chunk.
	MinSplitPoint
	// Chunkscale is sctp_chunkscale: scaling of the number of chunks and
	// messages (boot-time tunable).
	Chunkscale
	// MbufThresholdCount is sctp_mbuf_threshold_count: maximum number of
	// small mbufs in a chain.
	MbufThresholdCount
	// HeartbeatIntervalDefault is sctp_heartbeat_interval_default: time
	// between heartbeats in ms.
	HeartbeatIntervalDefault
	// PmtuRaiseTimeDefault is sctp_pmtu_raise_time_default: PMTU raise
	// timer in seconds.
	PmtuRaiseTimeDefault
	// ShutdownGuardTimeDefault is sctp_shutdown_guard_time_default:
	// shutdown guard timer in seconds.
	ShutdownGuardTimeDefault
	// SecretLifetimeDefault is sctp_secret_lifetime_default: cookie secret
	// lifetime in seconds.
	SecretLifetimeDefault
	// AddMoreThreshold is sctp_add_more_threshold: free space at which more
	// data is added to the send buffer.
	AddMoreThreshold
	// NrIncomingStreamsDefault is sctp_nr_incoming_streams_default: default
	// number of incoming streams (MIS).
	NrIncomingStreamsDefault
	// NrOutgoingStreamsDefault is sctp_nr_outgoing_streams_default: default
	// number of outgoing streams (OS).
	NrOutgoingStreamsDefault
	// CmtOnOff is sctp_cmt_on_off: concurrent multipath transfer mode.
	CmtOnOff
	// CmtUseDac is sctp_cmt_use_dac: delayed ack for CMT.
	CmtUseDac
	// FrMaxBurstDefault is sctp_fr_max_burst_default: max burst when fast
	// retransmitting.
	FrMaxBurstDefault
	// AutoAsconf is sctp_auto_asconf: automatic ASCONF on address changes.
	AutoAsconf
	// MultipleAsconfs is sctp_multiple_asconfs: allow several outstanding
	// ASCONFs.
	MultipleAsconfs
	// AsconfAuthNochk is sctp_asconf_auth_nochk: do not require AUTH for
	// ASCONF.
	AsconfAuthNochk
	// AuthDisable is sctp_auth_disable: the manual's older AUTH switch (see
	// AuthEnable).
	AuthDisable
	// NatFriendly is sctp_nat_friendly: NAT friendly operation.
	NatFriendly
	// InitsIncludeNatFriendly is sctp_inits_include_nat_friendly: send the
	// NAT-friendly option in INITs.
	InitsIncludeNatFriendly
	// UdpTunnelingPort is sctp_udp_tunneling_port: SCTP/UDP encapsulation
	// port (RFC 6951), 0 disables it.
	UdpTunnelingPort
	// DoDrain is sctp_do_drain: respond to drain calls.
	DoDrain
	// AbortIfOne2OneHitsLimit is sctp_abort_if_one_2_one_hits_limit: abort
	// a one-to-one association that hits the queue limit.
	AbortIfOne2OneHitsLimit
	// StrictDataOrder is sctp_strict_data_order: abort if a control chunk
	// arrives inside data.
	StrictDataOrder
	// MinResidual is sctp_min_residual: minimum data left in the second
	// part of a split.
	MinResidual
	// MaxRetranChunk is sctp_max_retran_chunk: retransmissions of one chunk
	// before the association aborts.
	MaxRetranChunk
	// DefaultCcModule is sctp_default_cc_module: congestion control module
	// (0 RFC 4960, 1 HS-TCP, 2 H-TCP, 3 RTCC).
	DefaultCcModule
	// DefaultSsModule is sctp_default_ss_module: stream scheduler (0 default,
	// 1 RR, 2 RR per packet, 3 priority, 4 fair bandwidth, 5 FCFS).
	DefaultSsModule
	// DefaultFragInterleave is sctp_default_frag_interleave: fragment
	// interleave level (0..2).
	DefaultFragInterleave
	// MobilityBase is sctp_mobility_base: base mobility on/off.
	MobilityBase
	// MobilityFasthandoff is sctp_mobility_fasthandoff: fast handoff on/off.
	MobilityFasthandoff
	// L2AbcVariable is sctp_L2_abc_variable: ABC max increase per SACK (L).
	L2AbcVariable
	// VtagTimeWait is sctp_vtag_time_wait: verification tag time-wait in
	// seconds, 0 disables it.
	VtagTimeWait
	// Blackhole is sctp_blackhole: blackholing of out-of-the-blue packets.
	Blackhole
	// SendallLimit is sctp_sendall_limit: maximum message size with
	// SCTP_SENDALL.
	SendallLimit
	// DiagInfoCode is sctp_diag_info_code: cause code used for diagnostic
	// information in ABORTs.
	DiagInfoCode
	// PathPfThreshold is sctp_path_pf_threshold: potentially-failed
	// threshold (65535 disables PF).
	PathPfThreshold
	// RttvarBw is sctp_rttvar_bw: shift for bandwidth smoothing (RTCC).
	RttvarBw
	// RttvarRtt is sctp_rttvar_rtt: shift for RTT smoothing (RTCC).
	RttvarRtt
	// RttvarEqret is sctp_rttvar_eqret: what RTCC returns when RTT and
	// bandwidth are unchanged.
	RttvarEqret
	// SteadyStep is sctp_steady_step: steady measurements before RTCC tries
	// to step down cwnd.
	SteadyStep
	// UseDcccEcn is sctp_use_dccc_ecn: datacenter ECN for RTCC.
	UseDcccEcn
	// BufferSplitting is sctp_buffer_splitting: send/receive buffer
	// splitting (bit 0 send, bit 1 receive).
	BufferSplitting
	// InitialCwnd is sctp_initial_cwnd: initial congestion window in MTUs.
	InitialCwnd
	// LoggingLevel is sctp_logging_level: logging bitmask.
	LoggingLevel
	// DebugOn is sctp_debug_on: debug output bitmask (only in usrsctp built
	// with SCTP_DEBUG).
	DebugOn

	numKeys // number of keys; not a key
)

// NumKeys is the number of tunables, len(Keys()).
const NumKeys = int(numKeys)

// Keys returns every tunable in a stable order (the order of the constants).
// The slice is new on each call; the caller may modify it.
func Keys() []Key {
	ks := make([]Key, numKeys)
	for i := range ks {
		ks[i] = Key(i)
	}
	return ks
}

// Valid reports whether k is one of the defined tunables.
func (k Key) Valid() bool { return k >= 0 && k < numKeys }

// Name returns the usrsctp name of k, such as "sctp_valid_cookie_life_default".
// For an invalid key it returns "sysctl.Key(N)".
func (k Key) Name() string {
	if !k.Valid() {
		return "sysctl.Key(" + strconv.Itoa(int(k)) + ")"
	}
	return table[k].Name
}

// String returns k.Name(), so that keys print by name.
func (k Key) String() string { return k.Name() }

// Info returns the description of k: its usrsctp name, default, range, unit
// and meaning. For an invalid key it returns an Info with only Name set.
func (k Key) Info() Info {
	if !k.Valid() {
		return Info{Name: k.Name()}
	}
	return table[k]
}

// Lookup returns the key whose usrsctp name is name. The "sctp_" prefix is
// optional: "sctp_sendspace" and "sendspace" both find Sendspace. An exact
// match is tried first, then a case-insensitive one (so "l2_abc_variable"
// finds L2AbcVariable). Surrounding spaces are ignored. An unknown name
// yields an error that wraps [ErrUnknown] and quotes the name.
func Lookup(name string) (Key, error) {
	n := strings.TrimSpace(name)
	if len(n) >= len(prefix) && strings.EqualFold(n[:len(prefix)], prefix) {
		n = n[len(prefix):]
	}
	if n != "" {
		for i := range table {
			if table[i].Name[len(prefix):] == n {
				return Key(i), nil
			}
		}
		for i := range table {
			if strings.EqualFold(table[i].Name[len(prefix):], n) {
				return Key(i), nil
			}
		}
	}
	return 0, fmt.Errorf("%w %q", ErrUnknown, name)
}

const prefix = "sctp_"
