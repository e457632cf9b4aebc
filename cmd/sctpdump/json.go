package main

import (
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// appendJSON appends the JSON object of one packet (without a newline). The
// schema is in docs/sctpdump.md.
func appendJSON(dst []byte, r *record) []byte {
	w := jsonWriter{b: dst}
	w.open('{')
	w.kStr("file", r.file)
	w.kInt("frame", r.Frame)
	w.key("time")
	if r.Time.IsZero() {
		w.null()
	} else {
		w.str(r.Time.UTC().Format(time.RFC3339Nano))
	}
	if r.Src.IsValid() {
		w.kStr("src", r.Src.String())
		w.kStr("dst", r.Dst.String())
	}
	w.kBool("udp", r.UDP)
	if r.UDP {
		w.kUint("udp_src_port", uint64(r.SrcPort))
		w.kUint("udp_dst_port", uint64(r.DstPort))
	}
	if r.Dir != 0 {
		w.kStr("direction", r.Dir.String())
	}
	w.kInt("length", len(r.Data))
	if b := r.Data; len(b) >= wire.HeaderLen {
		w.kUint("src_port", uint64(binary.BigEndian.Uint16(b[0:2])))
		w.kUint("dst_port", uint64(binary.BigEndian.Uint16(b[2:4])))
		w.kUint("vtag", uint64(binary.BigEndian.Uint32(b[4:8])))
		w.kUint("checksum", uint64(r.checksum))
		w.kBool("checksum_ok", r.checksumOK)
		w.kBool("zero_checksum", r.zeroChecksum)
	}
	w.key("chunks")
	w.open('[')
	for _, c := range r.chunks {
		jsonChunk(&w, c)
	}
	w.close(']')
	if r.err != nil {
		w.kStr("error", r.err.Error())
	}
	w.close('}')
	return w.b
}

// jsonChunk writes one chunk object: type, name, flags, length, offset,
// then the fields of its type, or "error" if it does not decode.
func jsonChunk(w *jsonWriter, c wire.Chunk) {
	t := c.Type()
	w.open('{')
	w.kUint("type", uint64(t))
	w.kStr("name", t.String())
	w.kUint("flags", uint64(c.Flags()))
	w.kInt("length", c.Length())
	w.kInt("offset", c.Offset())
	e, err := wire.DecodeChunk(c)
	if err != nil {
		w.kStr("error", err.Error())
		w.close('}')
		return
	}
	switch x := e.(type) {
	case *wire.Data:
		w.kUint("tsn", uint64(x.TSN))
		w.kUint("stream", uint64(x.StreamID))
		w.kUint("ssn", uint64(x.SSN))
		w.kUint("ppid", uint64(x.PPID))
		jsonDataFlags(w, x.Unordered, x.Beginning, x.Ending, x.Immediate)
		w.kInt("data_length", len(x.UserData))
	case *wire.IData:
		w.kUint("tsn", uint64(x.TSN))
		w.kUint("stream", uint64(x.StreamID))
		w.kUint("mid", uint64(x.MID))
		if x.Beginning {
			w.kUint("ppid", uint64(x.PPID))
		} else {
			w.kUint("fsn", uint64(x.FSN))
		}
		jsonDataFlags(w, x.Unordered, x.Beginning, x.Ending, x.Immediate)
		w.kInt("data_length", len(x.UserData))
	case *wire.Init:
		jsonInit(w, x.InitiateTag, x.ARwnd, x.OutStreams, x.InStreams, x.InitialTSN)
		jsonParams(w, x.ParamIter())
	case *wire.InitAck:
		jsonInit(w, x.InitiateTag, x.ARwnd, x.OutStreams, x.InStreams, x.InitialTSN)
		jsonParams(w, x.ParamIter())
	case *wire.Sack:
		w.kUint("cum_tsn_ack", uint64(x.CumulativeTSNAck))
		w.kUint("a_rwnd", uint64(x.ARwnd))
		jsonGaps(w, "gap_blocks", x.NumGapBlocks(), x.GapBlock)
		jsonDups(w, x.NumDupTSNs(), x.DupTSN)
	case *wire.NRSack:
		w.kUint("cum_tsn_ack", uint64(x.CumulativeTSNAck))
		w.kUint("a_rwnd", uint64(x.ARwnd))
		w.kBool("all_non_renegable", x.AllNonRenegable())
		jsonGaps(w, "gap_blocks", x.NumGapBlocks(), x.GapBlock)
		jsonGaps(w, "nr_gap_blocks", x.NumNRGapBlocks(), x.NRGapBlock)
		jsonDups(w, x.NumDupTSNs(), x.DupTSN)
	case *wire.Heartbeat:
		w.kInt("info_length", len(x.Info))
		w.kHex("info", x.Info)
	case *wire.HeartbeatAck:
		w.kInt("info_length", len(x.Info))
		w.kHex("info", x.Info)
	case *wire.Abort:
		w.kBool("t_bit", x.TagReflected)
		jsonCauses(w, x.CauseIter())
	case *wire.ErrorChunk:
		jsonCauses(w, x.CauseIter())
	case *wire.Shutdown:
		w.kUint("cum_tsn_ack", uint64(x.CumulativeTSNAck))
	case *wire.ShutdownComplete:
		w.kBool("t_bit", x.TagReflected)
	case *wire.CookieEcho:
		w.kInt("cookie_length", len(x.Cookie))
	case *wire.ECNE:
		w.kUint("lowest_tsn", uint64(x.LowestTSN))
		if c.Length() == wire.ECNELongLen {
			w.kUint("packets_since_cwr", uint64(x.NumPacketsSinceCWR))
		}
	case *wire.CWR:
		w.kUint("lowest_tsn", uint64(x.LowestTSN))
	case *wire.Auth:
		w.kUint("shared_key_id", uint64(x.SharedKeyID))
		w.kUint("hmac_id", uint64(x.HMACID))
		w.kHex("hmac", x.HMAC)
	case *wire.Pad:
		w.kInt("padding_length", x.Len)
	case *wire.ForwardTSN:
		w.kUint("new_cum_tsn", uint64(x.NewCumulativeTSN))
		w.key("streams")
		w.open('[')
		for i := range x.NumStreams() {
			s := x.Stream(i)
			w.open('{')
			w.kUint("stream", uint64(s.StreamID))
			w.kUint("ssn", uint64(s.SSN))
			w.close('}')
		}
		w.close(']')
	case *wire.IForwardTSN:
		w.kUint("new_cum_tsn", uint64(x.NewCumulativeTSN))
		w.key("streams")
		w.open('[')
		for i := range x.NumStreams() {
			s := x.Stream(i)
			w.open('{')
			w.kUint("stream", uint64(s.StreamID))
			w.kBool("unordered", s.Unordered)
			w.kUint("mid", uint64(s.MID))
			w.close('}')
		}
		w.close(']')
	case *wire.Reconfig:
		jsonParams(w, x.ParamIter())
	case *wire.Asconf:
		w.kUint("serial", uint64(x.SequenceNumber))
		w.kStr("address", x.Address.String())
		jsonParams(w, x.ParamIter())
	case *wire.AsconfAck:
		w.kUint("serial", uint64(x.SequenceNumber))
		jsonParams(w, x.ParamIter())
	case *wire.RawChunk:
		w.kStr("action", t.Action().String())
		w.kInt("value_length", len(x.Value))
	}
	w.close('}')
}

func jsonDataFlags(w *jsonWriter, u, b, e, i bool) {
	w.kBool("unordered", u)
	w.kBool("beginning", b)
	w.kBool("ending", e)
	w.kBool("immediate", i)
}

func jsonInit(w *jsonWriter, tag, rwnd uint32, os, mis uint16, tsn uint32) {
	w.kUint("initiate_tag", uint64(tag))
	w.kUint("a_rwnd", uint64(rwnd))
	w.kUint("outbound_streams", uint64(os))
	w.kUint("inbound_streams", uint64(mis))
	w.kUint("initial_tsn", uint64(tsn))
}

func jsonGaps(w *jsonWriter, key string, n int, at func(int) (uint16, uint16)) {
	w.key(key)
	w.open('[')
	for i := range n {
		s, e := at(i)
		w.open('{')
		w.kUint("start", uint64(s))
		w.kUint("end", uint64(e))
		w.close('}')
	}
	w.close(']')
}

func jsonDups(w *jsonWriter, n int, at func(int) uint32) {
	w.key("dup_tsns")
	w.open('[')
	for i := range n {
		w.uint(uint64(at(i)))
	}
	w.close(']')
}

func jsonChunkTypes(w *jsonWriter, types []byte) {
	w.key("chunk_types")
	w.open('[')
	for _, t := range types {
		w.uint(uint64(t))
	}
	w.close(']')
	w.key("chunk_names")
	w.open('[')
	for _, t := range types {
		w.str(wire.ChunkType(t).String())
	}
	w.close(']')
}

func jsonStreams(w *jsonWriter, n int, at func(int) uint16) {
	w.key("streams")
	w.open('[')
	for i := range n {
		w.uint(uint64(at(i)))
	}
	w.close(']')
}

// jsonParams writes "params": an array of parameter objects, and
// "params_error" if the list is malformed.
func jsonParams(w *jsonWriter, it wire.ParamIter) {
	w.key("params")
	w.open('[')
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		jsonParam(w, p)
	}
	w.close(']')
	if err := it.Err(); err != nil {
		w.kStr("params_error", err.Error())
	}
}

// jsonParam writes one parameter object: type, name, length, then the
// fields of its type, or "error" if it does not decode.
func jsonParam(w *jsonWriter, p wire.Param) {
	t := p.Type()
	w.open('{')
	w.kUint("type", uint64(t))
	w.kStr("name", t.String())
	w.kInt("length", p.Length())
	var err error
	switch t {
	case wire.ParamHeartbeatInfo:
		var x wire.HeartbeatInfoParam
		if x, err = wire.DecodeHeartbeatInfoParam(p); err == nil {
			w.kInt("info_length", len(x.Info))
		}
	case wire.ParamIPv4Address, wire.ParamIPv6Address:
		a, e := wire.DecodeAddressParam(p)
		if err = e; err == nil {
			w.kStr("address", a.String())
		}
	case wire.ParamStateCookie:
		var x wire.StateCookieParam
		if x, err = wire.DecodeStateCookieParam(p); err == nil {
			w.kInt("cookie_length", len(x.Cookie))
		}
	case wire.ParamUnrecognizedParameter:
		var x wire.UnrecognizedParameterParam
		if x, err = wire.DecodeUnrecognizedParameterParam(p); err == nil {
			if q, ok := x.Param(); ok {
				w.key("parameter")
				jsonParam(w, q)
			}
		}
	case wire.ParamCookiePreservative:
		var x wire.CookiePreservativeParam
		if x, err = wire.DecodeCookiePreservativeParam(p); err == nil {
			w.kUint("life_span_increment_ms", uint64(x.LifeSpanIncrement))
		}
	case wire.ParamHostNameAddress:
		var x wire.HostNameAddressParam
		if x, err = wire.DecodeHostNameAddressParam(p); err == nil {
			w.kStr("host_name", string(x.Name()))
		}
	case wire.ParamSupportedAddressTypes:
		var x wire.SupportedAddressTypesParam
		if x, err = wire.DecodeSupportedAddressTypesParam(p); err == nil {
			w.key("address_types")
			w.open('[')
			for i := range x.NumTypes() {
				w.uint(uint64(x.Type(i)))
			}
			w.close(']')
		}
	case wire.ParamOutgoingSSNResetRequest:
		var x wire.OutgoingSSNResetRequestParam
		if x, err = wire.DecodeOutgoingSSNResetRequestParam(p); err == nil {
			w.kUint("request_seq", uint64(x.RequestSeq))
			w.kUint("response_seq", uint64(x.ResponseSeq))
			w.kUint("last_tsn", uint64(x.LastTSN))
			jsonStreams(w, x.NumStreams(), x.Stream)
		}
	case wire.ParamIncomingSSNResetRequest:
		var x wire.IncomingSSNResetRequestParam
		if x, err = wire.DecodeIncomingSSNResetRequestParam(p); err == nil {
			w.kUint("request_seq", uint64(x.RequestSeq))
			jsonStreams(w, x.NumStreams(), x.Stream)
		}
	case wire.ParamSSNTSNResetRequest:
		var x wire.SSNTSNResetRequestParam
		if x, err = wire.DecodeSSNTSNResetRequestParam(p); err == nil {
			w.kUint("request_seq", uint64(x.RequestSeq))
		}
	case wire.ParamReconfigResponse:
		var x wire.ReconfigResponseParam
		if x, err = wire.DecodeReconfigResponseParam(p); err == nil {
			w.kUint("response_seq", uint64(x.ResponseSeq))
			w.kUint("result", uint64(x.Result))
			w.kStr("result_name", x.Result.String())
			if x.HasTSNs {
				w.kUint("sender_next_tsn", uint64(x.SenderNextTSN))
				w.kUint("receiver_next_tsn", uint64(x.ReceiverNextTSN))
			}
		}
	case wire.ParamAddOutgoingStreams:
		var x wire.AddOutgoingStreamsParam
		if x, err = wire.DecodeAddOutgoingStreamsParam(p); err == nil {
			w.kUint("request_seq", uint64(x.RequestSeq))
			w.kUint("new_streams", uint64(x.NumNewStreams))
		}
	case wire.ParamAddIncomingStreams:
		var x wire.AddIncomingStreamsParam
		if x, err = wire.DecodeAddIncomingStreamsParam(p); err == nil {
			w.kUint("request_seq", uint64(x.RequestSeq))
			w.kUint("new_streams", uint64(x.NumNewStreams))
		}
	case wire.ParamECNCapable:
		_, err = wire.DecodeECNCapableParam(p)
	case wire.ParamForwardTSNSupported:
		_, err = wire.DecodeForwardTSNSupportedParam(p)
	case wire.ParamZeroChecksumAcceptable:
		var x wire.ZeroChecksumAcceptableParam
		if x, err = wire.DecodeZeroChecksumAcceptableParam(p); err == nil {
			w.kUint("edmid", uint64(x.EDMID))
		}
	case wire.ParamRandom:
		var x wire.RandomParam
		if x, err = wire.DecodeRandomParam(p); err == nil {
			w.kInt("random_length", len(x.Random))
		}
	case wire.ParamChunkList:
		var x wire.ChunkListParam
		if x, err = wire.DecodeChunkListParam(p); err == nil {
			jsonChunkTypes(w, x.ChunkTypes)
		}
	case wire.ParamSupportedExtensions:
		var x wire.SupportedExtensionsParam
		if x, err = wire.DecodeSupportedExtensionsParam(p); err == nil {
			jsonChunkTypes(w, x.ChunkTypes)
		}
	case wire.ParamRequestedHMACAlgorithm:
		var x wire.RequestedHMACAlgorithmParam
		if x, err = wire.DecodeRequestedHMACAlgorithmParam(p); err == nil {
			w.key("hmac_ids")
			w.open('[')
			for i := range x.NumIDs() {
				w.uint(uint64(x.ID(i)))
			}
			w.close(']')
		}
	case wire.ParamPadding:
		var x wire.PaddingParam
		if x, err = wire.DecodePaddingParam(p); err == nil {
			w.kInt("padding_length", x.Len)
		}
	case wire.ParamAddIPAddress:
		var x wire.AddIPAddressParam
		if x, err = wire.DecodeAddIPAddressParam(p); err == nil {
			err = jsonAsconfRequest(w, x.CorrelationID, x.Addr)
		}
	case wire.ParamDeleteIPAddress:
		var x wire.DeleteIPAddressParam
		if x, err = wire.DecodeDeleteIPAddressParam(p); err == nil {
			err = jsonAsconfRequest(w, x.CorrelationID, x.Addr)
		}
	case wire.ParamSetPrimaryAddress:
		var x wire.SetPrimaryAddressParam
		if x, err = wire.DecodeSetPrimaryAddressParam(p); err == nil {
			err = jsonAsconfRequest(w, x.CorrelationID, x.Addr)
		}
	case wire.ParamErrorCauseIndication:
		var x wire.ErrorCauseIndicationParam
		if x, err = wire.DecodeErrorCauseIndicationParam(p); err == nil {
			w.kUint("correlation_id", uint64(x.CorrelationID))
			jsonCauses(w, x.CauseIter())
		}
	case wire.ParamSuccessIndication:
		var x wire.SuccessIndicationParam
		if x, err = wire.DecodeSuccessIndicationParam(p); err == nil {
			w.kUint("correlation_id", uint64(x.CorrelationID))
		}
	case wire.ParamAdaptationLayerIndication:
		var x wire.AdaptationLayerIndicationParam
		if x, err = wire.DecodeAdaptationLayerIndicationParam(p); err == nil {
			w.kUint("adaptation_code_point", uint64(x.AdaptationCodePoint))
		}
	default:
		w.kStr("action", t.Action().String())
		w.kInt("value_length", len(p.Value()))
	}
	if err != nil {
		w.kStr("error", err.Error())
	}
	w.close('}')
}

func jsonAsconfRequest(w *jsonWriter, corr uint32, addr func() (netip.Addr, error)) error {
	w.kUint("correlation_id", uint64(corr))
	a, err := addr()
	if err == nil {
		w.kStr("address", a.String())
	}
	return err
}

// jsonCauses writes "causes": an array of cause objects (code, name,
// length, description), and "causes_error" if the list is malformed.
func jsonCauses(w *jsonWriter, it wire.CauseIter) {
	w.key("causes")
	w.open('[')
	for c, ok := it.Next(); ok; c, ok = it.Next() {
		w.open('{')
		w.kUint("code", uint64(c.Code()))
		w.kStr("name", c.Code().String())
		w.kInt("length", c.Length())
		w.kStr("description", wire.DescribeCause(c))
		if err := wire.ValidateCause(c); err != nil {
			w.kStr("error", err.Error())
		}
		w.close('}')
	}
	w.close(']')
	if err := it.Err(); err != nil {
		w.kStr("causes_error", err.Error())
	}
}
