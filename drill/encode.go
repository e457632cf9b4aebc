package drill

import (
	"encoding/binary"
	"fmt"

	"github.com/sconnlab/sconn/wire"
)

// Defaults for the fields of an injected chunk that the script leaves out
// or writes as "...".
var injectDefaults = map[string]uint64{
	"tag": 1, "a_rwnd": 1500, "os": 1, "is": 1,
}

func (n Num) or(def uint64) uint64 {
	if n.Kind == numVal {
		return n.V
	}
	return def
}

func field(c *ChunkSpec, name string) uint64 {
	return c.Fields[name].or(injectDefaults[name])
}

// encodePacket builds the bytes of an injected packet line with package
// wire's encoders, filling in the live verification tag, TSNs and State
// Cookie. It records the peer's tag of an injected INIT or INIT ACK in st.
func encodePacket(ps *PacketSpec, st *liveState) ([]byte, error) {
	if len(ps.Chunks) == 0 {
		return nil, errf(ps.Line, "a packet needs at least one chunk")
	}
	var vtag uint32
	first := ps.Chunks[0]
	switch {
	case ps.Tag != nil:
		vtag = *ps.Tag
	case ps.LocalTag:
		vtag = st.localVtag()
	case first.Type == wire.ChunkInit && first.Name != "CHUNK":
		vtag = 0
	case (first.Type == wire.ChunkAbort || first.Type == wire.ChunkShutdownComplete) &&
		first.Flags.set() && first.Flags.V&uint64(wire.FlagT) != 0:
		// T bit: the sender reflects the tag it would receive, its own.
		vtag = st.peerTag
	default:
		vtag = st.localVtag()
	}
	pkt := wire.AppendHeader(make([]byte, 0, 1500), wire.Header{SrcPort: st.remotePort, DstPort: st.localPort, VerificationTag: vtag})
	for _, c := range ps.Chunks {
		var err error
		pkt, err = appendChunk(pkt, c, st)
		if err != nil {
			return nil, err
		}
	}
	pkt = wire.FinishPacket(pkt, false)
	if ps.BadCRC {
		pkt[8] ^= 0xff
	}
	if ps.ZeroCRC {
		clear(pkt[8:12])
	}
	for _, c := range ps.Chunks {
		if (c.Type == wire.ChunkInit || c.Type == wire.ChunkInitAck) && c.Name != "CHUNK" {
			st.notePeer(uint32(field(c, "tag")))
		}
	}
	st.lastInVtag, st.haveLastIn = vtag, true
	return pkt, nil
}

// appendChunk appends one injected chunk to b, then overwrites its flags
// and length fields with the script's values when it gives them (so that a
// script can inject chunks whose length or flags disagree with their
// contents).
func appendChunk(b []byte, c *ChunkSpec, st *liveState) ([]byte, error) {
	start := len(b)
	var enc wire.Encoder
	flags := uint8(c.Flags.or(0))
	switch c.Name {
	case "DATA", "I_DATA":
		payload, err := payloadOf(c, c.Name, map[string]int{"DATA": wire.DataHeaderLen, "I_DATA": wire.IDataHeaderLen}[c.Name])
		if err != nil {
			return nil, err
		}
		if c.Name == "DATA" {
			enc = &wire.Data{TSN: uint32(field(c, "tsn")), StreamID: uint16(field(c, "sid")), SSN: uint16(field(c, "ssn")),
				PPID: uint32(field(c, "ppid")), Unordered: flags&wire.FlagUnordered != 0, Beginning: flags&wire.FlagBeginning != 0,
				Ending: flags&wire.FlagEnding != 0, Immediate: flags&wire.FlagImmediate != 0, UserData: payload}
		} else {
			enc = &wire.IData{TSN: uint32(field(c, "tsn")), StreamID: uint16(field(c, "sid")), MID: uint32(field(c, "mid")),
				PPID: uint32(field(c, "ppid")), FSN: uint32(field(c, "fsn")), Unordered: flags&wire.FlagUnordered != 0,
				Beginning: flags&wire.FlagBeginning != 0, Ending: flags&wire.FlagEnding != 0, Immediate: flags&wire.FlagImmediate != 0, UserData: payload}
		}
	case "INIT", "INIT_ACK":
		params, err := appendItems(nil, c.Items, st)
		if err != nil {
			return nil, err
		}
		if c.Name == "INIT" {
			enc = &wire.Init{InitiateTag: uint32(field(c, "tag")), ARwnd: uint32(field(c, "a_rwnd")), OutStreams: uint16(field(c, "os")),
				InStreams: uint16(field(c, "is")), InitialTSN: uint32(field(c, "tsn")), Params: params}
		} else {
			enc = &wire.InitAck{InitiateTag: uint32(field(c, "tag")), ARwnd: uint32(field(c, "a_rwnd")), OutStreams: uint16(field(c, "os")),
				InStreams: uint16(field(c, "is")), InitialTSN: uint32(field(c, "tsn")), Params: params}
		}
	case "SACK", "NR_SACK":
		gaps := make([]wire.GapBlock, 0, len(c.Gaps.V))
		for _, g := range c.Gaps.V {
			gaps = append(gaps, wire.GapBlock{Start: uint16(g[0]), End: uint16(g[1])})
		}
		dups := make([]uint32, 0, len(c.Dups.V))
		for _, d := range c.Dups.V {
			dups = append(dups, st.ownLive(uint32(d)))
		}
		cum := st.ownLive(uint32(field(c, "cum_tsn")))
		if c.Name == "SACK" {
			enc = &wire.Sack{CumulativeTSNAck: cum, ARwnd: uint32(field(c, "a_rwnd")), GapBlocks: gaps, DupTSNs: dups}
		} else {
			nr := make([]wire.GapBlock, 0, len(c.NRGaps.V))
			for _, g := range c.NRGaps.V {
				nr = append(nr, wire.GapBlock{Start: uint16(g[0]), End: uint16(g[1])})
			}
			enc = &wire.NRSack{Flags: flags, CumulativeTSNAck: cum, ARwnd: uint32(field(c, "a_rwnd")), GapBlocks: gaps, NRGapBlocks: nr, DupTSNs: dups}
		}
	case "HEARTBEAT", "HEARTBEAT_ACK", "RECONFIG":
		items := c.Items
		if c.Name == "HEARTBEAT_ACK" {
			items = echoHBInfo(items, st)
		}
		params, err := appendItems(nil, items, st)
		if err != nil {
			return nil, err
		}
		enc = &wire.RawChunk{Type: c.Type, Value: params[:unpaddedLen(params)]}
	case "ABORT":
		causes, err := appendItems(nil, c.Items, st)
		if err != nil {
			return nil, err
		}
		enc = &wire.Abort{TagReflected: flags&wire.FlagT != 0, Causes: causes}
	case "ERROR":
		causes, err := appendItems(nil, c.Items, st)
		if err != nil {
			return nil, err
		}
		enc = &wire.ErrorChunk{Causes: causes}
	case "SHUTDOWN":
		enc = &wire.Shutdown{CumulativeTSNAck: st.ownLive(uint32(field(c, "cum_tsn")))}
	case "SHUTDOWN_ACK":
		enc = &wire.ShutdownAck{}
	case "SHUTDOWN_COMPLETE":
		enc = &wire.ShutdownComplete{TagReflected: flags&wire.FlagT != 0}
	case "COOKIE_ECHO":
		cookie := c.Val.B
		if c.Val.Kind != numVal {
			if !st.haveCookie {
				return nil, errf(c.Line, "COOKIE_ECHO[val=...] but the stack has sent no INIT ACK with a State Cookie yet")
			}
			cookie = st.cookie
		}
		enc = &wire.CookieEcho{Cookie: cookie}
	case "COOKIE_ACK":
		enc = &wire.CookieAck{}
	case "ECNE":
		enc = &wire.ECNE{LowestTSN: st.ownLive(uint32(field(c, "tsn")))}
	case "CWR":
		enc = &wire.CWR{Flags: flags, LowestTSN: uint32(field(c, "tsn"))}
	case "PAD":
		n := 0
		if c.Len.set() {
			n = int(c.Len.V) - wire.ChunkHeaderLen
		}
		if c.Val.Kind == numVal {
			n = len(c.Val.B)
		}
		if n < 0 {
			n = 0
		}
		enc = &wire.Pad{Len: n}
	case "FORWARD_TSN":
		streams := make([]wire.ForwardTSNStream, 0, len(c.IDs.V))
		for _, id := range c.IDs.V {
			streams = append(streams, wire.ForwardTSNStream{StreamID: uint16(id[0]), SSN: uint16(id[1])})
		}
		enc = &wire.ForwardTSN{NewCumulativeTSN: uint32(field(c, "cum_tsn")), Streams: streams}
	case "I_FORWARD_TSN":
		streams := make([]wire.IForwardTSNStream, 0, len(c.IDs.V))
		for _, id := range c.IDs.V {
			streams = append(streams, wire.IForwardTSNStream{StreamID: uint16(id[0]), MID: uint32(id[1])})
		}
		enc = &wire.IForwardTSN{NewCumulativeTSN: uint32(field(c, "cum_tsn")), Streams: streams}
	case "CHUNK":
		val := c.Val.B
		if c.Val.Kind != numVal && c.Len.set() && c.Len.V >= wire.ChunkHeaderLen {
			val = make([]byte, c.Len.V-wire.ChunkHeaderLen)
		}
		enc = &wire.RawChunk{Type: c.Type, Flags: flags, Value: val}
	default:
		return nil, unsupported(c.Line, "injecting %s chunks", c.Name)
	}
	b = enc.Append(b)
	if len(b)-start < wire.ChunkHeaderLen {
		return nil, errf(c.Line, "internal error: %s encoded to %d bytes", c.Name, len(b)-start)
	}
	if c.Flags.set() {
		b[start+1] = byte(c.Flags.V)
	}
	if c.Len.set() {
		binary.BigEndian.PutUint16(b[start+2:], uint16(c.Len.V))
	}
	return b, nil
}

// payloadOf returns the user data of an injected DATA or I-DATA chunk:
// val=[...] when given, else zero bytes, as many as len= asks for.
func payloadOf(c *ChunkSpec, name string, hdr int) ([]byte, error) {
	var payload []byte
	if c.Val.Kind == numVal {
		payload = c.Val.B
	}
	if c.Len.set() {
		n := int(c.Len.V) - hdr
		if n < 0 {
			return payload, nil // a too short length, written as the script says
		}
		if len(payload) > n {
			return nil, errf(c.Line, "%s len=%d is shorter than its val (%d bytes)", name, c.Len.V, len(payload))
		}
		if len(payload) < n {
			payload = append(append([]byte(nil), payload...), make([]byte, n-len(payload))...)
		}
	}
	return payload, nil
}

// appendItems appends parameters or error causes.
func appendItems(b []byte, items []*ItemSpec, st *liveState) ([]byte, error) {
	for _, it := range items {
		if it.Wild {
			continue // "..." in an injected packet: nothing more
		}
		var err error
		b, err = appendItem(b, it, st)
		if err != nil {
			return nil, err
		}
	}
	return b, nil
}

// itemValue is the value of a TLV given by val=/info= and len=: the bytes
// when given, else zero bytes filling len=.
func itemValue(it *ItemSpec) []byte {
	if it.Val.Kind == numVal {
		return it.Val.B
	}
	if it.Len.set() && it.Len.V >= 4 {
		return make([]byte, it.Len.V-4)
	}
	return nil
}

func appendItem(b []byte, it *ItemSpec, st *liveState) ([]byte, error) {
	start := len(b)
	f := func(name string) uint64 { return it.Fields[name].or(0) }
	var val []byte
	switch it.Name {
	case "IPV4_ADDRESS", "IPV6_ADDRESS":
		if it.Addr == nil {
			return nil, errf(it.Line, "%s to inject needs addr=", it.Name)
		}
		a := it.Addr.AsSlice()
		if it.Name == "IPV4_ADDRESS" && !it.Addr.Is4() || it.Name == "IPV6_ADDRESS" && !it.Addr.Is6() {
			return nil, errf(it.Line, "%s with address %s of the other family", it.Name, it.Addr)
		}
		val = a
	case "COOKIE_PRESERVATIVE":
		val = binary.BigEndian.AppendUint32(nil, uint32(f("incr")))
	case "SUPPORTED_ADDRESS_TYPES", "MISSING_MANDATORY_PARAMETER":
		if it.Name == "MISSING_MANDATORY_PARAMETER" {
			val = binary.BigEndian.AppendUint32(nil, uint32(len(it.Types.V)))
		}
		for _, t := range it.Types.V {
			val = binary.BigEndian.AppendUint16(val, uint16(t))
		}
	case "SUPPORTED_EXTENSIONS":
		for _, t := range it.Types.V {
			val = append(val, byte(t))
		}
	case "ADAPTATION_INDICATION":
		val = binary.BigEndian.AppendUint32(nil, uint32(f("adaptation_code_point")))
	case "ZERO_CHECKSUM_ACCEPTABLE":
		val = binary.BigEndian.AppendUint32(nil, uint32(f("edmid")))
	case "OUTGOING_SSN_RESET":
		val = binary.BigEndian.AppendUint32(nil, uint32(f("req_sn")))
		val = binary.BigEndian.AppendUint32(val, uint32(f("resp_sn")))
		val = binary.BigEndian.AppendUint32(val, uint32(f("last_tsn")))
		for _, s := range it.Types.V {
			val = binary.BigEndian.AppendUint16(val, uint16(s))
		}
	case "INCOMING_SSN_RESET":
		val = binary.BigEndian.AppendUint32(nil, uint32(f("req_sn")))
		for _, s := range it.Types.V {
			val = binary.BigEndian.AppendUint16(val, uint16(s))
		}
	case "SSN_TSN_RESET":
		val = binary.BigEndian.AppendUint32(nil, uint32(f("req_sn")))
	case "RECONFIG_RESPONSE":
		val = binary.BigEndian.AppendUint32(nil, uint32(f("resp_sn")))
		val = binary.BigEndian.AppendUint32(val, uint32(f("result")))
		if it.Fields["sender_next_tsn"].set() || it.Fields["receiver_next_tsn"].set() {
			val = binary.BigEndian.AppendUint32(val, uint32(f("sender_next_tsn")))
			val = binary.BigEndian.AppendUint32(val, st.ownLive(uint32(f("receiver_next_tsn"))))
		}
	case "ADD_OUTGOING_STREAMS", "ADD_INCOMING_STREAMS":
		val = binary.BigEndian.AppendUint32(nil, uint32(f("req_sn")))
		val = binary.BigEndian.AppendUint16(val, uint16(f("number_of_new_streams")))
		val = append(val, 0, 0)
	case "INVALID_STREAM_IDENTIFIER":
		val = binary.BigEndian.AppendUint16(nil, uint16(f("sid")))
		val = append(val, 0, 0)
	case "STALE_COOKIE_ERROR":
		val = binary.BigEndian.AppendUint32(nil, uint32(f("staleness")))
	case "NO_USER_DATA":
		val = binary.BigEndian.AppendUint32(nil, st.ownLive(uint32(f("tsn"))))
	case "UNRECOGNIZED_PARAMETER", "UNRESOLVABLE_ADDRESS", "UNRECOGNIZED_PARAMETERS", "RESTART_WITH_NEW_ADDRESSES":
		var err error
		if val, err = appendItems(nil, it.Sub, st); err != nil {
			return nil, err
		}
		if it.Name != "UNRECOGNIZED_PARAMETERS" && it.Name != "RESTART_WITH_NEW_ADDRESSES" {
			val = trimPad(val, it.Sub)
		}
	case "UNRECOGNIZED_CHUNK_TYPE":
		if it.Chunk == nil {
			return nil, errf(it.Line, "UNRECOGNIZED_CHUNK_TYPE to inject needs chk=")
		}
		var err error
		if val, err = appendChunk(nil, it.Chunk, st); err != nil {
			return nil, err
		}
	default:
		// HEARTBEAT_INFORMATION, STATE_COOKIE, HOSTNAME_ADDRESS, PAD,
		// USER_INITIATED_ABORT, PROTOCOL_VIOLATION, PARAMETER, CAUSE and
		// the parameters without value.
		val = itemValue(it)
	}
	if it.IsCause {
		b = wire.AppendCause(b, wire.CauseCode(it.Code), val)
	} else {
		b = wire.AppendParam(b, wire.ParamType(it.Code), val)
	}
	if it.Len.set() {
		if len(b)-start < 4 {
			return nil, fmt.Errorf("internal error: short TLV")
		}
		binary.BigEndian.PutUint16(b[start+2:], uint16(it.Len.V))
	}
	return b, nil
}

// trimPad drops the padding after a single nested TLV, which RFC 9260
// does not include in the enclosing parameter (Unrecognized Parameter,
// Unresolvable Address).
func trimPad(val []byte, sub []*ItemSpec) []byte {
	if len(sub) != 1 || len(val) < 4 {
		return val
	}
	n := int(binary.BigEndian.Uint16(val[2:]))
	if n >= 4 && n <= len(val) {
		return val[:n]
	}
	return val
}

// unpaddedLen returns the length of a TLV list without the padding of its
// last TLV, which a chunk length does not count (RFC 9260 §3.2).
func unpaddedLen(list []byte) int {
	end, off := len(list), 0
	for off+4 <= len(list) {
		l := int(binary.BigEndian.Uint16(list[off+2:]))
		if l < 4 || off+l > len(list) {
			return len(list)
		}
		end = off + l
		off += (l + 3) &^ 3
	}
	if off < len(list) {
		return len(list)
	}
	return end
}

// echoHBInfo returns the parameters of an injected HEARTBEAT ACK with
// every HEARTBEAT_INFORMATION[val=...] (without a numeric len=) carrying the
// Heartbeat Information of the last HEARTBEAT the stack sent: the
// receiver of a HEARTBEAT echoes it unchanged (RFC 9260 §8.3). Before the
// stack has sent a HEARTBEAT the items are left as written.
func echoHBInfo(items []*ItemSpec, st *liveState) []*ItemSpec {
	if !st.haveHBInfo {
		return items
	}
	out := make([]*ItemSpec, len(items))
	for i, it := range items {
		out[i] = it
		if it.Name == "HEARTBEAT_INFORMATION" && it.Val.Kind != numVal && !it.Len.set() {
			echo := *it
			echo.Val = Bytes{Kind: numVal, B: st.hbInfo}
			out[i] = &echo
		}
	}
	return out
}
