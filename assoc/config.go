package assoc

import (
	"time"

	"github.com/sconnlab/sconn/sysctl"
	"github.com/sconnlab/sconn/wire"
)

// Config holds the settings of one association (or of an Endpoint, which
// copies them into every association it creates). Build it with
// ConfigFromSysctl and override fields per association, the way usrsctp's
// socket options override its sysctls. New and NewEndpoint replace a zero
// duration or count by the RFC 9260 §16 value, so a partly filled Config
// works too.
type Config struct {
	// LocalPort and PeerPort are the SCTP ports of the common header
	// (§3.1). An Endpoint fills PeerPort from each INIT.
	LocalPort, PeerPort uint16

	// OutboundStreams is the OS we ask for and InboundStreams the MIS we
	// accept (§5.1.1; sctp_nr_outgoing_streams_default and
	// sctp_nr_incoming_streams_default). Both must be at least 1.
	OutboundStreams, InboundStreams uint16

	// MTU is the largest SCTP packet (common header and chunks) Poll
	// builds; the host subtracts its own IP/UDP/DTLS overhead. AF_CONN has
	// no PMTU discovery; the default is 1200 as in WebRTC.
	MTU int

	// ReceiveBufferSize is the receive buffer (sctp_recvspace): the a_rwnd
	// announced in INIT or INIT ACK, at least 1500 (§3.3.2), and the
	// window the receiver advertises as the user reads (§6.2).
	ReceiveBufferSize int
	// ARwnd is the older name of ReceiveBufferSize: when non-zero it
	// overrides it. The normalised Config has both equal.
	ARwnd uint32

	// RTO bounds (§6.3.1, §16): RTO.Initial, RTO.Min, RTO.Max, and the cap
	// of the T1-init and T1-cookie backoff (sctp_init_rto_max_default).
	RTOInitial, RTOMin, RTOMax, InitRTOMax time.Duration
	// ClockGranularity is G of §6.3.1 rule G1 (default 1 ms).
	ClockGranularity time.Duration

	// MaxInitRetransmits is Max.Init.Retransmits (§5.1, sctp_init_rtx_max_default).
	MaxInitRetransmits int
	// AssocMaxRetrans is Association.Max.Retrans (§8.1, sctp_assoc_rtx_max_default).
	AssocMaxRetrans int
	// PathMaxRetrans is Path.Max.Retrans (§8.2, sctp_path_rtx_max_default).
	PathMaxRetrans int

	// ValidCookieLife is Valid.Cookie.Life (§5.1.3, sctp_valid_cookie_life_default).
	ValidCookieLife time.Duration
	// MaxCookiePreservative caps the life-span increment a peer may ask for
	// with a Cookie Preservative (§3.3.2.1.3: "MAY choose to ignore");
	// default 1 minute.
	MaxCookiePreservative time.Duration
	// SecretLifetime is how long a cookie secret signs new cookies
	// (§5.1.3, sctp_secret_lifetime_default); the previous one still
	// verifies them for one more lifetime.
	SecretLifetime time.Duration

	// HeartbeatInterval is HB.interval (§8.3, sctp_heartbeat_interval_default).
	HeartbeatInterval time.Duration
	// HeartbeatDisabled turns periodic heartbeats off (§8.3 A); on-demand
	// heartbeats still work.
	HeartbeatDisabled bool

	// ShutdownGuard is the T5-shutdown-guard duration (§9.2,
	// sctp_shutdown_guard_time_default); 0 means 5 × RTO.Max as §9.2
	// recommends, taken from the association's RTO.Max when T5 starts (so
	// SCTP_RTOINFO changes it). ConfigFromSysctl maps the sysctl's default
	// (180 s) to 0, as current usrsctp does; any other value is kept.
	ShutdownGuard time.Duration

	// Knobs read by the data transfer engine.
	DelayedSackTime time.Duration // SACK.Delay (§6.2, sctp_delayed_sack_time_default; at most 500 ms)
	SackFreq        int           // packets per SACK (sctp_sack_freq_default)
	MaxBurst        int           // Max.Burst in packets (§6.1 D, sctp_max_burst_default, 0 = none)
	// InitialCwnd is the initial cwnd in MTUs (sctp_initial_cwnd); 0 uses
	// min(4·PMDCS, max(2·PMDCS, 4404)) of §7.2.1.
	InitialCwnd int
	// SendBufferSize limits the bytes queued or unacknowledged
	// (sctp_sendspace); Send refuses what does not fit with
	// ErrSendBufferFull. 0: no limit.
	SendBufferSize int
	// SendSpace is the older name of SendBufferSize: when non-zero it
	// overrides it. The normalised Config has both equal.
	SendSpace uint32
	// MaxMessageSize refuses larger messages with ErrMessageTooLarge
	// (default 256 KiB; negative: no limit).
	MaxMessageSize int
	// NoDelay turns off the Nagle-like coalescing of small messages
	// (SCTP_NODELAY).
	NoDelay bool
	// PartialDeliveryPoint is SCTP_PARTIAL_DELIVERY_POINT: a message is
	// handed to the reader in pieces once this many of its bytes are
	// ready (0: half the receive buffer).
	PartialDeliveryPoint int
	// ReassemblyLimit caps the bytes the receive side holds for a peer
	// (reassembly plus unread); a peer that exceeds it is aborted with a
	// Protocol Violation. 0: twice the receive buffer plus 64 KiB.
	ReassemblyLimit int
	// FCFS selects the first-come-first-served stream scheduler instead of
	// round robin (RFC 8260 §3.1, §3.2; sctp_default_ss_module 5).
	FCFS bool

	// Extensions announced in INIT and INIT ACK; each one is used only
	// when the peer announces it too.
	ECN                bool // ECN Capable (RFC 9260 Appendix A; sctp_ecn_enable)
	PartialReliability bool // Forward-TSN-Supported (RFC 3758; sctp_pr_enable)
	Reconfig           bool // RE-CONFIG in Supported Extensions (RFC 6525; sctp_reconfig_enable)
	IData              bool // I-DATA in Supported Extensions (RFC 8260)
	// ZeroChecksum announces Zero Checksum Acceptable with
	// ZeroChecksumEDMID (RFC 9653 §5.1) and allows sending zero checksums
	// to a peer that announced the same method. Default EDMID: DTLS (1).
	ZeroChecksum      bool
	ZeroChecksumEDMID uint32
	// Adaptation announces an Adaptation Layer Indication with
	// AdaptationIndication (RFC 5061 §4.2.6, SCTP_ADAPTATION_LAYER).
	Adaptation           bool
	AdaptationIndication uint32
}

// ConfigFromSysctl returns the configuration usrsctp would use with the
// tunables in v.
func ConfigFromSysctl(v *sysctl.Values) Config {
	ms := func(k sysctl.Key) time.Duration { return time.Duration(v.Get(k)) * time.Millisecond }
	sec := func(k sysctl.Key) time.Duration { return time.Duration(v.Get(k)) * time.Second }
	c := Config{
		OutboundStreams:       clampU16(v.Get(sysctl.NrOutgoingStreamsDefault)),
		InboundStreams:        clampU16(v.Get(sysctl.NrIncomingStreamsDefault)),
		MTU:                   DefaultMTU,
		ReceiveBufferSize:     int(v.Get(sysctl.Recvspace)),
		RTOInitial:            ms(sysctl.RtoInitialDefault),
		RTOMin:                ms(sysctl.RtoMinDefault),
		RTOMax:                ms(sysctl.RtoMaxDefault),
		InitRTOMax:            ms(sysctl.InitRtoMaxDefault),
		ClockGranularity:      time.Millisecond,
		MaxInitRetransmits:    int(v.Get(sysctl.InitRtxMaxDefault)),
		AssocMaxRetrans:       int(v.Get(sysctl.AssocRtxMaxDefault)),
		PathMaxRetrans:        int(v.Get(sysctl.PathRtxMaxDefault)),
		ValidCookieLife:       ms(sysctl.ValidCookieLifeDefault),
		MaxCookiePreservative: time.Minute,
		SecretLifetime:        sec(sysctl.SecretLifetimeDefault),
		HeartbeatInterval:     ms(sysctl.HeartbeatIntervalDefault),
		ShutdownGuard:         shutdownGuard(v),
		DelayedSackTime:       ms(sysctl.DelayedSackTimeDefault),
		SackFreq:              int(v.Get(sysctl.SackFreqDefault)),
		MaxBurst:              int(v.Get(sysctl.MaxBurstDefault)),
		InitialCwnd:           int(v.Get(sysctl.InitialCwnd)),
		SendBufferSize:        int(v.Get(sysctl.Sendspace)),
		MaxMessageSize:        DefaultMaxMessageSize,
		FCFS:                  v.Get(sysctl.DefaultSsModule) == 5,
		ECN:                   v.Get(sysctl.EcnEnable) != 0,
		PartialReliability:    v.Get(sysctl.PrEnable) != 0,
		// RE-CONFIG is not announced until the engine handles it (RFC 6525
		// stream reset is a later issue): announcing it made usrsctp send
		// requests that were never answered, and closing a data channel
		// ended the association. sctp_reconfig_enable is ignored for now.
		Reconfig:          false,
		ZeroChecksumEDMID: wire.EDMIDLowerLayerDTLS,
	}
	if v.Get(sysctl.HeartbeatIntervalDefault) == 0 {
		c.HeartbeatDisabled = true // usrsctp: an interval of 0 disables heartbeats
	}
	return c
}

// DefaultConfig returns ConfigFromSysctl of sysctl.Defaults().
func DefaultConfig() Config {
	v := sysctl.Defaults()
	return ConfigFromSysctl(&v)
}

// DefaultMTU is the default largest SCTP packet, as WebRTC and mediasoup use.
const DefaultMTU = 1200

// DefaultMaxMessageSize is the default Config.MaxMessageSize.
const DefaultMaxMessageSize = 256 << 10

// minARwnd is the smallest a_rwnd an INIT or INIT ACK may carry (§3.3.2).
const minARwnd = 1500

func clampU16(x uint32) uint16 {
	if x > 0xFFFF {
		return 0xFFFF
	}
	return uint16(x)
}

// normalized returns c with zero values replaced by the §16 values and
// inconsistent bounds fixed, so that the engine never divides by zero or
// loops on a zero timer.
func (c Config) normalized() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.OutboundStreams == 0 {
		c.OutboundStreams = 10
	}
	if c.InboundStreams == 0 {
		c.InboundStreams = 2048
	}
	if c.MTU <= 0 {
		c.MTU = DefaultMTU
	}
	if c.MTU < 64 {
		c.MTU = 64
	}
	if c.ARwnd != 0 {
		c.ReceiveBufferSize = int(c.ARwnd)
	}
	if c.ReceiveBufferSize < minARwnd {
		c.ReceiveBufferSize = minARwnd // §3.3.2: a_rwnd MUST NOT be smaller than 1500
	}
	if c.ReceiveBufferSize > 1<<31-1 {
		c.ReceiveBufferSize = 1<<31 - 1
	}
	c.ARwnd = uint32(c.ReceiveBufferSize)
	if c.SendSpace != 0 {
		c.SendBufferSize = int(c.SendSpace)
	}
	c.SendBufferSize = max(c.SendBufferSize, 0)
	c.SendSpace = uint32(c.SendBufferSize)
	if c.MaxMessageSize == 0 {
		c.MaxMessageSize = DefaultMaxMessageSize
	}
	if c.SackFreq <= 0 {
		c.SackFreq = 2 // sctp_sack_freq_default
	}
	def(&c.RTOInitial, 3*time.Second)
	def(&c.RTOMin, time.Second)
	def(&c.RTOMax, 60*time.Second)
	if c.RTOMax < c.RTOMin {
		c.RTOMax = c.RTOMin
	}
	def(&c.InitRTOMax, c.RTOMax)
	def(&c.ClockGranularity, time.Millisecond)
	if c.MaxInitRetransmits <= 0 {
		c.MaxInitRetransmits = 8
	}
	if c.AssocMaxRetrans <= 0 {
		c.AssocMaxRetrans = 10
	}
	if c.PathMaxRetrans <= 0 {
		c.PathMaxRetrans = 5
	}
	def(&c.ValidCookieLife, 60*time.Second)
	if c.MaxCookiePreservative < 0 {
		c.MaxCookiePreservative = 0
	}
	def(&c.SecretLifetime, time.Hour)
	def(&c.HeartbeatInterval, 30*time.Second)
	if c.ShutdownGuard < 0 {
		c.ShutdownGuard = 0 // 5 × the association's RTO.Max (§9.2)
	}
	def(&c.DelayedSackTime, 200*time.Millisecond)
	if c.DelayedSackTime > 500*time.Millisecond {
		c.DelayedSackTime = 500 * time.Millisecond // §6.2: MUST NOT exceed 500 ms
	}
	if c.ZeroChecksumEDMID == 0 {
		c.ZeroChecksumEDMID = wire.EDMIDLowerLayerDTLS
	}
	return c
}

// shutdownGuard maps sctp_shutdown_guard_time_default to
// Config.ShutdownGuard: the table default (180 s, the manual's value) and 0
// mean 5 × RTO.Max (§9.2 "SHOULD be set to the RECOMMENDED value of 5 times
// 'RTO.Max'", current usrsctp's default); other values are taken as set.
func shutdownGuard(v *sysctl.Values) time.Duration {
	x := v.Get(sysctl.ShutdownGuardTimeDefault)
	if x == sysctl.ShutdownGuardTimeDefault.Info().Default {
		return 0
	}
	return time.Duration(x) * time.Second
}
