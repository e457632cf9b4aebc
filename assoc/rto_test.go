package assoc

import (
	"testing"
	"time"
)

const ms = time.Millisecond

// TestRFC9260_6_3_1_C1_InitialRTO: before any measurement the RTO is
// RTO.Initial (§6.3.1 C1).
func TestRFC9260_6_3_1_C1_InitialRTO(t *testing.T) {
	r := NewRTO(3*time.Second, time.Second, 60*time.Second, ms)
	if r.Value() != 3*time.Second || r.Measured() || r.SRTT() != 0 {
		t.Fatal(r.Value())
	}
	if i, mn, mx := r.Bounds(); i != 3*time.Second || mn != time.Second || mx != 60*time.Second {
		t.Fatal("bounds")
	}
}

// TestRFC9260_6_3_1_C2_FirstMeasurement: SRTT = R, RTTVAR = R/2, RTO = SRTT
// + 4 RTTVAR (§6.3.1 C2).
func TestRFC9260_6_3_1_C2_FirstMeasurement(t *testing.T) {
	r := NewRTO(3*time.Second, 100*ms, 60*time.Second, ms)
	r.Measure(200 * ms)
	if r.SRTT() != 200*ms || r.RTTVAR() != 100*ms || r.Value() != 600*ms {
		t.Fatalf("SRTT %v RTTVAR %v RTO %v", r.SRTT(), r.RTTVAR(), r.Value())
	}
}

// TestRFC9260_6_3_1_C3_Smoothing: RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|
// with the old SRTT, then SRTT = 7/8 SRTT + 1/8 R' (§6.3.1 C3, §16).
func TestRFC9260_6_3_1_C3_Smoothing(t *testing.T) {
	r := NewRTO(3*time.Second, 100*ms, 60*time.Second, ms)
	r.Measure(200 * ms)
	r.Measure(600 * ms)
	if r.RTTVAR() != 175*ms || r.SRTT() != 250*ms || r.Value() != 950*ms {
		t.Fatalf("SRTT %v RTTVAR %v RTO %v", r.SRTT(), r.RTTVAR(), r.Value())
	}
	r.Measure(-time.Second) // ignored
	if r.SRTT() != 250*ms {
		t.Fatal("negative sample used")
	}
}

// TestRFC9260_6_3_1_C6_C7_Bounds: the RTO is raised to RTO.Min and capped
// at RTO.Max (§6.3.1 C6, C7).
func TestRFC9260_6_3_1_C6_C7_Bounds(t *testing.T) {
	r := NewRTO(3*time.Second, time.Second, 5*time.Second, ms)
	r.Measure(10 * ms)
	if r.Value() != time.Second {
		t.Fatal(r.Value())
	}
	r.Measure(10 * time.Second)
	if r.Value() != 5*time.Second {
		t.Fatal(r.Value())
	}
	if big := NewRTO(90*time.Second, time.Second, 60*time.Second, ms); big.Value() != 60*time.Second {
		t.Fatal("initial above max")
	}
}

// TestRFC9260_6_3_1_G1_Granularity: a zero RTTVAR becomes G (§6.3.1 G1).
func TestRFC9260_6_3_1_G1_Granularity(t *testing.T) {
	r := NewRTO(3*time.Second, 0, 60*time.Second, 5*ms)
	r.Measure(0)
	if r.RTTVAR() != 5*ms || r.Value() != 20*ms {
		t.Fatalf("RTTVAR %v RTO %v", r.RTTVAR(), r.Value())
	}
	if NewRTO(1, 0, 0, 0).g != ms {
		t.Fatal("default granularity")
	}
}

// TestRFC9260_6_3_3_E2_Backoff: each timeout doubles the RTO up to RTO.Max
// (§6.3.3 E2); a new measurement recomputes it; Reset forgets everything.
func TestRFC9260_6_3_3_E2_Backoff(t *testing.T) {
	r := NewRTO(time.Second, time.Second, 5*time.Second, ms)
	for _, want := range []time.Duration{2, 4, 5, 5} {
		r.Backoff()
		if r.Value() != want*time.Second {
			t.Fatal(r.Value())
		}
	}
	r.BackoffMax(0)
	if r.Value() != 10*time.Second {
		t.Fatal("uncapped backoff")
	}
	r.Measure(100 * ms)
	if r.Value() != time.Second {
		t.Fatal(r.Value())
	}
	r.Reset()
	if r.Measured() || r.Value() != time.Second {
		t.Fatal("reset")
	}
	huge := NewRTO(1<<62, 0, 0, ms)
	huge.Backoff()
	if huge.Value() != 1<<62 {
		t.Fatal("overflow")
	}
}
