/*
 * The ssh_config keywords with values of their own kind: IPQoS,
 * RekeyLimit, StreamLocalBindMask, FingerprintHash, SyslogFacility,
 * TunnelDevice, ControlPersist, AddKeysToAgent, CanonicalDomains,
 * CanonicalizePermittedCNAMEs, PermitRemoteOpen.  Their parsers check
 * them as OpenSSH 9.2 does and keep them, first value wins, for -G
 * (most are not acted upon: IGNORE in the table of readconf-kw.c);
 * the names of the values are in OpenSSH's tables and order, for the
 * parsers and for printing them back (dumpconf.c).
 */
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "readconf.h"

#define MAX_CANON_DOMAINS 32		/* CanonicalDomains, ...CNAMEs */

/* misc.c ipqos[]: the first name of a value is the one printed. */
static const struct ms ipqos[] = {
	{ "none", INT_MAX },
	{ "af11", 0x28 }, { "af12", 0x30 }, { "af13", 0x38 },
	{ "af21", 0x48 }, { "af22", 0x50 }, { "af23", 0x58 },
	{ "af31", 0x68 }, { "af32", 0x70 }, { "af33", 0x78 },
	{ "af41", 0x88 }, { "af42", 0x90 }, { "af43", 0x98 },
	{ "cs0", 0x00 }, { "cs1", 0x20 }, { "cs2", 0x40 }, { "cs3", 0x60 },
	{ "cs4", 0x80 }, { "cs5", 0xa0 }, { "cs6", 0xc0 }, { "cs7", 0xe0 },
	{ "ef", 0xb8 }, { "le", 0x04 },		/* sic: 0x04 in 9.2 */
	{ "lowdelay", 0x10 }, { "throughput", 0x08 },
	{ "reliability", 0x04 },
	{ NULL, -1 },
};

/* log.c log_facilities[]: SyslogFacility is stored as the index. */
static const char *const facilities[] = {
	"DAEMON", "USER", "AUTH", "AUTHPRIV", "LOCAL0", "LOCAL1", "LOCAL2",
	"LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7", NULL,
};

/* digest-openssl.c digests[], indexed by FP_HASH_*. */
static const char *const digests[] = {
	"MD5", "SHA1", "SHA256", "SHA384", "SHA512", NULL,
};

/* parse_ipqos(): a class name or a number 0-255; -1 if neither. */
int
cfg_ipqos_value(const char *s)
{
	const struct ms *m;
	char *ep;
	long v;

	if (s == NULL)
		return -1;
	for (m = ipqos; m->key != NULL; m++) {
		if (strcasecmp(s, m->key) == 0)
			return m->value;
	}
	v = strtol(s, &ep, 0);
	if (*s == '\0' || *ep != '\0' || v < 0 || v > 255)
		return -1;
	return (int)v;
}

/* iptos2str(): the name, else "0x%02x" in buf (at least 8 bytes). */
const char *
cfg_ipqos_name(int v, char *buf, size_t len)
{
	const struct ms *m;

	for (m = ipqos; m->key != NULL; m++) {
		if (m->value == v)
			return m->key;
	}
	snprintf(buf, len, "0x%02x", v);
	return buf;
}

static int
name_index(const char *const *names, const char *s)
{
	int i;

	for (i = 0; s != NULL && names[i] != NULL; i++) {
		if (strcasecmp(s, names[i]) == 0)
			return i;
	}
	return -1;
}

int
cfg_facility_value(const char *s)
{
	return name_index(facilities, s);
}

const char *
cfg_facility_name(int v)
{
	if (v < 0 || v >= (int)(sizeof(facilities) / sizeof(*facilities)) - 1)
		return "(null)";
	return facilities[v];
}

int
cfg_digest_value(const char *s)
{
	return name_index(digests, s);
}

const char *
cfg_digest_name(int v)
{
	if (v < 0 || v >= (int)(sizeof(digests) / sizeof(*digests)) - 1)
		return "UNKNOWN";
	return digests[v];
}

/* One side of a2tun(): "any" or 0 to TUNID_ANY - 2. */
static int
tun_one(const char *s)
{
	const char *err;
	long long v;

	if (strcasecmp(s, "any") == 0)
		return TUNID_ANY;
	v = cfg_strtonum(s, 0, TUNID_ANY - 2, &err);
	return err != NULL ? TUNID_ERR : (int)v;
}

/* misc.c a2tun(): "local[:remote]"; TUNID_ERR if either is bad. */
int
cfg_a2tun(const char *s, int *remote)
{
	const char *colon;
	char *local;
	int v;

	*remote = TUNID_ANY;
	if ((colon = strchr(s, ':')) == NULL)
		return tun_one(s);
	local = xstrdup(s);
	local[colon - s] = '\0';
	*remote = tun_one(colon + 1);
	v = tun_one(local);
	free(local);
	return *remote == TUNID_ERR ? TUNID_ERR : v;
}

static const struct ms ms_flag[] = {
	{ "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 },
	{ NULL, -1 },
};
static const struct ms ms_yesnoaskconfirm[] = {
	{ "true", 1 }, { "false", 0 }, { "yes", 1 }, { "no", 0 },
	{ "ask", 2 }, { "confirm", 3 }, { NULL, -1 },
};

int
p_ipqos(struct line *l)
{
	struct options *o = l->rc->o;
	char *arg = rc_next_arg(l);
	int v, v2;

	if ((v = cfg_ipqos_value(arg)) == -1)
		return rc_bad(l, "Bad IPQoS value: %s",
		    arg != NULL ? arg : "(null)");
	v2 = v;
	if ((arg = rc_next_arg(l)) != NULL &&
	    (v2 = cfg_ipqos_value(arg)) == -1)
		return rc_bad(l, "Bad IPQoS value: %s", arg);
	if (*l->activep && o->ip_qos_interactive == -1) {
		o->ip_qos_interactive = v;
		o->ip_qos_bulk = v2;
	}
	return rc_done(l);
}

int
p_rekeylimit(struct line *l)
{
	long long v;
	char *arg;
	int t;

	if ((arg = rc_need_arg(l)) == NULL)
		return -1;
	v = 0;
	if (strcmp(arg, "default") != 0) {
		if (cfg_scan_scaled(arg, &v) == -1)
			return rc_bad(l, "Bad number '%s': %s", arg,
			    strerror(errno));
		if (v != 0 && v < 16)
			return rc_bad(l, "RekeyLimit too small");
	}
	if (*l->activep && l->rc->o->rekey_limit == -1)
		l->rc->o->rekey_limit = v;
	if ((arg = rc_next_arg(l)) != NULL && strcmp(arg, "none") != 0) {
		if ((t = cfg_convtime(arg)) == -1)
			return rc_bad(l, "invalid time value.");
		if (*l->activep && l->rc->o->rekey_interval == -1)
			l->rc->o->rekey_interval = t;
	}
	return rc_done(l);
}

int
p_mask(struct line *l)
{
	char *arg = rc_next_arg(l), *ep;
	long v;

	if (arg == NULL || *arg == '\0')
		return rc_bad(l, "Missing StreamLocalBindMask argument.");
	v = strtol(arg, &ep, 8);
	if (arg == ep || v < 0 || v > 0777)
		return rc_bad(l, "Bad mask.");
	/* sic: ssh 9.2 takes it from every line, active or not. */
	l->rc->o->stream_local_bind_mask = (int)v;
	return rc_done(l);
}

int
p_fphash(struct line *l)
{
	char *arg;
	int v;

	if ((arg = rc_need_arg(l)) == NULL)
		return -1;
	if ((v = cfg_digest_value(arg)) == -1)
		return rc_bad(l, "Invalid hash algorithm \"%s\".", arg);
	return rc_store_int(l, v);
}

int
p_facility(struct line *l)
{
	char *arg = rc_next_arg(l);
	int v;

	if (arg == NULL || (v = cfg_facility_value(arg)) == -1)
		return rc_bad(l, "unsupported log facility '%s'",
		    arg != NULL ? arg : "<NONE>");
	/* sic: ssh 9.2 takes the first one, active or not. */
	if (l->rc->o->syslog_facility == -1)
		l->rc->o->syslog_facility = v;
	return rc_done(l);
}

int
p_tundev(struct line *l)
{
	struct options *o = l->rc->o;
	char *arg;
	int v, remote;

	if ((arg = rc_need_arg(l)) == NULL)
		return -1;
	if ((v = cfg_a2tun(arg, &remote)) == TUNID_ERR)
		return rc_bad(l, "Bad tun device.");
	if (*l->activep && o->tun_local == -1) {
		o->tun_local = v;
		o->tun_remote = remote;
	}
	return rc_done(l);
}

int
p_ctlpersist(struct line *l)
{
	char *arg = rc_next_arg(l);

	struct options *o = l->rc->o;
	int v, t = 0;

	if (arg == NULL || *arg == '\0')
		return rc_bad(l, "Missing ControlPersist argument.");
	if ((v = rc_ms_find(ms_flag, arg, 0)) == -1) {
		if ((t = cfg_convtime(arg)) < 0)
			return rc_bad(l, "Bad ControlPersist argument.");
		v = 1;
	}
	if (*l->activep && o->control_persist == -1) {
		o->control_persist = v;
		o->control_persist_timeout = t;
	}
	return l->kw->status == IGNORE ? rc_done(l) : 0;
}

int
p_addkeys(struct line *l)
{
	struct options *o = l->rc->o;
	char *arg = rc_next_arg(l), *arg2 = rc_next_arg(l);
	int v, t = 0;

	if (arg == NULL || *arg == '\0')
		return rc_bad(l, "missing argument.");
	v = rc_ms_find(ms_yesnoaskconfirm, arg, 1);
	if (v == 3 && arg2 != NULL) {
		if ((t = cfg_convtime(arg2)) == -1)
			return rc_bad(l, "invalid time value.");
	} else if (v == -1 && arg2 == NULL) {
		if ((t = cfg_convtime(arg)) == -1)
			return rc_bad(l, "unsupported option");
		v = 1;
	} else if (v == -1 || arg2 != NULL)
		return rc_bad(l, "unsupported option");
	if (*l->activep && o->add_keys_to_agent == -1) {
		o->add_keys_to_agent = v;
		o->add_keys_to_agent_lifespan = t;
	}
	return 0;	/* acted upon (auth.c) */
}

int
p_domains(struct line *l)
{
	struct strlist *list = &l->rc->o->canonical_domains;
	char *arg, *p, why[256];
	int i = 0, first = list->n == 0;

	while ((arg = rc_next_arg(l)) != NULL) {
		if (rc_list_arg(l, arg, i++) != 0)
			return -1;
		if (!cfg_valid_domain(arg, why, sizeof(why)))
			return rc_bad(l, "%s", why);
		/* valid_domain(..., makelower) lowercases it. */
		for (p = arg; *p != '\0'; p++)
			*p = tolower((unsigned char)*p);
		if (!*l->activep || !first)
			continue;
		if (list->n >= MAX_CANON_DOMAINS)
			return rc_bad(l, "too many hostname suffixes.");
		strlist_add(list, arg);
	}
	return 0;
}

int
p_cnames(struct line *l)
{
	struct strlist *list = &l->rc->o->permitted_cnames;
	const char *rule;
	char *arg, *p, *cp;
	int i = 0, first = list->n == 0;

	while ((arg = rc_next_arg(l)) != NULL) {
		rule = arg;
		if (strcasecmp(arg, "none") == 0) {
			if (i > 0 || l->ai < l->ac)
				return rc_bad(l, "keyword %s \"none\" "
				    "argument must appear alone.", l->keyword);
			rule = "none:";
		} else if (strcmp(arg, "*") == 0)
			rule = "*:*";
		else {
			for (p = arg; *p != '\0'; p++)
				*p = tolower((unsigned char)*p);
			if ((cp = strchr(arg, ':')) == NULL || cp[1] == '\0')
				return rc_bad(l, "Invalid permitted CNAME "
				    "\"%s\"", arg);
		}
		i++;
		if (!*l->activep || !first)
			continue;
		if (list->n >= MAX_CANON_DOMAINS)
			return rc_bad(l, "too many permitted CNAMEs.");
		strlist_add(list, rule);
	}
	return 0;
}

/* PermitRemoteOpen: ssh's mistakes here are fatal. */
int
p_permitopen(struct line *l)
{
	struct strlist *list = &l->rc->o->permit_remote_open;
	char *arg, *dup, *cp, *host;
	int i = 0, first = list->n == 0;

	while ((arg = rc_next_arg(l)) != NULL) {
		if (strcasecmp(arg, "none") == 0 ||
		    strcasecmp(arg, "any") == 0) {
			if (i > 0 || l->ai < l->ac)
				return rc_bad(l, "keyword %s \"%s\" argument "
				    "must appear alone.", l->keyword, arg);
		} else {
			dup = cp = xstrdup(arg);
			host = cfg_hpdelim2(&cp, NULL);
			if (host == NULL || cp == NULL ||
			    (strcmp(cp, "*") != 0 && cfg_a2port(cp) <= 0)) {
				free(dup);
				rc_say(l->rc, "%s line %d: %s in "
				    "permitremoteopen", l->file, l->linenum,
				    host == NULL ? "missing host" :
				    "bad port number");
				return RC_FATAL;
			}
			free(dup);
		}
		if (*l->activep && first)
			strlist_add(list, arg);
		i++;
	}
	if (i == 0) {
		rc_say(l->rc, "%s line %d: missing permitremoteopen "
		    "specification", l->file, l->linenum);
		return RC_FATAL;
	}
	return rc_done(l);
}
