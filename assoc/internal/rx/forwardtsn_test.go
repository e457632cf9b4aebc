package rx

import (
	"slices"
	"testing"

	"github.com/sconnlab/sconn/wire"
)

func fwdTSN(newCum uint32, entries ...wire.ForwardTSNStream) *wire.ForwardTSN {
	return &wire.ForwardTSN{NewCumulativeTSN: newCum, Streams: append([]wire.ForwardTSNStream{}, entries...)}
}

func TestForwardTSNReassembly(t *testing.T) {
	cases := []struct {
		name    string
		frags   []Fragment
		fwd     *wire.ForwardTSN
		want    []string
		aborted []PartialDeliveryAborted
		held    int
	}{
		{"skipped ssn releases the stream", []Fragment{
			dfrag(2, 0, 1, "BE", "b"), dfrag(3, 0, 2, "BE", "c"),
		}, fwdTSN(1, wire.ForwardTSNStream{StreamID: 0, SSN: 0}), []string{"b", "c"}, nil, 0},
		{"stranded complete messages up to the ssn are delivered", []Fragment{
			dfrag(2, 0, 1, "BE", "b"), dfrag(4, 0, 3, "BE", "d"),
		}, fwdTSN(3, wire.ForwardTSNStream{StreamID: 0, SSN: 2}), []string{"b", "d"}, nil, 0},
		{"incomplete skipped message dropped", []Fragment{
			dfrag(1, 0, 0, "B", "xx"), dfrag(4, 0, 1, "BE", "b"),
		}, fwdTSN(3, wire.ForwardTSNStream{StreamID: 0, SSN: 0}), []string{"b"}, nil, 0},
		{"unordered run below the new cum dropped", []Fragment{
			dfrag(2, 0, 0, "U", "mid"), dfrag(5, 0, 0, "BU", "keep"), dfrag(6, 0, 0, "EU", "!"),
		}, fwdTSN(3), []string{"keep!"}, nil, 0},
		{"run above the new cum kept", []Fragment{
			dfrag(5, 0, 0, "BU", "ke"),
		}, fwdTSN(3), nil, nil, 2},
		{"run starting just above the new cum is doomed without B", []Fragment{
			dfrag(4, 0, 0, "U", "orphan"),
		}, fwdTSN(3), nil, nil, 0},
		{"ordered message missing its B below cum", []Fragment{
			dfrag(3, 1, 4, "E", "tail"),
		}, fwdTSN(2), nil, nil, 0},
		{"partial delivery aborted", []Fragment{
			dfrag(1, 2, 0, "B", "0123456789"), dfrag(2, 2, 0, "", "0123456789"), dfrag(5, 2, 1, "BE", "next"),
		}, fwdTSN(4, wire.ForwardTSNStream{StreamID: 2, SSN: 0}), []string{"01234567890123456789", "next"},
			[]PartialDeliveryAborted{{Stream: 2}}, 0},
		{"stream listed that has nothing", nil, fwdTSN(4, wire.ForwardTSNStream{StreamID: 9, SSN: 3}), nil, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := NewReassembly(Config{PartialDeliveryPoint: 15}, false)
			mustAdd(t, r, c.frags...)
			r.SkipForwardTSN(c.fwd.NewCumulativeTSN, c.fwd)
			var aborted []PartialDeliveryAborted
			for a, ok := r.PollPartialDeliveryAborted(); ok; a, ok = r.PollPartialDeliveryAborted() {
				aborted = append(aborted, a)
			}
			got := readAll(r)
			if !slices.Equal(datas(got), c.want) {
				t.Fatalf("got %v, want %q", got, c.want)
			}
			if !slices.Equal(aborted, c.aborted) {
				t.Fatalf("aborted %v, want %v", aborted, c.aborted)
			}
			if r.Held() != c.held {
				t.Fatalf("held %d, want %d", r.Held(), c.held)
			}
		})
	}
}

func TestForwardTSNNextSSN(t *testing.T) {
	r := NewReassembly(Config{}, false)
	r.SkipForwardTSN(5, fwdTSN(5, wire.ForwardTSNStream{StreamID: 1, SSN: 65535}))
	mustAdd(t, r, dfrag(6, 1, 0, "BE", "after wrap"), dfrag(7, 1, 65535, "BE", "skipped"))
	if got := datas(readAll(r)); !slices.Equal(got, []string{"after wrap"}) {
		t.Fatalf("got %q", got)
	}
	// An SSN older than the stream's next does not move it back.
	r.SkipForwardTSN(8, fwdTSN(8, wire.ForwardTSNStream{StreamID: 1, SSN: 0}))
	mustAdd(t, r, dfrag(9, 1, 1, "BE", "one"))
	if got := datas(readAll(r)); !slices.Equal(got, []string{"one"}) {
		t.Fatalf("got %q", got)
	}
}

func TestIForwardTSN(t *testing.T) {
	r := NewReassembly(Config{PartialDeliveryPoint: 4}, true)
	mustAdd(t, r,
		ifrag(1, 0, 0, 0, "B", "ordered0"), // partially delivered, then abandoned
		ifrag(3, 0, 1, 0, "BE", "ordered1"),
		ifrag(4, 0, 7, 0, "BU", "u7"), // abandoned
		ifrag(5, 0, 8, 0, "BU", "u8"), // kept
		ifrag(6, 1, 2, 1, "", "s1"),   // other stream, above the skip
	)
	fwd := &wire.IForwardTSN{NewCumulativeTSN: 4, Streams: []wire.IForwardTSNStream{
		{StreamID: 0, MID: 0}, {StreamID: 0, Unordered: true, MID: 7},
	}}
	r.SkipIForwardTSN(fwd)
	a, ok := r.PollPartialDeliveryAborted()
	if !ok || a != (PartialDeliveryAborted{Stream: 0, MID: 0}) {
		t.Fatalf("%+v %v", a, ok)
	}
	got := readAll(r)
	if !slices.Equal(datas(got), []string{"ordered0", "ordered1"}) || got[0].info.EOR {
		t.Fatalf("got %v", got)
	}
	mustAdd(t, r, ifrag(7, 0, 8, 1, "EU", "!"), ifrag(8, 0, 7, 1, "EU", "late"))
	if got := datas(readAll(r)); !slices.Equal(got, []string{"u8!"}) {
		t.Fatalf("got %q", got)
	}
	if want := len("s1") + len("late"); r.Held() != want {
		t.Fatalf("held %d, want %d", r.Held(), want)
	}
}

func TestForwardTSNInvalidStreamIgnored(t *testing.T) {
	r := NewReceiver(Config{}, 1, 2, false)
	f := dfrag(2, 1, 1, "BE", "b")
	r.HandleData(&f)
	r.HandleForwardTSN(fwdTSN(1, wire.ForwardTSNStream{StreamID: 1, SSN: 0}, wire.ForwardTSNStream{StreamID: 500, SSN: 9}))
	if len(r.Reassembly.streams) != 1 {
		t.Fatalf("%d stream states", len(r.Reassembly.streams))
	}
	if n, _, _ := r.Read(make([]byte, 4)); n != 1 {
		t.Fatal(n)
	}
}
