package conn

import (
	"bytes"
	"io"
	"testing"
	"time"
)

// connected returns a connected pair of one-to-one sockets (client on A,
// accepted server on B), non-blocking.
func (p *pair) connected(opts ...SettableOption) (c, s *Socket) {
	p.t.Helper()
	opts = append([]SettableOption{NoDelay(true)}, opts...)
	ln := p.listen(OneToOne, 5000, opts...)
	c, _ = p.a.Socket(OneToOne, Upcalls{})
	for _, o := range opts {
		c.SetOption(o)
	}
	c.SetNonBlocking(true)
	c.Connect(Addr{p.ha, 5000})
	p.pump()
	ln.SetNonBlocking(true)
	s, _, err := ln.Accept()
	if err != nil {
		p.t.Fatal(err)
	}
	s.SetNonBlocking(true)
	return c, s
}

func send(t testing.TB, s *Socket, data string, info SendInfo) {
	t.Helper()
	if n, err := s.SendV([]byte(data), SendSpec{Info: &info}); err != nil || n != len(data) {
		t.Fatalf("SendV(%q) = %d, %v", data, n, err)
	}
}

func recv(t testing.TB, s *Socket, size int) (string, RecvInfo) {
	t.Helper()
	buf := make([]byte, size)
	n, info, err := s.RecvV(buf)
	if err != nil {
		t.Fatalf("RecvV: %v", err)
	}
	if info.Notification != nil {
		t.Fatalf("RecvV: notification %v", info.Notification)
	}
	return string(buf[:n]), info
}

func TestDataOneToOne(t *testing.T) {
	p := newPair(t, true)
	c, s := p.connected(RecvRcvInfo(true), Context{Value: 77})
	s.SetOption(RecvNxtInfo(true))
	send(t, c, "hello", SendInfo{Stream: 2, PPID: 51})
	send(t, c, "world!", SendInfo{Stream: 3, PPID: 53, Flags: FlagUnordered})
	if s.Events()&EventRead == 0 {
		t.Errorf("events %v", s.Events())
	}
	got, info := recv(t, s, 100)
	if got != "hello" || info.Flags != MsgEOR || !info.HasRcvInfo || info.RcvInfo.Stream != 2 ||
		info.RcvInfo.PPID != 51 || info.RcvInfo.Context != 77 || info.From != (Addr{p.hb, c.LocalAddr().Port}) {
		t.Errorf("got %q %+v", got, info)
	}
	if !info.HasNxtInfo || info.NxtInfo.Length != 6 || info.NxtInfo.Flags&NextMsgAvail == 0 || info.InfoType() != 3 {
		t.Errorf("nxtinfo %+v", info.NxtInfo)
	}
	// A short buffer: the message comes in pieces, MsgEOR on the last.
	got, info = recv(t, s, 4)
	if got != "worl" || info.Flags&MsgEOR != 0 || info.RcvInfo.Flags&RcvUnordered == 0 {
		t.Errorf("piece %q %+v", got, info)
	}
	got, info = recv(t, s, 4)
	if got != "d!" || info.Flags&MsgEOR == 0 {
		t.Errorf("piece %q %+v", got, info)
	}
	if _, _, err := s.RecvV(make([]byte, 8)); !isErr(err, ErrWouldBlock) {
		t.Errorf("empty RecvV: %v", err)
	}
	// The reply, then stats and status.
	send(t, s, "pong", SendInfo{})
	if got, _ := recv(t, c, 10); got != "pong" {
		t.Errorf("reply %q", got)
	}
	var st AssocStats
	if err := c.GetOption(&st); err != nil || st.OPackets == 0 || st.IPackets == 0 || st.OODChunks+st.OUODChunks != 2 {
		t.Errorf("stats %+v %v", st, err)
	}
	var status Status
	c.GetOption(&status)
	if status.UnackedData != 0 || status.PendingData != 0 || status.RWnd == 0 {
		t.Errorf("status %+v", status)
	}
	// Bad sends.
	if _, err := c.SendV(nil, SendSpec{}); !isErr(err, ErrInvalidArgument) {
		t.Errorf("empty message: %v", err)
	}
	if _, err := c.SendV([]byte("x"), SendSpec{Info: &SendInfo{Stream: 5000}}); !isErr(err, ErrInvalidArgument) {
		t.Errorf("bad stream: %v", err)
	}
	if _, err := c.SendV(make([]byte, 300<<10), SendSpec{}); !isErr(err, ErrMessageTooLarge) {
		t.Errorf("huge message: %v", err)
	}
	if _, err := c.SendV([]byte("x"), SendSpec{Info: &SendInfo{Flags: 0x1}}); !isErr(err, ErrInvalidArgument) {
		t.Errorf("bad flags: %v", err)
	}
	if _, err := c.SendV([]byte("x"), SendSpec{PR: &PRInfo{Policy: PRBuf}}); !isErr(err, ErrNotSupported) {
		t.Errorf("buffer policy: %v", err)
	}

	// Data sent before the peer's SHUTDOWN is read before EOF.
	send(t, c, "last", SendInfo{Flags: FlagEOF})
	if got, _ := recv(t, s, 10); got != "last" {
		t.Errorf("last %q", got)
	}
	p.advance(time.Second) // the delayed SACK, then the SHUTDOWN
	if _, _, err := s.RecvV(make([]byte, 8)); err != io.EOF {
		t.Errorf("after shutdown: %v", err)
	}
	if _, err := c.SendV([]byte("x"), SendSpec{}); !isErr(err, ErrShutdown) {
		t.Errorf("send after EOF: %v", err)
	}
}

func TestDataExplicitEOR(t *testing.T) {
	p := newPair(t, true)
	c, s := p.connected(ExplicitEOR(true))
	send(t, c, "ab", SendInfo{Stream: 1})
	send(t, c, "cd", SendInfo{Stream: 1})
	if _, _, err := s.RecvV(make([]byte, 8)); !isErr(err, ErrWouldBlock) {
		t.Errorf("incomplete message readable: %v", err)
	}
	send(t, c, "ef", SendInfo{Stream: 1, Flags: FlagEOR})
	if got, info := recv(t, s, 10); got != "abcdef" || info.Flags&MsgEOR == 0 {
		t.Errorf("got %q %+v", got, info)
	}
}

func TestDataNotifications(t *testing.T) {
	p := newPair(t, false)
	c, s := p.connected()
	c.SetOption(Event{Type: NotifySenderDry, On: true})
	c.SetOption(Event{Type: NotifySendFailedEvent, On: true})
	send(t, c, "one", SendInfo{PPID: 9, Context: 5})
	p.advance(time.Second)
	if _, ok := nextNotification(t, c).(SenderDryEvent); !ok {
		t.Error("no SENDER_DRY")
	}
	recv(t, s, 10)
	// Unacknowledged data comes back as SEND_FAILED_EVENT when the
	// association is aborted.
	p.lose = func(packet) bool { return true }
	send(t, c, "two", SendInfo{PPID: 9, Context: 6})
	p.advance(100 * time.Millisecond)
	c.SetOption(Event{Type: NotifyAssocChange, On: true})
	c.SendV(nil, SendSpec{Info: &SendInfo{Flags: FlagAbort}})
	var sf SendFailedEvent
	var found bool
	for i := 0; i < 3; i++ {
		n := nextNotification(t, c)
		if x, ok := n.(SendFailedEvent); ok {
			sf, found = x, true
			break
		}
	}
	if !found || string(sf.Data) != "two" || sf.Info.Context != 6 || sf.Info.PPID != 9 || sf.Flags != DataSent ||
		!isErr(sf.Err, ErrConnAborted) {
		t.Errorf("SEND_FAILED_EVENT %+v", sf)
	}
}

func TestDataPRAbandoned(t *testing.T) {
	p := newPair(t, false)
	c, _ := p.connected()
	c.SetOption(Event{Type: NotifySendFailedEvent, On: true})
	p.lose = func(pk packet) bool { return pk.from == p.a && chunkNames(pk.b) == "DATA" }
	if _, err := c.SendV([]byte("stale"), SendSpec{PR: &PRInfo{Policy: PRRtx, Value: 0}}); err != nil {
		t.Fatal(err)
	}
	p.advance(10 * time.Second)
	n := nextNotification(t, c)
	sf, ok := n.(SendFailedEvent)
	if !ok || !isErr(sf.Err, ErrMessageAbandoned) || string(sf.Data) != "stale" {
		t.Errorf("got %v (%v)", n, sf.Err)
	}
}

func TestDataFlowControl(t *testing.T) {
	p := newPair(t, false)
	var frees []int
	ln := p.listen(OneToOne, 5000)
	c, _ := p.a.Socket(OneToOne, Upcalls{Send: func(s *Socket, free int) { frees = append(frees, free) }, SendThreshold: 2000})
	c.SetOption(SndBuf(4000))
	c.SetNonBlocking(true)
	c.Connect(Addr{p.ha, 5000})
	p.pump()
	ln.SetNonBlocking(true)
	s, _, _ := ln.Accept()
	msg := bytes.Repeat([]byte("x"), 1500)
	for i := 0; i < 2; i++ {
		if _, err := c.SendV(msg, SendSpec{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.SendV(msg, SendSpec{}); !isErr(err, ErrWouldBlock) {
		t.Fatalf("third message: %v", err)
	}
	if n, err := c.BufferedAmount(0); err != nil || n != 3000 {
		t.Errorf("buffered amount %d %v", n, err)
	}
	if n, _ := c.StreamBufferedAmount(0, 0); n != 3000 {
		t.Errorf("stream 0 buffered amount %d", n)
	}
	if n, _ := c.StreamBufferedAmount(0, 1); n != 0 {
		t.Errorf("stream 1 buffered amount %d", n)
	}
	if _, err := c.SendV(make([]byte, 5000), SendSpec{}); !isErr(err, ErrMessageTooLarge) {
		t.Errorf("message above the send buffer: %v", err)
	}
	p.pump()
	if len(frees) == 0 || frees[len(frees)-1] < 2000 {
		t.Errorf("send upcall: %v", frees)
	}
	if _, err := c.SendV(msg, SendSpec{}); err != nil {
		t.Errorf("after the acks: %v", err)
	}
	p.pump()
	for i := 0; i < 3; i++ {
		if got, _ := recv(t, s, 2000); len(got) != 1500 {
			t.Errorf("message %d: %d bytes", i, len(got))
		}
	}

	// A blocking sender waits for room, on virtual time driven here.
	c.SetNonBlocking(false)
	p.lose = func(pk packet) bool { return true }
	c.SendV(msg, SendSpec{})
	c.SendV(msg, SendSpec{})
	p.lose = nil
	done := make(chan error)
	go func() {
		_, err := c.SendV(msg, SendSpec{})
		done <- err
	}()
	for i := 0; ; i++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			return
		default:
		}
		if i > 10000 {
			t.Fatal("blocked SendV never returned")
		}
		time.Sleep(time.Millisecond)
		p.advance(200 * time.Millisecond)
	}
}

func TestDataOneToMany(t *testing.T) {
	n := newNet(t, true)
	a := n.stack("A", nil)
	b := n.stack("B", nil)
	for h := Handle(1); h <= 3; h++ {
		n.link(a, h, b, h)
	}
	srv, _ := b.Socket(OneToMany, Upcalls{})
	srv.SetOption(NoDelay(true))
	srv.SetOption(RecvRcvInfo(true))
	srv.Bind(Addr{AnyHandle, 5000})
	srv.Listen(1)
	srv.SetNonBlocking(true)
	cl, _ := a.Socket(OneToMany, Upcalls{})
	cl.SetOption(NoDelay(true))
	cl.SetOption(RecvRcvInfo(true))
	cl.SetOption(Event{Type: NotifyAssocChange, On: true})
	cl.Bind(Addr{AnyHandle, 5000})
	// Implicit association setup by SendV: blocking (direct network: it
	// comes up at once) and non-blocking (kept until COMM_UP).
	if _, err := cl.SendV([]byte("to 1"), SendSpec{To: &Addr{1, 5000}}); err != nil {
		t.Fatal(err)
	}
	cl.SetNonBlocking(true)
	for h := Handle(2); h <= 3; h++ {
		if _, err := cl.SendV([]byte("to "+h.String()), SendSpec{To: &Addr{h, 5000}}); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]AssocID{}
	for i := 0; i < 3; i++ {
		m, info := recv(t, srv, 64)
		if info.From.Handle.String() != m[3:] {
			t.Errorf("%q from %v", m, info.From)
		}
		got[m] = info.RcvInfo.AssocID
	}
	if len(got) != 3 {
		t.Fatalf("got %v", got)
	}
	// Replies by association ID and to all.
	for m, id := range got {
		send(t, srv, "re "+m, SendInfo{AssocID: id})
	}
	send(t, srv, "all", SendInfo{Flags: FlagSendAll})
	replies := map[string]int{}
	buf := make([]byte, 64)
	for {
		n, info, err := cl.RecvV(buf)
		if err != nil {
			break
		}
		if info.Notification == nil {
			replies[string(buf[:n])]++
		}
	}
	if len(replies) != 4 || replies["all"] != 3 {
		t.Errorf("replies %v", replies)
	}
	// Peel one association off with its pending message.
	id := got["to 2"]
	send(t, srv, "pending", SendInfo{AssocID: id})
	ps, err := cl.PeelOff(cl.AssocID(Addr{2, 5000}))
	if err != nil {
		t.Fatal(err)
	}
	ps.SetNonBlocking(true)
	if m, _ := recv(t, ps, 64); m != "pending" {
		t.Errorf("peeled %q", m)
	}
}

func TestDataReceiveUpcall(t *testing.T) {
	p := newPair(t, true)
	var got []string
	ln, _ := p.b.Socket(OneToOne, Upcalls{Receive: func(s *Socket, d Delivery) {
		switch {
		case d.EOF:
			got = append(got, "EOF")
		case d.Data != nil:
			got = append(got, string(d.Data)+"/"+d.Info.AssocID.String()+"/"+string(rune('0'+d.Info.Stream)))
		}
	}})
	ln.Bind(Addr{AnyHandle, 5000})
	ln.Listen(1)
	c, _ := p.a.Socket(OneToOne, Upcalls{})
	c.Connect(Addr{p.ha, 5000})
	send(t, c, "a", SendInfo{Stream: 1})
	send(t, c, "b", SendInfo{Stream: 2})
	big := bytes.Repeat([]byte("z"), 10000)
	c.SendV(big, SendSpec{})
	c.Close()
	p.advance(5 * time.Second) // Nagle and delayed SACKs on virtual time
	if len(got) != 4 || got[0] != "a/3/1" || got[1] != "b/3/2" || len(got[2]) != 10000+4 || got[3] != "EOF" {
		t.Errorf("deliveries %d: %.40q", len(got), got)
	}
}

func TestDataCloseWithUnreadAborts(t *testing.T) {
	p := newPair(t, true)
	c, s := p.connected(Event{Type: NotifyAssocChange, On: true})
	expectAssocChange(t, c, CommUp)
	send(t, c, "unread", SendInfo{})
	p.traceString()
	s.Close()
	if tr := p.traceString(); tr != "B→A ABORT" {
		t.Errorf("trace %q", tr)
	}
	ac := expectAssocChange(t, c, CommLost)
	if !isErr(ac.Err, ErrConnReset) {
		t.Errorf("%v", ac.Err)
	}
}

func TestDataShutdownReadDiscards(t *testing.T) {
	p := newPair(t, true)
	c, s := p.connected()
	s.Shutdown(ShutRD)
	send(t, c, "ignored", SendInfo{})
	p.advance(time.Second)
	if _, _, err := s.RecvV(make([]byte, 10)); err != io.EOF {
		t.Errorf("RecvV: %v", err)
	}
	var st Status
	c.GetOption(&st)
	if st.UnackedData != 0 {
		t.Errorf("status %+v", st)
	}
}

func TestAutoClose(t *testing.T) {
	p := newPair(t, false)
	srv := p.listen(OneToMany, 5000, Event{Type: NotifyAssocChange, On: true}, AutoClose(10*time.Second), NoDelay(true))
	c := p.dial(OneToOne, 5000)
	expectAssocChange(t, srv, CommUp)
	p.advance(5 * time.Second)
	send(t, c, "keepalive", SendInfo{})
	p.advance(100 * time.Millisecond)
	srv.SetNonBlocking(true)
	if m, _ := recv(t, srv, 64); m != "keepalive" {
		t.Fatalf("got %q", m)
	}
	p.advance(8 * time.Second)
	expectNothing(t, srv)
	// The message counts as activity; 10 s after it the association closes.
	p.advance(3 * time.Second)
	expectAssocChange(t, srv, ShutdownComp)
	if d := p.clock.Now().Sub(t0); d < 15*time.Second {
		t.Errorf("closed at t0+%v", d)
	}
}
