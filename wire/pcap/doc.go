// Package pcap reads and writes capture files of SCTP packets.
//
// A Reader extracts SCTP packets (from the common header onwards) from
//
//   - classic pcap files in either byte order, with microsecond or nanosecond
//     timestamps (and the rare "modified" pcap variant);
//   - pcapng files: any number of sections in either byte order, interface
//     description blocks with if_tsresol and if_tsoffset, enhanced, simple and
//     obsolete packet blocks; other blocks are skipped;
//   - usrsctp's text2pcap text dumps, the lines usrsctp_dumppacket and
//     wire.Dump print ("O 13:04:05.000123 0000 13 88 ... # SCTP_PACKET").
//
// The link types understood are Ethernet (with 802.1Q/802.1ad VLAN tags),
// raw IP (101, and 12 and 14 as some systems write it), IPv4 (228), IPv6
// (229), Linux cooked capture v1 (113) and v2 (276), BSD null and OpenBSD
// loopback (0 and 108, address family in either byte order) and raw SCTP
// (248, what "text2pcap -l 248" produces from usrsctp dumps). SCTP is found
// directly over IPv4 or IPv6 (protocol 132) or encapsulated in UDP (RFC 6951)
// on configurable ports. Frames that carry no SCTP are skipped and counted.
//
// A Writer produces classic pcap files that Wireshark and tshark decode,
// wrapping each SCTP packet in synthesized IPv4 or IPv6 (and optionally UDP
// and Ethernet) headers so that the two directions of an association appear
// as two hosts.
package pcap
