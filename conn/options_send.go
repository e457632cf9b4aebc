package conn

import "time"

// NoDelay is SCTP_NODELAY (RFC 6458 §8.1.5): true turns off the Nagle-like
// bundling delay of small messages. It applies to the socket's running
// associations and to those created afterwards.
type NoDelay bool

// OptionName implements SettableOption and GettableOption.
func (NoDelay) OptionName() string { return "SCTP_NODELAY" }

func (o NoDelay) setOption(s *Socket) error {
	var running []*association
	err := s.withTarget(AllAssoc, func(t optTarget) error {
		s.opts.noDelay = bool(o)
		running = t.assocs
		return nil
	})
	for _, as := range running {
		as.do(func(time.Time) error {
			as.a.SetNoDelay(bool(o))
			return nil
		})
	}
	return err
}

func (o *NoDelay) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = NoDelay(s.opts.noDelay)
	return nil
}

// ExplicitEOR is SCTP_EXPLICIT_EOR (RFC 6458 §8.1.26): when true a message
// may span several SendV calls and ends with the one that has FlagEOR.
type ExplicitEOR bool

// OptionName implements SettableOption and GettableOption.
func (ExplicitEOR) OptionName() string { return "SCTP_EXPLICIT_EOR" }

func (o ExplicitEOR) setOption(s *Socket) error {
	s.mu.Lock()
	s.opts.explicitEOR = bool(o)
	s.mu.Unlock()
	return nil
}

func (o *ExplicitEOR) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = ExplicitEOR(s.opts.explicitEOR)
	return nil
}

// DefaultSndInfo is SCTP_DEFAULT_SNDINFO (struct sctp_sndinfo, RFC 6458
// §8.1.31): the sndinfo of SendV calls without one. Its AssocID is
// ignored: the default is the socket's.
type DefaultSndInfo SendInfo

// OptionName implements SettableOption and GettableOption.
func (DefaultSndInfo) OptionName() string { return "SCTP_DEFAULT_SNDINFO" }

func (o DefaultSndInfo) setOption(s *Socket) error {
	if o.Flags&^validSendFlags != 0 || o.Flags&(FlagAbort|FlagEOF|FlagSendAll) != 0 {
		return errorf(ErrInvalidArgument, "default send flags may only be UNORDERED, EOR, SACK_IMMEDIATELY or ADDR_OVER")
	}
	s.mu.Lock()
	s.opts.sndInfo = SendInfo(o)
	s.opts.sndInfo.AssocID = 0
	s.mu.Unlock()
	return nil
}

func (o *DefaultSndInfo) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = DefaultSndInfo(s.opts.sndInfo)
	return nil
}

// DefaultPRInfo is SCTP_DEFAULT_PRINFO (struct sctp_default_prinfo, RFC
// 6458 §8.1.32): the PR-SCTP policy of SendV calls without one.
type DefaultPRInfo struct {
	Policy  PRPolicy
	Value   uint32
	AssocID AssocID
}

// OptionName implements SettableOption and GettableOption.
func (DefaultPRInfo) OptionName() string { return "SCTP_DEFAULT_PRINFO" }

func (o DefaultPRInfo) setOption(s *Socket) error {
	pr := PRInfo{Policy: o.Policy, Value: o.Value}
	if err := pr.check(); err != nil {
		return err
	}
	s.mu.Lock()
	s.opts.prInfo = pr
	s.mu.Unlock()
	return nil
}

func (o *DefaultPRInfo) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o.Policy, o.Value = s.opts.prInfo.Policy, s.opts.prInfo.Value
	return nil
}

// MaxBurst is SCTP_MAX_BURST (struct sctp_assoc_value, RFC 6458 §8.1.24):
// Max.Burst, 0 for no limit.
type MaxBurst struct {
	AssocID AssocID
	Value   uint32
}

// OptionName implements SettableOption and GettableOption.
func (MaxBurst) OptionName() string { return "SCTP_MAX_BURST" }

func (o MaxBurst) setOption(s *Socket) error {
	return s.withTarget(o.AssocID, func(t optTarget) error {
		if t.running() && int(o.Value) != t.assocs[0].config().MaxBurst {
			return newOnly("Max.Burst")
		}
		if t.defaults {
			s.opts.cfg.MaxBurst = int(o.Value)
		}
		return nil
	})
}

func (o *MaxBurst) getOption(s *Socket) error {
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
	o.Value = uint32(max(c.MaxBurst, 0))
	return nil
}

// Context is SCTP_CONTEXT (struct sctp_assoc_value, RFC 6458 §8.1.25): the
// default snd_context of sends, also returned as rcv_context.
type Context struct {
	AssocID AssocID
	Value   uint32
}

// OptionName implements SettableOption and GettableOption.
func (Context) OptionName() string { return "SCTP_CONTEXT" }

func (o Context) setOption(s *Socket) error {
	return s.withTarget(o.AssocID, func(t optTarget) error {
		if t.defaults {
			s.opts.context = o.Value
		}
		for _, as := range t.assocs {
			as.context = o.Value
		}
		return nil
	})
}

func (o *Context) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.getTargetLocked(o.AssocID)
	if err != nil {
		return err
	}
	o.Value = s.opts.context
	if as != nil {
		o.Value = as.context
	}
	return nil
}
