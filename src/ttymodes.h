/*
 * The terminal modes of a pty request (RFC 4254 section 8), encoded as
 * ssh 9.2 encodes them (ttymodes.c, ttymodes.h), so that the remote
 * pty starts with the local terminal's erase, kill and interrupt
 * characters and flags.
 */
#ifndef XSSH_TTYMODES_H
#define XSSH_TTYMODES_H

#include <stddef.h>
#include <termios.h>

/* Room enough for every mode: 5 bytes each, and the end mark. */
#define TTYMODES_MAX	512

/*
 * The encoded modes of tio into buf (at least TTYMODES_MAX bytes); NULL
 * tio gives only the end mark, as ssh sends when stdin is no terminal.
 * Returns the length.
 */
size_t	ttymodes_encode(const struct termios *tio, unsigned char *buf);
/* The modes of the terminal on fd, or only the end mark if it is none. */
size_t	ttymodes_of_fd(int fd, unsigned char *buf);

#endif /* XSSH_TTYMODES_H */
