package drill

import (
	"sort"
	"strings"
)

// ival is an evaluated integer expression: a value, or "..." (any).
type ival struct {
	any bool
	v   int64
}

// evalInt evaluates an integer expression: a number, a symbol, flags
// joined by '|', htonl() and friends (identity: sconn takes PPIDs in host
// order), sizeof() (0), or "..." .
func evalInt(e Expr) (ival, error) {
	switch v := e.(type) {
	case *EllipsisExpr:
		return ival{any: true}, nil
	case *IntExpr:
		return ival{v: v.V}, nil
	case *IdentExpr:
		if n, ok := symbols[v.Name]; ok {
			return ival{v: n}, nil
		}
		if n, ok := errnos[v.Name]; ok {
			return ival{v: n}, nil
		}
		return ival{}, unsupported(v.Line, "symbol %s", v.Name)
	case *BinaryExpr:
		l, err := evalInt(v.L)
		if err != nil {
			return l, err
		}
		r, err := evalInt(v.R)
		if err != nil {
			return r, err
		}
		if l.any || r.any {
			return ival{any: true}, nil
		}
		return ival{v: l.v | r.v}, nil
	case *CallExpr:
		switch v.Fn {
		case "htonl", "ntohl", "htons", "ntohs":
			if len(v.Args) == 1 {
				return evalInt(v.Args[0])
			}
		case "sizeof":
			return ival{}, nil
		}
		return ival{}, unsupported(v.Line, "function %s() here", v.Fn)
	}
	return ival{}, errf(e.exprLine(), "expected a number, found %s", e)
}

func mustInt(e Expr) (int64, error) {
	v, err := evalInt(e)
	if err != nil {
		return 0, err
	}
	if v.any {
		return 0, errf(e.exprLine(), "'...' where a value is needed")
	}
	return v.v, nil
}

// structFields returns the fields of a struct argument by name.
func structFields(e Expr, what string) (map[string]Field, error) {
	st, ok := e.(*StructExpr)
	if !ok {
		return nil, errf(e.exprLine(), "expected a %s struct {...}, found %s", what, e)
	}
	m := map[string]Field{}
	for _, f := range st.Fields {
		m[f.Name] = f
	}
	return m, nil
}

// knownFields checks that a struct has only the given fields.
func knownFields(m map[string]Field, what string, names ...string) error {
	ok := map[string]bool{"...": true}
	for _, n := range names {
		ok[n] = true
	}
	var bad []string
	line := 0
	for k, f := range m {
		if !ok[k] {
			bad = append(bad, k)
			line = f.Line
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return unsupported(line, "field %s of %s", strings.Join(bad, ", "), what)
	}
	return nil
}

func fieldInt(m map[string]Field, name string) (ival, error) {
	f, ok := m[name]
	if !ok {
		return ival{any: true}, nil
	}
	return evalInt(f.Value)
}

// listOne evaluates "[X]" (a pointer argument) or "...".
func listOne(e Expr) (ival, error) {
	if l, ok := e.(*ListExpr); ok && len(l.Elems) == 1 {
		return evalInt(l.Elems[0])
	}
	return evalInt(e)
}
