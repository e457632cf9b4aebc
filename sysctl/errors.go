package sysctl

import (
	"errors"
	"strconv"
)

// ErrUnknown is wrapped by the errors returned for a name or key that is not
// a tunable. The wrapping error quotes the offending name.
var ErrUnknown = errors.New("sysctl: unknown tunable")

// ErrOutOfRange is wrapped by every [*RangeError]: test for it with
// errors.Is(err, sysctl.ErrOutOfRange).
var ErrOutOfRange = errors.New("sysctl: value out of range")

// RangeError reports a value outside a tunable's [Info.Min, Info.Max].
type RangeError struct {
	Name     string // usrsctp name of the tunable, with its "sctp_" prefix
	Value    uint32 // the rejected value
	Min, Max uint32 // the allowed range, inclusive
}

// Error returns a message such as
// "sysctl: value out of range: sctp_blackhole=3, want 0..2".
func (e *RangeError) Error() string {
	return ErrOutOfRange.Error() + ": " + e.Name + "=" + strconv.FormatUint(uint64(e.Value), 10) +
		", want " + strconv.FormatUint(uint64(e.Min), 10) + ".." + strconv.FormatUint(uint64(e.Max), 10)
}

// Unwrap returns [ErrOutOfRange].
func (e *RangeError) Unwrap() error { return ErrOutOfRange }
