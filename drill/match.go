package drill

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/sconnlab/sconn/wire"
)

// Mismatch describes how a packet the stack sent differs from the packet
// line that expected it.
type Mismatch struct {
	Line     int
	What     string // e.g. "chunk 1 (SACK): cum_tsn: expected 3, got 2"
	Expected string // the packet line
	Actual   string // the packet sent, in script syntax
}

func (m *Mismatch) Error() string {
	return fmt.Sprintf("line %d: %s\n  expected: %s\n  actual:   %s", m.Line, m.What, m.Expected, m.Actual)
}

// matchPacket checks an outbound packet against a packet line. On success
// it returns the live state updated with what the packet bound (local tag,
// TSN offset, State Cookie); st itself is not changed.
func matchPacket(ps *PacketSpec, pkt []byte, st *liveState) (*liveState, *Mismatch) {
	ns := st.clone()
	fail := func(format string, args ...any) (*liveState, *Mismatch) {
		return nil, &Mismatch{Line: ps.Line, What: fmt.Sprintf(format, args...), Expected: ps.String(), Actual: "> " + formatPacket(pkt, st)}
	}
	p, err := wire.ParsePacket(pkt)
	if err != nil {
		return fail("malformed packet: %v", err)
	}
	if err := wire.VerifyChecksum(pkt, false); err != nil {
		return fail("bad CRC32c checksum")
	}
	if p.SrcPort() != st.localPort || p.DstPort() != st.remotePort {
		return fail("ports: expected %d > %d, got %d > %d", st.localPort, st.remotePort, p.SrcPort(), p.DstPort())
	}
	var got []*actualChunk
	for it := p.Chunks(); ; {
		c, ok := it.Next()
		if !ok {
			break
		}
		got = append(got, decodeActual(c))
	}
	if len(got) != len(ps.Chunks) {
		names := make([]string, len(got))
		for i, g := range got {
			names[i] = g.Name
		}
		want := make([]string, len(ps.Chunks))
		for i, c := range ps.Chunks {
			want[i] = c.Name
		}
		return fail("expected %d chunk(s) (%s), got %d (%s)", len(ps.Chunks), strings.Join(want, "; "), len(got), strings.Join(names, "; "))
	}
	m := &matcher{st: ns}
	for i, c := range ps.Chunks {
		m.where = fmt.Sprintf("chunk %d (%s)", i+1, c.Name)
		if len(ps.Chunks) == 1 {
			m.where = c.Name
		}
		if msg := m.chunk(c, got[i], true); msg != "" {
			return fail("%s", msg)
		}
	}
	// The verification tag (RFC 9260 §8.5).
	vtag := p.VerificationTag()
	first := got[0]
	switch {
	case ps.Tag != nil:
		if vtag != *ps.Tag {
			return fail("verification tag: expected %d, got 0x%08x", *ps.Tag, vtag)
		}
	case first.Type == wire.ChunkInit:
		if vtag != 0 {
			return fail("verification tag of an INIT: expected 0, got 0x%08x", vtag)
		}
	case (first.Type == wire.ChunkAbort || first.Type == wire.ChunkShutdownComplete) && first.Flags&wire.FlagT != 0:
		if st.haveLastIn && vtag != st.lastInVtag {
			return fail("verification tag with the T bit: expected the reflected tag 0x%08x, got 0x%08x", st.lastInVtag, vtag)
		}
	case st.havePeer:
		if !st.peerTags[vtag] {
			return fail("verification tag: expected the peer's tag %d, got 0x%08x", st.peerTag, vtag)
		}
	}
	// Remember the State Cookie and the Heartbeat Information to echo.
	for _, g := range got {
		if g.Type != wire.ChunkInitAck && g.Type != wire.ChunkHeartbeat {
			continue
		}
		for _, it := range g.Items {
			if g.Type == wire.ChunkInitAck && it.Code == uint16(wire.ParamStateCookie) {
				ns.cookie, ns.haveCookie = append([]byte(nil), it.Val...), true
			}
			if g.Type == wire.ChunkHeartbeat && it.Code == uint16(wire.ParamHeartbeatInfo) {
				ns.hbInfo, ns.haveHBInfo = append([]byte(nil), it.Val...), true
			}
		}
	}
	return ns, nil
}

type matcher struct {
	st    *liveState
	where string
}

// chunk compares one chunk; own reports that the chunk was sent by the
// stack (its TSNs are the stack's). It returns "" or what differs.
func (m *matcher) chunk(c *ChunkSpec, a *actualChunk, own bool) string {
	if c.Type != a.Type {
		return fmt.Sprintf("chunk type: expected %s, got %s", c.Name, chunkLabel(a))
	}
	if a.Err != nil {
		return fmt.Sprintf("%s: malformed: %v", m.where, a.Err)
	}
	if c.Flags.set() && uint8(c.Flags.V) != a.Flags {
		return fmt.Sprintf("%s: flgs: expected %s, got %s", m.where, fmtFlags(c.Name, uint8(c.Flags.V)), fmtFlags(c.Name, a.Flags))
	}
	if c.Len.set() && int(c.Len.V) != a.Len {
		return fmt.Sprintf("%s: len: expected %d, got %d", m.where, c.Len.V, a.Len)
	}
	if own && (c.Type == wire.ChunkInit || c.Type == wire.ChunkInitAck) && c.Name != "CHUNK" {
		if msg := m.bindInit(c, a); msg != "" {
			return msg
		}
	}
	for _, f := range fieldOrder {
		exp, ok := c.Fields[f]
		if !ok || !exp.set() || f == "type" {
			continue
		}
		if own && (c.Type == wire.ChunkInit || c.Type == wire.ChunkInitAck) && (f == "tag" || f == "tsn") {
			continue // bindInit did them
		}
		got, ok := a.Fields[f]
		if !ok {
			return fmt.Sprintf("%s: %s: expected %d, absent", m.where, f, exp.V)
		}
		if own && ownTSNField(c.Name, f) {
			if uint32(got) != m.st.ownLive(uint32(exp.V)) {
				return fmt.Sprintf("%s: %s: expected %d, got %d (live %d)", m.where, f, exp.V, m.st.ownScript(uint32(got)), got)
			}
			continue
		}
		if got != exp.V {
			return fmt.Sprintf("%s: %s: expected %d, got %d", m.where, f, exp.V, got)
		}
	}
	if c.Val.Kind == numVal && !bytes.Equal(c.Val.B, a.Val) {
		return fmt.Sprintf("%s: val: expected %s, got %s", m.where, fmtBytes(c.Val.B), fmtBytes(a.Val))
	}
	for _, l := range []struct {
		name string
		exp  BlockList
		got  [][2]uint64
	}{{"gaps", c.Gaps, a.Gaps}, {"nr_gaps", c.NRGaps, a.NRGaps}, {"ids", c.IDs, a.IDs}} {
		if l.exp.Kind == numVal && fmtBlocks(l.exp.V) != fmtBlocks(l.got) {
			return fmt.Sprintf("%s: %s: expected %s, got %s", m.where, l.name, fmtBlocks(l.exp.V), fmtBlocks(l.got))
		}
	}
	if c.Dups.Kind == numVal && fmtList(c.Dups.V) != fmtList(a.Dups) {
		return fmt.Sprintf("%s: dups: expected %s, got %s", m.where, fmtList(c.Dups.V), fmtList(a.Dups))
	}
	if chunkDefs[c.Name].items != 0 {
		if msg := m.items(c.Items, a.Items, own); msg != "" {
			return msg
		}
	}
	return ""
}

func chunkLabel(a *actualChunk) string {
	if a.Name == "CHUNK" {
		return fmt.Sprintf("CHUNK[type=0x%02x]", uint8(a.Type))
	}
	return a.Name
}

// bindInit checks the tag and TSN of an INIT or INIT ACK the stack sent
// and binds the script's names for them (see liveState).
func (m *matcher) bindInit(c *ChunkSpec, a *actualChunk) string {
	st := m.st
	liveTag := uint32(a.Fields["tag"])
	if t := c.Fields["tag"]; t.set() {
		if live, ok := st.tagMap[uint32(t.V)]; ok {
			if live != liveTag {
				return fmt.Sprintf("%s: tag: expected %d (bound to 0x%08x by an earlier packet), got 0x%08x", m.where, t.V, live, liveTag)
			}
		} else {
			st.tagMap[uint32(t.V)] = liveTag
		}
		st.curTag, st.haveTag = liveTag, true
	} else if !st.haveTag {
		st.curTag, st.haveTag = liveTag, true
	}
	if t := c.Fields["tsn"]; t.set() {
		liveTSN := uint32(a.Fields["tsn"])
		if off, ok := st.tsnOff[liveTag]; ok {
			if liveTSN != uint32(t.V)+off {
				return fmt.Sprintf("%s: tsn: expected %d, got %d (live %d; this association's initial TSN was already named)", m.where, t.V, liveTSN-off, liveTSN)
			}
		} else {
			st.tsnOff[liveTag] = liveTSN - uint32(t.V)
		}
	}
	return ""
}

// items matches a list of parameters or causes; "..." entries stand for
// any number of them.
func (m *matcher) items(exp []*ItemSpec, got []*actualItem, own bool) string {
	wild := false
	for _, e := range exp {
		if e.Wild {
			wild = true
		}
	}
	list := func() string {
		var es, gs []string
		for _, e := range exp {
			es = append(es, e.Src)
		}
		for _, g := range got {
			gs = append(gs, g.format(m.st))
		}
		return fmt.Sprintf("expected [%s], got [%s]", strings.Join(es, ", "), strings.Join(gs, ", "))
	}
	if !wild {
		if len(exp) != len(got) {
			return fmt.Sprintf("%s: %d parameter(s) or cause(s) expected, got %d: %s", m.where, len(exp), len(got), list())
		}
		for i := range exp {
			if msg := m.item(exp[i], got[i], own); msg != "" {
				return msg
			}
		}
		return ""
	}
	if !m.glob(exp, got, own) {
		return fmt.Sprintf("%s: parameters or causes do not match: %s", m.where, list())
	}
	return ""
}

func (m *matcher) glob(exp []*ItemSpec, got []*actualItem, own bool) bool {
	if len(exp) == 0 {
		return len(got) == 0
	}
	if exp[0].Wild {
		for i := 0; i <= len(got); i++ {
			if m.glob(exp[1:], got[i:], own) {
				return true
			}
		}
		return false
	}
	if len(got) == 0 {
		return false
	}
	saved := m.st.clone()
	if m.item(exp[0], got[0], own) != "" {
		*m.st = *saved
		return false
	}
	if m.glob(exp[1:], got[1:], own) {
		return true
	}
	*m.st = *saved
	return false
}

func (m *matcher) item(e *ItemSpec, g *actualItem, own bool) string {
	where := fmt.Sprintf("%s: %s", m.where, e.Name)
	if e.Code != g.Code || e.IsCause != g.IsCause {
		return fmt.Sprintf("%s: expected %s, got %s", m.where, e.Src, g.format(m.st))
	}
	if g.Err != nil {
		return fmt.Sprintf("%s: malformed: %v", where, g.Err)
	}
	if e.Len.set() && int(e.Len.V) != g.Len {
		return fmt.Sprintf("%s: len: expected %d, got %d", where, e.Len.V, g.Len)
	}
	for _, f := range fieldOrder {
		exp, ok := e.Fields[f]
		if !ok || !exp.set() || f == "type" || f == "code" {
			continue
		}
		got, ok := g.Fields[f]
		if !ok {
			return fmt.Sprintf("%s: %s: expected %d, absent", where, f, exp.V)
		}
		if own && ownTSNField(e.Name, f) {
			if uint32(got) != m.st.ownLive(uint32(exp.V)) {
				return fmt.Sprintf("%s: %s: expected %d, got %d", where, f, exp.V, m.st.ownScript(uint32(got)))
			}
			continue
		}
		if got != exp.V {
			return fmt.Sprintf("%s: %s: expected %d, got %d", where, f, exp.V, got)
		}
	}
	if e.Val.Kind == numVal && !bytes.Equal(e.Val.B, g.Val) {
		if e.Name == "HOSTNAME_ADDRESS" {
			return fmt.Sprintf("%s: addr: expected %q, got %q", where, strings.TrimRight(string(e.Val.B), "\x00"), strings.TrimRight(string(g.Val), "\x00"))
		}
		return fmt.Sprintf("%s: val: expected %s, got %s", where, fmtBytes(e.Val.B), fmtBytes(g.Val))
	}
	if e.Addr != nil && (!g.HasAddr || g.Addr.Unmap() != e.Addr.Unmap()) {
		return fmt.Sprintf("%s: addr: expected %s, got %s", where, e.Addr, g.Addr)
	}
	if e.Types.Kind == numVal && fmtList(e.Types.V) != fmtList(g.Types) {
		return fmt.Sprintf("%s: expected %s, got %s", where, fmtList(e.Types.V), fmtList(g.Types))
	}
	if !e.SubAny && e.Sub != nil {
		saved := m.where
		m.where = where
		msg := m.items(e.Sub, g.Sub, own)
		m.where = saved
		if msg != "" {
			return msg
		}
	}
	if e.Chunk != nil {
		if g.Chunk == nil {
			return fmt.Sprintf("%s: chk: no chunk", where)
		}
		saved := m.where
		m.where = where + " chk"
		// The quoted chunk is the peer's, as sent: no TSN translation.
		msg := m.chunk(e.Chunk, g.Chunk, false)
		m.where = saved
		if msg != "" {
			return msg
		}
	}
	return ""
}
