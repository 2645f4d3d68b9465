/*
 * Unit tests for the spawn helper (src/spawn.c), the terminal owner
 * (src/tty.c) and fatal() (src/log.c): what a child gets (descriptors,
 * signals, environment), what it says when exec fails, and that the
 * terminal is put back by fatal() from another thread and by a signal
 * handler at a prompt.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "spawn.h"
#include "tty.h"
#include "xssh.h"
#include "unit.h"

static char tmpdir[] = "/tmp/xssh-test-spawn.XXXXXX";

/* Run sh -c script; its stdout (to EOF) in out, its status back. */
static int
run(const char *script, char *const *envp, char *out, size_t len)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
	struct spawn sp = { .fd = { SPAWN_NULL, SPAWN_PIPE, SPAWN_KEEP } };
	struct xerr e = { 0 };
	size_t off = 0;
	ssize_t n;
	int fd, status = -1;
	pid_t pid;

	sp.argv = argv;
	sp.envp = envp;
	sp.fail_status = 127;
	out[0] = '\0';
	if ((pid = spawn_start(&sp, &fd, &e)) == -1)
		return -1;
	while (off < len - 1 && (n = read(fd, out + off, len - 1 - off)) > 0)
		off += n;
	out[off] = '\0';
	close(fd);
	spawn_wait(pid, &status);
	return status;
}

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	if (d != NULL)
		closedir(d);
	return n - 1;	/* the directory's own */
}

static void
test_child_state(void)
{
	char out[4096], **env;
	unsigned long long blk, ign;
	sigset_t block;
	int leak, before, st;

	/* A descriptor of ours without O_CLOEXEC must not reach it. */
	leak = open("/dev/null", O_RDONLY);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	before = count_fds();
	st = run("ls /proc/$$/fd | tr '\\n' ' '", NULL, out, sizeof(out));
	CHECK_INT("child exits 0", WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	CHECK_STR("child has fds 0 1 2 only", out, "0 1 2 ");
	/* Builtins only: dash blocks every signal while it vforks. */
	run("while read -r k v; do case $k in SigBlk:|SigIgn:) "
	    "printf '%s %s ' $k $v;; esac; done </proc/$$/status", NULL, out,
	    sizeof(out));
	/*
	 * Signals 32 and 33 are glibc's own: sigaction() refuses them,
	 * so whatever the suite inherited stays (under make check both
	 * were seen ignored); they are left out.
	 */
	if (sscanf(out, "SigBlk: %llx SigIgn: %llx", &blk, &ign) == 2)
		snprintf(out, sizeof(out), "SigBlk: %016llx SigIgn: %016llx ",
		    blk, ign & ~0x180000000ULL);
	CHECK_STR("child signals default, none blocked", out,
	    "SigBlk: 0000000000000000 SigIgn: 0000000000000000 ");
	CHECK_INT("no descriptor left behind", count_fds(), before);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	signal(SIGINT, SIG_DFL);
	close(leak);

	setenv("XSSH_T", "old", 1);
	env = spawn_env("XSSH_T", "new");
	run("env | grep '^XSSH_T=' | tr '\\n' ' '", env, out, sizeof(out));
	CHECK_STR("spawn_env sets, once", out, "XSSH_T=new ");
	spawn_env_free(env);
	CHECK_STR("spawn_env leaves ours", getenv("XSSH_T"), "old");
}

/* A socketpair on 0 and 1; our end talks to the child. */
static void
test_socketpair(void)
{
	char *argv[] = { "/bin/sh", "-c", "read x; echo got-$x", NULL };
	struct spawn sp = { .fd = { SPAWN_PIPE, SPAWN_PIPE, SPAWN_KEEP } };
	struct xerr e = { 0 };
	char buf[64] = "";
	ssize_t n;
	int fd, st;
	pid_t pid;

	sp.argv = argv;
	pid = spawn_start(&sp, &fd, &e);
	CHECK("socketpair child started", pid > 0);
	if (pid <= 0)
		return;
	(void)!write(fd, "ping\n", 5);
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	CHECK_STR("socketpair both ways", buf, "got-ping\n");
	close(fd);
	spawn_wait(pid, &st);
}

static char *
slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd == -1 ? 0 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd != -1)
		close(fd);
	return buf;
}

/* Exec fails: the message goes where the log goes, then the status. */
static void
test_exec_failure(void)
{
	char *argv[] = { "/nonexistent/prog", NULL };
	struct spawn sp = { .fd = { SPAWN_KEEP, SPAWN_KEEP, SPAWN_KEEP } };
	struct xerr e = { 0 };
	char log[256], buf[512];
	pid_t pid;
	int st = 0;

	snprintf(log, sizeof(log), "%s/fail.log", tmpdir);
	sp.argv = argv;
	sp.fail_msg = "Couldn't execute it: ";
	sp.fail_level = LOG_ERROR;
	sp.fail_status = 127;
	if (log_init(LOG_INFO, log) != 0)
		return;
	pid = spawn_start(&sp, NULL, &e);
	spawn_wait(pid, &st);
	CHECK_INT("failed exec: status", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
	    127);
	CHECK_STR("failed exec: said in the -E file", slurp(log, buf,
	    sizeof(buf)), "Couldn't execute it: No such file or directory\n");
	log_set_level(LOG_QUIET);
	pid = spawn_start(&sp, NULL, &e);
	spawn_wait(pid, &st);
	CHECK_STR("failed exec: nothing more with -q", slurp(log, buf,
	    sizeof(buf)), "Couldn't execute it: No such file or directory\n");
	log_set_level(LOG_INFO);
	sp.fail_signal = SIGTERM;
	pid = spawn_start(&sp, NULL, &e);
	spawn_wait(pid, &st);
	CHECK_INT("failed exec: dies of fail_signal",
	    WIFSIGNALED(st) ? WTERMSIG(st) : -1, SIGTERM);
	log_close();
}

static void *
fatal_thread(void *arg)
{
	fatal("boom %d", 7);
}

static void
on_term(int sig)
{
	tty_restore();
}

/*
 * In a child of ours: the terminal (a pty) raw or without echo, then
 * fatal() from another thread or a signal; the parent checks the
 * pty's mode and the log.
 */
static int
fatal_child(int slave, int how, int level, const char *log)
{
	struct sigaction sa;
	pthread_t t;
	pid_t pid;
	int st = -1;

	if ((pid = fork()) == 0) {
		dup2(slave, STDIN_FILENO);
		if (log_init(level, log) != 0)
			_exit(1);
		if (how == 0) {
			tty_enter_raw();
			pthread_create(&t, NULL, fatal_thread, NULL);
			pthread_join(t, NULL);
			_exit(2);
		}
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_term;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		tty_echo_off(STDIN_FILENO);
		raise(SIGTERM);
		_exit(3);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
test_fatal(void)
{
	struct termios tio;
	char log[256], buf[512];
	int master, slave;

	if ((master = posix_openpt(O_RDWR | O_NOCTTY)) == -1 ||
	    grantpt(master) == -1 || unlockpt(master) == -1 ||
	    (slave = open(ptsname(master), O_RDWR | O_NOCTTY)) == -1) {
		printf("# no pty: %s\n", strerror(errno));
		return;
	}
	snprintf(log, sizeof(log), "%s/fatal.log", tmpdir);
	CHECK_INT("fatal from a thread exits 255",
	    fatal_child(slave, 0, LOG_INFO, log), 255);
	tcgetattr(slave, &tio);
	CHECK("fatal puts the terminal back",
	    (tio.c_lflag & (ECHO | ICANON | ISIG)) == (ECHO | ICANON | ISIG));
	CHECK_STR("fatal says it in the -E file", slurp(log, buf,
	    sizeof(buf)), "xssh: boom 7\n");
	unlink(log);
	fatal_child(slave, 0, LOG_QUIET, log);
	CHECK_STR("fatal says nothing with -q", slurp(log, buf, sizeof(buf)),
	    "");
	CHECK_INT("a signal at a prompt", fatal_child(slave, 1, LOG_INFO,
	    log), 3);
	tcgetattr(slave, &tio);
	CHECK("a signal at a prompt puts echo back",
	    (tio.c_lflag & ECHO) != 0);
	close(slave);
	close(master);
}

int
main(void)
{
	char cmd[300];

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	test_child_state();
	test_socketpair();
	test_exec_failure();
	test_fatal();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	(void)!system(cmd);
	UNIT_END();
}
