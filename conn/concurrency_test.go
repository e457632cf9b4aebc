package conn

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestConcurrentAssociations runs handshakes, option calls, closes and
// timer handling on many goroutines at once over a synchronous network
// (run it with -race).
func TestConcurrentAssociations(t *testing.T) {
	const workers, per = 8, 40
	n := newNet(t, true)
	a := n.stack("A", nil)
	b := n.stack("B", nil)
	for i := 1; i <= workers*per; i++ {
		n.link(a, Handle(i), b, Handle(i))
	}
	m2m, _ := b.Socket(OneToMany, Upcalls{})
	m2m.SetOption(Event{Type: NotifyAssocChange, On: true})
	m2m.Bind(Addr{AnyHandle, 5000})
	m2m.Listen(1)
	o2o, _ := b.Socket(OneToOne, Upcalls{})
	o2o.Bind(Addr{AnyHandle, 6000})
	o2o.Listen(workers * per)

	stop := make(chan struct{})
	var bg sync.WaitGroup
	bg.Add(2)
	go func() { // timers and statistics
		defer bg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, st := range []*Stack{a, b} {
				st.HandleTimers(n.clock.Now())
				_ = st.Stats()
				_ = st.Drops()
				_ = st.NextTimeout()
			}
		}
	}()
	var accepted atomic.Int64
	go func() { // accept and read notifications
		defer bg.Done()
		o2o.SetNonBlocking(true)
		m2m.SetNonBlocking(true)
		buf := make([]byte, 64)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if s, _, err := o2o.Accept(); err == nil {
				accepted.Add(1)
				var st Status
				_ = s.GetOption(&st)
				_ = s.Close()
			}
			_, _, _ = m2m.RecvV(buf)
		}
	}()

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < per; i++ {
				h := Handle(w*per + i + 1)
				port := uint16(5000)
				if i%2 == 1 {
					port = 6000
				}
				c, err := a.Socket(OneToOne, Upcalls{})
				if err != nil {
					t.Error(err)
					return
				}
				if err := c.Connect(Addr{h, port}); err != nil {
					t.Errorf("connect %v:%d: %v", h, port, err)
					return
				}
				var st Status
				if err := c.GetOption(&st); err != nil {
					t.Error(err)
				}
				_ = c.SetOption(Context{Value: uint32(i)})
				if i%3 == 0 {
					c.SetOption(Linger{On: true})
				}
				_ = c.Close()
			}
		}(w)
	}
	wg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for accepted.Load() < workers*per/2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(stop)
	bg.Wait()
	if accepted.Load() != workers*per/2 {
		t.Errorf("accepted %d", accepted.Load())
	}
	n.advance(5 * time.Minute)
	if sa, sb := a.Stats(), b.Stats(); sa.Associations != 0 || sb.Associations != 0 {
		t.Errorf("associations left: A %+v B %+v", sa, sb)
	}
	if got := a.Stats().ActiveEstab; got != workers*per {
		t.Errorf("established %d", got)
	}
}
