package wire

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned by this package wraps one of them.
var (
	// ErrTooShort means a buffer ends before a structure it must hold.
	ErrTooShort = errors.New("sctp: too short")
	// ErrBadLength means a length field is below the RFC minimum or runs past the end.
	ErrBadLength = errors.New("sctp: bad length")
	// ErrMalformed means a field holds a value the RFC does not allow.
	ErrMalformed = errors.New("sctp: malformed")
	// ErrWrongType means a typed decoder was given a chunk, parameter or cause of another type.
	ErrWrongType = errors.New("sctp: wrong type")
	// ErrBadChecksum means the CRC32c of a packet does not match its contents.
	ErrBadChecksum = errors.New("sctp: bad checksum")
)

// ParseError reports what could not be parsed and where.
type ParseError struct {
	What   string // "DATA chunk", "common header", "INIT parameter Cookie Preservative", …
	Offset int    // byte offset in the packet (or in the buffer given to the decoder)
	Detail string // what is wrong, e.g. "length 10 below minimum 16"
	Err    error  // one of the sentinel errors
}

func (e *ParseError) Error() string {
	s := e.Err.Error() + ": " + e.What + " at offset " + strconv.Itoa(e.Offset)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the sentinel error.
func (e *ParseError) Unwrap() error { return e.Err }

func parseErr(what string, off int, err error, detail string) error {
	return &ParseError{What: what, Offset: off, Detail: detail, Err: err}
}

func lenErr(what string, off, got, min int) error {
	return &ParseError{What: what, Offset: off, Err: ErrBadLength,
		Detail: "length " + strconv.Itoa(got) + " below minimum " + strconv.Itoa(min)}
}
