/*
 * The user's terminal, and the one owner of its modes: raw mode for an
 * interactive session (ours or a mux passenger's), echo off while a
 * secret is typed at a prompt, and the non-blocking flag a session
 * sets on stdin, stdout and stderr (shared with the user's shell: the
 * flag belongs to the open file, not to our descriptor).
 * tty_restore() puts all of it back and is safe from a signal handler
 * and from any thread (fatal()): what it needs was saved before the
 * flag saying so was set, and it only calls tcsetattr(), fcntl() and
 * write().  Also the window size, and SIGWINCH turned into a readable
 * pipe that the session's relay polls.
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

static struct termios raw_saved;	/* stdin before raw mode */
static volatile sig_atomic_t tty_raw;
static struct termios echo_saved;	/* the prompt's terminal before */
static volatile sig_atomic_t echo_fd = -1;
static volatile sig_atomic_t saved_flags[3] = { -1, -1, -1 };
static int winch_pipe[2] = { -1, -1 };
static volatile sig_atomic_t winch_wr = -1;	/* the handler's end */

int
tty_enter_raw(void)
{
	struct termios tio;

	if (tty_raw)
		return 0;
	if (tcgetattr(STDIN_FILENO, &raw_saved) == -1)
		return -1;
	tio = raw_saved;
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

void
tty_leave_raw(void)
{
	if (!tty_raw)
		return;
	tty_raw = 0;
	tcsetattr(STDIN_FILENO, TCSADRAIN, &raw_saved);
	log_set_raw(0);
}

/*
 * Echo off on fd (the prompt's /dev/tty), as ssh's readpassphrase():
 * lines and signals still work, so ^C reaches our handler, which puts
 * echo back through tty_restore().  -1 if fd is no terminal.
 */
int
tty_echo_off(int fd)
{
	struct termios quiet;

	if (echo_fd != -1 || tcgetattr(fd, &echo_saved) == -1)
		return -1;
	quiet = echo_saved;
	quiet.c_lflag &= ~(ECHO | ECHONL);
	quiet.c_lflag |= ICANON | ISIG;
	if (tcsetattr(fd, TCSAFLUSH, &quiet) == -1)
		return -1;
	echo_fd = fd;
	return 0;
}

/* Echo back on, and the newline the user's Enter did not show. */
void
tty_echo_restore(void)
{
	int fd = echo_fd;

	if (fd == -1)
		return;
	echo_fd = -1;
	tcsetattr(fd, TCSAFLUSH, &echo_saved);
	(void)!write(fd, "\n", 1);
}

/* Non-blocking fd, as ssh does for non-terminals; undone on restore. */
void
tty_set_nonblock(int fd)
{
	int flags;

	if (isatty(fd) || (flags = fcntl(fd, F_GETFL)) == -1)
		return;
	if (fd < 3 && saved_flags[fd] == -1)
		saved_flags[fd] = flags;
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* Everything as it was: from anywhere, a signal handler included. */
void
tty_restore(void)
{
	int i, flags;

	tty_echo_restore();
	tty_leave_raw();
	for (i = 0; i < 3; i++)
		if ((flags = saved_flags[i]) != -1) {
			saved_flags[i] = -1;
			fcntl(i, F_SETFL, flags);
		}
}

int
tty_is_raw(void)
{
	return tty_raw;
}

/* The terminal's size; 0x0 when stdin is no terminal, as ssh sends. */
void
tty_size(int *cols, int *rows)
{
	struct winsize ws;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == -1)
		memset(&ws, 0, sizeof(ws));
	*cols = ws.ws_col;
	*rows = ws.ws_row;
}

static void
on_winch(int sig)
{
	int saved = errno;

	if (winch_wr != -1)
		(void)!write(winch_wr, "w", 1);
	errno = saved;
}

/* The read end of a pipe that becomes readable on SIGWINCH, or -1. */
int
tty_winch_start(void)
{
	struct sigaction sa;

	if (winch_pipe[0] != -1)
		return winch_pipe[0];
	if (pipe2(winch_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	winch_wr = winch_pipe[1];
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
	winch_wr = -1;
	for (i = 0; i < 2; i++) {
		close(winch_pipe[i]);
		winch_pipe[i] = -1;
	}
}
