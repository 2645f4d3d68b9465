/*
 * A master's message to its client (PROTOCOL.mux), parsed.  The master
 * may be anyone's process behind a ControlPath the user was given, so
 * every field is read through struct wire here and nowhere else
 * (fuzzed by tests/fuzz/fuzz-muxreply.c).
 */
#ifndef XSSH_MUX_REPLY_H
#define XSSH_MUX_REPLY_H

#include <stddef.h>
#include <stdint.h>

struct mux_reply {
	uint32_t type;
	/*
	 * The request id it answers; for MUX_S_EXIT_MESSAGE and
	 * MUX_S_TTY_ALLOC_FAIL the session id.
	 */
	uint32_t id;
	/*
	 * MUX_MSG_HELLO: the version; MUX_S_ALIVE: the master's pid;
	 * MUX_S_SESSION_OPENED: the session id; MUX_S_REMOTE_PORT: the
	 * port; MUX_S_EXIT_MESSAGE: the exit status.
	 */
	uint32_t value;
	int	 n_ext;		/* MUX_MSG_HELLO: extensions, ignored */
	/*
	 * MUX_S_PERMISSION_DENIED, MUX_S_FAILURE: the master's words,
	 * control characters made '?' (they are shown to the user).
	 */
	char	 reason[512];
};

/*
 * Parse one message body: 0, or -1 when a field its type must have is
 * missing or ill-formed (a reason that does not parse is not: it reads
 * "(unparseable reason)", as the reason is only shown).  An unknown
 * type parses with its id only; the caller calls it unexpected.
 */
int	mux_reply_parse(const unsigned char *p, size_t n, struct mux_reply *);

#endif /* XSSH_MUX_REPLY_H */
