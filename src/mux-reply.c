/* The client's reading of a master's messages (see mux-reply.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mux.h"
#include "mux-reply.h"
#include "wirebuf.h"

/* Extensions a hello may carry: bounded, as the packet is. */
#define MUX_MAX_EXT	1024

static int
parse_hello(struct wire *w, struct mux_reply *r)
{
	char *name;

	if (wire_u32(w, &r->value) != 0)
		return -1;
	while (w->len > 0) {
		if (r->n_ext == MUX_MAX_EXT || wire_cstring(w, &name) != 0)
			return -1;
		free(name);
		if (wire_skip_string(w) != 0)
			return -1;
		r->n_ext++;
	}
	return 0;
}

int
mux_reply_parse(const unsigned char *p, size_t n, struct mux_reply *r)
{
	struct wire w;
	char *s;

	memset(r, 0, sizeof(*r));
	wire_init(&w, p, n);
	if (wire_u32(&w, &r->type) != 0)
		return -1;
	if (r->type == MUX_MSG_HELLO)
		return parse_hello(&w, r);
	if (wire_u32(&w, &r->id) != 0)
		return -1;
	switch (r->type) {
	case MUX_S_ALIVE:
	case MUX_S_SESSION_OPENED:
	case MUX_S_REMOTE_PORT:
	case MUX_S_EXIT_MESSAGE:
		return wire_u32(&w, &r->value);
	case MUX_S_PERMISSION_DENIED:
	case MUX_S_FAILURE:
		if (wire_cstring(&w, &s) != 0) {
			snprintf(r->reason, sizeof(r->reason),
			    "(unparseable reason)");
			return 0;
		}
		snprintf(r->reason, sizeof(r->reason), "%s", s);
		free(s);
		/* It goes to the user's terminal: no control characters. */
		for (s = r->reason; *s != '\0'; s++)
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				*s = '?';
		return 0;
	default:
		return 0;
	}
}
