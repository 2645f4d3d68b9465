/*
 * The ssh_config(5) keywords: value parsers and the keyword table.
 * Each parser checks its arguments exactly as OpenSSH 9.2 does, with
 * the same messages, whether or not the line applies; only an active
 * line stores (the first value obtained wins) or is refused.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "readconf.h"

#define MAX_IDFILES	100		/* IdentityFile, CertificateFile */
#define MAX_HOSTFILES	32		/* *KnownHostsFile */
#define PORT_LOCAL	-2		/* a forward to a Unix socket */
#define OFF(f)		offsetof(struct options, f)

static const struct ms ms_flag[] = {
	{ "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 },
	{ NULL, -1 },
};
static const struct ms ms_yesnoask[] = {
	{ "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 },
	{ "ask", 2 }, { NULL, -1 },
};
static const struct ms ms_strict_hostkey[] = {
	{ "true", SHK_YES }, { "false", SHK_NO }, { "yes", SHK_YES },
	{ "no", SHK_NO }, { "ask", SHK_ASK }, { "off", SHK_NO },
	{ "accept-new", SHK_ACCEPT_NEW }, { NULL, -1 },
};
static const struct ms ms_address_family[] = {
	{ "inet", AF_INET }, { "inet6", AF_INET6 }, { "any", AF_UNSPEC },
	{ NULL, -1 },
};
static const struct ms ms_control_master[] = {
	{ "true", 1 }, { "yes", 1 }, { "false", 0 }, { "no", 0 },
	{ "auto", 3 }, { "ask", 2 }, { "autoask", 4 }, { NULL, -1 },
};
static const struct ms ms_tunnel[] = {
	{ "ethernet", 2 }, { "point-to-point", 1 }, { "true", 1 },
	{ "yes", 1 }, { "false", 0 }, { "no", 0 }, { NULL, -1 },
};
static const struct ms ms_request_tty[] = {
	{ "true", RTTY_YES }, { "yes", RTTY_YES }, { "false", RTTY_NO },
	{ "no", RTTY_NO }, { "force", RTTY_FORCE }, { "auto", RTTY_AUTO },
	{ NULL, -1 },
};
static const struct ms ms_session_type[] = {
	{ "none", 0 }, { "subsystem", 2 }, { "default", 1 }, { NULL, -1 },
};
static const struct ms ms_canonicalize[] = {
	{ "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 },
	{ "always", 2 }, { NULL, -1 },
};
static const struct ms ms_pubkey_auth[] = {
	{ "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 },
	{ "unbound", PUBKEY_UNBOUND }, { "host-bound", PUBKEY_HOST_BOUND },
	{ NULL, -1 },
};
static const struct ms ms_compression[] = {
	{ "yes", 1 }, { "no", 0 }, { NULL, -1 },
};
static const struct ms ms_log_level[] = {
	{ "SILENT", LOG_QUIET }, { "QUIET", LOG_QUIET }, { "FATAL", LOG_FATAL },
	{ "ERROR", LOG_ERROR }, { "INFO", LOG_INFO },
	{ "VERBOSE", LOG_VERBOSE }, { "DEBUG", LOG_DEBUG1 },
	{ "DEBUG1", LOG_DEBUG1 }, { "DEBUG2", LOG_DEBUG2 },
	{ "DEBUG3", LOG_DEBUG3 }, { NULL, -1 },
};

struct algos {
	int		 set;		/* ALG_* */
	const char	*what;		/* "Bad <what> '%s'." */
	int		 plain;		/* no +, -, ^ prefixes */
	int		 kex;		/* name the bad one, as kex does */
};

static const struct algos al_ciphers = {
	.set = ALG_CIPHER, .what = "SSH2 cipher spec",
};
static const struct algos al_macs = {
	.set = ALG_MAC, .what = "SSH2 MAC spec",
};
static const struct algos al_kex = {
	.set = ALG_KEX, .what = "SSH2 KexAlgorithms", .kex = 1,
};
static const struct algos al_keys = {
	.set = ALG_KEY, .what = "key types",
};
static const struct algos al_gss_kex = {
	.set = ALG_GSSKEX, .what = "GSSAPI KexAlgorithms", .plain = 1, .kex = 1,
};

/* The value of arg in a table, -1 if it is not there. */
int
rc_ms_find(const struct ms *t, const char *arg, int icase)
{
	for (; arg != NULL && t->key != NULL; t++) {
		if ((icase ? strcasecmp(arg, t->key) :
		    strcmp(arg, t->key)) == 0)
			return t->value;
	}
	return -1;
}

/* The end of an IGNORE keyword's parser. */
int
rc_done(struct line *l)
{
	return *l->activep ? rc_ignored(l) : 0;
}

/* A "Missing argument." check for parsers taking one argument. */
char *
rc_need_arg(struct line *l)
{
	char *arg = rc_next_arg(l);

	if (arg == NULL || *arg == '\0') {
		rc_bad(l, "Missing argument.");
		return NULL;
	}
	return arg;
}

/* yes/no and the other multistate keywords; kw->arg is the table. */
static int
p_multi(struct line *l)
{
	const struct ms *t = l->kw->arg != NULL ? l->kw->arg : ms_flag;
	char *arg = rc_next_arg(l);
	int v;

	if (arg == NULL || *arg == '\0')
		rc_bad(l, "missing argument.");
	else if ((v = rc_ms_find(t, arg, 1)) != -1)
		return rc_store_int(l, v);
	return rc_bad(l, "unsupported option \"%s\".",
	    arg != NULL ? arg : "(null)");
}

static int
p_int(struct line *l)
{
	const char *err = "missing";
	char *arg = rc_next_arg(l);
	int v = 0;

	if (arg != NULL && *arg != '\0')
		v = cfg_strtonum(arg, 0, INT_MAX, &err);
	if (err != NULL)
		return rc_bad(l, "integer value %s.", err);
	return rc_store_int(l, v);
}

static int
p_time(struct line *l)
{
	char *arg = rc_next_arg(l);
	int v;

	if (arg == NULL || *arg == '\0')
		return rc_bad(l, "missing time value.");
	if (strcmp(arg, "none") == 0)
		v = -1;
	else if ((v = cfg_convtime(arg)) == -1)
		return rc_bad(l, "invalid time value.");
	return rc_store_int(l, v);
}

static int
p_string(struct line *l)
{
	char *arg;

	if ((arg = rc_need_arg(l)) == NULL)
		return -1;
	return rc_store_str(l, arg);
}

/* HostName: %h and %% are expanded now, with the name given. */
static int
p_hostname(struct line *l)
{
	struct tok t = { 'h', l->rc->orig };
	char *arg, *v, why[512];
	int missing;

	if ((arg = rc_need_arg(l)) == NULL)
		return -1;
	if (!*l->activep || l->rc->o->hostname != NULL)
		return 0;
	/* -o comes before the name is known: readconf_files() expands. */
	if (l->flags & RF_CMDLINE) {
		l->rc->o->hostname = xstrdup(arg);
		return 0;
	}
	if ((v = rc_expand(arg, &t, 1, 0, why, sizeof(why), &missing)) ==
	    NULL) {
		rc_say(l->rc, "vdollar_percent_expand: %s", why);
		rc_say(l->rc, "percent_expand: failed");
		return RC_FATAL;
	}
	l->rc->o->hostname = v;
	return 0;
}

static int
p_port(struct line *l)
{
	char *arg;
	int v;

	if ((arg = rc_need_arg(l)) == NULL)
		return -1;
	if ((v = cfg_a2port(arg)) <= 0)
		return rc_bad(l, "Bad port '%s'.", arg);
	return rc_store_int(l, v);
}

static int
p_loglevel(struct line *l)
{
	char *arg = rc_next_arg(l);
	int v;

	if ((v = rc_ms_find(ms_log_level, arg, 1)) != -1)
		return rc_store_int(l, v);
	return rc_bad(l, "unsupported log level '%s'",
	    arg != NULL ? arg : "<NONE>");
}

static int
p_escape(struct line *l)
{
	unsigned char *arg;
	int v;

	if ((arg = (unsigned char *)rc_need_arg(l)) == NULL)
		return -1;
	if (strcmp((char *)arg, "none") == 0)
		v = -2;
	else if (arg[1] == '\0')
		v = arg[0];
	else if (arg[0] == '^' && arg[2] == '\0' && arg[1] >= 64 &&
	    arg[1] < 128)
		v = arg[1] & 31;
	else
		return rc_bad(l, "Bad escape character.");
	return rc_store_int(l, v);
}

/* IdentityFile, CertificateFile: accumulate, without duplicates. */
static int
p_idfile(struct line *l)
{
	struct strlist *list;
	char *arg;
	int i;

	if ((arg = rc_need_arg(l)) == NULL)
		return -1;
	if (!*l->activep)
		return 0;
	list = FIELD(l, struct strlist);
	if (list->n >= MAX_IDFILES)
		return rc_bad(l, "Too many %s files specified (max %d).",
		    (const char *)l->kw->arg, MAX_IDFILES);
	for (i = 0; i < list->n; i++) {
		if (strcmp(list->v[i], arg) == 0) {
			debug2("add_%s_file: ignoring duplicate key %s",
			    (const char *)l->kw->arg, arg);
			return 0;
		}
	}
	strlist_add(list, arg);
	return 0;
}

/* UserKnownHostsFile and the like: a list, the first line wins. */
static int
p_strarray(struct line *l)
{
	struct strlist *list = NULL;
	char *arg;
	int i = 0, first = 0;

	if (l->kw->off != NOFIELD) {
		list = FIELD(l, struct strlist);
		first = list->n == 0;
	}
	while ((arg = rc_next_arg(l)) != NULL) {
		if (rc_list_arg(l, arg, i++) != 0)
			return -1;
		if (!*l->activep || !first)
			continue;
		if (list->n >= MAX_HOSTFILES && l->kw->arg == NULL)
			return rc_bad(l, "too many %s entries.", l->keyword);
		strlist_add(list, arg);
	}
	return l->kw->status == IGNORE ? rc_done(l) : 0;
}

static int
p_sendenv(struct line *l)
{
	struct strlist *env = &l->rc->o->send_env;
	char *arg;
	int i;

	while ((arg = rc_next_arg(l)) != NULL) {
		if (*arg == '\0' || strchr(arg, '=') != NULL)
			return rc_bad(l, "Invalid environment name.");
		if (!*l->activep)
			continue;
		if (*arg != '-') {
			strlist_add(env, arg);
			continue;
		}
		/* "-PATTERN" removes what earlier lines added. */
		for (i = 0; i < env->n;) {
			if (!pattern_match(env->v[i], arg + 1)) {
				i++;
				continue;
			}
			debug3("%s line %d: removing environment %s",
			    l->file, l->linenum, env->v[i]);
			free(env->v[i]);
			memmove(env->v + i, env->v + i + 1,
			    (env->n - i) * sizeof(*env->v));
			env->n--;
		}
	}
	return 0;
}

static int
p_setenv(struct line *l)
{
	struct strlist add = { NULL, 0 };
	char *arg;
	size_t len;
	int i, first = l->rc->o->set_env.n == 0;

	while ((arg = rc_next_arg(l)) != NULL) {
		if (strchr(arg, '=') == NULL) {
			strlist_free(&add);
			return rc_bad(l, "Invalid SetEnv.");
		}
		if (!*l->activep || !first)
			continue;
		len = strcspn(arg, "=");
		for (i = 0; i < add.n; i++) {
			if (strncmp(add.v[i], arg, len) == 0 &&
			    add.v[i][len] == '=')
				break;
		}
		if (i < add.n) {
			debug2("%s line %d: ignoring duplicate env name "
			    "\"%.64s\"", l->file, l->linenum, arg);
			continue;
		}
		strlist_add(&add, arg);
	}
	if (*l->activep && first)
		l->rc->o->set_env = add;
	else
		strlist_free(&add);
	return 0;
}

/* RemoteCommand and the like: the rest of the line, raw. */
static int
p_command(struct line *l)
{
	rc_consume(l);
	return rc_store_str(l, l->str + strspn(l->str, WHITESPACE "="));
}

/* ProxyCommand yields to a ProxyJump other than "none" (deb12u10). */
static int
p_proxycommand(struct line *l)
{
	const char *jump = l->rc->o->proxy_jump;

	if (jump != NULL && strcasecmp(jump, "none") != 0) {
		rc_consume(l);
		return 0;
	}
	return p_command(l);
}

/*
 * ProxyJump: checked hop by hop from the last, as parse_jump().  It
 * applies only while neither ProxyJump nor ProxyCommand is set, and
 * then sets ProxyCommand "none" so that a later one is ignored.
 */
static int
p_proxyjump(struct line *l)
{
	struct options *o = l->rc->o;
	char *v, *dup, *cp, why[256];
	size_t len;
	int r = 0;

	rc_consume(l);
	v = l->str + strspn(l->str, WHITESPACE "=");
	dup = xstrdup(v);
	dup[strcspn(dup, "#")] = '\0';
	/*
	 * sic: ssh 9.2's rtrim() blanks every space past the first
	 * character, so the value ends at its first blank: "a ,b" is "a".
	 */
	if (*dup != '\0')
		dup[1 + strcspn(dup + 1, " \t\r\n\f\v")] = '\0';
	len = strlen(dup);
	if (strcasecmp(v, "none") != 0) {
		do {
			if ((cp = strrchr(dup, ',')) == NULL)
				cp = dup;
			else
				*cp++ = '\0';
			why[0] = '\0';
			r = cfg_check_hop(cp, l->flags & RF_CMDLINE, why,
			    sizeof(why));
		} while (r == 0 && cp != dup);
		free(dup);
		if (r != 0 && (l->flags & RF_CMDLINE) && why[0] != '\0')
			rc_say(l->rc, "%s", why);
		if (r != 0)
			return rc_bad(l, "Invalid ProxyJump \"%s\"", v);
		dup = xstrdup(v);
		dup[strcspn(dup, "#")] = '\0';
		dup[len] = '\0';
	}
	if (*l->activep && o->proxy_command == NULL && o->proxy_jump == NULL) {
		if (strcasecmp(v, "none") == 0)
			o->proxy_jump = xstrdup("none");
		else {
			o->proxy_jump = dup;
			o->proxy_command = xstrdup("none");
			dup = NULL;
		}
	}
	free(dup);
	return 0;
}

/* Algorithm lists: every name must be known, as ssh checks them. */
static int
p_algos(struct line *l)
{
	const struct algos *al = l->kw->arg;
	char *arg, *list, *cp, *p;
	int ok = 1;

	if ((arg = rc_need_arg(l)) == NULL)
		return -1;
	if (al->plain || *arg != '-') {
		p = arg;
		if (!al->plain && (*p == '+' || *p == '^'))
			p++;
		ok = *p != '\0';
		list = cp = xstrdup(p);
		while (ok && (p = strsep(&cp, ",")) != NULL && *p != '\0') {
			ok = cfg_algo_ok(al->set, p);
			if (!ok && al->kex)
				rc_say(l->rc, "Unsupported KEX algorithm "
				    "\"%.100s\"", p);
		}
		free(list);
	}
	if (!ok)
		return rc_bad(l, "Bad %s '%s'.", al->what, arg);
	return rc_store_str(l, arg);
}

/* IdentityAgent and ForwardAgent paths: ${VAR} must be set. */
static int
check_agent_path(struct line *l, const char *arg)
{
	char why[512], *v;
	int missing;

	if ((v = rc_expand(arg, NULL, 0, 1, why, sizeof(why), &missing)) ==
	    NULL) {
		rc_say(l->rc, "vdollar_percent_expand: %s", why);
		return rc_bad(l, "Invalid environment expansion %s.", arg);
	}
	free(v);
	if (arg[0] == '$' && arg[1] != '{' && !cfg_valid_env_name(arg + 1))
		return rc_bad(l, "Invalid environment name %s.", arg);
	return 0;
}

static int
p_agent(struct line *l)
{
	char *arg;

	if ((arg = rc_need_arg(l)) == NULL || check_agent_path(l, arg) != 0)
		return -1;
	return rc_store_str(l, arg);
}

/* ForwardAgent yes/no, or the socket to forward. */
static int
p_fwdagent(struct line *l)
{
	char *arg = rc_next_arg(l);
	int v;

	if (arg == NULL || *arg == '\0')
		return rc_bad(l, "missing argument.");
	if ((v = rc_ms_find(ms_flag, arg, 1)) != -1)
		return rc_store_int(l, v);
	if (check_agent_path(l, arg) != 0)
		return -1;
	if (!*l->activep)
		return 0;
	/*
	 * As ssh: a path turns forwarding on unless it was set already,
	 * and is kept even where forwarding is already off.
	 */
	if (l->rc->o->forward_agent == -1)
		l->rc->o->forward_agent = 1;
	if (l->rc->o->forward_agent_sock == NULL)
		l->rc->o->forward_agent_sock = xstrdup(arg);
	return 0;
}

/* LocalForward, RemoteForward, DynamicForward: the specs, as -L -R -D. */
static int
p_forward(struct line *l)
{
	char *arg, *arg2, *spec;
	const char *kind = l->kw->arg;
	int remote = strcmp(kind, "remote") == 0;
	int dynamic = strcmp(kind, "dynamic") == 0, ok;

	if ((arg = rc_need_arg(l)) == NULL)
		return -1;
	if (!dynamic) {
		arg2 = rc_next_arg(l);
		if (arg2 == NULL || *arg2 == '\0') {
			if (!remote)
				return rc_bad(l, "Missing target argument.");
			dynamic = 1;
		}
	}
	if (dynamic)
		spec = xstrdup(arg);
	else
		xasprintf(&spec, "%s:%s", arg, arg2);
	ok = cfg_valid_forward(spec, dynamic, remote);
	if (!ok) {
		free(spec);
		return rc_bad(l, "Bad forwarding specification.");
	}
	if (!*l->activep) {
		free(spec);
		return 0;
	}
	if (l->rc->o->clear_all_forwardings == 1) {
		free(spec);
		debug("%s line %d: %s cleared by ClearAllForwardings",
		    l->file, l->linenum, l->kw->name);
		return 0;
	}
	/* As ssh, local and dynamic ones share one list, in order. */
	strlist_add(remote ? &l->rc->o->remote_forwards :
	    &l->rc->o->local_forwards, spec);
	free(spec);
	return 0;
}

/* What ssh itself drops: kw->arg says how it tells. */
static int
p_obsolete(struct line *l)
{
	const char *how = l->kw->arg;

	rc_consume(l);
	if (how == NULL)
		return 0;
	if (strcmp(how, "deprecated") == 0)
		debug("%s line %d: Deprecated option \"%s\"", l->file,
		    l->linenum, l->keyword);
	else
		error("%s line %d: Unsupported option \"%s\"", l->file,
		    l->linenum, l->keyword);
	return 0;
}

#define K(name, fn, field, st, arg) \
	{ name, fn, OFF(field), st, arg }
#define KO(name, how)		{ name, p_obsolete, NOFIELD, OBSOLETE, how }

/*
 * Every keyword of OpenSSH 9.2's ssh_config(5), Debian's GSSAPI ones
 * and the aliases readconf.c accepts.  Looked up case-insensitively.
 */
const struct kw readconf_keywords[] = {
	/* Structure. */
	{ "Host", rc_host, NOFIELD, ACT, NULL },
	{ "Match", rc_match, NOFIELD, ACT, NULL },
	{ "Include", rc_include, NOFIELD, ACT, NULL },
	K("IgnoreUnknown", p_string, ignore_unknown, ACT, NULL),

	/* Destination and routing. */
	K("HostName", p_hostname, hostname, ACT, NULL),
	K("User", p_string, user, ACT, NULL),
	K("Port", p_port, port, ACT, NULL),
	K("HostKeyAlias", p_string, host_key_alias, ACT, NULL),
	K("ProxyJump", p_proxyjump, proxy_jump, ACT, NULL),
	K("ProxyCommand", p_proxycommand, proxy_command, ACT, NULL),
	K("AddressFamily", p_multi, address_family, ACT, ms_address_family),
	K("BindAddress", p_string, bind_address, ACT, NULL),
	K("ProxyUseFdpass", p_multi, proxy_use_fdpass, ACT, NULL),
	K("BindInterface", p_string, bind_interface, ACT, NULL),
	K("ConnectTimeout", p_time, connect_timeout, ACT, NULL),
	K("ConnectionAttempts", p_int, connection_attempts, ACT, NULL),

	/* Authentication. */
	K("IdentityFile", p_idfile, identity_files, ACT, "identity"),
	K("IdentityFile2", p_idfile, identity_files, ACT, "identity"),
	K("CertificateFile", p_idfile, certificate_files, ACT,
	    "certificate"),
	K("IdentitiesOnly", p_multi, identities_only, ACT, NULL),
	K("IdentityAgent", p_agent, identity_agent, ACT, NULL),
	K("BatchMode", p_multi, batch_mode, ACT, NULL),
	K("PubkeyAuthentication", p_multi, pubkey_authentication, ACT,
	    ms_pubkey_auth),
	K("DSAAuthentication", p_multi, pubkey_authentication, ACT,
	    ms_pubkey_auth),
	K("PasswordAuthentication", p_multi, password_authentication, ACT,
	    NULL),
	K("KbdInteractiveAuthentication", p_multi,
	    kbd_interactive_authentication, ACT, NULL),
	K("ChallengeResponseAuthentication", p_multi,
	    kbd_interactive_authentication, ACT, NULL),
	K("SkeyAuthentication", p_multi, kbd_interactive_authentication, ACT,
	    NULL),
	K("TISAuthentication", p_multi, kbd_interactive_authentication, ACT,
	    NULL),
	K("PreferredAuthentications", p_string, preferred_authentications,
	    ACT, NULL),
	K("NumberOfPasswordPrompts", p_int, number_of_password_prompts, ACT,
	    NULL),
	K("RequiredRSASize", p_int, required_rsa_size, ACT, NULL),

	/* Host keys. */
	K("UserKnownHostsFile", p_strarray, user_known_hosts_files, ACT,
	    NULL),
	K("GlobalKnownHostsFile", p_strarray, global_known_hosts_files, ACT,
	    NULL),
	K("StrictHostKeyChecking", p_multi, strict_host_key_checking, ACT,
	    ms_strict_hostkey),
	K("HashKnownHosts", p_multi, hash_known_hosts, ACT, NULL),
	K("CheckHostIP", p_multi, check_host_ip, ACT, NULL),
	K("KnownHostsCommand", p_command, known_hosts_command, ACT, NULL),
	K("RevokedHostKeys", p_string, revoked_host_keys, ACT, NULL),
	K("FingerprintHash", p_fphash, fingerprint_hash, ACT, NULL),
	K("VisualHostKey", p_multi, visual_host_key, ACT, NULL),

	/* Algorithms. */
	K("Ciphers", p_algos, ciphers, ACT, &al_ciphers),
	K("MACs", p_algos, macs, ACT, &al_macs),
	K("KexAlgorithms", p_algos, kex_algorithms, ACT, &al_kex),
	K("HostKeyAlgorithms", p_algos, host_key_algorithms, ACT, &al_keys),
	K("PubkeyAcceptedAlgorithms", p_algos, pubkey_accepted_algorithms,
	    ACT, &al_keys),
	K("PubkeyAcceptedKeyTypes", p_algos, pubkey_accepted_algorithms,
	    ACT, &al_keys),
	K("Compression", p_multi, compression, ACT, ms_compression),

	/* Session. */
	K("RequestTTY", p_multi, request_tty, ACT, ms_request_tty),
	K("StdinNull", p_multi, stdin_null, ACT, NULL),
	K("SessionType", p_multi, session_type, ACT, ms_session_type),
	K("RemoteCommand", p_command, remote_command, ACT, NULL),
	K("ForwardAgent", p_fwdagent, forward_agent, ACT, NULL),
	K("AddKeysToAgent", p_addkeys, add_keys_to_agent, ACT, NULL),
	K("ServerAliveInterval", p_time, server_alive_interval, ACT, NULL),
	K("ProtocolKeepAlives", p_time, server_alive_interval, ACT, NULL),
	/* Debian's alias: ServerAliveInterval, despite the name. */
	K("SetupTimeOut", p_time, server_alive_interval, ACT, NULL),
	K("ServerAliveCountMax", p_int, server_alive_count_max, ACT, NULL),
	K("TCPKeepAlive", p_multi, tcp_keep_alive, ACT, NULL),
	K("AddKeysToAgent", p_addkeys, add_keys_to_agent, ACT, NULL),
	K("KeepAlive", p_multi, tcp_keep_alive, ACT, NULL),
	K("LogLevel", p_loglevel, log_level, ACT, NULL),
	K("EscapeChar", p_escape, escape_char, ACT, NULL),
	K("EnableEscapeCommandline", p_multi, enable_escape_commandline,
	    ACT, NULL),
	K("ForkAfterAuthentication", p_multi, fork_after_authentication,
	    ACT, NULL),
	K("LocalCommand", p_command, local_command, ACT, NULL),
	K("PermitLocalCommand", p_multi, permit_local_command, ACT, NULL),
	K("SendEnv", p_sendenv, send_env, ACT, NULL),
	K("SetEnv", p_setenv, set_env, ACT, NULL),
	K("ClearAllForwardings", p_multi, clear_all_forwardings, ACT, NULL),

	/* Hostname canonicalization. */
	K("CanonicalizeHostname", p_multi, canonicalize_hostname, ACT,
	    ms_canonicalize),
	K("CanonicalDomains", p_domains, canonical_domains, ACT, NULL),
	K("CanonicalizeFallbackLocal", p_multi, canonicalize_fallback_local,
	    ACT, NULL),
	K("CanonicalizeMaxDots", p_int, canonicalize_max_dots, ACT, NULL),
	K("CanonicalizePermittedCNAMEs", p_cnames, permitted_cnames, ACT,
	    NULL),

	/* Refused where they apply and ask for the feature. */
	{ "LocalForward", p_forward, NOFIELD, ACT, "local" },
	{ "RemoteForward", p_forward, NOFIELD, ACT, "remote" },
	{ "DynamicForward", p_forward, NOFIELD, ACT, "dynamic" },
	K("Tunnel", p_multi, tunnel, REFUSE, ms_tunnel),
	K("PKCS11Provider", p_string, pkcs11_provider, REFUSE, NULL),
	K("SmartcardDevice", p_string, pkcs11_provider, REFUSE, NULL),
	K("SecurityKeyProvider", p_string, security_key_provider, REFUSE,
	    "internal"),

	/* Connection sharing (mux-client.c, mux-server.c). */
	K("ControlMaster", p_multi, control_master, ACT, ms_control_master),
	K("ControlPath", p_string, control_path, ACT, NULL),
	K("ControlPersist", p_ctlpersist, control_persist, ACT, NULL),

	/* Checked and kept for -G, but not acted upon. */
	K("ForwardX11", p_multi, forward_x11, IGNORE, NULL),
	K("CASignatureAlgorithms", p_algos, ca_signature_algorithms, IGNORE,
	    &al_keys),
	K("EnableSSHKeysign", p_multi, enable_ssh_keysign, IGNORE, NULL),
	K("ExitOnForwardFailure", p_multi, exit_on_forward_failure, ACT,
	    NULL),
	K("ForwardX11Timeout", p_time, forward_x11_timeout, IGNORE, NULL),
	K("ForwardX11Trusted", p_multi, forward_x11_trusted, IGNORE, NULL),
	K("GatewayPorts", p_multi, gateway_ports, ACT, NULL),
	K("GSSAPIAuthentication", p_multi, gss_authentication, IGNORE, NULL),
	K("GSSAPIClientIdentity", p_string, gss_client_identity, IGNORE,
	    NULL),
	K("GSSAPIDelegateCredentials", p_multi, gss_deleg_creds, IGNORE,
	    NULL),
	K("GSSAPIKeyExchange", p_multi, gss_keyex, IGNORE, NULL),
	K("GSSAPIKexAlgorithms", p_algos, gss_kex_algorithms, IGNORE,
	    &al_gss_kex),
	K("GSSAPIRenewalForcesRekey", p_multi, gss_renewal_rekey, IGNORE,
	    NULL),
	K("GSSAPIServerIdentity", p_string, gss_server_identity, IGNORE,
	    NULL),
	K("GSSAPITrustDns", p_multi, gss_trust_dns, IGNORE, NULL),
	K("HostbasedAcceptedAlgorithms", p_algos,
	    hostbased_accepted_algorithms, IGNORE, &al_keys),
	K("HostbasedKeyTypes", p_algos, hostbased_accepted_algorithms,
	    IGNORE, &al_keys),
	K("HostbasedAuthentication", p_multi, hostbased_authentication,
	    IGNORE, NULL),
	K("IPQoS", p_ipqos, ip_qos_interactive, IGNORE, NULL),
	K("KbdInteractiveDevices", p_string, kbd_interactive_devices, IGNORE,
	    NULL),
	/* arg: no limit on the number of entries, unlike known hosts. */
	K("LogVerbose", p_strarray, log_verbose, IGNORE, "unlimited"),
	K("NoHostAuthenticationForLocalhost", p_multi,
	    no_host_authentication_for_localhost, IGNORE, NULL),
	K("PermitRemoteOpen", p_permitopen, permit_remote_open, ACT, NULL),
	K("RekeyLimit", p_rekeylimit, rekey_limit, IGNORE, NULL),
	K("StreamLocalBindMask", p_mask, stream_local_bind_mask, ACT,
	    NULL),
	K("StreamLocalBindUnlink", p_multi, stream_local_bind_unlink, ACT,
	    NULL),
	K("SyslogFacility", p_facility, syslog_facility, IGNORE, NULL),
	K("TunnelDevice", p_tundev, tun_local, IGNORE, NULL),
	K("UpdateHostKeys", p_multi, update_host_keys, IGNORE, ms_yesnoask),
	K("VerifyHostKeyDNS", p_multi, verify_host_key_dns, IGNORE,
	    ms_yesnoask),
	K("XAuthLocation", p_string, xauth_location, IGNORE, NULL),

	/* What ssh 9.2 itself ignores. */
	KO("Protocol", NULL),
	KO("Cipher", "deprecated"),
	KO("FallBackToRsh", "deprecated"),
	KO("GlobalKnownHostsFile2", "deprecated"),
	KO("RhostsAuthentication", "deprecated"),
	KO("UserKnownHostsFile2", "deprecated"),
	KO("UseRoaming", "deprecated"),
	KO("UseRsh", "deprecated"),
	KO("UsePrivilegedPort", "deprecated"),
	KO("UseBlacklistedKeys", "deprecated"),		/* Debian */
	KO("AFSTokenPassing", "unsupported"),
	KO("KerberosAuthentication", "unsupported"),
	KO("KerberosTGTPassing", "unsupported"),
	KO("RSAAuthentication", "unsupported"),
	KO("RhostsRSAAuthentication", "unsupported"),
	KO("CompressionLevel", "unsupported"),
};

const size_t readconf_nkeywords =
    sizeof(readconf_keywords) / sizeof(readconf_keywords[0]);
