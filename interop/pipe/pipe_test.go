package pipe

import (
	"bytes"
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestPacketsKeepBoundariesAndOrder(t *testing.T) {
	a, b := New(Options{})
	defer a.Close()
	defer b.Close()
	for i := range 100 {
		_, err := a.Write(bytes.Repeat([]byte{byte(i)}, i+1))
		require.NoError(t, err)
	}
	buf := make([]byte, 2048)
	for i := range 100 {
		n, err := b.Read(buf)
		require.NoError(t, err)
		require.Equal(t, bytes.Repeat([]byte{byte(i)}, i+1), buf[:n])
	}
	require.Equal(t, uint64(100), a.Stats().Packets)
}

func TestWriteCopies(t *testing.T) {
	a, b := New(Options{})
	p := []byte{1, 2, 3}
	_, _ = a.Write(p)
	p[0] = 9
	got, err := b.ReadPacket()
	require.NoError(t, err)
	require.Equal(t, []byte{1, 2, 3}, got)
}

func TestHooksDropAndRecord(t *testing.T) {
	var rec Recorder
	a, b := New(Options{AtoB: Chain(rec.Hook(), func(p []byte) bool { return p[0]%2 == 0 })})
	for i := range 10 {
		_, _ = a.Write([]byte{byte(i)})
	}
	require.Len(t, rec.Packets(), 10)
	require.Equal(t, 5, b.Queued())
	require.Equal(t, uint64(5), a.Stats().Dropped)
}

func TestLossIsDeterministic(t *testing.T) {
	count := func() int {
		h, n := Loss(0.3, 7), 0
		for range 1000 {
			if h(nil) {
				n++
			}
		}
		return n
	}
	n := count()
	require.Equal(t, n, count())
	require.InDelta(t, 700, n, 60)
}

func TestOverflowDrops(t *testing.T) {
	a, b := New(Options{MaxQueueBytes: 10})
	for range 5 {
		_, _ = a.Write(make([]byte, 4))
	}
	require.Equal(t, 2, b.Queued())
	require.Equal(t, uint64(3), a.Stats().Overflow)
}

func TestCloseAndDeadline(t *testing.T) {
	a, b := New(Options{})
	require.NoError(t, b.SetReadDeadline(time.Now().Add(10*time.Millisecond)))
	_, err := b.ReadPacket()
	require.True(t, errors.Is(err, os.ErrDeadlineExceeded))
	require.NoError(t, b.SetReadDeadline(time.Time{}))

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, err := b.ReadPacket()
		require.True(t, errors.Is(err, net.ErrClosed))
	}()
	time.Sleep(5 * time.Millisecond)
	require.NoError(t, b.Close())
	wg.Wait()
	_, err = a.Write([]byte{1}) // the peer is gone: like UDP, no error
	require.NoError(t, err)
	require.NoError(t, a.Close())
	_, err = a.Write([]byte{1})
	require.True(t, errors.Is(err, net.ErrClosed))
}

func TestConcurrentWriters(t *testing.T) {
	a, b := New(Options{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				_, _ = a.Write([]byte{byte(w), byte(i)})
			}
		}()
	}
	got := 0
	done := make(chan struct{})
	go func() {
		for got < 4000 {
			_, err := b.ReadPacket()
			require.NoError(t, err)
			got++
		}
		close(done)
	}()
	wg.Wait()
	<-done
}

func TestCaptureWritesPcap(t *testing.T) {
	var buf bytes.Buffer
	c, err := NewCapture(&buf)
	require.NoError(t, err)
	ab, ba := c.Hooks()
	a, b := New(Options{AtoB: ab, BtoA: ba})
	pkt := make([]byte, 12) // a bare common header
	_, _ = a.Write(pkt)
	_, _ = b.Write(pkt)
	require.NoError(t, c.Err())
	require.Greater(t, buf.Len(), 24+2*(16+20+12)-1)
}
