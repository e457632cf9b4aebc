// Package drill is a clean-room interpreter of packetdrill's SCTP script
// dialect, as the ETSI TS 102 369 conformance scripts use it, driving
// sconn's stack in process and on virtual time.
//
// A script is a list of events, each with a time:
//
//	--tolerance_usecs=10000                      header options
//	 0.0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3
//	+0.0 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0
//	+0.1 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
//	+0.0 > sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=0, ...]
//	+0.0 < sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=1500, os=1, is=1, tsn=3, STATE_COOKIE[len=4, val=...]]
//	*    > sctp: COOKIE_ECHO[flgs=0, len=4, val=...]
//	 0.0 `sysctl -i net.inet.sctp.ecn_enable=0`
//
// Times are absolute (0.5), relative to the previous event (+0.1), ranges
// (0.1~0.3) or any time (*). "<" lines are packets injected into the stack,
// ">" lines packets the stack must send, in order, within the tolerance;
// system calls map onto conn.Socket and their results (and errno) are
// checked. #ifdef blocks take the FreeBSD branch by default (usrsctp is the
// FreeBSD stack). Parse reads a script; RunScript and RunFile run one.
//
// # Symbolic values
//
// The script names the stack's verification tag and initial TSN in the
// first INIT or INIT ACK it expects ("tag=1, tsn=0"); from then on the
// interpreter translates: injected packets carry the live tag, the stack's
// TSNs in expected DATA chunks and in injected SACK and SHUTDOWN chunks are
// counted from the named initial TSN, and an injected COOKIE_ECHO with
// val=... carries the State Cookie of the last INIT ACK the stack sent. The
// peer's tags and TSNs are used as written. "sctp(tag=N)" sets an injected
// packet's verification tag as is. A T bit (flgs=T) on an injected ABORT or
// SHUTDOWN_COMPLETE reflects the peer's own tag; on an expected one the tag
// must be the one the last injected packet carried. An injected
// HEARTBEAT_ACK with HEARTBEAT_INFORMATION[val=...] echoes the information
// of the last HEARTBEAT the stack sent. See liveState for the details.
//
// Besides tag=N and bad_crc32c, two packet options serve sconn's own
// scripts: "sctp(local_tag)" injects with the stack's own tag even with the
// T bit (which alone would reflect the peer's), and "sctp(zero_crc32c)"
// injects with a checksum of zero (RFC 9653).
//
// # Matching
//
// Every field written in an expected packet is compared; fields left out
// or written "..." are not. A "..." among the parameters or error causes
// of a chunk stands for any number of them; without it the list must match
// exactly, in order. A failure names the line, the chunk and field, and
// prints the expected line and the packet sent in script syntax.
//
// # Differences from packetdrill
//
// System calls run to completion at once on virtual time: a blocking
// call that would wait (a blocking connect, or a read with nothing to read)
// fails instead of blocking, and start...end time ranges of blocking calls
// are not supported. Multi-homing (sctp_connectx, sctp_bindx) is not
// available over sconn's single-path AF_CONN transport. Constructs the
// interpreter does not handle fail with an error whose message starts with
// "unsupported: " and names the line; nothing panics.
//
// # Scripts
//
// TestETSISuite runs the ETSI TS 102 369 suite (docs/conformance.md).
// testdata/sconn holds sconn's own scripts, for what that suite does not
// cover (RFC 9260 changes, restart, heartbeats, partial delivery; listed in
// docs/conformance-sconn.md); TestSconnScripts runs them. A script with a
// NAME.exfail marker beside it is expected to fail; the marker names the
// reason. Run them by hand with
//
//	go run ./cmd/sctpdrill drill/testdata/sconn/*.pkt
//	go run ./cmd/sctpdrill -v drill/testdata/sconn/heartbeat-idle.pkt
package drill
