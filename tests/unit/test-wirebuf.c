/*
 * The bounded wire buffers (wirebuf.c): reads never pass the end and
 * leave the reader where it was on failure, builds never pass their
 * limit, base64 round-trips and refuses what __b64_pton() refuses.
 */
#include <stdlib.h>
#include <string.h>

#include "wirebuf.h"
#include "xssh.h"
#include "unit.h"

static void
test_build(void)
{
	static const char kib[1024];
	struct wbuf b;
	int i, r = 0;

	wbuf_init(&b, 16);
	CHECK_INT("put within limit", wbuf_put_string(&b, "0123456789", 10),
	    0);
	CHECK_INT("put past limit refused", wbuf_put_u32(&b, 7), -1);
	CHECK_INT("refused put leaves length", (int)b.len, 14);
	CHECK("overflow remembered", b.overflow);
	CHECK_INT("later small put refused too", wbuf_put_u8(&b, 1), -1);
	wbuf_reset(&b);
	CHECK("reset clears overflow", !b.overflow && b.len == 0);
	CHECK_INT("cstring NULL is empty", wbuf_put_cstring(&b, NULL), 0);
	CHECK("empty string is a zero length",
	    b.len == 4 && get_u32(b.d) == 0);
	wbuf_free(&b);
	CHECK("free keeps the limit", b.max == 16 && b.d == NULL);

	/* The default limit: a megabyte, no more. */
	wbuf_init(&b, 0);
	for (i = 0; i < 1100 && r == 0; i++)
		r = wbuf_put(&b, kib, sizeof(kib));
	CHECK("default limit stops near 1 MiB",
	    r == -1 && b.len == WBUF_MAX);
	wbuf_free(&b);
}

static void
test_read(void)
{
	static const unsigned char msg[] = {
		0x0d, 0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 2, 'x', 0,
		0xff, 0xff, 0xff, 0xf0,
	};
	struct wire w, save;
	const unsigned char *p;
	char *s = NULL;
	uint8_t c;
	uint32_t v;
	size_t n;

	wire_init(&w, msg, sizeof(msg));
	CHECK("u8", wire_u8(&w, &c) == 0 && c == 0x0d);
	CHECK("cstring", wire_cstring(&w, &s) == 0 && strcmp(s, "abc") == 0);
	free(s);
	save = w;
	CHECK_INT("cstring with NUL refused", wire_cstring(&w, &s), -1);
	CHECK("refused cstring does not move", w.p == save.p &&
	    w.len == save.len);
	CHECK("same string in place", wire_string(&w, &p, &n) == 0 &&
	    n == 2 && p[0] == 'x');
	save = w;
	CHECK_INT("huge length refused", wire_string(&w, &p, &n), -1);
	CHECK("refused string does not move", w.p == save.p);
	CHECK("u32 still there", wire_u32(&w, &v) == 0 && v == 0xfffffff0);
	CHECK_INT("u32 past end", wire_u32(&w, &v), -1);
	CHECK_INT("u8 past end", wire_u8(&w, &c), -1);
	CHECK_INT("bytes past end", wire_bytes(&w, 1, &p), -1);
	wire_init(&w, NULL, 99);
	CHECK_INT("NULL wire is empty", (int)w.len, 0);
}

static void
test_mpint(void)
{
	unsigned char big[2048];
	struct wbuf b = { 0 };

	wbuf_put_mpint(&b, (const unsigned char *)"\0\0", 2);
	CHECK("mpint zero", b.len == 4 && get_u32(b.d) == 0);
	wbuf_reset(&b);
	wbuf_put_mpint(&b, (const unsigned char *)"\0\x7f\x01", 3);
	CHECK("mpint leading zero dropped", b.len == 6 &&
	    get_u32(b.d) == 2 && b.d[4] == 0x7f);
	wbuf_reset(&b);
	wbuf_put_mpint(&b, (const unsigned char *)"\x80", 1);
	CHECK("mpint high bit gets a zero", b.len == 6 &&
	    get_u32(b.d) == 2 && b.d[4] == 0 && b.d[5] == 0x80);
	wbuf_reset(&b);
	/* A 16384-bit number: 2049 bytes with its zero. */
	memset(big, 0xff, sizeof(big));
	wbuf_put_mpint(&b, big, sizeof(big));
	CHECK("mpint 16384 bits", b.len == 4 + 2049 &&
	    get_u32(b.d) == 2049 && b.d[4] == 0 && b.d[5] == 0xff);
	wbuf_free(&b);
	wbuf_init(&b, 8);
	CHECK_INT("mpint past the limit", wbuf_put_mpint(&b, big, 8), -1);
	CHECK("mpint past the limit remembered", b.overflow);
	wbuf_free(&b);
}

static void
test_u64(void)
{
	static const unsigned char b[] = {
		0x80, 1, 2, 3, 4, 5, 6, 0xff, 9,
	};
	struct wire w;
	uint64_t v = 0;

	wire_init(&w, b, sizeof(b));
	CHECK("u64", wire_u64(&w, &v) == 0 &&
	    v == 0x80010203040506ffULL && w.len == 1);
	CHECK_INT("u64 past end", wire_u64(&w, &v), -1);
	CHECK("refused u64 does not move", w.len == 1 && w.p == b + 8);
}

static void
test_base64(void)
{
	static const struct {
		const char *in, *pad, *nopad;
	} v[] = {
		{ "", "", "" }, { "f", "Zg==", "Zg" }, { "fo", "Zm8=", "Zm8" },
		{ "foo", "Zm9v", "Zm9v" }, { "foob", "Zm9vYg==", "Zm9vYg" },
		{ "fooba", "Zm9vYmE=", "Zm9vYmE" },
		{ "foobar", "Zm9vYmFy", "Zm9vYmFy" },
	};
	static const char *bad[] = {
		"Z", "Zg", "Zg=", "Zg==Zg==", "Zm9v!", "Zm8==", "=", "Zm9vY",
	};
	unsigned char *d;
	char *s, name[64];
	size_t i, n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		s = b64_encode((const unsigned char *)v[i].in,
		    strlen(v[i].in), 1);
		snprintf(name, sizeof(name), "b64 encode \"%s\"", v[i].in);
		CHECK_STR(name, s, v[i].pad);
		free(s);
		s = b64_encode((const unsigned char *)v[i].in,
		    strlen(v[i].in), 0);
		snprintf(name, sizeof(name), "b64 encode unpadded \"%s\"",
		    v[i].in);
		CHECK_STR(name, s, v[i].nopad);
		free(s);
		d = b64_decode(v[i].pad, strlen(v[i].pad), &n);
		snprintf(name, sizeof(name), "b64 decode \"%s\"", v[i].pad);
		CHECK(name, d != NULL && n == strlen(v[i].in) &&
		    memcmp(d, v[i].in, n) == 0);
		free(d);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = b64_decode(bad[i], strlen(bad[i]), &n);
		snprintf(name, sizeof(name), "b64 refuses \"%s\"", bad[i]);
		CHECK(name, d == NULL && n == 0);
		free(d);
	}
	d = b64_decode(" Zm9v\n YmFy\t", 12, &n);
	CHECK("b64 skips whitespace", d != NULL && n == 6 &&
	    memcmp(d, "foobar", 6) == 0);
	free(d);
	/* The length bounds the read: no NUL needed. */
	d = b64_decode("Zm9vYmFyXXXX", 8, &n);
	CHECK("b64 stops at its length", d != NULL && n == 6);
	free(d);
}

int
main(void)
{
	test_build();
	test_read();
	test_u64();
	test_mpint();
	test_base64();
	UNIT_END();
}
