package udp

import (
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sconnlab/sconn/conn"
)

// rebinding is a PacketConn that reads from two sockets and, once switched,
// writes from the second: a NAT that gave the host a new UDP port.
type rebinding struct {
	pc1, pc2 net.PacketConn
	switched atomic.Bool
	in       chan datagram
	kick     chan struct{}
}

type datagram struct {
	b    []byte
	from net.Addr
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func newRebinding(t *testing.T) *rebinding {
	r := &rebinding{in: make(chan datagram, 64), kick: make(chan struct{}, 1)}
	var err error
	if r.pc1, err = net.ListenPacket("udp4", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if r.pc2, err = net.ListenPacket("udp4", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	for _, pc := range []net.PacketConn{r.pc1, r.pc2} {
		go func() {
			for {
				buf := make([]byte, maxDatagram)
				n, from, err := pc.ReadFrom(buf)
				if err != nil {
					return
				}
				r.in <- datagram{buf[:n], from}
			}
		}()
	}
	t.Cleanup(func() { r.pc1.Close(); r.pc2.Close() })
	return r
}

func (r *rebinding) ReadFrom(b []byte) (int, net.Addr, error) {
	select {
	case d := <-r.in:
		return copy(b, d.b), d.from, nil
	case <-r.kick:
		return 0, nil, timeoutError{}
	}
}

func (r *rebinding) WriteTo(b []byte, to net.Addr) (int, error) {
	if r.switched.Load() {
		return r.pc2.WriteTo(b, to)
	}
	return r.pc1.WriteTo(b, to)
}

func (r *rebinding) Close() error        { return nil }
func (r *rebinding) LocalAddr() net.Addr { return r.pc1.LocalAddr() }
func (r *rebinding) SetDeadline(t time.Time) error {
	return r.SetReadDeadline(t)
}
func (r *rebinding) SetReadDeadline(t time.Time) error {
	select {
	case r.kick <- struct{}{}:
	default:
	}
	return nil
}
func (r *rebinding) SetWriteDeadline(time.Time) error { return nil }

func TestPeerPortChange(t *testing.T) {
	for _, fixed := range []bool{false, true} {
		t.Run(map[bool]string{false: "follow", true: "fixed"}[fixed], func(t *testing.T) {
			lg := &logs{}
			nat := newRebinding(t)
			srv, err := NewHost(nat, Config{Stack: conn.Config{LoggerFactory: lg}})
			if err != nil {
				t.Fatal(err)
			}
			serve(t, srv)
			cli, err := Listen("udp4", "127.0.0.1:0", Config{Remote: nat.LocalAddr(), FixedRemotePort: fixed,
				Stack: conn.Config{LoggerFactory: lg}})
			if err != nil {
				t.Fatal(err)
			}
			serve(t, cli)
			c, s := connect(t, srv, cli)
			exchange(t, c, s, "before")

			nat.switched.Store(true)
			if _, err := s.SendV([]byte("from the new port"), conn.SendSpec{}); err != nil {
				t.Fatal(err)
			}
			if fixed {
				waitFor(t, func() bool { return cli.Stats().UnexpectedSource > 0 })
				if a, _ := cli.Addr(cli.RemoteHandle()); a.String() != nat.pc1.LocalAddr().String() {
					t.Fatalf("peer moved to %v", a)
				}
				return
			}
			buf := make([]byte, 100)
			n, _, err := c.RecvV(buf)
			if err != nil || string(buf[:n]) != "from the new port" {
				t.Fatalf("client got %q, %v", buf[:n], err)
			}
			if a, _ := cli.Addr(cli.RemoteHandle()); a.String() != nat.pc2.LocalAddr().String() {
				t.Fatalf("peer is at %v, want %v", a, nat.pc2.LocalAddr())
			}
			exchange(t, c, s, "after")
			if st := cli.Stats(); st.PortChanges != 1 || st.UnexpectedSource != 0 {
				t.Fatalf("client stats %+v", st)
			}
			if lg.count("RFC 6951 §5.4") != 1 {
				t.Fatal("port change not logged once")
			}
		})
	}
}
