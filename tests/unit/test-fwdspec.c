/*
 * Unit tests for forwarding specifications (src/fwdspec.c) and the
 * SOCKS request parser (src/socks.c).
 */
#include <stdio.h>
#include <string.h>

#include "fwd.h"
#include "unit.h"

static void
good(const char *spec, char kind, const char *lhost, int lport,
    const char *lpath, const char *chost, int cport, const char *cpath,
    int dynamic)
{
	struct fwdspec f;
	char name[300];
	int r;

	r = fwdspec_parse(spec, kind, &f);
	snprintf(name, sizeof(name), "-%c %s parses", kind, spec);
	CHECK_INT(name, r, 0);
	if (r != 0)
		return;
	snprintf(name, sizeof(name), "-%c %s listen host", kind, spec);
	CHECK_STR(name, f.listen_host, lhost);
	snprintf(name, sizeof(name), "-%c %s listen port", kind, spec);
	CHECK_INT(name, f.listen_port, lport);
	snprintf(name, sizeof(name), "-%c %s listen path", kind, spec);
	CHECK_STR(name, f.listen_path, lpath);
	snprintf(name, sizeof(name), "-%c %s connect host", kind, spec);
	CHECK_STR(name, f.connect_host, chost);
	snprintf(name, sizeof(name), "-%c %s connect port", kind, spec);
	CHECK_INT(name, f.connect_port, cport);
	snprintf(name, sizeof(name), "-%c %s connect path", kind, spec);
	CHECK_STR(name, f.connect_path, cpath);
	snprintf(name, sizeof(name), "-%c %s dynamic", kind, spec);
	CHECK_INT(name, f.dynamic, dynamic);
	fwdspec_free(&f);
}

static void
bad(const char *spec, char kind)
{
	struct fwdspec f;
	char name[300];

	snprintf(name, sizeof(name), "-%c %s refused", kind, spec);
	CHECK_INT(name, fwdspec_parse(spec, kind, &f), -1);
}

/* Feed a SOCKS request in one piece; 1 and host/port when complete. */
static void
socks(const char *name, const unsigned char *p, size_t len, int want,
    const char *host, int port, size_t replylen)
{
	struct socksreq r;
	unsigned char reply[16];
	size_t used, rlen, off = 0;
	int rc;
	char n[200];

	memset(&r, 0, sizeof(r));
	for (;;) {
		rc = socks_parse(&r, p + off, len - off, &used, reply, &rlen);
		off += used;
		if (rc != 0 || used == 0)
			break;
		snprintf(n, sizeof(n), "%s: greeting answered", name);
		CHECK_INT(n, (int)rlen, 2);
	}
	snprintf(n, sizeof(n), "%s: verdict", name);
	CHECK_INT(n, rc, want);
	if (rc != 1)
		return;
	snprintf(n, sizeof(n), "%s: host", name);
	CHECK_STR(n, r.host, host);
	snprintf(n, sizeof(n), "%s: port", name);
	CHECK_INT(n, r.port, port);
	snprintf(n, sizeof(n), "%s: all used", name);
	CHECK_INT(n, (int)off, (int)len);
	snprintf(n, sizeof(n), "%s: reply length", name);
	CHECK_INT(n, (int)socks_reply(&r, 1, reply), (int)replylen);
}

int
main(void)
{
	static const unsigned char s4[] = { 4, 1, 0, 80, 10, 1, 2, 3, 'u', 0 };
	static const unsigned char s4a[] = { 4, 1, 1, 187, 0, 0, 0, 1, 0,
	    'w', 'w', 'w', 0 };
	static const unsigned char s5name[] = { 5, 1, 0, 5, 1, 0, 3, 9,
	    'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't', 0x1f, 0x90 };
	static const unsigned char s5ip[] = { 5, 2, 2, 0, 5, 1, 0, 1,
	    127, 0, 0, 1, 0, 22 };
	static const unsigned char s5noauth[] = { 5, 1, 2 };
	static const unsigned char s5bind[] = { 5, 1, 0, 5, 2, 0, 1,
	    127, 0, 0, 1, 0, 22 };
	static const unsigned char s4short[] = { 4, 1, 0, 80, 10, 1, 2 };

	good("8080:h:80", 'L', NULL, 8080, NULL, "h", 80, NULL, 0);
	good("127.0.0.1:8080:h:80", 'L', "127.0.0.1", 8080, NULL, "h", 80,
	    NULL, 0);
	good("[::1]:8080:[2001:db8::1]:80", 'L', "::1", 8080, NULL,
	    "2001:db8::1", 80, NULL, 0);
	good("*:8080:h:80", 'L', "*", 8080, NULL, "h", 80, NULL, 0);
	good(":8080:h:80", 'L', "", 8080, NULL, "h", 80, NULL, 0);
	good("8080:/run/s", 'L', NULL, 8080, NULL, NULL, -1, "/run/s", 0);
	good("/tmp/l:h:80", 'L', NULL, -1, "/tmp/l", "h", 80, NULL, 0);
	good("/tmp/l:/run/s", 'L', NULL, -1, "/tmp/l", NULL, -1, "/run/s", 0);
	good("1080", 'D', NULL, 1080, NULL, NULL, -1, NULL, 1);
	good("localhost:1080", 'D', "localhost", 1080, NULL, NULL, -1, NULL,
	    1);
	good("0:h:22", 'R', NULL, 0, NULL, "h", 22, NULL, 0);
	good("9000", 'R', NULL, 9000, NULL, NULL, -1, NULL, 1);
	good("0", 'R', NULL, 0, NULL, NULL, -1, NULL, 1);
	good("*:9000:/tmp/s", 'R', "*", 9000, NULL, NULL, -1, "/tmp/s", 0);
	bad("8080", 'L');
	bad("0:h:80", 'L');
	bad("0", 'D');
	bad("8080:h", 'L');
	bad("x:h:80", 'L');
	bad("8080:h:0", 'L');
	bad("8080:h:99999", 'L');
	bad("1:2:3:4:5", 'L');
	bad("8080:h:80", 'D');
	bad("", 'L');

	socks("socks4", s4, sizeof(s4), 1, "10.1.2.3", 80, 8);
	socks("socks4a", s4a, sizeof(s4a), 1, "www", 443, 8);
	socks("socks5 name", s5name, sizeof(s5name), 1, "localhost", 8080,
	    10);
	socks("socks5 ip", s5ip, sizeof(s5ip), 1, "127.0.0.1", 22, 10);
	socks("socks5 without no-auth", s5noauth, sizeof(s5noauth), -1, NULL,
	    0, 0);
	socks("socks5 bind refused", s5bind, sizeof(s5bind), -1, NULL, 0, 0);
	socks("socks4 short", s4short, sizeof(s4short), 0, NULL, 0, 0);
	UNIT_END();
}
