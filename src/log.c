/*
 * Logging, by OpenSSH's levels: -q lowers to QUIET, each -v raises one
 * step from INFO.  Messages go to stderr, or appended to the -E file.
 * Each line is one write(2), with no stdio buffer in between: nothing
 * waits for a flush that an _exit() (fatal(), the -f parent, a signal)
 * would skip, and a child's message goes where ours go.  libssh's own
 * log callback is per thread, so every thread that runs libssh calls
 * log_libssh_thread_setup().
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libssh/callbacks.h>

#include "tty.h"
#include "xssh.h"

static volatile sig_atomic_t log_level = LOG_INFO;
static int log_fd = -1;		/* the -E file */
static volatile sig_atomic_t log_raw;	/* raw terminal: lines end CR LF */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *log_prefix[] = {
	[LOG_QUIET] = "", [LOG_FATAL] = "", [LOG_ERROR] = "",
	[LOG_INFO] = "", [LOG_VERBOSE] = "",
	[LOG_DEBUG1] = "debug1: ", [LOG_DEBUG2] = "debug2: ",
	[LOG_DEBUG3] = "debug3: ",
};

/*
 * As ssh's log_redirect_stderr_to(): the -E file is opened as ssh
 * opens it, or xssh says why and returns -1 (ssh exits 1).  It is
 * close-on-exec: the programs xssh runs do not get it.
 */
int
log_init(int level, const char *logfile)
{
	log_level = level;
	if (logfile != NULL && (log_fd = open(logfile, O_WRONLY | O_CREAT |
	    O_APPEND | O_CLOEXEC, 0600)) == -1) {
		fprintf(stderr, "Couldn't open logfile %s: %s\n", logfile,
		    strerror(errno));
		return -1;
	}
	log_libssh_thread_setup();
	return 0;
}

int
log_get_level(void)
{
	return log_level;
}

void
log_set_level(int level)
{
	log_level = level;
	log_libssh_thread_setup();
}

void
log_set_raw(int raw)
{
	log_raw = raw;
}

void
log_close(void)
{
	if (log_fd != -1)
		close(log_fd);
	log_fd = -1;
}

/*
 * Where a message of this level goes (the -E file or stderr), or -1
 * when it is not to be shown: for a child's message, and fatal().
 */
int
log_fd_for(int level)
{
	if (level > log_level)
		return -1;
	return log_fd != -1 ? log_fd : STDERR_FILENO;
}

/* How a line ends there: CR LF on a terminal in raw mode. */
const char *
log_eol(void)
{
	return log_raw && log_fd == -1 ? "\r\n" : "\n";
}

/* All of buf, through EINTR and a non-blocking stderr (no drop). */
static void
write_all(int fd, const char *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = write(fd, buf + off, len - off);
		if (n > 0)
			off += n;
		else if (n == -1 && errno == EAGAIN)
			(void)poll(&p, 1, 1000);
		else if (n == -1 && errno != EINTR)
			return;
	}
}

/* One line: prefix, message, end of line; cut to fit. */
static size_t
format_line(char *buf, size_t size, int level, const char *fmt, va_list ap)
{
	const char *eol = log_eol();
	size_t len, elen = strlen(eol);
	int n;

	n = snprintf(buf, size, "%s", log_prefix[level]);
	len = n < 0 ? 0 : (size_t)n;
	n = vsnprintf(buf + len, size - len - elen, fmt, ap);
	if (n > 0)
		len += (size_t)n < size - len - elen ? (size_t)n :
		    size - len - elen - 1;
	memcpy(buf + len, eol, elen);
	return len + elen;
}

void
log_msg(int level, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	size_t len;
	int fd;

	if ((fd = log_fd_for(level)) == -1)
		return;
	va_start(ap, fmt);
	len = format_line(buf, sizeof(buf), level, fmt, ap);
	va_end(ap);
	/* The lock keeps lines whole and in order across threads. */
	pthread_mutex_lock(&log_lock);
	write_all(fd, buf, len);
	pthread_mutex_unlock(&log_lock);
}

/*
 * Only for the impossible (out of memory, a broken invariant), from
 * any thread: put the terminal back, say it as an error is said (the
 * -E file, nothing with -q), exit 255.  No lock: the failing thread
 * may be the one holding the log's, and a line is one write anyway.
 */
void
fatal(const char *fmt, ...)
{
	char buf[1024], msg[1000];
	va_list ap;
	int fd;

	tty_restore();
	if ((fd = log_fd_for(LOG_FATAL)) != -1) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		snprintf(buf, sizeof(buf), "xssh: %s%s", msg, log_eol());
		write_all(fd, buf, strlen(buf));
	}
	_exit(255);
}

/*
 * What libssh says about what xssh does on purpose, moved down to
 * debug3: hostkey.c points libssh's known_hosts at /dev/null (xssh reads
 * known_hosts itself), which libssh reports at its WARN level on every
 * key exchange.
 */
static const char *const libssh_expected[] = {
	"The file /dev/null is not a regular file",
	NULL,
};

static void
log_from_libssh(int priority, const char *function, const char *buffer,
    void *userdata)
{
	const char *const *p;
	int level;

	/* libssh's WARN is noisy about things ssh says at debug1. */
	switch (priority) {
	case SSH_LOG_WARN:
		level = LOG_DEBUG1;
		break;
	case SSH_LOG_INFO:
		level = LOG_DEBUG2;
		break;
	default:
		level = LOG_DEBUG3;
		break;
	}
	for (p = libssh_expected; *p != NULL; p++)
		if (strstr(buffer, *p) != NULL)
			level = LOG_DEBUG3;
	log_msg(level, "libssh: %s", buffer);
}

/* Map our level to libssh's, for the calling thread. */
void
log_libssh_thread_setup(void)
{
	int lvl = SSH_LOG_NOLOG;

	if (log_level >= LOG_DEBUG3)
		lvl = SSH_LOG_TRACE;
	else if (log_level >= LOG_DEBUG2)
		lvl = SSH_LOG_INFO;
	else if (log_level >= LOG_DEBUG1)
		lvl = SSH_LOG_WARN;
	ssh_set_log_callback(log_from_libssh);
	ssh_set_log_level(lvl);
}
