package conn

import (
	"time"
)

// AutoClose is SCTP_AUTOCLOSE (RFC 6458 §8.1.8), one-to-many sockets only:
// an association idle (no user data sent or received) for this long is
// shut down gracefully. 0 disables it; the granularity is one second.
type AutoClose time.Duration

// OptionName implements SettableOption and GettableOption.
func (AutoClose) OptionName() string { return "SCTP_AUTOCLOSE" }

func (o AutoClose) setOption(s *Socket) error {
	if s.typ != OneToMany {
		return errorf(ErrNotSupported, "SCTP_AUTOCLOSE on a one-to-one socket")
	}
	if o < 0 {
		return errorf(ErrInvalidArgument, "negative autoclose")
	}
	d := time.Duration(o).Round(time.Second)
	if o > 0 && d == 0 {
		d = time.Second
	}
	var list []*association
	err := s.withTarget(AllAssoc, func(t optTarget) error {
		s.opts.autoclose = d
		list = t.assocs
		return nil
	})
	now := s.st.now()
	for _, as := range list {
		as.mu.Lock()
		as.autoclose = d
		as.collect(now)
		as.mu.Unlock()
		as.after()
	}
	return err
}

func (o *AutoClose) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = AutoClose(s.opts.autoclose)
	return nil
}

// FragmentInterleave is SCTP_FRAGMENT_INTERLEAVE (RFC 6458 §8.1.20): 0
// delivers a partially delivered message completely before anything else
// of the socket, 1 (and 2) let a one-to-many socket deliver other
// associations' messages in between; within one association the engine
// decides whether streams interleave. The default is
// sctp_default_frag_interleave.
type FragmentInterleave int

// OptionName implements SettableOption and GettableOption.
func (FragmentInterleave) OptionName() string { return "SCTP_FRAGMENT_INTERLEAVE" }

func (o FragmentInterleave) setOption(s *Socket) error {
	if o < 0 || o > 2 {
		return errorf(ErrInvalidArgument, "fragment interleave level must be 0, 1 or 2")
	}
	return s.setDefaults(func(so *sockOptions) error {
		so.fragInterleave = int(o)
		return nil
	})
}

func (o *FragmentInterleave) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = FragmentInterleave(s.opts.fragInterleave)
	return nil
}

// PartialDeliveryPoint is SCTP_PARTIAL_DELIVERY_POINT (RFC 6458 §8.1.21):
// the size at which a message still being reassembled starts to be
// delivered in pieces (0: the engine's default). It cannot exceed the
// receive buffer.
type PartialDeliveryPoint uint32

// OptionName implements SettableOption and GettableOption.
func (PartialDeliveryPoint) OptionName() string { return "SCTP_PARTIAL_DELIVERY_POINT" }

func (o PartialDeliveryPoint) setOption(s *Socket) error {
	return s.setDefaults(func(so *sockOptions) error {
		if int(o) > so.rcvBuf {
			return errorf(ErrInvalidArgument, "partial delivery point above the receive buffer")
		}
		so.pdPoint = uint32(o)
		return nil
	})
}

func (o *PartialDeliveryPoint) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = PartialDeliveryPoint(s.opts.pdPoint)
	return nil
}

// Event is SCTP_EVENT (struct sctp_event, RFC 6458 §6.2.2): subscribe to
// (On) or unsubscribe from one notification type, for the socket's future
// associations, existing ones, or one. No type is subscribed by default.
type Event struct {
	AssocID AssocID
	Type    NotificationType
	On      bool
}

// OptionName implements SettableOption and GettableOption.
func (Event) OptionName() string { return "SCTP_EVENT" }

func (o Event) setOption(s *Socket) error {
	if !o.Type.valid() {
		return errorf(ErrInvalidArgument, "unknown notification type "+o.Type.String())
	}
	return s.withTarget(o.AssocID, func(t optTarget) error {
		if t.defaults {
			s.opts.events.set(o.Type, o.On)
		}
		for _, as := range t.assocs {
			as.subs.set(o.Type, o.On)
		}
		return nil
	})
}

func (o *Event) getOption(s *Socket) error {
	if !o.Type.valid() {
		return errorf(ErrInvalidArgument, "unknown notification type "+o.Type.String())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.getTargetLocked(o.AssocID)
	if err != nil {
		return err
	}
	m := s.opts.events
	if as != nil {
		m = as.subs
	}
	o.On = m.has(o.Type)
	return nil
}

// RecvRcvInfo is SCTP_RECVRCVINFO (RFC 6458 §8.1.29): RecvV returns the
// RcvInfo of each message.
type RecvRcvInfo bool

// OptionName implements SettableOption and GettableOption.
func (RecvRcvInfo) OptionName() string { return "SCTP_RECVRCVINFO" }

func (o RecvRcvInfo) setOption(s *Socket) error {
	s.mu.Lock()
	s.opts.recvRcvInfo = bool(o)
	s.mu.Unlock()
	return nil
}

func (o *RecvRcvInfo) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = RecvRcvInfo(s.opts.recvRcvInfo)
	return nil
}

// RecvNxtInfo is SCTP_RECVNXTINFO (RFC 6458 §8.1.30): RecvV also describes
// what the next call would return.
type RecvNxtInfo bool

// OptionName implements SettableOption and GettableOption.
func (RecvNxtInfo) OptionName() string { return "SCTP_RECVNXTINFO" }

func (o RecvNxtInfo) setOption(s *Socket) error {
	s.mu.Lock()
	s.opts.recvNxtInfo = bool(o)
	s.mu.Unlock()
	return nil
}

func (o *RecvNxtInfo) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = RecvNxtInfo(s.opts.recvNxtInfo)
	return nil
}

// RemoteUDPEncapsPort is SCTP_REMOTE_UDP_ENCAPS_PORT (struct
// sctp_udpencaps, RFC 6951 §6.1): the peer's UDP port for SCTP over UDP.
// The stack owns no socket, so it only stores the value for the host's
// UDP adapter (conn/udp reads it); Address is ignored.
type RemoteUDPEncapsPort struct {
	AssocID AssocID
	Address Addr
	Port    uint16
}

// OptionName implements SettableOption and GettableOption.
func (RemoteUDPEncapsPort) OptionName() string { return "SCTP_REMOTE_UDP_ENCAPS_PORT" }

func (o RemoteUDPEncapsPort) setOption(s *Socket) error {
	s.mu.Lock()
	s.opts.udpEncapsPort = o.Port
	s.mu.Unlock()
	return nil
}

func (o *RemoteUDPEncapsPort) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o.Port = s.opts.udpEncapsPort
	return nil
}

// minBuf is the smallest buffer size SO_RCVBUF and SO_SNDBUF accept (the
// a_rwnd minimum of RFC 9260 §3.3.2).
const minBuf = 1500

// RcvBuf is SO_RCVBUF: the receive buffer of new associations, which is
// the a_rwnd they announce (sctp_recvspace by default).
type RcvBuf int

// OptionName implements SettableOption and GettableOption.
func (RcvBuf) OptionName() string { return "SO_RCVBUF" }

func (o RcvBuf) setOption(s *Socket) error {
	if o < minBuf {
		return errorf(ErrInvalidArgument, "receive buffer below 1500 bytes")
	}
	return s.withTarget(FutureAssoc, func(t optTarget) error {
		if t.running() && int(o) != s.opts.rcvBuf {
			return newOnly("SO_RCVBUF")
		}
		s.opts.rcvBuf = int(o)
		return nil
	})
}

func (o *RcvBuf) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = RcvBuf(s.opts.rcvBuf)
	return nil
}

// SndBuf is SO_SNDBUF: the send buffer of new associations
// (sctp_sendspace by default).
type SndBuf int

// OptionName implements SettableOption and GettableOption.
func (SndBuf) OptionName() string { return "SO_SNDBUF" }

func (o SndBuf) setOption(s *Socket) error {
	if o < minBuf {
		return errorf(ErrInvalidArgument, "send buffer below 1500 bytes")
	}
	return s.withTarget(FutureAssoc, func(t optTarget) error {
		if t.running() && int(o) != s.opts.sndBuf {
			return newOnly("SO_SNDBUF")
		}
		s.opts.sndBuf = int(o)
		return nil
	})
}

func (o *SndBuf) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = SndBuf(s.opts.sndBuf)
	return nil
}

// Linger is SO_LINGER: what Close does (see Socket.Close). On with a zero
// Timeout aborts; On with a positive Timeout waits (granularity: the
// duration as given).
type Linger struct {
	On      bool
	Timeout time.Duration
}

// OptionName implements SettableOption and GettableOption.
func (Linger) OptionName() string { return "SO_LINGER" }

func (o Linger) setOption(s *Socket) error {
	if o.Timeout < 0 {
		return errorf(ErrInvalidArgument, "negative linger time")
	}
	s.mu.Lock()
	s.opts.linger = o
	s.mu.Unlock()
	return nil
}

func (o *Linger) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = s.opts.linger
	return nil
}

// SOError is SO_ERROR (read-only): the pending error of a one-to-one
// socket (why a non-blocking Connect failed, why the association was
// lost), cleared by reading it.
type SOError struct{ Err error }

// OptionName implements GettableOption.
func (SOError) OptionName() string { return "SO_ERROR" }

func (o *SOError) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o.Err, s.soError = s.soError, nil
	return nil
}

// AssocNumber is SCTP_GET_ASSOC_NUMBER (read-only): the number of
// associations of the socket.
type AssocNumber uint32

// OptionName implements GettableOption.
func (AssocNumber) OptionName() string { return "SCTP_GET_ASSOC_NUMBER" }

func (o *AssocNumber) getOption(s *Socket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	*o = AssocNumber(len(s.assocs))
	return nil
}

// AssocIDList is SCTP_GET_ASSOC_ID_LIST (read-only): the IDs of the
// socket's associations, ascending.
type AssocIDList []AssocID

// OptionName implements GettableOption.
func (AssocIDList) OptionName() string { return "SCTP_GET_ASSOC_ID_LIST" }

func (o *AssocIDList) getOption(s *Socket) error {
	*o = s.AssocIDs()
	return nil
}
