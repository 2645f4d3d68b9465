/*
 * The relay loop.  One thread runs one relay and owns its session and
 * channels; nothing else touches them.  The session is non-blocking
 * and so are the local descriptors, so neither side can stall the
 * other: libssh (0.12 as 0.10) flushes its output buffer with a blocking
 * send() on the next hop's socketpair end, so this side must keep
 * draining.
 *
 * The channel calls only process incoming packets while the asked-for
 * buffer is empty and no EOF came, so each pass runs the packet loop
 * itself through an ssh_event holding just this session: that flushes
 * pending output, takes window adjustments while the local reader is
 * full, and sees exit-status and CLOSE after EOF.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "relay.h"

#define RELAY_EXTRA_FDS	64	/* extra descriptors polled, to start with */

void
relay_init(struct relay *r, ssh_session s, struct hop *h, struct chanio *io)
{
	memset(r, 0, sizeof(*r));
	r->session = s;
	r->hop = h;
	r->io = io;
	r->wake_fd = -1;
}

int
relay_add_extra(struct relay *r, int (*pump)(void *),
    int (*pollfds)(void *, struct pollfd *, int), int (*busy)(void *),
    void *arg)
{
	if (r->n_extra == RELAY_MAX_EXTRAS)
		return -1;
	r->extra[r->n_extra].pump = pump;
	r->extra[r->n_extra].pollfds = pollfds;
	r->extra[r->n_extra].busy = busy;
	r->extra[r->n_extra].arg = arg;
	r->n_extra++;
	return 0;
}

int
relay_fail(struct relay *r, const char *what)
{
	const char *why = ssh_get_error(r->session);

	if (r->failed)
		return -1;
	r->failed = 1;
	if (r->hop != NULL)
		hop_error(r->hop, &r->err, XE_PROTOCOL, "relay", "%s: %s",
		    what, why);
	else
		xerr_set(&r->err, XE_PROTOCOL, "%s: %s", what, why);
	return -1;
}

/* Do extra services still carry connections? */
static int
extras_busy(struct relay *r)
{
	int i;

	for (i = 0; i < r->n_extra; i++)
		if (r->extra[i].busy != NULL && r->extra[i].busy(r->extra[i].arg))
			return 1;
	return 0;
}

/* Is the relay's work over? */
static int
relay_done(struct relay *r)
{
	if (r->failed)
		return 1;
	if (r->io == NULL)
		return r->stop != NULL && *r->stop;
	if (!chanio_done(r->io))
		return 0;
	/* ssh waits for forwarded connections after the command. */
	return r->io->kind != CHANIO_SESSION || !extras_busy(r);
}

/* One pass over everything; 1 if anything moved, -1 when it failed. */
static int
relay_pass(struct relay *r)
{
	int i, n, moved = 0;

	if (ssh_event_dopoll(r->event, 0) == SSH_ERROR &&
	    !ssh_is_connected(r->session))
		return relay_fail(r, "connection lost");
	if (keepalive_check(&r->ka) != 0) {
		r->failed = 1;
		keepalive_error(r->hop, &r->err);
		return -1;
	}
	if (r->on_wake != NULL)
		r->on_wake(r->wake_arg);
	if (r->io != NULL) {
		if ((n = chanio_pump(r->io)) == -1)
			return relay_fail(r, r->io->failed != NULL ?
			    r->io->failed : "channel");
		moved |= n;
	}
	for (i = 0; i < r->n_extra; i++) {
		if ((n = r->extra[i].pump(r->extra[i].arg)) == -1) {
			if (!r->failed)
				relay_fail(r, "service");
			return -1;
		}
		moved |= n;
	}
	return moved;
}

int
relay_run(struct relay *r)
{
	struct pollfd *pfd;
	int n, nfd, flags, chan_fd, i, max, moved;
	int extra_fds = RELAY_EXTRA_FDS;

	ssh_set_blocking(r->session, 0);
	chan_fd = ssh_get_fd(r->session);
	if ((r->event = ssh_event_new()) == NULL ||
	    ssh_event_add_session(r->event, r->session) != SSH_OK) {
		if (r->event != NULL)
			ssh_event_free(r->event);
		r->event = NULL;
		return relay_fail(r, "event");
	}
	keepalive_start(&r->ka, r->session, r->hop);
	pfd = xreallocarray(NULL, 5 + extra_fds, sizeof(*pfd));
	for (;;) {
		if ((moved = relay_pass(r)) == -1)
			break;
		if (r->io != NULL && r->io->quit) {
			/* ~.: as ssh, leave without waiting for the remote. */
			if (!ssh_channel_is_closed(r->io->ch))
				ssh_channel_close(r->io->ch);
			break;
		}
		if (relay_done(r))
			break;
		/* Gone without a word (a killed jump, a dead link). */
		if (!ssh_is_connected(r->session)) {
			relay_fail(r, "connection lost");
			break;
		}
		if (moved)
			continue;

		nfd = 0;
		flags = ssh_get_poll_flags(r->session);
		pfd[nfd].fd = chan_fd;
		pfd[nfd].events = POLLIN |
		    ((flags & SSH_WRITE_PENDING) ? POLLOUT : 0);
		nfd++;
		if (r->io != NULL)
			nfd += chanio_pollfds(r->io, pfd + nfd, 3);
		/*
		 * Extras that fill the poll set get a bigger one next time;
		 * one slot stays for wake_fd.
		 */
		for (i = 0; i < r->n_extra; i++) {
			max = 4 + extra_fds - nfd;
			n = r->extra[i].pollfds(r->extra[i].arg, pfd + nfd, max);
			nfd += n;
			if (n == max) {
				extra_fds *= 2;
				pfd = xreallocarray(pfd, 5 + extra_fds,
				    sizeof(*pfd));
			}
		}
		if (r->wake_fd != -1) {
			pfd[nfd].fd = r->wake_fd;
			pfd[nfd++].events = POLLIN;
		}
		/*
		 * SSH_READ_PENDING is no reason to skip the wait: it stays
		 * set while libssh holds half a packet.  Complete packets
		 * are processed as they are read.
		 *
		 * On a TCP socket, ACK at once: when we wait for a window
		 * adjust we send nothing, our ACK is delayed, and the
		 * server's Nagle then holds its next small packet ~40 ms.
		 * Linux forgets TCP_QUICKACK, so it is set before each wait.
		 */
		if (r->tcp)
			setsockopt(chan_fd, IPPROTO_TCP, TCP_QUICKACK,
			    &(int){ 1 }, sizeof(int));
		if (poll(pfd, nfd, keepalive_wait(&r->ka, 1000)) == -1 &&
		    errno != EINTR) {
			relay_fail(r, "poll");
			break;
		}
	}
	/*
	 * libssh calls a channel closed once its session is dead, so a
	 * lost connection can end the loop through relay_done() as if
	 * the channel had ended.  A channel that ended saw the server's
	 * EOF or CLOSE; one that got neither was cut off.
	 */
	if (!r->failed && r->io != NULL && !r->io->quit &&
	    !ssh_is_connected(r->session) && ssh_channel_is_eof(r->io->ch) != 1)
		relay_fail(r, "connection lost");
	keepalive_stop(&r->ka);
	free(pfd);
	ssh_event_remove_session(r->event, r->session);
	ssh_event_free(r->event);
	r->event = NULL;
	return r->failed ? -1 : 0;
}
