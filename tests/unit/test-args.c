/*
 * Unit tests for the command line (src/args.c): getopt rules as ssh
 * has them, first value wins, options after the destination, and
 * every refusal.
 */
#include <stdlib.h>
#include <sys/socket.h>

#include "args.h"
#include "unit.h"

#define ARGV(...) (char *[]){ "xssh", __VA_ARGS__, NULL }
#define ARGC(v) argcount(v)

static int
argcount(char **v)
{
	int n = 0;

	while (v[n] != NULL)
		n++;
	return n;
}

static int
parse(char **v, struct args *a, struct xerr *e)
{
	return args_parse(argcount(v), v, a, e);
}

static void
refuse(const char *name, char **v, const char *msg)
{
	struct args a;
	struct xerr e = { 0 };
	int r;

	r = parse(v, &a, &e);
	CHECK_INT(name, r, ARGS_ERROR);
	if (msg != NULL) {
		char n2[200];

		snprintf(n2, sizeof(n2), "%s: message", name);
		CHECK_STR(n2, e.msg, msg);
	}
	args_free(&a);
}

int
main(void)
{
	struct args a;
	struct xerr e;
	int r;

	setenv("HOME", "/nonexistent-xssh-test", 1);

	r = parse(ARGV("host"), &a, &e);
	CHECK_INT("plain host", r, ARGS_RUN);
	CHECK_STR("plain host: host", a.host, "host");
	CHECK_STR("plain host: no command", a.command, NULL);
	args_free(&a);

	r = parse(ARGV("alice@host", "ls", "-l", "/tmp"), &a, &e);
	CHECK_INT("user@host cmd", r, ARGS_RUN);
	CHECK_STR("user@host: user", a.opts.user, "alice");
	CHECK_STR("user@host: host", a.host, "host");
	CHECK_STR("command words joined", a.command, "ls -l /tmp");
	args_free(&a);

	r = parse(ARGV("-p2222", "-l", "bob", "ssh://alice@h:22"), &a, &e);
	CHECK_INT("ssh:// destination", r, ARGS_RUN);
	CHECK_INT("-p before URI port wins", a.opts.port, 2222);
	CHECK_STR("-l before URI user wins", a.opts.user, "bob");
	CHECK_STR("URI host", a.host, "h");
	args_free(&a);

	r = parse(ARGV("ssh://alice@[::1]:2200", "id"), &a, &e);
	CHECK_INT("URI with IPv6", r, ARGS_RUN);
	CHECK_STR("URI IPv6 host", a.host, "::1");
	CHECK_INT("URI port", a.opts.port, 2200);
	CHECK_STR("URI user", a.opts.user, "alice");
	args_free(&a);

	/* ssh's sshcfgparse "user first match" cases. */
	r = parse(ARGV("-lbar", "baz@host"), &a, &e);
	CHECK_STR("-l before user@: -l wins", a.opts.user, "bar");
	args_free(&a);
	r = parse(ARGV("baz@host", "-l", "bar"), &a, &e);
	CHECK_STR("user@ before -l: user@ wins", a.opts.user, "baz");
	args_free(&a);

	/* Options after the destination, then the command. */
	r = parse(ARGV("host", "-p", "2200", "-T", "uname", "-a"), &a, &e);
	CHECK_INT("options after host", r, ARGS_RUN);
	CHECK_INT("-p after host", a.opts.port, 2200);
	CHECK_INT("-T after host", a.opts.request_tty, RTTY_NO);
	CHECK_STR("command after options", a.command, "uname -a");
	args_free(&a);

	/* "--" ends options: what follows the host is the command. */
	r = parse(ARGV("--", "host", "-v"), &a, &e);
	CHECK_INT("-- then host", r, ARGS_RUN);
	CHECK_STR("-- keeps -v as command", a.command, "-v");
	CHECK_INT("-- : -v not taken", a.debug_flag, 0);
	args_free(&a);
	r = parse(ARGV("host", "--", "-v"), &a, &e);
	CHECK_STR("host -- -v: command", a.command, "-v");
	args_free(&a);

	/* Bundles and attached arguments. */
	r = parse(ARGV("-nqF/dev/null", "-46", "host"), &a, &e);
	CHECK_INT("bundle", r, ARGS_RUN);
	CHECK_INT("bundle: -n", a.opts.stdin_null, 1);
	CHECK_INT("bundle: -q", a.opts.log_level, LOG_QUIET);
	CHECK_STR("bundle: -F attached", a.config_file, "/dev/null");
	CHECK_INT("-4 then -6: last wins", a.opts.address_family, AF_INET6);
	args_free(&a);

	r = parse(ARGV("-vvv", "-v", "host"), &a, &e);
	CHECK_INT("-vvvv caps at DEBUG3", a.opts.log_level, LOG_DEBUG3);
	args_free(&a);
	r = parse(ARGV("-v", "host"), &a, &e);
	CHECK_INT("-v is DEBUG1", a.opts.log_level, LOG_DEBUG1);
	args_free(&a);

	r = parse(ARGV("-p", "1", "-p", "2", "h"), &a, &e);
	CHECK_INT("first -p wins", a.opts.port, 1);
	args_free(&a);

	r = parse(ARGV("-tt", "h"), &a, &e);
	CHECK_INT("-tt forces a tty", a.opts.request_tty, RTTY_FORCE);
	args_free(&a);

	r = parse(ARGV("-J", "a,u@b:2", "-Ec.log", "-b", "127.0.0.1", "h"),
	    &a, &e);
	CHECK_INT("-J accepted", r, ARGS_RUN);
	CHECK_STR("-J stored", a.opts.proxy_jump, "a,u@b:2");
	CHECK_STR("-J blocks ProxyCommand", a.opts.proxy_command, "none");
	CHECK_STR("-E attached", a.log_file, "c.log");
	CHECK_STR("-b", a.opts.bind_address, "127.0.0.1");
	args_free(&a);

	r = parse(ARGV("-V"), &a, &e);
	CHECK_INT("-V", r, ARGS_VERSION);
	args_free(&a);
	r = parse(ARGV("-q"), &a, &e);
	CHECK_INT("no destination: usage", r, ARGS_USAGE);
	args_free(&a);

	r = parse(ARGV("-s", "h", "sftp"), &a, &e);
	CHECK_INT("-s subsystem", a.subsystem, 1);
	CHECK_STR("-s subsystem name", a.command, "sftp");
	args_free(&a);

	r = parse(ARGV("-W", "[::1]:80", "jump"), &a, &e);
	CHECK_INT("-W accepted", r, ARGS_RUN);
	CHECK_STR("-W host", a.stdio_host, "::1");
	CHECK_INT("-W port", a.stdio_port, 80);
	CHECK_INT("-W implies no tty", a.opts.request_tty, RTTY_NO);
	CHECK_INT("-W implies no session", a.opts.session_type, 0);
	args_free(&a);

	r = parse(ARGV("--show-chain", "-J", "a", "h"), &a, &e);
	CHECK_INT("--show-chain", a.show_chain, 1);
	args_free(&a);
	r = parse(ARGV("h", "--test-chain"), &a, &e);
	CHECK_INT("--test-chain after host", a.test_chain, 1);
	CHECK_STR("--test-chain: no command", a.command, NULL);
	args_free(&a);

	/* Refusals: each with one clear line. */
	refuse("-W twice", ARGV("-W", "h:1", "-W", "h:2", "j"),
	    "stdio forward already specified");
	refuse("-W no port", ARGV("-W", "h", "j"),
	    "Bad stdio forwarding specification 'h'");
	refuse("-W user", ARGV("-W", "u@h:1", "j"),
	    "Bad stdio forwarding specification 'u@h:1'");
	refuse("unknown long option", ARGV("--chain", "h"),
	    "unknown option --chain");
	refuse("-J after ProxyCommand none", ARGV("-oProxyCommand=none", "-J",
	    "a", "h"), "Cannot specify -J with ProxyCommand");
	refuse("unknown option", ARGV("-Z", "h"), "unknown option -- Z");
	refuse("missing argument", ARGV("h", "-p"),
	    "option requires an argument -- p");
	refuse("bad port", ARGV("-p", "99999", "h"), "Bad port '99999'");
	refuse("port zero", ARGV("-p0", "h"), "Bad port '0'");
	refuse("not yet: -w", ARGV("-w", "0", "h"),
	    "option -w (tunnel devices) is not supported by xssh yet");
	refuse("bad -L", ARGV("-L", "1:h", "h"),
	    "Bad local forwarding specification '1:h'");
	refuse("bad -R", ARGV("-R", "x:h:2", "h"),
	    "Bad remote forwarding specification 'x:h:2'");
	refuse("bad -D", ARGV("-D", "0", "h"),
	    "Bad dynamic forwarding specification '0'");
	refuse("protocol 1", ARGV("-1", "h"),
	    "SSH protocol v.1 is no longer supported");
	refuse("two -J", ARGV("-J", "a", "-J", "b", "h"), "Only a single -J "
	    "option is permitted (use commas to separate multiple jump hops)");
	refuse("-J bad port", ARGV("-J", "a:99999", "h"),
	    "Invalid -J argument \"a:99999\": bad hop \"a:99999\"");
	refuse("-J empty hop", ARGV("-J", "a,,b", "h"), NULL);
	refuse("-J metachar", ARGV("-J", "a;b", "h"),
	    "parse_jump: invalid hostname \"a;b\"\nInvalid -J argument");
	/* ssh's parse_jump() walks the list from its end. */
	refuse("-J last bad first", ARGV("-J", "a;b,c|d", "h"),
	    "parse_jump: invalid hostname \"c|d\"\nInvalid -J argument");
	refuse("-J URI user decoded", ARGV("-J", "ssh://a%3bb@h", "h"),
	    "parse_jump: invalid username \"a;b\"\nInvalid -J argument");
	refuse("-J URI path", ARGV("-J", "ssh://h/x", "h"), NULL);
	refuse("-J bracket", ARGV("-J", "[::1", "h"), NULL);
	refuse("-J empty", ARGV("-J", "", "h"), NULL);
	refuse("empty user", ARGV("@h"), "Invalid destination \"@h\"");
	refuse("empty host", ARGV("u@"), "Invalid destination \"u@\"");
	refuse("bad URI", ARGV("ssh://h/path"), NULL);
	UNIT_END();
}
