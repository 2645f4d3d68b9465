/*
 * ProxyJump / -J grammar, as OpenSSH 9.2 (Debian) reads it: "none", or a
 * comma list of hops, each "[user@]host[:port]" or
 * "ssh://[user@]host[:port]", IPv6 literals in brackets.  From the
 * command line (strict), host and user names with shell
 * metacharacters are refused, as ssh refuses them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jumpspec.h"
#include "validname.h"

void
jumpspec_free(struct jumpspec *j)
{
	free(j->user);
	free(j->host);
	j->user = j->host = NULL;
}

void
jumplist_free(struct jumplist *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		jumpspec_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* A port number 1..65535, or -1. */
int
parse_port(const char *s)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0' || !isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v <= 0 || v > 65535)
		return -1;
	return (int)v;
}

/*
 * Split "host[:port]" or "[v6]:port" (port may be empty).  Returns the
 * host in *host (brackets removed) and the port text in *port.
 */
static int
split_host_port(char *s, char **host, char **port)
{
	char *end;

	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL)
			return -1;
		*end++ = '\0';
		*host = s + 1;
		if (*end == ':')
			*port = end + 1;
		else if (*end == '\0')
			*port = NULL;
		else
			return -1;
	} else {
		*host = s;
		if ((end = strchr(s, ':')) != NULL) {
			*end = '\0';
			*port = end + 1;
		} else
			*port = NULL;
	}
	return **host == '\0' ? -1 : 0;
}

int
jumpspec_parse(const char *text, int strict, struct jumpspec *out,
    struct xerr *err)
{
	char *copy, *s, *at, *host, *port, *slash, vis[1024];
	int is_uri = 0;

	memset(out, 0, sizeof(*out));
	out->port = -1;
	copy = s = xstrdup(text);
	if (strncasecmp(s, "ssh://", 6) == 0) {
		is_uri = 1;
		s += 6;
		/* A lone trailing "/" is allowed; a path is not. */
		if ((slash = strchr(s, '/')) != NULL) {
			if (slash[1] != '\0')
				goto bad;
			*slash = '\0';
		}
	}
	/* As ssh: a URI's user ends at its first "@", has ";params". */
	if ((at = is_uri ? strchr(s, '@') : strrchr(s, '@')) != NULL) {
		*at = '\0';
		if (is_uri)
			s[strcspn(s, ";")] = '\0';
		if (*s == '\0')
			goto bad;
		if (!is_uri)
			out->user = xstrdup(s);
		else if ((out->user = urldecode(s)) == NULL)
			goto bad;
		s = at + 1;
	}
	if (split_host_port(s, &host, &port) != 0)
		goto bad;
	/* ssh's parse_jump() checks the host first. */
	if (strict && !valid_hostname(host)) {
		xerr_bare(err, XE_USAGE, "parse_jump: invalid hostname "
		    "\"%s\"", validname_vis(host, vis, sizeof(vis)));
		goto fail;
	}
	if (strict && out->user != NULL && !valid_ruser(out->user)) {
		xerr_bare(err, XE_USAGE, "parse_jump: invalid username "
		    "\"%s\"", validname_vis(out->user, vis, sizeof(vis)));
		goto fail;
	}
	if (port != NULL && *port != '\0' &&
	    (out->port = parse_port(port)) == -1)
		goto bad;
	if (is_uri && port != NULL && *port == '\0')
		goto bad;
	out->host = xstrdup(host);
	free(copy);
	return 0;
 bad:
	xerr_set(err, XE_USAGE, "bad hop \"%s\"", text);
 fail:
	free(copy);
	jumpspec_free(out);
	return -1;
}

int
jumplist_parse(const char *text, int strict, struct jumplist *out,
    struct xerr *err)
{
	char *copy, *s, *p;
	int n;

	memset(out, 0, sizeof(*out));
	copy = xstrdup(text);
	/* As ssh: a comment and anything after white space go. */
	if ((p = strchr(copy, '#')) != NULL)
		*p = '\0';
	for (p = copy; *p != '\0' && !isspace((unsigned char)*p); p++)
		;
	*p = '\0';
	if (*copy == '\0') {
		free(copy);
		return xerr_set(err, XE_USAGE, "empty jump list");
	}
	if (strcasecmp(copy, "none") == 0) {
		free(copy);
		return 0;
	}
	/* As ssh's parse_jump(): from the last hop back to the first. */
	for (n = 1, p = copy; (p = strchr(p, ',')) != NULL; p++)
		n++;
	/* Slots not reached yet stay zero, which jumplist_free() takes. */
	out->v = xcalloc(n, sizeof(*out->v));
	out->n = n;
	for (;;) {
		if ((s = strrchr(copy, ',')) != NULL)
			*s++ = '\0';
		else
			s = copy;
		if (*s == '\0') {
			xerr_set(err, XE_USAGE, "empty hop in \"%s\"", text);
			goto fail;
		}
		if (jumpspec_parse(s, strict, &out->v[n - 1], err) != 0)
			goto fail;
		if (s == copy)
			break;
		n--;
	}
	free(copy);
	return 0;
 fail:
	free(copy);
	jumplist_free(out);
	return -1;
}

/*
 * A -J value, checked as ssh's command line checks it: a refused name
 * in ssh's two lines, any other fault in xssh's words.
 */
int
jumplist_check_cmdline(const char *text, struct xerr *err)
{
	struct jumplist l;
	char why[XERR_MSGLEN - 32];

	if (jumplist_parse(text, 1, &l, err) == 0) {
		jumplist_free(&l);
		return 0;
	}
	if (!err->bare)
		return xerr_prefix(err, "Invalid -J argument \"%s\"", text);
	snprintf(why, sizeof(why), "%s", err->msg);
	return xerr_bare(err, XE_USAGE, "%s\nInvalid -J argument", why);
}
