/*
 * The local side of forwarding: listeners for -L and -D (TCP, or a Unix
 * socket with StreamLocalBindMask and StreamLocalBindUnlink), and each
 * accepted connection's direct-tcpip or direct-streamlocal channel
 * open, retried from the pump while libssh says SSH_AGAIN.  -D
 * connections read their SOCKS request first (fwd.c).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "fwd-int.h"
#include "sshlib.h"

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
		fwd_set_nonblock(fd);
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
	fwd_set_nonblock(fd);
	l->fd[l->nfd++] = fd;
	return 0;
}

/* A -L or -D listener for spec, which it takes over; -1 if none listens. */
int
fwd_local_add(struct fwd *f, struct fwdspec *spec)
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

void
fwd_local_free(struct listener *l)
{
	int i;

	for (i = 0; i < l->nfd; i++)
		close(l->fd[i]);
	fwdspec_free(&l->spec);
	free(l);
}

/* A new local connection on a -L or -D listener. */
int
fwd_local_accept(struct fwd *f, struct listener *l, int lfd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct fconn *c;
	ssh_channel ch = NULL;
	int fd;

	if ((fd = accept(lfd, (struct sockaddr *)&ss, &len)) == -1)
		return 0;
	fwd_set_nonblock(fd);
	if (!l->spec.dynamic && (ch = ssh_channel_new(f->session)) == NULL) {
		close(fd);
		return 1;
	}
	c = fwd_conn_new(f, l->spec.dynamic ? C_SOCKS : C_OPENING,
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

/* ssh's message for a refused channel open, with the server's reason. */
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

/* The channel open of a -L or -D connection, retried while SSH_AGAIN. */
int
fwd_local_open(struct fwd *f, struct fconn *c)
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
			fwd_socks_answer(c, 0);
			fwd_send_out(c);
		}
		c->state = C_DONE;
		return 1;
	}
	if (c->socks.version != 0)
		fwd_socks_answer(c, 1);
	c->state = C_OPEN;
	return 1;
}

/* ~C -KL / -KD: close the listener that matches; -1 if there is none. */
int
fwd_local_cancel(struct fwd *f, const struct fwdspec *k, char kind)
{
	struct listener **lp, *l;

	for (lp = &f->listeners; (l = *lp) != NULL; lp = &l->next)
		if ((kind == 'D') == l->spec.dynamic &&
		    fwd_listen_matches(&l->spec, k->listen_host,
		    k->listen_port, k->listen_path))
			break;
	if (l == NULL)
		return -1;
	*lp = l->next;
	fwd_local_free(l);
	return 0;
}
