/*
 * The SOCKS 4, 4a and 5 request parser (src/socks.c), fed as fwd.c
 * feeds it: whole, and in pieces of every size.  Over-long names (the
 * 4a name that overflowed host[] and the port after it), truncated
 * requests, NULs in names, bad versions, commands and address types:
 * each ends in -1 with its version's failure reply, never past host[].
 */
#include <stdlib.h>
#include <string.h>

#include "fwd.h"
#include "unit.h"

/* What feeding a request gave: as fwd.c's pump_socks() sees it. */
struct outcome {
	int	 rc;		/* the last socks_parse() result */
	unsigned char reply[64];
	size_t	 replylen;	/* every reply, one after the other */
	size_t	 left;		/* bytes not taken when it ended */
	struct socksreq r;
};

/* Feed len bytes in pieces of at most piece bytes into a 600-byte buffer. */
static struct outcome
feed(const void *data, size_t len, size_t piece)
{
	const unsigned char *d = data;
	unsigned char buf[600], reply[SOCKS_REPLY_MAX + 6];
	struct outcome o;
	size_t have = 0, off = 0, n, used, rlen;

	memset(&o, 0, sizeof(o));
	memset(reply, 0xee, sizeof(reply));
	while (off < len || have > 0) {
		n = len - off < piece ? len - off : piece;
		if (n > sizeof(buf) - have)
			n = sizeof(buf) - have;
		memcpy(buf + have, d + off, n);
		have += n;
		off += n;
		for (;;) {
			o.rc = socks_parse(&o.r, buf, have, &used, reply,
			    &rlen);
			if (used > have || rlen > SOCKS_REPLY_MAX ||
			    reply[SOCKS_REPLY_MAX] != 0xee) {
				o.rc = 99;	/* out of bounds */
				return o;
			}
			if (rlen > 0 && o.replylen + rlen <= sizeof(o.reply)) {
				memcpy(o.reply + o.replylen, reply, rlen);
				o.replylen += rlen;
			}
			memmove(buf, buf + used, have - used);
			have -= used;
			if (o.rc != 0 || used == 0)
				break;
		}
		if (o.rc != 0 || n == 0)
			break;
	}
	o.left = have + (len - off);
	return o;
}

/* The same outcome whatever the pieces. */
static int
same_in_pieces(const void *data, size_t len)
{
	struct outcome whole = feed(data, len, len ? len : 1), o;
	size_t piece;

	for (piece = 1; piece < len; piece++) {
		o = feed(data, len, piece);
		if (o.rc != whole.rc || o.replylen != whole.replylen ||
		    memcmp(o.reply, whole.reply, o.replylen) != 0 ||
		    (o.rc == 1 && (strcmp(o.r.host, whole.r.host) != 0 ||
		    o.r.port != whole.r.port || o.left != whole.left)))
			return 0;
	}
	return 1;
}

static const unsigned char s4_refused[8] = { 0, 0x5b };

/* A SOCKS 4a request for name (n bytes of c) on port 0x1f90, user u. */
static size_t
req4a(unsigned char *out, size_t ulen, size_t n, int c)
{
	size_t len = 0;

	memcpy(out, "\x04\x01\x1f\x90\x00\x00\x00\x01", 8);
	len = 8;
	memset(out + len, 'u', ulen);
	len += ulen;
	out[len++] = '\0';
	memset(out + len, c, n);
	len += n;
	out[len++] = '\0';
	return len;
}

static void
test_socks4(void)
{
	static const unsigned char ip[] = "\x04\x01\x00\x50\x7f\x00\x00\x01"
	    "bob\0" "rest";
	unsigned char big[2100];
	struct outcome o;
	size_t len;

	o = feed(ip, sizeof(ip) - 1, sizeof(ip));
	CHECK_INT("4 complete", o.rc, 1);
	CHECK_STR("4 host", o.r.host, "127.0.0.1");
	CHECK_INT("4 port", o.r.port, 80);
	CHECK_INT("4 leaves what follows", o.left, 4);
	CHECK_INT("4 no reply yet", o.replylen, 0);
	CHECK("4 in pieces", same_in_pieces(ip, sizeof(ip) - 1));
	o = feed(ip, 11, 11);
	CHECK_INT("4 without the user's NUL wants more", o.rc, 0);
	o = feed(ip, 7, 7);
	CHECK_INT("4 short of the fixed part wants more", o.rc, 0);

	len = req4a(big, 0, 11, 'h');
	memcpy(big + 9, "example.org", 11);
	o = feed(big, len, len);
	CHECK_INT("4a complete", o.rc, 1);
	CHECK_STR("4a host", o.r.host, "example.org");
	CHECK_INT("4a port", o.r.port, 8080);
	CHECK("4a in pieces", same_in_pieces(big, len));
	o = feed(big, len - 1, len);
	CHECK_INT("4a without the host's NUL wants more", o.rc, 0);

	len = req4a(big, 3, 255, 'a');
	o = feed(big, len, len);
	CHECK_INT("4a 255-byte name", o.rc, 1);
	CHECK_INT("4a 255-byte name kept", strlen(o.r.host), 255);
	CHECK_INT("4a 255-byte name port", o.r.port, 8080);

	/* The overflow: the name ran over host[] into the port. */
	len = req4a(big, 0, 300, 'A');
	o = feed(big, len, len);
	CHECK_INT("4a 300-byte name refused", o.rc, -1);
	CHECK("4a 300-byte name: SOCKS 4 failure reply", o.replylen == 8 &&
	    memcmp(o.reply, s4_refused, 8) == 0);
	CHECK("4a 300-byte name: host[] bounded",
	    memchr(o.r.host, '\0', sizeof(o.r.host)) != NULL);
	CHECK_INT("4a 300-byte name: port untouched", o.r.port, 8080);
	CHECK("4a 300-byte name in pieces", same_in_pieces(big, len));
	len = req4a(big, 0, 256, 'A');
	o = feed(big, len, len);
	CHECK_INT("4a 256-byte name refused", o.rc, -1);
	/* Refused as soon as it is too long, not when its NUL comes. */
	o = feed(big, 8 + 1 + 256, 8 + 1 + 256);
	CHECK_INT("4a over-long name refused before its end", o.rc, -1);

	/* ssh's bound on the whole request: its last NUL by offset 1024. */
	len = req4a(big, 1014, 1, 'h');
	CHECK_INT("4a request of 1025 bytes", len, 1025);
	o = feed(big, len, len);
	CHECK_INT("4a request of 1025 bytes taken", o.rc, 1);
	len = req4a(big, 1015, 1, 'h');
	o = feed(big, len, len);
	CHECK_INT("4a request of 1026 bytes refused", o.rc, -1);
	CHECK("1026 bytes: failure reply", o.replylen == 8 &&
	    memcmp(o.reply, s4_refused, 8) == 0);
	memset(big, 'u', sizeof(big));
	memcpy(big, "\x04\x01\x00\x50\x0a\x00\x00\x01", 8);
	o = feed(big, sizeof(big), 100);
	CHECK_INT("4 endless user refused", o.rc, -1);
	CHECK("4 endless user in pieces", same_in_pieces(big, 1100));
	big[1024] = '\0';
	o = feed(big, 1025, 1025);
	CHECK_INT("4 user up to ssh's bound", o.rc, 1);
	CHECK_STR("4 user up to ssh's bound host", o.r.host, "10.0.0.1");

	len = req4a(big, 2, 0, 'x');
	o = feed(big, len, len);
	CHECK_INT("4a empty name refused", o.rc, -1);
	CHECK_INT("4a empty name reply", o.replylen, 8);
	memcpy(big, "\x04\x02\x00\x50\x7f\x00\x00\x01\0", 9);
	o = feed(big, 9, 9);
	CHECK_INT("4 BIND refused", o.rc, -1);
	CHECK("4 BIND: failure reply", o.replylen == 8 &&
	    memcmp(o.reply, s4_refused, 8) == 0);
	/* 0.0.0.0 is not 4a: an address, no name follows. */
	memcpy(big, "\x04\x01\x00\x50\x00\x00\x00\x00\0", 9);
	o = feed(big, 9, 9);
	CHECK("4 to 0.0.0.0", o.rc == 1 && strcmp(o.r.host, "0.0.0.0") == 0);
}

static void
test_socks5(void)
{
	static const unsigned char name[] = "\x05\x02\x02\x00"
	    "\x05\x01\x00\x03\x0b" "example.org" "\x01\xbb" "GET";
	static const unsigned char v4[] = "\x05\x01\x00"
	    "\x05\x01\x00\x01\x0a\x01\x02\x03\x00\x16";
	static const unsigned char v6[] = "\x05\x01\x00"
	    "\x05\x01\x00\x04" "\x20\x01\x0d\xb8" "\0\0\0\0\0\0\0\0\0\0\0\x01"
	    "\x00\x50";
	unsigned char buf[600];
	struct outcome o;
	size_t i;
	int ok;

	o = feed(name, sizeof(name) - 1, sizeof(name));
	CHECK_INT("5 name complete", o.rc, 1);
	CHECK_STR("5 name host", o.r.host, "example.org");
	CHECK_INT("5 name port", o.r.port, 443);
	CHECK("5 method selection answered", o.replylen == 2 &&
	    o.reply[0] == 5 && o.reply[1] == 0);
	CHECK_INT("5 leaves what follows", o.left, 3);
	CHECK("5 name in pieces", same_in_pieces(name, sizeof(name) - 1));
	o = feed(v4, sizeof(v4) - 1, sizeof(v4));
	CHECK("5 ipv4", o.rc == 1 && strcmp(o.r.host, "10.1.2.3") == 0 &&
	    o.r.port == 22);
	CHECK("5 ipv4 in pieces", same_in_pieces(v4, sizeof(v4) - 1));
	o = feed(v6, sizeof(v6) - 1, sizeof(v6));
	CHECK("5 ipv6", o.rc == 1 && strcmp(o.r.host, "2001:db8::1") == 0 &&
	    o.r.port == 80);
	for (ok = 1, i = 0; i < sizeof(name) - 4; i++)
		if (feed(name, i, i + 1).rc != 0)
			ok = 0;
	CHECK("5 truncated anywhere wants more", ok);

	o = feed("\x05\x01\x02", 3, 3);
	CHECK_INT("5 without no-auth refused", o.rc, -1);
	CHECK("5 without no-auth: no acceptable method", o.replylen == 2 &&
	    o.reply[0] == 5 && o.reply[1] == 0xff);
	o = feed("\x05\x00", 2, 2);
	CHECK("5 no methods refused", o.rc == -1 && o.reply[1] == 0xff);

	memcpy(buf, "\x05\x01\x00\x05\x01\x00\x03\xff", 8);
	memset(buf + 8, 'n', 255);
	memcpy(buf + 8 + 255, "\x00\x50", 2);
	o = feed(buf, 8 + 255 + 2, 600);
	CHECK("5 255-byte name", o.rc == 1 && strlen(o.r.host) == 255 &&
	    o.r.port == 80);
	CHECK("5 255-byte name in pieces", same_in_pieces(buf, 265));
	buf[20] = '\0';
	o = feed(buf, 8 + 255 + 2, 600);
	CHECK_INT("5 NUL in name refused", o.rc, -1);
	CHECK("5 NUL in name: general failure", o.replylen == 12 &&
	    o.reply[2] == 5 && o.reply[3] == 1);
	o = feed("\x05\x01\x00\x05\x01\x00\x03\x00\x00\x50", 10, 10);
	CHECK("5 empty name refused", o.rc == -1 && o.replylen == 12 &&
	    o.reply[3] == 1);
	o = feed("\x05\x01\x00\x05\x02\x00\x01", 7, 7);
	CHECK("5 BIND: command not supported", o.rc == -1 &&
	    o.replylen == 12 && o.reply[3] == 7);
	o = feed("\x05\x01\x00\x05\x01\x00\x02", 7, 7);
	CHECK("5 bad address type", o.rc == -1 && o.replylen == 12 &&
	    o.reply[3] == 8);
	o = feed("\x05\x01\x00\x05\x01\x01\x01", 7, 7);
	CHECK("5 reserved byte set refused", o.rc == -1 && o.reply[3] == 1);
	o = feed("\x05\x01\x00\x04\x01\x00\x01", 7, 7);
	CHECK("5 request of another version refused", o.rc == -1 &&
	    o.reply[3] == 1);
	CHECK("5 failure reply form", o.replylen == 12 &&
	    memcmp(o.reply + 2, "\x05\x01\x00\x01\0\0\0\0\0\0", 10) == 0);
}

static void
test_other(void)
{
	struct socksreq r;
	unsigned char out[SOCKS_REPLY_MAX];
	struct outcome o;

	o = feed("\x06\x01", 2, 2);
	CHECK("unknown version refused without reply", o.rc == -1 &&
	    o.replylen == 0);
	o = feed("GET / HTTP/1.0\r\n", 16, 16);
	CHECK("not SOCKS at all", o.rc == -1 && o.replylen == 0);
	memset(&r, 0, sizeof(r));
	r.version = 4;
	CHECK("4 granted", socks_reply(&r, 1, out) == 8 && out[0] == 0 &&
	    out[1] == 0x5a);
	CHECK("4 rejected", socks_reply(&r, 0, out) == 8 && out[1] == 0x5b);
	r.version = 5;
	CHECK("5 succeeded", socks_reply(&r, 1, out) == 10 && out[0] == 5 &&
	    out[1] == 0 && out[3] == 1);
	CHECK("5 failed", socks_reply(&r, 0, out) == 10 && out[1] == 1);
}

int
main(void)
{
	test_socks4();
	test_socks5();
	test_other();
	UNIT_END();
}
