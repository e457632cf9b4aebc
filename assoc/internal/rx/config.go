package rx

import "time"

// Defaults applied by Config.Normalized to zero fields.
const (
	// DefaultSackFreq is sctp_sack_freq_default: a SACK for every second
	// packet with new DATA (RFC 9260 §6.2, RFC 5681 §4.2).
	DefaultSackFreq = 2
	// DefaultDelayedSackTime is sctp_delayed_sack_time_default (SACK.Delay).
	DefaultDelayedSackTime = 200 * time.Millisecond
	// MaxDelayedSackTime is the §6.2 ceiling: SACK.Delay MUST NOT exceed 500 ms.
	MaxDelayedSackTime = 500 * time.Millisecond
	// DefaultReceiveBufferSize is used when Config.ReceiveBufferSize is 0
	// (the engine passes sctp_recvspace).
	DefaultReceiveBufferSize = 256 << 10
	// DefaultMTU is the SCTP packet size WebRTC and mediasoup use.
	DefaultMTU = 1200
	// DefaultMaxTSNWindow is the farthest beyond the cumulative TSN ack a
	// TSN is accepted: a Gap Ack Block offset is 16 bits (§3.3.4), so a
	// TSN farther away could not be reported in a SACK anyway.
	DefaultMaxTSNWindow = 1<<16 - 1
	// DefaultMaxGapBlocks bounds the Gap Ack Blocks tracked (about what a
	// 1200-byte SACK can carry).
	DefaultMaxGapBlocks = 256
	// DefaultMaxDupTSNs bounds the duplicate TSNs remembered for the next SACK.
	DefaultMaxDupTSNs = 32
)

// Config holds the receive-side knobs. The zero value of a field means its
// default; Normalized applies them. The engine builds it from assoc.Config
// (ReceiveBufferSize from sctp_recvspace, SackFreq, DelayedSackTime, MTU,
// PartialDeliveryPoint, ReassemblyLimit).
type Config struct {
	// ReceiveBufferSize is the receive buffer announced in INIT / INIT ACK:
	// a_rwnd = ReceiveBufferSize - held bytes (RFC 9260 §6.2 A-C).
	ReceiveBufferSize int
	// ChunkOverhead is charged per held fragment on top of its payload, in
	// the window and in the reassembly limit. 0 (default) counts payload
	// bytes only, as §6.2 describes; usrsctp charges one mbuf (256) per
	// chunk, which closes the window on floods of tiny chunks.
	ChunkOverhead int
	// PartialDeliveryPoint is SCTP_PARTIAL_DELIVERY_POINT (RFC 6458
	// §8.1.21): a message still being reassembled is handed to the reader
	// in pieces once its leading bytes reach it. Default and ceiling:
	// ReceiveBufferSize/2, as usrsctp (so a message larger than the window
	// can always get through).
	PartialDeliveryPoint int
	// ReassemblyLimit is the hard cap on held bytes (reassembly plus
	// delivered-but-unread). A peer that pushes past it gets an ABORT: Add
	// returns a *LimitError. Default 2*ReceiveBufferSize + 64 KiB, which a
	// peer honouring a_rwnd (plus its one zero-window probe) never reaches.
	ReassemblyLimit int

	// SackFreq is the number of packets with new DATA per SACK (default 2).
	SackFreq int
	// DelayedSackTime is SACK.Delay (default 200 ms, at most 500 ms).
	DelayedSackTime time.Duration
	// MTU sizes the receiver SWS rule: a window update SACK goes out when
	// the window grew by min(MTU, ReceiveBufferSize/2) since the last SACK.
	MTU int

	// MaxTSNWindow is how far beyond the cumulative TSN ack a TSN may be
	// (at most 65535, the default); farther ones are dropped unacknowledged.
	MaxTSNWindow uint32
	// MaxGapBlocks bounds the Gap Ack Blocks tracked; a TSN that would
	// open one more is dropped unacknowledged (the peer retransmits it).
	MaxGapBlocks int
	// MaxDupTSNs bounds the duplicate TSNs kept for the next SACK.
	MaxDupTSNs int
}

// Normalized returns c with zero fields replaced by their defaults and
// out-of-range values clamped.
func (c Config) Normalized() Config {
	if c.ReceiveBufferSize <= 0 {
		c.ReceiveBufferSize = DefaultReceiveBufferSize
	}
	if c.ChunkOverhead < 0 {
		c.ChunkOverhead = 0
	}
	if half := c.ReceiveBufferSize / 2; c.PartialDeliveryPoint <= 0 || c.PartialDeliveryPoint > half {
		c.PartialDeliveryPoint = max(half, 1)
	}
	if c.ReassemblyLimit <= 0 {
		c.ReassemblyLimit = 2*c.ReceiveBufferSize + 64<<10
	}
	if c.SackFreq <= 0 {
		c.SackFreq = DefaultSackFreq
	}
	if c.DelayedSackTime <= 0 {
		c.DelayedSackTime = DefaultDelayedSackTime
	}
	if c.DelayedSackTime > MaxDelayedSackTime {
		c.DelayedSackTime = MaxDelayedSackTime // §6.2: MUST NOT exceed 500 ms
	}
	if c.MTU <= 0 {
		c.MTU = DefaultMTU
	}
	if c.MaxTSNWindow == 0 || c.MaxTSNWindow > DefaultMaxTSNWindow {
		c.MaxTSNWindow = DefaultMaxTSNWindow
	}
	if c.MaxGapBlocks <= 0 {
		c.MaxGapBlocks = DefaultMaxGapBlocks
	}
	if c.MaxDupTSNs <= 0 {
		c.MaxDupTSNs = DefaultMaxDupTSNs
	}
	return c
}
