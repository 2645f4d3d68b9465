/*
 * The local terminal of an interactive session: raw mode and putting
 * the old mode back (on every way out, signal handlers included), the
 * window size, and SIGWINCH turned into a readable pipe that the
 * session's relay polls.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "tty.h"
#include "xssh.h"

static struct termios saved_tio;
static volatile sig_atomic_t tty_raw;
static int winch_pipe[2] = { -1, -1 };

int
tty_enter_raw(void)
{
	struct termios tio;

	if (tty_raw)
		return 0;
	if (tcgetattr(STDIN_FILENO, &saved_tio) == -1)
		return -1;
	tio = saved_tio;
	/* As ssh's enter_raw_mode(): no echo, no signals, no CR/NL maps. */
	tio.c_iflag |= IGNPAR;
	tio.c_iflag &= ~(ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXANY |
	    IXOFF | IUCLC);
	tio.c_lflag &= ~(ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHONL |
	    IEXTEN);
	tio.c_oflag &= ~OPOST;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &tio) == -1)
		return -1;
	tty_raw = 1;
	log_set_raw(1);
	return 0;
}

/* Safe in a signal handler: tcsetattr() is async-signal-safe. */
void
tty_leave_raw(void)
{
	if (!tty_raw)
		return;
	tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tio);
	tty_raw = 0;
	log_set_raw(0);
}

int
tty_is_raw(void)
{
	return tty_raw;
}

/* The terminal's size, or 80x24 when stdin is no terminal. */
void
tty_size(int *cols, int *rows)
{
	struct winsize ws;

	*cols = 80;
	*rows = 24;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 &&
	    ws.ws_row > 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

static void
on_winch(int sig)
{
	int saved = errno;

	if (winch_pipe[1] != -1)
		(void)write(winch_pipe[1], "w", 1);
	errno = saved;
}

/* The read end of a pipe that becomes readable on SIGWINCH, or -1. */
int
tty_winch_start(void)
{
	struct sigaction sa;
	int i;

	if (winch_pipe[0] != -1)
		return winch_pipe[0];
	if (pipe(winch_pipe) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		fcntl(winch_pipe[i], F_SETFL, O_NONBLOCK);
		fcntl(winch_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
	return winch_pipe[0];
}

/* 1 if SIGWINCH came since the last call (or if forced is set). */
int
tty_winch_take(int forced)
{
	char buf[64];
	int got = forced;

	if (winch_pipe[0] == -1)
		return got;
	while (read(winch_pipe[0], buf, sizeof(buf)) > 0)
		got = 1;
	return got;
}

void
tty_winch_stop(void)
{
	int i;

	if (winch_pipe[0] == -1)
		return;
	signal(SIGWINCH, SIG_DFL);
	for (i = 0; i < 2; i++) {
		close(winch_pipe[i]);
		winch_pipe[i] = -1;
	}
}
