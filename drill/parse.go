package drill

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// ParseOptions configures the parser.
type ParseOptions struct {
	// Defined lists the symbols #ifdef tests as true. The zero value means
	// {"FreeBSD"}: usrsctp is the FreeBSD stack, so scripts' FreeBSD
	// branches describe its behaviour.
	Defined []string
}

func (o ParseOptions) defined() func(string) bool {
	d := o.Defined
	if d == nil {
		d = []string{"FreeBSD"}
	}
	return func(s string) bool {
		for _, x := range d {
			if x == s {
				return true
			}
		}
		return false
	}
}

// Parse parses a script. name is used in error messages. Every error is an
// *Error with the line number; constructs the interpreter does not handle
// give an error whose message starts with "unsupported: ". Parse never
// panics.
func Parse(name string, src []byte, opts ParseOptions) (s *Script, err error) {
	defer func() {
		if r := recover(); r != nil { // a bug, but never crash the caller
			s, err = nil, &Error{File: name, Msg: fmt.Sprintf("internal parser error: %v", r)}
		}
		if e, ok := err.(*Error); ok && e.File == "" {
			e.File = name
		}
	}()
	text, err := preprocess(string(src), opts.defined())
	if err != nil {
		return nil, err
	}
	p := &parser{lx: newLexer(text)}
	s = &Script{Name: name}
	for {
		t, err := p.lx.peek()
		if err != nil {
			return nil, err
		}
		if t.Kind == tEOF {
			break
		}
		if t.Kind == tOption {
			p.lx.next()
			if len(s.Events) > 0 {
				return nil, errf(t.Line, "option --%s after the first event", t.Text)
			}
			o := Option{Line: t.Line, Name: t.Text}
			if i := strings.IndexByte(t.Text, '='); i >= 0 {
				o.Name, o.Value = strings.TrimSpace(t.Text[:i]), strings.TrimSpace(t.Text[i+1:])
			}
			s.Options = append(s.Options, o)
			continue
		}
		ev, err := p.event()
		if err != nil {
			return nil, err
		}
		s.Events = append(s.Events, ev)
	}
	return s, nil
}

type parser struct {
	lx *lexer
}

func (p *parser) next() (token, error) { return p.lx.next() }
func (p *parser) peek() (token, error) { return p.lx.peek() }

func (p *parser) expect(punct string) (token, error) {
	t, err := p.next()
	if err != nil {
		return t, err
	}
	if !t.is(punct) {
		return t, errf(t.Line, "expected '%s', found %s", punct, t)
	}
	return t, nil
}

// accept consumes the punctuation punct if it comes next.
func (p *parser) accept(punct string) (bool, error) {
	t, err := p.peek()
	if err != nil {
		return false, err
	}
	if t.is(punct) {
		p.next()
		return true, nil
	}
	return false, nil
}

func (p *parser) event() (*Event, error) {
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	ev := &Event{Line: t.Line}
	if t.Kind != tCommand {
		ts, err := p.timeSpec()
		if err != nil {
			return nil, err
		}
		ev.Time = ts
	} else {
		ev.Time = TimeSpec{Kind: TimeRelative}
	}
	t, err = p.next()
	if err != nil {
		return nil, err
	}
	switch {
	case t.Kind == tCommand:
		ev.Kind, ev.Command = EventCommand, strings.TrimSpace(t.Text)
		return ev, nil
	case t.is("<") || t.is(">"):
		dir := DirIn
		if t.Text == ">" {
			dir = DirOut
		}
		ps, err := p.packet(t.Line, dir)
		if err != nil {
			return nil, err
		}
		ev.Kind, ev.Packet = EventPacket, ps
		return ev, nil
	case t.Kind == tIdent:
		sc, err := p.syscall(t)
		if err != nil {
			return nil, err
		}
		ev.Kind, ev.Call = EventSyscall, sc
		return ev, nil
	}
	return nil, errf(t.Line, "expected a system call, a packet or a command after the time, found %s", t)
}

func parseSeconds(line int, s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e6 || math.IsNaN(f) {
		return 0, errf(line, "bad time %q", s)
	}
	return time.Duration(math.Round(f*1e6)) * time.Microsecond, nil
}

// timeSpec parses "*", "0.1", "+0.1", "0.1~0.2", "+0.1~+0.2" or
// "0.1...0.2".
func (p *parser) timeSpec() (TimeSpec, error) {
	var ts TimeSpec
	t, err := p.next()
	if err != nil {
		return ts, err
	}
	if t.is("*") {
		ts.Kind = TimeAny
		return ts, nil
	}
	one := func(t token) (TimeKind, time.Duration, error) {
		k := TimeAbsolute
		if t.is("+") {
			k = TimeRelative
			var err error
			if t, err = p.next(); err != nil {
				return 0, 0, err
			}
		}
		if t.Kind != tNum {
			return 0, 0, errf(t.Line, "expected a time at the start of the line, found %s", t)
		}
		if strings.HasPrefix(t.Text, "0x") {
			return 0, 0, errf(t.Line, "bad time %q", t.Text)
		}
		d, err := parseSeconds(t.Line, t.Text)
		return k, d, err
	}
	if ts.Kind, ts.Start, err = one(t); err != nil {
		return ts, err
	}
	n, err := p.peek()
	if err != nil {
		return ts, err
	}
	if n.is("~") || (n.Kind == tEllipsis && !n.First) {
		p.next()
		ts.HasEnd, ts.Blocking = true, n.Kind == tEllipsis
		t, err := p.next()
		if err != nil {
			return ts, err
		}
		if ts.EndKind, ts.End, err = one(t); err != nil {
			return ts, err
		}
		if ts.Kind == TimeRelative && ts.EndKind == TimeAbsolute {
			ts.EndKind = TimeRelative
		}
		if ts.EndKind == ts.Kind && ts.End < ts.Start {
			return ts, errf(t.Line, "time range ends before it starts")
		}
	}
	return ts, nil
}

func (p *parser) packet(line int, dir Direction) (*PacketSpec, error) {
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	if t.Kind != tIdent {
		return nil, unsupported(t.Line, "packet of a protocol other than SCTP (found %s)", t)
	}
	switch t.Text {
	case "sctp":
	case "udp", "tcp", "icmp", "S", "F", "R", "P":
		return nil, unsupported(t.Line, "%s packets (only sctp packets are interpreted)", t.Text)
	default:
		return nil, unsupported(t.Line, "packet of a protocol other than SCTP (found %s)", t)
	}
	ps := &PacketSpec{Line: line, Dir: dir}
	if ok, err := p.accept("("); err != nil {
		return nil, err
	} else if ok {
		for {
			t, err := p.next()
			if err != nil {
				return nil, err
			}
			if t.is(")") {
				break
			}
			if t.is(",") {
				continue
			}
			if t.Kind != tIdent {
				return nil, errf(t.Line, "expected an sctp() option, found %s", t)
			}
			switch t.Text {
			case "bad_crc32c":
				ps.BadCRC = true
			case "tag":
				if _, err := p.expect("="); err != nil {
					return nil, err
				}
				v, err := p.next()
				if err != nil {
					return nil, err
				}
				if v.Kind != tNum {
					return nil, errf(v.Line, "sctp(tag=...) needs a number, found %s", v)
				}
				n, err := parseUint(v.Line, v.Text, 32)
				if err != nil {
					return nil, err
				}
				tag := uint32(n)
				ps.Tag = &tag
			default:
				return nil, unsupported(t.Line, "sctp(%s) packet option (only tag= and bad_crc32c)", t.Text)
			}
		}
	}
	if _, err := p.expect(":"); err != nil {
		return nil, err
	}
	for {
		t, err := p.next()
		if err != nil {
			return nil, err
		}
		if t.Kind != tIdent {
			return nil, errf(t.Line, "expected a chunk, found %s", t)
		}
		if _, err := p.expect("["); err != nil {
			return nil, err
		}
		se, err := p.specBody(t)
		if err != nil {
			return nil, err
		}
		c, err := compileChunk(se, dir)
		if err != nil {
			return nil, err
		}
		ps.Chunks = append(ps.Chunks, c)
		more, err := p.accept(";")
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
	}
	return ps, nil
}

func parseUint(line int, text string, bits int) (uint64, error) {
	n, err := strconv.ParseUint(text, 0, bits)
	if err != nil {
		return 0, errf(line, "number %s out of range for %d bits", text, bits)
	}
	return n, nil
}

// specBody parses the items of NAME[ ... ] after the '['.
func (p *parser) specBody(name token) (*SpecExpr, error) {
	se := &SpecExpr{Line: name.Line, Name: name.Text}
	if ok, err := p.accept("]"); err != nil || ok {
		return se, err
	}
	for {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		var it SpecItem
		it.Line = t.Line
		switch {
		case t.Kind == tEllipsis:
			p.next()
			it.Ellipsis = true
		case t.Kind == tIdent:
			p.next()
			n, err := p.peek()
			if err != nil {
				return nil, err
			}
			switch {
			case n.is("="):
				p.next()
				v, err := p.expr()
				if err != nil {
					return nil, err
				}
				it.Key, it.Value = t.Text, v
			case n.is("["):
				p.next()
				sub, err := p.specBody(t)
				if err != nil {
					return nil, err
				}
				it.Value = sub
			default:
				return nil, errf(n.Line, "expected '=' or '[' after %s in %s[...], found %s", t.Text, name.Text, n)
			}
		default:
			return nil, errf(t.Line, "unexpected %s in %s[...]", t, name.Text)
		}
		se.Items = append(se.Items, it)
		t, err = p.next()
		if err != nil {
			return nil, err
		}
		if t.is("]") {
			return se, nil
		}
		if !t.is(",") {
			return nil, errf(t.Line, "expected ',' or ']' in %s[...], found %s", name.Text, t)
		}
	}
}

func (p *parser) syscall(name token) (*Syscall, error) {
	if !knownSyscall(name.Text) {
		return nil, unsupported(name.Line, "system call %s", name.Text)
	}
	sc := &Syscall{Name: name.Text}
	if _, err := p.expect("("); err != nil {
		return nil, err
	}
	if ok, err := p.accept(")"); err != nil {
		return nil, err
	} else if !ok {
		for {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			sc.Args = append(sc.Args, e)
			t, err := p.next()
			if err != nil {
				return nil, err
			}
			if t.is(")") {
				break
			}
			if !t.is(",") {
				return nil, errf(t.Line, "expected ',' or ')' in the arguments of %s, found %s", sc.Name, t)
			}
		}
	}
	eq, err := p.expect("=")
	if err != nil {
		return nil, errf(eq.Line, "expected '= result' after %s(...), found %s", sc.Name, eq)
	}
	r, err := p.expr()
	if err != nil {
		return nil, err
	}
	sc.Result = r
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	if t.Kind == tIdent && !t.First {
		p.next()
		sc.Errno = t.Text
		if !isErrno(t.Text) {
			return nil, unsupported(t.Line, "errno %s", t.Text)
		}
		if t, err = p.peek(); err != nil {
			return nil, err
		}
	}
	if t.is("(") && !t.First {
		p.next()
		note, err := p.lx.rawUntilClose(t.Line)
		if err != nil {
			return nil, err
		}
		sc.Note = note
	}
	for _, a := range append(append([]Expr(nil), sc.Args...), sc.Result) {
		if err := checkSymbols(a); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

// funcs are the functions a system call argument may use.
var funcs = map[string]bool{"htonl": true, "ntohl": true, "htons": true, "ntohs": true, "sizeof": true, "inet_addr": true}

// checkSymbols reports the first unknown symbol or function of e.
func checkSymbols(e Expr) error {
	switch v := e.(type) {
	case *IdentExpr:
		if _, ok := symbols[v.Name]; !ok && !isErrno(v.Name) {
			return unsupported(v.Line, "symbol %s", v.Name)
		}
	case *BinaryExpr:
		if err := checkSymbols(v.L); err != nil {
			return err
		}
		return checkSymbols(v.R)
	case *ListExpr:
		for _, x := range v.Elems {
			if err := checkSymbols(x); err != nil {
				return err
			}
		}
	case *RangeExpr:
		if err := checkSymbols(v.Lo); err != nil {
			return err
		}
		return checkSymbols(v.Hi)
	case *StructExpr:
		for _, f := range v.Fields {
			if f.Arg != nil {
				if err := checkSymbols(f.Arg); err != nil {
					return err
				}
			}
			if err := checkSymbols(f.Value); err != nil {
				return err
			}
		}
	case *CallExpr:
		if !funcs[v.Fn] {
			return unsupported(v.Line, "function %s()", v.Fn)
		}
		if v.Fn == "sizeof" {
			return nil
		}
		for _, x := range v.Args {
			if err := checkSymbols(x); err != nil {
				return err
			}
		}
	case *SpecExpr:
		return errf(v.Line, "unexpected %s[...] in a system call", v.Name)
	}
	return nil
}

// expr parses an expression: alternatives joined by '|'.
func (p *parser) expr() (Expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		t, err := p.peek()
		if err != nil {
			return nil, err
		}
		if !t.is("|") {
			return l, nil
		}
		p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &BinaryExpr{Line: t.Line, Op: t.Text, L: l, R: r}
	}
}

func (p *parser) unary() (Expr, error) {
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	switch {
	case t.is("-"):
		n, err := p.next()
		if err != nil {
			return nil, err
		}
		if n.Kind != tNum || strings.Contains(n.Text, ".") {
			return nil, errf(n.Line, "expected a number after '-', found %s", n)
		}
		v, err := parseUint(n.Line, n.Text, 63)
		if err != nil {
			return nil, err
		}
		return &IntExpr{Line: t.Line, V: -int64(v), Text: "-" + n.Text}, nil
	case t.Kind == tNum:
		if strings.Contains(t.Text, ".") {
			return nil, errf(t.Line, "unexpected fractional number %s", t.Text)
		}
		v, err := parseUint(t.Line, t.Text, 64)
		if err != nil {
			return nil, err
		}
		return &IntExpr{Line: t.Line, V: int64(v), Text: t.Text}, nil
	case t.Kind == tString:
		return &StringExpr{Line: t.Line, S: t.Text}, nil
	case t.Kind == tAddr:
		a, err := netip.ParseAddr(t.Text)
		if err != nil {
			return nil, errf(t.Line, "bad address %s", t.Text)
		}
		return &AddrExpr{Line: t.Line, A: a}, nil
	case t.Kind == tEllipsis:
		return &EllipsisExpr{Line: t.Line}, nil
	case t.is("["):
		return p.list(t)
	case t.is("{"):
		return p.structLit(t)
	case t.Kind == tIdent:
		if t.Text == "struct" || t.Text == "union" {
			n, err := p.next()
			if err != nil {
				return nil, err
			}
			if n.Kind != tIdent {
				return nil, errf(n.Line, "expected a type name after %s, found %s", t.Text, n)
			}
			return &TypeExpr{Line: t.Line, Name: n.Text}, nil
		}
		n, err := p.peek()
		if err != nil {
			return nil, err
		}
		if n.is("[") && !n.First {
			p.next()
			return p.specBody(t)
		}
		if n.is("(") && !n.First {
			p.next()
			ce := &CallExpr{Line: t.Line, Fn: t.Text}
			if ok, err := p.accept(")"); err != nil {
				return nil, err
			} else if ok {
				return ce, nil
			}
			for {
				a, err := p.expr()
				if err != nil {
					return nil, err
				}
				ce.Args = append(ce.Args, a)
				c, err := p.next()
				if err != nil {
					return nil, err
				}
				if c.is(")") {
					return ce, nil
				}
				if !c.is(",") {
					return nil, errf(c.Line, "expected ',' or ')' in %s(...), found %s", t.Text, c)
				}
			}
		}
		return &IdentExpr{Line: t.Line, Name: t.Text}, nil
	}
	return nil, errf(t.Line, "expected a value, found %s", t)
}

func (p *parser) list(open token) (Expr, error) {
	le := &ListExpr{Line: open.Line}
	if ok, err := p.accept("]"); err != nil || ok {
		return le, err
	}
	for {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if ok, err := p.accept(":"); err != nil {
			return nil, err
		} else if ok {
			hi, err := p.expr()
			if err != nil {
				return nil, err
			}
			e = &RangeExpr{Line: e.exprLine(), Lo: e, Hi: hi}
		}
		le.Elems = append(le.Elems, e)
		t, err := p.next()
		if err != nil {
			return nil, err
		}
		if t.is("]") {
			return le, nil
		}
		if !t.is(",") {
			return nil, errf(t.Line, "expected ',' or ']' in a list, found %s", t)
		}
	}
}

func (p *parser) structLit(open token) (Expr, error) {
	se := &StructExpr{Line: open.Line}
	if ok, err := p.accept("}"); err != nil || ok {
		return se, err
	}
	for {
		t, err := p.next()
		if err != nil {
			return nil, err
		}
		f := Field{Line: t.Line}
		switch {
		case t.Kind == tEllipsis:
			f.Name, f.Value = "...", &EllipsisExpr{Line: t.Line}
		case t.Kind == tIdent:
			f.Name = t.Text
			if ok, err := p.accept("("); err != nil {
				return nil, err
			} else if ok {
				if f.Arg, err = p.expr(); err != nil {
					return nil, err
				}
				if _, err := p.expect(")"); err != nil {
					return nil, err
				}
			}
			if _, err := p.expect("="); err != nil {
				return nil, err
			}
			if f.Value, err = p.expr(); err != nil {
				return nil, err
			}
		default:
			return nil, errf(t.Line, "expected a field name in {...}, found %s", t)
		}
		se.Fields = append(se.Fields, f)
		t, err = p.next()
		if err != nil {
			return nil, err
		}
		if t.is("}") {
			return se, nil
		}
		if !t.is(",") {
			return nil, errf(t.Line, "expected ',' or '}' in {...}, found %s", t)
		}
	}
}
