/*
 * Terminal modes for the pty request (see ttymodes.h).  libssh 0.12
 * encodes them too, but from its own stdin and with "sane" defaults
 * when that is no terminal; ssh sends the terminal's modes as they were
 * before raw mode, and none at all without a terminal, and a mux
 * master must send its client's terminal, not its own.
 */
#include <stddef.h>
#include <stdint.h>
#include <termios.h>
#include <unistd.h>

#include "ttymodes.h"

#define TTY_OP_END	0
#define TTY_OP_ISPEED	128
#define TTY_OP_OSPEED	129

/* Control characters, in ssh's order (ttymodes.h TTYCHAR). */
static const struct {
	unsigned char	op;
	int		index;
} tty_chars[] = {
	{ 1, VINTR }, { 2, VQUIT }, { 3, VERASE }, { 4, VKILL },
	{ 5, VEOF }, { 6, VEOL }, { 7, VEOL2 }, { 8, VSTART },
	{ 9, VSTOP }, { 10, VSUSP }, { 12, VREPRINT }, { 13, VWERASE },
	{ 14, VLNEXT }, { 18, VDISCARD },
};

enum field { IFLAG, LFLAG, OFLAG, CFLAG };

/*
 * Flags, in ssh's order (ttymodes.h TTYMODE).  Each is sent as whether
 * any of its bits is set: CS7 and CS8 included, as ssh does.
 */
static const struct {
	unsigned char	op;
	enum field	field;
	tcflag_t	bits;
} tty_flags[] = {
	{ 30, IFLAG, IGNPAR }, { 31, IFLAG, PARMRK }, { 32, IFLAG, INPCK },
	{ 33, IFLAG, ISTRIP }, { 34, IFLAG, INLCR }, { 35, IFLAG, IGNCR },
	{ 36, IFLAG, ICRNL }, { 37, IFLAG, IUCLC }, { 38, IFLAG, IXON },
	{ 39, IFLAG, IXANY }, { 40, IFLAG, IXOFF }, { 41, IFLAG, IMAXBEL },
	{ 42, IFLAG, IUTF8 },
	{ 50, LFLAG, ISIG }, { 51, LFLAG, ICANON }, { 52, LFLAG, XCASE },
	{ 53, LFLAG, ECHO }, { 54, LFLAG, ECHOE }, { 55, LFLAG, ECHOK },
	{ 56, LFLAG, ECHONL }, { 57, LFLAG, NOFLSH }, { 58, LFLAG, TOSTOP },
	{ 59, LFLAG, IEXTEN }, { 60, LFLAG, ECHOCTL }, { 61, LFLAG, ECHOKE },
	{ 62, LFLAG, PENDIN },
	{ 70, OFLAG, OPOST }, { 71, OFLAG, OLCUC }, { 72, OFLAG, ONLCR },
	{ 73, OFLAG, OCRNL }, { 74, OFLAG, ONOCR }, { 75, OFLAG, ONLRET },
	{ 90, CFLAG, CS7 }, { 91, CFLAG, CS8 }, { 92, CFLAG, PARENB },
	{ 93, CFLAG, PARODD },
};

/* speed_t to bits per second (ssh's speed_to_baud()). */
static const struct {
	speed_t		speed;
	uint32_t	baud;
} tty_speeds[] = {
	{ B0, 0 }, { B50, 50 }, { B75, 75 }, { B110, 110 }, { B134, 134 },
	{ B150, 150 }, { B200, 200 }, { B300, 300 }, { B600, 600 },
	{ B1200, 1200 }, { B1800, 1800 }, { B2400, 2400 }, { B4800, 4800 },
	{ B9600, 9600 }, { B19200, 19200 }, { B38400, 38400 },
	{ B57600, 57600 }, { B115200, 115200 }, { B230400, 230400 },
};

static uint32_t
speed_baud(speed_t s)
{
	size_t i;

	for (i = 0; i < sizeof(tty_speeds) / sizeof(tty_speeds[0]); i++)
		if (tty_speeds[i].speed == s)
			return tty_speeds[i].baud;
	return 9600;	/* ssh's answer for any other speed */
}

static unsigned char *
put_op(unsigned char *p, unsigned char op, uint32_t v)
{
	*p++ = op;
	*p++ = (unsigned char)(v >> 24);
	*p++ = (unsigned char)(v >> 16);
	*p++ = (unsigned char)(v >> 8);
	*p++ = (unsigned char)v;
	return p;
}

size_t
ttymodes_encode(const struct termios *tio, unsigned char *buf)
{
	unsigned char *p = buf;
	tcflag_t v;
	size_t i;
	cc_t c;

	if (tio != NULL) {
		p = put_op(p, TTY_OP_OSPEED, speed_baud(cfgetospeed(tio)));
		p = put_op(p, TTY_OP_ISPEED, speed_baud(cfgetispeed(tio)));
		for (i = 0; i < sizeof(tty_chars) / sizeof(tty_chars[0]); i++) {
			c = tio->c_cc[tty_chars[i].index];
			/* A disabled character is 255 on the wire. */
			p = put_op(p, tty_chars[i].op,
			    c == _POSIX_VDISABLE ? 255 : c);
		}
		for (i = 0; i < sizeof(tty_flags) / sizeof(tty_flags[0]); i++) {
			switch (tty_flags[i].field) {
			case IFLAG: v = tio->c_iflag; break;
			case LFLAG: v = tio->c_lflag; break;
			case OFLAG: v = tio->c_oflag; break;
			default:    v = tio->c_cflag; break;
			}
			p = put_op(p, tty_flags[i].op,
			    (v & tty_flags[i].bits) != 0);
		}
	}
	*p++ = TTY_OP_END;
	return (size_t)(p - buf);
}

size_t
ttymodes_of_fd(int fd, unsigned char *buf)
{
	struct termios tio;

	if (fd == -1 || tcgetattr(fd, &tio) == -1)
		return ttymodes_encode(NULL, buf);
	return ttymodes_encode(&tio, buf);
}
