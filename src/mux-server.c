/*
 * xssh as a connection sharing master (PROTOCOL.mux, version 4): a
 * process that owns the chain's connection and serves the clients of
 * its ControlPath socket, ssh's or xssh's: hello, alive check,
 * terminate, stop listening, sessions run with the client's stdin,
 * stdout and stderr (passenger mode) and stdio forwards.  One thread
 * polls everything: the listener, each client's control socket, the
 * descriptors each client passed and the destination's session, whose
 * channels are pumped within their windows as relay.c does for one.
 *
 * The master is a child process forked before the chain is connected
 * (the jumps' relay threads must be its own); once it listens it tells
 * the parent, leaves the terminal, and the parent runs its own session
 * as a client of it (mux_master_main() below).
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/callbacks.h>

#include "chain.h"
#include "background.h"
#include "mux.h"

#define SRV_BUF		(128 * 1024)
#define SRV_MAX_CLIENTS	64
#define SRV_READ_WAIT	5000	/* ms a client may take to finish a message */

enum cstate { C_HELLO, C_READY, C_SESSION, C_STDIO };

struct sbuf {
	char	 data[SRV_BUF];
	size_t	 off, len;
};

struct client {
	int	 ctl;		/* control socket, -1: slot free */
	enum cstate state;
	uint32_t sid;
	ssh_channel ch;
	struct ssh_channel_callbacks_struct cb;
	int	 fd[3];		/* in, out, err (-1 for none) */
	int	 saved_fl[3];	/* their flags, put back at the end */
	int	 in_poll;	/* in is a terminal, left blocking */
	int	 tty, tty_failed;
	int	 in_eof, eof_sent, chan_eof, out_failed, err_failed;
	int	 status;	/* exit-status, -1 none yet */
	int	 signalled;
	struct sbuf to_chan, to_out, to_err;
};

struct server {
	struct hop *dest;
	ssh_session s;
	ssh_event event;
	int	 listen_fd;
	char	*path;
	int	 parent_fd;	/* socketpair to the parent; -1 once gone */
	int	 persist;	/* ControlPersist: 0 no, 1 yes */
	int	 persist_timeout;	/* seconds, 0 none */
	double	 idle_since;
	int	 quit;
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

/* ------------------------------------------------------------ socket */

/*
 * As ssh: listen at a temporary name, then link it to the ControlPath
 * so that two masters cannot both take it.  1: someone has it already
 * (ssh's message given), 0: listening, -1: error in e.
 */
int
mux_listen(const char *path, int *fdp, struct xerr *e)
{
	struct sockaddr_un sun;
	char tmp[sizeof(sun.sun_path) + 32];
	mode_t old;
	int fd, saved;

	*fdp = -1;
	if (strlen(path) + 18 >= sizeof(sun.sun_path))
		return xerr_set(e, XE_CONFIG, "ControlPath \"%s\" too long for "
		    "Unix domain socket", path);
	snprintf(tmp, sizeof(tmp), "%s.%08lx%08lx", path,
	    (unsigned long)getpid(), (unsigned long)random());
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, tmp, strlen(tmp));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return xerr_set(e, XE_IO, "socket: %s", strerror(errno));
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 64) == -1) {
		saved = errno;
		umask(old);
		close(fd);
		unlink(tmp);
		return xerr_set(e, XE_IO, "ControlSocket %s: %s", tmp,
		    strerror(saved));
	}
	umask(old);
	if (link(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		close(fd);
		if (saved == EEXIST) {
			error("ControlSocket %s already exists, disabling "
			    "multiplexing", path);
			return 1;
		}
		return xerr_set(e, XE_IO, "link mux listener %s => %s: %s",
		    tmp, path, strerror(saved));
	}
	unlink(tmp);
	*fdp = fd;
	return 0;
}

/* ------------------------------------------------------------ messages */

/* All of a message from a client, or -1 (gone, garbage or too slow). */
static int
recv_full(int fd, unsigned char *p, size_t n)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t r;

	while (n > 0) {
		if ((r = recv(fd, p, n, MSG_DONTWAIT)) > 0) {
			p += r;
			n -= r;
			continue;
		}
		if (r == 0)
			return -1;
		if (errno == EINTR)
			continue;
		if ((errno != EAGAIN && errno != EWOULDBLOCK) ||
		    poll(&pfd, 1, SRV_READ_WAIT) <= 0)
			return -1;
	}
	return 0;
}

static int
read_msg(int fd, struct muxbuf *b)
{
	unsigned char hdr[4];
	uint32_t len;

	mb_reset(b);
	if (recv_full(fd, hdr, 4) != 0)
		return -1;
	len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
	    (uint32_t)hdr[2] << 8 | hdr[3];
	if (len > 256 * 1024)
		return -1;
	if (len + 1 > b->cap) {
		b->p = xreallocarray(b->p, len + 1, 1);
		b->cap = len + 1;
	}
	if (recv_full(fd, b->p, len) != 0)
		return -1;
	b->len = len;
	return 0;
}

/* A descriptor sent with SCM_RIGHTS, as mux_send_fd() sends them. */
static int
recv_fd(int sock)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr msg;
	struct cmsghdr *cm;
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	ssize_t n;
	int fd = -1;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctl;
		msg.msg_controllen = sizeof(ctl);
		n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n == 1)
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    poll(&pfd, 1, SRV_READ_WAIT) > 0)
			continue;
		return -1;
	}
	if ((cm = CMSG_FIRSTHDR(&msg)) != NULL &&
	    cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
	    cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static void
reply2(int fd, uint32_t type, uint32_t rid, uint32_t v, int with_v)
{
	struct muxbuf b;

	mb_init(&b);
	mb_put_u32(&b, type);
	mb_put_u32(&b, rid);
	if (with_v)
		mb_put_u32(&b, v);
	mux_write_packet(fd, &b);
	mb_free(&b);
}

static void
reply_error(int fd, uint32_t type, uint32_t rid, const char *why)
{
	struct muxbuf b;

	mb_init(&b);
	mb_put_u32(&b, type);
	mb_put_u32(&b, rid);
	mb_put_cstring(&b, why);
	mux_write_packet(fd, &b);
	mb_free(&b);
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
client_close(struct server *sv, struct client *cl)
{
	int i;

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
		cl->fd[i] = -1;
	}
	if (cl->ctl != -1)
		close(cl->ctl);
	cl->ctl = -1;
	debug2("mux master: client closed");
}

/* The session ended: its exit status to the client, then goodbye. */
static void
client_finish(struct server *sv, struct client *cl)
{
	struct muxbuf b;
	uint32_t val = cl->signalled || cl->status == -1 ? 255 :
	    (uint32_t)cl->status;

	if (cl->state == C_SESSION) {
		mb_init(&b);
		mb_put_u32(&b, MUX_S_EXIT_MESSAGE);
		mb_put_u32(&b, cl->sid);
		mb_put_u32(&b, val);
		mux_write_packet(cl->ctl, &b);
		mb_free(&b);
	}
	client_close(sv, cl);
}

/* Take the descriptors the client sends: n of them, into cl->fd. */
static int
take_fds(struct client *cl, int n)
{
	int i, fl;

	for (i = 0; i < n; i++) {
		if ((cl->fd[i] = recv_fd(cl->ctl)) == -1)
			return -1;
		cl->saved_fl[i] = -1;
		if (isatty(cl->fd[i])) {
			if (i == 0)
				cl->in_poll = 1;
			continue;
		}
		if ((fl = fcntl(cl->fd[i], F_GETFL)) != -1) {
			cl->saved_fl[i] = fl;
			fcntl(cl->fd[i], F_SETFL, fl | O_NONBLOCK);
		}
	}
	return 0;
}

/* Open the channel of a new session as the client asked. */
static const char *
start_session(struct server *sv, struct client *cl, struct muxbuf *b)
{
	uint32_t tty, x11, agent, subsys, echar;
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	char *term = NULL, *cmd = NULL, *env, *eq;
	const char *why = NULL;

	if (mb_skip_string(b) != 0 || mb_get_u32(b, &tty) != 0 ||
	    mb_get_u32(b, &x11) != 0 || mb_get_u32(b, &agent) != 0 ||
	    mb_get_u32(b, &subsys) != 0 || mb_get_u32(b, &echar) != 0 ||
	    mb_get_cstring(b, &term) != 0 || mb_get_cstring(b, &cmd) != 0) {
		why = "bad request";
		goto out;
	}
	if (take_fds(cl, 3) != 0) {
		why = "did not get the descriptors";
		goto out;
	}
	if ((cl->ch = ssh_channel_new(sv->s)) == NULL ||
	    ssh_channel_open_session(cl->ch) != SSH_OK) {
		why = "Session open refused by peer";
		goto out;
	}
	memset(&cl->cb, 0, sizeof(cl->cb));
	cl->cb.userdata = cl;
	cl->cb.channel_exit_status_function = on_exit_status;
	cl->cb.channel_exit_signal_function = on_exit_signal;
	ssh_callbacks_init(&cl->cb);
	ssh_set_channel_callbacks(cl->ch, &cl->cb);
	while (b->off < b->len && mb_get_cstring(b, &env) == 0) {
		if ((eq = strchr(env, '=')) != NULL) {
			*eq = '\0';
			if (ssh_channel_request_env(cl->ch, env, eq + 1) !=
			    SSH_OK)
				debug("mux master: env %s refused", env);
		}
		free(env);
	}
	cl->tty = tty != 0;
	if (cl->tty) {
		ioctl(cl->fd[0], TIOCGWINSZ, &ws);
		if (ssh_channel_request_pty_size(cl->ch, *term ? term : "dumb",
		    ws.ws_col, ws.ws_row) != SSH_OK) {
			cl->tty_failed = 1;	/* told after SESSION_OPENED */
			cl->tty = 0;
		}
	}
	if ((subsys ? ssh_channel_request_subsystem(cl->ch, cmd) :
	    *cmd != '\0' ? ssh_channel_request_exec(cl->ch, cmd) :
	    ssh_channel_request_shell(cl->ch)) != SSH_OK)
		why = "Session open refused by peer";
 out:
	free(term);
	free(cmd);
	return why;
}

static const char *
start_stdio(struct server *sv, struct client *cl, struct muxbuf *b)
{
	char *host = NULL;
	uint32_t port;
	const char *why = NULL;

	if (mb_skip_string(b) != 0 || mb_get_cstring(b, &host) != 0 ||
	    mb_get_u32(b, &port) != 0 || port > 65535) {
		why = "bad request";
		goto out;
	}
	if (take_fds(cl, 2) != 0) {
		why = "did not get the descriptors";
		goto out;
	}
	if ((cl->ch = ssh_channel_new(sv->s)) == NULL ||
	    ssh_channel_open_forward(cl->ch, host, (int)port, "127.0.0.1",
	    65535) != SSH_OK)
		why = "Session open refused by peer";
 out:
	free(host);
	return why;
}

/* One message from a client in hello or ready state. */
static void
client_message(struct server *sv, struct client *cl)
{
	struct muxbuf b;
	uint32_t type, rid, ver;
	const char *why;

	mb_init(&b);
	if (read_msg(cl->ctl, &b) != 0 || mb_get_u32(&b, &type) != 0) {
		client_close(sv, cl);
		goto out;
	}
	if (cl->state == C_HELLO) {
		if (type != MUX_MSG_HELLO || mb_get_u32(&b, &ver) != 0 ||
		    ver != MUX_VERSION) {
			debug("mux master: bad hello from a client");
			client_close(sv, cl);
		} else
			cl->state = C_READY;
		goto out;
	}
	if (mb_get_u32(&b, &rid) != 0) {
		client_close(sv, cl);
		goto out;
	}
	switch (type) {
	case MUX_C_ALIVE_CHECK:
		reply2(cl->ctl, MUX_S_ALIVE, rid, (uint32_t)getpid(), 1);
		break;
	case MUX_C_TERMINATE:
		debug("mux master: terminate requested");
		reply2(cl->ctl, MUX_S_OK, rid, 0, 0);
		sv->quit = 1;
		break;
	case MUX_C_STOP_LISTENING:
		if (sv->listen_fd != -1) {
			close(sv->listen_fd);
			sv->listen_fd = -1;
			unlink(sv->path);
		}
		reply2(cl->ctl, MUX_S_OK, rid, 0, 0);
		break;
	case MUX_C_NEW_SESSION:
	case MUX_C_NEW_STDIO_FWD:
		cl->sid = sv->next_sid++;
		ssh_set_blocking(sv->s, 1);
		why = type == MUX_C_NEW_SESSION ? start_session(sv, cl, &b) :
		    start_stdio(sv, cl, &b);
		ssh_set_blocking(sv->s, 0);
		if (why != NULL) {
			reply_error(cl->ctl, MUX_S_FAILURE, rid, why);
			client_close(sv, cl);
			break;
		}
		reply2(cl->ctl, MUX_S_SESSION_OPENED, rid, cl->sid, 1);
		if (cl->tty_failed)
			reply2(cl->ctl, MUX_S_TTY_ALLOC_FAIL, cl->sid, 0, 0);
		cl->state = type == MUX_C_NEW_SESSION ? C_SESSION : C_STDIO;
		debug("mux master: %s %u opened", type == MUX_C_NEW_SESSION ?
		    "session" : "stdio forward", cl->sid);
		break;
	default:
		reply_error(cl->ctl, MUX_S_FAILURE, rid, "not supported by "
		    "xssh's master");
		break;
	}
 out:
	mb_free(&b);
}

static void
client_accept(struct server *sv)
{
	struct client *cl = NULL;
	struct muxbuf b;
	int fd, i;

	if ((fd = accept4(sv->listen_fd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return;
	for (i = 0; i < SRV_MAX_CLIENTS && cl == NULL; i++)
		if (sv->c[i].ctl == -1)
			cl = &sv->c[i];
	if (cl == NULL) {
		close(fd);
		return;
	}
	memset(cl, 0, sizeof(*cl));
	cl->ctl = fd;
	cl->fd[0] = cl->fd[1] = cl->fd[2] = -1;
	cl->status = -1;
	cl->state = C_HELLO;
	mb_init(&b);
	mb_put_u32(&b, MUX_MSG_HELLO);
	mb_put_u32(&b, MUX_VERSION);
	if (mux_write_packet(fd, &b) != 0)
		client_close(sv, cl);
	mb_free(&b);
}

/* ------------------------------------------------------------ pumping */

static size_t
sb_room(struct sbuf *b)
{
	if (b->len == 0)
		b->off = 0;
	else if (b->off > 0) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
	}
	return SRV_BUF - b->len;
}

static int
sb_drain(struct sbuf *b, int fd, int *failed)
{
	ssize_t n;
	int moved = 0;

	while (b->len > 0 && !*failed && fd != -1) {
		n = write(fd, b->data + b->off, b->len);
		if (n > 0) {
			b->off += n;
			b->len -= n;
			moved = 1;
		} else if (n == -1 && errno == EINTR)
			continue;
		else if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		else
			*failed = 1;
	}
	if (*failed || fd == -1) {
		moved |= b->len > 0;
		b->len = 0;
	}
	return moved;
}

/* Move what can move for one client; 1 if anything did. */
static int
pump(struct client *cl)
{
	struct sbuf *b;
	struct pollfd p;
	uint32_t win;
	size_t room, len;
	ssize_t n;
	int r, moved = 0, k;

	/* Channel to stdout (and stderr). */
	for (k = 1; k >= 0; k--) {
		b = k ? &cl->to_err : &cl->to_out;
		if (k && cl->state != C_SESSION)
			continue;
		while ((room = sb_room(b)) > 0) {
			r = ssh_channel_read_timeout(cl->ch, b->data + b->len,
			    room, k, 0);
			if (r <= 0)
				break;
			b->len += r;
			moved = 1;
		}
	}
	if (ssh_channel_is_closed(cl->ch) || (ssh_channel_is_eof(cl->ch) &&
	    ssh_channel_poll(cl->ch, 0) <= 0 && ssh_channel_poll(cl->ch, 1) <= 0))
		cl->chan_eof = 1;
	moved |= sb_drain(&cl->to_out, cl->fd[1], &cl->out_failed);
	moved |= sb_drain(&cl->to_err, cl->fd[2], &cl->err_failed);

	/* Client's stdin to the channel. */
	b = &cl->to_chan;
	while (!cl->in_eof && (room = sb_room(b)) > 0) {
		if (cl->in_poll) {
			p.fd = cl->fd[0];
			p.events = POLLIN;
			if (poll(&p, 1, 0) <= 0)
				break;
		}
		n = read(cl->fd[0], b->data + b->len, room);
		if (n > 0) {
			b->len += n;
			moved = 1;
			if (cl->in_poll)
				break;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		cl->in_eof = 1;
		moved = 1;
	}
	if (ssh_channel_is_closed(cl->ch)) {
		moved |= b->len > 0;
		b->len = 0;
		return moved;
	}
	while (b->len > 0 && (win = ssh_channel_window_size(cl->ch)) > 0) {
		len = b->len < win ? b->len : win;
		if ((r = ssh_channel_write(cl->ch, b->data + b->off, len)) <= 0)
			break;
		b->off += r;
		b->len -= r;
		moved = 1;
	}
	if (cl->in_eof && b->len == 0 && !cl->eof_sent) {
		ssh_channel_send_eof(cl->ch);
		cl->eof_sent = 1;
		moved = 1;
	}
	return moved;
}

static int
client_done(struct client *cl)
{
	if (cl->to_out.len > 0 || cl->to_err.len > 0)
		return 0;
	if (cl->state == C_STDIO)
		return cl->chan_eof;
	return cl->chan_eof && ssh_channel_is_closed(cl->ch);
}

static void
resize_ttys(struct server *sv)
{
	struct winsize ws;
	int i;

	for (i = 0; i < SRV_MAX_CLIENTS; i++)
		if (sv->c[i].ctl != -1 && sv->c[i].state == C_SESSION &&
		    sv->c[i].tty && ioctl(sv->c[i].fd[0], TIOCGWINSZ, &ws) == 0)
			ssh_channel_change_pty_size(sv->c[i].ch, ws.ws_col,
			    ws.ws_row);
}

/* ------------------------------------------------------------ the loop */

static int
active_clients(struct server *sv)
{
	int i, n = 0;

	for (i = 0; i < SRV_MAX_CLIENTS; i++)
		n += sv->c[i].ctl != -1;
	return n;
}

/* Is it time to go?  ControlPersist decides once nobody is connected. */
static int
should_exit(struct server *sv)
{
	if (sv->quit || srv_term || !ssh_is_connected(sv->s))
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

static void
serve(struct server *sv)
{
	struct pollfd pfd[2 + SRV_MAX_CLIENTS * 4];
	struct client *cl;
	int i, n, moved, flags, sfd = ssh_get_fd(sv->s);
	char c;

	ssh_set_blocking(sv->s, 0);
	sv->event = ssh_event_new();
	ssh_event_add_session(sv->event, sv->s);
	while (!should_exit(sv)) {
		if (srv_winch) {
			srv_winch = 0;
			resize_ttys(sv);
		}
		ssh_event_dopoll(sv->event, 0);
		moved = 0;
		for (i = 0; i < SRV_MAX_CLIENTS; i++) {
			cl = &sv->c[i];
			if (cl->ctl == -1 || cl->ch == NULL)
				continue;
			moved |= pump(cl);
			if (client_done(cl)) {
				client_finish(sv, cl);
				moved = 1;
			} else if (cl->out_failed && cl->state == C_SESSION &&
			    !ssh_channel_is_closed(cl->ch))
				ssh_channel_close(cl->ch);
		}
		if (moved)
			continue;
		n = 0;
		flags = ssh_get_poll_flags(sv->s);
		pfd[n].fd = sfd;
		pfd[n++].events = POLLIN |
		    ((flags & SSH_WRITE_PENDING) ? POLLOUT : 0);
		if (sv->listen_fd != -1) {
			pfd[n].fd = sv->listen_fd;
			pfd[n++].events = POLLIN;
		}
		if (sv->parent_fd != -1) {
			pfd[n].fd = sv->parent_fd;
			pfd[n++].events = POLLIN;
		}
		for (i = 0; i < SRV_MAX_CLIENTS; i++) {
			cl = &sv->c[i];
			if (cl->ctl == -1)
				continue;
			pfd[n].fd = cl->ctl;
			pfd[n++].events = POLLIN;
			if (cl->ch == NULL)
				continue;
			if (!cl->in_eof && sb_room(&cl->to_chan) > 0) {
				pfd[n].fd = cl->fd[0];
				pfd[n++].events = POLLIN;
			}
			if (cl->to_out.len > 0) {
				pfd[n].fd = cl->fd[1];
				pfd[n++].events = POLLOUT;
			}
			if (cl->to_err.len > 0) {
				pfd[n].fd = cl->fd[2];
				pfd[n++].events = POLLOUT;
			}
		}
		if (poll(pfd, n, 1000) <= 0)
			continue;
		for (i = 1; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == sv->listen_fd) {
				client_accept(sv);
				continue;
			}
			if (pfd[i].fd == sv->parent_fd) {
				if (read(sv->parent_fd, &c, 1) <= 0) {
					close(sv->parent_fd);
					sv->parent_fd = -1;
				}
				continue;
			}
		}
		/* Control sockets: a message, or the client has gone. */
		for (i = 0; i < SRV_MAX_CLIENTS; i++) {
			struct pollfd p;

			cl = &sv->c[i];
			if (cl->ctl == -1)
				continue;
			p.fd = cl->ctl;
			p.events = POLLIN;
			if (poll(&p, 1, 0) <= 0)
				continue;
			if (cl->state == C_SESSION || cl->state == C_STDIO)
				client_close(sv, cl);	/* it said nothing */
			else
				client_message(sv, cl);
		}
	}
	for (i = 0; i < SRV_MAX_CLIENTS; i++)
		if (sv->c[i].ctl != -1)
			client_close(sv, &sv->c[i]);
	ssh_event_remove_session(sv->event, sv->s);
	ssh_event_free(sv->event);
}

/*
 * Serve the clients of listen_fd at path until told to exit, or until
 * ControlPersist says so; parent_fd closes when the master's own
 * session (the parent) is over.
 */
void
mux_serve(struct chain *c, int listen_fd, const char *path, int parent_fd)
{
	struct server *sv = xcalloc(1, sizeof(*sv));
	struct sigaction sa;
	int i;

	sv->dest = c->hop[c->n - 1];
	sv->s = sv->dest->session;
	sv->listen_fd = listen_fd;
	sv->path = xstrdup(path);
	sv->parent_fd = parent_fd;
	sv->persist = sv->dest->opts.control_persist == 1;
	sv->persist_timeout = sv->dest->opts.control_persist_timeout;
	sv->next_sid = 1;
	for (i = 0; i < SRV_MAX_CLIENTS; i++)
		sv->c[i].ctl = -1;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	debug("mux master: listening at %s (pid %ld)", path, (long)getpid());
	serve(sv);
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

/* ------------------------------------------------------------ the master */

/*
 * Become the master at path: listen (or, when another master has the
 * path, say so and return MUX_FALLBACK, as ssh goes on unshared), fork
 * the master, which connects the chain and serves, and wait for it to
 * be up.  Returns 0 when it is, the master's error otherwise.  The
 * caller then runs its own session as a client of it.  *parent_fd is
 * to be closed when that session is over.
 */
int
mux_master_start(struct chain *c, const char *path, int *parent_fd,
    struct xerr *e)
{
	struct xerr child_err;
	int lfd, sp[2], r, status, devnull;
	pid_t pid;
	char k = 0;
	ssize_t n;

	if ((r = mux_listen(path, &lfd, e)) != 0)
		return r == 1 ? MUX_FALLBACK : -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		close(lfd);
		unlink(path);
		return xerr_set(e, XE_IO, "socketpair: %s", strerror(errno));
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		close(lfd);
		unlink(path);
		return xerr_set(e, XE_IO, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/* The master: connect, say so, leave the terminal, serve. */
		close(sp[0]);
		background_forget();	/* -f's pipe is not the master's */
		if (chain_connect(c, &child_err) != 0) {
			unlink(path);
			if (write(sp[1], "E", 1) == 1)
				n = write(sp[1], &child_err, sizeof(child_err));
			_exit(255);
		}
		if (write(sp[1], "K", 1) != 1) {
			unlink(path);		/* the parent is gone */
			_exit(255);
		}
		setsid();
		if (log_get_level() < LOG_DEBUG1 &&
		    (devnull = open("/dev/null", O_RDWR)) != -1) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
			dup2(devnull, STDERR_FILENO);
			if (devnull > STDERR_FILENO)
				close(devnull);
		}
		mux_serve(c, lfd, path, sp[1]);
		chain_close(c);
		_exit(0);
	}
	close(lfd);
	close(sp[1]);
	do {
		n = read(sp[0], &k, 1);
	} while (n == -1 && errno == EINTR);
	if (n == 1 && k == 'K') {
		debug("mux master started, pid %ld", (long)pid);
		*parent_fd = sp[0];
		return 0;
	}
	if (n == 1 && k == 'E' && recv_full(sp[0], (unsigned char *)e,
	    sizeof(*e)) == 0)
		e->msg[sizeof(e->msg) - 1] = '\0';
	else
		xerr_set(e, XE_IO, "the connection sharing master exited");
	close(sp[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return -1;
}
