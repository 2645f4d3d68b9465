/*
 * -G: the resolved configuration of the destination, printed as
 * OpenSSH 9.2's dump_client_config() prints it (dumpconf.c), with the
 * algorithm lists OpenSSH would print (algolist.c).
 */
#ifndef XSSH_DUMPCONF_H
#define XSSH_DUMPCONF_H

#include <stdio.h>

#include "options.h"

struct args;

/*
 * xssh -G: resolve the destination's options as for connecting (the
 * command line's, then the files, canonicalization, defaults; no jump
 * chain is walked), check them as ssh does before it prints, and print
 * them on stdout.  0, or -1 with err set (ssh exits 255 there too).
 * Takes a->opts.
 */
int	dumpconf_main(struct args *a, struct xerr *err);

/*
 * Print o, filled in (options_fill_defaults) and with its paths and
 * commands expanded, as "keyword value" lines.  host_arg is the name
 * given on the command line; connect_timeout_set tells an explicit
 * "ConnectTimeout 0" from no setting.
 */
void	dumpconf_print(FILE *, const struct options *o, const char *host_arg,
	    int connect_timeout_set);

#endif /* XSSH_DUMPCONF_H */
