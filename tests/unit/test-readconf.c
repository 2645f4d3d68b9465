/*
 * Unit tests for ssh_config reading: pattern matching, line splitting,
 * first-obtained-wins, lists, Host/Match/Include, tokens, refusals and
 * every error message, whose expected text is what OpenSSH 9.2's
 * ssh -G printed for the same input.  All files live in a temporary
 * directory; HOME points there too.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "match.h"
#include "options.h"
#include "unit.h"

static char dir[64];			/* the temporary directory */
static char cfgpath[128];		/* dir/cfg, the -F file */
static char errbuf[XERR_MSGLEN];

static void
write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	chmod(path, 0644);
}

/* Read text as the -F file for host into o; 0 or -1 with errbuf. */
static int
rd(struct options *o, const char *host, const char *text)
{
	struct xerr e = { 0 };
	int r;

	write_file("cfg", text);
	errbuf[0] = '\0';
	if ((r = readconf_files(o, host, cfgpath, &e)) != 0)
		snprintf(errbuf, sizeof(errbuf), "%s", e.msg);
	return r;
}

/* The error text for config text and host "x", "" if none. */
static const char *
err_of(const char *text)
{
	struct options o;

	options_init(&o);
	if (rd(&o, "x", text) == 0)
		errbuf[0] = '\0';
	options_free(&o);
	return errbuf;
}

/* The same for one -o argument. */
static const char *
cmd_err(const char *arg)
{
	struct options o;
	struct xerr e = { 0 };

	options_init(&o);
	errbuf[0] = '\0';
	if (readconf_cmdline(&o, arg, &e) != 0)
		snprintf(errbuf, sizeof(errbuf), "%s", e.msg);
	options_free(&o);
	return errbuf;
}

/* "<cfgpath> line N: msg" plus ssh's terminating line. */
static const char *
bad1(int line, const char *msg)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "%s line %d: %s\n%s: terminating, 1 bad "
	    "configuration options", cfgpath, line, msg, cfgpath);
	return buf;
}

static void
test_match(void)
{
	char *pats[] = { "a*", "!ab", "x" };
	int which;

	CHECK("pattern exact", pattern_match("host", "host"));
	CHECK("pattern differs", !pattern_match("host", "hosts"));
	CHECK("pattern star", pattern_match("web01.example", "web*.example"));
	CHECK("pattern star empty", pattern_match("web.example",
	    "web*.example"));
	CHECK("pattern stars", pattern_match("abcabd", "*ab*d"));
	CHECK("pattern question", pattern_match("h1", "h?"));
	CHECK("pattern question no", !pattern_match("h", "h?"));
	CHECK("pattern only star", pattern_match("", "*"));
	CHECK("pattern empty", pattern_match("", ""));
	CHECK("pattern empty vs x", !pattern_match("", "x"));
	CHECK("pattern case", !pattern_match("Host", "host"));
	CHECK("pattern backtrack", !pattern_match(
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"));
	CHECK_INT("list positive", pattern_match_list("b", "a,b", 0), 1);
	CHECK_INT("list none", pattern_match_list("c", "a,b", 0), 0);
	CHECK_INT("list negated", pattern_match_list("b", "*,!b", 0), -1);
	CHECK_INT("list negated first", pattern_match_list("b", "!b,*", 0),
	    -1);
	CHECK_INT("list negation only", pattern_match_list("c", "!b", 0), 0);
	CHECK_INT("list dolower", pattern_match_list("abc", "ABC", 1), 1);
	CHECK_INT("list no dolower", pattern_match_list("abc", "ABC", 0), 0);
	CHECK_INT("list string not lowered", pattern_match_list("ABC", "abc",
	    1), 0);
	CHECK_INT("list empty entry", pattern_match_list("", "a,,b", 0), 1);
	CHECK_INT("list trailing comma", pattern_match_list("", "a,", 0), 0);
	CHECK_INT("hostname", pattern_match_hostname("web1", "WEB*"), 1);
	CHECK_INT("hostname lowered", pattern_match_hostname("Web1", "w*"), 1);
	CHECK_INT("host line", pattern_match_host_line("ax", pats, 3, &which), 1);
	CHECK_INT("host line which", which, 0);
	CHECK_INT("host line veto", pattern_match_host_line("ab", pats, 3, &which),
	    -1);
	CHECK_INT("host line veto which", which, 1);
	CHECK_INT("host line later", pattern_match_host_line("x", pats, 3, &which), 1);
	CHECK_INT("host line later which", which, 2);
	CHECK_INT("host line none", pattern_match_host_line("q", pats, 3, &which), 0);
}

static void
test_defaults(void)
{
	struct options o;

	options_init(&o);
	CHECK_INT("init port", o.port, -1);
	CHECK_INT("init escape", o.escape_char, -1);
	CHECK_INT("init control master", o.control_master, -1);
	CHECK("init user", o.user == NULL);
	CHECK_INT("init lists", o.identity_files.n + o.send_env.n, 0);
	options_fill_defaults(&o, "Web.Example");
	CHECK_INT("default port", o.port, 22);
	CHECK_STR("default hostname lowercased", o.hostname, "web.example");
	CHECK_STR("default user", o.user, local_user());
	CHECK_INT("default connect timeout", o.connect_timeout, 0);
	CHECK_INT("default shk", o.strict_host_key_checking, SHK_ASK);
	CHECK_INT("default batch", o.batch_mode, 0);
	CHECK_INT("default pubkey", o.pubkey_authentication, 1);
	CHECK_INT("default password", o.password_authentication, 1);
	CHECK_INT("default kbdint", o.kbd_interactive_authentication, 1);
	CHECK_INT("default prompts", o.number_of_password_prompts, 3);
	CHECK_INT("default alive max", o.server_alive_count_max, 3);
	CHECK_INT("default alive", o.server_alive_interval, 0);
	CHECK_INT("default keepalive", o.tcp_keep_alive, 1);
	CHECK_INT("default tty", o.request_tty, RTTY_AUTO);
	CHECK_INT("default loglevel", o.log_level, LOG_INFO);
	CHECK_INT("default escape", o.escape_char, '~');
	CHECK_INT("default attempts", o.connection_attempts, 1);
	CHECK_INT("default af", o.address_family, 0);
	CHECK_INT("default rsa size", o.required_rsa_size, 1024);
	CHECK_INT("default identities", o.identity_files.n, 7);
	CHECK_STR("default identity 1", o.identity_files.v[0],
	    "~/.ssh/id_rsa");
	CHECK_STR("default identity 7", o.identity_files.v[6],
	    "~/.ssh/id_dsa");
	CHECK_STR("default known hosts", o.user_known_hosts_files.v[1],
	    "~/.ssh/known_hosts2");
	CHECK_STR("default global", o.global_known_hosts_files.v[0],
	    "/etc/ssh/ssh_known_hosts");
	options_free(&o);

	options_init(&o);
	strlist_add(&o.identity_files, "~/mine");
	o.proxy_jump = xstrdup("none");
	o.proxy_command = xstrdup("none");
	o.remote_command = xstrdup("none");
	o.hostname = xstrdup("FE80::A");
	options_fill_defaults(&o, "x");
	CHECK_INT("identities given: no defaults", o.identity_files.n, 1);
	CHECK("none clears jump", o.proxy_jump == NULL);
	CHECK("none clears command", o.proxy_command == NULL);
	CHECK("none clears remote command", o.remote_command == NULL);
	CHECK_STR("address not lowercased", o.hostname, "FE80::A");
	options_free(&o);
}

static void
test_splitting(void)
{
	struct options o;

	options_init(&o);
	CHECK_INT("equals", rd(&o, "x", "User=bob\nPort = 2\n"
	    "HostKeyAlias\t=\tali\r\n"), 0);
	CHECK_STR("equals user", o.user, "bob");
	CHECK_INT("equals spaces", o.port, 2);
	CHECK_STR("tabs and CR", o.host_key_alias, "ali");
	options_free(&o);

	options_init(&o);
	rd(&o, "x", "# comment\n\n   \n\tpOrT 7 # trailing comment\n"
	    "IdentityFile a'b c'd\\ e\nCertificateFile \"with space\"\n"
	    "\"User\" bob\n");
	CHECK_STR("comments and blanks", errbuf, "");
	CHECK_INT("keyword case", o.port, 7);
	CHECK_STR("quotes and escapes", o.identity_files.v[0], "ab cd e");
	CHECK_STR("double quotes", o.certificate_files.v[0], "with space");
	CHECK_STR("quoted keyword", o.user, "bob");
	options_free(&o);

	CHECK_STR("unterminated quote", err_of("User \"a b\n"),
	    bad1(1, "invalid quotes"));
	CHECK_STR("extra arguments", err_of("Port 22 33\n"),
	    bad1(1, "keyword port extra arguments at end of line"));
	CHECK_STR("extra user", err_of("User a b\n"),
	    bad1(1, "keyword user extra arguments at end of line"));
	CHECK_STR("two equals", err_of("Port==22\n"),
	    bad1(1, "Bad port '=22'."));
	CHECK_STR("no argument", err_of("Port\n"),
	    bad1(1, "no argument after keyword \"port\""));
	CHECK_STR("no argument equals", err_of("Port=\n"),
	    bad1(1, "no argument after keyword \"port\""));
	CHECK_STR("no argument unknown", err_of("Foo\n"),
	    bad1(1, "no argument after keyword \"foo\""));
	CHECK_STR("comment argument", err_of("User #x\n"),
	    bad1(1, "Missing argument."));
	CHECK_STR("empty argument", err_of("User \"\"\n"),
	    bad1(1, "Missing argument."));
}

static void
test_first_wins(void)
{
	struct options o;
	struct xerr e;

	options_init(&o);
	rd(&o, "x", "Host x\n User u1\n Port 1\nHost *\n User u2\n Port 2\n"
	    " StrictHostKeyChecking no\nStrictHostKeyChecking yes\n"
	    "ConnectTimeout none\nConnectTimeout 5\nLogLevel DEBUG\n"
	    "LogLevel QUIET\nHostName a\nHostname b\n");
	CHECK_STR("first user", o.user, "u1");
	CHECK_INT("first port", o.port, 1);
	CHECK_INT("first shk", o.strict_host_key_checking, SHK_NO);
	CHECK_INT("none leaves unset", o.connect_timeout, 5);
	CHECK_INT("loglevel", o.log_level, LOG_DEBUG1);
	CHECK_STR("hostname", o.hostname, "a");
	options_free(&o);

	options_init(&o);
	CHECK_INT("cmdline first", readconf_cmdline(&o, "User=cli", &e), 0);
	readconf_cmdline(&o, "Port 2200", &e);
	readconf_cmdline(&o, "StrictHostKeyChecking=accept-new", &e);
	rd(&o, "x", "User file\nPort 1\nStrictHostKeyChecking yes\n");
	CHECK_STR("cmdline beats file", o.user, "cli");
	CHECK_INT("cmdline port", o.port, 2200);
	CHECK_INT("accept-new", o.strict_host_key_checking, SHK_ACCEPT_NEW);
	options_free(&o);

	options_init(&o);
	rd(&o, "x", "Host nomatch\n Port 9\n User no\n");
	CHECK_INT("inactive block", o.port, -1);
	CHECK("inactive user", o.user == NULL);
	options_free(&o);
}

static void
test_lists(void)
{
	struct options o;

	options_init(&o);
	rd(&o, "x", "Host x\n IdentityFile ~/a\n IdentityFile ~/a\n"
	    "Host *\n IdentityFile ~/b\n CertificateFile c1\n"
	    " CertificateFile c2\n SendEnv LANG LC_* XY\n SendEnv -LC_*\n"
	    " SetEnv A=1 \"B=2 3\" A=4\n SetEnv C=5\n"
	    " UserKnownHostsFile k1 k2\n UserKnownHostsFile k3\n"
	    " GlobalKnownHostsFile g1\n");
	CHECK_STR("lists ok", errbuf, "");
	CHECK_INT("identity count", o.identity_files.n, 2);
	CHECK_STR("identity 2", o.identity_files.v[1], "~/b");
	CHECK_INT("certificate count", o.certificate_files.n, 2);
	CHECK_INT("sendenv after removal", o.send_env.n, 2);
	CHECK_STR("sendenv kept", o.send_env.v[1], "XY");
	CHECK_INT("setenv first line", o.set_env.n, 2);
	CHECK_STR("setenv quoted", o.set_env.v[1], "B=2 3");
	CHECK_INT("known hosts first line", o.user_known_hosts_files.n, 2);
	CHECK_STR("known hosts 2", o.user_known_hosts_files.v[1], "k2");
	CHECK_INT("global", o.global_known_hosts_files.n, 1);
	options_free(&o);

	options_init(&o);
	rd(&o, "x", "SendEnv -A\nSendEnv A\nSetEnv #\nSetEnv B=1\n");
	CHECK_INT("removal before add", o.send_env.n, 1);
	CHECK_INT("empty setenv line leaves unset", o.set_env.n, 1);
	options_free(&o);

	CHECK_STR("sendenv with =", err_of("SendEnv A=1\n"),
	    bad1(1, "Invalid environment name."));
	CHECK_STR("sendenv empty", err_of("SendEnv \"\"\n"),
	    bad1(1, "Invalid environment name."));
	CHECK_STR("setenv no =", err_of("SetEnv A\n"),
	    bad1(1, "Invalid SetEnv."));
	CHECK_STR("known hosts none", err_of("UserKnownHostsFile a none\n"),
	    bad1(1, "keyword userknownhostsfile \"none\" argument must "
	    "appear alone."));
	CHECK_STR("known hosts empty", err_of("UserKnownHostsFile \"\"\n"),
	    bad1(1, "keyword userknownhostsfile empty argument"));
	CHECK_STR("identity extra", err_of("IdentityFile a b\n"),
	    bad1(1, "keyword identityfile extra arguments at end of line"));
}

static void
test_host_match(void)
{
	struct options o;
	char path[1024];

	options_init(&o);
	rd(&o, "web1", "Host !web1 web*\n Port 1\nHost db* web1 !x\n Port 2\n");
	CHECK_INT("negation and several patterns", o.port, 2);
	options_free(&o);

	options_init(&o);
	rd(&o, "x", "Host X\n Port 1\nHost y x,z\n Port 2\nHost x*\n Port 3\n");
	CHECK_INT("host is case-sensitive, no comma lists", o.port, 3);
	options_free(&o);

	options_init(&o);
	rd(&o, "alias", "Host alias\n HostName Real.Example\n"
	    "Match host real.example\n Port 1\nMatch originalhost alias\n"
	    " Port 2\nMatch host alias\n User no\n");
	CHECK_INT("match host sees HostName, any case", o.port, 1);
	CHECK("match host not the alias", o.user == NULL);
	options_free(&o);

	options_init(&o);
	o.user = xstrdup("bob");
	rd(&o, "x", "Match user BOB\n Port 9\nMatch user b?b "
	    "localuser *,!nosuch*\n Port 1\nMatch localuser !nosuch*\n"
	    " Port 2\n");
	CHECK_INT("match user, localuser", o.port, 1);
	options_free(&o);

	options_init(&o);
	rd(&o, "x", "Match !all\n Port 1\nMatch all # c\n Port 2\n");
	CHECK_INT("match all", o.port, 2);
	options_free(&o);

	setenv("SHELL", "/bin/sh", 1);
	options_init(&o);
	rd(&o, "x", "Match exec \"exit 1\"\n Port 1\nMatch exec \"exit 0\"\n"
	    " Port 2\n");
	CHECK_INT("match exec status", o.port, 2);
	options_free(&o);

	options_init(&o);
	rd(&o, "x", "Match !exec \"exit 1\" host x\n Port 3\n");
	CHECK_INT("match negated exec", o.port, 3);
	options_free(&o);

	snprintf(path, sizeof(path), "%s/ran", dir);
	unlink(path);
	options_init(&o);
	rd(&o, "x", "Match host nomatch exec \"touch %d/ran\"\n Port 1\n");
	CHECK("exec skipped after failed criterion", access(path, F_OK) == -1);
	rd(&o, "x", "Match exec \"test %h%p%r%n = x22rootx -o %r != root\"\n"
	    " Port 4\n");
	CHECK_INT("exec tokens", o.port, 4);
	options_free(&o);

	options_init(&o);
	rd(&o, "x", "Match exec \"echo out\"\n Port 5\n");
	CHECK_INT("exec stdout hidden", o.port, 5);
	options_free(&o);

	options_init(&o);
	rd(&o, "x", "Match canonical\n Port 1\nMatch !canonical\n User u\n"
	    "Host x\n HostName H.%h\n");
	CHECK_INT("canonical does not match", o.port, -1);
	CHECK_STR("not canonical matches", o.user, "u");
	options_free(&o);

	options_init(&o);
	rd(&o, "x", "Host x\n HostName Final.%h\nMatch final host final.x\n"
	    " Port 6\nMatch canonical\n User c\n");
	CHECK_INT("final pass", o.port, 6);
	CHECK_STR("canonical in final pass", o.user, "c");
	CHECK_STR("final host lowercased", o.hostname, "final.x");
	options_free(&o);

	err_of("Match foo bar\n");
	snprintf(path, sizeof(path), "Unsupported Match attribute foo\n"
	    "%s line 1: Bad Match condition\n%s: terminating, 1 bad "
	    "configuration options", cfgpath, cfgpath);
	CHECK_STR("unknown criterion message", errbuf, path);
	err_of("Match host\n");
	snprintf(path, sizeof(path), "Missing Match criteria for host\n"
	    "%s line 1: Bad Match condition\n%s: terminating, 1 bad "
	    "configuration options", cfgpath, cfgpath);
	CHECK_STR("missing criteria", errbuf, path);
	err_of("Match all host x\n");
	snprintf(path, sizeof(path), "%s line 1: 'all' cannot be combined "
	    "with other Match attributes\n%s line 1: Bad Match condition\n"
	    "%s: terminating, 1 bad configuration options", cfgpath, cfgpath,
	    cfgpath);
	CHECK_STR("all combined", errbuf, path);
	err_of("Match #\n");
	snprintf(path, sizeof(path), "One or more attributes required for "
	    "Match\n%s line 1: Bad Match condition\n%s: terminating, 1 bad "
	    "configuration options", cfgpath, cfgpath);
	CHECK_STR("no attributes", errbuf, path);
	CHECK_STR("match host x all", err_of("Match host x all\n"), "");
	CHECK_STR("host empty pattern", err_of("Host \"\" x\n"),
	    bad1(1, "keyword host empty argument"));
	CHECK_STR("host veto before empty", err_of("Host !x \"\"\n"), "");
	CHECK_STR("host no argument", err_of("Host\n"),
	    bad1(1, "no argument after keyword \"host\""));
	err_of("Match exec \"kill -9 $$\"\n");
	snprintf(path, sizeof(path), "command 'kill -9 $$' exited "
	    "abnormally\n%s line 1: match exec 'kill -9 $$' error", cfgpath);
	CHECK_STR("exec killed", errbuf, path);
	err_of("Match host x extra\n");
	snprintf(path, sizeof(path), "Missing Match criteria for extra\n"
	    "%s line 1: Bad Match condition\n%s: terminating, 1 bad "
	    "configuration options", cfgpath, cfgpath);
	CHECK_STR("criterion without value", errbuf, path);
	err_of("Match exec \"echo %x\"\n");
	CHECK_STR("exec bad token", errbuf, "vdollar_percent_expand: "
	    "unknown key %x\npercent_expand: failed");
	CHECK_STR("cmdline host", cmd_err("Host x"),
	    "Host directive not supported as a command-line option");
	CHECK_STR("cmdline match (sic)", cmd_err("Match all"),
	    "Host directive not supported as a command-line option");
}

static void
test_include(void)
{
	struct options o;
	char buf[512], buf2[512];

	write_file("home/.ssh/i1.conf", "Port 11\n");
	write_file("home/.ssh/i2.conf", "User i2\nHost *\nIdentityFile z\n");
	write_file("abs.conf", "HostKeyAlias abs\n");
	options_init(&o);
	snprintf(buf, sizeof(buf), "Include i*.conf %s/abs.conf %s/none*\n"
	    "Port 1\nIdentitiesOnly yes\n", dir, dir);
	rd(&o, "x", buf);
	CHECK_STR("include ok", errbuf, "");
	CHECK_INT("relative under ~/.ssh, first", o.port, 11);
	CHECK_STR("glob order", o.user, "i2");
	CHECK_STR("several paths", o.host_key_alias, "abs");
	CHECK_INT("Host in include does not leak", o.identities_only, 1);
	options_free(&o);

	options_init(&o);
	rd(&o, "x", "Host nomatch\nInclude i1.conf\nHost x\nInclude i2.conf\n"
	    "Match all\nPort 3\n");
	CHECK_INT("conditional include", o.port, 3);
	CHECK_STR("active include", o.user, "i2");
	options_free(&o);

	write_file("home/.ssh/inner.conf", "Match all\nPort 21\n");
	options_init(&o);
	rd(&o, "x", "Host nomatch\nInclude inner.conf\nUser after\n");
	CHECK_INT("match inside inactive include", o.port, -1);
	CHECK("include keeps block inactive", o.user == NULL);
	options_free(&o);

	snprintf(buf, sizeof(buf), "Include %s/cfg\n", dir);
	CHECK_STR("include loop", err_of(buf),
	    "Too many recursive configuration includes");

	write_file("bad.conf", "Port abc\nFoo x\n");
	snprintf(buf, sizeof(buf), "Include %s/bad.conf\nPort 1\n", dir);
	snprintf(buf2, sizeof(buf2), "%s/bad.conf line 1: Bad port 'abc'.\n"
	    "%s/bad.conf: line 2: Bad configuration option: foo\n"
	    "%s/bad.conf: terminating, 2 bad configuration options", dir, dir,
	    dir);
	CHECK_STR("errors in include", err_of(buf), buf2);

	write_file("perm.conf", "Port 1\n");
	snprintf(buf, sizeof(buf), "%s/perm.conf", dir);
	chmod(buf, 0666);
	snprintf(buf, sizeof(buf), "Include %s/perm.conf\n", dir);
	snprintf(buf2, sizeof(buf2), "Bad owner or permissions on "
	    "%s/perm.conf", dir);
	CHECK_STR("include permissions", err_of(buf), buf2);

	CHECK_STR("include empty", err_of("Include \"\"\n"),
	    bad1(1, "keyword include empty argument"));
	CHECK_STR("include cmdline", cmd_err("Include x"),
	    "Include directive not supported as a command-line option");

	/* The system file: relative Includes go under its directory. */
	write_file("etc/sys.d/a.conf", "Port 31\n");
	write_file("etc/ssh_config", "Include sys.d/*.conf\nUser sys\n");
	write_file("home/.ssh/config", "Host x\n User home\n");
	options_init(&o);
	CHECK_INT("default files", readconf_files(&o, "x", NULL, NULL), 0);
	CHECK_STR("user file first", o.user, "home");
	CHECK_INT("system include", o.port, 31);
	options_free(&o);

	write_file("etc/ssh_config", "Include ~/x\n");
	options_init(&o);
	{
		struct xerr e;

		CHECK_INT("tilde in system include",
		    readconf_files(&o, "x", NULL, &e), -1);
		snprintf(buf, sizeof(buf), "%s/etc/ssh_config line 1: bad "
		    "include path ~/x.\n%s/etc/ssh_config: terminating, 1 bad "
		    "configuration options", dir, dir);
		CHECK_STR("tilde in system include message", e.msg, buf);
	}
	options_free(&o);
	write_file("etc/ssh_config", "Port 2\n");
}

static void
test_files(void)
{
	struct options o;
	struct xerr e;
	char path[256], want[1024];

	options_init(&o);
	CHECK_INT("-F none", readconf_files(&o, "x", "none", &e), 0);
	CHECK_INT("-F none reads nothing", o.port, -1);
	snprintf(path, sizeof(path), "%s/missing", dir);
	CHECK_INT("-F missing", readconf_files(&o, "x", path, &e), -1);
	snprintf(want, sizeof(want), "Can't open user config file %s: No "
	    "such file or directory", path);
	CHECK_STR("-F missing message", e.msg, want);
	CHECK_INT("-F missing code", e.code, XE_CONFIG);
	options_free(&o);

	/* ssh checks ~/.ssh/config's permissions, not -F's. */
	write_file("cfg", "Port 1\n");
	chmod(cfgpath, 0666);
	options_init(&o);
	CHECK_INT("-F file group/world writable",
	    readconf_files(&o, "x", cfgpath, &e), 0);
	options_free(&o);
	snprintf(path, sizeof(path), "%s/home/.ssh/config", dir);
	chmod(path, 0666);
	options_init(&o);
	CHECK_INT("user config writable", readconf_files(&o, "x", NULL, &e),
	    -1);
	snprintf(want, sizeof(want), "Bad owner or permissions on %s", path);
	CHECK_STR("user config writable message", e.msg, want);
	options_free(&o);
	chmod(path, 0644);

	/* Several bad lines are all reported, then counted. */
	err_of("Foo 1\nPort x\nBatchMode 3\nPort 2\n");
	snprintf(want, sizeof(want), "%s: line 1: Bad configuration option: "
	    "foo\n%s line 2: Bad port 'x'.\n%s line 3: unsupported option "
	    "\"3\".\n%s: terminating, 3 bad configuration options", cfgpath,
	    cfgpath, cfgpath, cfgpath);
	CHECK_STR("several bad lines", errbuf, want);

	/* Too much to show: the head, then ssh's last line. */
	{
		char *big;
		size_t i, len = 0;

		big = xmalloc(500 * 16);
		for (i = 0; i < 500; i++)
			len += sprintf(big + len, "Foo%03zu 1\n", i);
		err_of(big);
		free(big);
		snprintf(want, sizeof(want), "\n%s: terminating, 500 bad "
		    "configuration options", cfgpath);
		CHECK("long error keeps the last line", strlen(errbuf) >
		    strlen(want) && strcmp(errbuf + strlen(errbuf) -
		    strlen(want), want) == 0);
		CHECK("long error fits", strlen(errbuf) < XERR_MSGLEN);
		CHECK("long error starts with the first",
		    strstr(errbuf, "option: foo000\n") != NULL);
	}
}

static void
test_tokens(void)
{
	struct options o;
	struct xerr e;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen, i;
	char host[256], in[512], want[1024], hash[64];
	char *s;

	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	options_init(&o);
	o.user = xstrdup("ruser");
	o.port = 2222;
	o.hostname = xstrdup("real.example");
	s = options_expand(&o, "alias", "%h %p %r %n %k %u %% %i %d", XP_PATH,
	    &e);
	/* %k is the original name, as ssh 9.2 (not HostName). */
	snprintf(want, sizeof(want), "real.example 2222 ruser alias "
	    "alias %s %% %llu %s", local_user(),
	    (unsigned long long)getuid(), local_home());
	CHECK_STR("tokens", s, want);
	free(s);
	snprintf(in, sizeof(in), "%s%s%s%s", host, "real.example", "2222",
	    "ruser");
	EVP_Digest(in, strlen(in), md, &mdlen, EVP_sha1(), NULL);
	for (i = 0; i < mdlen; i++)
		snprintf(hash + 2 * i, 3, "%02x", md[i]);
	s = options_expand(&o, "alias", "%C %l", XP_PATH, &e);
	snprintf(want, sizeof(want), "%s %s", hash, host);
	CHECK_STR("%C and %l", s, want);
	free(s);
	o.host_key_alias = xstrdup("ali");
	s = options_expand(&o, "alias", "~/k_%k", XP_PATH, &e);
	snprintf(want, sizeof(want), "%s/k_ali", local_home());
	CHECK_STR("tilde and %k", s, want);
	free(s);
	setenv("XSSH_T", "val", 1);
	s = options_expand(&o, "alias", "${XSSH_T}/$XSSH_T", XP_PATH, &e);
	CHECK_STR("${ENV}", s, "val/$XSSH_T");
	free(s);
	s = options_expand(&o, "alias", "${XSSH_T} %h", XP_COMMAND, &e);
	CHECK_STR("no ${ENV} in commands", s, "${XSSH_T} real.example");
	free(s);
	s = options_expand(&o, "alias", "%h:%p", XP_PROXY, &e);
	CHECK_STR("proxy tokens", s, "real.example:2222");
	free(s);

	CHECK("unknown key", options_expand(&o, "a", "%x", XP_PATH, &e) ==
	    NULL);
	CHECK_STR("unknown key message", e.msg, "vdollar_percent_expand: "
	    "unknown key %x\npercent_dollar_expand: failed");
	CHECK("proxy has no %u", options_expand(&o, "a", "%u", XP_PROXY, &e)
	    == NULL);
	CHECK_STR("proxy %u message", e.msg, "vdollar_percent_expand: "
	    "unknown key %u\npercent_expand: failed");
	unsetenv("XSSH_NOPE");
	CHECK("unset variable", options_expand(&o, "a", "${XSSH_NOPE}/x",
	    XP_PATH, &e) == NULL);
	CHECK_STR("unset variable message", e.msg, "vdollar_percent_expand: "
	    "env var ${XSSH_NOPE} has no value\n"
	    "invalid environment variable expansion");
	options_expand(&o, "a", "${HOME", XP_PATH, &e);
	CHECK_STR("missing brace", e.msg, "vdollar_percent_expand: "
	    "environment variable 'HOME' missing closing '}'\n"
	    "percent_dollar_expand: failed");
	options_expand(&o, "a", "a%", XP_PATH, &e);
	CHECK_STR("trailing %", e.msg, "vdollar_percent_expand: invalid "
	    "format\npercent_dollar_expand: failed");
	s = options_expand_tokens(&o, "a", "keep%x");
	CHECK_STR("expand_tokens keeps bad input", s, "keep%x");
	free(s);
	options_free(&o);

	options_init(&o);
	rd(&o, "Alias", "HostName %h.example.%%\n");
	CHECK_STR("HostName %h at parse", o.hostname, "Alias.example.%");
	options_free(&o);
	CHECK_STR("HostName %p", err_of("HostName %h.%p\n"),
	    "vdollar_percent_expand: unknown key %p\npercent_expand: failed");
}

static void
test_proxy(void)
{
	struct options o;
	struct xerr e;

	options_init(&o);
	rd(&o, "x", "ProxyJump u@[::1]:22,h # comment\nProxyCommand foo\n");
	CHECK_STR("jump stored", o.proxy_jump, "u@[::1]:22,h");
	CHECK_STR("jump sets command none", o.proxy_command, "none");
	options_free(&o);

	options_init(&o);
	rd(&o, "x", "ProxyCommand =  nc \"%h\" %p  # c\nProxyJump j\n");
	CHECK_STR("command raw", o.proxy_command, "nc \"%h\" %p  # c");
	CHECK("command first wins over jump", o.proxy_jump == NULL);
	options_free(&o);

	options_init(&o);
	readconf_cmdline(&o, "ProxyJump=none", &e);
	readconf_cmdline(&o, "ProxyCommand=foo", &e);
	CHECK_STR("jump none then command (deb12u10)", o.proxy_command, "foo");
	rd(&o, "x", "ProxyJump j\n");
	CHECK_STR("jump none blocks later jump", o.proxy_jump, "none");
	options_fill_defaults(&o, "x");
	CHECK("jump none cleared", o.proxy_jump == NULL);
	options_free(&o);

	CHECK_STR("empty hop", err_of("ProxyJump a,,b\n"),
	    bad1(1, "Invalid ProxyJump \"a,,b\""));
	CHECK_STR("uri path", err_of("ProxyJump ssh://u@h:22/p\n"),
	    bad1(1, "Invalid ProxyJump \"ssh://u@h:22/p\""));
	CHECK_STR("port 0", err_of("ProxyJump u@h:0\n"),
	    bad1(1, "Invalid ProxyJump \"u@h:0\""));
	CHECK_STR("empty user", err_of("ProxyJump @h\n"),
	    bad1(1, "Invalid ProxyJump \"@h\""));
	CHECK_STR("open bracket", err_of("ProxyJump [::1\n"),
	    bad1(1, "Invalid ProxyJump \"[::1\""));
	CHECK_STR("comment only", err_of("ProxyJump #\n"),
	    bad1(1, "Invalid ProxyJump \"#\""));
	CHECK_STR("uri bad domain", err_of("ProxyJump ssh://a;b\n"),
	    bad1(1, "Invalid ProxyJump \"ssh://a;b\""));
	CHECK_STR("metachar ok in file", err_of("ProxyJump a;b\n"), "");
	CHECK_STR("cmdline strict host", cmd_err("ProxyJump=u@a;b"),
	    "parse_jump: invalid hostname \"a;b\"\n"
	    "command-line line 0: Invalid ProxyJump \"u@a;b\"");
	CHECK_STR("cmdline strict user", cmd_err("ProxyJump=a;b@h"),
	    "parse_jump: invalid username \"a;b\"\n"
	    "command-line line 0: Invalid ProxyJump \"a;b@h\"");
	CHECK_STR("cmdline strict extra hop", cmd_err("ProxyJump=-h,j"),
	    "parse_jump: invalid hostname \"-h\"\n"
	    "command-line line 0: Invalid ProxyJump \"-h,j\"");
	CHECK_STR("cmdline uri params", cmd_err("ProxyJump=ssh://u;x@h:22"),
	    "");
}

/* ForwardAgent PATH: forwarding on unless already set, first path wins. */
static void
test_forward_agent_path(void)
{
	struct options o;

	options_init(&o);
	rd(&o, "x", "ForwardAgent /tmp/s\nForwardAgent /tmp/t\n");
	CHECK_INT("forward agent path on", o.forward_agent, 1);
	CHECK_STR("forward agent path kept", o.forward_agent_sock, "/tmp/s");
	options_free(&o);
	options_init(&o);
	rd(&o, "x", "ForwardAgent no\nForwardAgent $SOCK\n");
	CHECK_INT("forward agent no stays", o.forward_agent, 0);
	CHECK_STR("forward agent path when off", o.forward_agent_sock,
	    "$SOCK");
	options_free(&o);
	options_init(&o);
	rd(&o, "x", "ForwardAgent yes\nForwardAgent ~/a\n");
	CHECK_INT("forward agent yes then path", o.forward_agent, 1);
	CHECK_STR("forward agent yes then path kept", o.forward_agent_sock,
	    "~/a");
	options_free(&o);
}

static void
test_refuse(void)
{
	struct options o;

	CHECK_STR("local forward", err_of("Host x\nLocalForward 1 h:2\n"),
	    "");
	options_init(&o);
	rd(&o, "x", "LocalForward 1 h:2\nRemoteForward 7\n"
	    "DynamicForward 1080\nLocalForward /a /b\n");
	CHECK_INT("local and dynamic forwards kept", o.local_forwards.n, 3);
	CHECK_STR("local forward spec", o.local_forwards.v[0], "1:h:2");
	CHECK_STR("dynamic spec in order", o.local_forwards.v[1], "1080");
	CHECK_STR("local forward paths", o.local_forwards.v[2], "/a:/b");
	CHECK_STR("remote socks spec", o.remote_forwards.v[0], "7");
	options_free(&o);
	CHECK_STR("local forward inactive",
	    err_of("Host y\nLocalForward 1 h:2\n"), "");
	CHECK_STR("bad forward inactive", err_of("Host y\nLocalForward x y\n"),
	    bad1(2, "Bad forwarding specification."));
	CHECK_STR("forward missing target", err_of("LocalForward 1234\n"),
	    bad1(1, "Missing target argument."));
	CHECK_STR("forward extra before refusal",
	    err_of("LocalForward 1 h:2 x\n"),
	    bad1(1, "keyword localforward extra arguments at end of line"));
	CHECK_STR("cleared forwards",
	    err_of("ClearAllForwardings yes\nRemoteForward 0 h:22\n"
	    "DynamicForward 1080\n"), "");
	CHECK_STR("dynamic 0", err_of("Host y\nDynamicForward 0\n"),
	    bad1(2, "Bad forwarding specification."));
	CHECK_STR("control master no first",
	    err_of("ControlMaster no\nControlMaster auto\n"), "");
	/* Accepted and ignored: no sharing, no X11, still connects. */
	CHECK_STR("control master auto ignored",
	    err_of("ControlMaster auto\n"), "");
	CHECK_STR("control master bad value",
	    err_of("ControlMaster maybe\n"),
	    bad1(1, "unsupported option \"maybe\"."));
	CHECK_STR("forward x11 ignored", err_of("ForwardX11 yes\n"), "");
	CHECK_STR("forward x11 no", err_of("ForwardX11 no\n"), "");
	CHECK_STR("forward agent path", err_of("ForwardAgent /tmp/s\n"), "");
	test_forward_agent_path();
	CHECK_STR("forward agent off first",
	    err_of("ForwardAgent no\nForwardAgent /tmp/s\n"), "");
	CHECK_STR("pkcs11 none", err_of("PKCS11Provider none\n"), "");
	CHECK_STR("sk provider internal", err_of("SecurityKeyProvider "
	    "internal\n"), "");
	/* Canonicalization is done (canon.c): no domain, no change. */
	CHECK_STR("canonicalize", err_of("CanonicalizeHostname always\n"),
	    "");
	CHECK_STR("cmdline refusal", cmd_err("Tunnel=yes"),
	    "command-line line 0: Tunnel is not supported by xssh yet");
	/* Host keys are xssh's own (knownhosts.c): these apply. */
	CHECK_STR("cmdline knownhostscommand",
	    cmd_err("KnownHostsCommand /bin/true"), "");
	CHECK_STR("revokedhostkeys", err_of("RevokedHostKeys /x\n"), "");

	options_init(&o);
	rd(&o, "x", "GSSAPIAuthentication yes\nControlPath ~/.ssh/%C\n"
	    "ControlPersist 10m\nIPQoS af21 cs1\nVisualHostKey yes\n"
	    "RekeyLimit 1G 1h\nLogVerbose a b\nIgnoreUnknown foo*\n"
	    "FooBar 1\nProtocol 2\nCipher x\n");
	CHECK_STR("ignored keywords accepted", errbuf, "");
	CHECK_STR("ignore unknown stored", o.ignore_unknown, "foo*");
	options_free(&o);
}

/* Every keyword of ssh_config(5) 9.2 and the aliases are known. */
static void
test_table(void)
{
	static const char *const names[] = {
		"AddKeysToAgent", "AddressFamily", "BatchMode", "BindAddress",
		"BindInterface", "CanonicalDomains",
		"CanonicalizeFallbackLocal", "CanonicalizeHostname",
		"CanonicalizeMaxDots", "CanonicalizePermittedCNAMEs",
		"CASignatureAlgorithms", "CertificateFile", "CheckHostIP",
		"Ciphers", "ClearAllForwardings", "Compression",
		"ConnectionAttempts", "ConnectTimeout", "ControlMaster",
		"ControlPath", "ControlPersist", "DynamicForward",
		"EnableEscapeCommandline", "EnableSSHKeysign", "EscapeChar",
		"ExitOnForwardFailure", "FingerprintHash",
		"ForkAfterAuthentication", "ForwardAgent", "ForwardX11",
		"ForwardX11Timeout", "ForwardX11Trusted", "GatewayPorts",
		"GlobalKnownHostsFile", "GSSAPIAuthentication",
		"GSSAPIClientIdentity", "GSSAPIDelegateCredentials",
		"GSSAPIKeyExchange", "GSSAPIRenewalForcesRekey",
		"GSSAPIServerIdentity", "GSSAPITrustDns",
		"GSSAPIKexAlgorithms", "HashKnownHosts",
		"HostbasedAcceptedAlgorithms", "HostbasedAuthentication",
		"HostKeyAlgorithms", "HostKeyAlias", "Hostname",
		"IdentitiesOnly", "IdentityAgent", "IdentityFile",
		"IgnoreUnknown", "Include", "IPQoS",
		"KbdInteractiveAuthentication", "KbdInteractiveDevices",
		"KexAlgorithms", "KnownHostsCommand", "LocalCommand",
		"LocalForward", "LogLevel", "LogVerbose", "MACs",
		"NoHostAuthenticationForLocalhost", "NumberOfPasswordPrompts",
		"PasswordAuthentication", "PermitLocalCommand",
		"PermitRemoteOpen", "PKCS11Provider", "Port",
		"PreferredAuthentications", "ProxyCommand", "ProxyJump",
		"ProxyUseFdpass", "PubkeyAcceptedAlgorithms",
		"PubkeyAuthentication", "RekeyLimit", "RemoteCommand",
		"RemoteForward", "RequestTTY", "RequiredRSASize",
		"RevokedHostKeys", "SecurityKeyProvider", "SendEnv",
		"ServerAliveCountMax", "ServerAliveInterval", "SessionType",
		"SetEnv", "StdinNull", "StreamLocalBindMask",
		"StreamLocalBindUnlink", "StrictHostKeyChecking",
		"SyslogFacility", "TCPKeepAlive", "Tunnel", "TunnelDevice",
		"UpdateHostKeys", "User", "UserKnownHostsFile",
		"VerifyHostKeyDNS", "VisualHostKey", "XAuthLocation",
		"PubkeyAcceptedKeyTypes", "HostbasedKeyTypes",
		"ChallengeResponseAuthentication", "SkeyAuthentication",
		"TISAuthentication", "DSAAuthentication", "IdentityFile2",
		"KeepAlive", "SmartcardDevice", "ProtocolKeepAlives",
		"SetupTimeOut", "Protocol", "Cipher", "UseRoaming",
		"CompressionLevel", "RSAAuthentication", NULL,
	};
	const char *const *n;
	char line[128];
	int unknown = 0;

	for (n = names; *n != NULL; n++) {
		snprintf(line, sizeof(line), "Host nomatch\n%s 1\n", *n);
		if (strstr(err_of(line), "Bad configuration option") != NULL) {
			printf("# unknown keyword %s\n", *n);
			unknown++;
		}
	}
	CHECK_INT("all keywords known", unknown, 0);
}

/* Bad values: the text ssh -G prints for each. */
static void
test_messages(void)
{
	static const struct {
		const char	*line;
		const char	*msg;
	} cases[] = {
		{ "BatchMode maybe", "unsupported option \"maybe\"." },
		{ "Compression true", "unsupported option \"true\"." },
		{ "StrictHostKeyChecking maybe",
		    "unsupported option \"maybe\"." },
		{ "AddressFamily ipx", "unsupported option \"ipx\"." },
		{ "RequestTTY maybe", "unsupported option \"maybe\"." },
		{ "SessionType yes", "unsupported option \"yes\"." },
		{ "Port abc", "Bad port 'abc'." },
		{ "Port 0", "Bad port '0'." },
		{ "Port 70000", "Bad port '70000'." },
		{ "Port 0x16", "Bad port '0x16'." },
		{ "Port #22", "Missing argument." },
		{ "LogLevel loud", "unsupported log level 'loud'" },
		{ "LogLevel #", "unsupported log level '<NONE>'" },
		{ "ConnectTimeout abc", "invalid time value." },
		{ "ConnectTimeout -1", "invalid time value." },
		{ "ConnectTimeout #", "missing time value." },
		{ "ServerAliveInterval 1x", "invalid time value." },
		{ "ConnectionAttempts x", "integer value invalid." },
		{ "ConnectionAttempts -3", "integer value too small." },
		{ "ConnectionAttempts #", "integer value missing." },
		{ "NumberOfPasswordPrompts 99999999999",
		    "integer value too large." },
		{ "ServerAliveCountMax 0x10", "integer value invalid." },
		{ "EscapeChar abc", "Bad escape character." },
		{ "EscapeChar ^?", "Bad escape character." },
		{ "EscapeChar #", "Missing argument." },
		{ "Ciphers foo", "Bad SSH2 cipher spec 'foo'." },
		{ "Ciphers +foo", "Bad SSH2 cipher spec '+foo'." },
		{ "Ciphers aes128-ctr,aes*",
		    "Bad SSH2 cipher spec 'aes128-ctr,aes*'." },
		{ "MACs foo", "Bad SSH2 MAC spec 'foo'." },
		{ "HostKeyAlgorithms x*", "Bad key types 'x*'." },
		{ "PubkeyAcceptedAlgorithms foo", "Bad key types 'foo'." },
		{ "CASignatureAlgorithms foo", "Bad key types 'foo'." },
		{ "IdentityAgent $a-b", "Invalid environment name $a-b." },
		{ "ForwardAgent #", "missing argument." },
		{ "IPQoS foo", "Bad IPQoS value: foo" },
		{ "IPQoS #", "Bad IPQoS value: (null)" },
		{ "RekeyLimit x", "Bad number 'x': Invalid argument" },
		{ "RekeyLimit 10", "RekeyLimit too small" },
		{ "RekeyLimit 99999999999999999999", "Bad number "
		    "'99999999999999999999': Numerical result out of range" },
		{ "RekeyLimit 1G x", "invalid time value." },
		{ "StreamLocalBindMask 999", "Bad mask." },
		{ "StreamLocalBindMask #",
		    "Missing StreamLocalBindMask argument." },
		{ "FingerprintHash sha7", "Invalid hash algorithm \"sha7\"." },
		{ "SyslogFacility foo", "unsupported log facility 'foo'" },
		{ "TunnelDevice 3:x", "Bad tun device." },
		{ "ControlPersist foo", "Bad ControlPersist argument." },
		{ "ControlPersist #", "Missing ControlPersist argument." },
		{ "AddKeysToAgent foo", "unsupported option" },
		{ "AddKeysToAgent confirm x", "invalid time value." },
		{ "CanonicalizePermittedCNAMEs FOO",
		    "Invalid permitted CNAME \"foo\"" },
		{ "CanonicalDomains a..b", "domain name \"a..b\" contains "
		    "consecutive separators" },
		{ "CanonicalDomains none x", "keyword canonicaldomains "
		    "\"none\" argument must appear alone." },
		{ "CanonicalizeMaxDots x", "integer value invalid." },
		{ "ForwardX11Timeout x", "invalid time value." },
		{ "VerifyHostKeyDNS maybe", "unsupported option \"maybe\"." },
		{ "RemoteForward x y", "Bad forwarding specification." },
		{ "DynamicForward x:y:z", "Bad forwarding specification." },
		{ "IgnoreUnknown #", "Missing argument." },
		{ NULL, NULL },
	};
	char line[256], want[512];
	int i;

	for (i = 0; cases[i].line != NULL; i++) {
		snprintf(line, sizeof(line), "Host nomatch\n%s\n",
		    cases[i].line);
		snprintf(want, sizeof(want), "%s", bad1(2, cases[i].msg));
		CHECK_STR(cases[i].line, err_of(line), want);
	}
	snprintf(want, sizeof(want), "%s: line 1: Bad configuration option: "
	    "foo\n%s: terminating, 1 bad configuration options", cfgpath,
	    cfgpath);
	CHECK_STR("unknown keyword message", err_of("Foo bar\n"), want);
	snprintf(want, sizeof(want), "%s line 1: missing argument.\n"
	    "%s line 1: unsupported option \"(null)\".\n%s: terminating, 1 "
	    "bad configuration options", cfgpath, cfgpath, cfgpath);
	CHECK_STR("multistate missing message", err_of("BatchMode #\n"), want);
	snprintf(want, sizeof(want), "Unsupported KEX algorithm \"foo\"\n"
	    "%s line 1: Bad SSH2 KexAlgorithms '+foo,bar'.\n%s: terminating, "
	    "1 bad configuration options", cfgpath, cfgpath);
	CHECK_STR("kex message", err_of("KexAlgorithms +foo,bar\n"), want);
	snprintf(want, sizeof(want), "vdollar_percent_expand: env var "
	    "${XSSH_NOPE} has no value\n%s line 1: Invalid environment "
	    "expansion ${XSSH_NOPE}.\n%s: terminating, 1 bad configuration "
	    "options", cfgpath, cfgpath);
	CHECK_STR("agent env", err_of("IdentityAgent ${XSSH_NOPE}\n"), want);
	snprintf(want, sizeof(want), "%s line 1: bad port number in "
	    "permitremoteopen", cfgpath);
	CHECK_STR("permitremoteopen fatal", err_of("PermitRemoteOpen foo\n"),
	    want);
	CHECK_STR("cmdline bad option", cmd_err("foo=bar"),
	    "command-line: line 0: Bad configuration option: foo");
	CHECK_STR("cmdline bad value", cmd_err("Port=abc"),
	    "command-line line 0: Bad port 'abc'.");
	CHECK_STR("cmdline no argument", cmd_err("Port"),
	    "command-line line 0: no argument after keyword \"port\"");
	CHECK_STR("cmdline ok", cmd_err("Ciphers -aes*"), "");
	CHECK_STR("kex gss prefix", err_of("KexAlgorithms gss-gex-sha1-x\n"),
	    "");
	CHECK_STR("key short name", err_of("HostKeyAlgorithms RSA,ssh-ed*\n"),
	    "");
}

int
main(void)
{
	char path[256];
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/xssh-rc.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(cfgpath, sizeof(cfgpath), "%s/cfg", dir);
	snprintf(path, sizeof(path), "%s/home", dir);
	mkdir(path, 0755);
	setenv("HOME", path, 1);
	snprintf(path, sizeof(path), "%s/home/.ssh", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/etc", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/sys.d", dir);
	mkdir(path, 0755);
	readconf_system_dir = xstrdup(path);
	*strrchr((char *)readconf_system_dir, '/') = '\0';
	snprintf(path, sizeof(path), "%s/etc/ssh_config", dir);
	readconf_system_file = xstrdup(path);
	write_file("etc/ssh_config", "");

	log_set_level(LOG_QUIET);
	test_match();
	test_defaults();
	test_splitting();
	test_first_wins();
	test_lists();
	test_host_match();
	test_include();
	test_files();
	test_tokens();
	test_proxy();
	test_refuse();
	test_table();
	test_messages();

	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	printf("# %d passed, %d failed\n", unit_passed, unit_failed);
	UNIT_END();
}
