/*
 * The master's reading of its clients' messages (see mux-request.h):
 * the layouts of PROTOCOL.mux, each field length-checked by struct
 * wire, strings NUL-free, the port in range, the environment bounded.
 */
#include <stdlib.h>
#include <string.h>

#include "mux.h"
#include "mux-request.h"
#include "wirebuf.h"
#include "xssh.h"

/* MUX_C_NEW_SESSION's body, after type and request id. */
static int
parse_session(struct mux_request *r, struct wire *w)
{
	uint32_t x11, agent, echar;
	char *env;

	if (wire_skip_string(w) != 0 || wire_u32(w, &r->want_tty) != 0 ||
	    wire_u32(w, &x11) != 0 || wire_u32(w, &agent) != 0 ||
	    wire_u32(w, &r->subsys) != 0 || wire_u32(w, &echar) != 0 ||
	    wire_cstring(w, &r->term) != 0 || wire_cstring(w, &r->cmd) != 0)
		return MUXREQ_BAD;
	while (w->len > 0) {
		if (r->n_env == MUXREQ_MAX_ENV || wire_cstring(w, &env) != 0)
			return MUXREQ_BAD;
		r->env = xreallocarray(r->env, r->n_env + 1, sizeof(*r->env));
		r->env[r->n_env++] = env;
	}
	r->nfds = 3;
	return MUXREQ_OK;
}

/* MUX_C_NEW_STDIO_FWD's body. */
static int
parse_stdio(struct mux_request *r, struct wire *w)
{
	if (wire_skip_string(w) != 0 || wire_cstring(w, &r->host) != 0 ||
	    wire_u32(w, &r->port) != 0 || r->port > 65535)
		return MUXREQ_BAD;
	r->nfds = 2;
	return MUXREQ_OK;
}

int
mux_request_parse(const unsigned char *p, size_t n, int hello,
    struct mux_request *r)
{
	struct wire w;

	memset(r, 0, sizeof(*r));
	wire_init(&w, p, n);
	if (wire_u32(&w, &r->type) != 0)
		return MUXREQ_BROKEN;
	if (hello) {
		/* Extensions may follow; a version-4 master ignores them. */
		if (r->type != MUX_MSG_HELLO ||
		    wire_u32(&w, &r->version) != 0 ||
		    r->version != MUX_VERSION)
			return MUXREQ_BROKEN;
		return MUXREQ_OK;
	}
	if (wire_u32(&w, &r->rid) != 0)
		return MUXREQ_BROKEN;
	switch (r->type) {
	case MUX_C_NEW_SESSION:
		return parse_session(r, &w);
	case MUX_C_NEW_STDIO_FWD:
		return parse_stdio(r, &w);
	default:
		return MUXREQ_OK;
	}
}

void
mux_request_free(struct mux_request *r)
{
	int i;

	for (i = 0; i < r->n_env; i++)
		free(r->env[i]);
	free(r->env);
	free(r->term);
	free(r->cmd);
	free(r->host);
	memset(r, 0, sizeof(*r));
}
