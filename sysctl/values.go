package sysctl

import (
	"fmt"
	"strconv"
	"strings"
)

// Values holds one setting per tunable. It is a plain value type (an array
// inside a struct): assigning or passing a Values copies every setting, so
// each stack, endpoint or test can own an independent set with no global
// state. Start from [Defaults]; the zero Values has every tunable at 0, which
// is below the minimum of a few of them.
//
// Values is not safe for concurrent mutation; copy it instead of sharing it.
type Values struct {
	v [numKeys]uint32
}

// Defaults returns a Values with every tunable at its usrsctp default.
func Defaults() Values {
	var v Values
	for i := range table {
		v.v[i] = table[i].Default
	}
	return v
}

// Get returns the setting of k, or 0 if k is not a valid key.
func (v *Values) Get(k Key) uint32 {
	if !k.Valid() {
		return 0
	}
	return v.v[k]
}

// Set sets k to x. It returns a [*RangeError] (wrapping [ErrOutOfRange]) if x
// is outside k's [Info.Min, Info.Max], or an error wrapping [ErrUnknown] if k
// is not a valid key; in both cases v is unchanged.
func (v *Values) Set(k Key, x uint32) error {
	if !k.Valid() {
		return fmt.Errorf("%w %q", ErrUnknown, k.Name())
	}
	in := &table[k]
	if x < in.Min || x > in.Max {
		return &RangeError{Name: in.Name, Value: x, Min: in.Min, Max: in.Max}
	}
	v.v[k] = x
	return nil
}

// GetByName returns the setting of the tunable called name, with or without
// its "sctp_" prefix (see [Lookup]).
func (v *Values) GetByName(name string) (uint32, error) {
	k, err := Lookup(name)
	if err != nil {
		return 0, err
	}
	return v.v[k], nil
}

// SetByName sets the tunable called name, with or without its "sctp_"
// prefix (see [Lookup]), to x, with the checks of [Values.Set].
func (v *Values) SetByName(name string, x uint32) error {
	k, err := Lookup(name)
	if err != nil {
		return err
	}
	return v.Set(k, x)
}

// SetString applies one assignment "name=value", as given to a command-line
// flag such as -sysctl sctp_udp_tunneling_port=0. The name may omit "sctp_";
// spaces around name and value are ignored. The value is a decimal or
// 0x-prefixed hexadecimal uint32. Its signature fits flag.Func:
//
//	v := sysctl.Defaults()
//	flag.Func("sysctl", "set a tunable, name=value (repeatable)", v.SetString)
func (v *Values) SetString(assignment string) error {
	name, val, ok := strings.Cut(assignment, "=")
	if !ok {
		return fmt.Errorf("sysctl: invalid assignment %q: want name=value", assignment)
	}
	name, val = strings.TrimSpace(name), strings.TrimSpace(val)
	k, err := Lookup(name)
	if err != nil {
		return err
	}
	x, err := parseUint32(val)
	if err != nil {
		return fmt.Errorf("sysctl: invalid value for %s in %q: %w", k.Name(), assignment, err)
	}
	return v.Set(k, x)
}

// parseUint32 parses a decimal or 0x-prefixed hexadecimal number. A leading 0
// does not mean octal, and underscores are not accepted.
func parseUint32(s string) (uint32, error) {
	base := 10
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s, base = s[2:], 16
	}
	if s == "" || strings.ContainsAny(s, "_+-") {
		return 0, strconv.ErrSyntax
	}
	x, err := strconv.ParseUint(s, base, 32)
	if err != nil {
		return 0, err.(*strconv.NumError).Err
	}
	return uint32(x), nil
}
