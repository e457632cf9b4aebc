package drill

import (
	"net/netip"
	"strings"
)

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
