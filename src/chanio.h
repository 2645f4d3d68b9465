/*
 * The channel-I/O engine (chanio.c): one SSH channel joined to up to
 * three local descriptors, bytes moving both ways without ever
 * blocking on either side.  Every channel xssh carries goes through
 * it: the jumps' links to the next hop, the session, -W, forwarded
 * connections, agent forwarding and the clients of a master.
 *
 * Memory is bounded by construction: a descriptor is read only while
 * its buffer has room, the channel is written only within the peer's
 * window, and the channel is read only when every buffer it feeds can
 * take a whole libssh window (see chanio.c for why), so a slow reader
 * slows the writer instead of growing memory.
 */
#ifndef XSSH_CHANIO_H
#define XSSH_CHANIO_H

#include <poll.h>
#include <stddef.h>

#include <libssh/libssh.h>

/* What the channel carries, which decides when it is over. */
enum chanio_kind {
	CHANIO_HOP = 0,	/* a jump's channel <-> the next hop's socket */
	CHANIO_SESSION,	/* a remote command <-> stdin, stdout, stderr:
			   over when the channel closes (exit status) */
	CHANIO_STDIO,	/* -W, a master's stdio forward: over at the
			   channel's EOF */
	CHANIO_STREAM,	/* a forwarded connection: each way ends on its
			   own (half-close), as ssh's channels do */
};

struct iobuf {
	char	*data;		/* allocated when first needed */
	size_t	 off;		/* first byte not yet written */
	size_t	 len;		/* bytes held, from off */
	size_t	 cap;
};

/*
 * An input filter (the escapes of an interactive session): rewrites n
 * bytes read from in_fd into out (room for n + 1), sets *outlen, and
 * returns 0, CHANIO_INPUT_END (no more input: send EOF) or CHANIO_QUIT
 * (end the session now, as ~. does).
 */
#define CHANIO_INPUT_END	1
#define CHANIO_QUIT		(-1)
typedef int (*chanio_filter)(void *, const char *in, size_t n, char *out,
    size_t *outlen);

struct chanio {
	ssh_channel ch;
	enum chanio_kind kind;
	int	 in_fd;		/* bytes to send on the channel, or -1 */
	int	 out_fd;	/* where channel data goes, or -1 */
	int	 err_fd;	/* where extended data goes; -1: dropped */

	struct iobuf to_chan, to_out, to_err;
	unsigned in_eof:1;	/* in_fd gave EOF (or an error) */
	unsigned in_poll:1;	/* in_fd is left blocking (a terminal):
				   read it only when poll says so */
	unsigned eof_sent:1;	/* EOF sent on the channel */
	unsigned chan_eof:1;	/* the channel gave EOF or closed, and
				   what it held has been read */
	unsigned out_failed:1;	/* out_fd takes no more */
	unsigned err_failed:1;	/* err_fd takes no more */
	unsigned out_shut:1;	/* out_fd half-closed after channel EOF */
	unsigned quit:1;	/* the filter said CHANIO_QUIT */

	chanio_filter filter;
	void	*filter_arg;

	unsigned long long bytes_in;	/* channel to out_fd */
	unsigned long long bytes_out;	/* in_fd to channel */
	unsigned long window_stalls;	/* data waited on a closed window */
	const char *failed;	/* "read" or "write" after -1, for errors */
};

void	chanio_init(struct chanio *, ssh_channel, enum chanio_kind,
	    int in_fd, int out_fd, int err_fd);
/* The descriptor of a connection made after init (-R). */
void	chanio_attach_fd(struct chanio *, int fd);
/* Move what can move: 1 if anything did, 0 if not, -1 on failure. */
int	chanio_pump(struct chanio *);
/* The descriptors to poll (at most 3); returns how many were added. */
int	chanio_pollfds(const struct chanio *, struct pollfd *, int max);
int	chanio_done(const struct chanio *);
/* Room for bytes to go on the channel (a SOCKS reply's leftovers). */
int	chanio_queue_to_chan(struct chanio *, const void *, size_t);
int	chanio_queue_to_out(struct chanio *, const void *, size_t);
/* Frees the buffers only: the channel and descriptors are the owner's. */
void	chanio_free(struct chanio *);
/* Closes and frees the channel and the descriptors too. */
void	chanio_close(struct chanio *);

#endif /* XSSH_CHANIO_H */
