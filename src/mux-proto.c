/*
 * The wire format of OpenSSH's multiplexing protocol (PROTOCOL.mux):
 * packets of a 4-byte big-endian length and a body of SSH-encoded
 * uint32s and strings, over a Unix socket; descriptors go one per
 * sendmsg() with SCM_RIGHTS and a single byte of data, as the master
 * expects them.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mux.h"
#include "wirebuf.h"

void
mb_init(struct muxbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void
mb_free(struct muxbuf *b)
{
	free(b->p);
	mb_init(b);
}

void
mb_reset(struct muxbuf *b)
{
	b->len = b->off = 0;
}

/* Room for n more bytes; a packet never grows past MUX_MAX_PACKET. */
static unsigned char *
mb_reserve(struct muxbuf *b, size_t n)
{
	unsigned char *p;

	if (n > MUX_MAX_PACKET - b->len)
		fatal("mux packet over %d bytes", MUX_MAX_PACKET);
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	p = b->p + b->len;
	b->len += n;
	return p;
}

void
mb_put_u32(struct muxbuf *b, uint32_t v)
{
	put_u32(mb_reserve(b, 4), v);
}

void
mb_put_string(struct muxbuf *b, const void *s, size_t n)
{
	mb_put_u32(b, (uint32_t)n);
	if (n > 0)
		memcpy(mb_reserve(b, n), s, n);
}

void
mb_put_cstring(struct muxbuf *b, const char *s)
{
	mb_put_string(b, s, s != NULL ? strlen(s) : 0);
}

/* All of buf, waiting while the socket is full. */
static int
write_all(int fd, const unsigned char *p, size_t n)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				poll(&pfd, 1, -1);
			else if (errno != EINTR)
				return -1;
			continue;
		}
		p += w;
		n -= w;
	}
	return 0;
}

/*
 * Exactly n bytes; EPIPE at end of file.  A signal that sets *stop
 * ends the wait with EINTR.
 */
static int
read_all(int fd, unsigned char *p, size_t n, volatile sig_atomic_t *stop)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t r;

	while (n > 0) {
		if (stop != NULL && *stop) {
			errno = EINTR;
			return -1;
		}
		if ((r = read(fd, p, n)) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				poll(&pfd, 1, -1);
			else if (errno != EINTR)
				return -1;
			continue;
		}
		if (r == 0) {
			errno = EPIPE;
			return -1;
		}
		p += r;
		n -= r;
	}
	return 0;
}

int
mux_write_packet(int fd, const struct muxbuf *b)
{
	unsigned char len[4];

	put_u32(len, (uint32_t)b->len);
	if (write_all(fd, len, 4) != 0)
		return -1;
	return write_all(fd, b->p, b->len);
}

int
mux_read_packet(int fd, struct muxbuf *b, volatile sig_atomic_t *stop)
{
	unsigned char hdr[4];
	uint32_t need;

	mb_reset(b);
	if (read_all(fd, hdr, 4, stop) != 0)
		return -1;
	if ((need = get_u32(hdr)) > MUX_MAX_PACKET) {
		errno = EMSGSIZE;
		return -1;
	}
	b->len = 0;
	return read_all(fd, mb_reserve(b, need), need, stop);
}

int
mux_send_fd(int sock, int fd)
{
	char c = '\0', ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr msg;
	struct cmsghdr *cm;
	struct pollfd pfd = { .fd = sock, .events = POLLOUT };
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	memset(ctl, 0, sizeof(ctl));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	for (;;) {
		if ((n = sendmsg(sock, &msg, 0)) == 1)
			return 0;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			poll(&pfd, 1, -1);
		else if (n == -1 && errno != EINTR)
			return -1;
	}
}

/* A connected socket, or -1 with errno (ENAMETOOLONG for a long path). */
int
mux_connect_path(const char *path)
{
	struct sockaddr_un sun;
	int fd, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}
