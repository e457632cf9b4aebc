// Command sctpbench measures SCTP stacks in one process over in-memory
// datagram links: one-way throughput (100 B, 1200 B, 16 KiB, 64 KiB; one
// reliable ordered stream and eight unordered streams), request/response
// latency, handshakes per second, and memory and goroutines per idle
// association, plus Go allocations per message.
//
// Usage:
//
//	sctpbench [-stacks sconn,pion,usrsctp] [-cases throughput,latency,handshake,idle]
//	          [-duration 1s] [-runs 3] [-n N] [-quick] [-json] [-chart FILE.svg]
//	          [-baseline pion] [-usrsctp-streams 1024] [-sconn-mtu 0] [-handshakes 2000] [-idle 1000,10000]
//	          [-sizes 100,1200,16384,65536] [-streams 1,8] [-cpuprofile FILE] [-memprofile FILE] [-heapprofile FILE]
//
// The stacks are sconn (package conn, stack_sconn.go), pion/sctp and
// usrsctp (cgo, AF_CONN). See docs/interop-peers.md and docs/benchmarks.md.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"
)

func main() {
	bench()
	os.Exit(exitCode)
}

func bench() {
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
		sizeList  = flag.String("sizes", "100,1200,16384,65536", "message sizes of the throughput case")
		strList   = flag.String("streams", "1,8", "stream counts of the throughput case (1: ordered, more: unordered)")
		cpuProf   = flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
		memProf   = flag.String("memprofile", "", "write an allocation profile (every allocation sampled) to this file")
	)
	flag.IntVar(&usrsctpStreams, "usrsctp-streams", usrsctpStreams, "outbound and inbound streams of usrsctp associations (SCTP_INITMSG)")
	flag.StringVar(&heapProfile, "heapprofile", "", "write the in-use heap profile of each idle case to FILE.stack.count")
	flag.IntVar(&sconnMTU, "sconn-mtu", sconnMTU, "path MTU of sconn associations (1228 as pion runs here; 0: sconn's default, 1200)")
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
	sizes, err := intList(*sizeList, 1)
	if err != nil {
		fatal(fmt.Errorf("bad -sizes: %w", err))
	}
	streamCounts, err := intList(*strList, 1)
	if err != nil {
		fatal(fmt.Errorf("bad -streams: %w", err))
	}
	cases := map[string]bool{}
	for _, c := range strings.Split(*caseList, ",") {
		cases[strings.TrimSpace(c)] = true
	}

	if *cpuProf != "" {
		f, err := os.Create(*cpuProf)
		if err != nil {
			fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if *memProf != "" {
		runtime.MemProfileRate = 1
		defer func() {
			f, err := os.Create(*memProf)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "sctpbench: memprofile:", err)
			}
		}()
	}

	ctx := context.Background()
	var results []Result
	failed := false
	run := func(name string, f func() (Result, error)) (Result, bool) {
		t0 := time.Now()
		r, err := f()
		if err != nil {
			fmt.Fprintf(os.Stderr, "sctpbench: %s: %v\n", name, err)
			failed = true
			return Result{}, false
		}
		fmt.Fprintf(os.Stderr, "sctpbench: %-40s %6.2fs\n", name, time.Since(t0).Seconds())
		return r, true
	}
	fmt.Fprintf(os.Stderr, "sctpbench: %s, GOMAXPROCS %d, %s\n", runtime.Version(), runtime.GOMAXPROCS(0), runtime.GOARCH)
	// Every case runs for each stack in turn before the next case (and
	// the -runs rounds of a throughput or latency case alternate between
	// the stacks), so that a machine whose load changes during the run
	// skews the ratios between stacks as little as possible. Idle runs last: it leaves the
	// most behind (usrsctp frees aborted associations from its timer
	// thread). Results are reported stack by stack.
	byStack := map[string][]Result{}
	add := func(st Stack, name string, f func() (Result, error)) {
		if r, ok := run(name, f); ok {
			byStack[st.Name()] = append(byStack[st.Name()], r)
		}
	}
	// interleave runs a case *runs times for every stack, the stacks in
	// turn within each round, and keeps each stack's median by key.
	interleave := func(label func(st Stack) string, key func(Result) float64, f func(st Stack) (Result, error)) {
		got := map[string][]Result{}
		t0 := map[string]time.Duration{}
		for range max(*runs, 1) {
			for _, st := range sts {
				start := time.Now()
				r, err := f(st)
				t0[st.Name()] += time.Since(start)
				if err != nil {
					fmt.Fprintf(os.Stderr, "sctpbench: %s: %v\n", label(st), err)
					failed = true
					continue
				}
				got[st.Name()] = append(got[st.Name()], r)
			}
		}
		for _, st := range sts {
			rs := got[st.Name()]
			if len(rs) == 0 {
				continue
			}
			slices.SortFunc(rs, func(a, b Result) int { return cmp.Compare(key(a), key(b)) })
			fmt.Fprintf(os.Stderr, "sctpbench: %-40s %6.2fs\n", label(st), t0[st.Name()].Seconds())
			byStack[st.Name()] = append(byStack[st.Name()], rs[len(rs)/2])
		}
	}
	if cases["throughput"] {
		for _, streams := range streamCounts {
			for _, size := range sizes {
				interleave(func(st Stack) string { return fmt.Sprintf("%s throughput %s x%d", st.Name(), sizeLabel(size), streams) },
					func(r Result) float64 { return *r.MBPerS },
					func(st Stack) (Result, error) { return throughput(ctx, st, o, size, streams) })
			}
		}
	}
	if cases["latency"] {
		interleave(func(st Stack) string { return st.Name() + " latency" },
			func(r Result) float64 { return *r.P50us },
			func(st Stack) (Result, error) { return latency(ctx, st, o) })
	}
	if cases["handshake"] {
		for _, st := range sts {
			add(st, st.Name()+" handshake", func() (Result, error) { return handshakes(ctx, st, o) })
		}
	}
	var idleResults []Result
	if cases["idle"] {
		for _, st := range sts {
			for _, a := range o.Idle {
				if r, ok := run(fmt.Sprintf("%s idle %d", st.Name(), a), func() (Result, error) { return idle(ctx, st, a) }); ok {
					idleResults = append(idleResults, r)
				}
			}
		}
	}
	for _, st := range sts {
		results = append(results, byStack[st.Name()]...)
	}
	results = append(results, idleResults...)

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
		exitCode = 1
	}
}

// exitCode is the status main's caller exits with (after main's deferred
// profile writers ran).
var exitCode int

// intList parses a comma-separated list of integers of at least min.
func intList(s string, min int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		var v int
		if _, err := fmt.Sscan(strings.TrimSpace(f), &v); err != nil || v < min {
			return nil, fmt.Errorf("%q", f)
		}
		out = append(out, v)
	}
	return out, nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "sctpbench:", err)
	os.Exit(2)
}
