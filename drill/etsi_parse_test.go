package drill

import (
	"os"
	"path/filepath"
	"testing"
)

// etsiDir is the ETSI TS 102 369 suite beside the repository
// (../shared/conformance/etsi from the repository root), or $SCONN_ETSI_DIR.
var etsiDir = func() string {
	if d := os.Getenv("SCONN_ETSI_DIR"); d != "" {
		return d
	}
	return "../../shared/conformance/etsi"
}()

func etsiScripts(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(etsiDir, "*", "*.pkt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		// The suite is part of make test (issue 8): its absence is an
		// error, not a reason to skip.
		t.Fatalf("no ETSI scripts in %s: check out ../shared beside the repository or set SCONN_ETSI_DIR", etsiDir)
	}
	return files
}

// TestParseETSI parses every script of the ETSI suite, with the FreeBSD
// branches and with the Linux ones.
func TestParseETSI(t *testing.T) {
	for _, f := range etsiScripts(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, def := range [][]string{nil, {"Linux"}} {
			s, err := Parse(f, src, ParseOptions{Defined: def})
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			if len(s.Events) == 0 {
				t.Errorf("%s: no events", f)
			}
		}
	}
}

// etsiScriptsOrNil returns the contents of the ETSI scripts, if present,
// as fuzzing seeds.
func etsiScriptsOrNil() [][]byte {
	files, _ := filepath.Glob(filepath.Join(etsiDir, "*", "*.pkt"))
	var out [][]byte
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			out = append(out, b)
		}
	}
	return out
}
