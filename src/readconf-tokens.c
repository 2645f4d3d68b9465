/*
 * %-tokens and ${ENV} in ssh_config values, as OpenSSH 9.2's
 * vdollar_percent_expand() and the token sets of ssh_config(5) TOKENS.
 */
#include <sys/types.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "readconf.h"

/*
 * ssh's vdollar_percent_expand(): "${VAR}" from the environment when
 * dollar is set, "%c" from toks when toks is not NULL.  On failure
 * returns NULL and why holds ssh's first message line; *missing is
 * set when the only trouble was an unset variable.
 */
char *
rc_expand(const char *s, const struct tok *toks, int ntok, int dollar,
    char *why, size_t whylen, int *missing)
{
	char *out, *var;
	const char *end, *add;
	size_t len = 0, cap = strlen(s) + 1, n;
	int i;

	*missing = 0;
	out = xmalloc(cap);
	for (; *s != '\0'; s++) {
		add = s;
		n = 1;
		if (dollar && s[0] == '$' && s[1] == '{') {
			s += 2;
			if ((end = strchr(s, '}')) == NULL) {
				snprintf(why, whylen, "environment variable "
				    "'%s' missing closing '}'", s);
				goto fail;
			}
			if (end == s) {
				snprintf(why, whylen,
				    "zero-length environment variable");
				goto fail;
			}
			var = xmalloc(end - s + 1);
			memcpy(var, s, end - s);
			var[end - s] = '\0';
			if ((add = getenv(var)) == NULL) {
				snprintf(why, whylen, "env var ${%s} has no "
				    "value", var);
				*missing = 1;
			}
			free(var);
			s = end;
			if (add == NULL)
				continue;
			n = strlen(add);
		} else if (*s == '%' && toks != NULL) {
			add = ++s;
			if (*s == '\0') {
				snprintf(why, whylen, "invalid format");
				goto fail;
			}
			if (*s != '%') {
				for (i = 0; i < ntok && toks[i].key != *s; i++)
					;
				if (i == ntok) {
					snprintf(why, whylen,
					    "unknown key %%%c", *s);
					goto fail;
				}
				add = toks[i].val;
				n = strlen(add);
			}
		}
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			out = xreallocarray(out, cap, 1);
		}
		memcpy(out + len, add, n);
		len += n;
	}
	out[len] = '\0';
	if (!*missing)
		return out;
 fail:
	free(out);
	return NULL;
}


static void
addtok(struct tokvals *tv, int key, const char *val)
{
	tv->t[tv->n].key = key;
	tv->t[tv->n++].val = val != NULL ? val : "";
}

/*
 * Tokens for o with remote name host; XP_PROXY has only five.  %k is
 * HostKeyAlias, else keydef: the original name, but the remote name
 * in Match exec, as ssh 9.2 has it.
 */
void
rc_make_tokens(struct tokvals *tv, const struct options *o, const char *orig,
    const char *host, const char *keydef, int what)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	const char *ruser;
	char *in;

	memset(tv, 0, sizeof(*tv));
	ruser = o->user != NULL ? o->user : local_user();
	snprintf(tv->port, sizeof(tv->port), "%d", o->port > 0 ? o->port : 22);
	addtok(tv, 'h', host);
	addtok(tv, 'k', o->host_key_alias != NULL ? o->host_key_alias : keydef);
	addtok(tv, 'n', orig);
	addtok(tv, 'p', tv->port);
	addtok(tv, 'r', ruser);
	if (what == XP_PROXY)
		return;
	if (gethostname(tv->thishost, sizeof(tv->thishost)) == -1)
		tv->thishost[0] = '\0';
	tv->thishost[sizeof(tv->thishost) - 1] = '\0';
	memcpy(tv->shorthost, tv->thishost, sizeof(tv->shorthost));
	tv->shorthost[strcspn(tv->shorthost, ".")] = '\0';
	snprintf(tv->uid, sizeof(tv->uid), "%llu",
	    (unsigned long long)getuid());
	/* %C: SHA1 of %l%h%p%r, as in 9.2 (9.6 adds %j). */
	xasprintf(&in, "%s%s%s%s", tv->thishost, host, tv->port, ruser);
	if (EVP_Digest(in, strlen(in), md, &mdlen, EVP_sha1(), NULL) != 1)
		mdlen = 0;
	free(in);
	for (i = 0; i < mdlen; i++)
		snprintf(tv->hash + 2 * i, 3, "%02x", md[i]);
	addtok(tv, 'C', tv->hash);
	addtok(tv, 'd', local_home());
	addtok(tv, 'i', tv->uid);
	addtok(tv, 'L', tv->shorthost);
	addtok(tv, 'l', tv->thishost);
	addtok(tv, 'u', local_user());
}

char *
options_expand(const struct options *o, const char *orig_host,
    const char *s, int what, struct xerr *err)
{
	struct tokvals tv;
	char why[512], *in, *out;
	int missing, dollar = what == XP_PATH;

	rc_make_tokens(&tv, o, orig_host,
	    o->hostname != NULL ? o->hostname : orig_host, orig_host, what);
	in = dollar ? tilde_expand(s, local_home()) : xstrdup(s);
	out = rc_expand(in, tv.t, tv.n, dollar, why, sizeof(why), &missing);
	free(in);
	if (out != NULL)
		return out;
	if (missing)
		xerr_set(err, XE_CONFIG, "vdollar_percent_expand: %s\n"
		    "invalid environment variable expansion", why);
	else
		xerr_set(err, XE_CONFIG, "vdollar_percent_expand: %s\n%s: "
		    "failed", why, dollar ? "percent_dollar_expand" :
		    "percent_expand");
	return NULL;
}

/* Never NULL: on a bad token, log ssh's message and keep s as is. */
char *
options_expand_tokens(const struct options *o, const char *orig_host,
    const char *s)
{
	struct xerr e;
	char *r;

	if ((r = options_expand(o, orig_host, s, XP_PATH, &e)) != NULL)
		return r;
	error("%s", e.msg);
	return xstrdup(s);
}
