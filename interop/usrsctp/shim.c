// C side of the usrsctp binding; see shim.h.
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"
#include "_cgo_export.h"

static volatile int sconn_debug_on;

static void sconn_debug_printf(const char *format, ...) {
	if (!sconn_debug_on) {
		return;
	}
	va_list ap;
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
}

// conn_output: usrsctp calls this for every outbound packet, from the
// thread that made it (a sendv or conninput caller, or the timer thread),
// often with locks held. The Go side copies the packet and queues it.
static int sconn_conn_output(void *addr, void *buf, size_t len, uint8_t tos, uint8_t set_df) {
	return sconnGoOutput((uintptr_t)addr, buf, len, tos, set_df);
}

void sconn_init(void) {
	usrsctp_init(0, sconn_conn_output, sconn_debug_printf);
}

void sconn_set_debug(int on) {
	sconn_debug_on = on;
	usrsctp_sysctl_set_sctp_debug_on(on ? SCTP_DEBUG_ALL : SCTP_DEBUG_NONE);
}

void sconn_register(uintptr_t h) { usrsctp_register_address((void *)h); }
void sconn_deregister(uintptr_t h) { usrsctp_deregister_address((void *)h); }

void sconn_conninput(uintptr_t h, const void *buf, size_t len) {
	usrsctp_conninput((void *)h, buf, len, 0);
}

// Receive callback mode: usrsctp hands over a malloc'ed buffer that the
// application must free. data == NULL means the association went away.
static int sconn_receive_cb(struct socket *so, union sctp_sockstore addr, void *data,
                            size_t datalen, struct sctp_rcvinfo rcv, int flags, void *ulp_info) {
	struct sconn_rcv info;
	(void)addr;
	memset(&info, 0, sizeof(info));
	info.sid = rcv.rcv_sid;
	info.ssn = rcv.rcv_ssn;
	info.flags = rcv.rcv_flags;
	info.ppid = ntohl(rcv.rcv_ppid);
	info.tsn = rcv.rcv_tsn;
	info.cumtsn = rcv.rcv_cumtsn;
	info.assoc_id = rcv.rcv_assoc_id;
	info.infotype = SCTP_RECVV_RCVINFO;
	info.msg_flags = flags;
	sconnGoReceive(so, (uintptr_t)ulp_info, data, data ? datalen : 0, &info, data == NULL);
	if (data != NULL) {
		free(data);
	}
	return 1;
}

static int sconn_send_cb(struct socket *so, uint32_t sb_free, void *ulp_info) {
	sconnGoSendReady(so, (uintptr_t)ulp_info, sb_free);
	return 0;
}

static void sconn_upcall(struct socket *so, void *arg, int flags) {
	(void)flags;
	sconnGoUpcall(so, (uintptr_t)arg);
}

struct socket *sconn_socket(int one_to_many, int callbacks, uintptr_t key, uint32_t sb_threshold) {
	int type = one_to_many ? SOCK_SEQPACKET : SOCK_STREAM;
	if (callbacks) {
		return usrsctp_socket(AF_CONN, type, IPPROTO_SCTP, sconn_receive_cb, sconn_send_cb,
		                      sb_threshold, (void *)key);
	}
	// usrsctp rejects ulp_info without a receive callback (EINVAL).
	(void)key;
	return usrsctp_socket(AF_CONN, type, IPPROTO_SCTP, NULL, NULL, 0, NULL);
}

static void sconn_upcall_noop(struct socket *so, void *arg, int flags) {
	(void)so;
	(void)arg;
	(void)flags;
}

// A zero key installs a function that does nothing rather than NULL:
// usrsctp reads so_upcall twice without a lock, so NULL could be called.
int sconn_set_upcall(struct socket *so, uintptr_t key) {
	return usrsctp_set_upcall(so, key ? sconn_upcall : sconn_upcall_noop, (void *)key);
}

int sconn_set_ulpinfo(struct socket *so, uintptr_t key) {
	return usrsctp_set_ulpinfo(so, (void *)key);
}

static void sconn_addr(struct sockaddr_conn *sc, uintptr_t h, uint16_t port) {
	memset(sc, 0, sizeof(*sc));
	sc->sconn_family = AF_CONN;
	sc->sconn_port = htons(port);
	sc->sconn_addr = (void *)h;
}

int sconn_bind(struct socket *so, uintptr_t h, uint16_t port) {
	struct sockaddr_conn sc;
	sconn_addr(&sc, h, port);
	return usrsctp_bind(so, (struct sockaddr *)&sc, sizeof(sc));
}

int sconn_connect(struct socket *so, uintptr_t h, uint16_t port) {
	struct sockaddr_conn sc;
	sconn_addr(&sc, h, port);
	return usrsctp_connect(so, (struct sockaddr *)&sc, sizeof(sc));
}

struct socket *sconn_accept(struct socket *so) {
	return usrsctp_accept(so, NULL, NULL);
}

ssize_t sconn_sendv(struct socket *so, const void *data, size_t len, uint16_t sid,
                    uint32_t ppid_host, uint16_t flags, uint16_t pr_policy, uint32_t pr_value,
                    uint32_t assoc_id) {
	struct sctp_sendv_spa spa;
	memset(&spa, 0, sizeof(spa));
	spa.sendv_sndinfo.snd_sid = sid;
	spa.sendv_sndinfo.snd_flags = flags;
	spa.sendv_sndinfo.snd_ppid = htonl(ppid_host); // usrsctp puts snd_ppid on the wire as is
	spa.sendv_sndinfo.snd_assoc_id = assoc_id;
	spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
	if (pr_policy != SCTP_PR_SCTP_NONE) {
		spa.sendv_prinfo.pr_policy = pr_policy;
		spa.sendv_prinfo.pr_value = pr_value;
		spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
	}
	return usrsctp_sendv(so, data, len, NULL, 0, &spa, (socklen_t)sizeof(spa), SCTP_SENDV_SPA, 0);
}

ssize_t sconn_recvv(struct socket *so, void *buf, size_t len, struct sconn_rcv *info) {
	struct sctp_rcvinfo rcv;
	struct sockaddr_conn from;
	socklen_t fromlen = sizeof(from);
	socklen_t infolen = sizeof(rcv);
	unsigned int infotype = 0;
	int flags = 0;
	ssize_t n;

	memset(&rcv, 0, sizeof(rcv));
	n = usrsctp_recvv(so, buf, len, (struct sockaddr *)&from, &fromlen, &rcv, &infolen,
	                  &infotype, &flags);
	memset(info, 0, sizeof(*info));
	if (n < 0) {
		return n;
	}
	info->msg_flags = flags;
	info->infotype = (int)infotype;
	if (infotype == SCTP_RECVV_RCVINFO) {
		info->sid = rcv.rcv_sid;
		info->ssn = rcv.rcv_ssn;
		info->flags = rcv.rcv_flags;
		info->ppid = ntohl(rcv.rcv_ppid);
		info->tsn = rcv.rcv_tsn;
		info->cumtsn = rcv.rcv_cumtsn;
		info->assoc_id = rcv.rcv_assoc_id;
	}
	return n;
}

int sconn_so_error(struct socket *so) {
	int err = 0;
	socklen_t len = sizeof(err);
	if (usrsctp_getsockopt(so, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
		return -errno;
	}
	return err;
}

int sconn_set_linger(struct socket *so, int on, int secs) {
	struct linger l;
	l.l_onoff = on;
	l.l_linger = secs;
	return usrsctp_setsockopt(so, SOL_SOCKET, SO_LINGER, &l, (socklen_t)sizeof(l));
}

int sconn_set_event(struct socket *so, uint32_t assoc_id, uint16_t type, int on) {
	struct sctp_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.se_assoc_id = assoc_id;
	ev.se_type = type;
	ev.se_on = (uint8_t)on;
	return usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EVENT, &ev, (socklen_t)sizeof(ev));
}

int sconn_set_assoc_value(struct socket *so, int opt, uint32_t assoc_id, uint32_t value) {
	struct sctp_assoc_value av;
	av.assoc_id = assoc_id;
	av.assoc_value = value;
	return usrsctp_setsockopt(so, IPPROTO_SCTP, opt, &av, (socklen_t)sizeof(av));
}

int sconn_set_paddrparams(struct socket *so, uint32_t assoc_id, uint32_t hbinterval_ms, uint16_t pathmaxrxt, uint32_t flags) {
	struct sctp_paddrparams pp;
	memset(&pp, 0, sizeof(pp));
	pp.spp_assoc_id = assoc_id;
	pp.spp_hbinterval = hbinterval_ms;
	pp.spp_pathmaxrxt = pathmaxrxt;
	pp.spp_flags = flags;
	return usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, (socklen_t)sizeof(pp));
}

int sconn_set_rtoinfo(struct socket *so, uint32_t assoc_id, uint32_t initial, uint32_t max, uint32_t min) {
	struct sctp_rtoinfo ri;
	memset(&ri, 0, sizeof(ri));
	ri.srto_assoc_id = assoc_id;
	ri.srto_initial = initial;
	ri.srto_max = max;
	ri.srto_min = min;
	return usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RTOINFO, &ri, (socklen_t)sizeof(ri));
}

int sconn_reset_streams(struct socket *so, uint32_t assoc_id, uint16_t flags, const uint16_t *sids, uint16_t n) {
	size_t len = sizeof(struct sctp_reset_streams) + n * sizeof(uint16_t);
	struct sctp_reset_streams *srs = calloc(1, len);
	int rc;
	if (srs == NULL) {
		errno = ENOMEM;
		return -1;
	}
	srs->srs_assoc_id = assoc_id;
	srs->srs_flags = flags;
	srs->srs_number_streams = n;
	if (n > 0) {
		memcpy(srs->srs_stream_list, sids, n * sizeof(uint16_t));
	}
	rc = usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RESET_STREAMS, srs, (socklen_t)len);
	free(srs);
	return rc;
}

// The tunables worth changing from Go; usrsctp declares a setter and a
// getter per sysctl.
#define SCONN_SYSCTL(n)                                  \
	if (strcmp(name, #n) == 0) {                         \
		if (set) return usrsctp_sysctl_set_##n(value);   \
		*out = usrsctp_sysctl_get_##n();                 \
		return 0;                                        \
	}

int sconn_sysctl(const char *name, uint32_t value, int set, uint32_t *out) {
	SCONN_SYSCTL(sctp_sendspace)
	SCONN_SYSCTL(sctp_recvspace)
	SCONN_SYSCTL(sctp_ecn_enable)
	SCONN_SYSCTL(sctp_pr_enable)
	SCONN_SYSCTL(sctp_auth_enable)
	SCONN_SYSCTL(sctp_asconf_enable)
	SCONN_SYSCTL(sctp_reconfig_enable)
	SCONN_SYSCTL(sctp_nrsack_enable)
	SCONN_SYSCTL(sctp_pktdrop_enable)
	SCONN_SYSCTL(sctp_no_csum_on_loopback)
	SCONN_SYSCTL(sctp_max_burst_default)
	SCONN_SYSCTL(sctp_max_chunks_on_queue)
	SCONN_SYSCTL(sctp_delayed_sack_time_default)
	SCONN_SYSCTL(sctp_sack_freq_default)
	SCONN_SYSCTL(sctp_heartbeat_interval_default)
	SCONN_SYSCTL(sctp_rto_max_default)
	SCONN_SYSCTL(sctp_rto_min_default)
	SCONN_SYSCTL(sctp_rto_initial_default)
	SCONN_SYSCTL(sctp_init_rto_max_default)
	SCONN_SYSCTL(sctp_init_rtx_max_default)
	SCONN_SYSCTL(sctp_assoc_rtx_max_default)
	SCONN_SYSCTL(sctp_nr_incoming_streams_default)
	SCONN_SYSCTL(sctp_nr_outgoing_streams_default)
	SCONN_SYSCTL(sctp_enable_sack_immediately)
	SCONN_SYSCTL(sctp_vtag_time_wait)
	SCONN_SYSCTL(sctp_blackhole)
	SCONN_SYSCTL(sctp_initial_cwnd)
	SCONN_SYSCTL(sctp_default_cc_module)
	SCONN_SYSCTL(sctp_default_ss_module)
	SCONN_SYSCTL(sctp_debug_on)
	errno = ENOENT;
	return -1;
}

size_t sconn_malloc_in_use(void) {
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

size_t sconn_offset(int what) {
	switch (what) {
	case 0: return offsetof(struct sctp_assoc_change, sac_assoc_id);
	case 1: return offsetof(struct sctp_assoc_change, sac_info);
	case 2: return offsetof(struct sctp_remote_error, sre_assoc_id);
	case 3: return offsetof(struct sctp_remote_error, sre_data);
	case 4: return offsetof(struct sctp_send_failed_event, ssfe_info);
	case 5: return offsetof(struct sctp_send_failed_event, ssfe_assoc_id);
	case 6: return offsetof(struct sctp_send_failed_event, ssfe_data);
	case 7: return offsetof(struct sctp_stream_reset_event, strreset_stream_list);
	case 8: return offsetof(struct sctp_paddr_change, spc_state);
	case 9: return offsetof(struct sctp_paddr_change, spc_assoc_id);
	case 10: return offsetof(struct sctp_pdapi_event, pdapi_assoc_id);
	case 11: return offsetof(struct sctp_stream_change_event, strchange_instrms);
	case 12: return offsetof(struct sctp_assoc_reset_event, assocreset_local_tsn);
	case 13: return offsetof(struct sctp_adaptation_event, sai_assoc_id);
	}
	return (size_t)-1;
}
