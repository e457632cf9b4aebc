package drill

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestETSISuite runs every script of the ETSI suite and reports the pass
// count. It fails only when the interpreter itself breaks (a script it
// cannot parse); failures of the stack under test are logged, not fatal,
// while the engine is being completed. docs/conformance.md has the table.
func TestETSISuite(t *testing.T) {
	files := etsiScripts(t)
	pass := 0
	var lines []string
	for _, f := range files {
		r := RunFile(f, Config{})
		if r.Pass {
			pass++
		}
		// The interpreter must handle every construct of the suite (only
		// the scripts the suite expects to fail may hit an unsupported
		// one), and nothing may panic.
		if r.Unsupported() && !r.ExpectedFail {
			t.Errorf("%s: %v", f, r.Err)
		}
		if r.Err != nil && strings.Contains(r.Err.Error(), "panic") {
			t.Errorf("%s: %v", f, r.Err)
		}
		lines = append(lines, fmt.Sprintf("%-24s %s", strings.TrimSuffix(filepath.Base(f), ".pkt"), r.Summary()))
	}
	for _, l := range lines {
		t.Log(l)
	}
	t.Logf("ETSI suite: %d of %d scripts pass", pass, len(files))
	fmt.Printf("ETSI suite: %d of %d scripts pass\n", pass, len(files))
}
