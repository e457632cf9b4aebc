// Package sconnpion holds the interop tests of sconn (package conn)
// against pion/sctp v1.12.1, both in this process over an interop/pipe
// link (pion on one end as a net.Conn, sconn on the other through
// interop/sconnpeer), every packet checked and counted with package wire.
// pion uses SCTP port 5000 on both sides. The matrix and its results are
// in docs/interop.md.
package sconnpion
