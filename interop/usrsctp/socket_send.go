package usrsctp

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"unsafe"
)

// PRPolicy is a PR-SCTP policy (RFC 7496) for SendInfo.
type PRPolicy uint16

// The PR-SCTP policies; PRValue means milliseconds for PRTTL, bytes for
// PRBuf and retransmissions for PRRtx.
const (
	PRNone PRPolicy = C.SCTP_PR_SCTP_NONE
	PRTTL  PRPolicy = C.SCTP_PR_SCTP_TTL
	PRBuf  PRPolicy = C.SCTP_PR_SCTP_BUF
	PRRtx  PRPolicy = C.SCTP_PR_SCTP_RTX
)

// SendInfo says how to send one message (struct sctp_sndinfo plus
// sctp_prinfo, given to usrsctp_sendv as SCTP_SENDV_SPA).
type SendInfo struct {
	SID       uint16
	PPID      uint32 // in host order; the binding converts it for the wire
	Unordered bool
	PRPolicy  PRPolicy
	PRValue   uint32
	// AssocID picks the association of a one-to-many socket.
	AssocID uint32
	// EOF starts a graceful shutdown after the message (SCTP_EOF); Abort
	// aborts the association (SCTP_ABORT), with the data as the cause.
	EOF, Abort bool
	// SackImmediately sets the I bit (RFC 7053).
	SackImmediately bool
}

// SendV sends one message, waiting for room in the send buffer: the
// sender is paced by usrsctp's buffered amount (SO_SNDBUF). It returns the
// number of bytes queued.
func (s *Socket) SendV(data []byte, info SendInfo) (int, error) {
	return s.SendVContext(context.Background(), data, info)
}

// SendVContext is SendV that gives up waiting when ctx ends.
func (s *Socket) SendVContext(ctx context.Context, data []byte, info SendInfo) (int, error) {
	poll := minPoll
	for {
		n, err := s.TrySendV(data, info)
		if err != ErrWouldBlock {
			return n, err
		}
		if err := s.wait(ctx, s.writable, &poll); err != nil {
			return 0, err
		}
	}
}

// TrySendV is SendV that returns ErrWouldBlock instead of waiting.
func (s *Socket) TrySendV(data []byte, info SendInfo) (int, error) {
	var flags C.uint16_t
	if info.Unordered {
		flags |= C.SCTP_UNORDERED
	}
	if info.EOF {
		flags |= C.SCTP_EOF
	}
	if info.Abort {
		flags |= C.SCTP_ABORT
	}
	if info.SackImmediately {
		flags |= C.SCTP_SACK_IMMEDIATELY
	}
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	so, err := s.use()
	if err != nil {
		return 0, err
	}
	n, serr := C.sconn_sendv(so, p, C.size_t(len(data)), C.uint16_t(info.SID), C.uint32_t(info.PPID),
		flags, C.uint16_t(info.PRPolicy), C.uint32_t(info.PRValue), C.uint32_t(info.AssocID))
	s.mu.RUnlock()
	if n < 0 {
		if wouldBlock(serr) {
			return 0, ErrWouldBlock
		}
		return 0, errnoErr("sendv", serr)
	}
	return int(n), nil
}
