package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sconnlab/sconn/wire/pcap"
)

// Exit statuses.
const (
	exitOK      = 0
	exitProblem = 1 // -check found bad checksums or malformed packets
	exitError   = 2 // bad usage, or a file that cannot be read or is not a capture
)

const usageText = `usage: sctpdump [flags] FILE...

Prints one line per SCTP packet of pcap, pcapng or text2pcap dump files
(- reads standard input). SCTP is found directly over IPv4/IPv6, or inside
UDP on the -udp ports and, unless -heuristic=false, in any UDP datagram
whose payload starts with SCTP ports 5000 > 5000.

Flags:
`

// options are the command-line flags.
type options struct {
	readerOpts pcap.ReaderOptions
	json       bool
	check      bool
	quiet      bool
}

// dumper holds the state of one run.
type dumper struct {
	opts   options
	out    *bufio.Writer
	stderr io.Writer
	line   []byte
	rec    record
}

// run is the command: it parses args, dumps every file to stdout and
// reports errors on stderr, and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sctpdump", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	udp := fs.String("udp", strconv.Itoa(pcap.DefaultUDPPort),
		"comma-separated UDP `ports` that carry SCTP (RFC 6951); empty for none")
	heuristic := fs.Bool("heuristic", true,
		"also decode UDP payloads that start with SCTP ports 5000 > 5000 (mediasoup PlainTransport)")
	fs.BoolVar(&o.json, "json", false, "print one JSON object per packet")
	fs.BoolVar(&o.check, "check", false,
		"verify checksums and decode every chunk, parameter and cause; report problems on stderr and exit 1 if any")
	fs.BoolVar(&o.quiet, "q", false, "do not print the packets (with -check: only the problems and totals)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "sctpdump: no capture file given (sctpdump -h for help)")
		return exitError
	}
	ports, err := parsePorts(*udp)
	if err != nil {
		fmt.Fprintf(stderr, "sctpdump: -udp %q: %v\n", *udp, err)
		return exitError
	}
	o.readerOpts = pcap.ReaderOptions{UDPPorts: ports, NoHeuristic: !*heuristic}

	d := &dumper{opts: o, out: bufio.NewWriterSize(stdout, 64<<10), stderr: stderr}
	status := exitOK
	for _, name := range fs.Args() {
		status = max(status, d.file(name))
	}
	if err := d.out.Flush(); err != nil {
		fmt.Fprintf(stderr, "sctpdump: writing output: %v\n", err)
		return exitError
	}
	return status
}

// parsePorts parses "PORT[,PORT...]"; the empty string is an empty,
// non-nil list (no port).
func parsePorts(s string) ([]uint16, error) {
	ports := []uint16{}
	if strings.TrimSpace(s) == "" {
		return ports, nil
	}
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 16)
		if err != nil || n == 0 {
			return nil, fmt.Errorf("%q is not a UDP port (1-65535)", f)
		}
		ports = append(ports, uint16(n))
	}
	return ports, nil
}

// errorf flushes the packets printed so far, then prints a message on stderr.
func (d *dumper) errorf(format string, args ...any) {
	d.out.Flush()
	fmt.Fprintf(d.stderr, format+"\n", args...)
}

// file dumps one capture file and returns its exit status.
func (d *dumper) file(name string) int {
	var in io.Reader
	if name == "-" {
		in = os.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			d.errorf("sctpdump: %v", err)
			return exitError
		}
		defer f.Close()
		in = f
	}
	r, err := pcap.NewReader(in, d.opts.readerOpts)
	if err != nil {
		if errors.Is(err, pcap.ErrFormat) {
			d.errorf("sctpdump: %s: not a capture file (pcap, pcapng or text2pcap dump expected)", name)
		} else {
			d.errorf("sctpdump: %s: %v", name, err)
		}
		return exitError
	}
	var n, bad, zero, malformed int
	status := exitOK
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			d.errorf("sctpdump: %s: %v", name, err)
			status = exitError
			break
		}
		n++
		rec := &d.rec
		rec.file, rec.Packet = name, p
		rec.decode()
		if !d.opts.quiet {
			d.line = d.line[:0]
			if d.opts.json {
				d.line = appendJSON(d.line, rec)
			} else {
				d.line = appendText(d.line, rec)
			}
			d.line = append(d.line, '\n')
			d.out.Write(d.line)
		}
		if !d.opts.check {
			continue
		}
		switch {
		case !rec.hasHeader() || rec.checksumOK:
		case rec.zeroChecksum:
			zero++
			d.errorf("%s: frame %d: zero checksum (RFC 9653: valid only if both ends agreed to it)", name, p.Frame)
		default:
			bad++
			d.errorf("%s: frame %d: %v", name, p.Frame, rec.checksumErr)
		}
		if rec.err != nil {
			malformed++
			d.errorf("%s: frame %d: %v", name, p.Frame, rec.err)
		}
	}
	if d.opts.check {
		d.errorf("%s: %d SCTP packets, %d bad checksums, %d zero checksums, %d malformed; %d frames without SCTP",
			name, n, bad, zero, malformed, r.Skipped())
		if bad+malformed > 0 {
			status = max(status, exitProblem)
		}
	} else if n == 0 && status == exitOK {
		d.errorf("sctpdump: %s: no SCTP packets in %d frames (is it SCTP over UDP on other ports? see -udp)",
			name, r.Skipped())
	}
	return status
}
