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
#include <unistd.h>

#include <libssh/callbacks.h>

#include "agent.h"
#include "args.h"
#include "background.h"
#include "chain.h"
#include "fwd.h"
#include "match.h"
#include "relay.h"
#include "sshlib.h"
#include "session.h"
#include "escape.h"
#include "tty.h"
#include "ttymodes.h"

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

/* -s, or SessionType subsystem. */
static int
is_subsystem(const struct args *a, const struct options *o)
{
	return a->subsystem || o->session_type == 2;
}

/* ssh's rules for asking for a pseudo-terminal (also mux-client.c). */
int
want_pty(const struct args *a, const struct options *o)
{
	const char *rc = o->remote_command;
	int tty_in = isatty(STDIN_FILENO);

	if (rc != NULL && strcmp(rc, "none") == 0)
		rc = NULL;
	switch (o->request_tty) {
	case RTTY_NO:
		return 0;
	case RTTY_FORCE:
		return 1;
	case RTTY_YES:
		break;
	default:
		/* A pty by default only for a shell (RemoteCommand too). */
		if (a->command != NULL || is_subsystem(a, o) || rc != NULL)
			return 0;
		break;
	}
	if (o->session_type == 0)
		return 0;
	if (!tty_in || o->stdin_null) {
		/* As ssh: a log message, so -E and -q apply. */
		logit("Pseudo-terminal will not be allocated because stdin "
		    "is not a terminal.");
		return 0;
	}
	return 1;
}

/* The value of NAME in SetEnv, or NULL. */
static const char *
setenv_lookup(const struct options *o, const char *name)
{
	size_t len = strlen(name);
	int i;

	for (i = 0; i < o->set_env.n; i++)
		if (strncmp(o->set_env.v[i], name, len) == 0 &&
		    o->set_env.v[i][len] == '=')
			return o->set_env.v[i] + len + 1;
	return NULL;
}

static void
send_one_env(struct hop *h, ssh_channel ch, const char *entry,
    const char *verb)
{
	char *name = xstrdup(entry), *val;

	if ((val = strchr(name, '=')) != NULL) {
		*val++ = '\0';
		debug("%s env %s = %s", verb, name, val);
		/*
		 * libssh asks for a reply where ssh does not; a refusal
		 * (no AcceptEnv on the server) is no error for ssh either.
		 */
		if (ssh_channel_request_env(ch, name, val) != SSH_OK)
			debug2("env %s: refused by the server", name);
	}
	free(name);
}

/* SendEnv: our variables whose names match; then SetEnv, as ssh. */
static void
send_env(struct hop *h, ssh_channel ch)
{
	extern char **environ;
	const struct options *o = &h->opts;
	char **e, *name;
	int i, matched;

	if (o->send_env.n > 0 && environ != NULL) {
		debug("Sending environment.");
		for (e = environ; *e != NULL; e++) {
			if (strchr(*e, '=') == NULL)
				continue;
			name = xstrdup(*e);
			name[strcspn(name, "=")] = '\0';
			for (matched = 0, i = 0; i < o->send_env.n && !matched;
			    i++)
				matched = pattern_match(name, o->send_env.v[i]);
			if (matched)
				send_one_env(h, ch, *e, "Sending");
			else
				debug3("Ignored env %s", name);
			free(name);
		}
	}
	for (i = 0; i < o->set_env.n; i++)
		send_one_env(h, ch, o->set_env.v[i], "Setting");
}

static int
request_pty(struct hop *h, ssh_channel ch, struct xerr *e)
{
	const char *term = setenv_lookup(&h->opts, "TERM");
	unsigned char modes[TTYMODES_MAX];
	size_t modes_len;
	int cols, rows;

	/* As ssh: TERM from SetEnv, else from our environment. */
	if (term == NULL || *term == '\0')
		term = getenv("TERM");
	if (term == NULL)
		term = "";
	tty_size(&cols, &rows);
	/* Before raw mode: the modes the user's terminal has now. */
	modes_len = ttymodes_of_fd(STDIN_FILENO, modes);
	if (ssh_channel_request_pty_size_modes(ch, term, cols, rows, modes,
	    modes_len) != SSH_OK)
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
	char *expanded = NULL;
	int r;

	/* RemoteCommand, with its %-tokens, unless the command line has one. */
	if (cmd == NULL && h->opts.remote_command != NULL &&
	    strcmp(h->opts.remote_command, "none") != 0) {
		if ((expanded = options_expand(&h->opts, h->name,
		    h->opts.remote_command, XP_COMMAND, e)) == NULL)
			return -1;
		cmd = expanded;
	}
	if (is_subsystem(a, &h->opts)) {
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
		hop_error(h, e, XE_PROTOCOL, "session", "%s request "
		    "failed: %s", is_subsystem(a, &h->opts) ? "subsystem" : cmd ? "exec" :
		    "shell", ssh_get_error(h->session));
	free(expanded);
	return r == SSH_OK ? 0 : -1;
}

/*
 * -W host:port: stdin and stdout joined to a direct-tcpip channel of
 * the destination, as the ProxyCommand of another ssh would use it.
 */
static int
stdio_forward(struct hop *h, const struct args *a, int in_fd, int *exit_code,
    struct xerr *e)
{
	struct chanio io;
	struct relay r;
	ssh_channel ch;
	char why[XERR_MSGLEN / 2];
	int rc;

	if ((ch = ssh_channel_new(h->session)) == NULL ||
	    ssh_channel_open_forward(ch, a->stdio_host, a->stdio_port,
	    "127.0.0.1", 65535) != SSH_OK) {
		sshlib_open_failure(h->session, why, sizeof(why));
		hop_error(h, e, XE_CHANNEL, "channel", "stdio forwarding to "
		    "%s:%d failed: %s", a->stdio_host, a->stdio_port, why);
		if (ch != NULL)
			ssh_channel_free(ch);
		return -1;
	}
	chanio_init(&io, ch, CHANIO_STDIO, in_fd, STDOUT_FILENO, -1);
	relay_init(&r, h->session, h, &io);
	r.tcp = h->prev == NULL && h->proxy_pid == 0;
	if ((rc = relay_run(&r)) != 0)
		*e = r.err;
	else
		*exit_code = 0;
	chanio_free(&io);
	if (ssh_channel_is_open(ch))
		ssh_channel_close(ch);
	ssh_channel_free(ch);
	return rc;
}

/* -N: SIGTERM ends the loop, and xssh exits 0 as ssh does. */
static volatile sig_atomic_t none_stop;

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
	relay_init(&r, h->session, h, NULL);
	r.tcp = h->prev == NULL && h->proxy_pid == 0;
	r.stop = &none_stop;
	if (fwd != NULL)
		relay_add_extra(&r, fwd_pump, fwd_pollfds, NULL, fwd);
	if ((rc = relay_run(&r)) != 0)
		*e = r.err;
	else
		*exit_code = 0;
	return rc;
}

/*
 * Before connecting: -f and ForkAfterAuthentication need a command
 * (ssh's check and message), and the fork happens now, while xssh has
 * one thread (background.c).
 */
int
session_prepare(struct chain *c, const struct args *a, struct xerr *e)
{
	struct hop *h = c->hop[c->n - 1];
	const char *rc = h->opts.remote_command;

	if (rc != NULL && strcmp(rc, "none") != 0 && a->command != NULL)
		return xerr_bare(e, XE_USAGE, "Cannot execute command-line "
		    "and remote command.");
	if (h->opts.fork_after_authentication != 1)
		return 0;
	if (a->command == NULL && a->stdio_host == NULL &&
	    (rc == NULL || strcmp(rc, "none") == 0) &&
	    h->opts.session_type != 0)
		return xerr_bare(e, XE_USAGE, "Cannot fork into background "
		    "without a command to execute.");
	h->opts.stdin_null = 1;
	return background_prepare(e);
}

/*
 * Every hop is up: LocalCommand (with PermitLocalCommand), then into
 * the background for -f, in ssh's order.
 */
int
session_connected(struct chain *c, struct xerr *e)
{
	struct hop *h = c->hop[c->n - 1];
	char *cmd;

	if (h->opts.local_command != NULL && h->opts.permit_local_command == 1) {
		if ((cmd = options_expand(&h->opts, h->name,
		    h->opts.local_command, XP_COMMAND, e)) == NULL)
			return -1;
		local_command_run(cmd);
		free(cmd);
	}
	background_detach();
	return 0;
}

/*
 * Each pass of the relay loop: send the window size when the terminal
 * changed (SIGWINCH) or came back from ~^Z.
 */
static void
on_wake(void *arg)
{
	struct escape *x = arg;
	int cols, rows;

	if (!tty_winch_take(x->resize))
		return;
	x->resize = 0;
	tty_size(&cols, &rows);
	debug2("window change: %dx%d", cols, rows);
	ssh_channel_change_pty_size(x->channel, cols, rows);
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
	struct escape esc;
	struct chanio io;
	struct relay r;
	ssh_channel ch;
	int pty, in_fd = STDIN_FILENO, rc = -1, i, esc_ch;

	if (a->stdio_host != NULL) {
		if (h->opts.stdin_null == 1 &&
		    (in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
			return xerr_set(e, XE_IO, "/dev/null: %s",
			    strerror(errno));
		for (i = 0; i < 2; i++)
			tty_set_nonblock(i);
		tty_set_nonblock(in_fd);
		rc = stdio_forward(h, a, in_fd, exit_code, e);
		tty_restore();
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

	/*
	 * As ssh: the agent is asked for first, then the pty, the
	 * environment, and the command.
	 */
	fwd = agentfwd_start(h, ch);
	pty = want_pty(a, &h->opts);
	if (pty && request_pty(h, ch, e) != 0)
		goto out;
	send_env(h, ch);
	if (start_remote(h, a, ch, e) != 0)
		goto out;
	if (h->opts.stdin_null == 1 &&
	    (in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1) {
		xerr_set(e, XE_IO, "/dev/null: %s", strerror(errno));
		goto out;
	}
	if (pty)
		tty_enter_raw();
	for (i = 0; i < 3; i++)
		tty_set_nonblock(i);
	if (in_fd != STDIN_FILENO)
		tty_set_nonblock(in_fd);

	chanio_init(&io, ch, CHANIO_SESSION, in_fd, STDOUT_FILENO,
	    STDERR_FILENO);
	relay_init(&r, h->session, h, &io);
	r.tcp = h->prev == NULL && h->proxy_pid == 0;
	if (fwd != NULL)
		relay_add_extra(&r, agentfwd_pump, agentfwd_pollfds, NULL, fwd);
	if (pfwd != NULL)
		relay_add_extra(&r, fwd_pump, fwd_pollfds, fwd_busy, pfwd);
	/* ssh: escapes and window changes only with a pty. */
	esc_ch = h->opts.escape_char == -1 ? ESCAPE_DEFAULT :
	    h->opts.escape_char;
	escape_init(&esc, esc_ch, c, ch);
	esc.cmdline = h->opts.enable_escape_commandline == 1;
	esc.local_command = h->opts.permit_local_command == 1;
	esc.fwd = pfwd;
	if (pty) {
		r.on_wake = on_wake;
		r.wake_arg = &esc;
		r.wake_fd = tty_winch_start();
		if (esc_ch != ESCAPE_NONE) {
			io.filter = escape_filter;
			io.filter_arg = &esc;
		}
	}
	rc = relay_run(&r);
	tty_winch_stop();
	tty_restore();
	if (rc != 0)
		*e = r.err;
	chanio_free(&io);
	if (rc == 0) {
		if (xi.signalled) {
			debug("Remote command died of signal %s", xi.signame);
			*exit_code = 255;
		} else if (io.quit)
			*exit_code = 255;	/* ~., as ssh */
		else
			*exit_code = xi.status == -1 ? 255 : xi.status & 0xff;
		if (pty && h->opts.log_level >= LOG_INFO)
			fprintf(stderr, "Connection to %s closed.\r\n",
			    h->opts.hostname);
	}
 out:
	tty_restore();
	agentfwd_stop(fwd);
	fwd_stop(pfwd);
	if (in_fd != STDIN_FILENO)
		close(in_fd);
	if (ssh_channel_is_open(ch))
		ssh_channel_close(ch);
	ssh_channel_free(ch);
	return rc;
}
