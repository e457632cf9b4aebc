package conn

import (
	"errors"
	"strings"
	"testing"

	"github.com/sconnlab/sconn/wire"
)

// takeQueued removes the queued packets addressed to st.
func (n *testNet) takeQueued(st *Stack) [][]byte {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out [][]byte
	rest := n.queue[:0]
	for _, p := range n.queue {
		if p.to == st {
			out = append(out, p.b)
		} else {
			rest = append(rest, p)
		}
	}
	n.queue = rest
	return out
}

// TestConnInputBatch: a batch of DATA packets is handled as one run: one
// SACK acknowledges all of them (RFC 9260 §6.2: none waits beyond the
// batch), every message is readable, and a corrupt datagram in the middle
// is dropped and counted like ConnInput does, without stopping the rest.
func TestConnInputBatch(t *testing.T) {
	p := newPair(t, false)
	c, s := p.connected()
	for i := range 6 {
		send(t, c, strings.Repeat("x", 100+i), SendInfo{Stream: 1})
	}
	batch := p.takeQueued(p.b)
	if len(batch) != 6 {
		t.Fatalf("%d packets queued for B, want 6 (NoDelay)", len(batch))
	}
	bad := append([]byte(nil), batch[2]...)
	bad[len(bad)-1] ^= 0xff // corrupt: the checksum fails
	batch = append(batch[:3], append([][]byte{bad}, batch[3:]...)...)
	before := p.b.Drops()[DropBadChecksum]
	err := p.b.ConnInputBatch(p.hb, batch, 0)
	var de *DropError
	if !errors.As(err, &de) || de.Reason != DropBadChecksum {
		t.Fatalf("ConnInputBatch = %v, want the bad checksum drop", err)
	}
	if got := p.b.Drops()[DropBadChecksum]; got != before+1 {
		t.Fatalf("bad checksum drops %d, want %d", got, before+1)
	}
	sacks := p.takeQueued(p.a)
	if len(sacks) != 1 {
		t.Fatalf("B answered the batch with %d packets, want one SACK", len(sacks))
	}
	pk, err := wire.ParsePacket(sacks[0])
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := pk.FirstChunk()
	sk, err := wire.DecodeSack(ch)
	if err != nil {
		t.Fatal(err)
	}
	if want := c.one.a.Info().LocalInitialTSN + 5; sk.CumulativeTSNAck != want || sk.NumGapBlocks() != 0 {
		t.Fatalf("SACK cum %d, %d gaps, want cum %d and no gap", sk.CumulativeTSNAck, sk.NumGapBlocks(), want)
	}
	for i := range 6 {
		if got, _ := recv(t, s, 200); len(got) != 100+i {
			t.Fatalf("message %d: %d bytes", i, len(got))
		}
	}
	// Datagrams of no association go the ConnInput way (out of the blue).
	ootb := append([]byte(nil), sacks[0]...)
	ootb[1]++ // another source port: no association
	wire.SetChecksum(ootb)
	if err := p.b.ConnInputBatch(p.hb, [][]byte{ootb}, 0); !errors.As(err, &de) || de.Reason != DropNoListener {
		t.Fatalf("out of the blue: %v", err)
	}
}

// TestConnInputBatchEndsRunAtClose: datagrams after one that ends the
// association (an ABORT) take the same path in a batch as with ConnInput
// one at a time: the association has left the demultiplexer.
func TestConnInputBatchEndsRunAtClose(t *testing.T) {
	run := func(batch bool) map[DropReason]uint64 {
		p := newPair(t, false)
		c, _ := p.connected()
		send(t, c, "late", SendInfo{Stream: 1})
		data := p.takeQueued(p.b)
		if err := c.Abort(); err != nil {
			t.Fatal(err)
		}
		abort := p.takeQueued(p.b)
		if len(data) != 1 || len(abort) != 1 {
			t.Fatalf("%d DATA and %d ABORT packets", len(data), len(abort))
		}
		pkts := [][]byte{abort[0], data[0]}
		if batch {
			_ = p.b.ConnInputBatch(p.hb, pkts, 0)
		} else {
			for _, b := range pkts {
				_ = p.b.ConnInput(p.hb, b, 0)
			}
		}
		return p.b.Drops()
	}
	one, many := run(false), run(true)
	if len(one) == 0 {
		t.Fatal("the DATA after the ABORT was not dropped")
	}
	for r, n := range one {
		if many[r] != n {
			t.Fatalf("drops one at a time %v, in a batch %v", one, many)
		}
	}
}
