/*
 * Resolving the hop list, as OpenSSH would if it ran one ssh per hop:
 * the destination takes the command line's options and its config
 * blocks; its ProxyJump (from -J or config) names the hops before it.
 * The last hop of that list is resolved with its own config blocks
 * and the rest of the list as its own -J, so only the first hop of a
 * list can extend the chain further with its own ProxyJump.
 *
 * Resolution is deterministic in (name, user, port, jump list): when
 * one of those repeats, the chain would never end, and we say so with
 * the loop spelled out instead of recursing like ssh does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "chain.h"
#include "jumpspec.h"
#include "validname.h"

/* What decides a hop's resolution; a repeat means a loop. */
struct resolve_key {
	char	*name;
	char	*user;
	int	 port;
	char	*jump;
};

struct resolver {
	struct args *args;
	struct resolve_key stack[CHAIN_MAX_HOPS + 1];
	int	 depth;
	struct chain *chain;
};

const char *
hop_label(const struct hop *h, char *buf, size_t len)
{
	const char *host = h->opts.hostname != NULL ? h->opts.hostname : "";

	if (strchr(host, ':') != NULL)
		snprintf(buf, len, "[%s]:%d", host, h->opts.port);
	else
		snprintf(buf, len, "%s:%d", host, h->opts.port);
	return buf;
}

/*
 * An error at a hop.  In a chain: "hop 2/3 name (addr:port) via prev:
 * phase: detail".  For a lone destination, ssh's own wording.
 */
int
hop_error(const struct hop *h, struct xerr *e, int code, const char *phase,
    const char *fmt, ...)
{
	char detail[XERR_MSGLEN], label[300], via[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (h->count <= 1) {
		if (strcmp(phase, "connect") == 0)
			return xerr_set(e, code, "connect to host %s port %d: "
			    "%s", h->opts.hostname, h->opts.port, detail);
		xerr_set(e, code, "%s", detail);
		/* ssh prints these without its name in front. */
		e->bare = strcmp(phase, "host key") == 0 ||
		    strcmp(phase, "auth") == 0 ||
		    strcmp(phase, "keepalive") == 0;
		return -1;
	}
	via[0] = '\0';
	if (h->prev != NULL)
		snprintf(via, sizeof(via), " via %s", h->prev->name);
	return xerr_set(e, code, "hop %d/%d %s (%s)%s: %s: %s", h->index,
	    h->count, h->name, hop_label(h, label, sizeof(label)), via, phase,
	    detail);
}

static int
key_equal(const struct resolve_key *a, const struct resolve_key *b)
{
	return strcmp(a->name, b->name) == 0 && a->port == b->port &&
	    ((a->user == NULL && b->user == NULL) || (a->user != NULL &&
	    b->user != NULL && strcmp(a->user, b->user) == 0)) &&
	    ((a->jump == NULL && b->jump == NULL) || (a->jump != NULL &&
	    b->jump != NULL && strcmp(a->jump, b->jump) == 0));
}

/* "db -> bastion -> bastion": the stack from the destination on. */
static void
loop_text(struct resolver *r, const char *last, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < r->depth && off < len; i++)
		off += snprintf(buf + off, len - off, "%s -> ",
		    r->stack[i].name);
	if (off < len)
		snprintf(buf + off, len - off, "%s", last);
}

/* The jump list without its last element, joined by commas. */
static char *
list_head(const char *jump)
{
	const char *comma;

	if ((comma = strrchr(jump, ',')) == NULL)
		return NULL;
	return strndup(jump, comma - jump);
}

/* A hop's -J list, user and name, as its own ssh would check them. */
static int
hop_names_check(const char *user, const char *name, const char *jump,
    struct xerr *e)
{
	if (jump != NULL && jumplist_check_cmdline(jump, e) != 0)
		return -1;
	return validname_check(user, name, e);
}

/*
 * ssh.c: the jump just before the destination must not be the
 * destination itself (same host, port and user, the jump's defaulting
 * to 22 and the destination's user).
 */
static int
jump_loops(const struct options *o, const struct jumpspec *j,
    struct xerr *e)
{
	int jport = j->port > 0 ? j->port : 22;
	const char *juser = j->user != NULL ? j->user : o->user;

	if (o->hostname != NULL && strcmp(j->host, o->hostname) == 0 &&
	    jport == o->port && juser != NULL && o->user != NULL &&
	    strcmp(juser, o->user) == 0) {
		xerr_set(e, XE_CONFIG, "jumphost loop via %s", j->host);
		return 1;
	}
	return 0;
}

static int
resolve(struct resolver *r, const char *name, const char *user, int port,
    const char *jump, int is_dest, struct xerr *e)
{
	struct resolve_key *k;
	struct options opts;
	struct jumplist list;
	struct hop *h;
	char loop[1024], *expanded = NULL, *head = NULL;
	int i, rc = -1;

	k = &r->stack[r->depth];
	k->name = (char *)name;
	k->user = (char *)user;
	k->port = port;
	k->jump = (char *)jump;
	/*
	 * The destination's key is what its command line gives (-l, -p,
	 * -J), as a jump's is what its ssh -W would get: so "-J 127.0.0.1
	 * 127.0.0.1" is two different hops (it connects with ssh when the
	 * config sets a Port), and ssh's own check for that case, the
	 * "jumphost loop via", is below.
	 */
	if (is_dest) {
		k->user = r->args->opts.user;
		k->port = r->args->opts.port;
		k->jump = r->args->opts.proxy_jump;
	}
	for (i = 0; i < r->depth; i++) {
		if (key_equal(&r->stack[i], k)) {
			loop_text(r, name, loop, sizeof(loop));
			return xerr_set(e, XE_LOOP, "ProxyJump loop: %s", loop);
		}
	}
	if (r->depth >= CHAIN_MAX_HOPS) {
		loop_text(r, name, loop, sizeof(loop));
		return xerr_set(e, XE_LOOP, "ProxyJump chain longer than %d "
		    "hops: %s", CHAIN_MAX_HOPS, loop);
	}
	r->depth++;

	if (is_dest) {
		opts = r->args->opts;
		options_init(&r->args->opts);
	} else {
		/*
		 * ssh would run "ssh [-l user] [-J head] ... name" for
		 * this hop, and that ssh would refuse on its command line
		 * what the config's ProxyJump let through: the rest of
		 * the list, then the user, then the name.  So nothing of
		 * the hop's own config runs with such a name in it.
		 */
		if (hop_names_check(user, name, jump, e) != 0) {
			r->depth--;
			return -1;
		}
		/* A hop's ssh gets -l, -p and -J from the list, no more. */
		options_init(&opts);
		if (user != NULL)
			opts.user = xstrdup(user);
		opts.port = port;
		if (jump != NULL) {
			opts.proxy_jump = xstrdup(jump);
			opts.proxy_command = xstrdup("none");
		}
	}
	if (readconf_files(&opts, name, r->args->config_file, e) != 0)
		goto out;
	options_fill_defaults(&opts, name);
	if (opts.connection_attempts <= 0) {
		xerr_set(e, XE_CONFIG, "Invalid number of ConnectionAttempts");
		goto out;
	}

	if (opts.proxy_jump != NULL && strcmp(opts.proxy_jump, "none") != 0) {
		expanded = options_expand(&opts, name, opts.proxy_jump,
		    XP_PROXY, e);
		if (expanded == NULL)
			goto out;
		if (jumplist_parse(expanded, 0, &list, e) != 0) {
			xerr_prefix(e, "%s: Invalid ProxyJump \"%s\"", name,
			    expanded);
			goto out;
		}
		if (list.n > 0 && is_dest &&
		    jump_loops(&opts, &list.v[list.n - 1], e)) {
			jumplist_free(&list);
			goto out;
		}
		if (list.n > 0) {
			head = list_head(expanded);
			rc = resolve(r, list.v[list.n - 1].host,
			    list.v[list.n - 1].user, list.v[list.n - 1].port,
			    head, 0, e);
			jumplist_free(&list);
			if (rc != 0)
				goto out;
			rc = -1;
		}
	}

	h = xcalloc(1, sizeof(*h));
	h->name = xstrdup(name);
	h->opts = opts;
	options_init(&opts);
	h->fd = h->lib_fd = -1;
	r->chain->hop = xreallocarray(r->chain->hop, r->chain->n + 1,
	    sizeof(*r->chain->hop));
	r->chain->hop[r->chain->n++] = h;
	rc = 0;
 out:
	free(expanded);
	free(head);
	options_free(&opts);
	r->depth--;
	return rc;
}

int
chain_resolve(struct chain *c, struct args *a, struct xerr *e)
{
	struct resolver r;
	int i;

	memset(c, 0, sizeof(*c));
	memset(&r, 0, sizeof(r));
	r.args = a;
	r.chain = c;
	if (resolve(&r, a->host, NULL, -1, NULL, 1, e) != 0) {
		chain_free(c);
		return -1;
	}
	for (i = 0; i < c->n; i++) {
		c->hop[i]->index = i + 1;
		c->hop[i]->count = c->n;
		c->hop[i]->prev = i > 0 ? c->hop[i - 1] : NULL;
	}
	return 0;
}

void
chain_free(struct chain *c)
{
	int i;

	chain_free_links(c);
	for (i = 0; i < c->n; i++) {
		options_free(&c->hop[i]->opts);
		free(c->hop[i]->name);
		free(c->hop[i]);
	}
	free(c->hop);
	c->hop = NULL;
	c->n = 0;
}
