/*
 * Port forwarding on the destination's session (-L, -R, -D and their
 * ssh_config keywords): the parsed form of a forwarding (fwdspec.c),
 * SOCKS requests (socks.c), and the forwarding service that the
 * session's relay loop serves next to the session channel (fwd.c;
 * fwd-local.c for -L and -D, fwd-remote.c for -R), each connection
 * pumped by the channel-I/O engine (chanio.h).
 */
#ifndef XSSH_FWD_H
#define XSSH_FWD_H

#include <poll.h>
#include <stddef.h>

#include <libssh/libssh.h>

#include "xssh.h"

struct hop;

/*
 * One forwarding as ssh's parse_forward() reads it.  A port of -1
 * means the side is a Unix socket path; dynamic is set for -D and for
 * -R with a listen side only (a SOCKS proxy at the far end).
 */
struct fwdspec {
	char	 kind;		/* 'L', 'R' or 'D' */
	int	 dynamic;
	char	*listen_host;	/* NULL: not given */
	int	 listen_port;
	char	*listen_path;
	char	*connect_host;
	int	 connect_port;
	char	*connect_path;
};

int	fwdspec_parse(const char *, char kind, struct fwdspec *);
void	fwdspec_free(struct fwdspec *);
char	fwdspec_local_kind(const char *);
char	*fwdspec_listen_str(const struct fwdspec *);
char	*fwdspec_connect_str(const struct fwdspec *);

/*
 * SOCKS 4, 4a and 5 (no authentication, CONNECT) requests, on a zeroed
 * struct socksreq: feed the bytes read so far and drop the *used bytes
 * it took; 0 while more are needed (call again with what is left), 1
 * when the request is complete (host and port set), -1 when it is bad
 * (why says what was wrong).  Any of these may leave *replylen bytes
 * (at most SOCKS_REPLY_MAX) in reply to send: the method selection, or
 * the failure reply of a bad request.  The reply after the
 * connection's outcome comes from socks_reply().
 */
#define SOCKS_REPLY_MAX	10
struct socksreq {
	int	 version;	/* 4 or 5 */
	int	 greeted;	/* SOCKS5: method selection answered */
	int	 stage;		/* SOCKS4: fixed part, user or host */
	int	 is4a;
	size_t	 seen;		/* SOCKS4: request bytes taken so far */
	size_t	 hostlen;
	char	 host[256];
	int	 port;
	const char *why;
};

int	socks_parse(struct socksreq *, const unsigned char *, size_t,
	    size_t *used, unsigned char *reply, size_t *replylen);
size_t	socks_reply(const struct socksreq *, int ok, unsigned char *);

/*
 * The forwarding service of one session: listeners for -L and -D,
 * remote listeners for -R, and the connections they carry.  The
 * session's relay serves it through fwd_pump() and fwd_pollfds().
 * fwd_add_spec() and fwd_cancel() add and remove a forwarding at run
 * time (the ~C command line): kind 'L', 'R' or 'D'; for fwd_cancel the
 * spec is "[bind_address:]port" (or a path) as ssh's -KL/-KR/-KD take.
 */
struct fwd;

struct fwd *fwd_start(struct hop *, struct xerr *);
int	fwd_add_spec(struct fwd *, const char *spec, char kind,
	    struct xerr *);
int	fwd_cancel(struct fwd *, const char *spec, char kind, struct xerr *);
int	fwd_pump(void *);
int	fwd_pollfds(void *, struct pollfd *, int max);
int	fwd_busy(void *);	/* 1 while a forwarded connection is open */
void	fwd_stop(struct fwd *);

#endif
