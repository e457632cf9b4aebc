package wire

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error causes of RFC 5061 §4.3 and RFC 4895 §4.1, DescribeCause, and the
// helpers shared by every typed cause.

// DeleteLastRemainingAddress is the Request to Delete Last Remaining IP
// Address cause (RFC 5061 §4.3.1): code 0x00A0; Param is the TLV copied
// from the ASCONF.
type DeleteLastRemainingAddress struct {
	Param []byte
}

// DecodeDeleteLastRemainingAddress decodes a Request to Delete Last
// Remaining IP Address cause: its value must hold exactly one TLV.
func DecodeDeleteLastRemainingAddress(c Cause) (DeleteLastRemainingAddress, error) {
	v, err := decodeCauseTLV(c, CauseDeleteLastRemainingAddress, "ASCONF parameter")
	return DeleteLastRemainingAddress{Param: v}, err
}

// CauseCode returns CauseDeleteLastRemainingAddress.
func (x DeleteLastRemainingAddress) CauseCode() CauseCode { return CauseDeleteLastRemainingAddress }

// EncodedLen returns the padded length of the cause.
func (x DeleteLastRemainingAddress) EncodedLen() int {
	return pad4(CauseHeaderLen + tlvListLen(x.Param))
}

// Append appends the cause with its padding.
func (x DeleteLastRemainingAddress) Append(b []byte) []byte {
	return appendCauseTLVs(b, CauseDeleteLastRemainingAddress, x.Param)
}

// ResourceShortage is the Operation Refused Due to Resource Shortage cause
// (RFC 5061 §4.3.2): code 0x00A1; Param is the refused TLV copied from the
// ASCONF.
type ResourceShortage struct {
	Param []byte
}

// DecodeResourceShortage decodes an Operation Refused Due to Resource
// Shortage cause: its value must hold exactly one TLV.
func DecodeResourceShortage(c Cause) (ResourceShortage, error) {
	v, err := decodeCauseTLV(c, CauseResourceShortage, "ASCONF parameter")
	return ResourceShortage{Param: v}, err
}

// CauseCode returns CauseResourceShortage.
func (x ResourceShortage) CauseCode() CauseCode { return CauseResourceShortage }

// EncodedLen returns the padded length of the cause.
func (x ResourceShortage) EncodedLen() int { return pad4(CauseHeaderLen + tlvListLen(x.Param)) }

// Append appends the cause with its padding.
func (x ResourceShortage) Append(b []byte) []byte {
	return appendCauseTLVs(b, CauseResourceShortage, x.Param)
}

// DeleteSourceAddress is the Request to Delete Source IP Address cause (RFC
// 5061 §4.3.3): code 0x00A2; Param is the TLV copied from the ASCONF.
type DeleteSourceAddress struct {
	Param []byte
}

// DecodeDeleteSourceAddress decodes a Request to Delete Source IP Address
// cause: its value must hold exactly one TLV.
func DecodeDeleteSourceAddress(c Cause) (DeleteSourceAddress, error) {
	v, err := decodeCauseTLV(c, CauseDeleteSourceAddress, "ASCONF parameter")
	return DeleteSourceAddress{Param: v}, err
}

// CauseCode returns CauseDeleteSourceAddress.
func (x DeleteSourceAddress) CauseCode() CauseCode { return CauseDeleteSourceAddress }

// EncodedLen returns the padded length of the cause.
func (x DeleteSourceAddress) EncodedLen() int { return pad4(CauseHeaderLen + tlvListLen(x.Param)) }

// Append appends the cause with its padding.
func (x DeleteSourceAddress) Append(b []byte) []byte {
	return appendCauseTLVs(b, CauseDeleteSourceAddress, x.Param)
}

// IllegalAsconfAck is the Association Aborted Due to Illegal ASCONF-ACK
// cause (RFC 5061 §4.3.4): code 0x00A3, length 4.
type IllegalAsconfAck struct{}

// DecodeIllegalAsconfAck decodes an Association Aborted Due to Illegal
// ASCONF-ACK cause (length exactly 4).
func DecodeIllegalAsconfAck(c Cause) (IllegalAsconfAck, error) {
	return IllegalAsconfAck{}, checkCauseExact(c, CauseIllegalAsconfAck, 4)
}

// CauseCode returns CauseIllegalAsconfAck.
func (x IllegalAsconfAck) CauseCode() CauseCode { return CauseIllegalAsconfAck }

// EncodedLen returns 4.
func (x IllegalAsconfAck) EncodedLen() int { return 4 }

// Append appends the cause.
func (x IllegalAsconfAck) Append(b []byte) []byte {
	return appendCauseHeader(b, CauseIllegalAsconfAck, 4)
}

// NoAuthorization is the Request Refused - No Authorization cause (RFC 5061
// §4.3.5): code 0x00A4; Param is the refused TLV copied from the ASCONF.
type NoAuthorization struct {
	Param []byte
}

// DecodeNoAuthorization decodes a Request Refused - No Authorization cause:
// its value must hold exactly one TLV.
func DecodeNoAuthorization(c Cause) (NoAuthorization, error) {
	v, err := decodeCauseTLV(c, CauseNoAuthorization, "ASCONF parameter")
	return NoAuthorization{Param: v}, err
}

// CauseCode returns CauseNoAuthorization.
func (x NoAuthorization) CauseCode() CauseCode { return CauseNoAuthorization }

// EncodedLen returns the padded length of the cause.
func (x NoAuthorization) EncodedLen() int { return pad4(CauseHeaderLen + tlvListLen(x.Param)) }

// Append appends the cause with its padding.
func (x NoAuthorization) Append(b []byte) []byte {
	return appendCauseTLVs(b, CauseNoAuthorization, x.Param)
}

// UnsupportedHMACIdentifier is the Unsupported HMAC Identifier cause (RFC
// 4895 §4.1): code 0x0105, length 6, the HMAC identifier, then 2 bytes of
// padding.
type UnsupportedHMACIdentifier struct {
	HMACID uint16
}

// DecodeUnsupportedHMACIdentifier decodes an Unsupported HMAC Identifier
// cause, whose length must be exactly 6.
func DecodeUnsupportedHMACIdentifier(c Cause) (UnsupportedHMACIdentifier, error) {
	if err := checkCauseExact(c, CauseUnsupportedHMACIdentifier, 6); err != nil {
		return UnsupportedHMACIdentifier{}, err
	}
	return UnsupportedHMACIdentifier{HMACID: binary.BigEndian.Uint16(c.b[4:6])}, nil
}

// CauseCode returns CauseUnsupportedHMACIdentifier.
func (x UnsupportedHMACIdentifier) CauseCode() CauseCode { return CauseUnsupportedHMACIdentifier }

// EncodedLen returns 8 (length 6 and 2 bytes of padding).
func (x UnsupportedHMACIdentifier) EncodedLen() int { return 8 }

// Append appends the cause with its padding.
func (x UnsupportedHMACIdentifier) Append(b []byte) []byte {
	b = appendCauseHeader(b, CauseUnsupportedHMACIdentifier, 6)
	return append(b, byte(x.HMACID>>8), byte(x.HMACID), 0, 0)
}

// appendCauseHeader appends a cause header with length l.
func appendCauseHeader(b []byte, code CauseCode, l int) []byte {
	return append(b, byte(code>>8), byte(code), byte(l>>8), byte(l))
}

// checkCauseExact checks the code of a cause whose length is fixed at n.
func checkCauseExact(c Cause, code CauseCode, n int) error {
	if err := c.check(code, n); err != nil {
		return err
	}
	if len(c.b) != n {
		return parseErr(code.String()+" cause", c.off, ErrBadLength,
			"length "+strconv.Itoa(len(c.b))+", want "+strconv.Itoa(n))
	}
	return nil
}

// decodeCauseTLV checks a cause whose value is one whole TLV (a parameter, or
// a chunk: both have their length in bytes 2–3) and returns the TLV without
// the padding that may follow it inside the cause.
func decodeCauseTLV(c Cause, code CauseCode, what string) ([]byte, error) {
	if err := c.check(code, CauseHeaderLen+ParamHeaderLen); err != nil {
		return nil, err
	}
	v := c.b[CauseHeaderLen:]
	off := c.off + CauseHeaderLen
	l := int(binary.BigEndian.Uint16(v[2:4]))
	if l < ParamHeaderLen {
		return nil, lenErr(code.String()+" cause "+what, off, l, ParamHeaderLen)
	}
	if l > len(v) {
		return nil, parseErr(code.String()+" cause "+what, off, ErrBadLength,
			"length "+strconv.Itoa(l)+" exceeds the "+strconv.Itoa(len(v))+" bytes left")
	}
	if pad4(l) < len(v) {
		return nil, parseErr(code.String()+" cause", c.off, ErrBadLength,
			strconv.Itoa(len(v)-l)+" bytes after the "+strconv.Itoa(l)+"-byte "+what)
	}
	return v[:l], nil
}

// decodeCauseTLVList checks a cause whose value is a list of at least one
// TLV and returns the value.
func decodeCauseTLVList(c Cause, code CauseCode, what string) ([]byte, error) {
	if err := c.check(code, CauseHeaderLen+ParamHeaderLen); err != nil {
		return nil, err
	}
	v := c.b[CauseHeaderLen:]
	if ValidateParams(v, 0) == nil {
		return v, nil
	}
	// Walk again with the cause's name, built only on this error path.
	return nil, validateTLVList(v, c.off+CauseHeaderLen, code.String()+" cause "+what)
}

// appendCauseTLVs appends a cause whose value is one TLV or a list of TLVs;
// the Cause Length excludes the padding of the last TLV (RFC 9260 §3.2).
func appendCauseTLVs(b []byte, code CauseCode, v []byte) []byte {
	l := tlvListLen(v)
	b = appendCauseHeader(b, code, CauseHeaderLen+l)
	b = append(b, v[:l]...)
	return appendPadding(b, CauseHeaderLen+l)
}

// DescribeCause returns a one-line description of an error cause with its
// key field, for logs and packet dumps, e.g. "Stale Cookie Error: staleness
// 1500 µs", "Invalid Stream Identifier: stream 7" or "User-Initiated Abort:
// \"bye\"" (printable text is quoted, other bytes are shown in hex). A
// known cause that does not decode is described as malformed.
func DescribeCause(c Cause) string {
	if len(c.b) < CauseHeaderLen {
		return "empty cause"
	}
	code := c.Code()
	name := code.String()
	var detail string
	var err error
	switch code {
	case CauseInvalidStreamIdentifier:
		var x InvalidStreamIdentifier
		x, err = DecodeInvalidStreamIdentifier(c)
		detail = "stream " + strconv.Itoa(int(x.StreamID))
	case CauseMissingMandatoryParameter:
		var x MissingMandatoryParameter
		x, err = DecodeMissingMandatoryParameter(c)
		for i := 0; i < x.NumMissing(); i++ {
			if i > 0 {
				detail += ", "
			}
			detail += x.Missing(i).String()
		}
	case CauseStaleCookie:
		var x StaleCookie
		x, err = DecodeStaleCookie(c)
		detail = "staleness " + strconv.FormatUint(uint64(x.Staleness), 10) + " µs"
	case CauseUnresolvableAddress:
		var x UnresolvableAddress
		x, err = DecodeUnresolvableAddress(c)
		detail = describeCauseParam(x.Address)
	case CauseUnrecognizedChunkType:
		var x UnrecognizedChunkType
		x, err = DecodeUnrecognizedChunkType(c)
		if err == nil {
			detail = ChunkType(x.Chunk[0]).String() + ", length " + strconv.Itoa(len(x.Chunk))
		}
	case CauseUnrecognizedParameters, CauseRestartWithNewAddresses:
		var v []byte
		v, err = decodeCauseTLVList(c, code, "parameter")
		for it := Params(v, 0); ; {
			p, ok := it.Next()
			if !ok {
				break
			}
			if detail != "" {
				detail += ", "
			}
			detail += describeCauseParam(p.b)
		}
	case CauseNoUserData:
		var x NoUserData
		x, err = DecodeNoUserData(c)
		detail = "TSN " + strconv.FormatUint(uint64(x.TSN), 10)
	case CauseUserInitiatedAbort, CauseProtocolViolation:
		detail = describeCauseBytes(c.b[CauseHeaderLen:])
	case CauseDeleteLastRemainingAddress, CauseResourceShortage, CauseDeleteSourceAddress,
		CauseNoAuthorization:
		var v []byte
		v, err = decodeCauseTLV(c, code, "ASCONF parameter")
		detail = describeCauseParam(v)
	case CauseUnsupportedHMACIdentifier:
		var x UnsupportedHMACIdentifier
		x, err = DecodeUnsupportedHMACIdentifier(c)
		detail = "HMAC identifier " + strconv.Itoa(int(x.HMACID))
		switch x.HMACID { // RFC 4895 §3.3
		case 1:
			detail += " (SHA-1)"
		case 3:
			detail += " (SHA-256)"
		}
	case CauseOutOfResource, CauseInvalidMandatoryParameter, CauseCookieWhileShuttingDown,
		CauseIllegalAsconfAck:
		err = checkCauseExact(c, code, CauseHeaderLen)
	default:
		if len(c.b) > CauseHeaderLen {
			detail = describeCauseBytes(c.b[CauseHeaderLen:])
		}
	}
	if err != nil {
		return name + ": malformed (" + err.Error() + ")"
	}
	if detail == "" {
		return name
	}
	return name + ": " + detail
}

// describeCauseParam describes a TLV quoted in a cause: the parameter name,
// and the address for address parameters (also inside the ASCONF Add, Delete
// and Set Primary parameters, RFC 5061 §4.2, after their correlation ID).
func describeCauseParam(tlv []byte) string {
	if len(tlv) < ParamHeaderLen {
		return "empty parameter"
	}
	t := ParamType(binary.BigEndian.Uint16(tlv))
	v := tlv[ParamHeaderLen:]
	s := t.String()
	switch t {
	case ParamIPv4Address, ParamIPv6Address:
		if a, ok := describeCauseAddr(t, v); ok {
			return a
		}
	case ParamHostNameAddress:
		return s + " " + describeCauseBytes(v)
	case ParamAddIPAddress, ParamDeleteIPAddress, ParamSetPrimaryAddress:
		if len(v) >= 4+ParamHeaderLen {
			s += " correlation ID 0x" + strconv.FormatUint(uint64(binary.BigEndian.Uint32(v)), 16)
			in := v[4:]
			if a, ok := describeCauseAddr(ParamType(binary.BigEndian.Uint16(in)), in[ParamHeaderLen:]); ok {
				s += " " + a
			}
			return s
		}
	}
	return s + " (" + strconv.Itoa(len(tlv)) + " bytes)"
}

// describeCauseAddr formats the value of an IPv4 or IPv6 Address parameter.
func describeCauseAddr(t ParamType, v []byte) (string, bool) {
	switch {
	case t == ParamIPv4Address && len(v) >= 4:
		return netip.AddrFrom4([4]byte(v[:4])).String(), true
	case t == ParamIPv6Address && len(v) >= 16:
		return netip.AddrFrom16([16]byte(v[:16])).String(), true
	}
	return "", false
}

// describeCauseBytes quotes printable UTF-8 text (without trailing NULs, as
// C stacks send them) and shows anything else in hex, cut at 128 bytes. It
// returns "" for no bytes.
func describeCauseBytes(v []byte) string {
	const max = 128
	t := bytes.TrimRight(v, "\x00")
	more := ""
	if len(v) > max {
		v, more = v[:max], "… ("+strconv.Itoa(len(v))+" bytes)"
	}
	if len(t) > max {
		t = t[:max]
	}
	switch {
	case len(v) == 0:
		return ""
	case len(t) > 0 && utf8.Valid(t) &&
		strings.IndexFunc(string(t), func(r rune) bool { return !strconv.IsPrint(r) }) < 0:
		return strconv.Quote(string(t)) + more
	}
	return "0x" + hex.EncodeToString(v) + more
}
