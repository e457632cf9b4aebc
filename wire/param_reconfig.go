package wire

import (
	"encoding/binary"
	"strconv"
)

// Re-configuration parameters of RFC 6525 §4.1–§4.6, carried in RE-CONFIG
// chunks.
//
// The stream lists of the SSN reset requests are read with NumStreams and
// Stream, which do not allocate. To encode, set StreamIDs; a decoded
// parameter leaves StreamIDs nil and views the list in the packet
// (NumStreams and Stream read StreamIDs when it is not nil). An empty list
// means all streams.

// OutgoingSSNResetRequestParam is the Outgoing SSN Reset Request parameter
// (RFC 6525 §4.1): type 13, length 16 + 2N.
type OutgoingSSNResetRequestParam struct {
	RequestSeq  uint32 // Re-configuration Request Sequence Number
	ResponseSeq uint32 // Re-configuration Response Sequence Number
	LastTSN     uint32 // Sender's Last Assigned TSN
	StreamIDs   []uint16
	raw         []byte // decoded stream list, a view
}

// DecodeOutgoingSSNResetRequestParam decodes an Outgoing SSN Reset Request
// parameter. It does not allocate.
func DecodeOutgoingSSNResetRequestParam(p Param) (OutgoingSSNResetRequestParam, error) {
	if err := reconfigParamStreams(p, ParamOutgoingSSNResetRequest, 16); err != nil {
		return OutgoingSSNResetRequestParam{}, err
	}
	v := p.b[ParamHeaderLen:]
	return OutgoingSSNResetRequestParam{
		RequestSeq:  binary.BigEndian.Uint32(v[0:4]),
		ResponseSeq: binary.BigEndian.Uint32(v[4:8]),
		LastTSN:     binary.BigEndian.Uint32(v[8:12]),
		raw:         v[12:],
	}, nil
}

// NumStreams returns the number of streams listed (0: all streams).
func (x OutgoingSSNResetRequestParam) NumStreams() int {
	return reconfigStreamCount(x.StreamIDs, x.raw)
}

// Stream returns the i-th stream listed, or 0 when i is out of range.
func (x OutgoingSSNResetRequestParam) Stream(i int) uint16 {
	return reconfigStreamAt(x.StreamIDs, x.raw, i)
}

// ParamType returns ParamOutgoingSSNResetRequest.
func (x OutgoingSSNResetRequestParam) ParamType() ParamType { return ParamOutgoingSSNResetRequest }

// EncodedLen returns the padded length of the parameter.
func (x OutgoingSSNResetRequestParam) EncodedLen() int { return pad4(16 + 2*x.NumStreams()) }

// Append appends the parameter with its padding.
func (x OutgoingSSNResetRequestParam) Append(b []byte) []byte {
	l := 16 + 2*x.NumStreams()
	b = appendReconfigParamHeader(b, ParamOutgoingSSNResetRequest, l)
	b = binary.BigEndian.AppendUint32(b, x.RequestSeq)
	b = binary.BigEndian.AppendUint32(b, x.ResponseSeq)
	b = binary.BigEndian.AppendUint32(b, x.LastTSN)
	b = appendReconfigStreams(b, x.StreamIDs, x.raw)
	return appendPadding(b, l)
}

// IncomingSSNResetRequestParam is the Incoming SSN Reset Request parameter
// (RFC 6525 §4.2): type 14, length 8 + 2N.
type IncomingSSNResetRequestParam struct {
	RequestSeq uint32 // Re-configuration Request Sequence Number
	StreamIDs  []uint16
	raw        []byte // decoded stream list, a view
}

// DecodeIncomingSSNResetRequestParam decodes an Incoming SSN Reset Request
// parameter. It does not allocate.
func DecodeIncomingSSNResetRequestParam(p Param) (IncomingSSNResetRequestParam, error) {
	if err := reconfigParamStreams(p, ParamIncomingSSNResetRequest, 8); err != nil {
		return IncomingSSNResetRequestParam{}, err
	}
	return IncomingSSNResetRequestParam{
		RequestSeq: binary.BigEndian.Uint32(p.b[4:8]),
		raw:        p.b[8:],
	}, nil
}

// NumStreams returns the number of streams listed (0: all streams).
func (x IncomingSSNResetRequestParam) NumStreams() int {
	return reconfigStreamCount(x.StreamIDs, x.raw)
}

// Stream returns the i-th stream listed, or 0 when i is out of range.
func (x IncomingSSNResetRequestParam) Stream(i int) uint16 {
	return reconfigStreamAt(x.StreamIDs, x.raw, i)
}

// ParamType returns ParamIncomingSSNResetRequest.
func (x IncomingSSNResetRequestParam) ParamType() ParamType { return ParamIncomingSSNResetRequest }

// EncodedLen returns the padded length of the parameter.
func (x IncomingSSNResetRequestParam) EncodedLen() int { return pad4(8 + 2*x.NumStreams()) }

// Append appends the parameter with its padding.
func (x IncomingSSNResetRequestParam) Append(b []byte) []byte {
	l := 8 + 2*x.NumStreams()
	b = appendReconfigParamHeader(b, ParamIncomingSSNResetRequest, l)
	b = binary.BigEndian.AppendUint32(b, x.RequestSeq)
	b = appendReconfigStreams(b, x.StreamIDs, x.raw)
	return appendPadding(b, l)
}

// SSNTSNResetRequestParam is the SSN/TSN Reset Request parameter (RFC 6525
// §4.3): type 15, length 8.
type SSNTSNResetRequestParam struct {
	RequestSeq uint32 // Re-configuration Request Sequence Number
}

// DecodeSSNTSNResetRequestParam decodes an SSN/TSN Reset Request parameter,
// whose length must be exactly 8.
func DecodeSSNTSNResetRequestParam(p Param) (SSNTSNResetRequestParam, error) {
	if err := reconfigParamExact(p, ParamSSNTSNResetRequest, 8); err != nil {
		return SSNTSNResetRequestParam{}, err
	}
	return SSNTSNResetRequestParam{RequestSeq: binary.BigEndian.Uint32(p.b[4:8])}, nil
}

// ParamType returns ParamSSNTSNResetRequest.
func (x SSNTSNResetRequestParam) ParamType() ParamType { return ParamSSNTSNResetRequest }

// EncodedLen returns 8.
func (x SSNTSNResetRequestParam) EncodedLen() int { return 8 }

// Append appends the parameter.
func (x SSNTSNResetRequestParam) Append(b []byte) []byte {
	b = appendReconfigParamHeader(b, ParamSSNTSNResetRequest, 8)
	return binary.BigEndian.AppendUint32(b, x.RequestSeq)
}

// ReconfigResult is the Result field of a Re-configuration Response
// parameter (RFC 6525 §4.4, Table 3).
type ReconfigResult uint32

// Re-configuration results (RFC 6525 §4.4).
const (
	ReconfigResultSuccessNothingToDo            ReconfigResult = 0
	ReconfigResultSuccessPerformed              ReconfigResult = 1
	ReconfigResultDenied                        ReconfigResult = 2
	ReconfigResultErrorWrongSSN                 ReconfigResult = 3
	ReconfigResultErrorRequestAlreadyInProgress ReconfigResult = 4
	ReconfigResultErrorBadSequenceNumber        ReconfigResult = 5
	ReconfigResultInProgress                    ReconfigResult = 6
)

var reconfigResultNames = [...]string{
	ReconfigResultSuccessNothingToDo:            "Success - Nothing to do",
	ReconfigResultSuccessPerformed:              "Success - Performed",
	ReconfigResultDenied:                        "Denied",
	ReconfigResultErrorWrongSSN:                 "Error - Wrong SSN",
	ReconfigResultErrorRequestAlreadyInProgress: "Error - Request already in progress",
	ReconfigResultErrorBadSequenceNumber:        "Error - Bad Sequence Number",
	ReconfigResultInProgress:                    "In progress",
}

// String returns the RFC 6525 description of the result, or "result N".
func (r ReconfigResult) String() string {
	if int64(r) < int64(len(reconfigResultNames)) {
		return reconfigResultNames[r]
	}
	return "result " + strconv.FormatUint(uint64(r), 10)
}

// ReconfigResponseParam is the Re-configuration Response parameter (RFC 6525
// §4.4): type 16, length 12, or 20 with the two optional TSNs (HasTSNs),
// which answer an SSN/TSN Reset Request.
type ReconfigResponseParam struct {
	ResponseSeq     uint32 // Re-configuration Response Sequence Number
	Result          ReconfigResult
	SenderNextTSN   uint32 // Sender's Next TSN, if HasTSNs
	ReceiverNextTSN uint32 // Receiver's Next TSN, if HasTSNs
	HasTSNs         bool
}

// DecodeReconfigResponseParam decodes a Re-configuration Response
// parameter, whose length must be 12 or 20.
func DecodeReconfigResponseParam(p Param) (ReconfigResponseParam, error) {
	const t = ParamReconfigResponse
	if err := p.check(t, 12); err != nil {
		return ReconfigResponseParam{}, err
	}
	if len(p.b) != 12 && len(p.b) != 20 {
		return ReconfigResponseParam{}, parseErr(t.String()+" parameter", p.off, ErrBadLength,
			"length "+strconv.Itoa(len(p.b))+", want 12 or 20")
	}
	x := ReconfigResponseParam{
		ResponseSeq: binary.BigEndian.Uint32(p.b[4:8]),
		Result:      ReconfigResult(binary.BigEndian.Uint32(p.b[8:12])),
	}
	if len(p.b) == 20 {
		x.HasTSNs = true
		x.SenderNextTSN = binary.BigEndian.Uint32(p.b[12:16])
		x.ReceiverNextTSN = binary.BigEndian.Uint32(p.b[16:20])
	}
	return x, nil
}

// ParamType returns ParamReconfigResponse.
func (x ReconfigResponseParam) ParamType() ParamType { return ParamReconfigResponse }

// EncodedLen returns 20 with the TSNs, else 12.
func (x ReconfigResponseParam) EncodedLen() int {
	if x.HasTSNs {
		return 20
	}
	return 12
}

// Append appends the parameter; the TSNs only if HasTSNs.
func (x ReconfigResponseParam) Append(b []byte) []byte {
	b = appendReconfigParamHeader(b, ParamReconfigResponse, x.EncodedLen())
	b = binary.BigEndian.AppendUint32(b, x.ResponseSeq)
	b = binary.BigEndian.AppendUint32(b, uint32(x.Result))
	if x.HasTSNs {
		b = binary.BigEndian.AppendUint32(b, x.SenderNextTSN)
		b = binary.BigEndian.AppendUint32(b, x.ReceiverNextTSN)
	}
	return b
}

// AddOutgoingStreamsParam is the Add Outgoing Streams Request parameter (RFC
// 6525 §4.5): type 17, length 12, with 2 reserved bytes.
type AddOutgoingStreamsParam struct {
	RequestSeq    uint32 // Re-configuration Request Sequence Number
	NumNewStreams uint16
}

// DecodeAddOutgoingStreamsParam decodes an Add Outgoing Streams Request
// parameter, whose length must be exactly 12.
func DecodeAddOutgoingStreamsParam(p Param) (AddOutgoingStreamsParam, error) {
	seq, n, err := decodeAddStreams(p, ParamAddOutgoingStreams)
	return AddOutgoingStreamsParam{RequestSeq: seq, NumNewStreams: n}, err
}

// ParamType returns ParamAddOutgoingStreams.
func (x AddOutgoingStreamsParam) ParamType() ParamType { return ParamAddOutgoingStreams }

// EncodedLen returns 12.
func (x AddOutgoingStreamsParam) EncodedLen() int { return 12 }

// Append appends the parameter; the reserved bytes are zero.
func (x AddOutgoingStreamsParam) Append(b []byte) []byte {
	return appendAddStreams(b, ParamAddOutgoingStreams, x.RequestSeq, x.NumNewStreams)
}

// AddIncomingStreamsParam is the Add Incoming Streams Request parameter (RFC
// 6525 §4.6): type 18, length 12, with 2 reserved bytes.
type AddIncomingStreamsParam struct {
	RequestSeq    uint32 // Re-configuration Request Sequence Number
	NumNewStreams uint16
}

// DecodeAddIncomingStreamsParam decodes an Add Incoming Streams Request
// parameter, whose length must be exactly 12.
func DecodeAddIncomingStreamsParam(p Param) (AddIncomingStreamsParam, error) {
	seq, n, err := decodeAddStreams(p, ParamAddIncomingStreams)
	return AddIncomingStreamsParam{RequestSeq: seq, NumNewStreams: n}, err
}

// ParamType returns ParamAddIncomingStreams.
func (x AddIncomingStreamsParam) ParamType() ParamType { return ParamAddIncomingStreams }

// EncodedLen returns 12.
func (x AddIncomingStreamsParam) EncodedLen() int { return 12 }

// Append appends the parameter; the reserved bytes are zero.
func (x AddIncomingStreamsParam) Append(b []byte) []byte {
	return appendAddStreams(b, ParamAddIncomingStreams, x.RequestSeq, x.NumNewStreams)
}

func decodeAddStreams(p Param, t ParamType) (seq uint32, n uint16, err error) {
	if err := reconfigParamExact(p, t, 12); err != nil {
		return 0, 0, err
	}
	return binary.BigEndian.Uint32(p.b[4:8]), binary.BigEndian.Uint16(p.b[8:10]), nil
}

func appendAddStreams(b []byte, t ParamType, seq uint32, n uint16) []byte {
	b = appendReconfigParamHeader(b, t, 12)
	b = binary.BigEndian.AppendUint32(b, seq)
	return append(b, byte(n>>8), byte(n), 0, 0)
}

func appendReconfigParamHeader(b []byte, t ParamType, l int) []byte {
	return append(b, byte(t>>8), byte(t), byte(l>>8), byte(l))
}

// reconfigParamExact checks a parameter whose length is fixed at n.
func reconfigParamExact(p Param, t ParamType, n int) error {
	if err := p.check(t, n); err != nil {
		return err
	}
	if len(p.b) != n {
		return parseErr(t.String()+" parameter", p.off, ErrBadLength,
			"length "+strconv.Itoa(len(p.b))+", want "+strconv.Itoa(n))
	}
	return nil
}

// reconfigParamStreams checks a parameter of length min + 2N.
func reconfigParamStreams(p Param, t ParamType, min int) error {
	if err := p.check(t, min); err != nil {
		return err
	}
	if (len(p.b)-min)%2 != 0 {
		return parseErr(t.String()+" parameter", p.off, ErrBadLength,
			"length "+strconv.Itoa(len(p.b))+" is not "+strconv.Itoa(min)+" + 2N")
	}
	return nil
}

// reconfigStreamCount and reconfigStreamAt read a stream list: ids when it
// is not nil, else the decoded view raw.
func reconfigStreamCount(ids []uint16, raw []byte) int {
	if ids != nil {
		return len(ids)
	}
	return len(raw) / 2
}

func reconfigStreamAt(ids []uint16, raw []byte, i int) uint16 {
	if ids != nil {
		if i < 0 || i >= len(ids) {
			return 0
		}
		return ids[i]
	}
	if i < 0 || i >= len(raw)/2 {
		return 0
	}
	return binary.BigEndian.Uint16(raw[2*i:])
}

func appendReconfigStreams(b []byte, ids []uint16, raw []byte) []byte {
	if ids == nil {
		return append(b, raw...)
	}
	for _, id := range ids {
		b = binary.BigEndian.AppendUint16(b, id)
	}
	return b
}
