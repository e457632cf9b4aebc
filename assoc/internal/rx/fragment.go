package rx

import "github.com/sconnlab/sconn/wire"

// Fragment is one DATA (RFC 9260 §3.3.1) or I-DATA (RFC 8260 §2.1) chunk as
// the receive side sees it. Payload may point into the packet: Reassembly
// copies it and keeps no reference.
type Fragment struct {
	TSN    uint32
	Stream uint16
	SSN    uint16 // DATA only
	MID    uint32 // I-DATA only: Message Identifier
	FSN    uint32 // I-DATA only: Fragment Sequence Number (0 when Beginning)
	PPID   uint32 // DATA: every fragment; I-DATA: only the Beginning one
	IData  bool   // the fragment came in an I-DATA chunk

	Unordered bool // U
	Beginning bool // B
	Ending    bool // E
	Immediate bool // I (RFC 9260 §3.3.1): SACK without delay

	Payload []byte
}

// DataFragment returns the Fragment of a decoded DATA chunk.
func DataFragment(d *wire.Data) Fragment {
	return Fragment{
		TSN: d.TSN, Stream: d.StreamID, SSN: d.SSN, PPID: d.PPID,
		Unordered: d.Unordered, Beginning: d.Beginning, Ending: d.Ending, Immediate: d.Immediate,
		Payload: d.UserData,
	}
}

// IDataFragment returns the Fragment of a decoded I-DATA chunk.
func IDataFragment(d *wire.IData) Fragment {
	f := Fragment{
		TSN: d.TSN, Stream: d.StreamID, MID: d.MID, FSN: d.FSN, PPID: d.PPID, IData: true,
		Unordered: d.Unordered, Beginning: d.Beginning, Ending: d.Ending, Immediate: d.Immediate,
		Payload: d.UserData,
	}
	if f.Beginning {
		f.FSN = 0 // RFC 8260 §2.1: the FSN of a B fragment is implicitly 0
	}
	return f
}

// ValidateFragment applies the per-chunk checks the engine answers with a
// control chunk: a chunk without user data is ErrNoUserData (ABORT with No
// User Data, RFC 9260 §6.2); a stream at or beyond inboundStreams is a
// *StreamError (acknowledge, ERROR with Invalid Stream Identifier, discard,
// §6.5). The first check wins.
func ValidateFragment(f *Fragment, inboundStreams uint16) error {
	if len(f.Payload) == 0 {
		return ErrNoUserData
	}
	if f.Stream >= inboundStreams {
		return &StreamError{TSN: f.TSN, Stream: f.Stream, InboundStreams: inboundStreams}
	}
	return nil
}
