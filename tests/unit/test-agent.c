/*
 * Unit tests for the agent wire helpers (src/agent.c): base64, SSH
 * strings, key blobs, a certificate's plain key and the fingerprint
 * text, against keys made with ssh-keygen.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "unit.h"

/* ssh-keygen -t ed25519 -C unit, and its certificate from another key. */
static const char *pub_b64 =
    "AAAAC3NzaC1lZDI1NTE5AAAAINpA3d/EmRLOZJXaL43n4G3yXulTbnmdwGgeh7Y4LTDC";
static const char *pub_fp =
    "ED25519 SHA256:XWSgGEggSJuIKrVwIHjSmDFR2KNLL7ETVV/RL3D8ogE";
static const char *cert_b64 =
    "AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29tAAAAIJG76iP7gj39+GURfB"
    "/M6z68CHViiNpJm3d/8mjXaJW8AAAAINpA3d/EmRLOZJXaL43n4G3yXulTbnmdwGgeh7Y4"
    "LTDCAAAAAAAAAAAAAAABAAAACXVuaXQtdGVzdAAAAAkAAAAFYWxpY2UAAAAAXgvhAAAAAA"
    "DypSOAAAAAAAAAAIIAAAAVcGVybWl0LVgxMS1mb3J3YXJkaW5nAAAAAAAAABdwZXJtaXQt"
    "YWdlbnQtZm9yd2FyZGluZwAAAAAAAAAWcGVybWl0LXBvcnQtZm9yd2FyZGluZwAAAAAAAA"
    "AKcGVybWl0LXB0eQAAAAAAAAAOcGVybWl0LXVzZXItcmMAAAAAAAAAAAAAADMAAAALc3No"
    "LWVkMjU1MTkAAAAgvDJhSkqnaDgdnjdBUAR5VQR4FjXeIa5Y1AKaza7HkFsAAABTAAAAC3"
    "NzaC1lZDI1NTE5AAAAQEWY1plzYOaw8uS12U2s2/Xr+5kUvIVs4zIoPtqm36cJdIPWCXlc"
    "zp1a+oPfwwsnZKUZaop99pkf1+y+XFQ3Vw0=";

static void
test_wire(void)
{
	struct wbuf b = { 0 };
	struct wire w;
	const unsigned char *p;
	size_t n;
	uint32_t v;

	wbuf_put_u8(&b, 13);
	wbuf_put_u32(&b, 0x01020304);
	wbuf_put_string(&b, "abc", 3);
	CHECK_INT("wbuf length", (int)b.len, 1 + 4 + 4 + 3);
	w.p = b.d + 1;
	w.len = b.len - 1;
	CHECK("wire u32", wire_u32(&w, &v) == 0 && v == 0x01020304);
	CHECK("wire string", wire_string(&w, &p, &n) == 0 && n == 3 &&
	    memcmp(p, "abc", 3) == 0);
	CHECK("wire end", wire_u32(&w, &v) == -1);
	/* A length past the end is refused. */
	w.p = (const unsigned char *)"\0\0\0\x09" "abc";
	w.len = 7;
	CHECK("wire short string", wire_string(&w, &p, &n) == -1);
	wbuf_free(&b);
	CHECK("wbuf freed", b.d == NULL && b.len == 0);
}

static void
test_base64(void)
{
	unsigned char *d;
	char *e;
	size_t n;

	d = b64_decode(pub_b64, strlen(pub_b64), &n);
	CHECK("b64 decode", d != NULL && n == 51);
	e = d ? b64_encode(d, n, 1) : NULL;
	CHECK_STR("b64 round trip", e, pub_b64);
	free(d);
	free(e);
	d = b64_decode("YWJj\nZGVm", 9, &n);
	CHECK("b64 with a newline", d != NULL && n == 6 &&
	    memcmp(d, "abcdef", 6) == 0);
	free(d);
	CHECK("b64 bad", b64_decode("a*b=", 4, &n) == NULL);
}

static void
test_blobs(void)
{
	unsigned char *pub, *cert, *plain = NULL;
	size_t plen, clen, n = 0;
	char *fp;
	ssh_key k;

	pub = b64_decode(pub_b64, strlen(pub_b64), &plen);
	cert = b64_decode(cert_b64, strlen(cert_b64), &clen);
	CHECK("blobs decoded", pub != NULL && cert != NULL);
	if (pub == NULL || cert == NULL)
		return;
	CHECK("plain is no cert", !blob_is_cert(pub, plen));
	CHECK("cert is a cert", blob_is_cert(cert, clen));
	CHECK("cert plain key", cert_plain_blob(cert, clen, &plain, &n) == 0);
	CHECK("cert plain key is the key", n == plen && plain != NULL &&
	    memcmp(plain, pub, plen) == 0);
	free(plain);
	plain = NULL;
	CHECK("plain has no plain key",
	    cert_plain_blob(pub, plen, &plain, &n) == -1);
	fp = blob_describe(pub, plen);
	CHECK_STR("fingerprint as ssh-keygen -l", fp, pub_fp);
	free(fp);
	fp = blob_describe(cert, clen);
	CHECK("cert described", fp != NULL &&
	    strncmp(fp, "ED25519-CERT SHA256:", 20) == 0);
	free(fp);
	k = key_from_blob(pub, plen);
	CHECK("key from blob", k != NULL);
	if (k != NULL) {
		unsigned char *again = NULL;
		size_t alen = 0;

		CHECK("blob from key", key_to_blob(k, &again, &alen) == 0 &&
		    alen == plen && memcmp(again, pub, plen) == 0);
		free(again);
		ssh_key_free(k);
	}
	k = key_from_blob(cert, clen);
	CHECK("cert key from blob", k != NULL &&
	    ssh_key_type(k) == SSH_KEYTYPE_ED25519_CERT01);
	ssh_key_free(k);
	free(pub);
	free(cert);
}

/* A message from pieces: u8, u32, string, raw bytes. */
static struct wbuf
msg(const char *fmt, ...)
{
	struct wbuf b = { 0 };
	const char *p;
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt != '\0'; fmt++) {
		switch (*fmt) {
		case 'b':
			wbuf_put_u8(&b, va_arg(ap, int));
			break;
		case 'u':
			wbuf_put_u32(&b, va_arg(ap, uint32_t));
			break;
		case 's':
			p = va_arg(ap, const char *);
			n = va_arg(ap, size_t);
			wbuf_put_string(&b, p, n);
			break;
		case 'r':
			p = va_arg(ap, const char *);
			n = va_arg(ap, size_t);
			wbuf_put(&b, p, n);
			break;
		}
	}
	va_end(ap);
	return b;
}

/*
 * agent_list() against a fake agent (a child on a socketpair) that
 * answers the request with reply: what it gives, as ssh's
 * ssh_fetch_identitylist() would.  -1, or the number of keys.
 */
static int
list_from(struct wbuf *reply, struct agent_key **keys)
{
	unsigned char buf[4096];
	int sp[2], n = -1;
	pid_t pid;

	*keys = NULL;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) != 0)
		return -2;
	if ((pid = fork()) == 0) {
		unsigned char len[4] = { reply->len >> 24, reply->len >> 16,
		    reply->len >> 8, reply->len };

		close(sp[0]);
		if (read(sp[1], buf, 5) != 5)
			_exit(1);
		(void)write(sp[1], len, 4);
		(void)write(sp[1], reply->d, reply->len);
		_exit(0);
	}
	close(sp[1]);
	if (agent_list(sp[0], keys, &n) != 0)
		n = -1;
	close(sp[0]);
	waitpid(pid, NULL, 0);
	wbuf_free(reply);
	return n;
}

static void
test_identities(void)
{
	unsigned char *pub, *cert, bad[51];
	struct agent_key *k;
	struct wbuf b;
	size_t plen, clen, i;
	int n;

	pub = b64_decode(pub_b64, strlen(pub_b64), &plen);
	cert = b64_decode(cert_b64, strlen(cert_b64), &clen);
	if (pub == NULL || cert == NULL)
		return;
	b = msg("bussss", 12, 2, pub, plen, "one", (size_t)3, cert, clen,
	    "two", (size_t)3);
	n = list_from(&b, &k);
	CHECK_INT("list two keys", n, 2);
	if (n == 2) {
		CHECK("list key", k[0].len == plen &&
		    memcmp(k[0].blob, pub, plen) == 0);
		CHECK_STR("list comment", k[1].comment, "two");
	}
	agent_keys_free(k, n > 0 ? n : 0);

	/* An unknown type is skipped, as ssh skips it. */
	b = msg("bussss", 12, 2, "\0\0\0\7ssh-foo", (size_t)11, "x",
	    (size_t)1, pub, plen, "one", (size_t)3);
	n = list_from(&b, &k);
	CHECK_INT("list unknown type skipped", n, 1);
	if (n == 1)
		CHECK_STR("list unknown type skipped: the other kept",
		    k[0].comment, "one");
	agent_keys_free(k, n > 0 ? n : 0);

	/* What spoils the whole answer for ssh spoils it here. */
	memcpy(bad, pub, sizeof(bad));
	bad[18] = 31;		/* a 31-byte Ed25519 key */
	b = msg("busssss", 12, 2, pub, plen, "one", (size_t)3, bad, plen - 1,
	    "two", (size_t)3);
	n = list_from(&b, &k);
	CHECK_INT("list with a malformed key refused", n, -1);
	b = msg("buss", 12, 1, pub, plen, "o\0ne", (size_t)4);
	n = list_from(&b, &k);
	CHECK_INT("list comment with NUL refused", n, -1);
	b = msg("bu", 12, 0xffffffff);
	n = list_from(&b, &k);
	CHECK_INT("list huge count refused", n, -1);
	b = msg("bu", 12, 3);
	for (i = 0; i < 2; i++) {
		wbuf_put_string(&b, pub, plen);
		wbuf_put_string(&b, "c", 1);
	}
	n = list_from(&b, &k);
	CHECK_INT("list count past the keys refused", n, -1);
	b = msg("b", 5);
	CHECK_INT("list failure answer", list_from(&b, &k), -1);
	b = msg("bu", 12, 0);
	CHECK_INT("list no keys", list_from(&b, &k), 0);
	free(k);

	/* ssh takes up to 2048 keys. */
	b = msg("bu", 12, 1500);
	for (i = 0; i < 1500; i++) {
		wbuf_put_string(&b, pub, plen);
		wbuf_put_string(&b, "k", 1);
	}
	n = list_from(&b, &k);
	CHECK_INT("list 1500 keys, as ssh", n, 1500);
	agent_keys_free(k, n > 0 ? n : 0);
	b = msg("bu", 12, 2049);
	for (i = 0; i < 2049; i++) {
		wbuf_put_string(&b, pub, plen);
		wbuf_put_string(&b, "k", 1);
	}
	CHECK_INT("list 2049 keys refused, as ssh", list_from(&b, &k), -1);
	free(pub);
	free(cert);
}

/* agent_msg_read(): lengths checked before anything is read. */
static void
test_messages(void)
{
	static const struct {
		const char *name;
		const char *bytes;
		size_t len;
		int want;
	} v[] = {
		{ "msg good", "\0\0\0\3abc", 7, 0 },
		{ "msg zero length", "\0\0\0\0", 4, -1 },
		{ "msg too long", "\0\x04\0\x01", 4, -1 },
		{ "msg truncated", "\0\0\0\x09" "abc", 7, -1 },
		{ "msg short length", "\0\0", 2, -1 },
	};
	struct wbuf m = { 0 };
	size_t i;
	int sp[2], r;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) != 0)
			return;
		(void)write(sp[1], v[i].bytes, v[i].len);
		close(sp[1]);
		r = agent_msg_read(sp[0], &m);
		CHECK_INT(v[i].name, r, v[i].want);
		close(sp[0]);
	}
	CHECK("msg good kept", socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0 &&
	    write(sp[1], "\0\0\0\2hi", 6) == 6 &&
	    agent_msg_read(sp[0], &m) == 0 && m.len == 2 &&
	    memcmp(m.d, "hi", 2) == 0);
	close(sp[0]);
	close(sp[1]);
	wbuf_free(&m);
}

static void
test_shim(void)
{
	const unsigned char offer[] = "\0\0\0\3key", sign[] = "\0\0\0\4sign";
	struct wbuf out = { 0 }, r;
	struct wire w;
	const unsigned char *p;
	size_t n;
	uint32_t v;

	r = msg("b", 11);
	CHECK_INT("shim identities", agent_shim_request(r.d, r.len, offer, 7,
	    sign, 8, &out), AGENT_SHIM_REPLY);
	wire_init(&w, out.d, out.len);
	CHECK("shim identities: the one key", out.len > 5 && out.d[0] == 12 &&
	    get_u32(out.d + 1) == 1 && (w.p += 5, w.len -= 5,
	    wire_string(&w, &p, &n) == 0) && n == 7 &&
	    memcmp(p, offer, 7) == 0);
	CHECK_INT("shim identities, none on offer", agent_shim_request(r.d,
	    r.len, NULL, 0, NULL, 0, &out), AGENT_SHIM_REPLY);
	CHECK("shim identities, none", out.len == 5 &&
	    get_u32(out.d + 1) == 0);
	wbuf_free(&r);

	r = msg("bssu", 13, offer, (size_t)7, "data", (size_t)4, 4);
	CHECK_INT("shim sign forwarded", agent_shim_request(r.d, r.len,
	    offer, 7, sign, 8, &out), AGENT_SHIM_FORWARD);
	wire_init(&w, out.d + 1, out.len - 1);
	CHECK("shim sign: with the key to sign with", out.d[0] == 13 &&
	    wire_string(&w, &p, &n) == 0 && n == 8 &&
	    memcmp(p, sign, 8) == 0 && wire_string(&w, &p, &n) == 0 &&
	    n == 4 && wire_u32(&w, &v) == 0 && v == 4 && w.len == 0);
	CHECK_INT("shim sign, key not on offer", agent_shim_request(r.d,
	    r.len, sign, 8, sign, 8, &out), AGENT_SHIM_REPLY);
	CHECK("shim sign, key not on offer: failure", out.len == 1 &&
	    out.d[0] == 5);
	CHECK_INT("shim sign truncated", agent_shim_request(r.d, r.len - 1,
	    offer, 7, sign, 8, &out), AGENT_SHIM_REPLY);
	CHECK("shim sign truncated: failure", out.len == 1 && out.d[0] == 5);
	wbuf_free(&r);
	CHECK("shim other request: failure", agent_shim_request(
	    (const unsigned char *)"\x11", 1, offer, 7, sign, 8, &out) ==
	    AGENT_SHIM_REPLY && out.len == 1 && out.d[0] == 5);
	CHECK("shim empty request: failure", agent_shim_request(NULL, 0,
	    offer, 7, sign, 8, &out) == AGENT_SHIM_REPLY && out.len == 1 &&
	    out.d[0] == 5);
	wbuf_free(&out);

	r = msg("bs", 14, "sig", (size_t)3);
	CHECK("sign reply ok", agent_sign_reply_ok(r.d, r.len));
	CHECK("sign reply truncated", !agent_sign_reply_ok(r.d, r.len - 1));
	wbuf_put_u8(&r, 0);
	CHECK("sign reply with more", !agent_sign_reply_ok(r.d, r.len));
	wbuf_free(&r);
	r = msg("bs", 14, "", (size_t)0);
	CHECK("sign reply empty signature", !agent_sign_reply_ok(r.d, r.len));
	wbuf_free(&r);
	CHECK("sign reply failure", !agent_sign_reply_ok(
	    (const unsigned char *)"\x05", 1));
}

int
main(void)
{
	test_wire();
	test_base64();
	test_blobs();
	test_identities();
	test_messages();
	test_shim();
	UNIT_END();
}
