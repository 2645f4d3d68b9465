/*
 * xssh -G: the destination's configuration, resolved as for connecting
 * and printed byte for byte as OpenSSH 9.2's ssh -G prints it
 * (readconf.c dump_client_config() and the steps of ssh.c's main()
 * before it): the same keywords in the same order, lowercase but for
 * ssh's own "canonicalizePermittedcnames", the same names for
 * multistate values ("true" for some, "yes" for others), the paths
 * and commands ssh expands expanded and the others as written.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "algolist.h"
#include "dumpconf.h"
#include "fwd.h"
#include "readconf.h"

/* The names ssh prints for multistate values, first one wins. */
static const struct ms t_family[] = {
	{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "any", AF_UNSPEC },
	{ NULL, -1 },
};
static const struct ms t_yesnoask[] = {
	{ "true", 1 }, { "false", 0 }, { "ask", 2 }, { NULL, -1 },
};
static const struct ms t_strict[] = {
	{ "true", SHK_YES }, { "false", SHK_NO }, { "ask", SHK_ASK },
	{ "accept-new", SHK_ACCEPT_NEW }, { NULL, -1 },
};
static const struct ms t_master[] = {
	{ "true", 1 }, { "false", 0 }, { "auto", 3 }, { "ask", 2 },
	{ "autoask", 4 }, { NULL, -1 },
};
static const struct ms t_tunnel[] = {
	{ "ethernet", 2 }, { "point-to-point", 1 }, { "false", 0 },
	{ NULL, -1 },
};
static const struct ms t_tty[] = {
	{ "true", RTTY_YES }, { "false", RTTY_NO }, { "force", RTTY_FORCE },
	{ "auto", RTTY_AUTO }, { NULL, -1 },
};
static const struct ms t_session[] = {
	{ "none", 0 }, { "subsystem", 2 }, { "default", 1 }, { NULL, -1 },
};
static const struct ms t_canon[] = {
	{ "true", CANON_YES }, { "false", CANON_NO },
	{ "always", CANON_ALWAYS }, { NULL, -1 },
};
static const struct ms t_addkeys[] = {
	{ "true", 1 }, { "false", 0 }, { "ask", 2 }, { "confirm", 3 },
	{ NULL, -1 },
};
static const struct ms t_pubkey[] = {
	{ "true", PUBKEY_ALL }, { "false", PUBKEY_NO },
	{ "unbound", PUBKEY_UNBOUND }, { "host-bound", PUBKEY_HOST_BOUND },
	{ NULL, -1 },
};
/* log.c log_level_name(): "SILENT" and "DEBUG" come first. */
static const char *const level_names[] = {
	[LOG_QUIET] = "SILENT", [LOG_FATAL] = "FATAL",
	[LOG_ERROR] = "ERROR", [LOG_INFO] = "INFO",
	[LOG_VERBOSE] = "VERBOSE", [LOG_DEBUG1] = "DEBUG",
	[LOG_DEBUG2] = "DEBUG2", [LOG_DEBUG3] = "DEBUG3",
};

/* fmt_intarg(): "unset", the table's name, or yes/no by default. */
static const char *
fmt(const struct ms *t, int v)
{
	if (v == -1)
		return "unset";
	if (t == NULL)
		return v == 0 ? "no" : v == 1 ? "yes" : "UNKNOWN";
	for (; t->key != NULL; t++) {
		if (t->value == v)
			return t->key;
	}
	return "UNKNOWN";
}

static void
p_str(FILE *f, const char *kw, const char *v)
{
	if (v != NULL)
		fprintf(f, "%s %s\n", kw, v);
}

static void
p_int(FILE *f, const char *kw, int v)
{
	fprintf(f, "%s %d\n", kw, v);
}

static void
p_fmt(FILE *f, const char *kw, const struct ms *t, int v)
{
	fprintf(f, "%s %s\n", kw, fmt(t, v));
}

/* One side of a forwarding, as ssh's dump_cfg_forwards() prints it. */
static void
p_fwd_side(FILE *f, const char *host, int port, const char *path)
{
	if (path != NULL)
		fprintf(f, " %s", path);
	else if (host == NULL)
		fprintf(f, " %d", port);
	else
		fprintf(f, " [%s]:%d", host, port);
}

/*
 * kw's forwardings of list (kind 'L', 'D' or 'R'); ssh keeps -L and -D
 * in one list and prints as dynamicforward every local one without a
 * target host (so a local Unix socket forwarding shows twice).
 */
static void
p_forwards(FILE *f, const char *kw, const struct strlist *l, int remote)
{
	struct fwdspec s;
	int i, dyn = strcmp(kw, "dynamicforward") == 0;
	char kind;

	for (i = 0; i < l->n; i++) {
		kind = remote ? 'R' : fwdspec_local_kind(l->v[i]);
		if (fwdspec_parse(l->v[i], kind, &s) != 0)
			continue;
		if (remote || (dyn && s.connect_host == NULL) ||
		    (!dyn && kind == 'L')) {
			fputs(kw, f);
			p_fwd_side(f, s.listen_host, s.listen_port,
			    s.listen_path);
			if (kind == 'R' && s.dynamic)
				fputs(" [socks]:0", f);
			else if (!dyn)
				p_fwd_side(f, s.connect_host, s.connect_port,
				    s.connect_path);
			fputc('\n', f);
		}
		fwdspec_free(&s);
	}
}

static void
p_list(FILE *f, const char *kw, const struct strlist *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		fprintf(f, "%s %s\n", kw, l->v[i]);
}

static void
p_oneline(FILE *f, const char *kw, const struct strlist *l)
{
	int i;

	fputs(kw, f);
	if (l->n == 0)
		fputs(" none", f);
	for (i = 0; i < l->n; i++)
		fprintf(f, " %s", l->v[i]);
	fputc('\n', f);
}

/* OpenBSD vis(3) with VIS_WHITE, as ssh prints EscapeChar. */
static const char *
vis_char(int c, char *buf)
{
	char *d = buf;

	if (c >= 0 && c < 128 && isgraph(c)) {
		if (c == '\\')
			*d++ = '\\';
		*d++ = c;
	} else if ((c & 0177) == ' ') {
		d += sprintf(d, "\\%o%o%o", (c >> 6) & 7, (c >> 3) & 7, c & 7);
	} else {
		*d++ = '\\';
		if (c & 0200) {
			c &= 0177;
			*d++ = 'M';
		}
		if (iscntrl(c)) {
			*d++ = '^';
			*d++ = c == 0177 ? '?' : c + '@';
		} else {
			*d++ = '-';
			*d++ = c;
		}
	}
	*d = '\0';
	return buf;
}

/* misc.c urldecode(); NULL if malformed. */
static char *
urldecode(const char *s)
{
	char *ret = xmalloc(strlen(s) + 1), *d = ret, hex[3];

	for (; *s != '\0'; s++) {
		if (*s == '+')
			*d++ = ' ';
		else if (*s == '%') {
			if (!isxdigit((unsigned char)s[1]) ||
			    !isxdigit((unsigned char)s[2])) {
				free(ret);
				return NULL;
			}
			memcpy(hex, s + 1, 2);
			hex[2] = '\0';
			*d++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else
			*d++ = *s;
	}
	*d = '\0';
	return ret;
}

/* The last hop of a ProxyJump, as parse_jump() keeps it. */
struct jump {
	char	*extra;		/* the hops before it, or NULL */
	char	*user;
	char	*host;
	int	 port;
};

static void
jump_free(struct jump *j)
{
	free(j->extra);
	free(j->user);
	free(j->host);
	memset(j, 0, sizeof(*j));
}

static char *
clean_host(char *h)
{
	size_t len = strlen(h);

	if (*h == '[' && len > 1 && h[len - 1] == ']') {
		h[len - 1] = '\0';
		return h + 1;
	}
	return h;
}

/* parse_ssh_uri() or parse_user_host_port() of the last hop. */
static int
jump_parse(const char *spec, struct jump *j)
{
	char *s, *last, *tmp, *cp, *host, *at, ch = '\0';

	memset(j, 0, sizeof(*j));
	j->port = -1;
	s = xstrdup(spec);
	s[strcspn(s, "#")] = '\0';
	/* sic: parse_jump()'s rtrim() ends the value at its first blank. */
	if (*s != '\0')
		s[1 + strcspn(s + 1, " \t\r\n\f\v")] = '\0';
	if ((last = strrchr(s, ',')) != NULL) {
		*last++ = '\0';
		j->extra = xstrdup(s);
	} else
		last = s;
	tmp = last;
	if (strncmp(tmp, "ssh://", 6) == 0) {
		tmp += 6;
		if ((at = strchr(tmp, '@')) != NULL) {
			*at = '\0';
			tmp[strcspn(tmp, ";")] = '\0';
			if (*tmp == '\0' || (j->user = urldecode(tmp)) == NULL)
				goto bad;
			tmp = at + 1;
		}
	} else if ((at = strrchr(tmp, '@')) != NULL) {
		*at = '\0';
		if (*tmp == '\0')
			goto bad;
		j->user = xstrdup(tmp);
		tmp = at + 1;
	}
	if ((host = cfg_hpdelim2(&tmp, &ch)) == NULL || *host == '\0')
		goto bad;
	j->host = xstrdup(clean_host(host));
	if (tmp != NULL && *tmp != '\0') {
		if ((cp = strchr(tmp, '/')) != NULL && ch == ':')
			*cp = '\0';
		if ((j->port = cfg_a2port(tmp)) <= 0)
			goto bad;
	}
	free(s);
	return 0;
 bad:
	free(s);
	jump_free(j);
	return -1;
}

/* The lists ssh assembles in fill_default_options() and the dump. */
struct lists {
	char	*ciphers, *macs, *kex, *hostbased, *pubkey, *ca, *hostkey;
};

static void
lists_free(struct lists *l)
{
	free(l->ciphers);
	free(l->macs);
	free(l->kex);
	free(l->hostbased);
	free(l->pubkey);
	free(l->ca);
	free(l->hostkey);
}

static int
lists_make(const struct options *o, struct lists *l, struct xerr *err)
{
	const char *what = NULL;

	memset(l, 0, sizeof(*l));
	if (algo_assemble(o->ciphers, algo_def_ciphers, algo_all_ciphers,
	    &l->ciphers) != 0)
		what = "ciphers";
	else if (algo_assemble(o->macs, algo_def_macs, algo_all_macs,
	    &l->macs) != 0)
		what = "macs";
	else if (algo_assemble(o->kex_algorithms, algo_def_kex, algo_all_kex,
	    &l->kex) != 0)
		what = "kex_algorithms";
	else if (algo_assemble(o->hostbased_accepted_algorithms,
	    algo_def_keys, algo_all_keys, &l->hostbased) != 0)
		what = "hostbased_accepted_algos";
	else if (algo_assemble(o->pubkey_accepted_algorithms, algo_def_keys,
	    algo_all_keys, &l->pubkey) != 0)
		what = "pubkey_accepted_algos";
	else if (algo_assemble(o->ca_signature_algorithms, algo_def_sigs,
	    algo_all_sigs, &l->ca) != 0)
		what = "ca_sign_algorithms";
	else if (algo_assemble(o->host_key_algorithms, algo_def_keys,
	    algo_all_keys, &l->hostkey) != 0)
		what = "expand HostKeyAlgorithms";
	if (what == NULL)
		return 0;
	lists_free(l);
	return xerr_set(err, XE_CONFIG, "fill_default_options: %s: invalid "
	    "argument", what);
}

/* ssh.c: the jump host and the destination must differ. */
static int
jump_loop(const struct options *o, const struct jump *j, struct xerr *err)
{
	int jport = j->port <= 0 ? 22 : j->port;
	const char *juser = j->user != NULL ? j->user : o->user;

	if (strcmp(j->host, o->hostname) == 0 && o->port == jport &&
	    strcmp(o->user, juser) == 0)
		return xerr_set(err, XE_CONFIG, "jumphost loop via %s",
		    j->host);
	return 0;
}

static void
print_all(FILE *f, const struct options *o, const char *host_arg,
    int ct_set, const struct lists *l, const struct jump *j)
{
	char buf[16];
	int i, numeric;

	fprintf(f, "host %s\n", host_arg);
	p_str(f, "user", o->user);
	p_str(f, "hostname", o->hostname);
	p_int(f, "port", o->port);

	p_fmt(f, "addressfamily", t_family, o->address_family);
	p_fmt(f, "batchmode", NULL, o->batch_mode);
	p_fmt(f, "canonicalizefallbacklocal", NULL,
	    o->canonicalize_fallback_local);
	p_fmt(f, "canonicalizehostname", t_canon, o->canonicalize_hostname);
	p_fmt(f, "checkhostip", NULL, o->check_host_ip);
	p_fmt(f, "compression", NULL, o->compression);
	p_fmt(f, "controlmaster", t_master, o->control_master);
	p_fmt(f, "enablesshkeysign", NULL, o->enable_ssh_keysign);
	p_fmt(f, "clearallforwardings", NULL, o->clear_all_forwardings);
	p_fmt(f, "exitonforwardfailure", NULL, o->exit_on_forward_failure);
	p_str(f, "fingerprinthash", cfg_digest_name(o->fingerprint_hash));
	p_fmt(f, "forwardx11", NULL, o->forward_x11);
	p_fmt(f, "forwardx11trusted", NULL, o->forward_x11_trusted);
	p_fmt(f, "gatewayports", NULL, o->gateway_ports);
	p_fmt(f, "gssapiauthentication", NULL, o->gss_authentication);
	p_fmt(f, "gssapikeyexchange", NULL, o->gss_keyex);
	p_fmt(f, "gssapidelegatecredentials", NULL, o->gss_deleg_creds);
	p_fmt(f, "gssapitrustdns", NULL, o->gss_trust_dns);
	p_fmt(f, "gssapirenewalforcesrekey", NULL, o->gss_renewal_rekey);
	p_str(f, "gssapiclientidentity", o->gss_client_identity);
	p_str(f, "gssapiserveridentity", o->gss_server_identity);
	p_str(f, "gssapikexalgorithms", o->gss_kex_algorithms);
	p_fmt(f, "hashknownhosts", NULL, o->hash_known_hosts);
	p_fmt(f, "hostbasedauthentication", NULL, o->hostbased_authentication);
	p_fmt(f, "identitiesonly", NULL, o->identities_only);
	p_fmt(f, "kbdinteractiveauthentication", NULL,
	    o->kbd_interactive_authentication);
	p_fmt(f, "nohostauthenticationforlocalhost", NULL,
	    o->no_host_authentication_for_localhost);
	p_fmt(f, "passwordauthentication", NULL, o->password_authentication);
	p_fmt(f, "permitlocalcommand", NULL, o->permit_local_command);
	/* ssh never passes a descriptor for ProxyJump. */
	p_fmt(f, "proxyusefdpass", NULL, j->host != NULL ? 0 :
	    o->proxy_use_fdpass);
	p_fmt(f, "pubkeyauthentication", t_pubkey, o->pubkey_authentication);
	p_fmt(f, "requesttty", t_tty, o->request_tty);
	p_fmt(f, "sessiontype", t_session, o->session_type);
	p_fmt(f, "stdinnull", NULL, o->stdin_null);
	p_fmt(f, "forkafterauthentication", NULL, o->fork_after_authentication);
	p_fmt(f, "streamlocalbindunlink", NULL, o->stream_local_bind_unlink);
	p_fmt(f, "stricthostkeychecking", t_strict,
	    o->strict_host_key_checking);
	p_fmt(f, "tcpkeepalive", NULL, o->tcp_keep_alive);
	p_fmt(f, "tunnel", t_tunnel, o->tunnel);
	p_fmt(f, "verifyhostkeydns", t_yesnoask, o->verify_host_key_dns);
	p_fmt(f, "visualhostkey", NULL, o->visual_host_key);
	p_fmt(f, "updatehostkeys", t_yesnoask, o->update_host_keys);
	p_fmt(f, "enableescapecommandline", NULL,
	    o->enable_escape_commandline);

	p_int(f, "canonicalizemaxdots", o->canonicalize_max_dots);
	p_int(f, "connectionattempts", o->connection_attempts);
	p_int(f, "forwardx11timeout", o->forward_x11_timeout);
	p_int(f, "numberofpasswordprompts", o->number_of_password_prompts);
	p_int(f, "serveralivecountmax", o->server_alive_count_max);
	p_int(f, "serveraliveinterval", o->server_alive_interval);
	p_int(f, "requiredrsasize", o->required_rsa_size);

	p_str(f, "bindaddress", o->bind_address);
	p_str(f, "bindinterface", o->bind_interface);
	p_str(f, "ciphers", l->ciphers);
	p_str(f, "controlpath", o->control_path);
	p_str(f, "hostkeyalgorithms", l->hostkey);
	p_str(f, "hostkeyalias", o->host_key_alias);
	p_str(f, "hostbasedacceptedalgorithms", l->hostbased);
	p_str(f, "identityagent", o->identity_agent);
	p_str(f, "ignoreunknown", o->ignore_unknown);
	p_str(f, "kbdinteractivedevices", o->kbd_interactive_devices);
	p_str(f, "kexalgorithms", l->kex);
	p_str(f, "casignaturealgorithms", l->ca);
	p_str(f, "localcommand", o->local_command);
	p_str(f, "remotecommand", o->remote_command);
	p_str(f, "loglevel", o->log_level >= LOG_QUIET &&
	    o->log_level <= LOG_DEBUG3 ? level_names[o->log_level] : NULL);
	p_str(f, "macs", l->macs);
	p_str(f, "pkcs11provider", o->pkcs11_provider);
	p_str(f, "securitykeyprovider", o->security_key_provider);
	p_str(f, "preferredauthentications", o->preferred_authentications);
	p_str(f, "pubkeyacceptedalgorithms", l->pubkey);
	p_str(f, "revokedhostkeys", o->revoked_host_keys);
	p_str(f, "xauthlocation", o->xauth_location);
	p_str(f, "knownhostscommand", o->known_hosts_command);

	if (o->clear_all_forwardings != 1) {
		p_forwards(f, "dynamicforward", &o->local_forwards, 0);
		p_forwards(f, "localforward", &o->local_forwards, 0);
		p_forwards(f, "remoteforward", &o->remote_forwards, 1);
	}

	p_list(f, "identityfile", &o->identity_files);
	p_oneline(f, "canonicaldomains", &o->canonical_domains);
	p_list(f, "certificatefile", &o->certificate_files);
	p_oneline(f, "globalknownhostsfile", &o->global_known_hosts_files);
	p_oneline(f, "userknownhostsfile", &o->user_known_hosts_files);
	p_list(f, "sendenv", &o->send_env);
	p_list(f, "setenv", &o->set_env);
	p_oneline(f, "logverbose", &o->log_verbose);

	if (o->permit_remote_open.n == 0)
		fputs("permitremoteopen any\n", f);
	else
		p_oneline(f, "permitremoteopen", &o->permit_remote_open);
	if (o->add_keys_to_agent_lifespan <= 0)
		p_fmt(f, "addkeystoagent", t_addkeys, o->add_keys_to_agent);
	else
		fprintf(f, "addkeystoagent%s %d\n", o->add_keys_to_agent == 3 ?
		    " confirm" : "", o->add_keys_to_agent_lifespan);
	if (o->forward_agent_sock != NULL)
		p_str(f, "forwardagent", o->forward_agent_sock);
	else
		p_fmt(f, "forwardagent", NULL, o->forward_agent);
	if (!ct_set)
		fputs("connecttimeout none\n", f);
	else
		p_int(f, "connecttimeout", o->connect_timeout);
	fputs("tunneldevice", f);
	if (o->tun_local == TUNID_ANY)
		fputs(" any", f);
	else
		fprintf(f, " %d", o->tun_local);
	if (o->tun_remote == TUNID_ANY)
		fputs(":any\n", f);
	else
		fprintf(f, ":%d\n", o->tun_remote);
	fputs("canonicalizePermittedcnames", f);
	if (o->permitted_cnames.n == 0)
		fputs(" none", f);
	for (i = 0; i < o->permitted_cnames.n; i++)
		fprintf(f, " %s", o->permitted_cnames.v[i]);
	fputc('\n', f);
	if (o->control_persist == 0 || o->control_persist_timeout == 0)
		p_fmt(f, "controlpersist", NULL, o->control_persist);
	else
		p_int(f, "controlpersist", o->control_persist_timeout);
	if (o->escape_char == -2)
		fputs("escapechar none\n", f);
	else
		fprintf(f, "escapechar %s\n", vis_char(o->escape_char, buf));
	fprintf(f, "ipqos %s ", cfg_ipqos_name(o->ip_qos_interactive, buf,
	    sizeof(buf)));
	fprintf(f, "%s\n", cfg_ipqos_name(o->ip_qos_bulk, buf, sizeof(buf)));
	fprintf(f, "rekeylimit %llu %d\n", (unsigned long long)o->rekey_limit,
	    o->rekey_interval);
	fprintf(f, "streamlocalbindmask 0%o\n", o->stream_local_bind_mask);
	fprintf(f, "syslogfacility %s\n",
	    cfg_facility_name(o->syslog_facility));

	if (j->host == NULL) {
		p_str(f, "proxycommand", o->proxy_command);
		return;
	}
	numeric = strchr(j->host, ':') != NULL ||
	    strspn(j->host, "1234567890.") == strlen(j->host);
	fprintf(f, "proxyjump %s%s%s%s%s%s%s", j->extra != NULL ? j->extra : "",
	    j->extra != NULL ? "," : "", j->user != NULL ? j->user : "",
	    j->user != NULL ? "@" : "", numeric ? "[" : "", j->host,
	    numeric ? "]" : "");
	if (j->port > 0)
		fprintf(f, ":%d", j->port);
	fputc('\n', f);
}

void
dumpconf_print(FILE *f, const struct options *o, const char *host_arg,
    int connect_timeout_set)
{
	struct lists l;
	struct jump j;
	struct xerr e;

	memset(&j, 0, sizeof(j));
	if (lists_make(o, &l, &e) != 0)
		memset(&l, 0, sizeof(l));
	if (o->proxy_jump != NULL && jump_parse(o->proxy_jump, &j) != 0)
		memset(&j, 0, sizeof(j));
	print_all(f, o, host_arg, connect_timeout_set, &l, &j);
	lists_free(&l);
	jump_free(&j);
}

/* Replace *sp by its expansion, as ssh.c does before printing. */
static int
expand(struct options *o, const char *host_arg, char **sp, int what,
    struct xerr *err)
{
	char *v;

	if (*sp == NULL)
		return 0;
	if ((v = options_expand(o, host_arg, *sp, what, err)) == NULL)
		return -1;
	free(*sp);
	*sp = v;
	return 0;
}

/* ssh.c main() between fill_default_options() and the dump. */
static int
finish_options(struct options *o, const struct args *a, struct xerr *err)
{
	struct stat st;
	int i;

	if (o->connection_attempts <= 0)
		return xerr_set(err, XE_CONFIG,
		    "Invalid number of ConnectionAttempts");
	if (a->command != NULL && *a->command != '\0' &&
	    o->remote_command != NULL)
		return xerr_set(err, XE_CONFIG,
		    "Cannot execute command-line and remote command.");
	/* UpdateHostKeys=ask needs someone to ask. */
	if (o->update_host_keys == 2) {
		if (o->control_persist && o->control_path != NULL)
			o->update_host_keys = 0;
		else if ((a->command != NULL && *a->command != '\0') ||
		    o->remote_command != NULL || o->request_tty == RTTY_NO)
			o->update_host_keys = 0;
		else if (o->log_level < LOG_INFO)
			o->update_host_keys = 0;
	}
	if (expand(o, a->host, &o->remote_command, XP_COMMAND, err) != 0 ||
	    expand(o, a->host, &o->control_path, XP_PATH, err) != 0 ||
	    expand(o, a->host, &o->identity_agent, XP_PATH, err) != 0 ||
	    expand(o, a->host, &o->forward_agent_sock, XP_PATH, err) != 0)
		return -1;
	if (o->forward_agent_sock != NULL &&
	    stat(o->forward_agent_sock, &st) != 0) {
		error("Cannot forward agent socket path \"%s\": %s",
		    o->forward_agent_sock, strerror(errno));
		if (o->exit_on_forward_failure)
			return xerr_set(err, XE_CONFIG, "Cannot forward agent "
			    "socket path \"%s\"", o->forward_agent_sock);
	}
	if (o->global_known_hosts_files.n > 0 &&
	    strcasecmp(o->global_known_hosts_files.v[0], "none") == 0)
		strlist_free(&o->global_known_hosts_files);
	if (o->user_known_hosts_files.n > 0 &&
	    strcasecmp(o->user_known_hosts_files.v[0], "none") == 0)
		strlist_free(&o->user_known_hosts_files);
	for (i = 0; i < o->user_known_hosts_files.n; i++) {
		if (expand(o, a->host, &o->user_known_hosts_files.v[i],
		    XP_PATH, err) != 0)
			return xerr_prefix(err, "invalid environment variable "
			    "expansion");
	}
	return 0;
}

int
dumpconf_main(struct args *a, struct xerr *err)
{
	struct options o;
	struct lists l;
	struct jump j;
	int r = -1, ct_set;

	o = a->opts;
	options_init(&a->opts);
	memset(&j, 0, sizeof(j));
	memset(&l, 0, sizeof(l));
	/* -s asks for a subsystem, which must be named. */
	if (a->subsystem) {
		o.session_type = 2;
		if (a->command == NULL) {
			xerr_set(err, XE_USAGE, "You must specify a subsystem "
			    "to invoke.");
			goto out;
		}
	}
	if (readconf_files(&o, a->host, a->config_file, err) != 0)
		goto out;
	ct_set = o.connect_timeout != -1;
	/* -W changes two defaults, as in fill_default_options(). */
	if (a->stdio_host != NULL) {
		if (o.exit_on_forward_failure == -1)
			o.exit_on_forward_failure = 1;
		if (o.clear_all_forwardings == -1)
			o.clear_all_forwardings = 1;
	}
	options_fill_defaults(&o, a->host);
	if (lists_make(&o, &l, err) != 0)
		goto out;
	if (o.proxy_jump != NULL) {
		if (jump_parse(o.proxy_jump, &j) != 0) {
			xerr_set(err, XE_CONFIG, "Invalid ProxyJump \"%s\"",
			    o.proxy_jump);
			goto out;
		}
		if (jump_loop(&o, &j, err) != 0)
			goto out;
	}
	if (finish_options(&o, a, err) != 0)
		goto out;
	print_all(stdout, &o, a->host, ct_set, &l, &j);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		xerr_set(err, XE_IO, "stdout: %s", strerror(errno));
		goto out;
	}
	r = 0;
 out:
	lists_free(&l);
	jump_free(&j);
	options_free(&o);
	return r;
}
