package drill

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sconnlab/sconn/conn"
)

// notifFields returns the fields of a notification as the socket API lays
// it out (struct sctp_assoc_change and friends, RFC 6458 §6.1, FreeBSD
// sizes), and its length: what a read of it returns.
func notifFields(n conn.Notification) (map[string]int64, map[string]map[string]int64, int64) {
	f := map[string]int64{}
	sub := map[string]map[string]int64{}
	var prefix string
	var length int64
	switch v := n.(type) {
	case conn.AssocChange:
		prefix = "sac_"
		info := len(v.AbortCauses)
		if v.State == conn.CommUp || v.State == conn.Restart {
			info = len(v.Supports)
		}
		length = 20 + int64(info)
		f["sac_state"], f["sac_error"] = int64(v.State), int64(v.Error)
		f["sac_outbound_streams"], f["sac_inbound_streams"] = int64(v.OutboundStreams), int64(v.InboundStreams)
		f["sac_assoc_id"] = int64(v.AssocID)
	case conn.PeerAddrChange:
		prefix = "spc_"
		length = 148
		f["spc_state"], f["spc_error"], f["spc_assoc_id"] = int64(v.State), int64(v.Error), int64(v.AssocID)
	case conn.RemoteError:
		prefix = "sre_"
		length = 16 + int64(len(v.Data))
		f["sre_error"], f["sre_assoc_id"] = int64(v.Error), int64(v.AssocID)
	case conn.SendFailedEvent:
		prefix = "ssfe_"
		length = 32 + int64(len(v.Data))
		f["ssfe_error"], f["ssfe_assoc_id"] = int64(v.Error), int64(v.AssocID)
		sub["ssfe_info"] = map[string]int64{"snd_sid": int64(v.Info.Stream), "snd_flags": int64(v.Info.Flags),
			"snd_ppid": int64(v.Info.PPID), "snd_context": int64(v.Info.Context), "snd_assoc_id": int64(v.Info.AssocID)}
		f["ssfe_flags"] = int64(v.Flags)
	case conn.ShutdownEvent:
		prefix = "sse_"
		length = 12
		f["sse_assoc_id"] = int64(v.AssocID)
	case conn.AdaptationEvent:
		prefix = "sai_"
		length = 16
		f["sai_adaptation_ind"], f["sai_assoc_id"] = int64(v.Indication), int64(v.AssocID)
	case conn.PartialDeliveryEvent:
		prefix = "pdapi_"
		length = 20
		f["pdapi_indication"], f["pdapi_stream"], f["pdapi_seq"], f["pdapi_assoc_id"] = int64(v.Indication), int64(v.Stream), int64(v.Seq), int64(v.AssocID)
	case conn.SenderDryEvent:
		prefix = "sender_dry_"
		length = 12
		f["sender_dry_assoc_id"] = int64(v.AssocID)
	default:
		return f, sub, 0
	}
	f[prefix+"type"] = int64(n.Type())
	if _, ok := f[prefix+"flags"]; !ok {
		f[prefix+"flags"] = 0
	}
	f[prefix+"length"] = length
	return f, sub, length
}

// notifExpect returns the notification struct a receive expects in its
// buffer (iov_base={sac_type=..., ...}), or nil.
func notifExpect(iov Expr) (*StructExpr, error) {
	l, ok := iov.(*ListExpr)
	if !ok || len(l.Elems) == 0 {
		return nil, nil
	}
	st, ok := l.Elems[0].(*StructExpr)
	if !ok {
		return nil, nil
	}
	for _, f := range st.Fields {
		if f.Name == "iov_base" {
			if s, ok := f.Value.(*StructExpr); ok {
				return s, nil
			}
		}
	}
	return nil, nil
}

// checkNotif compares a received notification with the expected struct.
func checkNotif(exp *StructExpr, n conn.Notification) string {
	if n == nil {
		return "a notification expected, a message received"
	}
	got, sub, _ := notifFields(n)
	fields := map[string]Field{}
	for _, f := range exp.Fields {
		fields[f.Name] = f
	}
	var names []string
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		f := fields[k]
		if k == "..." || strings.HasSuffix(k, "_assoc_id") || k == "spc_aaddr" || strings.HasSuffix(k, "_info") && sub[k] == nil || strings.HasSuffix(k, "_data") {
			continue
		}
		if s, ok := f.Value.(*StructExpr); ok {
			m := sub[k]
			for _, sf := range s.Fields {
				want, err := evalInt(sf.Value)
				if err != nil || want.any || strings.HasSuffix(sf.Name, "_assoc_id") {
					continue
				}
				if g, ok := m[sf.Name]; ok && g != want.v {
					return fmt.Sprintf("%s.%s: expected %d, got %d (%v)", k, sf.Name, want.v, g, n)
				}
			}
			continue
		}
		want, err := evalInt(f.Value)
		if err != nil {
			return err.Error()
		}
		if want.any {
			continue
		}
		g, ok := got[k]
		if !ok {
			return fmt.Sprintf("field %s: not in the notification received (%v)", k, n)
		}
		if g != want.v {
			return fmt.Sprintf("%s: expected %d, got %d (%v)", k, want.v, g, n)
		}
	}
	return ""
}
