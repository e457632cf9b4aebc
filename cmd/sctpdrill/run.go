package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sconnlab/sconn/drill"
)

type defines []string

func (d *defines) String() string     { return strings.Join(*d, ",") }
func (d *defines) Set(s string) error { *d = append(*d, s); return nil }

// run is the command: it returns the exit status, 0 only if every script
// passes.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sctpdrill", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "print the packet and call trace of each script")
	report := fs.String("report", "", "write a Markdown table of the results to `FILE.md`")
	notes := fs.String("notes", "", "read remarks for the report's Notes column from `FILE` (lines \"name: text\")")
	suite := fs.String("suite", "", "list the test purposes of the READMEs under `DIR` in the report (default: the scripts' common parent)")
	var defs, sysctls defines
	fs.Var(&defs, "D", "define `SYMBOL` for #ifdef (repeatable; default FreeBSD)")
	fs.Var(&sysctls, "sysctl", "set a usrsctp tunable before each script, as `name=value` (repeatable)")
	ipv6 := fs.Bool("ipv6", false, "assume IPv6 (40-byte IP header) instead of IPv4 in MTU arithmetic")
	mtu := fs.Int("mtu", 1500, "link MTU the scripts assume")
	tol := fs.Duration("tolerance", 4*time.Millisecond, "default timing tolerance (a script's --tolerance_usecs overrides it)")
	seed := fs.Uint64("seed", 1, "seed of the stack's random numbers")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sctpdrill [flags] FILE.pkt...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	files := fs.Args()
	if len(files) == 0 {
		fs.Usage()
		return 2
	}
	cfg := drill.Config{Defined: defs, MTU: *mtu, Tolerance: *tol, Seed: *seed, Sysctl: sysctls}
	if *ipv6 {
		cfg.IPVersion = 6
	}
	var results []*drill.Result
	failed, xfail := 0, 0
	for _, f := range files {
		c := cfg
		var trace strings.Builder
		if *verbose {
			c.Trace = &trace
		}
		r := drill.RunFile(f, c)
		results = append(results, r)
		if *verbose {
			fmt.Fprintf(stdout, "=== %s\n%s", f, trace.String())
		}
		if r.Pass {
			fmt.Fprintf(stdout, "PASS %s\n", f)
			continue
		}
		if r.ExpectedFail {
			// The suite marks it as expected to fail (NAME.exfail).
			fmt.Fprintf(stdout, "XFAIL %s: %s (expected: %s)\n", f, strings.TrimPrefix(r.Summary(), "FAIL "), r.ExfailReason)
			xfail++
			continue
		}
		failed++
		fmt.Fprintln(stdout, strings.Replace(r.Summary(), "FAIL", "FAIL "+f, 1))
		if r.Expected != "" || r.Actual != "" {
			fmt.Fprintf(stdout, "  expected: %s\n  actual:   %s\n", r.Expected, r.Actual)
		}
	}
	fmt.Fprintf(stdout, "%d of %d scripts passed", len(files)-failed-xfail, len(files))
	if xfail > 0 {
		fmt.Fprintf(stdout, ", %d failed as expected (.exfail)", xfail)
	}
	fmt.Fprintln(stdout)
	if *report != "" {
		if err := writeReport(*report, *suite, *notes, args, files, results); err != nil {
			fmt.Fprintf(stderr, "sctpdrill: %v\n", err)
			return 2
		}
	}
	if failed > 0 {
		return 1
	}
	return 0
}

func writeReport(path, suite, notesFile string, args, files []string, results []*drill.Result) error {
	if suite == "" {
		suite = commonParent(files)
	}
	purposes, err := drill.ReadPurposes(suite)
	if err != nil {
		return err
	}
	notes := map[string]string{}
	if notesFile != "" {
		if notes, err = drill.ReadNotes(notesFile); err != nil {
			return err
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	cmd := "sctpdrill " + strings.Join(args, " ")
	if len(files) > 3 {
		// Do not list every script: name them by their directories.
		cmd = "sctpdrill " + strings.Join(args[:len(args)-len(files)], " ") + " " + filepath.Join(suite, "*", "*.pkt")
	}
	if err := drill.WriteReport(f, results, purposes, drill.ReportOptions{Command: cmd, Notes: notes}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// commonParent returns the directory above the scripts' directories (the
// suite root when they are given as suite/group/script.pkt).
func commonParent(files []string) string {
	dirs := map[string]bool{}
	for _, f := range files {
		dirs[filepath.Dir(filepath.Dir(f))] = true
	}
	if len(dirs) == 1 {
		for d := range dirs {
			return d
		}
	}
	return filepath.Dir(files[0])
}
