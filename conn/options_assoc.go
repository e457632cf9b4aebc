package conn

import (
	"time"

	"github.com/sconnlab/sconn/assoc"
	"github.com/sconnlab/sconn/wire"
)

// RTOInfo is SCTP_RTOINFO (struct sctp_rtoinfo, RFC 6458 §8.1.1): the
// RTO bounds. A zero field leaves the value unchanged; after the change
// Min ≤ Initial ≤ Max must hold. On a running association the estimator
// is restarted with the new bounds (its measurements are lost).
type RTOInfo struct {
	AssocID           AssocID
	Initial, Max, Min time.Duration
}

// OptionName implements SettableOption and GettableOption.
func (RTOInfo) OptionName() string { return "SCTP_RTOINFO" }

func (o RTOInfo) setOption(s *Socket) error {
	if o.Initial < 0 || o.Max < 0 || o.Min < 0 {
		return errorf(ErrInvalidArgument, "negative RTO")
	}
	merge := func(init, min, max time.Duration) (time.Duration, time.Duration, time.Duration, error) {
		if o.Initial > 0 {
			init = o.Initial
		}
		if o.Min > 0 {
			min = o.Min
		}
		if o.Max > 0 {
			max = o.Max
		}
		if !(min <= init && init <= max) {
			return 0, 0, 0, errorf(ErrInvalidArgument, "want min "+min.String()+" ≤ initial "+init.String()+" ≤ max "+max.String())
		}
		return init, min, max, nil
	}
	return s.withTarget(o.AssocID, func(t optTarget) error {
		if t.defaults {
			c := &s.opts.cfg
			init, min, max, err := merge(c.RTOInitial, c.RTOMin, c.RTOMax)
			if err != nil {
				return err
			}
			c.RTOInitial, c.RTOMin, c.RTOMax = init, min, max
		}
		for _, as := range t.assocs {
			as.mu.Lock()
			r := as.a.RTO()
			i0, m0, x0 := r.Bounds()
			init, min, max, err := merge(i0, m0, x0)
			if err == nil && (init != i0 || min != m0 || max != x0) {
				*r = assoc.NewRTO(init, min, max, as.a.Config().ClockGranularity)
			}
			as.mu.Unlock()
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func (o *RTOInfo) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.getTargetLocked(o.AssocID)
	if err != nil {
		return err
	}
	if as == nil {
		o.Initial, o.Min, o.Max = s.opts.cfg.RTOInitial, s.opts.cfg.RTOMin, s.opts.cfg.RTOMax
		return nil
	}
	as.mu.Lock()
	o.Initial, o.Min, o.Max = as.a.RTO().Bounds()
	as.mu.Unlock()
	return nil
}

// AssocInfo is SCTP_ASSOCINFO (struct sctp_assocparams, RFC 6458 §8.1.2).
// AssocMaxRxt and CookieLife are settable (zero: unchanged); the others
// are read-only.
type AssocInfo struct {
	AssocID                AssocID
	AssocMaxRxt            uint16        // Association.Max.Retrans
	NumberPeerDestinations uint16        // always 1 with AF_CONN (read-only)
	PeerRwnd               uint32        // the peer's receive window (read-only)
	LocalRwnd              uint32        // our receive window (read-only)
	CookieLife             time.Duration // Valid.Cookie.Life
}

// OptionName implements SettableOption and GettableOption.
func (AssocInfo) OptionName() string { return "SCTP_ASSOCINFO" }

func (o AssocInfo) setOption(s *Socket) error {
	if o.CookieLife < 0 {
		return errorf(ErrInvalidArgument, "negative cookie life")
	}
	return s.withTarget(o.AssocID, func(t optTarget) error {
		if t.running() && o.AssocMaxRxt != 0 && o.AssocMaxRxt != uint16(t.assocs[0].config().AssocMaxRetrans) {
			return newOnly("Association.Max.Retrans")
		}
		if t.defaults {
			if o.AssocMaxRxt != 0 {
				s.opts.cfg.AssocMaxRetrans = int(o.AssocMaxRxt)
			}
			if o.CookieLife != 0 {
				s.opts.cfg.ValidCookieLife = o.CookieLife
			}
		}
		return nil
	})
}

func (o *AssocInfo) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.getTargetLocked(o.AssocID)
	if err != nil {
		return err
	}
	c := s.opts.cfg
	o.NumberPeerDestinations, o.PeerRwnd = 0, 0
	o.LocalRwnd = uint32(s.opts.rcvBuf)
	if as != nil {
		c = as.config()
		as.mu.Lock()
		o.PeerRwnd = as.peerRwndLocked()
		as.mu.Unlock()
		o.NumberPeerDestinations = 1
		o.LocalRwnd = c.ARwnd
	}
	o.AssocMaxRxt = uint16(min(c.AssocMaxRetrans, 0xFFFF))
	o.CookieLife = c.ValidCookieLife
	return nil
}

// InitMsg is SCTP_INITMSG (struct sctp_initmsg, RFC 6458 §8.1.3): what
// the INITs of new associations ask for. Zero fields are unchanged.
type InitMsg struct {
	NumOStreams  uint16        // outbound streams requested
	MaxInStreams uint16        // inbound streams accepted
	MaxAttempts  uint16        // Max.Init.Retransmits
	MaxInitTimeo time.Duration // cap of the T1-init backoff
}

// OptionName implements SettableOption and GettableOption.
func (InitMsg) OptionName() string { return "SCTP_INITMSG" }

func (o InitMsg) setOption(s *Socket) error {
	if o.MaxInitTimeo < 0 {
		return errorf(ErrInvalidArgument, "negative max_init_timeo")
	}
	return s.setDefaults(func(so *sockOptions) error {
		c := &so.cfg
		if o.NumOStreams != 0 {
			c.OutboundStreams = o.NumOStreams
		}
		if o.MaxInStreams != 0 {
			c.InboundStreams = o.MaxInStreams
		}
		if o.MaxAttempts != 0 {
			c.MaxInitRetransmits = int(o.MaxAttempts)
		}
		if o.MaxInitTimeo != 0 {
			c.InitRTOMax = o.MaxInitTimeo
		}
		return nil
	})
}

func (o *InitMsg) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.opts.cfg
	o.NumOStreams, o.MaxInStreams = c.OutboundStreams, c.InboundStreams
	o.MaxAttempts = uint16(min(c.MaxInitRetransmits, 0xFFFF))
	o.MaxInitTimeo = c.InitRTOMax
	return nil
}

// PeerAddrFlags are spp_flags.
type PeerAddrFlags uint32

// Flags of PeerAddrParams (SPP_*).
const (
	HBEnable      PeerAddrFlags = 0x00000001 // SPP_HB_ENABLE
	HBDisable     PeerAddrFlags = 0x00000002 // SPP_HB_DISABLE
	HBDemand      PeerAddrFlags = 0x00000004 // SPP_HB_DEMAND: send a HEARTBEAT now
	PMTUDEnable   PeerAddrFlags = 0x00000008 // SPP_PMTUD_ENABLE (AF_CONN has no PMTU discovery: no effect)
	PMTUDDisable  PeerAddrFlags = 0x00000010 // SPP_PMTUD_DISABLE: use PathMTU
	HBTimeIsZero  PeerAddrFlags = 0x00000080 // SPP_HB_TIME_IS_ZERO: interval 0 (heartbeat every RTO)
	validPAPFlags               = HBEnable | HBDisable | HBDemand | PMTUDEnable | PMTUDDisable | HBTimeIsZero
)

// minPathMTU is the smallest PathMTU accepted (usrsctp's SCTP_SMALLEST_PMTU).
const minPathMTU = 512

// PeerAddrParams is SCTP_PEER_ADDR_PARAMS (struct sctp_paddrparams, RFC
// 6458 §8.1.12): heartbeat interval, Path.Max.Retrans and path MTU. Zero
// fields are unchanged. Address is ignored (AF_CONN has one path).
type PeerAddrParams struct {
	AssocID    AssocID
	Address    Addr
	HBInterval time.Duration
	PathMaxRxt uint16
	PathMTU    uint32 // the largest SCTP packet (common header included)
	Flags      PeerAddrFlags
}

// OptionName implements SettableOption and GettableOption.
func (PeerAddrParams) OptionName() string { return "SCTP_PEER_ADDR_PARAMS" }

func (o PeerAddrParams) setOption(s *Socket) error {
	switch {
	case o.Flags&^validPAPFlags != 0:
		return errorf(ErrInvalidArgument, "unknown spp_flags")
	case o.Flags&HBEnable != 0 && o.Flags&HBDisable != 0:
		return errorf(ErrInvalidArgument, "SPP_HB_ENABLE with SPP_HB_DISABLE")
	case o.Flags&PMTUDEnable != 0 && o.Flags&PMTUDDisable != 0:
		return errorf(ErrInvalidArgument, "SPP_PMTUD_ENABLE with SPP_PMTUD_DISABLE")
	case o.HBInterval < 0:
		return errorf(ErrInvalidArgument, "negative heartbeat interval")
	case o.PathMTU != 0 && o.PathMTU < minPathMTU:
		return errorf(ErrInvalidArgument, "path MTU below 512")
	}
	hbChanges := o.HBInterval != 0 || o.Flags&(HBEnable|HBDisable|HBTimeIsZero) != 0
	var demand, running []*association
	err := s.withTarget(o.AssocID, func(t optTarget) error {
		if t.running() && o.PathMTU != 0 {
			// The engine sizes its queues and congestion window by the MTU
			// when it starts.
			for _, as := range t.assocs {
				if int(o.PathMTU) != as.config().MTU {
					return newOnly("the path MTU")
				}
			}
		}
		if hbChanges || o.PathMaxRxt != 0 {
			running = t.assocs
		}
		if t.defaults {
			c := &s.opts.cfg
			if o.HBInterval != 0 {
				c.HeartbeatInterval = o.HBInterval
			}
			if o.Flags&HBTimeIsZero != 0 {
				c.HeartbeatInterval = time.Nanosecond // the engine adds the RTO (§8.3)
			}
			if o.Flags&HBEnable != 0 {
				s.opts.hbDisabled = false
			}
			if o.Flags&HBDisable != 0 {
				s.opts.hbDisabled = true
			}
			if o.PathMaxRxt != 0 {
				c.PathMaxRetrans = int(o.PathMaxRxt)
			}
			if o.PathMTU != 0 {
				c.MTU = int(o.PathMTU)
			}
		}
		if o.Flags&HBDemand != 0 {
			demand = t.assocs
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Heartbeat settings and Path.Max.Retrans apply to running associations
	// (RFC 9260 §8.3, RFC 6458 §8.1.12); zero fields are unchanged. Applied
	// outside the socket lock: as.do dispatches events to the socket.
	for _, as := range running {
		as.do(func(now time.Time) error {
			c := as.a.Config()
			interval, disabled := o.HBInterval, c.HeartbeatDisabled
			if o.Flags&HBTimeIsZero != 0 {
				interval = time.Nanosecond // the engine adds the RTO (§8.3)
			}
			if o.Flags&HBEnable != 0 {
				disabled = false
			}
			if o.Flags&HBDisable != 0 {
				disabled = true
			}
			as.a.SetHeartbeat(now, interval, disabled)
			as.a.SetPathMaxRetrans(int(o.PathMaxRxt))
			return nil
		})
	}
	for _, as := range demand {
		if err := as.do(func(now time.Time) error { return as.a.Heartbeat(now) }); err != nil {
			return errorf(ErrInvalidArgument, "SPP_HB_DEMAND: "+err.Error())
		}
	}
	return nil
}

func (o *PeerAddrParams) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.getTargetLocked(o.AssocID)
	if err != nil {
		return err
	}
	c := s.opts.cfg
	c.HeartbeatDisabled = s.opts.hbDisabled
	if as != nil {
		c = as.config()
		o.Address = as.peer()
	}
	o.HBInterval = c.HeartbeatInterval
	o.PathMaxRxt = uint16(min(c.PathMaxRetrans, 0xFFFF))
	o.PathMTU = uint32(c.MTU)
	o.Flags = PMTUDDisable
	if c.HeartbeatDisabled {
		o.Flags |= HBDisable
	} else {
		o.Flags |= HBEnable
	}
	return nil
}

// dataOverhead is what an SCTP packet adds around one DATA chunk's user
// data: the common header and the DATA chunk header.
const dataOverhead = wire.HeaderLen + wire.DataHeaderLen

// MaxSeg is SCTP_MAXSEG (struct sctp_assoc_value, RFC 6458 §8.1.16): the
// largest user data in one DATA chunk; messages above it are fragmented.
// Value 0 means the default (the MTU allows it). It lowers the packet size
// of new associations.
type MaxSeg struct {
	AssocID AssocID
	Value   uint32
}

// OptionName implements SettableOption and GettableOption.
func (MaxSeg) OptionName() string { return "SCTP_MAXSEG" }

func (o MaxSeg) setOption(s *Socket) error {
	if o.Value != 0 && o.Value < minPathMTU-dataOverhead {
		return errorf(ErrInvalidArgument, "maxseg below 484")
	}
	return s.withTarget(o.AssocID, func(t optTarget) error {
		mtu := assoc.DefaultMTU
		if o.Value != 0 {
			mtu = int(o.Value) + dataOverhead
		}
		if t.running() && t.assocs[0].config().MTU != mtu {
			return newOnly("the maximum segment size")
		}
		if t.defaults {
			s.opts.cfg.MTU = mtu
		}
		return nil
	})
}

func (o *MaxSeg) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.getTargetLocked(o.AssocID)
	if err != nil {
		return err
	}
	c := s.opts.cfg
	if as != nil {
		c = as.config()
	}
	o.Value = uint32(c.MTU - dataOverhead)
	return nil
}

// DelayedSack is SCTP_DELAYED_SACK (struct sctp_sack_info, RFC 6458
// §8.1.19): the delayed SACK timer (at most 500 ms, RFC 9260 §6.2) and the
// number of packets per SACK. Zero fields are unchanged.
type DelayedSack struct {
	AssocID AssocID
	Delay   time.Duration
	Freq    uint32
}

// OptionName implements SettableOption and GettableOption.
func (DelayedSack) OptionName() string { return "SCTP_DELAYED_SACK" }

func (o DelayedSack) setOption(s *Socket) error {
	if o.Delay < 0 || o.Delay > 500*time.Millisecond {
		return errorf(ErrInvalidArgument, "sack delay must be within 0..500ms")
	}
	return s.withTarget(o.AssocID, func(t optTarget) error {
		if t.running() {
			c := t.assocs[0].config()
			if (o.Delay != 0 && o.Delay != c.DelayedSackTime) || (o.Freq != 0 && int(o.Freq) != c.SackFreq) {
				return newOnly("the delayed SACK settings")
			}
		}
		if t.defaults {
			if o.Delay != 0 {
				s.opts.cfg.DelayedSackTime = o.Delay
			}
			if o.Freq != 0 {
				s.opts.cfg.SackFreq = int(o.Freq)
			}
		}
		return nil
	})
}

func (o *DelayedSack) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.getTargetLocked(o.AssocID)
	if err != nil {
		return err
	}
	c := s.opts.cfg
	if as != nil {
		c = as.config()
	}
	o.Delay, o.Freq = c.DelayedSackTime, uint32(max(c.SackFreq, 0))
	return nil
}

// AdaptationLayer is SCTP_ADAPTATION_LAYER (struct sctp_setadaptation,
// RFC 6458 §8.1.10): the Adaptation Layer Indication the INITs of new
// associations announce (RFC 5061 §4.2.6).
type AdaptationLayer struct {
	Indication uint32
}

// OptionName implements SettableOption and GettableOption.
func (AdaptationLayer) OptionName() string { return "SCTP_ADAPTATION_LAYER" }

func (o AdaptationLayer) setOption(s *Socket) error {
	return s.setDefaults(func(so *sockOptions) error {
		so.cfg.Adaptation, so.cfg.AdaptationIndication = true, o.Indication
		return nil
	})
}

func (o *AdaptationLayer) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o.Indication = s.opts.cfg.AdaptationIndication
	return nil
}

// config returns the association's engine configuration.
func (as *association) config() assoc.Config {
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.a.Config()
}
