/*
 * Talking to an ssh-agent: the wire format and the socket a hop uses
 * (agent.c), a filtering stand-in agent that libssh authenticates
 * through (agent-shim.c), forwarding of the agent to the destination
 * (agent-fwd.c), and adding keys to it (agent-add.c).
 */
#ifndef XSSH_AGENT_H
#define XSSH_AGENT_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include <libssh/libssh.h>

#include "wirebuf.h"

struct hop;

/* The messages of the agent protocol xssh sends and reads. */
#define AGENT_MAX_MSG	(256 * 1024)	/* as ssh's AGENT_MAX_LEN */
enum {
	AGENT_FAILURE = 5,
	AGENT_SUCCESS = 6,
	AGENTC_REQUEST_IDENTITIES = 11,
	AGENT_IDENTITIES_ANSWER = 12,
	AGENTC_SIGN_REQUEST = 13,
	AGENT_SIGN_RESPONSE = 14,
	AGENTC_ADD_IDENTITY = 17,
	AGENTC_ADD_ID_CONSTRAINED = 25,
	AGENT_CONSTRAIN_LIFETIME = 1,
	AGENT_CONSTRAIN_CONFIRM = 2,
};

/* Public key blobs (the wire form) and libssh keys. */
int	key_to_blob(ssh_key, unsigned char **, size_t *);
ssh_key	key_from_blob(const unsigned char *, size_t);
int	blob_is_cert(const unsigned char *, size_t);
int	cert_plain_blob(const unsigned char *, size_t, unsigned char **,
	    size_t *);
char	*blob_describe(const unsigned char *, size_t);	/* "ED25519 SHA256:.." */

/* One key an agent holds. */
struct agent_key {
	unsigned char *blob;
	size_t	 len;
	char	*comment;
};

/*
 * The agent socket of a hop, as ssh picks it: IdentityAgent (a path
 * with ~, %-tokens and ${VAR}; "$VAR"; "SSH_AUTH_SOCK"; "none"), else
 * $SSH_AUTH_SOCK.  NULL when there is none.
 */
char	*agent_socket_path(const struct hop *);
int	agent_connect(const char *path);
/*
 * One message on a blocking socket: its length (1 to AGENT_MAX_MSG),
 * then its bytes, into m; 0 or -1.
 */
int	agent_msg_read(int fd, struct wbuf *m);
int	agent_msg_write(int fd, const unsigned char *, size_t);
int	agent_list(int fd, struct agent_key **, int *n);
/*
 * The parse half of agent_list(), on the agent's answer: as ssh's
 * ssh_fetch_identitylist(), at most AGENT_MAX_KEYS keys, keys of
 * unknown types skipped, and the whole answer refused (-1) for a key
 * ssh would not read or a comment with a NUL.
 */
#define AGENT_MAX_KEYS	2048
int	agent_parse_identities(const unsigned char *, size_t,
	    struct agent_key **, int *n);
void	agent_keys_free(struct agent_key *, int n);

/*
 * The stand-in agent that libssh's ssh_userauth_agent() talks to
 * (ssh_set_agent_socket): it lists only the one key it is told to
 * offer, so that xssh, not libssh, decides which agent keys are tried
 * and in which order (IdentitiesOnly, certificates first...), and
 * passes signature requests on to the real agent; for a certificate
 * whose private key is in the agent, it asks the agent to sign with
 * the plain key.  A thread serves it while the hop authenticates.
 */
struct agent_shim;
struct agent_shim *agent_shim_start(ssh_session, const char *real_path);
void	agent_shim_offer(struct agent_shim *, const unsigned char *blob,
	    size_t len, const unsigned char *sign_blob, size_t sign_len);
void	agent_shim_stop(struct agent_shim *);
/*
 * The parse half of the shim, on one request from libssh: with the key
 * on offer (and the blob to sign with), AGENT_SHIM_REPLY with the
 * answer in out, or AGENT_SHIM_FORWARD with the sign request for the
 * real agent in out.  agent_sign_reply_ok(): whether the real agent's
 * answer to that is a well-formed signature response.
 */
enum { AGENT_SHIM_REPLY = 0, AGENT_SHIM_FORWARD = 1 };
int	agent_shim_request(const unsigned char *req, size_t len,
	    const unsigned char *offer, size_t offer_len,
	    const unsigned char *sign, size_t sign_len, struct wbuf *out);
int	agent_sign_reply_ok(const unsigned char *, size_t);

/*
 * Agent forwarding on the destination's session, when its ForwardAgent
 * says so and an agent is there: agentfwd_start() asks for it on the
 * session channel (NULL when it does not), and then each
 * auth-agent@openssh.com channel the server
 * opens is joined to a new connection to the local agent socket.  The
 * session's relay loop (relay.c) serves these channels through
 * agentfwd_pump() and agentfwd_pollfds().
 */
struct agentfwd;
struct agentfwd *agentfwd_start(struct hop *, ssh_channel session_channel);
void	agentfwd_stop(struct agentfwd *);
int	agentfwd_pump(void *);
int	agentfwd_pollfds(void *, struct pollfd *, int max);

/*
 * AddKeysToAgent: add a private key read from a file to the agent at
 * path, with a lifetime (seconds, 0 for none) and confirmation; 0 on
 * success.  libssh has no call for it and no way to reach a key's
 * parts, so the key goes through libssh's export (OpenSSH format for
 * Ed25519 and RSA, PKCS#8 for ECDSA, read back with OpenSSL); a key
 * it cannot export is not added (-1, with *why set).  (libssh 0.10.6
 * could not export RSA keys read from OpenSSH-format files; 0.12 can,
 * 47-auth checks it.)
 */
int	agent_add_key(const char *path, ssh_key, const char *comment,
	    int lifetime, int confirm, const char **why);

#endif
