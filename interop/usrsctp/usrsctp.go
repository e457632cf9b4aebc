// Package usrsctp binds Debian's libusrsctp (0.9.5) through cgo in AF_CONN
// mode, so that usrsctp runs in the same process as the code under test and
// its packets cross in memory.
//
// # Global state
//
// usrsctp is one stack per process: usrsctp_init starts its timer thread and
// owns global tables (sysctls, endpoints, associations, statistics). This
// package calls usrsctp_init(0, conn_output, debug) once, on first use,
// guarded by a sync.Once, and never calls usrsctp_finish. Every Endpoint
// of the process shares that one stack; SetSysctl changes it for all of
// them. Set USRSCTP_DEBUG=1 in the environment (or call SetDebug) to see
// usrsctp's debug output on stderr.
//
// # Addresses
//
// An Endpoint is one registered AF_CONN address (usrsctp_register_address)
// with its own opaque handle. usrsctp_conninput(handle, pkt) sets both the
// source and the destination address of an inbound packet to handle, so an
// association seen from endpoint E always has E's handle as its local and
// its remote address: sockets of E bind to E's handle and connect to E's
// handle with the peer's port. conn_output(handle, pkt) therefore means
// "endpoint handle sends pkt over its link". Several sockets (and ports) may
// share one Endpoint; usrsctp demultiplexes by ports and verification tag.
//
// # Threads and callbacks
//
// conn_output runs on whichever thread produced the packet (a caller of
// SendV or Input, or usrsctp's timer thread), with usrsctp locks held. The
// Go side copies the packet and hands it to the Endpoint's output function,
// which must not call back into usrsctp: a Link queues it and a goroutine
// per endpoint feeds it to the peer's usrsctp_conninput later.
//
// Every usrsctp socket is non-blocking at the C level. The blocking methods
// (Connect, Accept, SendV, RecvV) wait in Go, polling with a short backoff
// and woken early by the send callback or an upcall (SetUpcall), so no OS
// thread blocks inside usrsctp and Close can always wake a waiter.
// usrsctp_close never runs while a goroutine is in usrsctp_conninput: in
// usrsctp 0.9.5 that race corrupts the C heap.
package usrsctp

/*
#cgo CFLAGS: -DSCTP_DEBUG -O2
#cgo LDFLAGS: -lusrsctp
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

var (
	// ErrClosed is returned by operations on a closed Socket or Endpoint.
	ErrClosed = errors.New("usrsctp: use of closed socket")
	// ErrWouldBlock is returned by the Try* methods when usrsctp cannot
	// complete the operation now.
	ErrWouldBlock = errors.New("usrsctp: operation would block")
	// ErrCallbackMode is returned by RecvV on a socket whose messages go to
	// Callbacks.
	ErrCallbackMode = errors.New("usrsctp: socket delivers messages to callbacks")
	// ErrUnknownSysctl is returned by SetSysctl and Sysctl for names this
	// binding does not expose.
	ErrUnknownSysctl = errors.New("usrsctp: unknown sysctl")
)

var (
	initOnce  sync.Once
	nextID    atomic.Uintptr // handles and socket ids; never 0
	endpoints sync.Map       // handle -> *Endpoint
	socketsID sync.Map       // socket id (ulp_info, upcall arg) -> *Socket
	socketsSo sync.Map       // struct socket* -> *Socket
	// teardownMu keeps usrsctp_close from running while a Go goroutine is
	// inside usrsctp_conninput: the two racing corrupts usrsctp 0.9.5's heap
	// after bulk traffic (see TestTeardownWithDataInFlight).
	teardownMu sync.RWMutex
)

// ensureInit starts usrsctp once per process.
func ensureInit() {
	initOnce.Do(func() {
		C.sconn_init()
		if os.Getenv("USRSCTP_DEBUG") != "" {
			C.sconn_set_debug(1)
		}
	})
}

func newID() uintptr { return nextID.Add(1) }

// SetDebug turns usrsctp's debug output (to stderr) on or off.
func SetDebug(on bool) {
	ensureInit()
	v := C.int(0)
	if on {
		v = 1
	}
	C.sconn_set_debug(v)
}

// SetSysctl sets one of usrsctp's global tunables (e.g. "sctp_ecn_enable")
// for every endpoint of the process; new associations use the new value.
// The names are usrsctp's; see shim.c for the ones exposed.
func SetSysctl(name string, value uint32) error {
	ensureInit()
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var out C.uint32_t
	rc, err := C.sconn_sysctl(cs, C.uint32_t(value), 1, &out)
	if rc != 0 {
		if errors.Is(err, syscall.ENOENT) {
			return ErrUnknownSysctl
		}
		return errnoErr("sysctl "+name, err)
	}
	return nil
}

// Sysctl returns the current value of one of usrsctp's global tunables.
func Sysctl(name string) (uint32, error) {
	ensureInit()
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	var out C.uint32_t
	if rc, _ := C.sconn_sysctl(cs, 0, 0, &out); rc != 0 {
		return 0, ErrUnknownSysctl
	}
	return uint32(out), nil
}

// MallocInUse returns the bytes the C heap (glibc malloc) has handed out
// and not freed, usrsctp's allocations included. It is how the benchmark
// measures memory that the Go runtime cannot see.
func MallocInUse() uint64 { return uint64(C.sconn_malloc_in_use()) }

// OpError is the error of a failed usrsctp call: Op names the call, Err
// is the errno it set.
type OpError struct {
	Op  string
	Err error
}

func (e *OpError) Error() string { return "usrsctp: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the errno.
func (e *OpError) Unwrap() error { return e.Err }

func errnoErr(op string, err error) error {
	if err == nil {
		err = syscall.EIO
	}
	return &OpError{Op: op, Err: err}
}

func wouldBlock(err error) bool {
	return errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK) || errors.Is(err, syscall.EINPROGRESS) || errors.Is(err, syscall.EALREADY)
}

//export sconnGoOutput
func sconnGoOutput(h C.uintptr_t, buf unsafe.Pointer, n C.size_t, tos, df C.uint8_t) C.int {
	v, ok := endpoints.Load(uintptr(h))
	if !ok {
		return 0
	}
	v.(*Endpoint).output(unsafe.Slice((*byte)(buf), int(n)))
	return 0
}

//export sconnGoReceive
func sconnGoReceive(so *C.struct_socket, key C.uintptr_t, data unsafe.Pointer, n C.size_t, info *C.struct_sconn_rcv, gone C.int) {
	s := socketFor(so, uintptr(key))
	if s == nil {
		return
	}
	if gone != 0 {
		s.onGone()
		return
	}
	var b []byte
	if n > 0 {
		b = make([]byte, int(n))
		copy(b, unsafe.Slice((*byte)(data), int(n)))
	}
	ri, has, flags := rcvFromC(info)
	s.onReceive(b, ri, has, flags)
}

//export sconnGoSendReady
func sconnGoSendReady(so *C.struct_socket, key C.uintptr_t, free C.uint32_t) {
	if s := socketFor(so, uintptr(key)); s != nil {
		s.signalWritable()
		if s.cb != nil && s.cb.OnSendReady != nil {
			s.cb.OnSendReady(s, uint32(free))
		}
	}
}

//export sconnGoUpcall
func sconnGoUpcall(_ *C.struct_socket, key C.uintptr_t) {
	v, ok := socketsID.Load(uintptr(key))
	if !ok {
		return
	}
	s := v.(*Socket)
	s.signalReadable()
	s.signalWritable()
	if f := s.upcall.Load(); f != nil {
		(*f)(s)
	}
}
