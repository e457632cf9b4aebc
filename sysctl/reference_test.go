package sysctl

import (
	"bufio"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// tsvPath is the usrsctp manual's table, relative to this package's
// directory: the repository is checked out with shared/ beside it.
const tsvPath = "../../shared/reference/usrsctp-sysctl.tsv"

// headerPath is usrsctp's public header, from Debian's libusrsctp-dev.
const headerPath = "/usr/include/usrsctp.h"

type tsvRow struct {
	name    string
	def     uint32
	unit    string
	meaning string
}

func readTSV(t *testing.T) []tsvRow {
	t.Helper()
	f, err := os.Open(tsvPath)
	if err != nil {
		t.Fatalf("cannot read the usrsctp manual table %s (expected shared/ beside the repository checkout): %v", tsvPath, err)
	}
	defer f.Close()
	var rows []tsvRow
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 || strings.TrimSpace(text) == "" {
			continue // header row
		}
		cols := strings.Split(text, "\t")
		if len(cols) != 4 {
			t.Fatalf("%s:%d: %d columns, want 4 (name, default, unit, meaning)", tsvPath, line, len(cols))
		}
		d, err := strconv.ParseUint(cols[1], 10, 32)
		if err != nil {
			t.Fatalf("%s:%d: default %q: %v", tsvPath, line, cols[1], err)
		}
		rows = append(rows, tsvRow{cols[0], uint32(d), cols[2], cols[3]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s has no rows", tsvPath)
	}
	return rows
}

// headerNames returns the tunables that usrsctp.h declares setters for. The
// Debian 0.9.5 header declares them through macros
// (USRSCTP_SYSCTL_DECL(sctp_x) expanding to usrsctp_sysctl_set_sctp_x), so
// both the macro calls and spelled-out declarations are recognised.
func headerNames(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(headerPath)
	if err != nil {
		t.Fatalf("cannot read %s (run `make deps`, which installs libusrsctp-dev): %v", headerPath, err)
	}
	res := []*regexp.Regexp{
		regexp.MustCompile(`usrsctp_(?:sysctl|tunable)_set_(\w+)`),
		regexp.MustCompile(`USRSCTP_(?:SYSCTL|TUNABLE)_DECL\((\w+)\)`),
	}
	set := map[string]bool{}
	for _, re := range res {
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if m[1] == "__field" { // the macro's parameter
				continue
			}
			set[m[1]] = true
		}
	}
	var names []string
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatalf("found no usrsctp_sysctl_set_* declarations in %s", headerPath)
	}
	return names
}

func TestManualTable(t *testing.T) {
	rows := readTSV(t)
	for _, r := range rows {
		k, err := Lookup(r.name)
		if err != nil {
			t.Errorf("manual tunable %s: %v", r.name, err)
			continue
		}
		in := k.Info()
		if in.Name != r.name {
			t.Errorf("manual tunable %s found as %s", r.name, in.Name)
		}
		if in.Default != r.def {
			t.Errorf("%s: default %d, manual says %d", r.name, in.Default, r.def)
		}
		if in.Unit != r.unit {
			t.Errorf("%s: unit %q, manual says %q", r.name, in.Unit, r.unit)
		}
	}
	t.Logf("%d tunables in the manual table", len(rows))
}

func TestHeader(t *testing.T) {
	names := headerNames(t)
	for _, n := range names {
		k, err := Lookup(n)
		if err != nil {
			t.Errorf("usrsctp.h tunable %s: %v", n, err)
			continue
		}
		if k.Name() != n {
			t.Errorf("usrsctp.h tunable %s found as %s", n, k.Name())
		}
	}
	t.Logf("%d tunables in %s", len(names), headerPath)
}

// TestNoInventedNames checks that every key comes from the manual or the
// header.
func TestNoInventedNames(t *testing.T) {
	known := map[string]bool{}
	for _, r := range readTSV(t) {
		known[r.name] = true
	}
	for _, n := range headerNames(t) {
		known[n] = true
	}
	for _, k := range Keys() {
		if !known[k.Name()] {
			t.Errorf("%s is in neither %s nor %s", k.Name(), tsvPath, headerPath)
		}
	}
	if len(known) != NumKeys {
		t.Errorf("manual and header name %d tunables, package has %d", len(known), NumKeys)
	}
}
