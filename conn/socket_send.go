package conn

import (
	"errors"
	"strconv"
	"time"
)

// SendFlags are snd_flags (sinfo_flags), with usrsctp's values.
type SendFlags uint16

// Send flags (RFC 6458 §5.3.4).
const (
	// FlagEOF starts a graceful shutdown of the association after the
	// message (SCTP_EOF); with no data it only shuts down.
	FlagEOF SendFlags = 0x0100
	// FlagAbort aborts the association (SCTP_ABORT); the data, if any, is
	// the Upper Layer Abort Reason (RFC 9260 §3.3.10.12).
	FlagAbort SendFlags = 0x0200
	// FlagUnordered sends the message unordered (SCTP_UNORDERED).
	FlagUnordered SendFlags = 0x0400
	// FlagAddrOver is accepted and ignored: AF_CONN has one path
	// (SCTP_ADDR_OVER).
	FlagAddrOver SendFlags = 0x0800
	// FlagSendAll sends the message on every association of a one-to-many
	// socket (SCTP_SENDALL); with FlagEOF or FlagAbort it shuts down or
	// aborts them all.
	FlagSendAll SendFlags = 0x1000
	// FlagEOR ends the message when the ExplicitEOR option is on
	// (SCTP_EOR); without that option every SendV is a whole message.
	FlagEOR SendFlags = 0x2000
	// FlagSackImmediately asks the peer to acknowledge at once, the I bit
	// (SCTP_SACK_IMMEDIATELY).
	FlagSackImmediately SendFlags = 0x4000

	validSendFlags = FlagEOF | FlagAbort | FlagUnordered | FlagAddrOver | FlagSendAll | FlagEOR | FlagSackImmediately
)

// SendInfo is struct sctp_sndinfo (RFC 6458 §5.3.4).
type SendInfo struct {
	Stream  uint16
	Flags   SendFlags
	PPID    uint32
	Context uint32 // returned in SEND_FAILED_EVENT
	AssocID AssocID
}

// PRPolicy is a PR-SCTP policy (RFC 3758, RFC 7496), usrsctp's values.
type PRPolicy uint16

// PR-SCTP policies.
const (
	PRNone PRPolicy = 0x0000 // reliable (SCTP_PR_SCTP_NONE)
	PRTTL  PRPolicy = 0x0001 // Value is a lifetime in ms (SCTP_PR_SCTP_TTL)
	PRBuf  PRPolicy = 0x0002 // buffer-based (SCTP_PR_SCTP_BUF): not supported by the engine
	PRRtx  PRPolicy = 0x0003 // Value is the maximum number of retransmissions (SCTP_PR_SCTP_RTX)
)

// PRInfo is struct sctp_prinfo (RFC 6458 §5.3.7).
type PRInfo struct {
	Policy PRPolicy
	Value  uint32
}

// SendSpec gathers the optional arguments of usrsctp_sendv: nil fields
// take the socket's defaults (the DefaultSndInfo and DefaultPRInfo
// options), like SCTP_SENDV_SPA with some valid flags unset.
type SendSpec struct {
	// To selects (or, on a one-to-many socket, implicitly sets up) the
	// association with that peer. nil: Info.AssocID, or the socket's
	// association.
	To *Addr
	// Info is the sndinfo (SCTP_SEND_SNDINFO_VALID).
	Info *SendInfo
	// PR is the prinfo (SCTP_SEND_PRINFO_VALID).
	PR *PRInfo
}

// sendMeta is one message for the engine.
type sendMeta struct {
	stream    uint16
	ppid      uint32
	context   uint32
	unordered bool
	eor       bool
	immediate bool
	pr        PRInfo
}

// SendV sends one message, or one piece of a message with the ExplicitEOR
// option (usrsctp_sendv). It returns len(data) once the message is queued
// (the stack copies it), and blocks while the send buffer lacks room until
// the write deadline (ErrTimeout); a non-blocking socket returns
// ErrWouldBlock and queues nothing.
//
// The flags of the sndinfo select unordered delivery, EOR, shutdown after
// the message (FlagEOF), an abort (FlagAbort, returning 0) and sending to
// every association of a one-to-many socket (FlagSendAll). On a one-to-many
// socket, a SendSpec.To with no association yet sets one up first, as
// usrsctp does: a blocking socket waits for it to come up, a non-blocking
// one keeps the message until COMM_UP.
func (s *Socket) SendV(data []byte, spec SendSpec) (int, error) {
	info, pr, err := s.sendArgs(spec)
	if err != nil {
		return 0, opErr("sendv", 0, copyAddr(spec.To), err)
	}
	var one [1]*association // the usual single target, on the stack
	targets, err := s.sendTargets(spec, info, &one)
	if err != nil {
		return 0, opErr("sendv", info.AssocID, copyAddr(spec.To), err)
	}
	if info.Flags&FlagAbort != 0 {
		for _, as := range targets {
			as.abort(data)
		}
		return 0, nil
	}
	meta := sendMeta{stream: info.Stream, ppid: info.PPID, context: info.Context,
		unordered: info.Flags&FlagUnordered != 0, immediate: info.Flags&FlagSackImmediately != 0, pr: pr}
	s.mu.Lock()
	meta.eor = !s.opts.explicitEOR || info.Flags&FlagEOR != 0
	s.mu.Unlock()
	eofOnly := info.Flags&FlagEOF != 0 && len(data) == 0
	for _, as := range targets {
		if !eofOnly {
			if err := s.sendOne(as, data, meta); err != nil {
				return 0, opErr("sendv", as.id, copyAddr(spec.To), err)
			}
		}
		if info.Flags&FlagEOF != 0 {
			_ = as.do(func(now time.Time) error { return as.a.Shutdown(now) })
		}
	}
	if eofOnly {
		return 0, nil
	}
	return len(data), nil
}

// sendArgs resolves and checks the sndinfo and prinfo.
func (s *Socket) sendArgs(spec SendSpec) (SendInfo, PRInfo, error) {
	s.mu.Lock()
	info, pr := s.opts.sndInfo, s.opts.prInfo
	s.mu.Unlock()
	if spec.Info != nil {
		info = *spec.Info
	}
	if spec.PR != nil {
		pr = *spec.PR
	}
	if info.Flags&^validSendFlags != 0 {
		return info, pr, errorf(ErrInvalidArgument, "unknown send flags 0x"+strconv.FormatUint(uint64(info.Flags&^validSendFlags), 16))
	}
	if err := pr.check(); err != nil {
		return info, pr, err
	}
	if info.Flags&FlagSendAll != 0 && s.typ != OneToMany {
		return info, pr, errorf(ErrInvalidArgument, "FlagSendAll on a one-to-one socket")
	}
	return info, pr, nil
}

func (pr PRInfo) check() error {
	switch pr.Policy {
	case PRNone, PRTTL, PRRtx:
		return nil
	case PRBuf:
		return errorf(ErrNotSupported, "PR-SCTP buffer policy (SCTP_PR_SCTP_BUF)")
	}
	return errorf(ErrInvalidArgument, "PR-SCTP policy "+strconv.Itoa(int(pr.Policy)))
}

// sendTargets finds the associations a send goes to, setting up one for a
// new peer of a one-to-many socket. A single target is returned in one,
// so the common send allocates nothing.
func (s *Socket) sendTargets(spec SendSpec, info SendInfo, one *[1]*association) (targets []*association, err error) {
	s.mu.Lock()
	if err := s.checkOpenLocked(); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	if s.typ == OneToOne {
		defer s.mu.Unlock()
		if s.wrShut {
			return nil, ErrShutdown
		}
		if s.one == nil || s.state == stateListening {
			return nil, ErrNotConnected
		}
		if s.one.finished {
			if s.one.endErr != nil {
				return nil, s.one.endErr
			}
			return nil, ErrShutdown
		}
		if spec.To != nil && *spec.To != s.one.peer() {
			return nil, ErrIsConnected
		}
		one[0] = s.one
		return one[:], nil
	}
	if info.Flags&FlagSendAll != 0 {
		defer s.mu.Unlock()
		for _, as := range s.assocs {
			targets = append(targets, as)
		}
		return targets, nil
	}
	if spec.To != nil {
		for _, as := range s.assocs {
			if as.peer() == *spec.To {
				s.mu.Unlock()
				one[0] = as
				return one[:], nil
			}
		}
		s.mu.Unlock()
		if info.Flags&FlagAbort != 0 {
			return nil, errorf(ErrNoAssociation, "no association with "+spec.To.String())
		}
		as, err := s.startAssoc(*spec.To)
		if err != nil {
			return nil, err
		}
		if err := as.do(func(now time.Time) error { return as.a.Connect(now) }); err != nil {
			return nil, err
		}
		one[0] = as
		return one[:], nil
	}
	defer s.mu.Unlock()
	as := s.assocs[info.AssocID]
	if as == nil {
		return nil, errorf(ErrNoAssociation, "assoc "+info.AssocID.String())
	}
	one[0] = as
	return one[:], nil
}

// sendOne queues one message on one association, waiting for room (and,
// for a new association, for COMM_UP) if the socket blocks.
func (s *Socket) sendOne(as *association, data []byte, m sendMeta) error {
	for {
		s.mu.Lock()
		if err := s.checkOpenLocked(); err != nil {
			s.mu.Unlock()
			return err
		}
		if as.finished {
			err := as.endErr
			s.mu.Unlock()
			if err == nil {
				err = ErrShutdown
			}
			return err
		}
		if !as.up {
			// Before COMM_UP a non-blocking socket keeps the message
			// (sent at COMM_UP, as usrsctp bundles it with the COOKIE
			// ECHO); a blocking one waits.
			if s.nonBlocking {
				err := as.queueBeforeUp(data, m)
				s.mu.Unlock()
				return err
			}
			err := s.waitLocked(s.wrDeadline)
			s.mu.Unlock()
			if err != nil {
				return err
			}
			continue
		}
		seq := as.spaceSeq
		s.mu.Unlock()

		err := as.do(func(now time.Time) error { return as.sendLocked(now, data, m) })
		if !errors.Is(err, errSendBufferFull) {
			return err
		}
		s.mu.Lock()
		if s.nonBlocking {
			s.mu.Unlock()
			return ErrWouldBlock
		}
		// Wait for the engine's SendSpaceAvailable, unless it came (or the
		// association ended) between the refusal and now.
		var werr error
		if as.spaceSeq == seq && !as.finished && !s.closed {
			werr = s.waitLocked(s.wrDeadline)
		}
		s.mu.Unlock()
		if werr != nil {
			return werr
		}
	}
}

// BufferedAmount returns the bytes of association id (the socket's own on
// a one-to-one socket) queued or sent and not yet acknowledged: WebRTC's
// bufferedAmount, usrsctp's SO_SNDBUF minus the free space. Pair it with
// the Send upcall and its SendThreshold to learn when it drops.
func (s *Socket) BufferedAmount(id AssocID) (int, error) {
	s.mu.Lock()
	as, err := s.assocLocked(id)
	s.mu.Unlock()
	if err != nil {
		return 0, opErr("buffered amount", id, nil, err)
	}
	return as.buffered(-1), nil
}

// StreamBufferedAmount is BufferedAmount for one stream (a data channel).
func (s *Socket) StreamBufferedAmount(id AssocID, stream uint16) (int, error) {
	s.mu.Lock()
	as, err := s.assocLocked(id)
	s.mu.Unlock()
	if err != nil {
		return 0, opErr("buffered amount", id, nil, err)
	}
	return as.buffered(int(stream)), nil
}
