/*
 * xssh as a client of an OpenSSH ControlMaster (PROTOCOL.mux): -O
 * check/exit/stop, a session run by the master with our stdin, stdout
 * and stderr (passenger mode), -W through the master, and a jump of
 * the chain whose master carries the next hop (MUX_C_NEW_STDIO_FWD
 * onto a socketpair, as ssh -W does under ProxyJump).  Messages are
 * ssh 9.2's.  xssh cannot be a master itself.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "chain.h"
#include "match.h"
#include "background.h"
#include "mux.h"
#include "mux-reply.h"
#include "session.h"
#include "tty.h"

extern char **environ;

static volatile sig_atomic_t mux_signal;	/* SIGHUP, SIGINT, SIGTERM */
static volatile sig_atomic_t mux_master_pid;	/* for SIGWINCH */

static void
on_terminate(int sig)
{
	mux_signal = sig;
}

/* The master reads the new size from the terminal we passed it. */
static void
on_winch(int sig)
{
	int saved = errno;

	if (mux_master_pid > 1)
		kill((pid_t)mux_master_pid, SIGWINCH);
	errno = saved;
}

static void
set_signals(int on)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGWINCH };
	static struct sigaction saved[4];
	struct sigaction sa;
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (!on) {
			sigaction(sigs[i], &saved[i], NULL);
			continue;
		}
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = sigs[i] == SIGWINCH ? on_winch : on_terminate;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, &saved[i]);
	}
}

/*
 * The hop's ControlPath, expanded: 0 and *path set, 0 and *path NULL
 * for none, -1 on a bad expansion.
 */
static int
control_path(const struct hop *h, char **path, struct xerr *e)
{
	const char *cp = h->opts.control_path;

	*path = NULL;
	if (cp == NULL || strcmp(cp, "none") == 0)
		return 0;
	if ((*path = options_expand(&h->opts, h->name, cp, XP_PATH, e)) ==
	    NULL)
		return -1;
	return 0;
}

static void
conn_close(struct muxconn *m)
{
	if (m->fd != -1)
		close(m->fd);
	m->fd = -1;
	free(m->path);
	m->path = NULL;
}

/* Our hello and the master's; 0 when it speaks version 4. */
static int
hello(struct muxconn *m)
{
	struct muxbuf b;
	struct mux_reply r;
	int rc = -1, parsed;

	mb_init(&b);
	mb_put_u32(&b, MUX_MSG_HELLO);
	mb_put_u32(&b, MUX_VERSION);
	if (mux_write_packet(m->fd, &b) != 0) {
		debug("mux_client_hello_exchange: write packet: %s",
		    strerror(errno));
		goto out;
	}
	if (mux_read_packet(m->fd, &b, NULL) != 0) {
		debug("mux_client_hello_exchange: read packet failed");
		goto out;
	}
	parsed = mux_reply_parse(b.p, b.len, &r);
	if (r.type != MUX_MSG_HELLO) {
		error("mux_client_hello_exchange: expected HELLO (%u) got %u",
		    MUX_MSG_HELLO, r.type);
		goto out;
	}
	if (parsed != 0 && r.value == 0) {
		error("mux_client_hello_exchange: parse");
		goto out;
	}
	if (r.value != MUX_VERSION) {
		error("Unsupported multiplexing protocol version %u "
		    "(expected %d)", r.value, MUX_VERSION);
		goto out;
	}
	if (parsed != 0) {
		error("mux_client_hello_exchange: parse extension");
		goto out;
	}
	debug2("mux_client_hello_exchange: master version %u, %d "
	    "extension%s ignored", r.value, r.n_ext, r.n_ext == 1 ? "" : "s");
	rc = 0;
 out:
	mb_free(&b);
	return rc;
}

/*
 * Connect to the master at path and say hello: 0 when connected,
 * MUX_FALLBACK when there is no usable master (told as ssh tells it),
 * -1 with e set when a -O command (cmd) cannot reach it.
 */
static int
conn_open(struct muxconn *m, const char *path, int master, int cmd,
    struct xerr *e)
{
	int saved;

	memset(m, 0, sizeof(*m));
	if ((m->fd = mux_connect_path(path)) == -1) {
		saved = errno;
		if (saved == ENAMETOOLONG) {
			xerr_set(e, XE_CONFIG, "ControlPath too long ('%s' >= "
			    "%u bytes)", path, 108);
			return -1;
		}
		if (cmd != MUXC_NONE)
			return xerr_bare(e, XE_CONNECT, "Control socket "
			    "connect(%.100s): %s", path, strerror(saved));
		if (saved == ECONNREFUSED && master != CTL_MASTER_NO) {
			debug("Stale control socket %.100s, unlinking", path);
			unlink(path);
		} else if (saved == ENOENT)
			debug("Control socket \"%.100s\" does not exist", path);
		else
			error("Control socket connect(%.100s): %s", path,
			    strerror(saved));
		return MUX_FALLBACK;
	}
	fcntl(m->fd, F_SETFL, fcntl(m->fd, F_GETFL) | O_NONBLOCK);
	if (hello(m) != 0) {
		conn_close(m);
		if (cmd != MUXC_NONE)
			return xerr_bare(e, XE_PROTOCOL, "muxclient: master "
			    "hello exchange failed");
		error("muxclient: master hello exchange failed");
		return MUX_FALLBACK;
	}
	m->path = xstrdup(path);
	return 0;
}

/* Read and parse a reply to request m->rid, its id checked. */
static int
read_reply(struct muxconn *m, struct muxbuf *b, struct mux_reply *r,
    const char *fn, struct xerr *e)
{
	int saved;

	if (mux_read_packet(m->fd, b, NULL) != 0) {
		saved = errno;
		xerr_bare(e, XE_PROTOCOL, "%s: read from master failed: %s", fn,
		    strerror(saved));
		errno = saved;		/* EPIPE: the master is gone */
		return -1;
	}
	if (mux_reply_parse(b->p, b->len, r) != 0)
		return xerr_bare(e, XE_PROTOCOL, "%s: parse", fn);
	if (r->id != m->rid)
		return xerr_bare(e, XE_PROTOCOL, "%s: out of sequence reply: "
		    "my id %u theirs %u", fn, m->rid, r->id);
	return 0;
}

/* MUX_C_ALIVE_CHECK: the master's pid in m->pid. */
static int
alive(struct muxconn *m, struct xerr *e)
{
	static const char fn[] = "mux_client_request_alive";
	struct muxbuf b;
	struct mux_reply r;
	int rc = -1;

	mb_init(&b);
	mb_put_u32(&b, MUX_C_ALIVE_CHECK);
	mb_put_u32(&b, m->rid);
	if (mux_write_packet(m->fd, &b) != 0) {
		xerr_bare(e, XE_PROTOCOL,
		    "muxclient: master alive check failed");
		goto out;
	}
	if (read_reply(m, &b, &r, fn, e) != 0)
		goto out;
	if (r.type != MUX_S_ALIVE) {
		xerr_bare(e, XE_PROTOCOL, "%s: master returned error: %s", fn,
		    r.reason[0] != '\0' ? r.reason : "unexpected message");
		goto out;
	}
	debug3("%s: done pid = %u", fn, r.value);
	m->pid = r.value;
	m->rid++;
	rc = 0;
 out:
	mb_free(&b);
	return rc;
}

/* -O exit and -O stop: a request answered by MUX_S_OK or a refusal. */
static const struct simple_request {
	int	 cmd;
	uint32_t type;
	const char *fn;		/* ssh's function, for its messages */
	const char *what;	/* "Master refused %s request" */
	const char *done;	/* printed unless -q */
} simple_requests[] = {
	{ MUXC_EXIT, MUX_C_TERMINATE, "mux_client_request_terminate",
	    "termination", "Exit request sent." },
	{ MUXC_STOP, MUX_C_STOP_LISTENING,
	    "mux_client_request_stop_listening", "stop listening",
	    "Stop listening request sent." },
};

static int
simple(struct muxconn *m, const struct simple_request *sr, int level,
    struct xerr *e)
{
	struct muxbuf b;
	struct mux_reply r;
	int rc = -1;

	mb_init(&b);
	mb_put_u32(&b, sr->type);
	mb_put_u32(&b, m->rid);
	if (mux_write_packet(m->fd, &b) != 0) {
		xerr_bare(e, XE_PROTOCOL, "%s: write packet: %s", sr->fn,
		    strerror(errno));
		goto out;
	}
	if (read_reply(m, &b, &r, sr->fn, e) != 0) {
		/* A master told to exit may be gone before it answers. */
		if (sr->type == MUX_C_TERMINATE && errno == EPIPE)
			goto done;
		goto out;
	}
	switch (r.type) {
	case MUX_S_OK:
		break;
	case MUX_S_PERMISSION_DENIED:
		xerr_bare(e, XE_PROTOCOL, "Master refused %s request: %s",
		    sr->what, r.reason);
		goto out;
	case MUX_S_FAILURE:
		xerr_bare(e, XE_PROTOCOL, "%s: %s request failed: %s", sr->fn,
		    sr->what, r.reason);
		goto out;
	default:
		xerr_bare(e, XE_PROTOCOL, "%s: unexpected response from master "
		    "0x%08x", sr->fn, r.type);
		goto out;
	}
	m->rid++;
 done:
	if (level != LOG_QUIET)
		fprintf(stderr, "%s\r\n", sr->done);
	rc = 0;
 out:
	mb_free(&b);
	return rc;
}

/*
 * MUX_C_NEW_STDIO_FWD to host:port with in and out as its ends: 0 when
 * opened, -1 with e set (the master refused, or is gone).
 */
static int
stdio_request(struct muxconn *m, const char *host, int port, int in, int out,
    struct xerr *e)
{
	static const char fn[] = "mux_client_request_stdio_fwd";
	struct muxbuf b;
	struct mux_reply r;
	int rc = -1;

	mb_init(&b);
	mb_put_u32(&b, MUX_C_NEW_STDIO_FWD);
	mb_put_u32(&b, m->rid);
	mb_put_string(&b, NULL, 0);		/* reserved */
	mb_put_cstring(&b, host);
	mb_put_u32(&b, (uint32_t)port);
	if (mux_write_packet(m->fd, &b) != 0 || mux_send_fd(m->fd, in) != 0 ||
	    mux_send_fd(m->fd, out) != 0) {
		xerr_bare(e, XE_IO, "%s: send fds failed: %s", fn,
		    strerror(errno));
		goto out;
	}
	debug3("%s: stdio forward request sent", fn);
	if (read_reply(m, &b, &r, fn, e) != 0)
		goto out;
	switch (r.type) {
	case MUX_S_SESSION_OPENED:
		debug("%s: master session id: %u", fn, r.value);
		break;
	case MUX_S_PERMISSION_DENIED:
		xerr_bare(e, XE_CHANNEL, "Master refused stdio forwarding "
		    "request: %s", r.reason);
		goto out;
	case MUX_S_FAILURE:
		xerr_bare(e, XE_CHANNEL, "Stdio forwarding request failed: %s",
		    r.reason);
		goto out;
	default:
		xerr_bare(e, XE_PROTOCOL, "%s: unexpected response from master "
		    "0x%08x", fn, r.type);
		goto out;
	}
	m->rid++;
	rc = 0;
 out:
	mb_free(&b);
	return rc;
}

/* -W host:port through the destination's master; ends with its close. */
static int
stdio_session(struct muxconn *m, struct hop *h, const struct args *a,
    int *exit_code, struct xerr *e)
{
	struct muxbuf b;
	int in = STDIN_FILENO, rc;

	if (h->opts.stdin_null == 1 &&
	    (in = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		return xerr_set(e, XE_IO, "/dev/null: %s", strerror(errno));
	rc = stdio_request(m, a->stdio_host, a->stdio_port, in,
	    STDOUT_FILENO, e);
	if (in != STDIN_FILENO)
		close(in);
	if (rc != 0)
		return -1;
	mux_master_pid = m->pid;
	set_signals(1);
	mb_init(&b);
	if (mux_read_packet(m->fd, &b, &mux_signal) == 0)
		rc = xerr_set(e, XE_PROTOCOL, "master returned unexpected "
		    "message");
	else if (errno != EPIPE && !(errno == EINTR && mux_signal))
		rc = xerr_set(e, XE_PROTOCOL, "mux_client_request_stdio_fwd: "
		    "mux_client_read_packet: %s", strerror(errno));
	else
		*exit_code = 0;
	mb_free(&b);
	set_signals(0);
	return rc;
}

/* SendEnv: whether NAME=value of the environment is to be passed. */
static int
env_permitted(const struct options *o, const char *var)
{
	char name[1024];
	size_t n = strcspn(var, "=");
	int i;

	if (var[n] != '=' || n >= sizeof(name))
		return 0;
	memcpy(name, var, n);
	name[n] = '\0';
	for (i = 0; i < o->send_env.n; i++)
		if (pattern_match(name, o->send_env.v[i]))
			return 1;
	return 0;
}

/* TERM from SetEnv first, as ssh does, else the environment. */
static const char *
term_name(const struct options *o)
{
	const char *t;
	int i;

	for (i = 0; i < o->set_env.n; i++)
		if (strncmp(o->set_env.v[i], "TERM=", 5) == 0 &&
		    o->set_env.v[i][5] != '\0')
			return o->set_env.v[i] + 5;
	return (t = getenv("TERM")) != NULL ? t : "";
}

static void
session_message(struct muxbuf *b, uint32_t rid, const struct args *a,
    const struct options *o, int tty)
{
	const char *cmd = a->command;
	uint32_t echar = 0xffffffff;
	int i;

	if (cmd == NULL && o->remote_command != NULL &&
	    strcmp(o->remote_command, "none") != 0)
		cmd = o->remote_command;
	if (o->escape_char != -2)
		echar = o->escape_char == -1 ? '~' : (uint32_t)o->escape_char;
	mb_put_u32(b, MUX_C_NEW_SESSION);
	mb_put_u32(b, rid);
	mb_put_string(b, NULL, 0);		/* reserved */
	mb_put_u32(b, tty);
	mb_put_u32(b, 0);			/* X11: xssh does none */
	mb_put_u32(b, o->forward_agent == 1);
	mb_put_u32(b, a->subsystem);
	mb_put_u32(b, echar);
	mb_put_cstring(b, term_name(o));
	mb_put_cstring(b, cmd != NULL ? cmd : "");
	if (o->send_env.n > 0)
		for (i = 0; environ != NULL && environ[i] != NULL; i++)
			if (env_permitted(o, environ[i]))
				mb_put_cstring(b, environ[i]);
	for (i = 0; i < o->set_env.n; i++)
		mb_put_cstring(b, o->set_env.v[i]);
}

/*
 * Wait for the session's end: MUX_S_EXIT_MESSAGE, then the master
 * closes the socket.  255 when it closes without one, or on a signal.
 */
static int
session_wait(struct muxconn *m, uint32_t sid, int tty, struct xerr *e)
{
	struct muxbuf b;
	struct mux_reply r;
	uint32_t val = 255;
	int seen = 0;

	mb_init(&b);
	while (mux_read_packet(m->fd, &b, &mux_signal) == 0) {
		if (mux_reply_parse(b.p, b.len, &r) != 0)
			break;
		if (r.type == MUX_S_TTY_ALLOC_FAIL && r.id == sid) {
			tty_leave_raw();
			continue;
		}
		if (r.type == MUX_S_EXIT_MESSAGE && r.id == sid && !seen) {
			val = r.value;
			seen = 1;
			continue;
		}
		tty_leave_raw();
		mb_free(&b);
		xerr_bare(e, XE_PROTOCOL, "mux_client_request_session: master "
		    "returned error: %s", r.reason[0] != '\0' ? r.reason :
		    "unexpected message");
		return -1;
	}
	mb_free(&b);
	tty_leave_raw();
	if (mux_signal) {
		debug2("Exiting on signal: %s", strsignal(mux_signal));
		val = 255;
	} else if (!seen) {
		debug2("Control master terminated unexpectedly");
		val = 255;
	} else
		debug2("Received exit status from master %u", val);
	return (int)(val & 0xff);
}

/*
 * A session run by the master (passenger mode).  MUX_FALLBACK when the
 * master would not take it: ssh then connects on its own.
 */
static int
session(struct muxconn *m, struct hop *h, const struct args *a,
    int *exit_code, struct xerr *e)
{
	static const char fn[] = "mux_client_request_session";
	struct muxbuf b;
	struct mux_reply r;
	uint32_t sid;
	int tty, in = STDIN_FILENO, rc = MUX_FALLBACK;

	if (alive(m, e) != 0) {
		error("%s: master alive request failed", fn);
		return MUX_FALLBACK;
	}
	if (h->opts.stdin_null == 1 &&
	    (in = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		return xerr_set(e, XE_IO, "/dev/null: %s", strerror(errno));
	tty = want_pty(a, &h->opts);
	mb_init(&b);
	session_message(&b, m->rid, a, &h->opts, tty);
	if (mux_write_packet(m->fd, &b) != 0 || mux_send_fd(m->fd, in) != 0 ||
	    mux_send_fd(m->fd, STDOUT_FILENO) != 0 ||
	    mux_send_fd(m->fd, STDERR_FILENO) != 0) {
		rc = xerr_bare(e, XE_IO, "%s: send fds failed: %s", fn,
		    strerror(errno));
		goto out;
	}
	debug3("%s: session request sent", fn);
	if (read_reply(m, &b, &r, fn, e) != 0) {
		error("%s", e->msg);
		goto out;
	}
	switch (r.type) {
	case MUX_S_SESSION_OPENED:
		sid = r.value;
		debug("%s: master session id: %u", fn, sid);
		break;
	case MUX_S_PERMISSION_DENIED:
		error("Master refused session request: %s", r.reason);
		goto out;
	case MUX_S_FAILURE:
		error("%s: session request failed: %s", fn, r.reason);
		goto out;
	default:
		error("%s: unexpected response from master 0x%08x", fn,
		    r.type);
		goto out;
	}
	m->rid++;
	mux_master_pid = m->pid;
	set_signals(1);
	/*
	 * As ssh's enter_raw_mode(), through tty.c, so that every way out
	 * (SIGQUIT, fatal()) puts the terminal back.
	 */
	if (tty && isatty(STDIN_FILENO))
		tty_enter_raw();
	rc = session_wait(m, sid, tty, e);
	set_signals(0);
	if (rc >= 0) {
		*exit_code = rc;
		rc = 0;
		if (tty && h->opts.log_level >= LOG_INFO)
			fprintf(stderr, "Shared connection to %s closed.\r\n",
			    h->opts.hostname);
	}
 out:
	if (in != STDIN_FILENO)
		close(in);
	mb_free(&b);
	return rc;
}

/* The work of a connected client: a -O command, a session or -W. */
static int
client_run(struct muxconn *m, struct hop *h, const struct args *a,
    int *exit_code, struct xerr *e)
{
	int cmd = a->mux_command, rc;
	size_t i;

	switch (cmd) {
	case MUXC_CHECK:
		if ((rc = alive(m, e)) == 0) {
			fprintf(stderr, "Master running (pid=%u)\r\n", m->pid);
			*exit_code = 0;
		}
		return rc;
	case MUXC_EXIT:
	case MUXC_STOP:
		for (i = 0; simple_requests[i].cmd != cmd; i++)
			;
		if ((rc = simple(m, &simple_requests[i], h->opts.log_level,
		    e)) == 0)
			*exit_code = 0;
		return rc;
	}
	if (a->stdio_host == NULL)
		return session(m, h, a, exit_code, e);
	if (alive(m, e) != 0) {
		error("mux_client_request_stdio_fwd: master alive request "
		    "failed");
		return MUX_FALLBACK;
	}
	return stdio_session(m, h, a, exit_code, e);
}

/*
 * Become the master at path (mux-server.c), then run our own session
 * as its first client.  MUX_FALLBACK when another master holds path.
 */
static int
master_run(struct chain *c, const struct args *a, const char *path,
    int *exit_code, struct xerr *e)
{
	struct hop *h = c->hop[c->n - 1];
	struct muxconn m;
	int parent_fd, rc;

	if ((rc = mux_master_start(c, path, &parent_fd, e)) != 0)
		return rc;
	/* The chain is up: -f may let the foreground go now. */
	background_detach();
	if (h->opts.session_type == 0 && a->stdio_host == NULL) {
		/* -N: no session of our own; stay while the master does. */
		while (read(parent_fd, &(char){ 0 }, 1) == -1 &&
		    errno == EINTR)
			;
		close(parent_fd);
		*exit_code = 0;
		return 0;
	}
	if ((rc = conn_open(&m, path, CTL_MASTER_NO, MUXC_NONE, e)) == 0) {
		rc = client_run(&m, h, a, exit_code, e);
		conn_close(&m);
	}
	if (rc == MUX_FALLBACK)
		rc = xerr_set(e, XE_PROTOCOL, "the new master at %s would not "
		    "take the session", path);
	close(parent_fd);	/* without ControlPersist, the master ends */
	return rc;
}

/*
 * The destination through its master, when ControlPath names one that
 * answers: 0 when done (exit_code set), MUX_FALLBACK to connect as
 * usual, -1 with e set.  With ControlMaster yes (-M), or auto and no
 * master, xssh becomes the master (master_run).  ControlMaster ask and
 * autoask would confirm each client with ssh-askpass: not done, so ask
 * is refused and autoask is only a client.
 */
int
mux_client_main(struct chain *c, const struct args *a, int *exit_code,
    struct xerr *e)
{
	struct hop *h = c->hop[c->n - 1];
	struct muxconn m;
	char *path;
	int master = h->opts.control_master, cmd = a->mux_command, rc;

	if (cmd == MUXC_NONE && master == CTL_MASTER_ASK)
		return xerr_set(e, XE_USAGE, "ControlMaster ask (-MM) is not "
		    "supported by xssh: use yes or auto");
	if (control_path(h, &path, e) != 0)
		return -1;
	if (path == NULL) {
		if (cmd != MUXC_NONE)
			return xerr_bare(e, XE_USAGE, "No ControlPath specified "
			    "for \"-O\" command");
		return MUX_FALLBACK;
	}
	if (cmd == MUXC_NONE && master == CTL_MASTER_YES) {
		rc = master_run(c, a, path, exit_code, e);
		free(path);
		return rc;
	}
	if (master == CTL_MASTER_AUTO || master == CTL_MASTER_AUTOASK)
		debug("auto-mux: Trying existing master");
	rc = conn_open(&m, path, master, cmd, e);
	if (rc == MUX_FALLBACK && cmd == MUXC_NONE &&
	    master == CTL_MASTER_AUTO) {
		rc = master_run(c, a, path, exit_code, e);
		free(path);
		return rc;
	}
	if (rc == MUX_FALLBACK && master == CTL_MASTER_AUTOASK)
		debug("ControlMaster autoask: no master at %s, and xssh "
		    "cannot ask: connecting without sharing", path);
	free(path);
	if (rc != 0)
		return rc;
	rc = client_run(&m, h, a, exit_code, e);
	conn_close(&m);
	return rc;
}

/*
 * Of the jumps, the last whose master answers carries the chain from
 * there: the hops up to it are not connected at all (HOP_SHARED), and
 * the hop after it gets a stdio forward of that master, as ssh -W
 * under ProxyJump would.  Returns the index of the first hop to
 * connect (0 when no jump has a master), or -1.
 */
int
mux_chain_start(struct chain *c, struct xerr *e)
{
	struct muxconn m;
	struct hop *h;
	char *path;
	int k, i, master, rc;

	for (k = c->n - 2; k >= 0; k--) {
		h = c->hop[k];
		master = h->opts.control_master;
		/* ssh -W with yes or ask would be a master; no client. */
		if (master == CTL_MASTER_YES || master == CTL_MASTER_ASK)
			continue;
		if (control_path(h, &path, e) != 0)
			return -1;
		if (path == NULL)
			continue;
		rc = conn_open(&m, path, master, MUXC_NONE, e);
		free(path);
		if (rc == MUX_FALLBACK)
			continue;
		if (rc != 0)
			return -1;
		if (alive(&m, e) != 0) {
			error("mux_client_request_stdio_fwd: master alive "
			    "request failed");
			conn_close(&m);
			continue;
		}
		h->mux = xmalloc(sizeof(*h->mux));
		*h->mux = m;
		for (i = 0; i <= k; i++) {
			c->hop[i]->state = HOP_SHARED;
			snprintf(c->hop[i]->addr, sizeof(c->hop[i]->addr),
			    i == k ? "shared connection of the master at %s "
			    "(pid %u)" : "inside the shared connection of %s",
			    i == k ? m.path : h->name, m.pid);
		}
		verbose("hop %d/%d %s: using the shared connection of the "
		    "master at %s (pid %u)", h->index, h->count, h->name,
		    m.path, m.pid);
		for (i = 0; c->on_hop != NULL && i <= k; i++)
			c->on_hop(c->hop[i], c->on_hop_arg);
		return k + 1;
	}
	return 0;
}

/* Hop h over a stdio forward of the master of the hop before it. */
int
mux_stdio_connect(struct hop *h, struct xerr *e)
{
	struct hop *via = h->prev;
	struct xerr why = { 0 };
	int sp[2];

	snprintf(h->addr, sizeof(h->addr), "%s:%d via %s (shared connection)",
	    h->opts.hostname, h->opts.port, via->name);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1)
		return hop_error(h, e, XE_IO, "channel", "socketpair: %s",
		    strerror(errno));
	if (stdio_request(via->mux, h->opts.hostname, h->opts.port, sp[1],
	    sp[1], &why) != 0) {
		close(sp[0]);
		close(sp[1]);
		return hop_error(h, e, why.code, "channel", "the master of %s "
		    "(%s): %s", via->name, via->mux->path, why.msg);
	}
	close(sp[1]);
	h->fd = sp[0];
	return 0;
}

/* After the hop after h is closed: let the master go. */
void
mux_hop_close(struct hop *h)
{
	if (h->mux == NULL)
		return;
	conn_close(h->mux);
	free(h->mux);
	h->mux = NULL;
}
