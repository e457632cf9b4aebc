package sysctl

// Info describes one tunable.
type Info struct {
	// Name is the usrsctp name, with its "sctp_" prefix.
	Name string
	// Default is the value usrsctp starts with (as given by the usrsctp
	// manual where it lists the tunable).
	Default uint32
	// Min and Max bound the values [Values.Set] accepts, both inclusive:
	// usrsctp's SCTPCTL_*_MIN and SCTPCTL_*_MAX.
	Min, Max uint32
	// Unit is "ms", "secs" or "" (a count, a size in bytes or a flag).
	Unit string
	// Meaning is a one-line description.
	Meaning string
}

const u32 = 0xFFFFFFFF // the widest range of a uint32 tunable

// table holds one Info per Key. It is indexed by Key and never written:
// Key.Info and Defaults return copies.
//
// Defaults come from the usrsctp manual's table
// (shared/reference/usrsctp-sysctl.tsv), which is authoritative; where it
// disagrees with current usrsctp sources this is noted. Names that only
// usrsctp.h declares take their defaults from usrsctp's SCTPCTL_*_DEFAULT.
// Min and Max are usrsctp's SCTPCTL_*_MIN / SCTPCTL_*_MAX as reconstructed
// from netinet/sctp_sysctl.h, which is not vendored here; "range: usrsctp
// uses ..." marks the ones that are less certain.
var table = [numKeys]Info{
	Sendspace: {"sctp_sendspace", 1864135, 0, u32, "", "Send buffer space"},
	Recvspace: {"sctp_recvspace", 1864135, 0, u32, "", "Receive buffer space"},
	// Hash table sizes must be at least 1 (SCTPCTL_TCBHASHSIZE_MIN, _PCBHASHSIZE_MIN).
	Hashtblsize:         {"sctp_hashtblsize", 1024, 1, u32, "", "Tunable for TCB hash table sizes"},
	Pcbtblsize:          {"sctp_pcbtblsize", 256, 1, u32, "", "Tunable for PCB hash table sizes"},
	SystemFreeRescLimit: {"sctp_system_free_resc_limit", 1000, 0, u32, "", "Cached resources in the system"},
	AsocFreeRescLimit:   {"sctp_asoc_free_resc_limit", 10, 0, u32, "", "Cached resources in an association"},
	// RTO values: usrsctp only bounds them by the C type; the relation
	// min <= initial <= max is checked per association, not here.
	RtoMaxDefault:          {"sctp_rto_max_default", 60000, 0, u32, "ms", "Default value for RTO_max"},
	RtoMinDefault:          {"sctp_rto_min_default", 1000, 0, u32, "ms", "Default value for RTO_min"},
	RtoInitialDefault:      {"sctp_rto_initial_default", 3000, 0, u32, "ms", "Default value for RTO_initial"},
	InitRtoMaxDefault:      {"sctp_init_rto_max_default", 60000, 0, u32, "ms", "Default value for the maximum RTO for sending an INIT"},
	ValidCookieLifeDefault: {"sctp_valid_cookie_life_default", 60000, 0, u32, "ms", "Valid cookie life time"},
	InitRtxMaxDefault:      {"sctp_init_rtx_max_default", 8, 0, u32, "", "Maximum number of INIT retransmissions"},
	AssocRtxMaxDefault:     {"sctp_assoc_rtx_max_default", 10, 0, u32, "", "Maximum number of failed retransmissions before the association is aborted"},
	PathRtxMaxDefault:      {"sctp_path_rtx_max_default", 5, 0, u32, "", "Maximum number of failed retransmissions before a path fails"},
	EcnEnable:              {"sctp_ecn_enable", 1, 0, 1, "", "Enabling explicit congestion notifications"},
	PrEnable:               {"sctp_pr_enable", 1, 0, 1, "", "Enable PR-SCTP (partial reliability)"},
	AuthEnable:             {"sctp_auth_enable", 1, 0, 1, "", "Enable SCTP AUTH function"},
	AsconfEnable:           {"sctp_asconf_enable", 1, 0, 1, "", "Enable SCTP ASCONF"},
	ReconfigEnable:         {"sctp_reconfig_enable", 1, 0, 1, "", "Enable SCTP stream reconfiguration (RE-CONFIG)"},
	NrsackEnable:           {"sctp_nrsack_enable", 0, 0, 1, "", "Enable non-renegable SACKs (NR-SACK)"},
	PktdropEnable:          {"sctp_pktdrop_enable", 0, 0, 1, "", "Enable SCTP packet drop reports (PKTDROP)"},
	StrictSacks:            {"sctp_strict_sacks", 1, 0, 1, "", "Control the coherence of SACKs"},
	// range: usrsctp uses 0..0xFFFFFFFF (SCTPCTL_DELAYED_SACK_TIME_MAX); the
	// 500 ms cap of RFC 4960 section 6.2 is applied by the SCTP_DELAYED_SACK
	// socket option, not by the sysctl.
	DelayedSackTimeDefault: {"sctp_delayed_sack_time_default", 200, 0, u32, "ms", "Default delayed SACK timer"},
	SackFreqDefault:        {"sctp_sack_freq_default", 2, 0, u32, "", "Default SACK frequency"},
	NrSackOnOff:            {"sctp_nr_sack_on_off", 0, 0, 1, "", "Turn non-renegable SACKs on or off"},
	// Current usrsctp defaults to 1; the manual says 0.
	EnableSackImmediately: {"sctp_enable_sack_immediately", 0, 0, 1, "", "Enable sending of the SACK-IMMEDIATELY bit"},
	NoCsumOnLoopback:      {"sctp_no_csum_on_loopback", 1, 0, 1, "", "Skip computing the checksum on packets sent on loopback"},
	PeerChunkOh:           {"sctp_peer_chunk_oh", 256, 0, u32, "", "Amount to debit peers rwnd per chunk sent"},
	// Current usrsctp defaults to SCTP_DEF_MAX_BURST (4); the manual says 0.
	MaxBurstDefault:          {"sctp_max_burst_default", 0, 0, u32, "", "Default max burst for SCTP endpoints"},
	UseCwndBasedMaxburst:     {"sctp_use_cwnd_based_maxburst", 1, 0, 1, "", "Use max burst based on the size of the congestion window"},
	HbMaxburst:               {"sctp_hb_maxburst", 4, 1, u32, "", "Confirmation Heartbeat max burst"},
	MaxChunksOnQueue:         {"sctp_max_chunks_on_queue", 512, 0, u32, "", "Default max chunks on queue per asoc"},
	MinSplitPoint:            {"sctp_min_split_point", 2904, 0, u32, "", "Minimum size when splitting a chunk"},
	Chunkscale:               {"sctp_chunkscale", 10, 1, u32, "", "Tunable for Scaling of number of chunks and messages"},
	MbufThresholdCount:       {"sctp_mbuf_threshold_count", 5, 0, u32, "", "Maximum number of small mbufs in a chain"},
	HeartbeatIntervalDefault: {"sctp_heartbeat_interval_default", 30000, 0, u32, "ms", "Default time between two Heartbeats"},
	PmtuRaiseTimeDefault:     {"sctp_pmtu_raise_time_default", 600, 0, u32, "secs", "Default PMTU raise timer"},
	// Current usrsctp defaults to 0 (meaning 5 * RTO.Max); the manual says 180.
	ShutdownGuardTimeDefault: {"sctp_shutdown_guard_time_default", 180, 0, u32, "secs", "Default shutdown guard timer"},
	SecretLifetimeDefault:    {"sctp_secret_lifetime_default", 3600, 1, u32, "secs", "Default secret lifetime"},
	AddMoreThreshold:         {"sctp_add_more_threshold", 1452, 0, u32, "", "Threshold when more space should be added to a socket send buffer"},
	// Stream counts are 16-bit on the wire and at least 1.
	NrIncomingStreamsDefault: {"sctp_nr_incoming_streams_default", 2048, 1, 65535, "", "Default number of incoming streams"},
	NrOutgoingStreamsDefault: {"sctp_nr_outgoing_streams_default", 10, 1, 65535, "", "Default number of outgoing streams"},
	// 0 off, 1 CMT, 2 CMT with resource pooling, 3 RP v2, 4 MPTCP-like (SCTP_CMT_MAX).
	CmtOnOff:                {"sctp_cmt_on_off", 0, 0, 4, "", "Turn CMT on or off"},
	CmtUseDac:               {"sctp_cmt_use_dac", 0, 0, 1, "", "Use delayed acknowledgment for CMT"},
	FrMaxBurstDefault:       {"sctp_fr_max_burst_default", 4, 0, u32, "", "Default max burst for SCTP endpoints when fast retransmitting"},
	AutoAsconf:              {"sctp_auto_asconf", 1, 0, 1, "", "Enable SCTP Auto-ASCONF"},
	MultipleAsconfs:         {"sctp_multiple_asconfs", 0, 0, 1, "", "Enable SCTP Multiple-ASCONFs"},
	AsconfAuthNochk:         {"sctp_asconf_auth_nochk", 0, 0, 1, "", "Disable SCTP ASCONF AUTH requirement"},
	AuthDisable:             {"sctp_auth_disable", 0, 0, 1, "", "Disable SCTP AUTH function"},
	NatFriendly:             {"sctp_nat_friendly", 1, 0, 1, "", "SCTP NAT friendly operation"},
	InitsIncludeNatFriendly: {"sctp_inits_include_nat_friendly", 0, 0, 1, "", "Enable sending of the nat-friendly SCTP option on INITs"},
	UdpTunnelingPort:        {"sctp_udp_tunneling_port", 9899, 0, 65535, "", "Set the SCTP/UDP tunneling port"},
	DoDrain:                 {"sctp_do_drain", 1, 0, 1, "", "Determines whether SCTP should respond to the drain calls"},
	AbortIfOne2OneHitsLimit: {"sctp_abort_if_one_2_one_hits_limit", 0, 0, 1, "", "When one-2-one hits qlimit abort"},
	StrictDataOrder:         {"sctp_strict_data_order", 0, 0, 1, "", "Enforce strict data ordering, abort if control inside data"},
	MinResidual:             {"sctp_min_residual", 1452, 20, 65535, "", "Minimum residual data chunk in second part of split"},
	MaxRetranChunk:          {"sctp_max_retran_chunk", 30, 0, 65535, "", "Maximum times an unlucky chunk can be retransmitted before the association aborts"},
	// 0 RFC 4960, 1 HS-TCP, 2 H-TCP, 3 RTCC (SCTP_CC_RTCC).
	DefaultCcModule: {"sctp_default_cc_module", 0, 0, 3, "", "Default congestion control module"},
	// 0 default (FCFS per stream), 1 RR, 2 RR per packet, 3 priority, 4 fair bandwidth, 5 FCFS.
	DefaultSsModule:       {"sctp_default_ss_module", 0, 0, 5, "", "Default stream scheduling module"},
	DefaultFragInterleave: {"sctp_default_frag_interleave", 1, 0, 2, "", "Default fragment interleave level"},
	MobilityBase:          {"sctp_mobility_base", 0, 0, 1, "", "Enable SCTP base mobility"},
	MobilityFasthandoff:   {"sctp_mobility_fasthandoff", 0, 0, 1, "", "Enable SCTP fast handoff"},
	// Current usrsctp defaults to 2; the manual says 1.
	L2AbcVariable: {"sctp_L2_abc_variable", 1, 0, u32, "", "SCTP ABC max increase per SACK (L)"},
	VtagTimeWait:  {"sctp_vtag_time_wait", 60, 0, u32, "secs", "Vtag time wait time, 0 disables it"},
	// 0 off, 1 no ABORT for INIT, 2 no ABORT at all.
	Blackhole: {"sctp_blackhole", 0, 0, 2, "", "Enable SCTP blackholing"},
	// range: usrsctp uses 0..0xFFFFFFFF; default SCTPCTL_SENDALL_LIMIT_DEFAULT.
	SendallLimit: {"sctp_sendall_limit", 1432, 0, u32, "", "Maximum message size with SCTP_SENDALL"},
	// An error cause code is 16 bits; 0 means no diagnostic information cause.
	DiagInfoCode:    {"sctp_diag_info_code", 0, 0, 65535, "", "Diagnostic information error cause code"},
	PathPfThreshold: {"sctp_path_pf_threshold", 65535, 0, 65535, "", "Default potentially failed threshold"},
	RttvarBw:        {"sctp_rttvar_bw", 4, 0, 32, "", "Shift amount for bw smoothing on rtt calc"},
	RttvarRtt:       {"sctp_rttvar_rtt", 5, 0, 32, "", "Shift amount for rtt smoothing on rtt calc"},
	RttvarEqret:     {"sctp_rttvar_eqret", 0, 0, 1, "", "What to return when rtt and bw are unchanged"},
	SteadyStep:      {"sctp_steady_step", 20, 0, 65535, "", "How many the sames it takes to try step down of cwnd"},
	UseDcccEcn:      {"sctp_use_dccc_ecn", 1, 0, 1, "", "Enable for RTCC CC datacenter ECN"},
	// Bit 0 splits the send buffer, bit 1 the receive buffer.
	BufferSplitting: {"sctp_buffer_splitting", 0, 0, 3, "", "Enable send/receive buffer splitting"},
	InitialCwnd:     {"sctp_initial_cwnd", 3, 0, u32, "", "Initial congestion window in MTUs"},
	LoggingLevel:    {"sctp_logging_level", 0, 0, u32, "", "Logging level"},
	DebugOn:         {"sctp_debug_on", 0, 0, u32, "", "Turns debug output on or off"},
}
