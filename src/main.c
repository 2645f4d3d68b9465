/*
 * xssh: parse the command line, resolve the hop list, connect every
 * hop, run the session, tear down.  The only place that decides the
 * exit status: the remote command's, or 255 for our own errors.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <paths.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "args.h"
#include "background.h"
#include "chain.h"
#include "dumpconf.h"
#include "mux.h"
#include "session.h"
#include "tty.h"

/* As ssh's fatal(): to stderr or the -E file, and not at all with -q. */
static void
print_error(const struct xerr *e)
{
	if (e->code == XE_CONFIG || e->bare)
		log_msg(LOG_FATAL, "%s", e->msg);
	else
		log_msg(LOG_FATAL, "xssh: %s", e->msg);
}

/*
 * Fatal signals: put the terminal back (raw mode, or echo at a
 * password prompt), then die as ssh does.
 */
static void
on_fatal_signal(int sig)
{
	tty_restore();
	_exit(255);
}

/*
 * As ssh's sanitise_stdfd(): 0, 1 and 2 open, on /dev/null if need
 * be, so that no socket or file of ours is taken for one of them.
 */
static void
sanitise_stdfd(void)
{
	int fd, i;

	if ((fd = open(_PATH_DEVNULL, O_RDWR)) == -1) {
		fprintf(stderr, "Couldn't open %s: %s\n", _PATH_DEVNULL,
		    strerror(errno));
		exit(1);
	}
	for (i = 0; i < 3 && fd <= 2; i++)
		if (fcntl(i, F_GETFL) == -1 && dup2(fd, i) == -1)
			exit(1);
	if (fd > 2)
		close(fd);
}

static void
install_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
	struct sigaction sa, old;
	size_t i;

	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* As ssh: a signal ignored by our parent stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

int
main(int argc, char **argv)
{
	struct args a;
	struct chain c = { 0 };
	struct xerr e = { 0 };
	int r, exit_code = 255, level;

	/*
	 * As ssh: files created without an explicit mode (known_hosts)
	 * are never group or world writable, whatever the umask.
	 */
	umask(022 | umask(077));
	sanitise_stdfd();
	install_signals();
	r = args_parse(argc, argv, &a, &e);
	if (r == ARGS_VERSION) {
		fprintf(stderr, "xssh %s, libssh %s, %s\n", XSSH_VERSION,
		    ssh_version(0), OpenSSL_version(OPENSSL_VERSION));
		args_free(&a);
		return 0;
	}
	if (r == ARGS_USAGE) {
		fputs(args_usage(), stderr);
		args_free(&a);
		return 255;
	}
	if (r != ARGS_RUN)
		goto fail;
	level = a.opts.log_level != -1 ? a.opts.log_level : LOG_INFO;
	if (log_init(level, a.log_file) != 0) {
		args_free(&a);
		return 1;	/* as ssh */
	}
	if (a.print_config) {
		/* -G: print the destination's configuration (dumpconf.c). */
		if (dumpconf_main(&a, &e) != 0)
			goto fail;
		args_free(&a);
		log_close();
		return 0;
	}
	if (chain_resolve(&c, &a, &e) != 0)
		goto fail;
	if (a.show_chain) {
		chain_show(&c);
		chain_free(&c);
		args_free(&a);
		return 0;
	}
	/* LogLevel from the destination's config, unless -v or -q. */
	if (c.hop[c.n - 1]->opts.log_level != level)
		log_set_level(c.hop[c.n - 1]->opts.log_level);
	if (!a.test_chain && session_prepare(&c, &a, &e) != 0) {
		chain_free(&c);
		goto fail;
	}
	if (a.test_chain)
		exit_code = chain_test(&c, &e) == 0 ? 0 : 255;
	else if ((r = mux_client_main(&c, &a, &exit_code, &e)) == 0)
		;	/* done by the master of -S / ControlPath */
	else if (r == -1 || chain_connect(&c, &e) != 0 ||
	    session_connected(&c, &e) != 0 ||
	    session_run(&c, &a, &exit_code, &e) != 0) {
		/* A hop that broke says so, not the hops after it. */
		chain_close(&c);
		chain_broken_hop(&c, &e);
		print_error(&e);
		exit_code = 255;
	}
	chain_close(&c);
	chain_free(&c);
	args_free(&a);
	log_close();
	return exit_code;
 fail:
	print_error(&e);
	args_free(&a);
	return 255;
}
