package wire

import (
	"encoding/binary"
	"strconv"
)

// ParamHeaderLen is the length of a parameter header: type and length (RFC 9260 §3.2.1).
const ParamHeaderLen = 4

// ParamType is the type of a chunk parameter (RFC 9260 §3.2.1 and the IANA registry).
type ParamType uint16

// Parameter types.
const (
	ParamHeartbeatInfo             ParamType = 1      // RFC 9260 §3.3.5
	ParamIPv4Address               ParamType = 5      // RFC 9260 §3.3.2.1
	ParamIPv6Address               ParamType = 6      // RFC 9260 §3.3.2.1
	ParamStateCookie               ParamType = 7      // RFC 9260 §3.3.3.1
	ParamUnrecognizedParameter     ParamType = 8      // RFC 9260 §3.3.3.1
	ParamCookiePreservative        ParamType = 9      // RFC 9260 §3.3.2.1
	ParamHostNameAddress           ParamType = 11     // RFC 9260 §3.3.2.1 (deprecated)
	ParamSupportedAddressTypes     ParamType = 12     // RFC 9260 §3.3.2.1
	ParamOutgoingSSNResetRequest   ParamType = 13     // RFC 6525 §4.1
	ParamIncomingSSNResetRequest   ParamType = 14     // RFC 6525 §4.2
	ParamSSNTSNResetRequest        ParamType = 15     // RFC 6525 §4.3
	ParamReconfigResponse          ParamType = 16     // RFC 6525 §4.4
	ParamAddOutgoingStreams        ParamType = 17     // RFC 6525 §4.5
	ParamAddIncomingStreams        ParamType = 18     // RFC 6525 §4.6
	ParamECNCapable                ParamType = 0x8000 // RFC 9260 Appendix A
	ParamZeroChecksumAcceptable    ParamType = 0x8001 // RFC 9653 §4
	ParamRandom                    ParamType = 0x8002 // RFC 4895 §3.1
	ParamChunkList                 ParamType = 0x8003 // RFC 4895 §3.2
	ParamRequestedHMACAlgorithm    ParamType = 0x8004 // RFC 4895 §3.3
	ParamPadding                   ParamType = 0x8005 // RFC 4820 §3
	ParamSupportedExtensions       ParamType = 0x8008 // RFC 5061 §4.2.7
	ParamForwardTSNSupported       ParamType = 0xC000 // RFC 3758 §3.1
	ParamAddIPAddress              ParamType = 0xC001 // RFC 5061 §4.2.1
	ParamDeleteIPAddress           ParamType = 0xC002 // RFC 5061 §4.2.2
	ParamErrorCauseIndication      ParamType = 0xC003 // RFC 5061 §4.2.3
	ParamSetPrimaryAddress         ParamType = 0xC004 // RFC 5061 §4.2.4
	ParamSuccessIndication         ParamType = 0xC005 // RFC 5061 §4.2.5
	ParamAdaptationLayerIndication ParamType = 0xC006 // RFC 5061 §4.2.6
)

var paramNames = map[ParamType]string{
	ParamHeartbeatInfo:             "Heartbeat Info",
	ParamIPv4Address:               "IPv4 Address",
	ParamIPv6Address:               "IPv6 Address",
	ParamStateCookie:               "State Cookie",
	ParamUnrecognizedParameter:     "Unrecognized Parameter",
	ParamCookiePreservative:        "Cookie Preservative",
	ParamHostNameAddress:           "Host Name Address",
	ParamSupportedAddressTypes:     "Supported Address Types",
	ParamOutgoingSSNResetRequest:   "Outgoing SSN Reset Request",
	ParamIncomingSSNResetRequest:   "Incoming SSN Reset Request",
	ParamSSNTSNResetRequest:        "SSN/TSN Reset Request",
	ParamReconfigResponse:          "Re-configuration Response",
	ParamAddOutgoingStreams:        "Add Outgoing Streams Request",
	ParamAddIncomingStreams:        "Add Incoming Streams Request",
	ParamECNCapable:                "ECN Capable",
	ParamZeroChecksumAcceptable:    "Zero Checksum Acceptable",
	ParamRandom:                    "Random",
	ParamChunkList:                 "Chunk List",
	ParamRequestedHMACAlgorithm:    "Requested HMAC Algorithm",
	ParamPadding:                   "Padding",
	ParamSupportedExtensions:       "Supported Extensions",
	ParamForwardTSNSupported:       "Forward-TSN-Supported",
	ParamAddIPAddress:              "Add IP Address",
	ParamDeleteIPAddress:           "Delete IP Address",
	ParamErrorCauseIndication:      "Error Cause Indication",
	ParamSetPrimaryAddress:         "Set Primary Address",
	ParamSuccessIndication:         "Success Indication",
	ParamAdaptationLayerIndication: "Adaptation Layer Indication",
}

// String returns the RFC name of the parameter type, or "parameter 0xNNNN".
func (t ParamType) String() string {
	if s, ok := paramNames[t]; ok {
		return s
	}
	return "parameter 0x" + strconv.FormatUint(uint64(t), 16)
}

// Known reports whether this package decodes the parameter type.
func (t ParamType) Known() bool { _, ok := paramNames[t]; return ok }

// Action returns what to do with this parameter type when it is not
// recognized (RFC 9260 §3.2.1).
func (t ParamType) Action() Action { return Action(t >> 14) }

// Param is one parameter (a TLV): a view over its bytes without padding.
type Param struct {
	b   []byte
	off int
}

// Type returns the parameter type.
func (p Param) Type() ParamType { return ParamType(binary.BigEndian.Uint16(p.b)) }

// Length returns the parameter length field (header and value, no padding).
func (p Param) Length() int { return len(p.b) }

// Value returns the parameter value (after the 4-byte header, no padding).
func (p Param) Value() []byte { return p.b[ParamHeaderLen:] }

// Bytes returns the whole parameter without padding.
func (p Param) Bytes() []byte { return p.b }

// Offset returns the offset of the parameter, relative to what its iterator
// was given a base for (the packet, when it comes from a parsed chunk).
func (p Param) Offset() int { return p.off }

// check validates the type and the minimum length for a typed decoder.
func (p Param) check(t ParamType, min int) error {
	if p.b == nil {
		return parseErr(t.String()+" parameter", 0, ErrTooShort, "empty parameter")
	}
	if p.Type() != t {
		return parseErr(t.String()+" parameter", p.off, ErrWrongType, "got "+p.Type().String())
	}
	if len(p.b) < min {
		return lenErr(t.String()+" parameter", p.off, len(p.b), min)
	}
	return nil
}

// ParamIter walks a list of TLVs (parameters, or error causes through
// CauseIter). It stops at the first malformed TLV and reports it in Err.
type ParamIter struct {
	b    []byte
	off  int // offset in b
	base int // offset of b in the packet, for errors
	what string
	err  error
}

// Params returns an iterator over the TLV list b; base is the offset of b in
// its packet, used in error messages.
func Params(b []byte, base int) ParamIter { return ParamIter{b: b, base: base, what: "parameter"} }

// Next returns the next parameter, or ok == false at the end of the list or
// at a malformed parameter (see Err).
func (it *ParamIter) Next() (p Param, ok bool) {
	b, off, ok := it.next()
	if !ok {
		return Param{}, false
	}
	return Param{b: b, off: off}, true
}

func (it *ParamIter) next() ([]byte, int, bool) {
	if it.err != nil {
		return nil, 0, false
	}
	rest := len(it.b) - it.off
	if rest <= 0 {
		return nil, 0, false
	}
	off := it.base + it.off
	if rest < ParamHeaderLen {
		if allZero(it.b[it.off:]) {
			it.off = len(it.b)
			return nil, 0, false
		}
		it.err = parseErr(it.what+" header", off, ErrTooShort, strconv.Itoa(rest)+" trailing bytes")
		return nil, 0, false
	}
	l := int(binary.BigEndian.Uint16(it.b[it.off+2:]))
	if l < ParamHeaderLen {
		it.err = lenErr(it.what, off, l, ParamHeaderLen)
		return nil, 0, false
	}
	if l > rest {
		it.err = parseErr(it.what, off, ErrBadLength,
			"length "+strconv.Itoa(l)+" exceeds the "+strconv.Itoa(rest)+" bytes left")
		return nil, 0, false
	}
	v := it.b[it.off : it.off+l]
	it.off += pad4(l)
	return v, off, true
}

// Err returns the error that stopped the iteration, or nil.
func (it *ParamIter) Err() error { return it.err }

// ValidateParams checks that b is a well-formed list of parameters.
func ValidateParams(b []byte, base int) error {
	it := Params(b, base)
	for {
		if _, ok := it.Next(); !ok {
			return it.Err()
		}
	}
}

// appendTLV appends a type-length-value with padding.
func appendTLV(b []byte, t uint16, v []byte) []byte {
	n := ParamHeaderLen + len(v)
	b = append(b, byte(t>>8), byte(t), byte(n>>8), byte(n))
	b = append(b, v...)
	return appendPadding(b, n)
}

// RawParam is a parameter kept as bytes: a type this package does not decode
// (RFC 9260 §3.2.1), or one to send as is.
type RawParam struct {
	Type  ParamType
	Value []byte
}

// AppendParam appends a parameter with the given type and value, padded.
func AppendParam(b []byte, t ParamType, value []byte) []byte { return appendTLV(b, uint16(t), value) }

// Append appends the parameter, padded.
func (r RawParam) Append(b []byte) []byte { return appendTLV(b, uint16(r.Type), r.Value) }

// EncodedLen returns the padded length of the parameter.
func (r RawParam) EncodedLen() int { return pad4(ParamHeaderLen + len(r.Value)) }

// tlvListLen returns the length of a TLV list (parameters or error causes)
// up to the end of its last TLV, without that TLV's padding: what a chunk or
// parameter length counts of a list that ends it (RFC 9260 §3.2). Encoders
// write list[:tlvListLen(list)] and then zero padding, so padding bytes a
// peer did not zero are not sent on. A list that is not well formed counts
// whole.
func tlvListLen(list []byte) int {
	end, off := 0, 0
	for len(list)-off >= ParamHeaderLen {
		l := int(binary.BigEndian.Uint16(list[off+2:]))
		if l < ParamHeaderLen || l > len(list)-off {
			return len(list)
		}
		end = off + l
		off += pad4(l)
	}
	if off < len(list) && !allZero(list[off:]) {
		return len(list)
	}
	return end
}
