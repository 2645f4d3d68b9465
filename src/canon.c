/*
 * CanonicalizeHostname, as ssh.c 9.2 does it between its two passes
 * over the configuration (resolve_canonicalize, check_follow_cname):
 * numeric addresses are rewritten in their canonical form; with
 * "yes" (direct connections only) or "always", a name with at most
 * CanonicalizeMaxDots dots is tried with each CanonicalDomains suffix
 * through getaddrinfo(AI_CANONNAME), and a CNAME is followed where a
 * CanonicalizePermittedCNAMEs rule allows it.  The configuration is
 * then read again with the new name (readconf.c).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "readconf.h"

static int
family_of(const struct options *o)
{
	return o->address_family == -1 ? AF_UNSPEC : o->address_family;
}

/* config_has_permitted_cnames(): rules other than a lone "none". */
static int
has_cname_rules(const struct options *o)
{
	const char *r;

	if (o->permitted_cnames.n == 1) {
		r = o->permitted_cnames.v[0];
		if (strncasecmp(r, "none:", 5) == 0 && r[5] == '\0')
			return 0;
	}
	return o->permitted_cnames.n > 0;
}

/*
 * resolve_addr(): a single numeric address in its canonical form
 * (caddr), or 0 if name is not one.
 */
static int
canonical_addr(const struct options *o, const char *name, char *caddr,
    size_t len)
{
	struct addrinfo hints, *res;
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family_of(o);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if ((r = getaddrinfo(name, "22", &hints, &res)) != 0) {
		debug2("resolve_addr: could not resolve name %.100s as "
		    "address: %s", name, gai_strerror(r));
		return 0;
	}
	if (res == NULL)
		return 0;
	r = res->ai_next == NULL && getnameinfo(res->ai_addr,
	    res->ai_addrlen, caddr, len, NULL, 0, NI_NUMERICHOST) == 0;
	freeaddrinfo(res);
	return r;
}

/* ssh.c's is_addr_fast(): a name that can only be an address. */
static int
addr_fast(const char *name)
{
	return strchr(name, '%') != NULL || strchr(name, ':') != NULL ||
	    strspn(name, "0123456789.") == strlen(name);
}

/*
 * resolve_host(): 1 if name resolves, with its canonical name in
 * cname when it is a valid domain name ("" otherwise).  A failure is
 * logged as an error unless it is a plain "no such name"; with
 * fail set, it is put in fail for the caller to report instead.
 */
static int
resolve_name(const struct options *o, const char *name, struct xerr *fail,
    char *cname, size_t len)
{
	struct addrinfo hints, *res;
	char why[256];
	int r;

	cname[0] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family_of(o);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_CANONNAME;
	debug3("resolve_host: lookup %s:%d", name, o->port > 0 ? o->port : 22);
	if ((r = getaddrinfo(name, "22", &hints, &res)) != 0) {
		if (fail != NULL)
			xerr_set(fail, XE_RESOLVE, "Could not resolve hostname "
			    "%.100s: %s", name, gai_strerror(r));
		else if (r != EAI_NONAME && r != EAI_NODATA)
			error("xssh: Could not resolve hostname %.100s: %s",
			    name, gai_strerror(r));
		else
			debug("xssh: Could not resolve hostname %.100s: %s",
			    name, gai_strerror(r));
		return 0;
	}
	if (res->ai_canonname != NULL) {
		if (!cfg_valid_domain(res->ai_canonname, why, sizeof(why)))
			error("ignoring bad CNAME \"%s\" for host \"%s\": %s",
			    res->ai_canonname, name, why);
		else if (snprintf(cname, len, "%s", res->ai_canonname) >=
		    (int)len)
			cname[0] = '\0';
	}
	freeaddrinfo(res);
	return 1;
}

/* check_follow_cname(): 1 if *namep was replaced by cname. */
static int
follow_cname(const struct options *o, int direct, char **namep,
    const char *cname)
{
	const char *rule, *colon;
	char *src;
	int i, ok;

	if (*cname == '\0' || !has_cname_rules(o) ||
	    strcmp(*namep, cname) == 0)
		return 0;
	if (o->canonicalize_hostname == CANON_NO)
		return 0;
	if (!direct && o->canonicalize_hostname != CANON_ALWAYS)
		return 0;
	debug3("check_follow_cname: check \"%s\" CNAME \"%s\"", *namep,
	    cname);
	for (i = 0; i < o->permitted_cnames.n; i++) {
		rule = o->permitted_cnames.v[i];
		colon = strchr(rule, ':');
		src = strndup(rule, colon - rule);
		ok = pattern_match_list(*namep, src, 1) == 1 &&
		    pattern_match_list(cname, colon + 1, 1) == 1;
		free(src);
		if (!ok)
			continue;
		verbose("Canonicalized DNS aliased hostname \"%s\" => \"%s\"",
		    *namep, cname);
		free(*namep);
		*namep = xstrdup(cname);
		return 1;
	}
	return 0;
}

/*
 * resolve_canonicalize(): 1 if the name was found (and maybe
 * replaced), 0 if not, -1 (err set) when CanonicalizeFallbackLocal
 * forbids going on.
 */
static int
canonicalize(const struct options *o, int direct, char **hostp,
    struct xerr *err)
{
	char newname[NI_MAXHOST], *fullhost, *cp;
	int i, ndots = 0;

	if (canonical_addr(o, *hostp, newname, sizeof(newname))) {
		debug2("resolve_canonicalize: hostname %.100s is address",
		    *hostp);
		if (strcasecmp(*hostp, newname) != 0) {
			debug2("resolve_canonicalize: canonicalised address "
			    "\"%s\" => \"%s\"", *hostp, newname);
			free(*hostp);
			*hostp = xstrdup(newname);
		}
		return 1;
	}
	if (addr_fast(*hostp)) {
		debug("resolve_canonicalize: hostname %.100s is an "
		    "unrecognised address", *hostp);
		return 0;
	}
	if (o->canonicalize_hostname == CANON_NO)
		return 0;
	if (!direct && o->canonicalize_hostname != CANON_ALWAYS)
		return 0;
	if ((*hostp)[strlen(*hostp) - 1] == '.') {
		debug3("resolve_canonicalize: name is fully qualified");
		fullhost = xstrdup(*hostp);
		if (resolve_name(o, fullhost, NULL, newname, sizeof(newname)))
			goto found;
		free(fullhost);
		goto notfound;
	}
	for (cp = *hostp; *cp != '\0'; cp++)
		ndots += *cp == '.';
	if (ndots > o->canonicalize_max_dots) {
		debug3("resolve_canonicalize: not canonicalizing hostname "
		    "\"%s\" (max dots %d)", *hostp, o->canonicalize_max_dots);
		return 0;
	}
	for (i = 0; i < o->canonical_domains.n; i++) {
		if (strcasecmp(o->canonical_domains.v[i], "none") == 0)
			break;
		xasprintf(&fullhost, "%s.%s.", *hostp,
		    o->canonical_domains.v[i]);
		debug3("resolve_canonicalize: attempting \"%s\" => \"%s\"",
		    *hostp, fullhost);
		if (!resolve_name(o, fullhost, NULL, newname,
		    sizeof(newname))) {
			free(fullhost);
			continue;
		}
 found:
		fullhost[strlen(fullhost) - 1] = '\0';
		if (!follow_cname(o, direct, &fullhost, newname))
			debug("Canonicalized hostname \"%s\" => \"%s\"",
			    *hostp, fullhost);
		free(*hostp);
		*hostp = fullhost;
		return 1;
	}
 notfound:
	if (!o->canonicalize_fallback_local) {
		xerr_set(err, XE_RESOLVE, "Could not resolve host \"%s\"",
		    *hostp);
		return -1;
	}
	debug2("resolve_canonicalize: host %s not found in any suffix",
	    *hostp);
	return 0;
}

int
canon_host(struct options *o, const char *host_arg, char **hostp,
    int *want_final, struct xerr *err)
{
	char cname[NI_MAXHOST], *host, *p;
	int was_addr, found = 0, direct;

	/* fill_default_options_for_canonicalization() */
	if (o->canonicalize_max_dots == -1)
		o->canonicalize_max_dots = 1;
	if (o->canonicalize_fallback_local == -1)
		o->canonicalize_fallback_local = 1;
	if (o->canonicalize_hostname == -1)
		o->canonicalize_hostname = CANON_NO;

	host = xstrdup(o->hostname != NULL ? o->hostname : host_arg);
	if (*host == '\0') {
		*hostp = host;
		return 0;
	}
	if (!(was_addr = host_is_addr(host, o->address_family))) {
		for (p = host; *p != '\0'; p++)
			*p = tolower((unsigned char)*p);
	}
	/* A ProxyJump, even "none", makes the connection indirect. */
	direct = (o->proxy_command == NULL ||
	    strcasecmp(o->proxy_command, "none") == 0) &&
	    o->proxy_jump == NULL;
	if (o->canonicalize_hostname != CANON_NO || was_addr) {
		if ((found = canonicalize(o, direct, &host, err)) == -1) {
			free(host);
			return -1;
		}
	}
	if (!found && has_cname_rules(o) &&
	    (direct || o->canonicalize_hostname == CANON_ALWAYS)) {
		if (!resolve_name(o, host, direct ? err : NULL, cname,
		    sizeof(cname))) {
			/* A proxied name need not be in the DNS. */
			if (direct) {
				free(host);
				return -1;
			}
		} else
			follow_cname(o, direct, &host, cname);
	}
	if (o->canonicalize_hostname != CANON_NO && !*want_final) {
		debug("hostname canonicalisation enabled, will re-parse "
		    "configuration");
		*want_final = 1;
	}
	*hostp = host;
	return 0;
}
