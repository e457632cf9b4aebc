package drill

import (
	"sort"
	"strings"

	"github.com/sconnlab/sconn/wire"
)

// compileChunk checks a chunk of a packet line and turns it into a
// ChunkSpec.
func compileChunk(se *SpecExpr, dir Direction) (*ChunkSpec, error) {
	def, ok := chunkDefs[se.Name]
	if !ok {
		if what, ok := unsupportedChunks[se.Name]; ok {
			return nil, unsupported(se.Line, "%s", what)
		}
		if _, isParam := paramDefs[se.Name]; isParam {
			return nil, errf(se.Line, "%s is a parameter, not a chunk", se.Name)
		}
		return nil, unsupported(se.Line, "chunk type %s", se.Name)
	}
	c := &ChunkSpec{Line: se.Line, Src: se.String(), Name: se.Name, Type: def.typ, Fields: map[string]Num{}}
	seen := map[string]bool{}
	for _, it := range se.Items {
		switch {
		case it.Ellipsis:
			if def.items != 0 {
				c.Items = append(c.Items, &ItemSpec{Line: it.Line, Wild: true, Src: "..."})
			}
			continue
		case it.Key == "":
			sub := it.Value.(*SpecExpr)
			if def.items == 0 {
				return nil, errf(it.Line, "%s[...] takes no parameters or causes, found %s", se.Name, sub.Name)
			}
			item, err := compileItem(sub, def.items == itemCauses)
			if err != nil {
				return nil, err
			}
			c.Items = append(c.Items, item)
			continue
		}
		if def.items != 0 && (it.Key == "cause" || it.Key == "causes" || it.Key == "param" || it.Key == "params") {
			// ERROR[flgs=0, cause=X[...]] and ABORT[causes=[X[...], Y[...]]]:
			// the parameters or causes given by key.
			var subs []Expr
			switch v := it.Value.(type) {
			case *ListExpr:
				subs = v.Elems
			default:
				subs = []Expr{v}
			}
			for _, e := range subs {
				switch v := e.(type) {
				case *EllipsisExpr:
					c.Items = append(c.Items, &ItemSpec{Line: v.Line, Wild: true, Src: "..."})
				case *SpecExpr:
					item, err := compileItem(v, def.items == itemCauses)
					if err != nil {
						return nil, err
					}
					c.Items = append(c.Items, item)
				default:
					return nil, errf(e.exprLine(), "%s %s: expected a parameter or cause, found %s", se.Name, it.Key, e)
				}
			}
			continue
		}
		kind, ok := def.keys[it.Key]
		if !ok {
			return nil, unsupported(it.Line, "field %s in %s[...] (known: %s)", it.Key, se.Name, sortedKeys(def.keys))
		}
		if seen[it.Key] {
			return nil, errf(it.Line, "field %s given twice in %s[...]", it.Key, se.Name)
		}
		seen[it.Key] = true
		where := se.Name + " " + it.Key
		switch it.Key {
		case "flgs":
			n, err := compileFlags(it.Value, def.letters, where)
			if err != nil {
				return nil, err
			}
			c.Flags = n
		case "len":
			n, err := compileNum(it.Value, 16, where)
			if err != nil {
				return nil, err
			}
			c.Len = n
		case "val":
			b, err := compileBytes(it.Value, where)
			if err != nil {
				return nil, err
			}
			c.Val = b
		case "gaps", "nr_gaps", "ids":
			bl, err := compileBlocks(it.Value, where)
			if err != nil {
				return nil, err
			}
			switch it.Key {
			case "gaps":
				c.Gaps = bl
			case "nr_gaps":
				c.NRGaps = bl
			default:
				c.IDs = bl
			}
		case "dups":
			l, err := compileList(it.Value, 32, nil, where)
			if err != nil {
				return nil, err
			}
			c.Dups = l
		default:
			bits := map[valueKind]int{kNum8: 8, kNum16: 16, kNum32: 32}[kind]
			n, err := compileNum(it.Value, bits, where)
			if err != nil {
				return nil, err
			}
			c.Fields[it.Key] = n
		}
	}
	if se.Name == "CHUNK" {
		t := c.Fields["type"]
		if dir == DirIn && !t.set() {
			return nil, errf(se.Line, "CHUNK[...] to inject needs type=")
		}
		if t.set() {
			c.Type = wire.ChunkType(t.V)
		}
	}
	return c, nil
}

func compileItem(se *SpecExpr, cause bool) (*ItemSpec, error) {
	defs, what := paramDefs, "parameter"
	if cause {
		defs, what = causeDefs, "error cause"
	}
	def, ok := defs[se.Name]
	if !ok {
		if _, ok := chunkDefs[se.Name]; ok {
			return nil, errf(se.Line, "%s is a chunk, not a %s", se.Name, what)
		}
		return nil, unsupported(se.Line, "%s %s", what, se.Name)
	}
	item := &ItemSpec{Line: se.Line, Src: se.String(), Name: se.Name, IsCause: cause, Code: def.code, Fields: map[string]Num{}}
	seen := map[string]bool{}
	for _, it := range se.Items {
		if it.Ellipsis {
			continue // the fields not written are not checked anyway
		}
		if it.Key == "" {
			return nil, errf(it.Line, "unexpected %s inside %s[...]", it.Value, se.Name)
		}
		kind, ok := def.keys[it.Key]
		if !ok {
			return nil, unsupported(it.Line, "field %s in %s[...] (known: %s)", it.Key, se.Name, sortedKeys(def.keys))
		}
		if seen[it.Key] {
			return nil, errf(it.Line, "field %s given twice in %s[...]", it.Key, se.Name)
		}
		seen[it.Key] = true
		where := se.Name + " " + it.Key
		var err error
		switch kind {
		case kNum8, kNum16, kNum32:
			bits := map[valueKind]int{kNum8: 8, kNum16: 16, kNum32: 32}[kind]
			var n Num
			n, err = compileNum(it.Value, bits, where)
			if it.Key == "len" {
				item.Len = n
			} else {
				item.Fields[it.Key] = n
			}
		case kBytes:
			item.Val, err = compileBytes(it.Value, where)
		case kStr:
			switch v := it.Value.(type) {
			case *EllipsisExpr:
				item.Val.Kind = numAny
			case *StringExpr:
				// The Host Name is sent NUL terminated (RFC 9260 §3.3.2.1.4).
				item.Val = Bytes{Kind: numVal, B: append([]byte(v.S), 0)}
			default:
				err = errf(it.Line, "%s: expected a string, found %s", where, it.Value)
			}
		case kAddr:
			switch v := it.Value.(type) {
			case *EllipsisExpr:
				item.AddrAny = true
			case *AddrExpr:
				a := v.A
				item.Addr = &a
			default:
				err = errf(it.Line, "%s: expected an address, found %s", where, it.Value)
			}
		case kAddrTypes:
			item.Types, err = compileList(it.Value, 16, addrTypeNames, where)
		case kChunkTypes:
			item.Types, err = compileList(it.Value, 8, chunkTypeNames, where)
		case kParamTypes:
			item.Types, err = compileList(it.Value, 16, paramTypeNames, where)
		case kList16:
			item.Types, err = compileList(it.Value, 16, nil, where)
		case kParams:
			switch v := it.Value.(type) {
			case *EllipsisExpr:
				item.SubAny = true
			case *ListExpr:
				for _, e := range v.Elems {
					if _, ok := e.(*EllipsisExpr); ok {
						item.Sub = append(item.Sub, &ItemSpec{Line: e.exprLine(), Wild: true, Src: "..."})
						continue
					}
					s, ok := e.(*SpecExpr)
					if !ok {
						return nil, errf(e.exprLine(), "%s: expected a parameter, found %s", where, e)
					}
					sub, err := compileItem(s, false)
					if err != nil {
						return nil, err
					}
					item.Sub = append(item.Sub, sub)
				}
			default:
				err = errf(it.Line, "%s: expected a list of parameters, found %s", where, it.Value)
			}
		case kParam:
			switch v := it.Value.(type) {
			case *EllipsisExpr:
				item.SubAny = true
			case *SpecExpr:
				sub, err := compileItem(v, false)
				if err != nil {
					return nil, err
				}
				item.Sub = []*ItemSpec{sub}
			default:
				err = errf(it.Line, "%s: expected a parameter, found %s", where, it.Value)
			}
		case kChunk:
			switch v := it.Value.(type) {
			case *EllipsisExpr:
			case *SpecExpr:
				ch, err := compileChunk(v, DirOut)
				if err != nil {
					return nil, err
				}
				item.Chunk = ch
			default:
				err = errf(it.Line, "%s: expected a chunk, found %s", where, it.Value)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if se.Name == "PARAMETER" || se.Name == "CAUSE" {
		k := "type"
		if cause {
			k = "code"
		}
		if n := item.Fields[k]; n.set() {
			item.Code = uint16(n.V)
		} else {
			return nil, errf(se.Line, "%s[...] needs %s=", se.Name, k)
		}
	}
	return item, nil
}

func compileNum(e Expr, bits int, where string) (Num, error) {
	switch v := e.(type) {
	case *EllipsisExpr:
		return Num{Kind: numAny}, nil
	case *IntExpr:
		if v.V < 0 || (bits < 64 && uint64(v.V) >= 1<<bits) {
			return Num{}, errf(v.Line, "%s: %s does not fit in %d bits", where, v, bits)
		}
		return Num{Kind: numVal, V: uint64(v.V)}, nil
	case *CallExpr:
		if (v.Fn == "htonl" || v.Fn == "ntohl" || v.Fn == "htons" || v.Fn == "ntohs") && len(v.Args) == 1 {
			// Packet fields are written in host order already.
			return compileNum(v.Args[0], bits, where)
		}
	}
	return Num{}, errf(e.exprLine(), "%s: expected a number or '...', found %s", where, e)
}

func compileFlags(e Expr, letters map[byte]uint8, where string) (Num, error) {
	switch v := e.(type) {
	case *IdentExpr:
		if letters == nil {
			return Num{}, errf(v.Line, "%s: flag letters are not defined for this chunk, use a number", where)
		}
		var f uint8
		for i := 0; i < len(v.Name); i++ {
			b, ok := letters[v.Name[i]]
			if !ok {
				var known []string
				for l := range letters {
					known = append(known, string(l))
				}
				sort.Strings(known)
				return Num{}, errf(v.Line, "%s: unknown flag %q in %s (known: %s)", where, v.Name[i], v.Name, strings.Join(known, ""))
			}
			f |= b
		}
		return Num{Kind: numVal, V: uint64(f)}, nil
	}
	return compileNum(e, 8, where)
}

func compileBytes(e Expr, where string) (Bytes, error) {
	switch v := e.(type) {
	case *EllipsisExpr:
		return Bytes{Kind: numAny}, nil
	case *StringExpr:
		return Bytes{Kind: numVal, B: []byte(v.S)}, nil
	case *ListExpr:
		b := make([]byte, 0, len(v.Elems))
		for _, x := range v.Elems {
			n, err := compileNum(x, 8, where)
			if err != nil {
				return Bytes{}, err
			}
			if !n.set() {
				return Bytes{}, errf(x.exprLine(), "%s: '...' inside a byte list", where)
			}
			b = append(b, byte(n.V))
		}
		return Bytes{Kind: numVal, B: b}, nil
	}
	return Bytes{}, errf(e.exprLine(), "%s: expected a byte list [0x01, ...], a string or '...', found %s", where, e)
}

func compileList(e Expr, bits int, names map[string]uint64, where string) (NumList, error) {
	switch v := e.(type) {
	case *EllipsisExpr:
		return NumList{Kind: numAny}, nil
	case *ListExpr:
		l := NumList{Kind: numVal, V: []uint64{}}
		for _, x := range v.Elems {
			if id, ok := x.(*IdentExpr); ok && names != nil {
				n, ok := names[id.Name]
				if !ok {
					return NumList{}, unsupported(id.Line, "%s: unknown name %s", where, id.Name)
				}
				l.V = append(l.V, n)
				continue
			}
			n, err := compileNum(x, bits, where)
			if err != nil {
				return NumList{}, err
			}
			if !n.set() {
				return NumList{}, errf(x.exprLine(), "%s: '...' inside a list", where)
			}
			l.V = append(l.V, n.V)
		}
		return l, nil
	}
	return NumList{}, errf(e.exprLine(), "%s: expected a list [...] or '...', found %s", where, e)
}

func compileBlocks(e Expr, where string) (BlockList, error) {
	switch v := e.(type) {
	case *EllipsisExpr:
		return BlockList{Kind: numAny}, nil
	case *ListExpr:
		bl := BlockList{Kind: numVal, V: [][2]uint64{}}
		for _, x := range v.Elems {
			r, ok := x.(*RangeExpr)
			if !ok {
				return BlockList{}, errf(x.exprLine(), "%s: expected start:end, found %s", where, x)
			}
			lo, err := compileNum(r.Lo, 32, where)
			if err != nil {
				return BlockList{}, err
			}
			hi, err := compileNum(r.Hi, 32, where)
			if err != nil {
				return BlockList{}, err
			}
			if !lo.set() || !hi.set() {
				return BlockList{}, errf(x.exprLine(), "%s: '...' inside a block", where)
			}
			bl.V = append(bl.V, [2]uint64{lo.V, hi.V})
		}
		return bl, nil
	}
	return BlockList{}, errf(e.exprLine(), "%s: expected a list of start:end blocks or '...', found %s", where, e)
}
