package drill

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sconnScriptDir holds sconn's own scripts: what the ETSI suite does not
// cover (RFC 9260 changes, restart, heartbeats, partial delivery, ...).
// docs/conformance-sconn.md lists them.
const sconnScriptDir = "testdata/sconn"

// TestSconnScripts runs every script of testdata/sconn: each must pass,
// except those with a NAME.exfail marker, which record a departure of
// sconn from RFC 9260 and must fail on a behaviour of the stack (not on a
// construct the interpreter lacks). A marked script that passes means the
// engine was fixed: remove the marker.
func TestSconnScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sconnScriptDir, "*.pkt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no scripts in %s", sconnScriptDir)
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "conformance-sconn.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".pkt")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			// Each script says what it checks, and where the RFC says so.
			if !strings.HasPrefix(string(src), "// "+name+": ") || !strings.Contains(string(src), "RFC 9260 §") {
				t.Errorf("%s: the script must start with \"// %s: what it checks\" and cite the RFC 9260 section", f, name)
			}
			if !strings.Contains(string(doc), "`"+name+".pkt`") {
				t.Errorf("%s is not listed in docs/conformance-sconn.md", f)
			}
			r := RunFile(f, Config{})
			switch {
			case r.ExpectedFail && r.Pass:
				t.Errorf("%s passes but is marked as expected to fail (%s): remove %s.exfail", f, r.ExfailReason, name)
			case r.ExpectedFail && r.Unsupported():
				t.Errorf("%s: expected to fail on the stack's behaviour, failed on the interpreter: %v", f, r.Err)
			case r.ExpectedFail:
				t.Logf("%s fails as expected (%s): %s", name, r.ExfailReason, r.Summary())
			case !r.Pass:
				t.Errorf("%v", r.Err)
			}
			if r.Err != nil && strings.Contains(r.Err.Error(), "panic") {
				t.Errorf("%s: %v", f, r.Err)
			}
		})
	}
}
