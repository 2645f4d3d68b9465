/*
 * libFuzzer target for known_hosts lines and hashed entries
 * (src/knownhosts.c, src/knownhosts-key.c, src/match.c): the first
 * input line is a host name, each other line is parsed as a known_hosts
 * line, and its host field (hashed, or a pattern list) matched against
 * that name and a few fixed ones.
 *
 * Beyond the sanitizers: a hashed field matches a name exactly when
 * hashing the name with the field's salt gives the field; a parsed key
 * written out as a line ("type base64") reads back as the same key, of
 * the same type and size; fingerprints and randomart are drawn.
 *
 * Covers: src/knownhosts.c src/knownhosts-key.c src/match.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "knownhosts.h"
#include "xssh.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *names[] = {
	"host.example.com", "[127.0.0.1]:2222", "10.0.0.1", "::1",
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_QUIET);
	return 0;
}

static void
check_hashed(const char *name, const char *hosts)
{
	char *h;
	int m;

	m = kh_match_hosts(name, hosts);
	if ((h = kh_hash_host(name, hosts)) == NULL) {
		if (m)
			abort();
		return;
	}
	if (strncmp(h, "|1|", 3) != 0 || m != (strcmp(h, hosts) == 0))
		abort();
	free(h);
}

static void
check_key(const struct kh_key *k)
{
	struct kh_entry e;
	char *text, *line, *s;

	text = kh_key_text(k);
	xasprintf(&line, "h %s", text);
	memset(&e, 0, sizeof(e));
	if (kh_parse_line(line, &e) != 1 || !kh_key_equal(k, &e.key) ||
	    strcmp(k->type, e.key.type) != 0 || k->bits != e.key.bits)
		abort();
	free(e.hosts);
	kh_key_free(&e.key);
	free(line);
	free(text);
	free(kh_fingerprint(k, FP_HASH_SHA256));
	free(kh_fingerprint(k, FP_HASH_MD5));
	s = kh_randomart(k, FP_HASH_SHA256);
	if (strlen(s) != 20 * 11 - 1)	/* 11 lines of 19, with newlines */
		abort();
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kh_entry e;
	char *buf, *line, *next, *name;
	size_t i;

	buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	name = buf;
	if ((line = strchr(buf, '\n')) == NULL) {
		free(buf);
		return 0;
	}
	*line++ = '\0';
	for (; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		memset(&e, 0, sizeof(e));
		if (kh_parse_line(line, &e) != 1)
			continue;
		if (strncmp(e.hosts, "|1|", 3) == 0) {
			check_hashed(name, e.hosts);
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				check_hashed(names[i], e.hosts);
		} else {
			(void)kh_match_hosts(name, e.hosts);
			for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
				(void)kh_match_hosts(names[i], e.hosts);
		}
		check_key(&e.key);
		free(e.hosts);
		kh_key_free(&e.key);
	}
	free(buf);
	return 0;
}
