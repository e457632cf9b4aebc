package conn

import "sync"

// demux routes inbound packets: to an association by (handle, local port,
// peer port), else to the socket bound to (handle, port) or to
// (AnyHandle, port). It is read on every packet and written only when
// associations, bindings or handles come and go, so it is a map behind a
// RWMutex whose read side is the only stack-wide lock a packet takes.
type demux struct {
	mu      sync.RWMutex
	handles map[Handle]struct{}
	assocs  map[assocKey]*association
	bound   map[portKey]*Socket
	ports   map[uint16]int // number of bindings per port (for ephemeral ports)
	nextEph uint16
}

func (d *demux) init() {
	d.handles = make(map[Handle]struct{})
	d.assocs = make(map[assocKey]*association)
	d.bound = make(map[portKey]*Socket)
	d.ports = make(map[uint16]int)
	d.nextEph = ephemeralLow
}

// Ephemeral ports (RFC 6335 dynamic range), as usrsctp picks them.
const (
	ephemeralLow  = 49152
	ephemeralHigh = 65535
)

// registered reports whether h is registered.
func (d *demux) registered(h Handle) bool {
	d.mu.RLock()
	_, ok := d.handles[h]
	d.mu.RUnlock()
	return ok
}

// lookup finds the association for an inbound packet, or else the socket
// bound to its port (specific handle first).
func (d *demux) lookup(k assocKey) (*association, *Socket, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if _, ok := d.handles[k.h]; !ok {
		return nil, nil, false
	}
	if as := d.assocs[k]; as != nil {
		return as, nil, true
	}
	if s := d.bound[portKey{k.h, k.local}]; s != nil {
		return nil, s, true
	}
	return nil, d.bound[portKey{AnyHandle, k.local}], true
}

// addAssoc registers an association; false if the key is taken.
func (d *demux) addAssoc(as *association) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.handles[as.key.h]; !ok {
		return false
	}
	if _, ok := d.assocs[as.key]; ok {
		return false
	}
	d.assocs[as.key] = as
	return true
}

// getAssoc returns the association registered under k.
func (d *demux) getAssoc(k assocKey) *association {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.assocs[k]
}

// removeAssoc unregisters as (if it is still the one under its key).
func (d *demux) removeAssoc(as *association) {
	d.mu.Lock()
	if d.assocs[as.key] == as {
		delete(d.assocs, as.key)
	}
	d.mu.Unlock()
}

// bind registers s at (h, port); port 0 picks an ephemeral port. It returns
// the port or ErrAddrInUse.
func (d *demux) bind(s *Socket, h Handle, port uint16) (uint16, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if h != AnyHandle {
		if _, ok := d.handles[h]; !ok {
			return 0, errorf(ErrAddrNotAvailable, "handle "+h.String())
		}
	}
	if port == 0 {
		for i := 0; i <= ephemeralHigh-ephemeralLow; i++ {
			p := d.nextEph
			d.nextEph++
			if d.nextEph == 0 || d.nextEph < ephemeralLow {
				d.nextEph = ephemeralLow
			}
			if d.ports[p] == 0 {
				port = p
				break
			}
		}
		if port == 0 {
			return 0, errorf(ErrAddrInUse, "no ephemeral port left")
		}
	}
	k := portKey{h, port}
	if _, ok := d.bound[k]; ok {
		return 0, errorf(ErrAddrInUse, Addr{h, port}.String())
	}
	d.bound[k] = s
	d.ports[port]++
	return port, nil
}

// unbind removes the binding of s at k.
func (d *demux) unbind(s *Socket, k portKey) {
	d.mu.Lock()
	if d.bound[k] == s {
		delete(d.bound, k)
		if d.ports[k.port]--; d.ports[k.port] <= 0 {
			delete(d.ports, k.port)
		}
	}
	d.mu.Unlock()
}

// register adds a handle; false if it was already registered.
func (d *demux) register(h Handle) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.handles[h]; ok {
		return false
	}
	d.handles[h] = struct{}{}
	return true
}

// deregister removes a handle and returns the associations that run over
// it (they stay in the map until they end).
func (d *demux) deregister(h Handle) (bool, []*association) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.handles[h]; !ok {
		return false, nil
	}
	delete(d.handles, h)
	var list []*association
	for k, as := range d.assocs {
		if k.h == h {
			list = append(list, as)
		}
	}
	return true, list
}

// allAssocs returns every registered association.
func (d *demux) allAssocs() []*association {
	d.mu.RLock()
	defer d.mu.RUnlock()
	list := make([]*association, 0, len(d.assocs))
	for _, as := range d.assocs {
		list = append(list, as)
	}
	return list
}

// count returns the number of registered associations.
func (d *demux) count() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.assocs)
}
