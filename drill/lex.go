package drill

import (
	"fmt"
	"net/netip"
	"strings"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF      tokKind = iota
	tNum              // 12, 0x0c, 0.100 (Text keeps the spelling)
	tIdent            // SOCK_STREAM, INIT, srto_initial
	tString           // "a.b" (Text is the unquoted value)
	tCommand          // `sysctl -i ...` (Text is the command)
	tAddr             // 1.1.1.1, fe80::1 (Text is the address)
	tOption           // --tolerance_usecs=10000 (Text is "tolerance_usecs=10000")
	tEllipsis         // ...
	tPunct            // one of ( ) [ ] { } , ; = | < > : ~ * + -
)

func (k tokKind) String() string {
	switch k {
	case tEOF:
		return "end of file"
	case tNum:
		return "number"
	case tIdent:
		return "identifier"
	case tString:
		return "string"
	case tCommand:
		return "command"
	case tAddr:
		return "address"
	case tOption:
		return "option"
	case tEllipsis:
		return "'...'"
	default:
		return "punctuation"
	}
}

// token is one lexical token. Line is 1-based; First reports that the
// token is the first one on its line.
type token struct {
	Kind  tokKind
	Text  string
	Line  int
	First bool
}

func (t token) String() string {
	switch t.Kind {
	case tEOF:
		return "end of file"
	case tString:
		return fmt.Sprintf("%q", t.Text)
	case tCommand:
		return "`" + t.Text + "`"
	case tOption:
		return "--" + t.Text
	}
	return "'" + t.Text + "'"
}

func (t token) is(p string) bool { return t.Kind == tPunct && t.Text == p }

// lexer turns preprocessed script text into tokens on demand, so that the
// parser can take the free text of a result note ("(Operation now in
// progress)") raw.
type lexer struct {
	src       string
	pos       int
	line      int
	lastLine  int // line of the last token returned, for First
	peeked    *token
	peekedErr error
}

func newLexer(src string) *lexer { return &lexer{src: src, line: 1} }

// Error is a script error: a syntax error, an unsupported construct, or a
// failure while running. Line is 1-based (0 when unknown).
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	case e.File != "":
		return e.File + ": " + e.Msg
	}
	return e.Msg
}

func errf(line int, format string, args ...any) *Error {
	return &Error{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// unsupported builds the error for a construct the interpreter does not
// handle. Its message always starts with "unsupported: ".
func unsupported(line int, format string, args ...any) *Error {
	return &Error{Line: line, Msg: "unsupported: " + fmt.Sprintf(format, args...)}
}

func (lx *lexer) peek() (token, error) {
	if lx.peeked == nil {
		t, err := lx.scan()
		lx.peeked, lx.peekedErr = &t, err
	}
	return *lx.peeked, lx.peekedErr
}

func (lx *lexer) next() (token, error) {
	t, err := lx.peek()
	lx.peeked, lx.peekedErr = nil, nil
	return t, err
}

// rawUntilClose returns the text up to the ')' that closes a '(' the
// parser has just consumed (nesting counted), and moves past it. It must not
// be called with a token peeked.
func (lx *lexer) rawUntilClose(line int) (string, error) {
	depth := 1
	start := lx.pos
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch c {
		case '\n':
			lx.line++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				s := lx.src[start:lx.pos]
				lx.pos++
				return strings.TrimSpace(s), nil
			}
		}
		lx.pos++
	}
	return "", errf(line, "unterminated '('")
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentChar(c byte) bool { return isIdentStart(c) || isDigit(c) }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func (lx *lexer) atLineStart() bool {
	for i := lx.pos - 1; i >= 0; i-- {
		switch lx.src[i] {
		case ' ', '\t', '\r':
			continue
		case '\n':
			return true
		default:
			return false
		}
	}
	return true
}

func (lx *lexer) scan() (token, error) {
	// Skip white space and comments.
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if c == '\n' {
			lx.line++
			lx.pos++
			continue
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
			lx.pos++
			continue
		}
		if strings.HasPrefix(lx.src[lx.pos:], "//") {
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
				lx.pos++
			}
			continue
		}
		if strings.HasPrefix(lx.src[lx.pos:], "/*") {
			startLine := lx.line
			end := strings.Index(lx.src[lx.pos+2:], "*/")
			if end < 0 {
				return token{}, errf(startLine, "unterminated /* comment")
			}
			lx.line += strings.Count(lx.src[lx.pos:lx.pos+2+end], "\n")
			lx.pos += end + 4
			continue
		}
		break
	}
	mk := func(k tokKind, text string, line int) token {
		t := token{Kind: k, Text: text, Line: line, First: line != lx.lastLine}
		lx.lastLine = line
		return t
	}
	if lx.pos >= len(lx.src) {
		return token{Kind: tEOF, Line: lx.line}, nil
	}
	line := lx.line
	rest := lx.src[lx.pos:]
	c := rest[0]
	switch {
	case strings.HasPrefix(rest, "%{"):
		return token{}, unsupported(line, "inline Python code blocks (%%{ ... }%%)")
	case strings.HasPrefix(rest, "--") && lx.atLineStart():
		end := strings.IndexByte(rest, '\n')
		if end < 0 {
			end = len(rest)
		}
		text := rest[2:end]
		if i := strings.Index(text, "//"); i >= 0 {
			text = text[:i]
		}
		lx.pos += end
		return mk(tOption, strings.TrimSpace(text), line), nil
	case strings.HasPrefix(rest, "..."):
		lx.pos += 3
		return mk(tEllipsis, "...", line), nil
	case c == '`':
		end := strings.IndexByte(rest[1:], '`')
		if end < 0 {
			return token{}, errf(line, "unterminated backquoted command")
		}
		text := rest[1 : 1+end]
		lx.line += strings.Count(text, "\n")
		lx.pos += end + 2
		return mk(tCommand, text, line), nil
	case c == '"':
		var sb strings.Builder
		i := 1
		for ; i < len(rest) && rest[i] != '"'; i++ {
			ch := rest[i]
			if ch == '\n' {
				return token{}, errf(line, "unterminated string")
			}
			if ch == '\\' && i+1 < len(rest) {
				i++
				switch rest[i] {
				case 'n':
					ch = '\n'
				case 't':
					ch = '\t'
				case '0':
					ch = 0
				default:
					ch = rest[i]
				}
			}
			sb.WriteByte(ch)
		}
		if i >= len(rest) {
			return token{}, errf(line, "unterminated string")
		}
		lx.pos += i + 1
		return mk(tString, sb.String(), line), nil
	}
	if a, n := scanAddr(rest); n > 0 {
		lx.pos += n
		return mk(tAddr, a, line), nil
	}
	switch {
	case isDigit(c):
		i := 0
		if strings.HasPrefix(rest, "0x") || strings.HasPrefix(rest, "0X") {
			i = 2
			for i < len(rest) && isHex(rest[i]) {
				i++
			}
			if i == 2 {
				return token{}, errf(line, "malformed hexadecimal number %q", rest[:i])
			}
		} else {
			for i < len(rest) && isDigit(rest[i]) {
				i++
			}
			// A fraction, but not the start of "...".
			if i+1 < len(rest) && rest[i] == '.' && isDigit(rest[i+1]) {
				i++
				for i < len(rest) && isDigit(rest[i]) {
					i++
				}
			}
		}
		if i < len(rest) && isIdentStart(rest[i]) {
			j := i
			for j < len(rest) && isIdentChar(rest[j]) {
				j++
			}
			return token{}, errf(line, "malformed number %q", rest[:j])
		}
		lx.pos += i
		return mk(tNum, rest[:i], line), nil
	case c == '.' && len(rest) > 1 && isDigit(rest[1]):
		i := 1
		for i < len(rest) && isDigit(rest[i]) {
			i++
		}
		lx.pos += i
		return mk(tNum, "0"+rest[:i], line), nil
	case isIdentStart(c):
		i := 1
		for i < len(rest) && isIdentChar(rest[i]) {
			i++
		}
		lx.pos += i
		return mk(tIdent, rest[:i], line), nil
	case strings.IndexByte("()[]{},;=|<>:~*+-&!", c) >= 0:
		lx.pos++
		return mk(tPunct, string(c), line), nil
	case c == '#':
		return token{}, errf(line, "preprocessor directive in the middle of a line")
	}
	if c < 0x20 || c >= 0x7f {
		return token{}, errf(line, "unexpected character 0x%02x", c)
	}
	return token{}, errf(line, "unexpected character %q", c)
}

// scanAddr recognises an IPv4 address (a.b.c.d) or an IPv6 address with
// colons at the start of s, and returns it with the number of bytes used.
// Anything else, including gap blocks like "2:5", is not an address.
func scanAddr(s string) (string, int) {
	if len(s) == 0 || !(isHex(s[0]) || s[0] == ':') {
		return "", 0
	}
	i := 0
	dots, colons := 0, 0
	for i < len(s) && (isHex(s[i]) || s[i] == ':' || s[i] == '.') {
		switch s[i] {
		case '.':
			if i+1 < len(s) && s[i+1] == '.' { // "..." follows
				goto done
			}
			dots++
		case ':':
			colons++
		}
		i++
	}
done:
	if i < len(s) && (isIdentChar(s[i])) {
		return "", 0
	}
	cand := s[:i]
	switch {
	case colons == 0 && dots == 3:
		if a, err := netip.ParseAddr(cand); err == nil && a.Is4() {
			return cand, i
		}
	case colons >= 2 && (strings.Contains(cand, "::") || colons == 7):
		if a, err := netip.ParseAddr(cand); err == nil && a.Is6() {
			return cand, i
		}
	}
	return "", 0
}
