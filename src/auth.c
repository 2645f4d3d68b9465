/*
 * User authentication of one hop with that hop's own identities:
 * "none" first (which also lets libssh take the server's signature
 * algorithms before any key is offered), then the agent, then each
 * identity file.  The loop is ours rather than libssh's
 * publickey_auto, which writes missing .pub files and ignores
 * IdentitiesOnly.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"

/* Server methods in the order sshd lists them. */
static const struct {
	int	 bit;
	const char *name;
} methods[] = {
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
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if ((bits & methods[i].bit) && off < len)
			off += snprintf(buf + off, len - off, "%s%s",
			    off ? "," : "", methods[i].name);
}

static int
auth_agent(struct hop *h)
{
	const char *agent = h->opts.identity_agent;
	char *sock = NULL;
	int rc;

	if (agent != NULL && strcmp(agent, "none") == 0)
		return SSH_AUTH_DENIED;
	if (h->opts.identities_only == 1)
		return SSH_AUTH_DENIED;
	if (agent != NULL && strcmp(agent, "SSH_AUTH_SOCK") != 0) {
		sock = options_expand_tokens(&h->opts, h->name, agent);
		ssh_options_set(h->session, SSH_OPTIONS_IDENTITY_AGENT, sock);
	} else if (getenv("SSH_AUTH_SOCK") == NULL)
		return SSH_AUTH_DENIED;
	rc = ssh_userauth_agent(h->session, NULL);
	debug2("hop %d/%d %s: agent authentication: %d", h->index, h->count,
	    h->name, rc);
	free(sock);
	return rc;
}

/* One identity file: offer its public half first when there is one. */
static int
auth_identity(struct hop *h, const char *path)
{
	ssh_key pub = NULL, priv = NULL;
	char *pubpath;
	struct stat st;
	int rc;

	if (stat(path, &st) == -1)
		return SSH_AUTH_DENIED;
	xasprintf(&pubpath, "%s.pub", path);
	if (ssh_pki_import_pubkey_file(pubpath, &pub) == SSH_OK) {
		rc = ssh_userauth_try_publickey(h->session, NULL, pub);
		ssh_key_free(pub);
		if (rc != SSH_AUTH_SUCCESS) {
			debug("hop %d/%d %s: key %s not accepted", h->index,
			    h->count, h->name, path);
			free(pubpath);
			return rc;
		}
	}
	free(pubpath);
	if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &priv) !=
	    SSH_OK) {
		debug("hop %d/%d %s: cannot load key %s (passphrase keys "
		    "are not supported yet)", h->index, h->count, h->name,
		    path);
		return SSH_AUTH_DENIED;
	}
	rc = ssh_userauth_publickey(h->session, NULL, priv);
	ssh_key_free(priv);
	debug("hop %d/%d %s: key %s: %s", h->index, h->count, h->name, path,
	    rc == SSH_AUTH_SUCCESS ? "accepted" : "refused");
	return rc;
}

int
hop_authenticate(struct hop *h, struct xerr *e)
{
	char list[256], *path;
	int rc, bits, i;

	rc = ssh_userauth_none(h->session, NULL);
	if (rc == SSH_AUTH_SUCCESS) {
		h->auth_method = "none";
		return 0;
	}
	if (rc == SSH_AUTH_ERROR)
		return hop_error(h, e, XE_AUTH, "auth", "%s",
		    ssh_get_error(h->session));
	bits = ssh_userauth_list(h->session, NULL);
	if ((bits & SSH_AUTH_METHOD_PUBLICKEY) &&
	    h->opts.pubkey_authentication != 0) {
		if ((rc = auth_agent(h)) == SSH_AUTH_SUCCESS) {
			h->auth_method = "publickey (agent)";
			return 0;
		}
		for (i = 0; rc != SSH_AUTH_ERROR &&
		    i < h->opts.identity_files.n; i++) {
			path = options_expand_tokens(&h->opts, h->name,
			    h->opts.identity_files.v[i]);
			rc = auth_identity(h, path);
			free(path);
			if (rc == SSH_AUTH_SUCCESS) {
				h->auth_method = "publickey";
				return 0;
			}
		}
		if (rc == SSH_AUTH_ERROR)
			return hop_error(h, e, XE_AUTH, "auth", "%s",
			    ssh_get_error(h->session));
		bits = ssh_userauth_list(h->session, NULL);
	}
	method_list(bits, list, sizeof(list));
	return hop_error(h, e, XE_AUTH, "auth", "%s@%s: Permission denied "
	    "(%s).", h->opts.user, h->opts.hostname, list);
}
