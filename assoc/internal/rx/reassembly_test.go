package rx

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestReassemblyOrdering(t *testing.T) {
	cases := []struct {
		name  string
		frags []Fragment
		want  []string // messages readable after all fragments, in order
	}{
		{"in order", []Fragment{
			dfrag(1, 0, 0, "BE", "a"), dfrag(2, 0, 1, "BE", "b"), dfrag(3, 0, 2, "BE", "c"),
		}, []string{"a", "b", "c"}},
		{"ssn out of order", []Fragment{
			dfrag(3, 0, 2, "BE", "c"), dfrag(2, 0, 1, "BE", "b"), dfrag(1, 0, 0, "BE", "a"),
		}, []string{"a", "b", "c"}},
		{"blocked stream does not block others", []Fragment{
			dfrag(2, 1, 1, "BE", "s1m1"), dfrag(3, 2, 0, "BE", "s2m0"), dfrag(4, 2, 1, "BE", "s2m1"),
		}, []string{"s2m0", "s2m1"}},
		{"unordered passes ordered", []Fragment{
			dfrag(2, 0, 1, "BE", "o1"), dfrag(3, 0, 0, "BEU", "u"),
		}, []string{"u"}},
		{"unordered ssn ignored", []Fragment{
			dfrag(1, 0, 9, "BEU", "u1"), dfrag(2, 0, 9, "BEU", "u2"), dfrag(3, 0, 0, "BE", "o0"),
		}, []string{"u1", "u2", "o0"}},
		{"fragmented ordered", []Fragment{
			dfrag(1, 0, 0, "B", "he"), dfrag(3, 0, 0, "E", "lo"), dfrag(2, 0, 0, "", "l"),
		}, []string{"hello"}},
		{"fragmented unordered", []Fragment{
			dfrag(3, 4, 0, "EU", "c"), dfrag(1, 4, 0, "BU", "a"), dfrag(2, 4, 0, "U", "b"),
		}, []string{"abc"}},
		{"adjacent unordered messages do not merge", []Fragment{
			dfrag(1, 0, 0, "BU", "a"), dfrag(2, 0, 0, "EU", "b"), dfrag(3, 0, 0, "BU", "c"), dfrag(4, 0, 0, "EU", "d"),
		}, []string{"ab", "cd"}},
		{"adjacent unordered messages, E then B arrive first", []Fragment{
			dfrag(2, 0, 0, "EU", "b"), dfrag(3, 0, 0, "BU", "c"), dfrag(4, 0, 0, "EU", "d"), dfrag(1, 0, 0, "BU", "a"),
		}, []string{"cd", "ab"}},
		{"unordered runs of two streams do not merge", []Fragment{
			dfrag(1, 0, 0, "BU", "a"), dfrag(2, 1, 0, "EU", "x"),
		}, nil},
		{"tsn wrap inside a message", []Fragment{
			dfrag(0, 0, 0, "E", "c"), dfrag(0xFFFFFFFE, 0, 0, "B", "a"), dfrag(0xFFFFFFFF, 0, 0, "", "b"),
		}, []string{"abc"}},
		{"unordered tsn wrap", []Fragment{
			dfrag(0, 0, 0, "EU", "c"), dfrag(0xFFFFFFFE, 0, 0, "BU", "a"), dfrag(0xFFFFFFFF, 0, 0, "U", "b"),
		}, []string{"abc"}},
		{"stale ssn dropped", []Fragment{
			dfrag(1, 0, 0, "BE", "a"), dfrag(2, 0, 0, "BE", "again"), dfrag(3, 0, 1, "BE", "b"),
		}, []string{"a", "b"}},
		{"second B refused", []Fragment{
			dfrag(1, 0, 0, "B", "a"), dfrag(2, 0, 0, "B", "x"), dfrag(2, 0, 0, "E", "b"),
		}, []string{"ab"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := NewReassembly(Config{}, false)
			mustAdd(t, r, c.frags...)
			if got := datas(readMessages(t, r)); !slices.Equal(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestReassemblyIData(t *testing.T) {
	cases := []struct {
		name  string
		frags []Fragment
		want  []string
	}{
		{"interleaved messages", []Fragment{
			ifrag(1, 0, 0, 0, "B", "a1"), ifrag(2, 0, 1, 0, "B", "b1"), ifrag(3, 0, 1, 1, "E", "b2"), ifrag(4, 0, 0, 1, "E", "a2"),
		}, []string{"a1a2", "b1b2"}},
		{"fsn out of order", []Fragment{
			ifrag(3, 0, 0, 2, "E", "c"), ifrag(2, 0, 0, 1, "", "b"), ifrag(1, 0, 0, 0, "B", "a"),
		}, []string{"abc"}},
		{"unordered by mid", []Fragment{
			ifrag(1, 0, 5, 0, "BU", "x"), ifrag(2, 0, 6, 0, "BEU", "y"), ifrag(3, 0, 5, 1, "EU", "z"),
		}, []string{"y", "xz"}},
		{"mid order", []Fragment{
			ifrag(1, 3, 1, 0, "BE", "m1"), ifrag(2, 3, 0, 0, "BE", "m0"),
		}, []string{"m0", "m1"}},
		{"tsns need not be consecutive", []Fragment{
			ifrag(10, 0, 0, 1, "E", "b"), ifrag(2, 0, 0, 0, "B", "a"),
		}, []string{"ab"}},
		{"duplicate fsn refused", []Fragment{
			ifrag(1, 0, 0, 0, "B", "a"), ifrag(2, 0, 0, 0, "", "x"), ifrag(3, 0, 0, 1, "", "b"), ifrag(4, 0, 0, 1, "E", "x"), ifrag(5, 0, 0, 2, "E", "c"),
		}, []string{"abc"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := NewReassembly(Config{}, true)
			mustAdd(t, r, c.frags...)
			got := readMessages(t, r)
			if !slices.Equal(datas(got), c.want) {
				t.Fatalf("got %v, want %q", got, c.want)
			}
			for _, g := range got {
				if g.info.PPID != 53 {
					t.Errorf("PPID %d, want the B fragment's", g.info.PPID)
				}
			}
		})
	}
}

// TestFragmentsAnyOrder feeds the fragments of one message in every order.
func TestFragmentsAnyOrder(t *testing.T) {
	msg := []byte("0123456789abcdefghij")
	for _, mode := range []string{"ordered", "unordered", "idata", "idata-unordered"} {
		idata := strings.HasPrefix(mode, "idata")
		unordered := strings.HasSuffix(mode, "unordered")
		var base []Fragment
		if idata {
			base = splitIData(msg, 2, 0, unordered, 5)
			for i := range base {
				base[i].TSN = uint32(100 - 7*i) // any TSNs
			}
		} else {
			base = splitData(msg, 0xFFFFFFFE, 2, 0, unordered, 5)
		}
		permute(len(base), func(p []int) {
			r := NewReassembly(Config{}, idata)
			for k, i := range p {
				f := base[i]
				mustAdd(t, r, f)
				if k < len(p)-1 && r.Readable() {
					t.Fatalf("%s %v: readable before the last fragment", mode, p)
				}
			}
			got := readAll(r)
			if len(got) != 1 || got[0].data != string(msg) || !got[0].info.EOR || got[0].info.Unordered != unordered {
				t.Fatalf("%s %v: got %v", mode, p, got)
			}
			if got[0].info.PPID != 7 || got[0].info.Stream != 2 {
				t.Fatalf("%s: info %+v", mode, got[0].info)
			}
			if want := base[0].TSN; got[0].info.TSN != want {
				t.Fatalf("%s: TSN %d, want %d", mode, got[0].info.TSN, want)
			}
			if r.Held() != 0 || r.ARwnd() != uint32(r.ReceiveBufferSize()) {
				t.Fatalf("%s: held %d after reading", mode, r.Held())
			}
		})
	}
}

// permute calls f with every permutation of 0..n-1 (Heap's algorithm).
func permute(n int, f func([]int)) {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	var gen func(k int)
	gen = func(k int) {
		if k == 1 {
			f(p)
			return
		}
		for i := 0; i < k; i++ {
			gen(k - 1)
			if k%2 == 0 {
				p[i], p[k-1] = p[k-1], p[i]
			} else {
				p[0], p[k-1] = p[k-1], p[0]
			}
		}
	}
	gen(n)
}

func TestSSNWrap(t *testing.T) {
	r := NewReassembly(Config{}, false)
	buf := make([]byte, 8)
	// 65540 messages in order: the SSN wraps after 65535 (§6.5).
	for i := 0; i < 65540; i++ {
		f := Fragment{TSN: uint32(i), Stream: 3, SSN: uint16(i), Beginning: true, Ending: true, Payload: []byte{byte(i)}}
		mustAdd(t, r, f)
		n, info, ok := r.Read(buf)
		if !ok || n != 1 || buf[0] != byte(i) || info.SSN != uint16(i) {
			t.Fatalf("message %d: %v %v %v", i, n, info, ok)
		}
	}
	// Out of order around the wrap.
	r = NewReassembly(Config{}, false)
	r.stream(3).next = 65534
	mustAdd(t, r, dfrag(1, 3, 1, "BE", "d"), dfrag(2, 3, 0, "BE", "c"), dfrag(3, 3, 65535, "BE", "b"))
	if r.Readable() {
		t.Fatal("readable before SSN 65534")
	}
	mustAdd(t, r, dfrag(4, 3, 65534, "BE", "a"), dfrag(5, 3, 65533, "BE", "stale"))
	if got := datas(readMessages(t, r)); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Fatalf("got %q", got)
	}
}

func TestMIDWrap(t *testing.T) {
	r := NewReassembly(Config{}, true)
	r.stream(0).next = 0xFFFFFFFE
	mustAdd(t, r, ifrag(1, 0, 0, 0, "BE", "c"), ifrag(2, 0, 0xFFFFFFFF, 0, "BE", "b"), ifrag(3, 0, 0xFFFFFFFE, 0, "BE", "a"))
	got := readMessages(t, r)
	if !slices.Equal(datas(got), []string{"a", "b", "c"}) || got[0].info.MID != 0xFFFFFFFE || got[0].info.SSN != 0xFFFE {
		t.Fatalf("got %v", got)
	}
}

func TestReadShortBuffer(t *testing.T) {
	r := NewReassembly(Config{}, false)
	mustAdd(t, r, splitData([]byte("abcdefghij"), 1, 0, 0, false, 4)...)
	mustAdd(t, r, dfrag(4, 0, 1, "BE", "next"))
	if n := r.NextMessageLen(); n != 10 {
		t.Fatalf("NextMessageLen %d", n)
	}
	buf := make([]byte, 3)
	var parts []string
	var eors []bool
	for {
		n, info, ok := r.Read(buf)
		if !ok {
			break
		}
		parts = append(parts, string(buf[:n]))
		eors = append(eors, info.EOR)
		if len(parts) == 1 && r.NextMessageLen() != 7 {
			t.Fatalf("NextMessageLen after 3 bytes: %d", r.NextMessageLen())
		}
	}
	if want := []string{"abc", "def", "ghi", "j", "nex", "t"}; !slices.Equal(parts, want) {
		t.Fatalf("parts %q", parts)
	}
	if want := []bool{false, false, false, true, false, true}; !slices.Equal(eors, want) {
		t.Fatalf("eors %v", eors)
	}
	if r.Readable() || r.NextMessageLen() != 0 || r.Held() != 0 {
		t.Fatal("not drained")
	}
	// A zero-length buffer takes nothing.
	mustAdd(t, r, dfrag(5, 0, 2, "BE", "z"))
	if n, _, ok := r.Read(nil); !ok || n != 0 || r.NextMessageLen() != 1 {
		t.Fatal("zero-length read")
	}
}

func TestAddErrors(t *testing.T) {
	r := NewReassembly(Config{}, false)
	f := ifrag(1, 0, 0, 0, "BE", "x")
	if err := r.Add(&f); !errors.Is(err, ErrChunkMismatch) {
		t.Fatal(err)
	}
	f = dfrag(1, 0, 0, "BE", "")
	if err := r.Add(&f); !errors.Is(err, ErrNoUserData) {
		t.Fatal(err)
	}
	ri := NewReassembly(Config{}, true)
	f = dfrag(1, 0, 0, "BE", "x")
	if err := ri.Add(&f); !errors.Is(err, ErrChunkMismatch) || !ri.IData() {
		t.Fatal(err)
	}
}

func TestValidateFragment(t *testing.T) {
	cases := []struct {
		f    Fragment
		want error
	}{
		{dfrag(1, 0, 0, "BE", "x"), nil},
		{dfrag(1, 9, 0, "BE", "x"), nil},
		{dfrag(1, 10, 0, "BE", "x"), ErrInvalidStream},
		{dfrag(1, 0, 0, "BE", ""), ErrNoUserData},
		{dfrag(1, 10, 0, "BE", ""), ErrNoUserData},
	}
	for _, c := range cases {
		err := ValidateFragment(&c.f, 10)
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("stream %d len %d: %v, want %v", c.f.Stream, len(c.f.Payload), err, c.want)
		}
	}
	var se *StreamError
	f := dfrag(7, 12, 0, "BE", "x")
	if err := ValidateFragment(&f, 10); !errors.As(err, &se) || se.Stream != 12 || se.TSN != 7 || se.InboundStreams != 10 {
		t.Fatalf("%#v", se)
	} else if !strings.Contains(err.Error(), "stream 12") {
		t.Fatal(err)
	}
}

func TestWireFragments(t *testing.T) {
	d := dfrag(9, 1, 2, "BEUI", "x")
	w := wireData(&d)
	if f := DataFragment(&w); f.TSN != 9 || f.Stream != 1 || f.SSN != 2 || !f.Unordered || !f.Immediate || !f.Beginning || !f.Ending || f.IData {
		t.Fatalf("%+v", f)
	}
	id := wireIData(9, 1, 3, 4, false)
	if f := IDataFragment(&id); f.MID != 3 || f.FSN != 4 || !f.IData || f.PPID != 0 {
		t.Fatalf("%+v", f)
	}
	id = wireIData(9, 1, 3, 0, true)
	if f := IDataFragment(&id); f.FSN != 0 || f.PPID != 99 || !f.Beginning {
		t.Fatalf("%+v", f)
	}
}
