package drill

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sconnlab/sconn/conn"
)

// An option maps a getsockopt/setsockopt name onto conn's typed options.
// Struct options read and write their fields by the C field names; the
// values are those of the socket API (milliseconds for times).
type sockOption struct {
	level  string
	fields []string // struct fields; nil for an int option ("[1]" or "1")
	set    func(s *conn.Socket, v map[string]ival) error
	get    func(s *conn.Socket) (map[string]int64, error)
}

func ms(v ival) time.Duration { return time.Duration(v.v) * time.Millisecond }

func msOf(d time.Duration) int64 { return int64(d / time.Millisecond) }

// the value key of int options
const intKey = "value"

func boolOpt(set func(bool) conn.SettableOption, get func(s *conn.Socket) (bool, error)) sockOption {
	return sockOption{level: "IPPROTO_SCTP",
		set: func(s *conn.Socket, v map[string]ival) error { return s.SetOption(set(v[intKey].v != 0)) },
		get: func(s *conn.Socket) (map[string]int64, error) {
			b, err := get(s)
			n := int64(0)
			if b {
				n = 1
			}
			return map[string]int64{intKey: n}, err
		}}
}

// stateOf maps conn's association states onto sstat_state values.
var sockOptions = map[string]sockOption{
	"SCTP_RTOINFO": {level: "IPPROTO_SCTP", fields: []string{"srto_assoc_id", "srto_initial", "srto_max", "srto_min"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.RTOInfo{AssocID: conn.AssocID(v["srto_assoc_id"].v), Initial: ms(v["srto_initial"]), Max: ms(v["srto_max"]), Min: ms(v["srto_min"])})
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.RTOInfo
			err := s.GetOption(&o)
			return map[string]int64{"srto_assoc_id": int64(o.AssocID), "srto_initial": msOf(o.Initial), "srto_max": msOf(o.Max), "srto_min": msOf(o.Min)}, err
		}},
	"SCTP_INITMSG": {level: "IPPROTO_SCTP", fields: []string{"sinit_num_ostreams", "sinit_max_instreams", "sinit_max_attempts", "sinit_max_init_timeo"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.InitMsg{NumOStreams: uint16(v["sinit_num_ostreams"].v), MaxInStreams: uint16(v["sinit_max_instreams"].v),
				MaxAttempts: uint16(v["sinit_max_attempts"].v), MaxInitTimeo: ms(v["sinit_max_init_timeo"])})
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.InitMsg
			err := s.GetOption(&o)
			return map[string]int64{"sinit_num_ostreams": int64(o.NumOStreams), "sinit_max_instreams": int64(o.MaxInStreams),
				"sinit_max_attempts": int64(o.MaxAttempts), "sinit_max_init_timeo": msOf(o.MaxInitTimeo)}, err
		}},
	"SCTP_ASSOCINFO": {level: "IPPROTO_SCTP", fields: []string{"sasoc_assoc_id", "sasoc_asocmaxrxt", "sasoc_number_peer_destinations", "sasoc_peer_rwnd", "sasoc_local_rwnd", "sasoc_cookie_life"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.AssocInfo{AssocID: conn.AssocID(v["sasoc_assoc_id"].v), AssocMaxRxt: uint16(v["sasoc_asocmaxrxt"].v), CookieLife: ms(v["sasoc_cookie_life"])})
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.AssocInfo
			err := s.GetOption(&o)
			return map[string]int64{"sasoc_assoc_id": int64(o.AssocID), "sasoc_asocmaxrxt": int64(o.AssocMaxRxt), "sasoc_number_peer_destinations": int64(o.NumberPeerDestinations),
				"sasoc_peer_rwnd": int64(o.PeerRwnd), "sasoc_local_rwnd": int64(o.LocalRwnd), "sasoc_cookie_life": msOf(o.CookieLife)}, err
		}},
	"SCTP_PEER_ADDR_PARAMS": {level: "IPPROTO_SCTP", fields: []string{"spp_assoc_id", "spp_address", "spp_hbinterval", "spp_pathmaxrxt", "spp_pathmtu", "spp_flags", "spp_ipv6_flowlabel", "spp_dscp"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.PeerAddrParams{AssocID: conn.AssocID(v["spp_assoc_id"].v), HBInterval: ms(v["spp_hbinterval"]),
				PathMaxRxt: uint16(v["spp_pathmaxrxt"].v), PathMTU: uint32(v["spp_pathmtu"].v), Flags: conn.PeerAddrFlags(v["spp_flags"].v)})
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.PeerAddrParams
			err := s.GetOption(&o)
			return map[string]int64{"spp_assoc_id": int64(o.AssocID), "spp_hbinterval": msOf(o.HBInterval), "spp_pathmaxrxt": int64(o.PathMaxRxt),
				"spp_pathmtu": int64(o.PathMTU), "spp_flags": int64(o.Flags), "spp_ipv6_flowlabel": 0, "spp_dscp": 0}, err
		}},
	"SCTP_MAXSEG": {level: "IPPROTO_SCTP", fields: []string{"assoc_id", "assoc_value"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.MaxSeg{AssocID: conn.AssocID(v["assoc_id"].v), Value: uint32(v["assoc_value"].v)})
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.MaxSeg
			err := s.GetOption(&o)
			return map[string]int64{"assoc_id": int64(o.AssocID), "assoc_value": int64(o.Value)}, err
		}},
	"SCTP_MAX_BURST": {level: "IPPROTO_SCTP", fields: []string{"assoc_id", "assoc_value"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.MaxBurst{AssocID: conn.AssocID(v["assoc_id"].v), Value: uint32(v["assoc_value"].v)})
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.MaxBurst
			err := s.GetOption(&o)
			return map[string]int64{"assoc_id": int64(o.AssocID), "assoc_value": int64(o.Value)}, err
		}},
	"SCTP_CONTEXT": {level: "IPPROTO_SCTP", fields: []string{"assoc_id", "assoc_value"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.Context{AssocID: conn.AssocID(v["assoc_id"].v), Value: uint32(v["assoc_value"].v)})
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.Context
			err := s.GetOption(&o)
			return map[string]int64{"assoc_id": int64(o.AssocID), "assoc_value": int64(o.Value)}, err
		}},
	"SCTP_DELAYED_SACK": {level: "IPPROTO_SCTP", fields: []string{"sack_assoc_id", "sack_delay", "sack_freq"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.DelayedSack{AssocID: conn.AssocID(v["sack_assoc_id"].v), Delay: ms(v["sack_delay"]), Freq: uint32(v["sack_freq"].v)})
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.DelayedSack
			err := s.GetOption(&o)
			return map[string]int64{"sack_assoc_id": int64(o.AssocID), "sack_delay": msOf(o.Delay), "sack_freq": int64(o.Freq)}, err
		}},
	"SCTP_ADAPTATION_LAYER": {level: "IPPROTO_SCTP", fields: []string{"ssb_adaptation_ind"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.AdaptationLayer{Indication: uint32(v["ssb_adaptation_ind"].v)})
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.AdaptationLayer
			err := s.GetOption(&o)
			return map[string]int64{"ssb_adaptation_ind": int64(o.Indication)}, err
		}},
	"SCTP_EVENT": {level: "IPPROTO_SCTP", fields: []string{"se_assoc_id", "se_type", "se_on"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.Event{AssocID: conn.AssocID(v["se_assoc_id"].v), Type: conn.NotificationType(v["se_type"].v), On: v["se_on"].v != 0})
		}},
	"SCTP_DEFAULT_SNDINFO": {level: "IPPROTO_SCTP", fields: []string{"snd_sid", "snd_flags", "snd_ppid", "snd_context", "snd_assoc_id"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.DefaultSndInfo(conn.SendInfo{Stream: uint16(v["snd_sid"].v), Flags: conn.SendFlags(v["snd_flags"].v),
				PPID: uint32(v["snd_ppid"].v), Context: uint32(v["snd_context"].v), AssocID: conn.AssocID(v["snd_assoc_id"].v)}))
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.DefaultSndInfo
			err := s.GetOption(&o)
			return map[string]int64{"snd_sid": int64(o.Stream), "snd_flags": int64(o.Flags), "snd_ppid": int64(o.PPID), "snd_context": int64(o.Context), "snd_assoc_id": int64(o.AssocID)}, err
		}},
	"SCTP_DEFAULT_PRINFO": {level: "IPPROTO_SCTP", fields: []string{"pr_policy", "pr_value", "pr_assoc_id"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.DefaultPRInfo{Policy: conn.PRPolicy(v["pr_policy"].v), Value: uint32(v["pr_value"].v), AssocID: conn.AssocID(v["pr_assoc_id"].v)})
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.DefaultPRInfo
			err := s.GetOption(&o)
			return map[string]int64{"pr_policy": int64(o.Policy), "pr_value": int64(o.Value), "pr_assoc_id": int64(o.AssocID)}, err
		}},
	"SO_LINGER": {level: "SOL_SOCKET", fields: []string{"l_onoff", "l_linger"},
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.Linger{On: v["l_onoff"].v != 0, Timeout: time.Duration(v["l_linger"].v) * time.Second})
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.Linger
			err := s.GetOption(&o)
			on := int64(0)
			if o.On {
				on = 1
			}
			return map[string]int64{"l_onoff": on, "l_linger": int64(o.Timeout / time.Second)}, err
		}},
	"SCTP_NODELAY": boolOpt(func(b bool) conn.SettableOption { return conn.NoDelay(b) },
		func(s *conn.Socket) (bool, error) { var o conn.NoDelay; err := s.GetOption(&o); return bool(o), err }),
	"SCTP_EXPLICIT_EOR": boolOpt(func(b bool) conn.SettableOption { return conn.ExplicitEOR(b) },
		func(s *conn.Socket) (bool, error) {
			var o conn.ExplicitEOR
			err := s.GetOption(&o)
			return bool(o), err
		}),
	"SCTP_RECVRCVINFO": boolOpt(func(b bool) conn.SettableOption { return conn.RecvRcvInfo(b) },
		func(s *conn.Socket) (bool, error) {
			var o conn.RecvRcvInfo
			err := s.GetOption(&o)
			return bool(o), err
		}),
	"SCTP_RECVNXTINFO": boolOpt(func(b bool) conn.SettableOption { return conn.RecvNxtInfo(b) },
		func(s *conn.Socket) (bool, error) {
			var o conn.RecvNxtInfo
			err := s.GetOption(&o)
			return bool(o), err
		}),
	"SCTP_AUTOCLOSE": {level: "IPPROTO_SCTP",
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.AutoClose(time.Duration(v[intKey].v) * time.Second))
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.AutoClose
			err := s.GetOption(&o)
			return map[string]int64{intKey: int64(time.Duration(o) / time.Second)}, err
		}},
	"SCTP_FRAGMENT_INTERLEAVE": {level: "IPPROTO_SCTP",
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.FragmentInterleave(v[intKey].v))
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.FragmentInterleave
			err := s.GetOption(&o)
			return map[string]int64{intKey: int64(o)}, err
		}},
	"SCTP_PARTIAL_DELIVERY_POINT": {level: "IPPROTO_SCTP",
		set: func(s *conn.Socket, v map[string]ival) error {
			return s.SetOption(conn.PartialDeliveryPoint(v[intKey].v))
		},
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.PartialDeliveryPoint
			err := s.GetOption(&o)
			return map[string]int64{intKey: int64(o)}, err
		}},
	"SO_RCVBUF": {level: "SOL_SOCKET",
		set: func(s *conn.Socket, v map[string]ival) error { return s.SetOption(conn.RcvBuf(v[intKey].v)) },
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.RcvBuf
			err := s.GetOption(&o)
			return map[string]int64{intKey: int64(o)}, err
		}},
	"SO_SNDBUF": {level: "SOL_SOCKET",
		set: func(s *conn.Socket, v map[string]ival) error { return s.SetOption(conn.SndBuf(v[intKey].v)) },
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.SndBuf
			err := s.GetOption(&o)
			return map[string]int64{intKey: int64(o)}, err
		}},
	"SO_ERROR": {level: "SOL_SOCKET",
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.SOError
			err := s.GetOption(&o)
			v := int64(0)
			if o.Err != nil {
				v = errnos[errnoOf(o.Err)]
			}
			return map[string]int64{intKey: v}, err
		}},
	"SCTP_GET_ASSOC_NUMBER": {level: "IPPROTO_SCTP",
		get: func(s *conn.Socket) (map[string]int64, error) {
			var o conn.AssocNumber
			err := s.GetOption(&o)
			return map[string]int64{intKey: int64(o)}, err
		}},
}

// optName returns the symbol name of an option argument.
func optName(e Expr) (string, error) {
	if id, ok := e.(*IdentExpr); ok {
		return id.Name, nil
	}
	v, err := mustInt(e)
	if err != nil {
		return "", err
	}
	for name, x := range symbols {
		if x == v && (strings.HasPrefix(name, "SCTP_") || strings.HasPrefix(name, "SO_")) {
			if _, ok := sockOptions[name]; ok {
				return name, nil
			}
		}
	}
	return "", unsupported(e.exprLine(), "socket option %d", v)
}

// optValue reads the value argument: a struct, "[N]" or N, into the
// option's fields. Fields written "..." are absent from the map.
func optValue(ev *Event, opt sockOption, name string, e Expr) (map[string]ival, error) {
	out := map[string]ival{}
	if opt.fields == nil {
		v, err := listOne(e)
		if err != nil {
			return nil, err
		}
		if !v.any {
			out[intKey] = v
		}
		return out, nil
	}
	if _, ok := e.(*EllipsisExpr); ok {
		return out, nil
	}
	m, err := structFields(e, name)
	if err != nil {
		return nil, err
	}
	if err := knownFields(m, name, opt.fields...); err != nil {
		return nil, err
	}
	for k, f := range m {
		if k == "..." {
			continue
		}
		if k == "spp_address" { // AF_CONN has one path: ignored
			continue
		}
		v, err := evalInt(f.Value)
		if err != nil {
			return nil, err
		}
		if !v.any {
			out[k] = v
		}
	}
	return out, nil
}

func (x *executor) sysSockopt(ev *Event) (outcome, error) {
	sc := ev.Call
	if err := x.args(ev, 5, 5); err != nil {
		return outcome{}, err
	}
	name, err := optName(sc.Args[2])
	if err != nil {
		return outcome{}, err
	}
	if name == "SCTP_STATUS" {
		return x.sctpStatus(ev)
	}
	opt, ok := sockOptions[name]
	if !ok {
		return outcome{}, unsupported(ev.Line, "socket option %s", name)
	}
	if lvl, err := optName(sc.Args[1]); err == nil && lvl != opt.level {
		return outcome{}, errf(ev.Line, "%s is an option of level %s, not %s", name, opt.level, lvl)
	} else if id, ok := sc.Args[1].(*IdentExpr); ok && id.Name != opt.level {
		return outcome{}, errf(ev.Line, "%s is an option of level %s, not %s", name, opt.level, id.Name)
	}
	vals, err := optValue(ev, opt, name, sc.Args[3])
	if err != nil {
		return outcome{}, err
	}
	s, _, err := x.sock(ev)
	if err != nil {
		return outcome{}, err
	}
	if s == nil {
		return failed(errBadFD), nil
	}
	if sc.Name == "setsockopt" {
		if opt.set == nil {
			return outcome{}, errf(ev.Line, "%s is read-only", name)
		}
		if err := opt.set(s, vals); err != nil {
			return failed(err), nil
		}
		return outcome{}, nil
	}
	if opt.get == nil {
		return outcome{}, unsupported(ev.Line, "getsockopt %s", name)
	}
	got, err := opt.get(s)
	if err != nil {
		return failed(err), nil
	}
	if msg := compareFields(name, vals, got); msg != "" {
		return outcome{}, &callError{Line: ev.Line, Expected: sc.String(), Actual: fmt.Sprintf("%s(...) = 0, %s", sc.Name, msg)}
	}
	return outcome{}, nil
}

// compareFields checks the values a getsockopt returned against the
// script's.
func compareFields(name string, want map[string]ival, got map[string]int64) string {
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w := want[k]
		g, ok := got[k]
		if !ok || w.any {
			continue
		}
		if g != w.v {
			if name == "SO_ERROR" {
				return fmt.Sprintf("SO_ERROR: expected %s, got %s", errnoLabel(w.v), errnoLabel(g))
			}
			field := k
			if k == intKey {
				field = "value"
			}
			return fmt.Sprintf("%s %s: expected %d, got %d", name, field, w.v, g)
		}
	}
	return ""
}

func errnoLabel(v int64) string {
	if v == 0 {
		return "0"
	}
	if n := errnoName(v); n != "" {
		return n
	}
	return fmt.Sprint(v)
}

// sctpStatus is getsockopt SCTP_STATUS: struct sctp_status with its
// sstat_primary (a struct sctp_paddrinfo, compared field by field when
// written out).
func (x *executor) sctpStatus(ev *Event) (outcome, error) {
	sc := ev.Call
	if sc.Name != "getsockopt" {
		return outcome{}, errf(ev.Line, "SCTP_STATUS is read-only")
	}
	fields := []string{"sstat_assoc_id", "sstat_state", "sstat_rwnd", "sstat_unackdata", "sstat_penddata",
		"sstat_instrms", "sstat_outstrms", "sstat_fragmentation_point", "sstat_primary"}
	var want map[string]ival
	var primary map[string]ival
	if _, ok := sc.Args[3].(*EllipsisExpr); !ok {
		m, err := structFields(sc.Args[3], "struct sctp_status")
		if err != nil {
			return outcome{}, err
		}
		if err := knownFields(m, "struct sctp_status", fields...); err != nil {
			return outcome{}, err
		}
		want = map[string]ival{}
		for k, f := range m {
			if k == "..." {
				continue
			}
			if k == "sstat_primary" {
				if _, ok := f.Value.(*EllipsisExpr); ok {
					continue
				}
				pm, err := structFields(f.Value, "struct sctp_paddrinfo")
				if err != nil {
					return outcome{}, err
				}
				if err := knownFields(pm, "struct sctp_paddrinfo", "spinfo_address", "spinfo_assoc_id", "spinfo_state", "spinfo_cwnd", "spinfo_srtt", "spinfo_rto", "spinfo_mtu"); err != nil {
					return outcome{}, err
				}
				primary = map[string]ival{}
				for pk, pf := range pm {
					if pk == "spinfo_address" || pk == "..." {
						continue
					}
					v, err := evalInt(pf.Value)
					if err != nil {
						return outcome{}, err
					}
					primary[pk] = v
				}
				continue
			}
			v, err := evalInt(f.Value)
			if err != nil {
				return outcome{}, err
			}
			want[k] = v
		}
	}
	s, _, err := x.sock(ev)
	if err != nil {
		return outcome{}, err
	}
	if s == nil {
		return failed(errBadFD), nil
	}
	var o conn.Status
	if err := s.GetOption(&o); err != nil {
		return failed(err), nil
	}
	got := map[string]int64{"sstat_assoc_id": int64(o.AssocID), "sstat_state": int64(o.State), "sstat_rwnd": int64(o.RWnd),
		"sstat_unackdata": int64(o.UnackedData), "sstat_penddata": int64(o.PendingData), "sstat_instrms": int64(o.InStreams),
		"sstat_outstrms": int64(o.OutStreams), "sstat_fragmentation_point": int64(o.FragmentationPoint)}
	delete(want, "sstat_assoc_id")
	if msg := compareFields("SCTP_STATUS", want, got); msg != "" {
		if w, ok := want["sstat_state"]; ok && !w.any && w.v != got["sstat_state"] {
			msg = fmt.Sprintf("SCTP_STATUS sstat_state: expected %s, got %s", stateName(w.v), o.State)
		}
		return outcome{}, &callError{Line: ev.Line, Expected: sc.String(), Actual: "getsockopt(...) = 0, " + msg}
	}
	p := o.Primary
	pgot := map[string]int64{"spinfo_state": int64(p.State), "spinfo_cwnd": int64(p.Cwnd), "spinfo_srtt": msOf(p.SRTT),
		"spinfo_rto": msOf(p.RTO), "spinfo_mtu": int64(p.MTU)}
	if msg := compareFields("SCTP_STATUS sstat_primary", primary, pgot); msg != "" {
		return outcome{}, &callError{Line: ev.Line, Expected: sc.String(), Actual: "getsockopt(...) = 0, " + msg}
	}
	return outcome{}, nil
}

func stateName(v int64) string {
	for name, x := range symbols {
		if x == v && strings.HasPrefix(name, "SCTP_") && (strings.Contains(name, "ESTABLISHED") || strings.Contains(name, "SHUTDOWN_") ||
			strings.Contains(name, "COOKIE_") || name == "SCTP_CLOSED" || name == "SCTP_BOUND" || name == "SCTP_LISTEN") {
			return name
		}
	}
	return fmt.Sprintf("0x%x", v)
}
