/*
 * libFuzzer target for RevokedHostKeys files (src/knownhosts-krl.c):
 * the input is the file's bytes, a KRL (PROTOCOL.krl) or public keys
 * one a line, checked for two keys that the seed KRLs revoke in each of
 * their ways.
 *
 * Beyond the sanitizers: the answer is 1, 0 or -1, and the same for
 * the same bytes every time.
 *
 * Covers: src/knownhosts-krl.c src/knownhosts-key.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "knownhosts.h"
#include "xssh.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The keys the seed KRLs revoke, by explicit key, SHA1 and SHA256
 * (ssh-keygen -t ed25519; the second is also their certificates' CA).
 */
static const char *keys[] = {
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINpA3d/EmRLOZJXaL43n4G3yXulTbnm"
	    "dwGgeh7Y4LTDC",
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILwyYUpKp2g4HZ43QVAEeVUEeBY13iG"
	    "uWNQCms2ux5Bb",
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))
static struct kh_key k[NKEYS];
static int nk;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *t, *b;
	size_t i;

	log_set_level(LOG_QUIET);
	for (i = 0; i < NKEYS; i++) {
		t = xstrdup(keys[i]);
		b = strchr(t, ' ');
		*b++ = '\0';
		if (kh_key_from_base64(t, b, &k[nk]) == 0)
			nk++;
		free(t);
	}
	if (nk == 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int i, r;

	for (i = 0; i < nk; i++) {
		r = kh_revoked_by_blob(data, size, &k[i]);
		if (r < -1 || r > 1 || r != kh_revoked_by_blob(data, size,
		    &k[i]))
			abort();
	}
	return 0;
}
