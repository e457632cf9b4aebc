// Package cli holds what sconn's command-line tools (cmd/sctpcat,
// cmd/sctpperf) share: the -sysctl flag, UDP address resolution, the SCTP
// over UDP endpoint with its packet log and capture, statistics printing and
// the one-line explanations of failures.
package cli

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/sconnlab/sconn/sysctl"
)

// Sysctls is a repeatable flag.Value collecting -sysctl name=value
// assignments (usrsctp tunables, with or without their "sctp_" prefix). Each
// assignment is checked when it is parsed.
type Sysctls struct {
	v    sysctl.Values
	set  bool
	list []string
}

// String implements flag.Value.
func (s *Sysctls) String() string {
	if s == nil {
		return ""
	}
	return strings.Join(s.list, ",")
}

// Set implements flag.Value: it applies one name=value assignment.
func (s *Sysctls) Set(a string) error {
	if !s.set {
		s.v, s.set = sysctl.Defaults(), true
	}
	if err := s.v.SetString(a); err != nil {
		return err
	}
	s.list = append(s.list, a)
	return nil
}

// Values returns the tunables: usrsctp's defaults with the assignments
// applied in order.
func (s *Sysctls) Values() sysctl.Values {
	if !s.set {
		return sysctl.Defaults()
	}
	return s.v
}

// ParsePort parses a port number (1-65535, or 0 when allowZero) for the
// flag or argument called what.
func ParsePort(what, s string, allowZero bool) (uint16, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 16)
	if err != nil || (n == 0 && !allowZero) {
		lo := 1
		if allowZero {
			lo = 0
		}
		return 0, fmt.Errorf("%s: %q is not a port number (%d-65535)", what, s, lo)
	}
	return uint16(n), nil
}

// ResolveUDP resolves HOST and a UDP PORT to an address; HOST may be a name,
// an IPv4 or an IPv6 address (with or without brackets).
func ResolveUDP(host, port string) (*net.UDPAddr, error) {
	p, err := ParsePort("UDP port", port, false)
	if err != nil {
		return nil, err
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	a, err := net.ResolveUDPAddr("udp", net.JoinHostPort(host, strconv.Itoa(int(p))))
	if err != nil {
		return nil, fmt.Errorf("cannot resolve %s: %v", host, unwrapDNS(err))
	}
	return a, nil
}

func unwrapDNS(err error) error {
	if de, ok := err.(*net.DNSError); ok {
		return fmt.Errorf("%s", de.Err)
	}
	if oe, ok := err.(*net.OpError); ok && oe.Err != nil {
		return unwrapDNS(oe.Err)
	}
	return err
}

// LocalUDP returns the address to bind a UDP socket to for the flag value v:
// "" means any port, "PORT" any address with that port, "HOST:PORT" both.
func LocalUDP(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return ":0", nil
	}
	if _, err := strconv.ParseUint(v, 10, 16); err == nil {
		p, err := ParsePort("-udp-local", v, true)
		if err != nil {
			return "", err
		}
		return ":" + strconv.Itoa(int(p)), nil
	}
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return "", fmt.Errorf("-udp-local: %q is neither PORT nor HOST:PORT", v)
	}
	if _, err := ParsePort("-udp-local", port, true); err != nil {
		return "", err
	}
	return net.JoinHostPort(host, port), nil
}
