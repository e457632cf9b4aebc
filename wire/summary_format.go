package wire

import "strconv"

// sumAppendChunkTypes appends " [NAME,NAME,…]" for a list of chunk types.
func sumAppendChunkTypes(dst []byte, types []byte) []byte {
	dst = append(dst, " ["...)
	for i, t := range types {
		if i == summaryMaxList {
			break
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, ChunkType(t).String()...)
	}
	return sumAppendBracketEnd(dst, len(types))
}

// sumAppendStreamList appends " streams [1,2,3]", or " streams all" for an
// empty list (RFC 6525 §4.1: all streams).
func sumAppendStreamList(dst []byte, n int, at func(int) uint16) []byte {
	if n == 0 {
		return append(dst, " streams all"...)
	}
	dst = append(dst, " streams ["...)
	for i := range min(n, summaryMaxList) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendUint(dst, uint64(at(i)), 10)
	}
	return sumAppendBracketEnd(dst, n)
}

// sumAppendGaps appends label, the number of gap ack blocks and, if there are
// any, the blocks as start-end offsets.
func sumAppendGaps(dst []byte, label string, n int, at func(int) (uint16, uint16)) []byte {
	dst = sumAppendInt(dst, label, n)
	for i := range min(n, summaryMaxList) {
		dst = sumAppendListSep(dst, i)
		s, e := at(i)
		dst = strconv.AppendUint(dst, uint64(s), 10)
		dst = sumAppendUint(dst, "-", uint32(e))
	}
	return sumAppendListEnd(dst, n)
}

// sumAppendDups appends the number of duplicate TSNs and, if there are any, the
// TSNs.
func sumAppendDups(dst []byte, n int, at func(int) uint32) []byte {
	dst = sumAppendInt(dst, " dups ", n)
	for i := range min(n, summaryMaxList) {
		dst = sumAppendListSep(dst, i)
		dst = strconv.AppendUint(dst, uint64(at(i)), 10)
	}
	return sumAppendListEnd(dst, n)
}

// sumAppendListSep opens a " [" list before entry 0 and separates the others
// with commas.
func sumAppendListSep(dst []byte, i int) []byte {
	if i == 0 {
		return append(dst, " ["...)
	}
	return append(dst, ',')
}

// sumAppendListEnd closes a list of n entries opened by sumAppendListSep,
// noting the entries beyond summaryMaxList. An empty list was not opened and
// is not closed.
func sumAppendListEnd(dst []byte, n int) []byte {
	if n == 0 {
		return dst
	}
	return sumAppendBracketEnd(dst, n)
}

// sumAppendBracketEnd closes a list of n entries opened with " [" by hand,
// noting the entries beyond summaryMaxList.
func sumAppendBracketEnd(dst []byte, n int) []byte {
	if n > summaryMaxList {
		dst = sumAppendInt(dst, ",... ", n-summaryMaxList)
		dst = append(dst, " more"...)
	}
	return append(dst, ']')
}

// sumAppendDataFlags appends " " and the letters of the U, B, E and I flags of
// a DATA or I-DATA chunk that are set, or nothing when none is.
func sumAppendDataFlags(dst []byte, f uint8) []byte {
	if f&(FlagUnordered|FlagBeginning|FlagEnding|FlagImmediate) == 0 {
		return dst
	}
	dst = append(dst, ' ')
	if f&FlagUnordered != 0 {
		dst = append(dst, 'U')
	}
	if f&FlagBeginning != 0 {
		dst = append(dst, 'B')
	}
	if f&FlagEnding != 0 {
		dst = append(dst, 'E')
	}
	if f&FlagImmediate != 0 {
		dst = append(dst, 'I')
	}
	return dst
}

// sumAppendHMACID appends an HMAC identifier (RFC 4895 §3.3) by name when it has
// one.
func sumAppendHMACID(dst []byte, id uint16) []byte {
	switch id {
	case 1:
		return append(dst, "SHA-1"...)
	case 3:
		return append(dst, "SHA-256"...)
	}
	return strconv.AppendUint(dst, uint64(id), 10)
}

func sumAppendUint(dst []byte, label string, v uint32) []byte {
	dst = append(dst, label...)
	return strconv.AppendUint(dst, uint64(v), 10)
}

func sumAppendInt(dst []byte, label string, v int) []byte {
	dst = append(dst, label...)
	return strconv.AppendInt(dst, int64(v), 10)
}

// sumAppendHex appends v in lower-case hex with at least digits digits.
func sumAppendHex(dst []byte, v uint64, digits int) []byte {
	const hexDigits = "0123456789abcdef"
	n := 1
	for x := v >> 4; x != 0; x >>= 4 {
		n++
	}
	for ; digits > n; digits-- {
		dst = append(dst, '0')
	}
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return dst
}

func sumTruncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
