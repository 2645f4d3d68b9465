/*
 * A relay runs one SSH session's loop (relay.c): it processes the
 * session's packets, runs its keepalives, and pumps its channels
 * through the channel-I/O engine (chanio.h): the main channel, if
 * any, and the channels of the services that ride the same session
 * (agent forwarding, port forwarding, a master's clients), never
 * blocking on any of them.  A jump's relay runs in the jump's own
 * thread (link.c); the destination's on the main thread.
 */
#ifndef XSSH_RELAY_H
#define XSSH_RELAY_H

#include <poll.h>
#include <signal.h>

#include <libssh/libssh.h>

#include "chanio.h"
#include "keepalive.h"
#include "xssh.h"

struct hop;

/*
 * A service on the same session that the loop serves too: pump moves
 * its bytes (1 if any moved, -1 if the relay must fail, with the
 * error in the relay), pollfds adds its descriptors to the loop's
 * poll, at most max of them; busy (may be NULL) says that channels
 * are still open, which keeps the loop going after the session
 * channel closed, as ssh waits for forwarded connections.
 */
struct relay_extra {
	int	(*pump)(void *);
	int	(*pollfds)(void *, struct pollfd *, int max);
	int	(*busy)(void *);
	void	*arg;
};

#define RELAY_MAX_EXTRAS 4

/* What the escape filter returns (chanio_filter). */
#define RELAY_INPUT_END	CHANIO_INPUT_END
#define RELAY_QUIT	CHANIO_QUIT

struct relay {
	ssh_session session;
	ssh_event event;	/* runs the session's packet loop */
	struct hop *hop;	/* whose session this is, for errors */
	int	 tcp;		/* the session runs over TCP (hop 1) */
	struct chanio *io;	/* the main channel, or NULL (-N, master) */

	struct relay_extra extra[RELAY_MAX_EXTRAS];
	int	 n_extra;
	/* Without a main channel: the loop ends when this is set. */
	volatile sig_atomic_t *stop;

	/*
	 * The terminal of an interactive session (session.c): on_wake is
	 * called on every pass of the loop, and wake_fd, when not -1, is
	 * polled too (SIGWINCH).
	 */
	void	(*on_wake)(void *);
	void	*wake_arg;
	int	 wake_fd;

	struct keepalive ka;	/* ServerAliveInterval of hop */

	struct xerr err;	/* set when the relay failed */
	int	 failed;
};

void	relay_init(struct relay *, ssh_session, struct hop *,
	    struct chanio *);
int	relay_add_extra(struct relay *, int (*)(void *),
	    int (*)(void *, struct pollfd *, int), int (*)(void *), void *);
int	relay_fail(struct relay *, const char *what);
int	relay_run(struct relay *);

#endif
