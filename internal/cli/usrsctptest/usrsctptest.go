// Package usrsctptest runs usrsctp's example programs (Debian's
// libusrsctp-examples, in /usr/lib/usrsctp) as subprocesses for the tests of
// sconn's command-line tools: free UDP ports on loopback, readiness, output
// capture and cleanup.
package usrsctptest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sconnlab/sconn/wire"
)

// Dir is where Debian's libusrsctp-examples installs the programs.
const Dir = "/usr/lib/usrsctp"

// Program returns the path of one example program (client, echo_server,
// discard_server, daytime_server, tsctp…); the test fails when it is
// missing.
func Program(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(Dir, name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("usrsctp's example program %s is missing (%v): run make deps (it installs libusrsctp-examples)", p, err)
	}
	return p
}

var (
	portsMu sync.Mutex
	handed  = map[int]bool{}
)

// FreeUDPPorts returns n distinct UDP ports that were free (on IPv4 and
// IPv6) a moment ago and were not handed out before in this process. They
// are taken below the kernel's ephemeral range, so that the sockets other
// tests bind to port 0 meanwhile cannot take them.
func FreeUDPPorts(t testing.TB, n int) []int {
	t.Helper()
	portsMu.Lock()
	defer portsMu.Unlock()
	lo, hi := belowEphemeral()
	var ports []int
	for tries := 0; len(ports) < n; tries++ {
		if tries > 10000 {
			t.Fatalf("no free UDP port in %d-%d", lo, hi)
		}
		p := lo + rand.IntN(hi-lo)
		if handed[p] || !free(p) {
			continue
		}
		handed[p] = true
		ports = append(ports, p)
	}
	return ports
}

// belowEphemeral returns a range of ports under the kernel's ephemeral
// ports (Linux: /proc/sys/net/ipv4/ip_local_port_range).
func belowEphemeral() (lo, hi int) {
	lo, hi = 20000, 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if first, err := strconv.Atoi(f[0]); err == nil && first > 12000 {
				hi = first
				lo = max(10000, hi-15000)
			}
		}
	}
	return lo, hi
}

// free reports whether UDP port p can be bound on every address.
func free(p int) bool {
	c, err := net.ListenPacket("udp", ":"+strconv.Itoa(p))
	if err != nil {
		return false
	}
	c.Close()
	c4, err := net.ListenPacket("udp4", "127.0.0.1:"+strconv.Itoa(p))
	if err != nil {
		return false
	}
	c4.Close()
	return true
}

// WaitUDPBound waits until some socket of this host is bound to UDP port
// port (it reads /proc/net/udp and udp6), or the timeout passes.
func WaitUDPBound(t testing.TB, port int, timeout time.Duration) {
	t.Helper()
	hex := fmt.Sprintf(":%04X ", port)
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		for _, f := range []string{"/proc/net/udp", "/proc/net/udp6"} {
			b, err := os.ReadFile(f)
			if err != nil {
				time.Sleep(100 * time.Millisecond) // no /proc: give the program a moment
				return
			}
			for _, line := range strings.Split(string(b), "\n") {
				fields := strings.Fields(line)
				if len(fields) > 1 && strings.HasSuffix(fields[1]+" ", hex) {
					return
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("nothing bound UDP port %d within %v", port, timeout)
}

// Proc is a running example program.
type Proc struct {
	t      testing.TB
	name   string
	cmd    *exec.Cmd
	out    *syncBuffer
	done   chan struct{}
	err    error
	Stdin  io.WriteCloser // when started with StartWithStdin
	cancel context.CancelFunc
}

// Start starts program name with args; it is killed when the test ends.
func Start(t testing.TB, name string, args ...string) *Proc {
	return start(t, false, name, args...)
}

// StartWithStdin is Start with a pipe to the program's stdin (Proc.Stdin).
func StartWithStdin(t testing.TB, name string, args ...string) *Proc {
	return start(t, true, name, args...)
}

func start(t testing.TB, stdin bool, name string, args ...string) *Proc {
	t.Helper()
	path := Program(t, name)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, path, args...)
	p := &Proc{t: t, name: name, cmd: cmd, out: &syncBuffer{}, done: make(chan struct{}), cancel: cancel}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if stdin {
		w, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		p.Stdin = w
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting %s: %v", path, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("output of %s %s:\n%s", name, strings.Join(args, " "), p.Output())
		}
	})
	return p
}

// Kill kills the program (if it still runs) and waits for it.
func (p *Proc) Kill() {
	p.cancel()
	<-p.done
}

// Wait waits up to timeout for the program to exit by itself and returns
// its error (nil for exit status 0); the test fails on timeout.
func (p *Proc) Wait(timeout time.Duration) error {
	p.t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		p.Kill()
		p.t.Fatalf("%s did not exit within %v", p.name, timeout)
		return nil
	}
}

// Output returns what the program printed on stdout and stderr, without
// usrsctp's debug lines ("[S][…] …").
func (p *Proc) Output() string {
	var b strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(p.out.Bytes()))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "[S]") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// WaitOutput waits up to timeout for the output (as Output returns it) to
// satisfy ok.
func (p *Proc) WaitOutput(timeout time.Duration, ok func(string) bool) (string, bool) {
	deadline := time.Now().Add(timeout)
	for {
		out := p.Output()
		if ok(out) {
			return out, true
		}
		if time.Now().After(deadline) {
			return out, false
		}
		select {
		case <-p.done:
			out = p.Output()
			return out, ok(out)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Itoa is strconv.Itoa, for building argument lists.
func Itoa(i int) string { return strconv.Itoa(i) }

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers,
// capped so that a chatty program cannot fill the memory.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

const outputCap = 64 << 20

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buf.Len() < outputCap {
		s.buf.Write(p)
	}
	return len(p), nil
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.buf.Bytes()...)
}

// WaitListening waits until an SCTP endpoint listens on SCTP port sctpPort
// behind UDP port udpPort of 127.0.0.1: it sends INITs (from a throwaway
// UDP socket and SCTP port) until one is answered with an INIT ACK. The
// listener keeps no state for it (the state is in the cookie, which is never
// echoed), so the probe leaves nothing behind. usrsctp's programs bind their
// UDP port in usrsctp_init, before their socket listens: an INIT sent in
// between gets an ABORT.
func WaitListening(t testing.TB, udpPort int, sctpPort uint16, timeout time.Duration) {
	t.Helper()
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	to := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: udpPort}
	init := wire.Init{InitiateTag: 0x5eed1e55, ARwnd: 65536, OutStreams: 1, InStreams: 1, InitialTSN: 1}
	pkt := wire.AppendHeader(nil, wire.Header{SrcPort: 4242, DstPort: sctpPort})
	pkt = init.Append(pkt)
	pkt = wire.FinishPacket(pkt, false)
	deadline := time.Now().Add(timeout)
	buf := make([]byte, 2048)
	for time.Now().Before(deadline) {
		if _, err := c.WriteTo(pkt, to); err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
		for {
			n, _, err := c.ReadFrom(buf)
			if err != nil {
				break
			}
			if n > 12 && buf[12] == byte(wire.ChunkInitAck) {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no SCTP listener on SCTP port %d behind UDP port %d within %v", sctpPort, udpPort, timeout)
}
