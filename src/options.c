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
	OFF(add_keys_to_agent), OFF(add_keys_to_agent_lifespan),
	OFF(control_persist), OFF(control_persist_timeout),
	OFF(enable_escape_commandline), OFF(enable_ssh_keysign),
	OFF(exit_on_forward_failure), OFF(fingerprint_hash),
	OFF(forward_x11_timeout), OFF(forward_x11_trusted),
	OFF(gateway_ports), OFF(gss_authentication), OFF(gss_deleg_creds),
	OFF(gss_keyex), OFF(gss_renewal_rekey), OFF(gss_trust_dns),
	OFF(hostbased_authentication), OFF(ip_qos_interactive),
	OFF(ip_qos_bulk), OFF(no_host_authentication_for_localhost),
	OFF(permit_local_command), OFF(rekey_interval),
	OFF(stream_local_bind_mask), OFF(stream_local_bind_unlink),
	OFF(syslog_facility), OFF(tun_local), OFF(tun_remote),
	OFF(update_host_keys), OFF(verify_host_key_dns),
	OFF(visual_host_key), OFF(canonicalize_fallback_local),
	OFF(canonicalize_max_dots),
};

static const size_t str_fields[] = {
	OFF(user), OFF(hostname), OFF(host_key_alias), OFF(proxy_jump),
	OFF(proxy_command), OFF(bind_address), OFF(bind_interface),
	OFF(identity_agent), OFF(preferred_authentications), OFF(ciphers),
	OFF(macs), OFF(kex_algorithms), OFF(host_key_algorithms),
	OFF(pubkey_accepted_algorithms), OFF(remote_command),
	OFF(ignore_unknown), OFF(forward_agent_sock), OFF(pkcs11_provider),
	OFF(security_key_provider), OFF(known_hosts_command),
	OFF(revoked_host_keys), OFF(ca_signature_algorithms),
	OFF(control_path), OFF(gss_client_identity), OFF(gss_kex_algorithms),
	OFF(gss_server_identity), OFF(hostbased_accepted_algorithms),
	OFF(kbd_interactive_devices), OFF(local_command),
	OFF(xauth_location),
};

static const size_t list_fields[] = {
	OFF(identity_files), OFF(certificate_files),
	OFF(user_known_hosts_files), OFF(global_known_hosts_files),
	OFF(send_env), OFF(set_env), OFF(log_verbose),
	OFF(permit_remote_open), OFF(canonical_domains),
	OFF(permitted_cnames), OFF(local_forwards), OFF(remote_forwards),
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
	{ OFF(add_keys_to_agent), 0 },
	{ OFF(add_keys_to_agent_lifespan), 0 },
	{ OFF(control_persist), 0 },
	{ OFF(control_persist_timeout), 0 },
	{ OFF(enable_escape_commandline), 0 },
	{ OFF(enable_ssh_keysign), 0 },
	{ OFF(exit_on_forward_failure), 0 },
	{ OFF(fingerprint_hash), FP_HASH_SHA256 },
	{ OFF(forward_x11_timeout), 1200 },
	{ OFF(forward_x11_trusted), 1 },
	{ OFF(gateway_ports), 0 },
	{ OFF(gss_authentication), 0 },
	{ OFF(gss_deleg_creds), 0 },
	{ OFF(gss_keyex), 0 },
	{ OFF(gss_renewal_rekey), 0 },
	{ OFF(gss_trust_dns), 0 },
	{ OFF(hostbased_authentication), 0 },
	{ OFF(ip_qos_interactive), 0x10 },	/* lowdelay */
	{ OFF(ip_qos_bulk), 0x08 },		/* throughput */
	{ OFF(no_host_authentication_for_localhost), 0 },
	{ OFF(permit_local_command), 0 },
	{ OFF(rekey_interval), 0 },
	{ OFF(stream_local_bind_mask), 0177 },
	{ OFF(stream_local_bind_unlink), 0 },
	{ OFF(syslog_facility), 1 },		/* USER */
	{ OFF(tun_local), TUNID_ANY },
	{ OFF(tun_remote), TUNID_ANY },
	{ OFF(verify_host_key_dns), 0 },
	{ OFF(visual_host_key), 0 },
	{ OFF(canonicalize_fallback_local), 1 },
	{ OFF(canonicalize_max_dots), 1 },
};

/* Strings where "none" means unset, as OpenSSH's CLEAR_ON_NONE. */
static const size_t none_clears[] = {
	OFF(proxy_jump), OFF(proxy_command), OFF(remote_command),
	OFF(pkcs11_provider), OFF(security_key_provider),
	OFF(known_hosts_command), OFF(revoked_host_keys), OFF(control_path),
	OFF(local_command),
};

/* Debian's GSSAPI key exchange default (GSS_KEX_DEFAULT_KEX). */
#define GSS_KEX_DEFAULT	"gss-group14-sha256-,gss-group16-sha512-," \
	"gss-nistp256-sha256-,gss-curve25519-sha256-,gss-group14-sha1-," \
	"gss-gex-sha1-"

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
	o->rekey_limit = -1;
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

/*
 * ssh.c's is_addr(): a name that can only be an address (with "%" or
 * ":", or only digits and dots), or one numeric address.
 */
int
host_is_addr(const char *name, int family)
{
	struct addrinfo hints, *ai;
	int one;

	if (strchr(name, '%') != NULL || strchr(name, ':') != NULL ||
	    strspn(name, "0123456789.") == strlen(name))
		return 1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family == -1 ? AF_UNSPEC : family;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(name, "22", &hints, &ai) != 0)
		return 0;
	one = ai != NULL && ai->ai_next == NULL;
	freeaddrinfo(ai);
	return one;
}

/* ssh lowercases the destination unless it is a numeric address. */
void
lowercase_hostname(char *host)
{
	if (host_is_addr(host, AF_UNSPEC))
		return;
	for (; *host != '\0'; host++)
		*host = tolower((unsigned char)*host);
}

void
options_fill_defaults(struct options *o, const char *host)
{
	char **sp;
	size_t i;

	/* As ssh's fill_default_options(): these depend on others. */
	if (o->server_alive_interval == -1)
		o->server_alive_interval = o->batch_mode == 1 ? 300 : 0;
	if (o->update_host_keys == -1)
		o->update_host_keys = o->verify_host_key_dns <= 0 &&
		    (o->user_known_hosts_files.n == 0 ||
		    (o->user_known_hosts_files.n == 1 && strcmp(
		    o->user_known_hosts_files.v[0], "~/.ssh/known_hosts") == 0));
	for (i = 0; i < NELEM(int_defaults); i++) {
		if (*INTP(o, int_defaults[i].off) == -1)
			*INTP(o, int_defaults[i].off) = int_defaults[i].value;
	}
	if (o->rekey_limit == -1)
		o->rekey_limit = 0;
	if (o->xauth_location == NULL)
		o->xauth_location = xstrdup("/usr/bin/xauth");
	if (o->gss_kex_algorithms == NULL)
		o->gss_kex_algorithms = xstrdup(GSS_KEX_DEFAULT);
	if (o->security_key_provider == NULL)
		o->security_key_provider = xstrdup("internal");
	if (o->host_key_alias != NULL) {
		for (sp = &o->host_key_alias, i = 0; (*sp)[i] != '\0'; i++)
			(*sp)[i] = tolower((unsigned char)(*sp)[i]);
	}
	/* "CanonicalizePermittedCNAMEs none" leaves no rule. */
	if (o->permitted_cnames.n == 1 &&
	    strcmp(o->permitted_cnames.v[0], "none:") == 0)
		strlist_free(&o->permitted_cnames);
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
