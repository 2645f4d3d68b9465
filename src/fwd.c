/*
 * The forwarding service of the destination's session: the table of
 * its forwardings (-L and -D listeners in fwd-local.c, -R forwardings
 * in fwd-remote.c) and of the connections they carry, each connection's
 * state machine, and the entry points of fwd.h (the start from the
 * options, ~C's add and cancel, the relay's pump).  Everything is a
 * channel of the one session, so it rides the chain's relays; the
 * session's relay loop on the main thread drives it all through
 * fwd_pump() and fwd_pollfds(), never blocking: channel opens are
 * retried while libssh says SSH_AGAIN, and local connects are
 * non-blocking.
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/server.h>

#include "chain.h"
#include "chanio.h"
#include "fwd-int.h"
#include "sshlib.h"

/* Every socket of the service: non-blocking, and not left to children. */
void
fwd_set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* A new connection at the head of the table, with ssh's next channel id. */
struct fconn *
fwd_conn_new(struct fwd *f, enum conn_state st, ssh_channel ch, int fd)
{
	struct fconn *c = xcalloc(1, sizeof(*c));

	c->state = st;
	c->id = f->next_id++;
	chanio_init(&c->io, ch, CHANIO_STREAM, fd, fd, -1);
	c->next = f->conns;
	f->conns = c;
	f->n_conns++;
	return c;
}

static void
conn_free(struct fconn *c)
{
	chanio_close(&c->io);
	free(c->host);
	free(c->path);
	free(c);
}

/* Queue the SOCKS reply for the local side (or the channel for -R). */
void
fwd_socks_answer(struct fconn *c, int ok)
{
	c->out_len = socks_reply(&c->socks, ok, c->out);
}

/* Send the queued SOCKS reply; 1 if some went, 0 if it must wait, -1. */
int
fwd_send_out(struct fconn *c)
{
	ssize_t n;

	if (c->out_len == 0)
		return 0;
	if (c->remote_socks) {
		/* The peer's window may take less than the whole reply. */
		n = ssh_channel_write(c->io.ch, c->out, c->out_len);
		if (n == SSH_AGAIN || n == 0)
			return 0;
		if (n < 0)
			return -1;
	} else
		n = send(c->io.in_fd, c->out, c->out_len, MSG_NOSIGNAL);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;
	memmove(c->out, c->out + n, c->out_len - n);
	c->out_len -= n;
	return 1;
}

/* Read and parse the SOCKS request; 1 if anything moved. */
static int
pump_socks(struct fwd *f, struct fconn *c)
{
	unsigned char reply[16];
	size_t used, rlen;
	ssize_t n;
	int r, moved = 0;

	if (c->remote_socks) {
		n = sshlib_read(c->io.ch, c->in + c->in_len,
		    sizeof(c->in) - c->in_len, 0);
		if (n == SSH_ERROR || (n == 0 && (ssh_channel_is_eof(c->io.ch) ||
		    ssh_channel_is_closed(c->io.ch)))) {
			c->state = C_DONE;
			return 1;
		}
		if (n <= 0)
			return 0;
	} else {
		n = read(c->io.in_fd, c->in + c->in_len,
		    sizeof(c->in) - c->in_len);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n <= 0) {
			c->state = C_DONE;
			return 1;
		}
	}
	c->in_len += n;
	moved = 1;
	for (;;) {
		r = socks_parse(&c->socks, c->in, c->in_len, &used, reply,
		    &rlen);
		if (rlen > 0) {
			memcpy(c->out, reply, rlen);
			c->out_len = rlen;
			fwd_send_out(c);
		}
		memmove(c->in, c->in + used, c->in_len - used);
		c->in_len -= used;
		if (r == -1) {
			debug("channel %d: bad SOCKS request: %s", c->id,
			    c->socks.why);
			c->state = C_DONE;
			return 1;
		}
		if (r == 1)
			break;
		if (used == 0) {
			if (c->in_len == sizeof(c->in))
				c->state = C_DONE;
			return moved;
		}
	}
	debug("channel %d: dynamic request: %d host %s port %d", c->id,
	    c->socks.version, c->socks.host, c->socks.port);
	c->host = xstrdup(c->socks.host);
	c->port = c->socks.port;
	/* What came after the request already belongs to the stream. */
	if (c->in_len > 0 && c->remote_socks) {
		chanio_queue_to_out(&c->io, c->in, c->in_len);
	} else if (c->in_len > 0) {
		chanio_queue_to_chan(&c->io, c->in, c->in_len);
	}
	if (c->remote_socks)
		return fwd_remote_connect(f, c), 1;
	if ((c->io.ch = ssh_channel_new(f->session)) == NULL) {
		c->state = C_DONE;
		return 1;
	}
	c->state = C_OPENING;
	return 1;
}

static int
conn_pump(struct fwd *f, struct fconn *c)
{
	int moved = 0;

	switch (c->state) {
	case C_SOCKS:
		return pump_socks(f, c);
	case C_OPENING:
		return fwd_local_open(f, c);
	case C_CONNECTING:
		if (!(moved = fwd_remote_connecting(f, c)) || c->state != C_OPEN)
			return moved;
		/* FALLTHROUGH */
	case C_OPEN:
		if (c->out_len > 0) {
			if (fwd_send_out(c) == -1) {
				c->state = C_DONE;
				return 1;
			}
			if (c->out_len > 0)
				return moved;
		}
		if (chanio_pump(&c->io) != 0)
			moved = 1;
		if (chanio_done(&c->io))
			c->state = C_DONE;
		return moved;
	case C_DONE:
		break;
	}
	return 0;
}

int
fwd_pump(void *arg)
{
	struct fwd *f = arg;
	struct listener *l;
	struct fconn **cp, *c;
	int i, moved = 0;

	for (l = f->listeners; l != NULL; l = l->next)
		for (i = 0; i < l->nfd; i++)
			while (fwd_local_accept(f, l, l->fd[i]))
				moved = 1;
	for (cp = &f->conns; (c = *cp) != NULL;) {
		moved |= conn_pump(f, c);
		if (c->state == C_DONE) {
			debug2("channel %d: closed", c->id);
			*cp = c->next;
			conn_free(c);
			f->n_conns--;
			moved = 1;
			continue;
		}
		cp = &c->next;
	}
	return moved;
}

int
fwd_pollfds(void *arg, struct pollfd *pfd, int max)
{
	struct fwd *f = arg;
	struct listener *l;
	struct fconn *c;
	int i, n = 0;

	for (l = f->listeners; l != NULL; l = l->next)
		for (i = 0; i < l->nfd && n < max; i++) {
			pfd[n].fd = l->fd[i];
			pfd[n++].events = POLLIN;
		}
	for (c = f->conns; c != NULL && n < max; c = c->next) {
		switch (c->state) {
		case C_SOCKS:
			if (c->remote_socks)
				continue;
			pfd[n].fd = c->io.in_fd;
			pfd[n++].events = POLLIN;
			break;
		case C_CONNECTING:
			pfd[n].fd = c->io.in_fd;
			pfd[n++].events = POLLOUT;
			break;
		case C_OPEN:
			if (c->out_len > 0 && !c->remote_socks) {
				pfd[n].fd = c->io.in_fd;
				pfd[n++].events = POLLOUT;
			} else
				n += chanio_pollfds(&c->io, &pfd[n], max - n);
			break;
		default:
			break;
		}
	}
	return n;
}

int
fwd_busy(void *arg)
{
	const struct fwd *f = arg;

	return f != NULL && f->n_conns > 0;
}

/* ------------------------------------------------------------ the service */

int
fwd_add_spec(struct fwd *f, const char *s, char kind, struct xerr *e)
{
	struct fwdspec spec;
	int rc;

	if (fwdspec_parse(s, kind, &spec) != 0)
		return xerr_set(e, XE_USAGE, "Bad %s forwarding specification "
		    "'%s'", kind == 'L' ? "local" : kind == 'R' ? "remote" :
		    "dynamic", s);
	if (kind == 'R') {
		rc = fwd_remote_request(f, &spec, e);
		fwdspec_free(&spec);
		return rc;
	}
	if (fwd_local_add(f, &spec) != 0) {
		fwdspec_free(&spec);
		if (f->hop->opts.exit_on_forward_failure == 1)
			return xerr_bare(e, XE_CHANNEL,
			    "Could not request local forwarding.");
		error("Could not request local forwarding.");
	}
	return 0;
}

/* Does a forwarding's listen side match a -K spec? */
int
fwd_listen_matches(const struct fwdspec *f, const char *host, int port,
    const char *path)
{
	if (path != NULL || f->listen_path != NULL)
		return path != NULL && f->listen_path != NULL &&
		    strcmp(path, f->listen_path) == 0;
	if (port != f->listen_port)
		return 0;
	if (host == NULL)
		return 1;
	return f->listen_host != NULL && strcmp(host, f->listen_host) == 0;
}

int
fwd_cancel(struct fwd *f, const char *s, char kind, struct xerr *e)
{
	struct fwdspec k;
	int rc;

	/* "[bind_address:]port" or a path reads as a -D spec. */
	if (fwdspec_parse(s, 'D', &k) != 0)
		return xerr_set(e, XE_USAGE, "Bad forwarding close "
		    "specification '%s'", s);
	rc = kind == 'R' ? fwd_remote_cancel(f, &k) :
	    fwd_local_cancel(f, &k, kind);
	fwdspec_free(&k);
	if (rc != 0)
		return xerr_set(e, XE_USAGE, "Unknown %s forwarding '%s'",
		    kind == 'R' ? "remote" : kind == 'D' ? "dynamic" :
		    "local", s);
	return 0;
}

/*
 * The forwardings of the destination's options, set up in ssh's order
 * (local, remote; dynamic ones are local); NULL without any.  With
 * ExitOnForwardFailure a forwarding that fails is an error.
 */
struct fwd *
fwd_start(struct hop *h, struct xerr *e)
{
	const struct options *o = &h->opts;
	struct fwd *f;
	int i;

	e->code = XE_OK;
	f = xcalloc(1, sizeof(*f));
	f->hop = h;
	f->session = h->session;
	f->next_id = 2;		/* ssh's first channel after the session */
	ssh_set_message_callback(h->session, fwd_remote_message, f);
	if (o->clear_all_forwardings == 1)
		return f;
	for (i = 0; i < o->local_forwards.n; i++)
		if (fwd_add_spec(f, o->local_forwards.v[i],
		    fwdspec_local_kind(o->local_forwards.v[i]), e) != 0)
			goto fail;
	for (i = 0; i < o->remote_forwards.n; i++)
		if (fwd_add_spec(f, o->remote_forwards.v[i], 'R', e) != 0)
			goto fail;
	return f;
 fail:
	fwd_stop(f);
	return NULL;
}

void
fwd_stop(struct fwd *f)
{
	struct listener *l;
	struct rfwd *r;
	struct fconn *c;

	if (f == NULL)
		return;
	ssh_set_message_callback(f->session, NULL, NULL);
	while ((l = f->listeners) != NULL) {
		f->listeners = l->next;
		fwd_local_free(l);
	}
	while ((r = f->rfwds) != NULL) {
		f->rfwds = r->next;
		fwd_remote_free(r);
	}
	while ((c = f->conns) != NULL) {
		f->conns = c->next;
		conn_free(c);
	}
	free(f);
}
