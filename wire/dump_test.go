package wire

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestAppendDumpExact(t *testing.T) {
	ts := time.Date(2024, 3, 9, 13, 4, 5, 123456789, time.UTC)
	pkt := []byte{0x13, 0x88, 0x13, 0x88, 0x00, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x0b, 0x00, 0x00, 0x04}
	got := string(AppendDump(nil, Outbound, ts, pkt))
	want := "\nO 13:04:05.123456 0000 13 88 13 88 00 00 00 00 de ad be ef 0b 00 00 04 # SCTP_PACKET\n"
	if got != want {
		t.Fatalf("AppendDump:\n got %q\nwant %q", got, want)
	}
	if len(got) != DumpLen(len(pkt)) {
		t.Errorf("DumpLen(%d) = %d, line is %d bytes", len(pkt), DumpLen(len(pkt)), len(got))
	}

	ts = time.Date(1970, 1, 1, 0, 0, 0, 999, time.UTC)
	got = string(AppendDump([]byte("x"), Inbound, ts, nil))
	want = "x\nI 00:00:00.000000 0000 # SCTP_PACKET\n"
	if got != want {
		t.Fatalf("AppendDump empty:\n got %q\nwant %q", got, want)
	}

	// Anything that is not Outbound is printed as 'I'.
	if got := AppendDump(nil, 0, ts, nil); got[1] != 'I' {
		t.Errorf("zero direction printed as %q", got[1])
	}
	ts = time.Date(2000, 1, 1, 23, 59, 59, 999999000, time.UTC)
	if got := string(AppendDump(nil, Outbound, ts, []byte{0xff})); got != "\nO 23:59:59.999999 0000 ff # SCTP_PACKET\n" {
		t.Errorf("got %q", got)
	}
}

func TestAppendDumpLocation(t *testing.T) {
	loc := time.FixedZone("X", 2*3600)
	ts := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC).In(loc)
	got := string(AppendDump(nil, Inbound, ts, []byte{1}))
	if want := "\nI 12:00:00.000000 0000 01 # SCTP_PACKET\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestAppendDumpNoAlloc(t *testing.T) {
	pkt := make([]byte, 100)
	buf := make([]byte, 0, DumpLen(len(pkt)))
	ts := time.Now()
	n := testing.AllocsPerRun(100, func() {
		buf = AppendDump(buf[:0], Outbound, ts, pkt)
	})
	if n != 0 {
		t.Fatalf("AppendDump allocated %v times", n)
	}
}

func TestDump(t *testing.T) {
	var b bytes.Buffer
	ts := time.Date(2024, 3, 9, 1, 2, 3, 4000, time.UTC)
	if err := Dump(&b, Inbound, ts, []byte{0xab, 0xcd}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "\nI 01:02:03.000004 0000 ab cd # SCTP_PACKET\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	werr := errors.New("boom")
	if err := Dump(dumpErrWriter{werr}, Inbound, ts, nil); err != werr {
		t.Fatalf("Dump error = %v, want %v", err, werr)
	}
}

type dumpErrWriter struct{ err error }

func (w dumpErrWriter) Write([]byte) (int, error) { return 0, w.err }

func TestDirectionString(t *testing.T) {
	for d, want := range map[Direction]string{Inbound: "inbound", Outbound: "outbound", 0: "unknown", 7: "Direction(7)"} {
		if got := d.String(); got != want {
			t.Errorf("Direction(%d).String() = %q, want %q", d, got, want)
		}
	}
}
