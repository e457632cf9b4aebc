package wire

import (
	"encoding/binary"
	"strconv"
)

// HeartbeatLen is the minimum length of a HEARTBEAT or HEARTBEAT ACK chunk:
// the chunk header and an empty Heartbeat Info parameter.
const HeartbeatLen = ChunkHeaderLen + ParamHeaderLen

// HeartbeatInfoParam is the Heartbeat Info parameter (type 1, RFC 9260
// §3.3.5): opaque sender-specific information. A decoded one's Info points
// into the packet.
type HeartbeatInfoParam struct {
	Info []byte
}

// DecodeHeartbeatInfoParam decodes a Heartbeat Info parameter.
func DecodeHeartbeatInfoParam(p Param) (HeartbeatInfoParam, error) {
	if err := p.check(ParamHeartbeatInfo, ParamHeaderLen); err != nil {
		return HeartbeatInfoParam{}, err
	}
	return HeartbeatInfoParam{Info: p.Value()}, nil
}

// ParamType returns ParamHeartbeatInfo.
func (h HeartbeatInfoParam) ParamType() ParamType { return ParamHeartbeatInfo }

// EncodedLen returns the padded length of the parameter.
func (h HeartbeatInfoParam) EncodedLen() int { return pad4(ParamHeaderLen + len(h.Info)) }

// Append appends the parameter, padded.
func (h HeartbeatInfoParam) Append(b []byte) []byte {
	return appendTLV(b, uint16(ParamHeartbeatInfo), h.Info)
}

// Heartbeat is a HEARTBEAT chunk (RFC 9260 §3.3.5): one Heartbeat Info
// parameter whose value, Info, only the sender understands. A decoded
// Heartbeat's Info points into the packet.
type Heartbeat struct {
	Info []byte
}

// DecodeHeartbeat decodes a HEARTBEAT chunk. Its value must be exactly one
// Heartbeat Info parameter; the chunk length may or may not include that
// parameter's padding (RFC 9260 §3.2).
func DecodeHeartbeat(c Chunk) (Heartbeat, error) {
	info, err := decodeHeartbeatInfo(c, ChunkHeartbeat)
	return Heartbeat{Info: info}, err
}

// ChunkType implements Encoder.
func (h *Heartbeat) ChunkType() ChunkType { return ChunkHeartbeat }

// EncodedLen implements Encoder.
func (h *Heartbeat) EncodedLen() int { return pad4(HeartbeatLen + len(h.Info)) }

// Append implements Encoder.
func (h *Heartbeat) Append(b []byte) []byte { return appendHeartbeat(b, ChunkHeartbeat, h.Info) }

// HeartbeatAck is a HEARTBEAT ACK chunk (RFC 9260 §3.3.6). Its Info is the
// Heartbeat Info of the HEARTBEAT it answers, unchanged:
//
//	ack := wire.HeartbeatAck{Info: hb.Info}
type HeartbeatAck struct {
	Info []byte
}

// DecodeHeartbeatAck decodes a HEARTBEAT ACK chunk, with the same rules as
// DecodeHeartbeat.
func DecodeHeartbeatAck(c Chunk) (HeartbeatAck, error) {
	info, err := decodeHeartbeatInfo(c, ChunkHeartbeatAck)
	return HeartbeatAck{Info: info}, err
}

// ChunkType implements Encoder.
func (h *HeartbeatAck) ChunkType() ChunkType { return ChunkHeartbeatAck }

// EncodedLen implements Encoder.
func (h *HeartbeatAck) EncodedLen() int { return pad4(HeartbeatLen + len(h.Info)) }

// Append implements Encoder.
func (h *HeartbeatAck) Append(b []byte) []byte { return appendHeartbeat(b, ChunkHeartbeatAck, h.Info) }

// decodeHeartbeatInfo returns the info bytes of the single Heartbeat Info
// parameter of a HEARTBEAT or HEARTBEAT ACK chunk.
func decodeHeartbeatInfo(c Chunk, t ChunkType) ([]byte, error) {
	if err := c.check(t, HeartbeatLen); err != nil {
		return nil, err
	}
	v := c.b[ChunkHeaderLen:]
	off := c.off + ChunkHeaderLen
	if pt := ParamType(binary.BigEndian.Uint16(v)); pt != ParamHeartbeatInfo {
		return nil, parseErr(t.String()+" chunk", off, ErrMalformed,
			"holds "+pt.String()+" instead of a Heartbeat Info parameter")
	}
	l := int(binary.BigEndian.Uint16(v[2:]))
	switch {
	case l < ParamHeaderLen:
		return nil, lenErr("Heartbeat Info parameter", off, l, ParamHeaderLen)
	case l > len(v):
		return nil, parseErr("Heartbeat Info parameter", off, ErrBadLength,
			"length "+strconv.Itoa(l)+" exceeds the "+strconv.Itoa(len(v))+" bytes of the "+t.String()+" chunk")
	case len(v) > pad4(l):
		return nil, parseErr(t.String()+" chunk", off+pad4(l), ErrBadLength,
			strconv.Itoa(len(v)-pad4(l))+" bytes after the Heartbeat Info parameter")
	}
	return v[ParamHeaderLen:l], nil
}

// appendHeartbeat appends a HEARTBEAT or HEARTBEAT ACK chunk. The chunk
// length excludes the padding of its last (only) parameter (RFC 9260 §3.2).
func appendHeartbeat(b []byte, t ChunkType, info []byte) []byte {
	n := HeartbeatLen + len(info)
	b = appendChunkHeader(b, t, 0, n)
	b = append(b, 0, byte(ParamHeartbeatInfo), byte((n-ChunkHeaderLen)>>8), byte(n-ChunkHeaderLen))
	b = append(b, info...)
	return appendPadding(b, n)
}
