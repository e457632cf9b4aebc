// Package wire holds SCTP's bytes and nothing else: the common header, CRC32c,
// every chunk, parameter and error cause of RFC 9260 and its extensions, and
// text2pcap dumps.
//
// Parsing is a view over the caller's buffer: ParsePacket checks the common
// header and the chunk layout once and returns a Packet whose chunks, typed
// chunk values and parameters point into the same bytes. Nothing is copied
// and walking a DATA or SACK packet does not allocate. A view is only valid
// while the caller keeps the buffer unchanged.
//
// Encoding appends: AppendHeader starts a packet, each typed chunk's Append
// method adds the chunk with its padding, and FinishPacket fills the CRC32c
// (or leaves zero, RFC 9653). Builder wraps the same steps with an MTU check.
//
// Nothing in this package panics on input. Every length is checked against
// the RFC minimum, and errors are *ParseError values that name the chunk,
// parameter or cause and the byte offset in the packet, and wrap one of the
// sentinel errors (ErrTooShort, ErrBadLength, ErrMalformed, ErrWrongType,
// ErrBadChecksum) for errors.Is.
package wire
