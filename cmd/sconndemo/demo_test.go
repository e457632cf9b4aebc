package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestDemo runs the demo (smaller in -short mode) and checks its summary.
func TestDemo(t *testing.T) {
	o := defaultOptions()
	if testing.Short() {
		o.Messages, o.RTP = 80, 40
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	defer cancel()
	var out bytes.Buffer
	start := time.Now()
	if err := run(ctx, &out, o); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	s := out.String()
	for _, want := range []string{
		"== part 1: in-memory pair", "== part 2: SCTP over UDP beside RTP",
		"received exactly once and in order", "DATA chunks retransmitted",
		"drops at stack B:", "2 SCTP with wrong ports, 2 SCTP behind an IP header",
		"logged once: datagram from",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	t.Logf("demo took %v", time.Since(start).Round(time.Millisecond))
}
