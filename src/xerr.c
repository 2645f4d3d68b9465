/*
 * Error values.  A core function that fails fills a struct xerr and
 * returns -1; callers may prefix the message with context (the hop,
 * the phase) on the way up.
 */
#include <stdio.h>
#include <string.h>

#include "xssh.h"

int
xerr_set(struct xerr *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->code = code;
	e->bare = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* As xerr_set(), for a message printed as ssh prints it: no "xssh: ". */
int
xerr_bare(struct xerr *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->code = code;
	e->bare = 1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Put "<prefix>: " in front of the message already in e. */
int
xerr_prefix(struct xerr *e, const char *fmt, ...)
{
	char prefix[XERR_MSGLEN], old[XERR_MSGLEN];
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	snprintf(e->msg, sizeof(e->msg), "%s: %s", prefix, old);
	return -1;
}
