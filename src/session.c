/*
 * The session on the destination: a command, a subsystem or a shell,
 * with stdin, stdout and stderr carried byte for byte by a relay on
 * the main thread, a pseudo-terminal when ssh would ask for one, and
 * the remote exit status (255 when the remote died of a signal).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <libssh/callbacks.h>

#include "agent.h"
#include "args.h"
#include "chain.h"
#include "fwd.h"
#include "relay.h"
#include "session.h"

static struct termios saved_tio;
static int tty_raw;
static int saved_flags[3] = { -1, -1, -1 };

struct exit_info {
	int	 status;	/* -1 until exit-status arrives */
	int	 signalled;
	char	 signame[32];
};

static void
on_exit_status(ssh_session s, ssh_channel ch, int status, void *arg)
{
	((struct exit_info *)arg)->status = status;
}

static void
on_exit_signal(ssh_session s, ssh_channel ch, const char *sig, int core,
    const char *msg, const char *lang, void *arg)
{
	struct exit_info *x = arg;

	x->signalled = 1;
	snprintf(x->signame, sizeof(x->signame), "%s", sig ? sig : "?");
}

void
session_restore_tty(void)
{
	int i;

	if (tty_raw) {
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tio);
		tty_raw = 0;
		log_set_raw(0);
	}
	for (i = 0; i < 3; i++)
		if (saved_flags[i] != -1) {
			fcntl(i, F_SETFL, saved_flags[i]);
			saved_flags[i] = -1;
		}
}

static void
enter_raw_mode(void)
{
	struct termios tio;

	if (tcgetattr(STDIN_FILENO, &saved_tio) == -1)
		return;
	tio = saved_tio;
	cfmakeraw(&tio);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &tio) == 0) {
		tty_raw = 1;
		log_set_raw(1);
	}
}

/* Non-blocking local descriptors, as ssh does for non-terminals. */
static void
set_nonblocking(int fd)
{
	int flags;

	if (isatty(fd) || (flags = fcntl(fd, F_GETFL)) == -1)
		return;
	if (fd < 3)
		saved_flags[fd] = flags;
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* ssh's rules for asking for a pseudo-terminal. */
static int
want_pty(const struct args *a, const struct options *o)
{
	int tty_in = isatty(STDIN_FILENO);

	switch (o->request_tty) {
	case RTTY_NO:
		return 0;
	case RTTY_FORCE:
		return 1;
	case RTTY_YES:
		break;
	default:
		if (a->command != NULL || a->subsystem)
			return 0;
		break;
	}
	if (!tty_in || o->stdin_null) {
		if (o->log_level >= LOG_INFO)
			fprintf(stderr, "Pseudo-terminal will not be allocated "
			    "because stdin is not a terminal.\r\n");
		return 0;
	}
	return 1;
}

static int
request_pty(struct hop *h, ssh_channel ch, struct xerr *e)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	const char *term = getenv("TERM");

	if (isatty(STDIN_FILENO))
		ioctl(STDIN_FILENO, TIOCGWINSZ, &ws);
	if (term == NULL || *term == '\0')
		term = "dumb";
	if (ssh_channel_request_pty_size(ch, term, ws.ws_col,
	    ws.ws_row) != SSH_OK)
		return hop_error(h, e, XE_PROTOCOL, "session",
		    "PTY allocation request failed: %s",
		    ssh_get_error(h->session));
	return 0;
}

static int
start_remote(struct hop *h, const struct args *a, ssh_channel ch,
    struct xerr *e)
{
	const char *cmd = a->command;
	int r;

	if (cmd == NULL && h->opts.remote_command != NULL &&
	    strcmp(h->opts.remote_command, "none") != 0)
		cmd = h->opts.remote_command;
	if (a->subsystem) {
		if (cmd == NULL)
			return xerr_set(e, XE_USAGE, "-s needs the name of a "
			    "subsystem as the command");
		r = ssh_channel_request_subsystem(ch, cmd);
	} else if (cmd != NULL) {
		debug("Sending command: %s", cmd);
		r = ssh_channel_request_exec(ch, cmd);
	} else
		r = ssh_channel_request_shell(ch);
	if (r != SSH_OK)
		return hop_error(h, e, XE_PROTOCOL, "session", "%s request "
		    "failed: %s", a->subsystem ? "subsystem" : cmd ? "exec" :
		    "shell", ssh_get_error(h->session));
	return 0;
}

/*
 * -W host:port: stdin and stdout joined to a direct-tcpip channel of
 * the destination, as the ProxyCommand of another ssh would use it.
 */
static int
stdio_forward(struct hop *h, const struct args *a, int in_fd, int *exit_code,
    struct xerr *e)
{
	struct relay r;
	ssh_channel ch;
	const char *why;
	int rc;

	if ((ch = ssh_channel_new(h->session)) == NULL ||
	    ssh_channel_open_forward(ch, a->stdio_host, a->stdio_port,
	    "127.0.0.1", 65535) != SSH_OK) {
		why = ssh_get_error(h->session);
		if (strstr(why, "error (") != NULL)
			why = strchr(strstr(why, "error ("), ')') + 1;
		hop_error(h, e, XE_CHANNEL, "channel", "stdio forwarding to "
		    "%s:%d failed:%s", a->stdio_host, a->stdio_port, why);
		if (ch != NULL)
			ssh_channel_free(ch);
		return -1;
	}
	relay_init(&r, h->session, ch, in_fd, STDOUT_FILENO, -1);
	r.mode = RELAY_STDIO;
	r.hop = h;
	r.tcp = h->prev == NULL && h->proxy_pid == 0;
	if ((rc = relay_run(&r)) != 0)
		*e = r.err;
	else
		*exit_code = 0;
	relay_free(&r);
	if (ssh_channel_is_open(ch))
		ssh_channel_close(ch);
	ssh_channel_free(ch);
	return rc;
}

/* -N: SIGTERM ends the loop, and xssh exits 0 as ssh does. */
static volatile int none_stop;

static void
on_none_signal(int sig)
{
	none_stop = 1;
}

/*
 * -N or SessionType none: no session channel; the relay serves only
 * the forwardings until a signal or the end of the connection.
 */
static int
no_session(struct hop *h, struct fwd *fwd, int *exit_code, struct xerr *e)
{
	struct sigaction sa, old;
	struct relay r;
	int rc;

	/*
	 * ssh 9.2 -N exits 0 on SIGTERM (its loop just ends) but 255 on
	 * SIGHUP, SIGINT and SIGQUIT, as main's handler does.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_none_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		sigaction(SIGTERM, &sa, NULL);
	relay_init(&r, h->session, NULL, -1, -1, -1);
	r.mode = RELAY_NONE;
	r.hop = h;
	r.tcp = h->prev == NULL && h->proxy_pid == 0;
	r.stop = &none_stop;
	if (fwd != NULL)
		relay_add_extra(&r, fwd_pump, fwd_pollfds, NULL, fwd);
	if ((rc = relay_run(&r)) != 0)
		*e = r.err;
	else
		*exit_code = 0;
	relay_free(&r);
	return rc;
}

int
session_run(struct chain *c, const struct args *a, int *exit_code,
    struct xerr *e)
{
	struct hop *h = c->hop[c->n - 1];
	struct ssh_channel_callbacks_struct cb;
	struct exit_info xi = { .status = -1 };
	struct agentfwd *fwd = NULL;
	struct fwd *pfwd;
	struct relay r;
	ssh_channel ch;
	int pty, in_fd = STDIN_FILENO, rc = -1, i;

	if (a->stdio_host != NULL) {
		if (h->opts.stdin_null == 1 &&
		    (in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
			return xerr_set(e, XE_IO, "/dev/null: %s",
			    strerror(errno));
		for (i = 0; i < 2; i++)
			set_nonblocking(i);
		set_nonblocking(in_fd);
		rc = stdio_forward(h, a, in_fd, exit_code, e);
		session_restore_tty();
		if (in_fd != STDIN_FILENO)
			close(in_fd);
		return rc;
	}
	/* As ssh: forwardings first, then the session. */
	if ((pfwd = fwd_start(h, e)) == NULL && e->code != XE_OK)
		return -1;
	if (h->opts.session_type == 0) {
		rc = no_session(h, pfwd, exit_code, e);
		fwd_stop(pfwd);
		return rc;
	}
	if ((ch = ssh_channel_new(h->session)) == NULL ||
	    ssh_channel_open_session(ch) != SSH_OK) {
		hop_error(h, e, XE_PROTOCOL, "session", "channel open failed: "
		    "%s", ssh_get_error(h->session));
		if (ch != NULL)
			ssh_channel_free(ch);
		fwd_stop(pfwd);
		return -1;
	}
	memset(&cb, 0, sizeof(cb));
	cb.userdata = &xi;
	cb.channel_exit_status_function = on_exit_status;
	cb.channel_exit_signal_function = on_exit_signal;
	ssh_callbacks_init(&cb);
	ssh_set_channel_callbacks(ch, &cb);

	/* As ssh: the agent is asked for before the pty and the command. */
	fwd = agentfwd_start(h, ch);
	pty = want_pty(a, &h->opts);
	if (pty && request_pty(h, ch, e) != 0)
		goto out;
	if (start_remote(h, a, ch, e) != 0)
		goto out;
	if (h->opts.stdin_null == 1 &&
	    (in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1) {
		xerr_set(e, XE_IO, "/dev/null: %s", strerror(errno));
		goto out;
	}
	if (pty && isatty(STDIN_FILENO))
		enter_raw_mode();
	for (i = 0; i < 3; i++)
		set_nonblocking(i);
	if (in_fd != STDIN_FILENO)
		set_nonblocking(in_fd);

	relay_init(&r, h->session, ch, in_fd, STDOUT_FILENO, STDERR_FILENO);
	r.mode = RELAY_SESSION;
	r.hop = h;
	r.tcp = h->prev == NULL && h->proxy_pid == 0;
	if (fwd != NULL)
		relay_add_extra(&r, agentfwd_pump, agentfwd_pollfds, NULL, fwd);
	if (pfwd != NULL)
		relay_add_extra(&r, fwd_pump, fwd_pollfds, fwd_busy, pfwd);
	rc = relay_run(&r);
	session_restore_tty();
	if (rc != 0)
		*e = r.err;
	relay_free(&r);
	if (rc == 0) {
		if (xi.signalled) {
			debug("Remote command died of signal %s", xi.signame);
			*exit_code = 255;
		} else
			*exit_code = xi.status == -1 ? 255 : xi.status & 0xff;
		if (pty && h->opts.log_level >= LOG_INFO)
			fprintf(stderr, "Connection to %s closed.\r\n",
			    h->opts.hostname);
	}
 out:
	session_restore_tty();
	agentfwd_stop(fwd);
	fwd_stop(pfwd);
	if (in_fd != STDIN_FILENO)
		close(in_fd);
	if (ssh_channel_is_open(ch))
		ssh_channel_close(ch);
	ssh_channel_free(ch);
	return rc;
}
