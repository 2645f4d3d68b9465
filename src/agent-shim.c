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

int
agent_shim_request(const unsigned char *req, size_t len,
    const unsigned char *offer, size_t offer_len, const unsigned char *sign,
    size_t sign_len, struct wbuf *out)
{
	const unsigned char *blob, *data;
	size_t blen, dlen;
	struct wire w;
	uint32_t flags;
	uint8_t type;

	wbuf_reset(out);
	wire_init(&w, req, len);
	if (wire_u8(&w, &type) != 0)
		goto fail;
	switch (type) {
	case AGENTC_REQUEST_IDENTITIES:
		wbuf_put_u8(out, AGENT_IDENTITIES_ANSWER);
		wbuf_put_u32(out, offer != NULL);
		if (offer != NULL) {
			wbuf_put_string(out, offer, offer_len);
			wbuf_put_string(out, "xssh", 4);
		}
		if (out->overflow)
			goto fail;
		return AGENT_SHIM_REPLY;
	case AGENTC_SIGN_REQUEST:
		/* Only ever the key on offer, signed as told. */
		if (wire_string(&w, &blob, &blen) != 0 ||
		    wire_string(&w, &data, &dlen) != 0 ||
		    wire_u32(&w, &flags) != 0 || offer == NULL ||
		    blen != offer_len || memcmp(blob, offer, blen) != 0)
			goto fail;
		wbuf_put_u8(out, AGENTC_SIGN_REQUEST);
		wbuf_put_string(out, sign, sign_len);
		wbuf_put_string(out, data, dlen);
		wbuf_put_u32(out, flags);
		if (out->overflow || out->len > AGENT_MAX_MSG)
			goto fail;
		return AGENT_SHIM_FORWARD;
	}
 fail:
	wbuf_reset(out);
	wbuf_put_u8(out, AGENT_FAILURE);
	return AGENT_SHIM_REPLY;
}

int
agent_sign_reply_ok(const unsigned char *msg, size_t len)
{
	const unsigned char *sig;
	struct wire w;
	size_t n;
	uint8_t type;

	wire_init(&w, msg, len);
	return wire_u8(&w, &type) == 0 && type == AGENT_SIGN_RESPONSE &&
	    wire_string(&w, &sig, &n) == 0 && n > 0 && w.len == 0;
}

/* Answer one request of libssh's agent client into reply. */
static void
shim_answer(struct agent_shim *s, struct wbuf *req, struct wbuf *reply)
{
	struct wbuf fwd = { 0 };

	pthread_mutex_lock(&s->lock);
	if (agent_shim_request(req->d, req->len, s->offer, s->offer_len,
	    s->sign, s->sign_len, &fwd) == AGENT_SHIM_REPLY) {
		pthread_mutex_unlock(&s->lock);
		wbuf_reset(reply);
		wbuf_put(reply, fwd.d, fwd.len);
		wbuf_free(&fwd);
		return;
	}
	/* The real agent's answer goes back only if it is one. */
	if (agent_msg_write(s->real, fwd.d, fwd.len) != 0 ||
	    agent_msg_read(s->real, reply) != 0 ||
	    !agent_sign_reply_ok(reply->d, reply->len)) {
		wbuf_reset(reply);
		wbuf_put_u8(reply, AGENT_FAILURE);
	}
	pthread_mutex_unlock(&s->lock);
	wbuf_free(&fwd);
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
