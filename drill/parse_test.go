package drill

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, src string) *Script {
	t.Helper()
	s, err := Parse("test.pkt", []byte(src), ParseOptions{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

func parseErr(t *testing.T, src string) *Error {
	t.Helper()
	_, err := Parse("test.pkt", []byte(src), ParseOptions{})
	if err == nil {
		t.Fatalf("Parse(%q): no error", src)
	}
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("Parse(%q): error %T %v, want *Error", src, err, err)
	}
	return e
}

func TestParseTiming(t *testing.T) {
	s := mustParse(t, `
 0.0 close(3) = 0
+0.1 close(3) = 0
*    close(3) = 0
 1.5~2.0 close(3) = 0
+0.1~+0.3 close(3) = 0
 .5 close(3) = 0
 2 close(3) = 0
 0.1...0.2 close(3) = 0
`)
	want := []TimeSpec{
		{Kind: TimeAbsolute},
		{Kind: TimeRelative, Start: 100 * time.Millisecond},
		{Kind: TimeAny},
		{Kind: TimeAbsolute, Start: 1500 * time.Millisecond, HasEnd: true, End: 2 * time.Second, EndKind: TimeAbsolute},
		{Kind: TimeRelative, Start: 100 * time.Millisecond, HasEnd: true, End: 300 * time.Millisecond, EndKind: TimeRelative},
		{Kind: TimeAbsolute, Start: 500 * time.Millisecond},
		{Kind: TimeAbsolute, Start: 2 * time.Second},
		{Kind: TimeAbsolute, Start: 100 * time.Millisecond, HasEnd: true, End: 200 * time.Millisecond, EndKind: TimeAbsolute, Blocking: true},
	}
	if len(s.Events) != len(want) {
		t.Fatalf("%d events, want %d", len(s.Events), len(want))
	}
	for i, w := range want {
		if s.Events[i].Time != w {
			t.Errorf("event %d: time %+v, want %+v", i, s.Events[i].Time, w)
		}
		if s.Events[i].Line != i+2 {
			t.Errorf("event %d: line %d, want %d", i, s.Events[i].Line, i+2)
		}
	}
	if got := s.Events[4].Time.String(); got != "+0.1~+0.3" {
		t.Errorf("String() = %q", got)
	}
}

func TestParseOptions(t *testing.T) {
	s := mustParse(t, "--tolerance_usecs=10000\n--ip_version=ipv4 // comment\n--verbose\n0 close(3) = 0\n")
	want := []Option{{1, "tolerance_usecs", "10000"}, {2, "ip_version", "ipv4"}, {3, "verbose", ""}}
	if len(s.Options) != len(want) {
		t.Fatalf("options %+v", s.Options)
	}
	for i := range want {
		if s.Options[i] != want[i] {
			t.Errorf("option %d: %+v, want %+v", i, s.Options[i], want[i])
		}
	}
	e := parseErr(t, "0 close(3) = 0\n--tolerance_usecs=1\n")
	if e.Line != 2 {
		t.Errorf("option after event: line %d", e.Line)
	}
}

func TestParseSyscalls(t *testing.T) {
	s := mustParse(t, `
 0.0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3
+0.0 fcntl(3, F_GETFL) = 0x02 (flags O_RDWR)
+0.0 fcntl(3, F_SETFL, O_RDWR | O_NONBLOCK) = 0
+0.0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
+0.0 write(3, ...,1000) = -1 // ECONNRESET (Connection reset by peer) on FreeBSD
+0.0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
+0.0 setsockopt(3, IPPROTO_SCTP, SCTP_RTOINFO, {srto_initial=100,
                                                srto_max=800,
                                                srto_min=100}, 16) = 0
+0.0 read(3, ..., 100) = -1 EWOULDBLOCK (Operation would block)
+0.0 sctp_sendv(3, [{iov_base=..., iov_len=1000}], 1, NULL, 0, {snd_sid=1, snd_flags=0, snd_ppid=htonl(7), snd_context=0, snd_assoc_id=0}, sizeof(struct sctp_sndinfo), SCTP_SENDV_SNDINFO, 0) = 1000
+0.0 recvmsg(3, {msg_name(...)=..., msg_iov(1)=[{iov_base=..., iov_len=1000}], msg_flags=MSG_EOR}, 0) = 1000
`)
	if len(s.Events) != 10 {
		t.Fatalf("%d events", len(s.Events))
	}
	c := s.Events[1].Call
	if c.Name != "fcntl" || c.Result.String() != "0x02" || c.Note != "flags O_RDWR" {
		t.Errorf("fcntl: %+v", c)
	}
	c = s.Events[2].Call
	if b, ok := c.Args[2].(*BinaryExpr); !ok || b.String() != "O_RDWR|O_NONBLOCK" {
		t.Errorf("flags arg: %v", c.Args[2])
	}
	c = s.Events[3].Call
	if c.Result.String() != "-1" || c.Errno != "EINPROGRESS" || c.Note != "Operation now in progress" {
		t.Errorf("connect: %+v", c)
	}
	c = s.Events[4].Call
	if c.Result.String() != "-1" || c.Errno != "" {
		t.Errorf("write: %+v", c)
	}
	c = s.Events[5].Call
	if l, ok := c.Args[3].(*ListExpr); !ok || len(l.Elems) != 1 {
		t.Errorf("getsockopt value: %v", c.Args[3])
	}
	c = s.Events[6].Call
	st, ok := c.Args[3].(*StructExpr)
	if !ok || len(st.Fields) != 3 || st.Fields[1].Name != "srto_max" || st.Fields[1].Value.String() != "800" {
		t.Errorf("struct: %v", c.Args[3])
	}
	if s.Events[6].Line != 8 || s.Events[7].Line != 11 {
		t.Errorf("lines %d %d", s.Events[6].Line, s.Events[7].Line)
	}
	c = s.Events[8].Call
	if len(c.Args) != 9 {
		t.Fatalf("sctp_sendv args: %d", len(c.Args))
	}
	if ce, ok := c.Args[6].(*CallExpr); !ok || ce.Fn != "sizeof" || ce.Args[0].String() != "struct sctp_sndinfo" {
		t.Errorf("sizeof: %v", c.Args[6])
	}
	c = s.Events[9].Call
	st = c.Args[1].(*StructExpr)
	if st.Fields[1].Name != "msg_iov" || st.Fields[1].Arg.String() != "1" {
		t.Errorf("msg_iov: %+v", st.Fields[1])
	}
}

func TestParseCommandsAndIfdef(t *testing.T) {
	src := `#ifdef FreeBSD
 0.0 ` + "`sysctl -i net.inet.sctp.ecn_enable=0`" + ` // trailing
#endif
#ifdef Linux
 0.0 ` + "`sysctl -q net.sctp.ecn_enable=0`" + `
#else
+0.0 close(3) = 0
#endif
#ifndef FreeBSD
+0.0 close(4) = 0
#endif
` + "`echo hi`" + `
`
	s := mustParse(t, src)
	if len(s.Events) != 3 {
		t.Fatalf("%d events: %+v", len(s.Events), s.Events)
	}
	if s.Events[0].Kind != EventCommand || s.Events[0].Command != "sysctl -i net.inet.sctp.ecn_enable=0" || s.Events[0].Line != 2 {
		t.Errorf("event 0: %+v", s.Events[0])
	}
	if s.Events[1].Kind != EventSyscall || s.Events[1].Line != 7 {
		t.Errorf("event 1: %+v", s.Events[1])
	}
	if s.Events[2].Kind != EventCommand || s.Events[2].Command != "echo hi" {
		t.Errorf("event 2: %+v", s.Events[2])
	}
	// With Linux defined instead, the other branches are taken.
	s2, err := Parse("x", []byte(src), ParseOptions{Defined: []string{"Linux"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s2.Events) != 3 || s2.Events[0].Command != "sysctl -q net.sctp.ecn_enable=0" || s2.Events[1].Call.Args[0].String() != "4" {
		t.Errorf("Linux branch: %+v", s2.Events)
	}
	for _, bad := range []struct {
		src  string
		line int
	}{
		{"#ifdef X\n0 close(3) = 0\n", 1},
		{"#endif\n", 1},
		{"#ifdef X\n#else\n#else\n#endif\n", 3},
		{"0 close(3) = 0\n#if defined(X)\n#endif\n", 2},
	} {
		e := parseErr(t, bad.src)
		if e.Line != bad.line {
			t.Errorf("%q: error %v, want line %d", bad.src, e, bad.line)
		}
	}
}

func TestParseComments(t *testing.T) {
	s := mustParse(t, `// line comment
/* block
   comment */ 0 close(3) = 0 /* inline */ // and more
+0 close(4) = 0
`)
	if len(s.Events) != 2 || s.Events[0].Line != 3 || s.Events[1].Line != 4 {
		t.Fatalf("events %+v", s.Events)
	}
}

func TestParsePackets(t *testing.T) {
	s := mustParse(t, `
+0.0 > sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=0, ...]
+0.0 < sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=1500, os=1, is=1, tsn=3,
                      STATE_COOKIE[len=4, val=...],
                      HOSTNAME_ADDRESS[addr="a.b"], IPV4_ADDRESS[addr=1.1.1.1],
                      IPV6_ADDRESS[addr=fe80::250:56ff:fe24:9e6],
                      SUPPORTED_ADDRESS_TYPES[types=[IPv4, IPv6]],
                      COOKIE_PRESERVATIVE[incr=12345],
                      PARAMETER[type=0xc0cc, len=8, val=[0x01, 0x01, 0x01, 0x01]]]
+0.0 < sctp: DATA[flgs=BE, len=116, tsn=1, sid=0, ssn=0, ppid=0];
             SACK[flgs=0, cum_tsn=1, a_rwnd=1500, gaps=[2:2, 4:5], dups=[7]]
+0.0 > sctp: ERROR[flgs=0, UNRECOGNIZED_CHUNK_TYPE[chk=CHUNK[type=0xEF, flgs=0, len=5, val=[0x01]]]]
+0.0 < sctp(tag=1): SHUTDOWN[flgs=0, cum_tsn=0]
+0.0 < sctp(bad_crc32c): ABORT[flgs=T, USER_INITIATED_ABORT[info="bye"], PROTOCOL_VIOLATION[info=[0x01]]]
+0.0 > sctp: ABORT[flgs=..., UNRESOLVABLE_ADDRESS[param=HOSTNAME_ADDRESS[addr="a.b"]]]
+0.0 > sctp: INIT_ACK[flgs=0, tag=2, a_rwnd=..., os=..., is=..., tsn=1,
                      UNRECOGNIZED_PARAMETER[params=[PARAMETER[type=0xc0cc, len=8, val=[0x01, 0x01, 0x01, 0x01]]]],
                      STATE_COOKIE[len=..., val=...]]
+0.0 < sctp: HEARTBEAT[flgs=0, HEARTBEAT_INFORMATION[len=9, val=...]]
+0.0 < sctp: COOKIE_ECHO[flgs=0, len=16, val=[0x01, 0x02, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x9, 0x0a, 0x0b]]
+0.0 > sctp: ABORT[flgs=0, NO_USER_DATA[tsn=1]]
+0.0 < sctp: SHUTDOWN_COMPLETE[flgs=T]; SHUTDOWN_ACK[flgs=0]; COOKIE_ACK[flgs=0]; CHUNK[type=0x2F, flgs=0, len=5, val=[0x01]]
+0.0 < sctp: I_DATA[flgs=UBE, len=24, tsn=1, sid=2, mid=3, ppid=4]; FORWARD_TSN[cum_tsn=9, ids=[1:2]]; PAD[len=8]; ECNE[tsn=1]; CWR[tsn=1]
+0.0 < sctp: RECONFIG[flgs=0, OUTGOING_SSN_RESET[req_sn=1, resp_sn=2, last_tsn=3, sids=[1, 2]]]
+0.0 < sctp: NR_SACK[flgs=0, cum_tsn=1, a_rwnd=10, gaps=[], nr_gaps=[2:3], dups=[]]
+0.0 > sctp: ERROR[flgs=0, cause=INVALID_STREAM_IDENTIFIER[sid=7]]; ABORT[flgs=0, causes=[NO_USER_DATA[tsn=1], ...]]
`)
	if c := s.Events[15].Packet.Chunks; len(c[0].Items) != 1 || c[0].Items[0].Name != "INVALID_STREAM_IDENTIFIER" || len(c[1].Items) != 2 || !c[1].Items[1].Wild {
		t.Errorf("cause= and causes=: %+v %+v", c[0], c[1])
	}
	if len(s.Events) != 16 {
		t.Fatalf("%d events", len(s.Events))
	}
	p := s.Events[0].Packet
	if p.Dir != DirOut || len(p.Chunks) != 1 || p.Chunks[0].Name != "INIT" {
		t.Fatalf("packet 0: %+v", p)
	}
	c := p.Chunks[0]
	if c.Fields["tag"] != (Num{numVal, 1}) || c.Fields["a_rwnd"].Kind != numAny || len(c.Items) != 1 || !c.Items[0].Wild {
		t.Errorf("INIT: %+v", c)
	}
	c = s.Events[1].Packet.Chunks[0]
	if len(c.Items) != 7 {
		t.Fatalf("INIT_ACK items %d", len(c.Items))
	}
	if it := c.Items[0]; it.Name != "STATE_COOKIE" || it.Len != (Num{numVal, 4}) || it.Val.Kind != numAny {
		t.Errorf("STATE_COOKIE %+v", it)
	}
	if it := c.Items[1]; string(it.Val.B) != "a.b\x00" {
		t.Errorf("HOSTNAME %+v", it)
	}
	if it := c.Items[2]; *it.Addr != netip.MustParseAddr("1.1.1.1") {
		t.Errorf("IPv4 %+v", it)
	}
	if it := c.Items[3]; *it.Addr != netip.MustParseAddr("fe80::250:56ff:fe24:9e6") {
		t.Errorf("IPv6 %+v", it)
	}
	if it := c.Items[4]; fmtList(it.Types.V) != "[5, 6]" {
		t.Errorf("types %+v", it)
	}
	if it := c.Items[6]; it.Code != 0xc0cc || len(it.Val.B) != 4 {
		t.Errorf("PARAMETER %+v", it)
	}
	p = s.Events[2].Packet
	if len(p.Chunks) != 2 || p.Chunks[0].Flags.V != 3 || fmtBlocks(p.Chunks[1].Gaps.V) != "[2:2, 4:5]" || fmtList(p.Chunks[1].Dups.V) != "[7]" {
		t.Errorf("DATA;SACK %+v %+v", p.Chunks[0], p.Chunks[1])
	}
	ch := s.Events[3].Packet.Chunks[0].Items[0].Chunk
	if ch == nil || ch.Type != 0xEF || ch.Len.V != 5 {
		t.Errorf("chk %+v", ch)
	}
	if p := s.Events[4].Packet; p.Tag == nil || *p.Tag != 1 {
		t.Errorf("tag option %+v", p)
	}
	if p := s.Events[5].Packet; !p.BadCRC || p.Chunks[0].Flags.V != 1 {
		t.Errorf("bad_crc32c %+v", p)
	}
	if got := s.Events[12].Packet.Chunks[0].Flags.V; got != 7 {
		t.Errorf("UBE = %d", got)
	}
}

func TestParseUnsupported(t *testing.T) {
	for _, tc := range []struct {
		src, want string
		line      int
	}{
		{"0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n+0 > S 0:0(0) win 1000\n", "unsupported: ", 2},
		{"0 < udp(1000)\n", "unsupported: udp packets", 1},
		{"0 < sctp: AUTH[flgs=0]\n", "unsupported: AUTH chunks", 1},
		{"0 < sctp: FOO[flgs=0]\n", "unsupported: chunk type FOO", 1},
		{"\n\n0 < sctp: DATA[flgs=0, foo=1]\n", "unsupported: field foo in DATA", 3},
		{"0 < sctp: INIT[flgs=0, BAR[x=1]]\n", "unsupported: parameter BAR", 1},
		{"0 < sctp: ABORT[flgs=0, BAR[x=1]]\n", "unsupported: error cause BAR", 1},
		{"0 frobnicate(3) = 0\n", "unsupported: system call frobnicate", 1},
		{"0 close(FOO_BAR) = 0\n", "unsupported: symbol FOO_BAR", 1},
		{"0 close(3) = -1 EFOO\n", "unsupported: errno EFOO", 1},
		{"0 close(3) = 0\n%{ print 1 }%\n", "unsupported: inline Python", 2},
		{"0 < sctp(foo): DATA[]\n", "unsupported: sctp(foo)", 1},
		{"0 close(bar(3)) = 0\n", "unsupported: function bar()", 1},
	} {
		e := parseErr(t, tc.src)
		if !strings.Contains(e.Msg, tc.want) || e.Line != tc.line {
			t.Errorf("%q: got %v (line %d), want %q on line %d", tc.src, e, e.Line, tc.want, tc.line)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int
	}{
		{"0 close(3\n", 2},
		{"0 close(3) = \n", 2},
		{"0 close(3)\n+0 close(3) = 0", 2},
		{"abc close(3) = 0\n", 1},
		{"0 < sctp: DATA[flgs=XYZ]\n", 1},
		{"0 < sctp: DATA[flgs=0, flgs=1]\n", 1},
		{"0 < sctp: DATA[tsn=0x1ffffffff]\n", 1},
		{"0 < sctp: SACK[gaps=[1]]\n", 1},
		{"0 < sctp: DATA[val=[256]]\n", 1},
		{"0 \"abc\n", 1},
		{"0 /* x\n", 1},
		{"0 close(3) = 0 $\n", 1},
		{"0 < sctp: CHUNK[flgs=0]\n", 1},
		{"0 < sctp: INIT[flgs=0, DATA[]]\n", 1},
		{"2~1 close(3) = 0\n", 1},
	} {
		e := parseErr(t, tc.src)
		if e.Line != tc.line || e.Msg == "" {
			t.Errorf("%q: got %v (line %d), want line %d", tc.src, e, e.Line, tc.line)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"0 socket(..., SOCK_STREAM, IPPROTO_SCTP) = 3\n",
		"+0.1 > sctp: INIT[flgs=0, tag=1, a_rwnd=..., os=..., is=..., tsn=0, ...]\n",
		"+0 < sctp: DATA[flgs=BE, len=116, tsn=1, sid=0, ssn=0, ppid=0]; SACK[flgs=0, cum_tsn=1, a_rwnd=1500, gaps=[2:2], dups=[]]\n",
		"#ifdef FreeBSD\n0 `sysctl -i x=1`\n#endif\n",
		"--tolerance_usecs=1\n* > sctp(tag=1): ABORT[flgs=T, UNRECOGNIZED_CHUNK_TYPE[chk=CHUNK[type=0xEF, flgs=0, len=5, val=[0x01]]]]\n",
		"0 setsockopt(3, IPPROTO_SCTP, SCTP_RTOINFO, {srto_initial=100, srto_max=800, srto_min=100}, 16) = 0 (x)\n",
		"0 < sctp: INIT[flgs=0, tag=1, IPV6_ADDRESS[addr=fe80::1], IPV4_ADDRESS[addr=1.2.3.4], HOSTNAME_ADDRESS[addr=\"a\"]]\n",
	} {
		f.Add([]byte(s))
	}
	for _, file := range etsiScriptsOrNil() {
		f.Add(file)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := Parse("fuzz.pkt", src, ParseOptions{})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if strings.Contains(err.Error(), "internal parser error") {
				t.Fatalf("%v", err)
			}
			return
		}
		// Whatever parses must also encode without panicking.
		st := newLiveState(8080, 9090)
		for _, ev := range s.Events {
			if ev.Kind == EventPacket && ev.Packet.Dir == DirIn {
				_, _ = encodePacket(ev.Packet, st)
			}
		}
	})
}
