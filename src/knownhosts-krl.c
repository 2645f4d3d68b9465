/*
 * RevokedHostKeys: a KRL (PROTOCOL.krl), or public keys one a line, as
 * ssh's sshkey_check_revoked() reads the file.
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
#define KRL_SECTION_CERTIFICATES	1
#define KRL_SECTION_EXPLICIT_KEY	2
#define KRL_SECTION_FINGERPRINT_SHA1	3
#define KRL_SECTION_SIGNATURE		4
#define KRL_SECTION_FINGERPRINT_SHA256	5

/* Whether the sequence of strings in data holds want. */
static int
string_list_has(const unsigned char *data, size_t len,
    const unsigned char *want, size_t wantlen, int *bad)
{
	struct wire r;
	const unsigned char *s;
	size_t slen;
	int found = 0;

	wire_init(&r, data, len);
	while (r.len > 0) {
		if (wire_string(&r, &s, &slen) != 0) {
			*bad = 1;
			return 0;
		}
		if (slen == wantlen && memcmp(s, want, slen) == 0)
			found = 1;
	}
	return found;
}

/* A KRL (PROTOCOL.krl): 1 revoked, 0 not, -1 malformed. */
static int
krl_has_key(const unsigned char *buf, size_t len, const struct kh_key *k)
{
	struct wire r;
	unsigned char md1[EVP_MAX_MD_SIZE], md256[EVP_MAX_MD_SIZE];
	uint8_t type;
	unsigned int md1len, md256len;
	const unsigned char *s;
	size_t slen;
	uint32_t version;
	uint64_t u64;
	int bad = 0, found = 0;

	wire_init(&r, buf + KRL_MAGIC_LEN, len - KRL_MAGIC_LEN);
	if (kh_key_digest(k, FP_HASH_SHA1, md1, &md1len) != 0 ||
	    kh_key_digest(k, FP_HASH_SHA256, md256, &md256len) != 0)
		return -1;
	if (wire_u32(&r, &version) != 0 || version != 1 ||
	    wire_u64(&r, &u64) != 0 || wire_u64(&r, &u64) != 0 ||
	    wire_u64(&r, &u64) != 0 || wire_string(&r, &s, &slen) != 0 ||
	    wire_string(&r, &s, &slen) != 0)
		return -1;
	while (r.len > 0 && !bad) {
		if (wire_u8(&r, &type) != 0 || wire_string(&r, &s, &slen) != 0)
			return -1;
		switch (type) {
		case KRL_SECTION_EXPLICIT_KEY:
			found |= string_list_has(s, slen, k->blob, k->len,
			    &bad);
			break;
		case KRL_SECTION_FINGERPRINT_SHA1:
			found |= string_list_has(s, slen, md1, md1len, &bad);
			break;
		case KRL_SECTION_FINGERPRINT_SHA256:
			found |= string_list_has(s, slen, md256, md256len,
			    &bad);
			break;
		case KRL_SECTION_CERTIFICATES:
			/* Only certificates: never a plain host key. */
			break;
		case KRL_SECTION_SIGNATURE:
			/* Signatures end the KRL; the rest is theirs. */
			return found;
		default:
			return -1;
		}
	}
	return bad ? -1 : found;
}

int
kh_revoked_by_file(const char *path, const struct kh_key *k, char *why,
    size_t whylen)
{
	struct kh_key fk;
	unsigned char *buf = NULL;
	char *line = NULL, *cp, *type, *b64;
	size_t cap = 0, len = 0, bufcap = 0;
	FILE *f;
	int r = 0, n;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == bufcap)
			buf = xreallocarray(buf, bufcap = bufcap * 2 + 4096, 1);
		if ((n = fread(buf + len, 1, bufcap - len, f)) <= 0)
			break;
		len += n;
	}
	if (ferror(f)) {
		snprintf(why, whylen, "%s", strerror(errno));
		fclose(f);
		free(buf);
		return -1;
	}
	if (len >= KRL_MAGIC_LEN && memcmp(buf, KRL_MAGIC,
	    KRL_MAGIC_LEN) == 0) {
		fclose(f);
		if ((r = krl_has_key(buf, len, k)) == -1)
			snprintf(why, whylen, "invalid format");
		free(buf);
		return r;
	}
	free(buf);
	/* Not a KRL: public keys, one a line, as sshkey_in_file(). */
	rewind(f);
	while (r == 0 && getline(&line, &cap, f) != -1) {
		line[strcspn(line, "\r\n")] = '\0';
		cp = line + strspn(line, " \t");
		if (*cp == '\0' || *cp == '#')
			continue;
		type = cp;
		cp += strcspn(cp, " \t");
		if (*cp == '\0')
			continue;
		*cp++ = '\0';
		b64 = cp + strspn(cp, " \t");
		b64[strcspn(b64, " \t")] = '\0';
		if (kh_key_from_base64(type, b64, &fk) != 0)
			continue;
		r = kh_key_equal(k, &fk);
		kh_key_free(&fk);
	}
	free(line);
	fclose(f);
	return r;
}
