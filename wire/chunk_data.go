package wire

import "encoding/binary"

// Flags of DATA and I-DATA chunks (RFC 9260 §3.3.1, RFC 8260 §2.1).
const (
	FlagEnding    uint8 = 0x01 // E: last fragment of a user message
	FlagBeginning uint8 = 0x02 // B: first fragment of a user message
	FlagUnordered uint8 = 0x04 // U: unordered user message
	FlagImmediate uint8 = 0x08 // I: the receiver should SACK at once (RFC 9260 §3.3.1, ex RFC 7053)
)

// DataHeaderLen is the length of a DATA chunk without user data.
const DataHeaderLen = 16

// Data is a DATA chunk (RFC 9260 §3.3.1). A decoded Data's UserData points
// into the packet.
type Data struct {
	TSN       uint32
	StreamID  uint16
	SSN       uint16
	PPID      uint32
	Unordered bool
	Beginning bool
	Ending    bool
	Immediate bool
	UserData  []byte
}

// DecodeData decodes a DATA chunk. A chunk with no user data (length 16) is
// returned without error: RFC 9260 §6.2 has the receiver answer it with an
// ABORT carrying a No User Data cause, which is the engine's decision.
func DecodeData(c Chunk) (Data, error) {
	if err := c.check(ChunkData, DataHeaderLen); err != nil {
		return Data{}, err
	}
	v := c.b[ChunkHeaderLen:]
	f := c.b[1]
	return Data{
		TSN:       binary.BigEndian.Uint32(v[0:4]),
		StreamID:  binary.BigEndian.Uint16(v[4:6]),
		SSN:       binary.BigEndian.Uint16(v[6:8]),
		PPID:      binary.BigEndian.Uint32(v[8:12]),
		Unordered: f&FlagUnordered != 0,
		Beginning: f&FlagBeginning != 0,
		Ending:    f&FlagEnding != 0,
		Immediate: f&FlagImmediate != 0,
		UserData:  v[12:],
	}, nil
}

// Flags returns the chunk flags byte for d.
func (d *Data) Flags() uint8 { return dataFlags(d.Unordered, d.Beginning, d.Ending, d.Immediate) }

func dataFlags(u, b, e, i bool) uint8 {
	var f uint8
	if e {
		f |= FlagEnding
	}
	if b {
		f |= FlagBeginning
	}
	if u {
		f |= FlagUnordered
	}
	if i {
		f |= FlagImmediate
	}
	return f
}

// ChunkType implements Encoder.
func (d *Data) ChunkType() ChunkType { return ChunkData }

// EncodedLen implements Encoder.
func (d *Data) EncodedLen() int { return pad4(DataHeaderLen + len(d.UserData)) }

// Append implements Encoder.
func (d *Data) Append(b []byte) []byte {
	n := DataHeaderLen + len(d.UserData)
	b = appendChunkHeader(b, ChunkData, d.Flags(), n)
	b = binary.BigEndian.AppendUint32(b, d.TSN)
	b = binary.BigEndian.AppendUint16(b, d.StreamID)
	b = binary.BigEndian.AppendUint16(b, d.SSN)
	b = binary.BigEndian.AppendUint32(b, d.PPID)
	b = append(b, d.UserData...)
	return appendPadding(b, n)
}
