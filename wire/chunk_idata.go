package wire

import "encoding/binary"

// IDataHeaderLen is the length of an I-DATA chunk without user data (RFC 8260 §2.1).
const IDataHeaderLen = 20

// IData is an I-DATA chunk (RFC 8260 §2.1). The word after the MID holds the
// Payload Protocol Identifier when B is set (first fragment) and the
// Fragment Sequence Number otherwise: the decoder fills the field that
// applies and leaves the other zero, and Append encodes PPID when Beginning
// is set and FSN otherwise. A decoded IData's UserData points into the packet.
type IData struct {
	TSN       uint32
	StreamID  uint16
	MID       uint32 // Message Identifier
	PPID      uint32 // Payload Protocol Identifier, only when Beginning
	FSN       uint32 // Fragment Sequence Number, only when !Beginning
	Unordered bool
	Beginning bool
	Ending    bool
	Immediate bool
	UserData  []byte
}

// DecodeIData decodes an I-DATA chunk. As with DATA, a chunk without user
// data (length 20) is returned without error: the engine answers it with an
// ABORT carrying a No User Data cause (RFC 9260 §6.2, RFC 8260 §2.1).
// The reserved bits are ignored (RFC 8260 §2.1).
func DecodeIData(c Chunk) (IData, error) {
	if err := c.check(ChunkIData, IDataHeaderLen); err != nil {
		return IData{}, err
	}
	v := c.b[ChunkHeaderLen:]
	f := c.b[1]
	d := IData{
		TSN:       binary.BigEndian.Uint32(v[0:4]),
		StreamID:  binary.BigEndian.Uint16(v[4:6]),
		MID:       binary.BigEndian.Uint32(v[8:12]),
		Unordered: f&FlagUnordered != 0,
		Beginning: f&FlagBeginning != 0,
		Ending:    f&FlagEnding != 0,
		Immediate: f&FlagImmediate != 0,
		UserData:  v[16:],
	}
	if d.Beginning {
		d.PPID = binary.BigEndian.Uint32(v[12:16])
	} else {
		d.FSN = binary.BigEndian.Uint32(v[12:16])
	}
	return d, nil
}

// Flags returns the chunk flags byte for d.
func (d *IData) Flags() uint8 { return dataFlags(d.Unordered, d.Beginning, d.Ending, d.Immediate) }

// ChunkType implements Encoder.
func (d *IData) ChunkType() ChunkType { return ChunkIData }

// EncodedLen implements Encoder.
func (d *IData) EncodedLen() int { return pad4(IDataHeaderLen + len(d.UserData)) }

// Append implements Encoder. It writes PPID when Beginning is set and FSN
// otherwise.
func (d *IData) Append(b []byte) []byte {
	n := IDataHeaderLen + len(d.UserData)
	b = appendChunkHeader(b, ChunkIData, d.Flags(), n)
	b = binary.BigEndian.AppendUint32(b, d.TSN)
	b = binary.BigEndian.AppendUint16(b, d.StreamID)
	b = append(b, 0, 0) // reserved
	b = binary.BigEndian.AppendUint32(b, d.MID)
	if d.Beginning {
		b = binary.BigEndian.AppendUint32(b, d.PPID)
	} else {
		b = binary.BigEndian.AppendUint32(b, d.FSN)
	}
	b = append(b, d.UserData...)
	return appendPadding(b, n)
}
