package wire

// DecodeChunk and ValidatePacket: one entry point to every typed decoder,
// for tools (sctpdump), tests and fuzzing. The engine calls the typed
// decoders directly: DecodeChunk allocates the value it returns.

// DecodeChunk decodes any chunk with the decoder of its type and returns a
// pointer to the typed value (*Data, *Init, *Sack, …, *IForwardTSN); a chunk
// of a type this package does not know comes back as a *RawChunk. If the
// decoder fails, DecodeChunk returns a nil Encoder and the decoder's error.
// Nested parameter and cause lists are checked only as far as the chunk's
// decoder checks them; ValidatePacket checks everything.
func DecodeChunk(c Chunk) (Encoder, error) {
	if c.b == nil {
		return nil, parseErr("chunk", 0, ErrTooShort, "empty chunk")
	}
	switch c.Type() {
	case ChunkData:
		return decodedChunk(DecodeData(c))
	case ChunkInit:
		return decodedChunk(DecodeInit(c))
	case ChunkInitAck:
		return decodedChunk(DecodeInitAck(c))
	case ChunkSack:
		return decodedChunk(DecodeSack(c))
	case ChunkHeartbeat:
		return decodedChunk(DecodeHeartbeat(c))
	case ChunkHeartbeatAck:
		return decodedChunk(DecodeHeartbeatAck(c))
	case ChunkAbort:
		return decodedChunk(DecodeAbort(c))
	case ChunkShutdown:
		return decodedChunk(DecodeShutdown(c))
	case ChunkShutdownAck:
		return decodedChunk(DecodeShutdownAck(c))
	case ChunkError:
		return decodedChunk(DecodeErrorChunk(c))
	case ChunkCookieEcho:
		return decodedChunk(DecodeCookieEcho(c))
	case ChunkCookieAck:
		return decodedChunk(DecodeCookieAck(c))
	case ChunkECNE:
		return decodedChunk(DecodeECNE(c))
	case ChunkCWR:
		return decodedChunk(DecodeCWR(c))
	case ChunkShutdownComplete:
		return decodedChunk(DecodeShutdownComplete(c))
	case ChunkAuth:
		return decodedChunk(DecodeAuth(c))
	case ChunkNRSack:
		return decodedChunk(DecodeNRSack(c))
	case ChunkIData:
		return decodedChunk(DecodeIData(c))
	case ChunkAsconfAck:
		return decodedChunk(DecodeAsconfAck(c))
	case ChunkReconfig:
		return decodedChunk(DecodeReconfig(c))
	case ChunkPad:
		return decodedChunk(DecodePad(c))
	case ChunkForwardTSN:
		return decodedChunk(DecodeForwardTSN(c))
	case ChunkAsconf:
		return decodedChunk(DecodeAsconf(c))
	case ChunkIForwardTSN:
		return decodedChunk(DecodeIForwardTSN(c))
	}
	r := DecodeRaw(c)
	return &r, nil
}

// decodedChunk turns a decoder's (value, error) into DecodeChunk's result.
func decodedChunk[T any, PT interface {
	*T
	Encoder
}](v T, err error) (Encoder, error) {
	if err != nil {
		return nil, err
	}
	return PT(&v), nil
}

// ValidatePacket decodes every chunk of p and, inside them, every parameter
// (INIT, INIT ACK, RE-CONFIG, ASCONF, ASCONF ACK, and the parameters nested
// in those) and every error cause (ABORT, ERROR, Error Cause Indication),
// each with its typed decoder, and returns the first error. Chunks,
// parameters and causes of unknown types are valid as long as their TLV
// layout is. It does not check the checksum (VerifyChecksum) nor the rules
// about which chunks may be bundled, which are the engine's. It does not
// allocate, except to build an error.
func ValidatePacket(p Packet) error {
	if len(p.b) < HeaderLen {
		return lenErr("common header", 0, len(p.b), HeaderLen)
	}
	it := p.Chunks()
	for {
		c, ok := it.Next()
		if !ok {
			return nil
		}
		if err := ValidateChunk(c); err != nil {
			return err
		}
	}
}

// ValidateChunk is ValidatePacket for one chunk.
func ValidateChunk(c Chunk) error {
	if c.b == nil {
		return parseErr("chunk", 0, ErrTooShort, "empty chunk")
	}
	var err error
	switch c.Type() {
	case ChunkData:
		_, err = DecodeData(c)
	case ChunkInit:
		var x Init
		if x, err = DecodeInit(c); err == nil {
			err = vldInitParams(x.Params, x.off+InitHeaderLen)
		}
	case ChunkInitAck:
		var x InitAck
		if x, err = DecodeInitAck(c); err == nil {
			err = vldInitParams(x.Params, x.off+InitHeaderLen)
		}
	case ChunkSack:
		_, err = DecodeSack(c)
	case ChunkHeartbeat:
		_, err = DecodeHeartbeat(c)
	case ChunkHeartbeatAck:
		_, err = DecodeHeartbeatAck(c)
	case ChunkAbort:
		var x Abort
		if x, err = DecodeAbort(c); err == nil {
			err = vldCauses(x.CauseIter())
		}
	case ChunkShutdown:
		_, err = DecodeShutdown(c)
	case ChunkShutdownAck:
		_, err = DecodeShutdownAck(c)
	case ChunkError:
		var x ErrorChunk
		if x, err = DecodeErrorChunk(c); err == nil {
			err = vldCauses(x.CauseIter())
		}
	case ChunkCookieEcho:
		_, err = DecodeCookieEcho(c)
	case ChunkCookieAck:
		_, err = DecodeCookieAck(c)
	case ChunkECNE:
		_, err = DecodeECNE(c)
	case ChunkCWR:
		_, err = DecodeCWR(c)
	case ChunkShutdownComplete:
		_, err = DecodeShutdownComplete(c)
	case ChunkAuth:
		_, err = DecodeAuth(c)
	case ChunkNRSack:
		_, err = DecodeNRSack(c)
	case ChunkIData:
		_, err = DecodeIData(c)
	case ChunkAsconfAck:
		var x AsconfAck
		if x, err = DecodeAsconfAck(c); err == nil {
			err = vldParams(x.ParamIter())
		}
	case ChunkReconfig:
		var x Reconfig
		if x, err = DecodeReconfig(c); err == nil {
			err = vldParams(x.ParamIter())
		}
	case ChunkPad:
		_, err = DecodePad(c)
	case ChunkForwardTSN:
		_, err = DecodeForwardTSN(c)
	case ChunkAsconf:
		var x Asconf
		if x, err = DecodeAsconf(c); err == nil {
			err = vldParams(x.ParamIter())
		}
	case ChunkIForwardTSN:
		_, err = DecodeIForwardTSN(c)
	}
	return err
}

// vldInitParams checks an INIT or INIT ACK parameter list: the summary
// DecodeInitParams builds, then every parameter with its own decoder (which
// also covers the parameters, such as Padding or Host Name Address, that
// DecodeInitParams does not look into).
func vldInitParams(list []byte, base int) error {
	if _, err := DecodeInitParams(list, base); err != nil {
		return err
	}
	return vldParams(Params(list, base))
}

// vldParams decodes every parameter of a list.
func vldParams(it ParamIter) error {
	for {
		p, ok := it.Next()
		if !ok {
			return it.Err()
		}
		if err := ValidateParam(p); err != nil {
			return err
		}
	}
}

// ValidateParam decodes a parameter with the decoder of its type, and the
// parameters and causes nested in it. A parameter of unknown type is valid.
func ValidateParam(p Param) error {
	if len(p.b) < ParamHeaderLen {
		return parseErr("parameter", p.off, ErrTooShort, "empty parameter")
	}
	var err error
	switch p.Type() {
	case ParamHeartbeatInfo:
		_, err = DecodeHeartbeatInfoParam(p)
	case ParamIPv4Address:
		_, err = DecodeIPv4AddressParam(p)
	case ParamIPv6Address:
		_, err = DecodeIPv6AddressParam(p)
	case ParamStateCookie:
		_, err = DecodeStateCookieParam(p)
	case ParamUnrecognizedParameter:
		_, err = DecodeUnrecognizedParameterParam(p)
	case ParamCookiePreservative:
		_, err = DecodeCookiePreservativeParam(p)
	case ParamHostNameAddress:
		_, err = DecodeHostNameAddressParam(p)
	case ParamSupportedAddressTypes:
		_, err = DecodeSupportedAddressTypesParam(p)
	case ParamOutgoingSSNResetRequest:
		_, err = DecodeOutgoingSSNResetRequestParam(p)
	case ParamIncomingSSNResetRequest:
		_, err = DecodeIncomingSSNResetRequestParam(p)
	case ParamSSNTSNResetRequest:
		_, err = DecodeSSNTSNResetRequestParam(p)
	case ParamReconfigResponse:
		_, err = DecodeReconfigResponseParam(p)
	case ParamAddOutgoingStreams:
		_, err = DecodeAddOutgoingStreamsParam(p)
	case ParamAddIncomingStreams:
		_, err = DecodeAddIncomingStreamsParam(p)
	case ParamECNCapable:
		_, err = DecodeECNCapableParam(p)
	case ParamZeroChecksumAcceptable:
		_, err = DecodeZeroChecksumAcceptableParam(p)
	case ParamRandom:
		_, err = DecodeRandomParam(p)
	case ParamChunkList:
		_, err = DecodeChunkListParam(p)
	case ParamRequestedHMACAlgorithm:
		_, err = DecodeRequestedHMACAlgorithmParam(p)
	case ParamPadding:
		_, err = DecodePaddingParam(p)
	case ParamSupportedExtensions:
		_, err = DecodeSupportedExtensionsParam(p)
	case ParamForwardTSNSupported:
		_, err = DecodeForwardTSNSupportedParam(p)
	case ParamAddIPAddress:
		var x AddIPAddressParam
		if x, err = DecodeAddIPAddressParam(p); err == nil {
			_, err = x.Addr()
		}
	case ParamDeleteIPAddress:
		var x DeleteIPAddressParam
		if x, err = DecodeDeleteIPAddressParam(p); err == nil {
			_, err = x.Addr()
		}
	case ParamSetPrimaryAddress:
		var x SetPrimaryAddressParam
		if x, err = DecodeSetPrimaryAddressParam(p); err == nil {
			_, err = x.Addr()
		}
	case ParamErrorCauseIndication:
		var x ErrorCauseIndicationParam
		if x, err = DecodeErrorCauseIndicationParam(p); err == nil {
			err = vldCauses(x.CauseIter())
		}
	case ParamSuccessIndication:
		_, err = DecodeSuccessIndicationParam(p)
	case ParamAdaptationLayerIndication:
		_, err = DecodeAdaptationLayerIndicationParam(p)
	}
	return err
}

// vldCauses decodes every cause of a list.
func vldCauses(it CauseIter) error {
	for {
		c, ok := it.Next()
		if !ok {
			return it.Err()
		}
		if err := ValidateCause(c); err != nil {
			return err
		}
	}
}

// ValidateCause decodes an error cause with the decoder of its code. A cause
// of unknown code is valid.
func ValidateCause(c Cause) error {
	if len(c.b) < CauseHeaderLen {
		return parseErr("error cause", c.off, ErrTooShort, "empty cause")
	}
	var err error
	switch c.Code() {
	case CauseInvalidStreamIdentifier:
		_, err = DecodeInvalidStreamIdentifier(c)
	case CauseMissingMandatoryParameter:
		_, err = DecodeMissingMandatoryParameter(c)
	case CauseStaleCookie:
		_, err = DecodeStaleCookie(c)
	case CauseOutOfResource:
		_, err = DecodeOutOfResource(c)
	case CauseUnresolvableAddress:
		_, err = DecodeUnresolvableAddress(c)
	case CauseUnrecognizedChunkType:
		_, err = DecodeUnrecognizedChunkType(c)
	case CauseInvalidMandatoryParameter:
		_, err = DecodeInvalidMandatoryParameter(c)
	case CauseUnrecognizedParameters:
		_, err = DecodeUnrecognizedParameters(c)
	case CauseNoUserData:
		_, err = DecodeNoUserData(c)
	case CauseCookieWhileShuttingDown:
		_, err = DecodeCookieReceivedWhileShuttingDown(c)
	case CauseRestartWithNewAddresses:
		_, err = DecodeRestartWithNewAddresses(c)
	case CauseUserInitiatedAbort:
		_, err = DecodeUserInitiatedAbort(c)
	case CauseProtocolViolation:
		_, err = DecodeProtocolViolation(c)
	case CauseDeleteLastRemainingAddress:
		_, err = DecodeDeleteLastRemainingAddress(c)
	case CauseResourceShortage:
		_, err = DecodeResourceShortage(c)
	case CauseDeleteSourceAddress:
		_, err = DecodeDeleteSourceAddress(c)
	case CauseIllegalAsconfAck:
		_, err = DecodeIllegalAsconfAck(c)
	case CauseNoAuthorization:
		_, err = DecodeNoAuthorization(c)
	case CauseUnsupportedHMACIdentifier:
		_, err = DecodeUnsupportedHMACIdentifier(c)
	}
	return err
}
