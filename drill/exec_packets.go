package drill

import (
	"fmt"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// unexpected reports the packets the stack sent that the script did not
// expect before this event.
func (x *executor) unexpected(ev *Event) error {
	if len(x.queue) == 0 || !x.queue[0].t.Before(x.now.Add(-x.tol)) {
		return nil // none, or sent within the tolerance of this event: a later line may expect it
	}
	p := x.queue[0]
	return &Mismatch{Line: ev.Line, What: fmt.Sprintf("unexpected packet sent at %s, before this line", x.stamp(p.t)),
		Expected: "(no packet)", Actual: "> " + formatPacket(p.b, x.live)}
}

func (x *executor) injectPacket(ev *Event) error {
	x.startEvent(ev)
	if err := x.ensureStack(); err != nil {
		return err
	}
	if err := x.unexpected(ev); err != nil {
		return err
	}
	pkt, err := encodePacket(ev.Packet, x.live)
	if err != nil {
		return err
	}
	x.tracef("%s", ev.Packet)
	if x.trace != nil {
		if p, err := wire.ParsePacket(pkt); err == nil {
			x.tracef("  = %s", wire.Summary(p))
		}
	}
	if err := x.stack.ConnInput(tunHandle, pkt, 0); err != nil {
		x.tracef("  (dropped: %v)", err)
	}
	return nil
}

func (x *executor) expectPacket(ev *Event) error {
	if err := x.ensureStack(); err != nil {
		return err
	}
	start, end, any := x.target(ev)
	lo, hi := start.Add(-x.tol), end.Add(x.tol)
	if any {
		lo = time.Time{}
	}
	for len(x.queue) == 0 {
		next := x.stack.NextTimeout()
		if next.IsZero() || next.After(hi) {
			x.advance(hi, true)
			if len(x.queue) > 0 {
				break
			}
			return &Mismatch{Line: ev.Line,
				What:     fmt.Sprintf("expected packet not sent by %s (scheduled at %s, tolerance %v)", x.stamp(hi), x.stamp(start), x.tol),
				Expected: ev.Packet.String(), Actual: "(no packet)"}
		}
		x.advance(next, true)
	}
	p := x.queue[0]
	x.queue = x.queue[1:]
	if p.t.Before(lo) {
		return &Mismatch{Line: ev.Line,
			What:     fmt.Sprintf("packet sent too early: at %s, expected at %s (tolerance %v)", x.stamp(p.t), x.stamp(start), x.tol),
			Expected: ev.Packet.String(), Actual: "> " + formatPacket(p.b, x.live)}
	}
	ns, mm := matchPacket(ev.Packet, p.b, x.live)
	if mm != nil {
		x.tracef("> %s", formatPacket(p.b, x.live))
		return mm
	}
	x.live = ns
	x.tracef("> %s", formatPacket(p.b, x.live))
	x.last = p.t
	return nil
}
