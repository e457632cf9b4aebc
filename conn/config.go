package conn

import (
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn/assoc"
	"github.com/sconnlab/sconn/sysctl"
	"github.com/sconnlab/sconn/wire"
)

// TimerMode says who drives the stack's timers.
type TimerMode uint8

const (
	// TimersGoroutine starts one goroutine per stack that sleeps until the
	// earliest deadline of the stack's timer heap (usrsctp_init). The
	// stack reads the wall clock (time.Now).
	TimersGoroutine TimerMode = iota
	// TimersManual starts no goroutine (usrsctp_init_nothreads): the host
	// calls Stack.HandleTimers(now) at Stack.NextTimeout() or earlier. The
	// stack never reads the wall clock: its time is Config.Clock(), or the
	// latest now passed to HandleTimers, so it runs on virtual time.
	TimersManual
)

// String returns "goroutine" or "manual".
func (m TimerMode) String() string {
	if m == TimersManual {
		return "manual"
	}
	return "goroutine"
}

// OutputFunc sends one SCTP packet to the transport identified by h
// (usrsctp's conn_output). pkt is valid only during the call: copy it to
// keep it. tos is the IP TOS byte usrsctp would use (0: the engine sets no
// ECN codepoint) and df the don't-fragment wish. The stack holds no lock
// during the call, so the function may call back into the stack (ConnInput
// of another stack, SendV…). A returned error is counted in
// StackStats.OutputErrors and otherwise treated as a lost packet.
type OutputFunc func(h Handle, pkt []byte, tos uint8, df bool) error

// TracerFunc observes every datagram the stack receives (wire.Inbound,
// before any check) and every packet it sends (wire.Outbound, just before
// Output). pkt is valid only during the call. It is called with no lock
// held, possibly from several goroutines at once. See NewTextTracer and
// NewPcapTracer for ready-made tracers.
type TracerFunc func(dir wire.Direction, h Handle, pkt []byte)

// Config configures a Stack. Only Output is required.
type Config struct {
	// Output sends packets (required).
	Output OutputFunc
	// LoggerFactory makes the stack's loggers: scope "sctp:conn" for the
	// stack (drops, demultiplexing) and "sctp" for association events.
	// nil means logging.NewDefaultLoggerFactory() (set PION_LOG_DEBUG=sctp:conn
	// and similar to see more).
	LoggerFactory logging.LoggerFactory
	// Sysctl holds the usrsctp tunables; the zero value means
	// sysctl.Defaults(). They set the defaults of every socket, which
	// socket options override.
	Sysctl sysctl.Values
	// Timers selects who drives the timers (default TimersGoroutine).
	Timers TimerMode
	// Clock, in TimersManual mode only, gives the stack's current time
	// (a virtual clock in tests). nil means: the latest now passed to
	// HandleTimers. Ignored in TimersGoroutine mode, which uses time.Now.
	Clock func() time.Time
	// Rand supplies verification tags, TSNs and cookie secrets; nil means
	// assoc.CryptoRand. It must be safe for concurrent use.
	Rand assoc.Rand
	// Tracer, when set, sees every packet in and out.
	Tracer TracerFunc
}

// stackConfig is the normalised configuration and what is derived from it.
type stackConfig struct {
	Config
	assoc assoc.Config // the association defaults from Sysctl
}

func (c Config) normalize() (stackConfig, error) {
	if c.Output == nil {
		return stackConfig{}, errorf(ErrInvalidArgument, "Config.Output is required")
	}
	if c.Timers != TimersGoroutine && c.Timers != TimersManual {
		return stackConfig{}, errorf(ErrInvalidArgument, "unknown timer mode")
	}
	if c.Sysctl == (sysctl.Values{}) {
		c.Sysctl = sysctl.Defaults()
	}
	if c.LoggerFactory == nil {
		c.LoggerFactory = logging.NewDefaultLoggerFactory()
	}
	if c.Rand == nil {
		c.Rand = assoc.CryptoRand{}
	}
	return stackConfig{Config: c, assoc: assoc.ConfigFromSysctl(&c.Sysctl)}, nil
}
