/*
 * xssh's own known_hosts engine (knownhosts*.c), as OpenSSH 9.2's
 * hostfile.c reads and writes the files: hashed names, [host]:port,
 * pattern lists with negation, @cert-authority and @revoked markers,
 * KnownHostsCommand output, RevokedHostKeys files and KRLs.  libssh
 * only hands us the server's key; everything else is done here, on the
 * key's wire blob, so that a key type libssh cannot parse is still
 * recognised as "a different key" the way ssh does.
 */
#ifndef XSSH_KNOWNHOSTS_H
#define XSSH_KNOWNHOSTS_H

#include <stddef.h>
#include <stdio.h>

#include <libssh/libssh.h>

#include "options.h"

enum kh_marker {
	KH_MARK_NONE = 0,
	KH_MARK_CA,		/* @cert-authority */
	KH_MARK_REVOKED,	/* @revoked */
};

/* What a lookup found, as ssh's HostStatus. */
enum kh_status {
	KH_NEW = 0,		/* no key of any type for the name */
	KH_OK,			/* this very key */
	KH_CHANGED,		/* only other keys (of any type) */
	KH_REVOKED,		/* this key is marked @revoked */
};

/* A public key as SSH carries it. */
struct kh_key {
	unsigned char *blob;
	size_t	 len;
	char	*type;		/* the name inside the blob, "ssh-ed25519" */
	unsigned int bits;	/* ssh's sshkey_size(), 0 if unknown */
};

struct kh_entry {
	char	*file;		/* path, or "KnownHostsCommand-HOSTNAME" */
	unsigned long line;
	int	 marker;	/* KH_MARK_* */
	char	*hosts;		/* the host field as written */
	struct kh_key key;
	int	 from_command;	/* came from KnownHostsCommand */
};

struct kh_list {
	struct kh_entry *v;
	size_t	 n;
};

/* Keys. */
int	 kh_key_from_ssh(ssh_key, struct kh_key *);
int	 kh_key_from_base64(const char *type, const char *b64,
	    struct kh_key *);
/*
 * A key from its blob, which must be one sshkey_from_blob() would
 * take: a known type, its fields well formed (certificates' too, but
 * for their signature), nothing after them.  0 or -1.
 */
int	 kh_key_from_blob(const unsigned char *, size_t, struct kh_key *);
void	 kh_key_free(struct kh_key *);
int	 kh_key_equal(const struct kh_key *, const struct kh_key *);
/* "ED25519", "RSA", "ECDSA-SK", "ED25519-CERT"... as ssh names them. */
const char *kh_key_kind(const char *type);
/* Whether type names a certificate ("...-cert-v01@openssh.com"). */
int	 kh_type_is_cert(const char *type);
/* "type base64", as a known_hosts line carries the key. */
char	*kh_key_text(const struct kh_key *);
/* The base64 alone (KnownHostsCommand's %K). */
char	*kh_key_base64(const struct kh_key *);

/*
 * Fingerprints with a FingerprintHash (FP_HASH_* in options.h):
 * "SHA256:base64-without-padding" or "MD5:xx:xx:...", and the
 * randomart box ssh-keygen -lv and ssh draw.
 */
char	*kh_fingerprint(const struct kh_key *, int hash);
/* The digest itself (md at least EVP_MAX_MD_SIZE bytes); 0 or -1. */
int	 kh_key_digest(const struct kh_key *, int hash, unsigned char *md,
	    unsigned int *mdlen);
char	*kh_randomart(const struct kh_key *, int hash);
const char *kh_hash_name_of(int hash);	/* "SHA256", "MD5"... */

/* Names. */
/* "host" for port 0 or 22, else "[host]:port" (ssh's put_host_port). */
char	*kh_host_port(const char *host, int port);
/*
 * "|1|salt|hash" for name: with a new random salt when from is NULL,
 * else with the salt of the hashed entry from; NULL if from is not a
 * well-formed hashed entry.
 */
char	*kh_hash_host(const char *name, const char *from);
/* Whether a host field (hashed, or a pattern list) names name. */
int	 kh_match_hosts(const char *name, const char *hosts);

/*
 * One line: 1 when it holds an entry (marker, host field and key, set
 * in *e with line and file left as they are), 0 for a blank or comment
 * line, -1 for a line ssh would skip as invalid.  line is modified.
 */
int	 kh_parse_line(char *line, struct kh_entry *e);

/*
 * Add to l the entries of a file (or of stream f, labelled label)
 * whose host field names name.  kh_load_file returns -1 with errno
 * when the file cannot be opened.
 */
int	 kh_load_file(struct kh_list *, const char *name, const char *path);
void	 kh_load_stream(struct kh_list *, const char *name, FILE *,
	    const char *label, int from_command);
void	 kh_list_free(struct kh_list *);
/* Whether an unmarked entry of stream f names name with key k. */
int	 kh_stream_holds(FILE *, const char *name, const struct kh_key *);

/*
 * ssh's check_key_in_hostkeys() for a plain key: KH_OK if an unmarked
 * entry holds key, else KH_CHANGED if one holds another key, else
 * KH_NEW; KH_REVOKED over all of these when an @revoked entry holds
 * key.  *found: the matching entry, or for KH_CHANGED the last other
 * one; NULL otherwise.  @cert-authority entries are not looked at:
 * libssh (0.12 as 0.10) never negotiates a host certificate.
 */
int	 kh_check(const struct kh_list *, const struct kh_key *,
	    const struct kh_entry **found);
/* Whether an unmarked entry of that key type exists. */
int	 kh_have_type(const struct kh_list *, const char *type);
int	 kh_have_marker(const struct kh_list *, int marker);

/*
 * Add to out the lines of path holding key under other names than
 * name: "path:line: hosts", hashed fields as "[hashed name]", path
 * with $HOME shown as "~", as ssh lists them in its question.
 */
void	 kh_other_names(const char *path, const char *name,
	    const struct kh_key *, struct strlist *out);

/*
 * Append key for host (and ip, unless NULL) to path, as ssh does:
 * host lowercased, one "host,ip" line, or with hash a hashed line for
 * each; ~/.ssh is created (0700) when path lies in it.  The entry goes
 * out in one write(), under a lock that other xssh writers take too,
 * and not at all when one of them has just added it.  0 or -1.
 */
int	 kh_add(const char *path, const char *host, const char *ip,
	    const struct kh_key *, int hash);

/*
 * RevokedHostKeys: 1 if key is revoked by file (a KRL, or public keys
 * one a line), 0 if not, -1 with a reason in why when the file cannot
 * be read or parsed.
 */
int	 kh_revoked_by_file(const char *path, const struct kh_key *,
	    char *why, size_t whylen);
/* The same on the file's bytes: 1, 0, or -1 for a malformed KRL. */
int	 kh_revoked_by_blob(const unsigned char *, size_t,
	    const struct kh_key *);


#endif /* XSSH_KNOWNHOSTS_H */
