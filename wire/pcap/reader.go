package pcap

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// Errors returned by Reader and Writer, wrapped with context; test for them
// with errors.Is. Errors from Reader.Next name the frame number and the byte
// offset of the record, block or line at which the problem was found.
var (
	// ErrFormat means the input is neither pcap, pcapng nor a text2pcap
	// dump, or uses an unsupported version of one of them.
	ErrFormat = errors.New("pcap: unrecognized file format")
	// ErrTruncated means the input ends in the middle of a header, block,
	// record or dump line.
	ErrTruncated = errors.New("pcap: truncated file")
	// ErrCorrupt means a structure in the file is inconsistent, for example
	// a block length that does not match its trailer.
	ErrCorrupt = errors.New("pcap: corrupt file")
	// ErrLinkType is returned by NewReader for a classic pcap file whose
	// link type is not supported. (Packets on pcapng interfaces with an
	// unsupported link type are skipped instead.)
	ErrLinkType = errors.New("pcap: unsupported link type")
	// ErrTooLarge is returned by Writer.WritePacket for a packet that does
	// not fit into an IP datagram.
	ErrTooLarge = errors.New("pcap: packet too large")
	// ErrTime is returned by Writer.WritePacket for a time that a classic
	// pcap file cannot represent.
	ErrTime = errors.New("pcap: time out of range")
)

// Link types (LINKTYPE_* values of the pcap and pcapng formats).
const (
	LinkTypeNull      = 0   // BSD loopback: 4-byte address family, host byte order
	LinkTypeEthernet  = 1   // Ethernet II, optionally with VLAN tags
	LinkTypeRaw       = 101 // raw IPv4 or IPv6
	LinkTypeLoop      = 108 // OpenBSD loopback: 4-byte address family, network byte order
	LinkTypeLinuxSLL  = 113 // Linux cooked capture v1
	LinkTypeIPv4      = 228 // raw IPv4
	LinkTypeIPv6      = 229 // raw IPv6
	LinkTypeSCTP      = 248 // SCTP packet without any lower-layer header
	LinkTypeLinuxSLL2 = 276 // Linux cooked capture v2
)

// Packet is one SCTP packet read from a capture file.
type Packet struct {
	// Time is the capture time. Times from text2pcap dumps have no date
	// and are returned on 1970-01-01 UTC; simple packet blocks of pcapng
	// have no time and return the zero Time. Other times are in UTC.
	Time time.Time
	// Data is the SCTP packet from the common header onwards. It is
	// shorter than the packet was on the wire if the capture's snapshot
	// length cut it. Data is freshly allocated; the caller may keep it.
	Data []byte
	// Src and Dst are the IP addresses, or the zero Addr when the file
	// does not record them (link type 248, text2pcap dumps).
	Src, Dst netip.Addr
	// SrcPort and DstPort are the UDP ports when UDP is true.
	SrcPort, DstPort uint16
	// UDP reports that the packet was encapsulated in UDP (RFC 6951).
	UDP bool
	// Dir is the direction, known only from text2pcap dumps (and from the
	// epb_flags option that "text2pcap -D" writes to pcapng files); it
	// is 0 otherwise.
	Dir wire.Direction
	// Frame is the 1-based frame number in the file, counted as tshark
	// counts them, that is including frames skipped because they carry
	// no SCTP.
	Frame int
}

// DefaultUDPPort is the UDP port registered for SCTP over UDP (RFC 6951).
const DefaultUDPPort = 9899

// heuristicPort is the SCTP port both ends of a mediasoup PlainTransport
// (and WebRTC data channels generally) use.
const heuristicPort = 5000

// ReaderOptions configures a Reader.
type ReaderOptions struct {
	// UDPPorts lists the UDP ports that carry SCTP: a UDP datagram whose
	// source or destination port is in the list is decoded as SCTP. nil
	// means the default, DefaultUDPPort (9899, RFC 6951); an empty non-nil
	// slice means no port.
	UDPPorts []uint16
	// NoHeuristic turns off the heuristic that by default treats any UDP
	// payload of at least 12 bytes whose first four bytes are SCTP source
	// and destination port 5000 (the mediasoup PlainTransport convention)
	// as SCTP, whatever the UDP ports.
	NoHeuristic bool
}

type format uint8

const (
	formatPcap format = iota + 1
	formatPcapNG
	formatText
)

const (
	bufSize     = 64 << 10
	maxFrameLen = 64 << 20 // larger records or blocks are treated as corruption
	maxLineLen  = 1 << 20  // longest text2pcap line accepted
)

// pcapng block types.
const (
	blockSHB = 0x0A0D0D0A
	blockIDB = 1
	blockPB  = 2 // obsolete packet block
	blockSPB = 3
	blockEPB = 6
)

type iface struct {
	linkType uint32
	snaplen  uint32
	tsresol  uint8
	tsoffset int64
}

// Reader reads SCTP packets from a pcap, pcapng or text2pcap dump file.
// Create one with NewReader.
type Reader struct {
	br      *bufio.Reader
	ports   []uint16
	heur    bool
	format  format
	off     int64 // bytes consumed from br
	frame   int   // frames read so far
	skipped int
	err     error // sticky error

	// classic pcap
	order    binary.ByteOrder
	nano     bool
	modified bool
	linkType uint32

	// pcapng
	ifaces []iface

	buf  []byte
	line []byte
}

// NewReader returns a Reader that reads from r, detecting the file format
// from its first bytes. It reads the file header of a classic pcap file and
// returns an error wrapping ErrFormat if the format is not recognized,
// ErrTruncated if the header is incomplete and ErrLinkType for a classic
// pcap file whose link type is not supported.
func NewReader(r io.Reader, opts ReaderOptions) (*Reader, error) {
	rd := &Reader{
		br:    bufio.NewReaderSize(r, bufSize),
		ports: opts.UDPPorts,
		heur:  !opts.NoHeuristic,
	}
	if rd.ports == nil {
		rd.ports = []uint16{DefaultUDPPort}
	}
	magic, err := rd.br.Peek(4)
	if len(magic) == 0 {
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("pcap: reading file header: %w", err)
		}
		return nil, fmt.Errorf("%w: empty input", ErrFormat)
	}
	if len(magic) == 4 {
		be := binary.BigEndian.Uint32(magic)
		le := binary.LittleEndian.Uint32(magic)
		switch {
		case be == blockSHB:
			rd.format = formatPcapNG
			return rd, nil
		case isPcapMagic(be):
			rd.order = binary.BigEndian
			return rd, rd.readPcapHeader(be)
		case isPcapMagic(le):
			rd.order = binary.LittleEndian
			return rd, rd.readPcapHeader(le)
		}
	}
	if rd.looksLikeText() {
		rd.format = formatText
		return rd, nil
	}
	return nil, ErrFormat
}

const (
	magicMicro    = 0xa1b2c3d4
	magicNano     = 0xa1b23c4d
	magicModified = 0xa1b2cd34
)

// looksLikeText reports whether the buffered input starts like a text2pcap
// dump of usrsctp: optional white space, then "I " or "O " and a time. As a
// fallback for dumps whose lines carry a log prefix, it also accepts input
// whose first 64 KiB contain the "# SCTP_PACKET" trailer.
func (r *Reader) looksLikeText() bool {
	for n := 64; ; n *= 2 {
		n = min(n, bufSize)
		b, err := r.br.Peek(n)
		rest := bytes.TrimLeft(b, " \t\r\n")
		if len(rest) >= 5 || err != nil || n == bufSize {
			if isDumpStart(rest) {
				return true
			}
			break
		}
	}
	b, _ := r.br.Peek(bufSize)
	return bytes.Contains(b, []byte(textTrailer))
}

// isDumpStart reports whether b starts with "I dd:" or "O dd:".
func isDumpStart(b []byte) bool {
	return len(b) >= 5 && (b[0] == 'I' || b[0] == 'O') && b[1] == ' ' &&
		isDigit(b[2]) && isDigit(b[3]) && b[4] == ':'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func supportedLinkType(lt uint32) bool {
	switch lt {
	case LinkTypeNull, LinkTypeEthernet, LinkTypeRaw, 12, 14, LinkTypeLoop,
		LinkTypeLinuxSLL, LinkTypeIPv4, LinkTypeIPv6, LinkTypeSCTP, LinkTypeLinuxSLL2:
		return true
	}
	return false
}

// Skipped returns the number of frames read so far that carried no SCTP
// packet and were skipped.
func (r *Reader) Skipped() int { return r.skipped }

// Next returns the next SCTP packet. It returns io.EOF at the end of the
// input, and an error wrapping ErrTruncated or ErrCorrupt, naming the frame
// number and byte offset, if the file is damaged. After an error, Next keeps
// returning the same error.
func (r *Reader) Next() (Packet, error) {
	if r.err != nil {
		return Packet{}, r.err
	}
	var p Packet
	var err error
	switch r.format {
	case formatPcap:
		p, err = r.nextPcap()
	case formatPcapNG:
		p, err = r.nextPcapNG()
	case formatText:
		p, err = r.nextText()
	default:
		err = ErrFormat
	}
	if err != nil {
		r.err = err
		return Packet{}, err
	}
	p.Data = bytes.Clone(p.Data)
	return p, nil
}

// fill reads len(dst) bytes like io.ReadFull, counting them.
func (r *Reader) fill(dst []byte) (int, error) {
	n, err := io.ReadFull(r.br, dst)
	r.off += int64(n)
	return n, err
}

// readBuf reads n bytes into r.buf, growing it only as data arrives so that
// a bogus length in a truncated file cannot cause a huge allocation.
func (r *Reader) readBuf(n int) ([]byte, error) {
	r.buf = r.buf[:0]
	for len(r.buf) < n {
		c := min(n-len(r.buf), bufSize)
		start := len(r.buf)
		r.buf = slices.Grow(r.buf, c)[:start+c]
		m, err := r.fill(r.buf[start:])
		if err != nil {
			r.buf = r.buf[:start+m]
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return r.buf, err
		}
	}
	return r.buf, nil
}

// errorf returns an error wrapping base that names the next frame number and
// the offset off.
func (r *Reader) errorf(base error, off int64, format string, args ...any) error {
	return fmt.Errorf("%w: frame %d at offset %d: %s", base, r.frame+1, off, fmt.Sprintf(format, args...))
}

// ioError converts an error from fill or readBuf into the error to return.
func (r *Reader) ioError(err error, off int64, what string, have, want int) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return r.errorf(ErrTruncated, off, "%s: have %d of %d bytes", what, have, want)
	}
	return fmt.Errorf("pcap: frame %d at offset %d: %s: %w", r.frame+1, off, what, err)
}
