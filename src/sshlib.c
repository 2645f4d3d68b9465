/*
 * The libssh adapter (see sshlib.h).  libssh (0.12 as 0.10) reports a refused
 * channel and a timeout only in the text of ssh_get_error(); the text
 * is parsed here and nowhere else, and every number in it is checked.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libssh/server.h>	/* ssh_send_keepalive, for clients too */

#include "sshlib.h"

/* How long a closing session may take to send what it still owes. */
#define DISCONNECT_FLUSH_MS 200

/* RFC 4254 5.1, in ssh's words. */
static const char *const open_reasons[] = {
	NULL, "administratively prohibited", "connect failed",
	"unknown channel type", "resource shortage",
};

const char *
sshlib_open_reason(unsigned code)
{
	if (code >= sizeof(open_reasons) / sizeof(open_reasons[0]))
		return NULL;
	return open_reasons[code];
}

unsigned
sshlib_open_failure(ssh_session s, char *text, size_t len)
{
	const char *msg = ssh_get_error(s), *p, *q;
	unsigned long code = 0;

	if (msg == NULL)
		msg = "";
	snprintf(text, len, "%s", msg);
	if ((p = strstr(msg, "error (")) == NULL)
		return 0;
	p += strlen("error (");
	for (q = p; *q >= '0' && *q <= '9' && q - p < 10; q++)
		code = code * 10 + (unsigned long)(*q - '0');
	if (q == p || *q != ')' || code > UINT_MAX)
		return 0;
	for (q++; *q == ' '; q++)
		;
	snprintf(text, len, "%s", *q != '\0' ? q : msg);
	return (unsigned)code;
}

int
sshlib_timed_out(ssh_session s)
{
	const char *msg = ssh_get_error(s);

	/* "Timeout connecting to ...", "... timeout" and the like. */
	return msg != NULL && (strstr(msg, "imeout") != NULL ||
	    strstr(msg, "imed out") != NULL);
}

int
sshlib_kex_mismatch(ssh_session s, const char **what, char *offer,
    size_t offer_len)
{
	/* libssh's descriptions of the method lists (kex.c), and ssh's. */
	static const struct {
		const char *lib, *ssh;
	} methods[] = {
		{ "kex algos", "key exchange method" },
		{ "server host key algo", "host key type" },
		{ "encryption ", "cipher" },
		{ "mac algo ", "MAC" },
		{ "compression algo ", "compression method" },
	};
	const char *msg = ssh_get_error(s), *p, *q, *end;
	size_t i, n;

	if (msg == NULL || (p = strstr(msg, "no match for method ")) == NULL)
		return 0;
	p += strlen("no match for method ");
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strncmp(p, methods[i].lib, strlen(methods[i].lib)) == 0)
			break;
	if (i == sizeof(methods) / sizeof(methods[0]))
		return 0;
	*what = methods[i].ssh;
	if (offer_len == 0)
		return 1;
	offer[0] = '\0';
	if ((q = strstr(p, ": server [")) != NULL &&
	    (end = strchr(q += strlen(": server ["), ']')) != NULL) {
		n = (size_t)(end - q) < offer_len - 1 ? (size_t)(end - q) :
		    offer_len - 1;
		memcpy(offer, q, n);
		offer[n] = '\0';
	}
	return 1;
}

int
sshlib_banner_too_long(ssh_session s)
{
	const char *msg = ssh_get_error(s);

	return msg != NULL && strstr(msg, "too large banner") != NULL;
}

int
sshlib_key_type_refused(ssh_session s)
{
	const char *msg = ssh_get_error(s);

	return msg != NULL && strstr(msg, "PUBLICKEY_ACCEPTED_TYPES") != NULL;
}

int
sshlib_read(ssh_channel ch, void *buf, size_t n, int is_stderr)
{
	int r;

	if (n > INT_MAX / 2)
		n = INT_MAX / 2;
	r = ssh_channel_read_timeout(ch, buf, (uint32_t)n, is_stderr, 0);
	if (r == SSH_ERROR)
		return SSH_ERROR;
	if (r < 0 || (size_t)r > n)
		return 0;	/* SSH_AGAIN, or nonsense */
	return r;
}

static int
same_socket(int a, int b)
{
	struct stat sa, sb;

	if (a == -1 || b == -1 || fstat(a, &sa) == -1 || fstat(b, &sb) == -1)
		return 0;
	return S_ISSOCK(sa.st_mode) && sa.st_dev == sb.st_dev &&
	    sa.st_ino == sb.st_ino;
}

void
sshlib_release(ssh_session s, int lib_fd, int own_fd, int goodbye)
{
	if (s != NULL) {
		if (goodbye && ssh_is_connected(s)) {
			/*
			 * ssh's words, so that the server logs "Received
			 * disconnect ... 11: disconnected by user" and not a
			 * lost connection.  As ssh, only after logging in:
			 * a connection given up before (a changed host key,
			 * no method left) is just closed.  libssh only queues
			 * the message unless the socket is known writable,
			 * and closes it at once: flush what waits (briefly:
			 * the peer may be stuck), then say it is writable.
			 */
			ssh_session_set_disconnect_message(s,
			    "disconnected by user");
			if (ssh_blocking_flush(s, DISCONNECT_FLUSH_MS) == SSH_OK)
				ssh_set_fd_towrite(s);
			ssh_disconnect(s);
		}
		ssh_free(s);
	}
	/*
	 * Still our socket: libssh forgot it (ssh_disconnect) rather than
	 * closing it.  A number libssh closed and something else reused
	 * refers to another file, and is left alone.
	 */
	if (lib_fd != -1 && lib_fd != own_fd && same_socket(lib_fd, own_fd))
		close(lib_fd);
}

void
sshlib_global_settle(ssh_session s, long timeout)
{
	long none = 0;
	int blocking = ssh_is_blocking(s), level = ssh_get_log_level();

	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
	ssh_set_blocking(s, 1);
	/* The keepalive's "failed" reply is no news: keep libssh quiet. */
	ssh_set_log_level(SSH_LOG_NOLOG);
	ssh_send_keepalive(s);
	ssh_set_log_level(level);
	ssh_set_blocking(s, blocking);
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &none);
}
