package wire

import (
	"net/netip"
	"strconv"
)

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
