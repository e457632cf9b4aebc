package conn

import "time"

// AssocIDs returns the IDs of the socket's associations
// (SCTP_GET_ASSOC_ID_LIST).
func (s *Socket) AssocIDs() []AssocID {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]AssocID, 0, len(s.assocs))
	for id := range s.assocs {
		ids = append(ids, id)
	}
	sortIDs(ids)
	return ids
}

func sortIDs(ids []AssocID) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && ids[j] < ids[j-1]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}

// AssocID returns the ID of the socket's association with the peer at
// addr, or 0 (usrsctp_getassocid).
func (s *Socket) AssocID(peer Addr) AssocID {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, as := range s.assocs {
		if as.peer() == peer {
			return id
		}
	}
	return 0
}

// GetPAddrs returns the peer's addresses of association id (the one of a
// one-to-one socket when id is 0) (usrsctp_getpaddrs). AF_CONN
// associations have exactly one.
func (s *Socket) GetPAddrs(id AssocID) ([]Addr, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	as, err := s.assocLocked(id)
	if err != nil {
		return nil, opErr("getpaddrs", id, nil, err)
	}
	return []Addr{as.peer()}, nil
}

// GetLAddrs returns the local addresses of association id, or, with id 0
// on a socket without association, the bound address (usrsctp_getladdrs).
func (s *Socket) GetLAddrs(id AssocID) ([]Addr, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id == 0 && (s.typ == OneToMany || s.one == nil) {
		if !s.bound {
			return nil, nil
		}
		return []Addr{s.local}, nil
	}
	as, err := s.assocLocked(id)
	if err != nil {
		return nil, opErr("getladdrs", id, nil, err)
	}
	return []Addr{as.local()}, nil
}

// SetNonBlocking switches blocking calls to return ErrWouldBlock or
// ErrInProgress instead of waiting (usrsctp_set_non_blocking).
func (s *Socket) SetNonBlocking(on bool) {
	s.mu.Lock()
	s.nonBlocking = on
	s.broadcastLocked()
	s.mu.Unlock()
}

// NonBlocking reports the mode (usrsctp_get_non_blocking).
func (s *Socket) NonBlocking() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nonBlocking
}

// SetDeadline sets the read and write deadlines, as net.Conn does.
// Deadlines are absolute times on the stack's clock (Stack.Now): the wall
// clock in TimersGoroutine mode, the host's time in TimersManual mode. The
// zero time means none.
func (s *Socket) SetDeadline(t time.Time) error {
	s.mu.Lock()
	s.rdDeadline, s.wrDeadline = t, t
	s.broadcastLocked()
	s.mu.Unlock()
	return nil
}

// SetReadDeadline bounds RecvV and Accept.
func (s *Socket) SetReadDeadline(t time.Time) error {
	s.mu.Lock()
	s.rdDeadline = t
	s.broadcastLocked()
	s.mu.Unlock()
	return nil
}

// SetWriteDeadline bounds SendV and Connect.
func (s *Socket) SetWriteDeadline(t time.Time) error {
	s.mu.Lock()
	s.wrDeadline = t
	s.broadcastLocked()
	s.mu.Unlock()
	return nil
}

// SetULPInfo stores a value for the host (usrsctp_set_ulpinfo).
func (s *Socket) SetULPInfo(v any) {
	s.mu.Lock()
	s.ulpInfo = v
	s.mu.Unlock()
}

// ULPInfo returns the value SetULPInfo stored (usrsctp_get_ulpinfo).
func (s *Socket) ULPInfo() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ulpInfo
}
