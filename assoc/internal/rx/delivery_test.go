package rx

import (
	"bytes"
	"slices"
	"testing"
)

func TestPartialDelivery(t *testing.T) {
	msg := bytes.Repeat([]byte("0123456789"), 1000) // 10000 bytes
	for _, mode := range []string{"ordered", "unordered", "idata"} {
		t.Run(mode, func(t *testing.T) {
			idata := mode == "idata"
			var frags []Fragment
			if idata {
				frags = splitIData(msg, 1, 0, false, 1000)
				for i := range frags {
					frags[i].TSN = uint32(i + 1)
				}
			} else {
				frags = splitData(msg, 1, 1, 0, mode == "unordered", 1000)
			}
			r := NewReassembly(Config{ReceiveBufferSize: 100000, PartialDeliveryPoint: 4000}, idata)
			mustAdd(t, r, frags[:3]...)
			if r.Readable() {
				t.Fatal("readable below the partial delivery point")
			}
			mustAdd(t, r, frags[4]) // beyond a hole: not part of the run
			if r.Readable() {
				t.Fatal("readable with 3000 leading bytes")
			}
			mustAdd(t, r, frags[3]) // 5000 leading bytes now
			if r.NextMessageLen() != 5000 {
				t.Fatalf("NextMessageLen %d", r.NextMessageLen())
			}
			buf := make([]byte, 20000)
			n, info, ok := r.Read(buf)
			if !ok || n != 5000 || info.EOR || !bytes.Equal(buf[:n], msg[:5000]) {
				t.Fatalf("first piece: %d %+v", n, info)
			}
			if _, _, ok := r.Read(buf); ok {
				t.Fatal("read with nothing new")
			}
			held := r.Held()
			mustAdd(t, r, frags[5:9]...)
			if r.Held() != held+4000 {
				t.Fatal("held")
			}
			n, info, _ = r.Read(buf[:2500])
			if n != 2500 || info.EOR {
				t.Fatalf("second piece: %d %+v", n, info)
			}
			mustAdd(t, r, frags[9])
			var rest []byte
			for {
				n, info, ok := r.Read(buf[:700])
				if !ok {
					t.Fatal("message did not end")
				}
				rest = append(rest, buf[:n]...)
				if info.EOR {
					break
				}
			}
			if !bytes.Equal(rest, msg[7500:]) || r.Held() != 0 || r.Readable() {
				t.Fatalf("rest %d bytes, held %d", len(rest), r.Held())
			}
		})
	}
}

func TestPartialDeliveryLevel0(t *testing.T) {
	// While a message is partially delivered, nothing else is: its pieces
	// are read back to back (RFC 6458 §8.1.20 level 0).
	r := NewReassembly(Config{ReceiveBufferSize: 100000, PartialDeliveryPoint: 10}, false)
	mustAdd(t, r, dfrag(1, 0, 0, "BE", "before"))
	mustAdd(t, r, dfrag(2, 1, 0, "B", "0123456789"), dfrag(3, 1, 0, "", "abcdefghij"))
	mustAdd(t, r, dfrag(5, 2, 0, "BE", "other stream"), dfrag(6, 0, 0, "BEU", "unordered"))
	got := readAll(r)
	want := []string{"before", "0123456789abcdefghij"}
	if !slices.Equal(datas(got), want) || got[1].info.EOR {
		t.Fatalf("got %v", got)
	}
	mustAdd(t, r, dfrag(4, 1, 0, "E", "END"), dfrag(7, 2, 1, "BE", "later"))
	got = readAll(r)
	want = []string{"END", "other stream", "unordered", "later"}
	if !slices.Equal(datas(got), want) || !got[0].info.EOR {
		t.Fatalf("got %v", got)
	}
}

func TestPartialDeliveryWindowBlocked(t *testing.T) {
	// A message below the partial delivery point, but holding the whole
	// window while nothing is readable, is handed out anyway (§6.9).
	r := NewReassembly(Config{ReceiveBufferSize: 4000}, false) // point 2000
	mustAdd(t, r, dfrag(1, 0, 0, "B", string(make([]byte, 1000))))
	mustAdd(t, r, dfrag(3, 0, 0, "", string(make([]byte, 1500))))
	if r.Readable() {
		t.Fatal("readable too early")
	}
	mustAdd(t, r, dfrag(4, 0, 0, "", string(make([]byte, 1500))))
	if r.ARwnd() != 0 || r.NextMessageLen() != 1000 {
		t.Fatalf("arwnd %d next %d", r.ARwnd(), r.NextMessageLen())
	}
	buf := make([]byte, 4000)
	if n, info, _ := r.Read(buf); n != 1000 || info.EOR {
		t.Fatal(n, info)
	}
	if r.ARwnd() != 1000 {
		t.Fatalf("arwnd %d", r.ARwnd())
	}
	mustAdd(t, r, dfrag(2, 0, 0, "", "x"), dfrag(5, 0, 0, "E", "y"))
	if n, info, _ := r.Read(buf); n != 3002 || !info.EOR {
		t.Fatal(n, info)
	}
}

func TestPartialDeliveryWindowBlockedScan(t *testing.T) {
	// The blocked window is caused by a fragment of another message: the
	// scan picks the message with the longest run.
	r := NewReassembly(Config{ReceiveBufferSize: 3000}, false)
	mustAdd(t, r, dfrag(1, 0, 0, "B", string(make([]byte, 500))))
	mustAdd(t, r, dfrag(10, 1, 0, "B", string(make([]byte, 800))))
	mustAdd(t, r, dfrag(20, 2, 5, "", string(make([]byte, 1700)))) // not deliverable
	if got := r.NextMessageLen(); got != 800 {
		t.Fatalf("NextMessageLen %d", got)
	}
}

func TestPartialDeliveryAbortedByAbort(t *testing.T) {
	r := NewReassembly(Config{PartialDeliveryPoint: 2}, false)
	mustAdd(t, r, dfrag(1, 4, 0, "B", "ab"), dfrag(2, 4, 0, "", "cd"))
	mustAdd(t, r, dfrag(9, 5, 0, "B", "zz"), dfrag(12, 6, 0, "BE", "done"))
	r.Abort()
	a, ok := r.PollPartialDeliveryAborted()
	if !ok || a != (PartialDeliveryAborted{Stream: 4}) {
		t.Fatalf("%+v %v", a, ok)
	}
	if _, ok := r.PollPartialDeliveryAborted(); ok {
		t.Fatal("second event")
	}
	got := readAll(r)
	if !slices.Equal(datas(got), []string{"abcd", "done"}) || got[0].info.EOR || !got[1].info.EOR {
		t.Fatalf("got %v", got)
	}
	if r.Held() != 0 {
		t.Fatalf("held %d", r.Held())
	}
	// Fragments after Abort are ignored.
	mustAdd(t, r, dfrag(13, 6, 1, "BE", "late"))
	if r.Readable() {
		t.Fatal("readable after abort")
	}
}

func TestReset(t *testing.T) {
	r := NewReassembly(Config{}, false)
	mustAdd(t, r, dfrag(1, 0, 0, "BE", "kept"), dfrag(3, 0, 2, "BE", "lost"), dfrag(4, 0, 5, "B", "partial"))
	r.Reset()
	mustAdd(t, r, dfrag(100, 0, 0, "BE", "new"))
	if got := datas(readMessages(t, r)); !slices.Equal(got, []string{"kept", "new"}) {
		t.Fatalf("got %q", got)
	}
	if r.Held() != 0 {
		t.Fatalf("held %d", r.Held())
	}
}

func TestAbortFreesEverything(t *testing.T) {
	for _, idata := range []bool{false, true} {
		r := NewReassembly(Config{}, idata)
		if idata {
			mustAdd(t, r, ifrag(1, 0, 0, 0, "BU", "u"), ifrag(2, 0, 3, 0, "B", "o"), ifrag(3, 1, 0, 0, "BE", "done"))
		} else {
			mustAdd(t, r, dfrag(1, 0, 0, "BU", "u"), dfrag(3, 0, 3, "B", "o"), dfrag(5, 1, 0, "BE", "done"))
		}
		r.Abort()
		if got := datas(readAll(r)); !slices.Equal(got, []string{"done"}) || r.Held() != 0 {
			t.Fatalf("idata %v: got %q held %d", idata, got, r.Held())
		}
		if _, ok := r.PollPartialDeliveryAborted(); ok {
			t.Fatal("no partial delivery was in progress")
		}
	}
}
