/*
 * Keepalives, as ssh sends them: after ServerAliveInterval seconds
 * without a packet from the server, a keepalive@openssh.com global
 * request that wants a reply; any packet from the server (the reply
 * is REQUEST_FAILURE from sshd) starts the count again, and the
 * interval that would be the ServerAliveCountMax+1st in a row without
 * one ends the session: "Timeout, server HOST not responding."  So a
 * server that stops answering is given up between CountMax and
 * CountMax+1 intervals after its last packet, as with ssh.
 *
 * Each hop's relay runs the keepalives of its own hop's session (it
 * is the only thread that touches it), with that hop's settings.
 * Packets are counted by libssh in the counters we give it.
 */
#include <stdatomic.h>
#include <string.h>

#include <libssh/server.h>	/* ssh_send_keepalive, for clients too */

#include "chain.h"
#include "keepalive.h"

void
keepalive_start(struct keepalive *k, ssh_session s, struct hop *h)
{
	memset(k, 0, sizeof(*k));
	k->session = s;
	k->hop = h;
	if (h == NULL || h->opts.server_alive_interval <= 0)
		return;
	k->interval = h->opts.server_alive_interval;
	k->count_max = h->opts.server_alive_count_max;
	ssh_set_counters(s, &k->sock, &k->raw);
	k->deadline = monotime() + k->interval;
	h->ka_interval = k->interval;
	atomic_store(&h->ka_last_rx_ms, (int64_t)(monotime() * 1000));
	debug("hop %d/%d %s: keepalive every %d s, %d unanswered at most",
	    h->index, h->count, h->name, k->interval, k->count_max);
}

/* How long a poll may wait, in ms, at most max. */
int
keepalive_wait(const struct keepalive *k, int max)
{
	double left;

	if (k->interval <= 0)
		return max;
	left = (k->deadline - monotime()) * 1000 + 1;
	if (left <= 0)
		return 0;
	return left < max ? (int)left : max;
}

/*
 * Called on every pass of the relay, after the packets that came in
 * were processed: -1 when the server has been silent too long.
 *
 * libssh (0.12 as 0.10) keeps one global request state per session: a keepalive
 * sent in non-blocking mode leaves it pending, and the next call only
 * collects the reply (sending nothing) if one came.  So when the first
 * call sent no packet, a second one sends; when the last keepalive is
 * still unanswered, neither does, and the count goes on.  Collecting
 * a reply sets the session's error to "Global request ... failed",
 * which libssh logs at debug level: libssh is silenced (its level is
 * per thread) while we send, and our own line says what happened.
 */
int
keepalive_check(struct keepalive *k)
{
	uint64_t sent;
	double now;
	int i, level;

	if (k->interval <= 0)
		return 0;
	now = monotime();
	if (k->raw.in_packets != k->seen) {
		k->seen = k->raw.in_packets;
		k->misses = 0;
		atomic_store(&k->hop->ka_last_rx_ms, (int64_t)(now * 1000));
		k->deadline = now + k->interval;
		return 0;
	}
	if (now < k->deadline)
		return 0;
	if (++k->misses > k->count_max)
		return -1;
	sent = k->raw.out_packets;
	level = ssh_get_log_level();
	ssh_set_log_level(SSH_LOG_NOLOG);
	for (i = 0; i < 2 && k->raw.out_packets == sent; i++)
		ssh_send_keepalive(k->session);
	ssh_set_log_level(level);
	debug3("hop %d/%d %s: %d s without a packet: keepalive %d/%d%s",
	    k->hop->index, k->hop->count, k->hop->name,
	    k->misses * k->interval, k->misses, k->count_max,
	    k->raw.out_packets == sent ? " (the last is unanswered)" : " sent");
	/* Packets that came in while sending count at the next look. */
	k->deadline = now + k->interval;
	return 0;
}

/* The counters live in k: libssh must forget them before k goes. */
void
keepalive_stop(struct keepalive *k)
{
	if (k->interval > 0 && k->session != NULL)
		ssh_set_counters(k->session, NULL, NULL);
	k->interval = 0;
}

/*
 * The hop to blame: the outermost one before h (or h) with keepalives
 * whose last packet is older than its interval and a quarter second
 * more (so a reply merely in flight does not count).
 */
static const struct hop *
silent_hop(const struct hop *h)
{
	const struct hop *j, *blame = h;
	int64_t now = (int64_t)(monotime() * 1000), last;

	for (j = h->prev; j != NULL; j = j->prev) {
		last = atomic_load(&j->ka_last_rx_ms);
		if (j->ka_interval > 0 && last > 0 &&
		    now - last > j->ka_interval * 1000LL + 250)
			blame = j;
	}
	return blame;
}

/* ssh's message, in the hop's words: the hop's name in a chain. */
int
keepalive_error(const struct hop *h, struct xerr *e)
{
	const struct hop *b = silent_hop(h);

	if (b != h)
		debug("hop %d/%d %s counted out, but hop %d/%d %s before it "
		    "has been silent too", h->index, h->count, h->name,
		    b->index, b->count, b->name);
	return hop_error(b, e, XE_TIMEOUT, "keepalive", "Timeout, server %s "
	    "not responding.", b->count > 1 ? b->name : b->opts.hostname);
}
