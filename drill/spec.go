package drill

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/sconnlab/sconn/wire"
)

// Direction is the direction of a packet line, seen from the stack under
// test.
type Direction uint8

const (
	DirIn  Direction = iota + 1 // "<": injected into the stack
	DirOut                      // ">": expected from the stack
)

func (d Direction) String() string {
	if d == DirIn {
		return "<"
	}
	return ">"
}

// PacketSpec is a packet line: "< sctp: ..." or "> sctp(tag=1): ...".
type PacketSpec struct {
	Line   int
	Dir    Direction
	Tag    *uint32 // sctp(tag=N): the verification tag, as is
	BadCRC bool    // sctp(bad_crc32c): inject with a wrong checksum
	Chunks []*ChunkSpec
}

func (p *PacketSpec) String() string {
	var sb strings.Builder
	sb.WriteString(p.Dir.String())
	sb.WriteString(" sctp")
	var opts []string
	if p.Tag != nil {
		opts = append(opts, fmt.Sprintf("tag=%d", *p.Tag))
	}
	if p.BadCRC {
		opts = append(opts, "bad_crc32c")
	}
	if len(opts) > 0 {
		sb.WriteString("(" + strings.Join(opts, ", ") + ")")
	}
	sb.WriteString(": ")
	for i, c := range p.Chunks {
		if i > 0 {
			sb.WriteString("; ")
		}
		sb.WriteString(c.Src)
	}
	return sb.String()
}

// numKind says whether a numeric field is absent, a wildcard or a value.
type numKind uint8

const (
	numOmit numKind = iota // not written: a default when injecting, not checked when expecting
	numAny                 // "...": any value
	numVal                 // a value
)

// Num is a numeric field of a chunk, parameter or cause.
type Num struct {
	Kind numKind
	V    uint64
}

func (n Num) set() bool { return n.Kind == numVal }

// Bytes is a byte-string field (val=[...], info=..., a host name).
type Bytes struct {
	Kind numKind
	B    []byte
}

// NumList is a list field (dups=[...], types=[...], sids=[...]).
type NumList struct {
	Kind numKind
	V    []uint64
}

// BlockList is a list of ranges (gaps=[2:3, 5:5], ids=[sid:ssn]).
type BlockList struct {
	Kind numKind
	V    [][2]uint64
}

// ChunkSpec is one chunk of a packet line.
type ChunkSpec struct {
	Line   int
	Src    string // the chunk as written, normalised
	Name   string // DATA, INIT, ..., CHUNK
	Type   wire.ChunkType
	Flags  Num
	Len    Num
	Fields map[string]Num // the other numeric fields by their script name
	Val    Bytes          // val=[...] of CHUNK, COOKIE_ECHO, DATA, I_DATA, PAD
	Gaps   BlockList      // SACK, NR_SACK
	NRGaps BlockList      // NR_SACK
	Dups   NumList        // SACK, NR_SACK
	IDs    BlockList      // FORWARD_TSN, I_FORWARD_TSN
	Items  []*ItemSpec    // parameters or error causes, "..." entries included
}

// ItemSpec is a parameter or an error cause, or a "..." entry standing
// for any number of them.
type ItemSpec struct {
	Line    int
	Src     string
	Wild    bool // "..."
	Name    string
	IsCause bool
	Code    uint16 // parameter type or cause code
	Len     Num
	Fields  map[string]Num
	Val     Bytes // val=, info=, HOSTNAME_ADDRESS addr=
	Addr    *netip.Addr
	AddrAny bool
	Types   NumList
	Sub     []*ItemSpec // params=[...], param=X, addrs=[...]
	SubAny  bool
	Chunk   *ChunkSpec // chk=CHUNK[...]
}

// valueKind is the kind of value a key takes.
type valueKind uint8

const (
	kNum8 valueKind = iota + 1
	kNum16
	kNum32
	kFlags
	kBytes
	kBlocks
	kList32
	kList16
	kAddrTypes
	kChunkTypes
	kParamTypes
	kAddr
	kStr
	kParams
	kParam
	kChunk
)

type chunkDef struct {
	typ     wire.ChunkType
	keys    map[string]valueKind
	letters map[byte]uint8 // flag letters
	items   uint8          // 0 none, itemParams, itemCauses
}

const (
	itemParams = 1
	itemCauses = 2
)

var dataLetters = map[byte]uint8{'I': wire.FlagImmediate, 'U': wire.FlagUnordered, 'B': wire.FlagBeginning, 'E': wire.FlagEnding}
var tLetters = map[byte]uint8{'T': wire.FlagT}

func keys(kv ...any) map[string]valueKind {
	m := map[string]valueKind{"flgs": kFlags, "len": kNum16}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(valueKind)
	}
	return m
}

var chunkDefs = map[string]chunkDef{
	"DATA":              {wire.ChunkData, keys("tsn", kNum32, "sid", kNum16, "ssn", kNum16, "ppid", kNum32, "val", kBytes), dataLetters, 0},
	"INIT":              {wire.ChunkInit, keys("tag", kNum32, "a_rwnd", kNum32, "os", kNum16, "is", kNum16, "tsn", kNum32), nil, itemParams},
	"INIT_ACK":          {wire.ChunkInitAck, keys("tag", kNum32, "a_rwnd", kNum32, "os", kNum16, "is", kNum16, "tsn", kNum32), nil, itemParams},
	"SACK":              {wire.ChunkSack, keys("cum_tsn", kNum32, "a_rwnd", kNum32, "gaps", kBlocks, "dups", kList32), nil, 0},
	"NR_SACK":           {wire.ChunkNRSack, keys("cum_tsn", kNum32, "a_rwnd", kNum32, "gaps", kBlocks, "nr_gaps", kBlocks, "dups", kList32), nil, 0},
	"HEARTBEAT":         {wire.ChunkHeartbeat, keys(), nil, itemParams},
	"HEARTBEAT_ACK":     {wire.ChunkHeartbeatAck, keys(), nil, itemParams},
	"ABORT":             {wire.ChunkAbort, keys(), tLetters, itemCauses},
	"SHUTDOWN":          {wire.ChunkShutdown, keys("cum_tsn", kNum32), nil, 0},
	"SHUTDOWN_ACK":      {wire.ChunkShutdownAck, keys(), nil, 0},
	"ERROR":             {wire.ChunkError, keys(), nil, itemCauses},
	"COOKIE_ECHO":       {wire.ChunkCookieEcho, keys("val", kBytes), nil, 0},
	"COOKIE_ACK":        {wire.ChunkCookieAck, keys(), nil, 0},
	"ECNE":              {wire.ChunkECNE, keys("tsn", kNum32), nil, 0},
	"CWR":               {wire.ChunkCWR, keys("tsn", kNum32), nil, 0},
	"SHUTDOWN_COMPLETE": {wire.ChunkShutdownComplete, keys(), tLetters, 0},
	"I_DATA":            {wire.ChunkIData, keys("tsn", kNum32, "sid", kNum16, "mid", kNum32, "ppid", kNum32, "fsn", kNum32, "val", kBytes), dataLetters, 0},
	"PAD":               {wire.ChunkPad, keys("val", kBytes), nil, 0},
	"RECONFIG":          {wire.ChunkReconfig, keys(), nil, itemParams},
	"FORWARD_TSN":       {wire.ChunkForwardTSN, keys("cum_tsn", kNum32, "ids", kBlocks), nil, 0},
	"I_FORWARD_TSN":     {wire.ChunkIForwardTSN, keys("cum_tsn", kNum32, "ids", kBlocks), nil, 0},
	"CHUNK":             {0, keys("type", kNum8, "val", kBytes), nil, 0},
}

// unsupportedChunks are chunk keywords of packetdrill's dialect that this
// interpreter does not build or match.
var unsupportedChunks = map[string]string{
	"AUTH":       "AUTH chunks",
	"ASCONF":     "ASCONF chunks",
	"ASCONF_ACK": "ASCONF ACK chunks",
}

type itemDef struct {
	code uint16
	keys map[string]valueKind
}

func ikeys(kv ...any) map[string]valueKind {
	m := map[string]valueKind{"len": kNum16}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(valueKind)
	}
	return m
}

var paramDefs = map[string]itemDef{
	"HEARTBEAT_INFORMATION":    {uint16(wire.ParamHeartbeatInfo), ikeys("val", kBytes)},
	"IPV4_ADDRESS":             {uint16(wire.ParamIPv4Address), ikeys("addr", kAddr)},
	"IPV6_ADDRESS":             {uint16(wire.ParamIPv6Address), ikeys("addr", kAddr)},
	"STATE_COOKIE":             {uint16(wire.ParamStateCookie), ikeys("val", kBytes)},
	"UNRECOGNIZED_PARAMETER":   {uint16(wire.ParamUnrecognizedParameter), ikeys("params", kParams)},
	"COOKIE_PRESERVATIVE":      {uint16(wire.ParamCookiePreservative), ikeys("incr", kNum32)},
	"HOSTNAME_ADDRESS":         {uint16(wire.ParamHostNameAddress), ikeys("addr", kStr)},
	"SUPPORTED_ADDRESS_TYPES":  {uint16(wire.ParamSupportedAddressTypes), ikeys("types", kAddrTypes)},
	"ECN_CAPABLE":              {uint16(wire.ParamECNCapable), ikeys()},
	"FORWARD_TSN_SUPPORTED":    {uint16(wire.ParamForwardTSNSupported), ikeys()},
	"SUPPORTED_EXTENSIONS":     {uint16(wire.ParamSupportedExtensions), ikeys("types", kChunkTypes)},
	"ADAPTATION_INDICATION":    {uint16(wire.ParamAdaptationLayerIndication), ikeys("adaptation_code_point", kNum32)},
	"PAD":                      {uint16(wire.ParamPadding), ikeys("val", kBytes)},
	"ZERO_CHECKSUM_ACCEPTABLE": {uint16(wire.ParamZeroChecksumAcceptable), ikeys("edmid", kNum32)},
	"OUTGOING_SSN_RESET":       {uint16(wire.ParamOutgoingSSNResetRequest), ikeys("req_sn", kNum32, "resp_sn", kNum32, "last_tsn", kNum32, "sids", kList16)},
	"INCOMING_SSN_RESET":       {uint16(wire.ParamIncomingSSNResetRequest), ikeys("req_sn", kNum32, "sids", kList16)},
	"SSN_TSN_RESET":            {uint16(wire.ParamSSNTSNResetRequest), ikeys("req_sn", kNum32)},
	"RECONFIG_RESPONSE":        {uint16(wire.ParamReconfigResponse), ikeys("resp_sn", kNum32, "result", kNum32, "sender_next_tsn", kNum32, "receiver_next_tsn", kNum32)},
	"ADD_OUTGOING_STREAMS":     {uint16(wire.ParamAddOutgoingStreams), ikeys("req_sn", kNum32, "number_of_new_streams", kNum16)},
	"ADD_INCOMING_STREAMS":     {uint16(wire.ParamAddIncomingStreams), ikeys("req_sn", kNum32, "number_of_new_streams", kNum16)},
	"PARAMETER":                {0, ikeys("type", kNum16, "val", kBytes)},
}

var causeDefs = map[string]itemDef{
	"INVALID_STREAM_IDENTIFIER":           {uint16(wire.CauseInvalidStreamIdentifier), ikeys("sid", kNum16)},
	"MISSING_MANDATORY_PARAMETER":         {uint16(wire.CauseMissingMandatoryParameter), ikeys("types", kParamTypes)},
	"STALE_COOKIE_ERROR":                  {uint16(wire.CauseStaleCookie), ikeys("staleness", kNum32)},
	"OUT_OF_RESOURCES":                    {uint16(wire.CauseOutOfResource), ikeys()},
	"UNRESOLVABLE_ADDRESS":                {uint16(wire.CauseUnresolvableAddress), ikeys("param", kParam)},
	"UNRECOGNIZED_CHUNK_TYPE":             {uint16(wire.CauseUnrecognizedChunkType), ikeys("chk", kChunk)},
	"INVALID_MANDATORY_PARAMETER":         {uint16(wire.CauseInvalidMandatoryParameter), ikeys()},
	"UNRECOGNIZED_PARAMETERS":             {uint16(wire.CauseUnrecognizedParameters), ikeys("params", kParams)},
	"NO_USER_DATA":                        {uint16(wire.CauseNoUserData), ikeys("tsn", kNum32)},
	"COOKIE_RECEIVED_WHILE_SHUTTING_DOWN": {uint16(wire.CauseCookieWhileShuttingDown), ikeys()},
	"RESTART_WITH_NEW_ADDRESSES":          {uint16(wire.CauseRestartWithNewAddresses), ikeys("addrs", kParams)},
	"USER_INITIATED_ABORT":                {uint16(wire.CauseUserInitiatedAbort), ikeys("info", kBytes)},
	"PROTOCOL_VIOLATION":                  {uint16(wire.CauseProtocolViolation), ikeys("info", kBytes)},
	"CAUSE":                               {0, ikeys("code", kNum16, "info", kBytes)},
}

var addrTypeNames = map[string]uint64{"IPv4": 5, "IPV4": 5, "IPv6": 6, "IPV6": 6, "HOSTNAME": 11, "HOSTNAME_ADDRESS": 11}

var chunkTypeNames = func() map[string]uint64 {
	m := map[string]uint64{}
	for name, d := range chunkDefs {
		if name != "CHUNK" {
			m[name] = uint64(d.typ)
		}
	}
	m["AUTH"] = uint64(wire.ChunkAuth)
	m["ASCONF"] = uint64(wire.ChunkAsconf)
	m["ASCONF_ACK"] = uint64(wire.ChunkAsconfAck)
	return m
}()

var paramTypeNames = func() map[string]uint64 {
	m := map[string]uint64{}
	for name, d := range paramDefs {
		if name != "PARAMETER" {
			m[name] = uint64(d.code)
		}
	}
	return m
}()

func sortedKeys(m map[string]valueKind) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

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
