package pcap

import (
	"bytes"
	"io"
	"testing"
)

// FuzzReader checks that no input makes the Reader panic or loop, and that
// every packet it returns is consistent.
func FuzzReader(f *testing.F) {
	for _, v := range allVectors() {
		f.Add(v.file)
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		r, err := NewReader(bytes.NewReader(file), ReaderOptions{})
		if err != nil {
			return
		}
		last := 0
		for {
			p, err := r.Next()
			if err != nil {
				if err != io.EOF && err.Error() == "" {
					t.Fatal("empty error")
				}
				return
			}
			if p.Frame <= last {
				t.Fatalf("frame %d after %d", p.Frame, last)
			}
			last = p.Frame
			if len(p.Data) > len(file) {
				t.Fatalf("packet of %d bytes from %d-byte file", len(p.Data), len(file))
			}
			if r.Skipped() > p.Frame {
				t.Fatalf("skipped %d > frame %d", r.Skipped(), p.Frame)
			}
		}
	})
}
