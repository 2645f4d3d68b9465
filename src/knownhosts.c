/*
 * The known_hosts engine: reading, matching and writing known_hosts
 * files as OpenSSH 9.2's hostfile.c does, on keys held as their wire
 * blobs.  Nothing here talks to a server or to the user; hostkey.c
 * decides what to do with the answers.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "knownhosts.h"
#include "match.h"
#include "wirebuf.h"

#define HASH_MAGIC	"|1|"
#define HASH_DELIM	'|'
#define SHA1_LEN	20
#define CA_MARKER	"@cert-authority"
#define REVOKE_MARKER	"@revoked"


/* ------------------------------------------------------------ blobs */

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

/* The key types OpenSSH 9.2 reads, plain and certified. */
static const struct {
	const char *name;
	const char *kind;
	unsigned int bits;	/* fixed size, 0: from the blob */
} key_types[] = {
	{ "ssh-ed25519", "ED25519", 256 },
	{ "ssh-ed25519-cert-v01@openssh.com", "ED25519-CERT", 256 },
	{ "sk-ssh-ed25519@openssh.com", "ED25519-SK", 256 },
	{ "sk-ssh-ed25519-cert-v01@openssh.com", "ED25519-SK-CERT", 256 },
	{ "ecdsa-sha2-nistp256", "ECDSA", 256 },
	{ "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ECDSA-CERT", 256 },
	{ "ecdsa-sha2-nistp384", "ECDSA", 384 },
	{ "ecdsa-sha2-nistp384-cert-v01@openssh.com", "ECDSA-CERT", 384 },
	{ "ecdsa-sha2-nistp521", "ECDSA", 521 },
	{ "ecdsa-sha2-nistp521-cert-v01@openssh.com", "ECDSA-CERT", 521 },
	{ "sk-ecdsa-sha2-nistp256@openssh.com", "ECDSA-SK", 256 },
	{ "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "ECDSA-SK-CERT",
	    256 },
	{ "ssh-rsa", "RSA", 0 },
	{ "ssh-rsa-cert-v01@openssh.com", "RSA-CERT", 0 },
	{ "ssh-dss", "DSA", 0 },
	{ "ssh-dss-cert-v01@openssh.com", "DSA-CERT", 0 },
	{ "ssh-xmss@openssh.com", "XMSS", 256 },
	{ "ssh-xmss-cert-v01@openssh.com", "XMSS-CERT", 256 },
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

/*
 * Fill the type and size of a key from its blob; -1 if the blob does
 * not start with a known type name.
 */
static int
key_describe(struct kh_key *k)
{
	struct wire r;
	const unsigned char *s, *skip;
	size_t slen, skiplen;
	int i;

	wire_init(&r, k->blob, k->len);
	if (wire_string(&r, &s, &slen) != 0)
		return -1;
	k->type = xmalloc(slen + 1);
	memcpy(k->type, s, slen);
	k->type[slen] = '\0';
	if (strlen(k->type) != slen || (i = key_type_index(k->type)) < 0)
		return -1;
	k->bits = key_types[i].bits;
	if (k->bits != 0)
		return 0;
	/* RSA: e then n; DSA: p first.  Certificates have a nonce first. */
	if (kh_type_is_cert(k->type) && wire_string(&r, &skip, &skiplen) != 0)
		return -1;
	if (strncmp(k->type, "ssh-rsa", 7) == 0 &&
	    wire_string(&r, &skip, &skiplen) != 0)
		return -1;
	if (wire_string(&r, &s, &slen) != 0)
		return -1;
	k->bits = mpint_bits(s, slen);
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

static int
digest(const struct kh_key *k, int hash, unsigned char *md,
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

	if (digest(k, hash, md, &mdlen) != 0)
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

	if (digest(k, hash, md, &mdlen) != 0)
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

/* ------------------------------------------------------------- names */

char *
kh_host_port(const char *host, int port)
{
	char *s;

	if (port == 0 || port == 22)
		return xstrdup(host);
	xasprintf(&s, "[%s]:%d", host, port);
	return s;
}

char *
kh_hash_host(const char *name, const char *from)
{
	unsigned char salt[SHA1_LEN], md[EVP_MAX_MD_SIZE], *dec = NULL;
	unsigned int mdlen = 0;
	const char *end;
	char *b64salt, *b64hash, *s, *tmp;
	size_t n;

	if (from == NULL) {
		if (RAND_bytes(salt, sizeof(salt)) != 1)
			return NULL;
	} else {
		if (strncmp(from, HASH_MAGIC, strlen(HASH_MAGIC)) != 0)
			return NULL;
		from += strlen(HASH_MAGIC);
		if ((end = strchr(from, HASH_DELIM)) == NULL ||
		    end == from || end - from > 1024)
			return NULL;
		tmp = strndup(from, end - from);
		dec = b64_decode(tmp, strlen(tmp), &n);
		free(tmp);
		if (dec == NULL || n != SHA1_LEN) {
			free(dec);
			return NULL;
		}
		memcpy(salt, dec, SHA1_LEN);
		free(dec);
	}
	if (HMAC(EVP_sha1(), salt, sizeof(salt), (const unsigned char *)name,
	    strlen(name), md, &mdlen) == NULL)
		return NULL;
	b64salt = b64_encode(salt, sizeof(salt), 1);
	b64hash = b64_encode(md, mdlen, 1);
	xasprintf(&s, "%s%s%c%s", HASH_MAGIC, b64salt, HASH_DELIM, b64hash);
	free(b64salt);
	free(b64hash);
	return s;
}

/* ssh's match_maybe_hashed(): 1 match, 0 no, -1 a bad hashed field. */
static int
match_maybe_hashed(const char *name, const char *hosts)
{
	char *h;
	int r;

	if (*hosts == HASH_DELIM) {
		if ((h = kh_hash_host(name, hosts)) == NULL)
			return -1;
		r = strcmp(h, hosts) == 0;
		free(h);
		return r;
	}
	return match_hostname(name, hosts) == 1;
}

int
kh_match_hosts(const char *name, const char *hosts)
{
	return match_maybe_hashed(name, hosts) == 1;
}

/* ------------------------------------------------------------- lines */

/* ssh's check_markers(): the marker, or -1 for a bad one. */
static int
check_markers(char **cpp)
{
	char marker[32], *sp, *cp = *cpp;
	int ret = KH_MARK_NONE;

	while (*cp == '@') {
		if (ret != KH_MARK_NONE)
			return -1;
		if ((sp = strchr(cp, ' ')) == NULL &&
		    (sp = strchr(cp, '\t')) == NULL)
			return -1;
		if (sp <= cp + 1 || sp >= cp + sizeof(marker))
			return -1;
		memcpy(marker, cp, sp - cp);
		marker[sp - cp] = '\0';
		if (strcmp(marker, CA_MARKER) == 0)
			ret = KH_MARK_CA;
		else if (strcmp(marker, REVOKE_MARKER) == 0)
			ret = KH_MARK_REVOKED;
		else
			return -1;
		for (cp = sp; *cp == ' ' || *cp == '\t'; cp++)
			;
	}
	*cpp = cp;
	return ret;
}

int
kh_parse_line(char *line, struct kh_entry *e)
{
	char *cp, *hosts, *type, *b64;
	int marker;

	line[strcspn(line, "\r\n")] = '\0';
	for (cp = line; *cp == ' ' || *cp == '\t'; cp++)
		;
	if (*cp == '\0' || *cp == '#')
		return 0;
	if ((marker = check_markers(&cp)) == -1)
		return -1;
	hosts = cp;
	cp += strcspn(cp, " \t");
	if (*cp == '\0')
		return -1;
	*cp++ = '\0';
	cp += strspn(cp, " \t");
	if (*cp == '\0' || *cp == '#')
		return -1;		/* truncated before key type */
	type = cp;
	cp += strcspn(cp, " \t");
	if (*cp == '\0')
		return -1;
	*cp++ = '\0';
	cp += strspn(cp, " \t");
	b64 = cp;
	cp += strcspn(cp, " \t");
	*cp = '\0';
	if (kh_key_from_base64(type, b64, &e->key) != 0)
		return -1;
	e->marker = marker;
	e->hosts = xstrdup(hosts);
	e->from_command = 0;
	return 1;
}

static void
entry_free(struct kh_entry *e)
{
	free(e->file);
	free(e->hosts);
	kh_key_free(&e->key);
}

void
kh_list_free(struct kh_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		entry_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
kh_load_stream(struct kh_list *l, const char *name, FILE *f,
    const char *label, int from_command)
{
	struct kh_entry e;
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	int r;

	while (getline(&line, &cap, f) != -1) {
		lineno++;
		memset(&e, 0, sizeof(e));
		if ((r = kh_parse_line(line, &e)) == 0)
			continue;
		if (r == -1) {
			/* Bad lines are skipped when they would match. */
			debug3("%s:%lu: invalid known_hosts line", label,
			    lineno);
			continue;
		}
		if (!kh_match_hosts(name, e.hosts)) {
			entry_free(&e);
			continue;
		}
		if (e.marker == KH_MARK_CA)
			debug("%s:%lu: @cert-authority line for %s ignored: "
			    "libssh 0.10 cannot negotiate host certificates",
			    label, lineno, name);
		debug3("%s:%lu: found %skey type %s for %s", label, lineno,
		    e.marker == KH_MARK_NONE ? "" : e.marker == KH_MARK_CA ?
		    "ca " : "revoked ", e.key.type, name);
		e.file = xstrdup(label);
		e.line = lineno;
		e.from_command = from_command;
		l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
		l->v[l->n++] = e;
	}
	free(line);
}

int
kh_load_file(struct kh_list *l, const char *name, const char *path)
{
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		debug("load_hostkeys: fopen %s: %s", path, strerror(errno));
		return -1;
	}
	kh_load_stream(l, name, f, path, 0);
	fclose(f);
	return 0;
}

/* ------------------------------------------------------------ checks */

int
kh_check(const struct kh_list *l, const struct kh_key *k,
    const struct kh_entry **found)
{
	int status = KH_NEW;
	size_t i;

	*found = NULL;
	for (i = 0; i < l->n; i++) {
		if (l->v[i].marker != KH_MARK_NONE)
			continue;
		if (kh_key_equal(k, &l->v[i].key)) {
			status = KH_OK;
			*found = &l->v[i];
			break;
		}
		status = KH_CHANGED;
		*found = &l->v[i];
	}
	for (i = 0; i < l->n; i++) {
		if (l->v[i].marker == KH_MARK_REVOKED &&
		    kh_key_equal(k, &l->v[i].key)) {
			*found = NULL;
			return KH_REVOKED;
		}
	}
	return status;
}

int
kh_have_type(const struct kh_list *l, const char *type)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].marker == KH_MARK_NONE &&
		    strcmp(l->v[i].key.type, type) == 0)
			return 1;
	return 0;
}

int
kh_have_marker(const struct kh_list *l, int marker)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].marker == marker)
			return 1;
	return 0;
}

/* ssh's try_tilde_unexpand(): $HOME/x shown as ~/x. */
static char *
tilde_unexpand(const char *path)
{
	const char *home = getenv("HOME");
	size_t l;
	char *s;

	if (*path != '/' || home == NULL || (l = strlen(home)) == 0 ||
	    strncmp(path, home, l) != 0 ||
	    (home[l - 1] != '/' && path[l] != '/'))
		return xstrdup(path);
	if (path[l] == '/')
		l++;
	xasprintf(&s, "~/%s", path + l);
	return s;
}

void
kh_other_names(const char *path, const char *name, const struct kh_key *k,
    struct strlist *out)
{
	struct kh_entry e;
	char *line = NULL, *shown, *s;
	size_t cap = 0;
	unsigned long lineno = 0;
	FILE *f;

	if (kh_type_is_cert(k->type) || (f = fopen(path, "r")) == NULL)
		return;
	shown = tilde_unexpand(path);
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		memset(&e, 0, sizeof(e));
		if (kh_parse_line(line, &e) != 1)
			continue;
		/* Lines naming this host are not "other" names. */
		if (e.marker == KH_MARK_NONE && kh_key_equal(k, &e.key) &&
		    match_maybe_hashed(name, e.hosts) == 0) {
			debug("found matching key in %s:%lu", shown, lineno);
			xasprintf(&s, "%s:%lu: %s", shown, lineno,
			    strncmp(e.hosts, HASH_MAGIC,
			    strlen(HASH_MAGIC)) == 0 ? "[hashed name]" :
			    e.hosts);
			strlist_add(out, s);
			free(s);
		}
		entry_free(&e);
	}
	free(line);
	free(shown);
	fclose(f);
}

/* ------------------------------------------------------------ writing */

/* As ssh: create ~/.ssh when the file is to live in it. */
static void
create_user_ssh_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	char *dir;
	size_t len;

	if (slash == NULL)
		return;
	len = slash - path;
	xasprintf(&dir, "%s/.ssh", local_home());
	if (strlen(dir) > len || strncmp(path, dir, len) != 0 ||
	    stat(dir, &st) == 0)
		goto out;
	if (errno != ENOENT)
		error("Could not stat %s: %s", dir, strerror(errno));
	else if (mkdir(dir, 0700) == -1)
		error("Could not create directory '%.200s' (%s).", dir,
		    strerror(errno));
 out:
	free(dir);
}

static int
write_entry(FILE *f, const char *host, const char *ip,
    const struct kh_key *k, int hash)
{
	char *lhost = xstrdup(host), *hashed = NULL, *text, *p;
	int ok;

	for (p = lhost; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	if (hash && (hashed = kh_hash_host(lhost, NULL)) == NULL) {
		error("write_host_entry: host_hash failed");
		free(lhost);
		return 0;
	}
	text = kh_key_text(k);
	if (hash)
		ok = fprintf(f, "%s %s\n", hashed, text) > 0;
	else if (ip != NULL)
		ok = fprintf(f, "%s,%s %s\n", lhost, ip, text) > 0;
	else
		ok = fprintf(f, "%s %s\n", lhost, text) > 0;
	free(text);
	free(hashed);
	free(lhost);
	/* Hashed, the address goes on a line of its own. */
	if (ok && hash && ip != NULL)
		ok = write_entry(f, ip, NULL, k, 1);
	return ok;
}

int
kh_add(const char *path, const char *host, const char *ip,
    const struct kh_key *k, int hash)
{
	FILE *f;
	int ok, c = '\n';

	create_user_ssh_dir(path);
	if ((f = fopen(path, "a+")) == NULL)
		return -1;
	/* Never glue the new line to a last line without its newline. */
	if (fseek(f, -1, SEEK_END) == 0)
		c = fgetc(f);
	fseek(f, 0, SEEK_END);
	ok = (c == '\n' || c == EOF || fputc('\n', f) != EOF) &&
	    write_entry(f, host, ip, k, hash);
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

/* ------------------------------------------------------ revocations */

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
	if (digest(k, FP_HASH_SHA1, md1, &md1len) != 0 ||
	    digest(k, FP_HASH_SHA256, md256, &md256len) != 0)
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
