/*
 * What libssh says only in text, and the limits it does not export
 * (sshlib.c): parsed once, with checks, here.
 */
#ifndef XSSH_SSHLIB_H
#define XSSH_SSHLIB_H

#include <stddef.h>

#include <libssh/libssh.h>

/*
 * The local window libssh 0.12 grants a channel (WINDOW_DEFAULT in
 * channels.c, 64 packets of 32 KiB, OpenSSH's session window), topped
 * up after a read call to at most this much, counting what libssh
 * already buffers.
 */
#define SSHLIB_WINDOW	(64 * 32768)

/*
 * Why the server refused a channel open, from libssh's "Channel opening
 * failure: channel N error (CODE) TEXT": the RFC 4254 reason code (0
 * when the text has none) and the server's text (libssh's whole
 * message when it has no such part) copied into text.
 */
unsigned sshlib_open_failure(ssh_session, char *text, size_t len);
/* ssh's words for a reason code: "connect failed"...; NULL if unknown. */
const char *sshlib_open_reason(unsigned);
/* Whether the last libssh call failed on SSH_OPTIONS_TIMEOUT. */
int	sshlib_timed_out(ssh_session);
/* Whether ssh_connect() refused an identification over 255 bytes. */
int	sshlib_banner_too_long(ssh_session);
/*
 * Whether the key exchange found nothing in common: then what (ssh's
 * words: "key exchange method", "host key type", "cipher", "MAC",
 * "compression method") and the server's offer, from libssh's "no match
 * for method ..." text.  1 if so, 0 otherwise.
 */
int	sshlib_kex_mismatch(ssh_session, const char **what, char *offer,
	    size_t offer_len);
/*
 * Whether a public key was not offered because its algorithm is not in
 * SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES (libssh says DENIED for both).
 */
int	sshlib_key_type_refused(ssh_session);

/*
 * A channel read that never blocks (timeout 0) and grows the window
 * to what is asked for: bytes read, 0 for none (libssh 0.12 says
 * SSH_AGAIN for that, 0.10 says 0), SSH_ERROR on failure.
 */
int	sshlib_read(ssh_channel, void *, size_t, int is_stderr);

/*
 * Disconnect and free a session that runs over lib_fd, a descriptor
 * of its own (dup'ed from one we keep): libssh closes it on errors and
 * in ssh_free(), but ssh_disconnect() forgets it without closing.
 * Whichever happened, lib_fd is closed once, never twice: only if it
 * still refers to the same socket as own_fd.  With goodbye (a logged-in
 * session) the server is first sent ssh's "disconnected by user".
 */
void	sshlib_release(ssh_session, int lib_fd, int own_fd, int goodbye);

/*
 * Before a global request of our own on a session with keepalives:
 * libssh (0.12 as 0.10) keeps one global-request state per session, and a
 * keepalive sent in non-blocking mode leaves it pending, so the next
 * request would not be sent at all but take the keepalive's reply
 * (REQUEST_FAILURE from sshd) as its own: "remote port forwarding
 * failed".  This collects the pending reply (or sends one keepalive
 * and takes its reply), blocking for at most timeout seconds.
 */
void	sshlib_global_settle(ssh_session, long timeout);

#endif /* XSSH_SSHLIB_H */
