package pionpeer

import (
	"context"

	"github.com/pion/sctp"
)

// Sender writes to a pion stream paced by its buffered amount, the way a
// WebRTC application paces a data channel: it writes while less than High
// bytes are buffered and otherwise waits for pion's OnBufferedAmountLow
// callback (threshold Low). pion's own writes never block.
type Sender struct {
	Stream    *sctp.Stream
	High, Low uint64
	low       chan struct{}
}

// NewSender sets the stream's low threshold and callback and returns the
// Sender. High must be greater than Low.
func NewSender(s *sctp.Stream, high, low uint64) *Sender {
	w := &Sender{Stream: s, High: high, Low: low, low: make(chan struct{}, 1)}
	s.SetBufferedAmountLowThreshold(low)
	s.OnBufferedAmountLow(func() {
		select {
		case w.low <- struct{}{}:
		default:
		}
	})
	return w
}

// Write queues one message with the given PPID, first waiting (until ctx
// ends) while High bytes or more are buffered.
func (w *Sender) Write(ctx context.Context, p []byte, ppid sctp.PayloadProtocolIdentifier) error {
	for w.Stream.BufferedAmount() >= w.High {
		select {
		case <-w.low:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	_, err := w.Stream.WriteSCTP(p, ppid)
	return err
}

// Drain waits until nothing is buffered on the stream any more (every
// byte acknowledged) or ctx ends.
func (w *Sender) Drain(ctx context.Context) error {
	for w.Stream.BufferedAmount() > w.Low {
		select {
		case <-w.low:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
