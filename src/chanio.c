/*
 * The channel-I/O engine (see chanio.h).
 *
 * libssh 0.12's flow control, which all of this is shaped by:
 * - ssh_channel_read_timeout(.., 0) never blocks; it returns SSH_AGAIN
 *   when nothing is there (sshlib_read() makes that 0).
 * - After a read call libssh tops the window back up to 2 MiB, counting
 *   what it already buffers, and stdout and stderr share the window:
 *   libssh never holds more than a window.  The engine reads the
 *   channel only when each buffer it feeds can take a whole window, so
 *   that one read call empties what libssh holds and the two layers
 *   together hold at most one window and one buffer.  (libssh 0.10
 *   topped the window up whatever it held: 1 GiB sent to a reader that
 *   paused once left 250 MB in the client; 47-auth and 35-session
 *   check the bound still holds.)
 * - libssh gives no event when the peer's window reopens: it is
 *   polled with ssh_channel_window_size() before every write.
 * Buffers are allocated when first needed, and those of a forwarded
 * connection are given back when they empty, so that idle channels
 * cost nothing.
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chanio.h"
#include "sshlib.h"
#include "xssh.h"

/* Local bytes waiting for the channel. */
#define CHANIO_INBUF	(256 * 1024)
/* Channel bytes waiting for a descriptor: a window and some. */
#define CHANIO_OUTBUF	(SSHLIB_WINDOW + 256 * 1024)

void
chanio_init(struct chanio *c, ssh_channel ch, enum chanio_kind kind,
    int in_fd, int out_fd, int err_fd)
{
	int flags;

	memset(c, 0, sizeof(*c));
	c->ch = ch;
	c->kind = kind;
	c->in_fd = in_fd;
	c->out_fd = out_fd;
	c->err_fd = err_fd;
	c->in_eof = in_fd == -1;
	/* A terminal is left blocking (session.c): never wait on it. */
	if (in_fd != -1 && (flags = fcntl(in_fd, F_GETFL)) != -1)
		c->in_poll = !(flags & O_NONBLOCK);
	c->to_chan.cap = CHANIO_INBUF;
	c->to_out.cap = c->to_err.cap = CHANIO_OUTBUF;
}

void
chanio_attach_fd(struct chanio *c, int fd)
{
	int flags;

	c->in_fd = c->out_fd = fd;
	c->in_eof = fd == -1;
	c->in_poll = fd != -1 && (flags = fcntl(fd, F_GETFL)) != -1 &&
	    !(flags & O_NONBLOCK);
}

static void
iobuf_release(struct iobuf *b)
{
	free(b->data);
	b->data = NULL;
	b->off = b->len = 0;
}

/* Make room contiguous at the tail; the room, allocating at need. */
static size_t
iobuf_room(struct iobuf *b)
{
	if (b->data == NULL)
		b->data = xmalloc(b->cap);
	if (b->len == 0)
		b->off = 0;
	else if (b->off > 0 && b->off + b->len > b->cap / 2) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
	}
	return b->cap - b->off - b->len;
}

static char *
iobuf_tail(struct iobuf *b)
{
	return b->data + b->off + b->len;
}

static void
iobuf_consume(struct iobuf *b, size_t n)
{
	b->off += n;
	b->len -= n;
	if (b->len == 0)
		b->off = 0;
}

/*
 * Whether a whole window fits in b.  window_tail() then gives the
 * place to read it to, contiguous, allocating the buffer at need.
 */
static int
window_fits(const struct iobuf *b)
{
	return b->cap - b->len >= SSHLIB_WINDOW;
}

static char *
window_tail(struct iobuf *b)
{
	if (b->data == NULL)
		b->data = xmalloc(b->cap);
	if (b->cap - b->off - b->len < SSHLIB_WINDOW) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
	}
	return iobuf_tail(b);
}

int
chanio_queue_to_chan(struct chanio *c, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (iobuf_room(&c->to_chan) < n)
		return -1;
	memcpy(iobuf_tail(&c->to_chan), p, n);
	c->to_chan.len += n;
	return 0;
}

int
chanio_queue_to_out(struct chanio *c, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (iobuf_room(&c->to_out) < n)
		return -1;
	memcpy(iobuf_tail(&c->to_out), p, n);
	c->to_out.len += n;
	return 0;
}

/*
 * What the buffer holds to fd; 1 if anything moved.  When fd fails
 * (EPIPE: nobody reads any more), *failed is set and what would go
 * there is dropped from then on.
 */
static int
drain(struct iobuf *b, int fd, int *failed)
{
	ssize_t n;
	int moved = 0;

	while (b->len > 0 && !*failed && fd != -1) {
		n = send(fd, b->data + b->off, b->len, MSG_NOSIGNAL);
		if (n == -1 && errno == ENOTSOCK)
			n = write(fd, b->data + b->off, b->len);
		if (n > 0) {
			iobuf_consume(b, n);
			moved = 1;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		*failed = 1;
	}
	if (*failed || fd == -1) {
		moved |= b->len > 0;
		b->len = 0;
		b->off = 0;
	}
	return moved;
}

static int
drain_out(struct chanio *c)
{
	int failed = c->out_failed, moved;

	moved = drain(&c->to_out, c->out_fd, &failed);
	c->out_failed = failed;
	return moved;
}

static int
drain_err(struct chanio *c)
{
	int failed = c->err_failed, moved;

	moved = drain(&c->to_err, c->err_fd, &failed);
	c->err_failed = failed;
	return moved;
}

/*
 * Extended data: to err_fd, or read and dropped when it has nowhere
 * to go (a direct-tcpip channel has no stderr; a peer that sends some
 * anyway must not stall the window the two streams share).
 */
static int
read_stderr(struct chanio *c)
{
	char scratch[16 * 1024];
	int n, moved = 0;

	while (ssh_channel_poll(c->ch, 1) > 0) {
		if (c->err_fd == -1 || c->err_failed) {
			if (sshlib_read(c->ch, scratch, sizeof(scratch), 1) <= 0)
				break;
			continue;
		}
		if (!window_fits(&c->to_err))
			break;
		n = sshlib_read(c->ch, window_tail(&c->to_err), SSHLIB_WINDOW,
		    1);
		if (n <= 0)
			break;
		c->to_err.len += n;
		moved = 1;
	}
	return moved;
}

/* Channel data into the buffers; 1 if anything moved, -1 on failure. */
static int
read_channel(struct chanio *c)
{
	int n, avail, moved = 0, err_used;

	err_used = c->err_fd != -1 && !c->err_failed;
	if (c->chan_eof || !window_fits(&c->to_out) ||
	    (err_used && !window_fits(&c->to_err)))
		return 0;
	moved = read_stderr(c);
	/* Nothing waits in libssh: no buffer is needed for it. */
	while ((avail = ssh_channel_poll(c->ch, 0)) > 0 &&
	    window_fits(&c->to_out)) {
		n = sshlib_read(c->ch, window_tail(&c->to_out), SSHLIB_WINDOW,
		    0);
		if (n <= 0)
			break;
		c->to_out.len += n;
		c->bytes_in += n;
		moved = 1;
	}
	if (avail > 0)
		return moved;
	if (avail == SSH_ERROR && !ssh_channel_is_closed(c->ch) &&
	    !ssh_channel_is_eof(c->ch) && c->kind != CHANIO_STREAM) {
		c->failed = "read";
		return -1;
	}
	if (avail == SSH_ERROR || avail == SSH_EOF ||
	    ssh_channel_is_eof(c->ch) || ssh_channel_is_closed(c->ch)) {
		/* Over once stderr is drained from libssh too. */
		if (avail == SSH_ERROR || ssh_channel_poll(c->ch, 1) <= 0) {
			c->chan_eof = 1;
			moved = 1;
		}
	}
	return moved;
}

/* Local input into the channel buffer; 1 if anything moved. */
static int
read_local(struct chanio *c)
{
	char raw[4096];
	struct pollfd p;
	size_t room, outlen;
	ssize_t n;
	int moved = 0, r;

	while (!c->in_eof && !c->quit && (room = iobuf_room(&c->to_chan)) > 0) {
		if (c->in_poll) {
			p.fd = c->in_fd;
			p.events = POLLIN;
			if (poll(&p, 1, 0) <= 0)
				break;
		}
		if (c->filter == NULL)
			n = read(c->in_fd, iobuf_tail(&c->to_chan), room);
		else if (room < 2)
			break;
		else {
			/* A filter writes at most one byte more than it
			   reads (an escape character held back). */
			n = read(c->in_fd, raw, room - 1 < sizeof(raw) ?
			    room - 1 : sizeof(raw));
			if (n > 0) {
				outlen = 0;
				r = c->filter(c->filter_arg, raw, n,
				    iobuf_tail(&c->to_chan), &outlen);
				c->to_chan.len += outlen;
				moved = 1;
				if (r == CHANIO_QUIT) {
					c->quit = 1;
					return 1;
				}
				if (r == CHANIO_INPUT_END)
					c->in_eof = 1;
				continue;
			}
		}
		if (n > 0) {
			c->to_chan.len += n;
			moved = 1;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		c->in_eof = 1;	/* EOF, or an error reads as one */
		moved = 1;
	}
	return moved;
}

/* The channel buffer to the channel, within the peer's window. */
static int
write_channel(struct chanio *c)
{
	uint32_t window;
	size_t len;
	int n, moved = 0;

	if (ssh_channel_is_closed(c->ch) || c->eof_sent) {
		/* Nobody to send to: what comes in is dropped. */
		moved = c->to_chan.len > 0;
		c->to_chan.len = c->to_chan.off = 0;
		return moved;
	}
	while (c->to_chan.len > 0) {
		if ((window = ssh_channel_window_size(c->ch)) == 0) {
			c->window_stalls++;
			break;
		}
		len = c->to_chan.len < window ? c->to_chan.len : window;
		n = ssh_channel_write(c->ch, c->to_chan.data + c->to_chan.off,
		    len);
		if (n == SSH_ERROR) {
			if (c->kind == CHANIO_STREAM) {
				/* That connection is over; the rest goes on. */
				c->to_chan.len = c->to_chan.off = 0;
				c->in_eof = 1;
				return 1;
			}
			c->failed = "write";
			return -1;
		}
		if (n <= 0)
			break;	/* re-keying, or SSH_AGAIN: later */
		if ((size_t)n > c->to_chan.len)
			n = (int)c->to_chan.len;
		iobuf_consume(&c->to_chan, n);
		c->bytes_out += n;
		moved = 1;
	}
	if (c->in_eof && c->to_chan.len == 0 && !c->eof_sent) {
		ssh_channel_send_eof(c->ch);
		c->eof_sent = 1;
		moved = 1;
	}
	return moved;
}

int
chanio_pump(struct chanio *c)
{
	int moved = 0, n;

	if (c->ch == NULL)
		return 0;
	if ((n = read_channel(c)) == -1)
		return -1;
	moved |= n;
	moved |= drain_out(c);
	moved |= drain_err(c);
	/*
	 * Nobody reads the command's output: ssh sends eow@openssh.com
	 * so that sshd closes it; libssh (0.12 as 0.10) cannot, and closing the
	 * channel has the same effect (and ssh's 255).
	 */
	if ((c->kind == CHANIO_SESSION || c->kind == CHANIO_STDIO) &&
	    c->out_failed && !ssh_channel_is_closed(c->ch)) {
		ssh_channel_close(c->ch);
		c->chan_eof = 1;
		moved = 1;
	}
	moved |= read_local(c);
	if (c->quit)
		return 1;
	if ((n = write_channel(c)) == -1)
		return -1;
	moved |= n;
	/* The channel's EOF, passed on to a socket as a half-close. */
	if ((c->kind == CHANIO_HOP || c->kind == CHANIO_STREAM) &&
	    c->chan_eof && c->to_out.len == 0 && !c->out_shut &&
	    !c->out_failed && c->out_fd != -1) {
		shutdown(c->out_fd, SHUT_WR);
		c->out_shut = 1;
		moved = 1;
	}
	if (c->kind == CHANIO_STREAM) {
		/* An idle connection keeps no buffers. */
		if (c->to_out.len == 0)
			iobuf_release(&c->to_out);
		if (c->to_err.len == 0)
			iobuf_release(&c->to_err);
		if (c->to_chan.len == 0)
			iobuf_release(&c->to_chan);
	}
	return moved;
}

int
chanio_done(const struct chanio *c)
{
	if (c->ch == NULL)
		return 1;
	switch (c->kind) {
	case CHANIO_HOP:
		/* Over when the next hop's session has gone. */
		if (c->in_eof && c->to_chan.len == 0)
			return 1;
		return c->chan_eof && c->to_out.len == 0 && c->in_eof;
	case CHANIO_SESSION:
		/* sshd sends EOF before exit-status: wait for the close. */
		return c->chan_eof && c->to_out.len == 0 &&
		    c->to_err.len == 0 && ssh_channel_is_closed(c->ch);
	case CHANIO_STDIO:
		return c->chan_eof && c->to_out.len == 0;
	case CHANIO_STREAM:
		if (c->out_failed || ssh_channel_is_closed(c->ch))
			return c->to_out.len == 0;
		return c->chan_eof && c->in_eof && c->to_out.len == 0 &&
		    c->to_chan.len == 0 && c->eof_sent;
	}
	return 1;
}

static int
add_fd(struct pollfd *p, int n, int max, int fd, short events)
{
	int i;

	if (fd == -1 || events == 0)
		return n;
	for (i = 0; i < n; i++)
		if (p[i].fd == fd) {
			p[i].events |= events;
			return n;
		}
	if (n == max)
		return n;
	p[n].fd = fd;
	p[n].events = events;
	p[n].revents = 0;
	return n + 1;
}

int
chanio_pollfds(const struct chanio *c, struct pollfd *p, int max)
{
	int n = 0;

	if (c->ch == NULL)
		return 0;
	if (!c->in_eof && !c->quit && c->to_chan.len < c->to_chan.cap)
		n = add_fd(p, n, max, c->in_fd, POLLIN);
	if (c->to_out.len > 0 && !c->out_failed)
		n = add_fd(p, n, max, c->out_fd, POLLOUT);
	if (c->to_err.len > 0 && !c->err_failed)
		n = add_fd(p, n, max, c->err_fd, POLLOUT);
	return n;
}

void
chanio_free(struct chanio *c)
{
	iobuf_release(&c->to_chan);
	iobuf_release(&c->to_out);
	iobuf_release(&c->to_err);
}

void
chanio_close(struct chanio *c)
{
	if (c->ch != NULL) {
		if (!ssh_channel_is_closed(c->ch))
			ssh_channel_close(c->ch);
		ssh_channel_free(c->ch);
		c->ch = NULL;
	}
	if (c->in_fd != -1)
		close(c->in_fd);
	if (c->out_fd != -1 && c->out_fd != c->in_fd)
		close(c->out_fd);
	if (c->err_fd != -1 && c->err_fd != c->in_fd &&
	    c->err_fd != c->out_fd)
		close(c->err_fd);
	c->in_fd = c->out_fd = c->err_fd = -1;
	chanio_free(c);
}
