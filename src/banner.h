/*
 * The lines a server may send before its identification string
 * (RFC 4253 4.2), read with ssh's limits before libssh sees the
 * connection: libssh (0.12 as 0.10) accepts any number of them, so a server that
 * floods short lines held xssh until ConnectTimeout.
 */
#ifndef XSSH_BANNER_H
#define XSSH_BANNER_H

#include <stddef.h>

/* ssh.h: SSH_MAX_PRE_BANNER_LINES, SSH_MAX_BANNER_LEN. */
#define BANNER_MAX_LINES	1024
#define BANNER_MAX_LEN		8192

enum banner_result {
	BANNER_READY,		/* "SSH-" is next, unread; or EOF, unread */
	BANNER_TOO_MANY,	/* BANNER_MAX_LINES lines, no identification */
	BANNER_TOO_LONG,	/* a line over BANNER_MAX_LEN bytes */
	BANNER_INVALID,		/* a NUL, or a CR not before LF */
	BANNER_TIMEOUT,		/* the deadline passed first */
	BANNER_ERROR		/* a read error: errno is set */
};

/*
 * Consume the lines before the server's identification on fd, a
 * socket (recv with MSG_PEEK, so the identification itself is left for
 * libssh; for any other descriptor BANNER_READY at once), until
 * deadline (monotime(); 0: none).  *lines counts the lines skipped.
 */
enum banner_result banner_skip_preamble(int fd, double deadline,
	    unsigned *lines);
/* ssh's words for a result other than BANNER_READY. */
const char *banner_result_text(enum banner_result);

#endif /* XSSH_BANNER_H */
