package pionpeer

import (
	"github.com/pion/datachannel"
	"github.com/pion/logging"
	"github.com/pion/sctp"
)

// quietLoggers is pion's logger factory at level error.
func quietLoggers() logging.LoggerFactory {
	f := logging.NewDefaultLoggerFactory()
	f.DefaultLogLevel = logging.LogLevelError
	return f
}

// OpenChannel opens a WebRTC data channel (DCEP, RFC 8832) on stream sid
// of a with pion/datachannel: it sends DATA_CHANNEL_OPEN (PPID 50) and
// returns without waiting for the peer's DATA_CHANNEL_ACK. A zero cfg
// LoggerFactory is replaced by a quiet one.
func OpenChannel(a *sctp.Association, sid uint16, cfg datachannel.Config) (*datachannel.DataChannel, error) {
	if cfg.LoggerFactory == nil {
		cfg.LoggerFactory = quietLoggers()
	}
	return datachannel.Dial(a, sid, &cfg)
}

// AcceptChannel waits for the peer's DATA_CHANNEL_OPEN on a new stream of
// a, answers it with DATA_CHANNEL_ACK and returns the channel.
func AcceptChannel(a *sctp.Association) (*datachannel.DataChannel, error) {
	return datachannel.Accept(a, &datachannel.Config{LoggerFactory: quietLoggers()})
}
