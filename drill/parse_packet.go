package drill

import "strconv"

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
			case "zero_crc32c":
				ps.ZeroCRC = true
			case "local_tag":
				ps.LocalTag = true
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
				return nil, unsupported(t.Line, "sctp(%s) packet option (only tag=, local_tag, bad_crc32c and zero_crc32c)", t.Text)
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
