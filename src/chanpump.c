/*
 * A channel joined to a local descriptor (a forwarded connection):
 * bytes move both ways without blocking on either side, channel writes
 * stay within the peer's window (libssh 0.10 gives no event when it
 * reopens: it is polled), and channel reads go through
 * ssh_channel_read_timeout(.., 0), which grows the local window as the
 * descriptor drains (ssh_channel_read_nonblocking() never does).  EOF
 * travels each way on its own (half-close), as ssh's channels do.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fwd.h"

void
chanpump_init(struct chanpump *p, ssh_channel ch, int fd)
{
	memset(p, 0, sizeof(*p));
	p->ch = ch;
	p->fd = fd;
	p->to_fd = xmalloc(CHANPUMP_BUF);
	p->to_chan = xmalloc(CHANPUMP_BUF);
}

void
chanpump_free(struct chanpump *p)
{
	if (p->ch != NULL) {
		if (!ssh_channel_is_closed(p->ch))
			ssh_channel_close(p->ch);
		ssh_channel_free(p->ch);
	}
	if (p->fd != -1)
		close(p->fd);
	free(p->to_fd);
	free(p->to_chan);
	memset(p, 0, sizeof(*p));
	p->fd = -1;
}

/* The channel to the descriptor; 1 if anything moved. */
static int
chan_to_fd(struct chanpump *p)
{
	ssize_t n;
	int r, moved = 0;

	while (!p->chan_eof && p->tf_len < CHANPUMP_BUF) {
		r = ssh_channel_read_timeout(p->ch, p->to_fd + p->tf_len,
		    CHANPUMP_BUF - p->tf_len, 0, 0);
		if (r > 0) {
			p->tf_len += r;
			moved = 1;
			continue;
		}
		if (r == SSH_ERROR || ssh_channel_is_eof(p->ch) ||
		    ssh_channel_is_closed(p->ch)) {
			p->chan_eof = 1;
			moved = 1;
		}
		break;
	}
	while (p->tf_len > 0 && !p->fd_dead) {
		n = send(p->fd, p->to_fd, p->tf_len, MSG_NOSIGNAL);
		if (n == -1 && errno == ENOTSOCK)
			n = write(p->fd, p->to_fd, p->tf_len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			p->fd_dead = 1;
			break;
		}
		memmove(p->to_fd, p->to_fd + n, p->tf_len - n);
		p->tf_len -= n;
		moved = 1;
	}
	if (p->fd_dead)
		p->tf_len = 0;
	if (p->chan_eof && p->tf_len == 0 && !p->fd_shut && !p->fd_dead) {
		shutdown(p->fd, SHUT_WR);
		p->fd_shut = 1;
		moved = 1;
	}
	return moved;
}

/* The descriptor to the channel; 1 if anything moved. */
static int
fd_to_chan(struct chanpump *p)
{
	uint32_t window;
	ssize_t n;
	size_t len;
	int r, moved = 0;

	while (!p->fd_eof && p->tc_len < CHANPUMP_BUF) {
		n = read(p->fd, p->to_chan + p->tc_len,
		    CHANPUMP_BUF - p->tc_len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			p->fd_eof = 1;
			moved = 1;
			break;
		}
		p->tc_len += n;
		moved = 1;
	}
	while (p->tc_len > 0 && ssh_channel_is_open(p->ch) &&
	    (window = ssh_channel_window_size(p->ch)) > 0) {
		len = p->tc_len < window ? p->tc_len : window;
		r = ssh_channel_write(p->ch, p->to_chan, len);
		if (r == SSH_ERROR) {
			p->tc_len = 0;
			break;
		}
		if (r == 0)
			break;	/* re-keying: later */
		memmove(p->to_chan, p->to_chan + r, p->tc_len - r);
		p->tc_len -= r;
		moved = 1;
	}
	if (!ssh_channel_is_open(p->ch))
		p->tc_len = 0;
	if (p->fd_eof && p->tc_len == 0 && !p->eof_sent &&
	    ssh_channel_is_open(p->ch)) {
		ssh_channel_send_eof(p->ch);
		p->eof_sent = 1;
		moved = 1;
	}
	return moved;
}

int
chanpump_pump(struct chanpump *p)
{
	int moved;

	moved = chan_to_fd(p);
	moved |= fd_to_chan(p);
	return moved;
}

/* Over when both ways are done, or the channel closed and drained. */
int
chanpump_done(const struct chanpump *p)
{
	if (p->fd_dead || ssh_channel_is_closed(p->ch))
		return p->tf_len == 0;
	return p->chan_eof && p->fd_eof && p->tf_len == 0 && p->tc_len == 0 &&
	    p->eof_sent;
}

/* The descriptor's poll entry; 0 when there is nothing to wait for. */
int
chanpump_pollfd(const struct chanpump *p, struct pollfd *pfd)
{
	pfd->fd = p->fd;
	pfd->events = 0;
	if (!p->fd_eof && p->tc_len < CHANPUMP_BUF)
		pfd->events |= POLLIN;
	if (p->tf_len > 0 && !p->fd_dead)
		pfd->events |= POLLOUT;
	return pfd->events != 0;
}
