package drill

import (
	"fmt"
	"math"
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
