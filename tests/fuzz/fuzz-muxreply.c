/*
 * libFuzzer target for the client's reading of a master's messages
 * (src/mux-reply.c): the input is one message body, as read after its
 * length.
 *
 * Beyond the sanitizers: the reason is a C string within its buffer
 * with no control character, and parsing the same bytes twice gives
 * the same answer.
 *
 * Covers: src/mux-reply.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mux.h"
#include "mux-reply.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t len)
{
	struct mux_reply r, again;
	size_t n;
	int rc;

	rc = mux_reply_parse(d, len, &r);
	if (rc != 0 && rc != -1)
		abort();
	n = strnlen(r.reason, sizeof(r.reason));
	if (n == sizeof(r.reason))
		abort();
	while (n-- > 0)
		if ((unsigned char)r.reason[n] < 0x20 || r.reason[n] == 0x7f)
			abort();
	if (mux_reply_parse(d, len, &again) != rc ||
	    memcmp(&r, &again, sizeof(r)) != 0)
		abort();
	return 0;
}
