package pcap

import (
	"fmt"
	"io"
	"time"
)

func isPcapMagic(m uint32) bool {
	return m == magicMicro || m == magicNano || m == magicModified
}

func (r *Reader) readPcapHeader(magic uint32) error {
	var h [24]byte
	n, err := r.fill(h[:])
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return fmt.Errorf("%w: file header: have %d of 24 bytes", ErrTruncated, n)
		}
		return fmt.Errorf("pcap: reading file header: %w", err)
	}
	r.format = formatPcap
	r.nano = magic == magicNano
	r.modified = magic == magicModified
	if major := r.order.Uint16(h[4:]); major != 2 {
		return fmt.Errorf("%w: pcap version %d.%d", ErrFormat, major, r.order.Uint16(h[6:]))
	}
	r.linkType = r.order.Uint32(h[20:]) & 0xffff
	if !supportedLinkType(r.linkType) {
		return fmt.Errorf("%w: %d", ErrLinkType, r.linkType)
	}
	return nil
}

func (r *Reader) nextPcap() (Packet, error) {
	hlen := 16
	if r.modified {
		hlen = 24
	}
	for {
		start := r.off
		var h [24]byte
		n, err := r.fill(h[:hlen])
		if err != nil {
			if err == io.EOF {
				return Packet{}, io.EOF
			}
			return Packet{}, r.ioError(err, start, "record header", n, hlen)
		}
		sec := r.order.Uint32(h[0:])
		frac := int64(r.order.Uint32(h[4:]))
		incl := r.order.Uint32(h[8:])
		if incl > maxFrameLen {
			return Packet{}, r.errorf(ErrCorrupt, start, "captured length %d too large", incl)
		}
		data, err := r.readBuf(int(incl))
		if err != nil {
			return Packet{}, r.ioError(err, start, "record data", len(data), int(incl))
		}
		r.frame++
		if !r.nano {
			frac *= 1000
		}
		p := Packet{Time: time.Unix(int64(sec), frac).UTC(), Frame: r.frame}
		if r.decode(r.linkType, data, &p) {
			return p, nil
		}
		r.skipped++
	}
}
