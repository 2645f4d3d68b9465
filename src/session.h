/* The session on the destination (session.c). */
#ifndef XSSH_SESSION_H
#define XSSH_SESSION_H

struct args;
struct chain;
struct options;

int	session_prepare(struct chain *, const struct args *, struct xerr *);
int	session_connected(struct chain *, struct xerr *);
int	session_run(struct chain *, const struct args *, int *exit_code,
	    struct xerr *);
int	want_pty(const struct args *, const struct options *);

#endif
