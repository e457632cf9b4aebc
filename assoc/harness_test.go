package assoc

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// Test fixtures: the association under test ("A" for a client, or the
// endpoint's association on a server) talks to a raw peer "Z" whose packets
// the tests build with package wire, on virtual time.

const (
	aPort = 5001 // the engine's port
	zPort = 5002 // the raw peer's port
	zTag  = 0x2a2a2a2a
	zTSN  = 1000
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func testConfig(mod func(*Config)) Config {
	c := DefaultConfig()
	c.LocalPort, c.PeerPort = aPort, zPort
	if mod != nil {
		mod(&c)
	}
	return c
}

// mk builds a parsed packet from the raw peer with a correct CRC32c.
func mk(t testing.TB, vtag uint32, cs ...wire.Encoder) wire.Packet {
	t.Helper()
	return mkPorts(t, zPort, aPort, vtag, cs...)
}

func mkPorts(t testing.TB, src, dst uint16, vtag uint32, cs ...wire.Encoder) wire.Packet {
	t.Helper()
	b := wire.AppendHeader(nil, wire.Header{SrcPort: src, DstPort: dst, VerificationTag: vtag})
	for _, c := range cs {
		b = c.Append(b)
	}
	p, err := wire.ParsePacket(wire.FinishPacket(b, false))
	if err != nil {
		t.Fatalf("building packet: %v", err)
	}
	return p
}

// out is a packet the engine sent, decoded.
type out struct {
	hdr    wire.Header
	chunks []wire.Chunk
	raw    []byte
	zeroCk bool // the checksum field is zero
}

func decodeOut(t testing.TB, b []byte) out {
	t.Helper()
	raw := append([]byte(nil), b...)
	p, err := wire.ParsePacket(raw)
	if err != nil {
		t.Fatalf("engine sent a malformed packet: %v", err)
	}
	o := out{hdr: p.Header(), raw: raw, zeroCk: binary.BigEndian.Uint32(raw[8:12]) == 0}
	if !o.zeroCk {
		if err := wire.VerifyChecksum(raw, false); err != nil {
			t.Fatalf("engine sent a packet with a bad checksum: %v", err)
		}
	}
	for it := p.Chunks(); ; {
		c, ok := it.Next()
		if !ok {
			break
		}
		o.chunks = append(o.chunks, c)
	}
	return o
}

// types returns the chunk names joined by "+", e.g. "COOKIE ECHO+ERROR".
func (o out) types() string {
	var s []string
	for _, c := range o.chunks {
		s = append(s, c.Type().String())
	}
	return strings.Join(s, "+")
}

func (o out) chunk(t testing.TB, i int, typ wire.ChunkType) wire.Chunk {
	t.Helper()
	if i >= len(o.chunks) || o.chunks[i].Type() != typ {
		t.Fatalf("chunk %d: want %v, packet has %s", i, typ, o.types())
	}
	return o.chunks[i]
}

// pollAll drains the association's output.
func pollAll(t testing.TB, a *Association, now time.Time) []out {
	t.Helper()
	var outs []out
	for i := 0; ; i++ {
		b := a.Poll(now, make([]byte, 0, 1500))
		if b == nil {
			return outs
		}
		if i > 100 {
			t.Fatal("Poll never returns nil")
		}
		outs = append(outs, decodeOut(t, b))
	}
}

// expectOne drains the output and requires exactly one packet with the
// given chunk types.
func expectOne(t testing.TB, a *Association, now time.Time, types string) out {
	t.Helper()
	outs := pollAll(t, a, now)
	if len(outs) != 1 {
		var got []string
		for _, o := range outs {
			got = append(got, o.types())
		}
		t.Fatalf("want one packet %q, got %d: %q", types, len(outs), got)
	}
	if outs[0].types() != types {
		t.Fatalf("want %q, got %q", types, outs[0].types())
	}
	return outs[0]
}

func expectNone(t testing.TB, a *Association, now time.Time) {
	t.Helper()
	if outs := pollAll(t, a, now); len(outs) != 0 {
		t.Fatalf("want no packet, got %d, first %q", len(outs), outs[0].types())
	}
}

// events drains the association's events.
func events(a *Association) []Event {
	var evs []Event
	for {
		ev, ok := a.PollEvent()
		if !ok {
			return evs
		}
		evs = append(evs, ev)
	}
}

// expectEvent requires the next event to be of type T and returns it.
func expectEvent[T Event](t testing.TB, a *Association) T {
	t.Helper()
	ev, ok := a.PollEvent()
	if !ok {
		var zero T
		t.Fatalf("want event %T, got none", zero)
	}
	e, ok := ev.(T)
	if !ok {
		var zero T
		t.Fatalf("want event %T, got %v", zero, ev)
	}
	return e
}

func expectNoEvent(t testing.TB, a *Association) {
	t.Helper()
	if ev, ok := a.PollEvent(); ok {
		t.Fatalf("want no event, got %v", ev)
	}
}

func expectDrop(t testing.TB, err error, r DropReason) {
	t.Helper()
	var de *DropError
	if !errors.As(err, &de) || !errors.Is(err, ErrDropped) {
		t.Fatalf("want DropError %v, got %v", r, err)
	}
	if de.Reason != r {
		t.Fatalf("want drop reason %v, got %v (%s)", r, de.Reason, de.Detail)
	}
}

func expectState(t testing.TB, a *Association, s State) {
	t.Helper()
	if a.State() != s {
		t.Fatalf("state %v, want %v", a.State(), s)
	}
}

// causeList decodes the error causes of an ABORT or ERROR chunk.
func causeList(t testing.TB, c wire.Chunk) []wire.Cause {
	t.Helper()
	var it wire.CauseIter
	switch c.Type() {
	case wire.ChunkAbort:
		ab, err := wire.DecodeAbort(c)
		if err != nil {
			t.Fatal(err)
		}
		it = ab.CauseIter()
	case wire.ChunkError:
		e, err := wire.DecodeErrorChunk(c)
		if err != nil {
			t.Fatal(err)
		}
		it = e.CauseIter()
	default:
		t.Fatalf("no causes in %v", c.Type())
	}
	var cs []wire.Cause
	for {
		cs1, ok := it.Next()
		if !ok {
			return cs
		}
		cs = append(cs, cs1)
	}
}

func expectCause(t testing.TB, c wire.Chunk, code wire.CauseCode) wire.Cause {
	t.Helper()
	cs := causeList(t, c)
	if len(cs) != 1 || cs[0].Code() != code {
		var got []string
		for _, x := range cs {
			got = append(got, x.Code().String())
		}
		t.Fatalf("want one cause %v, got %v", code, got)
	}
	return cs[0]
}

// peerInit is the INIT of the raw peer.
func peerInit(params ...[]byte) *wire.Init {
	return &wire.Init{InitiateTag: zTag, ARwnd: 65536, OutStreams: 16, InStreams: 16,
		InitialTSN: zTSN, Params: concat(params...)}
}

func concat(bs ...[]byte) []byte {
	var b []byte
	for _, x := range bs {
		b = append(b, x...)
	}
	return b
}

// ---- client fixture: our Association connects to the raw peer ----

type clientFx struct {
	t   testing.TB
	now time.Time
	a   *Association
	tag uint32 // the association's own tag (from its INIT)
	tsn uint32 // its initial TSN
}

func newClient(t testing.TB, mod func(*Config)) *clientFx {
	t.Helper()
	f := &clientFx{t: t, now: t0, a: New(testConfig(mod), NewSeededRand(1))}
	if err := f.a.Connect(f.now); err != nil {
		t.Fatal(err)
	}
	o := expectOne(t, f.a, f.now, "INIT")
	in, err := wire.DecodeInit(o.chunks[0])
	if err != nil {
		t.Fatal(err)
	}
	f.tag, f.tsn = in.InitiateTag, in.InitialTSN
	return f
}

// zCookie is the opaque cookie the raw peer hands out.
var zCookie = []byte("Z's opaque state cookie!")

func (f *clientFx) initAck(params ...[]byte) *wire.InitAck {
	p := wire.StateCookieParam{Cookie: zCookie}.Append(nil)
	return &wire.InitAck{InitiateTag: zTag, ARwnd: 65536, OutStreams: 16, InStreams: 16,
		InitialTSN: zTSN, Params: concat(append([][]byte{p}, params...)...)}
}

func (f *clientFx) send(vtag uint32, cs ...wire.Encoder) error {
	f.t.Helper()
	return f.a.HandlePacket(f.now, mk(f.t, vtag, cs...))
}

// echo delivers the INIT ACK and checks the COOKIE ECHO.
func (f *clientFx) echo() {
	f.t.Helper()
	if err := f.send(f.tag, f.initAck()); err != nil {
		f.t.Fatal(err)
	}
	expectOne(f.t, f.a, f.now, "COOKIE ECHO")
}

// establish completes the handshake and consumes CommUp.
func (f *clientFx) establish() {
	f.t.Helper()
	f.echo()
	if err := f.send(f.tag, &wire.CookieAck{}); err != nil {
		f.t.Fatal(err)
	}
	expectEvent[CommUp](f.t, f.a)
	expectState(f.t, f.a, Established)
}

func (f *clientFx) advance(d time.Duration) {
	f.now = f.now.Add(d)
	f.a.HandleTimeout(f.now)
}

// toDeadline advances to the next deadline and fires it.
func (f *clientFx) toDeadline() time.Duration {
	f.t.Helper()
	d := f.a.NextDeadline()
	if d.IsZero() {
		f.t.Fatal("no timer running")
	}
	el := d.Sub(f.now)
	f.now = d
	f.a.HandleTimeout(f.now)
	return el
}

// ---- server fixture: the raw peer connects to our Endpoint ----

type serverFx struct {
	t      testing.TB
	now    time.Time
	ep     *Endpoint
	a      *Association
	tag    uint32 // the endpoint's Initiate Tag in the INIT ACK
	cookie []byte
}

func newServer(t testing.TB, mod func(*Config)) *serverFx {
	t.Helper()
	return &serverFx{t: t, now: t0, ep: NewEndpoint(testConfig(mod), NewSeededRand(2), t0)}
}

// handle delivers a packet to the endpoint and returns its reply.
func (f *serverFx) handle(p wire.Packet) (*out, error) {
	f.t.Helper()
	reply, a, err := f.ep.HandlePacket(f.now, p, nil)
	if a != nil {
		f.a = a
	}
	if reply == nil {
		return nil, err
	}
	o := decodeOut(f.t, reply)
	return &o, err
}

// init sends the raw peer's INIT and returns the INIT ACK.
func (f *serverFx) init(params ...[]byte) wire.InitAck {
	f.t.Helper()
	o, err := f.handle(mk(f.t, 0, peerInit(params...)))
	if err != nil || o == nil {
		f.t.Fatalf("INIT: reply %v, err %v", o, err)
	}
	if o.hdr.VerificationTag != zTag || o.types() != "INIT ACK" {
		f.t.Fatalf("INIT answered with %s tag %#x", o.types(), o.hdr.VerificationTag)
	}
	ack, err := wire.DecodeInitAck(o.chunks[0])
	if err != nil {
		f.t.Fatal(err)
	}
	ip, err := wire.DecodeInitParams(ack.Params, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	f.tag, f.cookie = ack.InitiateTag, append([]byte(nil), ip.StateCookie...)
	return ack
}

// establish runs INIT, INIT ACK, COOKIE ECHO, COOKIE ACK.
func (f *serverFx) establish() {
	f.t.Helper()
	f.init()
	o, err := f.handle(mk(f.t, f.tag, &wire.CookieEcho{Cookie: f.cookie}))
	if err != nil || o != nil || f.a == nil {
		f.t.Fatalf("COOKIE ECHO: reply %v, err %v", o, err)
	}
	expectOne(f.t, f.a, f.now, "COOKIE ACK")
	expectEvent[CommUp](f.t, f.a)
}

func (f *serverFx) send(vtag uint32, cs ...wire.Encoder) error {
	f.t.Helper()
	return f.a.HandlePacket(f.now, mk(f.t, vtag, cs...))
}

func (f *serverFx) advance(d time.Duration) {
	f.now = f.now.Add(d)
	if f.a != nil {
		f.a.HandleTimeout(f.now)
	}
}

// dataChunk is a DATA chunk of the raw peer.
func dataChunk(tsn uint32, stream uint16, payload string) *wire.Data {
	return &wire.Data{TSN: tsn, StreamID: stream, Beginning: true, Ending: true, PPID: 51, UserData: []byte(payload)}
}

// immediate sets the I bit of a DATA chunk: the receiver SACKs at once
// (§3.3.1).
func immediate(d *wire.Data) *wire.Data {
	d.Immediate = true
	return d
}

func decodeSack(t testing.TB, c wire.Chunk) wire.Sack {
	t.Helper()
	s, err := wire.DecodeSack(c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
