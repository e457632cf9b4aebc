package usrsctp

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"io"
	"unsafe"
)

// RcvInfo is what usrsctp reports with a received message (struct
// sctp_rcvinfo), PPID in host order.
type RcvInfo struct {
	SID, SSN, Flags uint16
	PPID            uint32
	TSN, CumTSN     uint32
	AssocID         uint32
}

// Unordered reports whether the message was sent unordered.
func (r RcvInfo) Unordered() bool { return r.Flags&C.SCTP_UNORDERED != 0 }

// Message is a received message or notification.
type Message struct {
	Data    []byte
	Info    RcvInfo
	HasInfo bool // Info is valid (RecvRcvInfo on, and not a notification)
	// EOR says Data ends the message (MSG_EOR); RecvMsg and callbacks
	// always return whole messages.
	EOR bool
	// IsNotification says the message is a notification (MSG_NOTIFICATION):
	// Data holds its raw bytes and, once whole, Notification its decoded
	// form.
	IsNotification bool
	Notification   Notification
}

func rcvFromC(c *C.struct_sconn_rcv) (RcvInfo, bool, int) {
	return RcvInfo{
		SID: uint16(c.sid), SSN: uint16(c.ssn), Flags: uint16(c.flags), PPID: uint32(c.ppid),
		TSN: uint32(c.tsn), CumTSN: uint32(c.cumtsn), AssocID: uint32(c.assoc_id),
	}, c.infotype == C.SCTP_RECVV_RCVINFO, int(c.msg_flags)
}

// RecvV reads the next message, or the next part of it, into buf and waits
// for one if none is queued. m.Data is buf[:n]. It returns io.EOF once the
// association is shut down and everything was read.
func (s *Socket) RecvV(buf []byte) (Message, error) {
	return s.RecvVContext(context.Background(), buf)
}

// RecvVContext is RecvV that gives up waiting when ctx ends.
func (s *Socket) RecvVContext(ctx context.Context, buf []byte) (Message, error) {
	if s.cb != nil {
		return Message{}, ErrCallbackMode
	}
	poll := minPoll
	for {
		m, err := s.TryRecvV(buf)
		if err != ErrWouldBlock {
			return m, err
		}
		if err := s.wait(ctx, s.readable, &poll); err != nil {
			return Message{}, err
		}
	}
}

// TryRecvV is RecvV that returns ErrWouldBlock instead of waiting.
func (s *Socket) TryRecvV(buf []byte) (Message, error) {
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	var info C.struct_sconn_rcv
	so, err := s.use()
	if err != nil {
		return Message{}, err
	}
	n, rerr := C.sconn_recvv(so, p, C.size_t(len(buf)), &info)
	s.mu.RUnlock()
	if n < 0 {
		if wouldBlock(rerr) {
			return Message{}, ErrWouldBlock
		}
		return Message{}, errnoErr("recvv", rerr)
	}
	ri, has, flags := rcvFromC(&info)
	m := Message{Data: buf[:n], Info: ri, HasInfo: has, EOR: flags&C.MSG_EOR != 0}
	if flags&C.MSG_NOTIFICATION != 0 {
		m.HasInfo, m.IsNotification = false, true
		if m.EOR {
			m.Notification = DecodeNotification(m.Data)
		}
		return m, nil
	}
	if n == 0 {
		return m, io.EOF
	}
	return m, nil
}

// RecvMsg reads one whole message (joining partial deliveries) or
// notification into a new buffer.
func (s *Socket) RecvMsg() (*Message, error) { return s.RecvMsgContext(context.Background()) }

// RecvMsgContext is RecvMsg that gives up waiting when ctx ends.
func (s *Socket) RecvMsgContext(ctx context.Context) (*Message, error) {
	buf := make([]byte, 64<<10)
	var acc []byte
	for {
		m, err := s.RecvVContext(ctx, buf)
		if err != nil {
			return nil, err
		}
		if m.EOR && acc == nil {
			m.Data = append([]byte(nil), m.Data...)
			return &m, nil
		}
		acc = append(acc, m.Data...)
		if m.EOR {
			m.Data = acc
			if m.IsNotification {
				m.Notification = DecodeNotification(acc)
			}
			return &m, nil
		}
	}
}

// onReceive handles usrsctp's receive callback: joins partial deliveries
// and calls OnMessage.
func (s *Socket) onReceive(b []byte, ri RcvInfo, has bool, flags int) {
	if s.cb == nil || s.isClosed() {
		return
	}
	m := &Message{Info: ri, HasInfo: has, EOR: true}
	if flags&C.MSG_NOTIFICATION != 0 {
		m.HasInfo, m.IsNotification = false, true
		m.Data = b
		m.Notification = DecodeNotification(b)
	} else {
		s.partMu.Lock()
		if flags&C.MSG_EOR == 0 {
			s.partial = append(s.partial, b...)
			s.partMu.Unlock()
			return
		}
		if s.partial != nil {
			b = append(s.partial, b...)
			s.partial = nil
		}
		s.partMu.Unlock()
		m.Data = b
	}
	if s.cb.OnMessage != nil {
		s.cb.OnMessage(s, m)
	}
}
