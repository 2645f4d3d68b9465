/*
 * libFuzzer target for the ~C command line (escape_cmdline_parse() in
 * src/escape.c): the input, as a C string, is read as the line typed
 * at "ssh> ", with PermitLocalCommand off and on, and a forwarding's
 * specification is then parsed as ~C would parse it.
 *
 * Beyond the sanitizers: the result is one of the known types; the
 * command or specification points into the line; !cmd only with
 * PermitLocalCommand; a forwarding is L, R or D, and only a
 * forwarding can be a cancel.
 *
 * Covers: src/escape.c src/fwdspec.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
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
check(const char *s, size_t len, int local)
{
	struct fwdspec f;
	struct cmdline c;

	escape_cmdline_parse(s, local, &c);
	switch (c.type) {
	case CMDLINE_EMPTY:
	case CMDLINE_HELP:
	case CMDLINE_INVALID:
		if (c.arg != NULL || c.cancel)
			abort();
		return;
	case CMDLINE_LOCAL:
		if (!local || c.cancel)
			abort();
		break;
	case CMDLINE_FORWARD:
		if (c.kind != 'L' && c.kind != 'R' && c.kind != 'D')
			abort();
		break;
	default:
		abort();
	}
	if (c.arg == NULL || c.arg < s || c.arg > s + len ||
	    c.arg + strlen(c.arg) != s + len)
		abort();
	if (c.type != CMDLINE_FORWARD)
		return;
	/* As fwd_cancel() and fwd_add_spec() take it. */
	if (fwdspec_parse(c.arg, c.cancel ? 'D' : c.kind, &f) == 0)
		fwdspec_free(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	size_t len;

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	len = strlen(s);
	check(s, len, 0);
	check(s, len, 1);
	free(s);
	return 0;
}
