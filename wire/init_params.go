package wire

// InitParams summarises the parameter list of an INIT or INIT ACK chunk
// (RFC 9260 §3.3.2.1, §3.3.3.1 and the extensions that add parameters to
// them). Byte-slice fields are views into the list, nil when the parameter
// is absent. When a parameter is repeated, the last one wins (addresses are
// counted).
//
// Unknown parameter types are handled as RFC 9260 §3.2.1 says: each one is
// appended to Unrecognized, and one whose action is "stop" (its type's two
// high bits are 00 or 01) ends the walk and sets Stopped; what came before
// it stays. The engine then reports those whose Action().Report() is true
// (01 and 11): when answering an INIT, as Unrecognized Parameter parameters
// in the INIT ACK (§3.2.2; UnrecognizedParameterParam with Parameter set to
// the Param's Bytes); when processing an INIT ACK, in an Unrecognized
// Parameters error cause of an ERROR chunk bundled with the COOKIE ECHO.
//
// Parameters this package knows but that have no field here (Padding, Set
// Primary Address, parameters that belong to other chunks) are skipped
// without looking at their value; RFC 5061 §4.2 lets the receiver ignore a
// parameter that appears where it is not allowed.
type InitParams struct {
	// StateCookie is the cookie of the State Cookie parameter (INIT ACK).
	StateCookie []byte
	// CookiePreservative is the Suggested Cookie Life-Span Increment in
	// milliseconds, 0 when absent.
	CookiePreservative uint32

	// Address parameters are counted, not kept (sconn's transport
	// addresses are the host's handles, as with usrsctp's AF_CONN). Walk
	// the list with DecodeAddressParam to see them.
	NumIPv4Addresses int
	NumIPv6Addresses int
	NumAddresses     int // NumIPv4Addresses + NumIPv6Addresses

	// HostName reports a Host Name Address parameter, which RFC 9260
	// §3.3.2.1.4 deprecates: the receiver answers with an ABORT and may
	// quote HostNameAddress (the whole parameter, without padding) in an
	// Unresolvable Address cause.
	HostName        bool
	HostNameAddress []byte

	// HasSupportedAddressTypes reports a Supported Address Types parameter;
	// its absence means every address type is supported.
	HasSupportedAddressTypes bool
	SupportedAddressTypes    SupportedAddressTypesParam

	ECN        bool // ECN Capable (RFC 9260 Appendix A)
	ForwardTSN bool // Forward-TSN-Supported (RFC 3758 §3.1)

	// ZeroChecksum reports a Zero Checksum Acceptable parameter (RFC 9653
	// §4) with its Error Detection Method Identifier.
	ZeroChecksum      bool
	ZeroChecksumEDMID uint32

	// SupportedExtensions is the chunk type list of the Supported
	// Extensions parameter (RFC 5061 §4.2.7); see SupportsChunk.
	SupportedExtensions []byte

	// SCTP-AUTH (RFC 4895 §3): the random number, the chunk types to
	// authenticate, and the requested HMAC identifiers.
	Random            []byte
	ChunkList         []byte
	HasHMACAlgorithms bool
	HMACAlgorithms    RequestedHMACAlgorithmParam

	// Adaptation is the Adaptation Code Point of an Adaptation Layer
	// Indication parameter (RFC 5061 §4.2.6), valid when HasAdaptation.
	Adaptation    uint32
	HasAdaptation bool

	// Unrecognized holds the parameters of unknown type, in order (see
	// above), and Stopped reports that the last of them ended the walk.
	Unrecognized []Param
	Stopped      bool

	// PeerUnrecognized holds the parameters the peer reports it did not
	// recognize: the contents of Unrecognized Parameter parameters (RFC
	// 9260 §3.3.3.1.2, INIT ACK).
	PeerUnrecognized []Param
}

// DecodeInitParams walks an INIT or INIT ACK parameter list once (Init.Params
// or InitAck.Params, with base the packet offset of the list, as their
// ParamIter and InitParams methods use) and summarises it. It returns an error for a malformed
// list (anywhere in it, even after a "stop" parameter) and for a parameter
// summarised here whose length is wrong for its type. It allocates only to
// record unrecognized parameters.
func DecodeInitParams(list []byte, base int) (InitParams, error) {
	var ip InitParams
	it := Params(list, base)
	for {
		p, ok := it.Next()
		if !ok {
			break
		}
		if ip.Stopped {
			continue // the rest is not processed, only its layout checked
		}
		if err := ip.add(p); err != nil {
			return InitParams{}, err
		}
	}
	if err := it.Err(); err != nil {
		return InitParams{}, err
	}
	return ip, nil
}

// InitParams summarises the parameters of the INIT: DecodeInitParams with
// the packet offset of the list.
func (x *Init) InitParams() (InitParams, error) {
	return DecodeInitParams(x.Params, x.off+InitHeaderLen)
}

// InitParams summarises the parameters of the INIT ACK: DecodeInitParams
// with the packet offset of the list.
func (x *InitAck) InitParams() (InitParams, error) {
	return DecodeInitParams(x.Params, x.off+InitHeaderLen)
}

// SupportsChunk reports whether the Supported Extensions parameter lists
// chunk type t.
func (ip *InitParams) SupportsChunk(t ChunkType) bool {
	return iniHasChunk(ip.SupportedExtensions, t)
}

func (ip *InitParams) add(p Param) error {
	switch p.Type() {
	case ParamIPv4Address:
		if _, err := DecodeIPv4AddressParam(p); err != nil {
			return err
		}
		ip.NumIPv4Addresses++
		ip.NumAddresses++
	case ParamIPv6Address:
		if _, err := DecodeIPv6AddressParam(p); err != nil {
			return err
		}
		ip.NumIPv6Addresses++
		ip.NumAddresses++
	case ParamStateCookie:
		c, err := DecodeStateCookieParam(p)
		if err != nil {
			return err
		}
		ip.StateCookie = c.Cookie
	case ParamUnrecognizedParameter:
		u, err := DecodeUnrecognizedParameterParam(p)
		if err != nil {
			return err
		}
		if q, ok := u.Param(); ok {
			ip.PeerUnrecognized = append(ip.PeerUnrecognized, q)
		}
	case ParamCookiePreservative:
		c, err := DecodeCookiePreservativeParam(p)
		if err != nil {
			return err
		}
		ip.CookiePreservative = c.LifeSpanIncrement
	case ParamHostNameAddress:
		ip.HostName = true
		ip.HostNameAddress = p.b
	case ParamSupportedAddressTypes:
		s, err := DecodeSupportedAddressTypesParam(p)
		if err != nil {
			return err
		}
		ip.HasSupportedAddressTypes = true
		ip.SupportedAddressTypes = s
	case ParamECNCapable:
		if _, err := DecodeECNCapableParam(p); err != nil {
			return err
		}
		ip.ECN = true
	case ParamForwardTSNSupported:
		if _, err := DecodeForwardTSNSupportedParam(p); err != nil {
			return err
		}
		ip.ForwardTSN = true
	case ParamZeroChecksumAcceptable:
		z, err := DecodeZeroChecksumAcceptableParam(p)
		if err != nil {
			return err
		}
		ip.ZeroChecksum = true
		ip.ZeroChecksumEDMID = z.EDMID
	case ParamSupportedExtensions:
		ip.SupportedExtensions = p.b[ParamHeaderLen:]
	case ParamRandom:
		ip.Random = p.b[ParamHeaderLen:]
	case ParamChunkList:
		ip.ChunkList = p.b[ParamHeaderLen:]
	case ParamRequestedHMACAlgorithm:
		h, err := DecodeRequestedHMACAlgorithmParam(p)
		if err != nil {
			return err
		}
		ip.HasHMACAlgorithms = true
		ip.HMACAlgorithms = h
	case ParamAdaptationLayerIndication:
		a, err := DecodeAdaptationLayerIndicationParam(p)
		if err != nil {
			return err
		}
		ip.HasAdaptation = true
		ip.Adaptation = a.AdaptationCodePoint
	default:
		if p.Type().Known() {
			return nil
		}
		ip.Unrecognized = append(ip.Unrecognized, p)
		ip.Stopped = p.Type().Action().Stop()
	}
	return nil
}
