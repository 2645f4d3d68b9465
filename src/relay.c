/*
 * The relay loop.  One thread runs one relay and owns its session and
 * channel; nothing else touches them.  The session is non-blocking and
 * so are the local descriptors, so neither side can stall the other:
 * libssh 0.10 flushes its whole output buffer with a blocking send()
 * on the next hop's socketpair end, so this side must keep draining.
 *
 * Buffers are bounded: a side is read only while its buffer has room,
 * and the channel is written only within the peer's window, so a slow
 * reader slows the writer through every hop instead of growing memory.
 *
 * Reads from the channel use ssh_channel_read_timeout() with timeout 0:
 * unlike ssh_channel_read_nonblocking() it grows the receive window to
 * the size asked for.  But the channel calls only process incoming
 * packets while the asked-for buffer is empty and no EOF came, so each
 * pass runs the packet loop itself through an ssh_event holding just
 * this session: that flushes pending output, takes window adjustments
 * while the local reader is full, and sees exit-status and CLOSE after
 * EOF.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "relay.h"

#define RELAY_BUF	(256 * 1024)
/*
 * Channel data buffers hold all that libssh may buffer for a channel:
 * its window never passes max(the count asked for, 1280000 bytes).
 */
#define RELAY_CHANBUF	(1536 * 1024)
#define RELAY_EXTRA_FDS	64	/* extra descriptors polled, to start with */

static void
rbuf_init(struct rbuf *b, size_t cap)
{
	b->data = xmalloc(cap);
	b->off = b->len = 0;
	b->cap = cap;
}

static size_t
rbuf_room(struct rbuf *b)
{
	if (b->len == 0)
		b->off = 0;
	else if (b->off > 0 && b->off + b->len > b->cap / 2) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
	}
	return b->cap - b->off - b->len;
}

static char *
rbuf_tail(struct rbuf *b)
{
	return b->data + b->off + b->len;
}

static void
rbuf_consume(struct rbuf *b, size_t n)
{
	b->off += n;
	b->len -= n;
	if (b->len == 0)
		b->off = 0;
}

void
relay_init(struct relay *r, ssh_session s, ssh_channel ch, int in_fd,
    int out_fd, int err_fd)
{
	memset(r, 0, sizeof(*r));
	r->session = s;
	r->channel = ch;
	r->in_fd = in_fd;
	r->out_fd = out_fd;
	r->err_fd = err_fd;
	r->in_eof = in_fd == -1;
	r->wake_fd = -1;
	rbuf_init(&r->to_chan, RELAY_BUF);
	rbuf_init(&r->to_out, RELAY_CHANBUF);
	if (err_fd != -1)
		rbuf_init(&r->to_err, RELAY_CHANBUF);
}

int
relay_add_extra(struct relay *r, int (*pump)(void *),
    int (*pollfds)(void *, struct pollfd *, int), int (*busy)(void *),
    void *arg)
{
	if (r->n_extra == RELAY_MAX_EXTRAS)
		return -1;
	r->extra[r->n_extra].pump = pump;
	r->extra[r->n_extra].pollfds = pollfds;
	r->extra[r->n_extra].busy = busy;
	r->extra[r->n_extra].arg = arg;
	r->n_extra++;
	return 0;
}

void
relay_free(struct relay *r)
{
	free(r->to_chan.data);
	free(r->to_out.data);
	free(r->to_err.data);
	r->to_chan.data = r->to_out.data = r->to_err.data = NULL;
}

static int
relay_fail(struct relay *r, const char *what)
{
	const char *why = ssh_get_error(r->session);

	r->failed = 1;
	if (r->hop != NULL)
		hop_error(r->hop, &r->err, XE_PROTOCOL, "relay", "%s: %s",
		    what, why);
	else
		xerr_set(&r->err, XE_PROTOCOL, "%s: %s", what, why);
	return -1;
}

/*
 * Write what the buffer holds to fd; 1 if anything moved.  When fd
 * fails (EPIPE: nobody reads any more), *failed is set and what would
 * go there is dropped from then on.
 */
static int
drain_to_fd(struct rbuf *b, int fd, int *failed)
{
	ssize_t n;
	int moved = 0;

	while (b->len > 0 && !*failed) {
		n = write(fd, b->data + b->off, b->len);
		if (n > 0) {
			rbuf_consume(b, n);
			moved = 1;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		*failed = 1;
	}
	if (*failed) {
		moved |= b->len > 0;
		b->len = 0;
	}
	return moved;
}

/*
 * libssh 0.10 tops the channel's window up to 1280000 bytes after every
 * read call, even one that returns nothing, and the window is shared by
 * stdout and stderr: polling stderr while stdout data waited unread let
 * the server send without bound (250 MB held for a slow reader of
 * 1 GiB).  So the relay reads the channel only when both of its buffers
 * can take a whole window, and asks for no more than a window: then
 * libssh never holds more than one window, whatever the local readers
 * do.  Returns the room of b (made contiguous), or 0 to wait.
 */
#define LIBSSH_WINDOWBASE	1280000

static size_t
window_room(struct rbuf *b)
{
	if (b->data == NULL)
		return 0;
	if (b->cap - b->len < LIBSSH_WINDOWBASE)
		return 0;
	if (b->cap - b->off - b->len < LIBSSH_WINDOWBASE) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
	}
	return LIBSSH_WINDOWBASE;
}

static int
may_read(struct relay *r)
{
	return window_room(&r->to_out) > 0 &&
	    (r->to_err.data == NULL || window_room(&r->to_err) > 0);
}

/* Channel data into the local buffers; 1 if anything moved. */
static int
read_channel(struct relay *r)
{
	int n, moved = 0;
	size_t room;

	if (ssh_event_dopoll(r->event, 0) == SSH_ERROR &&
	    !ssh_is_connected(r->session))
		return relay_fail(r, "connection lost");
	if (r->channel == NULL || !may_read(r))
		return 0;
	while ((room = window_room(&r->to_err)) > 0) {
		n = ssh_channel_read_timeout(r->channel, rbuf_tail(&r->to_err),
		    room, 1, 0);
		if (n <= 0)
			break;
		r->to_err.len += n;
		moved = 1;
	}

	while ((room = window_room(&r->to_out)) > 0) {
		n = ssh_channel_read_timeout(r->channel, rbuf_tail(&r->to_out),
		    room, 0, 0);
		if (n == SSH_ERROR) {
			if (ssh_channel_is_closed(r->channel) ||
			    ssh_channel_is_eof(r->channel)) {
				r->chan_eof = 1;
				break;
			}
			return relay_fail(r, "read");
		}
		if (n == 0) {
			if (ssh_channel_is_eof(r->channel) ||
			    ssh_channel_is_closed(r->channel))
				r->chan_eof = r->to_err.data == NULL ||
				    ssh_channel_poll(r->channel, 1) <= 0;
			break;
		}
		r->to_out.len += n;
		r->bytes_in += n;
		moved = 1;
	}
	return moved;
}

/* Local input to the channel buffer; 1 if anything moved. */
static int
read_local(struct relay *r)
{
	ssize_t n;
	size_t room;
	int moved = 0;

	char raw[4096];
	size_t outlen;
	int out;

	while (!r->in_eof && !r->quit &&
	    (room = rbuf_room(&r->to_chan)) > 0) {
		if (r->in_blocking) {
			struct pollfd p = { .fd = r->in_fd, .events = POLLIN };

			if (poll(&p, 1, 0) <= 0)
				break;
		}
		if (r->input_filter == NULL)
			n = read(r->in_fd, rbuf_tail(&r->to_chan), room);
		else if (room < 2)
			break;
		else {
			/* A filter writes at most one byte more than it
			   reads (an escape character held back). */
			n = read(r->in_fd, raw, room - 1 < sizeof(raw) ?
			    room - 1 : sizeof(raw));
			if (n > 0) {
				out = r->input_filter(r->tty, raw, n,
				    rbuf_tail(&r->to_chan), &outlen);
				r->to_chan.len += outlen;
				moved = 1;
				if (out == RELAY_QUIT) {
					r->quit = 1;
					return 1;
				}
				if (out == RELAY_INPUT_END)
					r->in_eof = 1;
				continue;
			}
		}
		if (n > 0) {
			r->to_chan.len += n;
			moved = 1;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		r->in_eof = 1;	/* EOF, or an error reads as one */
		moved = 1;
	}
	return moved;
}

/* The channel buffer to the channel, within the peer's window. */
static int
write_channel(struct relay *r)
{
	uint32_t window;
	size_t len;
	int n, moved = 0;

	if (r->channel == NULL)
		return 0;
	if (ssh_channel_is_closed(r->channel)) {
		/* Nobody to send to: what comes in is dropped. */
		moved = r->to_chan.len > 0;
		r->to_chan.len = 0;
		return moved;
	}
	while (r->to_chan.len > 0) {
		window = ssh_channel_window_size(r->channel);
		if (window == 0)
			break;
		len = r->to_chan.len < window ? r->to_chan.len : window;
		n = ssh_channel_write(r->channel,
		    r->to_chan.data + r->to_chan.off, len);
		if (n == SSH_ERROR)
			return relay_fail(r, "write");
		if (n == 0)
			break;	/* re-keying: try again later */
		rbuf_consume(&r->to_chan, n);
		r->bytes_out += n;
		moved = 1;
	}
	if (r->in_eof && r->to_chan.len == 0 && !r->eof_sent &&
	    !ssh_channel_is_closed(r->channel)) {
		ssh_channel_send_eof(r->channel);
		r->eof_sent = 1;
		moved = 1;
	}
	return moved;
}

/* Do extra channels still carry connections? */
static int
extras_busy(struct relay *r)
{
	int i;

	for (i = 0; i < r->n_extra; i++)
		if (r->extra[i].busy != NULL && r->extra[i].busy(r->extra[i].arg))
			return 1;
	return 0;
}

/* Is the relay's work over? */
static int
relay_done(struct relay *r)
{
	if (r->failed)
		return 1;
	if (r->mode == RELAY_NONE)
		return r->stop != NULL && *r->stop;
	if (r->mode == RELAY_STDIO)
		return r->chan_eof && r->to_out.len == 0;
	if (r->mode == RELAY_SESSION) {
		/*
		 * The remote command: over when the channel is closed.
		 * sshd sends EOF before exit-status, so EOF is too soon.
		 */
		return r->chan_eof && r->to_out.len == 0 &&
		    r->to_err.len == 0 && ssh_channel_is_closed(r->channel) &&
		    !extras_busy(r);
	}
	/* A hop: over when the next hop's session has gone. */
	if (r->in_eof && r->to_chan.len == 0)
		return 1;
	return r->chan_eof && r->to_out.len == 0 && r->in_eof;
}

int
relay_run(struct relay *r)
{
	struct pollfd *pfd;
	int n, moved, nfd, flags, half_closed = 0, chan_fd, i, max;
	int extra_fds = RELAY_EXTRA_FDS;

	ssh_set_blocking(r->session, 0);
	chan_fd = ssh_get_fd(r->session);
	/* A terminal stays blocking (session.c): never wait on it here. */
	flags = fcntl(r->in_fd, F_GETFL);
	r->in_blocking = flags != -1 && !(flags & O_NONBLOCK);
	if ((r->event = ssh_event_new()) == NULL ||
	    ssh_event_add_session(r->event, r->session) != SSH_OK)
		return relay_fail(r, "event");
	keepalive_start(&r->ka, r->session, r->hop);
	pfd = xreallocarray(NULL, 6 + extra_fds, sizeof(*pfd));
	for (;;) {
		moved = 0;
		if (read_channel(r) == -1)
			break;
		if (keepalive_check(&r->ka) != 0) {
			r->failed = 1;
			keepalive_error(r->hop, &r->err);
			break;
		}
		moved |= drain_to_fd(&r->to_out, r->out_fd, &r->out_failed);
		if (r->to_err.data != NULL)
			moved |= drain_to_fd(&r->to_err, r->err_fd,
			    &r->err_failed);
		/*
		 * Nobody reads our stdout: ssh sends eow@openssh.com so that
		 * sshd closes the command's output; libssh 0.10 cannot, and
		 * closing the channel has the same effect (and ssh's 255).
		 */
		if (r->mode != RELAY_HOP && r->out_failed &&
		    r->channel != NULL && !ssh_channel_is_closed(r->channel)) {
			debug("stdout closed: closing the session channel");
			ssh_channel_close(r->channel);
			r->chan_eof = 1;
		}
		if (r->on_wake != NULL)
			r->on_wake(r->tty);
		moved |= read_local(r);
		if (r->quit && !ssh_channel_is_closed(r->channel)) {
			/* ~.: as ssh, leave without waiting for the remote. */
			ssh_channel_close(r->channel);
			break;
		}
		if ((n = write_channel(r)) == -1)
			break;
		moved |= n;
		for (i = 0; i < r->n_extra; i++)
			moved |= r->extra[i].pump(r->extra[i].arg);
		if (r->mode == RELAY_HOP && r->chan_eof && r->to_out.len == 0 &&
		    !half_closed) {
			shutdown(r->out_fd, SHUT_WR);
			half_closed = 1;
		}
		if (relay_done(r))
			break;
		if (moved)
			continue;

		nfd = 0;
		flags = ssh_get_poll_flags(r->session);
		pfd[nfd].fd = chan_fd;
		pfd[nfd].events = POLLIN |
		    ((flags & SSH_WRITE_PENDING) ? POLLOUT : 0);
		nfd++;
		if (!r->in_eof && rbuf_room(&r->to_chan) > 0) {
			pfd[nfd].fd = r->in_fd;
			pfd[nfd++].events = POLLIN;
		}
		if (r->to_out.len > 0) {
			pfd[nfd].fd = r->out_fd;
			pfd[nfd++].events = POLLOUT;
		}
		if (r->to_err.len > 0) {
			pfd[nfd].fd = r->err_fd;
			pfd[nfd++].events = POLLOUT;
		}
		/*
		 * Extras that fill the poll set get a bigger one next time;
		 * one slot stays for wake_fd.
		 */
		for (i = 0; i < r->n_extra; i++) {
			max = 5 + extra_fds - nfd;
			n = r->extra[i].pollfds(r->extra[i].arg, pfd + nfd, max);
			nfd += n;
			if (n == max) {
				extra_fds *= 2;
				pfd = xreallocarray(pfd, 6 + extra_fds,
				    sizeof(*pfd));
			}
		}
		if (r->wake_fd != -1) {
			pfd[nfd].fd = r->wake_fd;
			pfd[nfd++].events = POLLIN;
		}
		/*
		 * SSH_READ_PENDING is no reason to skip the wait: it stays
		 * set while libssh holds half a packet.  Complete packets
		 * are processed as they are read.
		 */
		/*
		 * On a TCP socket, ACK at once: when we wait for a window
		 * adjust we send nothing, our ACK is delayed, and the
		 * server's Nagle then holds its next small packet ~40 ms.
		 * Linux forgets TCP_QUICKACK, so it is set before each wait.
		 */
		if (r->tcp)
			setsockopt(chan_fd, IPPROTO_TCP, TCP_QUICKACK,
			    &(int){ 1 }, sizeof(int));
		if (poll(pfd, nfd, keepalive_wait(&r->ka, 1000)) == -1 &&
		    errno != EINTR) {
			relay_fail(r, "poll");
			break;
		}
	}
	keepalive_stop(&r->ka);
	free(pfd);
	ssh_event_remove_session(r->event, r->session);
	ssh_event_free(r->event);
	r->event = NULL;
	return r->failed ? -1 : 0;
}

/*
 * A hop's relay thread: run until the next hop's session is gone or
 * the channel closes, then close the channel and the hop's session.
 * The socket under the session is closed last, which tells the relay
 * of the hop before this one that its work is over too.
 */
void *
relay_thread(void *arg)
{
	struct hop *h = arg;
	struct relay *r = h->relay;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	log_libssh_thread_setup();
	if (relay_run(r) != 0) {
		h->relay_err = r->err;
		h->relay_failed = 1;
	}
	debug("hop %d/%d %s: relay done, %llu bytes in, %llu bytes out",
	    h->index, h->count, h->name, r->bytes_in, r->bytes_out);
	close(h->relay_fd);
	h->relay_fd = -1;
	if (!ssh_channel_is_closed(h->channel))
		ssh_channel_close(h->channel);
	ssh_channel_free(h->channel);
	h->channel = NULL;
	hop_session_free(h);
	h->state = HOP_CLOSED;
	return NULL;
}
