package drill

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/sconnlab/sconn/wire"
)

// actualChunk is a chunk the stack sent, decoded with package wire into the
// script's vocabulary, so that it can be matched against a ChunkSpec and
// printed in script syntax.
type actualChunk struct {
	Name   string // script keyword; "CHUNK" for a type without one
	Type   wire.ChunkType
	Flags  uint8
	Len    int
	Fields map[string]uint64 // live values
	Val    []byte
	HasVal bool
	Gaps   [][2]uint64
	NRGaps [][2]uint64
	Dups   []uint64
	IDs    [][2]uint64
	Items  []*actualItem
	Err    error // the decoder's error, when the chunk is malformed
}

// actualItem is a parameter or an error cause of an actualChunk.
type actualItem struct {
	Name    string
	IsCause bool
	Code    uint16
	Len     int
	Fields  map[string]uint64
	Val     []byte
	Addr    netip.Addr
	HasAddr bool
	Types   []uint64
	Sub     []*actualItem
	Chunk   *actualChunk
	Err     error
}

var chunkNames = func() map[wire.ChunkType]string {
	m := map[wire.ChunkType]string{}
	for name, d := range chunkDefs {
		if name != "CHUNK" {
			m[d.typ] = name
		}
	}
	return m
}()

var paramNames = func() map[uint16]string {
	m := map[uint16]string{}
	for name, d := range paramDefs {
		if name != "PARAMETER" {
			m[d.code] = name
		}
	}
	return m
}()

var causeNames = func() map[uint16]string {
	m := map[uint16]string{}
	for name, d := range causeDefs {
		if name != "CAUSE" {
			m[d.code] = name
		}
	}
	return m
}()

// decodeActual decodes one chunk of an outbound packet.
func decodeActual(c wire.Chunk) *actualChunk {
	a := &actualChunk{Type: c.Type(), Flags: c.Flags(), Len: c.Length(), Fields: map[string]uint64{}}
	name, ok := chunkNames[c.Type()]
	if !ok {
		name = "CHUNK"
	}
	a.Name = name
	fail := func(err error) *actualChunk {
		a.Err = err
		return a
	}
	switch c.Type() {
	case wire.ChunkData:
		d, err := wire.DecodeData(c)
		if err != nil {
			return fail(err)
		}
		a.Fields["tsn"], a.Fields["sid"], a.Fields["ssn"], a.Fields["ppid"] = uint64(d.TSN), uint64(d.StreamID), uint64(d.SSN), uint64(d.PPID)
		a.Val, a.HasVal = d.UserData, true
	case wire.ChunkIData:
		d, err := wire.DecodeIData(c)
		if err != nil {
			return fail(err)
		}
		a.Fields["tsn"], a.Fields["sid"], a.Fields["mid"] = uint64(d.TSN), uint64(d.StreamID), uint64(d.MID)
		if d.Beginning {
			a.Fields["ppid"] = uint64(d.PPID)
		} else {
			a.Fields["fsn"] = uint64(d.FSN)
		}
		a.Val, a.HasVal = d.UserData, true
	case wire.ChunkInit, wire.ChunkInitAck:
		var tag, rwnd, tsn uint32
		var os, is uint16
		var params []byte
		base := c.Offset() + wire.InitHeaderLen
		if c.Type() == wire.ChunkInit {
			x, err := wire.DecodeInit(c)
			if err != nil {
				return fail(err)
			}
			tag, rwnd, os, is, tsn, params = x.InitiateTag, x.ARwnd, x.OutStreams, x.InStreams, x.InitialTSN, x.Params
		} else {
			x, err := wire.DecodeInitAck(c)
			if err != nil {
				return fail(err)
			}
			tag, rwnd, os, is, tsn, params = x.InitiateTag, x.ARwnd, x.OutStreams, x.InStreams, x.InitialTSN, x.Params
		}
		a.Fields["tag"], a.Fields["a_rwnd"], a.Fields["os"], a.Fields["is"], a.Fields["tsn"] = uint64(tag), uint64(rwnd), uint64(os), uint64(is), uint64(tsn)
		a.Items = decodeItems(params, base, false)
	case wire.ChunkSack:
		s, err := wire.DecodeSack(c)
		if err != nil {
			return fail(err)
		}
		a.Fields["cum_tsn"], a.Fields["a_rwnd"] = uint64(s.CumulativeTSNAck), uint64(s.ARwnd)
		a.Gaps, a.Dups = [][2]uint64{}, []uint64{}
		for i := 0; i < s.NumGapBlocks(); i++ {
			lo, hi := s.GapBlock(i)
			a.Gaps = append(a.Gaps, [2]uint64{uint64(lo), uint64(hi)})
		}
		for i := 0; i < s.NumDupTSNs(); i++ {
			a.Dups = append(a.Dups, uint64(s.DupTSN(i)))
		}
	case wire.ChunkNRSack:
		s, err := wire.DecodeNRSack(c)
		if err != nil {
			return fail(err)
		}
		a.Fields["cum_tsn"], a.Fields["a_rwnd"] = uint64(s.CumulativeTSNAck), uint64(s.ARwnd)
		a.Gaps, a.NRGaps, a.Dups = [][2]uint64{}, [][2]uint64{}, []uint64{}
		for i := 0; i < s.NumGapBlocks(); i++ {
			lo, hi := s.GapBlock(i)
			a.Gaps = append(a.Gaps, [2]uint64{uint64(lo), uint64(hi)})
		}
		for i := 0; i < s.NumNRGapBlocks(); i++ {
			lo, hi := s.NRGapBlock(i)
			a.NRGaps = append(a.NRGaps, [2]uint64{uint64(lo), uint64(hi)})
		}
		for i := 0; i < s.NumDupTSNs(); i++ {
			a.Dups = append(a.Dups, uint64(s.DupTSN(i)))
		}
	case wire.ChunkHeartbeat, wire.ChunkHeartbeatAck, wire.ChunkReconfig:
		a.Items = decodeItems(c.Value(), c.Offset()+wire.ChunkHeaderLen, false)
	case wire.ChunkAbort, wire.ChunkError:
		a.Items = decodeItems(c.Value(), c.Offset()+wire.ChunkHeaderLen, true)
	case wire.ChunkShutdown:
		s, err := wire.DecodeShutdown(c)
		if err != nil {
			return fail(err)
		}
		a.Fields["cum_tsn"] = uint64(s.CumulativeTSNAck)
	case wire.ChunkCookieEcho:
		a.Val, a.HasVal = c.Value(), true
	case wire.ChunkECNE:
		e, err := wire.DecodeECNE(c)
		if err != nil {
			return fail(err)
		}
		a.Fields["tsn"] = uint64(e.LowestTSN)
	case wire.ChunkCWR:
		e, err := wire.DecodeCWR(c)
		if err != nil {
			return fail(err)
		}
		a.Fields["tsn"] = uint64(e.LowestTSN)
	case wire.ChunkForwardTSN:
		f, err := wire.DecodeForwardTSN(c)
		if err != nil {
			return fail(err)
		}
		a.Fields["cum_tsn"] = uint64(f.NewCumulativeTSN)
		a.IDs = [][2]uint64{}
		for i := 0; i < f.NumStreams(); i++ {
			s := f.Stream(i)
			a.IDs = append(a.IDs, [2]uint64{uint64(s.StreamID), uint64(s.SSN)})
		}
	case wire.ChunkIForwardTSN:
		f, err := wire.DecodeIForwardTSN(c)
		if err != nil {
			return fail(err)
		}
		a.Fields["cum_tsn"] = uint64(f.NewCumulativeTSN)
		a.IDs = [][2]uint64{}
		for i := 0; i < f.NumStreams(); i++ {
			s := f.Stream(i)
			a.IDs = append(a.IDs, [2]uint64{uint64(s.StreamID), uint64(s.MID)})
		}
	case wire.ChunkShutdownAck, wire.ChunkShutdownComplete, wire.ChunkCookieAck, wire.ChunkPad:
		if err := wire.ValidateChunk(c); err != nil {
			return fail(err)
		}
	default:
		a.Name = "CHUNK"
		a.Fields["type"] = uint64(c.Type())
		a.Val, a.HasVal = c.Value(), true
	}
	return a
}

// decodeItems decodes a list of parameters or error causes.
func decodeItems(list []byte, base int, causes bool) []*actualItem {
	var out []*actualItem
	it := wire.Params(list, base)
	for {
		p, ok := it.Next()
		if !ok {
			break
		}
		out = append(out, decodeItem(p.Type(), p.Length(), p.Value(), causes, p.Offset()))
	}
	if err := it.Err(); err != nil {
		out = append(out, &actualItem{Name: "malformed", Err: err})
	}
	return out
}

func decodeItem(typ wire.ParamType, length int, v []byte, cause bool, off int) *actualItem {
	code := uint16(typ)
	a := &actualItem{IsCause: cause, Code: code, Len: length, Fields: map[string]uint64{}}
	names := paramNames
	if cause {
		names = causeNames
	}
	name, ok := names[code]
	if !ok {
		a.Name = map[bool]string{false: "PARAMETER", true: "CAUSE"}[cause]
		if cause {
			a.Fields["code"] = uint64(code)
		} else {
			a.Fields["type"] = uint64(code)
		}
		a.Val = v
		return a
	}
	a.Name = name
	u32 := func(i int) uint64 {
		if len(v) < i+4 {
			a.Err = fmt.Errorf("%s: value too short", name)
			return 0
		}
		return uint64(binary.BigEndian.Uint32(v[i:]))
	}
	u16 := func(i int) uint64 {
		if len(v) < i+2 {
			a.Err = fmt.Errorf("%s: value too short", name)
			return 0
		}
		return uint64(binary.BigEndian.Uint16(v[i:]))
	}
	switch name {
	case "IPV4_ADDRESS", "IPV6_ADDRESS":
		if ad, ok := netip.AddrFromSlice(v); ok {
			a.Addr, a.HasAddr = ad, true
		} else {
			a.Err = fmt.Errorf("%s: bad length %d", name, length)
		}
	case "COOKIE_PRESERVATIVE":
		a.Fields["incr"] = u32(0)
	case "SUPPORTED_ADDRESS_TYPES":
		a.Types = []uint64{}
		for i := 0; i+2 <= len(v); i += 2 {
			a.Types = append(a.Types, u16(i))
		}
	case "MISSING_MANDATORY_PARAMETER":
		a.Types = []uint64{}
		for i := 4; i+2 <= len(v); i += 2 {
			a.Types = append(a.Types, u16(i))
		}
	case "SUPPORTED_EXTENSIONS":
		a.Types = []uint64{}
		for _, b := range v {
			a.Types = append(a.Types, uint64(b))
		}
	case "ADAPTATION_INDICATION":
		a.Fields["adaptation_code_point"] = u32(0)
	case "ZERO_CHECKSUM_ACCEPTABLE":
		a.Fields["edmid"] = u32(0)
	case "OUTGOING_SSN_RESET":
		a.Fields["req_sn"], a.Fields["resp_sn"], a.Fields["last_tsn"] = u32(0), u32(4), u32(8)
		a.Types = []uint64{}
		for i := 12; i+2 <= len(v); i += 2 {
			a.Types = append(a.Types, u16(i))
		}
	case "INCOMING_SSN_RESET":
		a.Fields["req_sn"] = u32(0)
		a.Types = []uint64{}
		for i := 4; i+2 <= len(v); i += 2 {
			a.Types = append(a.Types, u16(i))
		}
	case "SSN_TSN_RESET":
		a.Fields["req_sn"] = u32(0)
	case "RECONFIG_RESPONSE":
		a.Fields["resp_sn"], a.Fields["result"] = u32(0), u32(4)
		if len(v) >= 16 {
			a.Fields["sender_next_tsn"], a.Fields["receiver_next_tsn"] = u32(8), u32(12)
		}
	case "ADD_OUTGOING_STREAMS", "ADD_INCOMING_STREAMS":
		a.Fields["req_sn"], a.Fields["number_of_new_streams"] = u32(0), u16(4)
	case "INVALID_STREAM_IDENTIFIER":
		a.Fields["sid"] = u16(0)
	case "STALE_COOKIE_ERROR":
		a.Fields["staleness"] = u32(0)
	case "NO_USER_DATA":
		a.Fields["tsn"] = u32(0)
	case "UNRECOGNIZED_PARAMETER", "UNRESOLVABLE_ADDRESS", "UNRECOGNIZED_PARAMETERS", "RESTART_WITH_NEW_ADDRESSES":
		a.Sub = decodeItems(v, off+4, false)
	case "UNRECOGNIZED_CHUNK_TYPE":
		ch, err := wire.ChunkAt(v, off+4)
		if err != nil {
			a.Err = err
			break
		}
		a.Chunk = decodeActual(ch)
	default:
		a.Val = v
	}
	return a
}

// formatting, in the script's syntax
