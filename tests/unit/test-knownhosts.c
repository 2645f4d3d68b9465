/*
 * The known_hosts engine (src/knownhosts.c) against OpenSSH's own
 * tools: ssh-keygen makes the keys, hashes names (-H), finds entries
 * (-F), prints fingerprints and randomart (-l, -lv) and writes KRLs
 * (-k); our reading, matching and writing must agree with them.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knownhosts.h"
#include "wirebuf.h"
#include "unit.h"

static char dir[] = "/tmp/xssh-test-knownhosts.XXXXXX";

static char *
path(const char *name)
{
	static char buf[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* Run a shell command; its stdout (trailing newline cut) or NULL. */
static char *
run(const char *fmt, ...)
{
	static char out[8192];
	char cmd[2048];
	size_t n;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if ((p = popen(cmd, "r")) == NULL)
		return NULL;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	while (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	if (pclose(p) != 0)
		return NULL;
	return out;
}

static void
write_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* A key made by ssh-keygen, read back from its .pub file. */
static int
load_pub(const char *name, struct kh_key *k)
{
	char line[8192], *type, *b64;
	FILE *f;

	memset(k, 0, sizeof(*k));
	if ((f = fopen(path(name), "r")) == NULL ||
	    fgets(line, sizeof(line), f) == NULL) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fclose(f);
	type = strtok(line, " \n");
	b64 = strtok(NULL, " \n");
	return kh_key_from_base64(type, b64, k);
}

/* "type base64" of a key, kept for the whole run. */
static const char *
pub_text(const char *name)
{
	static struct {
		char	*name;
		char	*text;
	} cache[8];
	const char *t;
	int i;

	for (i = 0; i < 8 && cache[i].name != NULL; i++)
		if (strcmp(cache[i].name, name) == 0)
			return cache[i].text;
	if (i == 8 || (t = run("cut -d' ' -f1,2 %s.pub", path(name))) == NULL)
		return "";
	cache[i].name = strdup(name);
	cache[i].text = strdup(t);
	return cache[i].text;
}

static void
test_names(void)
{
	char *s;

	CHECK_STR("host-port 22", s = kh_host_port("h", 22), "h");
	free(s);
	CHECK_STR("host-port 0", s = kh_host_port("h", 0), "h");
	free(s);
	CHECK_STR("host-port 2222", s = kh_host_port("10.0.0.1", 2222),
	    "[10.0.0.1]:2222");
	free(s);
	CHECK_STR("host-port v6", s = kh_host_port("::1", 2200),
	    "[::1]:2200");
	free(s);

	CHECK("pattern exact", kh_match_hosts("a.example", "a.example"));
	CHECK("pattern list", kh_match_hosts("b", "a,b,c"));
	CHECK("pattern star", kh_match_hosts("x.example.com",
	    "*.example.com"));
	CHECK("pattern question", kh_match_hosts("host7", "host?"));
	CHECK("pattern question one char", !kh_match_hosts("host77",
	    "host?"));
	CHECK("pattern negated", !kh_match_hosts("bad.example.com",
	    "*.example.com,!bad.example.com"));
	CHECK("pattern negated first", !kh_match_hosts("bad.example.com",
	    "!bad.example.com,*"));
	CHECK("pattern negation alone", !kh_match_hosts("x", "!y"));
	CHECK("pattern case", kh_match_hosts("host.example",
	    "HOST.Example"));
	CHECK("pattern port", kh_match_hosts("[127.0.0.1]:2222",
	    "[127.0.0.1]:2222"));
	CHECK("pattern port differs", !kh_match_hosts("[127.0.0.1]:2222",
	    "[127.0.0.1]:2223"));
	CHECK("pattern bare is not port", !kh_match_hosts("[127.0.0.1]:2222",
	    "127.0.0.1"));
	CHECK("pattern port wildcard", kh_match_hosts("[127.0.0.1]:2222",
	    "[127.0.0.1]:*"));
}

static void
test_hashing(void)
{
	static const char *names[] = {
		"host.example.com", "[127.0.0.1]:2222", "10.1.2.3",
		"[::1]:22022",
	};
	char line[4096], *h, *field;
	FILE *f;
	size_t i;
	int ok = 1, n = 0;

	f = fopen(path("plain"), "w");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		fprintf(f, "%s %s\n", names[i], pub_text("ed"));
	fclose(f);
	CHECK("ssh-keygen -H", run("ssh-keygen -q -H -f %s 2>/dev/null",
	    path("plain")) != NULL);
	if ((f = fopen(path("plain"), "r")) == NULL)
		return;
	for (i = 0; fgets(line, sizeof(line), f) != NULL; i++) {
		field = strtok(line, " ");
		n++;
		if (i >= sizeof(names) / sizeof(names[0]) ||
		    strncmp(field, "|1|", 3) != 0) {
			ok = 0;
			continue;
		}
		h = kh_hash_host(names[i], field);
		if (h == NULL || strcmp(h, field) != 0)
			ok = 0;
		if (!kh_match_hosts(names[i], field) ||
		    kh_match_hosts("other", field))
			ok = 0;
		free(h);
	}
	fclose(f);
	CHECK_INT("hashed lines", n, 4);
	CHECK("hashes as ssh-keygen -H", ok);

	CHECK("hash bad magic", kh_hash_host("x", "|2|abc|def") == NULL);
	CHECK("hash bad salt", kh_hash_host("x", "|1|!!!|def") == NULL);
	CHECK("hash short salt", kh_hash_host("x", "|1|AAAA|def") == NULL);
	CHECK("bad hash never matches", !kh_match_hosts("x", "|1|AAAA|de"));

	/* Ours, with a fresh salt, found by ssh-keygen -F. */
	h = kh_hash_host("[10.9.8.7]:2022", NULL);
	CHECK("hash fresh", h != NULL && strncmp(h, "|1|", 3) == 0 &&
	    strlen(h) == 3 + 28 + 1 + 28);
	f = fopen(path("ours"), "w");
	fprintf(f, "%s %s\n", h, pub_text("ed"));
	fclose(f);
	CHECK("ssh-keygen -F finds ours", run("ssh-keygen -F "
	    "'[10.9.8.7]:2022' -f %s | grep -q '^|1|'", path("ours")) != NULL);
	CHECK("ssh-keygen -F misses other", run("ssh-keygen -F "
	    "'[10.9.8.7]:2023' -f %s | grep -q .", path("ours")) == NULL);
	free(h);
}

static void
test_lines(void)
{
	struct kh_entry e;
	char line[8192], buf[8192];
	int r;

#define PARSE(text) (snprintf(line, sizeof(line), "%s", (text)),	\
	memset(&e, 0, sizeof(e)), kh_parse_line(line, &e))
#define DONE() do { free(e.hosts); kh_key_free(&e.key); } while (0)

	CHECK_INT("line blank", PARSE("   \n"), 0);
	CHECK_INT("line comment", PARSE("  # x y z\n"), 0);
	snprintf(buf, sizeof(buf), "h1,h2 %s comment here\n",
	    pub_text("ed"));
	r = PARSE(buf);
	CHECK_INT("line plain", r, 1);
	if (r == 1) {
		CHECK_STR("line hosts", e.hosts, "h1,h2");
		CHECK_STR("line type", e.key.type, "ssh-ed25519");
		CHECK_INT("line marker", e.marker, KH_MARK_NONE);
		CHECK_INT("line bits", e.key.bits, 256);
		DONE();
	}
	snprintf(buf, sizeof(buf), "@revoked * %s\n", pub_text("ed"));
	r = PARSE(buf);
	CHECK("line revoked", r == 1 && e.marker == KH_MARK_REVOKED);
	if (r == 1)
		DONE();
	/* ssh's check_markers() looks for a space before a tab. */
	snprintf(buf, sizeof(buf), "@revoked\t* %s\n", pub_text("ed"));
	CHECK_INT("line marker then tab", PARSE(buf), -1);
	snprintf(buf, sizeof(buf), "@cert-authority *.example %s\n",
	    pub_text("ed"));
	r = PARSE(buf);
	CHECK("line ca", r == 1 && e.marker == KH_MARK_CA);
	if (r == 1)
		DONE();
	snprintf(buf, sizeof(buf), "@bogus * %s\n", pub_text("ed"));
	CHECK_INT("line unknown marker", PARSE(buf), -1);
	snprintf(buf, sizeof(buf), "@revoked @revoked * %s\n",
	    pub_text("ed"));
	CHECK_INT("line two markers", PARSE(buf), -1);
	CHECK_INT("line truncated", PARSE("hostonly\n"), -1);
	CHECK_INT("line no key", PARSE("host ssh-ed25519\n"), -1);
	CHECK_INT("line bad base64", PARSE("host ssh-ed25519 AAAA!!!!\n"), -1);
	snprintf(buf, sizeof(buf), "host ssh-rsa %s\n",
	    strchr(pub_text("ed"), ' ') + 1);
	CHECK_INT("line type mismatch", PARSE(buf), -1);
	/* sshkey_read() takes an RSA signature name as the key type. */
	snprintf(buf, sizeof(buf), "host rsa-sha2-512 %s\n",
	    strchr(pub_text("rsa"), ' ') + 1);
	r = PARSE(buf);
	CHECK("line rsa-sha2-512 type", r == 1 &&
	    strcmp(e.key.type, "ssh-rsa") == 0);
	if (r == 1)
		DONE();
}

static void
test_check(void)
{
	struct kh_list l = { NULL, 0 };
	const struct kh_entry *found;
	struct kh_key ed, rsa, ec;
	char text[16384];

	if (load_pub("ed.pub", &ed) != 0 || load_pub("rsa.pub", &rsa) != 0 ||
	    load_pub("ec.pub", &ec) != 0) {
		CHECK("keys load", 0);
		return;
	}
	snprintf(text, sizeof(text),
	    "# a comment\n"
	    "other.example %s\n"				/* 2 */
	    "[h.example]:2222 %s\n"				/* 3 */
	    "h.example,!bad.example %s\n"			/* 4 */
	    "@cert-authority h.example %s\n"			/* 5 */
	    "broken line\n"					/* 6 */
	    "*.example %s\n"					/* 7 */
	    "@revoked revoked.example %s\n",			/* 8 */
	    pub_text("ed"), pub_text("rsa"), pub_text("ec"), pub_text("ed"),
	    pub_text("rsa"), pub_text("ec"));
	write_file(path("kh"), text);

	kh_load_file(&l, "h.example", path("kh"));
	CHECK_INT("load h.example", l.n, 3);	/* 4, 5, 7 */
	CHECK_INT("check ok", kh_check(&l, &ec, &found), KH_OK);
	CHECK("check ok line", found != NULL && found->line == 4 &&
	    strcmp(found->file, path("kh")) == 0);
	/* Another type counts as a changed key, as in ssh. */
	CHECK_INT("check changed", kh_check(&l, &ed, &found), KH_CHANGED);
	CHECK("check changed last other", found != NULL && found->line == 7);
	CHECK("have type ec", kh_have_type(&l, "ecdsa-sha2-nistp384"));
	CHECK("have type rsa", kh_have_type(&l, "ssh-rsa"));
	CHECK("no type ed (ca only)", !kh_have_type(&l, "ssh-ed25519"));
	CHECK("have ca marker", kh_have_marker(&l, KH_MARK_CA));
	kh_list_free(&l);

	kh_load_file(&l, "[h.example]:2222", path("kh"));
	CHECK_INT("load port", l.n, 1);
	CHECK_INT("check port ok", kh_check(&l, &rsa, &found), KH_OK);
	kh_list_free(&l);

	kh_load_file(&l, "bad.example", path("kh"));
	CHECK_INT("negated: only the wildcard", l.n, 1);
	kh_list_free(&l);

	kh_load_file(&l, "nowhere.test", path("kh"));
	CHECK_INT("check new", kh_check(&l, &ed, &found), KH_NEW);
	CHECK("check new found", found == NULL);
	kh_list_free(&l);

	/* @revoked wins over a matching plain entry. */
	kh_load_file(&l, "revoked.example", path("kh"));
	CHECK_INT("check revoked", kh_check(&l, &ec, &found), KH_REVOKED);
	CHECK_INT("check revoked other key", kh_check(&l, &ed, &found),
	    KH_CHANGED);
	kh_list_free(&l);

	CHECK_INT("load missing file", kh_load_file(&l, "x",
	    path("missing")), -1);
	kh_key_free(&ed);
	kh_key_free(&rsa);
	kh_key_free(&ec);
}

static void
test_fingerprints(void)
{
	static const char *keys[] = { "ed", "rsa", "ec" };
	struct kh_key k;
	char *fp, *ra, *want, buf[4096];
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(buf, sizeof(buf), "%s.pub", keys[i]);
		if (load_pub(buf, &k) != 0) {
			CHECK("fingerprint key", 0);
			continue;
		}
		fp = kh_fingerprint(&k, FP_HASH_SHA256);
		want = run("ssh-keygen -l -f %s | cut -d' ' -f2",
		    path(buf));
		snprintf(buf, sizeof(buf), "sha256 %s", keys[i]);
		CHECK_STR(buf, fp, want);
		free(fp);
		fp = kh_fingerprint(&k, FP_HASH_MD5);
		snprintf(buf, sizeof(buf), "%s.pub", keys[i]);
		want = run("ssh-keygen -l -E md5 -f %s | cut -d' ' -f2",
		    path(buf));
		snprintf(buf, sizeof(buf), "md5 %s", keys[i]);
		CHECK_STR(buf, fp, want);
		free(fp);
		/* ssh-keygen -lv: the fingerprint line, then the box. */
		ra = kh_randomart(&k, FP_HASH_SHA256);
		snprintf(buf, sizeof(buf), "%s.pub", keys[i]);
		want = run("ssh-keygen -lv -f %s | tail -n +2", path(buf));
		snprintf(buf, sizeof(buf), "randomart sha256 %s", keys[i]);
		CHECK_STR(buf, ra, want);
		free(ra);
		ra = kh_randomart(&k, FP_HASH_MD5);
		snprintf(buf, sizeof(buf), "%s.pub", keys[i]);
		want = run("ssh-keygen -lv -E md5 -f %s | tail -n +2",
		    path(buf));
		snprintf(buf, sizeof(buf), "randomart md5 %s", keys[i]);
		CHECK_STR(buf, ra, want);
		free(ra);
		kh_key_free(&k);
	}
	if (load_pub("rsa.pub", &k) == 0) {
		CHECK_INT("rsa bits", k.bits, 3072);
		CHECK_STR("rsa kind", kh_key_kind(k.type), "RSA");
		kh_key_free(&k);
	}
	if (load_pub("ec.pub", &k) == 0) {
		CHECK_INT("ecdsa bits", k.bits, 384);
		CHECK_STR("ecdsa kind", kh_key_kind(k.type), "ECDSA");
		kh_key_free(&k);
	}
	CHECK_STR("ed25519 kind", kh_key_kind("ssh-ed25519"), "ED25519");
	CHECK_STR("cert kind", kh_key_kind("ssh-ed25519-cert-v01@openssh.com"),
	    "ED25519-CERT");
	CHECK_STR("sk kind", kh_key_kind("sk-ssh-ed25519@openssh.com"),
	    "ED25519-SK");
}

static void
test_write(void)
{
	struct kh_key ed;
	char *s;

	if (load_pub("ed.pub", &ed) != 0)
		return;
	unlink(path("w"));
	CHECK_INT("add plain", kh_add(path("w"), "[Host.Example]:2222", NULL,
	    &ed, 0), 0);
	s = run("cat %s", path("w"));
	CHECK("add plain lowercased", s != NULL && strncmp(s,
	    "[host.example]:2222 ssh-ed25519 AAAA", 36) == 0);
	CHECK_INT("add with ip", kh_add(path("w"), "alias", "[10.0.0.1]:22",
	    &ed, 0), 0);
	CHECK("add with ip line", run("grep -q '^alias,\\[10.0.0.1\\]:22 "
	    "ssh-ed25519 ' %s", path("w")) != NULL);
	CHECK_INT("add hashed", kh_add(path("w"), "hashed.example",
	    "10.0.0.9", &ed, 1), 0);
	CHECK("add hashed found by ssh-keygen -F", run("ssh-keygen -F "
	    "hashed.example -f %s | grep -q '^|1|'", path("w")) != NULL);
	CHECK("add hashed ip found by ssh-keygen -F", run("ssh-keygen -F "
	    "10.0.0.9 -f %s | grep -q '^|1|'", path("w")) != NULL);
	CHECK("add plain found by ssh-keygen -F", run("ssh-keygen -F "
	    "'[host.example]:2222' -f %s | grep -q ssh-ed25519",
	    path("w")) != NULL);
	CHECK("file has 4 lines", (s = run("wc -l < %s", path("w"))) != NULL &&
	    atoi(s) == 4);

	/* A last line without its newline is not glued to. */
	write_file(path("nonl"), "# no newline");
	CHECK_INT("add after no newline", kh_add(path("nonl"), "h", NULL,
	    &ed, 0), 0);
	CHECK("add after no newline lines", run("sed -n 2p %s | grep -q '^h "
	    "ssh-ed25519'", path("nonl")) != NULL);
	CHECK_INT("add into missing dir", kh_add(path("no/such/dir/kh"), "h",
	    NULL, &ed, 0), -1);

	/* What another writer added meanwhile is not added again. */
	unlink(path("twice"));
	CHECK("add twice", kh_add(path("twice"), "Twice", NULL, &ed, 0) == 0 &&
	    kh_add(path("twice"), "twice", NULL, &ed, 1) == 0);
	CHECK("add twice: one line", (s = run("wc -l < %s",
	    path("twice"))) != NULL && atoi(s) == 1);
	CHECK_INT("add twice with an address", kh_add(path("twice"), "twice",
	    "10.1.1.1", &ed, 0), 0);
	CHECK("add twice with an address: written", (s = run("wc -l < %s",
	    path("twice"))) != NULL && atoi(s) == 2);
	kh_key_free(&ed);
}

/*
 * Writers adding keys to one file at the same time never tear lines:
 * 20 processes each add a hashed entry with an address (two lines of
 * a 16384-bit RSA key, 5.6 KiB, more than one stdio buffer) at once,
 * five times over; every line must come out whole.
 */
static void
test_write_concurrent(void)
{
	unsigned char n[2049];
	struct wbuf b = { 0 };
	struct kh_key big;
	char *b64, host[64], ip[64], *line = NULL;
	size_t cap = 0;
	int go[2], round, i, st, lines = 0, good = 0, all_exited = 1;
	pid_t pid[20];
	FILE *f;

	memset(n, 0xa7, sizeof(n));
	n[0] = 0;
	wbuf_put_cstring(&b, "ssh-rsa");
	wbuf_put_string(&b, "\x01\x00\x01", 3);
	wbuf_put_string(&b, n, sizeof(n));
	b64 = b64_encode(b.d, b.len, 1);
	wbuf_free(&b);
	if (kh_key_from_base64("ssh-rsa", b64, &big) != 0) {
		CHECK("16384-bit key", 0);
		free(b64);
		return;
	}
	free(b64);
	unlink(path("conc"));
	for (round = 0; round < 5; round++) {
		if (pipe(go) != 0)
			break;
		for (i = 0; i < 20; i++) {
			if ((pid[i] = fork()) == 0) {
				char c;

				close(go[1]);
				/* All start at once. */
				(void)read(go[0], &c, 1);
				snprintf(host, sizeof(host), "host%d-%d",
				    round, i);
				snprintf(ip, sizeof(ip), "10.0.%d.%d", round,
				    i);
				_exit(kh_add(path("conc"), host, ip, &big, 1) ==
				    0 ? 0 : 1);
			}
		}
		close(go[0]);
		close(go[1]);
		for (i = 0; i < 20; i++)
			if (pid[i] <= 0 || waitpid(pid[i], &st, 0) != pid[i] ||
			    !WIFEXITED(st) || WEXITSTATUS(st) != 0)
				all_exited = 0;
	}
	CHECK("concurrent writers all added", all_exited);
	if ((f = fopen(path("conc"), "r")) != NULL) {
		struct kh_entry e;

		while (getline(&line, &cap, f) != -1) {
			lines++;
			memset(&e, 0, sizeof(e));
			if (kh_parse_line(line, &e) == 1 &&
			    kh_key_equal(&e.key, &big) &&
			    strncmp(e.hosts, "|1|", 3) == 0)
				good++;
			if (e.hosts != NULL) {
				free(e.hosts);
				kh_key_free(&e.key);
			}
		}
		fclose(f);
	}
	free(line);
	CHECK_INT("concurrent writers: 200 lines", lines, 200);
	CHECK_INT("concurrent writers: every line whole", good, 200);
	for (i = 0; i < 20; i += 19)
		CHECK_STR("concurrent writers: found by ssh-keygen -F",
		    run("ssh-keygen -F host4-%d -f %s | grep -c '^|1|'", i,
		    path("conc")), "1");
	kh_key_free(&big);
}

static void
test_other_names(void)
{
	struct strlist l = { NULL, 0 };
	struct kh_key ed;
	char text[8192], want[512], *h;

	if (load_pub("ed.pub", &ed) != 0)
		return;
	h = kh_hash_host("hashed.example", NULL);
	snprintf(text, sizeof(text), "a,b %s\n%s %s\nme %s\nc %s\n"
	    "@revoked d %s\n", pub_text("ed"), h, pub_text("ed"),
	    pub_text("ed"), pub_text("rsa"), pub_text("ed"));
	free(h);
	write_file(path("others"), text);
	kh_other_names(path("others"), "me", &ed, &l);
	CHECK_INT("other names", l.n, 2);
	snprintf(want, sizeof(want), "%s:1: a,b", path("others"));
	CHECK_STR("other names plain", l.n > 0 ? l.v[0] : NULL, want);
	snprintf(want, sizeof(want), "%s:2: [hashed name]", path("others"));
	CHECK_STR("other names hashed", l.n > 1 ? l.v[1] : NULL, want);
	strlist_free(&l);
	kh_key_free(&ed);
}

static void
test_revoked(void)
{
	struct kh_key ed, rsa, ec;
	char why[256], text[8192];

	if (load_pub("ed.pub", &ed) != 0 || load_pub("rsa.pub", &rsa) != 0 ||
	    load_pub("ec.pub", &ec) != 0)
		return;
	CHECK("krl explicit", run("ssh-keygen -q -k -f %s %s.pub",
	    path("krl"), path("rsa")) != NULL);
	CHECK_INT("krl revokes", kh_revoked_by_file(path("krl"), &rsa, why,
	    sizeof(why)), 1);
	CHECK_INT("krl spares", kh_revoked_by_file(path("krl"), &ed, why,
	    sizeof(why)), 0);
	/* sha256: and sha1: fingerprint lines (ssh-keygen -k -f spec). */
	snprintf(text, sizeof(text), "hash: %s\n",
	    run("ssh-keygen -l -f %s.pub | cut -d' ' -f2", path("ed")));
	write_file(path("spec"), text);
	CHECK("krl sha256", run("ssh-keygen -q -k -f %s %s",
	    path("krl256"), path("spec")) != NULL);
	CHECK_INT("krl sha256 revokes", kh_revoked_by_file(path("krl256"),
	    &ed, why, sizeof(why)), 1);
	CHECK_INT("krl sha256 spares", kh_revoked_by_file(path("krl256"),
	    &ec, why, sizeof(why)), 0);
	CHECK("krl update sha1", run("ssh-keygen -q -k -u -f %s %s.pub",
	    path("krl256"), path("ec")) != NULL);
	CHECK_INT("krl two sections", kh_revoked_by_file(path("krl256"),
	    &ec, why, sizeof(why)), 1);
	snprintf(text, sizeof(text), "# revoked\n\n%s comment\n",
	    pub_text("ec"));
	write_file(path("plainrev"), text);
	CHECK_INT("plain list revokes", kh_revoked_by_file(path("plainrev"),
	    &ec, why, sizeof(why)), 1);
	CHECK_INT("plain list spares", kh_revoked_by_file(path("plainrev"),
	    &rsa, why, sizeof(why)), 0);
	CHECK_INT("missing file", kh_revoked_by_file(path("nope"), &ec, why,
	    sizeof(why)), -1);
	CHECK_STR("missing file why", why, "No such file or directory");
	write_file(path("badkrl"), "SSHKRL\n");
	CHECK_INT("truncated krl magic is a plain list", kh_revoked_by_file(
	    path("badkrl"), &ec, why, sizeof(why)), 0);
	kh_key_free(&ed);
	kh_key_free(&rsa);
	kh_key_free(&ec);
}

/*
 * Reading a stream as KnownHostsCommand output comes: a line too long
 * for any key is skipped whole (once it grew without bound), a NUL
 * ends a line as it does for ssh, CR LF and a last line without its
 * newline are fine.
 */
static void
test_stream(void)
{
	struct kh_list l = { NULL, 0 };
	char *text, *p;
	size_t n, big = 300 * 1024;
	FILE *f;

	n = big + 8192;
	p = text = malloc(n);
	memset(p, 'x', big);
	p += big;
	p += snprintf(p, n - big, "\nme %s\r\n", pub_text("ed"));
	memcpy(p, "me\0", 3);
	p += 3;
	p += snprintf(p, n - (p - text), " %s\nme,other %s", pub_text("ed"),
	    pub_text("rsa"));
	f = fmemopen(text, p - text, "r");
	kh_load_stream(&l, "me", f, "KnownHostsCommand-HOSTNAME", 1);
	fclose(f);
	CHECK_INT("stream entries", l.n, 2);
	if (l.n == 2) {
		CHECK_INT("stream: over-long line 1 skipped", l.v[0].line, 2);
		CHECK_STR("stream: CR LF line", l.v[0].key.type,
		    "ssh-ed25519");
		CHECK("stream: from the command", l.v[0].from_command);
		CHECK_INT("stream: NUL line 3 skipped", l.v[1].line, 4);
		CHECK_STR("stream: last line without newline",
		    l.v[1].key.type, "ssh-rsa");
	}
	kh_list_free(&l);

	/* A long line that is not too long: a host list of 200 KiB. */
	for (p = text; p < text + 200 * 1024; p += 8)
		memcpy(p, "abcdefg,", 8);
	p += snprintf(p, n - (p - text), "me %s\n", pub_text("ed"));
	f = fmemopen(text, p - text, "r");
	kh_load_stream(&l, "me", f, "long", 0);
	fclose(f);
	CHECK_INT("stream: 200 KiB line read", l.n, 1);
	kh_list_free(&l);
	free(text);
}

/*
 * A line of 100 MiB from a command, read with 32 MiB of address space
 * to spare: skipped, and the line after it still read.  (getline()
 * grew to the whole line, and gave up at ENOMEM with what followed.)
 * Not under AddressSanitizer, whose shadow memory needs the space.
 */
static void
test_stream_bound(void)
{
#if defined(__SANITIZE_ADDRESS__)
	printf("skip stream-bounded-line (AddressSanitizer needs the "
	    "address space)\n");
#else
	struct kh_list l = { NULL, 0 };
	struct rlimit rl;
	unsigned long pages;
	char cmd[8192];
	FILE *f;
	pid_t pid;
	int st;

	if ((pid = fork()) == 0) {
		if ((f = fopen("/proc/self/statm", "r")) == NULL ||
		    fscanf(f, "%lu", &pages) != 1)
			_exit(2);
		fclose(f);
		rl.rlim_cur = rl.rlim_max = pages * sysconf(_SC_PAGESIZE) +
		    32 * 1024 * 1024;
		if (setrlimit(RLIMIT_AS, &rl) != 0)
			_exit(2);
		snprintf(cmd, sizeof(cmd), "head -c 100M /dev/zero | tr '\\0' "
		    "x; printf '\\nme %s\\n'", pub_text("ed"));
		if ((f = popen(cmd, "r")) == NULL)
			_exit(2);
		kh_load_stream(&l, "me", f, "huge", 1);
		pclose(f);
		_exit(l.n == 1 && l.v[0].line == 2 ? 0 : 1);
	}
	st = -1;
	if (pid > 0)
		waitpid(pid, &st, 0);
	CHECK("stream: 100 MiB line skipped in bounded memory",
	    WIFEXITED(st) && WEXITSTATUS(st) == 0);
#endif
}

static void
test_argv(void)
{
	char **av;
	int n;

	CHECK_INT("argv split", argv_split("/bin/cmd  a\t'b c' \"d'e\" f\\ g "
	    "h\\\"i", 0, &n, &av), 0);
	CHECK_INT("argv count", n, 6);
	if (n == 6) {
		CHECK_STR("argv 0", av[0], "/bin/cmd");
		CHECK_STR("argv quoted", av[2], "b c");
		CHECK_STR("argv dquoted", av[3], "d'e");
		CHECK_STR("argv escaped space", av[4], "f g");
		CHECK_STR("argv escaped quote", av[5], "h\"i");
		CHECK("argv end", av[6] == NULL);
	}
	argv_free(av);
	CHECK_INT("argv open quote", argv_split("a 'b", 0, &n, &av), -1);
	CHECK_INT("argv empty", argv_split("   ", 0, &n, &av), 0);
	CHECK("argv empty vector", n == 0 && av != NULL && av[0] == NULL);
	argv_free(av);
	CHECK_INT("argv comment kept", argv_split("a #b", 0, &n, &av), 0);
	CHECK_INT("argv comment word", n, 2);
	argv_free(av);
	CHECK_INT("argv comment ends", argv_split("a #b", 1, &n, &av), 0);
	CHECK_INT("argv comment dropped", n, 1);
	argv_free(av);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		printf("not ok knownhosts-setup (mkdtemp)\n");
		return 1;
	}
	if (run("ssh-keygen -q -t ed25519 -N '' -f %s && "
	    "ssh-keygen -q -t rsa -b 3072 -N '' -f %s && "
	    "ssh-keygen -q -t ecdsa -b 384 -N '' -f %s", path("ed"),
	    path("rsa"), path("ec")) == NULL) {
		printf("not ok knownhosts-setup (ssh-keygen)\n");
		return 1;
	}
	test_names();
	test_hashing();
	test_lines();
	test_check();
	test_fingerprints();
	test_write();
	test_write_concurrent();
	test_other_names();
	test_revoked();
	test_stream();
	test_stream_bound();
	test_argv();
	run("rm -rf %s", dir);
	UNIT_END();
}
