package drill

import (
	"sort"
	"strings"

	"github.com/sconnlab/sconn/wire"
)

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
