package cli

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/sysctl"
	"github.com/sconnlab/sconn/wire"
)

// ExplainConnect turns the error of a failed Connect to the peer at remote
// (UDP) and SCTP port dport into one line that says what to check; timeout
// is the connect deadline the command set (0: none).
func (e *Endpoint) ExplainConnect(err error, remote net.Addr, dport uint16, timeout time.Duration) string {
	if errors.Is(err, conn.ErrClosed) {
		return fmt.Sprintf("connecting to %v: the socket was closed", remote)
	}
	datagrams, sctp := e.Received()
	wrong := e.WrongPorts()
	hs := e.Host.Stats()
	switch {
	case errors.Is(err, conn.ErrPeerUnreachable), errors.Is(err, conn.ErrTimeout):
		what := fmt.Sprintf("handshake timed out after %d INIT retransmissions", e.cfg.Sysctl.Get(sysctl.InitRtxMaxDefault))
		if errors.Is(err, conn.ErrTimeout) {
			what = fmt.Sprintf("handshake timed out after %v (-w)", timeout)
		}
		if wrong != "" {
			return fmt.Sprintf("%s: %s", what, wrong)
		}
		if sctp == 0 && hs.UnexpectedSource > 0 {
			return fmt.Sprintf("%s: answers came from another address than %v (check HOST and PORT)", what, remote)
		}
		if sctp == 0 {
			extra := fmt.Sprintf("is the UDP port right? does the peer listen on SCTP port %d (-dport)?", dport)
			if datagrams > 0 {
				extra = fmt.Sprintf("%d datagram(s) arrived that were not SCTP for this association; is the UDP port right?", datagrams)
			}
			if hs.OutErrors > 0 {
				extra = fmt.Sprintf("%d packet(s) could not be sent; is the address reachable?", hs.OutErrors)
			}
			return fmt.Sprintf("%s: no answer from %v (%s)", what, remote, extra)
		}
		return fmt.Sprintf("handshake with %v failed: the peer answered %d packet(s) but the association did not come up (%v)", remote, sctp, err)
	case errors.Is(err, conn.ErrConnRefused):
		return fmt.Sprintf("connection refused: %v answered the INIT with an ABORT; is an SCTP server listening on SCTP port %d there? (-dport) (%v)", remote, dport, err)
	}
	return fmt.Sprintf("cannot connect to %v: %v", remote, err)
}

// ExplainLost turns the error that ended an established association into
// one line.
func ExplainLost(err error, peer net.Addr, causes []byte) string {
	why := ""
	if len(causes) > 0 {
		why = " (" + DescribeCauses(causes) + ")"
	}
	switch {
	case errors.Is(err, conn.ErrConnReset):
		return fmt.Sprintf("association aborted by the peer %v%s", peer, why)
	case errors.Is(err, conn.ErrPeerUnreachable):
		return fmt.Sprintf("association lost: the peer %v stopped answering (retransmissions exhausted)%s", peer, why)
	case errors.Is(err, conn.ErrConnAborted):
		return fmt.Sprintf("association aborted by this side%s: %v", why, err)
	case errors.Is(err, conn.ErrClosed):
		return "the stack was closed"
	}
	return fmt.Sprintf("association with %v failed: %v%s", peer, err, why)
}

// DescribeCauses describes a list of error causes (of an ABORT).
func DescribeCauses(b []byte) string {
	var parts []string
	for len(b) >= 4 {
		code := uint16(b[0])<<8 | uint16(b[1])
		l := int(uint16(b[2])<<8 | uint16(b[3]))
		if l < 4 || l > len(b) {
			break
		}
		s := wire.CauseCode(code).String()
		if code == 12 && l > 4 { // User-Initiated Abort: show the reason
			s += fmt.Sprintf(" %q", b[4:l])
		}
		parts = append(parts, s)
		l = (l + 3) &^ 3
		if l > len(b) {
			break
		}
		b = b[l:]
	}
	return strings.Join(parts, ", ")
}
