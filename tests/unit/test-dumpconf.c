/*
 * Unit tests for -G: the algorithm lists as ssh assembles them
 * (algolist.c), the printing of values (dumpconf.c), and numeric
 * addresses in canon.c (no name lookup).  tests/integration/
 * 80-dump-g.sh compares whole outputs with ssh -G.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algolist.h"
#include "dumpconf.h"
#include "readconf.h"
#include "unit.h"

static char *
assemble(const char *spec, const char *def, const char *all)
{
	static char buf[4096];
	char *out;

	if (algo_assemble(spec, def, all, &out) != 0)
		return NULL;
	snprintf(buf, sizeof(buf), "%s", out);
	free(out);
	return buf;
}

static void
test_assemble(void)
{
	const char *def = "a,b,c", *all = "a,b,c,d,e-x,e-y";

	CHECK_STR("default", assemble(NULL, def, all), "a,b,c");
	CHECK_STR("empty is default", assemble("", def, all), "a,b,c");
	CHECK_STR("append", assemble("+d,a", def, all), "a,b,c,d");
	CHECK_STR("remove", assemble("-b,x", def, all), "a,c");
	CHECK_STR("remove pattern", assemble("-*", def, all), "");
	CHECK_STR("head", assemble("^c,d", def, all), "c,d,a,b");
	CHECK_STR("explicit", assemble("d,a", def, all), "d,a");
	CHECK_STR("pattern in all's order", assemble("e-*,a", def, all),
	    "e-x,e-y,a");
	CHECK_STR("unknown dropped", assemble("zz,a", def, all), "a");
	CHECK("nothing left", assemble("zz", def, all) == NULL);
	CHECK("negation refused", assemble("!a", def, all) == NULL);
	CHECK_STR("ssh's cipher default", assemble(NULL, algo_def_ciphers,
	    algo_all_ciphers), algo_def_ciphers);
	CHECK_STR("ciphers +cbc", assemble("+aes128-cbc", algo_def_ciphers,
	    algo_all_ciphers), "chacha20-poly1305@openssh.com,aes128-ctr,"
	    "aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,"
	    "aes256-gcm@openssh.com,aes128-cbc");
	CHECK_STR("keys -cert", assemble("-*-cert-v01@openssh.com",
	    algo_def_keys, algo_all_keys), "ssh-ed25519,ecdsa-sha2-nistp256,"
	    "ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
	    "sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,"
	    "rsa-sha2-512,rsa-sha2-256");
}

/* The lines of o's dump that start with prefix, joined by "|". */
static const char *
dumped(struct options *o, const char *host, const char *prefix)
{
	static char out[2048];
	char line[4096];
	FILE *f = tmpfile();

	out[0] = '\0';
	if (f == NULL)
		return "(tmpfile)";
	dumpconf_print(f, o, host, 0);
	rewind(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, prefix, strlen(prefix)) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (out[0] != '\0')
			strncat(out, "|", sizeof(out) - strlen(out) - 1);
		strncat(out, line, sizeof(out) - strlen(out) - 1);
	}
	fclose(f);
	return out;
}

static void
test_print(void)
{
	struct options o;

	options_init(&o);
	options_fill_defaults(&o, "h");
	CHECK_STR("first lines", dumped(&o, "H", "ho"), "host H|"
	    "hostname h|hostbasedauthentication no|"
	    "hostkeyalgorithms ssh-ed25519-cert-v01@openssh.com,"
	    "ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	    "ecdsa-sha2-nistp384-cert-v01@openssh.com,"
	    "ecdsa-sha2-nistp521-cert-v01@openssh.com,"
	    "sk-ssh-ed25519-cert-v01@openssh.com,"
	    "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	    "rsa-sha2-512-cert-v01@openssh.com,"
	    "rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,"
	    "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
	    "sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,"
	    "rsa-sha2-512,rsa-sha2-256|"
	    "hostbasedacceptedalgorithms ssh-ed25519-cert-v01@openssh.com,"
	    "ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	    "ecdsa-sha2-nistp384-cert-v01@openssh.com,"
	    "ecdsa-sha2-nistp521-cert-v01@openssh.com,"
	    "sk-ssh-ed25519-cert-v01@openssh.com,"
	    "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	    "rsa-sha2-512-cert-v01@openssh.com,"
	    "rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,"
	    "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
	    "sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,"
	    "rsa-sha2-512,rsa-sha2-256");
	CHECK_STR("true/false and yes/no", dumped(&o, "h", "pubkeyauth"),
	    "pubkeyauthentication true");
	CHECK_STR("mixed case keyword", dumped(&o, "h", "canonicalizeP"),
	    "canonicalizePermittedcnames none");
	CHECK_STR("connecttimeout", dumped(&o, "h", "connecttimeout"),
	    "connecttimeout none");
	CHECK_STR("tunneldevice", dumped(&o, "h", "tunneldevice"),
	    "tunneldevice any:any");
	CHECK_STR("ipqos", dumped(&o, "h", "ipqos"), "ipqos lowdelay throughput");
	CHECK_STR("loglevel", dumped(&o, "h", "loglevel"), "loglevel INFO");
	o.escape_char = 1;
	CHECK_STR("escapechar control", dumped(&o, "h", "escapechar"),
	    "escapechar \\^A");
	o.escape_char = '\\';
	CHECK_STR("escapechar backslash", dumped(&o, "h", "escapechar"),
	    "escapechar \\\\");
	o.escape_char = ' ';
	CHECK_STR("escapechar space", dumped(&o, "h", "escapechar"),
	    "escapechar \\040");
	o.escape_char = 0xe9;
	CHECK_STR("escapechar meta", dumped(&o, "h", "escapechar"),
	    "escapechar \\M-i");
	o.escape_char = -2;
	CHECK_STR("escapechar none", dumped(&o, "h", "escapechar"),
	    "escapechar none");
	o.log_level = LOG_QUIET;
	CHECK_STR("loglevel quiet", dumped(&o, "h", "loglevel"),
	    "loglevel SILENT");
	o.proxy_jump = xstrdup("a,u@[::1]:2222");
	CHECK_STR("proxyjump", dumped(&o, "h", "proxyjump"),
	    "proxyjump a,u@[::1]:2222");
	free(o.proxy_jump);
	o.proxy_jump = xstrdup("ssh://u%40x@10.1.2.3");
	CHECK_STR("proxyjump uri", dumped(&o, "h", "proxy"),
	    "proxyusefdpass no|proxyjump u@x@[10.1.2.3]");
	options_free(&o);
}

static const char *
canon(const char *name, int family)
{
	static char buf[256];
	struct options o;
	struct xerr e;
	char *h;
	int want = 0;

	options_init(&o);
	o.address_family = family;
	if (canon_host(&o, name, &h, &want, &e) != 0)
		snprintf(buf, sizeof(buf), "error: %s", e.msg);
	else {
		snprintf(buf, sizeof(buf), "%s%s", h, want ? " (again)" : "");
		free(h);
	}
	options_free(&o);
	return buf;
}

static void
test_canon_addr(void)
{
	CHECK_STR("ipv4 short", canon("127.1", -1), "127.0.0.1");
	CHECK_STR("ipv4 hex", canon("0x7f.1", -1), "127.0.0.1");
	/* Only a change beyond case is taken, as ssh does. */
	CHECK_STR("ipv6 case kept", canon("FE80::1", -1), "FE80::1");
	CHECK_STR("ipv6 zeros", canon("0:0::1", -1), "::1");
	CHECK_STR("mapped", canon("::FFFF:127.0.0.1", -1), "::FFFF:127.0.0.1");
	CHECK_STR("ipv6 leading zeros", canon("::0001", -1), "::1");
	CHECK_STR("bad address kept", canon("::FFFF:127.1", -1), "::FFFF:127.1");
	CHECK_STR("name lowercased", canon("Web.Example", -1), "web.example");
	CHECK_STR("ipv6 under -4 kept", canon("::1", 2), "::1");
}

int
main(void)
{
	test_assemble();
	test_print();
	test_canon_addr();
	UNIT_END();
}
