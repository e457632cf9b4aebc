package pionpeer

import (
	"github.com/pion/sctp"
)

// AcceptAll accepts every stream the peer opens on a and reads each one
// on its own goroutine, calling fn for every message. data is only valid
// during the call (the read buffer, bufSize bytes, is reused); fn may run
// concurrently for different streams. AcceptAll returns when the
// association closes; the readers stop when their stream does.
func AcceptAll(a *sctp.Association, bufSize int, fn func(s *sctp.Stream, ppid sctp.PayloadProtocolIdentifier, data []byte)) {
	for {
		s, err := a.AcceptStream()
		if err != nil {
			return
		}
		go ReadAll(s, bufSize, fn)
	}
}

// ReadAll reads messages from s until it fails, calling fn for each one
// with the reused read buffer.
func ReadAll(s *sctp.Stream, bufSize int, fn func(s *sctp.Stream, ppid sctp.PayloadProtocolIdentifier, data []byte)) {
	buf := make([]byte, bufSize)
	for {
		n, ppid, err := s.ReadSCTP(buf)
		if err != nil {
			return
		}
		fn(s, ppid, buf[:n])
	}
}
