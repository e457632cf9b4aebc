package drill

import (
	"strings"
	"testing"
)

// passiveSetup is a passive handshake every test below starts from.
const passiveSetup = ` 0.0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3
+0.0 bind(3, ..., ...) = 0
+0.0 listen(3, 1) = 0
+0.0 < sctp: INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=1]
+0.0 > sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=..., os=..., is=..., tsn=1, ...]
+0.0 < sctp: COOKIE_ECHO[flgs=0, len=..., val=...]
+0.0 > sctp: COOKIE_ACK[flgs=0]
+0.0 accept(3, ..., ...) = 4
`

// activeSetup is an active handshake on a non-blocking socket.
const activeSetup = ` 0.0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3
+0.0 bind(3, ..., ...) = 0
+0.0 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)
+0.0 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0
+0.0 fcntl(3, F_GETFL) = 0x06
+0.0 setsockopt(3, IPPROTO_SCTP, SCTP_RTOINFO, {srto_initial=100, srto_max=800, srto_min=100}, 16) = 0
+0.0 getsockopt(3, IPPROTO_SCTP, SCTP_RTOINFO, {srto_initial=100, srto_max=800, srto_min=...}, [16]) = 0
+0.1 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
+0.0 > sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=1, ...]
+0.0 < sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=1500, os=1, is=1, tsn=1, STATE_COOKIE[len=4, val=...]]
+0.0 > sctp: COOKIE_ECHO[flgs=0, len=4, val=...]
+0.0 < sctp: COOKIE_ACK[flgs=0]
+0.0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
`

func run(t *testing.T, src string) *Result {
	t.Helper()
	return RunScript("t.pkt", []byte(src), Config{})
}

func wantPass(t *testing.T, src string) {
	t.Helper()
	if r := run(t, src); !r.Pass {
		t.Fatalf("%s\n%v", r.Summary(), r.Err)
	}
}

func wantFail(t *testing.T, src string, line int, what string) *Result {
	t.Helper()
	r := run(t, src)
	if r.Pass {
		t.Fatalf("passed, want a failure on line %d with %q", line, what)
	}
	if r.Line != line || !strings.Contains(r.Err.Error(), what) {
		t.Fatalf("failure %q (line %d), want line %d with %q", r.Err, r.Line, line, what)
	}
	return r
}

func TestRunHandshakes(t *testing.T) {
	wantPass(t, passiveSetup+`+0.0 < sctp: SHUTDOWN[flgs=0, cum_tsn=0]
+0.0 > sctp: SHUTDOWN_ACK[flgs=0]
+0.0 < sctp: SHUTDOWN_COMPLETE[flgs=0]
+0.0 close(4) = 0
+0.0 close(3) = 0
`)
	wantPass(t, activeSetup+`+0.0 getsockopt(3, IPPROTO_SCTP, SCTP_STATUS, {sstat_state=SCTP_ESTABLISHED, sstat_outstrms=1, sstat_primary=...}, [176]) = 0
+0.0 close(3) = 0
+0.0 > sctp: SHUTDOWN[flgs=0, cum_tsn=0]
+0.05 < sctp: SHUTDOWN_ACK[flgs=0]
+0.0 > sctp: SHUTDOWN_COMPLETE[flgs=0]
`)
}

func TestRunTiming(t *testing.T) {
	// The INIT is retransmitted after the 100 ms initial RTO.
	base := strings.Split(activeSetup, "+0.0 < sctp: INIT_ACK")[0]
	wantPass(t, "--tolerance_usecs=10000\n"+base+"+0.1 > sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=1, ...]\n")
	wantPass(t, base+"* > sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=1, ...]\n")
	wantPass(t, base+"+0.05~+0.15 > sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=1, ...]\n")
	// Too late: expected earlier than it comes.
	wantFail(t, base+"+0.05 > sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=1, ...]\n", 10, "expected packet not sent by")
	// Too early.
	wantFail(t, base+"+0.3 > sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=1, ...]\n", 10, "packet sent too early")
	// A packet the script does not expect before it injects one.
	wantFail(t, base+"+0.2 < sctp: ABORT[flgs=0]\n", 10, "unexpected packet")
}

func TestRunCalls(t *testing.T) {
	wantFail(t, passiveSetup+"+0.0 close(7) = 0\n", 9, "EBADF")
	wantPass(t, passiveSetup+"+0.0 close(7) = -1 EBADF (Bad file descriptor)\n")
	wantFail(t, passiveSetup+"+0.0 accept(3, ..., ...) = 5\n", 9, "would wait")
	wantPass(t, passiveSetup+"+0.0 getsockopt(4, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n")
	wantFail(t, passiveSetup+"+0.0 getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0\n", 9, "SO_ERROR: expected ECONNRESET, got 0")
	wantFail(t, passiveSetup+"+0.0 getsockopt(4, IPPROTO_SCTP, SCTP_STATUS, {sstat_state=SCTP_CLOSED, sstat_primary=...}, [176]) = 0\n", 9,
		"sstat_state: expected SCTP_CLOSED, got SCTP_ESTABLISHED")
	wantPass(t, "0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n+0.0 setsockopt(3, IPPROTO_SCTP, SCTP_NODELAY, [1], 4) = 0\n+0.0 getsockopt(3, IPPROTO_SCTP, SCTP_NODELAY, [1], [4]) = 0\n")
	wantFail(t, "0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n+0.0 getsockopt(3, IPPROTO_SCTP, SCTP_NODELAY, [1], [4]) = 0\n", 2, "SCTP_NODELAY value: expected 1, got 0")
	// The peer aborts: SO_ERROR and the next read report it.
	wantPass(t, passiveSetup+`+0.0 < sctp: ABORT[flgs=0]
+0.0 getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0
+0.1 < sctp: HEARTBEAT[flgs=0, HEARTBEAT_INFORMATION[len=9, val=...]]
+0.0 > sctp: ABORT[flgs=T]
`)
}

func TestRunUnsupported(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int
		want string
	}{
		{"0 `rm -rf /`\n", 1, "unsupported: shell command"},
		{"0 `sysctl net.inet.sctp.nope=1`\n", 1, "unsupported: sysctl net.inet.sctp.nope"},
		{"0 socket(..., SOCK_DGRAM, IPPROTO_SCTP) = 3\n", 1, "unsupported: socket type SOCK_DGRAM"},
		{"0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n+0 sctp_connectx(3, ..., ...) = 0\n", 2, "unsupported: sctp_connectx"},
		{"0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n+0 bind(3, ..., ...) = 0\n+0 connect(3, ..., ...) = 0\n", 3, "unsupported: blocking connect"},
		{"--frobnicate=1\n0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n", 1, "unsupported: option --frobnicate"},
		{"0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n+0 getsockopt(3, IPPROTO_SCTP, SCTP_TIMEOUTS, [0], [4]) = 0\n", 2, "unsupported: socket option SCTP_TIMEOUTS"},
	} {
		r := run(t, tc.src)
		if r.Pass || r.Line != tc.line || !strings.Contains(r.Err.Error(), tc.want) || !r.Unsupported() {
			t.Errorf("%q: %v (line %d), want line %d with %q", tc.src, r.Err, r.Line, tc.line, tc.want)
		}
	}
}

func TestRunSysctl(t *testing.T) {
	// With ECN and PR-SCTP off, and the extensions list empty, the INIT
	// carries no optional parameter.
	src := "0 `sysctl -i net.inet.sctp.ecn_enable=0`\n" +
		"+0 `sysctl -i net.inet.sctp.pr_enable=0 net.inet.sctp.no_such_thing=1`\n" +
		"+0 `sysctl -i net.inet.sctp.reconfig_enable=0`\n" +
		"+0 `sysctl -i net.inet.sctp.nrsack_enable=0`\n" +
		"+0 `sysctl -i net.inet.sctp.asconf_enable=0`\n" +
		"+0 `sysctl -i net.inet.sctp.auth_enable=0`\n" +
		strings.Split(activeSetup, "+0.0 < sctp: INIT_ACK")[0]
	r := run(t, strings.Replace(src, "tsn=1, ...]", "tsn=1]", 1))
	if !r.Pass {
		t.Logf("the stack still adds parameters with every extension off: %s", r.Summary())
	}
	wantFail(t, "0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n+0 `sysctl net.inet.sctp.ecn_enable=0`\n", 2, "after the stack was created")
}

func TestRunNeverPanics(t *testing.T) {
	// Scripts that make no sense must fail cleanly.
	for _, src := range []string{
		"0 > sctp: DATA[flgs=0]\n",
		"0 < sctp: COOKIE_ECHO[flgs=0, len=..., val=...]\n",
		"0 read(3, ..., 10) = 0\n",
		"0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n+0 write(3, ..., 10) = 10\n",
		"0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n+0 sctp_sendv(3, ..., 1, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0) = 10\n",
		"0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n+0 recvmsg(3, {msg_iov(1)=[{iov_base=..., iov_len=10}]}, 0) = 10\n",
		"0 < sctp: INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=1]\n",
	} {
		r := run(t, src)
		if r.Pass && strings.Contains(src, ">") {
			t.Errorf("%q passed", src)
		}
	}
}

func TestRunNotifications(t *testing.T) {
	wantPass(t, ` 0.0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3
+0.0 bind(3, ..., ...) = 0
+0.0 setsockopt(3, IPPROTO_SCTP, SCTP_EVENT, {se_assoc_id=SCTP_FUTURE_ASSOC, se_type=SCTP_ASSOC_CHANGE, se_on=1}, 8) = 0
+0.0 setsockopt(3, IPPROTO_SCTP, SCTP_EVENT, {se_assoc_id=SCTP_FUTURE_ASSOC, se_type=SCTP_SHUTDOWN_EVENT, se_on=1}, 8) = 0
+0.0 listen(3, 1) = 0
+0.0 < sctp: INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=1]
+0.0 > sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=..., os=..., is=..., tsn=1, ...]
+0.0 < sctp: COOKIE_ECHO[flgs=0, len=..., val=...]
+0.0 > sctp: COOKIE_ACK[flgs=0]
+0.0 accept(3, ..., ...) = 4
+0.0 recvmsg(4, {msg_name(...)=..., msg_iov(1)=[{iov_base={sac_type=SCTP_ASSOC_CHANGE, sac_flags=0, sac_length=..., sac_state=SCTP_COMM_UP, sac_error=0, sac_outbound_streams=1, sac_inbound_streams=1, sac_assoc_id=...}, iov_len=1000}], msg_flags=MSG_NOTIFICATION|MSG_EOR}, 0) = ...
+0.0 < sctp: SHUTDOWN[flgs=0, cum_tsn=0]
+0.0 > sctp: SHUTDOWN_ACK[flgs=0]
+0.0 sctp_recvv(4, [{iov_base={sse_type=SCTP_SHUTDOWN_EVENT, sse_flags=0, sse_length=12, sse_assoc_id=...}, iov_len=1000}], 1, ..., 20, NULL, [0], [SCTP_RECVV_NOINFO], [MSG_NOTIFICATION|MSG_EOR]) = 12
`)
}

func TestRunBlockingCalls(t *testing.T) {
	// A blocking accept returns when the handshake completes.
	accept := ` 0.0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3
+0.0 bind(3, ..., ...) = 0
+0.0 listen(3, 1) = 0
 0.0...0.1 accept(3, ..., ...) = 4
 0.1 < sctp: INIT[flgs=0, tag=1, a_rwnd=1500, os=1, is=1, tsn=1]
+0.0 > sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=..., os=..., is=..., tsn=1, ...]
+0.0 < sctp: COOKIE_ECHO[flgs=0, len=..., val=...]
+0.0 > sctp: COOKIE_ACK[flgs=0]
+0.0 close(4) = 0
`
	wantPass(t, accept)
	wantFail(t, strings.Replace(accept, "0.0...0.1 accept", "0.0...0.3 accept", 1), 4, "returning at 0.300000")
	// A blocking connect returns when the COOKIE ACK arrives.
	wantPass(t, ` 0.0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3
+0.0 bind(3, ..., ...) = 0
 0.0...0.2 connect(3, ..., ...) = 0
+0.0 > sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=1, ...]
 0.2 < sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=1500, os=1, is=1, tsn=1, STATE_COOKIE[len=4, val=...]]
+0.0 > sctp: COOKIE_ECHO[flgs=0, len=4, val=...]
+0.0 < sctp: COOKIE_ACK[flgs=0]
+0.0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
`)
	// Still blocked at the end of the script.
	wantFail(t, " 0.0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n+0.0 bind(3, ..., ...) = 0\n+0.0 listen(3, 1) = 0\n 0.0...0.1 accept(3, ..., ...) = 4\n", 4, "still blocked")
}
