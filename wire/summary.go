package wire

import (
	"net/netip"
	"strconv"
)

// One-line packet descriptions for logs and packet dumps. The format is for
// people, not for parsing; sctpdump -json gives the same fields as JSON.

// summaryMaxList is how many entries of a list (gap blocks, duplicate TSNs,
// stream entries, parameters, causes) a summary shows before "... N more".
const summaryMaxList = 16

// Summary returns a one-line description of a packet: ports, verification
// tag, and each chunk with its key fields, for example
//
//	5000 > 5000 vtag 0x1234abcd: DATA tsn 12 sid 1 ssn 3 ppid 51 BE len 1100; SACK cum 11 a_rwnd 131072 gaps 1 [2-3] dups 0
//
// See AppendChunkSummary for the chunks. Summary never panics, whatever the
// packet holds.
func Summary(p Packet) string {
	return string(AppendSummary(make([]byte, 0, 128), p))
}

// AppendSummary appends Summary(p) to dst. It allocates only to describe
// error causes and malformed chunks.
func AppendSummary(dst []byte, p Packet) []byte {
	if len(p.b) < HeaderLen {
		return append(dst, "not a packet"...)
	}
	dst = strconv.AppendUint(dst, uint64(p.SrcPort()), 10)
	dst = append(dst, " > "...)
	dst = strconv.AppendUint(dst, uint64(p.DstPort()), 10)
	dst = append(dst, " vtag 0x"...)
	dst = sumAppendHex(dst, uint64(p.VerificationTag()), 8)
	dst = append(dst, ':')
	it := p.Chunks()
	n := 0
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		if n > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, ' ')
		dst = AppendChunkSummary(dst, c)
		n++
	}
	if n == 0 {
		dst = append(dst, " no chunks"...)
	}
	return dst
}

// AppendChunkSummary appends a description of one chunk to dst: its name and
// key fields.
//
//	DATA tsn 12 sid 1 ssn 3 ppid 51 UBEI len 1100   (flags U, B, E, I when set)
//	I-DATA tsn 12 sid 1 mid 3 ppid 51 B len 1100    (fsn N instead of ppid when B is clear)
//	SACK cum 11 a_rwnd 131072 gaps 2 [2-3,5-5] dups 1 [9]
//	NR-SACK cum 11 a_rwnd 131072 gaps 0 nr-gaps 1 [2-3] dups 0 all-nr
//	INIT tag 0x1234abcd a_rwnd 131072 os 10 mis 65535 tsn 1000 params: IPv4 Address 10.0.0.1, ECN Capable, …
//	ABORT T causes: User-Initiated Abort: "bye"
//	SHUTDOWN cum 11, SHUTDOWN COMPLETE T, COOKIE ECHO len 300, HEARTBEAT info 40
//	FORWARD TSN cum 11 streams 1 [1:5], I-FORWARD TSN cum 11 streams 1 [1:5U]
//	RE-CONFIG params: Outgoing SSN Reset Request req 3 resp 2 last_tsn 10 streams [1,2]
//	ASCONF serial 1 addr 10.0.0.1 params: Add IP Address corr 1 10.0.0.3
//	chunk 0xc5 flags 0x00 len 8                      (a type this package does not know)
//
// A chunk that does not decode is shown as its name followed by
// "malformed: " and the decoder's error.
func AppendChunkSummary(dst []byte, c Chunk) []byte {
	if c.b == nil {
		return append(dst, "no chunk"...)
	}
	t := c.Type()
	if !t.Known() {
		dst = append(dst, "chunk 0x"...)
		dst = sumAppendHex(dst, uint64(t), 2)
		dst = append(dst, " flags 0x"...)
		dst = sumAppendHex(dst, uint64(c.Flags()), 2)
		return sumAppendInt(dst, " len ", len(c.b))
	}
	dst = append(dst, t.String()...)
	var err error
	switch t {
	case ChunkData:
		var x Data
		if x, err = DecodeData(c); err == nil {
			dst = sumAppendUint(dst, " tsn ", x.TSN)
			dst = sumAppendUint(dst, " sid ", uint32(x.StreamID))
			dst = sumAppendUint(dst, " ssn ", uint32(x.SSN))
			dst = sumAppendUint(dst, " ppid ", x.PPID)
			dst = sumAppendDataFlags(dst, c.Flags())
			dst = sumAppendInt(dst, " len ", len(x.UserData))
		}
	case ChunkIData:
		var x IData
		if x, err = DecodeIData(c); err == nil {
			dst = sumAppendUint(dst, " tsn ", x.TSN)
			dst = sumAppendUint(dst, " sid ", uint32(x.StreamID))
			dst = sumAppendUint(dst, " mid ", x.MID)
			if x.Beginning {
				dst = sumAppendUint(dst, " ppid ", x.PPID)
			} else {
				dst = sumAppendUint(dst, " fsn ", x.FSN)
			}
			dst = sumAppendDataFlags(dst, c.Flags())
			dst = sumAppendInt(dst, " len ", len(x.UserData))
		}
	case ChunkInit:
		var x Init
		if x, err = DecodeInit(c); err == nil {
			dst = sumAppendInitSummary(dst, x.InitiateTag, x.ARwnd, x.OutStreams, x.InStreams, x.InitialTSN, x.ParamIter())
		}
	case ChunkInitAck:
		var x InitAck
		if x, err = DecodeInitAck(c); err == nil {
			dst = sumAppendInitSummary(dst, x.InitiateTag, x.ARwnd, x.OutStreams, x.InStreams, x.InitialTSN, x.ParamIter())
		}
	case ChunkSack:
		var x Sack
		if x, err = DecodeSack(c); err == nil {
			dst = sumAppendUint(dst, " cum ", x.CumulativeTSNAck)
			dst = sumAppendUint(dst, " a_rwnd ", x.ARwnd)
			dst = sumAppendGaps(dst, " gaps ", x.NumGapBlocks(), x.GapBlock)
			dst = sumAppendDups(dst, x.NumDupTSNs(), x.DupTSN)
		}
	case ChunkNRSack:
		var x NRSack
		if x, err = DecodeNRSack(c); err == nil {
			dst = sumAppendUint(dst, " cum ", x.CumulativeTSNAck)
			dst = sumAppendUint(dst, " a_rwnd ", x.ARwnd)
			dst = sumAppendGaps(dst, " gaps ", x.NumGapBlocks(), x.GapBlock)
			dst = sumAppendGaps(dst, " nr-gaps ", x.NumNRGapBlocks(), x.NRGapBlock)
			dst = sumAppendDups(dst, x.NumDupTSNs(), x.DupTSN)
			if x.AllNonRenegable() {
				dst = append(dst, " all-nr"...)
			}
		}
	case ChunkHeartbeat:
		var x Heartbeat
		if x, err = DecodeHeartbeat(c); err == nil {
			dst = sumAppendInt(dst, " info ", len(x.Info))
		}
	case ChunkHeartbeatAck:
		var x HeartbeatAck
		if x, err = DecodeHeartbeatAck(c); err == nil {
			dst = sumAppendInt(dst, " info ", len(x.Info))
		}
	case ChunkAbort:
		var x Abort
		if x, err = DecodeAbort(c); err == nil {
			if x.TagReflected {
				dst = append(dst, " T"...)
			}
			dst = sumAppendCauses(dst, " causes: ", x.CauseIter())
		}
	case ChunkError:
		var x ErrorChunk
		if x, err = DecodeErrorChunk(c); err == nil {
			dst = sumAppendCauses(dst, " causes: ", x.CauseIter())
		}
	case ChunkShutdown:
		var x Shutdown
		if x, err = DecodeShutdown(c); err == nil {
			dst = sumAppendUint(dst, " cum ", x.CumulativeTSNAck)
		}
	case ChunkShutdownAck:
		_, err = DecodeShutdownAck(c)
	case ChunkShutdownComplete:
		var x ShutdownComplete
		if x, err = DecodeShutdownComplete(c); err == nil && x.TagReflected {
			dst = append(dst, " T"...)
		}
	case ChunkCookieEcho:
		var x CookieEcho
		if x, err = DecodeCookieEcho(c); err == nil {
			dst = sumAppendInt(dst, " len ", len(x.Cookie))
		}
	case ChunkCookieAck:
		_, err = DecodeCookieAck(c)
	case ChunkECNE:
		var x ECNE
		if x, err = DecodeECNE(c); err == nil {
			dst = sumAppendUint(dst, " lowest_tsn ", x.LowestTSN)
			if len(c.b) == ECNELongLen {
				dst = sumAppendUint(dst, " pkts ", x.NumPacketsSinceCWR)
			}
		}
	case ChunkCWR:
		var x CWR
		if x, err = DecodeCWR(c); err == nil {
			dst = sumAppendUint(dst, " lowest_tsn ", x.LowestTSN)
			if x.Flags != 0 {
				dst = append(dst, " flags 0x"...)
				dst = sumAppendHex(dst, uint64(x.Flags), 2)
			}
		}
	case ChunkAuth:
		var x Auth
		if x, err = DecodeAuth(c); err == nil {
			dst = sumAppendUint(dst, " key ", uint32(x.SharedKeyID))
			dst = append(dst, " hmac "...)
			dst = sumAppendHMACID(dst, x.HMACID)
			dst = sumAppendInt(dst, " len ", len(x.HMAC))
		}
	case ChunkPad:
		var x Pad
		if x, err = DecodePad(c); err == nil {
			dst = sumAppendInt(dst, " len ", x.Len)
		}
	case ChunkForwardTSN:
		var x ForwardTSN
		if x, err = DecodeForwardTSN(c); err == nil {
			dst = sumAppendUint(dst, " cum ", x.NewCumulativeTSN)
			n := x.NumStreams()
			dst = sumAppendInt(dst, " streams ", n)
			for i := range min(n, summaryMaxList) {
				dst = sumAppendListSep(dst, i)
				s := x.Stream(i)
				dst = strconv.AppendUint(dst, uint64(s.StreamID), 10)
				dst = sumAppendUint(dst, ":", uint32(s.SSN))
			}
			dst = sumAppendListEnd(dst, n)
		}
	case ChunkIForwardTSN:
		var x IForwardTSN
		if x, err = DecodeIForwardTSN(c); err == nil {
			dst = sumAppendUint(dst, " cum ", x.NewCumulativeTSN)
			n := x.NumStreams()
			dst = sumAppendInt(dst, " streams ", n)
			for i := range min(n, summaryMaxList) {
				dst = sumAppendListSep(dst, i)
				s := x.Stream(i)
				dst = strconv.AppendUint(dst, uint64(s.StreamID), 10)
				dst = sumAppendUint(dst, ":", s.MID)
				if s.Unordered {
					dst = append(dst, 'U')
				}
			}
			dst = sumAppendListEnd(dst, n)
		}
	case ChunkReconfig:
		var x Reconfig
		if x, err = DecodeReconfig(c); err == nil {
			dst = sumAppendParams(dst, x.ParamIter())
		}
	case ChunkAsconf:
		var x Asconf
		if x, err = DecodeAsconf(c); err == nil {
			dst = sumAppendUint(dst, " serial ", x.SequenceNumber)
			dst = append(dst, " addr "...)
			dst = x.Address.AppendTo(dst)
			dst = sumAppendParams(dst, x.ParamIter())
		}
	case ChunkAsconfAck:
		var x AsconfAck
		if x, err = DecodeAsconfAck(c); err == nil {
			dst = sumAppendUint(dst, " serial ", x.SequenceNumber)
			dst = sumAppendParams(dst, x.ParamIter())
		}
	}
	if err != nil {
		dst = append(dst, " malformed: "...)
		dst = append(dst, err.Error()...)
	}
	return dst
}

func sumAppendInitSummary(dst []byte, tag, rwnd uint32, os, mis uint16, tsn uint32, it ParamIter) []byte {
	dst = append(dst, " tag 0x"...)
	dst = sumAppendHex(dst, uint64(tag), 8)
	dst = sumAppendUint(dst, " a_rwnd ", rwnd)
	dst = sumAppendUint(dst, " os ", uint32(os))
	dst = sumAppendUint(dst, " mis ", uint32(mis))
	dst = sumAppendUint(dst, " tsn ", tsn)
	return sumAppendParams(dst, it)
}

// sumAppendParams appends " params: " and a description of each parameter,
// or nothing for an empty list.
func sumAppendParams(dst []byte, it ParamIter) []byte {
	n := 0
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if n < summaryMaxList {
			if n == 0 {
				dst = append(dst, " params: "...)
			} else {
				dst = append(dst, ", "...)
			}
			dst = sumAppendParamSummary(dst, p)
		}
		n++
	}
	if n > summaryMaxList {
		dst = sumAppendInt(dst, ", ... ", n-summaryMaxList)
		dst = append(dst, " more"...)
	}
	if err := it.Err(); err != nil {
		dst = append(dst, " malformed: "...)
		dst = append(dst, err.Error()...)
	}
	return dst
}

// sumAppendParamSummary appends the name of a parameter and, for most of them,
// its value: addresses, chunk type lists, numbers; the length of opaque
// ones (State Cookie, Random, Padding, Heartbeat Info).
func sumAppendParamSummary(dst []byte, p Param) []byte {
	t := p.Type()
	if !t.Known() {
		dst = append(dst, "parameter 0x"...)
		dst = sumAppendHex(dst, uint64(t), 4)
		return sumAppendInt(dst, " len ", len(p.b))
	}
	dst = append(dst, t.String()...)
	var err error
	switch t {
	case ParamHeartbeatInfo:
		var x HeartbeatInfoParam
		if x, err = DecodeHeartbeatInfoParam(p); err == nil {
			dst = sumAppendInt(dst, " len ", len(x.Info))
		}
	case ParamIPv4Address, ParamIPv6Address:
		a, e := DecodeAddressParam(p)
		if err = e; err == nil {
			dst = append(dst, ' ')
			dst = a.AppendTo(dst)
		}
	case ParamStateCookie:
		var x StateCookieParam
		if x, err = DecodeStateCookieParam(p); err == nil {
			dst = sumAppendInt(dst, " len ", len(x.Cookie))
		}
	case ParamUnrecognizedParameter:
		var x UnrecognizedParameterParam
		if x, err = DecodeUnrecognizedParameterParam(p); err == nil {
			dst = append(dst, " ["...)
			if q, ok := x.Param(); ok {
				dst = sumAppendParamSummary(dst, q)
			}
			dst = append(dst, ']')
		}
	case ParamCookiePreservative:
		var x CookiePreservativeParam
		if x, err = DecodeCookiePreservativeParam(p); err == nil {
			dst = sumAppendUint(dst, " ", x.LifeSpanIncrement)
			dst = append(dst, " ms"...)
		}
	case ParamHostNameAddress:
		var x HostNameAddressParam
		if x, err = DecodeHostNameAddressParam(p); err == nil {
			dst = append(dst, ' ')
			dst = strconv.AppendQuote(dst, string(sumTruncate(x.Name(), 64)))
		}
	case ParamSupportedAddressTypes:
		var x SupportedAddressTypesParam
		if x, err = DecodeSupportedAddressTypesParam(p); err == nil {
			n := x.NumTypes()
			dst = append(dst, " ["...)
			for i := range min(n, summaryMaxList) {
				if i > 0 {
					dst = append(dst, ',')
				}
				switch at := x.Type(i); at {
				case ParamIPv4Address:
					dst = append(dst, "IPv4"...)
				case ParamIPv6Address:
					dst = append(dst, "IPv6"...)
				case ParamHostNameAddress:
					dst = append(dst, "Host Name"...)
				default:
					dst = strconv.AppendUint(dst, uint64(at), 10)
				}
			}
			dst = sumAppendBracketEnd(dst, n)
		}
	case ParamOutgoingSSNResetRequest:
		var x OutgoingSSNResetRequestParam
		if x, err = DecodeOutgoingSSNResetRequestParam(p); err == nil {
			dst = sumAppendUint(dst, " req ", x.RequestSeq)
			dst = sumAppendUint(dst, " resp ", x.ResponseSeq)
			dst = sumAppendUint(dst, " last_tsn ", x.LastTSN)
			dst = sumAppendStreamList(dst, x.NumStreams(), x.Stream)
		}
	case ParamIncomingSSNResetRequest:
		var x IncomingSSNResetRequestParam
		if x, err = DecodeIncomingSSNResetRequestParam(p); err == nil {
			dst = sumAppendUint(dst, " req ", x.RequestSeq)
			dst = sumAppendStreamList(dst, x.NumStreams(), x.Stream)
		}
	case ParamSSNTSNResetRequest:
		var x SSNTSNResetRequestParam
		if x, err = DecodeSSNTSNResetRequestParam(p); err == nil {
			dst = sumAppendUint(dst, " req ", x.RequestSeq)
		}
	case ParamReconfigResponse:
		var x ReconfigResponseParam
		if x, err = DecodeReconfigResponseParam(p); err == nil {
			dst = sumAppendUint(dst, " resp ", x.ResponseSeq)
			dst = sumAppendUint(dst, " result ", uint32(x.Result))
			dst = append(dst, " ("...)
			dst = append(dst, x.Result.String()...)
			dst = append(dst, ')')
			if x.HasTSNs {
				dst = sumAppendUint(dst, " sender_next_tsn ", x.SenderNextTSN)
				dst = sumAppendUint(dst, " receiver_next_tsn ", x.ReceiverNextTSN)
			}
		}
	case ParamAddOutgoingStreams:
		var x AddOutgoingStreamsParam
		if x, err = DecodeAddOutgoingStreamsParam(p); err == nil {
			dst = sumAppendUint(dst, " req ", x.RequestSeq)
			dst = sumAppendUint(dst, " new ", uint32(x.NumNewStreams))
		}
	case ParamAddIncomingStreams:
		var x AddIncomingStreamsParam
		if x, err = DecodeAddIncomingStreamsParam(p); err == nil {
			dst = sumAppendUint(dst, " req ", x.RequestSeq)
			dst = sumAppendUint(dst, " new ", uint32(x.NumNewStreams))
		}
	case ParamECNCapable:
		_, err = DecodeECNCapableParam(p)
	case ParamForwardTSNSupported:
		_, err = DecodeForwardTSNSupportedParam(p)
	case ParamZeroChecksumAcceptable:
		var x ZeroChecksumAcceptableParam
		if x, err = DecodeZeroChecksumAcceptableParam(p); err == nil {
			dst = sumAppendUint(dst, " edmid ", x.EDMID)
		}
	case ParamRandom:
		var x RandomParam
		if x, err = DecodeRandomParam(p); err == nil {
			dst = sumAppendInt(dst, " len ", len(x.Random))
		}
	case ParamChunkList:
		var x ChunkListParam
		if x, err = DecodeChunkListParam(p); err == nil {
			dst = sumAppendChunkTypes(dst, x.ChunkTypes)
		}
	case ParamSupportedExtensions:
		var x SupportedExtensionsParam
		if x, err = DecodeSupportedExtensionsParam(p); err == nil {
			dst = sumAppendChunkTypes(dst, x.ChunkTypes)
		}
	case ParamRequestedHMACAlgorithm:
		var x RequestedHMACAlgorithmParam
		if x, err = DecodeRequestedHMACAlgorithmParam(p); err == nil {
			n := x.NumIDs()
			dst = append(dst, " ["...)
			for i := range min(n, summaryMaxList) {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = sumAppendHMACID(dst, x.ID(i))
			}
			dst = sumAppendBracketEnd(dst, n)
		}
	case ParamPadding:
		var x PaddingParam
		if x, err = DecodePaddingParam(p); err == nil {
			dst = sumAppendInt(dst, " len ", x.Len)
		}
	case ParamAddIPAddress:
		var x AddIPAddressParam
		if x, err = DecodeAddIPAddressParam(p); err == nil {
			dst, err = sumAppendAsconfRequest(dst, x.CorrelationID, x.Addr)
		}
	case ParamDeleteIPAddress:
		var x DeleteIPAddressParam
		if x, err = DecodeDeleteIPAddressParam(p); err == nil {
			dst, err = sumAppendAsconfRequest(dst, x.CorrelationID, x.Addr)
		}
	case ParamSetPrimaryAddress:
		var x SetPrimaryAddressParam
		if x, err = DecodeSetPrimaryAddressParam(p); err == nil {
			dst, err = sumAppendAsconfRequest(dst, x.CorrelationID, x.Addr)
		}
	case ParamErrorCauseIndication:
		var x ErrorCauseIndicationParam
		if x, err = DecodeErrorCauseIndicationParam(p); err == nil {
			dst = sumAppendUint(dst, " corr ", x.CorrelationID)
			dst = append(dst, " ["...)
			dst = sumAppendCauses(dst, "", x.CauseIter())
			dst = append(dst, ']')
		}
	case ParamSuccessIndication:
		var x SuccessIndicationParam
		if x, err = DecodeSuccessIndicationParam(p); err == nil {
			dst = sumAppendUint(dst, " corr ", x.CorrelationID)
		}
	case ParamAdaptationLayerIndication:
		var x AdaptationLayerIndicationParam
		if x, err = DecodeAdaptationLayerIndicationParam(p); err == nil {
			dst = append(dst, " 0x"...)
			dst = sumAppendHex(dst, uint64(x.AdaptationCodePoint), 8)
		}
	}
	if err != nil {
		dst = append(dst, " malformed: "...)
		dst = append(dst, err.Error()...)
	}
	return dst
}

// sumAppendAsconfRequest appends the correlation ID and the address of an
// Add IP Address, Delete IP Address or Set Primary Address parameter, or
// returns the error that decoding the address gave.
func sumAppendAsconfRequest(dst []byte, corr uint32, addr func() (netip.Addr, error)) ([]byte, error) {
	dst = sumAppendUint(dst, " corr ", corr)
	a, err := addr()
	if err != nil {
		return dst, err
	}
	dst = append(dst, ' ')
	return a.AppendTo(dst), nil
}

// sumAppendCauses appends prefix and DescribeCause of each cause, separated by
// ", "; nothing for an empty list.
func sumAppendCauses(dst []byte, prefix string, it CauseIter) []byte {
	n := 0
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		if n < summaryMaxList {
			if n == 0 {
				dst = append(dst, prefix...)
			} else {
				dst = append(dst, ", "...)
			}
			dst = append(dst, DescribeCause(c)...)
		}
		n++
	}
	if n > summaryMaxList {
		dst = sumAppendInt(dst, ", ... ", n-summaryMaxList)
		dst = append(dst, " more"...)
	}
	if err := it.Err(); err != nil {
		dst = append(dst, " malformed: "...)
		dst = append(dst, err.Error()...)
	}
	return dst
}

// sumAppendChunkTypes appends " [NAME,NAME,…]" for a list of chunk types.
func sumAppendChunkTypes(dst []byte, types []byte) []byte {
	dst = append(dst, " ["...)
	for i, t := range types {
		if i == summaryMaxList {
			break
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, ChunkType(t).String()...)
	}
	return sumAppendBracketEnd(dst, len(types))
}

// sumAppendStreamList appends " streams [1,2,3]", or " streams all" for an
// empty list (RFC 6525 §4.1: all streams).
func sumAppendStreamList(dst []byte, n int, at func(int) uint16) []byte {
	if n == 0 {
		return append(dst, " streams all"...)
	}
	dst = append(dst, " streams ["...)
	for i := range min(n, summaryMaxList) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendUint(dst, uint64(at(i)), 10)
	}
	return sumAppendBracketEnd(dst, n)
}

// sumAppendGaps appends label, the number of gap ack blocks and, if there are
// any, the blocks as start-end offsets.
func sumAppendGaps(dst []byte, label string, n int, at func(int) (uint16, uint16)) []byte {
	dst = sumAppendInt(dst, label, n)
	for i := range min(n, summaryMaxList) {
		dst = sumAppendListSep(dst, i)
		s, e := at(i)
		dst = strconv.AppendUint(dst, uint64(s), 10)
		dst = sumAppendUint(dst, "-", uint32(e))
	}
	return sumAppendListEnd(dst, n)
}

// sumAppendDups appends the number of duplicate TSNs and, if there are any, the
// TSNs.
func sumAppendDups(dst []byte, n int, at func(int) uint32) []byte {
	dst = sumAppendInt(dst, " dups ", n)
	for i := range min(n, summaryMaxList) {
		dst = sumAppendListSep(dst, i)
		dst = strconv.AppendUint(dst, uint64(at(i)), 10)
	}
	return sumAppendListEnd(dst, n)
}

// sumAppendListSep opens a " [" list before entry 0 and separates the others
// with commas.
func sumAppendListSep(dst []byte, i int) []byte {
	if i == 0 {
		return append(dst, " ["...)
	}
	return append(dst, ',')
}

// sumAppendListEnd closes a list of n entries opened by sumAppendListSep,
// noting the entries beyond summaryMaxList. An empty list was not opened and
// is not closed.
func sumAppendListEnd(dst []byte, n int) []byte {
	if n == 0 {
		return dst
	}
	return sumAppendBracketEnd(dst, n)
}

// sumAppendBracketEnd closes a list of n entries opened with " [" by hand,
// noting the entries beyond summaryMaxList.
func sumAppendBracketEnd(dst []byte, n int) []byte {
	if n > summaryMaxList {
		dst = sumAppendInt(dst, ",... ", n-summaryMaxList)
		dst = append(dst, " more"...)
	}
	return append(dst, ']')
}

// sumAppendDataFlags appends " " and the letters of the U, B, E and I flags of
// a DATA or I-DATA chunk that are set, or nothing when none is.
func sumAppendDataFlags(dst []byte, f uint8) []byte {
	if f&(FlagUnordered|FlagBeginning|FlagEnding|FlagImmediate) == 0 {
		return dst
	}
	dst = append(dst, ' ')
	if f&FlagUnordered != 0 {
		dst = append(dst, 'U')
	}
	if f&FlagBeginning != 0 {
		dst = append(dst, 'B')
	}
	if f&FlagEnding != 0 {
		dst = append(dst, 'E')
	}
	if f&FlagImmediate != 0 {
		dst = append(dst, 'I')
	}
	return dst
}

// sumAppendHMACID appends an HMAC identifier (RFC 4895 §3.3) by name when it has
// one.
func sumAppendHMACID(dst []byte, id uint16) []byte {
	switch id {
	case 1:
		return append(dst, "SHA-1"...)
	case 3:
		return append(dst, "SHA-256"...)
	}
	return strconv.AppendUint(dst, uint64(id), 10)
}

func sumAppendUint(dst []byte, label string, v uint32) []byte {
	dst = append(dst, label...)
	return strconv.AppendUint(dst, uint64(v), 10)
}

func sumAppendInt(dst []byte, label string, v int) []byte {
	dst = append(dst, label...)
	return strconv.AppendInt(dst, int64(v), 10)
}

// sumAppendHex appends v in lower-case hex with at least digits digits.
func sumAppendHex(dst []byte, v uint64, digits int) []byte {
	const hexDigits = "0123456789abcdef"
	n := 1
	for x := v >> 4; x != 0; x >>= 4 {
		n++
	}
	for ; digits > n; digits-- {
		dst = append(dst, '0')
	}
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return dst
}

func sumTruncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
