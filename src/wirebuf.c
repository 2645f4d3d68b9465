/*
 * Bounded wire buffers and base64 (see wirebuf.h).  The one place
 * where bytes from outside are turned into lengths and strings.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "wirebuf.h"
#include "xssh.h"

/* ------------------------------------------------------------ building */

void
wbuf_init(struct wbuf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

static size_t
wbuf_limit(const struct wbuf *b)
{
	return b->max != 0 ? b->max : WBUF_MAX;
}

int
wbuf_put(struct wbuf *b, const void *p, size_t n)
{
	size_t cap, limit = wbuf_limit(b);
	unsigned char *d;

	if (b->overflow || n > limit - b->len) {
		b->overflow = 1;
		return -1;
	}
	if (b->len + n > b->cap) {
		cap = b->cap * 2 > b->len + n + 64 ? b->cap * 2 :
		    b->len + n + 64;
		if (cap > limit)
			cap = limit;
		/* Not realloc: the old copy may hold secrets. */
		d = xmalloc(cap);
		if (b->len > 0)
			memcpy(d, b->d, b->len);
		if (b->d != NULL) {
			explicit_bzero(b->d, b->cap);
			free(b->d);
		}
		b->d = d;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->d + b->len, p, n);
	b->len += n;
	return 0;
}

int
wbuf_put_u8(struct wbuf *b, unsigned v)
{
	unsigned char c = v;

	return wbuf_put(b, &c, 1);
}

int
wbuf_put_u32(struct wbuf *b, uint32_t v)
{
	unsigned char c[4];

	put_u32(c, v);
	return wbuf_put(b, c, 4);
}

int
wbuf_put_string(struct wbuf *b, const void *p, size_t n)
{
	if (n > UINT32_MAX || n > wbuf_limit(b)) {
		b->overflow = 1;
		return -1;
	}
	if (wbuf_put_u32(b, (uint32_t)n) != 0)
		return -1;
	return wbuf_put(b, p, n);
}

int
wbuf_put_cstring(struct wbuf *b, const char *s)
{
	return wbuf_put_string(b, s, s != NULL ? strlen(s) : 0);
}

int
wbuf_put_mpint(struct wbuf *b, const unsigned char *p, size_t n)
{
	/* No leading zeros, but one when the high bit is set. */
	while (n > 0 && *p == 0) {
		p++;
		n--;
	}
	if (n > 0 && (p[0] & 0x80) != 0) {
		if (n > UINT32_MAX - 1 || wbuf_put_u32(b, n + 1) != 0 ||
		    wbuf_put_u8(b, 0) != 0)
			return -1;
		return wbuf_put(b, p, n);
	}
	return wbuf_put_string(b, p, n);
}

void
wbuf_reset(struct wbuf *b)
{
	if (b->d != NULL)
		explicit_bzero(b->d, b->cap);
	b->len = 0;
	b->overflow = 0;
}

void
wbuf_free(struct wbuf *b)
{
	size_t max = b->max;

	if (b->d != NULL) {
		explicit_bzero(b->d, b->cap);
		free(b->d);
	}
	memset(b, 0, sizeof(*b));
	b->max = max;
}

/* ------------------------------------------------------------ reading */

uint32_t
get_u32(const void *vp)
{
	const unsigned char *p = vp;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

void
put_u32(void *vp, uint32_t v)
{
	unsigned char *p = vp;

	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

void
wire_init(struct wire *w, const void *p, size_t n)
{
	w->p = p;
	w->len = p != NULL ? n : 0;
}

int
wire_u8(struct wire *w, uint8_t *v)
{
	if (w->len < 1)
		return -1;
	*v = w->p[0];
	w->p++;
	w->len--;
	return 0;
}

int
wire_u32(struct wire *w, uint32_t *v)
{
	if (w->len < 4)
		return -1;
	*v = get_u32(w->p);
	w->p += 4;
	w->len -= 4;
	return 0;
}

int
wire_u64(struct wire *w, uint64_t *v)
{
	if (w->len < 8)
		return -1;
	*v = (uint64_t)get_u32(w->p) << 32 | get_u32(w->p + 4);
	w->p += 8;
	w->len -= 8;
	return 0;
}

int
wire_bytes(struct wire *w, size_t n, const unsigned char **p)
{
	if (n > w->len)
		return -1;
	*p = w->p;
	w->p += n;
	w->len -= n;
	return 0;
}

int
wire_string(struct wire *w, const unsigned char **p, size_t *n)
{
	uint32_t len;

	if (w->len < 4 || (len = get_u32(w->p)) > w->len - 4)
		return -1;
	*p = w->p + 4;
	*n = len;
	w->p += 4 + (size_t)len;
	w->len -= 4 + (size_t)len;
	return 0;
}

int
wire_cstring(struct wire *w, char **out)
{
	struct wire save = *w;
	const unsigned char *p;
	size_t n;

	if (wire_string(w, &p, &n) != 0)
		return -1;
	if (memchr(p, '\0', n) != NULL) {
		*w = save;
		return -1;
	}
	*out = xmalloc(n + 1);
	memcpy(*out, p, n);
	(*out)[n] = '\0';
	return 0;
}

int
wire_skip_string(struct wire *w)
{
	const unsigned char *p;
	size_t n;

	return wire_string(w, &p, &n);
}

/* ------------------------------------------------------------ base64 */

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
b64_encode(const unsigned char *in, size_t len, int pad)
{
	char *out, *p;
	uint32_t v;
	size_t i;

	if (len > (SIZE_MAX - 5) / 4 * 3)
		fatal("b64_encode: %zu bytes", len);
	out = p = xmalloc(len / 3 * 4 + 5);
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		*p++ = b64chars[v >> 18 & 63];
		*p++ = b64chars[v >> 12 & 63];
		*p++ = b64chars[v >> 6 & 63];
		*p++ = b64chars[v & 63];
	}
	if (i < len) {
		v = (uint32_t)in[i] << 16 |
		    (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0);
		*p++ = b64chars[v >> 18 & 63];
		*p++ = b64chars[v >> 12 & 63];
		if (i + 1 < len)
			*p++ = b64chars[v >> 6 & 63];
		else if (pad)
			*p++ = '=';
		if (pad)
			*p++ = '=';
	}
	*p = '\0';
	return out;
}

static int
b64_value(int c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64chars, c)) == NULL)
		return -1;
	return (int)(p - b64chars);
}

unsigned char *
b64_decode(const char *s, size_t slen, size_t *outlen)
{
	unsigned char *out;
	size_t i, len = 0;
	uint32_t v = 0;
	int n = 0, pad = 0, c;

	*outlen = 0;
	out = xmalloc(slen / 4 * 3 + 3);
	for (i = 0; i < slen; i++) {
		if (isspace((unsigned char)s[i]))
			continue;
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad || (c = b64_value((unsigned char)s[i])) == -1)
			goto bad;
		v = v << 6 | (uint32_t)c;
		if (++n == 4) {
			out[len++] = v >> 16;
			out[len++] = v >> 8;
			out[len++] = v;
			n = 0;
			v = 0;
		}
	}
	if (n == 1 || (n != 0 && n + pad != 4) || (n == 0 && pad != 0))
		goto bad;
	if (n == 2)
		out[len++] = v >> 4;
	else if (n == 3) {
		out[len++] = v >> 10;
		out[len++] = v >> 2;
	}
	*outlen = len;
	return out;
 bad:
	explicit_bzero(out, slen / 4 * 3 + 3);
	free(out);
	return NULL;
}
