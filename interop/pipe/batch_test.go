package pipe

import (
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// ReadBatch takes the queued packets in order, at most max, and blocks
// only while the queue is empty; released buffers are reused by writes.
func TestReadBatchDrainsInOrder(t *testing.T) {
	a, b := New(Options{})
	defer a.Close()
	defer b.Close()
	for i := range 10 {
		_, err := a.Write([]byte{byte(i), 0xaa})
		require.NoError(t, err)
	}
	got, err := b.ReadBatch(nil, 4)
	require.NoError(t, err)
	require.Len(t, got, 4)
	for i, p := range got {
		require.Equal(t, []byte{byte(i), 0xaa}, p)
	}
	b.ReleaseBatch(got)
	require.Nil(t, got[0], "ReleaseBatch clears the slice")
	rest, err := b.ReadBatch(got[:0], 0)
	require.NoError(t, err)
	require.Len(t, rest, 6)
	for i, p := range rest {
		require.Equal(t, []byte{byte(4 + i), 0xaa}, p)
	}
	require.Equal(t, 0, b.Queued())
	// The next write reuses the last released buffer.
	_, _ = a.Write([]byte{42})
	b.ReleaseBatch(rest)
	_, _ = a.Write([]byte{43})
	p, err := b.ReadPacket()
	require.NoError(t, err)
	require.Equal(t, []byte{42}, p)
	p2, err := b.ReadPacket()
	require.NoError(t, err)
	require.Equal(t, []byte{43}, p2)
}

// A blocked ReadBatch wakes on a write, on the deadline and on Close.
func TestReadBatchBlocks(t *testing.T) {
	a, b := New(Options{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		got, err := b.ReadBatch(nil, 0)
		require.NoError(t, err)
		require.Equal(t, [][]byte{{7}}, got)
	}()
	_, _ = a.Write([]byte{7}) // before or after the reader blocks: both must work
	wg.Wait()
	require.NoError(t, b.SetReadDeadline(time.Now().Add(-time.Second)))
	_, err := b.ReadBatch(nil, 0)
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	require.NoError(t, b.SetReadDeadline(time.Time{}))
	done := make(chan error)
	go func() {
		_, err := b.ReadBatch(nil, 0)
		done <- err
	}()
	require.NoError(t, b.Close())
	require.ErrorIs(t, <-done, net.ErrClosed)
}

// BenchmarkLink moves 1200-byte packets from a writer goroutine to a
// batch reader, as the benchmark hosts do.
func BenchmarkLink(b *testing.B) {
	x, y := New(Options{})
	defer x.Close()
	pkt := make([]byte, 1200)
	done := make(chan struct{})
	go func() {
		defer close(done)
		batch := make([][]byte, 0, 64)
		for n := 0; n < b.N; {
			var err error
			batch, err = y.ReadBatch(batch[:0], 64)
			if err != nil {
				return
			}
			n += len(batch)
			y.ReleaseBatch(batch)
		}
	}()
	b.SetBytes(int64(len(pkt)))
	b.ReportAllocs()
	for range b.N {
		for y.Queued() > 4096 {
			// keep the queue bounded like a paced sender
			time.Sleep(0)
		}
		_, _ = x.Write(pkt)
	}
	<-done
	y.Close()
}
