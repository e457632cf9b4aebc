package drill

import "github.com/sconnlab/sconn/conn"

// iovLen sums the iov_len fields of a list of iovecs.
func iovLen(e Expr) (int, error) {
	l, ok := e.(*ListExpr)
	if !ok {
		if _, ok := e.(*EllipsisExpr); ok {
			return 0, errf(e.exprLine(), "an iovec list is needed, not '...'")
		}
		return 0, errf(e.exprLine(), "expected an iovec list [{iov_base=..., iov_len=N}], found %s", e)
	}
	n := 0
	for _, el := range l.Elems {
		st, ok := el.(*StructExpr)
		if !ok {
			return 0, errf(el.exprLine(), "expected {iov_base=..., iov_len=N}, found %s", el)
		}
		for _, f := range st.Fields {
			if f.Name == "iov_len" {
				v, err := mustInt(f.Value)
				if err != nil {
					return 0, err
				}
				n += int(v)
			}
		}
	}
	return n, nil
}

// sendSpec builds a SendSpec from an sctp_sndinfo struct
// ({snd_sid=..., snd_flags=..., snd_ppid=..., snd_context=...,
// snd_assoc_id=...}).
func sndInfo(e Expr) (*conn.SendInfo, error) {
	m, err := structFields(e, "sctp_sndinfo")
	if err != nil {
		return nil, err
	}
	if err := knownFields(m, "struct sctp_sndinfo", "snd_sid", "snd_flags", "snd_ppid", "snd_context", "snd_assoc_id"); err != nil {
		return nil, err
	}
	var info conn.SendInfo
	for _, f := range []struct {
		name string
		set  func(int64)
	}{
		{"snd_sid", func(v int64) { info.Stream = uint16(v) }},
		{"snd_flags", func(v int64) { info.Flags = conn.SendFlags(v) }},
		{"snd_ppid", func(v int64) { info.PPID = uint32(v) }},
		{"snd_context", func(v int64) { info.Context = uint32(v) }},
		{"snd_assoc_id", func(v int64) { info.AssocID = conn.AssocID(v) }},
	} {
		v, err := fieldInt(m, f.name)
		if err != nil {
			return nil, err
		}
		if !v.any {
			f.set(v.v)
		}
	}
	return &info, nil
}

func prInfo(e Expr) (*conn.PRInfo, error) {
	m, err := structFields(e, "sctp_prinfo")
	if err != nil {
		return nil, err
	}
	if err := knownFields(m, "struct sctp_prinfo", "pr_policy", "pr_value"); err != nil {
		return nil, err
	}
	var pr conn.PRInfo
	v, err := fieldInt(m, "pr_policy")
	if err != nil {
		return nil, err
	}
	pr.Policy = conn.PRPolicy(v.v)
	v, err = fieldInt(m, "pr_value")
	if err != nil {
		return nil, err
	}
	pr.Value = uint32(v.v)
	return &pr, nil
}

// sendFlags maps send(2) flags; only MSG_EOR/MSG_EOF/MSG_DONTWAIT/MSG_NOSIGNAL are meaningful.
func (x *executor) sysSend(ev *Event) (outcome, error) {
	sc := ev.Call
	var n int
	var spec conn.SendSpec
	var dontWait bool
	switch sc.Name {
	case "write":
		if err := x.args(ev, 3, 3); err != nil {
			return outcome{}, err
		}
		v, err := mustInt(sc.Args[2])
		if err != nil {
			return outcome{}, err
		}
		n = int(v)
	case "send", "sendto":
		if err := x.args(ev, 4, 6); err != nil {
			return outcome{}, err
		}
		v, err := mustInt(sc.Args[2])
		if err != nil {
			return outcome{}, err
		}
		n = int(v)
		fl, err := evalInt(sc.Args[3])
		if err != nil {
			return outcome{}, err
		}
		if !fl.any {
			if fl.v&^(symbols["MSG_DONTWAIT"]|symbols["MSG_NOSIGNAL"]|symbols["MSG_EOR"]) != 0 {
				return outcome{}, unsupported(ev.Line, "%s flags %s", sc.Name, sc.Args[3])
			}
			dontWait = fl.v&symbols["MSG_DONTWAIT"] != 0
		}
	case "sendmsg":
		if err := x.args(ev, 3, 3); err != nil {
			return outcome{}, err
		}
		m, err := structFields(sc.Args[1], "msghdr")
		if err != nil {
			return outcome{}, err
		}
		if err := knownFields(m, "struct msghdr", "msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control", "msg_controllen", "msg_flags"); err != nil {
			return outcome{}, err
		}
		iov, ok := m["msg_iov"]
		if !ok {
			return outcome{}, errf(ev.Line, "sendmsg: msghdr without msg_iov")
		}
		if n, err = iovLen(iov.Value); err != nil {
			return outcome{}, err
		}
		if c, ok := m["msg_control"]; ok {
			if err := cmsgsToSpec(c.Value, &spec); err != nil {
				return outcome{}, err
			}
		}
		fl, err := evalInt(sc.Args[2])
		if err != nil {
			return outcome{}, err
		}
		dontWait = !fl.any && fl.v&symbols["MSG_DONTWAIT"] != 0
	case "sctp_sendv":
		// sctp_sendv(sd, iov, iovcnt, addrs, addrcnt, info, infolen, infotype, flags)
		if err := x.args(ev, 9, 9); err != nil {
			return outcome{}, err
		}
		var err error
		if n, err = iovLen(sc.Args[1]); err != nil {
			return outcome{}, err
		}
		it, err := mustInt(sc.Args[7])
		if err != nil {
			return outcome{}, err
		}
		switch it {
		case symbols["SCTP_SENDV_NOINFO"]:
		case symbols["SCTP_SENDV_SNDINFO"]:
			if spec.Info, err = sndInfo(sc.Args[5]); err != nil {
				return outcome{}, err
			}
		case symbols["SCTP_SENDV_PRINFO"]:
			if spec.PR, err = prInfo(sc.Args[5]); err != nil {
				return outcome{}, err
			}
		case symbols["SCTP_SENDV_SPA"]:
			m, err := structFields(sc.Args[5], "sctp_sendv_spa")
			if err != nil {
				return outcome{}, err
			}
			if err := knownFields(m, "struct sctp_sendv_spa", "sendv_flags", "sendv_sndinfo", "sendv_prinfo", "sendv_authinfo"); err != nil {
				return outcome{}, err
			}
			fl, err := fieldInt(m, "sendv_flags")
			if err != nil {
				return outcome{}, err
			}
			if f, ok := m["sendv_sndinfo"]; ok && fl.v&symbols["SCTP_SEND_SNDINFO_VALID"] != 0 {
				if spec.Info, err = sndInfo(f.Value); err != nil {
					return outcome{}, err
				}
			}
			if f, ok := m["sendv_prinfo"]; ok && fl.v&symbols["SCTP_SEND_PRINFO_VALID"] != 0 {
				if spec.PR, err = prInfo(f.Value); err != nil {
					return outcome{}, err
				}
			}
			if fl.v&symbols["SCTP_SEND_AUTHINFO_VALID"] != 0 {
				return outcome{}, unsupported(ev.Line, "SCTP-AUTH send info")
			}
		default:
			return outcome{}, unsupported(ev.Line, "sctp_sendv info type %s", sc.Args[7])
		}
		fl, err := evalInt(sc.Args[8])
		if err != nil {
			return outcome{}, err
		}
		dontWait = !fl.any && fl.v&symbols["MSG_DONTWAIT"] != 0
	}
	s, _, err := x.sock(ev)
	if err != nil {
		return outcome{}, err
	}
	if s == nil {
		return failed(errBadFD), nil
	}
	data := make([]byte, n)
	call := func() outcome {
		k, err := s.SendV(data, spec)
		if err != nil {
			return failed(err)
		}
		return outcome{ret: int64(k)}
	}
	if dontWait && !s.NonBlocking() {
		s.SetNonBlocking(true)
		o := call()
		s.SetNonBlocking(false)
		return o, nil
	}
	return x.nonBlockingCall(s, sc.Name, call), nil
}

// cmsgsToSpec reads the SCTP_SNDINFO, SCTP_PRINFO and SCTP_SNDRCV
// control messages of sendmsg.
func cmsgsToSpec(e Expr, spec *conn.SendSpec) error {
	if _, ok := e.(*EllipsisExpr); ok {
		return nil
	}
	l, ok := e.(*ListExpr)
	if !ok {
		return errf(e.exprLine(), "expected a list of cmsgs, found %s", e)
	}
	for _, el := range l.Elems {
		m, err := structFields(el, "cmsghdr")
		if err != nil {
			return err
		}
		if err := knownFields(m, "struct cmsghdr", "cmsg_len", "cmsg_level", "cmsg_type", "cmsg_data"); err != nil {
			return err
		}
		typ, err := fieldInt(m, "cmsg_type")
		if err != nil {
			return err
		}
		data, ok := m["cmsg_data"]
		if !ok {
			return errf(el.exprLine(), "cmsg without cmsg_data")
		}
		switch typ.v {
		case symbols["SCTP_SNDINFO"]:
			if spec.Info, err = sndInfo(data.Value); err != nil {
				return err
			}
		case symbols["SCTP_PRINFO"]:
			if spec.PR, err = prInfo(data.Value); err != nil {
				return err
			}
		case symbols["SCTP_SNDRCV"]:
			dm, err := structFields(data.Value, "sctp_sndrcvinfo")
			if err != nil {
				return err
			}
			var info conn.SendInfo
			for name, set := range map[string]func(int64){
				"sinfo_stream":   func(v int64) { info.Stream = uint16(v) },
				"sinfo_flags":    func(v int64) { info.Flags = conn.SendFlags(v) },
				"sinfo_ppid":     func(v int64) { info.PPID = uint32(v) },
				"sinfo_context":  func(v int64) { info.Context = uint32(v) },
				"sinfo_assoc_id": func(v int64) { info.AssocID = conn.AssocID(v) },
			} {
				v, err := fieldInt(dm, name)
				if err != nil {
					return err
				}
				if !v.any {
					set(v.v)
				}
			}
			spec.Info = &info
		default:
			return unsupported(el.exprLine(), "cmsg type %v in sendmsg", m["cmsg_type"].Value)
		}
	}
	return nil
}
