package drill

import "maps"

// liveState maps the script's symbolic values onto the live ones of the
// stack under test, as packets go by.
//
//   - Verification tags. The tag of an expected INIT or INIT ACK ("> sctp:
//     INIT[tag=1, ...]") is the script's name for the tag the stack chose.
//     The first packet that names it binds the name to the live value;
//     later packets naming it must carry the same value. The last bound tag
//     is the "current" local tag: injected packets carry it as their
//     verification tag. "tag=..." binds nothing. The tags of injected INIT
//     and INIT ACK chunks are the peer's and are sent as written.
//   - TSNs. The stack's TSNs are written relative to the initial TSN of its
//     INIT or INIT ACK: an expected "INIT[..., tsn=1, ...]" says that the
//     stack's initial TSN is called 1 in the script, and every TSN the stack
//     assigns (DATA tsn, FORWARD TSN) or that acknowledges the stack's data
//     (SACK cum_tsn and dups, SHUTDOWN cum_tsn, NO_USER_DATA tsn of an
//     injected packet) is translated with the same offset. The offset is
//     kept per association (per live local tag). TSNs of the peer (injected
//     DATA, the stack's SACKs of them) are used as written.
//   - The State Cookie of the last INIT ACK the stack sent is what an
//     injected COOKIE_ECHO[val=...] carries.
//   - The Heartbeat Information of the last HEARTBEAT the stack sent is
//     what an injected HEARTBEAT_ACK[HEARTBEAT_INFORMATION[val=...]]
//     carries: the peer echoes it unchanged (RFC 9260 §8.3), so a script
//     can acknowledge a heartbeat whose content the stack chose.
type liveState struct {
	localPort, remotePort uint16

	tagMap  map[uint32]uint32 // script local tag -> live
	curTag  uint32            // live local tag of the current association
	haveTag bool
	tsnOff  map[uint32]uint32 // live local tag -> live TSN - script TSN

	peerTag  uint32 // the peer's (script's) tag from the last injected INIT or INIT ACK
	havePeer bool
	peerTags map[uint32]bool // every tag the peer announced

	cookie     []byte
	haveCookie bool

	hbInfo     []byte // Heartbeat Information of the last HEARTBEAT sent
	haveHBInfo bool

	lastInVtag uint32 // verification tag of the last injected packet
	haveLastIn bool
}

func newLiveState(localPort, remotePort uint16) *liveState {
	return &liveState{
		localPort: localPort, remotePort: remotePort,
		tagMap: map[uint32]uint32{}, tsnOff: map[uint32]uint32{}, peerTags: map[uint32]bool{},
	}
}

func (s *liveState) clone() *liveState {
	c := *s
	c.tagMap = maps.Clone(s.tagMap)
	c.tsnOff = maps.Clone(s.tsnOff)
	c.peerTags = maps.Clone(s.peerTags)
	return &c
}

// off returns the TSN offset of the current association.
func (s *liveState) off() uint32 {
	if !s.haveTag {
		return 0
	}
	return s.tsnOff[s.curTag]
}

// ownLive translates a script TSN of the stack into the live TSN.
func (s *liveState) ownLive(script uint32) uint32 { return script + s.off() }

// ownScript translates a live TSN of the stack into the script's numbering.
func (s *liveState) ownScript(live uint32) uint32 { return live - s.off() }

// localVtag is the verification tag injected packets carry by default.
func (s *liveState) localVtag() uint32 {
	if s.haveTag {
		return s.curTag
	}
	return 0
}

// notePeer records the initiate tag of an injected INIT or INIT ACK.
func (s *liveState) notePeer(tag uint32) {
	s.peerTag, s.havePeer = tag, true
	s.peerTags[tag] = true
}
