package rx

// Unordered DATA messages carry no usable SSN (§6.6: the receiver MUST
// ignore it), so their fragments are grouped by TSN alone: the fragments
// of a message have consecutive TSNs, B first and E last (§6.9). A partial
// message is a run of consecutive TSNs, indexed by its first and last TSN;
// a new fragment joins the run ending just below it (unless it has B) and
// the one starting just above it (unless it has E). Each fragment costs
// O(1) map work, however large the message.

// addRun stores an unordered DATA fragment that is not a whole message.
func (r *Reassembly) addRun(f *Fragment) {
	if r.runFirst == nil {
		r.runFirst = make(map[uint32]*message)
		r.runLast = make(map[uint32]*message)
	}
	tsn := f.TSN
	var left, right *message
	if !f.Beginning {
		if m := r.runLast[tsn-1]; m != nil && m.stream == f.Stream && !m.haveE {
			left = m
		}
	}
	if !f.Ending {
		if m := r.runFirst[tsn+1]; m != nil && m.stream == f.Stream && !m.haveB {
			right = m
		}
	}
	var m *message
	switch {
	case left == nil && right == nil:
		m = r.newMsg(f, uint32(f.SSN))
		if !r.store(m, f) {
			r.recycle(m)
			return
		}
		m.lo, m.hi = tsn, tsn
		r.runFirst[tsn], r.runLast[tsn] = m, m
	case right == nil:
		m = left
		if !r.store(m, f) {
			return
		}
		delete(r.runLast, m.hi)
		m.hi = tsn
		r.runLast[tsn] = m
	case left == nil:
		m = right
		if !r.store(m, f) {
			return
		}
		delete(r.runFirst, m.lo)
		m.lo = tsn
		r.runFirst[tsn] = m
	default:
		m = left
		if !r.store(m, f) {
			return
		}
		// Move right's fragments (and their buffers) into left.
		for _, fr := range right.frags {
			i, ok := m.add(fr.seq, fr.tsn, false, fr.tsn == right.lastSeq && right.haveE)
			if !ok { // cannot happen: right's TSNs all follow tsn
				r.release(fr.b)
				continue
			}
			m.frags[i].b = fr.b
			m.size += len(fr.b)
		}
		m.extend()
		delete(r.runLast, m.hi)
		delete(r.runFirst, right.lo)
		m.hi = right.hi
		r.runLast[m.hi] = m
		clear(right.frags) // the buffers now belong to m
		right.frags = right.frags[:0]
		r.recycle(right)
	}
	if m.complete {
		delete(r.runFirst, m.lo)
		delete(r.runLast, m.hi)
		r.complete(m)
		return
	}
	r.maybePD(m)
}
