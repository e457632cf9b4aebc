package drill

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzRunScript runs mutated scripts (the ETSI suite and sconn's own
// scripts as seeds) against the stack: whatever the script does — odd
// packets, calls in odd orders, unsupported constructs — the run ends with
// a result, and nothing panics, neither the interpreter nor the stack under
// test (RunScript turns a panic into a failure that names it).
func FuzzRunScript(f *testing.F) {
	for _, src := range etsiScriptsOrNil() {
		f.Add(src)
	}
	own, _ := filepath.Glob("testdata/sconn/*.pkt")
	for _, p := range own {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		r := RunScript("fuzz.pkt", src, Config{MaxWait: time.Minute})
		if r.Err != nil && strings.Contains(r.Err.Error(), "panic") {
			t.Fatalf("%v", r.Err)
		}
	})
}
