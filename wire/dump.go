package wire

import (
	"io"
	"strconv"
	"time"
)

// Direction says whether a packet was received or sent by the local stack.
// It is the first character of a usrsctp text2pcap dump line.
type Direction uint8

// Packet directions. The zero Direction means unknown.
const (
	Inbound  Direction = 'I' // received by the local stack
	Outbound Direction = 'O' // sent by the local stack
)

// String returns "inbound", "outbound", "unknown" for the zero Direction, or
// "Direction(n)" for any other value.
func (d Direction) String() string {
	switch d {
	case Inbound:
		return "inbound"
	case Outbound:
		return "outbound"
	case 0:
		return "unknown"
	}
	return "Direction(" + strconv.Itoa(int(d)) + ")"
}

const (
	dumpHeader  = " 0000 "
	dumpTrailer = "# SCTP_PACKET\n"
	dumpHexDigs = "0123456789abcdef"
)

// DumpLen returns the number of bytes Dump and AppendDump produce for an SCTP
// packet of n bytes.
func DumpLen(n int) int {
	// "\n" + "O " + "HH:MM:SS.uuuuuu" + " 0000 " + n*"xx " + trailer
	return 1 + 2 + 15 + len(dumpHeader) + 3*n + len(dumpTrailer)
}

// AppendDump appends pkt to dst as one line of usrsctp's text2pcap dump
// format, exactly as usrsctp_dumppacket prints it, and returns the extended
// buffer:
//
//	"\nO 13:04:05.000123 0000 13 88 13 88 ... # SCTP_PACKET\n"
//
// The line starts with a newline, then the direction character ('O' for
// Outbound, 'I' for anything else, as usrsctp only knows the two), the wall
// clock time of t in t's own location with microseconds, the offset "0000",
// and every byte as two lowercase hex digits followed by a space. Such lines,
// collected from a log, are turned into a capture file by
//
//	text2pcap -n -l 248 -D -t "%H:%M:%S." dump.txt dump.pcapng
//
// and are read directly by the package github.com/sconnlab/sconn/wire/pcap.
// AppendDump does not allocate when dst has room for DumpLen(len(pkt)) more
// bytes.
func AppendDump(dst []byte, dir Direction, t time.Time, pkt []byte) []byte {
	c := byte('I')
	if dir == Outbound {
		c = 'O'
	}
	hh, mm, ss := t.Clock()
	us := t.Nanosecond() / 1000
	dst = append(dst, '\n', c, ' ',
		byte('0'+hh/10), byte('0'+hh%10), ':',
		byte('0'+mm/10), byte('0'+mm%10), ':',
		byte('0'+ss/10), byte('0'+ss%10), '.',
		byte('0'+us/100000), byte('0'+us/10000%10), byte('0'+us/1000%10),
		byte('0'+us/100%10), byte('0'+us/10%10), byte('0'+us%10))
	dst = append(dst, dumpHeader...)
	for _, b := range pkt {
		dst = append(dst, dumpHexDigs[b>>4], dumpHexDigs[b&0x0f], ' ')
	}
	return append(dst, dumpTrailer...)
}

// Dump writes pkt to w as one line of usrsctp's text2pcap dump format; see
// AppendDump for the format. It issues a single Write call.
func Dump(w io.Writer, dir Direction, t time.Time, pkt []byte) error {
	buf := AppendDump(make([]byte, 0, DumpLen(len(pkt))), dir, t, pkt)
	_, err := w.Write(buf)
	return err
}
