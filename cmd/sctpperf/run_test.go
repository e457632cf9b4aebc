package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sconnlab/sconn/internal/cli/usrsctptest"
)

var itoa = usrsctptest.Itoa

type outcome struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// start runs sctpperf in process; the returned function waits for it.
func start(t *testing.T, limit time.Duration, args ...string) func() outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	var stdout, stderr lockedBuffer
	done := make(chan outcome, 1)
	t0 := time.Now()
	go func() {
		code := run(ctx, args, strings.NewReader(""), &stdout, &stderr)
		done <- outcome{code: code, stdout: stdout.String(), stderr: stderr.String(), took: time.Since(t0)}
	}()
	var once sync.Once
	var o outcome
	wait := func() outcome {
		once.Do(func() {
			o = <-done
			cancel()
			t.Logf("sctpperf %s: exit %d in %v\nstdout:\n%sstderr:\n%s", strings.Join(args, " "), o.code, o.took.Round(time.Millisecond), o.stdout, o.stderr)
		})
		return o
	}
	t.Cleanup(func() { cancel(); wait() })
	return wait
}

func sctpperf(t *testing.T, limit time.Duration, args ...string) outcome {
	t.Helper()
	return start(t, limit, args...)()
}

func decode(t *testing.T, s string) result {
	t.Helper()
	var r result
	if err := json.Unmarshal([]byte(strings.TrimSpace(s)), &r); err != nil {
		t.Fatalf("-json output %q: %v", s, err)
	}
	if r.Seconds <= 0 || r.MbitPerS <= 0 {
		t.Errorf("-json: seconds %v, mbit_per_s %v: want > 0", r.Seconds, r.MbitPerS)
	}
	return r
}

// tsctpServerLine matches tsctp's server summary: length, messages, recv
// calls, bytes, seconds, bytes/s, notifications.
var tsctpServerLine = regexp.MustCompile(`(?m)^(\d+), (\d+), (\d+), (\d+), ([0-9.]+), ([0-9.]+), (\d+)$`)

// tsctpClientLine matches tsctp's client summary.
var tsctpClientLine = regexp.MustCompile(`Sending of (\d+) messages of length (\d+) took ([0-9.]+) seconds\.\nThroughput was ([0-9.]+) Byte/sec\.`)

func atoi(t *testing.T, s string) uint64 {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// toTsctp runs a tsctp server and sends to it with sctpperf args; it
// returns sctpperf's JSON result and tsctp's summary line fields.
func toTsctp(t *testing.T, args ...string) (result, []string) {
	p := usrsctptest.FreeUDPPorts(t, 2)
	srv := usrsctptest.Start(t, "tsctp", "-E", itoa(p[0]), "-U", itoa(p[1]))
	usrsctptest.WaitListening(t, p[0], 5001, 5*time.Second)
	all := append([]string{"-json", "-udp-local", itoa(p[1])}, args...)
	o := sctpperf(t, 10*time.Second, append(all, "127.0.0.1", itoa(p[0]))...)
	if o.code != 0 {
		t.Fatalf("exit %d: %s", o.code, o.stderr)
	}
	r := decode(t, o.stdout)
	out, ok := srv.WaitOutput(5*time.Second, tsctpServerLine.MatchString)
	if !ok {
		t.Fatalf("no summary line from tsctp:\n%s", out)
	}
	return r, tsctpServerLine.FindStringSubmatch(out)
}

// TestToTsctp: sctpperf sends to usrsctp's tsctp server, as docs/tools.md
// shows; both count 2000 messages of 1200 bytes.
func TestToTsctp(t *testing.T) {
	t.Parallel()
	r, f := toTsctp(t, "-n", "2000", "-L", "1200")
	if r.Role != "client" || r.Messages != 2000 || r.Bytes != 2400000 || r.Length != 1200 {
		t.Errorf("sctpperf: %+v, want 2000 messages, 2400000 bytes", r)
	}
	if f[1] != "1200" || f[2] != "2000" || f[4] != "2400000" {
		t.Errorf("tsctp reports length %s, messages %s, bytes %s; want 1200, 2000, 2400000", f[1], f[2], f[4])
	}
}

// TestToTsctpUnorderedPR: unordered messages with a PR-SCTP lifetime, for a
// given time; what tsctp received is what was sent minus what was
// abandoned.
func TestToTsctpUnorderedPR(t *testing.T) {
	t.Parallel()
	r, f := toTsctp(t, "-T", "0.5", "-L", "300", "-u", "-P", "ttl", "-t", "2000", "-D")
	if r.Messages == 0 || r.Bytes != r.Messages*300 {
		t.Fatalf("sctpperf: %+v", r)
	}
	if got := atoi(t, f[2]); got != r.Messages-r.Abandoned {
		t.Errorf("tsctp received %d messages, sctpperf sent %d and %d were abandoned", got, r.Messages, r.Abandoned)
	}
}

// fromTsctp runs sctpperf -l and tsctp as a client with args; it returns
// sctpperf's JSON result and tsctp's summary fields.
func fromTsctp(t *testing.T, args ...string) (result, []string) {
	p := usrsctptest.FreeUDPPorts(t, 2)
	wait := start(t, 10*time.Second, "-l", "-json", itoa(p[0]))
	usrsctptest.WaitListening(t, p[0], 5001, 5*time.Second)
	all := append([]string{"-E", itoa(p[1]), "-U", itoa(p[0])}, args...)
	cl := usrsctptest.Start(t, "tsctp", append(all, "127.0.0.1")...)
	if err := cl.Wait(8 * time.Second); err != nil {
		t.Fatalf("tsctp: %v\n%s", err, cl.Output())
	}
	o := wait()
	if o.code != 0 {
		t.Fatalf("sctpperf -l: exit %d: %s", o.code, o.stderr)
	}
	f := tsctpClientLine.FindStringSubmatch(cl.Output())
	if f == nil {
		t.Fatalf("no summary from tsctp:\n%s", cl.Output())
	}
	return decode(t, o.stdout), f
}

// TestFromTsctp: usrsctp's tsctp sends to sctpperf -l; the server reports
// what it received.
func TestFromTsctp(t *testing.T) {
	t.Parallel()
	r, f := fromTsctp(t, "-n", "2000", "-l", "1200")
	if r.Role != "server" || r.Messages != 2000 || r.Bytes != 2400000 || r.Length != 1200 {
		t.Errorf("sctpperf -l: %+v, want 2000 messages, 2400000 bytes", r)
	}
	if f[1] != "2000" || f[2] != "1200" {
		t.Errorf("tsctp sent %s messages of %s bytes", f[1], f[2])
	}
}

// TestFromTsctpUnorderedLarge: unordered messages larger than the receive
// buffer of one RecvV call (partial delivery), fragmented on the wire.
func TestFromTsctpUnorderedLarge(t *testing.T) {
	t.Parallel()
	r, _ := fromTsctp(t, "-n", "40", "-l", "70000", "-u")
	if r.Messages != 40 || r.Bytes != 40*70000 || r.Length != 70000 || r.RecvCalls < 80 {
		t.Errorf("sctpperf -l: %+v, want 40 messages of 70000 bytes in ≥ 80 reads", r)
	}
}

// TestFromTsctpTimed: tsctp sends for half a second (-T); the server counts
// every message tsctp says it sent.
func TestFromTsctpTimed(t *testing.T) {
	t.Parallel()
	r, f := fromTsctp(t, "-T", "1", "-l", "500")
	if n := atoi(t, f[1]); r.Messages != n || r.Bytes != n*500 {
		t.Errorf("tsctp sent %d messages, sctpperf -l received %d (%d bytes)", n, r.Messages, r.Bytes)
	}
}

// TestSelf: sctpperf against itself, with the tsctp-style summaries.
func TestSelf(t *testing.T) {
	t.Parallel()
	p := usrsctptest.FreeUDPPorts(t, 1)
	wait := start(t, 10*time.Second, "-l", "-stats", itoa(p[0]))
	usrsctptest.WaitListening(t, p[0], 5001, 5*time.Second)
	c := sctpperf(t, 10*time.Second, "-n", "3000", "-L", "1000", "127.0.0.1", itoa(p[0]))
	s := wait()
	if c.code != 0 || s.code != 0 {
		t.Fatalf("exit codes client %d server %d", c.code, s.code)
	}
	if !tsctpClientLine.MatchString(c.stdout) || !strings.HasPrefix(c.stdout, "Sending of 3000 messages of length 1000 took ") {
		t.Errorf("client summary %q", c.stdout)
	}
	f := tsctpServerLine.FindStringSubmatch(s.stdout)
	if f == nil || f[1] != "1000" || f[2] != "3000" || f[4] != "3000000" || f[7] != "0" {
		t.Errorf("server summary %q", s.stdout)
	}
	if !strings.Contains(s.stderr, "DATA chunks out 0 (ordered 0, unordered 0), in 3000") {
		t.Errorf("server -stats: %s", s.stderr)
	}
}

// TestErrors: usage errors and a peer that does not answer.
func TestErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{}, {"-l"}, {"h"}, {"-n", "5", "-T", "1", "h", "1"}, {"-P", "bogus", "h", "1"}, {"-L", "0", "h", "1"}, {"-k", "h", "1"}} {
		if o := sctpperf(t, time.Second, args...); o.code != 2 || o.stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 and a reason", args, o.code, o.stderr)
		}
	}
	p := usrsctptest.FreeUDPPorts(t, 1)
	o := sctpperf(t, 5*time.Second, "-sysctl", "sctp_init_rtx_max_default=1", "-sysctl", "sctp_rto_min_default=50",
		"-sysctl", "sctp_rto_initial_default=50", "-sysctl", "sctp_init_rto_max_default=100", "127.0.0.1", itoa(p[0]))
	if o.code != 1 || !strings.Contains(o.stderr, "handshake timed out after 1 INIT retransmissions: no answer from 127.0.0.1:"+itoa(p[0])) {
		t.Errorf("exit %d, stderr %q", o.code, o.stderr)
	}
}
