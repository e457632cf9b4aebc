package wire

import (
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
