package drill

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/sconnlab/sconn/wire"
)

// Direction is the direction of a packet line, seen from the stack under
// test.
type Direction uint8

const (
	DirIn  Direction = iota + 1 // "<": injected into the stack
	DirOut                      // ">": expected from the stack
)

func (d Direction) String() string {
	if d == DirIn {
		return "<"
	}
	return ">"
}

// PacketSpec is a packet line: "< sctp: ..." or "> sctp(tag=1): ...".
type PacketSpec struct {
	Line   int
	Dir    Direction
	Tag    *uint32 // sctp(tag=N): the verification tag, as is
	BadCRC bool    // sctp(bad_crc32c): inject with a wrong checksum
	// ZeroCRC (sctp(zero_crc32c)) injects the packet with a checksum field
	// of zero, as a sender that may omit the checksum does (RFC 9653).
	ZeroCRC bool
	// LocalTag (sctp(local_tag)) injects the packet with the stack's own
	// live verification tag even when the first chunk has the T bit, to
	// check that a T bit with the receiver's own tag is discarded (RFC
	// 9260 §8.5.1).
	LocalTag bool
	Chunks   []*ChunkSpec
}

func (p *PacketSpec) String() string {
	var sb strings.Builder
	sb.WriteString(p.Dir.String())
	sb.WriteString(" sctp")
	var opts []string
	if p.Tag != nil {
		opts = append(opts, fmt.Sprintf("tag=%d", *p.Tag))
	}
	if p.BadCRC {
		opts = append(opts, "bad_crc32c")
	}
	if p.ZeroCRC {
		opts = append(opts, "zero_crc32c")
	}
	if p.LocalTag {
		opts = append(opts, "local_tag")
	}
	if len(opts) > 0 {
		sb.WriteString("(" + strings.Join(opts, ", ") + ")")
	}
	sb.WriteString(": ")
	for i, c := range p.Chunks {
		if i > 0 {
			sb.WriteString("; ")
		}
		sb.WriteString(c.Src)
	}
	return sb.String()
}

// numKind says whether a numeric field is absent, a wildcard or a value.
type numKind uint8

const (
	numOmit numKind = iota // not written: a default when injecting, not checked when expecting
	numAny                 // "...": any value
	numVal                 // a value
)

// Num is a numeric field of a chunk, parameter or cause.
type Num struct {
	Kind numKind
	V    uint64
}

func (n Num) set() bool { return n.Kind == numVal }

// Bytes is a byte-string field (val=[...], info=..., a host name).
type Bytes struct {
	Kind numKind
	B    []byte
}

// NumList is a list field (dups=[...], types=[...], sids=[...]).
type NumList struct {
	Kind numKind
	V    []uint64
}

// BlockList is a list of ranges (gaps=[2:3, 5:5], ids=[sid:ssn]).
type BlockList struct {
	Kind numKind
	V    [][2]uint64
}

// ChunkSpec is one chunk of a packet line.
type ChunkSpec struct {
	Line   int
	Src    string // the chunk as written, normalised
	Name   string // DATA, INIT, ..., CHUNK
	Type   wire.ChunkType
	Flags  Num
	Len    Num
	Fields map[string]Num // the other numeric fields by their script name
	Val    Bytes          // val=[...] of CHUNK, COOKIE_ECHO, DATA, I_DATA, PAD
	Gaps   BlockList      // SACK, NR_SACK
	NRGaps BlockList      // NR_SACK
	Dups   NumList        // SACK, NR_SACK
	IDs    BlockList      // FORWARD_TSN, I_FORWARD_TSN
	Items  []*ItemSpec    // parameters or error causes, "..." entries included
}

// ItemSpec is a parameter or an error cause, or a "..." entry standing
// for any number of them.
type ItemSpec struct {
	Line    int
	Src     string
	Wild    bool // "..."
	Name    string
	IsCause bool
	Code    uint16 // parameter type or cause code
	Len     Num
	Fields  map[string]Num
	Val     Bytes // val=, info=, HOSTNAME_ADDRESS addr=
	Addr    *netip.Addr
	AddrAny bool
	Types   NumList
	Sub     []*ItemSpec // params=[...], param=X, addrs=[...]
	SubAny  bool
	Chunk   *ChunkSpec // chk=CHUNK[...]
}
