/*
 * The link between two hops (link.c): the jump's direct-tcpip channel
 * to the next hop, the socketpair whose one end the relay pumps and
 * whose other end carries the next hop's session, the relay, and the
 * thread that runs it.  A link is what the jump's hop hands over once
 * the next hop's channel is open; the thread then owns the jump's
 * session until the link is over, and closes the jump on its way out.
 */
#ifndef XSSH_LINK_H
#define XSSH_LINK_H

#include <pthread.h>

#include "chanio.h"
#include "relay.h"

struct hop;

struct link {
	struct hop *via;	/* the jump whose session carries it */
	struct hop *to;		/* the hop reached through it */
	ssh_channel ch;
	int	 near_fd;	/* the relay's end of the socketpair */
	struct chanio io;
	struct relay relay;
	pthread_t thread;
	int	 started;	/* the thread runs (or ran): join it */
	int	 failed;	/* the relay ended on an error: */
	struct xerr err;	/* this one (read after the join) */
};

#endif /* XSSH_LINK_H */
