/*
 * A client's message to a master (PROTOCOL.mux), parsed: every byte of
 * it comes from whoever could connect to the ControlPath socket, so it
 * is read through struct wire only, here and nowhere else (fuzzed by
 * tests/fuzz/fuzz-muxrequest.c).
 */
#ifndef XSSH_MUX_REQUEST_H
#define XSSH_MUX_REQUEST_H

#include <stddef.h>
#include <stdint.h>

/* Environment variables one session request may carry. */
#define MUXREQ_MAX_ENV	4096

struct mux_request {
	uint32_t type;
	uint32_t rid;		/* request id; not in a hello */
	uint32_t version;	/* MUX_MSG_HELLO */
	/* MUX_C_NEW_SESSION */
	uint32_t want_tty, subsys;
	char	*term, *cmd;
	char	**env;		/* "NAME=value", as sent */
	int	 n_env;
	/* MUX_C_NEW_STDIO_FWD */
	char	*host;
	uint32_t port;
	int	 nfds;		/* descriptors that follow: 3, 2 or 0 */
};

enum {
	MUXREQ_OK = 0,
	MUXREQ_BROKEN = -1,	/* no type or id: close without a word */
	MUXREQ_BAD = -2,	/* a known request, ill-formed: refuse it */
};

/*
 * Parse one message body (p, n: what followed the length).  hello: the
 * connection's first message, which must be MUX_MSG_HELLO (MUXREQ_OK
 * then only if its version is ours).  Unknown request types are
 * MUXREQ_OK with nothing but type and rid; the server refuses them.
 * r is always to be given to mux_request_free().
 */
int	mux_request_parse(const unsigned char *p, size_t n, int hello,
	    struct mux_request *r);
void	mux_request_free(struct mux_request *);

#endif /* XSSH_MUX_REQUEST_H */
