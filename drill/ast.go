package drill

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Script is a parsed packetdrill script.
type Script struct {
	Name    string
	Options []Option
	Events  []*Event
}

// Option is a header option line such as --tolerance_usecs=10000.
type Option struct {
	Line  int
	Name  string
	Value string // "" when the option has no value
}

// TimeKind says how an event's time is given.
type TimeKind uint8

const (
	TimeAbsolute TimeKind = iota // 0.100: from the start of the script
	TimeRelative                 // +0.100: from the previous event
	TimeAny                      // *: whenever it happens
)

// TimeSpec is the time column of an event: a time, or a range of times
// (Start~End), or the start and end of a blocking call (Start...End).
type TimeSpec struct {
	Kind     TimeKind
	Start    time.Duration
	HasEnd   bool // a range Start~End: the event may happen anywhere in it
	End      time.Duration
	EndKind  TimeKind // TimeAbsolute or TimeRelative (to the same base as Start)
	Blocking bool     // Start...End: a system call that blocks from Start to End
}

func (t TimeSpec) String() string {
	f := func(k TimeKind, d time.Duration) string {
		s := fmt.Sprintf("%.6f", d.Seconds())
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		if strings.HasSuffix(s, ".") || !strings.Contains(s, ".") {
			s = strings.TrimSuffix(s, ".") + ".0"
		}
		if k == TimeRelative {
			return "+" + s
		}
		return s
	}
	if t.Kind == TimeAny {
		return "*"
	}
	s := f(t.Kind, t.Start)
	if t.HasEnd {
		sep := "~"
		if t.Blocking {
			sep = "..."
		}
		s += sep + f(t.EndKind, t.End)
	}
	return s
}

// EventKind is the kind of an event line.
type EventKind uint8

const (
	EventSyscall EventKind = iota + 1
	EventPacket
	EventCommand
)

// Event is one line (or statement) of a script.
type Event struct {
	Line    int
	Time    TimeSpec
	Kind    EventKind
	Call    *Syscall    // EventSyscall
	Packet  *PacketSpec // EventPacket
	Command string      // EventCommand: the backquoted shell command
}

// Syscall is a system call with its arguments and its expected result.
type Syscall struct {
	Name   string
	Args   []Expr
	Result Expr   // the expected return value
	Errno  string // the expected errno name (EINPROGRESS), or ""
	Note   string // the free text in parentheses after the result
}

// Expr is an expression of a system call argument, a result, or a field of
// a packet line.
type Expr interface {
	exprLine() int
	String() string
}

// IntExpr is an integer literal.
type IntExpr struct {
	Line int
	V    int64
	Text string
}

// IdentExpr is a symbol: SOCK_STREAM, SCTP_RTOINFO, BE.
type IdentExpr struct {
	Line int
	Name string
}

// StringExpr is a string literal.
type StringExpr struct {
	Line int
	S    string
}

// AddrExpr is an IPv4 or IPv6 address literal.
type AddrExpr struct {
	Line int
	A    netip.Addr
}

// EllipsisExpr is "...": any value.
type EllipsisExpr struct{ Line int }

// BinaryExpr is L | R (flags).
type BinaryExpr struct {
	Line int
	Op   string
	L, R Expr
}

// ListExpr is [a, b, c].
type ListExpr struct {
	Line  int
	Elems []Expr
}

// RangeExpr is Lo:Hi, as in gap blocks [2:5].
type RangeExpr struct {
	Line   int
	Lo, Hi Expr
}

// Field is name=value in a struct literal, with an optional argument as in
// msg_iov(1)=[...].
type Field struct {
	Line  int
	Name  string
	Arg   Expr // nil when absent
	Value Expr
}

// StructExpr is {name=value, ...}.
type StructExpr struct {
	Line   int
	Fields []Field
}

// CallExpr is fn(args): htonl(1), sizeof(struct sctp_sndinfo).
type CallExpr struct {
	Line int
	Fn   string
	Args []Expr
}

// TypeExpr is "struct name" inside sizeof().
type TypeExpr struct {
	Line int
	Name string
}

// SpecExpr is KEYWORD[items]: a chunk, parameter or cause of a packet line.
type SpecExpr struct {
	Line  int
	Name  string
	Items []SpecItem
}

// SpecItem is one item inside a SpecExpr: key=value, a nested spec, or
// "..." (Ellipsis set).
type SpecItem struct {
	Line     int
	Key      string // "" for a nested spec or an ellipsis
	Value    Expr   // the value, or the nested *SpecExpr
	Ellipsis bool
}

func (e *IntExpr) exprLine() int      { return e.Line }
func (e *IdentExpr) exprLine() int    { return e.Line }
func (e *StringExpr) exprLine() int   { return e.Line }
func (e *AddrExpr) exprLine() int     { return e.Line }
func (e *EllipsisExpr) exprLine() int { return e.Line }
func (e *BinaryExpr) exprLine() int   { return e.Line }
func (e *ListExpr) exprLine() int     { return e.Line }
func (e *RangeExpr) exprLine() int    { return e.Line }
func (e *StructExpr) exprLine() int   { return e.Line }
func (e *CallExpr) exprLine() int     { return e.Line }
func (e *TypeExpr) exprLine() int     { return e.Line }
func (e *SpecExpr) exprLine() int     { return e.Line }

func (e *IntExpr) String() string {
	if e.Text != "" {
		return e.Text
	}
	return fmt.Sprint(e.V)
}
func (e *IdentExpr) String() string    { return e.Name }
func (e *StringExpr) String() string   { return fmt.Sprintf("%q", e.S) }
func (e *AddrExpr) String() string     { return e.A.String() }
func (e *EllipsisExpr) String() string { return "..." }
func (e *BinaryExpr) String() string   { return e.L.String() + e.Op + e.R.String() }
func (e *RangeExpr) String() string    { return e.Lo.String() + ":" + e.Hi.String() }
func (e *TypeExpr) String() string     { return "struct " + e.Name }

func (e *ListExpr) String() string {
	parts := make([]string, len(e.Elems))
	for i, x := range e.Elems {
		parts[i] = x.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (e *StructExpr) String() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		name := f.Name
		if f.Arg != nil {
			name += "(" + f.Arg.String() + ")"
		}
		parts[i] = name + "=" + f.Value.String()
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (e *CallExpr) String() string {
	parts := make([]string, len(e.Args))
	for i, x := range e.Args {
		parts[i] = x.String()
	}
	return e.Fn + "(" + strings.Join(parts, ", ") + ")"
}

func (e *SpecExpr) String() string {
	parts := make([]string, len(e.Items))
	for i, it := range e.Items {
		switch {
		case it.Ellipsis:
			parts[i] = "..."
		case it.Key == "":
			parts[i] = it.Value.String()
		default:
			parts[i] = it.Key + "=" + it.Value.String()
		}
	}
	return e.Name + "[" + strings.Join(parts, ", ") + "]"
}

func (s *Syscall) String() string {
	parts := make([]string, len(s.Args))
	for i, x := range s.Args {
		parts[i] = x.String()
	}
	r := s.Name + "(" + strings.Join(parts, ", ") + ")"
	if s.Result != nil {
		r += " = " + s.Result.String()
	}
	if s.Errno != "" {
		r += " " + s.Errno
	}
	return r
}
