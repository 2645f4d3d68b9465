/*
 * Pre-identification lines, read as ssh's kex_exchange_identification()
 * reads them: at most BANNER_MAX_LINES lines of at most BANNER_MAX_LEN
 * bytes, no NUL, CR only before LF.  The socket is peeked at the start
 * of each line, so the line that starts with "SSH-" stays in the socket
 * for libssh, which then reads the identification and the key exchange
 * as it always does.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "banner.h"
#include "xssh.h"

/* Wait until fd is readable: 1, 0 on timeout, -1 on error. */
static int
wait_readable(int fd, double deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	double left;
	int r;

	for (;;) {
		left = deadline > 0 ? deadline - monotime() : -1;
		if (deadline > 0 && left <= 0)
			return 0;
		r = poll(&pfd, 1, left < 0 ? -1 : (int)(left * 1000) + 1);
		if (r >= 0 || errno != EINTR)
			return r;
	}
}

/*
 * The bytes at the start of a line: 1 when they are "SSH-" (or the
 * peer closed: libssh reports that itself), 0 when they are not, -1 on
 * error; a partial "SSH-" waits for more.
 */
static int
line_is_ident(int fd, double deadline, enum banner_result *res)
{
	char buf[4];
	ssize_t n;
	int r;

	for (;;) {
		if ((r = wait_readable(fd, deadline)) <= 0) {
			*res = r == 0 ? BANNER_TIMEOUT : BANNER_ERROR;
			return -1;
		}
		n = recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n == -1 && errno == ENOTSOCK)
			return 1;
		if (n == -1) {
			*res = BANNER_ERROR;
			return -1;
		}
		if (n == 0 || (n == 4 && memcmp(buf, "SSH-", 4) == 0))
			return 1;
		if (memcmp(buf, "SSH-", (size_t)n) != 0)
			return 0;
		/* "SS" so far: the socket stays readable, so do not spin. */
		nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
	}
}

/* Consume one line that is not the identification. */
static enum banner_result
skip_line(int fd, double deadline)
{
	char buf[512];
	size_t len = 0, i, take;
	ssize_t n;
	int cr = 0, r;

	for (;;) {
		if ((r = wait_readable(fd, deadline)) <= 0)
			return r == 0 ? BANNER_TIMEOUT : BANNER_ERROR;
		n = recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n == -1)
			return BANNER_ERROR;
		if (n == 0)
			return BANNER_READY;	/* EOF: libssh says so */
		/* Take up to and including the LF, and nothing after it. */
		for (i = 0; i < (size_t)n && buf[i] != '\n'; i++) {
			if (buf[i] == '\0' || cr)
				return BANNER_INVALID;
			cr = buf[i] == '\r';
		}
		take = i < (size_t)n ? i + 1 : (size_t)n;
		if ((n = recv(fd, buf, take, MSG_DONTWAIT)) != (ssize_t)take)
			return BANNER_ERROR;
		len += i;
		if (len - cr > BANNER_MAX_LEN)
			return BANNER_TOO_LONG;
		if (take == i + 1)
			return BANNER_READY;
	}
}

enum banner_result
banner_skip_preamble(int fd, double deadline, unsigned *lines)
{
	enum banner_result res = BANNER_ERROR;
	int r;

	/* As ssh: the identification is at most the 1024th line. */
	for (*lines = 0;; (*lines)++) {
		if (*lines >= BANNER_MAX_LINES)
			return BANNER_TOO_MANY;
		if ((r = line_is_ident(fd, deadline, &res)) != 0)
			return r == 1 ? BANNER_READY : res;
		if ((res = skip_line(fd, deadline)) != BANNER_READY)
			return res;
	}
}

const char *
banner_result_text(enum banner_result r)
{
	switch (r) {
	case BANNER_TOO_MANY:
		return "No SSH version received in first 1024 lines from "
		    "server";
	case BANNER_TOO_LONG:
		return "banner line too long";
	case BANNER_INVALID:
		return "banner line contains invalid characters";
	case BANNER_TIMEOUT:
		return "Connection timed out during banner exchange";
	case BANNER_READY:
	case BANNER_ERROR:
		break;
	}
	return strerror(errno);
}
