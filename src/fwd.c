/*
 * The forwarding service of the destination's session: local listeners
 * for -L and -D (each accepted connection becomes a direct-tcpip or
 * direct-streamlocal channel), remote listeners for -R (each
 * forwarded-tcpip channel the server opens is joined to a new local
 * connection, or serves SOCKS for -R with a port only), and the
 * connections themselves.  Everything is a channel of the one session,
 * so it rides the chain's relays; the session's relay loop on the main
 * thread drives it all through fwd_pump() and fwd_pollfds(), never
 * blocking: channel opens are retried while libssh says SSH_AGAIN, and
 * local connects are non-blocking.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/server.h>

#include "chain.h"
#include "chanio.h"
#include "fwd.h"
#include "match.h"
#include "sshlib.h"

#define MAX_LISTEN_FDS	8

enum conn_state {
	C_SOCKS,	/* reading the SOCKS request */
	C_OPENING,	/* the channel open is under way */
	C_CONNECTING,	/* -R: the local connect is under way */
	C_OPEN,		/* bytes flow */
	C_DONE,
};

struct fconn {
	struct fconn *next;
	enum conn_state state;
	struct chanio io;
	int	 id;
	int	 remote_socks;	/* -R SOCKS: the request comes on the channel */
	struct socksreq socks;
	unsigned char in[600];	/* SOCKS request bytes */
	size_t	 in_len;
	unsigned char out[16];	/* SOCKS reply, before the pump starts */
	size_t	 out_len;
	char	*host;		/* where the channel or connect goes */
	int	 port;
	char	*path;
	char	 orig[64];	/* the local peer, for the channel open */
	int	 oport;
};

struct listener {
	struct listener *next;
	struct fwdspec spec;
	int	 fd[MAX_LISTEN_FDS];
	int	 nfd;
};

struct rfwd {
	struct rfwd *next;
	struct fwdspec spec;
	int	 bound_port;	/* the server's port (allocated for 0) */
};

struct fwd {
	struct hop *hop;
	ssh_session session;
	struct listener *listeners;
	struct rfwd *rfwds;
	struct fconn *conns;
	int	 next_id;
	int	 n_conns;
};

static void
set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static struct fconn *
conn_new(struct fwd *f, enum conn_state st, ssh_channel ch, int fd)
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

/* ------------------------------------------------------------ listeners */

/*
 * ssh's channel_fwd_bind_addr() for a client: no address means
 * loopback unless GatewayPorts; "" and "*" mean every address;
 * "localhost" every loopback address; anything else itself.
 */
static const char *
bind_addr(const struct fwd *f, const char *addr, int *wildcard)
{
	*wildcard = 0;
	if (addr == NULL) {
		*wildcard = f->hop->opts.gateway_ports == 1;
		return NULL;
	}
	if (*addr == '\0' || strcmp(addr, "*") == 0) {
		*wildcard = 1;
		return NULL;
	}
	if (strcmp(addr, "localhost") == 0)
		return NULL;
	return addr;
}

static int
listen_tcp(struct fwd *f, struct listener *l)
{
	struct addrinfo hints, *res, *ai;
	char port[16], ntop[NI_MAXHOST];
	const char *addr;
	int wildcard, fd, rc;

	addr = bind_addr(f, l->spec.listen_host, &wildcard);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = f->hop->opts.address_family > 0 ?
	    f->hop->opts.address_family : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = wildcard ? AI_PASSIVE : 0;
	snprintf(port, sizeof(port), "%d", l->spec.listen_port);
	if ((rc = getaddrinfo(addr, port, &hints, &res)) != 0) {
		error("getaddrinfo: %s", gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL && l->nfd < MAX_LISTEN_FDS;
	    ai = ai->ai_next) {
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, ntop,
		    sizeof(ntop), NULL, 0, NI_NUMERICHOST) != 0)
			snprintf(ntop, sizeof(ntop), "?");
		if ((fd = socket(ai->ai_family, ai->ai_socktype,
		    ai->ai_protocol)) == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 },
		    sizeof(int));
		if (ai->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &(int){ 1 },
			    sizeof(int));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
			/* As ssh, one line for each address that fails. */
			error("bind [%s]:%s: %s", ntop, port, strerror(errno));
			close(fd);
			continue;
		}
		if (listen(fd, 128) == -1) {
			error("listen [%s]:%s: %s", ntop, port,
			    strerror(errno));
			close(fd);
			continue;
		}
		set_nonblock(fd);
		l->fd[l->nfd++] = fd;
		debug("Local forwarding listening on %s port %s.", ntop, port);
	}
	freeaddrinfo(res);
	if (l->nfd == 0) {
		error("channel_setup_fwd_listener_tcpip: cannot listen to "
		    "port: %d", l->spec.listen_port);
		return -1;
	}
	return 0;
}

/* A local Unix socket, with StreamLocalBindMask and ...Unlink. */
static int
listen_unix(struct fwd *f, struct listener *l)
{
	const struct options *o = &f->hop->opts;
	struct sockaddr_un sun;
	mode_t omask;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(l->spec.listen_path) >= sizeof(sun.sun_path)) {
		error("Local forwarding path too long: %s",
		    l->spec.listen_path);
		return -1;
	}
	strcpy(sun.sun_path, l->spec.listen_path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return -1;
	if (o->stream_local_bind_unlink == 1)
		unlink(sun.sun_path);
	omask = umask(o->stream_local_bind_mask >= 0 ?
	    (mode_t)o->stream_local_bind_mask : 0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 128) == -1) {
		umask(omask);
		error("%s: cannot listen on path %s: %s", __func__,
		    l->spec.listen_path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(omask);
	set_nonblock(fd);
	l->fd[l->nfd++] = fd;
	return 0;
}

static int
add_listener(struct fwd *f, struct fwdspec *spec)
{
	struct listener *l = xcalloc(1, sizeof(*l));
	int rc;

	l->spec = *spec;
	memset(spec, 0, sizeof(*spec));
	rc = l->spec.listen_path != NULL ? listen_unix(f, l) :
	    listen_tcp(f, l);
	if (rc != 0) {
		fwdspec_free(&l->spec);
		free(l);
		return -1;
	}
	l->next = f->listeners;
	f->listeners = l;
	return 0;
}

static void
listener_free(struct listener *l)
{
	int i;

	for (i = 0; i < l->nfd; i++)
		close(l->fd[i]);
	fwdspec_free(&l->spec);
	free(l);
}

/* A new local connection on a -L or -D listener. */
static int
accept_one(struct fwd *f, struct listener *l, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct fconn *c;
	ssh_channel ch = NULL;
	int fd;

	if ((fd = accept(lfd, (struct sockaddr *)&ss, &len)) == -1)
		return 0;
	set_nonblock(fd);
	if (!l->spec.dynamic && (ch = ssh_channel_new(f->session)) == NULL) {
		close(fd);
		return 1;
	}
	c = conn_new(f, l->spec.dynamic ? C_SOCKS : C_OPENING,
	    l->spec.dynamic ? NULL : ch, fd);
	if (ss.ss_family == AF_UNIX || getnameinfo((struct sockaddr *)&ss,
	    len, c->orig, sizeof(c->orig), NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(c->orig, sizeof(c->orig), "127.0.0.1");
	if (ss.ss_family == AF_INET)
		c->oport = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	else if (ss.ss_family == AF_INET6)
		c->oport = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	if (!l->spec.dynamic) {
		if (l->spec.connect_path != NULL)
			c->path = xstrdup(l->spec.connect_path);
		else {
			c->host = xstrdup(l->spec.connect_host);
			c->port = l->spec.connect_port;
		}
	}
	debug("Connection to port %d forwarding to %s port %d requested.",
	    l->spec.listen_port, c->path ? c->path : c->host ? c->host :
	    "socks", c->port);
	return 1;
}

/* ------------------------------------------------------------ connections */

static void
open_failed(struct fwd *f, struct fconn *c)
{
	char why[XERR_MSGLEN / 2];
	const char *reason;
	unsigned code;

	code = sshlib_open_failure(f->session, why, sizeof(why));
	if ((reason = sshlib_open_reason(code)) != NULL)
		error("channel %d: open failed: %s: %s", c->id, reason, why);
	else
		error("channel %d: open failed: %s", c->id, why);
}

/* Queue the SOCKS reply for the local side (or the channel for -R). */
static void
socks_answer(struct fconn *c, int ok)
{
	c->out_len = socks_reply(&c->socks, ok, c->out);
}

static int
send_out(struct fconn *c)
{
	ssize_t n;

	if (c->out_len == 0)
		return 0;
	if (c->remote_socks) {
		if (ssh_channel_write(c->io.ch, c->out, c->out_len) !=
		    (int)c->out_len)
			return -1;
		c->out_len = 0;
		return 1;
	}
	n = send(c->io.in_fd, c->out, c->out_len, MSG_NOSIGNAL);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;
	memmove(c->out, c->out + n, c->out_len - n);
	c->out_len -= n;
	return 1;
}

static int	remote_connect(struct fwd *, struct fconn *);

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
			send_out(c);
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
		return remote_connect(f, c), 1;
	if ((c->io.ch = ssh_channel_new(f->session)) == NULL) {
		c->state = C_DONE;
		return 1;
	}
	c->state = C_OPENING;
	return 1;
}

static int
pump_opening(struct fwd *f, struct fconn *c)
{
	int rc;

	if (c->path != NULL)
		rc = ssh_channel_open_forward_unix(c->io.ch, c->path, c->orig,
		    c->oport);
	else
		rc = ssh_channel_open_forward(c->io.ch, c->host, c->port,
		    c->orig, c->oport);
	if (rc == SSH_AGAIN)
		return 0;
	if (rc != SSH_OK) {
		open_failed(f, c);
		if (c->socks.version != 0) {
			socks_answer(c, 0);
			send_out(c);
		}
		c->state = C_DONE;
		return 1;
	}
	if (c->socks.version != 0)
		socks_answer(c, 1);
	c->state = C_OPEN;
	return 1;
}

/* The local connect of a -R connection failed: say so, and end it. */
static void
connect_failed(struct fconn *c)
{
	error("connect_to %s port %d: failed.", c->path ? c->path : c->host,
	    c->port);
	if (c->remote_socks) {
		socks_answer(c, 0);
		send_out(c);
	}
	c->state = C_DONE;
}

/* -R: has the local connect finished? */
static int
pump_connecting(struct fwd *f, struct fconn *c)
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
		socks_answer(c, 1);
	c->state = C_OPEN;
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
		return pump_opening(f, c);
	case C_CONNECTING:
		if (!(moved = pump_connecting(f, c)) || c->state != C_OPEN)
			return moved;
		/* FALLTHROUGH */
	case C_OPEN:
		if (c->out_len > 0) {
			if (send_out(c) == -1) {
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
			while (accept_one(f, l, l->fd[i]))
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

/* ------------------------------------------------------------ remote */

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
static int
remote_connect(struct fwd *f, struct fconn *c)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct sockaddr_un sun;
	char port[16];
	int fd = -1, rc;

	if (c->remote_socks && !remote_open_permitted(f, c->host, c->port)) {
		logit("Received request to connect to host %s port %d, but "
		    "the request was denied.", c->host, c->port);
		socks_answer(c, 0);
		send_out(c);
		c->state = C_DONE;
		return -1;
	}
	if (c->path != NULL) {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", c->path);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) != -1) {
			set_nonblock(fd);
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
			set_nonblock(fd);
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
 * libssh 0.10 has no callback for forwarded-tcpip opens: they come
 * through the session's message callback (after the agent callback
 * has had its turn), which also answers every other unexpected
 * request (returning 1 replies with a refusal), so nothing piles up
 * in the session's message queue.
 */
static int
on_message(ssh_session s, ssh_message msg, void *arg)
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
	c = conn_new(f, C_CONNECTING, NULL, -1);
	if (r->spec.dynamic) {
		c->remote_socks = 1;
		c->state = C_SOCKS;
	} else if (r->spec.connect_path != NULL)
		c->path = xstrdup(r->spec.connect_path);
	else {
		c->host = xstrdup(r->spec.connect_host);
		c->port = r->spec.connect_port;
	}
	if (!c->remote_socks && remote_connect(f, c) != 0) {
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
static int
request_remote(struct fwd *f, struct fwdspec *spec, struct xerr *e)
{
	const struct options *o = &f->hop->opts;
	const char *bind = spec->listen_host;
	struct rfwd *r;
	char *to;
	int rc, bound = 0;

	if (spec->listen_path != NULL) {
		error("Warning: remote forwarding of Unix socket %s: not "
		    "supported (libssh 0.10 has no streamlocal-forward)",
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
		rc = request_remote(f, &spec, e);
		fwdspec_free(&spec);
		return rc;
	}
	if (add_listener(f, &spec) != 0) {
		fwdspec_free(&spec);
		if (f->hop->opts.exit_on_forward_failure == 1)
			return xerr_bare(e, XE_CHANNEL,
			    "Could not request local forwarding.");
		error("Could not request local forwarding.");
	}
	return 0;
}

/* Does a forwarding's listen side match a -K spec? */
static int
listen_matches(const struct fwdspec *f, const char *host, int port,
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
	struct listener **lp, *l;
	struct rfwd **rp, *r;
	const char *bind;

	/* "[bind_address:]port" or a path reads as a -D spec. */
	if (fwdspec_parse(s, 'D', &k) != 0)
		return xerr_set(e, XE_USAGE, "Bad forwarding close "
		    "specification '%s'", s);
	if (kind == 'R') {
		for (rp = &f->rfwds; (r = *rp) != NULL; rp = &r->next)
			if (listen_matches(&r->spec, k.listen_host,
			    k.listen_port, k.listen_path) ||
			    (k.listen_path == NULL &&
			    r->bound_port == k.listen_port))
				break;
		if (r == NULL) {
			fwdspec_free(&k);
			return xerr_set(e, XE_USAGE, "Unknown remote "
			    "forwarding '%s'", s);
		}
		bind = r->spec.listen_host == NULL ? "localhost" :
		    r->spec.listen_host;
		if (f->hop->opts.server_alive_interval > 0)
			sshlib_global_settle(f->session, 10);
		while (ssh_channel_cancel_forward(f->session, bind,
		    r->bound_port) == SSH_AGAIN)
			poll(&(struct pollfd){ .fd = ssh_get_fd(f->session),
			    .events = POLLIN }, 1, 100);
		*rp = r->next;
		fwdspec_free(&r->spec);
		free(r);
		fwdspec_free(&k);
		return 0;
	}
	for (lp = &f->listeners; (l = *lp) != NULL; lp = &l->next)
		if ((kind == 'D') == l->spec.dynamic &&
		    listen_matches(&l->spec, k.listen_host, k.listen_port,
		    k.listen_path))
			break;
	fwdspec_free(&k);
	if (l == NULL)
		return xerr_set(e, XE_USAGE, "Unknown %s forwarding '%s'",
		    kind == 'D' ? "dynamic" : "local", s);
	*lp = l->next;
	listener_free(l);
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
	ssh_set_message_callback(h->session, on_message, f);
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
		listener_free(l);
	}
	while ((r = f->rfwds) != NULL) {
		f->rfwds = r->next;
		fwdspec_free(&r->spec);
		free(r);
	}
	while ((c = f->conns) != NULL) {
		f->conns = c->next;
		conn_free(c);
	}
	free(f);
}
