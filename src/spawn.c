/*
 * The one place where xssh starts another program: ProxyCommand,
 * LocalCommand and ~C !cmd, Match exec, KnownHostsCommand, SSH_ASKPASS.
 *
 * The relays of a chain are threads, and a child of a threaded process
 * may inherit a lock (malloc's, stdio's, the log's) that another thread
 * held at fork() time.  So everything that allocates or locks is done
 * before fork(): the program's path, its environment, its message in
 * case of failure; between fork() and exec the child makes only
 * async-signal-safe calls and says what went wrong with write(2).
 *
 * The child starts with every signal at its default and none blocked
 * (xssh ignores SIGPIPE, and its parent may have ignored more), its
 * descriptors 0, 1 and 2, and no other one: a socket or a log file of
 * ours opened without O_CLOEXEC must not keep a connection open after
 * xssh is gone, or leak into a user's command.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <paths.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawn.h"
#include "xssh.h"

extern char **environ;

/* errno's text without the locale's catalogue, which may take locks. */
static const char *
errtext(int err)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
	const char *s = strerrordesc_np(err);

	return s != NULL ? s : "Unknown error";
#else
	return strerror(err);
#endif
}

/* In the child: say why (if fd is not -1), then die as asked. */
static __dead void
child_fail(const struct spawn *s, int fd, const char *eol)
{
	const char *part[3];
	char buf[1024];
	size_t len = 0, n;
	int i, err = errno;

	if (fd != -1 && s->fail_msg != NULL) {
		part[0] = s->fail_msg;
		part[1] = errtext(err);
		part[2] = eol;
		for (i = 0; i < 3; i++) {
			n = strlen(part[i]);
			if (n > sizeof(buf) - len)
				n = sizeof(buf) - len;
			memcpy(buf + len, part[i], n);
			len += n;
		}
		(void)!write(fd, buf, len);
	}
	if (s->fail_signal != 0)
		raise(s->fail_signal);
	_exit(s->fail_status);
}

/*
 * In the child: signals, descriptors, exec.  src[i] is what becomes
 * descriptor i (-1: keep ours), errfd where a failure is said.
 */
static __dead void
child(const struct spawn *s, const char *prog, char *const *envp,
    const int src[3], int errfd, const char *eol)
{
	struct sigaction sa;
	sigset_t none;
	int i, tmp[3], efd = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	/* SIGKILL, SIGSTOP and libc's own signals refuse; no matter. */
	for (i = 1; i < NSIG; i++)
		(void)sigaction(i, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);

	/*
	 * Everything above 2 first: a source may itself be 0, 1 or 2 (or
	 * close-on-exec, which dup2() onto the same number would keep).
	 */
	if (errfd != -1)
		efd = fcntl(errfd, F_DUPFD_CLOEXEC, 3);
	for (i = 0; i < 3; i++) {
		tmp[i] = -1;
		if (src[i] >= 0 &&
		    (tmp[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 3)) == -1)
			child_fail(s, efd, eol);
	}
	for (i = 0; i < 3; i++)
		if (tmp[i] != -1 && dup2(tmp[i], i) == -1)
			child_fail(s, efd, eol);
	/* The failure channel alone stays, on 3, closed by a good exec. */
	if (efd > 3)
		efd = dup3(efd, 3, O_CLOEXEC);
	closefrom(efd == 3 ? 4 : 3);
	execve(prog, s->argv, envp);
	child_fail(s, efd, eol);
}

/* What execvp() would run, found before fork(): it allocates. */
static char *
find_program(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	struct stat st;
	char *cand;

	if (*name == '\0' || strchr(name, '/') != NULL)
		return xstrdup(name);
	if (path == NULL)
		path = "/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		if (end == p)
			xasprintf(&cand, "./%s", name);
		else
			xasprintf(&cand, "%.*s/%s", (int)(end - p), p, name);
		if (access(cand, X_OK) == 0 && stat(cand, &st) == 0 &&
		    S_ISREG(st.st_mode))
			return cand;
		free(cand);
		if (*end == '\0')
			break;
	}
	/* Not found: exec fails with ENOENT, and the child says so. */
	return xstrdup(name);
}

/*
 * The pipe or socketpair of SPAWN_PIPE: end[0] ours, end[1] the
 * child's.  0 (and no ends) when no descriptor asks for one.
 */
static int
make_pipe(const struct spawn *s, int end[2], struct xerr *e)
{
	int i, n = 0, slot = -1, t;

	end[0] = end[1] = -1;
	for (i = 0; i < 3; i++)
		if (s->fd[i] == SPAWN_PIPE) {
			n++;
			slot = i;
		}
	if (n == 0)
		return 0;
	if (n == 2 && s->fd[0] == SPAWN_PIPE && s->fd[1] == SPAWN_PIPE) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
		    end) == -1)
			return xerr_set(e, XE_IO, "socketpair: %s",
			    strerror(errno));
		return 0;
	}
	if (n != 1)
		return xerr_set(e, XE_IO, "spawn: one pipe at most");
	if (pipe2(end, O_CLOEXEC) == -1)
		return xerr_set(e, XE_IO, "pipe: %s", strerror(errno));
	if (slot == 0) {
		/* The child reads: it gets the read end. */
		t = end[0];
		end[0] = end[1];
		end[1] = t;
	}
	return 0;
}

/*
 * Start s->argv.  Returns the child's pid, with *parent_fd our end of
 * its SPAWN_PIPE (or -1); -1 and e on failure, nothing left open.
 */
pid_t
spawn_start(const struct spawn *s, int *parent_fd, struct xerr *e)
{
	int src[3], end[2], devnull = -1, errfd, saved, i;
	sigset_t all, old;
	const char *eol;
	char *prog;
	pid_t pid;

	if (parent_fd != NULL)
		*parent_fd = -1;
	if (make_pipe(s, end, e) != 0)
		return -1;
	for (i = 0; i < 3; i++)
		if (s->fd[i] == SPAWN_NULL && devnull == -1 &&
		    (devnull = open(_PATH_DEVNULL, O_RDWR | O_CLOEXEC)) == -1) {
			saved = errno;
			if (end[0] != -1) {
				close(end[0]);
				close(end[1]);
			}
			return xerr_set(e, XE_IO, "%s: %s", _PATH_DEVNULL,
			    strerror(saved));
		}
	for (i = 0; i < 3; i++)
		src[i] = s->fd[i] == SPAWN_PIPE ? end[1] :
		    s->fd[i] == SPAWN_NULL ? devnull :
		    s->fd[i] >= 0 ? s->fd[i] : -1;
	prog = find_program(s->argv[0]);
	errfd = s->fail_level == 0 ? STDERR_FILENO :
	    log_fd_for(s->fail_level);
	eol = s->fail_level == 0 ? "\n" : log_eol();
	fflush(stdout);
	/*
	 * No handler of ours may run in the child before it puts the
	 * defaults back: block everything across fork().
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if ((pid = fork()) == 0)
		child(s, prog, s->envp != NULL ? s->envp : environ, src,
		    errfd, eol);
	saved = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	free(prog);
	if (devnull != -1)
		close(devnull);
	if (end[1] != -1)
		close(end[1]);
	if (pid == -1) {
		if (end[0] != -1)
			close(end[0]);
		return xerr_set(e, XE_IO, "fork: %s", strerror(saved));
	}
	if (parent_fd != NULL)
		*parent_fd = end[0];
	else if (end[0] != -1)
		close(end[0]);
	return pid;
}

/* waitpid() through EINTR; -1 (errno set) on any other failure. */
int
spawn_wait(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* The user's shell, as ssh takes it: $SHELL, else /bin/sh. */
const char *
spawn_shell(void)
{
	const char *sh = getenv("SHELL");

	return sh != NULL && *sh != '\0' ? sh : _PATH_BSHELL;
}

void
spawn_shell_argv(char *argv[4], const char *shell, const char *cmd)
{
	argv[0] = (char *)shell;
	argv[1] = "-c";
	argv[2] = (char *)cmd;
	argv[3] = NULL;
}

/*
 * Our environment with name=value set, for a child's envp: built
 * before fork() since setenv() in a child may deadlock.  The strings
 * are environ's but the first; free it with spawn_env_free().
 */
char **
spawn_env(const char *name, const char *value)
{
	size_t n = 0, len = strlen(name), i, j = 1;
	char **env;

	while (environ != NULL && environ[n] != NULL)
		n++;
	env = xcalloc(n + 2, sizeof(*env));
	xasprintf(&env[0], "%s=%s", name, value);
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], name, len) != 0 ||
		    environ[i][len] != '=')
			env[j++] = environ[i];
	env[j] = NULL;
	return env;
}

void
spawn_env_free(char **env)
{
	if (env != NULL)
		free(env[0]);
	free(env);
}
