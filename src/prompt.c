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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "chain.h"
#include "prompt.h"

#define ASKPASS_DEFAULT	"/usr/bin/ssh-askpass"

static int
env_set(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0';
}

/* Run the askpass program; its first line of output is the answer. */
static char *
askpass(const char *prompt, int flags)
{
	const char *prog = getenv("SSH_ASKPASS");
	char buf[1024];
	size_t len = 0;
	ssize_t n;
	int p[2], status;
	pid_t pid;

	if (prog == NULL || *prog == '\0')
		prog = ASKPASS_DEFAULT;
	if (pipe2(p, O_CLOEXEC) == -1)
		return NULL;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	if (pid == 0) {
		if (dup2(p[1], STDOUT_FILENO) == -1)
			_exit(1);
		if (flags & PROMPT_CONFIRM)
			setenv("SSH_ASKPASS_PROMPT", "confirm", 1);
		signal(SIGPIPE, SIG_DFL);
		execlp(prog, prog, prompt, (char *)NULL);
		fprintf(stderr, "xssh: exec %s: %s\n", prog, strerror(errno));
		_exit(1);
	}
	close(p[1]);
	while (len < sizeof(buf) - 1) {
		n = read(p[0], buf + len, sizeof(buf) - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		explicit_bzero(buf, sizeof(buf));
		return NULL;
	}
	return xstrdup(buf);
}

/* Read a line from the terminal, echo off unless PROMPT_ECHO. */
static char *
tty_read(int fd, const char *prompt, int flags)
{
	struct termios old, quiet;
	char buf[1024];
	size_t len = 0;
	int restore = 0;
	ssize_t n;
	char c;

	if (!(flags & PROMPT_ECHO) && tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(ECHO | ECHONL);
		quiet.c_lflag |= ICANON | ISIG;
		if (tcsetattr(fd, TCSAFLUSH, &quiet) == 0)
			restore = 1;
	}
	(void)!write(fd, "\r", 1);
	(void)!write(fd, prompt, strlen(prompt));
	for (;;) {
		n = read(fd, &c, 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0 || c == '\n' || c == '\r')
			break;
		if (len < sizeof(buf) - 1)
			buf[len++] = c;
	}
	buf[len] = '\0';
	if (restore) {
		tcsetattr(fd, TCSAFLUSH, &old);
		(void)!write(fd, "\n", 1);
	}
	if (n <= 0 && len == 0) {
		explicit_bzero(buf, sizeof(buf));
		return NULL;
	}
	return xstrdup(buf);
}

char *
prompt_read(const char *prompt, int flags)
{
	const char *req = getenv("SSH_ASKPASS_REQUIRE");
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
			answer = tty_read(fd, prompt, flags);
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
