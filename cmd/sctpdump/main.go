// Command sctpdump prints the SCTP packets of pcap, pcapng and text2pcap
// captures, one line (or one JSON object) per packet, and with -check
// verifies their checksums and encoding. See docs/sctpdump.md.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
