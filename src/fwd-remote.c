/*
 * The remote side of forwarding: -R requests and their cancels (the
 * server listens), and the forwarded-tcpip channels the server opens
 * for them, each joined to a non-blocking local connect, or serving
 * SOCKS on the channel for -R with a port only (PermitRemoteOpen says
 * where it may go).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/server.h>

#include "chain.h"
#include "fwd-int.h"
#include "sshlib.h"

/* The local connect of a -R connection failed: say so, and end it. */
static void
connect_failed(struct fconn *c)
{
	error("connect_to %s port %d: failed.", c->path ? c->path : c->host,
	    c->port);
	if (c->remote_socks) {
		fwd_socks_answer(c, 0);
		fwd_send_out(c);
	}
	c->state = C_DONE;
}

/* PermitRemoteOpen: may a -R SOCKS request reach host:port? */
static int
remote_open_permitted(const struct fwd *f, const char *host, int port)
{
	const struct strlist *l = &f->hop->opts.permit_remote_open;
	char *h, *p;
	int i, ok = 0;

	if (l->n == 0 || strcasecmp(l->v[0], "any") == 0)
		return 1;
	if (strcasecmp(l->v[0], "none") == 0)
		return 0;
	for (i = 0; i < l->n && !ok; i++) {
		h = xstrdup(l->v[i]);
		if (*h == '[' && (p = strstr(h, "]:")) != NULL) {
			*p = '\0';
			p += 2;
			memmove(h, h + 1, strlen(h));
		} else if ((p = strrchr(h, ':')) != NULL)
			*p++ = '\0';
		if (p != NULL && (strcmp(p, "*") == 0 || atoi(p) == port) &&
		    (strcmp(h, "*") == 0 || strcasecmp(h, host) == 0))
			ok = 1;
		free(h);
	}
	return ok;
}

/* Start the local connect of a -R connection; C_CONNECTING or C_DONE. */
int
fwd_remote_connect(struct fwd *f, struct fconn *c)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct sockaddr_un sun;
	char port[16];
	int fd = -1, rc;

	if (c->remote_socks && !remote_open_permitted(f, c->host, c->port)) {
		logit("Received request to connect to host %s port %d, but "
		    "the request was denied.", c->host, c->port);
		fwd_socks_answer(c, 0);
		fwd_send_out(c);
		c->state = C_DONE;
		return -1;
	}
	if (c->path != NULL) {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", c->path);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) != -1) {
			fwd_set_nonblock(fd);
			if (connect(fd, (struct sockaddr *)&sun,
			    sizeof(sun)) == -1 && errno != EINPROGRESS) {
				close(fd);
				fd = -1;
			}
		}
	} else {
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = f->hop->opts.address_family > 0 ?
		    f->hop->opts.address_family : AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		snprintf(port, sizeof(port), "%d", c->port);
		if ((rc = getaddrinfo(c->host, port, &hints, &res)) != 0)
			error("connect_to %s: unknown host (%s)", c->host,
			    gai_strerror(rc));
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			if ((fd = socket(ai->ai_family, ai->ai_socktype,
			    ai->ai_protocol)) == -1)
				continue;
			fwd_set_nonblock(fd);
			if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
			    errno == EINPROGRESS)
				break;
			close(fd);
			fd = -1;
		}
		if (res != NULL)
			freeaddrinfo(res);
	}
	if (fd == -1) {
		connect_failed(c);
		return -1;
	}
	chanio_attach_fd(&c->io, fd);
	c->state = C_CONNECTING;
	return 0;
}

/*
 * libssh 0.10 had no callback for forwarded-tcpip opens (0.12 has
 * one; the message callback is kept because it answers the other
 * requests too): they come through the session's message callback (after the agent callback
 * has had its turn), which also answers every other unexpected
 * request (returning 1 replies with a refusal), so nothing piles up
 * in the session's message queue.
 */
int
fwd_remote_message(ssh_session s, ssh_message msg, void *arg)
{
	struct fwd *f = arg;
	struct rfwd *r;
	struct fconn *c;
	ssh_channel ch;
	const char *orig;
	int dport;

	if (ssh_message_type(msg) != SSH_REQUEST_CHANNEL_OPEN ||
	    ssh_message_subtype(msg) != SSH_CHANNEL_FORWARDED_TCPIP)
		return 1;
	dport = ssh_message_channel_request_open_destination_port(msg);
	for (r = f->rfwds; r != NULL; r = r->next)
		if (r->bound_port == dport)
			break;
	if (r == NULL) {
		debug("forwarded-tcpip open for unknown port %d refused",
		    dport);
		return 1;
	}
	orig = ssh_message_channel_request_open_originator(msg);
	debug("client_request_forwarded_tcpip: listen %d, originator %s "
	    "port %d", dport, orig ? orig : "?",
	    ssh_message_channel_request_open_originator_port(msg));
	c = fwd_conn_new(f, C_CONNECTING, NULL, -1);
	if (r->spec.dynamic) {
		c->remote_socks = 1;
		c->state = C_SOCKS;
	} else if (r->spec.connect_path != NULL)
		c->path = xstrdup(r->spec.connect_path);
	else {
		c->host = xstrdup(r->spec.connect_host);
		c->port = r->spec.connect_port;
	}
	if (!c->remote_socks && fwd_remote_connect(f, c) != 0) {
		/* Refused: the conn goes at the next pump. */
		return 1;
	}
	if ((ch = ssh_message_channel_request_open_reply_accept(msg)) ==
	    NULL) {
		c->state = C_DONE;
		return 0;
	}
	c->io.ch = ch;
	return 0;
}

/* Ask the server to listen; works in blocking and non-blocking mode. */
int
fwd_remote_request(struct fwd *f, struct fwdspec *spec, struct xerr *e)
{
	const struct options *o = &f->hop->opts;
	const char *bind = spec->listen_host;
	struct rfwd *r;
	char *to;
	int rc, bound = 0;

	if (spec->listen_path != NULL) {
		error("Warning: remote forwarding of Unix socket %s: not "
		    "supported (libssh has no streamlocal-forward)",
		    spec->listen_path);
		if (o->exit_on_forward_failure == 1)
			return xerr_bare(e, XE_CHANNEL, "Error: remote port "
			    "forwarding failed for listen path %s",
			    spec->listen_path);
		return 0;
	}
	/* ssh's channel_rfwd_bind_host(). */
	if (bind == NULL)
		bind = "localhost";
	else if (*bind == '\0' || strcmp(bind, "*") == 0)
		bind = "";
	if (o->server_alive_interval > 0)
		sshlib_global_settle(f->session, 10);
	while ((rc = ssh_channel_listen_forward(f->session, bind,
	    spec->listen_port, &bound)) == SSH_AGAIN)
		poll(&(struct pollfd){ .fd = ssh_get_fd(f->session),
		    .events = POLLIN }, 1, 100);
	if (rc != SSH_OK) {
		if (o->exit_on_forward_failure == 1)
			return xerr_bare(e, XE_CHANNEL, "Error: remote port "
			    "forwarding failed for listen port %d",
			    spec->listen_port);
		logit("Warning: remote port forwarding failed for listen "
		    "port %d", spec->listen_port);
		return 0;
	}
	r = xcalloc(1, sizeof(*r));
	r->spec = *spec;
	memset(spec, 0, sizeof(*spec));
	r->bound_port = r->spec.listen_port != 0 ? r->spec.listen_port :
	    bound;
	if (r->spec.listen_port == 0) {
		to = fwdspec_connect_str(&r->spec);
		logit("Allocated port %d for remote forward to %s",
		    r->bound_port, to);
		free(to);
	}
	debug("remote forward success for: listen %d, connect %s:%d",
	    r->bound_port, r->spec.connect_host ? r->spec.connect_host :
	    "socks", r->spec.connect_port);
	r->next = f->rfwds;
	f->rfwds = r;
	return 0;
}

/* -R: has the local connect finished? */
int
fwd_remote_connecting(struct fwd *f, struct fconn *c)
{
	struct pollfd p = { .fd = c->io.in_fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0;

	if (poll(&p, 1, 0) <= 0)
		return 0;
	if (getsockopt(c->io.in_fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
	    err != 0) {
		connect_failed(c);
		return 1;
	}
	if (c->remote_socks)
		fwd_socks_answer(c, 1);
	c->state = C_OPEN;
	return 1;
}

/* ~C -KR: cancel the forwarding that matches; -1 if there is none. */
int
fwd_remote_cancel(struct fwd *f, const struct fwdspec *k)
{
	struct rfwd **rp, *r;
	const char *bind;

	for (rp = &f->rfwds; (r = *rp) != NULL; rp = &r->next)
		if (fwd_listen_matches(&r->spec, k->listen_host,
		    k->listen_port, k->listen_path) ||
		    (k->listen_path == NULL &&
		    r->bound_port == k->listen_port))
			break;
	if (r == NULL)
		return -1;
	bind = r->spec.listen_host == NULL ? "localhost" :
	    r->spec.listen_host;
	if (f->hop->opts.server_alive_interval > 0)
		sshlib_global_settle(f->session, 10);
	while (ssh_channel_cancel_forward(f->session, bind,
	    r->bound_port) == SSH_AGAIN)
		poll(&(struct pollfd){ .fd = ssh_get_fd(f->session),
		    .events = POLLIN }, 1, 100);
	*rp = r->next;
	fwd_remote_free(r);
	return 0;
}

/* One -R forwarding, once the server no longer listens for it. */
void
fwd_remote_free(struct rfwd *r)
{
	fwdspec_free(&r->spec);
	free(r);
}
