/*
 * libFuzzer target for SOCKS 4, 4a and 5 requests (src/socks.c), fed
 * as fwd.c feeds them: into a 600-byte buffer in pieces, as a stream
 * arrives, with what socks_parse() took dropped each time.  The first
 * input byte picks the piece sizes, the rest is the stream.
 *
 * Beyond the sanitizers: never more taken than given, replies within
 * SOCKS_REPLY_MAX, a complete request's host a C string of at most
 * 255 bytes and its port 0..65535, and the same outcome (result,
 * replies, host, port, bytes left) in pieces as in one piece.
 *
 * Covers: src/socks.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fwd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct outcome {
	int	 rc;
	unsigned char replies[256];
	size_t	 nreplies;
	size_t	 left;
	struct socksreq r;
};

static void
feed(const uint8_t *d, size_t len, unsigned seed, struct outcome *o)
{
	unsigned char buf[600], reply[SOCKS_REPLY_MAX + 8];
	size_t have = 0, off = 0, n, used, rlen;

	memset(o, 0, sizeof(*o));
	for (;;) {
		/* The next piece: 1 to 64 bytes, or all, by the seed. */
		n = seed == 0 ? len - off : 1 + (seed + off * 7) % 64;
		if (n > len - off)
			n = len - off;
		if (n > sizeof(buf) - have)
			n = sizeof(buf) - have;
		memcpy(buf + have, d + off, n);
		have += n;
		off += n;
		for (;;) {
			o->rc = socks_parse(&o->r, buf, have, &used, reply,
			    &rlen);
			if (used > have || rlen > SOCKS_REPLY_MAX)
				abort();
			if (o->nreplies + rlen <= sizeof(o->replies)) {
				memcpy(o->replies + o->nreplies, reply, rlen);
				o->nreplies += rlen;
			}
			memmove(buf, buf + used, have - used);
			have -= used;
			if (o->rc != 0 || used == 0)
				break;
		}
		if (o->rc != 0 || n == 0)
			break;
	}
	o->left = have + (len - off);
	if (o->rc == 1 && (memchr(o->r.host, '\0', 256) == NULL ||
	    strlen(o->r.host) > 255 || o->r.port < 0 || o->r.port > 65535))
		abort();
	if (o->rc == -1 && o->r.why == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome whole, pieces;

	if (size < 1)
		return 0;
	feed(data + 1, size - 1, 0, &whole);
	feed(data + 1, size - 1, data[0] | 1, &pieces);
	if (whole.rc != pieces.rc || whole.nreplies != pieces.nreplies ||
	    memcmp(whole.replies, pieces.replies, whole.nreplies) != 0)
		abort();
	if (whole.rc == 1 && (strcmp(whole.r.host, pieces.r.host) != 0 ||
	    whole.r.port != pieces.r.port || whole.left != pieces.left))
		abort();
	return 0;
}
