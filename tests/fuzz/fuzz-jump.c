/*
 * libFuzzer target for the ProxyJump / -J grammar: any input, strict
 * and lenient, must parse or fail cleanly, with nothing leaked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jumpspec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jumplist l;
	struct xerr e;
	char *s;
	int strict;

	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (strict = 0; strict < 2; strict++) {
		if (jumplist_parse(s, strict, &l, &e) == 0)
			jumplist_free(&l);
	}
	free(s);
	return 0;
}
