/*
 * Unit tests for the agent wire helpers (src/agent.c): base64, SSH
 * strings, key blobs, a certificate's plain key and the fingerprint
 * text, against keys made with ssh-keygen.
 */
#include <stdlib.h>
#include <string.h>

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

int
main(void)
{
	test_wire();
	test_base64();
	test_blobs();
	UNIT_END();
}
