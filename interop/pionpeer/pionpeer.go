// Package pionpeer runs pion/sctp associations in process over an
// in-memory datagram link (package pipe), as a reference peer for sconn and
// for the usrsctp binding: client and server set-up, streams with a PPID
// and ordered or unordered delivery, and a sender paced by pion's buffered
// amount with its low-threshold callback.
package pionpeer

import (
	"context"
	"errors"
	"net"

	"github.com/pion/logging"
	"github.com/pion/sctp"

	"github.com/sconnlab/sconn/interop/pipe"
)

// Config is the part of pion's association configuration the peers use.
// Zero fields keep pion's defaults.
type Config struct {
	// Name prefixes pion's log lines.
	Name string
	// MaxReceiveBufferSize is the receive window (pion default 1 MiB).
	MaxReceiveBufferSize uint32
	// MaxMessageSize caps what a stream may write (pion default 64 KiB).
	MaxMessageSize uint32
	// MTU of outbound packets (pion v1.12 default 1191).
	MTU uint32
	// LoggerFactory defaults to pion's logger at level error, so that
	// benchmarks and tests stay quiet.
	LoggerFactory logging.LoggerFactory
	// ZeroChecksum announces Zero Checksum Acceptable (RFC 9653) and
	// Interleaving announces I-DATA (RFC 8260); pion uses each only when
	// the peer announces it too.
	ZeroChecksum, Interleaving bool
}

func (c Config) options(conn net.Conn) []sctp.AssociationOption {
	lf := c.LoggerFactory
	if lf == nil {
		lf = quietLoggers()
	}
	opts := []sctp.AssociationOption{sctp.WithNetConn(conn), sctp.WithLoggerFactory(lf)}
	if c.Name != "" {
		opts = append(opts, sctp.WithName(c.Name))
	}
	if c.MaxReceiveBufferSize != 0 {
		opts = append(opts, sctp.WithMaxReceiveBufferSize(c.MaxReceiveBufferSize))
	}
	if c.MaxMessageSize != 0 {
		opts = append(opts, sctp.WithMaxMessageSize(c.MaxMessageSize))
	}
	if c.MTU != 0 {
		opts = append(opts, sctp.WithMTU(c.MTU))
	}
	if c.ZeroChecksum {
		opts = append(opts, sctp.WithEnableZeroChecksum(true))
	}
	if c.Interleaving {
		opts = append(opts, sctp.WithEnableInterleaving(true))
	}
	return opts
}

// Client starts an association as the client over conn (pion uses SCTP
// port 5000 on both sides) and waits for the handshake.
func Client(ctx context.Context, conn net.Conn, cfg Config) (*sctp.Association, error) {
	opts := cfg.options(conn)
	cos := make([]sctp.ClientOption, len(opts))
	for i, o := range opts {
		cos[i] = o
	}
	return sctp.ClientContext(ctx, cos...)
}

// Server answers an association over conn and waits for the handshake. If
// ctx ends first, conn is closed to stop pion and ctx's error is returned.
func Server(ctx context.Context, conn net.Conn, cfg Config) (*sctp.Association, error) {
	opts := cfg.options(conn)
	sos := make([]sctp.ServerOption, len(opts))
	for i, o := range opts {
		sos[i] = o
	}
	type result struct {
		a   *sctp.Association
		err error
	}
	ch := make(chan result, 1)
	go func() {
		a, err := sctp.ServerWithOptions(sos...)
		ch <- result{a, err}
	}()
	select {
	case r := <-ch:
		return r.a, r.err
	case <-ctx.Done():
		_ = conn.Close()
		if r := <-ch; r.a != nil {
			_ = r.a.Close()
		}
		return nil, ctx.Err()
	}
}

// Pair is a connected client and server over one pipe.
type Pair struct {
	Client, Server *sctp.Association
	// ConnA is the client's end of the pipe, ConnB the server's.
	ConnA, ConnB *pipe.Conn
}

// NewPair connects a pion client and a pion server over a new pipe made
// with opts.
func NewPair(ctx context.Context, opts pipe.Options, client, server Config) (*Pair, error) {
	ca, cb := pipe.New(opts)
	p := &Pair{ConnA: ca, ConnB: cb}
	srv := make(chan error, 1)
	go func() {
		var err error
		p.Server, err = Server(ctx, cb, server)
		srv <- err
	}()
	var err error
	p.Client, err = Client(ctx, ca, client)
	if err != nil {
		_ = ca.Close()
		_ = cb.Close()
		<-srv
		return nil, err
	}
	if err := <-srv; err != nil {
		_ = p.Client.Close()
		return nil, err
	}
	return p, nil
}

// Close closes both associations (no SHUTDOWN exchange) and the pipe.
func (p *Pair) Close() error {
	err := errors.Join(p.Client.Close(), p.Server.Close())
	_ = p.ConnA.Close()
	_ = p.ConnB.Close()
	return err
}

// OpenStream opens stream sid on a with a default PPID, reliable, ordered
// or unordered. The peer sees the stream with AcceptStream once data
// arrives on it.
func OpenStream(a *sctp.Association, sid uint16, ppid sctp.PayloadProtocolIdentifier, unordered bool) (*sctp.Stream, error) {
	s, err := a.OpenStream(sid, ppid)
	if err != nil {
		return nil, err
	}
	s.SetReliabilityParams(unordered, sctp.ReliabilityTypeReliable, 0)
	return s, nil
}
