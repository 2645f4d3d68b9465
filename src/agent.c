/*
 * Everything that talks to an ssh-agent, in its protocol
 * (draft-miller-ssh-agent): listing its keys, a stand-in agent that
 * lets xssh choose which agent key libssh offers, and the forwarding
 * of the agent to the destination.
 *
 * libssh 0.10 has an agent client, but only behind
 * ssh_userauth_agent(), which offers every key the agent holds, in
 * the agent's order, and nothing to list keys or to add one.  So xssh
 * speaks the protocol itself, and hands libssh a socketpair whose
 * other end lists just the key xssh wants tried next.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <libssh/callbacks.h>

#include "agent.h"
#include "chain.h"
#include "chanio.h"
#include "fwd.h"

#define AGENT_MAX_MSG	(256 * 1024)

enum {
	AGENT_FAILURE = 5,
	AGENTC_REQUEST_IDENTITIES = 11,
	AGENT_IDENTITIES_ANSWER = 12,
	AGENTC_SIGN_REQUEST = 13,
};

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

	if (wire_string(&w, &p, &n) != 0 || n == 0 || n > 64)
		return NULL;
	return strndup((const char *)p, n);
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
static int
msg_read(int fd, struct wbuf *m)
{
	unsigned char len[4];
	uint32_t n;

	m->len = 0;
	if (read_all(fd, len, 4) != 0)
		return -1;
	n = (uint32_t)len[0] << 24 | (uint32_t)len[1] << 16 |
	    (uint32_t)len[2] << 8 | len[3];
	if (n == 0 || n > AGENT_MAX_MSG)
		return -1;
	if (m->cap < n) {
		m->d = xreallocarray(m->d, 1, n);
		m->cap = n;
	}
	if (read_all(fd, m->d, n) != 0)
		return -1;
	m->len = n;
	return 0;
}

static int
msg_write(int fd, const unsigned char *p, size_t n)
{
	unsigned char len[4] = { n >> 24, n >> 16, n >> 8, n };

	if (write_all(fd, len, 4) != 0)
		return -1;
	return write_all(fd, p, n);
}

int
agent_list(int fd, struct agent_key **keysp, int *np)
{
	struct wbuf m = { 0 };
	struct wire w;
	struct agent_key *keys = NULL;
	const unsigned char *p, *c;
	size_t n, cn;
	uint32_t count, i;
	unsigned char req = AGENTC_REQUEST_IDENTITIES;

	*keysp = NULL;
	*np = 0;
	if (msg_write(fd, &req, 1) != 0 || msg_read(fd, &m) != 0)
		goto fail;
	w.p = m.d + 1;
	w.len = m.len - 1;
	if (m.d[0] != AGENT_IDENTITIES_ANSWER || wire_u32(&w, &count) != 0 ||
	    count > 1024)
		goto fail;
	keys = xcalloc(count ? count : 1, sizeof(*keys));
	for (i = 0; i < count; i++) {
		if (wire_string(&w, &p, &n) != 0 ||
		    wire_string(&w, &c, &cn) != 0) {
			agent_keys_free(keys, i);
			goto fail;
		}
		keys[i].blob = xmalloc(n);
		memcpy(keys[i].blob, p, n);
		keys[i].len = n;
		keys[i].comment = strndup((const char *)c, cn);
	}
	wbuf_free(&m);
	*keysp = keys;
	*np = count;
	return 0;
 fail:
	wbuf_free(&m);
	return -1;
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

/* ------------------------------------------------------------ the shim */

struct agent_shim {
	int	 sp[2];		/* [0] served here, [1] libssh's agent */
	int	 real;		/* the real agent */
	pthread_t thread;
	pthread_mutex_t lock;
	unsigned char *offer, *sign;
	size_t	 offer_len, sign_len;
};

/* Answer one request of libssh's agent client into reply. */
static void
shim_answer(struct agent_shim *s, struct wbuf *req, struct wbuf *reply)
{
	struct wire w = { req->d + 1, req->len - 1 };
	struct wbuf fwd = { 0 };
	const unsigned char *blob, *data;
	size_t blen, dlen;
	uint32_t flags;

	reply->len = 0;
	pthread_mutex_lock(&s->lock);
	switch (req->d[0]) {
	case AGENTC_REQUEST_IDENTITIES:
		wbuf_put_u8(reply, AGENT_IDENTITIES_ANSWER);
		wbuf_put_u32(reply, s->offer != NULL);
		if (s->offer != NULL) {
			wbuf_put_string(reply, s->offer, s->offer_len);
			wbuf_put_string(reply, "xssh", 4);
		}
		break;
	case AGENTC_SIGN_REQUEST:
		/* Only ever the key on offer, signed as told. */
		if (wire_string(&w, &blob, &blen) != 0 ||
		    wire_string(&w, &data, &dlen) != 0 ||
		    wire_u32(&w, &flags) != 0 || s->offer == NULL ||
		    blen != s->offer_len || memcmp(blob, s->offer, blen) != 0)
			break;
		wbuf_put_u8(&fwd, AGENTC_SIGN_REQUEST);
		wbuf_put_string(&fwd, s->sign, s->sign_len);
		wbuf_put_string(&fwd, data, dlen);
		wbuf_put_u32(&fwd, flags);
		if (msg_write(s->real, fwd.d, fwd.len) != 0 ||
		    msg_read(s->real, reply) != 0)
			reply->len = 0;
		wbuf_free(&fwd);
		break;
	}
	pthread_mutex_unlock(&s->lock);
	if (reply->len == 0)
		wbuf_put_u8(reply, AGENT_FAILURE);
}

static void *
shim_thread(void *arg)
{
	struct agent_shim *s = arg;
	struct wbuf req = { 0 }, reply = { 0 };
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (msg_read(s->sp[0], &req) == 0) {
		shim_answer(s, &req, &reply);
		if (msg_write(s->sp[0], reply.d, reply.len) != 0)
			break;
	}
	wbuf_free(&req);
	wbuf_free(&reply);
	return NULL;
}

struct agent_shim *
agent_shim_start(ssh_session session, const char *real_path)
{
	struct agent_shim *s;
	int real, r;

	if ((real = agent_connect(real_path)) == -1)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->real = real;
	pthread_mutex_init(&s->lock, NULL);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s->sp) == -1)
		goto fail;
	/* libssh owns sp[1] from now on and closes it in ssh_free(). */
	if (ssh_set_agent_socket(session, s->sp[1]) != SSH_OK) {
		close(s->sp[1]);
		close(s->sp[0]);
		goto fail;
	}
	if ((r = pthread_create(&s->thread, NULL, shim_thread, s)) != 0) {
		debug("agent: pthread_create: %s", strerror(r));
		shutdown(s->sp[1], SHUT_RDWR);
		close(s->sp[0]);
		goto fail;
	}
	return s;
 fail:
	close(real);
	pthread_mutex_destroy(&s->lock);
	free(s);
	return NULL;
}

void
agent_shim_offer(struct agent_shim *s, const unsigned char *blob, size_t len,
    const unsigned char *sign_blob, size_t sign_len)
{
	pthread_mutex_lock(&s->lock);
	free(s->offer);
	free(s->sign);
	s->offer = s->sign = NULL;
	if (blob != NULL) {
		s->offer = xmalloc(len);
		memcpy(s->offer, blob, len);
		s->offer_len = len;
		if (sign_blob == NULL) {
			sign_blob = blob;
			sign_len = len;
		}
		s->sign = xmalloc(sign_len);
		memcpy(s->sign, sign_blob, sign_len);
		s->sign_len = sign_len;
	}
	pthread_mutex_unlock(&s->lock);
}

/*
 * The thread sees EOF and ends; sp[1] stays open, libssh's to close.
 * Any later ssh_userauth_agent() on the session finds no agent.
 */
void
agent_shim_stop(struct agent_shim *s)
{
	if (s == NULL)
		return;
	shutdown(s->sp[1], SHUT_RDWR);
	pthread_join(s->thread, NULL);
	close(s->sp[0]);
	close(s->real);
	agent_shim_offer(s, NULL, 0, NULL, 0);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* ------------------------------------------------------------ forwarding */

/* One auth-agent@openssh.com channel joined to the local agent. */
struct fwdchan {
	struct fwdchan *next;
	struct chanio io;
};

struct agentfwd {
	struct hop *hop;
	ssh_session session;
	char	*path;
	struct ssh_callbacks_struct cb;
	struct fwdchan *chans;
	unsigned long n_opened;
};

/* What the session's callbacks become when forwarding stops. */
static struct ssh_callbacks_struct no_callbacks;

/*
 * libssh's auth-agent@openssh.com callback: it runs inside libssh's
 * packet handling on the main thread, and only on the destination's
 * session, which asked for the agent.  NULL refuses the channel.
 */
static ssh_channel
on_agent_open(ssh_session session, void *arg)
{
	struct agentfwd *f = arg;
	struct fwdchan *c;
	ssh_channel ch;
	int fd;

	if ((fd = agent_connect(f->path)) == -1) {
		debug("agent forwarding: cannot connect to %s: %s", f->path,
		    strerror(errno));
		return NULL;
	}
	if ((ch = ssh_channel_new(session)) == NULL) {
		close(fd);
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	c = xcalloc(1, sizeof(*c));
	chanio_init(&c->io, ch, CHANIO_STREAM, fd, fd, -1);
	c->next = f->chans;
	f->chans = c;
	f->n_opened++;
	debug("hop %d/%d %s: authentication agent connection %lu",
	    f->hop->index, f->hop->count, f->hop->name, f->n_opened);
	return ch;
}

static void
fwdchan_free(struct fwdchan *c)
{
	chanio_close(&c->io);
	free(c);
}

int
agentfwd_pump(void *arg)
{
	struct agentfwd *f = arg;
	struct fwdchan **cp, *c;
	int moved = 0;

	for (cp = &f->chans; (c = *cp) != NULL;) {
		if (chanio_pump(&c->io) != 0)
			moved = 1;
		if (chanio_done(&c->io)) {
			*cp = c->next;
			fwdchan_free(c);
			moved = 1;
			continue;
		}
		cp = &c->next;
	}
	return moved;
}

int
agentfwd_pollfds(void *arg, struct pollfd *pfd, int max)
{
	struct agentfwd *f = arg;
	struct fwdchan *c;
	int n = 0;

	for (c = f->chans; c != NULL && n < max; c = c->next)
		n += chanio_pollfds(&c->io, &pfd[n], max - n);
	return n;
}

struct agentfwd *
agentfwd_start(struct hop *h, ssh_channel ch)
{
	const char *fa = h->opts.forward_agent_sock, *v;
	struct agentfwd *f;
	struct stat st;
	char *path;
	int fd;

	if (h->opts.forward_agent != 1)
		return NULL;
	/*
	 * As ssh's check_agent_present(): without a reachable agent
	 * (IdentityAgent or SSH_AUTH_SOCK) nothing is requested, even
	 * when ForwardAgent names another socket.
	 */
	if ((path = agent_socket_path(h)) == NULL ||
	    (fd = agent_connect(path)) == -1) {
		debug("no authentication agent: agent forwarding not "
		    "requested");
		free(path);
		return NULL;
	}
	close(fd);
	if (fa != NULL) {
		free(path);
		if (fa[0] == '$' && fa[1] != '{') {
			/* "$VAR": the variable's value, or no forwarding. */
			if ((v = getenv(fa + 1)) == NULL)
				return NULL;
			path = xstrdup(v);
		} else {
			path = options_expand_tokens(&h->opts, h->name, fa);
			if (stat(path, &st) != 0)
				error("Cannot forward agent socket path "
				    "\"%s\": %s", path, strerror(errno));
		}
	}
	f = xcalloc(1, sizeof(*f));
	f->hop = h;
	f->session = h->session;
	f->path = path;
	f->cb.userdata = f;
	f->cb.channel_open_request_auth_agent_function = on_agent_open;
	ssh_callbacks_init(&f->cb);
	ssh_set_callbacks(h->session, &f->cb);
	debug("Requesting authentication agent forwarding.");
	if (ssh_channel_request_auth_agent(ch) != SSH_OK) {
		debug("agent forwarding request failed: %s",
		    ssh_get_error(h->session));
		agentfwd_stop(f);
		return NULL;
	}
	return f;
}

void
agentfwd_stop(struct agentfwd *f)
{
	struct fwdchan *c;

	if (f == NULL)
		return;
	/* No callback may reach f once it is freed. */
	ssh_callbacks_init(&no_callbacks);
	ssh_set_callbacks(f->session, &no_callbacks);
	while ((c = f->chans) != NULL) {
		f->chans = c->next;
		fwdchan_free(c);
	}
	debug("hop %d/%d %s: agent forwarding done, %lu connection%s",
	    f->hop->index, f->hop->count, f->hop->name, f->n_opened,
	    f->n_opened == 1 ? "" : "s");
	free(f->path);
	free(f);
}

/* ------------------------------------------------------------ adding keys */

enum {
	AGENT_SUCCESS = 6,
	AGENTC_ADD_IDENTITY = 17,
	AGENTC_ADD_ID_CONSTRAINED = 25,
	AGENT_CONSTRAIN_LIFETIME = 1,
	AGENT_CONSTRAIN_CONFIRM = 2,
};

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
	type = strndup((const char *)p, n);
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

static void
put_bignum(struct wbuf *b, const BIGNUM *bn)
{
	unsigned char buf[2048];
	int n = BN_num_bytes(bn);

	if (n <= 0 || n > (int)sizeof(buf) - 1) {
		wbuf_put_u32(b, 0);
		return;
	}
	buf[0] = 0;
	BN_bn2bin(bn, buf + 1);
	/* An mpint: a leading zero when the high bit is set. */
	if (buf[1] & 0x80)
		wbuf_put_string(b, buf, n + 1);
	else
		wbuf_put_string(b, buf + 1, n);
	explicit_bzero(buf, sizeof(buf));
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

	*why = "cannot export the key (libssh 0.10)";
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
	if (msg_write(fd, m.d, m.len) == 0 && msg_read(fd, &reply) == 0 &&
	    reply.len >= 1 && reply.d[0] == AGENT_SUCCESS)
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
