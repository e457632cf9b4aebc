// Command sctpperf measures SCTP-over-UDP throughput with sconn's stack; it
// interoperates with usrsctp's tsctp in both directions (same roles, message
// flow and summary lines; tsctp's SCTP port 5001 is the default).
//
//	sctpperf -l [flags] PORT      serve on local UDP port PORT: receive and report
//	sctpperf [flags] HOST PORT    send to the peer at HOST, UDP port PORT
//
// See docs/tools.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
