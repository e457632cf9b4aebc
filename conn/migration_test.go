package conn

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

const usrsctpHeader = "/usr/include/usrsctp.h"

// usrsctpNames parses usrsctp.h and returns every function it declares
// (with the USRSCTP_TUNABLE_DECL and USRSCTP_SYSCTL_DECL macros expanded),
// every socket option and every notification type.
func usrsctpNames(t *testing.T) (funcs, options, notifications []string) {
	b, err := os.ReadFile(usrsctpHeader)
	if err != nil {
		t.Skipf("usrsctp.h not installed (apt-get install libusrsctp-dev): %v", err)
	}
	h := string(b)
	seen := map[string]bool{}
	add := func(list *[]string, s string) {
		if !seen[s] {
			seen[s] = true
			*list = append(*list, s)
		}
	}
	for _, m := range regexp.MustCompile(`\b(usrsctp_[a-z0-9_]+)\s*\(`).FindAllStringSubmatch(h, -1) {
		add(&funcs, m[1])
	}
	for _, m := range regexp.MustCompile(`(?m)^USRSCTP_(TUNABLE|SYSCTL)_DECL\((\w+)\)`).FindAllStringSubmatch(h, -1) {
		if m[1] == "TUNABLE" {
			add(&funcs, "usrsctp_tunable_set_"+m[2])
		} else {
			add(&funcs, "usrsctp_sysctl_set_"+m[2])
		}
		add(&funcs, "usrsctp_sysctl_get_"+m[2])
	}
	section := func(first, last string) string {
		i := strings.Index(h, "#define "+first+" ")
		j := strings.Index(h, "#define "+last+" ")
		if i < 0 || j < i {
			t.Fatalf("usrsctp.h: %s … %s not found", first, last)
		}
		k := strings.IndexByte(h[j:], '\n')
		return h[i : j+k]
	}
	def := regexp.MustCompile(`(?m)^#define\s+(SCTP_[A-Z0-9_]+)\s+0x`)
	for _, m := range def.FindAllStringSubmatch(section("SCTP_RTOINFO", "SCTP_ADD_STREAMS"), -1) {
		add(&options, m[1])
	}
	for _, m := range def.FindAllStringSubmatch(section("SCTP_ASSOC_CHANGE", "SCTP_SEND_FAILED_EVENT"), -1) {
		add(&notifications, m[1])
	}
	return funcs, options, notifications
}

// TestMigrationGuideNamesEverything checks that docs/usrsctp-migration.md
// names every function of usrsctp.h, every socket option and every
// notification (each as a `code` span).
func TestMigrationGuideNamesEverything(t *testing.T) {
	funcs, options, notifications := usrsctpNames(t)
	if len(funcs) < 30 || len(options) < 50 || len(notifications) != 14 {
		t.Fatalf("parsed %d functions, %d options, %d notifications: header changed?", len(funcs), len(options), len(notifications))
	}
	doc, err := os.ReadFile("../docs/usrsctp-migration.md")
	if err != nil {
		t.Fatal(err)
	}
	d := string(doc)
	named := func(name string) bool {
		return strings.Contains(d, "`"+name+"`") || strings.Contains(d, "`"+name+"(") || strings.Contains(d, "`"+name+",")
	}
	for _, group := range [][]string{funcs, options, notifications,
		{"SO_RCVBUF", "SO_SNDBUF", "SO_LINGER", "SO_ERROR", "SCTP_GET_ASSOC_STATS"}} {
		for _, name := range group {
			if !named(name) {
				t.Errorf("docs/usrsctp-migration.md does not name %s", name)
			}
		}
	}
	t.Logf("checked %d functions, %d options, %d notifications", len(funcs), len(options), len(notifications))
}

// TestOptionTypesNamed checks that every option type of this package is in
// the migration guide under its usrsctp name.
func TestOptionTypesNamed(t *testing.T) {
	doc, err := os.ReadFile("../docs/usrsctp-migration.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []interface{ OptionName() string }{
		RTOInfo{}, AssocInfo{}, InitMsg{}, NoDelay(false), AutoClose(0), PeerAddrParams{}, MaxSeg{}, DelayedSack{},
		MaxBurst{}, Context{}, FragmentInterleave(0), PartialDeliveryPoint(0), ExplicitEOR(false), Event{},
		RecvRcvInfo(false), RecvNxtInfo(false), DefaultSndInfo{}, DefaultPRInfo{}, Status{}, PeerAddrInfo{},
		AssocStats{}, RemoteUDPEncapsPort{}, RcvBuf(0), SndBuf(0), Linger{}, SOError{}, AssocNumber(0),
		AssocIDList(nil), AdaptationLayer{},
	} {
		if !strings.Contains(string(doc), "`"+o.OptionName()+"`") {
			t.Errorf("option %s (%T) is not in the migration guide", o.OptionName(), o)
		}
	}
}
