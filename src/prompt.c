/*
 * Asking the user, as ssh's read_passphrase() does: on the terminal
 * (/dev/tty, never stdin, which belongs to the remote command), with
 * echo off for secrets; or through SSH_ASKPASS when there is no
 * terminal, or when SSH_ASKPASS_REQUIRE says so (never, prefer, force;
 * askpass is allowed only with DISPLAY or WAYLAND_DISPLAY set, unless
 * forced).
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "prompt.h"
#include "spawn.h"
#include "tty.h"

#define ASKPASS_DEFAULT	"/usr/bin/ssh-askpass"

static int
env_set(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0';
}

/*
 * Run the askpass program, as ssh's ssh_askpass(); its first line of
 * output is the answer.  Its environment is made here, not in the
 * child (spawn.c).
 */
static char *
askpass(const char *prompt, int flags)
{
	const char *prog = getenv("SSH_ASKPASS");
	char *argv[3], *msg, **env = NULL, buf[1024], *answer = NULL;
	struct spawn sp = { .fd = { SPAWN_KEEP, SPAWN_PIPE, SPAWN_KEEP } };
	struct xerr e = { 0 };
	size_t len = 0;
	ssize_t n;
	int fd, status;
	pid_t pid;

	if (prog == NULL || *prog == '\0')
		prog = ASKPASS_DEFAULT;
	argv[0] = (char *)prog;
	argv[1] = (char *)prompt;
	argv[2] = NULL;
	if (flags & PROMPT_CONFIRM)
		env = spawn_env("SSH_ASKPASS_PROMPT", "confirm");
	xasprintf(&msg, "ssh_askpass: exec(%s): ", prog);
	sp.argv = argv;
	sp.envp = env;
	sp.fail_msg = msg;
	sp.fail_level = LOG_FATAL;
	sp.fail_status = 255;
	pid = spawn_start(&sp, &fd, &e);
	free(msg);
	spawn_env_free(env);
	if (pid == -1) {
		error("ssh_askpass: %s", e.msg);
		return NULL;
	}
	while (len < sizeof(buf) - 1) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (spawn_wait(pid, &status) == 0 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		answer = xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return answer;
}

/* Read a line from the terminal, echo off unless PROMPT_ECHO. */
static char *
tty_read(int fd, const char *prompt, int flags)
{
	char buf[1024], *answer = NULL;
	size_t len = 0;
	ssize_t n;
	char c;

	/* tty.c puts echo back, also when ^C ends xssh here. */
	if (!(flags & PROMPT_ECHO))
		(void)tty_echo_off(fd);
	(void)!write(fd, "\r", 1);
	(void)!write(fd, prompt, strlen(prompt));
	/*
	 * A signal whose handler returns (~C's SIGINT) cancels, as in
	 * ssh's readpassphrase(); the others end xssh.
	 */
	for (;;) {
		n = read(fd, &c, 1);
		if (n <= 0 || c == '\n' || c == '\r')
			break;
		if (len < sizeof(buf) - 1)
			buf[len++] = c;
	}
	buf[len] = '\0';
	tty_echo_restore();
	if (n > 0 || (n == 0 && len > 0))
		answer = xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	explicit_bzero(&c, sizeof(c));
	return answer;
}

char *
prompt_read(const char *prompt, int flags)
{
	const char *req = getenv("SSH_ASKPASS_REQUIRE");
	static pthread_mutex_t one_at_a_time = PTHREAD_MUTEX_INITIALIZER;
	int allow_askpass, use_askpass = 0, fd;
	char *answer;

	allow_askpass = env_set("DISPLAY") || env_set("WAYLAND_DISPLAY");
	if (req != NULL && strcasecmp(req, "force") == 0)
		use_askpass = allow_askpass = 1;
	else if (req != NULL && strcasecmp(req, "prefer") == 0)
		use_askpass = allow_askpass;
	else if (req != NULL && strcasecmp(req, "never") == 0)
		allow_askpass = 0;
	if (!use_askpass) {
		if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) != -1) {
			/* Two hops' prompts never share the terminal. */
			pthread_mutex_lock(&one_at_a_time);
			answer = tty_read(fd, prompt, flags);
			pthread_mutex_unlock(&one_at_a_time);
			close(fd);
			return answer;
		}
		debug("can't open /dev/tty: %s", strerror(errno));
	}
	if (!allow_askpass)
		return NULL;
	return askpass(prompt, flags);
}

/* "(hop 2/3 bastion) " in a chain, "" for a lone destination. */
const char *
prompt_hop_prefix(const struct hop *h, char *buf, size_t len)
{
	if (h->count > 1)
		snprintf(buf, len, "(hop %d/%d %s) ", h->index, h->count,
		    h->name);
	else if (len > 0)
		buf[0] = '\0';
	return buf;
}

void
prompt_free(char *answer)
{
	if (answer != NULL) {
		explicit_bzero(answer, strlen(answer));
		free(answer);
	}
}
