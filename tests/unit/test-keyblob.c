/*
 * Key blobs as the known_hosts engine reads them (knownhosts-key.c):
 * every key type and certificate ssh-keygen makes is taken, with the
 * size ssh-keygen -l shows; FIDO keys (built by hand, no token here)
 * too; and malformed blobs are refused exactly when ssh-keygen -l
 * refuses them: truncated, trailing bytes, wrong lengths, negative or
 * huge mpints, short RSA moduli, wrong curves, bad certificate fields.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knownhosts.h"
#include "wirebuf.h"
#include "unit.h"

static char dir[] = "/tmp/xssh-test-keyblob.XXXXXX";

static char *
path(const char *name)
{
	static char buf[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* A shell command's first line of output, or NULL when it fails. */
static char *
run(const char *fmt, ...)
{
	static char out[8192];
	char cmd[4096];
	size_t n;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if ((p = popen(cmd, "r")) == NULL)
		return NULL;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
	if (pclose(p) != 0)
		return NULL;
	return out;
}

/* The blob of NAME.pub (or NAME-cert.pub), decoded. */
static unsigned char *
pub_blob(const char *file, size_t *len)
{
	char *t = run("cut -d' ' -f2 %s", path(file));

	*len = 0;
	return t != NULL ? b64_decode(t, strlen(t), len) : NULL;
}

/* Whether we take blob as a key, and whether ssh-keygen -l does. */
static int
ours(const unsigned char *blob, size_t len, struct kh_key *k)
{
	char *b64 = b64_encode(blob, len, 1);
	int r = kh_key_from_base64(NULL, b64, k);

	free(b64);
	return r == 0;
}

static int
keygen_takes(const char *type, const unsigned char *blob, size_t len)
{
	char *b64 = b64_encode(blob, len, 1);
	FILE *f = fopen(path("probe.pub"), "w");
	int r;

	fprintf(f, "%s %s\n", type, b64);
	fclose(f);
	free(b64);
	r = run("ssh-keygen -l -f %s 2>/dev/null", path("probe.pub")) != NULL;
	return r;
}

/* Ours and ssh-keygen's verdict on blob are the same; want is ours. */
static void
agree(const char *name, const char *type, const unsigned char *blob,
    size_t len, int want)
{
	struct kh_key k;
	char n[256];
	int got = ours(blob, len, &k);

	if (got)
		kh_key_free(&k);
	snprintf(n, sizeof(n), "%s: %s", name, want ? "taken" : "refused");
	CHECK(n, got == want);
	snprintf(n, sizeof(n), "%s: as ssh-keygen -l", name);
	CHECK(n, keygen_takes(type, blob, len) == got);
}

static const struct {
	const char *file, *type, *kind, *args;
} keys[] = {
	{ "ed", "ssh-ed25519", "ED25519", "-t ed25519" },
	{ "rsa1k", "ssh-rsa", "RSA", "-t rsa -b 1024" },
	{ "rsa", "ssh-rsa", "RSA", "-t rsa -b 3072" },
	{ "ec256", "ecdsa-sha2-nistp256", "ECDSA", "-t ecdsa -b 256" },
	{ "ec384", "ecdsa-sha2-nistp384", "ECDSA", "-t ecdsa -b 384" },
	{ "ec521", "ecdsa-sha2-nistp521", "ECDSA", "-t ecdsa -b 521" },
	{ "dsa", "ssh-dss", "DSA", "-t dsa" },
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

static void
test_real_keys(void)
{
	struct kh_key k;
	unsigned char *b;
	char name[128], *t;
	size_t i, len;
	int ok, bits;

	for (i = 0; i < NKEYS; i++) {
		snprintf(name, sizeof(name), "%s.pub", keys[i].file);
		b = pub_blob(name, &len);
		ok = b != NULL && ours(b, len, &k);
		snprintf(name, sizeof(name), "%s taken", keys[i].file);
		CHECK(name, ok);
		free(b);
		if (!ok)
			continue;
		snprintf(name, sizeof(name), "%s type", keys[i].file);
		CHECK_STR(name, k.type, keys[i].type);
		t = run("ssh-keygen -l -f %s.pub | cut -d' ' -f1",
		    path(keys[i].file));
		bits = t != NULL ? atoi(t) : -1;
		snprintf(name, sizeof(name), "%s bits as ssh-keygen -l",
		    keys[i].file);
		CHECK_INT(name, k.bits, bits);
		kh_key_free(&k);

		/* Its host certificate, signed by a CA of each kind. */
		snprintf(name, sizeof(name), "%s-cert.pub", keys[i].file);
		b = pub_blob(name, &len);
		ok = b != NULL && ours(b, len, &k);
		snprintf(name, sizeof(name), "%s certificate taken",
		    keys[i].file);
		CHECK(name, ok);
		free(b);
		if (!ok)
			continue;
		snprintf(name, sizeof(name), "%s-CERT", keys[i].kind);
		CHECK_STR(name, kh_key_kind(k.type), name);
		snprintf(name, sizeof(name), "%s certificate bits",
		    keys[i].file);
		CHECK_INT(name, k.bits, bits);
		kh_key_free(&k);
	}
}

/* A blob from pieces: "s" string (then pointer, length), "u" u32. */
static unsigned char *
build(size_t *len, const char *fmt, ...)
{
	struct wbuf b = { 0 };
	const char *s;
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt != '\0'; fmt++) {
		switch (*fmt) {
		case 's':
			s = va_arg(ap, const char *);
			n = va_arg(ap, size_t);
			wbuf_put_string(&b, s, n);
			break;
		case 'c':
			s = va_arg(ap, const char *);
			wbuf_put_cstring(&b, s);
			break;
		case 'u':
			wbuf_put_u32(&b, va_arg(ap, uint32_t));
			break;
		case 'r':	/* raw bytes */
			s = va_arg(ap, const char *);
			n = va_arg(ap, size_t);
			wbuf_put(&b, s, n);
			break;
		}
	}
	va_end(ap);
	*len = b.len;
	return b.d;
}

static void
test_fido(void)
{
	unsigned char pk[32], q[65], *b;
	struct kh_key k;
	size_t len;

	memset(pk, 0x11, sizeof(pk));
	/* A point of P-256: the generator. */
	memcpy(q, "\x04"
	    "\x6b\x17\xd1\xf2\xe1\x2c\x42\x47\xf8\xbc\xe6\xe5\x63\xa4\x40\xf2"
	    "\x77\x03\x7d\x81\x2d\xeb\x33\xa0\xf4\xa1\x39\x45\xd8\x98\xc2\x96"
	    "\x4f\xe3\x42\xe2\xfe\x1a\x7f\x9b\x8e\xe7\xeb\x4a\x7c\x0f\x9e\x16"
	    "\x2b\xce\x33\x57\x6b\x31\x5e\xce\xcb\xb6\x40\x68\x37\xbf\x51\xf5",
	    65);
	b = build(&len, "csc", "sk-ssh-ed25519@openssh.com", pk, (size_t)32,
	    "ssh:");
	agree("sk-ed25519", "sk-ssh-ed25519@openssh.com", b, len, 1);
	CHECK("sk-ed25519 kind", ours(b, len, &k) &&
	    strcmp(kh_key_kind(k.type), "ED25519-SK") == 0);
	kh_key_free(&k);
	free(b);
	b = build(&len, "cs", "sk-ssh-ed25519@openssh.com", pk, (size_t)32);
	agree("sk-ed25519 without application", "sk-ssh-ed25519@openssh.com",
	    b, len, 0);
	free(b);
	b = build(&len, "ccsc", "sk-ecdsa-sha2-nistp256@openssh.com",
	    "nistp256", q, (size_t)65, "ssh:");
	agree("sk-ecdsa", "sk-ecdsa-sha2-nistp256@openssh.com", b, len, 1);
	free(b);
	b = build(&len, "ccss", "sk-ecdsa-sha2-nistp256@openssh.com",
	    "nistp256", q, (size_t)65, "ssh:\0x", (size_t)6);
	agree("sk-ecdsa application with NUL",
	    "sk-ecdsa-sha2-nistp256@openssh.com", b, len, 0);
	free(b);
	b = build(&len, "ccs", "ecdsa-sha2-nistp256", "nistp256", q,
	    (size_t)65);
	agree("ecdsa built", "ecdsa-sha2-nistp256", b, len, 1);
	free(b);
	b = build(&len, "ccs", "ecdsa-sha2-nistp256", "nistp384", q,
	    (size_t)65);
	agree("ecdsa wrong curve", "ecdsa-sha2-nistp256", b, len, 0);
	free(b);
	b = build(&len, "ccs", "ecdsa-sha2-nistp256", "nistp256", q,
	    (size_t)64);
	agree("ecdsa short point", "ecdsa-sha2-nistp256", b, len, 0);
	free(b);
	q[0] = 0x02;
	b = build(&len, "ccs", "ecdsa-sha2-nistp256", "nistp256", q,
	    (size_t)33);
	agree("ecdsa compressed point", "ecdsa-sha2-nistp256", b, len, 0);
	free(b);
}

static void
test_malformed(void)
{
	unsigned char pk[33], n[2100], *b, *ed;
	size_t len, edlen;

	memset(pk, 0x22, sizeof(pk));
	ed = pub_blob("ed.pub", &edlen);
	CHECK("ed blob", ed != NULL && edlen == 51);
	if (ed == NULL)
		return;
	agree("ed25519 truncated", "ssh-ed25519", ed, edlen - 1, 0);
	b = build(&len, "rr", ed, edlen, "\0", (size_t)1);
	agree("ed25519 trailing byte", "ssh-ed25519", b, len, 0);
	free(b);
	b = build(&len, "cs", "ssh-ed25519", pk, (size_t)31);
	agree("ed25519 31-byte key", "ssh-ed25519", b, len, 0);
	free(b);
	b = build(&len, "cs", "ssh-ed25519", pk, (size_t)33);
	agree("ed25519 33-byte key", "ssh-ed25519", b, len, 0);
	free(b);
	b = build(&len, "ss", "ssh-ed25519\0x", (size_t)13, pk, (size_t)32);
	agree("type with NUL", "ssh-ed25519", b, len, 0);
	free(b);
	b = build(&len, "cs", "ssh-foo", pk, (size_t)32);
	agree("unknown type", "ssh-ed25519", b, len, 0);
	free(b);
	b = build(&len, "c", "ssh-ed25519");
	agree("type alone", "ssh-ed25519", b, len, 0);
	free(b);
	b = build(&len, "u", (uint32_t)0xffffffff);
	agree("huge type length", "ssh-ed25519", b, len, 0);
	free(b);
	free(ed);

	/* RSA: e, then n of 2048 bits (high bit clear: leading zero). */
	memset(n, 0xc5, sizeof(n));
	n[0] = 0;
	b = build(&len, "css", "ssh-rsa", "\x01\x00\x01", (size_t)3, n,
	    (size_t)257);
	agree("rsa 2048 built", "ssh-rsa", b, len, 1);
	free(b);
	b = build(&len, "css", "ssh-rsa", "\x01\x00\x01", (size_t)3, n + 1,
	    (size_t)256);
	agree("rsa negative modulus", "ssh-rsa", b, len, 0);
	free(b);
	b = build(&len, "css", "ssh-rsa", "\x81\x00\x01", (size_t)3, n,
	    (size_t)257);
	agree("rsa negative exponent", "ssh-rsa", b, len, 0);
	free(b);
	b = build(&len, "css", "ssh-rsa", "\x01\x00\x01", (size_t)3, n,
	    (size_t)97);
	agree("rsa 768 bits", "ssh-rsa", b, len, 0);
	free(b);
	b = build(&len, "css", "ssh-rsa", "\x01\x00\x01", (size_t)3, n,
	    (size_t)2049);
	agree("rsa 16384 bits", "ssh-rsa", b, len, 1);
	free(b);
	b = build(&len, "css", "ssh-rsa", "\x01\x00\x01", (size_t)3, n,
	    (size_t)2050);
	agree("rsa past 16384 bits", "ssh-rsa", b, len, 0);
	free(b);
	b = build(&len, "cs", "ssh-rsa", "\x01\x00\x01", (size_t)3);
	agree("rsa without modulus", "ssh-rsa", b, len, 0);
	free(b);
}

/* The certificate of ed.pub, with one field changed. */
static void
test_bad_certs(void)
{
	unsigned char *c, *b;
	size_t clen, len, off;
	struct kh_key k;
	struct wire w;
	const unsigned char *p;
	size_t n;

	c = pub_blob("ed-cert.pub", &clen);
	CHECK("ed cert blob", c != NULL);
	if (c == NULL)
		return;
	b = build(&len, "rr", c, clen, "x", (size_t)1);
	CHECK("cert with trailing byte refused", !ours(b, len, &k));
	free(b);
	CHECK("cert truncated refused", !ours(c, clen - 1, &k));
	/* type, nonce, pk, then the serial and the certificate type. */
	wire_init(&w, c, clen);
	wire_string(&w, &p, &n);
	wire_string(&w, &p, &n);
	wire_string(&w, &p, &n);
	off = w.p - c + 8;
	c[off + 3] = 3;
	CHECK("cert of type 3 refused", !ours(c, clen, &k));
	c[off + 3] = 1;
	CHECK("user cert taken", ours(c, clen, &k));
	kh_key_free(&k);
	free(c);
	/* A certificate signed by a certificate: no CA key. */
	c = pub_blob("ed-cert.pub", &clen);
	b = pub_blob("rsa-cert.pub", &len);
	if (c != NULL && b != NULL) {
		struct wbuf x = { 0 };
		const unsigned char *skip;

		/* type nonce pk serial type id principals after before
		 * critical extensions reserved, then the signer. */
		wire_init(&w, c, clen);
		wire_skip_string(&w);
		wire_skip_string(&w);
		wire_skip_string(&w);
		wire_bytes(&w, 12, &skip);
		wire_skip_string(&w);
		wire_skip_string(&w);
		wire_bytes(&w, 16, &skip);
		wire_skip_string(&w);
		wire_skip_string(&w);
		wire_skip_string(&w);
		off = w.p - c;
		wbuf_put(&x, c, off);
		wbuf_put_string(&x, b, len);
		wire_skip_string(&w);
		wbuf_put(&x, w.p, w.len);
		CHECK("cert signed by a cert refused", !ours(x.d, x.len, &k));
		wbuf_reset(&x);
		/* The same with the real signer again: taken. */
		wbuf_put(&x, c, clen);
		CHECK("cert rebuilt taken", ours(x.d, x.len, &k));
		kh_key_free(&k);
		wbuf_free(&x);
	}
	free(b);
	free(c);
}

int
main(void)
{
	size_t i;

	if (mkdtemp(dir) == NULL) {
		printf("not ok keyblob-setup (mkdtemp)\n");
		return 1;
	}
	if (run("ssh-keygen -q -t ed25519 -N '' -f %s", path("ca")) == NULL) {
		printf("not ok keyblob-setup (ssh-keygen)\n");
		return 1;
	}
	for (i = 0; i < NKEYS; i++) {
		if (run("ssh-keygen -q %s -N '' -f %s && "
		    "ssh-keygen -q -s %s -h -I id%zu -n h1,h2 %s.pub",
		    keys[i].args, path(keys[i].file), path("ca"), i,
		    path(keys[i].file)) == NULL) {
			printf("not ok keyblob-setup (ssh-keygen %s)\n",
			    keys[i].args);
			return 1;
		}
	}
	test_real_keys();
	test_fido();
	test_malformed();
	test_bad_certs();
	run("rm -rf %s", dir);
	UNIT_END();
}
