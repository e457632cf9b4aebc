package drill

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/sconnlab/sconn/conn"
)

// recvExpect is what a receiving call expects besides its return value.
type recvExpect struct {
	flags   *ival            // msg_flags (recvmsg) or the flags argument (sctp_recvv)
	rcvinfo map[string]Field // expected sctp_rcvinfo
	nxtinfo map[string]Field // expected sctp_nxtinfo
	infoTyp *ival            // sctp_recvv infotype
	notif   *StructExpr      // the notification expected in the buffer
}

func (x *executor) sysRecv(ev *Event) (outcome, error) {
	sc := ev.Call
	var n int
	var exp recvExpect
	switch sc.Name {
	case "read":
		if err := x.args(ev, 3, 3); err != nil {
			return outcome{}, err
		}
		v, err := mustInt(sc.Args[2])
		if err != nil {
			return outcome{}, err
		}
		n = int(v)
	case "recv", "recvfrom":
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
		if !fl.any && fl.v&^symbols["MSG_DONTWAIT"] != 0 {
			return outcome{}, unsupported(ev.Line, "%s flags %s", sc.Name, sc.Args[3])
		}
	case "recvmsg":
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
			return outcome{}, errf(ev.Line, "recvmsg: msghdr without msg_iov")
		}
		if n, err = iovLen(iov.Value); err != nil {
			return outcome{}, err
		}
		if exp.notif, err = notifExpect(iov.Value); err != nil {
			return outcome{}, err
		}
		if f, ok := m["msg_flags"]; ok {
			v, err := evalInt(f.Value)
			if err != nil {
				return outcome{}, err
			}
			exp.flags = &v
		}
		if c, ok := m["msg_control"]; ok {
			if err := cmsgsExpect(c.Value, &exp); err != nil {
				return outcome{}, err
			}
		}
	case "sctp_recvv":
		// sctp_recvv(sd, iov, iovlen, from, fromlen, info, infolen, infotype, flags)
		if err := x.args(ev, 9, 9); err != nil {
			return outcome{}, err
		}
		var err error
		if n, err = iovLen(sc.Args[1]); err != nil {
			return outcome{}, err
		}
		if exp.notif, err = notifExpect(sc.Args[1]); err != nil {
			return outcome{}, err
		}
		it, err := listOne(sc.Args[7])
		if err != nil {
			return outcome{}, err
		}
		exp.infoTyp = &it
		if err := infoExpect(sc.Args[5], it, &exp); err != nil {
			return outcome{}, err
		}
		fl, err := listOne(sc.Args[8])
		if err != nil {
			return outcome{}, err
		}
		exp.flags = &fl
	}
	s, _, err := x.sock(ev)
	if err != nil {
		return outcome{}, err
	}
	if s == nil {
		return failed(errBadFD), nil
	}
	buf := make([]byte, n)
	var info conn.RecvInfo
	o := x.nonBlockingCall(s, sc.Name, func() outcome {
		k, ri, err := s.RecvV(buf)
		info = ri
		if errors.Is(err, io.EOF) {
			return outcome{ret: 0, note: "end of file"}
		}
		if err != nil {
			return failed(err)
		}
		o := outcome{ret: int64(k)}
		if ri.Flags&conn.MsgNotification != 0 && ri.Notification != nil {
			// A notification reads as its struct (RFC 6458 §6.1).
			_, _, length := notifFields(ri.Notification)
			o.ret = min(length, int64(len(buf)))
			o.note = fmt.Sprintf("notification %v", ri.Notification)
		}
		return o
	})
	if o.err != nil {
		return o, nil
	}
	if msg := checkRecv(&exp, info, o); msg != "" {
		return outcome{}, &callError{Line: ev.Line, Expected: sc.String(), Actual: sc.Name + "(...) = " + o.String() + ": " + msg}
	}
	return o, nil
}

func infoExpect(e Expr, typ ival, exp *recvExpect) error {
	if _, ok := e.(*EllipsisExpr); ok || typ.any || typ.v == symbols["SCTP_RECVV_NOINFO"] {
		return nil
	}
	if id, ok := e.(*IdentExpr); ok && id.Name == "NULL" {
		return nil
	}
	m, err := structFields(e, "recvv info")
	if err != nil {
		return err
	}
	switch typ.v {
	case symbols["SCTP_RECVV_NOINFO"]:
	case symbols["SCTP_RECVV_RCVINFO"]:
		exp.rcvinfo = m
	case symbols["SCTP_RECVV_NXTINFO"]:
		exp.nxtinfo = m
	case symbols["SCTP_RECVV_RN"]:
		if f, ok := m["recvv_rcvinfo"]; ok {
			if exp.rcvinfo, err = structFields(f.Value, "sctp_rcvinfo"); err != nil {
				return err
			}
		}
		if f, ok := m["recvv_nxtinfo"]; ok {
			if exp.nxtinfo, err = structFields(f.Value, "sctp_nxtinfo"); err != nil {
				return err
			}
		}
	}
	return nil
}

func cmsgsExpect(e Expr, exp *recvExpect) error {
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
		typ, err := fieldInt(m, "cmsg_type")
		if err != nil {
			return err
		}
		data, ok := m["cmsg_data"]
		if !ok {
			continue
		}
		switch typ.v {
		case symbols["SCTP_RCVINFO"]:
			if exp.rcvinfo, err = structFields(data.Value, "sctp_rcvinfo"); err != nil {
				return err
			}
		case symbols["SCTP_NXTINFO"]:
			if exp.nxtinfo, err = structFields(data.Value, "sctp_nxtinfo"); err != nil {
				return err
			}
		default:
			return unsupported(el.exprLine(), "cmsg type %v in recvmsg", m["cmsg_type"].Value)
		}
	}
	return nil
}

// msgFlags maps conn's msg_flags onto the script's symbols.
func msgFlags(f conn.MsgFlags) int64 {
	var v int64
	if f&conn.MsgEOR != 0 {
		v |= symbols["MSG_EOR"]
	}
	if f&conn.MsgNotification != 0 {
		v |= symbols["MSG_NOTIFICATION"]
	}
	return v
}

// checkRecv compares the flags and ancillary data of a receive.
func checkRecv(exp *recvExpect, info conn.RecvInfo, o outcome) string {
	if exp.notif != nil {
		if msg := checkNotif(exp.notif, info.Notification); msg != "" {
			return msg
		}
	}
	if exp.flags != nil && !exp.flags.any && o.note != "end of file" {
		if got := msgFlags(info.Flags); got != exp.flags.v {
			return fmt.Sprintf("msg_flags: expected 0x%x, got 0x%x", exp.flags.v, got)
		}
	}
	if exp.infoTyp != nil && !exp.infoTyp.any && o.note != "end of file" {
		if got := int64(info.InfoType()); got != exp.infoTyp.v {
			return fmt.Sprintf("infotype: expected %d, got %d", exp.infoTyp.v, got)
		}
	}
	cmp := func(m map[string]Field, have bool, what string, vals map[string]int64) string {
		if m == nil {
			return ""
		}
		if !have {
			return what + " expected, none received"
		}
		var names []string
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			want, err := evalInt(m[k].Value)
			if err != nil || want.any {
				continue
			}
			got, ok := vals[k]
			if !ok {
				if k == "..." {
					continue
				}
				return fmt.Sprintf("%s: unknown field %s", what, k)
			}
			if strings.HasSuffix(k, "_assoc_id") {
				continue // association IDs are the stack's to choose
			}
			if got != want.v {
				return fmt.Sprintf("%s.%s: expected %d, got %d", what, k, want.v, got)
			}
		}
		return ""
	}
	r := info.RcvInfo
	if msg := cmp(exp.rcvinfo, info.HasRcvInfo, "sctp_rcvinfo", map[string]int64{
		"rcv_sid": int64(r.Stream), "rcv_ssn": int64(r.SSN), "rcv_flags": int64(r.Flags), "rcv_ppid": int64(r.PPID),
		"rcv_tsn": int64(r.TSN), "rcv_cumtsn": int64(r.CumTSN), "rcv_context": int64(r.Context), "rcv_assoc_id": int64(r.AssocID),
	}); msg != "" {
		return msg
	}
	nx := info.NxtInfo
	return cmp(exp.nxtinfo, info.HasNxtInfo, "sctp_nxtinfo", map[string]int64{
		"nxt_sid": int64(nx.Stream), "nxt_flags": int64(nx.Flags), "nxt_ppid": int64(nx.PPID),
		"nxt_length": int64(nx.Length), "nxt_assoc_id": int64(nx.AssocID),
	})
}
