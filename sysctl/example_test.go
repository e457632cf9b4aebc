package sysctl_test

import (
	"errors"
	"flag"
	"fmt"

	"github.com/sconnlab/sconn/sysctl"
)

func Example() {
	v := sysctl.Defaults()

	// Set by key, by name (with or without "sctp_") or from "name=value".
	if err := v.Set(sysctl.UdpTunnelingPort, 0); err != nil {
		fmt.Println(err)
	}
	if err := v.SetByName("ecn_enable", 0); err != nil {
		fmt.Println(err)
	}
	if err := v.SetString("sctp_heartbeat_interval_default=5000"); err != nil {
		fmt.Println(err)
	}

	// Values outside usrsctp's range are rejected.
	err := v.Set(sysctl.Blackhole, 7)
	fmt.Println(err, errors.Is(err, sysctl.ErrOutOfRange))

	// Copies are independent.
	w := v
	_ = w.Set(sysctl.InitialCwnd, 10)

	in := sysctl.HeartbeatIntervalDefault.Info()
	fmt.Println(in.Name, v.Get(sysctl.HeartbeatIntervalDefault), in.Unit, "default", in.Default)
	fmt.Println(v.Get(sysctl.UdpTunnelingPort), v.Get(sysctl.EcnEnable))
	fmt.Println(v.Get(sysctl.InitialCwnd), w.Get(sysctl.InitialCwnd))
	// Output:
	// sysctl: value out of range: sctp_blackhole=7, want 0..2 true
	// sctp_heartbeat_interval_default 5000 ms default 30000
	// 0 0
	// 3 10
}

// A command can take repeated -sysctl name=value flags.
func ExampleValues_SetString() {
	v := sysctl.Defaults()
	fs := flag.NewFlagSet("sconn", flag.ContinueOnError)
	fs.Func("sysctl", "set an SCTP tunable, `name=value` (repeatable)", v.SetString)
	if err := fs.Parse([]string{"-sysctl", "udp_tunneling_port=0", "-sysctl", "sctp_rto_min_default=200"}); err != nil {
		fmt.Println(err)
	}
	fmt.Println(v.Get(sysctl.UdpTunnelingPort), v.Get(sysctl.RtoMinDefault))
	// Output: 0 200
}

func ExampleLookup() {
	k, err := sysctl.Lookup("valid_cookie_life_default")
	fmt.Println(k == sysctl.ValidCookieLifeDefault, err)
	_, err = sysctl.Lookup("sctp_no_such_thing")
	fmt.Println(err)
	// Output:
	// true <nil>
	// sysctl: unknown tunable "sctp_no_such_thing"
}

func ExampleKeys() {
	for _, k := range sysctl.Keys()[:3] {
		in := k.Info()
		fmt.Printf("%s=%d [%d..%d]\n", in.Name, in.Default, in.Min, in.Max)
	}
	// Output:
	// sctp_sendspace=1864135 [0..4294967295]
	// sctp_recvspace=1864135 [0..4294967295]
	// sctp_hashtblsize=1024 [1..4294967295]
}
