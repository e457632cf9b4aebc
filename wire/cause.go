package wire

import (
	"encoding/binary"
	"strconv"
)

// CauseCode is the code of an error cause (RFC 9260 §3.3.10 and extensions).
type CauseCode uint16

// Error cause codes.
const (
	CauseInvalidStreamIdentifier    CauseCode = 1      // RFC 9260 §3.3.10.1
	CauseMissingMandatoryParameter  CauseCode = 2      // RFC 9260 §3.3.10.2
	CauseStaleCookie                CauseCode = 3      // RFC 9260 §3.3.10.3
	CauseOutOfResource              CauseCode = 4      // RFC 9260 §3.3.10.4
	CauseUnresolvableAddress        CauseCode = 5      // RFC 9260 §3.3.10.5
	CauseUnrecognizedChunkType      CauseCode = 6      // RFC 9260 §3.3.10.6
	CauseInvalidMandatoryParameter  CauseCode = 7      // RFC 9260 §3.3.10.7
	CauseUnrecognizedParameters     CauseCode = 8      // RFC 9260 §3.3.10.8
	CauseNoUserData                 CauseCode = 9      // RFC 9260 §3.3.10.9
	CauseCookieWhileShuttingDown    CauseCode = 10     // RFC 9260 §3.3.10.10
	CauseRestartWithNewAddresses    CauseCode = 11     // RFC 9260 §3.3.10.11
	CauseUserInitiatedAbort         CauseCode = 12     // RFC 9260 §3.3.10.12
	CauseProtocolViolation          CauseCode = 13     // RFC 9260 §3.3.10.13
	CauseDeleteLastRemainingAddress CauseCode = 0x00A0 // RFC 5061 §4.3.1
	CauseResourceShortage           CauseCode = 0x00A1 // RFC 5061 §4.3.2
	CauseDeleteSourceAddress        CauseCode = 0x00A2 // RFC 5061 §4.3.3
	CauseIllegalAsconfAck           CauseCode = 0x00A3 // RFC 5061 §4.3.4
	CauseNoAuthorization            CauseCode = 0x00A4 // RFC 5061 §4.3.5
	CauseUnsupportedHMACIdentifier  CauseCode = 0x0105 // RFC 4895 §4.1
)

var causeNames = map[CauseCode]string{
	CauseInvalidStreamIdentifier:    "Invalid Stream Identifier",
	CauseMissingMandatoryParameter:  "Missing Mandatory Parameter",
	CauseStaleCookie:                "Stale Cookie Error",
	CauseOutOfResource:              "Out of Resource",
	CauseUnresolvableAddress:        "Unresolvable Address",
	CauseUnrecognizedChunkType:      "Unrecognized Chunk Type",
	CauseInvalidMandatoryParameter:  "Invalid Mandatory Parameter",
	CauseUnrecognizedParameters:     "Unrecognized Parameters",
	CauseNoUserData:                 "No User Data",
	CauseCookieWhileShuttingDown:    "Cookie Received While Shutting Down",
	CauseRestartWithNewAddresses:    "Restart of an Association with New Addresses",
	CauseUserInitiatedAbort:         "User-Initiated Abort",
	CauseProtocolViolation:          "Protocol Violation",
	CauseDeleteLastRemainingAddress: "Request to Delete Last Remaining IP Address",
	CauseResourceShortage:           "Operation Refused Due to Resource Shortage",
	CauseDeleteSourceAddress:        "Request to Delete Source IP Address",
	CauseIllegalAsconfAck:           "Association Aborted Due to Illegal ASCONF-ACK",
	CauseNoAuthorization:            "Request Refused - No Authorization",
	CauseUnsupportedHMACIdentifier:  "Unsupported HMAC Identifier",
}

// String returns the RFC name of the cause, or "cause 0xNNNN".
func (c CauseCode) String() string {
	if s, ok := causeNames[c]; ok {
		return s
	}
	return "cause 0x" + strconv.FormatUint(uint64(c), 16)
}

// Known reports whether this package decodes the cause code.
func (c CauseCode) Known() bool { _, ok := causeNames[c]; return ok }

// CauseHeaderLen is the length of an error cause header: code and length.
const CauseHeaderLen = 4

// Cause is one error cause of an ERROR or ABORT chunk (or of an ASCONF
// parameter): a view over its bytes without padding.
type Cause struct {
	b   []byte
	off int
}

// Code returns the cause code.
func (c Cause) Code() CauseCode { return CauseCode(binary.BigEndian.Uint16(c.b)) }

// Length returns the cause length field.
func (c Cause) Length() int { return len(c.b) }

// Value returns the cause-specific information (after the 4-byte header).
func (c Cause) Value() []byte { return c.b[CauseHeaderLen:] }

// Bytes returns the whole cause without padding.
func (c Cause) Bytes() []byte { return c.b }

// Offset returns the cause's offset in its packet (or iterator base).
func (c Cause) Offset() int { return c.off }

func (c Cause) check(code CauseCode, min int) error {
	if c.b == nil {
		return parseErr(code.String()+" cause", 0, ErrTooShort, "empty cause")
	}
	if c.Code() != code {
		return parseErr(code.String()+" cause", c.off, ErrWrongType, "got "+c.Code().String())
	}
	if len(c.b) < min {
		return lenErr(code.String()+" cause", c.off, len(c.b), min)
	}
	return nil
}

// CauseIter walks a list of error causes.
type CauseIter struct{ it ParamIter }

// Causes returns an iterator over the error causes in b; base is the offset
// of b in its packet, for error messages.
func Causes(b []byte, base int) CauseIter {
	return CauseIter{ParamIter{b: b, base: base, what: "error cause"}}
}

// Next returns the next cause, or ok == false at the end or at a malformed
// cause (see Err).
func (ci *CauseIter) Next() (c Cause, ok bool) {
	b, off, ok := ci.it.next()
	if !ok {
		return Cause{}, false
	}
	return Cause{b: b, off: off}, true
}

// Err returns the error that stopped the iteration, or nil.
func (ci *CauseIter) Err() error { return ci.it.err }

// RawCause is an error cause kept as bytes: a code this package does not
// decode, or one to send as is.
type RawCause struct {
	Code  CauseCode
	Value []byte
}

// Append appends the cause, padded.
func (r RawCause) Append(b []byte) []byte { return appendTLV(b, uint16(r.Code), r.Value) }

// EncodedLen returns the padded length of the cause.
func (r RawCause) EncodedLen() int { return pad4(CauseHeaderLen + len(r.Value)) }

// AppendCause appends an error cause with the given code and value, padded.
func AppendCause(b []byte, code CauseCode, value []byte) []byte {
	return appendTLV(b, uint16(code), value)
}
