// Package sconnusrsctp holds the interop tests of sconn (package conn)
// against usrsctp 0.9.5, both in this process: sconn runs on
// interop/sconnpeer, usrsctp through the cgo binding interop/usrsctp in
// AF_CONN mode, and their packets cross an interop/pipe link where every
// packet is checked and counted with package wire (sconnpeer.Tap).
//
// Every pair test runs with sconn as client and as server; some also in
// both of sconn's self-driven timer modes. The matrix, its results and the
// bugs found are in docs/interop.md. Tests named TestBug_… reproduce a bug
// of sconn and fail until it is fixed.
package sconnusrsctp
