package usrsctp

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/sconnlab/sconn/interop/pipe"
	"github.com/stretchr/testify/require"
)

// TestTeardownWithDataInFlight closes and aborts associations right after
// bulk traffic, many times, with and without upcalls. It guards against
// the usrsctp 0.9.5 heap corruption when usrsctp_close races
// usrsctp_conninput (see teardownMu): without the lock the test binary
// crashes in malloc about once in three runs.
func TestTeardownWithDataInFlight(t *testing.T) {
	iters := 60
	if testing.Short() {
		iters = 10
	}
	for i := range iters {
		link := NewLink(pipe.Options{})
		var got atomic.Int64
		cb := Callbacks{OnMessage: func(*Socket, *Message) { got.Add(1) }}
		ln, err := link.B.SocketWithCallbacks(false, cb)
		require.NoError(t, err)
		require.NoError(t, ln.Bind(5000))
		require.NoError(t, ln.Listen(1))
		c, err := link.A.SocketWithCallbacks(false, cb)
		require.NoError(t, err)
		if i%3 == 2 {
			c.SetUpcall(func(*Socket) {})
		}
		require.NoError(t, c.Bind(5000))
		require.NoError(t, c.Connect(5000))
		srv, err := ln.Accept()
		require.NoError(t, err)
		require.NoError(t, ln.Close())
		msg := make([]byte, 1200)
		n := 0
		for t0 := time.Now(); time.Since(t0) < 5*time.Millisecond; n++ {
			_, err := c.SendV(msg, SendInfo{})
			require.NoError(t, err)
		}
		if i%2 == 0 {
			require.NoError(t, c.Abort())
			require.NoError(t, srv.Abort())
		} else {
			require.NoError(t, c.Close())
			require.NoError(t, srv.Close())
		}
		require.NoError(t, link.Close())
	}
}
