/*
 * Forwarding specifications as ssh's parse_forward() reads them:
 * "[bind_address:]port:host:hostport", "[bind_address:]port" for -D and
 * for -R as a SOCKS proxy, and Unix socket paths on either side; an
 * IPv6 address goes in square brackets.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwd.h"
#include "readconf.h"
#include "jumpspec.h"

/* One field, as ssh_config's forwarding specs read it (readconf-misc.c). */
static int
field(char **p, char **arg, int *ispath)
{
	struct fwdarg f;

	if (cfg_fwd_field(p, &f) != 0)
		return -1;
	*arg = f.arg;
	*ispath = f.ispath;
	return 0;
}

/* a2port(): 0 to 65535, else -1. */
static int
port_of(const char *s)
{
	char *ep;
	long v;

	if (*s == '\0')
		return -1;
	v = strtol(s, &ep, 10);
	if (*ep != '\0' || v < 0 || v > 65535)
		return -1;
	return (int)v;
}

void
fwdspec_free(struct fwdspec *f)
{
	free(f->listen_host);
	free(f->listen_path);
	free(f->connect_host);
	free(f->connect_path);
	memset(f, 0, sizeof(*f));
}

static char *
dup_or_null(const char *s)
{
	return s == NULL ? NULL : xstrdup(s);
}

int
fwdspec_parse(const char *spec, char kind, struct fwdspec *f)
{
	char *a[4], *buf, *cp;
	int path[4], i;
	char *lhost = NULL, *lpath = NULL, *chost = NULL, *cpath = NULL;
	int lport = -1, cport = -1;

	memset(f, 0, sizeof(*f));
	while (isspace((unsigned char)*spec))
		spec++;
	buf = cp = xstrdup(spec);
	for (i = 0; i < 4; i++)
		if (field(&cp, &a[i], &path[i]) != 0)
			break;
	if (cp != NULL && *cp != '\0')
		i = 0;
	switch (i) {
	case 1:
		if (path[0])
			lpath = a[0];
		else
			lport = port_of(a[0]);
		break;
	case 2:
		if (path[0] && path[1]) {
			lpath = a[0];
			cpath = a[1];
		} else if (path[1]) {
			lport = port_of(a[0]);
			cpath = a[1];
		} else {
			lhost = a[0];
			lport = port_of(a[1]);
		}
		break;
	case 3:
		if (path[0]) {
			lpath = a[0];
			chost = a[1];
			cport = port_of(a[2]);
		} else if (path[2]) {
			lhost = a[0];
			lport = port_of(a[1]);
			cpath = a[2];
		} else {
			lport = port_of(a[0]);
			chost = a[1];
			cport = port_of(a[2]);
		}
		break;
	case 4:
		lhost = a[0];
		lport = port_of(a[1]);
		chost = a[2];
		cport = port_of(a[3]);
		break;
	default:
		free(buf);
		return -1;
	}
	f->kind = kind;
	f->dynamic = chost == NULL && cpath == NULL;
	if ((kind == 'D' && !f->dynamic) ||
	    (kind == 'L' && f->dynamic) ||
	    (lpath == NULL && lport < 0) ||
	    (lpath == NULL && lport == 0 && kind != 'R') ||
	    (chost != NULL && cport <= 0) ||
	    (chost != NULL && (*chost == '\0' || strlen(chost) > 255))) {
		free(buf);
		return -1;
	}
	f->listen_host = dup_or_null(lhost);
	f->listen_port = lpath != NULL ? -1 : lport;
	f->listen_path = dup_or_null(lpath);
	f->connect_host = dup_or_null(chost);
	f->connect_port = cpath != NULL || chost == NULL ? -1 : cport;
	f->connect_path = dup_or_null(cpath);
	free(buf);
	return 0;
}

/* A spec of the shared -L/-D list: 'D' without a target, else 'L'. */
char
fwdspec_local_kind(const char *spec)
{
	struct fwdspec f;

	if (fwdspec_parse(spec, 'D', &f) != 0)
		return 'L';
	fwdspec_free(&f);
	return 'D';
}

/* "[host]:port", "port" or the path: the listen side, for messages. */
char *
fwdspec_listen_str(const struct fwdspec *f)
{
	char *s;

	if (f->listen_path != NULL)
		return xstrdup(f->listen_path);
	if (f->listen_host != NULL)
		xasprintf(&s, "[%s]:%d", f->listen_host, f->listen_port);
	else
		xasprintf(&s, "%d", f->listen_port);
	return s;
}

/* "host:port", the path, or "socks" (ssh's words). */
char *
fwdspec_connect_str(const struct fwdspec *f)
{
	char *s;

	if (f->connect_path != NULL)
		return xstrdup(f->connect_path);
	if (f->dynamic)
		return xstrdup("socks:0");
	xasprintf(&s, "%s:%d", f->connect_host, f->connect_port);
	return s;
}
