package conn

import (
	"time"

	"github.com/sconnlab/sconn/assoc"
	"github.com/sconnlab/sconn/sysctl"
)

// SettableOption is a socket option value SetOption accepts: the option
// types of this package, by value (SetOption(conn.NoDelay(true))).
type SettableOption interface {
	// OptionName returns the usrsctp name, e.g. "SCTP_NODELAY".
	OptionName() string
	setOption(s *Socket) error
}

// GettableOption is a socket option GetOption fills: a pointer to one of
// the option types of this package (GetOption(&st) with st a conn.Status).
// Read-only options (Status, PeerAddrInfo, AssocStats, SOError…) are only
// gettable, so setting them does not compile.
type GettableOption interface {
	OptionName() string
	getOption(s *Socket) error
}

// SetOption sets a socket option (usrsctp_setsockopt). Options with an
// AssocID address, on a one-to-many socket, the defaults of future
// associations (FutureAssoc), existing ones (CurrentAssoc), both
// (AllAssoc) or one association; on a one-to-one socket the AssocID is
// ignored and the option applies to the socket and its association. Bad
// values return errors wrapping ErrInvalidArgument; options the engine
// cannot change on a running association return errors wrapping
// ErrNotSupported (set them before Connect or Listen).
func (s *Socket) SetOption(o SettableOption) error {
	if o == nil {
		return opErr("setsockopt", 0, nil, errorf(ErrInvalidArgument, "nil option"))
	}
	s.mu.Lock()
	err := s.checkOpenLocked()
	s.mu.Unlock()
	if err == nil {
		err = o.setOption(s)
	}
	return opErr("setsockopt "+o.OptionName(), 0, nil, err)
}

// GetOption reads a socket option (usrsctp_getsockopt, usrsctp_opt_info)
// into o. For per-association options, set o's AssocID first (ignored on
// a one-to-one socket).
func (s *Socket) GetOption(o GettableOption) error {
	if o == nil {
		return opErr("getsockopt", 0, nil, errorf(ErrInvalidArgument, "nil option"))
	}
	s.mu.Lock()
	err := s.checkOpenLocked()
	s.mu.Unlock()
	if err == nil {
		err = o.getOption(s)
	}
	return opErr("getsockopt "+o.OptionName(), 0, nil, err)
}

// sockOptions are a socket's settings: the engine configuration of its
// future associations and what the conn layer implements itself.
type sockOptions struct {
	cfg            assoc.Config
	rcvBuf, sndBuf int
	noDelay        bool
	autoclose      time.Duration
	fragInterleave int
	pdPoint        uint32
	explicitEOR    bool
	events         eventMask
	recvRcvInfo    bool
	recvNxtInfo    bool
	sndInfo        SendInfo
	prInfo         PRInfo
	context        uint32
	linger         Linger
	udpEncapsPort  uint16
	hbDisabled     bool
}

func defaultSockOptions(st *Stack) sockOptions {
	v := &st.cfg.Sysctl
	c := st.assocConfig()
	return sockOptions{
		cfg:            c,
		rcvBuf:         int(v.Get(sysctl.Recvspace)),
		sndBuf:         int(v.Get(sysctl.Sendspace)),
		fragInterleave: int(v.Get(sysctl.DefaultFragInterleave)),
		hbDisabled:     c.HeartbeatDisabled,
	}
}

// engineConfigLocked returns the engine configuration of a new association
// (or of the listener's endpoint when peer is 0).
func (s *Socket) engineConfigLocked(local, peer uint16) assoc.Config {
	c := s.opts.cfg
	c.LocalPort, c.PeerPort = local, peer
	if s.opts.rcvBuf > 0 {
		c.ARwnd = uint32(s.opts.rcvBuf)
	}
	if s.opts.sndBuf > 0 {
		c.SendSpace = uint32(s.opts.sndBuf)
	}
	c.HeartbeatDisabled = s.opts.hbDisabled
	applyDataConfig(&c, &s.opts)
	return c
}

// optTarget is what a set addresses: the socket's defaults and/or some
// associations.
type optTarget struct {
	defaults bool
	assocs   []*association
}

// running reports whether existing associations are addressed.
func (t optTarget) running() bool { return len(t.assocs) > 0 }

// setTargetLocked resolves the AssocID of an option being set.
func (s *Socket) setTargetLocked(id AssocID) (optTarget, error) {
	if s.typ == OneToOne {
		t := optTarget{defaults: true}
		if s.one != nil && !s.one.finished {
			t.assocs = []*association{s.one}
		}
		return t, nil
	}
	all := func() []*association {
		l := make([]*association, 0, len(s.assocs))
		for _, as := range s.assocs {
			l = append(l, as)
		}
		return l
	}
	switch id {
	case FutureAssoc:
		return optTarget{defaults: true}, nil
	case CurrentAssoc:
		return optTarget{assocs: all()}, nil
	case AllAssoc:
		return optTarget{defaults: true, assocs: all()}, nil
	}
	as := s.assocs[id]
	if as == nil {
		return optTarget{}, errorf(ErrNoAssociation, "assoc "+id.String())
	}
	return optTarget{assocs: []*association{as}}, nil
}

// getTargetLocked resolves the AssocID of an option being read: nil means
// the socket's defaults.
func (s *Socket) getTargetLocked(id AssocID) (*association, error) {
	if s.typ == OneToOne {
		return s.one, nil
	}
	switch id {
	case FutureAssoc:
		return nil, nil
	case CurrentAssoc, AllAssoc:
		return nil, errorf(ErrInvalidArgument, "SCTP_CURRENT_ASSOC and SCTP_ALL_ASSOC cannot be read")
	}
	as := s.assocs[id]
	if as == nil {
		return nil, errorf(ErrNoAssociation, "assoc "+id.String())
	}
	return as, nil
}

// needAssocLocked resolves the AssocID of a read-only per-association
// option (Status, PeerAddrInfo, AssocStats).
func (s *Socket) needAssocLocked(id AssocID) (*association, error) {
	as, err := s.getTargetLocked(id)
	if err != nil {
		return nil, err
	}
	if as == nil {
		if s.typ == OneToOne {
			return nil, ErrNotConnected
		}
		return nil, errorf(ErrInvalidArgument, "an association ID is required")
	}
	return as, nil
}

// newOnly is the error of an option the engine reads only when an
// association starts.
func newOnly(what string) error {
	return errorf(ErrNotSupported, what+" of a running association cannot change (the engine reads it at start); set it before Connect or Listen")
}

// setDefaults changes the socket's defaults under its lock and rebuilds
// a listener's endpoint so that new associations get them.
func (s *Socket) setDefaults(fn func(o *sockOptions) error) error {
	s.mu.Lock()
	err := fn(&s.opts)
	s.mu.Unlock()
	if err == nil {
		s.reconfigureListener()
	}
	return err
}

// withTarget runs fn under the socket lock with the target of id.
func (s *Socket) withTarget(id AssocID, fn func(t optTarget) error) error {
	s.mu.Lock()
	t, err := s.setTargetLocked(id)
	if err == nil {
		err = fn(t)
	}
	s.mu.Unlock()
	if err == nil && t.defaults {
		s.reconfigureListener()
	}
	return err
}
