package main

import (
	"encoding/hex"
	"strconv"
	"unicode/utf8"
)

// jsonWriter appends one JSON value to a byte slice with its keys in the
// order they are written (encoding/json would sort map keys and needs a
// struct per chunk type). Every value method writes the separating comma
// itself, so objects and arrays nest without bookkeeping by the caller:
//
//	w.open('{'); w.key("a"); w.uint(1); w.key("b"); w.open('['); w.uint(2); w.close(']'); w.close('}')
type jsonWriter struct {
	b    []byte
	more bool // a value was written at this level: the next one needs a comma
}

func (w *jsonWriter) sep() {
	if w.more {
		w.b = append(w.b, ',')
	}
	w.more = false
}

func (w *jsonWriter) open(c byte) {
	w.sep()
	w.b = append(w.b, c)
}

func (w *jsonWriter) close(c byte) {
	w.b = append(w.b, c)
	w.more = true
}

func (w *jsonWriter) key(k string) {
	w.sep()
	w.b = appendJSONString(w.b, k)
	w.b = append(w.b, ':')
}

func (w *jsonWriter) uint(v uint64) {
	w.sep()
	w.b = strconv.AppendUint(w.b, v, 10)
	w.more = true
}

func (w *jsonWriter) int(v int) {
	w.sep()
	w.b = strconv.AppendInt(w.b, int64(v), 10)
	w.more = true
}

func (w *jsonWriter) bool(v bool) {
	w.sep()
	w.b = strconv.AppendBool(w.b, v)
	w.more = true
}

func (w *jsonWriter) str(s string) {
	w.sep()
	w.b = appendJSONString(w.b, s)
	w.more = true
}

func (w *jsonWriter) null() {
	w.sep()
	w.b = append(w.b, "null"...)
	w.more = true
}

// hex writes b as a string of lower-case hex digits.
func (w *jsonWriter) hex(b []byte) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = hex.AppendEncode(w.b, b)
	w.b = append(w.b, '"')
	w.more = true
}

// Shorthands for "key": value.
func (w *jsonWriter) kUint(k string, v uint64) { w.key(k); w.uint(v) }
func (w *jsonWriter) kInt(k string, v int)     { w.key(k); w.int(v) }
func (w *jsonWriter) kBool(k string, v bool)   { w.key(k); w.bool(v) }
func (w *jsonWriter) kStr(k, v string)         { w.key(k); w.str(v) }
func (w *jsonWriter) kHex(k string, v []byte)  { w.key(k); w.hex(v) }

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, "\ufffd"...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}
