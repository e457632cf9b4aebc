package wire

import "encoding/binary"

// InitHeaderLen is the length of an INIT or INIT ACK chunk without
// parameters (RFC 9260 §3.3.2, §3.3.3).
const InitHeaderLen = 20

// Init is an INIT chunk (RFC 9260 §3.3.2).
//
// The decoder checks the layout only. Values the RFC forbids (an Initiate
// Tag of 0, which §3.3.2 has the receiver discard silently; OS or MIS of 0
// or an a_rwnd below 1500, which it has answered with an ABORT) are the
// engine's to handle, as are missing, repeated or misplaced parameters.
type Init struct {
	InitiateTag uint32
	ARwnd       uint32 // Advertised Receiver Window Credit
	OutStreams  uint16 // Number of Outbound Streams (OS)
	InStreams   uint16 // Number of Inbound Streams (MIS)
	InitialTSN  uint32
	// Params is the list of optional/variable-length parameters. Decoded,
	// it is a view into the packet whose layout has been checked. To
	// encode, fill it with parameters appended one after the other (each
	// padded, e.g. with their Append methods); Append copies it as is.
	// DecodeInitParams summarises it.
	Params []byte
	off    int // chunk offset in the packet
}

// DecodeInit decodes an INIT chunk and checks the layout of its parameter
// list (ValidateParams). It does not allocate.
func DecodeInit(c Chunk) (Init, error) { return iniDecode(c, ChunkInit) }

// ParamIter returns an iterator over the parameters; their offsets are
// packet offsets when x was decoded from a packet.
func (x *Init) ParamIter() ParamIter { return Params(x.Params, x.off+InitHeaderLen) }

// ChunkType implements Encoder.
func (x *Init) ChunkType() ChunkType { return ChunkInit }

// EncodedLen implements Encoder.
func (x *Init) EncodedLen() int { return pad4(InitHeaderLen + tlvListLen(x.Params)) }

// Append implements Encoder. The chunk length does not count the padding of
// the last parameter (RFC 9260 §3.2).
func (x *Init) Append(b []byte) []byte {
	return x.appendAs(b, ChunkInit)
}

// InitAck is an INIT ACK chunk (RFC 9260 §3.3.3). Like Init, the decoder
// checks the layout only: an Initiate Tag of 0 (§3.3.3 has the receiver
// send an ABORT), zero stream counts, a missing State Cookie and the like
// are the engine's to handle.
type InitAck struct {
	InitiateTag uint32
	ARwnd       uint32 // Advertised Receiver Window Credit
	OutStreams  uint16 // Number of Outbound Streams (OS)
	InStreams   uint16 // Number of Inbound Streams (MIS)
	InitialTSN  uint32
	// Params is the parameter list, as for Init (the State Cookie among
	// them).
	Params []byte
	off    int // chunk offset in the packet
}

// DecodeInitAck decodes an INIT ACK chunk and checks the layout of its
// parameter list. It does not allocate.
func DecodeInitAck(c Chunk) (InitAck, error) {
	x, err := iniDecode(c, ChunkInitAck)
	return InitAck(x), err
}

// ParamIter returns an iterator over the parameters; their offsets are
// packet offsets when x was decoded from a packet.
func (x *InitAck) ParamIter() ParamIter { return Params(x.Params, x.off+InitHeaderLen) }

// ChunkType implements Encoder.
func (x *InitAck) ChunkType() ChunkType { return ChunkInitAck }

// EncodedLen implements Encoder.
func (x *InitAck) EncodedLen() int { return pad4(InitHeaderLen + tlvListLen(x.Params)) }

// Append implements Encoder. The chunk length does not count the padding of
// the last parameter (RFC 9260 §3.2).
func (x *InitAck) Append(b []byte) []byte {
	return (*Init)(x).appendAs(b, ChunkInitAck)
}

// iniDecode decodes an INIT or INIT ACK (they share their layout).
func iniDecode(c Chunk, t ChunkType) (Init, error) {
	if err := c.check(t, InitHeaderLen); err != nil {
		return Init{}, err
	}
	list := c.b[InitHeaderLen:]
	if err := ValidateParams(list, c.off+InitHeaderLen); err != nil {
		return Init{}, err
	}
	v := c.b[ChunkHeaderLen:]
	return Init{
		InitiateTag: binary.BigEndian.Uint32(v[0:4]),
		ARwnd:       binary.BigEndian.Uint32(v[4:8]),
		OutStreams:  binary.BigEndian.Uint16(v[8:10]),
		InStreams:   binary.BigEndian.Uint16(v[10:12]),
		InitialTSN:  binary.BigEndian.Uint32(v[12:16]),
		Params:      list,
		off:         c.off,
	}, nil
}

// appendAs appends x as a chunk of type t (INIT or INIT ACK).
func (x *Init) appendAs(b []byte, t ChunkType) []byte {
	// The padding after the last parameter is written anew as zeros: a
	// decoded list may end with padding bytes the sender did not zero.
	n := tlvListLen(x.Params)
	b = appendChunkHeader(b, t, 0, InitHeaderLen+n)
	b = binary.BigEndian.AppendUint32(b, x.InitiateTag)
	b = binary.BigEndian.AppendUint32(b, x.ARwnd)
	b = binary.BigEndian.AppendUint16(b, x.OutStreams)
	b = binary.BigEndian.AppendUint16(b, x.InStreams)
	b = binary.BigEndian.AppendUint32(b, x.InitialTSN)
	b = append(b, x.Params[:n]...)
	return appendPadding(b, InitHeaderLen+n)
}
