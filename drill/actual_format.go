package drill

import (
	"fmt"
	"strings"

	"github.com/sconnlab/sconn/wire"
)

func fmtBytes(b []byte) string {
	const max = 16
	var sb strings.Builder
	sb.WriteByte('[')
	for i, x := range b {
		if i == max {
			fmt.Fprintf(&sb, ", ... (%d bytes)", len(b))
			break
		}
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "0x%02x", x)
	}
	sb.WriteByte(']')
	return sb.String()
}

func fmtBlocks(bl [][2]uint64) string {
	parts := make([]string, len(bl))
	for i, b := range bl {
		parts[i] = fmt.Sprintf("%d:%d", b[0], b[1])
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func fmtList(l []uint64) string {
	parts := make([]string, len(l))
	for i, x := range l {
		parts[i] = fmt.Sprint(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func fmtFlags(name string, f uint8) string {
	var letters []struct {
		l byte
		b uint8
	}
	switch name {
	case "DATA", "I_DATA":
		letters = []struct {
			l byte
			b uint8
		}{{'I', wire.FlagImmediate}, {'U', wire.FlagUnordered}, {'B', wire.FlagBeginning}, {'E', wire.FlagEnding}}
	case "ABORT", "SHUTDOWN_COMPLETE":
		letters = []struct {
			l byte
			b uint8
		}{{'T', wire.FlagT}}
	}
	if f == 0 {
		return "0"
	}
	var s []byte
	rest := f
	for _, l := range letters {
		if f&l.b != 0 {
			s = append(s, l.l)
			rest &^= l.b
		}
	}
	if rest != 0 || len(s) == 0 {
		return fmt.Sprintf("0x%02x", f)
	}
	return string(s)
}

// ownTSNField reports whether a field of a chunk the stack sends is a TSN of
// the stack's own numbering (translated with the association's offset).
func ownTSNField(chunk, field string) bool {
	switch chunk + "." + field {
	case "DATA.tsn", "I_DATA.tsn", "INIT.tsn", "INIT_ACK.tsn", "FORWARD_TSN.cum_tsn",
		"I_FORWARD_TSN.cum_tsn", "CWR.tsn", "OUTGOING_SSN_RESET.last_tsn", "RECONFIG_RESPONSE.sender_next_tsn":
		return true
	}
	return false
}

// fieldOrder is the order in which fields are printed.
var fieldOrder = []string{"type", "tag", "cum_tsn", "a_rwnd", "os", "is", "tsn", "sid", "ssn", "mid", "ppid", "fsn",
	"incr", "adaptation_code_point", "edmid", "req_sn", "resp_sn", "last_tsn", "result",
	"sender_next_tsn", "receiver_next_tsn", "number_of_new_streams", "staleness", "code"}

// format prints the chunk in script syntax; TSNs of the stack's numbering
// are translated into the script's (st may be nil: live values).
func (a *actualChunk) format(st *liveState) string {
	var parts []string
	if a.Name != "CHUNK" {
		parts = append(parts, "flgs="+fmtFlags(a.Name, a.Flags))
	}
	switch a.Name {
	case "DATA", "I_DATA", "COOKIE_ECHO", "PAD":
		parts = append(parts, fmt.Sprintf("len=%d", a.Len))
	}
	for _, f := range fieldOrder {
		v, ok := a.Fields[f]
		if !ok {
			continue
		}
		switch {
		case f == "tag":
			parts = append(parts, fmt.Sprintf("tag=0x%08x", v))
		case f == "type":
			parts = append(parts, fmt.Sprintf("type=0x%02x", v), fmt.Sprintf("flgs=0x%02x", a.Flags), fmt.Sprintf("len=%d", a.Len))
		case st != nil && ownTSNField(a.Name, f):
			parts = append(parts, fmt.Sprintf("%s=%d", f, st.ownScript(uint32(v))))
		default:
			parts = append(parts, fmt.Sprintf("%s=%d", f, v))
		}
	}
	if a.Gaps != nil {
		parts = append(parts, "gaps="+fmtBlocks(a.Gaps))
	}
	if a.NRGaps != nil {
		parts = append(parts, "nr_gaps="+fmtBlocks(a.NRGaps))
	}
	if a.Dups != nil {
		parts = append(parts, "dups="+fmtList(a.Dups))
	}
	if a.IDs != nil {
		parts = append(parts, "ids="+fmtBlocks(a.IDs))
	}
	if a.HasVal && a.Name != "DATA" && a.Name != "I_DATA" {
		if a.Name == "COOKIE_ECHO" {
			parts = append(parts, "val=...")
		} else {
			parts = append(parts, "val="+fmtBytes(a.Val))
		}
	}
	for _, it := range a.Items {
		parts = append(parts, it.format(st))
	}
	if a.Err != nil {
		parts = append(parts, fmt.Sprintf("malformed: %v", a.Err))
	}
	return a.Name + "[" + strings.Join(parts, ", ") + "]"
}

func (a *actualItem) format(st *liveState) string {
	if a.Name == "malformed" {
		return fmt.Sprintf("malformed TLV: %v", a.Err)
	}
	var parts []string
	switch a.Name {
	case "HEARTBEAT_INFORMATION", "STATE_COOKIE", "PAD":
		parts = append(parts, fmt.Sprintf("len=%d", a.Len))
	}
	for _, f := range fieldOrder {
		v, ok := a.Fields[f]
		if !ok {
			continue
		}
		switch {
		case f == "type" || f == "code":
			parts = append(parts, fmt.Sprintf("%s=0x%04x", f, v), fmt.Sprintf("len=%d", a.Len))
		case st != nil && ownTSNField(a.Name, f):
			parts = append(parts, fmt.Sprintf("%s=%d", f, st.ownScript(uint32(v))))
		default:
			parts = append(parts, fmt.Sprintf("%s=%d", f, v))
		}
	}
	if a.HasAddr {
		parts = append(parts, "addr="+a.Addr.String())
	}
	if a.Types != nil {
		key := "types"
		if a.Name == "OUTGOING_SSN_RESET" || a.Name == "INCOMING_SSN_RESET" {
			key = "sids"
		}
		parts = append(parts, key+"="+fmtList(a.Types))
	}
	switch a.Name {
	case "UNRESOLVABLE_ADDRESS":
		if len(a.Sub) == 1 {
			parts = append(parts, "param="+a.Sub[0].format(st))
		}
	case "UNRECOGNIZED_PARAMETER", "UNRECOGNIZED_PARAMETERS", "RESTART_WITH_NEW_ADDRESSES":
		var subs []string
		for _, s := range a.Sub {
			subs = append(subs, s.format(st))
		}
		key := "params"
		if a.Name == "RESTART_WITH_NEW_ADDRESSES" {
			key = "addrs"
		}
		parts = append(parts, key+"=["+strings.Join(subs, ", ")+"]")
	case "UNRECOGNIZED_CHUNK_TYPE":
		if a.Chunk != nil {
			parts = append(parts, "chk="+a.Chunk.format(nil))
		}
	case "STATE_COOKIE":
		parts = append(parts, "val=...")
	case "HOSTNAME_ADDRESS":
		parts = append(parts, fmt.Sprintf("addr=%q", strings.TrimRight(string(a.Val), "\x00")))
	case "USER_INITIATED_ABORT", "PROTOCOL_VIOLATION", "HEARTBEAT_INFORMATION", "PARAMETER", "CAUSE", "PAD":
		parts = append(parts, "val="+fmtBytes(a.Val))
		if a.IsCause {
			parts[len(parts)-1] = "info=" + fmtBytes(a.Val)
		}
	}
	if a.Err != nil {
		parts = append(parts, fmt.Sprintf("malformed: %v", a.Err))
	}
	return a.Name + "[" + strings.Join(parts, ", ") + "]"
}

// formatPacket prints an outbound packet in script syntax.
func formatPacket(pkt []byte, st *liveState) string {
	p, err := wire.ParsePacket(pkt)
	if err != nil {
		return fmt.Sprintf("malformed packet (%v): %x", err, pkt)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "sctp(tag=0x%08x): ", p.VerificationTag())
	it := p.Chunks()
	for i := 0; ; i++ {
		c, ok := it.Next()
		if !ok {
			break
		}
		if i > 0 {
			sb.WriteString("; ")
		}
		sb.WriteString(decodeActual(c).format(st))
	}
	return sb.String()
}
