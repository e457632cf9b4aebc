package drill

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Purpose is a test purpose as a suite README lists it: the ETSI READMEs
// have one table row per test purpose, with a link to its script (which
// may not exist) and its title, and numbered notes.
type Purpose struct {
	Name   string // sctp-as-v-1-1-1
	Title  string // "Performing an active association setup"
	Group  string // the README's heading, e.g. "Association Setup"
	Dir    string // the README's directory
	Script string // the script's path, "" when the suite has none
	Notes  []string
}

var (
	rowRe   = regexp.MustCompile(`^\|\s*\[([^\]]+)\]\(([^ )]+)\s+"([^"]*)"\)\s*\|(.*)$`)
	noteRe  = regexp.MustCompile(`^\s*(\d+)\.\s+(.*)$`)
	refRe   = regexp.MustCompile(`Note (\d+)`)
	titleRe = regexp.MustCompile(`^#\s+Status of the (.*) Tests`)
)

// ReadPurposes reads the test purposes of every README.md in the
// directories of dirs (one level below each, as the ETSI suite is laid out).
func ReadPurposes(root string) ([]Purpose, error) {
	readmes, err := filepath.Glob(filepath.Join(root, "*", "README.md"))
	if err != nil {
		return nil, err
	}
	var out []Purpose
	for _, rm := range readmes {
		ps, err := readPurposes(rm)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func readPurposes(readme string) ([]Purpose, error) {
	f, err := os.Open(readme)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dir := filepath.Dir(readme)
	group := filepath.Base(dir)
	notes := map[string]string{}
	var rows []Purpose
	var refs [][]string
	inNotes := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if m := titleRe.FindStringSubmatch(l); m != nil {
			group = m[1]
		}
		if strings.HasPrefix(l, "#") && strings.Contains(l, "Notes") {
			inNotes = true
			continue
		}
		if inNotes {
			if m := noteRe.FindStringSubmatch(l); m != nil {
				notes[m[1]] = strings.TrimSpace(m[2])
			}
			continue
		}
		m := rowRe.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		p := Purpose{Name: m[1], Title: m[3], Group: group, Dir: dir}
		if path := filepath.Join(dir, m[2]); fileExists(path) {
			p.Script = path
		}
		rows = append(rows, p)
		var r []string
		for _, n := range refRe.FindAllStringSubmatch(m[4], -1) {
			r = append(r, n[1])
		}
		refs = append(refs, r)
	}
	for i := range rows {
		for _, n := range refs[i] {
			if txt, ok := notes[n]; ok {
				rows[i].Notes = append(rows[i].Notes, txt)
			}
		}
	}
	return rows, sc.Err()
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// notApplicable reports whether a README note says the test purpose cannot
// be run against a socket-API stack, or has no script for it.
func notApplicable(p Purpose) (string, bool) {
	for _, n := range p.Notes {
		l := strings.ToLower(n)
		if strings.Contains(l, "not applicable") || strings.Contains(l, "doesn't apply") ||
			strings.Contains(l, "can't be realized") || strings.Contains(l, "don't limit") {
			return n, true
		}
	}
	if p.Script == "" {
		return "no script in the suite", true
	}
	return "", false
}

// ReadNotes reads a notes file: lines "name: text", for the Notes column
// of a report (diagnoses of failures, remarks). Lines starting with '#'
// are comments; a line starting with white space continues the previous
// note.
func ReadNotes(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	notes := map[string]string{}
	last := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if (l[0] == ' ' || l[0] == '\t') && last != "" {
			notes[last] += " " + strings.TrimSpace(l)
			continue
		}
		name, text, ok := strings.Cut(l, ":")
		if !ok {
			return nil, fmt.Errorf("%s: line %q is not \"name: text\"", path, l)
		}
		last = strings.TrimSpace(name)
		notes[last] = strings.TrimSpace(text)
	}
	return notes, sc.Err()
}

func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\n", " ")
	return s
}

// ReportOptions configures WriteReport.
type ReportOptions struct {
	// Command is the command line that produced the report, quoted in it.
	Command string
	// Notes adds a remark per script name (see ReadNotes): diagnoses of
	// failures, explanations of exceptions.
	Notes map[string]string
}

// WriteReport writes a Markdown report of results: a summary, one table
// row per test purpose of the suite's READMEs (purposes may be empty) and
// per script run that no README lists, the exceptions the READMEs declare
// not applicable with their reasons, and the failures with the expected
// and actual packet or call.
func WriteReport(w io.Writer, results []*Result, purposes []Purpose, opt ReportOptions) error {
	notes := opt.Notes
	byName := map[string]*Result{}
	for _, r := range results {
		byName[strings.TrimSuffix(filepath.Base(r.Script), ".pkt")] = r
	}
	pass, xfail := 0, 0
	for _, r := range results {
		if r.Pass {
			pass++
		} else if r.ExpectedFail {
			xfail++
		}
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# Conformance: the ETSI TS 102 369 SCTP test suite")
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "<!-- Generated by sctpdrill -report; edit drill/testdata/etsi-notes.txt, not this file. -->")
	fmt.Fprintln(bw)
	if opt.Command != "" {
		fmt.Fprintf(bw, "Generated with `%s`.\n\n", opt.Command)
	}
	fmt.Fprintf(bw, "**%d of %d scripts pass", pass, len(results))
	if xfail > 0 {
		fmt.Fprintf(bw, "; %d more fail as the suite expects (not applicable)", xfail)
	}
	fmt.Fprintf(bw, ".**\n\n")
	bw.WriteString(reportAbout)
	fmt.Fprintln(bw, "## Results by test purpose")
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "| Test purpose | Title | Result | Notes |")
	fmt.Fprintln(bw, "|:--|:--|:--|:--|")
	listed := map[string]bool{}
	row := func(name, title, result, note string) {
		fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", mdEscape(name), mdEscape(title), mdEscape(result), mdEscape(note))
	}
	type exception struct{ name, title, why string }
	var exceptions []exception
	for _, p := range purposes {
		listed[p.Name] = true
		r := byName[p.Name]
		var parts []string
		note := notes[p.Name]
		result := "not run"
		switch {
		case r != nil && r.Pass:
			result = "PASS"
			if note != "" {
				parts = append(parts, note)
			}
		case r != nil && r.ExpectedFail:
			result = "not applicable (expected failure)"
			why := strings.Join(p.Notes, " ")
			if why == "" {
				why = r.ExfailReason
			}
			parts = append(parts, "see Not applicable")
			exceptions = append(exceptions, exception{p.Name, p.Title, why})
		case r != nil:
			result = "FAIL"
			if cat, _, ok := strings.Cut(note, ":"); ok && len(cat) < 40 {
				parts = append(parts, cat+", see Failures")
			}
			parts = append(parts, strings.TrimPrefix(r.Summary(), "FAIL "))
		default:
			if why, na := notApplicable(p); na {
				result = "not applicable"
				parts = append(parts, "see Not applicable")
				exceptions = append(exceptions, exception{p.Name, p.Title, why})
			}
		}
		row(p.Name, p.Title, result, strings.Join(parts, " — "))
	}
	var extra []string
	for name := range byName {
		if !listed[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		r := byName[name]
		result, note := "PASS", notes[name]
		if !r.Pass {
			result = "FAIL"
			note = strings.TrimSpace(note + " " + strings.TrimPrefix(r.Summary(), "FAIL "))
		}
		row(name, "", result, note)
	}
	if len(exceptions) > 0 {
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "## Not applicable")
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "Test purposes the suite has no script for, or whose script it marks as expected to fail (`.exfail`), with the reason its README gives (and sconn's, where it differs):")
		fmt.Fprintln(bw)
		for _, e := range exceptions {
			fmt.Fprintf(bw, "- **%s** (%s): %s", e.name, e.title, e.why)
			if n := notes[e.name]; n != "" {
				fmt.Fprintf(bw, " sconn: %s", n)
			}
			fmt.Fprintln(bw)
		}
	}
	var failed []*Result
	for _, r := range results {
		if !r.Pass && !r.ExpectedFail {
			failed = append(failed, r)
		}
	}
	if len(failed) > 0 {
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "## Failures")
		for _, r := range failed {
			name := strings.TrimSuffix(filepath.Base(r.Script), ".pkt")
			fmt.Fprintf(bw, "\n### %s\n\n", name)
			fmt.Fprintf(bw, "%s\n", strings.Replace(r.Summary(), "FAIL", "Fails on", 1))
			if r.Expected != "" || r.Actual != "" {
				fmt.Fprintf(bw, "\n```\nexpected: %s\nactual:   %s\n```\n", r.Expected, r.Actual)
			}
			if n := notes[name]; n != "" {
				fmt.Fprintf(bw, "\n%s\n", n)
			}
		}
	}
	return bw.Flush()
}

const reportAbout = `The ETSI TS 102 369 conformance tests for SCTP exist as packetdrill scripts
(groups A, AS, AT, BDC, D, DM and M are in ../shared/conformance/etsi, each with a README that lists its
test purposes). ` + "`sctpdrill`" + ` (package drill) is a clean-room interpreter of their script dialect: it runs
each script against one sconn stack in process, on virtual time, with one registered handle standing for
packetdrill's tun device. Injected packets ("<") go to ConnInput; the packets the stack outputs are matched,
in order and within the script's timing tolerance, against the expected ones (">"); system calls map onto
conn.Socket. It takes the scripts' FreeBSD branches (usrsctp is the FreeBSD stack), IPv4 and an MTU of 1500
(-ipv6, -mtu). Run it with

` + "```" + `
go run ./cmd/sctpdrill ../shared/conformance/etsi/*/*.pkt            # PASS/FAIL per script, exit 0 if all pass
go run ./cmd/sctpdrill -v FILE.pkt                                     # with the packet and call trace
go run ./cmd/sctpdrill -sysctl sctp_rto_initial_default=1000 FILE.pkt  # with a usrsctp tunable changed
go run ./cmd/sctpdrill -report docs/conformance.md -notes drill/testdata/etsi-notes.txt ../shared/conformance/etsi/*/*.pkt
` + "```" + `

` + "`go test ./drill`" + ` runs the whole suite too, in ` + "`make test`" + `: TestETSISuite fails if any applicable script
fails. The runner starts from usrsctp's sysctl table with two RFC 9260 changes: RTO.Initial of 1 s (§16;
the table says 3 s, and sctp-dm-o-4-6-1 expects the INIT retransmitted after 1 s) and the initial cwnd of
§7.2.1 (sctp_initial_cwnd=0; the table says 3 MTUs). sconn's own scripts are in
[conformance-sconn.md](conformance-sconn.md). A script the suite marks as expected to fail
(NAME.exfail) counts as "not applicable" when it fails. The Notes column and the Failures section carry the
diagnosis of each failure: "Engine (assoc)", "Socket layer (conn)" or "Configuration" name where the
difference lies; none is in the interpreter.

`
