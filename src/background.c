/*
 * -f and ForkAfterAuthentication: go to the background once every hop
 * is up and authenticated.  fork() keeps only the calling thread, and
 * the relays of a chain are threads, so xssh forks BEFORE it connects:
 * the child does all the work, and the parent, the process the shell
 * waits for, stays in the foreground until the child says the chain is
 * up, then exits 0.  If the child fails first, the parent exits with
 * the child's status (the child has printed the error).
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "background.h"
#include "xssh.h"

static int ready_fd = -1;

/* In the parent this never returns; 0 in the child, -1 on error. */
int
background_prepare(struct xerr *e)
{
	int p[2], status, saved;
	pid_t pid;
	char c;
	ssize_t n;

	/* Close-on-exec from the start: no command we run holds it. */
	if (pipe2(p, O_CLOEXEC) == -1)
		return xerr_set(e, XE_IO, "pipe: %s", strerror(errno));
	if ((pid = fork()) == -1) {
		saved = errno;
		close(p[0]);
		close(p[1]);
		return xerr_set(e, XE_IO, "fork: %s", strerror(saved));
	}
	if (pid == 0) {
		close(p[0]);
		ready_fd = p[1];
		return 0;
	}
	close(p[1]);
	while ((n = read(p[0], &c, 1)) == -1 && errno == EINTR)
		;
	if (n == 1)
		_exit(0);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			_exit(255);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 255);
}

/* The child, with the chain up: leave the terminal's session. */
void
background_detach(void)
{
	int fd;

	if (ready_fd == -1)
		return;
	debug("forking to background");
	if (setsid() == -1)
		debug("setsid: %s", strerror(errno));
	/* stdin is /dev/null already (-f implies -n). */
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		if (fd > 2)
			close(fd);
	}
	(void)write(ready_fd, "1", 1);
	close(ready_fd);
	ready_fd = -1;
}

/* In a child that is not the one -f waits for: let go of the pipe. */
void
background_forget(void)
{
	if (ready_fd != -1)
		close(ready_fd);
	ready_fd = -1;
}
