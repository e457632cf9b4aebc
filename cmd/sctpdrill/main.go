// Command sctpdrill runs packetdrill SCTP scripts against sconn's stack, in
// process and on virtual time: the ETSI suite (docs/conformance.md) and
// sconn's own scripts in drill/testdata/sconn (docs/conformance-sconn.md).
//
//	sctpdrill [-v] [-report FILE.md] [-notes FILE] FILE.pkt...
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
