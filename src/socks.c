/*
 * The SOCKS side of dynamic forwarding (-D, and -R with a port only):
 * SOCKS 4, 4a and 5 requests with CONNECT and no authentication, read
 * from a byte stream as it arrives.  Names are not resolved here: they
 * go in the channel open, so the far end resolves them, as with ssh.
 *
 * The bytes come from any local process that can reach a -D port, or
 * from the far end of a -R SOCKS forwarding, so every length is
 * checked through struct wire.  A SOCKS 4 request has no length field:
 * its user and host strings end at a NUL, so those are taken as they
 * come (the caller's buffer need not hold them), and the request as a
 * whole is bounded as ssh bounds it (channel_decode_socks4: the last
 * NUL within the first 1025 bytes).  A bad request gets the failure
 * reply of its version when there is one to give, then the end.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "fwd.h"
#include "wirebuf.h"

/* ssh's limit: the request's last NUL at offset 1024 at the latest. */
#define S4_MAX_REQUEST	1025
/* A DNS name is at most 255 octets (RFC 1035), as SOCKS 5 carries it. */
#define MAX_NAME	(sizeof(((struct socksreq *)0)->host) - 1)

enum {
	S4_GRANTED = 0x5a, S4_REJECTED = 0x5b,
	S5_OK = 0, S5_FAIL = 1, S5_BADCMD = 7, S5_BADATYP = 8,
	S5_NOAUTH = 0, S5_NOMETHOD = 0xff,
	CONNECT = 1,
	ATYP_IPV4 = 1, ATYP_NAME = 3, ATYP_IPV6 = 4,
};

/* Where a SOCKS 4 request is: its fixed part, the user, the host. */
enum { S4_HEAD = 0, S4_USER, S4_HOST };

static size_t
reply_code(const struct socksreq *r, int code, unsigned char *out)
{
	if (r->version == 4) {
		memset(out, 0, 8);
		out[1] = code;
		return 8;
	}
	memset(out, 0, 10);
	out[0] = 5;
	out[1] = code;
	out[3] = ATYP_IPV4;	/* 0.0.0.0:0 */
	return 10;
}

/* A bad request: its reason, and the failure reply of code, if any. */
static int
refuse(struct socksreq *r, const char *why, int code, unsigned char *reply,
    size_t *replylen)
{
	r->why = why;
	if (code >= 0)
		*replylen = reply_code(r, code, reply);
	return -1;
}

/*
 * SOCKS 4 and 4a: VN CD DSTPORT DSTIP USERID NUL [HOST NUL], 4a when
 * DSTIP is 0.0.0.x with x not 0.  Everything up to the end of what is
 * there is taken; *used counts it.
 */
static int
parse4(struct socksreq *r, struct wire *w, unsigned char *reply,
    size_t *replylen)
{
	const unsigned char *p, *nul;
	uint8_t cmd;
	size_t n;

	if (r->stage == S4_HEAD) {
		if (wire_bytes(w, 8, &p) != 0)
			return 0;
		cmd = p[1];
		r->port = p[2] << 8 | p[3];
		r->is4a = p[4] == 0 && p[5] == 0 && p[6] == 0 && p[7] != 0;
		if (!r->is4a)
			inet_ntop(AF_INET, p + 4, r->host, sizeof(r->host));
		r->seen = 8;
		r->stage = S4_USER;
		if (cmd != CONNECT)
			return refuse(r, "not a CONNECT request", S4_REJECTED,
			    reply, replylen);
	}
	while (w->len > 0) {
		nul = memchr(w->p, '\0', w->len);
		n = nul != NULL ? (size_t)(nul - w->p) + 1 : w->len;
		if (n > S4_MAX_REQUEST - r->seen)
			return refuse(r, "request too long", S4_REJECTED,
			    reply, replylen);
		(void)wire_bytes(w, n, &p);	/* n <= w->len */
		r->seen += n;
		if (r->stage == S4_HOST) {
			/* The name without its NUL must fit host[]. */
			if (n - (nul != NULL) > MAX_NAME - r->hostlen)
				return refuse(r, "hostname too long",
				    S4_REJECTED, reply, replylen);
			memcpy(r->host + r->hostlen, p, n - (nul != NULL));
			r->hostlen += n - (nul != NULL);
			r->host[r->hostlen] = '\0';
		}
		if (nul == NULL)
			break;
		if (r->stage == S4_USER && r->is4a) {
			r->stage = S4_HOST;
			r->hostlen = 0;
			r->host[0] = '\0';
			continue;
		}
		if (r->hostlen == 0 && r->is4a)
			return refuse(r, "empty hostname", S4_REJECTED,
			    reply, replylen);
		return 1;
	}
	/* Not complete: the rest must still fit ssh's bound. */
	if (r->seen >= S4_MAX_REQUEST)
		return refuse(r, "request too long", S4_REJECTED, reply,
		    replylen);
	return 0;
}

/* SOCKS 5 method selection: VER NMETHODS METHODS. */
static int
greet5(struct socksreq *r, struct wire *w, unsigned char *reply,
    size_t *replylen)
{
	struct wire save = *w;
	const unsigned char *methods;
	uint8_t ver, n;

	if (wire_u8(w, &ver) != 0 || wire_u8(w, &n) != 0 ||
	    wire_bytes(w, n, &methods) != 0) {
		*w = save;
		return 0;
	}
	reply[0] = 5;
	reply[1] = memchr(methods, S5_NOAUTH, n) != NULL ? S5_NOAUTH :
	    S5_NOMETHOD;
	*replylen = 2;
	if (reply[1] != S5_NOAUTH)
		return refuse(r, "no acceptable authentication method", -1,
		    reply, replylen);
	r->greeted = 1;
	return 0;
}

/* SOCKS 5 request: VER CMD RSV ATYP DST.ADDR DST.PORT. */
static int
parse5(struct socksreq *r, struct wire *w, unsigned char *reply,
    size_t *replylen)
{
	struct wire save = *w;
	const unsigned char *addr, *port;
	uint8_t ver, cmd, rsv, atyp, alen;

	if (wire_u8(w, &ver) != 0 || wire_u8(w, &cmd) != 0 ||
	    wire_u8(w, &rsv) != 0 || wire_u8(w, &atyp) != 0)
		goto more;
	if (ver != 5 || rsv != 0)
		return refuse(r, "malformed request", S5_FAIL, reply,
		    replylen);
	if (cmd != CONNECT)
		return refuse(r, "not a CONNECT request", S5_BADCMD, reply,
		    replylen);
	switch (atyp) {
	case ATYP_IPV4:
		alen = 4;
		break;
	case ATYP_IPV6:
		alen = 16;
		break;
	case ATYP_NAME:
		if (wire_u8(w, &alen) != 0)
			goto more;
		break;
	default:
		return refuse(r, "unknown address type", S5_BADATYP, reply,
		    replylen);
	}
	if (wire_bytes(w, alen, &addr) != 0 || wire_bytes(w, 2, &port) != 0)
		goto more;
	if (atyp == ATYP_IPV4)
		inet_ntop(AF_INET, addr, r->host, sizeof(r->host));
	else if (atyp == ATYP_IPV6)
		inet_ntop(AF_INET6, addr, r->host, sizeof(r->host));
	else {
		if (alen == 0)
			return refuse(r, "empty hostname", S5_FAIL, reply,
			    replylen);
		if (memchr(addr, '\0', alen) != NULL)
			return refuse(r, "NUL in hostname", S5_FAIL, reply,
			    replylen);
		memcpy(r->host, addr, alen);	/* alen <= MAX_NAME */
		r->host[alen] = '\0';
	}
	r->port = port[0] << 8 | port[1];
	return 1;
 more:
	*w = save;
	return 0;
}

int
socks_parse(struct socksreq *r, const unsigned char *p, size_t len,
    size_t *used, unsigned char *reply, size_t *replylen)
{
	struct wire w;
	int rc;

	*used = 0;
	*replylen = 0;
	if (len == 0)
		return 0;
	if (r->version == 0) {
		if (p[0] != 4 && p[0] != 5) {
			r->why = "not SOCKS 4 or 5";
			return -1;
		}
		r->version = p[0];
	}
	wire_init(&w, p, len);
	if (r->version == 4)
		rc = parse4(r, &w, reply, replylen);
	else if (!r->greeted)
		rc = greet5(r, &w, reply, replylen);
	else
		rc = parse5(r, &w, reply, replylen);
	*used = len - w.len;
	return rc;
}

/* The answer to a complete request: granted or not. */
size_t
socks_reply(const struct socksreq *r, int ok, unsigned char *out)
{
	if (r->version == 4)
		return reply_code(r, ok ? S4_GRANTED : S4_REJECTED, out);
	return reply_code(r, ok ? S5_OK : S5_FAIL, out);
}
