package sconn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/pion/logging"
	"github.com/sconnlab/sconn/conn"
	"github.com/sconnlab/sconn/conn/conntest"
	"github.com/sconnlab/sconn/conn/udp"
)

// testLimit bounds every blocking call of these real-time tests; on an
// idle machine they finish in milliseconds.
const testLimit = 20 * time.Second

type quietFactory struct{}

func (quietFactory) NewLogger(string) logging.LeveledLogger {
	l := logging.NewDefaultLeveledLoggerForScope("", logging.LogLevelError, io.Discard)
	return l
}

var quiet = &Config{LoggerFactory: quietFactory{}}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testLimit)
	t.Cleanup(cancel)
	return ctx
}

// pairOver returns a client and a server association over the two ends of
// a datagram connection.
func pairOver(t *testing.T, c1, c2 net.Conn, cfg *Config) (cli, srv *Association) {
	t.Helper()
	ctx := ctxT(t)
	var wg sync.WaitGroup
	var serr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		srv, serr = Server(ctx, c2, cfg)
	}()
	cli, err := Client(ctx, c1, cfg)
	wg.Wait()
	if err != nil || serr != nil {
		t.Fatalf("client %v, server %v", err, serr)
	}
	t.Cleanup(func() { cli.Abort(); srv.Abort() })
	return cli, srv
}

func lossyPipe(t *testing.T, loss float64) (net.Conn, net.Conn) {
	n := conntest.NewNetwork(conntest.Config{Seed: 11})
	t.Cleanup(func() { n.Close() })
	lc := conntest.LinkConfig{Loss: loss, Delay: time.Millisecond}
	a, b := n.Pipe(lc, lc)
	return a, b
}

func TestStreamsOverNetConn(t *testing.T) {
	c1, c2 := lossyPipe(t, 0)
	cli, srv := pairOver(t, c1, c2, quiet)
	ctx := ctxT(t)
	s, err := cli.OpenStream()
	if err != nil || s.ID() != 0 {
		t.Fatalf("open: %v id %d", err, s.ID())
	}
	s.SetPPID(53)
	if _, err := s.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	r, err := srv.AcceptStream(ctx)
	if err != nil || r.ID() != 0 {
		t.Fatalf("accept: %v", err)
	}
	msg, ppid, err := r.ReadMessage(ctx)
	if err != nil || string(msg) != "hello" || ppid != 53 {
		t.Fatalf("got %q ppid %d: %v", msg, ppid, err)
	}
	// The server's streams are odd; a reply on the same stream works too.
	o, _ := srv.OpenStream()
	if o.ID() != 1 {
		t.Fatalf("server stream %d", o.ID())
	}
	r.Write([]byte("pong"))
	buf := make([]byte, 2)
	var got []byte
	for len(got) < 4 {
		n, err := s.ReadContext(ctx, buf) // a message longer than buf continues
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "pong" {
		t.Fatalf("got %q", got)
	}
}

func TestManyMessagesOverLossyNetConn(t *testing.T) {
	c1, c2 := lossyPipe(t, 0.05)
	cli, srv := pairOver(t, c1, c2, quiet)
	ctx := ctxT(t)
	const n = 300
	go func() {
		for id := 0; id < 3; id++ {
			s, _ := cli.OpenStream()
			for i := 0; i < n/3; i++ {
				if _, err := s.WriteContext(ctx, conntest.Message(s.ID(), uint32(i), 100+i*37%2000)); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	chk := conntest.NewChecker()
	for id := 0; id < 3; id++ {
		chk.Expect(uint16(2*id), n/3, true)
	}
	var wg sync.WaitGroup
	for k := 0; k < 3; k++ {
		r, err := srv.AcceptStream(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < n/3; i++ {
				m, _, err := r.ReadMessage(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				chk.Receive(r.ID(), m)
			}
		}()
	}
	wg.Wait()
	if err := chk.Check(); err != nil {
		t.Fatal(err)
	}
	st, _ := cli.Stats()
	t.Logf("%d chunks retransmitted", st.RtxChunks)
}

func TestOverNetPipe(t *testing.T) {
	// net.Pipe is synchronous: the facade's write queue keeps the stacks
	// from blocking each other. Reads of 64 KiB keep packets whole.
	c1, c2 := net.Pipe()
	cli, srv := pairOver(t, c1, c2, quiet)
	ctx := ctxT(t)
	s, _ := cli.OpenStream()
	big := bytes.Repeat([]byte("0123456789"), 10000)
	if _, err := s.Write(big); err != nil {
		t.Fatal(err)
	}
	r, _ := srv.AcceptStream(ctx)
	m, _, err := r.ReadMessage(ctx)
	if err != nil || !bytes.Equal(m, big) {
		t.Fatalf("got %d bytes, %v", len(m), err)
	}
}

func TestCloseGivesEOF(t *testing.T) {
	c1, c2 := lossyPipe(t, 0)
	cli, srv := pairOver(t, c1, c2, quiet)
	ctx := ctxT(t)
	s, _ := cli.OpenStream()
	s.Write([]byte("last words"))
	if err := cli.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := s.Write([]byte("x")); !errors.Is(err, ErrClosed) || !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write after close: %v", err)
	}
	r, err := srv.AcceptStream(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m, _, err := r.ReadMessage(ctx); err != nil || string(m) != "last words" {
		t.Fatalf("got %q, %v", m, err)
	}
	if _, err := r.ReadContext(ctx, make([]byte, 10)); err != io.EOF {
		t.Fatalf("read after the peer's close: %v", err)
	}
	if _, err := srv.AcceptStream(ctx); err != io.EOF {
		t.Fatalf("accept after the peer's close: %v", err)
	}
	select {
	case <-srv.Done():
	case <-ctx.Done():
		t.Fatal("Done not closed")
	}
	if srv.Err() != nil {
		t.Fatalf("graceful end reported %v", srv.Err())
	}
}

func TestAbortGivesError(t *testing.T) {
	c1, c2 := lossyPipe(t, 0)
	cli, srv := pairOver(t, c1, c2, quiet)
	ctx := ctxT(t)
	s, _ := cli.OpenStream()
	s.Write([]byte("x"))
	r, _ := srv.AcceptStream(ctx)
	r.ReadMessage(ctx)
	cli.Abort()
	if _, _, err := r.ReadMessage(ctx); !errors.Is(err, conn.ErrConnReset) {
		t.Fatalf("read after the peer's abort: %v", err)
	}
}

func TestContextCancel(t *testing.T) {
	c1, c2 := lossyPipe(t, 0)
	cli, _ := pairOver(t, c1, c2, quiet)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := cli.AcceptStream(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("accept: %v", err)
	}
	s, _ := cli.OpenStream()
	if _, err := s.ReadContext(ctx, make([]byte, 1)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read: %v", err)
	}
	// Dial to nobody: the context ends it.
	n := conntest.NewNetwork(conntest.Config{})
	defer n.Close()
	a, _ := n.Pipe(conntest.LinkConfig{}, conntest.LinkConfig{})
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if _, err := Client(ctx2, a, quiet); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("client: %v", err)
	}
}

func TestBufferedAmountLow(t *testing.T) {
	c1, c2 := lossyPipe(t, 0)
	cfg := *quiet
	cfg.SendBufferSize = 64 << 10
	cfg.LowWater = 16 << 10
	cli, srv := pairOver(t, c1, c2, &cfg)
	ctx := ctxT(t)
	s, _ := cli.OpenStream()
	s.SetBufferedAmountLowThreshold(32 << 10)
	low := make(chan int, 10)
	s.OnBufferedAmountLow(func() { low <- s.BufferedAmount() })
	msg := make([]byte, 8<<10)
	for i := 0; i < 20; i++ { // 160 KiB through a 64 KiB buffer: Write blocks
		if _, err := s.WriteContext(ctx, msg); err != nil {
			t.Fatal(err)
		}
	}
	if b := cli.BufferedAmount(); b == 0 || b > 64<<10 {
		t.Fatalf("buffered %d", b)
	}
	r, _ := srv.AcceptStream(ctx)
	for i := 0; i < 20; i++ {
		if _, _, err := r.ReadMessage(ctx); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case b := <-low:
		if b > 32<<10 {
			t.Fatalf("callback at %d bytes buffered", b)
		}
	case <-ctx.Done():
		t.Fatal("no buffered-amount-low callback")
	}
}

func TestReadBufferBackpressure(t *testing.T) {
	c1, c2 := lossyPipe(t, 0)
	cfg := *quiet
	cfg.ReadBufferSize = 16 << 10
	cfg.ReceiveBufferSize = 32 << 10
	cli, srv := pairOver(t, c1, c2, &cfg)
	ctx := ctxT(t)
	s, _ := cli.OpenStream()
	const n = 100 // 400 KiB, far more than the read buffer and the window
	go func() {
		for i := 0; i < n; i++ {
			if _, err := s.WriteContext(ctx, conntest.Message(0, uint32(i), 4<<10)); err != nil {
				return
			}
		}
	}()
	r, err := srv.AcceptStream(ctx)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // let the sender fill everything
	srv.mu.Lock()
	held := srv.rbytes
	srv.mu.Unlock()
	if held > cfg.ReadBufferSize+4<<10 {
		t.Fatalf("facade holds %d bytes, bound %d", held, cfg.ReadBufferSize)
	}
	chk := conntest.NewChecker()
	chk.Expect(0, n, true)
	for i := 0; i < n; i++ {
		m, _, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		chk.Receive(0, m)
	}
	if err := chk.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestStreamCloseAndExplicitID(t *testing.T) {
	c1, c2 := lossyPipe(t, 0)
	cli, srv := pairOver(t, c1, c2, quiet)
	ctx := ctxT(t)
	s, err := cli.Stream(7)
	if err != nil {
		t.Fatal(err)
	}
	s.Write([]byte("a"))
	r, _ := srv.AcceptStream(ctx)
	if r.ID() != 7 {
		t.Fatalf("stream %d", r.ID())
	}
	r.Close()
	if _, err := r.Read(make([]byte, 1)); !errors.Is(err, ErrStreamClosed) {
		t.Fatalf("read after close: %v", err)
	}
	s.Write([]byte("b")) // discarded by the server
	other, _ := cli.Stream(8)
	other.Write([]byte("c"))
	r2, _ := srv.AcceptStream(ctx)
	if m, _, _ := r2.ReadMessage(ctx); r2.ID() != 8 || string(m) != "c" {
		t.Fatalf("stream %d got %q", r2.ID(), m)
	}
	if _, err := cli.Stream(5000); !errors.Is(err, ErrInvalidStream) {
		t.Fatalf("stream beyond the granted ones: %v", err)
	}
}

func TestOverUDP(t *testing.T) {
	srvHost, err := udp.Listen("udp4", "127.0.0.1:0", udp.Config{Stack: conn.Config{LoggerFactory: quietFactory{}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srvHost.Close()
	go srvHost.Serve()
	cliHost, err := udp.Listen("udp4", "127.0.0.1:0", udp.Config{Remote: srvHost.LocalAddr(),
		Stack: conn.Config{LoggerFactory: quietFactory{}}})
	if err != nil {
		t.Fatal(err)
	}
	defer cliHost.Close()
	go cliHost.Serve()
	ln, err := ListenUDP(srvHost, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx := ctxT(t)
	cli, err := DialUDP(ctx, cliHost, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	srv, err := ln.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	s, _ := cli.OpenStream()
	for i := 0; i < 10; i++ {
		fmt.Fprintf(s, "message %d", i)
	}
	r, _ := srv.AcceptStream(ctx)
	for i := 0; i < 10; i++ {
		m, _, err := r.ReadMessage(ctx)
		if err != nil || string(m) != fmt.Sprintf("message %d", i) {
			t.Fatalf("got %q, %v", m, err)
		}
	}
}
