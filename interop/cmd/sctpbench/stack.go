package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Stack is one SCTP implementation under test. Every stack runs in this
// process over in-memory datagram links (package pipe, or a stack's own
// equivalent that is just as cheap), so the numbers compare the stacks, not
// the networks.
type Stack interface {
	// Name is what -stacks selects and what results report.
	Name() string
	// Pair connects one client and one server association, both sides
	// configured like a WebRTC data channel host would: 1 MiB send and
	// receive buffers, no Nagle delay, at least 16 streams.
	Pair(ctx context.Context, cfg PairConfig) (Pair, error)
	// Associations establishes n client/server pairs that then stay idle
	// (2n associations in total), at most parallel handshakes at a time,
	// sharing links where the stack can demultiplex. Closing the result
	// tears them all down.
	Associations(ctx context.Context, n, parallel int) (io.Closer, error)
}

// PairConfig says where a pair delivers what it receives.
type PairConfig struct {
	// OnClient and OnServer get every complete message the client or the
	// server receives; data is only valid during the call. They may be
	// called from any goroutine or thread, concurrently for different
	// streams. They may call Send for a small reply (the latency case does),
	// but must not wait for buffer space.
	OnClient, OnServer func(sid uint16, data []byte)
	// NoDelay turns Nagle's algorithm off (SCTP_NODELAY), as the latency
	// case does. The throughput cases leave it on, sconn's default for
	// bulk transfer, so small messages are bundled into full packets while
	// data is in flight; usrsctp runs with NODELAY always (faster for it
	// here); pion/sctp has no Nagle and bundles through its write loop.
	NoDelay bool
}

// Pair is a connected client/server pair.
type Pair interface {
	Client() Conn
	Server() Conn
	// Close tears the pair down without waiting for a graceful shutdown.
	Close() error
}

// Conn is one side of a Pair.
type Conn interface {
	// Send queues one message on stream sid (PPID 53, WebRTC binary),
	// reliable, ordered or not. The sender is paced by the buffered amount:
	// Send waits while the stack's send buffer for the stream or
	// association is full (pion: 1 MiB per stream, low threshold 512 KiB;
	// usrsctp: SO_SNDBUF 1 MiB), and never drops.
	Send(ctx context.Context, sid uint16, unordered bool, msg []byte) error
}

// stacks lists every stack sctpbench knows, in output order.
var stacks = []Stack{
	sconnStack{}, // stack_sconn.go: package conn over interop/sconnpeer
	pionStack{},
	usrsctpStack{},
}

// selectStacks returns the stacks named in a comma-separated list ("" or
// "all" for every registered stack).
func selectStacks(list string) ([]Stack, error) {
	if list == "" || list == "all" {
		return stacks, nil
	}
	var out []Stack
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		var found Stack
		for _, s := range stacks {
			if s.Name() == name {
				found = s
			}
		}
		switch {
		case found != nil:
			out = append(out, found)
		default:
			return nil, fmt.Errorf("unknown stack %q (known: %s)", name, knownStacks())
		}
	}
	return out, nil
}

func knownStacks() string {
	var names []string
	for _, s := range stacks {
		names = append(names, s.Name())
	}
	return strings.Join(names, ", ")
}
