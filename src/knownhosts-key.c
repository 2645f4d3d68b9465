/*
 * Keys of the known_hosts engine, held as their wire blobs: the key
 * types OpenSSH 9.2 reads, a key from a line's base64 or from libssh,
 * the sizes ssh shows, fingerprints and the randomart picture.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "knownhosts.h"
#include "wirebuf.h"

/* ------------------------------------------------------------ blobs */

/* ssh's limits on an mpint: not negative, at most 16384 bits. */
#define MAX_BIGNUM	(16384 / 8)
/* sshkey.c's SSH_RSA_MINIMUM_MODULUS_SIZE. */
#define RSA_MIN_BITS	1024

static unsigned int
mpint_bits(const unsigned char *p, size_t len)
{
	unsigned int bits;
	unsigned char c;

	while (len > 0 && *p == 0) {
		p++;
		len--;
	}
	if (len == 0)
		return 0;
	for (bits = 0, c = *p; c != 0; c >>= 1)
		bits++;
	return bits + (unsigned int)(len - 1) * 8;
}

/*
 * The public fields of each key type after its name, one letter each,
 * as sshkey_from_blob() reads them: k an Ed25519 key (32 bytes), c the
 * curve name, Q a curve point, a the application string of an FIDO
 * key, m an mpint, n (RSA) or p (DSA) the mpint that gives the size.
 * NULL: not checked (XMSS, which Debian's ssh is built without).
 */
#define F_ED25519	"k"
#define F_ED25519_SK	"ka"
#define F_ECDSA		"cQ"
#define F_ECDSA_SK	"cQa"
#define F_RSA		"mn"
#define F_DSA		"pmmm"

/* The key types OpenSSH 9.2 reads, plain and certified. */
static const struct {
	const char *name;
	const char *kind;
	unsigned int bits;	/* fixed size, 0: from the blob */
	const char *fields;
	const char *curve;
} key_types[] = {
	{ "ssh-ed25519", "ED25519", 256, F_ED25519, NULL },
	{ "ssh-ed25519-cert-v01@openssh.com", "ED25519-CERT", 256, F_ED25519,
	    NULL },
	{ "sk-ssh-ed25519@openssh.com", "ED25519-SK", 256, F_ED25519_SK,
	    NULL },
	{ "sk-ssh-ed25519-cert-v01@openssh.com", "ED25519-SK-CERT", 256,
	    F_ED25519_SK, NULL },
	{ "ecdsa-sha2-nistp256", "ECDSA", 256, F_ECDSA, "nistp256" },
	{ "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ECDSA-CERT", 256,
	    F_ECDSA, "nistp256" },
	{ "ecdsa-sha2-nistp384", "ECDSA", 384, F_ECDSA, "nistp384" },
	{ "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ECDSA-CERT", 384,
	    F_ECDSA, "nistp384" },
	{ "ecdsa-sha2-nistp521", "ECDSA", 521, F_ECDSA, "nistp521" },
	{ "ecdsa-sha2-nistp521-cert-v01@openssh.com", "ECDSA-CERT", 521,
	    F_ECDSA, "nistp521" },
	{ "sk-ecdsa-sha2-nistp256@openssh.com", "ECDSA-SK", 256, F_ECDSA_SK,
	    "nistp256" },
	{ "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "ECDSA-SK-CERT",
	    256, F_ECDSA_SK, "nistp256" },
	{ "ssh-rsa", "RSA", 0, F_RSA, NULL },
	{ "ssh-rsa-cert-v01@openssh.com", "RSA-CERT", 0, F_RSA, NULL },
	{ "ssh-dss", "DSA", 0, F_DSA, NULL },
	{ "ssh-dss-cert-v01@openssh.com", "DSA-CERT", 0, F_DSA, NULL },
	{ "ssh-xmss@openssh.com", "XMSS", 256, NULL, NULL },
	{ "ssh-xmss-cert-v01@openssh.com", "XMSS-CERT", 256, NULL, NULL },
};
#define NKEY_TYPES	(sizeof(key_types) / sizeof(key_types[0]))

static int
key_type_index(const char *name)
{
	size_t i;

	for (i = 0; i < NKEY_TYPES; i++)
		if (strcmp(key_types[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The index of the type a blob names, from an SSH string. */
static int
key_type_of(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < NKEY_TYPES; i++)
		if (strlen(key_types[i].name) == len &&
		    memcmp(key_types[i].name, s, len) == 0)
			return (int)i;
	return -1;
}

const char *
kh_key_kind(const char *type)
{
	int i = type != NULL ? key_type_index(type) : -1;

	return i >= 0 ? key_types[i].kind : "unknown";
}

int
kh_type_is_cert(const char *type)
{
	return type != NULL && strstr(type, "-cert-v01@openssh.com") != NULL;
}

static int
is_cstring(const unsigned char *s, size_t len)
{
	return memchr(s, '\0', len) == NULL;
}

/* The public fields of a key of type i; *bits set from n or p. */
static int
key_fields(struct wire *w, int i, unsigned int *bits)
{
	const char *f = key_types[i].fields, *curve = key_types[i].curve;
	const unsigned char *s;
	size_t len, qlen;

	for (; *f != '\0'; f++) {
		if (wire_string(w, &s, &len) != 0)
			return -1;
		switch (*f) {
		case 'k':
			if (len != 32)
				return -1;
			break;
		case 'c':
			if (len != strlen(curve) || memcmp(s, curve, len) != 0)
				return -1;
			break;
		case 'Q':
			/* An uncompressed point: 04 X Y. */
			qlen = 1 + 2 * ((key_types[i].bits + 7) / 8);
			if (len != qlen || s[0] != 0x04)
				return -1;
			break;
		case 'a':
			if (!is_cstring(s, len))
				return -1;
			break;
		case 'm':
		case 'n':
		case 'p':
			if ((len > 0 && (s[0] & 0x80) != 0) ||
			    len > MAX_BIGNUM + 1 ||
			    (len == MAX_BIGNUM + 1 && s[0] != 0))
				return -1;
			if (*f != 'm')
				*bits = mpint_bits(s, len);
			if (*f == 'n' && *bits < RSA_MIN_BITS)
				return -1;
			break;
		}
	}
	return 0;
}

/* A sequence of strings (each a C string when cstr), to its end. */
static int
string_list(const unsigned char *s, size_t len, int cstr)
{
	struct wire w;
	const unsigned char *p;
	size_t n;

	wire_init(&w, s, len);
	while (w.len > 0)
		if (wire_string(&w, &p, &n) != 0 || (cstr && !is_cstring(p, n)))
			return -1;
	return 0;
}

static int	key_blob_check(const unsigned char *, size_t, int, int *,
		    unsigned int *);

/*
 * The fields of a certificate after the key's own (PROTOCOL.certkeys),
 * as sshkey.c's cert_parse() reads them; the signature is not checked.
 */
static int
cert_fields(struct wire *w)
{
	const unsigned char *s;
	size_t len;
	uint64_t u64;
	uint32_t type;
	unsigned int bits;
	int i;

	if (wire_u64(w, &u64) != 0 || wire_u32(w, &type) != 0 ||
	    (type != 1 && type != 2) ||			/* user, host */
	    wire_string(w, &s, &len) != 0 || !is_cstring(s, len) ||
	    wire_string(w, &s, &len) != 0 || string_list(s, len, 1) != 0 ||
	    wire_u64(w, &u64) != 0 || wire_u64(w, &u64) != 0 ||
	    wire_string(w, &s, &len) != 0 || string_list(s, len, 0) != 0 ||
	    wire_string(w, &s, &len) != 0 || string_list(s, len, 0) != 0 ||
	    wire_skip_string(w) != 0)			/* reserved */
		return -1;
	/* The signer: a plain key, never a certificate. */
	if (wire_string(w, &s, &len) != 0 ||
	    key_blob_check(s, len, 0, &i, &bits) != 0 ||
	    wire_skip_string(w) != 0)			/* signature */
		return -1;
	return 0;
}

/*
 * A key blob as sshkey_from_blob() takes it: a known type, its fields,
 * for a certificate (when cert_ok) the certificate's, and nothing
 * after.  *ip: the type's index; *bits: its size.
 */
static int
key_blob_check(const unsigned char *blob, size_t len, int cert_ok, int *ip,
    unsigned int *bits)
{
	struct wire w;
	const unsigned char *s;
	size_t slen;
	int i, cert;

	wire_init(&w, blob, len);
	if (wire_string(&w, &s, &slen) != 0 || (i = key_type_of(s, slen)) < 0)
		return -1;
	cert = kh_type_is_cert(key_types[i].name);
	if (cert && (!cert_ok || wire_skip_string(&w) != 0))	/* nonce */
		return -1;
	*bits = key_types[i].bits;
	*ip = i;
	if (key_types[i].fields == NULL)
		return 0;		/* not checked: taken whole */
	if (key_fields(&w, i, bits) != 0 || (cert && cert_fields(&w) != 0) ||
	    w.len != 0)
		return -1;
	return 0;
}

/*
 * Fill the type and size of a key from its blob; -1 if the blob is not
 * a key ssh would read.
 */
static int
key_describe(struct kh_key *k)
{
	int i;

	if (key_blob_check(k->blob, k->len, 1, &i, &k->bits) != 0)
		return -1;
	k->type = xstrdup(key_types[i].name);
	return 0;
}

int
kh_key_from_blob(const unsigned char *blob, size_t len, struct kh_key *k)
{
	memset(k, 0, sizeof(*k));
	k->blob = xmalloc(len);
	memcpy(k->blob, blob, len);
	k->len = len;
	if (key_describe(k) != 0) {
		kh_key_free(k);
		return -1;
	}
	return 0;
}

void
kh_key_free(struct kh_key *k)
{
	free(k->blob);
	free(k->type);
	memset(k, 0, sizeof(*k));
}

/*
 * The key named by the type field of a line: sshkey_read() also takes
 * a signature algorithm of RSA as the key type.
 */
static const char *
field_key_type(const char *field)
{
	if (strcmp(field, "rsa-sha2-256") == 0 ||
	    strcmp(field, "rsa-sha2-512") == 0)
		return "ssh-rsa";
	if (strcmp(field, "rsa-sha2-256-cert-v01@openssh.com") == 0 ||
	    strcmp(field, "rsa-sha2-512-cert-v01@openssh.com") == 0)
		return "ssh-rsa-cert-v01@openssh.com";
	return field;
}

int
kh_key_from_base64(const char *type, const char *b64, struct kh_key *k)
{
	memset(k, 0, sizeof(*k));
	if ((k->blob = b64_decode(b64, strlen(b64), &k->len)) == NULL ||
	    k->len == 0)
		goto bad;
	if (key_describe(k) != 0 ||
	    (type != NULL && strcmp(field_key_type(type), k->type) != 0))
		goto bad;
	return 0;
 bad:
	kh_key_free(k);
	return -1;
}

int
kh_key_from_ssh(ssh_key key, struct kh_key *k)
{
	char *b64 = NULL;
	int r;

	memset(k, 0, sizeof(*k));
	if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
		return -1;
	r = kh_key_from_base64(NULL, b64, k);
	ssh_string_free_char(b64);
	return r;
}

int
kh_key_equal(const struct kh_key *a, const struct kh_key *b)
{
	return a->blob != NULL && b->blob != NULL && a->len == b->len &&
	    memcmp(a->blob, b->blob, a->len) == 0;
}

char *
kh_key_base64(const struct kh_key *k)
{
	return b64_encode(k->blob, k->len, 1);
}

char *
kh_key_text(const struct kh_key *k)
{
	char *b64 = kh_key_base64(k), *s;

	xasprintf(&s, "%s %s", k->type, b64);
	free(b64);
	return s;
}

/* ------------------------------------------------------ fingerprints */

static const EVP_MD *
hash_md(int hash)
{
	switch (hash) {
	case FP_HASH_MD5:
		return EVP_md5();
	case FP_HASH_SHA1:
		return EVP_sha1();
	case FP_HASH_SHA384:
		return EVP_sha384();
	case FP_HASH_SHA512:
		return EVP_sha512();
	default:
		return EVP_sha256();
	}
}

const char *
kh_hash_name_of(int hash)
{
	static const char *names[] = {
		[FP_HASH_MD5] = "MD5", [FP_HASH_SHA1] = "SHA1",
		[FP_HASH_SHA256] = "SHA256", [FP_HASH_SHA384] = "SHA384",
		[FP_HASH_SHA512] = "SHA512",
	};

	return hash >= FP_HASH_MD5 && hash <= FP_HASH_SHA512 ?
	    names[hash] : "SHA256";
}

int
kh_key_digest(const struct kh_key *k, int hash, unsigned char *md,
    unsigned int *mdlen)
{
	return EVP_Digest(k->blob, k->len, md, mdlen, hash_md(hash),
	    NULL) == 1 ? 0 : -1;
}

char *
kh_fingerprint(const struct kh_key *k, int hash)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen, i;
	char *s, *b64;

	if (kh_key_digest(k, hash, md, &mdlen) != 0)
		return xstrdup("(unknown)");
	if (hash == FP_HASH_MD5) {
		s = xmalloc(4 + mdlen * 3 + 1);
		strcpy(s, "MD5");
		for (i = 0; i < mdlen; i++)
			snprintf(s + 3 + i * 3, 4, ":%02x", md[i]);
		return s;
	}
	b64 = b64_encode(md, mdlen, 0);
	xasprintf(&s, "%s:%s", kh_hash_name_of(hash), b64);
	free(b64);
	return s;
}

/*
 * The "drunken bishop" picture of ssh's sshkey_fingerprint() with
 * SSH_FP_RANDOMART: a 17x9 field walked two bits of the digest at a
 * time from the centre, each square showing how often it was visited.
 */
#define FLDBASE		8
#define FLDSIZE_Y	(FLDBASE + 1)
#define FLDSIZE_X	(FLDBASE * 2 + 1)

char *
kh_randomart(const struct kh_key *k, int hash)
{
	static const char augment[] = " .o+=*BOX@%&#/^SE";
	const size_t alen = sizeof(augment) - 2;	/* last index */
	unsigned char md[EVP_MAX_MD_SIZE], field[FLDSIZE_X][FLDSIZE_Y];
	char title[FLDSIZE_X], hname[FLDSIZE_X], *ret, *p;
	unsigned int mdlen, i, b;
	size_t tlen, hlen, j;
	int x, y, r, input;

	if (kh_key_digest(k, hash, md, &mdlen) != 0)
		return xstrdup("");
	memset(field, 0, sizeof(field));
	x = FLDSIZE_X / 2;
	y = FLDSIZE_Y / 2;
	for (i = 0; i < mdlen; i++) {
		input = md[i];
		for (b = 0; b < 4; b++) {
			x += (input & 0x1) ? 1 : -1;
			y += (input & 0x2) ? 1 : -1;
			x = x < 0 ? 0 : (x > FLDSIZE_X - 1 ? FLDSIZE_X - 1 : x);
			y = y < 0 ? 0 : (y > FLDSIZE_Y - 1 ? FLDSIZE_Y - 1 : y);
			if (field[x][y] < alen - 2)
				field[x][y]++;
			input >>= 2;
		}
	}
	field[FLDSIZE_X / 2][FLDSIZE_Y / 2] = alen - 1;
	field[x][y] = alen;

	r = snprintf(title, sizeof(title), "[%s %u]", kh_key_kind(k->type),
	    k->bits);
	if (r < 0 || r > (int)sizeof(title))
		r = snprintf(title, sizeof(title), "[%s]",
		    kh_key_kind(k->type));
	tlen = r <= 0 ? 0 : strlen(title);
	r = snprintf(hname, sizeof(hname), "[%s]", kh_hash_name_of(hash));
	hlen = r <= 0 ? 0 : strlen(hname);

	p = ret = xcalloc(FLDSIZE_X + 3, FLDSIZE_Y + 2);
	*p++ = '+';
	for (j = 0; j < (FLDSIZE_X - tlen) / 2; j++)
		*p++ = '-';
	memcpy(p, title, tlen);
	p += tlen;
	for (j += tlen; j < FLDSIZE_X; j++)
		*p++ = '-';
	*p++ = '+';
	*p++ = '\n';
	for (y = 0; y < FLDSIZE_Y; y++) {
		*p++ = '|';
		for (x = 0; x < FLDSIZE_X; x++)
			*p++ = augment[field[x][y] < alen ? field[x][y] : alen];
		*p++ = '|';
		*p++ = '\n';
	}
	*p++ = '+';
	for (j = 0; j < (FLDSIZE_X - hlen) / 2; j++)
		*p++ = '-';
	memcpy(p, hname, hlen);
	p += hlen;
	for (j += hlen; j < FLDSIZE_X; j++)
		*p++ = '-';
	*p++ = '+';
	*p = '\0';
	return ret;
}
