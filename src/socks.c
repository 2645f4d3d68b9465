/*
 * The SOCKS side of dynamic forwarding (-D, and -R with a port only):
 * SOCKS 4, 4a and 5 requests with CONNECT and no authentication, read
 * from a byte stream as it arrives.  Names are not resolved here: they
 * go in the channel open, so the far end resolves them, as with ssh.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "fwd.h"

enum {
	S4_GRANTED = 0x5a, S4_REJECTED = 0x5b,
	S5_OK = 0, S5_FAIL = 1, S5_BADCMD = 7, S5_BADATYP = 8,
	CONNECT = 1,
};

/* SOCKS 4 and 4a: VN CD PORT IP USERID\0 [HOST\0]. */
static int
parse4(struct socksreq *r, const unsigned char *p, size_t len, size_t *used)
{
	const unsigned char *end, *host;
	size_t off = 8;

	if (len < 9)
		return 0;
	if (p[1] != CONNECT)
		return -1;
	if ((end = memchr(p + off, '\0', len - off)) == NULL)
		return len - off > 255 ? -1 : 0;
	off = end - p + 1;
	r->port = p[2] << 8 | p[3];
	if (p[4] == 0 && p[5] == 0 && p[6] == 0 && p[7] != 0) {
		/* 4a: the name follows the user. */
		host = p + off;
		if ((end = memchr(host, '\0', len - off)) == NULL)
			return len - off > 255 ? -1 : 0;
		if (end == host)
			return -1;
		memcpy(r->host, host, end - host);
		r->host[end - host] = '\0';
		off = end - p + 1;
	} else
		inet_ntop(AF_INET, p + 4, r->host, sizeof(r->host));
	*used = off;
	return 1;
}

/* SOCKS 5 request: VER CMD RSV ATYP ADDR PORT. */
static int
parse5(struct socksreq *r, const unsigned char *p, size_t len, size_t *used,
    unsigned char *reply, size_t *replylen)
{
	size_t alen, off;

	if (len < 5)
		return 0;
	if (p[0] != 5)
		return -1;
	if (p[1] != CONNECT) {
		*replylen = socks_reply(r, 0, reply);
		reply[1] = S5_BADCMD;
		return -1;
	}
	switch (p[3]) {
	case 1:
		alen = 4;
		off = 4;
		break;
	case 3:
		alen = p[4];
		off = 5;
		break;
	case 4:
		alen = 16;
		off = 4;
		break;
	default:
		*replylen = socks_reply(r, 0, reply);
		reply[1] = S5_BADATYP;
		return -1;
	}
	if (len < off + alen + 2)
		return 0;
	if (p[3] == 1)
		inet_ntop(AF_INET, p + off, r->host, sizeof(r->host));
	else if (p[3] == 4)
		inet_ntop(AF_INET6, p + off, r->host, sizeof(r->host));
	else {
		if (alen == 0)
			return -1;
		memcpy(r->host, p + off, alen);
		r->host[alen] = '\0';
		if (strlen(r->host) != alen)
			return -1;
	}
	r->port = p[off + alen] << 8 | p[off + alen + 1];
	*used = off + alen + 2;
	return 1;
}

int
socks_parse(struct socksreq *r, const unsigned char *p, size_t len,
    size_t *used, unsigned char *reply, size_t *replylen)
{
	size_t n;

	*used = 0;
	*replylen = 0;
	if (len == 0)
		return 0;
	if (r->version == 0) {
		if (p[0] != 4 && p[0] != 5)
			return -1;
		r->version = p[0];
	}
	if (r->version == 4)
		return parse4(r, p, len, used);
	if (!r->greeted) {
		/* VER NMETHODS METHODS: only "no authentication" is offered. */
		if (len < 2 || len < 2 + (size_t)p[1])
			return 0;
		n = 2 + p[1];
		reply[0] = 5;
		reply[1] = memchr(p + 2, 0, p[1]) != NULL ? 0 : 0xff;
		*replylen = 2;
		*used = n;
		if (reply[1] != 0)
			return -1;
		r->greeted = 1;
		return 0;
	}
	return parse5(r, p, len, used, reply, replylen);
}

/* The answer to a complete request: granted or not. */
size_t
socks_reply(const struct socksreq *r, int ok, unsigned char *out)
{
	if (r->version == 4) {
		memset(out, 0, 8);
		out[1] = ok ? S4_GRANTED : S4_REJECTED;
		return 8;
	}
	memset(out, 0, 10);
	out[0] = 5;
	out[1] = ok ? S5_OK : S5_FAIL;
	out[3] = 1;		/* an IPv4 address, 0.0.0.0:0 */
	return 10;
}
