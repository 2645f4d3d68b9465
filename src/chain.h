/*
 * The hop list: every host on the way to the destination, each an
 * object with its resolved options, its SSH session, its channel to
 * the next hop and the relay that carries that channel.
 */
#ifndef XSSH_CHAIN_H
#define XSSH_CHAIN_H

#include <sys/types.h>

#include <pthread.h>

#include <stdatomic.h>
#include <stdint.h>

#include <libssh/libssh.h>

#include "options.h"

struct args;
struct muxconn;
struct link;

#define CHAIN_MAX_HOPS 32

enum hop_state {
	HOP_NEW = 0,
	HOP_CONNECTED,		/* transport up, host key checked */
	HOP_AUTHENTICATED,
	HOP_RELAYING,		/* its relay thread owns it */
	HOP_CLOSED,
	HOP_SHARED,		/* carried by a master's connection (mux) */
};

struct hop {
	int	 index;		/* 1-based position in the chain */
	int	 count;		/* hops in the chain */
	char	*name;		/* as the user or config named it */
	struct options opts;	/* resolved: hostname, port, user... */
	struct hop *prev;	/* the jump before it, or NULL */
	enum hop_state state;

	ssh_session session;
	int	 fd;		/* session socket (TCP or socketpair end):
				   ours, closed by hop_close() */
	int	 lib_fd;	/* libssh's own dup of fd (SSH_OPTIONS_FD) */
	pid_t	 proxy_pid;	/* its ProxyCommand, or 0 */
	struct link *link;	/* to the next hop, when this is a jump */
	struct muxconn *mux;	/* its master, when the next hop goes
				   through that master's connection */
	/*
	 * Set by the thread that runs the hop's keepalives, read by any
	 * (keepalive_error): monotime in ms of the last packet seen, 0
	 * when the hop has no keepalives.
	 */
	_Atomic int64_t ka_last_rx_ms;
	_Atomic int ka_interval;

	char	 addr[128];	/* the address used, "127.0.0.1:22" */
	double	 t_open;	/* TCP connect or channel open, seconds */
	double	 t_kex;
	double	 t_auth;
	const char *auth_method;	/* the method that worked */
	const char *hostkey_status;	/* "known", "added", ... */
	int	 hostkey_unsafe;	/* a changed key taken with
					   StrictHostKeyChecking=no: as ssh,
					   no password, kbd-interactive or
					   forwarding on this hop (hostkey.c
					   also clears those options) */
};

struct chain {
	struct hop **hop;
	int	 n;
	/* Called after each hop is up (--test-chain). */
	void	(*on_hop)(struct hop *, void *);
	void	*on_hop_arg;
};

/* chain.c */
int	chain_resolve(struct chain *, struct args *, struct xerr *);
void	chain_free(struct chain *);
int	hop_error(const struct hop *, struct xerr *, int code,
	    const char *phase, const char *fmt, ...) printflike(5, 6);
const char *hop_label(const struct hop *, char *, size_t);

/* connect.c */
int	chain_connect(struct chain *, struct xerr *);

/* link.c */
int	link_open(struct hop *, struct xerr *);
int	link_start(struct hop *via, struct xerr *);
void	hop_close(struct hop *);
void	chain_close(struct chain *);
int	chain_broken_hop(const struct chain *, struct xerr *);
void	chain_free_links(struct chain *);

/* chain-report.c */
void	chain_show(const struct chain *);
int	chain_test(struct chain *, struct xerr *);

/* hostkey.c */
int	hop_verify_host_key(struct hop *, struct xerr *);
int	hostkeys_preferred_algorithms(struct hop *, struct xerr *);

/* auth.c */
int	hop_authenticate(struct hop *, struct xerr *);

#endif
