package sysctl

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestKeysTable(t *testing.T) {
	ks := Keys()
	if len(ks) != NumKeys {
		t.Fatalf("len(Keys()) = %d, want NumKeys = %d", len(ks), NumKeys)
	}
	seen := map[string]Key{}
	for i, k := range ks {
		if int(k) != i {
			t.Errorf("Keys()[%d] = %d", i, k)
		}
		in := k.Info()
		if in.Name == "" || !strings.HasPrefix(in.Name, "sctp_") {
			t.Errorf("key %d: bad name %q", i, in.Name)
		}
		if in.Name != k.Name() || k.String() != k.Name() {
			t.Errorf("key %d: Info().Name %q, Name() %q, String() %q", i, in.Name, k.Name(), k.String())
		}
		if prev, dup := seen[in.Name]; dup {
			t.Errorf("name %q used by keys %d and %d", in.Name, prev, k)
		}
		seen[in.Name] = k
		if in.Min > in.Max {
			t.Errorf("%s: Min %d > Max %d", in.Name, in.Min, in.Max)
		}
		if in.Default < in.Min || in.Default > in.Max {
			t.Errorf("%s: default %d outside [%d, %d]", in.Name, in.Default, in.Min, in.Max)
		}
		if in.Meaning == "" {
			t.Errorf("%s: no meaning", in.Name)
		}
		switch in.Unit {
		case "", "ms", "secs":
		default:
			t.Errorf("%s: unexpected unit %q", in.Name, in.Unit)
		}
	}
	// Keys returns a fresh slice.
	ks[0] = 42
	if Keys()[0] != 0 {
		t.Error("Keys() shares its backing array")
	}
}

func TestConstantNames(t *testing.T) {
	// Spot-check that constants match the CamelCase of their names.
	cases := map[Key]string{
		Sendspace:                "sctp_sendspace",
		Recvspace:                "sctp_recvspace",
		ValidCookieLifeDefault:   "sctp_valid_cookie_life_default",
		SecretLifetimeDefault:    "sctp_secret_lifetime_default",
		InitRtxMaxDefault:        "sctp_init_rtx_max_default",
		AssocRtxMaxDefault:       "sctp_assoc_rtx_max_default",
		PathRtxMaxDefault:        "sctp_path_rtx_max_default",
		RtoMaxDefault:            "sctp_rto_max_default",
		RtoMinDefault:            "sctp_rto_min_default",
		RtoInitialDefault:        "sctp_rto_initial_default",
		InitRtoMaxDefault:        "sctp_init_rto_max_default",
		HeartbeatIntervalDefault: "sctp_heartbeat_interval_default",
		DelayedSackTimeDefault:   "sctp_delayed_sack_time_default",
		SackFreqDefault:          "sctp_sack_freq_default",
		MaxBurstDefault:          "sctp_max_burst_default",
		InitialCwnd:              "sctp_initial_cwnd",
		NrOutgoingStreamsDefault: "sctp_nr_outgoing_streams_default",
		NrIncomingStreamsDefault: "sctp_nr_incoming_streams_default",
		EcnEnable:                "sctp_ecn_enable",
		PrEnable:                 "sctp_pr_enable",
		ReconfigEnable:           "sctp_reconfig_enable",
		NrsackEnable:             "sctp_nrsack_enable",
		AsconfEnable:             "sctp_asconf_enable",
		AuthEnable:               "sctp_auth_enable",
		UdpTunnelingPort:         "sctp_udp_tunneling_port",
		MaxChunksOnQueue:         "sctp_max_chunks_on_queue",
		L2AbcVariable:            "sctp_L2_abc_variable",
		AbortIfOne2OneHitsLimit:  "sctp_abort_if_one_2_one_hits_limit",
		DebugOn:                  "sctp_debug_on",
	}
	for k, want := range cases {
		if got := k.Name(); got != want {
			t.Errorf("Key %d Name() = %q, want %q", int(k), got, want)
		}
	}
}

// TestConstantsAreCamelCase parses keys.go and checks that the i-th
// constant is the CamelCase form of the i-th name.
func TestConstantsAreCamelCase(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "keys.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var idents []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				idents = append(idents, n.Name)
			}
		}
	}
	var consts []string
	for _, id := range idents {
		if id == "numKeys" {
			break
		}
		consts = append(consts, id)
	}
	if len(consts) != NumKeys {
		t.Fatalf("keys.go declares %d constants before numKeys, want %d", len(consts), NumKeys)
	}
	for i, id := range consts {
		var b strings.Builder
		for _, w := range strings.Split(strings.TrimPrefix(Key(i).Name(), "sctp_"), "_") {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
		if b.String() != id {
			t.Errorf("constant %d is %s, want %s for %s", i, id, b.String(), Key(i).Name())
		}
	}
}

func TestInvalidKey(t *testing.T) {
	for _, k := range []Key{-1, Key(NumKeys), 1000} {
		if k.Valid() {
			t.Errorf("Key(%d).Valid() = true", int(k))
		}
		if !strings.HasPrefix(k.Name(), "sysctl.Key(") {
			t.Errorf("Key(%d).Name() = %q", int(k), k.Name())
		}
		if in := k.Info(); in.Name != k.Name() || in.Max != 0 {
			t.Errorf("Key(%d).Info() = %+v", int(k), in)
		}
		v := Defaults()
		if got := v.Get(k); got != 0 {
			t.Errorf("Get(%d) = %d", int(k), got)
		}
		if err := v.Set(k, 0); !errors.Is(err, ErrUnknown) {
			t.Errorf("Set(%d) error = %v, want ErrUnknown", int(k), err)
		}
		if v != Defaults() {
			t.Errorf("Set(%d) changed Values", int(k))
		}
	}
}

func TestLookup(t *testing.T) {
	for _, k := range Keys() {
		n := k.Name()
		for _, s := range []string{n, strings.TrimPrefix(n, "sctp_"), " " + n + " ", strings.ToUpper(n)} {
			got, err := Lookup(s)
			if err != nil || got != k {
				t.Errorf("Lookup(%q) = %v, %v; want %v", s, got, err, k)
			}
		}
	}
	if k, err := Lookup("l2_abc_variable"); err != nil || k != L2AbcVariable {
		t.Errorf("Lookup(l2_abc_variable) = %v, %v", k, err)
	}
	for _, s := range []string{"", "sctp_", "sctp_nope", "nope", "sendspac", "net.inet.sctp.sendspace", "sctp_sctp_sendspace"} {
		_, err := Lookup(s)
		if !errors.Is(err, ErrUnknown) {
			t.Errorf("Lookup(%q) error = %v, want ErrUnknown", s, err)
			continue
		}
		if !strings.Contains(err.Error(), `"`+s+`"`) {
			t.Errorf("Lookup(%q) error %q does not quote the name", s, err)
		}
	}
}

func TestDefaults(t *testing.T) {
	v := Defaults()
	for _, k := range Keys() {
		in := k.Info()
		got := v.Get(k)
		if got != in.Default {
			t.Errorf("%s: Defaults() has %d, Info().Default %d", in.Name, got, in.Default)
		}
		if got < in.Min || got > in.Max {
			t.Errorf("%s: default %d outside [%d, %d]", in.Name, got, in.Min, in.Max)
		}
		// Setting a value to its current value is always accepted.
		if err := v.Set(k, got); err != nil {
			t.Errorf("%s: Set(default) = %v", in.Name, err)
		}
	}
	// A few values stated in the brief and the usrsctp sources.
	for k, want := range map[Key]uint32{
		ValidCookieLifeDefault:   60000,
		RtoMinDefault:            1000,
		RtoMaxDefault:            60000,
		RtoInitialDefault:        3000,
		InitRtoMaxDefault:        60000,
		InitRtxMaxDefault:        8,
		AssocRtxMaxDefault:       10,
		PathRtxMaxDefault:        5,
		HeartbeatIntervalDefault: 30000,
		DelayedSackTimeDefault:   200,
		SackFreqDefault:          2,
		SecretLifetimeDefault:    3600,
		InitialCwnd:              3,
		UdpTunnelingPort:         9899,
		NrOutgoingStreamsDefault: 10,
		NrIncomingStreamsDefault: 2048,
	} {
		if got := v.Get(k); got != want {
			t.Errorf("%s default = %d, want %d", k, got, want)
		}
	}
}

func TestSetRange(t *testing.T) {
	for _, k := range Keys() {
		in := k.Info()
		v := Defaults()
		for _, x := range []uint32{in.Min, in.Max} {
			if err := v.Set(k, x); err != nil {
				t.Errorf("%s: Set(%d) = %v", in.Name, x, err)
			}
			if got := v.Get(k); got != x {
				t.Errorf("%s: Get after Set(%d) = %d", in.Name, x, got)
			}
		}
		var bad []uint32
		if in.Min > 0 {
			bad = append(bad, in.Min-1, 0)
		}
		if in.Max < 0xFFFFFFFF {
			bad = append(bad, in.Max+1, 0xFFFFFFFF)
		}
		for _, x := range bad {
			before := v
			err := v.Set(k, x)
			var re *RangeError
			if !errors.As(err, &re) {
				t.Errorf("%s: Set(%d) = %v, want *RangeError", in.Name, x, err)
				continue
			}
			if !errors.Is(err, ErrOutOfRange) {
				t.Errorf("%s: Set(%d) error does not wrap ErrOutOfRange", in.Name, x)
			}
			if *re != (RangeError{Name: in.Name, Value: x, Min: in.Min, Max: in.Max}) {
				t.Errorf("%s: RangeError = %+v", in.Name, *re)
			}
			if v != before {
				t.Errorf("%s: failed Set(%d) changed Values", in.Name, x)
			}
		}
	}
}

func TestRangeErrorMessage(t *testing.T) {
	v := Defaults()
	err := v.Set(Blackhole, 3)
	want := "sysctl: value out of range: sctp_blackhole=3, want 0..2"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	err = v.SetByName("udp_tunneling_port", 65536)
	if !errors.Is(err, ErrOutOfRange) {
		t.Errorf("SetByName(udp_tunneling_port, 65536) = %v", err)
	}
}

func TestByName(t *testing.T) {
	v := Defaults()
	if err := v.SetByName("sctp_rto_min_default", 500); err != nil {
		t.Fatal(err)
	}
	if got, err := v.GetByName("rto_min_default"); err != nil || got != 500 {
		t.Errorf("GetByName = %d, %v", got, err)
	}
	if v.Get(RtoMinDefault) != 500 {
		t.Error("SetByName did not set RtoMinDefault")
	}
	if _, err := v.GetByName("bogus"); !errors.Is(err, ErrUnknown) {
		t.Errorf("GetByName(bogus) = %v", err)
	}
	if err := v.SetByName("bogus", 1); !errors.Is(err, ErrUnknown) {
		t.Errorf("SetByName(bogus) = %v", err)
	}
}

func TestSetString(t *testing.T) {
	ok := []struct {
		in   string
		k    Key
		want uint32
	}{
		{"sctp_udp_tunneling_port=0", UdpTunnelingPort, 0},
		{"udp_tunneling_port=5000", UdpTunnelingPort, 5000},
		{" ecn_enable = 0 ", EcnEnable, 0},
		{"sctp_logging_level=0xFFFFFFFF", LoggingLevel, 0xFFFFFFFF},
		{"logging_level=0X10", LoggingLevel, 16},
		{"sctp_rto_min_default=010", RtoMinDefault, 10}, // decimal, not octal
		{"sctp_L2_abc_variable=2", L2AbcVariable, 2},
		{"l2_abc_variable=3", L2AbcVariable, 3},
		{"sendspace=4294967295", Sendspace, 4294967295},
	}
	for _, c := range ok {
		v := Defaults()
		if err := v.SetString(c.in); err != nil {
			t.Errorf("SetString(%q) = %v", c.in, err)
			continue
		}
		if got := v.Get(c.k); got != c.want {
			t.Errorf("SetString(%q): %s = %d, want %d", c.in, c.k, got, c.want)
		}
	}
	bad := []struct {
		in   string
		is   error // nil: just an error
		text string
	}{
		{"", nil, "want name=value"},
		{"sctp_ecn_enable", nil, "want name=value"},
		{"nope=1", ErrUnknown, `"nope"`},
		{"=1", ErrUnknown, ""},
		{"ecn_enable=", nil, "sctp_ecn_enable"},
		{"ecn_enable=yes", nil, "invalid syntax"},
		{"ecn_enable=-1", nil, "invalid syntax"},
		{"ecn_enable=+1", nil, "invalid syntax"},
		{"ecn_enable=1_0", nil, "invalid syntax"},
		{"ecn_enable=0x", nil, "invalid syntax"},
		{"sendspace=4294967296", nil, "out of range"},
		{"ecn_enable=2", ErrOutOfRange, "sctp_ecn_enable=2, want 0..1"},
		{"ecn_enable=1=1", nil, "invalid syntax"},
	}
	for _, c := range bad {
		v := Defaults()
		err := v.SetString(c.in)
		if err == nil {
			t.Errorf("SetString(%q) succeeded", c.in)
			continue
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("SetString(%q) = %v, want %v", c.in, err, c.is)
		}
		if !strings.Contains(err.Error(), c.text) {
			t.Errorf("SetString(%q) = %q, want it to contain %q", c.in, err, c.text)
		}
		if v != Defaults() {
			t.Errorf("failed SetString(%q) changed Values", c.in)
		}
	}
}

func TestValuesCopy(t *testing.T) {
	a := Defaults()
	b := a
	if err := b.Set(EcnEnable, 0); err != nil {
		t.Fatal(err)
	}
	if a.Get(EcnEnable) != 1 {
		t.Error("setting a copy changed the original")
	}
	if a == b {
		t.Error("copies compare equal after a change")
	}
	take := func(v Values) { _ = v.Set(UdpTunnelingPort, 1) }
	take(a)
	if a.Get(UdpTunnelingPort) != 9899 {
		t.Error("a Values passed by value was changed by the callee")
	}
	// Defaults returns a fresh copy each time.
	c := Defaults()
	_ = c.Set(InitialCwnd, 10)
	if d := Defaults(); d.Get(InitialCwnd) != 3 {
		t.Error("Defaults() shares state")
	}
	if Key(0).Info().Default != 1864135 {
		t.Error("table changed")
	}
}

func TestZeroValues(t *testing.T) {
	var v Values
	for _, k := range Keys() {
		if v.Get(k) != 0 {
			t.Fatalf("zero Values has %s = %d", k, v.Get(k))
		}
	}
}
