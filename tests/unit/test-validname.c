/*
 * src/validname.c: ssh's ssh_valid_hostname() and ssh_valid_ruser()
 * character by character, the order and words of the refusal, the
 * ssh:// user decoding and the vis(3) form of a name in a message.
 * Every verdict here was checked against the installed ssh (9.2p1
 * Debian 2+deb12u10) with "ssh -G".
 */
#include <stdlib.h>

#include "unit.h"
#include "validname.h"

/* A test's name on one line: blanks vis(3) leaves alone shown as "?". */
static const char *
shown(const char *s, char *buf, size_t len)
{
	char *p;

	for (p = (char *)validname_vis(s, buf, len); *p != '\0'; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = '?';
	return buf;
}

static void
host(const char *s, int want)
{
	char name[128], vis[64];

	snprintf(name, sizeof(name), "host %s %s", want ? "takes" : "refuses",
	    shown(s, vis, sizeof(vis)));
	CHECK_INT(name, valid_hostname(s), want);
}

static void
user(const char *s, int want)
{
	char name[128], vis[64];

	snprintf(name, sizeof(name), "user %s %s", want ? "takes" : "refuses",
	    shown(s, vis, sizeof(vis)));
	CHECK_INT(name, valid_ruser(s), want);
}

static void
decode(const char *s, const char *want)
{
	char name[128], *got = urldecode(s);

	snprintf(name, sizeof(name), "urldecode %s", s);
	CHECK_STR(name, got, want);
	free(got);
}

int
main(void)
{
	const char *p, *hostbad = "'`\"$\\;&<>|(){},", *userbad =
	    "'`\";&<>|(){}";
	char s[8], buf[64];
	struct xerr e = { 0 };
	int c;

	host("example.com", 1);
	host("h%x", 1);
	host("h_x*/:", 1);
	host("\303\251", 1);
	host("", 1);
	host("a-", 1);
	host("-a", 0);
	host("a b", 0);
	host("a\tb", 0);
	host("a\nb", 0);
	host("a\001", 0);
	host("a\177", 0);
	for (p = hostbad; *p != '\0'; p++) {
		snprintf(s, sizeof(s), "a%cb", *p);
		host(s, 0);
	}
	/* Every other printable ASCII character is a host's. */
	for (c = 0x21; c < 0x7f; c++) {
		if (strchr(hostbad, c) != NULL)
			continue;
		snprintf(s, sizeof(s), "a%cb", c);
		if (!valid_hostname(s))
			host(s, 1);
	}
	CHECK("host: all other printable ASCII taken", 1);

	user("alice", 1);
	user("", 1);
	user("a b", 1);
	user("a$b", 1);
	user("DOM\\u", 1);
	user("a,b", 1);
	user("a@b", 1);
	user("a-", 1);
	user("a -b", 0);
	user("a\t-b", 0);
	user("a\tb", 0);	/* a tab is a control character */
	user("a\\", 0);
	user("-a", 0);
	user("a\001", 0);
	user("a\177", 0);
	for (p = userbad; *p != '\0'; p++) {
		snprintf(s, sizeof(s), "a%cb", *p);
		user(s, 0);
	}

	CHECK_INT("check: good names", validname_check("u", "h", &e), 0);
	CHECK_INT("check: no user", validname_check(NULL, "h", &e), 0);
	CHECK_INT("check: bad host", validname_check("u", "h;x", &e), -1);
	CHECK_STR("check: host words", e.msg,
	    "hostname contains invalid characters");
	CHECK_INT("check: host bare", e.bare, 1);
	CHECK_INT("check: bad user", validname_check("u;x", "h", &e), -1);
	CHECK_STR("check: user words", e.msg,
	    "remote username contains invalid characters");
	/* As ssh: the user is named when both are bad. */
	validname_check("u;x", "h;x", &e);
	CHECK_STR("check: user first", e.msg,
	    "remote username contains invalid characters");

	decode("alice", "alice");
	decode("a+b", "a b");
	decode("a%3bb", "a;b");
	decode("a%3Bb", "a;b");
	decode("%2d", "-");
	decode("a%", NULL);
	decode("a%4", NULL);
	decode("a%zz", NULL);
	decode("a%00b", NULL);

	CHECK_STR("vis plain", validname_vis("a;b", buf, sizeof(buf)), "a;b");
	CHECK_STR("vis backslash", validname_vis("a\\b", buf, sizeof(buf)),
	    "a\\\\b");
	CHECK_STR("vis control", validname_vis("a\001\033[", buf,
	    sizeof(buf)), "a\\001\\033[");
	CHECK_STR("vis high", validname_vis("\303\251", buf, sizeof(buf)),
	    "\\303\\251");
	CHECK_STR("vis cut to fit", validname_vis("\001\001\001", buf, 9),
	    "\\001\\001");
	UNIT_END();
}
