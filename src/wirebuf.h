/*
 * Bounded wire buffers (wirebuf.c): the SSH encoding of RFC 4251
 * (bytes, uint32 big-endian, length-prefixed strings) as the agent,
 * the mux protocol, KRLs and SOCKS carry it, and base64.
 *
 * Every parser of bytes from outside reads through a struct wire:
 * it never looks past its end, and a failed read leaves it where it
 * was.  Every message built for sending goes into a struct wbuf: it
 * never grows past its limit; a put that would is refused, and the
 * buffer remembers it (overflow), so a caller may check once at the
 * end.  Both are plain values: no allocation to read, and wbuf_free()
 * wipes what was held, since key material passes through them.
 */
#ifndef XSSH_WIREBUF_H
#define XSSH_WIREBUF_H

#include <stddef.h>
#include <stdint.h>

/* The default limit of a wbuf: more than any message xssh handles. */
#define WBUF_MAX	(1024 * 1024)

struct wbuf {
	unsigned char *d;
	size_t	 len;		/* bytes held */
	size_t	 cap;		/* bytes allocated */
	size_t	 max;		/* never more than this; 0: WBUF_MAX */
	int	 overflow;	/* a put was refused */
};

/* A zeroed struct wbuf is an empty buffer with the default limit. */
void	wbuf_init(struct wbuf *, size_t max);
int	wbuf_put(struct wbuf *, const void *, size_t);
int	wbuf_put_u8(struct wbuf *, unsigned);
int	wbuf_put_u32(struct wbuf *, uint32_t);
int	wbuf_put_string(struct wbuf *, const void *, size_t);
int	wbuf_put_cstring(struct wbuf *, const char *);	/* NULL: "" */
/* An unsigned big-endian number as an mpint (RFC 4251, section 5). */
int	wbuf_put_mpint(struct wbuf *, const unsigned char *, size_t);
void	wbuf_reset(struct wbuf *);	/* empty, overflow cleared, wiped */
void	wbuf_free(struct wbuf *);	/* wiped and freed; reusable */

/* A reader over bytes that someone else owns. */
struct wire {
	const unsigned char *p;
	size_t	 len;		/* bytes left */
};

void	wire_init(struct wire *, const void *, size_t);
int	wire_u8(struct wire *, uint8_t *);
int	wire_u32(struct wire *, uint32_t *);
int	wire_u64(struct wire *, uint64_t *);
int	wire_bytes(struct wire *, size_t, const unsigned char **);
/* A string, in place: *p points into the wire, *n its length. */
int	wire_string(struct wire *, const unsigned char **p, size_t *n);
/* A string with no NUL in it, as a new C string. */
int	wire_cstring(struct wire *, char **);
int	wire_skip_string(struct wire *);

/* The big-endian uint32 at p (at least 4 bytes). */
uint32_t get_u32(const void *p);
void	put_u32(void *p, uint32_t);

/*
 * Base64 (RFC 4648).  b64_encode: with '=' padding when pad is set.
 * b64_decode: as OpenBSD's __b64_pton(), whitespace skipped and
 * padding required where the data does not end on a 4-character
 * boundary; NULL on bad input, else a new buffer of *outlen bytes.
 */
char	*b64_encode(const unsigned char *, size_t, int pad);
unsigned char *b64_decode(const char *, size_t len, size_t *outlen);

#endif /* XSSH_WIREBUF_H */
