/*
 * The known_hosts engine: reading and matching known_hosts files as
 * OpenSSH 9.2's hostfile.c does (hashed names, patterns, markers), on
 * keys held as their wire blobs (knownhosts-key.c); writing them is
 * knownhosts-write.c's, RevokedHostKeys knownhosts-krl.c's.  Nothing
 * here talks to a server or to the user; hostkey.c decides what to do
 * with the answers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
/* Far more than any key needs (ssh reads public key files to 64 KiB). */
#define KH_LINE_MAX	(256 * 1024)

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
	char *b64salt, *b64hash, *s;
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
		dec = b64_decode(from, end - from, &n);
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
	return pattern_match_hostname(name, hosts) == 1;
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

/*
 * One line of f, without its newline, into *buf: as getline(), but a
 * line longer than KH_LINE_MAX is read to its end and given as "", so
 * that no file or command output can make it grow without bound.
 * 0 for a line, 1 for one too long, -1 at the end.
 */
static int
read_line(FILE *f, char **buf, size_t *cap)
{
	size_t len = 0;
	int c, toolong = 0;

	if (*buf == NULL) {
		*cap = 256;
		*buf = xmalloc(*cap);
	}
	while ((c = getc(f)) != EOF && c != '\n') {
		if (toolong)
			continue;
		if (len == KH_LINE_MAX) {
			toolong = 1;
			len = 0;
			continue;
		}
		if (len + 1 == *cap) {
			*cap = *cap * 2 > KH_LINE_MAX + 1 ? KH_LINE_MAX + 1 :
			    *cap * 2;
			*buf = xreallocarray(*buf, *cap, 1);
		}
		(*buf)[len++] = c;
	}
	(*buf)[len] = '\0';
	if (c == EOF && len == 0 && !toolong)
		return -1;
	return toolong;
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

	while ((r = read_line(f, &line, &cap)) != -1) {
		lineno++;
		if (r == 1) {
			debug3("%s:%lu: line too long", label, lineno);
			continue;
		}
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
			    "libssh cannot negotiate host certificates",
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
kh_stream_holds(FILE *f, const char *name, const struct kh_key *k)
{
	struct kh_entry e;
	char *line = NULL;
	size_t cap = 0;
	int r, found = 0;

	while (!found && (r = read_line(f, &line, &cap)) != -1) {
		memset(&e, 0, sizeof(e));
		if (r == 1 || kh_parse_line(line, &e) != 1)
			continue;
		found = e.marker == KH_MARK_NONE && kh_key_equal(k, &e.key) &&
		    kh_match_hosts(name, e.hosts);
		entry_free(&e);
	}
	free(line);
	return found;
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
	int r;

	if (kh_type_is_cert(k->type) || (f = fopen(path, "r")) == NULL)
		return;
	shown = tilde_unexpand(path);
	while ((r = read_line(f, &line, &cap)) != -1) {
		lineno++;
		memset(&e, 0, sizeof(e));
		if (r == 1)
			continue;
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
