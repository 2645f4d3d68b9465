/*
 * xssh as a connection sharing master (PROTOCOL.mux, version 4): it
 * owns the chain's connection and serves the clients of its
 * ControlPath socket, ssh's or xssh's: hello, alive check, terminate,
 * stop listening, sessions run with the client's stdin, stdout and
 * stderr (passenger mode) and stdio forwards.
 *
 * The master serves as a service of the destination session's relay
 * (relay.c): one loop polls the session, the listener, every client's
 * control socket and the descriptors each client passed, and nothing
 * in it waits for any one client.  A client's partial message waits
 * in that client's buffer; replies wait in its output buffer; a new
 * session's channel open and requests go on without blocking while
 * the others keep flowing; the sessions' bytes move through the
 * channel-I/O engine (chanio.c), within bounded buffers.  Only the
 * user (or root) may connect, as ssh checks.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/callbacks.h>

#include "chain.h"
#include "chanio.h"
#include "mux.h"
#include "mux-request.h"
#include "relay.h"
#include "ttymodes.h"
#include "wirebuf.h"

#define SRV_MAX_CLIENTS	64
#define SRV_MSG_WAIT	10.0	/* seconds a client may take over a message */
#define SRV_OUT_MAX	(64 * 1024)	/* replies a client leaves unread */

enum cstate {
	C_FREE = 0,
	C_HELLO,	/* waiting for the client's hello */
	C_READY,	/* waiting for a request */
	C_FDS,		/* receiving the descriptors of a request */
	C_OPEN,		/* the channel open is under way */
	C_REQ,		/* the session's requests are under way */
	C_RUN,		/* bytes flow */
	C_BYE,		/* the last replies go out, then close */
};

struct client {
	enum cstate state;
	int	 ctl;		/* control socket */
	/* The message being read: its length, then its body. */
	unsigned char hdr[4];
	size_t	 hdr_got;
	unsigned char *msg;
	size_t	 msg_len, msg_got;
	double	 msg_since;	/* when its first byte came, 0: none */
	struct wbuf out;	/* replies not yet written */
	int	 gone;		/* it reads no more: drop what it is sent */

	/* The request being served. */
	struct mux_request req;
	uint32_t sid;
	int	 step;		/* C_REQ: env..., pty, command */
	int	 got_fds;
	int	 fd[3];		/* in, out, err (-1 for none) */
	int	 saved_fl[3];	/* their flags, put back at the end */
	int	 tty, tty_failed;

	ssh_channel ch;
	struct ssh_channel_callbacks_struct cb;
	struct chanio io;
	int	 status;	/* exit-status, -1 none yet */
	int	 signalled;
};

struct server {
	struct hop *dest;
	ssh_session s;
	int	 listen_fd;
	char	*path;
	int	 parent_fd;	/* socketpair to the parent; -1 once gone */
	int	 persist;	/* ControlPersist: 0 no, 1 yes */
	int	 persist_timeout;	/* seconds, 0 none */
	double	 idle_since;
	int	 quit;
	volatile sig_atomic_t stop;	/* the relay loop ends */
	uint32_t next_sid;
	struct client c[SRV_MAX_CLIENTS];
};

static volatile sig_atomic_t srv_winch, srv_term;

static void
on_winch(int sig)
{
	srv_winch = 1;
}

static void
on_term(int sig)
{
	srv_term = 1;
}

/* ------------------------------------------------------------ replies */

/* Queue a packet for the client; a client that reads none is dropped. */
static void
queue(struct client *cl, const struct wbuf *m)
{
	if (m->overflow || cl->out.len + 4 + m->len > SRV_OUT_MAX) {
		debug("mux master: a client does not read its replies");
		cl->state = C_BYE;
		cl->gone = 1;
		return;
	}
	wbuf_put_u32(&cl->out, (uint32_t)m->len);
	wbuf_put(&cl->out, m->d, m->len);
}

static void
reply(struct client *cl, uint32_t type, uint32_t rid, const uint32_t *v)
{
	struct wbuf m = { 0 };

	wbuf_put_u32(&m, type);
	wbuf_put_u32(&m, rid);
	if (v != NULL)
		wbuf_put_u32(&m, *v);
	queue(cl, &m);
	wbuf_free(&m);
}

static void
reply_error(struct client *cl, uint32_t type, uint32_t rid, const char *why)
{
	struct wbuf m = { 0 };

	wbuf_put_u32(&m, type);
	wbuf_put_u32(&m, rid);
	wbuf_put_cstring(&m, why);
	queue(cl, &m);
	wbuf_free(&m);
}

/* What the client has not read yet, as far as it takes it now. */
static int
flush_out(struct client *cl)
{
	ssize_t n;
	int moved = 0;

	while (cl->out.len > 0 && !cl->gone) {
		n = send(cl->ctl, cl->out.d, cl->out.len, MSG_NOSIGNAL |
		    MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			cl->gone = 1;	/* drop the rest */
			return 1;
		}
		memmove(cl->out.d, cl->out.d + n, cl->out.len - n);
		cl->out.len -= n;
		moved = 1;
	}
	return moved;
}

/* ------------------------------------------------------------ clients */

static void
on_exit_status(ssh_session s, ssh_channel ch, int status, void *arg)
{
	((struct client *)arg)->status = status;
}

static void
on_exit_signal(ssh_session s, ssh_channel ch, const char *sig, int core,
    const char *msg, const char *lang, void *arg)
{
	((struct client *)arg)->signalled = 1;
}

static void
client_close(struct client *cl)
{
	int i;

	chanio_free(&cl->io);
	if (cl->ch != NULL) {
		if (!ssh_channel_is_closed(cl->ch))
			ssh_channel_close(cl->ch);
		ssh_channel_free(cl->ch);
		cl->ch = NULL;
	}
	for (i = 0; i < 3; i++) {
		if (cl->fd[i] == -1)
			continue;
		if (cl->saved_fl[i] != -1)
			fcntl(cl->fd[i], F_SETFL, cl->saved_fl[i]);
		close(cl->fd[i]);
	}
	mux_request_free(&cl->req);
	free(cl->msg);
	wbuf_free(&cl->out);
	if (cl->ctl != -1)
		close(cl->ctl);
	memset(cl, 0, sizeof(*cl));
	cl->ctl = cl->fd[0] = cl->fd[1] = cl->fd[2] = -1;
	cl->state = C_FREE;
	debug2("mux master: client closed");
}

/* A new client: only the user's own processes (or root's), as ssh. */
static int
client_accept(struct server *sv)
{
	struct client *cl = NULL;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct wbuf m = { 0 };
	int fd, i;

	fd = accept4(sv->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd == -1)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		error("%s: getpeereid failed: %s", __func__, strerror(errno));
		close(fd);
		return 1;
	}
	if (cred.uid != 0 && cred.uid != getuid()) {
		error("multiplex uid mismatch: peer euid %u != uid %u",
		    (unsigned)cred.uid, (unsigned)getuid());
		close(fd);
		return 1;
	}
	for (i = 0; i < SRV_MAX_CLIENTS && cl == NULL; i++)
		if (sv->c[i].state == C_FREE)
			cl = &sv->c[i];
	if (cl == NULL) {
		debug("mux master: too many clients");
		close(fd);
		return 1;
	}
	cl->ctl = fd;
	cl->status = -1;
	cl->state = C_HELLO;
	wbuf_init(&cl->out, SRV_OUT_MAX + 8);
	wbuf_put_u32(&m, MUX_MSG_HELLO);
	wbuf_put_u32(&m, MUX_VERSION);
	queue(cl, &m);
	wbuf_free(&m);
	return 1;
}

/*
 * Read what there is of the client's message, never past its end:
 * the descriptors that may follow it must not be read as data.
 * 1 when it is complete, 0 when more is to come, -1 when the client
 * is gone or the message is impossible.
 */
static int
read_message(struct client *cl)
{
	ssize_t n;
	uint32_t len;

	while (cl->hdr_got < 4) {
		n = recv(cl->ctl, cl->hdr + cl->hdr_got, 4 - cl->hdr_got,
		    MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		if (cl->msg_since == 0)
			cl->msg_since = monotime();
		if ((cl->hdr_got += n) < 4)
			return 0;
		if ((len = get_u32(cl->hdr)) > MUX_MAX_PACKET || len < 4)
			return -1;
		cl->msg_len = len;
		cl->msg_got = 0;
		cl->msg = xmalloc(len);
	}
	while (cl->msg_got < cl->msg_len) {
		n = recv(cl->ctl, cl->msg + cl->msg_got,
		    cl->msg_len - cl->msg_got, MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		cl->msg_got += n;
	}
	return 1;
}

static void
message_done(struct client *cl)
{
	free(cl->msg);
	cl->msg = NULL;
	cl->hdr_got = cl->msg_len = cl->msg_got = 0;
	cl->msg_since = 0;
}

/*
 * One descriptor sent with SCM_RIGHTS and one byte, as ssh's
 * mm_send_fd() sends them: 1 got it, 0 not yet, -1 bad or gone.
 */
static int
recv_fd(struct client *cl)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr msg;
	struct cmsghdr *cm;
	ssize_t n;
	int fd = -1, fl, i = cl->got_fds;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	do {
		n = recvmsg(cl->ctl, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n != 1)
		return -1;
	if ((cm = CMSG_FIRSTHDR(&msg)) != NULL &&
	    cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
	    cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	if (fd == -1 || (msg.msg_flags & MSG_CTRUNC)) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	cl->fd[i] = fd;
	cl->saved_fl[i] = -1;
	cl->got_fds++;
	/* A terminal stays blocking: chanio polls before reading it. */
	if (!isatty(fd) && (fl = fcntl(fd, F_GETFL)) != -1) {
		cl->saved_fl[i] = fl;
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	}
	return 1;
}

/* A complete message from a client in hello or ready state. */
static void
client_message(struct server *sv, struct client *cl)
{
	uint32_t pid;
	int r;

	mux_request_free(&cl->req);
	r = mux_request_parse(cl->msg, cl->msg_len, cl->state == C_HELLO,
	    &cl->req);
	if (r == MUXREQ_BROKEN) {
		if (cl->state == C_HELLO)
			debug("mux master: bad hello from a client");
		cl->state = C_BYE;
		return;
	}
	if (cl->state == C_HELLO) {
		cl->state = C_READY;
		return;
	}
	switch (cl->req.type) {
	case MUX_C_ALIVE_CHECK:
		pid = (uint32_t)getpid();
		reply(cl, MUX_S_ALIVE, cl->req.rid, &pid);
		break;
	case MUX_C_TERMINATE:
		debug("mux master: terminate requested");
		reply(cl, MUX_S_OK, cl->req.rid, NULL);
		sv->quit = 1;
		break;
	case MUX_C_STOP_LISTENING:
		if (sv->listen_fd != -1) {
			close(sv->listen_fd);
			sv->listen_fd = -1;
			unlink(sv->path);
		}
		reply(cl, MUX_S_OK, cl->req.rid, NULL);
		break;
	case MUX_C_NEW_SESSION:
	case MUX_C_NEW_STDIO_FWD:
		if (r != MUXREQ_OK) {
			reply_error(cl, MUX_S_FAILURE, cl->req.rid,
			    "bad request");
			cl->state = C_BYE;
			break;
		}
		cl->sid = sv->next_sid++;
		cl->state = C_FDS;
		break;
	default:
		reply_error(cl, MUX_S_FAILURE, cl->req.rid, "not supported by "
		    "xssh's master");
		break;
	}
}

/* The request cannot be served: say so and let the client go. */
static void
refuse(struct client *cl, const char *why)
{
	reply_error(cl, MUX_S_FAILURE, cl->req.rid, why);
	cl->state = C_BYE;
}

/* The channel is open and set up: bytes may flow. */
static void
start_run(struct client *cl)
{
	if (cl->req.type == MUX_C_NEW_SESSION)
		chanio_init(&cl->io, cl->ch, CHANIO_SESSION, cl->fd[0],
		    cl->fd[1], cl->fd[2]);
	else
		chanio_init(&cl->io, cl->ch, CHANIO_STDIO, cl->fd[0],
		    cl->fd[1], -1);
	reply(cl, MUX_S_SESSION_OPENED, cl->req.rid, &cl->sid);
	if (cl->tty_failed)
		reply(cl, MUX_S_TTY_ALLOC_FAIL, cl->sid, NULL);
	cl->state = C_RUN;
	debug("mux master: %s %u opened", cl->req.type == MUX_C_NEW_SESSION ?
	    "session" : "stdio forward", cl->sid);
}

/* The channel open, without waiting: 1 if anything moved. */
static int
step_open(struct server *sv, struct client *cl)
{
	int rc;

	if (cl->ch == NULL && (cl->ch = ssh_channel_new(sv->s)) == NULL) {
		refuse(cl, "Session open refused by peer");
		return 1;
	}
	if (cl->req.type == MUX_C_NEW_SESSION)
		rc = ssh_channel_open_session(cl->ch);
	else
		rc = ssh_channel_open_forward(cl->ch, cl->req.host, (int)cl->req.port,
		    "127.0.0.1", 65535);
	if (rc == SSH_AGAIN)
		return 0;
	if (rc != SSH_OK) {
		refuse(cl, "Session open refused by peer");
		return 1;
	}
	if (cl->req.type == MUX_C_NEW_STDIO_FWD) {
		start_run(cl);
		return 1;
	}
	memset(&cl->cb, 0, sizeof(cl->cb));
	cl->cb.userdata = cl;
	cl->cb.channel_exit_status_function = on_exit_status;
	cl->cb.channel_exit_signal_function = on_exit_signal;
	ssh_callbacks_init(&cl->cb);
	ssh_set_channel_callbacks(cl->ch, &cl->cb);
	cl->state = C_REQ;
	cl->step = 0;
	return 1;
}

/*
 * The session's requests, in ssh's order (environment, pty, command),
 * each re-issued while libssh says SSH_AGAIN: 1 if anything moved.
 */
static int
step_requests(struct client *cl)
{
	struct winsize ws;
	unsigned char modes[TTYMODES_MAX];
	size_t modes_len;
	char *eq;
	int rc;

	while (cl->step < cl->req.n_env) {
		if ((eq = strchr(cl->req.env[cl->step], '=')) == NULL) {
			cl->step++;
			continue;
		}
		*eq = '\0';
		rc = ssh_channel_request_env(cl->ch, cl->req.env[cl->step], eq + 1);
		*eq = '=';
		if (rc == SSH_AGAIN)
			return 0;
		if (rc != SSH_OK)
			debug("mux master: env %s refused", cl->req.env[cl->step]);
		cl->step++;
	}
	if (cl->step == cl->req.n_env) {
		if (cl->req.want_tty) {
			/* 0x0 when it is no terminal, as ssh's master. */
			if (ioctl(cl->fd[0], TIOCGWINSZ, &ws) == -1)
				memset(&ws, 0, sizeof(ws));
			/* The client's terminal, as ssh's master sends it. */
			modes_len = ttymodes_of_fd(cl->fd[0], modes);
			rc = ssh_channel_request_pty_size_modes(cl->ch,
			    *cl->req.term ? cl->req.term : "dumb", ws.ws_col,
			    ws.ws_row, modes, modes_len);
			if (rc == SSH_AGAIN)
				return 0;
			cl->tty = rc == SSH_OK;
			/* Told after SESSION_OPENED, as ssh does. */
			cl->tty_failed = rc != SSH_OK;
		}
		cl->step++;
	}
	rc = cl->req.subsys ? ssh_channel_request_subsystem(cl->ch, cl->req.cmd) :
	    *cl->req.cmd != '\0' ? ssh_channel_request_exec(cl->ch, cl->req.cmd) :
	    ssh_channel_request_shell(cl->ch);
	if (rc == SSH_AGAIN)
		return 0;
	if (rc != SSH_OK) {
		refuse(cl, "Session open refused by peer");
		return 1;
	}
	start_run(cl);
	return 1;
}

/* The session ended: its exit status to the client, then goodbye. */
static void
client_finish(struct client *cl)
{
	uint32_t val = cl->signalled || cl->status == -1 ? 255 :
	    (uint32_t)cl->status;
	struct wbuf m = { 0 };

	if (cl->req.type == MUX_C_NEW_SESSION) {
		wbuf_put_u32(&m, MUX_S_EXIT_MESSAGE);
		wbuf_put_u32(&m, cl->sid);
		wbuf_put_u32(&m, val);
		queue(cl, &m);
		wbuf_free(&m);
	}
	cl->state = C_BYE;
}

/* Has a client in session said something, or gone?  It must not. */
static int
ctl_stirred(struct client *cl)
{
	char c;
	ssize_t n;

	n = recv(cl->ctl, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR);
}

/* Everything one client can do now; 1 if anything moved. */
static int
client_pump(struct server *sv, struct client *cl)
{
	int moved = 0, r;

	switch (cl->state) {
	case C_HELLO:
	case C_READY:
		if ((r = read_message(cl)) == -1) {
			cl->state = C_BYE;
			moved = 1;
		} else if (r == 1) {
			client_message(sv, cl);
			message_done(cl);
			moved = 1;
		} else if (cl->msg_since != 0 &&
		    monotime() - cl->msg_since > SRV_MSG_WAIT) {
			debug("mux master: a client left a message unfinished");
			cl->state = C_BYE;
			moved = 1;
		}
		break;
	case C_FDS:
		while (cl->state == C_FDS && cl->got_fds < cl->req.nfds &&
		    (r = recv_fd(cl)) != 0) {
			moved = 1;
			if (r == -1)
				refuse(cl, "did not get the descriptors");
		}
		if (cl->state == C_FDS && cl->got_fds == cl->req.nfds) {
			cl->state = C_OPEN;
			moved = 1;
		}
		break;
	case C_OPEN:
		moved = step_open(sv, cl);
		break;
	case C_REQ:
		moved = step_requests(cl);
		break;
	case C_RUN:
		if ((r = chanio_pump(&cl->io)) == -1) {
			debug("mux master: session %u: %s failed", cl->sid,
			    cl->io.failed);
			client_finish(cl);
			moved = 1;
		} else
			moved = r;
		if (cl->state == C_RUN && chanio_done(&cl->io)) {
			client_finish(cl);
			moved = 1;
		}
		break;
	default:
		break;
	}
	/* A client may say nothing once its request is under way. */
	if ((cl->state == C_OPEN || cl->state == C_REQ ||
	    cl->state == C_RUN) && ctl_stirred(cl)) {
		debug2("mux master: a client in session spoke or went");
		cl->state = C_BYE;
		cl->gone = 1;
		moved = 1;
	}
	moved |= flush_out(cl);
	if (cl->state == C_BYE && (cl->out.len == 0 || cl->gone)) {
		client_close(cl);
		moved = 1;
	}
	return moved;
}

static void
resize_ttys(struct server *sv)
{
	struct winsize ws;
	int i;

	for (i = 0; i < SRV_MAX_CLIENTS; i++)
		if (sv->c[i].state == C_RUN && sv->c[i].tty &&
		    ioctl(sv->c[i].fd[0], TIOCGWINSZ, &ws) == 0)
			ssh_channel_change_pty_size(sv->c[i].ch, ws.ws_col,
			    ws.ws_row);
}

/* ------------------------------------------------------------ the loop */

static int
active_clients(struct server *sv)
{
	int i, n = 0;

	for (i = 0; i < SRV_MAX_CLIENTS; i++)
		n += sv->c[i].state != C_FREE;
	return n;
}

/* Is it time to go?  ControlPersist decides once nobody is connected. */
static int
should_exit(struct server *sv)
{
	if (sv->quit || srv_term)
		return 1;
	if (active_clients(sv) > 0) {
		sv->idle_since = 0;
		return 0;
	}
	if (sv->idle_since == 0)
		sv->idle_since = monotime();
	/* Told to stop listening: nobody can come any more (as ssh). */
	if (sv->listen_fd == -1)
		return 1;
	if (!sv->persist)
		return sv->parent_fd == -1;
	if (sv->persist_timeout > 0)
		return monotime() - sv->idle_since >= sv->persist_timeout;
	return 0;
}

/* The relay's service: accept, read, serve, pump (relay_extra). */
static int
serve_pump(void *arg)
{
	struct server *sv = arg;
	char c;
	ssize_t n;
	int i, moved = 0;

	if (srv_winch) {
		srv_winch = 0;
		resize_ttys(sv);
	}
	while (sv->listen_fd != -1 && client_accept(sv))
		moved = 1;
	if (sv->parent_fd != -1) {
		n = recv(sv->parent_fd, &c, 1, MSG_DONTWAIT);
		if (n == 0 || (n == -1 && errno != EAGAIN &&
		    errno != EWOULDBLOCK && errno != EINTR)) {
			close(sv->parent_fd);
			sv->parent_fd = -1;
			moved = 1;
		}
	}
	for (i = 0; i < SRV_MAX_CLIENTS; i++)
		if (sv->c[i].state != C_FREE)
			moved |= client_pump(sv, &sv->c[i]);
	if (should_exit(sv))
		sv->stop = 1;
	return moved;
}

static int
add_pfd(struct pollfd *p, int n, int max, int fd, short ev)
{
	if (n == max || fd == -1)
		return n;
	p[n].fd = fd;
	p[n].events = ev;
	p[n].revents = 0;
	return n + 1;
}

static int
serve_pollfds(void *arg, struct pollfd *p, int max)
{
	struct server *sv = arg;
	struct client *cl;
	int i, n = 0;

	n = add_pfd(p, n, max, sv->listen_fd, POLLIN);
	n = add_pfd(p, n, max, sv->parent_fd, POLLIN);
	for (i = 0; i < SRV_MAX_CLIENTS; i++) {
		cl = &sv->c[i];
		if (cl->state == C_FREE)
			continue;
		n = add_pfd(p, n, max, cl->ctl, (cl->state != C_BYE ? POLLIN :
		    0) | (cl->out.len > 0 ? POLLOUT : 0));
		if (cl->state == C_RUN)
			n += chanio_pollfds(&cl->io, p + n, max - n);
	}
	return n;
}

/*
 * Serve the clients of listen_fd at path until told to exit, or until
 * ControlPersist says so; parent_fd closes when the master's own
 * session (the parent) is over.  The destination's session is served
 * by a relay, with its keepalives; the master ends with it.
 */
void
mux_serve(struct chain *c, int listen_fd, const char *path, int parent_fd)
{
	struct server *sv = xcalloc(1, sizeof(*sv));
	struct sigaction sa;
	struct relay r;
	int i;

	sv->dest = c->hop[c->n - 1];
	sv->s = sv->dest->session;
	sv->listen_fd = listen_fd;
	sv->path = xstrdup(path);
	sv->parent_fd = parent_fd;
	sv->persist = sv->dest->opts.control_persist == 1;
	sv->persist_timeout = sv->dest->opts.control_persist_timeout;
	sv->next_sid = 1;
	for (i = 0; i < SRV_MAX_CLIENTS; i++) {
		sv->c[i].ctl = sv->c[i].fd[0] = sv->c[i].fd[1] =
		    sv->c[i].fd[2] = -1;
		sv->c[i].state = C_FREE;
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	debug("mux master: listening at %s (pid %ld)", path, (long)getpid());
	relay_init(&r, sv->s, sv->dest, NULL);
	r.tcp = sv->dest->prev == NULL && sv->dest->proxy_pid == 0;
	r.stop = &sv->stop;
	relay_add_extra(&r, serve_pump, serve_pollfds, NULL, sv);
	if (relay_run(&r) != 0)
		debug("mux master: %s", r.err.msg);
	for (i = 0; i < SRV_MAX_CLIENTS; i++)
		if (sv->c[i].state != C_FREE)
			client_close(&sv->c[i]);
	if (sv->listen_fd != -1) {
		close(sv->listen_fd);
		unlink(sv->path);
	}
	if (sv->parent_fd != -1)
		close(sv->parent_fd);
	debug("mux master: exiting");
	free(sv->path);
	free(sv);
}
