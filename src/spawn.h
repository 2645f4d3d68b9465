/* Starting the programs xssh runs: one fork and exec (spawn.c). */
#ifndef XSSH_SPAWN_H
#define XSSH_SPAWN_H

#include <sys/types.h>

struct xerr;

/* What the child's descriptor 0, 1 or 2 becomes, if not one of ours. */
#define SPAWN_KEEP	(-1)	/* ours, as it is */
#define SPAWN_NULL	(-2)	/* /dev/null */
#define SPAWN_PIPE	(-3)	/* a pipe whose other end the caller gets;
				   0 and 1 both: one socketpair */

struct spawn {
	char *const	*argv;		/* argv[0] a path, or looked up in PATH */
	char *const	*envp;		/* NULL: our environment */
	int		 fd[3];		/* SPAWN_* or a descriptor of ours */
	/*
	 * When exec (or setting up the descriptors) fails, the child says
	 * fail_msg and the reason, as the log says a message of level
	 * fail_level (to the -E file, not at all with -q), or with
	 * fail_level 0 straight to stderr as perror() does; then dies of
	 * fail_signal if set, else exits with fail_status.
	 */
	const char	*fail_msg;
	int		 fail_level;
	int		 fail_signal;
	int		 fail_status;
};

pid_t	 spawn_start(const struct spawn *, int *parent_fd, struct xerr *);
int	 spawn_wait(pid_t, int *status);
const char *spawn_shell(void);
/* argv for "shell -c cmd", as every command-running keyword runs it. */
void	 spawn_shell_argv(char *argv[4], const char *shell, const char *cmd);
char	**spawn_env(const char *name, const char *value);
void	 spawn_env_free(char **);

#endif
