/*
 * OpenSSH's connection-sharing (multiplexing) protocol, PROTOCOL.mux
 * version 4, client side: the wire format (mux-proto.c) and the
 * requests xssh makes of a master (mux-client.c).
 */
#ifndef XSSH_MUX_H
#define XSSH_MUX_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "xssh.h"

struct args;
struct chain;
struct hop;
struct options;

#define MUX_VERSION		4
/* A packet neither side ever needs to be bigger than. */
#define MUX_MAX_PACKET		(256 * 1024)

#define MUX_MSG_HELLO		0x00000001
#define MUX_C_NEW_SESSION	0x10000002
#define MUX_C_ALIVE_CHECK	0x10000004
#define MUX_C_TERMINATE		0x10000005
#define MUX_C_OPEN_FWD		0x10000006
#define MUX_C_CLOSE_FWD		0x10000007
#define MUX_C_NEW_STDIO_FWD	0x10000008
#define MUX_C_STOP_LISTENING	0x10000009
#define MUX_S_OK		0x80000001
#define MUX_S_PERMISSION_DENIED	0x80000002
#define MUX_S_FAILURE		0x80000003
#define MUX_S_EXIT_MESSAGE	0x80000004
#define MUX_S_ALIVE		0x80000005
#define MUX_S_SESSION_OPENED	0x80000006
#define MUX_S_REMOTE_PORT	0x80000007
#define MUX_S_TTY_ALLOC_FAIL	0x80000008

/* -O commands (struct args mux_command); 0: none. */
enum mux_command {
	MUXC_NONE = 0,
	MUXC_CHECK,
	MUXC_FORWARD,
	MUXC_EXIT,
	MUXC_STOP,
	MUXC_CANCEL,
	MUXC_PROXY,
};

/* ControlMaster values as readconf stores them. */
enum {
	CTL_MASTER_NO = 0,
	CTL_MASTER_YES = 1,
	CTL_MASTER_ASK = 2,
	CTL_MASTER_AUTO = 3,
	CTL_MASTER_AUTOASK = 4,
};

/* A message being built or read: SSH wire encoding, big-endian. */
struct muxbuf {
	unsigned char *p;
	size_t	 len;		/* bytes held */
	size_t	 off;		/* read position */
	size_t	 cap;
};

/* mux-proto.c */
void	mb_init(struct muxbuf *);
void	mb_free(struct muxbuf *);
void	mb_reset(struct muxbuf *);
void	mb_put_u32(struct muxbuf *, uint32_t);
void	mb_put_string(struct muxbuf *, const void *, size_t);
void	mb_put_cstring(struct muxbuf *, const char *);
int	mux_write_packet(int fd, const struct muxbuf *);
int	mux_read_packet(int fd, struct muxbuf *, volatile sig_atomic_t *stop);
int	mux_send_fd(int sock, int fd);
int	mux_connect_path(const char *path);

/* One connection to a master. */
struct muxconn {
	int	 fd;
	uint32_t rid;		/* next request id */
	uint32_t pid;		/* the master's, from the alive check */
	char	*path;		/* the expanded ControlPath */
};

/* mux-client.c */
#define MUX_FALLBACK	1	/* no usable master: connect normally */

int	mux_client_main(struct chain *, const struct args *, int *exit_code,
	    struct xerr *);
int	mux_chain_start(struct chain *, struct xerr *);
int	mux_stdio_connect(struct hop *, struct xerr *);
void	mux_hop_close(struct hop *);

/* mux-server.c */
int	mux_listen(const char *path, int *fdp, struct xerr *);
void	mux_serve(struct chain *, int listen_fd, const char *path,
	    int parent_fd);
int	mux_master_start(struct chain *, const char *path, int *parent_fd,
	    struct xerr *);

#endif /* XSSH_MUX_H */
