package drill

// The scripts take the FreeBSD branch of their #ifdefs, so the symbolic
// constants have their FreeBSD values (sys/socket.h, netinet/sctp.h,
// netinet/sctp_uio.h, sys/errno.h). The interpreter compares most of them
// by name; the values matter where a script combines them (O_RDWR |
// O_NONBLOCK) or prints them.

// errnos maps errno names to their FreeBSD values.
var errnos = map[string]int64{
	"EPERM": 1, "ENOENT": 2, "EINTR": 4, "EIO": 5, "EBADF": 9, "ENOMEM": 12,
	"EACCES": 13, "EFAULT": 14, "EBUSY": 16, "EEXIST": 17, "EINVAL": 22,
	"ENOSPC": 28, "EPIPE": 32, "EAGAIN": 35, "EWOULDBLOCK": 35,
	"EINPROGRESS": 36, "EALREADY": 37, "ENOTSOCK": 38, "EDESTADDRREQ": 39,
	"EMSGSIZE": 40, "EPROTOTYPE": 41, "ENOPROTOOPT": 42,
	"EPROTONOSUPPORT": 43, "EOPNOTSUPP": 45, "ENOTSUP": 45,
	"EAFNOSUPPORT": 47, "EADDRINUSE": 48, "EADDRNOTAVAIL": 49,
	"ENETDOWN": 50, "ENETUNREACH": 51, "ECONNABORTED": 53, "ECONNRESET": 54,
	"ENOBUFS": 55, "EISCONN": 56, "ENOTCONN": 57, "ESHUTDOWN": 58,
	"ETIMEDOUT": 60, "ECONNREFUSED": 61, "EHOSTUNREACH": 65,
}

func isErrno(name string) bool { _, ok := errnos[name]; return ok }

// errnoName returns the canonical name of an errno value.
func errnoName(v int64) string {
	switch v {
	case 35:
		return "EAGAIN"
	case 45:
		return "EOPNOTSUPP"
	}
	for k, x := range errnos {
		if x == v {
			return k
		}
	}
	return ""
}

// symbols maps the other symbolic constants to their FreeBSD values.
var symbols = map[string]int64{
	// sys/socket.h
	"AF_INET": 2, "PF_INET": 2, "AF_INET6": 28, "PF_INET6": 28,
	"SOCK_STREAM": 1, "SOCK_DGRAM": 2, "SOCK_SEQPACKET": 5,
	"IPPROTO_IP": 0, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17, "IPPROTO_IPV6": 41, "IPPROTO_SCTP": 132,
	"SOL_SOCKET": 0xffff, "SO_REUSEADDR": 0x0004, "SO_KEEPALIVE": 0x0008,
	"SO_LINGER": 0x0080, "SO_SNDBUF": 0x1001, "SO_RCVBUF": 0x1002,
	"SO_SNDLOWAT": 0x1003, "SO_RCVLOWAT": 0x1004, "SO_ERROR": 0x1007, "SO_TYPE": 0x1008,
	"SHUT_RD": 0, "SHUT_WR": 1, "SHUT_RDWR": 2,
	"MSG_OOB": 0x1, "MSG_PEEK": 0x2, "MSG_DONTROUTE": 0x4, "MSG_EOR": 0x8,
	"MSG_TRUNC": 0x10, "MSG_CTRUNC": 0x20, "MSG_WAITALL": 0x40,
	"MSG_DONTWAIT": 0x80, "MSG_EOF": 0x100, "MSG_NOTIFICATION": 0x2000,
	"MSG_NOSIGNAL": 0x20000,
	// fcntl.h
	"F_GETFL": 3, "F_SETFL": 4, "O_RDONLY": 0, "O_WRONLY": 1, "O_RDWR": 2, "O_NONBLOCK": 4,
	// netinet/sctp.h: socket options
	"SCTP_RTOINFO": 0x01, "SCTP_ASSOCINFO": 0x02, "SCTP_INITMSG": 0x03,
	"SCTP_NODELAY": 0x04, "SCTP_AUTOCLOSE": 0x05, "SCTP_SET_PEER_PRIMARY_ADDR": 0x06,
	"SCTP_PRIMARY_ADDR": 0x07, "SCTP_ADAPTATION_LAYER": 0x08,
	"SCTP_DISABLE_FRAGMENTS": 0x09, "SCTP_PEER_ADDR_PARAMS": 0x0a,
	"SCTP_DEFAULT_SEND_PARAM": 0x0b, "SCTP_EVENTS": 0x0c,
	"SCTP_I_WANT_MAPPED_V4_ADDR": 0x0d, "SCTP_MAXSEG": 0x0e,
	"SCTP_DELAYED_SACK": 0x0f, "SCTP_FRAGMENT_INTERLEAVE": 0x10,
	"SCTP_PARTIAL_DELIVERY_POINT": 0x11, "SCTP_HMAC_IDENT": 0x14,
	"SCTP_AUTH_ACTIVE_KEY": 0x15, "SCTP_AUTH_DELETE_KEY": 0x16,
	"SCTP_USE_EXT_RCVINFO": 0x17, "SCTP_AUTO_ASCONF": 0x18,
	"SCTP_MAXBURST": 0x19, "SCTP_MAX_BURST": 0x19, "SCTP_CONTEXT": 0x1a,
	"SCTP_EXPLICIT_EOR": 0x1b, "SCTP_REUSE_PORT": 0x1c, "SCTP_EVENT": 0x1e,
	"SCTP_RECVRCVINFO": 0x1f, "SCTP_RECVNXTINFO": 0x20,
	"SCTP_DEFAULT_SNDINFO": 0x21, "SCTP_DEFAULT_PRINFO": 0x22,
	"SCTP_PEER_ADDR_THLDS": 0x23, "SCTP_REMOTE_UDP_ENCAPS_PORT": 0x24,
	"SCTP_ECN_SUPPORTED": 0x25, "SCTP_PR_SUPPORTED": 0x26,
	"SCTP_AUTH_SUPPORTED": 0x27, "SCTP_ASCONF_SUPPORTED": 0x28,
	"SCTP_RECONFIG_SUPPORTED": 0x29, "SCTP_NRSACK_SUPPORTED": 0x30,
	"SCTP_PKTDROP_SUPPORTED": 0x31, "SCTP_MAX_CWND": 0x32,
	"SCTP_STATUS": 0x100, "SCTP_GET_PEER_ADDR_INFO": 0x101,
	"SCTP_GET_ASSOC_NUMBER": 0x104, "SCTP_GET_ASSOC_ID_LIST": 0x105,
	"SCTP_TIMEOUTS": 0x106, "SCTP_PR_STREAM_STATUS": 0x107, "SCTP_PR_ASSOC_STATUS": 0x108,
	"SCTP_ENABLE_STREAM_RESET": 0x900, "SCTP_RESET_STREAMS": 0x901,
	"SCTP_RESET_ASSOC": 0x902, "SCTP_ADD_STREAMS": 0x903,
	"SCTP_GET_ASSOC_STATS": 0x10000, // Linux only; kept for parsing
	// SCTP_PEER_ADDR_PARAMS flags
	"SPP_HB_ENABLE": 0x01, "SPP_HB_DISABLE": 0x02, "SPP_HB_DEMAND": 0x04,
	"SPP_PMTUD_ENABLE": 0x08, "SPP_PMTUD_DISABLE": 0x10,
	"SPP_HB_TIME_IS_ZERO": 0x80, "SPP_IPV6_FLOWLABEL": 0x100, "SPP_DSCP": 0x200,
	// sstat_state
	"SCTP_CLOSED": 0x0000, "SCTP_BOUND": 0x1000, "SCTP_LISTEN": 0x2000,
	"SCTP_COOKIE_WAIT": 0x0002, "SCTP_COOKIE_ECHOED": 0x0004,
	"SCTP_ESTABLISHED": 0x0008, "SCTP_SHUTDOWN_SENT": 0x0010,
	"SCTP_SHUTDOWN_RECEIVED": 0x0020, "SCTP_SHUTDOWN_ACK_SENT": 0x0040,
	"SCTP_SHUTDOWN_PENDING": 0x0080,
	// send flags
	"SCTP_EOF": 0x0100, "SCTP_ABORT": 0x0200, "SCTP_UNORDERED": 0x0400,
	"SCTP_ADDR_OVER": 0x0800, "SCTP_SENDALL": 0x1000, "SCTP_EOR": 0x2000,
	"SCTP_SACK_IMMEDIATELY": 0x4000,
	// cmsg types
	"SCTP_INIT": 0x0001, "SCTP_SNDRCV": 0x0002, "SCTP_EXTRCV": 0x0003,
	"SCTP_SNDINFO": 0x0004, "SCTP_RCVINFO": 0x0005, "SCTP_NXTINFO": 0x0006,
	"SCTP_PRINFO": 0x0007, "SCTP_AUTHINFO": 0x0008,
	"SCTP_DSTADDRV4": 0x0009, "SCTP_DSTADDRV6": 0x000a,
	// sctp_sendv / sctp_recvv
	"SCTP_SENDV_NOINFO": 0, "SCTP_SENDV_SNDINFO": 1, "SCTP_SENDV_PRINFO": 2,
	"SCTP_SENDV_AUTHINFO": 3, "SCTP_SENDV_SPA": 4,
	"SCTP_SEND_SNDINFO_VALID": 0x1, "SCTP_SEND_PRINFO_VALID": 0x2, "SCTP_SEND_AUTHINFO_VALID": 0x4,
	"SCTP_RECVV_NOINFO": 0, "SCTP_RECVV_RCVINFO": 1, "SCTP_RECVV_NXTINFO": 2, "SCTP_RECVV_RN": 3,
	// PR-SCTP policies
	"SCTP_PR_SCTP_NONE": 0, "SCTP_PR_SCTP_TTL": 1, "SCTP_PR_SCTP_PRIO": 2,
	"SCTP_PR_SCTP_BUF": 2, "SCTP_PR_SCTP_RTX": 3,
	// notifications
	"SCTP_ASSOC_CHANGE": 0x0001, "SCTP_PEER_ADDR_CHANGE": 0x0002,
	"SCTP_REMOTE_ERROR": 0x0003, "SCTP_SEND_FAILED": 0x0004,
	"SCTP_SHUTDOWN_EVENT": 0x0005, "SCTP_ADAPTATION_INDICATION": 0x0006,
	"SCTP_PARTIAL_DELIVERY_EVENT": 0x0007, "SCTP_AUTHENTICATION_EVENT": 0x0008,
	"SCTP_STREAM_RESET_EVENT": 0x0009, "SCTP_SENDER_DRY_EVENT": 0x000a,
	"SCTP_NOTIFICATIONS_STOPPED_EVENT": 0x000b, "SCTP_ASSOC_RESET_EVENT": 0x000c,
	"SCTP_STREAM_CHANGE_EVENT": 0x000d, "SCTP_SEND_FAILED_EVENT": 0x000e,
	"SCTP_COMM_UP": 1, "SCTP_COMM_LOST": 2, "SCTP_RESTART": 3,
	"SCTP_SHUTDOWN_COMP": 4, "SCTP_CANT_STR_ASSOC": 5,
	"SCTP_ASSOC_SUPPORTS_PR": 0x01, "SCTP_ASSOC_SUPPORTS_AUTH": 0x02,
	"SCTP_ASSOC_SUPPORTS_ASCONF": 0x03, "SCTP_ASSOC_SUPPORTS_MULTIBUF": 0x04,
	"SCTP_ASSOC_SUPPORTS_RE_CONFIG": 0x05, "SCTP_ASSOC_SUPPORTS_INTERLEAVING": 0x06,
	"SCTP_ADDR_AVAILABLE": 1, "SCTP_ADDR_UNREACHABLE": 2, "SCTP_ADDR_REMOVED": 3,
	"SCTP_ADDR_ADDED": 4, "SCTP_ADDR_MADE_PRIM": 5, "SCTP_ADDR_CONFIRMED": 6,
	"SCTP_DATA_UNSENT": 0x0001, "SCTP_DATA_SENT": 0x0002,
	"SCTP_PARTIAL_DELIVERY_ABORTED": 1,
	"SCTP_FUTURE_ASSOC":             0, "SCTP_CURRENT_ASSOC": 1, "SCTP_ALL_ASSOC": 2,
	// misc
	"NULL": 0,
}

// syscalls lists the system calls the parser accepts. Those the executor
// cannot map onto sconn's socket API fail when run, with an "unsupported"
// error naming the call.
var syscalls = map[string]bool{
	"socket": true, "bind": true, "listen": true, "accept": true, "connect": true,
	"read": true, "write": true, "send": true, "recv": true, "sendto": true,
	"recvfrom": true, "sendmsg": true, "recvmsg": true, "readv": true, "writev": true,
	"sctp_sendv": true, "sctp_recvv": true, "sctp_sendmsg": true, "sctp_recvmsg": true,
	"sctp_send": true, "close": true, "shutdown": true, "fcntl": true,
	"getsockopt": true, "setsockopt": true, "sctp_connectx": true, "sctp_bindx": true,
	"sctp_peeloff": true, "sctp_getladdrs": true, "sctp_getpaddrs": true,
	"sctp_freeladdrs": true, "sctp_freepaddrs": true, "poll": true, "ioctl": true,
}

func knownSyscall(name string) bool { return syscalls[name] }
