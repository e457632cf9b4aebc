// C side of the usrsctp binding: thin wrappers so that the Go side never
// builds usrsctp structures with Go pointers and never converts integers to
// pointers itself. Handles and socket keys travel as uintptr_t.
#ifndef SCONN_USRSCTP_SHIM_H
#define SCONN_USRSCTP_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <usrsctp.h>

// What usrsctp_recvv or a receive callback returned besides the data.
struct sconn_rcv {
	uint16_t sid, ssn, flags;
	uint32_t ppid, tsn, cumtsn, assoc_id;
	int infotype;  // SCTP_RECVV_* (SCTP_RECVV_RCVINFO when rcvinfo is valid)
	int msg_flags; // MSG_EOR, MSG_NOTIFICATION
};

void sconn_init(void);
void sconn_set_debug(int on);
void sconn_register(uintptr_t h);
void sconn_deregister(uintptr_t h);
void sconn_conninput(uintptr_t h, const void *buf, size_t len);

struct socket *sconn_socket(int one_to_many, int callbacks, uintptr_t key, uint32_t sb_threshold);
int sconn_set_upcall(struct socket *so, uintptr_t key);
int sconn_set_ulpinfo(struct socket *so, uintptr_t key);
int sconn_bind(struct socket *so, uintptr_t h, uint16_t port);
int sconn_connect(struct socket *so, uintptr_t h, uint16_t port);
struct socket *sconn_accept(struct socket *so);
ssize_t sconn_sendv(struct socket *so, const void *data, size_t len, uint16_t sid,
                    uint32_t ppid_host, uint16_t flags, uint16_t pr_policy, uint32_t pr_value,
                    uint32_t assoc_id);
ssize_t sconn_recvv(struct socket *so, void *buf, size_t len, struct sconn_rcv *info);
int sconn_so_error(struct socket *so);
int sconn_set_linger(struct socket *so, int on, int secs);
int sconn_set_event(struct socket *so, uint32_t assoc_id, uint16_t type, int on);
int sconn_set_assoc_value(struct socket *so, int opt, uint32_t assoc_id, uint32_t value);
int sconn_set_paddrparams(struct socket *so, uint32_t assoc_id, uint32_t hbinterval_ms, uint16_t pathmaxrxt, uint32_t flags);
int sconn_set_rtoinfo(struct socket *so, uint32_t assoc_id, uint32_t initial, uint32_t max, uint32_t min);
int sconn_reset_streams(struct socket *so, uint32_t assoc_id, uint16_t flags, const uint16_t *sids, uint16_t n);
int sconn_sysctl(const char *name, uint32_t value, int set, uint32_t *out);
size_t sconn_malloc_in_use(void);

// Layout of the notification structures, for the Go decoder's tests.
size_t sconn_offset(int what);

#endif
