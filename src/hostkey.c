/*
 * Host-key verification of one hop, by its own name and port, with
 * OpenSSH's messages.  Lookups use libssh's known_hosts reader, one
 * UserKnownHostsFile at a time, then the global files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "prompt.h"

/* "ssh-ed25519" -> "ED25519", as ssh names key types to people. */
static const struct {
	const char *wire;
	const char *name;
} key_names[] = {
	{ "ssh-ed25519", "ED25519" },
	{ "sk-ssh-ed25519@openssh.com", "ED25519-SK" },
	{ "ecdsa-sha2-nistp256", "ECDSA" },
	{ "ecdsa-sha2-nistp384", "ECDSA" },
	{ "ecdsa-sha2-nistp521", "ECDSA" },
	{ "sk-ecdsa-sha2-nistp256@openssh.com", "ECDSA-SK" },
	{ "ssh-rsa", "RSA" },
	{ "ssh-dss", "DSA" },
};

static const char *
key_kind(ssh_key key)
{
	const char *wire = ssh_key_type_to_char(ssh_key_type(key));
	size_t i;

	for (i = 0; wire != NULL && i < sizeof(key_names) /
	    sizeof(key_names[0]); i++)
		if (strcmp(wire, key_names[i].wire) == 0)
			return key_names[i].name;
	return wire != NULL ? wire : "unknown";
}

/* The name known_hosts stores: "host", or "[host]:port" off port 22. */
static void
known_name(const struct hop *h, char *buf, size_t len)
{
	if (h->opts.port == 22)
		snprintf(buf, len, "%s", h->opts.hostname);
	else
		snprintf(buf, len, "[%s]:%d", h->opts.hostname, h->opts.port);
}

static char *
fingerprint(ssh_key key)
{
	unsigned char *hash = NULL;
	size_t hlen;
	char *fp;

	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash,
	    &hlen) != 0)
		return xstrdup("(unknown)");
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	ssh_clean_pubkey_hash(&hash);
	return fp != NULL ? fp : xstrdup("(unknown)");
}

/* Where in path the entry's text stands, for "Offending key in f:N". */
static int
entry_line(const char *path, const char *unparsed)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int lineno = 0, found = 0;

	if (unparsed == NULL || (f = fopen(path, "r")) == NULL)
		return 0;
	while ((n = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (strcmp(line, unparsed) == 0) {
			found = lineno;
			break;
		}
	}
	free(line);
	fclose(f);
	return found;
}

static void
warn_changed(struct hop *h, ssh_key key, const char *fp, const char *file,
    const char *name)
{
	struct ssh_knownhosts_entry *entry = NULL;
	int line = 0;

	if (ssh_session_get_known_hosts_entry(h->session, &entry) !=
	    SSH_KNOWN_HOSTS_ERROR && entry != NULL)
		line = entry_line(file, entry->unparsed);
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @");
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!");
	error("Someone could be eavesdropping on you right now "
	    "(man-in-the-middle attack)!");
	error("It is also possible that a host key has just been changed.");
	error("The fingerprint for the %s key sent by the remote host is\n%s.",
	    key_kind(key), fp);
	error("Please contact your system administrator.");
	error("Add correct host key in %s to get rid of this message.", file);
	if (line > 0)
		error("Offending %s key in %s:%d", key_kind(key), file, line);
	else
		error("Offending %s key in %s", key_kind(key), file);
	error("  remove with:\n  ssh-keygen -f \"%s\" -R \"%s\"", file, name);
	ssh_knownhosts_entry_free(entry);
}

/* Ask as ssh does; 1 yes, 0 no or nobody to ask. */
static int
ask_accept(struct hop *h, const char *name, ssh_key key, const char *fp)
{
	char *text, *answer, prefix[300];
	int ok = 0;

	xasprintf(&text, "%sThe authenticity of host '%s (%s)' can't be "
	    "established.\n%s key fingerprint is %s.\nThis key is not "
	    "known by any other names.\nAre you sure you want to continue "
	    "connecting (yes/no/[fingerprint])? ",
	    prompt_hop_prefix(h, prefix, sizeof(prefix)), name,
	    h->prev != NULL || h->proxy_pid > 0 ?
	    "<no hostip for proxy command>" : h->addr, key_kind(key), fp);
	for (;;) {
		answer = prompt_read(text, PROMPT_ECHO | PROMPT_CONFIRM);
		free(text);
		if (answer == NULL)
			break;
		if (strcasecmp(answer, "yes") == 0 ||
		    strcmp(answer, fp) == 0) {
			ok = 1;
			prompt_free(answer);
			break;
		}
		if (strcasecmp(answer, "no") == 0) {
			prompt_free(answer);
			break;
		}
		prompt_free(answer);
		text = xstrdup("Please type 'yes', 'no' or the fingerprint: ");
	}
	return ok;
}

static int
check_files(struct hop *h, char **matched_file)
{
	enum ssh_known_hosts_e st, worst = SSH_KNOWN_HOSTS_UNKNOWN;
	char *path, *gpath = NULL;
	int i;

	if (h->opts.global_known_hosts_files.n > 0 &&
	    strcmp(h->opts.global_known_hosts_files.v[0], "none") != 0) {
		gpath = options_expand_tokens(&h->opts, h->name,
		    h->opts.global_known_hosts_files.v[0]);
		ssh_options_set(h->session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS,
		    gpath);
	}
	for (i = 0; i < h->opts.user_known_hosts_files.n; i++) {
		if (strcmp(h->opts.user_known_hosts_files.v[i], "none") == 0)
			continue;
		path = options_expand_tokens(&h->opts, h->name,
		    h->opts.user_known_hosts_files.v[i]);
		ssh_options_set(h->session, SSH_OPTIONS_KNOWNHOSTS, path);
		st = ssh_session_is_known_server(h->session);
		if (st == SSH_KNOWN_HOSTS_OK || st == SSH_KNOWN_HOSTS_CHANGED ||
		    st == SSH_KNOWN_HOSTS_OTHER) {
			free(*matched_file);
			*matched_file = path;
			free(gpath);
			return st;
		}
		if (i == 0) {
			free(*matched_file);
			*matched_file = path;	/* new keys are written here */
		} else
			free(path);
		if (st == SSH_KNOWN_HOSTS_ERROR)
			worst = st;
	}
	if (*matched_file != NULL)
		ssh_options_set(h->session, SSH_OPTIONS_KNOWNHOSTS,
		    *matched_file);
	free(gpath);
	return worst;
}

int
hop_verify_host_key(struct hop *h, struct xerr *e)
{
	ssh_key key = NULL;
	char name[300], *fp = NULL, *file = NULL;
	int st, rc = -1, shk = h->opts.strict_host_key_checking;

	if (ssh_get_server_publickey(h->session, &key) != SSH_OK)
		return hop_error(h, e, XE_HOSTKEY, "host key",
		    "no host key from server: %s", ssh_get_error(h->session));
	known_name(h, name, sizeof(name));
	fp = fingerprint(key);
	debug("hop %d/%d %s: server host key: %s %s", h->index, h->count,
	    h->name, ssh_key_type_to_char(ssh_key_type(key)), fp);
	st = check_files(h, &file);
	switch (st) {
	case SSH_KNOWN_HOSTS_OK:
		debug("Host '%s' is known and matches the %s host key.", name,
		    key_kind(key));
		h->hostkey_status = "known";
		rc = 0;
		break;
	case SSH_KNOWN_HOSTS_CHANGED:
	case SSH_KNOWN_HOSTS_OTHER:
		warn_changed(h, key, fp, file ? file : "known_hosts", name);
		if (shk == SHK_NO) {
			error("Host key for %s has changed; continuing because "
			    "StrictHostKeyChecking is off.", name);
			h->hostkey_status = "CHANGED (accepted: checking off)";
			rc = 0;
			break;
		}
		hop_error(h, e, XE_HOSTKEY, "host key", "Host key for %s has "
		    "changed and you have requested strict checking.%s"
		    "Host key verification failed.", name,
		    h->count > 1 ? " " : "\n");
		break;
	default:
		if (shk == SHK_ASK && !h->opts.batch_mode &&
		    ask_accept(h, name, key, fp))
			shk = SHK_ACCEPT_NEW;
		if (shk == SHK_NO || shk == SHK_ACCEPT_NEW) {
			if (ssh_session_update_known_hosts(h->session) != SSH_OK)
				error("Failed to add the host to the list of "
				    "known hosts (%s).", file ? file : "?");
			else
				logit("Warning: Permanently added '%s' (%s) to "
				    "the list of known hosts.", name,
				    key_kind(key));
			h->hostkey_status = "new (added)";
			rc = 0;
			break;
		}
		if (shk == SHK_YES || h->opts.batch_mode)
			hop_error(h, e, XE_HOSTKEY, "host key", "No %s host key "
			    "is known for %s and you have requested strict "
			    "checking.%sHost key verification failed.",
			    key_kind(key), name, h->count > 1 ? " " : "\n");
		else
			hop_error(h, e, XE_HOSTKEY, "host key",
			    "Host key verification failed.");
		break;
	}
	free(file);
	ssh_string_free_char(fp);
	ssh_key_free(key);
	return rc;
}
