package sconn

import (
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn/conn"
)

// DefaultPort is the SCTP port of both ends unless configured: WebRTC's and
// mediasoup's 5000.
const DefaultPort = 5000

// Config configures an association made by the facade. The zero value
// (or a nil *Config) gives WebRTC's settings.
type Config struct {
	// Port is the local SCTP port and RemotePort the peer's
	// (0: DefaultPort).
	Port, RemotePort uint16
	// Streams is the number of outbound streams asked for and of inbound
	// streams accepted (0: 1024). The peer may grant fewer.
	Streams uint16
	// SendBufferSize is the send buffer (SO_SNDBUF, 0: the stack's
	// default): Write blocks while it is full.
	SendBufferSize int
	// ReceiveBufferSize is the receive window announced to the peer
	// (SO_RCVBUF, 0: the stack's default).
	ReceiveBufferSize int
	// ReadBufferSize bounds the received bytes the facade holds for
	// unread streams (0: 1 MiB). When full it stops reading the socket,
	// and the peer is slowed down by the receive window.
	ReadBufferSize int
	// LowWater is the buffered amount at which the stack wakes blocked
	// writers and checks the OnBufferedAmountLow callbacks (0: half the
	// send buffer).
	LowWater int
	// Nagle turns on the bundling delay of small messages (off by
	// default, as in WebRTC).
	Nagle bool
	// LingerTimeout bounds how long Close waits for the graceful shutdown
	// of an association that owns its stack (Client, Server; 0: 2 s).
	LingerTimeout time.Duration
	// LoggerFactory is used by the stacks the facade creates (Client,
	// Server; nil: pion's default).
	LoggerFactory logging.LoggerFactory
	// Stack, when set, may change the configuration of the stacks the
	// facade creates (Sysctl, Tracer, Timers…); Output is the facade's.
	Stack func(*conn.Config)
}

const (
	defaultStreams        = 1024
	defaultReadBufferSize = 1 << 20
	defaultLinger         = 2 * time.Second
)

// withDefaults returns a copy of c with the zero fields set.
func (c *Config) withDefaults() Config {
	var v Config
	if c != nil {
		v = *c
	}
	if v.Port == 0 {
		v.Port = DefaultPort
	}
	if v.RemotePort == 0 {
		v.RemotePort = v.Port
	}
	if v.Streams == 0 {
		v.Streams = defaultStreams
	}
	if v.ReadBufferSize <= 0 {
		v.ReadBufferSize = defaultReadBufferSize
	}
	if v.LingerTimeout <= 0 {
		v.LingerTimeout = defaultLinger
	}
	return v
}

// socketOptions applies c to a new socket, before Connect or Listen.
func (c *Config) socketOptions(s *conn.Socket) error {
	opts := []conn.SettableOption{
		conn.RecvRcvInfo(true),
		conn.NoDelay(!c.Nagle),
		conn.InitMsg{NumOStreams: c.Streams, MaxInStreams: c.Streams},
		conn.Event{Type: conn.NotifyAssocChange, On: true},
		conn.Event{Type: conn.NotifySenderDry, On: true},
	}
	if c.SendBufferSize > 0 {
		opts = append(opts, conn.SndBuf(c.SendBufferSize))
	}
	if c.ReceiveBufferSize > 0 {
		opts = append(opts, conn.RcvBuf(c.ReceiveBufferSize))
	}
	for _, o := range opts {
		if err := s.SetOption(o); err != nil {
			return err
		}
	}
	return nil
}

// sendThreshold returns the socket's sb_threshold: free space at which the
// send upcall runs, for a send buffer of size sndBuf.
func (c *Config) sendThreshold(sndBuf int) int {
	low := c.LowWater
	if low <= 0 || low >= sndBuf {
		low = sndBuf / 2
	}
	return sndBuf - low
}

// sndBufFor returns the send buffer the sockets of st get with c: the
// configured one, or the stack's default (read from a probe socket, since
// the upcall threshold must be known when the socket is created).
func (c *Config) sndBufFor(st *conn.Stack) (int, error) {
	if c.SendBufferSize > 0 {
		return c.SendBufferSize, nil
	}
	s, err := st.Socket(conn.OneToOne, conn.Upcalls{})
	if err != nil {
		return 0, err
	}
	defer s.Close()
	var sb conn.SndBuf
	if err := s.GetOption(&sb); err != nil {
		return 0, err
	}
	return int(sb), nil
}
