/*
 * libFuzzer target for forwarding specifications (src/fwdspec.c and
 * the field reader of src/readconf-misc.c): the input, as a C string,
 * is parsed as -L, -R and -D would take it.
 *
 * Beyond the sanitizers: a spec that parses has a listen side (a port
 * of 0 to 65535, or a path), a connect side unless dynamic (a port of
 * 1 to 65535 and a name of 1 to 255 bytes, or a path), and its
 * listen and connect strings can be made.
 *
 * Covers: src/fwdspec.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fwd.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_QUIET);
	return 0;
}

static void
check(const struct fwdspec *f)
{
	if (f->listen_path == NULL &&
	    (f->listen_port < 0 || f->listen_port > 65535))
		abort();
	if (!f->dynamic && f->connect_path == NULL &&
	    (f->connect_host == NULL || f->connect_port < 1 ||
	    f->connect_port > 65535 || *f->connect_host == '\0' ||
	    strlen(f->connect_host) > 255))
		abort();
	if (f->kind == 'D' && !f->dynamic)
		abort();
	free(fwdspec_listen_str(f));
	free(fwdspec_connect_str(f));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char kinds[] = "LRD";
	struct fwdspec f;
	char *s;
	size_t i;

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	for (i = 0; i < sizeof(kinds) - 1; i++) {
		if (fwdspec_parse(s, kinds[i], &f) != 0)
			continue;
		if (f.kind != kinds[i])
			abort();
		check(&f);
		fwdspec_free(&f);
	}
	(void)fwdspec_local_kind(s);
	free(s);
	return 0;
}
