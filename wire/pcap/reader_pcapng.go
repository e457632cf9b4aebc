package pcap

import (
	"encoding/binary"
	"io"
	"math/bits"
	"time"

	"github.com/sconnlab/sconn/wire"
)

func (r *Reader) nextPcapNG() (Packet, error) {
	for {
		start := r.off
		var h [12]byte
		n, err := r.fill(h[:8])
		if err != nil {
			if err == io.EOF {
				return Packet{}, io.EOF
			}
			return Packet{}, r.ioError(err, start, "block header", n, 8)
		}
		if binary.BigEndian.Uint32(h[:]) == blockSHB {
			if err := r.readSHB(start, h[:]); err != nil {
				return Packet{}, err
			}
			continue
		}
		if r.order == nil {
			// Cannot happen: NewReader saw the SHB magic first.
			return Packet{}, r.errorf(ErrCorrupt, start, "block before section header")
		}
		typ := r.order.Uint32(h[0:])
		length := r.order.Uint32(h[4:])
		if length < 12 || length%4 != 0 || length > maxFrameLen {
			return Packet{}, r.errorf(ErrCorrupt, start, "block type %#x has bad length %d", typ, length)
		}
		var body []byte
		switch typ {
		case blockIDB, blockEPB, blockSPB, blockPB:
			body, err = r.readBuf(int(length) - 8)
			if err != nil {
				return Packet{}, r.ioError(err, start, "block", 8+len(body), int(length))
			}
		default:
			want := int(length) - 12
			d, err := r.br.Discard(want)
			r.off += int64(d)
			if err != nil {
				return Packet{}, r.ioError(err, start, "block", 8+d, int(length))
			}
			body, err = r.readBuf(4)
			if err != nil {
				return Packet{}, r.ioError(err, start, "block", 8+d+len(body), int(length))
			}
		}
		if trailer := r.order.Uint32(body[len(body)-4:]); trailer != length {
			return Packet{}, r.errorf(ErrCorrupt, start, "block length %d does not match trailer %d", length, trailer)
		}
		body = body[:len(body)-4]
		switch typ {
		case blockIDB:
			if err := r.readIDB(start, body); err != nil {
				return Packet{}, err
			}
			continue
		case blockEPB, blockPB, blockSPB:
		default:
			continue
		}

		var ifc *iface
		var ts uint64
		var data, opts []byte
		hasTime := typ != blockSPB
		if typ == blockSPB {
			if len(body) < 4 {
				return Packet{}, r.errorf(ErrCorrupt, start, "simple packet block too short")
			}
			if len(r.ifaces) == 0 {
				return Packet{}, r.errorf(ErrCorrupt, start, "simple packet block without interface")
			}
			ifc = &r.ifaces[0]
			caplen := uint64(r.order.Uint32(body))
			data = body[4:]
			if ifc.snaplen != 0 {
				caplen = min(caplen, uint64(ifc.snaplen))
			}
			if caplen < uint64(len(data)) {
				data = data[:caplen]
			}
		} else {
			if len(body) < 20 {
				return Packet{}, r.errorf(ErrCorrupt, start, "packet block too short")
			}
			var id uint32
			if typ == blockEPB {
				id = r.order.Uint32(body)
			} else {
				id = uint32(r.order.Uint16(body))
			}
			if id >= uint32(len(r.ifaces)) {
				return Packet{}, r.errorf(ErrCorrupt, start, "packet block for undefined interface %d", id)
			}
			ifc = &r.ifaces[id]
			ts = uint64(r.order.Uint32(body[4:]))<<32 | uint64(r.order.Uint32(body[8:]))
			caplen := r.order.Uint32(body[12:])
			if uint64(caplen) > uint64(len(body)-20) {
				return Packet{}, r.errorf(ErrCorrupt, start, "captured length %d exceeds block", caplen)
			}
			data = body[20 : 20+caplen]
			opts = body[min(len(body), 20+pad4(int(caplen))):]
		}
		r.frame++
		p := Packet{Frame: r.frame}
		if hasTime {
			p.Time = ifc.time(ts)
		}
		if !r.decode(ifc.linkType, data, &p) {
			r.skipped++
			continue
		}
		// epb_flags (and pack_flags of the obsolete block): bits 0-1 are
		// the direction, 01 inbound and 10 outbound.
		if v, ok := r.option(opts, 2); ok && len(v) == 4 {
			switch r.order.Uint32(v) & 3 {
			case 1:
				p.Dir = wire.Inbound
			case 2:
				p.Dir = wire.Outbound
			}
		}
		return p, nil
	}
}

func pad4(n int) int { return (n + 3) &^ 3 }

// readSHB reads the rest of a section header block whose first 8 bytes are
// in h (which has room for 12).
func (r *Reader) readSHB(start int64, h []byte) error {
	n, err := r.fill(h[8:12])
	if err != nil {
		return r.ioError(err, start, "section header block", 8+n, 12)
	}
	switch binary.BigEndian.Uint32(h[8:]) {
	case 0x1a2b3c4d:
		r.order = binary.BigEndian
	case 0x4d3c2b1a:
		r.order = binary.LittleEndian
	default:
		return r.errorf(ErrCorrupt, start, "section header block has bad byte-order magic %x", h[8:12])
	}
	length := r.order.Uint32(h[4:])
	if length < 28 || length%4 != 0 || length > maxFrameLen {
		return r.errorf(ErrCorrupt, start, "section header block has bad length %d", length)
	}
	body, err := r.readBuf(int(length) - 12)
	if err != nil {
		return r.ioError(err, start, "section header block", 12+len(body), int(length))
	}
	if trailer := r.order.Uint32(body[len(body)-4:]); trailer != length {
		return r.errorf(ErrCorrupt, start, "block length %d does not match trailer %d", length, trailer)
	}
	if major := r.order.Uint16(body); major != 1 {
		return r.errorf(ErrFormat, start, "pcapng version %d.%d", major, r.order.Uint16(body[2:]))
	}
	r.ifaces = r.ifaces[:0]
	return nil
}

func (r *Reader) readIDB(start int64, body []byte) error {
	if len(body) < 8 {
		return r.errorf(ErrCorrupt, start, "interface description block too short")
	}
	f := iface{
		linkType: uint32(r.order.Uint16(body)),
		snaplen:  r.order.Uint32(body[4:]),
		tsresol:  6,
	}
	if v, ok := r.option(body[8:], 9); ok && len(v) >= 1 {
		f.tsresol = v[0]
		if (f.tsresol&0x80 == 0 && f.tsresol > 19) || f.tsresol&0x7f > 63 {
			return r.errorf(ErrCorrupt, start, "unsupported if_tsresol %#x", f.tsresol)
		}
	}
	if v, ok := r.option(body[8:], 14); ok && len(v) == 8 {
		f.tsoffset = int64(r.order.Uint64(v))
	}
	r.ifaces = append(r.ifaces, f)
	return nil
}

// option returns the value of the first option with the given code in a
// pcapng option list. A malformed list ends the search.
func (r *Reader) option(opts []byte, code uint16) ([]byte, bool) {
	for len(opts) >= 4 {
		c := r.order.Uint16(opts)
		l := int(r.order.Uint16(opts[2:]))
		if c == 0 || 4+l > len(opts) {
			return nil, false
		}
		if c == code {
			return opts[4 : 4+l], true
		}
		opts = opts[min(len(opts), 4+pad4(l)):]
	}
	return nil, false
}

var pow10 = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

// time converts a timestamp in units of the interface's if_tsresol.
func (f *iface) time(ts uint64) time.Time {
	var sec, ns uint64
	if f.tsresol&0x80 == 0 {
		e := f.tsresol
		p := pow10[e]
		sec = ts / p
		if e <= 9 {
			ns = ts % p * pow10[9-e]
		} else {
			ns = ts % p / pow10[e-9]
		}
	} else {
		b := uint(f.tsresol & 0x7f)
		sec = ts >> b
		frac := ts & (1<<b - 1)
		hi, lo := bits.Mul64(frac, 1e9)
		ns = hi<<(64-b) | lo>>b
		if b == 0 {
			ns = 0
		}
	}
	return time.Unix(int64(sec)+f.tsoffset, int64(ns)).UTC()
}
