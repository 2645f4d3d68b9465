/*
 * Agent forwarding on the destination's session: each
 * auth-agent@openssh.com channel the server opens is joined to a new
 * connection to the local agent, and pumped by the session's relay.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/callbacks.h>

#include "agent.h"
#include "chain.h"
#include "chanio.h"
#include "fwd.h"

/* One auth-agent@openssh.com channel joined to the local agent. */
struct fwdchan {
	struct fwdchan *next;
	struct chanio io;
};

struct agentfwd {
	struct hop *hop;
	ssh_session session;
	char	*path;
	struct ssh_callbacks_struct cb;
	struct fwdchan *chans;
	unsigned long n_opened;
};

/* What the session's callbacks become when forwarding stops. */
static struct ssh_callbacks_struct no_callbacks;

/*
 * libssh's auth-agent@openssh.com callback: it runs inside libssh's
 * packet handling on the main thread, and only on the destination's
 * session, which asked for the agent.  NULL refuses the channel.
 */
static ssh_channel
on_agent_open(ssh_session session, void *arg)
{
	struct agentfwd *f = arg;
	struct fwdchan *c;
	ssh_channel ch;
	int fd;

	if ((fd = agent_connect(f->path)) == -1) {
		debug("agent forwarding: cannot connect to %s: %s", f->path,
		    strerror(errno));
		return NULL;
	}
	if ((ch = ssh_channel_new(session)) == NULL) {
		close(fd);
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	c = xcalloc(1, sizeof(*c));
	chanio_init(&c->io, ch, CHANIO_STREAM, fd, fd, -1);
	c->next = f->chans;
	f->chans = c;
	f->n_opened++;
	debug("hop %d/%d %s: authentication agent connection %lu",
	    f->hop->index, f->hop->count, f->hop->name, f->n_opened);
	return ch;
}

static void
fwdchan_free(struct fwdchan *c)
{
	chanio_close(&c->io);
	free(c);
}

int
agentfwd_pump(void *arg)
{
	struct agentfwd *f = arg;
	struct fwdchan **cp, *c;
	int moved = 0;

	for (cp = &f->chans; (c = *cp) != NULL;) {
		if (chanio_pump(&c->io) != 0)
			moved = 1;
		if (chanio_done(&c->io)) {
			*cp = c->next;
			fwdchan_free(c);
			moved = 1;
			continue;
		}
		cp = &c->next;
	}
	return moved;
}

int
agentfwd_pollfds(void *arg, struct pollfd *pfd, int max)
{
	struct agentfwd *f = arg;
	struct fwdchan *c;
	int n = 0;

	for (c = f->chans; c != NULL && n < max; c = c->next)
		n += chanio_pollfds(&c->io, &pfd[n], max - n);
	return n;
}

struct agentfwd *
agentfwd_start(struct hop *h, ssh_channel ch)
{
	const char *fa = h->opts.forward_agent_sock, *v;
	struct agentfwd *f;
	struct stat st;
	char *path;
	int fd;

	if (h->opts.forward_agent != 1)
		return NULL;
	/*
	 * As ssh's check_agent_present(): without a reachable agent
	 * (IdentityAgent or SSH_AUTH_SOCK) nothing is requested, even
	 * when ForwardAgent names another socket.
	 */
	if ((path = agent_socket_path(h)) == NULL ||
	    (fd = agent_connect(path)) == -1) {
		debug("no authentication agent: agent forwarding not "
		    "requested");
		free(path);
		return NULL;
	}
	close(fd);
	if (fa != NULL) {
		free(path);
		if (fa[0] == '$' && fa[1] != '{') {
			/* "$VAR": the variable's value, or no forwarding. */
			if ((v = getenv(fa + 1)) == NULL)
				return NULL;
			path = xstrdup(v);
		} else {
			path = options_expand_tokens(&h->opts, h->name, fa);
			if (stat(path, &st) != 0)
				error("Cannot forward agent socket path "
				    "\"%s\": %s", path, strerror(errno));
		}
	}
	f = xcalloc(1, sizeof(*f));
	f->hop = h;
	f->session = h->session;
	f->path = path;
	f->cb.userdata = f;
	f->cb.channel_open_request_auth_agent_function = on_agent_open;
	ssh_callbacks_init(&f->cb);
	ssh_set_callbacks(h->session, &f->cb);
	debug("Requesting authentication agent forwarding.");
	if (ssh_channel_request_auth_agent(ch) != SSH_OK) {
		debug("agent forwarding request failed: %s",
		    ssh_get_error(h->session));
		agentfwd_stop(f);
		return NULL;
	}
	return f;
}

void
agentfwd_stop(struct agentfwd *f)
{
	struct fwdchan *c;

	if (f == NULL)
		return;
	/* No callback may reach f once it is freed. */
	ssh_callbacks_init(&no_callbacks);
	ssh_set_callbacks(f->session, &no_callbacks);
	while ((c = f->chans) != NULL) {
		f->chans = c->next;
		fwdchan_free(c);
	}
	debug("hop %d/%d %s: agent forwarding done, %lu connection%s",
	    f->hop->index, f->hop->count, f->hop->name, f->n_opened,
	    f->n_opened == 1 ? "" : "s");
	free(f->path);
	free(f);
}
