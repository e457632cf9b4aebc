package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
)

// Result is one measured figure set. Fields that do not apply to a case
// are nil and left out of the JSON; the names are those of issue 9.
type Result struct {
	Stack              string   `json:"stack"`
	Case               string   `json:"case"`
	Size               *int     `json:"size,omitempty"`
	Streams            *int     `json:"streams,omitempty"`
	MBPerS             *float64 `json:"mb_per_s,omitempty"`
	MsgsPerS           *float64 `json:"msgs_per_s,omitempty"`
	AllocsPerMsg       *float64 `json:"allocs_per_msg,omitempty"`
	P50us              *float64 `json:"p50_us,omitempty"`
	P99us              *float64 `json:"p99_us,omitempty"`
	PerS               *float64 `json:"per_s,omitempty"`
	Assocs             *int     `json:"assocs,omitempty"`
	BytesPerAssoc      *float64 `json:"bytes_per_assoc,omitempty"`
	GoroutinesPerAssoc *float64 `json:"goroutines_per_assoc,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// round keeps three significant decimals for small values and none for
// large ones, so the JSON stays readable.
func round(v float64) float64 {
	switch a := math.Abs(v); {
	case a >= 1000:
		return math.Round(v)
	case a >= 1:
		return math.Round(v*100) / 100
	}
	return math.Round(v*1000) / 1000
}

// writeJSON prints {"results":[...]}.
func writeJSON(w io.Writer, rs []Result) error {
	if rs == nil {
		rs = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Results []Result `json:"results"`
	}{rs})
}

// writeTable prints one row per result.
func writeTable(w io.Writer, rs []Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stack\tcase\tsize\tstreams\tMB/s\tmsgs/s\tallocs/msg\tp50 µs\tp99 µs\tper s\tassocs\tB/assoc\tgoroutines/assoc\t")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Stack, r.Case,
			fmtI(r.Size), fmtI(r.Streams), fmtF(r.MBPerS), fmtF(r.MsgsPerS), fmtF(r.AllocsPerMsg),
			fmtF(r.P50us), fmtF(r.P99us), fmtF(r.PerS), fmtI(r.Assocs), fmtF(r.BytesPerAssoc),
			fmtF(r.GoroutinesPerAssoc))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, mtuNote())
	return err
}

// mtuNote names the path MTU each stack runs with: a message larger than
// MTU - 28 bytes takes two packets.
func mtuNote() string {
	m := "sconn's default (1200)"
	if sconnMTU > 0 {
		m = strconv.Itoa(sconnMTU)
	}
	return "path MTU: sconn " + m + ", pion/sctp 1228 (its default is 1191), usrsctp 1268 (AF_CONN default); " +
		"Nagle: sconn on for throughput, off (NODELAY) for latency; usrsctp NODELAY always (its faster setting here); pion has none"
}

func fmtI(p *int) string {
	if p == nil {
		return "-"
	}
	return strconv.Itoa(*p)
}

func fmtF(p *float64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}
