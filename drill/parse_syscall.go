package drill

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
