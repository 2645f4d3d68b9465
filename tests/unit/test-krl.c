/*
 * RevokedHostKeys KRLs (src/knownhosts-krl.c) against ssh-keygen: KRLs
 * with every kind of section ssh-keygen -k writes (explicit keys, SHA1
 * and SHA256 hashes, certificate serials as a list, a range and a
 * bitmap, key IDs), then every truncation of them and every byte of
 * them flipped: each time our answer (revoked, not, malformed) must be
 * ssh-keygen -Q's, which is ssh's own KRL code.
 */
#include <sys/wait.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knownhosts.h"
#include "wirebuf.h"
#include "unit.h"

static char dir[] = "/tmp/xssh-test-krl.XXXXXX";

static char *
path(const char *name)
{
	static char buf[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* Run a command; its exit status, its output in out (if not NULL). */
static int
run(char *out, size_t outlen, const char *fmt, ...)
{
	char cmd[4096], junk[4096];
	size_t n, got = 0;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	if (out == NULL) {
		out = junk;
		outlen = sizeof(junk);
	}
	while (got + 1 < outlen &&
	    (n = fread(out + got, 1, outlen - 1 - got, p)) > 0)
		got += n;
	out[got] = '\0';
	return pclose(p);
}

static int
load(const char *name, unsigned char **buf, size_t *len)
{
	FILE *f = fopen(path(name), "r");
	long n;

	*buf = NULL;
	*len = 0;
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	rewind(f);
	*buf = malloc(n ? n : 1);
	*len = fread(*buf, 1, n, f);
	fclose(f);
	return *len == (size_t)n ? 0 : -1;
}

static int
load_key(const char *name, struct kh_key *k)
{
	char line[8192], *type, *b64;
	FILE *f = fopen(path(name), "r");

	if (f == NULL || fgets(line, sizeof(line), f) == NULL) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fclose(f);
	type = strtok(line, " \n");
	b64 = strtok(NULL, " \n");
	return kh_key_from_base64(type, b64, k);
}

/* Our answer for bytes as a RevokedHostKeys file. */
static int
revoked(const void *buf, size_t len, const struct kh_key *k)
{
	char why[256];
	FILE *f = fopen(path("ours"), "w");

	fwrite(buf, 1, len, f);
	fclose(f);
	return kh_revoked_by_file(path("ours"), k, why, sizeof(why));
}

/*
 * ssh-keygen -Q on the KRL in file for keys a (revoked) and d (not):
 * each 1 revoked, 0 not, -1 when it finds the KRL malformed.
 */
static void
keygen_says(const char *file, int *a, int *d)
{
	char out[4096];
	int rc;

	rc = run(out, sizeof(out), "ssh-keygen -Q -f %s %s %s 2>/dev/null",
	    path(file), path("a.pub"), path("d.pub"));
	if (rc == -1 || (WEXITSTATUS(rc) != 0 && WEXITSTATUS(rc) != 1) ||
	    strstr(out, "d.pub") == NULL) {
		*a = *d = -1;
		return;
	}
	*a = strstr(out, "a.pub (unit): REVOKED") != NULL;
	*d = strstr(out, "d.pub (unit): REVOKED") != NULL;
}

static void
test_sections(struct kh_key *a, struct kh_key *b, struct kh_key *c,
    struct kh_key *d)
{
	char why[256];

	CHECK_INT("krl1 a (sha256 section)", kh_revoked_by_file(path("krl1"),
	    a, why, sizeof(why)), 1);
	CHECK_INT("krl1 b (sha1 section)", kh_revoked_by_file(path("krl1"),
	    b, why, sizeof(why)), 1);
	CHECK_INT("krl1 c (explicit and fingerprint)",
	    kh_revoked_by_file(path("krl1"), c, why, sizeof(why)), 1);
	CHECK_INT("krl1 d", kh_revoked_by_file(path("krl1"), d, why,
	    sizeof(why)), 0);
	CHECK_INT("krl2 (serial list and range) a",
	    kh_revoked_by_file(path("krl2"), a, why, sizeof(why)), 0);
	CHECK_INT("krl2 d", kh_revoked_by_file(path("krl2"), d, why,
	    sizeof(why)), 1);
	CHECK_INT("empty krl", kh_revoked_by_file(path("krl0"), d, why,
	    sizeof(why)), 0);
}

/* Every truncation and every flipped byte of a KRL, as ssh-keygen -Q. */
static void
test_mutations(const char *file, struct kh_key *a, struct kh_key *d)
{
	unsigned char *buf, *m;
	size_t len, i;
	FILE *f;
	int ka, kd, ok = 1, checked = 0, malformed = 0, ra, rd;
	char name[128];

	if (load(file, &buf, &len) != 0) {
		snprintf(name, sizeof(name), "%s loaded", file);
		CHECK(name, 0);
		return;
	}
	m = malloc(len);
	for (i = 8; i < 2 * len; i++) {
		size_t n = i < len ? i : len;

		memcpy(m, buf, len);
		if (i >= len)
			m[i - len] ^= 0xff;
		if (i >= len && i - len < 8)
			continue;	/* not a KRL then */
		f = fopen(path("mutant"), "w");
		fwrite(m, 1, n, f);
		fclose(f);
		keygen_says("mutant", &ka, &kd);
		ra = revoked(m, n, a);
		rd = revoked(m, n, d);
		checked++;
		malformed += ka == -1;
		if (ra != ka || rd != kd) {
			if (ok)
				printf("# %s: %s at %zu: ours %d %d, "
				    "ssh-keygen %d %d\n", file, i < len ?
				    "truncated" : "flipped", i < len ? i :
				    i - len, ra, rd, ka, kd);
			ok = 0;
		}
	}
	snprintf(name, sizeof(name), "%s: %d mutants (%d malformed) as "
	    "ssh-keygen -Q", file, checked, malformed);
	CHECK(name, ok && malformed > 0);
	free(m);
	free(buf);
}

static void
test_limits(struct kh_key *d)
{
	static const unsigned char head[] = "SSHKRL\n\0\0\0\0\1"
	    "\0\0\0\0\0\0\0\0" "\0\0\0\0\0\0\0\0" "\0\0\0\0\0\0\0\0"
	    "\0\0\0\0" "\0\0\0\0";
	struct wbuf b = { 0 };

	wbuf_put(&b, head, sizeof(head) - 1);
	CHECK_INT("bare header", revoked(b.d, b.len, d), 0);
	wbuf_put_u8(&b, 2);
	wbuf_put_u32(&b, 0xfffffff0);
	CHECK_INT("section length past the end",
	    revoked(b.d, b.len, d), -1);
	b.len = sizeof(head) - 1;
	wbuf_put_u8(&b, 3);
	wbuf_put_u32(&b, 4 + 19);
	wbuf_put_string(&b, "0123456789012345678", 19);
	CHECK_INT("sha1 of 19 bytes", revoked(b.d, b.len, d), -1);
	b.len = sizeof(head) - 1;
	wbuf_put_u8(&b, 9);
	wbuf_put_u32(&b, 0);
	CHECK_INT("unknown section", revoked(b.d, b.len, d), -1);
	b.len = sizeof(head) - 1 - 4;
	wbuf_put_string(&b, "a\0b", 3);
	CHECK_INT("comment with NUL", revoked(b.d, b.len, d), -1);
	wbuf_free(&b);
	CHECK_INT("not a KRL, no key", revoked(
	    "hello\0world\n", 12, d), 0);
}

int
main(void)
{
	struct kh_key a, b, c, d;
	char spec[8192], out[4096];

	if (mkdtemp(dir) == NULL) {
		printf("not ok krl-setup (mkdtemp)\n");
		return 1;
	}
	if (run(NULL, 0, "cd %s && ssh-keygen -q -t ed25519 -N '' -C unit -f a "
	    "&& ssh-keygen -q -t ecdsa -N '' -C unit -f b && "
	    "ssh-keygen -q -t rsa -b 1024 -N '' -C unit -f c && "
	    "ssh-keygen -q -t ed25519 -N '' -C unit -f d && "
	    "ssh-keygen -q -t ed25519 -N '' -C unit -f ca && "
	    "ssh-keygen -q -s ca -I x -z 42 d.pub", dir) != 0 ||
	    load_key("a.pub", &a) != 0 || load_key("b.pub", &b) != 0 ||
	    load_key("c.pub", &c) != 0 || load_key("d.pub", &d) != 0) {
		printf("not ok krl-setup (ssh-keygen)\n");
		return 1;
	}
	run(out, sizeof(out), "ssh-keygen -l -f %s | cut -d' ' -f2",
	    path("c.pub"));
	out[strcspn(out, "\n")] = '\0';
	snprintf(spec, sizeof(spec), "cd %s && printf 'serial: 1-5\\n"
	    "serial: 9\\nserial: 12\\nid: foo\\nsha1: %%s\\nsha256: %%s\\n"
	    "hash: %s\\n' \"$(cat b.pub)\" \"$(cat a.pub)\" >spec1 && "
	    "ssh-keygen -q -k -s ca.pub -f krl1 spec1 && "
	    "ssh-keygen -q -k -u -f krl1 c.pub && "
	    "printf 'serial: 100-100000\\nserial: 7000000\\n"
	    "serial: 9000000\\nid: bar\\nkey: %%s\\n' \"$(cat d.pub)\" "
	    ">spec2 && ssh-keygen -q -k -s ca.pub -f krl2 spec2 && "
	    "ssh-keygen -q -k -f krl0 /dev/null", dir, out);
	if (run(NULL, 0, "%s", spec) != 0) {
		printf("not ok krl-setup (ssh-keygen -k)\n");
		return 1;
	}
	test_sections(&a, &b, &c, &d);
	test_limits(&d);
	test_mutations("krl1", &a, &d);
	test_mutations("krl2", &a, &d);
	kh_key_free(&a);
	kh_key_free(&b);
	kh_key_free(&c);
	kh_key_free(&d);
	run(NULL, 0, "rm -rf %s", dir);
	UNIT_END();
}
