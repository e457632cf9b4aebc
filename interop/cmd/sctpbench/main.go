// Command sctpbench measures SCTP stacks in one process over in-memory
// datagram links: one-way throughput (100 B, 1200 B, 16 KiB, 64 KiB; one
// reliable ordered stream and eight unordered streams), request/response
// latency, handshakes per second, and memory and goroutines per idle
// association, plus Go allocations per message.
//
// Usage:
//
//	sctpbench [-stacks pion,usrsctp] [-cases throughput,latency,handshake,idle]
//	          [-duration 1s] [-runs 3] [-n N] [-quick] [-json] [-chart FILE.svg]
//	          [-baseline pion] [-usrsctp-streams 1024] [-handshakes 2000] [-idle 1000,10000]
//
// The stacks are pion/sctp and usrsctp (cgo, AF_CONN); sconn registers in
// stack.go once its host API runs. See docs/interop-peers.md.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

func main() {
	var (
		stackList = flag.String("stacks", "all", "comma-separated stacks to run: "+knownStacks())
		caseList  = flag.String("cases", "throughput,latency,handshake,idle", "comma-separated cases to run")
		duration  = flag.Duration("duration", time.Second, "length of each throughput and latency run")
		runs      = flag.Int("runs", 3, "runs of each throughput and latency case; the median is reported")
		n         = flag.Int("n", 0, "messages per throughput case and requests of the latency case (overrides -duration)")
		hs        = flag.Int("handshakes", 2000, "associations set up by the handshake case")
		idleList  = flag.String("idle", "1000,10000", "association counts of the idle case")
		quick     = flag.Bool("quick", false, "short run: 200 ms cases, 500 handshakes, idle at 1000 only")
		asJSON    = flag.Bool("json", false, `print {"results":[...]} instead of a table`)
		chart     = flag.String("chart", "", "write an SVG chart of the ratios to this file")
		baseline  = flag.String("baseline", "pion", "stack the chart compares against")
	)
	flag.IntVar(&usrsctpStreams, "usrsctp-streams", usrsctpStreams, "outbound and inbound streams of usrsctp associations (SCTP_INITMSG)")
	flag.Parse()
	sts, err := selectStacks(*stackList)
	if err != nil {
		fatal(err)
	}
	o := Options{Duration: *duration, N: *n, Handshakes: *hs}
	if *quick {
		o.Duration, o.Handshakes, *idleList, *runs = 200*time.Millisecond, 500, "1000", 1
	}
	for _, f := range strings.Split(*idleList, ",") {
		var v int
		if _, err := fmt.Sscan(strings.TrimSpace(f), &v); err != nil || v < 2 {
			fatal(fmt.Errorf("bad -idle count %q", f))
		}
		o.Idle = append(o.Idle, v)
	}
	cases := map[string]bool{}
	for _, c := range strings.Split(*caseList, ",") {
		cases[strings.TrimSpace(c)] = true
	}

	ctx := context.Background()
	var results []Result
	failed := false
	run := func(name string, f func() (Result, error)) {
		t0 := time.Now()
		r, err := f()
		if err != nil {
			fmt.Fprintf(os.Stderr, "sctpbench: %s: %v\n", name, err)
			failed = true
			return
		}
		fmt.Fprintf(os.Stderr, "sctpbench: %-40s %6.2fs\n", name, time.Since(t0).Seconds())
		results = append(results, r)
	}
	fmt.Fprintf(os.Stderr, "sctpbench: %s, GOMAXPROCS %d, %s\n", runtime.Version(), runtime.GOMAXPROCS(0), runtime.GOARCH)
	// Idle runs last for every stack: it leaves the most behind (usrsctp
	// frees aborted associations from its timer thread).
	for _, st := range sts {
		if cases["throughput"] {
			for _, streams := range []int{1, 8} {
				for _, size := range []int{100, 1200, 16 << 10, 64 << 10} {
					run(fmt.Sprintf("%s throughput %s x%d", st.Name(), sizeLabel(size), streams), func() (Result, error) {
						return median(*runs, func(r Result) float64 { return *r.MBPerS }, func() (Result, error) {
							return throughput(ctx, st, o, size, streams)
						})
					})
				}
			}
		}
		if cases["latency"] {
			run(st.Name()+" latency", func() (Result, error) {
				return median(*runs, func(r Result) float64 { return *r.P50us }, func() (Result, error) {
					return latency(ctx, st, o)
				})
			})
		}
		if cases["handshake"] {
			run(st.Name()+" handshake", func() (Result, error) { return handshakes(ctx, st, o) })
		}
	}
	for _, st := range sts {
		if cases["idle"] {
			for _, a := range o.Idle {
				run(fmt.Sprintf("%s idle %d", st.Name(), a), func() (Result, error) { return idle(ctx, st, a) })
			}
		}
	}

	if *asJSON {
		err = writeJSON(os.Stdout, results)
	} else {
		err = writeTable(os.Stdout, results)
	}
	if err != nil {
		fatal(err)
	}
	if *chart != "" {
		var order []string
		for _, st := range sts {
			order = append(order, st.Name())
		}
		f, err := os.Create(*chart)
		if err != nil {
			fatal(err)
		}
		if err := writeChart(f, results, order, *baseline); err != nil {
			fatal(err)
		}
		if err := f.Close(); err != nil {
			fatal(err)
		}
	}
	if failed {
		os.Exit(1)
	}
}

// median runs f n times and returns the result with the median key.
func median(n int, key func(Result) float64, f func() (Result, error)) (Result, error) {
	var rs []Result
	for range max(n, 1) {
		r, err := f()
		if err != nil {
			return Result{}, err
		}
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(a, b Result) int { return cmp.Compare(key(a), key(b)) })
	return rs[len(rs)/2], nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "sctpbench:", err)
	os.Exit(2)
}
