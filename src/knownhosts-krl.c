/*
 * RevokedHostKeys: a KRL (PROTOCOL.krl), or public keys one a line, as
 * ssh's sshkey_check_revoked() reads the file.  The file is read whole,
 * bounded as sshbuf_load_file() bounds it, then parsed from memory
 * (kh_revoked_by_blob(), which the fuzzer drives).
 *
 * A KRL is parsed whole, as ssh_krl_from_blob() parses it, before its
 * answer counts: a malformed section anywhere makes the file an error,
 * as with ssh, not a "not revoked".  Its signatures are checked for
 * form but not verified, where ssh verifies them (from any signer:
 * RevokedHostKeys names no CA keys); libssh has no call for it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "knownhosts.h"
#include "wirebuf.h"

#define KRL_MAGIC		"SSHKRL\n\0"
#define KRL_MAGIC_LEN		8
#define KRL_FORMAT_VERSION	1
/* sshbuf's SSHBUF_SIZE_MAX: ssh loads no bigger file. */
#define KRL_FILE_MAX		0x8000000

enum {
	KRL_SECTION_CERTIFICATES = 1,
	KRL_SECTION_EXPLICIT_KEY = 2,
	KRL_SECTION_FINGERPRINT_SHA1 = 3,
	KRL_SECTION_SIGNATURE = 4,
	KRL_SECTION_FINGERPRINT_SHA256 = 5,
	KRL_SECTION_CERT_SERIAL_LIST = 0x20,
	KRL_SECTION_CERT_SERIAL_RANGE = 0x21,
	KRL_SECTION_CERT_SERIAL_BITMAP = 0x22,
	KRL_SECTION_CERT_KEY_ID = 0x23,
};
/* ssh's limit on an mpint, and so on a serial bitmap. */
#define MAX_BIGNUM	(16384 / 8)

/* A blob that sshkey_from_blob() would take. */
static int
is_key(const unsigned char *blob, size_t len)
{
	struct kh_key k;

	if (kh_key_from_blob(blob, len, &k) != 0)
		return 0;
	kh_key_free(&k);
	return 1;
}

/*
 * A section of strings (blob_section() in krl.c), each expect bytes
 * long unless expect is 0: 1 when one is want, 0 if not, -1 malformed.
 */
static int
blob_section(const unsigned char *data, size_t len, size_t expect,
    const unsigned char *want, size_t wantlen)
{
	struct wire w;
	const unsigned char *s;
	size_t slen;
	int found = 0;

	wire_init(&w, data, len);
	while (w.len > 0) {
		if (wire_string(&w, &s, &slen) != 0 ||
		    (expect != 0 && slen != expect))
			return -1;
		if (slen == wantlen && memcmp(s, want, slen) == 0)
			found = 1;
	}
	return found;
}

/* The bit after the highest one set in a big-endian number. */
static size_t
top_bit(const unsigned char *p, size_t len)
{
	size_t bits;
	unsigned char c;

	while (len > 0 && *p == 0) {
		p++;
		len--;
	}
	if (len == 0)
		return 0;
	for (bits = 0, c = *p; c != 0; c >>= 1)
		bits++;
	return bits + (len - 1) * 8;
}

/* A serial bitmap: serial_lo, then an mpint of bits from serial_lo. */
static int
serial_bitmap(struct wire *w)
{
	const unsigned char *b;
	size_t len, nbits;
	uint64_t lo;

	if (wire_u64(w, &lo) != 0 || wire_string(w, &b, &len) != 0 ||
	    (len > 0 && (b[0] & 0x80) != 0) || len > MAX_BIGNUM + 1 ||
	    (len == MAX_BIGNUM + 1 && b[0] != 0))
		return -1;
	if ((nbits = top_bit(b, len)) == 0)
		return 0;
	/* Serial 0 is never revoked; nor may the serials wrap. */
	if ((lo == 0 && (b[len - 1] & 1) != 0) ||
	    (lo != 0 && nbits - 1 > UINT64_MAX - lo))
		return -1;
	return 0;
}

/*
 * A certificates section (parse_revoked_certs() in krl.c): it revokes
 * only certificates, never the plain keys xssh checks, but its form
 * decides whether the KRL is valid at all.
 */
static int
cert_section(const unsigned char *data, size_t len)
{
	struct wire w, sub;
	const unsigned char *s;
	size_t slen;
	uint64_t a, b;
	uint8_t type;

	wire_init(&w, data, len);
	if (wire_string(&w, &s, &slen) != 0 ||		/* CA key */
	    (slen != 0 && !is_key(s, slen)) ||
	    wire_skip_string(&w) != 0)			/* reserved */
		return -1;
	while (w.len > 0) {
		if (wire_u8(&w, &type) != 0 ||
		    wire_string(&w, &sub.p, &sub.len) != 0)
			return -1;
		switch (type) {
		case KRL_SECTION_CERT_SERIAL_LIST:
			while (sub.len > 0)
				if (wire_u64(&sub, &a) != 0 || a == 0)
					return -1;
			break;
		case KRL_SECTION_CERT_SERIAL_RANGE:
			if (wire_u64(&sub, &a) != 0 ||
			    wire_u64(&sub, &b) != 0 || a == 0 || a > b)
				return -1;
			break;
		case KRL_SECTION_CERT_SERIAL_BITMAP:
			if (serial_bitmap(&sub) != 0)
				return -1;
			break;
		case KRL_SECTION_CERT_KEY_ID:
			while (sub.len > 0)
				if (wire_string(&sub, &s, &slen) != 0 ||
				    memchr(s, '\0', slen) != NULL)
					return -1;
			break;
		default:
			return -1;
		}
		if (sub.len != 0)
			return -1;	/* unparsed data */
	}
	return 0;
}

/* A KRL: 1 if it revokes k, 0 if not, -1 if it is malformed. */
static int
krl_check(const unsigned char *buf, size_t len, const struct kh_key *k)
{
	unsigned char md1[EVP_MAX_MD_SIZE], md256[EVP_MAX_MD_SIZE];
	unsigned int md1len, md256len;
	const unsigned char *s, *data;
	size_t slen, dlen;
	struct wire w;
	uint32_t version;
	uint64_t u64;
	uint8_t type;
	int found = 0, r, signed_ = 0;

	if (kh_key_digest(k, FP_HASH_SHA1, md1, &md1len) != 0 ||
	    kh_key_digest(k, FP_HASH_SHA256, md256, &md256len) != 0)
		return -1;
	wire_init(&w, buf, len);
	if (wire_bytes(&w, KRL_MAGIC_LEN, &s) != 0 ||
	    memcmp(s, KRL_MAGIC, KRL_MAGIC_LEN) != 0 ||
	    wire_u32(&w, &version) != 0 || version != KRL_FORMAT_VERSION ||
	    wire_u64(&w, &u64) != 0 ||			/* KRL version */
	    wire_u64(&w, &u64) != 0 ||			/* generated */
	    wire_u64(&w, &u64) != 0 ||			/* flags */
	    wire_skip_string(&w) != 0 ||		/* reserved */
	    wire_string(&w, &s, &slen) != 0 ||		/* comment */
	    memchr(s, '\0', slen) != NULL)
		return -1;
	while (w.len > 0) {
		if (wire_u8(&w, &type) != 0 ||
		    wire_string(&w, &data, &dlen) != 0)
			return -1;
		/* Signatures come last: a key, then its signature. */
		if (type == KRL_SECTION_SIGNATURE) {
			if (!is_key(data, dlen) || wire_skip_string(&w) != 0)
				return -1;
			signed_ = 1;
			continue;
		}
		if (signed_)
			return -1;
		switch (type) {
		case KRL_SECTION_CERTIFICATES:
			r = cert_section(data, dlen);
			break;
		case KRL_SECTION_EXPLICIT_KEY:
			r = blob_section(data, dlen, 0, k->blob, k->len);
			break;
		case KRL_SECTION_FINGERPRINT_SHA1:
			r = blob_section(data, dlen, 20, md1, md1len);
			break;
		case KRL_SECTION_FINGERPRINT_SHA256:
			r = blob_section(data, dlen, 32, md256, md256len);
			break;
		default:
			return -1;
		}
		if (r == -1)
			return -1;
		found |= r;
	}
	return found;
}

/* Public keys one a line, as sshkey_in_file(): 1 if k is among them. */
static int
list_check(const unsigned char *buf, size_t len, const struct kh_key *k)
{
	const unsigned char *end = buf + len, *nl;
	struct kh_key fk;
	char *line, *cp, *type, *b64;
	size_t n;
	int r = 0;

	while (buf < end && r == 0) {
		if ((nl = memchr(buf, '\n', end - buf)) == NULL)
			nl = end;
		n = nl - buf;
		line = xmalloc(n + 1);
		memcpy(line, buf, n);
		line[n] = '\0';		/* a NUL inside ends it early */
		buf = nl < end ? nl + 1 : end;
		line[strcspn(line, "\r")] = '\0';
		cp = line + strspn(line, " \t");
		if (*cp == '\0' || *cp == '#')
			goto next;
		type = cp;
		cp += strcspn(cp, " \t");
		if (*cp == '\0')
			goto next;
		*cp++ = '\0';
		b64 = cp + strspn(cp, " \t");
		b64[strcspn(b64, " \t")] = '\0';
		if (kh_key_from_base64(type, b64, &fk) == 0) {
			r = kh_key_equal(k, &fk);
			kh_key_free(&fk);
		}
 next:
		free(line);
	}
	return r;
}

int
kh_revoked_by_blob(const unsigned char *buf, size_t len,
    const struct kh_key *k)
{
	if (len >= KRL_MAGIC_LEN && memcmp(buf, KRL_MAGIC, KRL_MAGIC_LEN) == 0)
		return krl_check(buf, len, k);
	return list_check(buf, len, k);
}

int
kh_revoked_by_file(const char *path, const struct kh_key *k, char *why,
    size_t whylen)
{
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f;
	int r;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			if (cap > KRL_FILE_MAX)
				break;
			cap = cap == 0 ? 4096 : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		if ((n = fread(buf + len, 1, cap - len, f)) == 0)
			break;
		len += n;
	}
	if (ferror(f) || len > KRL_FILE_MAX) {
		snprintf(why, whylen, "%s", ferror(f) ? strerror(errno) :
		    "file too large");
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	if ((r = kh_revoked_by_blob(buf, len, k)) == -1)
		snprintf(why, whylen, "invalid format");
	free(buf);
	return r;
}
