package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn"
	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/conn/conntest"
)

// options says how much the demo does.
type options struct {
	Messages int           // messages each way, per part
	Loss     float64       // loss of the in-memory link
	RTP      int           // fake RTP packets on the UDP port
	Timeout  time.Duration // the whole demo
	Progress time.Duration // interval of the progress lines
}

func defaultOptions() options {
	return options{Messages: 400, Loss: 0.05, RTP: 200, Timeout: 25 * time.Second, Progress: 250 * time.Millisecond}
}

// quietLogs keeps the stacks' warnings off the demo's output: the drops
// they report are in the summary.
type quietLogs struct{}

func (quietLogs) NewLogger(scope string) logging.LeveledLogger {
	return logging.NewDefaultLeveledLoggerForScope(scope, logging.LogLevelError, io.Discard)
}

// flow counts the messages of one direction.
type flow struct {
	name       string
	sent, recv atomic.Int64
	bytes      atomic.Int64
	chk        *conntest.Checker
}

// run runs both parts and prints the summary.
func run(ctx context.Context, w io.Writer, o options) error {
	fmt.Fprintf(w, "sconn demo: %d messages each way over a lossy in-memory link, then over SCTP/UDP beside RTP\n\n", o.Messages)
	p, err := runPair(ctx, w, o)
	if err != nil {
		return fmt.Errorf("in-memory pair: %w", err)
	}
	u, err := runUDP(ctx, w, o)
	if err != nil {
		return fmt.Errorf("udp: %w", err)
	}
	fmt.Fprintln(w)
	p.print(w)
	u.print(w)
	return nil
}

// exchange sends o.Messages each way between two associations on two
// streams (one ordered, one unordered) and checks them, printing progress.
func exchange(ctx context.Context, w io.Writer, o options, label string, a, b *sconn.Association, extra func() string) ([2]*flow, error) {
	ab := &flow{name: "client→server", chk: conntest.NewChecker()}
	ba := &flow{name: "server→client", chk: conntest.NewChecker()}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 8)
	var wg sync.WaitGroup
	n2 := o.Messages / 4
	n1 := o.Messages - n2
	open := func(as *sconn.Association, peer *flow) (s1, s2 *sconn.Stream, err error) {
		if s1, err = as.OpenStream(); err != nil {
			return nil, nil, err
		}
		if s2, err = as.OpenStream(); err != nil {
			return nil, nil, err
		}
		s2.SetUnordered(true)
		peer.chk.Expect(s1.ID(), n1, true)
		peer.chk.Expect(s2.ID(), n2, false)
		return s1, s2, nil
	}
	send := func(s1, s2 *sconn.Stream, f *flow) {
		defer wg.Done()
		for i := 0; i < o.Messages; i++ {
			s, seq := s1, uint32(i-i/4)
			if i%4 == 3 {
				s, seq = s2, uint32(i/4)
			}
			m := conntest.Message(s.ID(), seq, 64+(i*7919)%3000)
			if _, err := s.WriteContext(ctx, m); err != nil {
				errc <- err
				return
			}
			f.sent.Add(1)
		}
	}
	a1, a2, err := open(a, ab)
	if err != nil {
		return [2]*flow{ab, ba}, err
	}
	b1, b2, err := open(b, ba)
	if err != nil {
		return [2]*flow{ab, ba}, err
	}
	recv := func(as *sconn.Association, f *flow) {
		defer wg.Done()
		fctx, fcancel := context.WithCancel(ctx)
		fail := func(err error) {
			if !f.chk.Done() {
				errc <- err
			}
			fcancel()
		}
		for k := 0; k < 2; k++ {
			s, err := as.AcceptStream(fctx)
			if err != nil {
				fail(err)
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					m, _, err := s.ReadMessage(fctx)
					if err != nil {
						fail(err)
						return
					}
					f.chk.Receive(s.ID(), m)
					f.recv.Add(1)
					f.bytes.Add(int64(len(m)))
					if f.chk.Done() {
						fcancel()
						return
					}
				}
			}()
		}
	}
	wg.Add(4)
	go send(a1, a2, ab)
	go send(b1, b2, ba)
	go recv(b, ab)
	go recv(a, ba)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(o.Progress)
	defer tick.Stop()
	for {
		select {
		case <-done:
			fmt.Fprintf(w, "  [%s] done: %s\n", label, progress(ab, ba, extra))
			for _, f := range []*flow{ab, ba} {
				if err := f.chk.Check(); err != nil {
					return [2]*flow{ab, ba}, err
				}
			}
			return [2]*flow{ab, ba}, nil
		case err := <-errc:
			return [2]*flow{ab, ba}, err
		case <-tick.C:
			fmt.Fprintf(w, "  [%s] %s\n", label, progress(ab, ba, extra))
		case <-ctx.Done():
			return [2]*flow{ab, ba}, fmt.Errorf("%w after %s", ctx.Err(), progress(ab, ba, extra))
		}
	}
}

func progress(ab, ba *flow, extra func() string) string {
	s := fmt.Sprintf("client→server %d/%d received, server→client %d/%d received",
		ab.recv.Load(), ab.sent.Load(), ba.recv.Load(), ba.sent.Load())
	if extra != nil {
		s += ", " + extra()
	}
	return s
}

// dropLine formats a stack's drop counters with their reasons.
func dropLine(st *conn.Stack) string {
	d := st.Drops()
	if len(d) == 0 {
		return "none"
	}
	var parts []string
	for r, n := range d {
		parts = append(parts, fmt.Sprintf("%d %v", n, r))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// assocLine formats an association's counters.
func assocLine(a *sconn.Association) string {
	st, err := a.Stats()
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return fmt.Sprintf("%d packets out, %d in, %d DATA chunks retransmitted, %d duplicate chunks received, %d SACKs sent",
		st.OPackets, st.IPackets, st.RtxChunks, st.IDupChunks, st.OSacks)
}
