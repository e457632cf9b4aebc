package cli

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/sconnlab/sconn/sysctl"
	"github.com/sconnlab/sconn/wire"
)

func TestSysctls(t *testing.T) {
	var s Sysctls
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Var(&s, "sysctl", "")
	if v := s.Values(); v != sysctl.Defaults() {
		t.Error("no -sysctl: want the defaults")
	}
	if err := fs.Parse([]string{"-sysctl", "sctp_init_rtx_max_default=2", "-sysctl", "rto_min_default = 0x20"}); err != nil {
		t.Fatal(err)
	}
	v := s.Values()
	if v.Get(sysctl.InitRtxMaxDefault) != 2 || v.Get(sysctl.RtoMinDefault) != 32 {
		t.Errorf("got %d, %d", v.Get(sysctl.InitRtxMaxDefault), v.Get(sysctl.RtoMinDefault))
	}
	if s.String() != "sctp_init_rtx_max_default=2,rto_min_default = 0x20" {
		t.Errorf("String %q", s.String())
	}
	for _, bad := range []string{"nosuch=1", "sctp_init_rtx_max_default", "sctp_init_rtx_max_default=x"} {
		if err := fs.Parse([]string{"-sysctl", bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestPorts(t *testing.T) {
	if p, err := ParsePort("PORT", "5001", false); err != nil || p != 5001 {
		t.Errorf("5001: %v %v", p, err)
	}
	for _, bad := range []string{"0", "65536", "x", "-1", ""} {
		if _, err := ParsePort("PORT", bad, false); err == nil || !strings.Contains(err.Error(), "not a port") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	for in, want := range map[string]string{"": ":0", "22222": ":22222", "127.0.0.1:7": "127.0.0.1:7", "[::1]:9": "[::1]:9"} {
		if got, err := LocalUDP(in); err != nil || got != want {
			t.Errorf("LocalUDP(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := LocalUDP("a:b:c"); err == nil {
		t.Error("a:b:c accepted")
	}
	a, err := ResolveUDP("[::1]", "11111")
	if err != nil || a.String() != "[::1]:11111" {
		t.Errorf("ResolveUDP: %v %v", a, err)
	}
	if _, err := ResolveUDP("127.0.0.1", "0"); err == nil {
		t.Error("port 0 accepted")
	}
}

func TestDescribeCauses(t *testing.T) {
	b := wire.AppendCause(nil, wire.CauseCode(12), []byte("bye"))
	b = wire.AppendCause(b, wire.CauseCode(1), []byte{0, 7, 0, 0})
	got := DescribeCauses(b)
	if !strings.Contains(got, `"bye"`) || !strings.Contains(got, ", ") {
		t.Errorf("DescribeCauses = %q", got)
	}
}
