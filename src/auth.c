/*
 * User authentication of one hop, as ssh's sshconnect2.c does it, with
 * that hop's own options; the loop is ours, not libssh's
 * publickey_auto (which writes missing .pub files, tries the agent
 * whatever IdentitiesOnly says, and knows no certificates).
 *
 * "none" comes first (it also lets libssh take the server's signature
 * algorithms before a key is offered, and shows a banner).  Then the
 * methods of PreferredAuthentications that the server lists and the
 * configuration allows, each tried until it sends nothing more:
 *
 *   publickey   the keys in ssh's order (pubkey_prepare): certificates
 *               of CertificateFile; agent keys that are also identity
 *               files; the agent's other keys unless IdentitiesOnly;
 *               then the identity files (each with its "-cert"
 *               variant).  A key's public half is offered before its
 *               private half is read, so passphrases are asked only
 *               for keys the server would take.
 *   keyboard-interactive, password
 *               with NumberOfPasswordPrompts tries, never in BatchMode.
 *
 * When the server's list changes (partial success), the choice starts
 * over from the top of the list, as in ssh.  Every question goes
 * through prompt_read() and, in a chain, names its hop; each hop has
 * its own session, so an answer only ever goes to the hop it names.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "chain.h"
#include "prompt.h"
#include "sshlib.h"

#define DEFAULT_PREFERRED \
	"gssapi-with-mic,publickey,keyboard-interactive,password"
#define KEYFILE_MAX	(1024 * 1024)
#define NOT_SENT	(-100)	/* the method had nothing (more) to try */

/* ssh's default identities: not "user provided" (quieter messages). */
static const char *const default_ids[] = {
	"~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ecdsa_sk",
	"~/.ssh/id_ed25519", "~/.ssh/id_ed25519_sk", "~/.ssh/id_xmss",
	"~/.ssh/id_dsa",
};

/* One key to try. */
struct ident {
	struct ident *next;
	char	*path;		/* private key file, certificate file, or
				   the agent's comment for an agent key */
	unsigned char *blob;	/* public key or certificate; NULL when only
				   the private key can tell */
	size_t	 len;
	unsigned char *plain;	/* a certificate's plain key */
	size_t	 plain_len;
	int	 agent;		/* its private half is in the agent */
	int	 certfile;	/* from CertificateFile: path is the cert */
	int	 userprovided;	/* not one of ssh's default files */
	int	 tried;
};

struct authctx {
	struct hop *h;
	char	 prefix[300];	/* "(hop 2/3 name) " in a chain */
	const char *host;	/* for prompts: HostKeyAlias or HostName */

	int	 keys_ready;
	struct ident *keys;
	char	*agent_path;	/* NULL: no agent */
	struct agent_shim *shim;

	int	 pw_attempts;
	int	 kbd_attempts;
	int	 kbd_info_seen;
};

struct method {
	const char *name;
	int	 bit;
	int	 (*fn)(struct authctx *);
	int	 disabled;	/* sent nothing last time: never again */
};

/* Server methods in the order sshd lists them. */
static const struct {
	int	 bit;
	const char *name;
} server_methods[] = {
	{ SSH_AUTH_METHOD_PUBLICKEY, "publickey" },
	{ SSH_AUTH_METHOD_GSSAPI_MIC, "gssapi-with-mic" },
	{ SSH_AUTH_METHOD_PASSWORD, "password" },
	{ SSH_AUTH_METHOD_INTERACTIVE, "keyboard-interactive" },
	{ SSH_AUTH_METHOD_HOSTBASED, "hostbased" },
};

static void
method_list(int bits, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(server_methods) / sizeof(server_methods[0]);
	    i++)
		if ((bits & server_methods[i].bit) && off < len)
			off += snprintf(buf + off, len - off, "%s%s",
			    off ? "," : "", server_methods[i].name);
}

/* ------------------------------------------------------------ key files */

static char *
read_small_file(const char *path, size_t *lenp)
{
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	buf = xmalloc(KEYFILE_MAX + 1);
	while (len < KEYFILE_MAX &&
	    (n = read(fd, buf + len, KEYFILE_MAX - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* A public key or certificate file: "type base64 [comment]". */
static int
pubfile_load(const char *path, unsigned char **blob, size_t *len)
{
	char *text, *line, *save = NULL, *type, *b64;
	struct wire w;
	const unsigned char *p;
	size_t n, flen;
	int ok = 0;

	if ((text = read_small_file(path, &flen)) == NULL)
		return -1;
	for (line = strtok_r(text, "\n", &save); line != NULL && !ok;
	    line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " \t\r");
		if (*line == '#' || *line == '\0')
			continue;
		type = strtok(line, " \t\r");
		b64 = strtok(NULL, " \t\r");
		if (type == NULL || b64 == NULL ||
		    (*blob = b64_decode(b64, strlen(b64), len)) == NULL)
			break;
		w.p = *blob;
		w.len = *len;
		if (wire_string(&w, &p, &n) == 0 && n == strlen(type) &&
		    memcmp(p, type, n) == 0) {
			ok = 1;
			break;
		}
		free(*blob);
		break;
	}
	explicit_bzero(text, flen);
	free(text);
	return ok ? 0 : -1;
}

/* What a private key file tells without its passphrase. */
struct keyfile {
	int	 encrypted;
	unsigned char *pub;	/* from an OpenSSH-format file */
	size_t	 pub_len;
};

#define OPENSSH_BEGIN	"-----BEGIN OPENSSH PRIVATE KEY-----"
#define OPENSSH_END	"-----END OPENSSH PRIVATE KEY-----"
#define OPENSSH_MAGIC	"openssh-key-v1"

static int
keyfile_peek(const char *path, struct keyfile *kf)
{
	char *text, *b, *e;
	unsigned char *raw = NULL;
	const unsigned char *p;
	struct wire w;
	size_t len, n;
	uint32_t nkeys;

	memset(kf, 0, sizeof(*kf));
	if ((text = read_small_file(path, &len)) == NULL)
		return -1;
	if ((b = strstr(text, OPENSSH_BEGIN)) != NULL &&
	    (e = strstr(b, OPENSSH_END)) != NULL) {
		b += strlen(OPENSSH_BEGIN);
		if ((raw = b64_decode(b, e - b, &len)) != NULL &&
		    len > sizeof(OPENSSH_MAGIC) &&
		    memcmp(raw, OPENSSH_MAGIC, sizeof(OPENSSH_MAGIC)) == 0) {
			w.p = raw + sizeof(OPENSSH_MAGIC);
			w.len = len - sizeof(OPENSSH_MAGIC);
			if (wire_string(&w, &p, &n) == 0)	/* cipher */
				kf->encrypted = !(n == 4 &&
				    memcmp(p, "none", 4) == 0);
			if (wire_string(&w, &p, &n) == 0 &&	/* kdf */
			    wire_string(&w, &p, &n) == 0 &&	/* options */
			    wire_u32(&w, &nkeys) == 0 && nkeys >= 1 &&
			    wire_string(&w, &p, &n) == 0) {
				kf->pub = xmalloc(n);
				memcpy(kf->pub, p, n);
				kf->pub_len = n;
			}
		}
		free(raw);
	} else if (strstr(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----") !=
	    NULL || strstr(text, "Proc-Type: 4,ENCRYPTED") != NULL)
		kf->encrypted = 1;
	explicit_bzero(text, len);
	free(text);
	return 0;
}

/*
 * The public half of an identity file, as ssh's sshkey_load_public():
 * the file itself when it is a public key, FILE.pub, the public part
 * of an OpenSSH-format private key, or an unencrypted PEM key.
 */
static int
identity_public(const char *path, unsigned char **blob, size_t *len)
{
	struct keyfile kf;
	ssh_key priv = NULL, pub = NULL;
	char *pubpath;
	int r;

	if (pubfile_load(path, blob, len) == 0)
		return 0;
	xasprintf(&pubpath, "%s.pub", path);
	r = pubfile_load(pubpath, blob, len);
	free(pubpath);
	if (r == 0)
		return 0;
	if (keyfile_peek(path, &kf) != 0)
		return -1;
	if (kf.pub != NULL) {
		*blob = kf.pub;
		*len = kf.pub_len;
		return 0;
	}
	if (kf.encrypted)
		return -1;
	/* "" and not NULL: NULL would let OpenSSL ask on the terminal. */
	if (ssh_pki_import_privkey_file(path, "", NULL, NULL, &priv) != SSH_OK)
		return -1;
	r = ssh_pki_export_privkey_to_pubkey(priv, &pub) == SSH_OK &&
	    key_to_blob(pub, blob, len) == 0 ? 0 : -1;
	ssh_key_free(priv);
	ssh_key_free(pub);
	return r;
}

/* ssh's sshkey_perm_ok(), with its words. */
static int
perm_ok(int fd, const char *path)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return 0;
	if (st.st_uid == getuid() && (st.st_mode & 077) != 0) {
		error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
		error("@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @");
		error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
		error("Permissions 0%3.3o for '%s' are too open.",
		    (unsigned)st.st_mode & 0777, path);
		error("It is required that your private key files are NOT "
		    "accessible by others.");
		error("This private key will be ignored.");
		return 0;
	}
	return 1;
}

/*
 * AddKeysToAgent, as ssh's maybe_add_key_to_agent(): a key read from a
 * file goes to the agent, after a question with "ask" (an empty answer
 * or "yes" agrees), with the agent asking each use with "confirm".
 * The comment is the file's name (libssh does not give the key's own).
 */
static void
maybe_add_key(struct authctx *a, const char *path, ssh_key priv)
{
	const struct options *o = &a->h->opts;
	char prompt[600], *sock, *ans;
	const char *why;
	int ok;

	if (o->add_keys_to_agent <= 0)
		return;
	if ((sock = agent_socket_path(a->h)) == NULL) {
		debug3("no authentication agent, not adding key");
		return;
	}
	if (o->add_keys_to_agent == 2) {
		snprintf(prompt, sizeof(prompt), "%sAdd key %s (%s) to agent?",
		    a->prefix, path, path);
		ans = o->batch_mode == 1 ? NULL :
		    prompt_read(prompt, PROMPT_ECHO | PROMPT_CONFIRM);
		ok = ans != NULL && (*ans == '\0' || strcasecmp(ans, "yes") == 0);
		prompt_free(ans);
		if (!ok) {
			debug3("user denied adding this key");
			free(sock);
			return;
		}
	}
	if (agent_add_key(sock, priv, path, o->add_keys_to_agent_lifespan,
	    o->add_keys_to_agent == 3, &why) == 0)
		debug("identity added to agent: %s", path);
	else
		debug("could not add identity to agent: %s (%s)", path, why);
	free(sock);
}

/*
 * The private key of an identity file, as ssh's load_identity_file():
 * refused when others can read it; a passphrase asked for at most
 * NumberOfPasswordPrompts times (never in BatchMode), an empty answer
 * giving up on the key.  NULL when it cannot be had.
 */
static ssh_key
load_private(struct authctx *a, const char *path, int userprovided)
{
	const struct options *o = &a->h->opts;
	struct keyfile kf;
	ssh_key priv = NULL;
	char prompt[512], *pp;
	int fd, i, ok;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_msg(userprovided ? LOG_INFO : LOG_DEBUG3,
		    "no such identity: %s: %s", path, strerror(errno));
		return NULL;
	}
	ok = perm_ok(fd, path);
	close(fd);
	if (!ok) {
		error("Load key \"%s\": bad permissions", path);
		return NULL;
	}
	if (keyfile_peek(path, &kf) != 0) {
		error("Load key \"%s\": %s", path, strerror(errno));
		return NULL;
	}
	free(kf.pub);
	if (!kf.encrypted) {
		if (ssh_pki_import_privkey_file(path, "", NULL, NULL, &priv) ==
		    SSH_OK) {
			maybe_add_key(a, path, priv);
			return priv;
		}
		error("Load key \"%s\": invalid format", path);
		return NULL;
	}
	if (o->batch_mode == 1) {
		debug("%s: passphrase needed, but BatchMode is on", path);
		return NULL;
	}
	snprintf(prompt, sizeof(prompt), "%sEnter passphrase for key "
	    "'%.100s': ", a->prefix, path);
	for (i = 0; i < o->number_of_password_prompts; i++) {
		if ((pp = prompt_read(prompt, 0)) == NULL || *pp == '\0') {
			debug2("no passphrase given, try next key");
			prompt_free(pp);
			return NULL;
		}
		if (ssh_pki_import_privkey_file(path, pp, NULL, NULL, &priv) ==
		    SSH_OK) {
			prompt_free(pp);
			maybe_add_key(a, path, priv);
			return priv;
		}
		prompt_free(pp);
		debug2("bad passphrase given, try again...");
	}
	return NULL;
}

/* ------------------------------------------------------------ identities */

static struct ident *
ident_new(const char *path, unsigned char *blob, size_t len)
{
	struct ident *id = xcalloc(1, sizeof(*id));

	id->path = xstrdup(path);
	id->blob = blob;
	id->len = len;
	if (blob != NULL && blob_is_cert(blob, len) &&
	    cert_plain_blob(blob, len, &id->plain, &id->plain_len) != 0) {
		id->plain = NULL;
		id->plain_len = 0;
	}
	return id;
}

static void
ident_free(struct ident *id)
{
	free(id->path);
	free(id->blob);
	free(id->plain);
	free(id);
}

static int
blob_eq(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	return a != NULL && b != NULL && alen == blen &&
	    memcmp(a, b, alen) == 0;
}

static char *
ident_label(const struct ident *id)
{
	char *d = id->blob ? blob_describe(id->blob, id->len) : NULL, *out;

	xasprintf(&out, "%s%s%s%s%s", id->path, d ? " " : "", d ? d : "",
	    id->userprovided ? " explicit" : "", id->agent ? " agent" : "");
	free(d);
	return out;
}

static void
append(struct ident ***tail, struct ident *id)
{
	id->next = NULL;
	**tail = id;
	*tail = &id->next;
}

static int
is_default_identity(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(default_ids) / sizeof(default_ids[0]); i++)
		if (strcmp(s, default_ids[i]) == 0)
			return 1;
	return 0;
}

/* ssh's load_public_identity_files() and pubkey_prepare(). */
static void
keys_prepare(struct authctx *a)
{
	struct hop *h = a->h;
	const struct options *o = &h->opts;
	struct ident *files = NULL, **ftail = &files;
	struct ident *pref = NULL, **ptail = &pref;
	struct ident *agentl = NULL, **atail = &agentl;
	struct ident *id, **ip;
	struct agent_key *ak = NULL;
	unsigned char *blob;
	char *path, *cp, *label;
	size_t len;
	int i, nak = 0, fd, up, r;

	a->keys_ready = 1;
	for (i = 0; i < o->identity_files.n; i++) {
		if (strcasecmp(o->identity_files.v[i], "none") == 0)
			continue;
		up = !is_default_identity(o->identity_files.v[i]);
		path = options_expand_tokens(o, h->name,
		    o->identity_files.v[i]);
		if (identity_public(path, &blob, &len) != 0)
			blob = NULL;
		id = ident_new(path, blob, blob ? len : 0);
		id->userprovided = up;
		append(&ftail, id);
		debug("identity file %s type %s", path, blob ? "known" : "-1");
		/* Its "-cert" variant, unless certificates are listed. */
		if (o->certificate_files.n == 0) {
			xasprintf(&cp, "%s-cert", path);
			if ((r = pubfile_load(cp, &blob, &len)) != 0) {
				free(cp);
				xasprintf(&cp, "%s-cert.pub", path);
				r = pubfile_load(cp, &blob, &len);
			}
			if (r == 0) {
				if (blob_is_cert(blob, len)) {
					id = ident_new(path, blob, len);
					id->userprovided = up;
					append(&ftail, id);
					debug("identity file %s type cert",
					    cp);
				} else
					free(blob);
			}
			free(cp);
		}
		free(path);
	}
	for (i = 0; i < o->certificate_files.n; i++) {
		path = options_expand_tokens(o, h->name,
		    o->certificate_files.v[i]);
		if (pubfile_load(path, &blob, &len) != 0) {
			debug("certificate file %s: cannot load", path);
		} else if (!blob_is_cert(blob, len)) {
			debug("certificate file %s is not a certificate",
			    path);
			free(blob);
		} else {
			id = ident_new(path, blob, len);
			id->certfile = 1;
			id->userprovided = 1;
			append(&ptail, id);
		}
		free(path);
	}

	/* The agent's keys: those of identity files first, in its order. */
	if ((a->agent_path = agent_socket_path(h)) != NULL) {
		if ((fd = agent_connect(a->agent_path)) == -1) {
			debug("agent %s: %s", a->agent_path, strerror(errno));
			free(a->agent_path);
			a->agent_path = NULL;
		} else {
			if (agent_list(fd, &ak, &nak) != 0)
				debug("agent %s: cannot list keys",
				    a->agent_path);
			close(fd);
		}
	}
	for (i = 0; i < nak; i++) {
		for (ip = &files; (id = *ip) != NULL; ip = &id->next)
			if (blob_eq(id->blob, id->len, ak[i].blob, ak[i].len))
				break;
		if (id != NULL) {
			*ip = id->next;
			if (ftail == &id->next)
				ftail = ip;
			id->agent = 1;
			append(&ptail, id);
		} else if (o->identities_only != 1) {
			id = ident_new(ak[i].comment, ak[i].blob, ak[i].len);
			ak[i].blob = NULL;
			id->agent = 1;
			append(&atail, id);
		}
	}
	agent_keys_free(ak, nak);
	if (agentl != NULL) {
		*ptail = agentl;
		ptail = atail;
	}
	*ptail = files;
	a->keys = pref;
	for (id = a->keys; id != NULL; id = id->next) {
		label = ident_label(id);
		debug("Will attempt key: %s", label);
		free(label);
	}
}

static void
keys_free(struct authctx *a)
{
	struct ident *id;

	while ((id = a->keys) != NULL) {
		a->keys = id->next;
		ident_free(id);
	}
	agent_shim_stop(a->shim);
	a->shim = NULL;
	free(a->agent_path);
	a->agent_path = NULL;
}

/* Through the agent: offer blob, have the agent sign as sign_blob. */
static int
agent_auth(struct authctx *a, const unsigned char *blob, size_t len,
    const unsigned char *sign_blob, size_t sign_len)
{
	if (a->shim == NULL && a->agent_path != NULL &&
	    (a->shim = agent_shim_start(a->h->session, a->agent_path)) ==
	    NULL) {
		debug("agent %s: cannot use it", a->agent_path);
		free(a->agent_path);
		a->agent_path = NULL;
	}
	if (a->shim == NULL)
		return SSH_AUTH_DENIED;
	agent_shim_offer(a->shim, blob, len, sign_blob, sign_len);
	return ssh_userauth_agent(a->h->session, NULL);
}

/* The key that signs for a certificate: its plain key, if known. */
static struct ident *
cert_signer(struct authctx *a, const struct ident *cert)
{
	struct ident *id;

	for (id = a->keys; id != NULL; id = id->next)
		if (id != cert && blob_eq(id->blob, id->len, cert->plain,
		    cert->plain_len))
			return id;
	return NULL;
}

static int
sign_with_file(struct authctx *a, const char *path, int userprovided,
    ssh_key cert)
{
	ssh_key priv;
	int rc;

	if ((priv = load_private(a, path, userprovided)) == NULL)
		return SSH_AUTH_DENIED;
	/*
	 * libssh 0.12 reads security-key (sk-) files, but xssh's build has
	 * no FIDO support to sign with them: as ssh without its device,
	 * say so and go on to the next key rather than fail the hop.
	 */
	switch (ssh_key_type(priv)) {
	case SSH_KEYTYPE_SK_ECDSA:
	case SSH_KEYTYPE_SK_ED25519:
	case SSH_KEYTYPE_SK_ECDSA_CERT01:
	case SSH_KEYTYPE_SK_ED25519_CERT01:
		debug("sign_and_send_pubkey: signing failed for %s \"%s\": "
		    "security keys are not supported by this build",
		    ssh_key_type_to_char(ssh_key_type(priv)), path);
		ssh_key_free(priv);
		return SSH_AUTH_DENIED;
	default:
		break;
	}
	if (cert != NULL && ssh_pki_copy_cert_to_privkey(cert, priv) !=
	    SSH_OK) {
		debug("%s: the certificate does not match the key", path);
		ssh_key_free(priv);
		return SSH_AUTH_DENIED;
	}
	rc = ssh_userauth_publickey(a->h->session, NULL, priv);
	ssh_key_free(priv);
	return rc;
}

/*
 * Whether a key can be sent signed at once, without first asking the
 * server whether it would take it: a plain key in a file that needs
 * no passphrase, with AddKeysToAgent off (that adds the keys used, and
 * ssh uses only the ones the server took).  The query costs a round
 * trip per hop; a signature sent for a key the server refuses costs a
 * little CPU and counts as one failed attempt, as the query does.
 */
static int
sign_at_once(const struct authctx *a, const struct ident *id)
{
	struct keyfile kf;

	if (id->agent || id->plain != NULL || id->certfile ||
	    id->path == NULL || a->h->opts.add_keys_to_agent > 0)
		return 0;
	if (keyfile_peek(id->path, &kf) != 0)
		return 0;
	free(kf.pub);
	return !kf.encrypted;
}

/* One identity, as ssh's userauth_pubkey() tries it. */
static int
try_ident(struct authctx *a, struct ident *id)
{
	ssh_session s = a->h->session;
	struct ident *signer;
	ssh_key key;
	char *label = ident_label(id);
	int rc;

	if (id->agent) {
		debug("Offering public key: %s", label);
		rc = agent_auth(a, id->blob, id->len, id->plain,
		    id->plain_len);
		goto out;
	}
	if (id->blob == NULL) {
		debug("Trying private key: %s", id->path);
		rc = sign_with_file(a, id->path, id->userprovided, NULL);
		goto out;
	}
	if ((key = key_from_blob(id->blob, id->len)) == NULL) {
		debug("%s: unusable key", label);
		rc = SSH_AUTH_DENIED;
		goto out;
	}
	debug("Offering public key: %s", label);
	if (sign_at_once(a, id)) {
		debug2("%s: not encrypted, sent signed without a query",
		    id->path);
		ssh_key_free(key);
		rc = sign_with_file(a, id->path, id->userprovided, NULL);
		if (rc == SSH_AUTH_DENIED && sshlib_key_type_refused(s))
			debug("Skipping %s - corresponding algo not in "
			    "PubkeyAcceptedAlgorithms", label);
		if (rc == SSH_AUTH_SUCCESS)
			debug("Server accepts key: %s", label);
		goto out;
	}
	rc = ssh_userauth_try_publickey(s, NULL, key);
	if (rc != SSH_AUTH_SUCCESS) {
		if (rc == SSH_AUTH_DENIED && sshlib_key_type_refused(s))
			debug("Skipping %s - corresponding algo not in "
			    "PubkeyAcceptedAlgorithms", label);
		ssh_key_free(key);
		if (rc == SSH_AUTH_PARTIAL)
			rc = SSH_AUTH_DENIED;
		goto out;
	}
	debug("Server accepts key: %s", label);
	if (id->plain == NULL)
		rc = sign_with_file(a, id->path, id->userprovided, NULL);
	else if ((signer = cert_signer(a, id)) != NULL && signer->agent)
		rc = agent_auth(a, id->blob, id->len, id->plain,
		    id->plain_len);
	else if (signer != NULL)
		rc = sign_with_file(a, signer->path, signer->userprovided,
		    key);
	else if (!id->certfile)
		rc = sign_with_file(a, id->path, id->userprovided, key);
	else {
		debug("no private key for certificate \"%s\"", id->path);
		rc = SSH_AUTH_DENIED;
	}
	ssh_key_free(key);
 out:
	debug2("%s: %s", label, rc == SSH_AUTH_SUCCESS ? "accepted" :
	    rc == SSH_AUTH_PARTIAL ? "partial success" : rc ==
	    SSH_AUTH_ERROR ? "error" : "refused");
	free(label);
	return rc;
}

static int
m_publickey(struct authctx *a)
{
	struct ident *id;

	if (!a->keys_ready)
		keys_prepare(a);
	for (id = a->keys; id != NULL; id = id->next) {
		if (id->tried)
			continue;
		id->tried = 1;
		return try_ident(a, id);
	}
	return NOT_SENT;
}

/* ------------------------------------------------------------ passwords */

static int
m_password(struct authctx *a)
{
	const struct hop *h = a->h;
	char prompt[512], *pw;
	int rc;

	if (a->pw_attempts++ >= h->opts.number_of_password_prompts)
		return NOT_SENT;
	if (a->pw_attempts != 1)
		error("%sPermission denied, please try again.", a->prefix);
	snprintf(prompt, sizeof(prompt), "%s%.30s@%.128s's password: ",
	    a->prefix, h->opts.user, a->host);
	/*
	 * Nobody to ask: ssh would send an empty password; xssh sends
	 * nothing that nobody typed, and moves on.
	 */
	if ((pw = prompt_read(prompt, 0)) == NULL) {
		debug("%s: nobody to ask for a password", h->name);
		a->pw_attempts = h->opts.number_of_password_prompts;
		return NOT_SENT;
	}
	rc = ssh_userauth_password(h->session, NULL, pw);
	prompt_free(pw);
	return rc;
}

static int
m_kbdint(struct authctx *a)
{
	const struct hop *h = a->h;
	ssh_session s = h->session;
	const char *name, *inst, *q;
	char prompt[1024], *answer, echo;
	int rc, n, i;

	if (a->kbd_attempts++ >= h->opts.number_of_password_prompts)
		return NOT_SENT;
	/* A server that never asked anything: do not insist. */
	if (a->kbd_attempts > 1 && !a->kbd_info_seen)
		return NOT_SENT;
	rc = ssh_userauth_kbdint(s, NULL, NULL);
	while (rc == SSH_AUTH_INFO) {
		a->kbd_info_seen = 1;
		name = ssh_userauth_kbdint_getname(s);
		inst = ssh_userauth_kbdint_getinstruction(s);
		n = ssh_userauth_kbdint_getnprompts(s);
		if (name != NULL && *name != '\0')
			logit("%s%s", a->prefix, name);
		if (inst != NULL && *inst != '\0')
			logit("%s%s", a->prefix, inst);
		for (i = 0; i < n; i++) {
			if ((q = ssh_userauth_kbdint_getprompt(s, i,
			    &echo)) == NULL)
				q = "";
			/* ssh 8.4 and later: "(user@host) " before it. */
			snprintf(prompt, sizeof(prompt), "%s(%s@%s) %s",
			    a->prefix, h->opts.user, a->host, q);
			if ((answer = prompt_read(prompt, echo ?
			    PROMPT_ECHO : 0)) == NULL) {
				/*
				 * Nobody to ask: leave the exchange
				 * unanswered (the next request ends it).
				 */
				debug("%s: nobody to answer \"%s\"", h->name,
				    q);
				a->kbd_attempts =
				    h->opts.number_of_password_prompts;
				return NOT_SENT;
			}
			rc = ssh_userauth_kbdint_setanswer(s, i, answer);
			prompt_free(answer);
			if (rc < 0)
				return SSH_AUTH_ERROR;
		}
		rc = ssh_userauth_kbdint(s, NULL, NULL);
	}
	return rc;
}

/* ------------------------------------------------------------ the loop */

/*
 * ssh's authmethod_get(): the current method while it is enabled and
 * the server's list is the same; else the next of PreferredAuthentica-
 * tions, from the top when the list changed.
 */
struct chooser {
	const char *pref;	/* what is left of the preferred list */
	int	 last_bits;
	struct method *current;
};

static int
method_enabled(const struct authctx *a, const struct method *m)
{
	const struct options *o = &a->h->opts;

	if (m->disabled || m->fn == NULL)
		return 0;
	if (m->bit == SSH_AUTH_METHOD_PUBLICKEY)
		return o->pubkey_authentication != 0;
	if (m->bit == SSH_AUTH_METHOD_PASSWORD)
		return o->password_authentication == 1 && o->batch_mode != 1;
	if (m->bit == SSH_AUTH_METHOD_INTERACTIVE)
		return o->kbd_interactive_authentication == 1 &&
		    o->batch_mode != 1;
	return 0;
}

static struct method *
method_next(struct authctx *a, struct chooser *c, struct method *ms,
    const char *preferred, int bits)
{
	char name[64];
	size_t n;
	int i;

	if (bits != c->last_bits) {
		c->last_bits = bits;
		c->pref = preferred;
		c->current = NULL;
	} else if (c->current != NULL && method_enabled(a, c->current))
		return c->current;
	while (*c->pref != '\0') {
		n = strcspn(c->pref, ",");
		snprintf(name, sizeof(name), "%.*s", (int)n, c->pref);
		c->pref += n + (c->pref[n] == ',');
		for (i = 0; ms[i].name != NULL; i++) {
			if (strcmp(ms[i].name, name) != 0 ||
			    !(bits & ms[i].bit) || !method_enabled(a, &ms[i]))
				continue;
			debug("Next authentication method: %s", name);
			return c->current = &ms[i];
		}
	}
	return c->current = NULL;
}

static void
show_banner(struct hop *h)
{
	char *banner;

	if (log_get_level() < LOG_INFO ||
	    (banner = ssh_get_issue_banner(h->session)) == NULL)
		return;
	if (*banner != '\0') {
		if (h->count > 1)
			fprintf(stderr, "(hop %d/%d %s) ", h->index, h->count,
			    h->name);
		fputs(banner, stderr);
	}
	ssh_string_free_char(banner);
}

/*
 * ssh begins with a "none" request to learn the server's methods.
 * When the first method to try is publickey with a key sent signed at
 * once, that request is sent first instead: its answer carries the
 * same list, and the round trip is saved.  (A server that would take
 * "none" still gets it, after every method has failed.)
 */
static struct ident *
first_request(struct authctx *a, const struct method *ms,
    const char *preferred)
{
	const char *p = preferred;
	char name[64];
	size_t n;
	int i;

	while (*p != '\0') {
		n = strcspn(p, ",");
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		p += n + (p[n] == ',');
		for (i = 0; ms[i].name != NULL; i++)
			if (strcmp(ms[i].name, name) == 0 &&
			    method_enabled(a, &ms[i]))
				break;
		if (ms[i].name == NULL)
			continue;
		if (ms[i].bit != SSH_AUTH_METHOD_PUBLICKEY)
			return NULL;
		if (!a->keys_ready)
			keys_prepare(a);
		if (a->keys == NULL || !sign_at_once(a, a->keys))
			return NULL;
		return a->keys;
	}
	return NULL;
}

int
hop_authenticate(struct hop *h, struct xerr *e)
{
	struct method ms[] = {
		{ "publickey", SSH_AUTH_METHOD_PUBLICKEY, m_publickey, 0 },
		{ "keyboard-interactive", SSH_AUTH_METHOD_INTERACTIVE,
		    m_kbdint, 0 },
		{ "password", SSH_AUTH_METHOD_PASSWORD, m_password, 0 },
		{ NULL, 0, NULL, 0 },
	};
	struct authctx a;
	struct chooser c = { .last_bits = -1 };
	const char *preferred;
	struct method *m;
	struct ident *first;
	char list[256];
	int rc, bits, none_sent = 0;

	memset(&a, 0, sizeof(a));
	a.h = h;
	a.host = h->opts.host_key_alias != NULL ? h->opts.host_key_alias :
	    h->opts.hostname;
	prompt_hop_prefix(h, a.prefix, sizeof(a.prefix));
	preferred = h->opts.preferred_authentications != NULL ?
	    h->opts.preferred_authentications : DEFAULT_PREFERRED;

	if ((first = first_request(&a, ms, preferred)) != NULL) {
		debug("Next authentication method: publickey");
		first->tried = 1;
		rc = try_ident(&a, first);
		if (rc == SSH_AUTH_SUCCESS) {
			show_banner(h);
			h->auth_method = "publickey";
			keys_free(&a);
			return 0;
		}
		if (rc == SSH_AUTH_PARTIAL)
			verbose("Authenticated using \"publickey\" with partial "
			    "success.");
	} else {
		rc = ssh_userauth_none(h->session, NULL);
		none_sent = 1;
	}
	show_banner(h);
	if (rc == SSH_AUTH_SUCCESS) {
		h->auth_method = "none";
		keys_free(&a);
		return 0;
	}
	if (rc == SSH_AUTH_ERROR) {
		hop_error(h, e, XE_AUTH, "auth", "%s",
		    ssh_get_error(h->session));
		keys_free(&a);
		return -1;
	}
	bits = ssh_userauth_list(h->session, NULL);
	for (;;) {
		method_list(bits, list, sizeof(list));
		debug("Authentications that can continue: %s", list);
		if ((m = method_next(&a, &c, ms, preferred, bits)) == NULL)
			break;
		rc = m->fn(&a);
		if (rc == NOT_SENT) {
			m->disabled = 1;
			continue;
		}
		if (rc == SSH_AUTH_SUCCESS) {
			h->auth_method = m->name;
			keys_free(&a);
			return 0;
		}
		if (rc == SSH_AUTH_ERROR) {
			hop_error(h, e, XE_AUTH, "auth", "%s",
			    ssh_get_error(h->session));
			keys_free(&a);
			return -1;
		}
		if (rc == SSH_AUTH_PARTIAL)
			verbose("Authenticated using \"%s\" with partial "
			    "success.", m->name);
		bits = ssh_userauth_list(h->session, NULL);
	}
	if (!none_sent) {
		rc = ssh_userauth_none(h->session, NULL);
		if (rc == SSH_AUTH_SUCCESS) {
			h->auth_method = "none";
			keys_free(&a);
			return 0;
		}
		if (rc != SSH_AUTH_ERROR)
			bits = ssh_userauth_list(h->session, NULL);
	}
	keys_free(&a);
	debug("No more authentication methods to try.");
	method_list(bits, list, sizeof(list));
	return hop_error(h, e, XE_AUTH, "auth", "%s@%s: Permission denied "
	    "(%s).", h->opts.user, h->opts.hostname, list);
}
