package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sconnlab/sconn/wire"
	"github.com/sconnlab/sconn/wire/pcap"
)

// frameView is what both tools say about one frame: its chunk types, in
// order, and whether its CRC32c is right.
type frameView struct {
	types      []int
	checksumOK bool
}

func (f frameView) String() string {
	return fmt.Sprintf("chunks %v checksum ok %v", f.types, f.checksumOK)
}

// tsharkFrames runs tshark over file, decoding SCTP in UDP on 9899 (its
// default), 11111 and 22222, and returns the frames that hold SCTP.
func tsharkFrames(t *testing.T, tshark, file string) map[int]frameView {
	t.Helper()
	args := []string{"-r", file, "-n",
		"-d", "udp.port==11111,sctp", "-d", "udp.port==22222,sctp",
		"-o", "sctp.checksum:CRC-32C",
		"-T", "fields", "-E", "separator=/t",
		"-e", "frame.number", "-e", "sctp.chunk_type", "-e", "sctp.checksum.status"}
	var out, errOut bytes.Buffer
	cmd := exec.Command(tshark, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir()) // keep tshark's profile out of $HOME
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	frames := map[int]frameView{}
	for _, line := range lines(out.String()) {
		f := strings.Split(line, "\t")
		if len(f) < 3 || f[1] == "" {
			continue // no SCTP in this frame
		}
		n, err := strconv.Atoi(f[0])
		if err != nil {
			t.Fatalf("tshark line %q: %v", line, err)
		}
		var v frameView
		for _, s := range strings.Split(f[1], ",") {
			ty, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("tshark line %q: %v", line, err)
			}
			v.types = append(v.types, ty)
		}
		// sctp.checksum.status: 0 bad, 1 good, 2 unverified.
		v.checksumOK = f[2] == "1"
		frames[n] = v
	}
	return frames
}

// sctpdumpFrames runs sctpdump -json with the same UDP ports.
func sctpdumpFrames(t *testing.T, file string) map[int]frameView {
	t.Helper()
	status, out, errOut := runCmd(t, "-json", "-udp", "9899,11111,22222", file)
	if status != 0 {
		t.Fatalf("sctpdump: status %d: %s", status, errOut)
	}
	frames := map[int]frameView{}
	for _, line := range lines(out) {
		var p struct {
			Frame      int  `json:"frame"`
			ChecksumOK bool `json:"checksum_ok"`
			Chunks     []struct {
				Type int `json:"type"`
			} `json:"chunks"`
		}
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("sctpdump line %q: %v", line, err)
		}
		v := frameView{checksumOK: p.ChecksumOK}
		for _, c := range p.Chunks {
			v.types = append(v.types, c.Type)
		}
		if _, dup := frames[p.Frame]; dup {
			t.Errorf("sctpdump lists frame %d twice", p.Frame)
		}
		frames[p.Frame] = v
	}
	return frames
}

// TestSameAsTshark is the acceptance test: for captures of real
// usrsctp traffic, sctpdump -json lists exactly the packets and chunk types
// that tshark lists (and agrees on the checksums). A generated capture with
// bad and zero checksums is compared too.
func TestSameAsTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("SCONN_NO_TSHARK") == "1" {
			t.Skip("tshark not found; skipped because SCONN_NO_TSHARK=1")
		}
		t.Fatal("tshark not found: run make deps")
	}
	pkts := problemPackets()[:3] // good, bad checksum, zero checksum
	pkts = append(pkts, packet(9, &wire.Heartbeat{Info: []byte("0123456789")}),
		packet(9, &wire.Abort{TagReflected: true}))
	generated := writeCapture(t, pcap.WriterOptions{UDP: true}, pkts...)

	for _, file := range []string{echoCapture, tsctpCapture, generated} {
		t.Run(strings.TrimSuffix(file[strings.LastIndexByte(file, '/')+1:], ".pcapng"), func(t *testing.T) {
			want := tsharkFrames(t, tshark, file)
			got := sctpdumpFrames(t, file)
			if len(want) == 0 {
				t.Fatal("tshark found no SCTP")
			}
			var frames []int
			for n := range want {
				frames = append(frames, n)
			}
			for n := range got {
				if _, ok := want[n]; !ok {
					frames = append(frames, n)
				}
			}
			slices.Sort(frames)
			for _, n := range frames {
				w, inT := want[n]
				g, inS := got[n]
				switch {
				case !inS:
					t.Errorf("frame %d: tshark has %v, sctpdump nothing", n, w)
				case !inT:
					t.Errorf("frame %d: sctpdump has %v, tshark nothing", n, g)
				case !slices.Equal(w.types, g.types) || w.checksumOK != g.checksumOK:
					t.Errorf("frame %d: tshark %v, sctpdump %v", n, w, g)
				}
			}
			t.Logf("%s: %d SCTP frames agree", file, len(want))
		})
	}
}
