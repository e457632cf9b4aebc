package conntest

import (
	"fmt"

	"github.com/sconnlab/sconn/conn"
)

// PairConfig configures NewPair and NewFan.
type PairConfig struct {
	// Config configures the Network.
	Config
	// Link sets the impairments of both directions.
	Link LinkConfig
	// Up and Down, when set, override Link for one direction: Up from the
	// client (A, or each fan client) to the server, Down back.
	Up, Down *LinkConfig
}

func (c *PairConfig) links() (up, down LinkConfig) {
	up, down = c.Link, c.Link
	if c.Up != nil {
		up = *c.Up
	}
	if c.Down != nil {
		down = *c.Down
	}
	return up, down
}

// Pair is two stacks joined by a link: A (the client, named "A") reaches B
// on HandleA, B (the server, named "B") reaches A on HandleB.
type Pair struct {
	*Network
	A, B             *conn.Stack
	HandleA, HandleB conn.Handle
	// AtoB and BtoA are the two directions.
	AtoB, BtoA *Link
}

// NewPair returns two connected stacks on a new Network. Close the Pair
// (its Network) when done.
func NewPair(cfg PairConfig) (*Pair, error) {
	n := NewNetwork(cfg.Config)
	p := &Pair{Network: n, HandleA: 1, HandleB: 2}
	var err error
	if p.A, err = n.NewStack("A"); err != nil {
		n.Close()
		return nil, err
	}
	if p.B, err = n.NewStack("B"); err != nil {
		n.Close()
		return nil, err
	}
	up, down := cfg.links()
	if p.AtoB, p.BtoA, err = n.Connect(p.A, p.HandleA, p.B, p.HandleB, up, down); err != nil {
		n.Close()
		return nil, err
	}
	return p, nil
}

// Fan is N client stacks joined to one server stack. Client i reaches the
// server on ClientHandle; the server reaches client i on ServerHandles[i].
type Fan struct {
	*Network
	Server        *conn.Stack
	Clients       []*conn.Stack
	ClientHandle  conn.Handle
	ServerHandles []conn.Handle
	// Up[i] carries client i's packets to the server, Down[i] the replies.
	Up, Down []*Link
}

// NewFan returns n client stacks ("C0", "C1"…) joined to a server stack
// ("S") on a new Network.
func NewFan(n int, cfg PairConfig) (*Fan, error) {
	nw := NewNetwork(cfg.Config)
	f := &Fan{Network: nw, ClientHandle: 1}
	var err error
	if f.Server, err = nw.NewStack("S"); err != nil {
		nw.Close()
		return nil, err
	}
	up, down := cfg.links()
	for i := 0; i < n; i++ {
		c, err := nw.NewStack(fmt.Sprintf("C%d", i))
		if err != nil {
			nw.Close()
			return nil, err
		}
		hs := conn.Handle(i + 1)
		u, d, err := nw.Connect(c, f.ClientHandle, f.Server, hs, up, down)
		if err != nil {
			nw.Close()
			return nil, err
		}
		f.Clients = append(f.Clients, c)
		f.ServerHandles = append(f.ServerHandles, hs)
		f.Up, f.Down = append(f.Up, u), append(f.Down, d)
	}
	return f, nil
}
