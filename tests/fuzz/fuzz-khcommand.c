/*
 * libFuzzer target for KnownHostsCommand output (src/knownhosts.c):
 * the input is what the command printed, read as hostkey.c reads it
 * (kh_load_stream() on a stream, here fmemopen()), for the names a hop
 * is looked up by; the entries found are then checked against a key,
 * as for a server's key.
 *
 * Beyond the sanitizers: every entry found names the name, carries a
 * parsed key and its line number, and comes from the command.
 *
 * Covers: src/knownhosts.c src/knownhosts-key.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knownhosts.h"
#include "xssh.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *names[] = { "[127.0.0.1]:2222", "host.example.com" };
static struct kh_key server;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_QUIET);
	if (kh_key_from_base64("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAINpA"
	    "3d/EmRLOZJXaL43n4G3yXulTbnmdwGgeh7Y4LTDC", &server) != 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct kh_entry *found;
	struct kh_list l;
	size_t i, j;
	FILE *f;
	int st;

	if (size == 0)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((f = fmemopen((void *)data, size, "r")) == NULL)
			abort();
		memset(&l, 0, sizeof(l));
		kh_load_stream(&l, names[i], f, "KnownHostsCommand-HOSTNAME",
		    1);
		fclose(f);
		for (j = 0; j < l.n; j++)
			if (!kh_match_hosts(names[i], l.v[j].hosts) ||
			    l.v[j].key.blob == NULL || l.v[j].line == 0 ||
			    !l.v[j].from_command)
				abort();
		st = kh_check(&l, &server, &found);
		if ((st == KH_OK || st == KH_CHANGED) != (found != NULL))
			abort();
		(void)kh_have_type(&l, "ssh-ed25519");
		kh_list_free(&l);
	}
	return 0;
}
