package pcap

import (
	"bufio"
	"bytes"
	"io"
	"time"

	"github.com/sconnlab/sconn/wire"
)

const (
	textTrailer = "# SCTP_PACKET"
	textHeader  = " 0000 "
)

// readLine reads the next line into r.line, without the newline. eof reports
// that the line was not terminated by a newline. It returns io.EOF only when
// no bytes are left.
func (r *Reader) readLine() (line []byte, eof bool, err error) {
	r.line = r.line[:0]
	for {
		s, err := r.br.ReadSlice('\n')
		r.off += int64(len(s))
		r.line = append(r.line, s...)
		if len(r.line) > maxLineLen {
			return nil, false, r.errorf(ErrCorrupt, r.off-int64(len(r.line)), "line longer than %d bytes", maxLineLen)
		}
		switch err {
		case nil:
			return r.line[:len(r.line)-1], false, nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(r.line) == 0 {
				return nil, true, io.EOF
			}
			return r.line, true, nil
		}
		return nil, false, r.ioError(err, r.off-int64(len(r.line)), "line", len(r.line), len(r.line)+1)
	}
}

func (r *Reader) nextText() (Packet, error) {
	for {
		start := r.off
		line, eof, err := r.readLine()
		if err != nil {
			return Packet{}, err
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		m := bytes.Index(line, []byte(textTrailer))
		if m < 0 {
			if isDumpStart(bytes.TrimLeft(line, " \t")) {
				if eof {
					return Packet{}, r.errorf(ErrTruncated, start, "dump line without %q", textTrailer)
				}
				return Packet{}, r.errorf(ErrCorrupt, start, "dump line without %q", textTrailer)
			}
			continue // some other log line
		}
		p, msg := parseDumpLine(line[:m])
		if msg != "" {
			return Packet{}, r.errorf(ErrCorrupt, start, "%s", msg)
		}
		r.frame++
		p.Frame = r.frame
		if len(p.Data) == 0 {
			r.skipped++
			continue
		}
		return p, nil
	}
}

// parseDumpLine parses the part of a usrsctp dump line before the trailer:
// an optional log prefix, "I " or "O ", "HH:MM:SS.uuuuuu", " 0000 " and hex
// bytes. It returns a description of the problem if the line is malformed.
func parseDumpLine(line []byte) (Packet, string) {
	rest := line
	base := 0
	for {
		j := bytes.Index(rest, []byte(textHeader))
		if j < 0 {
			return Packet{}, "no direction, time and \"0000\" before " + textTrailer
		}
		if dir, t, ok := parseDumpPrefix(line[:base+j]); ok {
			data, ok := parseHex(line[base+j+len(textHeader):])
			if !ok {
				return Packet{}, "bad hex bytes"
			}
			return Packet{Time: t, Dir: dir, Data: data}, ""
		}
		base += j + 1
		rest = line[base:]
	}
}

// parseDumpPrefix parses "[prefix ]D HH:MM:SS.frac".
func parseDumpPrefix(b []byte) (wire.Direction, time.Time, bool) {
	k := bytes.LastIndexByte(b, ' ')
	if k < 1 || (k >= 2 && b[k-2] != ' ' && b[k-2] != '\t') {
		return 0, time.Time{}, false
	}
	var dir wire.Direction
	switch b[k-1] {
	case 'I':
		dir = wire.Inbound
	case 'O':
		dir = wire.Outbound
	default:
		return 0, time.Time{}, false
	}
	t, ok := parseClock(b[k+1:])
	return dir, t, ok
}

// parseClock parses "HH:MM:SS.f" with 1 to 9 fraction digits into a time on
// 1970-01-01 UTC.
func parseClock(b []byte) (time.Time, bool) {
	if len(b) < 10 || b[2] != ':' || b[5] != ':' || b[8] != '.' || len(b) > 18 {
		return time.Time{}, false
	}
	var v [3]int
	for i := range v {
		c0, c1 := b[3*i], b[3*i+1]
		if !isDigit(c0) || !isDigit(c1) {
			return time.Time{}, false
		}
		v[i] = int(c0-'0')*10 + int(c1-'0')
	}
	if v[0] > 23 || v[1] > 59 || v[2] > 60 {
		return time.Time{}, false
	}
	ns := 0
	frac := b[9:]
	for _, c := range frac {
		if !isDigit(c) {
			return time.Time{}, false
		}
		ns = ns*10 + int(c-'0')
	}
	for range 9 - len(frac) {
		ns *= 10
	}
	return time.Date(1970, 1, 1, v[0], v[1], v[2], ns, time.UTC), true
}

// parseHex parses bytes written as two hex digits each, separated by spaces
// or tabs.
func parseHex(b []byte) ([]byte, bool) {
	out := make([]byte, 0, len(b)/3+1)
	for i := 0; i < len(b); {
		if b[i] == ' ' || b[i] == '\t' {
			i++
			continue
		}
		if i+1 >= len(b) {
			return nil, false
		}
		hi, ok1 := unhex(b[i])
		lo, ok2 := unhex(b[i+1])
		if !ok1 || !ok2 || (i+2 < len(b) && b[i+2] != ' ' && b[i+2] != '\t') {
			return nil, false
		}
		out = append(out, hi<<4|lo)
		i += 2
	}
	return out, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
