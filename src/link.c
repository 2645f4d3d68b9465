/*
 * Links between hops, and the one teardown of a hop.
 *
 * Every hop after the first runs its session over a direct-tcpip
 * channel of the hop before it, carried by a socketpair: the jump's
 * link keeps one end, pumped by its relay thread, and the next hop's
 * session gets the other.  The jump is handed to the thread only once
 * that channel is open, so everything before (prompts, errors) stays
 * on the main thread, one hop at a time.
 *
 * Teardown goes from the inside out: closing the destination's socket
 * ends the relay of the hop before it, whose thread then closes that
 * hop (its channel, session, socket, ProxyCommand) with hop_close(),
 * which ends the relay of the hop before, and so on to hop 1.
 * chain_close() joins the threads in that order and closes, with the
 * same hop_close(), the hops no thread owns.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chain.h"
#include "link.h"
#include "mux.h"
#include "sshlib.h"

#define SOCKPAIR_BUF	(1024 * 1024)
#define PROXY_REAP_MS	2000	/* how long a ProxyCommand has to go */

static void
link_free(struct link *l)
{
	if (l == NULL)
		return;
	if (l->ch != NULL)
		ssh_channel_free(l->ch);
	if (l->near_fd != -1)
		close(l->near_fd);
	chanio_free(&l->io);
	free(l);
}

/* Why the jump could not open the channel, in ssh's words. */
static int
open_failure(struct hop *next, struct hop *via, long timeout, int rc,
    struct xerr *e)
{
	char text[XERR_MSGLEN / 2];
	const char *reason;
	unsigned code;

	/* libssh 0.12 returns SSH_AGAIN, with no error text, on timeout. */
	if (rc == SSH_AGAIN || sshlib_timed_out(via->session))
		return hop_error(next, e, XE_TIMEOUT, "connect", "%s could "
		    "not reach it within %ld s", via->name, timeout);
	code = sshlib_open_failure(via->session, text, sizeof(text));
	if (code == 2)
		return hop_error(next, e, XE_CONNECT, "connect", "%s", text);
	reason = sshlib_open_reason(code);
	return hop_error(next, e, XE_CHANNEL, "channel", "%s refused to open "
	    "a channel: %s: %s", via->name, reason != NULL ? reason :
	    "open failed", text);
}

/*
 * Open the direct-tcpip channel from the hop before h to h, and the
 * socketpair h's session will run over (h->fd).  Bounded by h's
 * ConnectTimeout, as the jump's connect is part of reaching h.
 */
int
link_open(struct hop *h, struct xerr *e)
{
	struct hop *via = h->prev;
	struct link *l;
	long timeout = h->opts.connect_timeout > 0 ?
	    h->opts.connect_timeout : 0;
	int sp[2], size = SOCKPAIR_BUF, i, rc;

	snprintf(h->addr, sizeof(h->addr), "%s:%d via %s", h->opts.hostname,
	    h->opts.port, via->name);
	l = xcalloc(1, sizeof(*l));
	l->via = via;
	l->to = h;
	l->near_fd = -1;
	ssh_options_set(via->session, SSH_OPTIONS_TIMEOUT, &timeout);
	if ((l->ch = ssh_channel_new(via->session)) == NULL) {
		hop_error(h, e, XE_CHANNEL, "channel", "%s",
		    ssh_get_error(via->session));
		goto fail;
	}
	if ((rc = ssh_channel_open_forward(l->ch, h->opts.hostname,
	    h->opts.port, "127.0.0.1", 65535)) != SSH_OK) {
		open_failure(h, via, timeout, rc, e);
		goto fail;
	}
	timeout = 0;
	ssh_options_set(via->session, SSH_OPTIONS_TIMEOUT, &timeout);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		hop_error(h, e, XE_IO, "channel", "socketpair: %s",
		    strerror(errno));
		goto fail;
	}
	for (i = 0; i < 2; i++) {
		setsockopt(sp[i], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
		setsockopt(sp[i], SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	}
	fcntl(sp[0], F_SETFL, fcntl(sp[0], F_GETFL) | O_NONBLOCK);
	l->near_fd = sp[0];
	h->fd = sp[1];
	via->link = l;
	return 0;
 fail:
	timeout = 0;
	ssh_options_set(via->session, SSH_OPTIONS_TIMEOUT, &timeout);
	link_free(l);
	return -1;
}

/*
 * A jump's relay thread: run until the next hop's session is gone or
 * the channel closes, then close the jump.  Its socket goes last,
 * which tells the relay of the hop before that its work is over too.
 */
static void *
link_thread(void *arg)
{
	struct hop *h = arg;
	struct link *l = h->link;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	log_libssh_thread_setup();
	if (relay_run(&l->relay) != 0) {
		l->err = l->relay.err;
		l->failed = 1;
	}
	debug("hop %d/%d %s: relay done, %llu bytes in, %llu bytes out",
	    h->index, h->count, h->name, l->io.bytes_in, l->io.bytes_out);
	hop_close(h);
	h->state = HOP_CLOSED;
	return NULL;
}

/* Hand via, whose link is open, to its relay thread. */
int
link_start(struct hop *via, struct xerr *e)
{
	struct link *l = via->link;
	int r;

	chanio_init(&l->io, l->ch, CHANIO_HOP, l->near_fd, l->near_fd, -1);
	relay_init(&l->relay, via->session, via, &l->io);
	l->relay.tcp = via->prev == NULL && via->proxy_pid == 0;
	via->state = HOP_RELAYING;
	if ((r = pthread_create(&l->thread, NULL, link_thread, via)) != 0) {
		via->state = HOP_AUTHENTICATED;
		return hop_error(via, e, XE_IO, "relay", "pthread_create: %s",
		    strerror(r));
	}
	l->started = 1;
	return 0;
}

/*
 * As ssh: the ProxyCommand gets SIGHUP when we are done.  It is given
 * a moment to go and is reaped; one that ignores the signal is left
 * to init rather than waited for.
 */
static void
proxy_stop(pid_t pid)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	kill(pid, SIGHUP);
	for (i = 0; i < PROXY_REAP_MS / 10; i++) {
		if (waitpid(pid, NULL, WNOHANG) != 0)
			return;
		nanosleep(&ts, NULL);
	}
	debug("ProxyCommand (pid %ld) still runs after SIGHUP",
	    (long)pid);
}

/*
 * Close everything of one hop that nothing runs on any more: called
 * by the hop's own relay thread at its end, and by chain_close() for
 * the hops no thread owns.  The link's channel goes before the
 * session it belongs to; libssh's copy of the socket is released with
 * the session, ours after it.
 */
void
hop_close(struct hop *h)
{
	struct link *l = h->link;

	if (l != NULL) {
		if (l->ch != NULL) {
			if (!ssh_channel_is_closed(l->ch))
				ssh_channel_close(l->ch);
			ssh_channel_free(l->ch);
			l->ch = NULL;
		}
		if (l->near_fd != -1) {
			close(l->near_fd);
			l->near_fd = -1;
		}
		chanio_free(&l->io);
	}
	if (h->session != NULL) {
		sshlib_release(h->session, h->lib_fd, h->fd,
		    h->state == HOP_AUTHENTICATED || h->state == HOP_RELAYING);
		h->session = NULL;
	} else if (h->lib_fd != -1)
		close(h->lib_fd);
	h->lib_fd = -1;
	if (h->fd != -1) {
		close(h->fd);
		h->fd = -1;
	}
	mux_hop_close(h);
	if (h->proxy_pid > 0) {
		proxy_stop(h->proxy_pid);
		h->proxy_pid = 0;
	}
}

/*
 * After a failure, once chain_close joined the relays: the first hop
 * whose relay failed (a keepalive timeout, a lost connection) is where
 * the chain broke, and its error replaces e; the hops after it and the
 * destination only lost their connection through it.  0 if none did.
 */
int
chain_broken_hop(const struct chain *c, struct xerr *e)
{
	int i;

	for (i = 0; i < c->n; i++) {
		if (c->hop[i]->link != NULL && c->hop[i]->link->failed) {
			*e = c->hop[i]->link->err;
			return 1;
		}
	}
	return 0;
}

/* Tear the chain down from the inside out (see the top of this file). */
void
chain_close(struct chain *c)
{
	struct hop *h;
	int i;

	for (i = c->n - 1; i >= 0; i--) {
		h = c->hop[i];
		if (h->link != NULL && h->link->started) {
			pthread_join(h->link->thread, NULL);
			h->link->started = 0;
		} else
			hop_close(h);
	}
}

/* The links' memory, once the chain is closed (chain_free). */
void
chain_free_links(struct chain *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		link_free(c->hop[i]->link);
		c->hop[i]->link = NULL;
	}
}
