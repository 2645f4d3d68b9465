/*
 * The stand-in agent that libssh authenticates through (agent.h): it
 * lists only the key xssh offers next, and passes signature requests
 * for it on to the real agent.  A thread serves it while the hop
 * authenticates.
 */
#include <sys/socket.h>

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "xssh.h"

struct agent_shim {
	int	 sp[2];		/* [0] served here, [1] libssh's agent */
	int	 real;		/* the real agent */
	pthread_t thread;
	pthread_mutex_t lock;
	unsigned char *offer, *sign;
	size_t	 offer_len, sign_len;
};

/* Answer one request of libssh's agent client into reply. */
static void
shim_answer(struct agent_shim *s, struct wbuf *req, struct wbuf *reply)
{
	struct wire w = { req->d + 1, req->len - 1 };
	struct wbuf fwd = { 0 };
	const unsigned char *blob, *data;
	size_t blen, dlen;
	uint32_t flags;

	reply->len = 0;
	pthread_mutex_lock(&s->lock);
	switch (req->d[0]) {
	case AGENTC_REQUEST_IDENTITIES:
		wbuf_put_u8(reply, AGENT_IDENTITIES_ANSWER);
		wbuf_put_u32(reply, s->offer != NULL);
		if (s->offer != NULL) {
			wbuf_put_string(reply, s->offer, s->offer_len);
			wbuf_put_string(reply, "xssh", 4);
		}
		break;
	case AGENTC_SIGN_REQUEST:
		/* Only ever the key on offer, signed as told. */
		if (wire_string(&w, &blob, &blen) != 0 ||
		    wire_string(&w, &data, &dlen) != 0 ||
		    wire_u32(&w, &flags) != 0 || s->offer == NULL ||
		    blen != s->offer_len || memcmp(blob, s->offer, blen) != 0)
			break;
		wbuf_put_u8(&fwd, AGENTC_SIGN_REQUEST);
		wbuf_put_string(&fwd, s->sign, s->sign_len);
		wbuf_put_string(&fwd, data, dlen);
		wbuf_put_u32(&fwd, flags);
		if (agent_msg_write(s->real, fwd.d, fwd.len) != 0 ||
		    agent_msg_read(s->real, reply) != 0)
			reply->len = 0;
		wbuf_free(&fwd);
		break;
	}
	pthread_mutex_unlock(&s->lock);
	if (reply->len == 0)
		wbuf_put_u8(reply, AGENT_FAILURE);
}

static void *
shim_thread(void *arg)
{
	struct agent_shim *s = arg;
	struct wbuf req = { 0 }, reply = { 0 };
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (agent_msg_read(s->sp[0], &req) == 0) {
		shim_answer(s, &req, &reply);
		if (agent_msg_write(s->sp[0], reply.d, reply.len) != 0)
			break;
	}
	wbuf_free(&req);
	wbuf_free(&reply);
	return NULL;
}

struct agent_shim *
agent_shim_start(ssh_session session, const char *real_path)
{
	struct agent_shim *s;
	int real, r;

	if ((real = agent_connect(real_path)) == -1)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->real = real;
	pthread_mutex_init(&s->lock, NULL);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s->sp) == -1)
		goto fail;
	/* libssh owns sp[1] from now on and closes it in ssh_free(). */
	if (ssh_set_agent_socket(session, s->sp[1]) != SSH_OK) {
		close(s->sp[1]);
		close(s->sp[0]);
		goto fail;
	}
	if ((r = pthread_create(&s->thread, NULL, shim_thread, s)) != 0) {
		debug("agent: pthread_create: %s", strerror(r));
		shutdown(s->sp[1], SHUT_RDWR);
		close(s->sp[0]);
		goto fail;
	}
	return s;
 fail:
	close(real);
	pthread_mutex_destroy(&s->lock);
	free(s);
	return NULL;
}

void
agent_shim_offer(struct agent_shim *s, const unsigned char *blob, size_t len,
    const unsigned char *sign_blob, size_t sign_len)
{
	pthread_mutex_lock(&s->lock);
	free(s->offer);
	free(s->sign);
	s->offer = s->sign = NULL;
	if (blob != NULL) {
		s->offer = xmalloc(len);
		memcpy(s->offer, blob, len);
		s->offer_len = len;
		if (sign_blob == NULL) {
			sign_blob = blob;
			sign_len = len;
		}
		s->sign = xmalloc(sign_len);
		memcpy(s->sign, sign_blob, sign_len);
		s->sign_len = sign_len;
	}
	pthread_mutex_unlock(&s->lock);
}

/*
 * The thread sees EOF and ends; sp[1] stays open, libssh's to close.
 * Any later ssh_userauth_agent() on the session finds no agent.
 */
void
agent_shim_stop(struct agent_shim *s)
{
	if (s == NULL)
		return;
	shutdown(s->sp[1], SHUT_RDWR);
	pthread_join(s->thread, NULL);
	close(s->sp[0]);
	close(s->real);
	agent_shim_offer(s, NULL, 0, NULL, 0);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
