package assoc

import (
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// FuzzHandlePacket feeds arbitrary packets to an established association,
// an association in COOKIE-WAIT, a listening Endpoint and HandleOOTB: none
// may panic, and everything they send must parse.
func FuzzHandlePacket(f *testing.F) {
	c := newClient(f, nil)
	tag := c.tag
	srv := newServer(f, nil)
	srv.init()
	seeds := []wire.Packet{}
	add := func(vtag uint32, cs ...wire.Encoder) { seeds = append(seeds, mk(f, vtag, cs...)) }
	add(0, peerInit(wire.CookiePreservativeParam{LifeSpanIncrement: 5}.Append(nil), wire.AppendParam(nil, 0xC001, []byte{1})))
	add(tag, c.initAck(wire.AppendParam(nil, 0x4001, nil)))
	add(tag, &wire.CookieAck{}, dataChunk(zTSN, 0, "x"), &wire.Heartbeat{Info: []byte{1, 2, 3}})
	add(srv.tag, &wire.CookieEcho{Cookie: srv.cookie}, dataChunk(zTSN, 1, "y"))
	add(tag, &wire.Shutdown{CumulativeTSNAck: 7}, &wire.ShutdownAck{})
	add(tag, &wire.ShutdownComplete{TagReflected: true})
	add(tag, &wire.Abort{Causes: wire.UserInitiatedAbort{Reason: []byte("r")}.Append(nil)})
	add(tag, &wire.ErrorChunk{Causes: wire.StaleCookie{Staleness: 9}.Append(nil)})
	add(tag, &wire.Sack{CumulativeTSNAck: 3, ARwnd: 9000, GapBlocks: []wire.GapBlock{{Start: 1, End: 2}}})
	add(tag, &wire.RawChunk{Type: 0x7F, Value: []byte{1}}, &wire.HeartbeatAck{Info: make([]byte, 16)})
	for _, s := range seeds {
		f.Add(s.Bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := wire.ParsePacket(b)
		if err != nil {
			return
		}
		check := func(a *Association) {
			a.HandlePacket(t0, p)
			for i := 0; i < 20; i++ {
				o := a.Poll(t0, nil)
				if o == nil {
					break
				}
				if _, err := wire.ParsePacket(o); err != nil {
					t.Fatalf("sent a malformed packet: %v", err)
				}
			}
			a.HandleTimeout(t0.Add(time.Hour))
			events(a)
		}
		up := newClient(t, nil)
		up.establish()
		check(up.a)
		wait := newClient(t, nil)
		check(wait.a)
		s := newServer(t, nil)
		s.establish()
		check(s.a)
		if r, a, _ := s.ep.HandlePacket(t0, p, nil); r != nil {
			if _, err := wire.ParsePacket(r); err != nil {
				t.Fatal(err)
			}
		} else if a != nil {
			check(a)
		}
		if r, _ := HandleOOTB(p, nil); r != nil {
			if _, err := wire.ParsePacket(r); err != nil {
				t.Fatal(err)
			}
		}
	})
}
