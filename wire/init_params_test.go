package wire

import (
	"bytes"
	"testing"
)

func TestInitParamsUsrsctpInit(t *testing.T) {
	x, err := DecodeInit(iniChunkAt(t, iniUsrsctpInit, HeaderLen))
	if err != nil {
		t.Fatal(err)
	}
	ip, err := x.InitParams()
	if err != nil {
		t.Fatal(err)
	}
	if ip.NumIPv4Addresses != 1 || ip.NumIPv6Addresses != 1 || ip.NumAddresses != 2 {
		t.Errorf("addresses: %d %d %d", ip.NumIPv4Addresses, ip.NumIPv6Addresses, ip.NumAddresses)
	}
	if !ip.ECN || !ip.ForwardTSN || ip.ZeroChecksum || ip.HostName || ip.StateCookie != nil ||
		ip.CookiePreservative != 0 || ip.Stopped || len(ip.Unrecognized) != 0 || len(ip.PeerUnrecognized) != 0 {
		t.Errorf("flags: %+v", ip)
	}
	if !ip.HasAdaptation || ip.Adaptation != 0 {
		t.Errorf("adaptation: %v %d", ip.HasAdaptation, ip.Adaptation)
	}
	if !ip.HasSupportedAddressTypes || ip.SupportedAddressTypes.NumTypes() != 2 ||
		!ip.SupportedAddressTypes.Has(ParamIPv6Address) {
		t.Errorf("supported address types: %v", ip.HasSupportedAddressTypes)
	}
	for _, ct := range []ChunkType{ChunkForwardTSN, ChunkAuth, ChunkAsconf, ChunkAsconfAck, ChunkReconfig} {
		if !ip.SupportsChunk(ct) {
			t.Errorf("SupportsChunk(%v) = false", ct)
		}
	}
	if ip.SupportsChunk(ChunkIData) || ip.SupportsChunk(ChunkIForwardTSN) || ip.SupportsChunk(ChunkNRSack) {
		t.Errorf("SupportsChunk(I-DATA etc.) = true")
	}
	if !bytes.Equal(ip.Random, iniRandom32) || !bytes.Equal(ip.ChunkList, []byte{0x80, 0xc1}) ||
		!ip.HasHMACAlgorithms || ip.HMACAlgorithms.NumIDs() != 2 || ip.HMACAlgorithms.ID(0) != 1 {
		t.Errorf("auth: %x %x %v", ip.Random, ip.ChunkList, ip.HasHMACAlgorithms)
	}
}

func TestInitParamsUnrecognized(t *testing.T) {
	const base = 32
	list := iniHex(`
		8000 0004
		c00a 0004
		800b 0005 ab000000
		c000 0004
		400c 0006 0102 0000
		8002 0008 01020304
		0005 000c c0000201 00000000`)
	ip, err := DecodeInitParams(list, base)
	if err != nil {
		t.Fatal(err)
	}
	if !ip.ECN || !ip.ForwardTSN || ip.Random != nil || ip.NumAddresses != 0 || !ip.Stopped {
		t.Errorf("summary: %+v", ip)
	}
	want := []struct {
		t      ParamType
		off    int
		report bool
	}{{0xc00a, base + 4, true}, {0x800b, base + 8, false}, {0x400c, base + 20, true}}
	if len(ip.Unrecognized) != len(want) {
		t.Fatalf("Unrecognized: %d", len(ip.Unrecognized))
	}
	for i, w := range want {
		p := ip.Unrecognized[i]
		if p.Type() != w.t || p.Offset() != w.off || p.Type().Action().Report() != w.report {
			t.Errorf("Unrecognized[%d] = %v at %d", i, p.Type(), p.Offset())
		}
	}
	if v := ip.Unrecognized[1].Value(); !bytes.Equal(v, []byte{0xab}) {
		t.Errorf("Unrecognized[1] value %x", v)
	}
	// Reported back in an INIT ACK, an unrecognized parameter is quoted whole.
	u := UnrecognizedParameterParam{Parameter: ip.Unrecognized[2].Bytes()}
	if got := u.Append(nil); !bytes.Equal(got, iniHex("0008 000a 400c 0006 0102 0000")) {
		t.Errorf("report: %x", got)
	}
}

func TestInitParamsStopFirst(t *testing.T) {
	ip, err := DecodeInitParams(iniHex("0030 0004 8000 0004"), 0)
	if err != nil || !ip.Stopped || ip.ECN || len(ip.Unrecognized) != 1 || ip.Unrecognized[0].Type().Action() != ActionStop {
		t.Errorf("%+v, %v", ip, err)
	}
	// The layout after the stop is still checked.
	_, err = DecodeInitParams(iniHex("0030 0004 8000 0003"), 100)
	iniWantErr(t, "malformed after stop", err, ErrBadLength, "parameter", 104)
}

func TestInitParamsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		list string
		err  error
		what string
		off  int // from the list
	}{
		{"IPv4 length 12", "8000 0004 0005 000c c0000201 00000000", ErrBadLength, "IPv4 Address parameter", 4},
		{"IPv6 length 8", "0006 0008 c0000201", ErrBadLength, "IPv6 Address parameter", 0},
		{"ECN with value", "8000 0008 00000000", ErrBadLength, "ECN Capable parameter", 0},
		{"Forward-TSN with value", "c000 0008 00000000", ErrBadLength, "Forward-TSN-Supported parameter", 0},
		{"Zero Checksum without EDMID", "8001 0004", ErrBadLength, "Zero Checksum Acceptable parameter", 0},
		{"Cookie Preservative long", "0009 000c 00000001 00000000", ErrBadLength, "Cookie Preservative parameter", 0},
		{"Adaptation short", "c006 0004", ErrBadLength, "Adaptation Layer Indication parameter", 0},
		{"Supported Address Types odd", "000c 0005 00 000000", ErrBadLength, "Supported Address Types parameter", 0},
		{"HMAC odd", "8004 0007 000100 00", ErrBadLength, "Requested HMAC Algorithm parameter", 0},
		{"Unrecognized Parameter inner", "0008 0008 800a 0010", ErrBadLength, "Unrecognized Parameter parameter", 0},
		{"parameter past the end", "8000 0004 8002 0024 0000", ErrBadLength, "parameter", 4},
		{"trailing bytes", "8000 0004 0102", ErrTooShort, "parameter header", 4},
	} {
		_, err := DecodeInitParams(iniHex(tc.list), 40)
		iniWantErr(t, tc.name, err, tc.err, tc.what, 40+tc.off)
	}
}

func TestInitParamsRepeatedAndIgnored(t *testing.T) {
	list := iniHex(`
		0009 0008 00000001
		0009 0008 00000002
		0005 0008 c0000201
		0005 0008 c0000202
		0006 0014 20010db8 00000000 00000000 00000001
		8002 0005 aa000000
		8002 0006 bbcc0000
		8005 0008 ffffffff
		c004 000c 00000001 0005 0002
		0001 0006 0102 0000
		c001 0004
		000d 0005 00000000
		8001 0008 00000001
		0007 0005 ee000000`)
	ip, err := DecodeInitParams(list, 0)
	if err != nil {
		t.Fatal(err)
	}
	if ip.CookiePreservative != 2 || !bytes.Equal(ip.Random, []byte{0xbb, 0xcc}) {
		t.Errorf("last one wins: %d %x", ip.CookiePreservative, ip.Random)
	}
	if ip.NumIPv4Addresses != 2 || ip.NumIPv6Addresses != 1 || ip.NumAddresses != 3 {
		t.Errorf("addresses: %d %d %d", ip.NumIPv4Addresses, ip.NumIPv6Addresses, ip.NumAddresses)
	}
	if len(ip.Unrecognized) != 0 || ip.Stopped {
		t.Errorf("known parameters reported unrecognized: %d", len(ip.Unrecognized))
	}
	if !ip.ZeroChecksum || ip.ZeroChecksumEDMID != EDMIDLowerLayerDTLS || !bytes.Equal(ip.StateCookie, []byte{0xee}) {
		t.Errorf("zero checksum %v %d, cookie %x", ip.ZeroChecksum, ip.ZeroChecksumEDMID, ip.StateCookie)
	}
}

func TestInitParamsHostNameAndEmpty(t *testing.T) {
	ip, err := DecodeInitParams(iniHex("000b 000e 612e6578616d706c6500 0000"), 0)
	if err != nil || !ip.HostName || !bytes.Equal(ip.HostNameAddress, iniHex("000b 000e 612e6578616d706c6500")) {
		t.Errorf("host name: %v %x, %v", ip.HostName, ip.HostNameAddress, err)
	}
	for _, list := range [][]byte{nil, {}, {0, 0}} {
		ip, err := DecodeInitParams(list, 0)
		if err != nil || ip.SupportsChunk(ChunkForwardTSN) || ip.HasSupportedAddressTypes || ip.HasHMACAlgorithms ||
			ip.Random != nil || ip.SupportedExtensions != nil || ip.NumAddresses != 0 {
			t.Errorf("empty list %x: %+v, %v", list, ip, err)
		}
	}
}
