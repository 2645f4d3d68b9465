/*
 * The options of one hop: starting unset, and OpenSSH's defaults for
 * whatever no source set.  Which fields are integers, strings and
 * lists is listed once, in the tables below, so that init and free
 * cannot miss a field added later.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <netdb.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

#define OFF(f)		offsetof(struct options, f)
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define INTP(o, off)	((int *)((char *)(o) + (off)))
#define STRP(o, off)	((char **)((char *)(o) + (off)))
#define LISTP(o, off)	((struct strlist *)((char *)(o) + (off)))

static const size_t int_fields[] = {
	OFF(port), OFF(address_family), OFF(connect_timeout),
	OFF(connection_attempts), OFF(identities_only), OFF(batch_mode),
	OFF(pubkey_authentication), OFF(password_authentication),
	OFF(kbd_interactive_authentication), OFF(number_of_password_prompts),
	OFF(strict_host_key_checking), OFF(hash_known_hosts),
	OFF(check_host_ip), OFF(compression), OFF(request_tty),
	OFF(stdin_null), OFF(session_type), OFF(forward_agent),
	OFF(server_alive_interval), OFF(server_alive_count_max),
	OFF(tcp_keep_alive), OFF(log_level), OFF(escape_char),
	OFF(required_rsa_size), OFF(clear_all_forwardings),
	OFF(forward_x11), OFF(control_master), OFF(tunnel),
	OFF(canonicalize_hostname), OFF(proxy_use_fdpass),
	OFF(fork_after_authentication),
};

static const size_t str_fields[] = {
	OFF(user), OFF(hostname), OFF(host_key_alias), OFF(proxy_jump),
	OFF(proxy_command), OFF(bind_address), OFF(bind_interface),
	OFF(identity_agent), OFF(preferred_authentications), OFF(ciphers),
	OFF(macs), OFF(kex_algorithms), OFF(host_key_algorithms),
	OFF(pubkey_accepted_algorithms), OFF(remote_command),
	OFF(ignore_unknown), OFF(forward_agent_sock), OFF(pkcs11_provider),
	OFF(security_key_provider), OFF(known_hosts_command),
	OFF(revoked_host_keys),
};

static const size_t list_fields[] = {
	OFF(identity_files), OFF(certificate_files),
	OFF(user_known_hosts_files), OFF(global_known_hosts_files),
	OFF(send_env), OFF(set_env),
};

/* Integer defaults, applied to fields still -1. */
static const struct {
	size_t	off;
	int	value;
} int_defaults[] = {
	{ OFF(port), 22 },
	{ OFF(address_family), AF_UNSPEC },
	{ OFF(connect_timeout), 0 },		/* none */
	{ OFF(connection_attempts), 1 },
	{ OFF(identities_only), 0 },
	{ OFF(batch_mode), 0 },
	{ OFF(pubkey_authentication), 1 },
	{ OFF(password_authentication), 1 },
	{ OFF(kbd_interactive_authentication), 1 },
	{ OFF(number_of_password_prompts), 3 },
	{ OFF(strict_host_key_checking), SHK_ASK },
	{ OFF(hash_known_hosts), 0 },
	{ OFF(check_host_ip), 0 },
	{ OFF(compression), 0 },
	{ OFF(request_tty), RTTY_AUTO },
	{ OFF(stdin_null), 0 },
	{ OFF(session_type), 1 },		/* default */
	{ OFF(forward_agent), 0 },
	{ OFF(server_alive_interval), 0 },
	{ OFF(server_alive_count_max), 3 },
	{ OFF(tcp_keep_alive), 1 },
	{ OFF(log_level), LOG_INFO },
	{ OFF(escape_char), '~' },
	{ OFF(required_rsa_size), 1024 },
	{ OFF(clear_all_forwardings), 0 },
	{ OFF(forward_x11), 0 },
	{ OFF(control_master), 0 },
	{ OFF(tunnel), 0 },
	{ OFF(canonicalize_hostname), 0 },
	{ OFF(proxy_use_fdpass), 0 },
	{ OFF(fork_after_authentication), 0 },
};

/* Strings where "none" means unset, as OpenSSH's CLEAR_ON_NONE. */
static const size_t none_clears[] = {
	OFF(proxy_jump), OFF(proxy_command), OFF(remote_command),
	OFF(pkcs11_provider), OFF(security_key_provider),
	OFF(known_hosts_command), OFF(revoked_host_keys),
};

/* OpenSSH 9.2's default identities, in its order. */
static const char *const default_identities[] = {
	"~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ecdsa_sk",
	"~/.ssh/id_ed25519", "~/.ssh/id_ed25519_sk", "~/.ssh/id_xmss",
	"~/.ssh/id_dsa",
};

void
strlist_add(struct strlist *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 2, sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
	l->v[l->n] = NULL;
}

void
strlist_free(struct strlist *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
options_init(struct options *o)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < NELEM(int_fields); i++)
		*INTP(o, int_fields[i]) = -1;
}

void
options_free(struct options *o)
{
	size_t i;

	for (i = 0; i < NELEM(str_fields); i++)
		free(*STRP(o, str_fields[i]));
	for (i = 0; i < NELEM(list_fields); i++)
		strlist_free(LISTP(o, list_fields[i]));
	options_init(o);
}

/* ssh lowercases the destination unless it is a numeric address. */
void
lowercase_hostname(char *host)
{
	struct addrinfo hints, *ai;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &ai) == 0) {
		freeaddrinfo(ai);
		return;
	}
	for (; *host != '\0'; host++)
		*host = tolower((unsigned char)*host);
}

void
options_fill_defaults(struct options *o, const char *host)
{
	char **sp;
	size_t i;

	for (i = 0; i < NELEM(int_defaults); i++) {
		if (*INTP(o, int_defaults[i].off) == -1)
			*INTP(o, int_defaults[i].off) = int_defaults[i].value;
	}
	if (o->hostname == NULL)
		o->hostname = xstrdup(host);
	lowercase_hostname(o->hostname);
	if (o->user == NULL)
		o->user = xstrdup(local_user());
	if (o->identity_files.n == 0) {
		for (i = 0; i < NELEM(default_identities); i++)
			strlist_add(&o->identity_files, default_identities[i]);
	}
	if (o->user_known_hosts_files.n == 0) {
		strlist_add(&o->user_known_hosts_files, "~/.ssh/known_hosts");
		strlist_add(&o->user_known_hosts_files, "~/.ssh/known_hosts2");
	}
	if (o->global_known_hosts_files.n == 0) {
		strlist_add(&o->global_known_hosts_files,
		    "/etc/ssh/ssh_known_hosts");
		strlist_add(&o->global_known_hosts_files,
		    "/etc/ssh/ssh_known_hosts2");
	}
	for (i = 0; i < NELEM(none_clears); i++) {
		sp = STRP(o, none_clears[i]);
		if (*sp != NULL && strcasecmp(*sp, "none") == 0) {
			free(*sp);
			*sp = NULL;
		}
	}
}
