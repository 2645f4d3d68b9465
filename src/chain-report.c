/*
 * xssh's own views of a chain, for the troubleshooting people do with
 * jump hosts:
 *
 *   --show-chain  every hop's effective settings, in order, without
 *                 connecting ("what will it do?");
 *   --test-chain  connect hop by hop, print what each took and how it
 *                 authenticated, stop at the first failure with its
 *                 cause and a hint ("is it the jump or the target?").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"

static void
print_list(const char *kw, const struct strlist *l, const struct hop *h,
    int expand)
{
	char *v;
	int i;

	if (l->n == 0)
		return;
	printf("    %s", kw);
	for (i = 0; i < l->n; i++) {
		v = expand ? options_expand_tokens(&h->opts, h->name, l->v[i]) :
		    xstrdup(l->v[i]);
		printf(" %s", v);
		free(v);
	}
	printf("\n");
}

static const char *
shk_name(int v)
{
	switch (v) {
	case SHK_YES:
		return "yes";
	case SHK_ACCEPT_NEW:
		return "accept-new";
	case SHK_ASK:
		return "ask";
	default:
		return "no";
	}
}

void
chain_show(const struct chain *c)
{
	const struct hop *h;
	int i;

	for (i = 0; i < c->n; i++) {
		h = c->hop[i];
		printf("hop %d/%d %s\n", h->index, h->count, h->name);
		printf("    user %s\n    hostname %s\n    port %d\n",
		    h->opts.user, h->opts.hostname, h->opts.port);
		if (h->prev != NULL)
			printf("    via %s (direct-tcpip channel)\n",
			    h->prev->name);
		else if (h->opts.proxy_command != NULL &&
		    strcmp(h->opts.proxy_command, "none") != 0)
			printf("    via proxycommand %s\n",
			    h->opts.proxy_command);
		else
			printf("    via tcp\n");
		print_list("identityfile", &h->opts.identity_files, h, 1);
		printf("    identitiesonly %s\n",
		    h->opts.identities_only == 1 ? "yes" : "no");
		print_list("userknownhostsfile",
		    &h->opts.user_known_hosts_files, h, 1);
		printf("    stricthostkeychecking %s\n    batchmode %s\n",
		    shk_name(h->opts.strict_host_key_checking),
		    h->opts.batch_mode == 1 ? "yes" : "no");
		if (h->opts.connect_timeout > 0)
			printf("    connecttimeout %d\n", h->opts.connect_timeout);
		else
			printf("    connecttimeout none\n");
	}
}

/* Where to look next, by what failed and where. */
static void
print_hint(const struct hop *h, int code)
{
	const char *prev = h->prev != NULL ? h->prev->name : NULL;

	printf("hint: ");
	switch (code) {
	case XE_RESOLVE:
		printf("the name %s is not known here: check HostName for %s\n",
		    h->opts.hostname, h->name);
		break;
	case XE_CONNECT:
		if (prev == NULL)
			printf("%s is unreachable from here: check its address "
			    "and port, and the network or firewall between\n",
			    h->name);
		else
			printf("%s cannot reach %s:%d: check the address and "
			    "port as seen from %s, and any firewall between "
			    "them\n", prev, h->opts.hostname, h->opts.port,
			    prev);
		break;
	case XE_CHANNEL:
		printf("%s refuses to forward connections: its sshd may set "
		    "AllowTcpForwarding no, or PermitOpen without %s:%d\n",
		    prev ? prev : "the jump", h->opts.hostname, h->opts.port);
		break;
	case XE_TIMEOUT:
		printf("%s did not answer within ConnectTimeout: the host is "
		    "down, overloaded, or a firewall drops the connection\n",
		    h->name);
		break;
	case XE_HOSTKEY:
		printf("the host key of %s is unknown or has changed: verify "
		    "its fingerprint, then update known_hosts\n", h->name);
		break;
	case XE_AUTH:
		printf("%s refused the credentials: check User and "
		    "IdentityFile for %s (xssh --show-chain lists them)\n",
		    h->name, h->name);
		break;
	default:
		printf("the SSH handshake with %s failed; run with -v for "
		    "details\n", h->name);
		break;
	}
}

/* Called by chain_connect() after each hop is up. */
static void
report_hop(struct hop *h, void *arg)
{
	if (h->state == HOP_SHARED) {
		printf("hop %d/%d %s (%s:%d): %s\n", h->index, h->count,
		    h->name, h->opts.hostname, h->opts.port, h->addr);
		fflush(stdout);
		return;
	}
	printf("hop %d/%d %s (%s:%d): %s %.1f ms, kex %.1f ms, host key %s, "
	    "auth %s %.1f ms\n", h->index, h->count, h->name,
	    h->opts.hostname, h->opts.port, h->prev != NULL ?
	    (h->prev->mux != NULL ? "master's stdio forward" : "channel") :
	    h->proxy_pid > 0 ? "proxy" : "tcp", h->t_open * 1e3,
	    h->t_kex * 1e3, h->hostkey_status, h->auth_method,
	    h->t_auth * 1e3);
	fflush(stdout);
}

/* 0 when every hop came up, -1 (with e set) at the first that did not. */
int
chain_test(struct chain *c, struct xerr *e)
{
	double t0 = monotime();
	int i;

	c->on_hop = report_hop;
	if (chain_connect(c, e) == 0) {
		printf("chain ok: %d hop%s in %.1f ms\n", c->n,
		    c->n == 1 ? "" : "s", (monotime() - t0) * 1e3);
		return 0;
	}
	for (i = 0; i < c->n; i++)
		if (c->hop[i]->state < HOP_AUTHENTICATED)
			break;
	if (i < c->n) {
		printf("hop %d/%d %s: FAILED: %s\n", c->hop[i]->index,
		    c->hop[i]->count, c->hop[i]->name, e->msg);
		print_hint(c->hop[i], e->code);
	}
	fflush(stdout);
	return -1;
}
