/*
 * ServerAliveInterval and ServerAliveCountMax for one hop's session,
 * run by the relay that owns the session (keepalive.c).
 */
#ifndef XSSH_KEEPALIVE_H
#define XSSH_KEEPALIVE_H

#include <libssh/libssh.h>

#include "xssh.h"

struct hop;

struct keepalive {
	ssh_session session;
	struct hop *hop;
	int	 interval;	/* seconds; 0: no keepalives */
	int	 count_max;
	int	 misses;	/* intervals ended without a packet */
	double	 deadline;	/* monotime of the next look */
	uint64_t seen;		/* packets received at the last look */
	struct ssh_counter_struct sock;	/* what libssh counts for us */
	struct ssh_counter_struct raw;
};

void	keepalive_start(struct keepalive *, ssh_session, struct hop *);
int	keepalive_wait(const struct keepalive *, int);
int	keepalive_check(struct keepalive *);
void	keepalive_stop(struct keepalive *);
/*
 * ssh's message for a server that stopped answering, for hop h, or
 * for the outermost jump before it that has been silent too: a frozen
 * jump silences every hop behind it, and any of them may be the first
 * to count out.
 */
int	keepalive_error(const struct hop *h, struct xerr *);

#endif
