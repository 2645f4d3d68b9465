/*
 * Inside the forwarding service: the table of one session's
 * forwardings and the connections they carry, shared by the three
 * files that serve it.  fwd.c has the table, the connection state
 * machine and the entry points of fwd.h; fwd-local.c the -L and -D
 * listeners and the channel opens of their connections; fwd-remote.c
 * the -R requests and cancels and the forwarded-tcpip channels the
 * server opens.  The rest of xssh uses fwd.h only.
 */
#ifndef XSSH_FWD_INT_H
#define XSSH_FWD_INT_H

#include <stddef.h>

#include <libssh/libssh.h>

#include "chanio.h"
#include "fwd.h"

#define MAX_LISTEN_FDS	8

enum conn_state {
	C_SOCKS,	/* reading the SOCKS request */
	C_OPENING,	/* the channel open is under way */
	C_CONNECTING,	/* -R: the local connect is under way */
	C_OPEN,		/* bytes flow */
	C_DONE,
};

struct fconn {
	struct fconn *next;
	enum conn_state state;
	struct chanio io;
	int	 id;
	int	 remote_socks;	/* -R SOCKS: the request comes on the channel */
	struct socksreq socks;
	unsigned char in[600];	/* SOCKS request bytes */
	size_t	 in_len;
	unsigned char out[16];	/* SOCKS reply, before the pump starts */
	size_t	 out_len;
	char	*host;		/* where the channel or connect goes */
	int	 port;
	char	*path;
	char	 orig[64];	/* the local peer, for the channel open */
	int	 oport;
};

struct listener {
	struct listener *next;
	struct fwdspec spec;
	int	 fd[MAX_LISTEN_FDS];
	int	 nfd;
};

struct rfwd {
	struct rfwd *next;
	struct fwdspec spec;
	int	 bound_port;	/* the server's port (allocated for 0) */
};

struct fwd {
	struct hop *hop;
	ssh_session session;
	struct listener *listeners;
	struct rfwd *rfwds;
	struct fconn *conns;
	int	 next_id;
	int	 n_conns;
};

/* fwd.c: connections, and the steps both sides share. */
struct fconn *fwd_conn_new(struct fwd *, enum conn_state, ssh_channel,
	    int fd);
void	fwd_set_nonblock(int);
void	fwd_socks_answer(struct fconn *, int ok);
int	fwd_send_out(struct fconn *);
int	fwd_listen_matches(const struct fwdspec *, const char *host, int port,
	    const char *path);

/* fwd-local.c: -L and -D. */
int	fwd_local_add(struct fwd *, struct fwdspec *);
int	fwd_local_accept(struct fwd *, struct listener *, int lfd);
int	fwd_local_open(struct fwd *, struct fconn *);
int	fwd_local_cancel(struct fwd *, const struct fwdspec *, char kind);
void	fwd_local_free(struct listener *);

/* fwd-remote.c: -R. */
int	fwd_remote_request(struct fwd *, struct fwdspec *, struct xerr *);
int	fwd_remote_cancel(struct fwd *, const struct fwdspec *);
int	fwd_remote_connect(struct fwd *, struct fconn *);
int	fwd_remote_connecting(struct fwd *, struct fconn *);
int	fwd_remote_message(ssh_session, ssh_message, void *);
void	fwd_remote_free(struct rfwd *);

#endif
