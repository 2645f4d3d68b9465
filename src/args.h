/* The command line (args.c). */
#ifndef XSSH_ARGS_H
#define XSSH_ARGS_H

#include "options.h"

struct args {
	struct options opts;	/* the destination's, from flags and -o */
	char	*config_file;	/* -F; NULL: the default files */
	char	*log_file;	/* -E */
	int	 debug_flag;	/* at least one -v */
	int	 print_config;	/* -G */
	int	 subsystem;	/* -s */
	int	 jump_given;	/* -J seen */
	char	*stdio_host;	/* -W host:port */
	int	 stdio_port;
	int	 mux_command;	/* -O: enum mux_command in mux.h */
	int	 show_chain;	/* --show-chain */
	int	 test_chain;	/* --test-chain */
	char	*user;		/* from user@host or ssh://user@ */
	char	*host;		/* the destination as given (alias) */
	char	*command;	/* words joined with spaces; NULL: shell */
};

/* What args_parse() asks main() to do. */
enum args_result {
	ARGS_ERROR = -1,
	ARGS_RUN = 0,
	ARGS_VERSION,		/* -V */
	ARGS_USAGE,		/* no destination */
};

int	args_parse(int, char **, struct args *, struct xerr *);
void	args_free(struct args *);
const char *args_usage(void);

#endif
