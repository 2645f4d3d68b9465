/*
 * Names from the command line end up in shell commands: %h, %n, %k
 * and %r in ProxyCommand, LocalCommand, Match exec, KnownHostsCommand
 * and the like are replaced as they are, and the result goes to
 * "$SHELL -c".  So ssh refuses a host or user name given on the
 * command line that carries shell metacharacters, before it reads any
 * configuration (CVE-2023-51385, and Debian's 9.2 backport of the
 * CVE-2026-35386 fix, which moved the user check that early).  These
 * are its ssh_valid_hostname() and ssh_valid_ruser(), character for
 * character, and its messages.  Names from configuration files are
 * the user's own and are not checked, as in ssh.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validname.h"

int
valid_hostname(const char *s)
{
	if (*s == '-')
		return 0;
	for (; *s != '\0'; s++) {
		if (strchr("'`\"$\\;&<>|(){},", *s) != NULL ||
		    isspace((unsigned char)*s) || iscntrl((unsigned char)*s))
			return 0;
	}
	return 1;
}

/*
 * Laxer than a host name: "DOMAIN\user", "$" and inner blanks are real
 * user names.  What is refused could start a command or an option.
 */
int
valid_ruser(const char *s)
{
	if (*s == '-')
		return 0;
	for (; *s != '\0'; s++) {
		if (iscntrl((unsigned char)*s) ||
		    strchr("'`\";&<>|(){}", *s) != NULL)
			return 0;
		/* "a -oProxyCommand=..." would be an option to a command. */
		if (isspace((unsigned char)*s) && s[1] == '-')
			return 0;
		/* A trailing backslash would escape what follows it. */
		if (*s == '\\' && s[1] == '\0')
			return 0;
	}
	return 1;
}

/* The user (may be NULL) first, then the host: ssh's order. */
int
validname_check(const char *user, const char *host, struct xerr *e)
{
	if (user != NULL && !valid_ruser(user))
		return xerr_bare(e, XE_USAGE,
		    "remote username contains invalid characters");
	if (host != NULL && !valid_hostname(host))
		return xerr_bare(e, XE_USAGE,
		    "hostname contains invalid characters");
	return 0;
}

/*
 * s as ssh's log prints it, strnvis(3) with VIS_SAFE | VIS_OCTAL: "\\"
 * doubled, bytes neither printable ASCII nor one of the blanks and
 * bells vis(3) calls safe as "\ooo".  A refused name is shown, so it
 * must not reach the terminal as it is.  Cut short to fit len.
 */
const char *
validname_vis(const char *s, char *buf, size_t len)
{
	size_t off = 0;
	unsigned char c;

	if (len == 0)
		return buf;
	for (; *s != '\0' && off + 5 <= len; s++) {
		c = (unsigned char)*s;
		if (c == '\\') {
			buf[off++] = '\\';
			buf[off++] = '\\';
		} else if ((c >= 0x20 && c < 0x7f) || strchr("\t\n\r\b\a", c))
			buf[off++] = c;
		else
			off += snprintf(buf + off, len - off, "\\%03o", c);
	}
	buf[off] = '\0';
	return buf;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * ssh's urldecode() of an ssh:// URI's user name: "+" is a space and
 * "%XX" a byte, so the name is checked as decoded.  NULL for a bad or
 * NUL escape.
 */
char *
urldecode(const char *src)
{
	char *ret, *dst;
	int hi, lo;

	ret = dst = xmalloc(strlen(src) + 1);
	for (; *src != '\0'; src++) {
		if (*src == '+')
			*dst++ = ' ';
		else if (*src != '%')
			*dst++ = *src;
		else {
			if ((hi = hexval((unsigned char)src[1])) == -1 ||
			    (lo = hexval((unsigned char)src[2])) == -1 ||
			    (hi == 0 && lo == 0)) {
				free(ret);
				return NULL;
			}
			*dst++ = (char)(hi << 4 | lo);
			src += 2;
		}
	}
	*dst = '\0';
	return ret;
}
