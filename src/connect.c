/*
 * The connector.  Hop 1 gets a TCP connection we make ourselves (each
 * address in turn, ConnectTimeout each, -4/-6, -b).  Every later hop's
 * session runs over a direct-tcpip channel of the hop before it,
 * carried by a socketpair: the hop before keeps one end, pumped by its
 * relay thread, and libssh gets the other as SSH_OPTIONS_FD.  Hops are
 * set up in order on the main thread, so prompts and errors belong to
 * one hop at a time; a hop is handed to its relay thread only once the
 * next hop's channel is open.
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "algolist.h"
#include "banner.h"
#include "chain.h"
#include "mux.h"
#include "link.h"
#include "spawn.h"
#include "sshlib.h"

static void
addr_text(const struct sockaddr *sa, socklen_t len, char *buf, size_t blen)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		snprintf(buf, blen, "?");
	else if (sa->sa_family == AF_INET6)
		snprintf(buf, blen, "[%s]:%s", host, serv);
	else
		snprintf(buf, blen, "%s:%s", host, serv);
}

/* Non-blocking connect bounded by timeout seconds (0: none). */
static int tcp_connect_once(struct hop *, struct xerr *);

static int
connect_timeout(int fd, const struct sockaddr *sa, socklen_t len,
    int timeout)
{
	struct pollfd pfd;
	socklen_t optlen = sizeof(int);
	int flags, err = 0, r;

	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	if (connect(fd, sa, len) == 0)
		goto done;
	if (errno != EINPROGRESS)
		return -1;
	pfd.fd = fd;
	pfd.events = POLLOUT;
	do {
		r = poll(&pfd, 1, timeout > 0 ? timeout * 1000 : -1);
	} while (r == -1 && errno == EINTR);
	if (r == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (r == -1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
	    &optlen) == -1)
		return -1;
	if (err != 0) {
		errno = err;
		return -1;
	}
 done:
	fcntl(fd, F_SETFL, flags);
	return 0;
}

static int
bind_local(int fd, const struct hop *h, int family, struct xerr *e)
{
	struct addrinfo hints, *ai;
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
	if ((r = getaddrinfo(h->opts.bind_address, NULL, &hints, &ai)) != 0)
		return hop_error(h, e, XE_CONNECT, "bind", "getaddrinfo: %s: "
		    "%s", h->opts.bind_address, gai_strerror(r));
	r = bind(fd, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	if (r == -1)
		return hop_error(h, e, XE_CONNECT, "bind", "bind %s: %s",
		    h->opts.bind_address, strerror(errno));
	return 0;
}

/*
 * TCP to the first hop: every address of its name, in order, and all
 * of that ConnectionAttempts times, a second apart, as ssh does.
 */
static int
tcp_connect(struct hop *h, struct xerr *e)
{
	int attempt, r = -1;

	for (attempt = 1; attempt <= h->opts.connection_attempts; attempt++) {
		if (attempt > 1) {
			debug("Trying again...");
			sleep(1);
		}
		if ((r = tcp_connect_once(h, e)) == 0 || e->code == XE_RESOLVE)
			break;
	}
	return r;
}

static int
tcp_connect_once(struct hop *h, struct xerr *e)
{
	struct addrinfo hints, *res, *ai;
	char port[16];
	int fd = -1, r, saved = 0, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = h->opts.address_family > 0 ?
	    h->opts.address_family : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", h->opts.port);
	if ((r = getaddrinfo(h->opts.hostname, port, &hints, &res)) != 0) {
		if (h->count > 1)
			return hop_error(h, e, XE_RESOLVE, "resolve",
			    "Could not resolve hostname %s: %s",
			    h->opts.hostname, gai_strerror(r));
		return xerr_set(e, XE_RESOLVE, "Could not resolve hostname "
		    "%s: %s", h->opts.hostname, gai_strerror(r));
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		addr_text(ai->ai_addr, ai->ai_addrlen, h->addr,
		    sizeof(h->addr));
		debug("hop %d/%d %s: connecting to %s", h->index, h->count,
		    h->name, h->addr);
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd == -1) {
			saved = errno;
			continue;
		}
		if (h->opts.bind_address != NULL &&
		    bind_local(fd, h, ai->ai_family, e) != 0) {
			close(fd);
			freeaddrinfo(res);
			return -1;
		}
		if (connect_timeout(fd, ai->ai_addr, ai->ai_addrlen,
		    h->opts.connect_timeout) == 0)
			break;
		saved = errno;
		debug("hop %d/%d %s: connect to %s: %s", h->index, h->count,
		    h->name, h->addr, strerror(saved));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1)
		return hop_error(h, e, saved == ETIMEDOUT ? XE_TIMEOUT :
		    XE_CONNECT, "connect", "%s", strerror(saved));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (h->opts.tcp_keep_alive)
		setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	h->fd = fd;
	return 0;
}

/*
 * ProxyUseFdpass: the command passes back a connected socket over its
 * stdout (SCM_RIGHTS) and exits; that socket is then used as TCP.
 */
static int
proxy_fdpass(struct hop *h, pid_t pid, int sock, char *cmd, char *line,
    struct xerr *e)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr msg = { 0 };
	struct cmsghdr *cm;
	ssize_t n;
	int fd = -1;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl;
	msg.msg_controllen = sizeof(ctl);
	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n > 0 && (cm = CMSG_FIRSTHDR(&msg)) != NULL &&
	    cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	close(sock);
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		;
	snprintf(h->addr, sizeof(h->addr), "ProxyCommand %s (fd passed)", cmd);
	free(cmd);
	free(line);
	if (fd == -1)
		return hop_error(h, e, XE_CONNECT, "proxy", "ProxyCommand "
		    "passed no connection (ProxyUseFdpass)");
	h->fd = fd;
	return 0;
}

/*
 * ProxyCommand: the user's shell runs "exec <command>" with a socket
 * as its stdin and stdout (libssh needs a socket) and our stderr, so
 * its messages reach the user, unlike libssh's own ProxyCommand.
 */
static int
proxy_connect(struct hop *h, struct xerr *e)
{
	const char *shell = spawn_shell();
	struct spawn sp = { .fd = { SPAWN_PIPE, SPAWN_PIPE, SPAWN_KEEP } };
	struct xerr se = { 0 };
	char *cmd, *line, *msg, *argv[4];
	pid_t pid;
	int fd;

	if ((cmd = options_expand(&h->opts, h->name, h->opts.proxy_command,
	    XP_PROXY, e)) == NULL)
		return -1;
	xasprintf(&line, "exec %s", cmd);
	debug("hop %d/%d %s: executing proxy command: %s", h->index, h->count,
	    h->name, line);
	spawn_shell_argv(argv, shell, line);
	/* As ssh: perror(shell) when the shell cannot be run. */
	xasprintf(&msg, "%s: ", shell);
	sp.argv = argv;
	sp.fail_msg = msg;
	sp.fail_status = 127;
	pid = spawn_start(&sp, &fd, &se);
	free(msg);
	if (pid == -1) {
		free(cmd);
		free(line);
		return hop_error(h, e, XE_IO, "proxy", "%s", se.msg);
	}
	if (h->opts.proxy_use_fdpass == 1)
		return proxy_fdpass(h, pid, fd, cmd, line, e);
	snprintf(h->addr, sizeof(h->addr), "ProxyCommand %s", cmd);
	free(cmd);
	free(line);
	h->proxy_pid = pid;
	h->fd = fd;
	return 0;
}

/* What became of the ProxyCommand, for an error message. */
static void
proxy_status(struct hop *h, char *buf, size_t len)
{
	int status;

	buf[0] = '\0';
	if (h->proxy_pid <= 0 || waitpid(h->proxy_pid, &status, WNOHANG) !=
	    h->proxy_pid)
		return;
	h->proxy_pid = 0;
	if (WIFEXITED(status))
		snprintf(buf, len, " (ProxyCommand exited with status %d)",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, " (ProxyCommand killed by signal %d)",
		    WTERMSIG(status));
}

static int
set_opt(struct hop *h, enum ssh_options_e what, const void *v, const char *kw,
    struct xerr *e)
{
	if (v == NULL || ssh_options_set(h->session, what, v) == 0)
		return 0;
	return hop_error(h, e, XE_CONFIG, "options", "%s \"%s\" rejected: %s",
	    kw, what == SSH_OPTIONS_PORT ? "" : (const char *)v,
	    ssh_get_error(h->session));
}

/*
 * An algorithm list as ssh 9.2 builds it: its default order, with the
 * configuration's "+", "-" and "^" applied to that default (libssh's
 * own defaults differ: ML-KEM first, group18 before group exchange).
 * libssh then keeps the names it implements; none at all is an error.
 */
static int
set_algos(struct hop *h, enum ssh_options_e what, enum ssh_options_e what2,
    const char *spec, const char *def, const char *all, const char *kw,
    struct xerr *e)
{
	char *list;
	int rc;

	if (algo_assemble(spec, def, all, &list) != 0)
		return hop_error(h, e, XE_CONFIG, "options", "%s \"%s\": no "
		    "algorithm left", kw, spec);
	rc = set_opt(h, what, list, kw, e);
	if (rc == 0 && what2 != what)
		rc = set_opt(h, what2, list, kw, e);
	free(list);
	return rc;
}

static int
session_options(struct hop *h, struct xerr *e)
{
	bool no = false;
	long timeout = h->opts.connect_timeout > 0 ? h->opts.connect_timeout :
	    3600;
	int port = h->opts.port;
	socket_t fd;

	if ((h->session = ssh_new()) == NULL)
		return hop_error(h, e, XE_NOMEM, "setup", "ssh_new failed");
	/*
	 * libssh gets a descriptor of its own: it closes it on some paths
	 * and not on others (sshlib_release()), while ours is always
	 * closed by hop_close().  It keeps only the low 16 bits.
	 */
	if ((h->lib_fd = fcntl(h->fd, F_DUPFD_CLOEXEC, 3)) == -1)
		return hop_error(h, e, XE_IO, "setup", "dup: %s",
		    strerror(errno));
	if (h->lib_fd > 0xffff)
		return hop_error(h, e, XE_IO, "setup", "descriptor %d is out "
		    "of libssh's range", h->lib_fd);
	fd = h->lib_fd;
	ssh_options_set(h->session, SSH_OPTIONS_PROCESS_CONFIG, &no);
	if (set_opt(h, SSH_OPTIONS_HOST, h->opts.hostname, "HostName", e) ||
	    set_opt(h, SSH_OPTIONS_PORT, &port, "Port", e) ||
	    set_opt(h, SSH_OPTIONS_USER, h->opts.user, "User", e) ||
	    set_algos(h, SSH_OPTIONS_CIPHERS_C_S, SSH_OPTIONS_CIPHERS_S_C,
	    h->opts.ciphers, algo_def_ciphers, algo_all_ciphers, "Ciphers",
	    e) || set_algos(h, SSH_OPTIONS_HMAC_C_S, SSH_OPTIONS_HMAC_S_C,
	    h->opts.macs, algo_def_macs, algo_all_macs, "MACs", e) ||
	    set_algos(h, SSH_OPTIONS_KEY_EXCHANGE, SSH_OPTIONS_KEY_EXCHANGE,
	    h->opts.kex_algorithms, algo_def_kex, algo_all_kex,
	    "KexAlgorithms", e) ||
	    set_opt(h, SSH_OPTIONS_HOSTKEYS, h->opts.host_key_algorithms,
	    "HostKeyAlgorithms", e) ||
	    set_algos(h, SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES,
	    SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES,
	    h->opts.pubkey_accepted_algorithms, algo_def_keys, algo_all_keys,
	    "PubkeyAcceptedAlgorithms", e))
		return -1;
	/* Known host key types first, as ssh orders them. */
	if (hostkeys_preferred_algorithms(h, e) != 0)
		return -1;
	if (h->opts.required_rsa_size > 0)
		ssh_options_set(h->session, SSH_OPTIONS_RSA_MIN_SIZE,
		    &h->opts.required_rsa_size);
	if (h->opts.compression == 1 &&
	    set_opt(h, SSH_OPTIONS_COMPRESSION, "yes", "Compression", e))
		return -1;
	ssh_options_set(h->session, SSH_OPTIONS_TIMEOUT, &timeout);
	ssh_options_set(h->session, SSH_OPTIONS_FD, &fd);
	return 0;
}

/*
 * Why ssh_connect() failed, in ssh's words where ssh has them.  libssh
 * says "timeout" for both halves; whether the identification came
 * tells which one was waited for.
 */
static int
handshake_error(struct hop *h, struct xerr *e)
{
	const char *why = ssh_get_error(h->session), *what;
	char proxy[128], offer[XERR_MSGLEN / 2];

	usleep(h->proxy_pid > 0 ? 20000 : 0);
	proxy_status(h, proxy, sizeof(proxy));
	if (sshlib_timed_out(h->session)) {
		if (ssh_get_serverbanner(h->session) != NULL)
			return hop_error(h, e, XE_TIMEOUT, "kex", "Connection "
			    "timed out during key exchange%s", proxy);
		return hop_error(h, e, XE_TIMEOUT, "kex", "Connection "
		    "timed out during banner exchange%s", proxy);
	}
	if (sshlib_kex_mismatch(h->session, &what, offer, sizeof(offer)))
		return hop_error(h, e, XE_PROTOCOL, "kex", "Unable to "
		    "negotiate with %s port %d: no matching %s found. Their "
		    "offer: %s%s", h->opts.hostname, h->opts.port, what, offer,
		    proxy);
	if (sshlib_banner_too_long(h->session))
		return hop_error(h, e, XE_PROTOCOL, "banner", "identification "
		    "string longer than libssh's limit of 255 bytes%s", proxy);
	return hop_error(h, e, XE_PROTOCOL, "kex", "%s%s", why, proxy);
}

/*
 * The lines before the identification, with ssh's limits, inside the
 * ConnectTimeout; libssh gets what is left of it.
 */
static int
hop_preamble(struct hop *h, struct xerr *e)
{
	long timeout = h->opts.connect_timeout;
	double deadline = timeout > 0 ? monotime() + timeout : 0;
	enum banner_result r;
	unsigned lines;

	r = banner_skip_preamble(h->fd, deadline, &lines);
	if (lines > 0)
		debug("hop %d/%d %s: %u line%s before the identification",
		    h->index, h->count, h->name, lines, lines == 1 ? "" : "s");
	if (r != BANNER_READY)
		return hop_error(h, e, r == BANNER_TIMEOUT ? XE_TIMEOUT :
		    XE_PROTOCOL, "banner", "%s", banner_result_text(r));
	if (deadline > 0) {
		timeout = (long)(deadline - monotime()) + 1;
		ssh_options_set(h->session, SSH_OPTIONS_TIMEOUT, &timeout);
	}
	return 0;
}

/* An AEAD cipher has no MAC of its own: ssh says "<implicit>". */
static const char *
mac_name(const char *cipher, const char *mac)
{
	if (cipher != NULL && (strstr(cipher, "-gcm@") != NULL ||
	    strncmp(cipher, "chacha20-poly1305", 17) == 0))
		return "<implicit>";
	return mac != NULL ? mac : "none";
}

/* What the key exchange settled on, in ssh's -v words, per hop. */
static void
log_kex(const struct hop *h)
{
	ssh_session s = h->session;
	const char *cin = ssh_get_cipher_in(s), *cout = ssh_get_cipher_out(s);

	debug("hop %d/%d %s: kex: algorithm: %s", h->index, h->count,
	    h->name, ssh_get_kex_algo(s) ? ssh_get_kex_algo(s) : "?");
	debug("hop %d/%d %s: kex: server->client cipher: %s MAC: %s "
	    "compression: %s", h->index, h->count, h->name, cin ? cin : "?",
	    mac_name(cin, ssh_get_hmac_in(s)),
	    h->opts.compression == 1 ? "zlib@openssh.com" : "none");
	debug("hop %d/%d %s: kex: client->server cipher: %s MAC: %s "
	    "compression: %s", h->index, h->count, h->name, cout ? cout : "?",
	    mac_name(cout, ssh_get_hmac_out(s)),
	    h->opts.compression == 1 ? "zlib@openssh.com" : "none");
}

/* Transport, host key, authentication: one hop, over h->fd. */
static int
hop_start(struct hop *h, struct xerr *e)
{
	double t0 = monotime();
	long zero = 0;

	if (session_options(h, e) != 0 || hop_preamble(h, e) != 0)
		return -1;
	if (ssh_connect(h->session) != SSH_OK)
		return handshake_error(h, e);
	h->t_kex = monotime() - t0;
	log_kex(h);
	if (hop_verify_host_key(h, e) != 0)
		return -1;
	h->state = HOP_CONNECTED;
	/* The connect timeout must not become a read timeout. */
	ssh_options_set(h->session, SSH_OPTIONS_TIMEOUT, &zero);
	t0 = monotime();
	if (hop_authenticate(h, e) != 0)
		return -1;
	h->t_auth = monotime() - t0;
	h->state = HOP_AUTHENTICATED;
	verbose("Authenticated to %s ([%s]:%d) using \"%s\".",
	    h->opts.hostname, h->opts.hostname, h->opts.port, h->auth_method);
	debug("hop %d/%d %s (%s): %s %.1f ms, kex %.1f ms, auth %.1f ms (%s)",
	    h->index, h->count, h->name, h->addr, h->prev ? "channel" : "tcp",
	    h->t_open * 1e3, h->t_kex * 1e3, h->t_auth * 1e3, h->auth_method);
	return 0;
}

int
chain_connect(struct chain *c, struct xerr *e)
{
	struct hop *h;
	double t0;
	int i;

	/* A jump with a master (ControlPath) carries the hops up to it. */
	if ((i = mux_chain_start(c, e)) < 0)
		return -1;
	for (; i < c->n; i++) {
		h = c->hop[i];
		t0 = monotime();
		if (h->prev != NULL && h->prev->mux != NULL) {
			if (mux_stdio_connect(h, e) != 0)
				return -1;
		} else if (i == 0 && h->opts.proxy_command != NULL &&
		    strcmp(h->opts.proxy_command, "none") != 0) {
			if (proxy_connect(h, e) != 0)
				return -1;
		} else if (i == 0) {
			if (tcp_connect(h, e) != 0)
				return -1;
		} else {
			if (link_open(h, e) != 0)
				return -1;
			if (link_start(h->prev, e) != 0)
				return -1;
		}
		h->t_open = monotime() - t0;
		if (hop_start(h, e) != 0)
			return -1;
		if (c->on_hop != NULL)
			c->on_hop(h, c->on_hop_arg);
	}
	return 0;
}
