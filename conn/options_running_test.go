package conn

import (
	"strings"
	"testing"
	"time"
)

// TestPeerAddrParamsAndNoDelayOnRunningAssociation: SCTP_PEER_ADDR_PARAMS
// (heartbeat interval and on/off, Path.Max.Retrans) and SCTP_NODELAY change
// a running association (RFC 6458 §8.1.12, §8.1.5; ETSI sctp-d-o-8-7,
// sctp-d-o-8-8, sctp-d-v-8-9); zero numeric fields leave a value unchanged.
func TestPeerAddrParamsAndNoDelayOnRunningAssociation(t *testing.T) {
	p := newPair(t, true)
	p.listen(OneToOne, 5000)
	c := p.dial(OneToOne, 5000, NotifyAssocChange)
	expectAssocChange(t, c, CommUp)

	if err := c.SetOption(PeerAddrParams{Flags: HBDisable | PMTUDDisable}); err != nil {
		t.Fatalf("SPP_HB_DISABLE on a running association: %v", err)
	}
	var pp PeerAddrParams
	c.GetOption(&pp)
	if pp.Flags&HBDisable == 0 || pp.PathMaxRxt == 0 || pp.HBInterval == 0 {
		t.Errorf("after SPP_HB_DISABLE: %+v", pp)
	}
	p.traceString()
	p.advance(10 * time.Minute)
	if tr := p.traceString(); hasLine(tr, "A→B HEARTBEAT") {
		t.Errorf("heartbeats after SPP_HB_DISABLE:\n%s", tr)
	}

	if err := c.SetOption(PeerAddrParams{HBInterval: 2 * time.Second, PathMaxRxt: 3, Flags: HBEnable}); err != nil {
		t.Fatalf("heartbeat interval on a running association: %v", err)
	}
	c.GetOption(&pp)
	if pp.Flags&HBEnable == 0 || pp.HBInterval != 2*time.Second || pp.PathMaxRxt != 3 {
		t.Errorf("after SPP_HB_ENABLE: %+v", pp)
	}
	p.advance(time.Minute)
	if tr := p.traceString(); !hasLine(tr, "A→B HEARTBEAT") {
		t.Errorf("no heartbeat after SPP_HB_ENABLE:\n%s", tr)
	}

	if err := c.SetOption(NoDelay(true)); err != nil {
		t.Fatalf("SCTP_NODELAY on a running association: %v", err)
	}
	var nd NoDelay
	c.GetOption(&nd)
	c.mu.Lock()
	engine := c.one.config().NoDelay
	c.mu.Unlock()
	if !bool(nd) || !engine {
		t.Errorf("SCTP_NODELAY: option %v, engine %v", nd, engine)
	}
}

func hasLine(s, line string) bool {
	for _, l := range strings.Split(s, "\n") {
		if l == line {
			return true
		}
	}
	return false
}
