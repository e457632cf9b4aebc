// Command sctpcat is netcat for SCTP over UDP (RFC 6951), on sconn's stack.
//
//	sctpcat [flags] HOST PORT      connect to the SCTP-over-UDP peer at HOST, UDP port PORT
//	sctpcat -l [flags] PORT        listen on local UDP port PORT
//
// Lines read from stdin are sent as messages; received messages are written
// to stdout, one per line (-x: in hex). -echo and -discard make a server that
// echoes or swallows what it receives. See docs/tools.md.
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
