/*
 * libFuzzer target for the master's reading of its clients' messages
 * (src/mux-request.c): the first input byte says whether the message is
 * the connection's first (a hello), the rest is the message body as
 * read after its length.
 *
 * Beyond the sanitizers: a hello is accepted only at version 4; an
 * accepted session request has C-string term and command, at most
 * MUXREQ_MAX_ENV environment strings and asks for 3 descriptors; an
 * accepted stdio forward has a host and a port of at most 65535 and
 * asks for 2; parsing the same bytes twice gives the same answer.
 *
 * Covers: src/mux-request.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mux.h"
#include "mux-request.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t len)
{
	struct mux_request r, again;
	int hello, rc, i;

	if (len < 1)
		return 0;
	hello = d[0] & 1;
	rc = mux_request_parse(d + 1, len - 1, hello, &r);
	if (rc != MUXREQ_OK && rc != MUXREQ_BROKEN && rc != MUXREQ_BAD)
		abort();
	if (hello && rc == MUXREQ_OK &&
	    (r.type != MUX_MSG_HELLO || r.version != MUX_VERSION))
		abort();
	if (!hello && rc == MUXREQ_OK && r.type == MUX_C_NEW_SESSION) {
		if (r.term == NULL || r.cmd == NULL || r.nfds != 3 ||
		    r.n_env < 0 || r.n_env > MUXREQ_MAX_ENV)
			abort();
		(void)strlen(r.term);
		for (i = 0; i < r.n_env; i++)
			(void)strlen(r.env[i]);
	}
	if (!hello && rc == MUXREQ_OK && r.type == MUX_C_NEW_STDIO_FWD &&
	    (r.host == NULL || r.port > 65535 || r.nfds != 2))
		abort();
	if (mux_request_parse(d + 1, len - 1, hello, &again) != rc ||
	    again.type != r.type || again.n_env != r.n_env)
		abort();
	mux_request_free(&again);
	mux_request_free(&r);
	return 0;
}
