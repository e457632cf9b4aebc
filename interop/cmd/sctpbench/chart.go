package main

import (
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// metric is one bar group of the chart: a figure taken from results of one
// case and shape, with the direction that counts as better.
type metric struct {
	label       string
	match       func(r Result) bool
	value       func(r Result) *float64
	lowerBetter bool
}

func chartMetrics(rs []Result) []metric {
	var ms []metric
	seen := map[string]bool{}
	for _, r := range rs {
		r := r
		var m metric
		switch r.Case {
		case "throughput":
			mode := "1 stream ordered"
			if *r.Streams > 1 {
				mode = fmt.Sprintf("%d streams unordered", *r.Streams)
			}
			m = metric{label: fmt.Sprintf("throughput %s, %s (MB/s)", sizeLabel(*r.Size), mode),
				match: func(x Result) bool {
					return x.Case == "throughput" && *x.Size == *r.Size && *x.Streams == *r.Streams
				},
				value: func(x Result) *float64 { return x.MBPerS }}
		case "latency":
			for _, q := range []string{"p50", "p99"} {
				q := q
				lm := metric{label: fmt.Sprintf("latency %s, %s (µs)", sizeLabel(*r.Size), q), lowerBetter: true,
					match: func(x Result) bool { return x.Case == "latency" },
					value: func(x Result) *float64 {
						if q == "p50" {
							return x.P50us
						}
						return x.P99us
					}}
				if !seen[lm.label] {
					seen[lm.label] = true
					ms = append(ms, lm)
				}
			}
			continue
		case "handshake":
			m = metric{label: "handshakes per second", match: func(x Result) bool { return x.Case == "handshake" },
				value: func(x Result) *float64 { return x.PerS }}
		case "idle":
			m = metric{label: fmt.Sprintf("memory per idle association at %d (bytes)", *r.Assocs), lowerBetter: true,
				match: func(x Result) bool { return x.Case == "idle" && *x.Assocs == *r.Assocs },
				value: func(x Result) *float64 { return x.BytesPerAssoc }}
		default:
			continue
		}
		if !seen[m.label] {
			seen[m.label] = true
			ms = append(ms, m)
		}
	}
	return ms
}

func sizeLabel(n int) string {
	if n >= 1024 && n%1024 == 0 {
		return fmt.Sprintf("%d KiB", n/1024)
	}
	return fmt.Sprintf("%d B", n)
}

var stackColors = []string{"#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#66a61e"}

// writeChart draws, for every metric, one bar per stack: how many times
// better than the baseline stack it did (value/baseline, or baseline/value
// where lower is better), on a log scale around the 1× line, so bars to
// the right are better than the baseline and bars to the left worse.
func writeChart(w io.Writer, rs []Result, order []string, baseline string) error {
	type bar struct {
		stack string
		ratio float64
		value float64
	}
	type group struct {
		label string
		bars  []bar
	}
	var groups []group
	lo, hi := 0.5, 2.0
	for _, m := range chartMetrics(rs) {
		byStack := map[string]float64{}
		for _, r := range rs {
			if v := m.value(r); m.match(r) && v != nil && *v > 0 {
				byStack[r.Stack] = *v
			}
		}
		base, ok := byStack[baseline]
		if !ok {
			continue
		}
		g := group{label: m.label}
		for _, s := range order {
			v, ok := byStack[s]
			if !ok {
				continue
			}
			ratio := v / base
			if m.lowerBetter {
				ratio = base / v
			}
			lo, hi = math.Min(lo, ratio), math.Max(hi, ratio)
			g.bars = append(g.bars, bar{s, ratio, v})
		}
		groups = append(groups, g)
	}
	// Whole powers of two bound the axis.
	lo, hi = math.Pow(2, math.Floor(math.Log2(lo))), math.Pow(2, math.Ceil(math.Log2(hi)))
	const (
		width, left, right = 1080, 330, 140
		barH, gap, top     = 16, 14, 70
	)
	height := top + 40
	for _, g := range groups {
		height += len(g.bars)*barH + gap
	}
	px := float64(width-left-right) / (math.Log2(hi) - math.Log2(lo))
	xOf := func(r float64) float64 { return float64(left) + (math.Log2(r)-math.Log2(lo))*px }
	one := xOf(1)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="22" font-size="15" font-weight="bold">sctpbench: times better than %s (log scale; right of 1× is better)</text>`+"\n", html.EscapeString(baseline))
	x := 10
	for i, s := range order {
		fmt.Fprintf(&b, `<rect x="%d" y="34" width="12" height="12" fill="%s"/><text x="%d" y="45">%s</text>`+"\n",
			x, stackColors[i%len(stackColors)], x+16, html.EscapeString(s))
		x += 30 + 8*len(s)
	}
	y := top
	bottom := top
	for _, g := range groups {
		bottom += len(g.bars)*barH + gap
	}
	for r := lo; r <= hi*1.001; r *= 2 {
		gx := xOf(r)
		stroke := "#ddd"
		if r == 1 {
			stroke = "#555"
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>`+"\n", gx, top-8, gx, bottom-gap+4, stroke)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s×</text>`+"\n", gx, top-12, strconv.FormatFloat(r, 'g', 4, 64))
	}
	for _, g := range groups {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-8, y+barH*len(g.bars)/2+4, html.EscapeString(g.label))
		for _, br := range g.bars {
			ci := slices.Index(order, br.stack)
			end := xOf(br.ratio)
			x0, x1 := math.Min(one, end), math.Max(one, end)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %s</title></rect>`+"\n",
				x0, y, math.Max(1.5, x1-x0), barH-2, stackColors[ci%len(stackColors)], html.EscapeString(br.stack), fmtF(&br.value))
			label := fmt.Sprintf("%.2f× (%s)", br.ratio, fmtF(&br.value))
			if br.ratio >= 1 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%d">%s</text>`+"\n", x1+4, y+barH-5, label)
			} else {
				fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="end">%s</text>`+"\n", x0-4, y+barH-5, label)
			}
			y += barH
		}
		y += gap
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#555">1× = %s</text>`+"\n", one, y+12, html.EscapeString(baseline))
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
