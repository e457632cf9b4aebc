package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sconnlab/sconn/internal/cli/usrsctptest"
	"github.com/sconnlab/sconn/wire/pcap"
)

var itoa = usrsctptest.Itoa

// result is one in-process run of the command.
type result struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// lockedBuffer lets a test read what a running command wrote so far.
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

// start runs the command in process; the returned function waits for it
// (at most limit) and returns what it did.
func start(t *testing.T, limit time.Duration, stdin string, args ...string) func() result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	var stdout, stderr lockedBuffer
	done := make(chan result, 1)
	t0 := time.Now()
	go func() {
		code := run(ctx, args, strings.NewReader(stdin), &stdout, &stderr)
		done <- result{code: code, stdout: stdout.String(), stderr: stderr.String(), took: time.Since(t0)}
	}()
	var once sync.Once
	var r result
	wait := func() result {
		once.Do(func() {
			r = <-done
			cancel()
			t.Logf("sctpcat %s: exit %d in %v\nstdout:\n%sstderr:\n%s", strings.Join(args, " "), r.code, r.took.Round(time.Millisecond), clip(r.stdout), clip(r.stderr))
		})
		return r
	}
	t.Cleanup(func() { cancel(); wait() })
	return wait
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:1000] + "\n[…]\n" + s[len(s)-1000:]
	}
	return s
}

func sctpcat(t *testing.T, limit time.Duration, stdin string, args ...string) result {
	t.Helper()
	return start(t, limit, stdin, args...)()
}

// fast makes a failing handshake fail in well under a second.
var fast = []string{
	"-sysctl", "sctp_init_rtx_max_default=2", "-sysctl", "sctp_rto_min_default=50",
	"-sysctl", "sctp_rto_initial_default=50", "-sysctl", "sctp_init_rto_max_default=100",
}

// TestEchoServer: sctpcat talks to usrsctp's echo_server (SCTP port 7), as
// docs/tools.md shows: every line comes back, then a clean shutdown.
func TestEchoServer(t *testing.T) {
	t.Parallel()
	p := usrsctptest.FreeUDPPorts(t, 2)
	srv := usrsctptest.Start(t, "echo_server", itoa(p[0]), itoa(p[1]))
	usrsctptest.WaitListening(t, p[0], 7, 5*time.Second)

	capture := filepath.Join(t.TempDir(), "echo.pcap")
	lines := "hello\nworld\n" + strings.Repeat("x", 3000) + "\n"
	r := sctpcat(t, 10*time.Second, lines, "-udp-local", itoa(p[1]), "-dport", "7", "-n", "3", "-pcap", capture, "-stats", "127.0.0.1", itoa(p[0]))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r.stdout != lines {
		t.Errorf("stdout %q, want the lines sent back", r.stdout)
	}
	if !strings.Contains(r.stderr, "messages: sent 3, received 3,") {
		t.Errorf("-stats: want 3 messages each way in %q", r.stderr)
	}
	// The capture holds the whole association, in UDP.
	f, err := os.Open(capture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := pcap.NewReader(f, pcap.ReaderOptions{UDPPorts: []uint16{uint16(p[0]), uint16(p[1])}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		if _, err := rd.Next(); err != nil {
			break
		}
		n++
	}
	if n < 9 { // INIT, INIT ACK, COOKIE ECHO, COOKIE ACK, DATA…, SHUTDOWN, SHUTDOWN ACK, SHUTDOWN COMPLETE
		t.Errorf("capture has %d SCTP packets, want at least 9", n)
	}
	_ = srv
}

// TestEchoServerUnorderedStreamPPID: the options of the messages sent, and
// -x; echo_server answers on the same stream, with the same PPID and
// ordering.
func TestEchoServerUnorderedStreamPPID(t *testing.T) {
	t.Parallel()
	p := usrsctptest.FreeUDPPorts(t, 2)
	usrsctptest.Start(t, "echo_server", itoa(p[0]), itoa(p[1]))
	usrsctptest.WaitListening(t, p[0], 7, 5*time.Second)
	r := sctpcat(t, 10*time.Second, "a\nbb\n", "-udp-local", itoa(p[1]), "-dport", "7", "-n", "2",
		"-unordered", "-stream", "3", "-ppid", "51", "-pr-rtx", "2", "-x", "-v", "127.0.0.1", itoa(p[0]))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r.stdout != "61\n6262\n" {
		t.Errorf("stdout %q, want the hex of a and bb", r.stdout)
	}
	for _, want := range []string{"stream 3", "ppid 51", "unordered true", "DATA tsn", " U", "INIT ACK"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("-v output lacks %q", want)
		}
	}
}

// TestDiscardServer: usrsctp's discard_server (SCTP port 9) answers
// nothing; sctpcat exits once its messages are acknowledged.
func TestDiscardServer(t *testing.T) {
	t.Parallel()
	p := usrsctptest.FreeUDPPorts(t, 2)
	usrsctptest.Start(t, "discard_server", itoa(p[0]), itoa(p[1]))
	usrsctptest.WaitListening(t, p[0], 9, 5*time.Second)
	in := strings.Repeat("discard me\n", 100)
	r := sctpcat(t, 10*time.Second, in, "-udp-local", itoa(p[1]), "-dport", "9", "-q", "100ms", "-stats", "127.0.0.1", itoa(p[0]))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing", r.stdout)
	}
	if !strings.Contains(r.stderr, "messages: sent 100, received 0") {
		t.Errorf("-stats: want 100 messages sent: %s", r.stderr)
	}
	// -n bounds what is sent.
	r = sctpcat(t, 10*time.Second, in, "-udp-local", itoa(p[1]), "-dport", "9", "-n", "5", "-q", "0", "-stats", "127.0.0.1", itoa(p[0]))
	if r.code != 0 || !strings.Contains(r.stderr, "messages: sent 5,") {
		t.Fatalf("-n 5: exit %d: %s", r.code, r.stderr)
	}
}

// TestDaytimeServer: a server that talks first and closes; stdin is empty.
func TestDaytimeServer(t *testing.T) {
	t.Parallel()
	p := usrsctptest.FreeUDPPorts(t, 2)
	usrsctptest.Start(t, "daytime_server", itoa(p[0]), itoa(p[1]))
	usrsctptest.WaitListening(t, p[0], 13, 5*time.Second)
	r := sctpcat(t, 10*time.Second, "", "-udp-local", itoa(p[1]), "-dport", "13", "127.0.0.1", itoa(p[0]))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Count(r.stdout, "\n") != 1 || !strings.Contains(r.stdout, ":") {
		t.Errorf("stdout %q, want one line with the time of day", r.stdout)
	}
}

// TestUsrsctpClient: usrsctp's client talks to sctpcat -l -echo -sport 7,
// from an ephemeral SCTP port; the client shuts down, sctpcat exits 0.
func TestUsrsctpClient(t *testing.T) {
	t.Parallel()
	p := usrsctptest.FreeUDPPorts(t, 2)
	wait := start(t, 10*time.Second, "", "-l", "-echo", "-sport", "7", "-stats", itoa(p[0]))
	usrsctptest.WaitListening(t, p[0], 7, 5*time.Second)
	// client remote_addr remote_port local_port local_encaps_port remote_encaps_port
	cl := usrsctptest.StartWithStdin(t, "client", "127.0.0.1", "7", "0", itoa(p[1]), itoa(p[0]))
	if _, err := cl.Stdin.Write([]byte("hello\nworld\n")); err != nil {
		t.Fatal(err)
	}
	out, ok := cl.WaitOutput(8*time.Second, func(s string) bool { return strings.Contains(s, "hello\n") && strings.Contains(s, "world\n") })
	if !ok {
		t.Fatalf("the client did not get its lines back:\n%s", out)
	}
	cl.Stdin.Close() // the client shuts the association down
	if err := cl.Wait(8 * time.Second); err != nil {
		t.Errorf("client: %v", err)
	}
	out = cl.Output()
	if !strings.Contains(out, "SCTP_COMM_UP") || !strings.Contains(out, "SCTP_SHUTDOWN_COMP") {
		t.Errorf("client output lacks COMM_UP or SHUTDOWN_COMP:\n%s", out)
	}
	r := wait()
	if r.code != 0 {
		t.Fatalf("sctpcat -l -echo: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "messages: sent 2, received 2") {
		t.Errorf("-stats: want 2 messages each way: %s", r.stderr)
	}
}

// TestSelf: sctpcat against itself, in process, both with stdin: the
// server's lines reach the client and the other way round.
func TestSelf(t *testing.T) {
	t.Parallel()
	p := usrsctptest.FreeUDPPorts(t, 1)
	wait := start(t, 10*time.Second, "from server\n", "-l", "-q", "300ms", itoa(p[0]))
	usrsctptest.WaitListening(t, p[0], 5000, 5*time.Second)
	// Both inputs end at once; the client waits (-q 5s) for the server,
	// which shuts down once the client has been quiet for 300 ms.
	c := sctpcat(t, 10*time.Second, "one\ntwo\n", "-q", "5s", "127.0.0.1", itoa(p[0]))
	s := wait()
	if c.code != 0 || s.code != 0 {
		t.Fatalf("exit codes client %d server %d", c.code, s.code)
	}
	if c.stdout != "from server\n" || s.stdout != "one\ntwo\n" {
		t.Errorf("client got %q, server got %q", c.stdout, s.stdout)
	}
}

// TestErrors: the one-line reasons.
func TestErrors(t *testing.T) {
	t.Parallel()
	p := usrsctptest.FreeUDPPorts(t, 2)
	// Nothing listens on the UDP port.
	r := sctpcat(t, 5*time.Second, "", append(append([]string{}, fast...), "127.0.0.1", itoa(p[0]))...)
	want := "sctpcat: handshake timed out after 2 INIT retransmissions: no answer from 127.0.0.1:" + itoa(p[0]) + " (is the UDP port right?"
	if r.code != 1 || !strings.HasPrefix(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want 1 and one line starting %q", r.code, r.stderr, want)
	}
	// A server on another SCTP port than -dport answers nothing (usrsctp
	// too); sconn's answers the INIT with an ABORT.
	wait := start(t, 5*time.Second, "", "-l", "-echo", "-sport", "7", itoa(p[1]))
	usrsctptest.WaitListening(t, p[1], 7, 5*time.Second)
	r = sctpcat(t, 5*time.Second, "", append(append([]string{}, fast...), "-dport", "8", "127.0.0.1", itoa(p[1]))...)
	if r.code != 1 || !strings.Contains(r.stderr, "connection refused") || !strings.Contains(r.stderr, "(-dport)") {
		t.Errorf("wrong -dport: exit %d, stderr %q", r.code, r.stderr)
	}
	_ = wait
	// Usage errors.
	for _, args := range [][]string{{}, {"-l"}, {"-l", "1", "2"}, {"-sport", "0", "h", "1"}, {"-echo", "-discard", "-l", "1"}, {"-k", "1", "2"}} {
		if r := sctpcat(t, time.Second, "", args...); r.code != 2 || r.stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 and a reason", args, r.code, r.stderr)
		}
	}
	if r := sctpcat(t, time.Second, "", "-dport", "7", "127.0.0.1", "notaport"); r.code != 1 || !strings.Contains(r.stderr, "not a port") {
		t.Errorf("bad port: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestInterrupt: an interrupt (the context) ends a waiting server at once,
// and an established association with a graceful shutdown (exit 130 both
// times); the peer sees a clean shutdown.
func TestInterrupt(t *testing.T) {
	t.Parallel()
	p := usrsctptest.FreeUDPPorts(t, 2)
	r := sctpcat(t, 200*time.Millisecond, "", "-l", itoa(p[0]))
	if r.code != 130 || !strings.Contains(r.stderr, "interrupted") || r.took > 2*time.Second {
		t.Errorf("waiting server: exit %d after %v, stderr %q", r.code, r.took, r.stderr)
	}
	wait := start(t, 10*time.Second, "", "-l", "-echo", itoa(p[1]))
	usrsctptest.WaitListening(t, p[1], 5000, 5*time.Second)
	r = sctpcat(t, 500*time.Millisecond, "x\n", "-q", "1m", "127.0.0.1", itoa(p[1]))
	if r.code != 130 || r.stdout != "x\n" || r.took > 2*time.Second {
		t.Errorf("client: exit %d after %v, stdout %q", r.code, r.took, r.stdout)
	}
	if s := wait(); s.code != 0 {
		t.Errorf("server: exit %d, stderr %q; want a clean shutdown", s.code, s.stderr)
	}
}
