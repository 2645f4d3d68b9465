/*
 * AddKeysToAgent: a private key read from a file, added to the agent
 * in the agent's format (its type, then its private fields).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "agent.h"
#include "xssh.h"

/* How many private fields follow the type in the agent's format. */
static int
private_fields(const char *type)
{
	if (strcmp(type, "ssh-ed25519") == 0)
		return 2;			/* pk, sk */
	if (strncmp(type, "ecdsa-sha2-", 11) == 0)
		return 3;			/* curve, Q, d */
	if (strcmp(type, "ssh-rsa") == 0)
		return 6;			/* n, e, d, iqmp, p, q */
	if (strcmp(type, "ssh-dss") == 0)
		return 5;			/* p, q, g, y, x */
	return -1;
}

/*
 * The key as an OpenSSH private key file has it, unencrypted: the type
 * and the private fields are what the agent takes, in the same order.
 */
static int
openssh_key_fields(const char *pem, struct wbuf *out)
{
	const char *b, *e;
	unsigned char *raw;
	const unsigned char *p, *start;
	struct wire w, sec;
	uint32_t nkeys, c1, c2;
	size_t len, n;
	char *type;
	int i, nf, r = -1;

	if ((b = strstr(pem, "-----BEGIN OPENSSH PRIVATE KEY-----")) == NULL ||
	    (e = strstr(b, "-----END OPENSSH PRIVATE KEY-----")) == NULL)
		return -1;
	b += strlen("-----BEGIN OPENSSH PRIVATE KEY-----");
	if ((raw = b64_decode(b, e - b, &len)) == NULL)
		return -1;
	w.p = raw;
	w.len = len;
	if (len < 15 || memcmp(raw, "openssh-key-v1", 15) != 0)
		goto out;
	w.p += 15;
	w.len -= 15;
	if (wire_string(&w, &p, &n) != 0 || n != 4 ||
	    memcmp(p, "none", 4) != 0 ||		/* cipher */
	    wire_string(&w, &p, &n) != 0 ||		/* kdf */
	    wire_string(&w, &p, &n) != 0 ||		/* kdf options */
	    wire_u32(&w, &nkeys) != 0 || nkeys != 1 ||
	    wire_string(&w, &p, &n) != 0 ||		/* public key */
	    wire_string(&w, &sec.p, &sec.len) != 0 ||
	    wire_u32(&sec, &c1) != 0 || wire_u32(&sec, &c2) != 0 || c1 != c2)
		goto out;
	start = sec.p;
	if (wire_string(&sec, &p, &n) != 0)
		goto out;
	type = xmalloc(n + 1);
	memcpy(type, p, n);
	type[n] = '\0';
	nf = private_fields(type);
	free(type);
	for (i = 0; nf > 0 && i < nf; i++)
		if (wire_string(&sec, &p, &n) != 0)
			goto out;
	if (nf > 0) {
		wbuf_put(out, start, sec.p - start);
		r = 0;
	}
 out:
	explicit_bzero(raw, len);
	free(raw);
	return r;
}

/* A bignum as an mpint, whatever its size (a 16384-bit RSA key too). */
static void
put_bignum(struct wbuf *b, const BIGNUM *bn)
{
	int n = BN_num_bytes(bn);
	unsigned char *buf = xmalloc(n > 0 ? n : 1);

	if (n > 0)
		BN_bn2bin(bn, buf);
	wbuf_put_mpint(b, buf, n > 0 ? n : 0);
	explicit_bzero(buf, n > 0 ? n : 1);
	free(buf);
}

/* An ECDSA (or RSA) key that libssh exported as PKCS#8 PEM. */
static int
pem_key_fields(const char *pem, struct wbuf *out)
{
	static const char *const rsa[] = { "n", "e", "d", "rsa-coefficient1",
	    "rsa-factor1", "rsa-factor2" };
	EVP_PKEY *pk;
	BIO *bio;
	BIGNUM *bn = NULL;
	unsigned char q[256];
	char group[64], type[64];
	const char *curve;
	size_t qlen = 0, glen = 0;
	int r = -1;
	size_t i;

	if ((bio = BIO_new_mem_buf(pem, -1)) == NULL)
		return -1;
	/* A passphrase, so that OpenSSL never asks on the terminal. */
	pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"");
	BIO_free(bio);
	if (pk == NULL)
		return -1;
	if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA) {
		wbuf_put_string(out, "ssh-rsa", 7);
		for (i = 0; i < sizeof(rsa) / sizeof(rsa[0]); i++) {
			if (!EVP_PKEY_get_bn_param(pk, rsa[i], &bn))
				goto out;
			put_bignum(out, bn);
			BN_clear_free(bn);
			bn = NULL;
		}
		r = 0;
	} else if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_EC) {
		if (!EVP_PKEY_get_utf8_string_param(pk, "group", group,
		    sizeof(group), &glen) ||
		    !EVP_PKEY_get_octet_string_param(pk, "encoded-pub-key", q,
		    sizeof(q), &qlen) || !EVP_PKEY_get_bn_param(pk, "priv", &bn))
			goto out;
		if (strcmp(group, "prime256v1") == 0)
			curve = "nistp256";
		else if (strcmp(group, "secp384r1") == 0)
			curve = "nistp384";
		else if (strcmp(group, "secp521r1") == 0)
			curve = "nistp521";
		else
			goto out;
		snprintf(type, sizeof(type), "ecdsa-sha2-%s", curve);
		wbuf_put_string(out, type, strlen(type));
		wbuf_put_string(out, curve, strlen(curve));
		wbuf_put_string(out, q, qlen);
		put_bignum(out, bn);
		r = 0;
	}
 out:
	BN_clear_free(bn);
	EVP_PKEY_free(pk);
	return r;
}

int
agent_add_key(const char *path, ssh_key key, const char *comment,
    int lifetime, int confirm, const char **why)
{
	struct wbuf m = { 0 }, reply = { 0 };
	char *pem = NULL;
	int fd, r = -1;

	*why = "libssh cannot export the key";
	if (ssh_pki_export_privkey_base64(key, NULL, NULL, NULL, &pem) !=
	    SSH_OK)
		return -1;
	wbuf_put_u8(&m, lifetime > 0 || confirm ? AGENTC_ADD_ID_CONSTRAINED :
	    AGENTC_ADD_IDENTITY);
	if (openssh_key_fields(pem, &m) != 0 && pem_key_fields(pem, &m) != 0)
		goto out;
	wbuf_put_string(&m, comment, strlen(comment));
	if (lifetime > 0) {
		wbuf_put_u8(&m, AGENT_CONSTRAIN_LIFETIME);
		wbuf_put_u32(&m, lifetime);
	}
	if (confirm)
		wbuf_put_u8(&m, AGENT_CONSTRAIN_CONFIRM);
	if ((fd = agent_connect(path)) == -1) {
		*why = strerror(errno);
		goto out;
	}
	*why = "the agent refused it";
	if (agent_msg_write(fd, m.d, m.len) == 0 &&
	    agent_msg_read(fd, &reply) == 0 && reply.len >= 1 &&
	    reply.d[0] == AGENT_SUCCESS)
		r = 0;
	close(fd);
 out:
	if (pem != NULL) {
		explicit_bzero(pem, strlen(pem));
		ssh_string_free_char(pem);
	}
	wbuf_free(&m);
	wbuf_free(&reply);
	return r;
}
