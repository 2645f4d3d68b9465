/*
 * The local terminal: raw mode, echo off at prompts, non-blocking
 * stdio, all put back by tty_restore(); window size, SIGWINCH (tty.c).
 */
#ifndef XSSH_TTY_H
#define XSSH_TTY_H

int	tty_enter_raw(void);
void	tty_leave_raw(void);
int	tty_is_raw(void);
int	tty_echo_off(int fd);
void	tty_echo_restore(void);
void	tty_set_nonblock(int fd);
void	tty_restore(void);
void	tty_size(int *cols, int *rows);
int	tty_winch_start(void);
int	tty_winch_take(int forced);
void	tty_winch_stop(void);

#endif
