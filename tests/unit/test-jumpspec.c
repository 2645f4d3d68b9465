/* Unit tests for the ProxyJump / -J grammar (src/jumpspec.c). */
#include <stdlib.h>

#include "jumpspec.h"
#include "unit.h"

static void
good(const char *text, int strict, int n, const char *user0,
    const char *host0, int port0, const char *hostlast)
{
	struct jumplist l;
	struct xerr e;
	char name[256];
	int r;

	r = jumplist_parse(text, strict, &l, &e);
	snprintf(name, sizeof(name), "parse \"%s\"", text);
	CHECK_INT(name, r, 0);
	if (r != 0)
		return;
	snprintf(name, sizeof(name), "\"%s\" has %d hops", text, n);
	CHECK_INT(name, l.n, n);
	if (n > 0 && l.n == n) {
		snprintf(name, sizeof(name), "\"%s\" first user", text);
		CHECK_STR(name, l.v[0].user, user0);
		snprintf(name, sizeof(name), "\"%s\" first host", text);
		CHECK_STR(name, l.v[0].host, host0);
		snprintf(name, sizeof(name), "\"%s\" first port", text);
		CHECK_INT(name, l.v[0].port, port0);
		snprintf(name, sizeof(name), "\"%s\" last host", text);
		CHECK_STR(name, l.v[n - 1].host, hostlast);
	}
	jumplist_free(&l);
}

static void
bad(const char *text, int strict, const char *want_msg)
{
	struct jumplist l;
	struct xerr e = { 0 };
	char name[256];
	int r;

	r = jumplist_parse(text, strict, &l, &e);
	snprintf(name, sizeof(name), "refuse \"%s\"%s", text,
	    strict ? " (command line)" : "");
	CHECK_INT(name, r, -1);
	if (want_msg != NULL) {
		snprintf(name, sizeof(name), "message for \"%s\"", text);
		CHECK_STR(name, e.msg, want_msg);
	}
	if (r == 0)
		jumplist_free(&l);
}

int
main(void)
{
	good("bastion", 1, 1, NULL, "bastion", -1, "bastion");
	good("alice@bastion:2200", 1, 1, "alice", "bastion", 2200, "bastion");
	good("a,b,c", 1, 3, NULL, "a", -1, "c");
	good("u@[::1]:2200,10.0.0.1", 1, 2, "u", "::1", 2200, "10.0.0.1");
	good("[fe80::1]", 1, 1, NULL, "fe80::1", -1, "fe80::1");
	good("ssh://u@h:22", 1, 1, "u", "h", 22, "h");
	good("ssh://h/", 1, 1, NULL, "h", -1, "h");
	good("SSH://h", 1, 1, NULL, "h", -1, "h");
	good("h:", 1, 1, NULL, "h", -1, "h");
	good("a@b@c", 1, 1, "a@b", "c", -1, "c");
	/* As ssh: a comment and what follows white space are dropped. */
	good("a b", 1, 1, NULL, "a", -1, "a");
	good("a,b # comment", 1, 2, NULL, "a", -1, "b");
	good("none", 1, 0, NULL, NULL, 0, NULL);
	good("NONE", 1, 0, NULL, NULL, 0, NULL);
	/* From a config file, metacharacters are taken as they are. */
	good("a;b", 0, 1, NULL, "a;b", -1, "a;b");

	bad("a,,b", 1, "empty hop in \"a,,b\"");
	bad(",a", 1, NULL);
	bad("a,", 1, NULL);
	bad("", 1, "empty jump list");
	bad("a:99999", 1, "bad hop \"a:99999\"");
	bad("a:0", 1, NULL);
	bad("a:x", 1, NULL);
	bad("a:-1", 1, NULL);
	bad("[::1", 1, NULL);
	bad("[::1]x", 1, NULL);
	bad("[]", 1, NULL);
	bad("ssh://h/path", 1, "bad hop \"ssh://h/path\"");
	bad("ssh://", 1, NULL);
	bad("ssh://h:", 1, NULL);
	bad("u@", 1, NULL);
	bad("@h", 1, NULL);
	bad("a;b", 1, "parse_jump: invalid hostname \"a;b\"");
	bad("-oProxyCommand=x", 1,
	    "parse_jump: invalid hostname \"-oProxyCommand=x\"");
	bad("a$(id)", 1, NULL);
	bad("a|b", 1, NULL);
	bad("a`b`", 1, NULL);
	bad("u;x@h", 1, "parse_jump: invalid username \"u;x\"");
	/* A user name is checked by ssh's rules, laxer than a host's. */
	good("a$b@h", 1, 1, "a$b", "h", -1, "h");
	good("DOM\\u@h", 1, 1, "DOM\\u", "h", -1, "h");
	/* Named as ssh's log shows it: vis(3), so "\\" doubled. */
	bad("u\\@h", 1, "parse_jump: invalid username \"u\\\\\"");
	bad("h\001", 1, "parse_jump: invalid hostname \"h\\001\"");
	bad("-u@h", 1, "parse_jump: invalid username \"-u\"");
	/* Both bad: the host is named, as ssh's parse_jump() does. */
	bad("u;x@h;y", 1, "parse_jump: invalid hostname \"h;y\"");
	/* ssh://: the user ends at the first "@", sheds ";params". */
	good("ssh://a%3bb@h", 0, 1, "a;b", "h", -1, "h");
	good("ssh://a+b@h", 1, 1, "a b", "h", -1, "h");
	good("ssh://u;fp=x@h", 1, 1, "u", "h", -1, "h");
	bad("ssh://a%3bb@h", 1, "parse_jump: invalid username \"a;b\"");
	bad("ssh://a%00b@h", 1, NULL);
	bad("ssh://a%4@h", 1, NULL);
	bad("ssh://;fp=x@h", 1, NULL);
	bad("::1", 1, NULL);

	CHECK_INT("parse_port 22", parse_port("22"), 22);
	CHECK_INT("parse_port 65535", parse_port("65535"), 65535);
	CHECK_INT("parse_port 65536", parse_port("65536"), -1);
	CHECK_INT("parse_port empty", parse_port(""), -1);
	CHECK_INT("parse_port 22x", parse_port("22x"), -1);
	CHECK_INT("parse_port +22", parse_port("+22"), -1);
	UNIT_END();
}
