/*
 * A relay moves bytes between one SSH channel and local descriptors,
 * never blocking on either side: a hop's relay joins its direct-tcpip
 * channel to the socketpair that carries the next hop's session; the
 * session's relay joins the remote command to stdin, stdout, stderr.
 */
#ifndef XSSH_RELAY_H
#define XSSH_RELAY_H

#include <poll.h>

#include <libssh/libssh.h>

#include "keepalive.h"
#include "xssh.h"

struct hop;

enum relay_mode {
	RELAY_HOP = 0,		/* a hop's channel <-> the next hop's socket */
	RELAY_SESSION,		/* the remote command <-> stdin/out/err */
	RELAY_STDIO,		/* -W: a direct-tcpip channel <-> stdin/out */
	RELAY_NONE,		/* -N: no channel of its own, only extras */
};

/*
 * Other channels of the same session that the loop serves too (agent
 * forwarding, port forwarding): pump moves their bytes (1 if any
 * moved), pollfds adds their descriptors to the loop's poll, at most
 * max of them; busy (may be NULL) says that channels are still open,
 * which keeps the loop going after the session channel closed, as
 * ssh waits for forwarded connections.
 */
struct relay_extra {
	int	(*pump)(void *);
	int	(*pollfds)(void *, struct pollfd *, int max);
	int	(*busy)(void *);
	void	*arg;
};

#define RELAY_MAX_EXTRAS 4

#define RELAY_INPUT_END	1
#define RELAY_QUIT	(-1)

struct rbuf {
	char	*data;
	size_t	 off;		/* first byte not yet written */
	size_t	 len;		/* bytes held, from off */
	size_t	 cap;
};

struct relay {
	ssh_session session;
	ssh_channel channel;
	ssh_event event;	/* runs the session's packet loop */
	struct hop *hop;	/* whose channel this is, for errors */
	int	 in_fd;		/* local bytes to send on the channel */
	int	 out_fd;	/* where channel data goes */
	int	 err_fd;	/* where extended data goes, or -1 */
	enum relay_mode	 mode;
	int	 tcp;		/* the session runs over TCP (hop 1) */

	struct rbuf to_chan, to_out, to_err;
	int	 in_eof;	/* in_fd gave EOF; channel EOF sent once drained */
	int	 in_blocking;	/* in_fd is a terminal left blocking: read
				   it only when poll says so */
	int	 eof_sent;
	int	 chan_eof;	/* channel gave EOF and its buffers are empty */
	int	 out_failed;	/* out_fd can take no more */
	int	 err_failed;	/* err_fd can take no more */

	struct relay_extra extra[RELAY_MAX_EXTRAS];
	int	 n_extra;
	/* RELAY_NONE: set (by a signal handler) when the loop must end. */
	volatile int *stop;

	/*
	 * The terminal of an interactive session (session.c, escape.c):
	 * input_filter rewrites what was read from in_fd before it goes
	 * to the channel (escapes): it sets *outlen and returns 0, or
	 * RELAY_INPUT_END (no more input: send EOF), or RELAY_QUIT (end
	 * the session now); on_wake is called on every pass of the loop,
	 * and wake_fd, when not -1, is polled too (SIGWINCH).
	 */
	int	(*input_filter)(void *, const char *in, size_t n, char *out,
		    size_t *outlen);
	void	(*on_wake)(void *);
	void	*tty;
	int	 wake_fd;
	int	 quit;		/* ended from this side (~.) */

	struct keepalive ka;	/* ServerAliveInterval of r->hop */

	/* Counters, for -v. */
	unsigned long long bytes_in, bytes_out;

	struct xerr err;	/* set when the relay failed */
	int	 failed;
};

void	relay_init(struct relay *, ssh_session, ssh_channel, int in_fd,
	    int out_fd, int err_fd);
int	relay_add_extra(struct relay *, int (*)(void *),
	    int (*)(void *, struct pollfd *, int), int (*)(void *), void *);
int	relay_run(struct relay *);
void	relay_free(struct relay *);
void	*relay_thread(void *);

#endif
