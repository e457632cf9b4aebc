// Package sysctl holds the tunables of usrsctp (the global "sysctl" knobs
// set with usrsctp_sysctl_set_* and usrsctp_tunable_set_*) as plain values,
// with no global state.
//
// Each tunable is a [Key] named after its usrsctp name without the "sctp_"
// prefix: sctp_valid_cookie_life_default is [ValidCookieLifeDefault].
// [Key.Info] gives its usrsctp name, default, allowed range, unit and
// meaning. A [Values] holds one setting per key; it is an array, so copying
// it copies the settings, and a stack takes its Values by value:
//
//	v := sysctl.Defaults()
//	if err := v.Set(sysctl.UdpTunnelingPort, 0); err != nil { ... }
//	if err := v.SetString("sctp_ecn_enable=0"); err != nil { ... }
//
// Out-of-range values are rejected with a [*RangeError] (errors.Is
// [ErrOutOfRange]); unknown names with an error wrapping [ErrUnknown].
//
// docs/sysctl.md in the repository lists every tunable.
package sysctl
