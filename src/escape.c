/*
 * Escape sequences on an interactive session, as ssh's clientloop.c
 * reads them: the escape character counts only right after a newline
 * (or at the start), and the character after it picks a command from
 * the table below; any other character is sent as typed, escape
 * character included.  What the commands print goes to stderr with
 * CR LF, since the terminal is in raw mode.
 */
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "escape.h"
#include "fwd.h"
#include "prompt.h"
#include "relay.h"
#include "spawn.h"
#include "tty.h"

struct escape_cmd {
	int	 ch;		/* the character after the escape */
	const char *help_key;	/* as ~? shows it, NULL: not listed */
	const char *help;
	int	(*fn)(struct escape *, int ch, char *out, size_t *outlen);
	int	 cmdline_only;	/* listed only with EnableEscapeCommandline */
};

static const char *level_names[] = {
	[LOG_QUIET] = "QUIET", [LOG_FATAL] = "FATAL",
	[LOG_ERROR] = "ERROR", [LOG_INFO] = "INFO",
	[LOG_VERBOSE] = "VERBOSE", [LOG_DEBUG1] = "DEBUG1",
	[LOG_DEBUG2] = "DEBUG2", [LOG_DEBUG3] = "DEBUG3",
};

/* To stderr, which may be non-blocking: wait rather than drop. */
static void printflike(1, 2)
say(const char *fmt, ...)
{
	struct pollfd p = { .fd = STDERR_FILENO, .events = POLLOUT };
	char buf[1024];
	va_list ap;
	size_t len, off = 0;
	ssize_t n;
	int len0;

	va_start(ap, fmt);
	len0 = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len0 < 0)
		return;
	len = (size_t)len0 < sizeof(buf) ? (size_t)len0 : sizeof(buf) - 1;
	while (off < len) {
		n = write(STDERR_FILENO, buf + off, len - off);
		if (n > 0)
			off += n;
		else if (n == -1 && errno == EAGAIN)
			poll(&p, 1, 1000);
		else if (n == -1 && errno != EINTR)
			return;
	}
}

static int
esc_quit(struct escape *x, int ch, char *out, size_t *outlen)
{
	say("%c.\r\n", x->ch);
	return RELAY_QUIT;
}

static int
esc_suspend(struct escape *x, int ch, char *out, size_t *outlen)
{
	say("%c^Z [suspend ssh]\r\n", x->ch);
	tty_leave_raw();
	kill(getpid(), SIGTSTP);
	/* Continued: raw again, and the window may have changed. */
	tty_enter_raw();
	x->resize = 1;
	return 0;
}

/*
 * ~&: go on in the background, the parent exits.  Only a process
 * without relay threads can do that (fork keeps one thread), so not
 * through jump hosts.
 */
static int
esc_background(struct escape *x, int ch, char *out, size_t *outlen)
{
	pid_t pid;

	if (x->chain != NULL && x->chain->n > 1) {
		say("%c& is not available through jump hosts: xssh runs "
		    "the chain in threads of one process\r\n", x->ch);
		return 0;
	}
	tty_leave_raw();
	say("%c& [backgrounded]\n", x->ch);
	if ((pid = fork()) == -1) {
		error("fork: %s", strerror(errno));
		return 0;
	}
	if (pid != 0)
		_exit(0);
	/* The child: an EOF for the remote, as ssh sends. */
	out[(*outlen)++] = 4;
	return RELAY_INPUT_END;
}

static int
esc_break(struct escape *x, int ch, char *out, size_t *outlen)
{
	say("%cB\r\n", x->ch);
	if (ssh_channel_request_send_break(x->channel, 1000) != SSH_OK)
		debug("break request failed");
	return 0;
}

static int
esc_rekey(struct escape *x, int ch, char *out, size_t *outlen)
{
	say("%cR: rekeying on request is not possible with libssh %s\r\n",
	    x->ch, ssh_version(0));
	return 0;
}

static int
esc_verbosity(struct escape *x, int ch, char *out, size_t *outlen)
{
	int level = log_get_level();

	if (ch == 'V' && level > LOG_QUIET)
		level--;
	if (ch == 'v' && level < LOG_DEBUG3)
		level++;
	log_set_level(level);
	say("%c%c [LogLevel %s]\r\n", x->ch, ch, level_names[level]);
	return 0;
}

/* ~#: the session channel and the channel of every hop of the chain. */
static int
esc_list(struct escape *x, int ch, char *out, size_t *outlen)
{
	struct hop *h;
	int i;

	say("%c#\r\nThe following connections are open:\r\n", x->ch);
	if (x->chain == NULL)
		return 0;
	h = x->chain->hop[x->chain->n - 1];
	say("  #0 client-session on %s (%s)\r\n", h->name, h->addr);
	for (i = 0; i < x->chain->n - 1; i++) {
		h = x->chain->hop[i];
		say("  hop %d/%d %s (%s): direct-tcpip to %s\r\n", h->index,
		    h->count, h->name, h->addr, x->chain->hop[i + 1]->name);
	}
	return 0;
}

static int esc_help(struct escape *, int, char *, size_t *);
static int esc_cmdline(struct escape *, int, char *, size_t *);

static const struct escape_cmd escape_cmds[] = {
	{ '.', ".", "terminate connection (and any multiplexed sessions)",
	    esc_quit, 0 },
	{ 'B', "B", "send a BREAK to the remote system", esc_break, 0 },
	{ 'C', "C", "open a command line", esc_cmdline, 1 },
	{ 'R', "R", "request rekey", esc_rekey, 0 },
	{ 'V', "V/v", "decrease/increase verbosity (LogLevel)",
	    esc_verbosity, 0 },
	{ 'v', NULL, NULL, esc_verbosity, 0 },
	{ 'Z' - 64, "^Z", "suspend ssh", esc_suspend, 0 },
	{ '#', "#", "list forwarded connections", esc_list, 0 },
	{ '&', "&", "background ssh (when waiting for connections to "
	    "terminate)", esc_background, 0 },
	{ '?', "?", "this message", esc_help, 0 },
};
#define N_ESCAPE_CMDS (sizeof(escape_cmds) / sizeof(escape_cmds[0]))

static int
esc_help(struct escape *x, int ch, char *out, size_t *outlen)
{
	const struct escape_cmd *c;
	size_t i;

	say("%c?\r\nSupported escape sequences:\r\n", x->ch);
	for (i = 0; i < N_ESCAPE_CMDS; i++) {
		c = &escape_cmds[i];
		if (c->help_key == NULL || (c->cmdline_only && !x->cmdline))
			continue;
		say(" %c%-3s - %s\r\n", x->ch, c->help_key, c->help);
	}
	say(" %c%c   - send the escape character by typing it twice\r\n"
	    "(Note that escapes are only recognized immediately after "
	    "newline.)\r\n", x->ch, x->ch);
	return 0;
}

/*
 * LocalCommand and ~C !cmd: the user's shell runs it, with our stdin,
 * stdout and stderr, as ssh's ssh_local_cmd().  Its exit status, or
 * -1 if it did not run or did not exit.
 */
int
local_command_run(const char *cmd)
{
	const char *shell = spawn_shell();
	char *argv[4], *msg;
	struct spawn sp = { .fd = { SPAWN_KEEP, SPAWN_KEEP, SPAWN_KEEP } };
	struct xerr e = { 0 };
	pid_t pid;
	int status;

	spawn_shell_argv(argv, shell, cmd);
	debug3("Executing %s -c \"%s\"", shell, cmd);
	xasprintf(&msg, "Couldn't execute %s -c \"%s\": ", shell, cmd);
	sp.argv = argv;
	sp.fail_msg = msg;
	sp.fail_level = LOG_ERROR;
	sp.fail_status = 127;
	pid = spawn_start(&sp, NULL, &e);
	free(msg);
	if (pid == -1) {
		error("%s", e.msg);
		return -1;
	}
	if (spawn_wait(pid, &status) == -1) {
		error("Couldn't wait for child: %s", strerror(errno));
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *cmdline_help[] = {
	"-L[bind_address:]port:host:hostport    Request local forward",
	"-R[bind_address:]port:host:hostport    Request remote forward",
	"-D[bind_address:]port                  Request dynamic forward",
	"-KL[bind_address:]port                 Cancel local forward",
	"-KR[bind_address:]port                 Cancel remote forward",
	"-KD[bind_address:]port                 Cancel dynamic forward",
};

/*
 * A ~C line, as ssh's process_cmdline() reads it: blanks, an optional
 * '-', then h/H/? (help), !cmd (with PermitLocalCommand), or an
 * optional K (cancel) and L, R or D with the specification after
 * blanks.  Pure: the fuzzer's entry point (tests/fuzz/fuzz-cmdline.c).
 */
void
escape_cmdline_parse(const char *line, int local_command, struct cmdline *c)
{
	const char *s = line;

	memset(c, 0, sizeof(*c));
	c->type = CMDLINE_INVALID;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-')
		s++;
	if (*s == '\0') {
		c->type = CMDLINE_EMPTY;
		return;
	}
	if (*s == 'h' || *s == 'H' || *s == '?') {
		c->type = CMDLINE_HELP;
		return;
	}
	if (*s == '!' && local_command) {
		c->type = CMDLINE_LOCAL;
		c->arg = s + 1;
		return;
	}
	if (*s == 'K')
		s++;
	if (*s != 'L' && *s != 'R' && *s != 'D')
		return;
	c->cancel = s > line && s[-1] == 'K';
	c->kind = *s;
	while (isspace((unsigned char)*++s))
		;
	c->type = CMDLINE_FORWARD;
	c->arg = s;
}

/* ~C -L, -R, -D, -KL, -KR, -KD: with ssh's words. */
static void
cmdline_forward(struct escape *x, const struct cmdline *c)
{
	struct xerr e = { 0 };

	if (x->fwd == NULL) {
		say("Port forwarding failed.\n");
		return;
	}
	if (c->cancel) {
		if (fwd_cancel(x->fwd, c->arg, c->kind, &e) == 0)
			say("Canceled forwarding.\n");
		else if (strncmp(e.msg, "Unknown", 7) == 0)
			say("Unknown port forwarding.\n");
		else
			say("Bad forwarding close specification.\n");
		return;
	}
	if (fwd_add_spec(x->fwd, c->arg, c->kind, &e) == 0)
		say("Forwarding port.\n");
	else if (strncmp(e.msg, "Bad ", 4) == 0)
		say("Bad forwarding specification.\n");
	else {
		say("%s\n", e.msg);
		say("Port forwarding failed.\n");
	}
}

/* ^C at "ssh> ": only to interrupt the read (no SA_RESTART). */
static void
on_cmdline_int(int sig)
{
}

/*
 * ~C: ssh's command line, "ssh> ".  As in ssh, ^C while it is read
 * leaves the command line, not the session.
 */
static int
esc_cmdline(struct escape *x, int ch, char *out, size_t *outlen)
{
	struct sigaction sa, old;
	struct cmdline c;
	char *line;
	size_t i;

	if (!x->cmdline) {
		say("commandline disabled\r\n");
		return 0;
	}
	tty_leave_raw();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_cmdline_int;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	/* As ssh's read_passphrase(RP_ECHO): the terminal, or askpass. */
	line = prompt_read("\nssh> ", PROMPT_ECHO);
	sigaction(SIGINT, &old, NULL);
	if (line == NULL) {
		tty_enter_raw();
		return 0;
	}
	escape_cmdline_parse(line, x->local_command, &c);
	switch (c.type) {
	case CMDLINE_HELP:
		say("Commands:\n");
		for (i = 0; i < sizeof(cmdline_help) / sizeof(*cmdline_help);
		    i++)
			say("      %s\n", cmdline_help[i]);
		if (x->local_command)
			say("      !args                                  "
			    "Execute local command\n");
		break;
	case CMDLINE_LOCAL:
		local_command_run(c.arg);
		break;
	case CMDLINE_FORWARD:
		cmdline_forward(x, &c);
		break;
	case CMDLINE_INVALID:
		say("Invalid command.\n");
		break;
	case CMDLINE_EMPTY:
		break;
	}
	prompt_free(line);
	tty_enter_raw();
	return 0;
}

void
escape_init(struct escape *x, int ch, struct chain *c, ssh_channel chan)
{
	memset(x, 0, sizeof(*x));
	x->ch = ch;
	x->after_nl = 1;
	x->chain = c;
	x->channel = chan;
}

/* -e and EscapeChar: a character, "^X" or "none"; -1 if bad. */
int
escape_parse(const char *s, int *ch)
{
	const unsigned char *u = (const unsigned char *)s;

	if (strcmp(s, "none") == 0)
		*ch = ESCAPE_NONE;
	else if (u[0] != '\0' && u[1] == '\0')
		*ch = u[0];
	else if (u[0] == '^' && u[1] >= 64 && u[1] < 128 && u[2] == '\0')
		*ch = u[1] & 31;
	else
		return -1;
	return 0;
}

/*
 * The relay's input filter: in[0..n) typed, out gets what goes to the
 * remote (at most n + 1 bytes: a held-back escape character and the
 * character after it).
 */
int
escape_filter(void *arg, const char *in, size_t n, char *out,
    size_t *outlen)
{
	struct escape *x = arg;
	const struct escape_cmd *c;
	unsigned char ch;
	size_t i, k;
	int r;

	*outlen = 0;
	for (i = 0; i < n; i++) {
		ch = in[i];
		if (x->pending) {
			x->pending = 0;
			for (k = 0; k < N_ESCAPE_CMDS; k++)
				if (escape_cmds[k].ch == ch)
					break;
			c = k < N_ESCAPE_CMDS ? &escape_cmds[k] : NULL;
			if (c != NULL) {
				/* As ssh: after a command, still "after a
				   newline". */
				if ((r = c->fn(x, ch, out, outlen)) != 0)
					return r;
				continue;
			}
			if (ch != x->ch)
				out[(*outlen)++] = x->ch;
		} else if (x->after_nl && ch == x->ch) {
			x->pending = 1;
			continue;
		}
		x->after_nl = ch == '\r' || ch == '\n';
		out[(*outlen)++] = ch;
	}
	return 0;
}
