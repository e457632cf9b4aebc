package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/sconnlab/sconn"
	"github.com/sconnlab/sconn/conn/conntest"
)

// pairResult is what part 1 reports.
type pairResult struct {
	link       conntest.LinkConfig
	flows      [2]*flow
	ab, ba     conntest.LinkStats
	dropA      string
	dropB      string
	took       time.Duration
	assocStats [2]string
}

// runPair joins two stacks by a conntest link with loss, corruption,
// duplication and reordering, and exchanges messages through the facade.
func runPair(ctx context.Context, w io.Writer, o options) (*pairResult, error) {
	lc := conntest.LinkConfig{Loss: o.Loss, Delay: 5 * time.Millisecond, Jitter: 2 * time.Millisecond,
		Reorder: 0.01, Duplicate: 0.01, Corrupt: 0.005}
	fmt.Fprintf(w, "part 1: stacks A and B joined by an in-memory link (conntest): %.0f%% loss, 5 ms ±2 ms delay, "+
		"1%% reordered, 1%% duplicated, 0.5%% corrupted\n", o.Loss*100)
	p, err := conntest.NewPair(conntest.PairConfig{Config: conntest.Config{Seed: 2025, LoggerFactory: quietLogs{}}, Link: lc})
	if err != nil {
		return nil, err
	}
	defer p.Close()
	start := time.Now()
	ln, err := sconn.Listen(p.B, p.HandleB, nil)
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	type res struct {
		a   *sconn.Association
		err error
	}
	acc := make(chan res, 1)
	go func() {
		a, err := ln.Accept(ctx)
		acc <- res{a, err}
	}()
	cli, err := sconn.Dial(ctx, p.A, p.HandleA, nil)
	if err != nil {
		return nil, err
	}
	defer cli.Abort()
	r := <-acc
	if r.err != nil {
		return nil, r.err
	}
	srv := r.a
	defer srv.Abort()
	fmt.Fprintf(w, "  association up (%v ↔ %v)\n", cli.LocalAddr(), srv.LocalAddr())
	extra := func() string {
		st, _ := cli.Stats()
		return fmt.Sprintf("%d packets lost on the link, %d chunks retransmitted by A",
			p.AtoB.Stats().Lost+p.BtoA.Stats().Lost, st.RtxChunks)
	}
	flows, err := exchange(ctx, w, o, "pair", cli, srv, extra)
	if err != nil {
		return nil, err
	}
	res2 := &pairResult{link: lc, flows: flows, ab: p.AtoB.Stats(), ba: p.BtoA.Stats(),
		dropA: dropLine(p.A), dropB: dropLine(p.B), took: time.Since(start),
		assocStats: [2]string{assocLine(cli), assocLine(srv)}}
	return res2, nil
}

func (r *pairResult) print(w io.Writer) {
	fmt.Fprintf(w, "== part 1: in-memory pair (%v) ==\n", r.took.Round(time.Millisecond))
	for _, f := range r.flows {
		fmt.Fprintf(w, "  %s: %d messages sent, %d received exactly once and in order (%d bytes)\n",
			f.name, f.sent.Load(), f.recv.Load(), f.bytes.Load())
	}
	for _, l := range []struct {
		name string
		s    conntest.LinkStats
	}{{"A→B", r.ab}, {"B→A", r.ba}} {
		fmt.Fprintf(w, "  link %s: %d packets, %d lost, %d corrupted, %d duplicated, %d reordered\n",
			l.name, l.s.Sent, l.s.Lost, l.s.Corrupted, l.s.Duplicated, l.s.Reordered)
	}
	fmt.Fprintf(w, "  association A: %s\n", r.assocStats[0])
	fmt.Fprintf(w, "  association B: %s\n", r.assocStats[1])
	fmt.Fprintf(w, "  drops at stack A: %s\n", r.dropA)
	fmt.Fprintf(w, "  drops at stack B: %s\n", r.dropB)
}
