package assoc

import (
	"time"

	"github.com/sconnlab/sconn/wire"
)

// receivedInit is a decoded INIT and the verdict on it (§3.3.2, §5.1),
// shared by the Endpoint (no TCB) and the Association (§5.2).
type receivedInit struct {
	init   wire.Init
	params wire.InitParams
	// abort holds the error causes of the ABORT that refuses the INIT, sent
	// with the INIT's Initiate Tag and the T bit clear (§5.1, §8.4 3).
	abort []byte
	// refused is set when the INIT must not be answered with an INIT ACK.
	refused *DropError
}

// checkInit decodes an INIT chunk and validates its mandatory fields and
// parameters.
func checkInit(c wire.Chunk) receivedInit {
	var r receivedInit
	var err error
	if r.init, err = wire.DecodeInit(c); err != nil {
		r.refused = drop(DropMalformed, err.Error())
		return r
	}
	switch {
	case r.init.InitiateTag == 0:
		// §3.3.2: an Initiate Tag of 0 is silently discarded.
		r.refused = drop(DropInvalidInit, "INIT with initiate tag 0")
		return r
	case r.init.ARwnd < minARwnd || r.init.OutStreams == 0 || r.init.InStreams == 0:
		// §3.3.2: a_rwnd below 1500, OS or MIS of 0: discard, ABORT with
		// the Initiate Tag, leave any existing association alone.
		r.abort = wire.InvalidMandatoryParameter{}.Append(nil)
		r.refused = drop(DropInvalidInit, "INIT with a_rwnd "+itoa(int(r.init.ARwnd))+
			", OS "+itoa(int(r.init.OutStreams))+", MIS "+itoa(int(r.init.InStreams)))
		return r
	}
	if r.params, err = wire.DecodeInitParams(r.init.Params, c.Offset()+wire.InitHeaderLen); err != nil {
		// §5.1: invalid parameter values: ABORT with a cause.
		r.abort = wire.ProtocolViolation{Info: []byte(err.Error())}.Append(nil)
		r.refused = drop(DropMalformed, err.Error())
		return r
	}
	if r.params.HostName {
		// §3.3.2.1.4, §5.1.2 B: ABORT, may include Unresolvable Address.
		r.abort = wire.UnresolvableAddress{Address: r.params.HostNameAddress}.Append(nil)
		r.refused = drop(DropInvalidInit, "INIT with a Host Name Address")
	}
	// IPv4 and IPv6 address parameters are accepted and ignored: the
	// host's handle is the only transport address (§5.1.2 C, AF_CONN).
	return r
}

// initAckSpec is what an INIT ACK says about its sender.
type initAckSpec struct {
	localTag, localTSN      uint32
	localTieTag, peerTieTag uint32 // §5.2.2; 0 when no TCB exists
	localPort, peerPort     uint16
}

// buildInitAck returns the INIT ACK chunk answering r (§5.1 B), with a
// State Cookie signed by secrets that holds everything needed to create
// the association (§5.1.3) and an Unrecognized Parameter for each
// unrecognized INIT parameter that asks for a report (§3.2.2).
func buildInitAck(now time.Time, cfg *Config, secrets *Secrets, r *receivedInit, s initAckSpec) []byte {
	lifetime := cfg.ValidCookieLife
	if inc := time.Duration(r.params.CookiePreservative) * time.Millisecond; inc > 0 {
		// §3.3.2.1.3: the receiver MAY ignore the suggested increment; we
		// grant up to Config.MaxCookiePreservative.
		lifetime += min(inc, cfg.MaxCookiePreservative)
	}
	ck := stateCookie{
		created:     now,
		lifetime:    lifetime,
		localPort:   s.localPort,
		peerPort:    s.peerPort,
		localTag:    s.localTag,
		peerTag:     r.init.InitiateTag,
		localTSN:    s.localTSN,
		peerTSN:     r.init.InitialTSN,
		peerARwnd:   r.init.ARwnd,
		outStreams:  min(cfg.OutboundStreams, r.init.InStreams), // §5.1.1
		inStreams:   min(cfg.InboundStreams, r.init.OutStreams),
		localTieTag: s.localTieTag,
		peerTieTag:  s.peerTieTag,
		features:    negotiate(cfg, &r.params),
		peerAddrs:   peerAddrsOf(r.init.Params),
	}
	// §3.3.3: parameter order is free; the State Cookie goes last, after
	// the extensions and the reports, as usrsctp sends it.
	var pb [256]byte // the parameters, on the stack unless reports make them longer
	p := appendExtensionParams(pb[:0], cfg)
	for _, q := range r.params.Unrecognized {
		if q.Type().Action().Report() {
			p = wire.UnrecognizedParameterParam{Parameter: q.Bytes()}.Append(p) // §3.2.2
		}
	}
	p = wire.StateCookieParam{Cookie: ck.seal(secrets)}.Append(p)
	ack := wire.InitAck{
		InitiateTag: s.localTag,
		ARwnd:       cfg.ARwnd,
		// §3.3.3: OS MUST NOT exceed the MIS of the INIT.
		OutStreams: ck.outStreams,
		InStreams:  cfg.InboundStreams,
		InitialTSN: s.localTSN,
		Params:     p,
	}
	return ack.Append(nil)
}

// rawChunk wraps pre-encoded chunk bytes as a wire.Encoder.
type rawChunk []byte

func (r rawChunk) ChunkType() wire.ChunkType { return wire.ChunkType(r[0]) }
func (r rawChunk) EncodedLen() int           { return len(r) }
func (r rawChunk) Append(b []byte) []byte    { return append(b, r...) }
