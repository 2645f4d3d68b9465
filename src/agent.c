/*
 * Talking to an ssh-agent in its protocol (draft-miller-ssh-agent):
 * key blobs, the socket a hop uses, one message at a time, and the
 * list of keys.  The stand-in agent is agent-shim.c's, forwarding
 * agent-fwd.c's, adding keys agent-add.c's.
 *
 * libssh (0.12 as 0.10) has an agent client, but only behind
 * ssh_userauth_agent(), which offers every key the agent holds, in
 * the agent's order, and nothing to list keys or to add one.  So xssh
 * speaks the protocol itself, and hands libssh a socketpair whose
 * other end lists just the key xssh wants tried next.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "agent.h"
#include "chain.h"
#include "knownhosts.h"

/* ------------------------------------------------------------ key blobs */

int
key_to_blob(ssh_key k, unsigned char **blob, size_t *len)
{
	char *b64 = NULL;

	if (ssh_pki_export_pubkey_base64(k, &b64) != SSH_OK)
		return -1;
	*blob = b64_decode(b64, strlen(b64), len);
	ssh_string_free_char(b64);
	return *blob == NULL ? -1 : 0;
}

/* The key type name a blob starts with, as a new string. */
static char *
blob_type(const unsigned char *blob, size_t len)
{
	struct wire w = { blob, len };
	const unsigned char *p;
	size_t n;
	char *s;

	if (wire_string(&w, &p, &n) != 0 || n == 0 || n > 64 ||
	    memchr(p, '\0', n) != NULL)
		return NULL;
	s = xmalloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

ssh_key
key_from_blob(const unsigned char *blob, size_t len)
{
	char *type, *b64;
	ssh_key k = NULL;

	if ((type = blob_type(blob, len)) == NULL)
		return NULL;
	b64 = b64_encode(blob, len, 1);
	if (ssh_pki_import_pubkey_base64(b64, ssh_key_type_from_name(type),
	    &k) != SSH_OK)
		k = NULL;
	free(b64);
	free(type);
	return k;
}

#define CERT_SUFFIX	"-cert-v01@openssh.com"

int
blob_is_cert(const unsigned char *blob, size_t len)
{
	char *type = blob_type(blob, len);
	size_t n;
	int r;

	if (type == NULL)
		return 0;
	n = strlen(type);
	r = n > strlen(CERT_SUFFIX) &&
	    strcmp(type + n - strlen(CERT_SUFFIX), CERT_SUFFIX) == 0;
	free(type);
	return r;
}

/* How many public fields follow the type in a plain key blob. */
static int
public_fields(const char *type)
{
	if (strcmp(type, "ssh-ed25519") == 0)
		return 1;
	if (strcmp(type, "ssh-rsa") == 0 || strncmp(type, "ecdsa-sha2-", 11) ==
	    0 || strcmp(type, "sk-ssh-ed25519@openssh.com") == 0)
		return 2;
	if (strncmp(type, "sk-ecdsa-sha2-", 14) == 0)
		return 3;
	if (strcmp(type, "ssh-dss") == 0)
		return 4;
	return -1;
}

/*
 * The plain key of a certificate: a certificate blob is the cert type,
 * a nonce, then the public fields of the plain key in its own order.
 */
int
cert_plain_blob(const unsigned char *blob, size_t len, unsigned char **out,
    size_t *outlen)
{
	struct wire w = { blob, len };
	struct wbuf b = { 0 };
	const unsigned char *p, *start;
	char *type;
	size_t n;
	int i, nf;

	if (!blob_is_cert(blob, len) || (type = blob_type(blob, len)) == NULL)
		return -1;
	type[strlen(type) - strlen(CERT_SUFFIX)] = '\0';
	nf = public_fields(type);
	if (nf < 0 || wire_string(&w, &p, &n) != 0 ||	/* type */
	    wire_string(&w, &p, &n) != 0) {		/* nonce */
		free(type);
		return -1;
	}
	start = w.p;
	for (i = 0; i < nf; i++) {
		if (wire_string(&w, &p, &n) != 0) {
			free(type);
			return -1;
		}
	}
	wbuf_put_string(&b, type, strlen(type));
	wbuf_put(&b, start, w.p - start);
	free(type);
	*out = b.d;
	*outlen = b.len;
	return 0;
}

/* "ED25519 SHA256:...", as ssh names a key in its debug output. */
char *
blob_describe(const unsigned char *blob, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *type, *b64, *out, *cp;
	const char *kind = "unknown";
	int cert;

	type = blob_type(blob, len);
	cert = blob_is_cert(blob, len);
	if (type == NULL)
		kind = "unknown";
	else if (strncmp(type, "ssh-ed25519", 11) == 0)
		kind = cert ? "ED25519-CERT" : "ED25519";
	else if (strncmp(type, "ssh-rsa", 7) == 0)
		kind = cert ? "RSA-CERT" : "RSA";
	else if (strncmp(type, "ecdsa-", 6) == 0)
		kind = cert ? "ECDSA-CERT" : "ECDSA";
	else if (strncmp(type, "ssh-dss", 7) == 0)
		kind = cert ? "DSA-CERT" : "DSA";
	else if (strncmp(type, "sk-", 3) == 0)
		kind = strstr(type, "ed25519") ? "ED25519-SK" : "ECDSA-SK";
	free(type);
	EVP_Digest(blob, len, md, &mdlen, EVP_sha256(), NULL);
	b64 = b64_encode(md, mdlen, 0);
	if ((cp = strchr(b64, '=')) != NULL)
		*cp = '\0';
	xasprintf(&out, "%s SHA256:%s", kind, b64);
	free(b64);
	return out;
}

/* ------------------------------------------------------------ the agent */

char *
agent_socket_path(const struct hop *h)
{
	const char *a = h->opts.identity_agent, *v;

	if (a == NULL || strcmp(a, "SSH_AUTH_SOCK") == 0) {
		v = getenv("SSH_AUTH_SOCK");
		return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
	}
	if (strcmp(a, "none") == 0)
		return NULL;
	/* ssh's legacy form: "$VAR" names the variable holding the path. */
	if (a[0] == '$' && a[1] != '{') {
		v = getenv(a + 1);
		return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
	}
	return options_expand_tokens(&h->opts, h->name, a);
}

int
agent_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	if (path == NULL || strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		int save = errno;

		close(fd);
		errno = save;
		return -1;
	}
	return fd;
}

static int
write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			poll(&pfd, 1, -1);
			continue;
		}
		if (w <= 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

static int
read_all(int fd, void *buf, size_t n)
{
	char *p = buf;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t r;

	while (n > 0) {
		r = read(fd, p, n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			poll(&pfd, 1, -1);
			continue;
		}
		if (r <= 0)
			return -1;
		p += r;
		n -= r;
	}
	return 0;
}

/* One agent message: a length, then that many bytes. */
int
agent_msg_read(int fd, struct wbuf *m)
{
	unsigned char buf[4096];
	uint32_t n;
	size_t chunk;

	wbuf_reset(m);
	if (read_all(fd, buf, 4) != 0)
		return -1;
	if ((n = get_u32(buf)) == 0 || n > AGENT_MAX_MSG)
		return -1;
	/* As it comes, so that a length alone allocates nothing. */
	for (; n > 0; n -= chunk) {
		chunk = n < sizeof(buf) ? n : sizeof(buf);
		if (read_all(fd, buf, chunk) != 0 ||
		    wbuf_put(m, buf, chunk) != 0) {
			explicit_bzero(buf, sizeof(buf));
			wbuf_reset(m);
			return -1;
		}
	}
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

int
agent_msg_write(int fd, const unsigned char *p, size_t n)
{
	unsigned char len[4];

	if (n > AGENT_MAX_MSG)
		return -1;
	put_u32(len, n);
	if (write_all(fd, len, 4) != 0)
		return -1;
	return write_all(fd, p, n);
}

/*
 * The name a key blob starts with is one ssh knows (else the key is
 * skipped, as ssh_fetch_identitylist() skips it).
 */
static int
known_type(const unsigned char *blob, size_t len)
{
	char *type = blob_type(blob, len);
	int r;

	r = type != NULL && strcmp(kh_key_kind(type), "unknown") != 0;
	free(type);
	return r;
}

int
agent_parse_identities(const unsigned char *msg, size_t len,
    struct agent_key **keysp, int *np)
{
	struct agent_key *keys;
	struct kh_key k;
	struct wire w;
	const unsigned char *p, *c;
	size_t n, cn;
	uint32_t count, i;
	uint8_t type;
	int nk = 0;

	*keysp = NULL;
	*np = 0;
	wire_init(&w, msg, len);
	if (wire_u8(&w, &type) != 0 || type != AGENT_IDENTITIES_ANSWER ||
	    wire_u32(&w, &count) != 0 || count > AGENT_MAX_KEYS)
		return -1;
	/* No more keys than the message could hold (8 bytes each). */
	if (count > w.len / 8)
		return -1;
	keys = xcalloc(count ? count : 1, sizeof(*keys));
	for (i = 0; i < count; i++) {
		if (wire_string(&w, &p, &n) != 0 ||
		    wire_string(&w, &c, &cn) != 0 ||
		    memchr(c, '\0', cn) != NULL)
			goto fail;
		if (!known_type(p, n)) {
			debug2("agent: key of an unknown type skipped");
			continue;
		}
		/* A key ssh would not read spoils the list, as for ssh. */
		if (kh_key_from_blob(p, n, &k) != 0)
			goto fail;
		kh_key_free(&k);
		keys[nk].blob = xmalloc(n);
		memcpy(keys[nk].blob, p, n);
		keys[nk].len = n;
		keys[nk].comment = xmalloc(cn + 1);
		memcpy(keys[nk].comment, c, cn);
		keys[nk].comment[cn] = '\0';
		nk++;
	}
	*keysp = keys;
	*np = nk;
	return 0;
 fail:
	agent_keys_free(keys, nk);
	return -1;
}

int
agent_list(int fd, struct agent_key **keysp, int *np)
{
	struct wbuf m = { 0 };
	unsigned char req = AGENTC_REQUEST_IDENTITIES;
	int r = -1;

	*keysp = NULL;
	*np = 0;
	if (agent_msg_write(fd, &req, 1) == 0 && agent_msg_read(fd, &m) == 0)
		r = agent_parse_identities(m.d, m.len, keysp, np);
	wbuf_free(&m);
	return r;
}

void
agent_keys_free(struct agent_key *k, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(k[i].blob);
		free(k[i].comment);
	}
	free(k);
}
