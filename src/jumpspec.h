/* ProxyJump / -J hop lists (jumpspec.c). */
#ifndef XSSH_JUMPSPEC_H
#define XSSH_JUMPSPEC_H

#include "xssh.h"

/* One "[user@]host[:port]"; user NULL and port -1 when not given. */
struct jumpspec {
	char	*user;
	char	*host;
	int	 port;
};

/* A hop list in the order written; "none" gives an empty list. */
struct jumplist {
	struct jumpspec *v;
	int	 n;
};

int	parse_port(const char *);
int	jumpspec_parse(const char *, int strict, struct jumpspec *,
	    struct xerr *);
void	jumpspec_free(struct jumpspec *);
int	jumplist_parse(const char *, int strict, struct jumplist *,
	    struct xerr *);
void	jumplist_free(struct jumplist *);
int	jumplist_check_cmdline(const char *, struct xerr *);

#endif
