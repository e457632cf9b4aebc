package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const passScript = `// a passive handshake and a graceful shutdown by the peer
 0.0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3
+0.0 bind(3, ..., ...) = 0
+0.0 listen(3, 1) = 0
+0.0 < sctp: INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=1]
+0.0 > sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=..., os=..., is=..., tsn=1, ...]
+0.0 < sctp: COOKIE_ECHO[flgs=0, len=..., val=...]
+0.0 > sctp: COOKIE_ACK[flgs=0]
+0.0 accept(3, ..., ...) = 4
+0.0 < sctp: SHUTDOWN[flgs=0, cum_tsn=0]
+0.0 > sctp: SHUTDOWN_ACK[flgs=0]
+0.0 < sctp: SHUTDOWN_COMPLETE[flgs=0]
+0.0 close(4) = 0
`

// failScript expects a COOKIE_ACK where an INIT ACK comes.
const failScript = ` 0.0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3
+0.0 bind(3, ..., ...) = 0
+0.0 listen(3, 1) = 0
+0.0 < sctp: INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=1]
+0.0 > sctp: COOKIE_ACK[flgs=0]
`

func write(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	pass := write(t, dir, "pass.pkt", passScript)
	fail := write(t, dir, "fail.pkt", failScript)
	bad := write(t, dir, "bad.pkt", "0 < sctp: FOO[]\n")

	var out, errb bytes.Buffer
	if code := run([]string{pass}, &out, &errb); code != 0 {
		t.Fatalf("pass: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "PASS "+pass) || !strings.Contains(out.String(), "1 of 1 scripts passed") {
		t.Errorf("pass output:\n%s", out.String())
	}

	out.Reset()
	if code := run([]string{"-v", pass, fail, bad}, &out, &errb); code != 1 {
		t.Fatalf("fail: exit %d", code)
	}
	s := out.String()
	for _, want := range []string{
		"FAIL " + fail + " line 5: chunk type: expected COOKIE_ACK, got INIT_ACK",
		"  expected: > sctp: COOKIE_ACK[flgs=0]",
		"  actual:   > sctp(tag=0x00000001): INIT_ACK[",
		"FAIL " + bad + " line 1: unsupported: chunk type FOO",
		"=== " + pass, // the -v trace
		"> sctp(tag=0x00000001): SHUTDOWN_ACK[flgs=0]",
		"1 of 3 scripts passed",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

func TestRunReport(t *testing.T) {
	dir := t.TempDir()
	group := filepath.Join(dir, "sctp-x-tests")
	if err := os.Mkdir(group, 0o755); err != nil {
		t.Fatal(err)
	}
	pass := write(t, group, "sctp-x-1.pkt", passScript)
	write(t, group, "README.md", `# Status of the Example Tests
| Name | Implemented |
|:--|:--|
|[sctp-x-1](sctp-x-1.pkt "Passive setup")| Yes |
|[sctp-x-2](sctp-x-2.pkt "Something else")| No (Note 1) |

# Notes
1. Not applicable to a socket API stack.
`)
	notes := write(t, dir, "notes.txt", "# remarks\nsctp-x-1: works\n  well\n")
	report := filepath.Join(dir, "report.md")
	var out, errb bytes.Buffer
	if code := run([]string{"-report", report, "-notes", notes, pass}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"**1 of 1 scripts pass.**",
		"| sctp-x-1 | Passive setup | PASS | works well |",
		"| sctp-x-2 | Something else | not applicable | see Not applicable |",
		"- **sctp-x-2** (Something else): Not applicable to a socket API stack.",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report lacks %q:\n%s", want, b)
		}
	}
}

func TestRunUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "usage: sctpdrill") {
		t.Errorf("no args: exit %d, stderr %q", code, errb.String())
	}
	if code := run([]string{"-nope"}, &out, &errb); code != 2 {
		t.Errorf("bad flag: exit %d", code)
	}
	if code := run([]string{"/does/not/exist.pkt"}, &out, &errb); code != 1 {
		t.Errorf("missing file: exit %d", code)
	}
}

func TestRunExpectedFailure(t *testing.T) {
	dir := t.TempDir()
	pass := write(t, dir, "pass.pkt", passScript)
	fail := write(t, dir, "xf.pkt", failScript)
	write(t, dir, "xf.exfail", "needs multi-homing\n")
	var out, errb bytes.Buffer
	if code := run([]string{pass, fail}, &out, &errb); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	for _, want := range []string{"XFAIL " + fail + ": line 5:", "(expected: needs multi-homing)", "1 of 2 scripts passed, 1 failed as expected (.exfail)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
