package wire

import (
	"encoding/binary"
	"strconv"
)

// Error causes of RFC 9260 §3.3.10.1–§3.3.10.13. The extension causes
// (RFC 5061, RFC 4895) and DescribeCause are in causes_ext.go.
//
// Byte-slice fields of a decoded cause are views into the packet. Where a
// field holds a whole TLV (a parameter or a chunk), the view excludes that
// TLV's padding, and Append writes a Cause Length that excludes the padding
// of the last TLV it holds (RFC 9260 §3.2, §3.2.1).

// InvalidStreamIdentifier is the Invalid Stream Identifier cause (RFC 9260
// §3.3.10.1): code 1, length 8, a stream identifier and 2 reserved bytes.
type InvalidStreamIdentifier struct {
	StreamID uint16
}

// DecodeInvalidStreamIdentifier decodes an Invalid Stream Identifier cause,
// whose length must be exactly 8.
func DecodeInvalidStreamIdentifier(c Cause) (InvalidStreamIdentifier, error) {
	if err := checkCauseExact(c, CauseInvalidStreamIdentifier, 8); err != nil {
		return InvalidStreamIdentifier{}, err
	}
	return InvalidStreamIdentifier{StreamID: binary.BigEndian.Uint16(c.b[4:6])}, nil
}

// CauseCode returns CauseInvalidStreamIdentifier.
func (x InvalidStreamIdentifier) CauseCode() CauseCode { return CauseInvalidStreamIdentifier }

// EncodedLen returns 8.
func (x InvalidStreamIdentifier) EncodedLen() int { return 8 }

// Append appends the cause; the reserved bytes are zero.
func (x InvalidStreamIdentifier) Append(b []byte) []byte {
	b = appendCauseHeader(b, CauseInvalidStreamIdentifier, 8)
	return append(b, byte(x.StreamID>>8), byte(x.StreamID), 0, 0)
}

// MissingMandatoryParameter is the Missing Mandatory Parameter cause (RFC
// 9260 §3.3.10.2): code 2, length 8 + 2N, a 32-bit count N and N parameter
// types.
//
// Types is the list to encode. A decoded value leaves Types nil and views
// the list in the packet: read it with NumMissing and Missing, which work
// for both (Types wins when it is not nil).
type MissingMandatoryParameter struct {
	Types []uint16
	raw   []byte // decoded list of 2-byte types, a view
}

// DecodeMissingMandatoryParameter decodes a Missing Mandatory Parameter
// cause. Its length must be 8 + 2N where N is its Number of missing params
// field (ErrBadLength otherwise). It does not allocate.
func DecodeMissingMandatoryParameter(c Cause) (MissingMandatoryParameter, error) {
	const code = CauseMissingMandatoryParameter
	if err := c.check(code, 8); err != nil {
		return MissingMandatoryParameter{}, err
	}
	n := uint64(binary.BigEndian.Uint32(c.b[4:8]))
	if uint64(len(c.b)) != 8+2*n {
		return MissingMandatoryParameter{}, parseErr(code.String()+" cause", c.off, ErrBadLength,
			"length "+strconv.Itoa(len(c.b))+" does not match "+strconv.FormatUint(n, 10)+
				" missing parameters (8 + 2N)")
	}
	return MissingMandatoryParameter{raw: c.b[8:]}, nil
}

// NumMissing returns the number of missing parameter types.
func (x MissingMandatoryParameter) NumMissing() int {
	if x.Types != nil {
		return len(x.Types)
	}
	return len(x.raw) / 2
}

// Missing returns the i-th missing parameter type, or 0 when i is out of
// range.
func (x MissingMandatoryParameter) Missing(i int) ParamType {
	if x.Types != nil {
		if i < 0 || i >= len(x.Types) {
			return 0
		}
		return ParamType(x.Types[i])
	}
	if i < 0 || i >= len(x.raw)/2 {
		return 0
	}
	return ParamType(binary.BigEndian.Uint16(x.raw[2*i:]))
}

// CauseCode returns CauseMissingMandatoryParameter.
func (x MissingMandatoryParameter) CauseCode() CauseCode { return CauseMissingMandatoryParameter }

// EncodedLen returns the padded length of the cause.
func (x MissingMandatoryParameter) EncodedLen() int { return pad4(8 + 2*x.NumMissing()) }

// Append appends the cause with its padding.
func (x MissingMandatoryParameter) Append(b []byte) []byte {
	n := x.NumMissing()
	l := 8 + 2*n
	b = appendCauseHeader(b, CauseMissingMandatoryParameter, l)
	b = binary.BigEndian.AppendUint32(b, uint32(n))
	if x.Types != nil {
		for _, t := range x.Types {
			b = binary.BigEndian.AppendUint16(b, t)
		}
	} else {
		b = append(b, x.raw...)
	}
	return appendPadding(b, l)
}

// StaleCookie is the Stale Cookie cause (RFC 9260 §3.3.10.3): code 3,
// length 8, the measure of staleness in microseconds (0 if not reported).
type StaleCookie struct {
	Staleness uint32 // µs
}

// DecodeStaleCookie decodes a Stale Cookie cause, whose length must be
// exactly 8.
func DecodeStaleCookie(c Cause) (StaleCookie, error) {
	if err := checkCauseExact(c, CauseStaleCookie, 8); err != nil {
		return StaleCookie{}, err
	}
	return StaleCookie{Staleness: binary.BigEndian.Uint32(c.b[4:8])}, nil
}

// CauseCode returns CauseStaleCookie.
func (x StaleCookie) CauseCode() CauseCode { return CauseStaleCookie }

// EncodedLen returns 8.
func (x StaleCookie) EncodedLen() int { return 8 }

// Append appends the cause.
func (x StaleCookie) Append(b []byte) []byte {
	b = appendCauseHeader(b, CauseStaleCookie, 8)
	return binary.BigEndian.AppendUint32(b, x.Staleness)
}

// OutOfResource is the Out of Resource cause (RFC 9260 §3.3.10.4): code 4,
// length 4.
type OutOfResource struct{}

// DecodeOutOfResource decodes an Out of Resource cause (length exactly 4).
func DecodeOutOfResource(c Cause) (OutOfResource, error) {
	return OutOfResource{}, checkCauseExact(c, CauseOutOfResource, 4)
}

// CauseCode returns CauseOutOfResource.
func (x OutOfResource) CauseCode() CauseCode { return CauseOutOfResource }

// EncodedLen returns 4.
func (x OutOfResource) EncodedLen() int { return 4 }

// Append appends the cause.
func (x OutOfResource) Append(b []byte) []byte {
	return appendCauseHeader(b, CauseOutOfResource, 4)
}

// UnresolvableAddress is the Unresolvable Address cause (RFC 9260
// §3.3.10.5): code 5; Address is the complete address (or Host Name)
// parameter, type, length and value.
type UnresolvableAddress struct {
	Address []byte
}

// DecodeUnresolvableAddress decodes an Unresolvable Address cause: its value
// must hold exactly one TLV (possibly followed by that TLV's padding).
func DecodeUnresolvableAddress(c Cause) (UnresolvableAddress, error) {
	v, err := decodeCauseTLV(c, CauseUnresolvableAddress, "address parameter")
	return UnresolvableAddress{Address: v}, err
}

// CauseCode returns CauseUnresolvableAddress.
func (x UnresolvableAddress) CauseCode() CauseCode { return CauseUnresolvableAddress }

// EncodedLen returns the padded length of the cause.
func (x UnresolvableAddress) EncodedLen() int { return pad4(CauseHeaderLen + tlvListLen(x.Address)) }

// Append appends the cause with its padding.
func (x UnresolvableAddress) Append(b []byte) []byte {
	return appendCauseTLVs(b, CauseUnresolvableAddress, x.Address)
}

// UnrecognizedChunkType is the Unrecognized Chunk Type cause (RFC 9260
// §3.3.10.6): code 6; Chunk is the unrecognized chunk, header included
// (ChunkAt(x.Chunk, off) views it as a Chunk).
type UnrecognizedChunkType struct {
	Chunk []byte
}

// DecodeUnrecognizedChunkType decodes an Unrecognized Chunk Type cause: its
// value must hold one complete chunk, possibly followed by the chunk's
// padding (usrsctp and Linux include it in the Cause Length).
func DecodeUnrecognizedChunkType(c Cause) (UnrecognizedChunkType, error) {
	v, err := decodeCauseTLV(c, CauseUnrecognizedChunkType, "chunk")
	return UnrecognizedChunkType{Chunk: v}, err
}

// CauseCode returns CauseUnrecognizedChunkType.
func (x UnrecognizedChunkType) CauseCode() CauseCode { return CauseUnrecognizedChunkType }

// EncodedLen returns the padded length of the cause.
func (x UnrecognizedChunkType) EncodedLen() int { return pad4(CauseHeaderLen + tlvListLen(x.Chunk)) }

// Append appends the cause with its padding.
func (x UnrecognizedChunkType) Append(b []byte) []byte {
	return appendCauseTLVs(b, CauseUnrecognizedChunkType, x.Chunk)
}

// InvalidMandatoryParameter is the Invalid Mandatory Parameter cause (RFC
// 9260 §3.3.10.7): code 7, length 4.
type InvalidMandatoryParameter struct{}

// DecodeInvalidMandatoryParameter decodes an Invalid Mandatory Parameter
// cause (length exactly 4).
func DecodeInvalidMandatoryParameter(c Cause) (InvalidMandatoryParameter, error) {
	return InvalidMandatoryParameter{}, checkCauseExact(c, CauseInvalidMandatoryParameter, 4)
}

// CauseCode returns CauseInvalidMandatoryParameter.
func (x InvalidMandatoryParameter) CauseCode() CauseCode { return CauseInvalidMandatoryParameter }

// EncodedLen returns 4.
func (x InvalidMandatoryParameter) EncodedLen() int { return 4 }

// Append appends the cause.
func (x InvalidMandatoryParameter) Append(b []byte) []byte {
	return appendCauseHeader(b, CauseInvalidMandatoryParameter, 4)
}

// UnrecognizedParameters is the Unrecognized Parameters cause (RFC 9260
// §3.3.10.8): code 8; Params is the list of unrecognized parameters copied
// from the INIT ACK, complete with TLV and padding (walk it with Params).
type UnrecognizedParameters struct {
	Params []byte
}

// DecodeUnrecognizedParameters decodes an Unrecognized Parameters cause: its
// value must be a well-formed list of at least one parameter.
func DecodeUnrecognizedParameters(c Cause) (UnrecognizedParameters, error) {
	v, err := decodeCauseTLVList(c, CauseUnrecognizedParameters, "parameter")
	return UnrecognizedParameters{Params: v}, err
}

// CauseCode returns CauseUnrecognizedParameters.
func (x UnrecognizedParameters) CauseCode() CauseCode { return CauseUnrecognizedParameters }

// EncodedLen returns the padded length of the cause.
func (x UnrecognizedParameters) EncodedLen() int { return pad4(CauseHeaderLen + tlvListLen(x.Params)) }

// Append appends the cause with its padding.
func (x UnrecognizedParameters) Append(b []byte) []byte {
	return appendCauseTLVs(b, CauseUnrecognizedParameters, x.Params)
}

// NoUserData is the No User Data cause (RFC 9260 §3.3.10.9): code 9,
// length 8, the TSN of the DATA chunk that had no user data.
type NoUserData struct {
	TSN uint32
}

// DecodeNoUserData decodes a No User Data cause (length exactly 8).
func DecodeNoUserData(c Cause) (NoUserData, error) {
	if err := checkCauseExact(c, CauseNoUserData, 8); err != nil {
		return NoUserData{}, err
	}
	return NoUserData{TSN: binary.BigEndian.Uint32(c.b[4:8])}, nil
}

// CauseCode returns CauseNoUserData.
func (x NoUserData) CauseCode() CauseCode { return CauseNoUserData }

// EncodedLen returns 8.
func (x NoUserData) EncodedLen() int { return 8 }

// Append appends the cause.
func (x NoUserData) Append(b []byte) []byte {
	b = appendCauseHeader(b, CauseNoUserData, 8)
	return binary.BigEndian.AppendUint32(b, x.TSN)
}

// CookieReceivedWhileShuttingDown is the Cookie Received While Shutting Down
// cause (RFC 9260 §3.3.10.10): code 10, length 4.
type CookieReceivedWhileShuttingDown struct{}

// DecodeCookieReceivedWhileShuttingDown decodes a Cookie Received While
// Shutting Down cause (length exactly 4).
func DecodeCookieReceivedWhileShuttingDown(c Cause) (CookieReceivedWhileShuttingDown, error) {
	return CookieReceivedWhileShuttingDown{}, checkCauseExact(c, CauseCookieWhileShuttingDown, 4)
}

// CauseCode returns CauseCookieWhileShuttingDown.
func (x CookieReceivedWhileShuttingDown) CauseCode() CauseCode { return CauseCookieWhileShuttingDown }

// EncodedLen returns 4.
func (x CookieReceivedWhileShuttingDown) EncodedLen() int { return 4 }

// Append appends the cause.
func (x CookieReceivedWhileShuttingDown) Append(b []byte) []byte {
	return appendCauseHeader(b, CauseCookieWhileShuttingDown, 4)
}

// RestartWithNewAddresses is the Restart of an Association with New
// Addresses cause (RFC 9260 §3.3.10.11): code 11; Addresses is the list of
// the new address parameters, exact copies of the INIT's TLVs (walk it with
// Params).
type RestartWithNewAddresses struct {
	Addresses []byte
}

// DecodeRestartWithNewAddresses decodes a Restart of an Association with New
// Addresses cause: its value must be a well-formed list of at least one TLV.
func DecodeRestartWithNewAddresses(c Cause) (RestartWithNewAddresses, error) {
	v, err := decodeCauseTLVList(c, CauseRestartWithNewAddresses, "address parameter")
	return RestartWithNewAddresses{Addresses: v}, err
}

// CauseCode returns CauseRestartWithNewAddresses.
func (x RestartWithNewAddresses) CauseCode() CauseCode { return CauseRestartWithNewAddresses }

// EncodedLen returns the padded length of the cause.
func (x RestartWithNewAddresses) EncodedLen() int {
	return pad4(CauseHeaderLen + tlvListLen(x.Addresses))
}

// Append appends the cause with its padding.
func (x RestartWithNewAddresses) Append(b []byte) []byte {
	return appendCauseTLVs(b, CauseRestartWithNewAddresses, x.Addresses)
}

// UserInitiatedAbort is the User-Initiated Abort cause (RFC 9260
// §3.3.10.12): code 12; Reason is the Upper Layer Abort Reason, opaque to
// SCTP and possibly empty.
type UserInitiatedAbort struct {
	Reason []byte
}

// DecodeUserInitiatedAbort decodes a User-Initiated Abort cause.
func DecodeUserInitiatedAbort(c Cause) (UserInitiatedAbort, error) {
	if err := c.check(CauseUserInitiatedAbort, CauseHeaderLen); err != nil {
		return UserInitiatedAbort{}, err
	}
	return UserInitiatedAbort{Reason: c.b[CauseHeaderLen:]}, nil
}

// CauseCode returns CauseUserInitiatedAbort.
func (x UserInitiatedAbort) CauseCode() CauseCode { return CauseUserInitiatedAbort }

// EncodedLen returns the padded length of the cause.
func (x UserInitiatedAbort) EncodedLen() int { return pad4(CauseHeaderLen + len(x.Reason)) }

// Append appends the cause with its padding.
func (x UserInitiatedAbort) Append(b []byte) []byte {
	return appendTLV(b, uint16(CauseUserInitiatedAbort), x.Reason)
}

// ProtocolViolation is the Protocol Violation cause (RFC 9260 §3.3.10.13):
// code 13; Info is the optional additional information.
type ProtocolViolation struct {
	Info []byte
}

// DecodeProtocolViolation decodes a Protocol Violation cause.
func DecodeProtocolViolation(c Cause) (ProtocolViolation, error) {
	if err := c.check(CauseProtocolViolation, CauseHeaderLen); err != nil {
		return ProtocolViolation{}, err
	}
	return ProtocolViolation{Info: c.b[CauseHeaderLen:]}, nil
}

// CauseCode returns CauseProtocolViolation.
func (x ProtocolViolation) CauseCode() CauseCode { return CauseProtocolViolation }

// EncodedLen returns the padded length of the cause.
func (x ProtocolViolation) EncodedLen() int { return pad4(CauseHeaderLen + len(x.Info)) }

// Append appends the cause with its padding.
func (x ProtocolViolation) Append(b []byte) []byte {
	return appendTLV(b, uint16(CauseProtocolViolation), x.Info)
}
