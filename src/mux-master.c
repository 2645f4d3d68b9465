/*
 * Becoming a connection sharing master: the ControlPath socket, and
 * the master process.  The master is a child forked before the chain
 * is connected (the jumps' relay threads must be its own); once it is
 * up it tells the parent, leaves the terminal, and serves the socket's
 * clients (mux-server.c), while the parent runs its own session as a
 * client of it (mux-client.c master_run()).
 */
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "background.h"
#include "chain.h"
#include "mux.h"

/* 64 unpredictable bits, for a temporary name nobody can guess. */
static unsigned long long
random64(void)
{
	unsigned long long v = 0;
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(v)) {
		n = getrandom((char *)&v + got, sizeof(v) - got, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			fatal("getrandom: %s", strerror(errno));
		got += n;
	}
	return v;
}

/*
 * As ssh: listen at a temporary name, then link it to the ControlPath
 * so that two masters cannot both take it.  1: someone has it already
 * (ssh's message given), 0: listening, -1: error in e.  The listener
 * is non-blocking: a client that connects and goes before it is
 * accepted must not stop the master.
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
	snprintf(tmp, sizeof(tmp), "%s.%016llx", path, random64());
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, tmp, strlen(tmp));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
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

/* All n bytes from our own child, or -1 (it is gone). */
static int
read_child(int fd, void *buf, size_t n)
{
	char *p = buf;
	ssize_t r;

	while (n > 0) {
		r = read(fd, p, n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= r;
	}
	return 0;
}

/* The master process: connect, say so, leave the terminal, serve. */
static __dead void
master_child(struct chain *c, int lfd, const char *path, int up_fd)
{
	struct xerr child_err = { 0 };
	int devnull;

	background_forget();	/* -f's pipe is not the master's */
	if (chain_connect(c, &child_err) != 0) {
		unlink(path);
		if (write(up_fd, "E", 1) == 1 &&
		    write(up_fd, &child_err, sizeof(child_err)) == -1)
			debug("mux master: the parent is gone");
		chain_close(c);
		_exit(255);
	}
	if (write(up_fd, "K", 1) != 1) {
		unlink(path);		/* the parent is gone */
		chain_close(c);
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
	mux_serve(c, lfd, path, up_fd);
	chain_close(c);
	_exit(0);
}

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
	int lfd, sp[2], r, status, saved;
	pid_t pid;
	char k = 0;
	ssize_t n;

	if ((r = mux_listen(path, &lfd, e)) != 0)
		return r == 1 ? MUX_FALLBACK : -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		saved = errno;
		close(lfd);
		unlink(path);
		return xerr_set(e, XE_IO, "socketpair: %s", strerror(saved));
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		saved = errno;
		close(lfd);
		close(sp[0]);
		close(sp[1]);
		unlink(path);
		return xerr_set(e, XE_IO, "fork: %s", strerror(saved));
	}
	if (pid == 0) {
		close(sp[0]);
		master_child(c, lfd, path, sp[1]);
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
	if (n == 1 && k == 'E' && read_child(sp[0], e, sizeof(*e)) == 0)
		e->msg[sizeof(e->msg) - 1] = '\0';
	else
		xerr_set(e, XE_IO, "the connection sharing master exited");
	close(sp[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return -1;
}
