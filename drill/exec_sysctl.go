package drill

import (
	"strconv"
	"strings"

	"github.com/sconnlab/sconn/sysctl"
)

// rfc9260Defaults are the tunables the runner sets before Config.Sysctl
// and the script's own sysctl lines: where usrsctp's table departs from
// the protocol parameters RFC 9260 §16 recommends and the scripts assume
// (sctp-dm-o-4-6-1 expects the INIT retransmitted after RTO.Initial = 1 s,
// where usrsctp's table says 3 s; §7.2.1's initial cwnd formula, which
// sctp_initial_cwnd=0 selects, where the table says 3 MTUs).
var rfc9260Defaults = []string{"sctp_rto_initial_default=1000", "sctp_initial_cwnd=0"}

// command runs a backquoted line. Only "sysctl" is understood: FreeBSD's
// net.inet.sctp.NAME becomes usrsctp's sctp_NAME, which sconn's sysctl
// package knows; -i ignores unknown names, as sysctl(8) does.
func (x *executor) command(ev *Event) error {
	x.startEvent(ev)
	fields := strings.Fields(ev.Command)
	if len(fields) == 0 {
		return nil
	}
	if fields[0] != "sysctl" {
		return unsupported(ev.Line, "shell command %q (only sysctl is interpreted)", ev.Command)
	}
	ignore := false
	var sets []string
	for _, f := range fields[1:] {
		switch {
		case f == "-i":
			ignore = true
		case f == "-q" || f == "-w" || f == "-n":
		case strings.HasPrefix(f, "-"):
			return unsupported(ev.Line, "sysctl option %s", f)
		default:
			sets = append(sets, f)
		}
	}
	for _, s := range sets {
		name, val, ok := strings.Cut(s, "=")
		if !ok {
			continue // a read: nothing to do
		}
		short := name
		for _, prefix := range []string{"net.inet.sctp.", "net.sctp."} {
			short = strings.TrimPrefix(short, prefix)
		}
		if short == name {
			if ignore {
				x.tracef("  sysctl %s ignored (not an SCTP tunable)", name)
				continue
			}
			return unsupported(ev.Line, "sysctl %s (not an SCTP tunable)", name)
		}
		key, err := sysctl.Lookup("sctp_" + short)
		if err != nil {
			if ignore {
				x.tracef("  sysctl %s ignored: sconn has no tunable sctp_%s", name, short)
				continue
			}
			return unsupported(ev.Line, "sysctl %s: sconn has no tunable sctp_%s", name, short)
		}
		n, err := strconv.ParseUint(val, 0, 32)
		if err != nil {
			return errf(ev.Line, "sysctl %s: bad value %q", name, val)
		}
		if x.stack != nil {
			return unsupported(ev.Line, "sysctl after the stack was created (put sysctl lines before the first socket call or packet)")
		}
		if err := x.sys.Set(key, uint32(n)); err != nil {
			return errf(ev.Line, "sysctl %s=%s: %v", name, val, err)
		}
		x.tracef("  sysctl sctp_%s=%d", short, n)
	}
	return nil
}
