/*
 * Value syntax shared by the ssh_config keywords, after OpenSSH's
 * misc.c: numbers, times, ports, host[:port], forwarding specs,
 * ProxyJump hops, and the names OpenSSH 9.2 knows for algorithms,
 * IPQoS classes, syslog facilities and digests.
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "readconf.h"
#include "validname.h"

static const char *const ipqos_names[] = {
	"af11", "af12", "af13", "af21", "af22", "af23", "af31", "af32",
	"af33", "af41", "af42", "af43", "cs0", "cs1", "cs2", "cs3", "cs4",
	"cs5", "cs6", "cs7", "ef", "le", "lowdelay", "throughput",
	"reliability", "none", NULL,
};
static const char *const facility_names[] = {
	"DAEMON", "USER", "AUTH", "AUTHPRIV", "LOCAL0", "LOCAL1", "LOCAL2",
	"LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7", NULL,
};
static const char *const digest_names[] = {
	"MD5", "SHA1", "SHA256", "SHA384", "SHA512", NULL,
};

/* Algorithm names OpenSSH 9.2 knows (ssh -Q cipher, mac, kex, ...). */
static const char *const cipher_names[] = {
	"3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc", "aes128-ctr",
	"aes192-ctr", "aes256-ctr", "aes128-gcm@openssh.com",
	"aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com", NULL,
};
static const char *const mac_names[] = {
	"hmac-sha1", "hmac-sha1-96", "hmac-sha2-256", "hmac-sha2-512",
	"hmac-md5", "hmac-md5-96", "umac-64@openssh.com",
	"umac-128@openssh.com", "hmac-sha1-etm@openssh.com",
	"hmac-sha1-96-etm@openssh.com", "hmac-sha2-256-etm@openssh.com",
	"hmac-sha2-512-etm@openssh.com", "hmac-md5-etm@openssh.com",
	"hmac-md5-96-etm@openssh.com", "umac-64-etm@openssh.com",
	"umac-128-etm@openssh.com", NULL,
};
static const char *const kex_names[] = {
	"diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
	"diffie-hellman-group14-sha256", "diffie-hellman-group16-sha512",
	"diffie-hellman-group18-sha512", "diffie-hellman-group-exchange-sha1",
	"diffie-hellman-group-exchange-sha256", "ecdh-sha2-nistp256",
	"ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "curve25519-sha256",
	"curve25519-sha256@libssh.org", "sntrup761x25519-sha512",
	"sntrup761x25519-sha512@openssh.com",
	/* Not in ssh 9.2: OpenSSH 9.9's, which libssh 0.12 has too. */
	"mlkem768x25519-sha256", NULL,
};
/* Debian's GSSAPI key exchange: these match as prefixes. */
static const char *const gss_kex_names[] = {
	"gss-gex-sha1-", "gss-group1-sha1-", "gss-group14-sha1-",
	"gss-group14-sha256-", "gss-group16-sha512-", "gss-nistp256-sha256-",
	"gss-curve25519-sha256-", NULL,
};
static const char *const key_names[] = {
	"ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com",
	"sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519-cert-v01@openssh.com",
	"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
	"ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521-cert-v01@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com",
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"webauthn-sk-ecdsa-sha2-nistp256@openssh.com", "ssh-dss",
	"ssh-dss-cert-v01@openssh.com", "ssh-rsa",
	"ssh-rsa-cert-v01@openssh.com", "rsa-sha2-256",
	"rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512",
	"rsa-sha2-512-cert-v01@openssh.com", NULL,
};
/* sshkey_type_from_name() also takes these, in any case. */
static const char *const key_short_names[] = {
	"ED25519", "ED25519-SK", "ECDSA", "ECDSA-SK", "RSA", "DSA", NULL,
};


int
cfg_in_list(const char *const *list, const char *s, int icase)
{
	for (; list != NULL && *list != NULL; list++) {
		if ((icase ? strcasecmp(*list, s) : strcmp(*list, s)) == 0)
			return 1;
	}
	return 0;
}

/* strtonum(3): base 10, whole string, within [min, max]. */
long long
cfg_strtonum(const char *s, long long min, long long max, const char **err)
{
	long long v;
	char *ep;

	*err = NULL;
	errno = 0;
	v = strtoll(s, &ep, 10);
	if (s == ep || *ep != '\0')
		*err = "invalid";
	else if ((v == LLONG_MIN && errno == ERANGE) || v < min)
		*err = "too small";
	else if ((v == LLONG_MAX && errno == ERANGE) || v > max)
		*err = "too large";
	return *err == NULL ? v : 0;
}

/* A port number, or a TCP service name; -1 if neither. */
int
cfg_a2port(const char *s)
{
	struct servent *se;
	const char *err;
	long long v;

	v = cfg_strtonum(s, 0, 65535, &err);
	if (err == NULL)
		return (int)v;
	if ((se = getservbyname(s, "tcp")) != NULL)
		return ntohs(se->s_port);
	return -1;
}

/* "90", "1m30s", ... as seconds; -1 if malformed. */
int
cfg_convtime(const char *s)
{
	static const struct ms units[] = {
		{ "sS", 1 }, { "mM", 60 }, { "hH", 3600 },
		{ "dD", 86400 }, { "wW", 604800 }, { NULL, 0 },
	};
	long total = 0, secs, mult;
	char *ep;
	int i;

	if (s == NULL || *s == '\0')
		return -1;
	while (*s != '\0') {
		errno = 0;
		secs = strtol(s, &ep, 10);
		if (s == ep || errno == ERANGE || secs < 0)
			return -1;
		mult = 1;
		if (*ep != '\0') {
			for (i = 0; units[i].key != NULL; i++) {
				if (strchr(units[i].key, *ep) != NULL)
					break;
			}
			if (units[i].key == NULL)
				return -1;
			mult = units[i].value;
			ep++;
		}
		if (secs > INT_MAX / mult)
			return -1;
		secs *= mult;
		if (total > INT_MAX - secs)
			return -1;
		total += secs;
		s = ep;
	}
	return (int)total;
}

/* cfg_scan_scaled(3): "1.5G" and the like; errno says what is wrong. */
int
cfg_scan_scaled(const char *s, long long *out)
{
	static const char units[] = "BKMGTPE";
	const char *p = s, *u;
	long double v = 0, frac = 0.1;
	int neg = 0, digits = 0, i;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; isdigit((unsigned char)*p); p++, digits++)
		v = v * 10 + (*p - '0');
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			v += (*p - '0') * frac;
			frac /= 10;
		}
	}
	if (digits == 0) {
		errno = EINVAL;
		return -1;
	}
	if (*p != '\0') {
		if ((u = strchr(units, toupper((unsigned char)*p))) == NULL ||
		    p[1] != '\0') {
			errno = EINVAL;
			return -1;
		}
		for (i = 0; i < u - units; i++)
			v *= 1024;
	}
	if (v > LLONG_MAX) {
		errno = ERANGE;
		return -1;
	}
	*out = neg ? -(long long)v : (long long)v;
	return 0;
}

/*
 * Split host[:port] at the first ':' or '/', honouring [brackets] as
 * OpenSSH's cfg_hpdelim2() does; *cp moves on, or is NULL at the end.
 */
char *
cfg_hpdelim2(char **cp, char *delim)
{
	char *s, *old;

	if (*cp == NULL)
		return NULL;
	old = s = *cp;
	if (*s == '[') {
		if ((s = strchr(s, ']')) == NULL)
			return NULL;
		s++;
	} else if ((s = strpbrk(s, ":/")) == NULL)
		s = *cp + strlen(*cp);
	switch (*s) {
	case '\0':
		*cp = NULL;
		break;
	case ':':
	case '/':
		if (delim != NULL)
			*delim = *s;
		*s = '\0';
		*cp = s + 1;
		break;
	default:
		return NULL;
	}
	return old;
}

static char *
cleanhostname(char *host)
{
	size_t len = strlen(host);

	if (*host == '[' && len > 1 && host[len - 1] == ']') {
		host[len - 1] = '\0';
		return host + 1;
	}
	return host;
}

/* misc.c cfg_valid_domain(); why gets ssh's reason. */
int
cfg_valid_domain(const char *name, char *why, size_t len)
{
	size_t i, l = strlen(name);
	int c, last = '\0';

	if (l == 0) {
		snprintf(why, len, "empty domain name");
		return 0;
	}
	if (!isalnum((unsigned char)name[0])) {
		snprintf(why, len, "domain name \"%.100s\" starts with "
		    "invalid character", name);
		return 0;
	}
	for (i = 0; i < l; i++) {
		c = tolower((unsigned char)name[i]);
		if (last == '.' && c == '.') {
			snprintf(why, len, "domain name \"%.100s\" contains "
			    "consecutive separators", name);
			return 0;
		}
		if (c != '.' && c != '-' && c != '_' && !isalnum(c)) {
			snprintf(why, len, "domain name \"%.100s\" contains "
			    "invalid characters", name);
			return 0;
		}
		last = c;
	}
	return 1;
}

int
cfg_valid_env_name(const char *name)
{
	if (*name == '\0')
		return 0;
	for (; *name != '\0'; name++) {
		if (!isalnum((unsigned char)*name) && *name != '_')
			return 0;
	}
	return 1;
}

/* One ProxyJump hop: [user@]host[:port] or ssh://[user@]host[:port]. */
int
cfg_check_hop(char *hop, int strict, char *why, size_t whylen)
{
	char *cp, *user = NULL, *decoded = NULL, *host, *tmp = hop, ch = '\0';
	char dom[256], vis[1024];
	int r = -1;

	if (strncmp(hop, "ssh://", 6) == 0) {
		tmp += 6;
		if ((cp = strchr(tmp, '@')) != NULL) {
			*cp = '\0';
			tmp[strcspn(tmp, ";")] = '\0';
			if (*tmp == '\0')
				goto out;
			/* ssh checks the name as decoded. */
			if ((user = decoded = urldecode(tmp)) == NULL)
				goto out;
			tmp = cp + 1;
		}
		if ((host = cfg_hpdelim2(&tmp, &ch)) == NULL || *host == '\0')
			goto out;
		host = cleanhostname(host);
		if (!cfg_valid_domain(host, dom, sizeof(dom)))
			goto out;
		if (tmp != NULL && *tmp != '\0' && ch == ':') {
			if ((cp = strchr(tmp, '/')) != NULL)
				*cp++ = '\0';
			if (cfg_a2port(tmp) <= 0)
				goto out;
			tmp = cp;
		}
		if (tmp != NULL && *tmp != '\0')
			goto out;	/* a path */
	} else {
		if ((cp = strrchr(tmp, '@')) != NULL) {
			*cp = '\0';
			if (*tmp == '\0')
				goto out;
			user = tmp;
			tmp = cp + 1;
		}
		if ((host = cfg_hpdelim2(&tmp, NULL)) == NULL || *host == '\0')
			goto out;
		host = cleanhostname(host);
		if (tmp != NULL && *tmp != '\0' && cfg_a2port(tmp) <= 0)
			goto out;
	}
	if (strict && !valid_hostname(host))
		snprintf(why, whylen, "parse_jump: invalid hostname \"%s\"",
		    validname_vis(host, vis, sizeof(vis)));
	else if (strict && user != NULL && !valid_ruser(user))
		snprintf(why, whylen, "parse_jump: invalid username \"%s\"",
		    validname_vis(user, vis, sizeof(vis)));
	else
		r = 0;
 out:
	free(decoded);
	return r;
}

/* One field of a forwarding: "[x]" literally, else up to ":". */
int
cfg_fwd_field(char **p, struct fwdarg *f)
{
	char *ep, *cp = *p;
	int ispath = 0;

	if (*cp == '\0') {
		*p = NULL;
		return -1;
	}
	if (*cp == '[') {
		for (ep = cp + 1; *ep != ']' && *ep != '\0'; ep++) {
			if (*ep == '/')
				ispath = 1;
		}
		if (ep[0] != ']' || (ep[1] != ':' && ep[1] != '\0'))
			return -1;
		*ep++ = '\0';
		if (*ep != '\0')
			*ep++ = '\0';
		f->arg = cp + 1;
		f->ispath = ispath;
		*p = ep;
		return 0;
	}
	for (; *cp != '\0'; cp++) {
		if (*cp == '\\') {
			memmove(cp, cp + 1, strlen(cp + 1) + 1);
			if (*cp == '\0')
				return -1;
		} else if (*cp == '/')
			ispath = 1;
		else if (*cp == ':') {
			*cp++ = '\0';
			break;
		}
	}
	f->arg = *p;
	f->ispath = ispath;
	*p = cp;
	return 0;
}

/* misc.c parse_forward(), for its verdict only. */
int
cfg_valid_forward(const char *spec, int dynamic, int remote)
{
	struct fwdarg a[4];
	char *p, *cp;
	int i, lport = -1, cport = -1, lpath = 0, cpath = 0;

	while (isspace((unsigned char)*spec))
		spec++;
	p = cp = xstrdup(spec);
	memset(a, 0, sizeof(a));
	for (i = 0; i < 4; i++) {
		if (cfg_fwd_field(&cp, &a[i]) != 0)
			break;
	}
	if (cp != NULL && *cp != '\0')
		i = 0;
	switch (i) {
	case 1:
		if (!(lpath = a[0].ispath))
			lport = cfg_a2port(a[0].arg);
		break;
	case 2:
		if (a[0].ispath && a[1].ispath)
			lpath = cpath = 1;
		else if (a[1].ispath) {
			lport = cfg_a2port(a[0].arg);
			cpath = 1;
		} else
			lport = cfg_a2port(a[1].arg);
		break;
	case 3:
		if ((lpath = a[0].ispath))
			cport = cfg_a2port(a[2].arg);
		else if ((cpath = a[2].ispath))
			lport = cfg_a2port(a[1].arg);
		else {
			lport = cfg_a2port(a[0].arg);
			cport = cfg_a2port(a[2].arg);
		}
		break;
	case 4:
		lport = cfg_a2port(a[1].arg);
		cport = cfg_a2port(a[3].arg);
		break;
	default:
		i = 0;
	}
	free(p);
	if (dynamic && i != 1 && i != 2)
		return 0;
	if (!dynamic && i != 3 && i != 4 && !cpath && !lpath)
		return 0;
	if (!dynamic && cport <= 0 && !cpath)
		return 0;
	if ((lport < 0 && !lpath) || (!remote && !lpath && lport == 0))
		return 0;
	return 1;
}

int
cfg_ipqos_ok(const char *s)
{
	char *ep;
	long v;

	if (s == NULL)
		return 0;
	if (cfg_in_list(ipqos_names, s, 1))
		return 1;
	v = strtol(s, &ep, 0);
	return *s != '\0' && *ep == '\0' && v >= 0 && v <= 255;
}

/* a2tun(): "any" or a number, for each side of "local:remote". */
int
cfg_tun_ok(const char *s)
{
	const char *err;

	if (strcasecmp(s, "any") == 0)
		return 1;
	cfg_strtonum(s, 0, INT_MAX - 2, &err);
	return err == NULL;
}

/*
 * An algorithm name as OpenSSH 9.2 checks it for set: ciphers, MACs
 * and kex names must be known (kex also takes Debian's GSSAPI ones,
 * which match as prefixes); key types also take short names ("RSA")
 * and patterns that match a known name.
 */
int
cfg_algo_ok(int set, const char *name)
{
	static const char *const *const lists[] = {
		[ALG_CIPHER] = cipher_names, [ALG_MAC] = mac_names,
		[ALG_KEX] = kex_names, [ALG_KEY] = key_names,
		[ALG_GSSKEX] = NULL,
	};
	const char *const *n;

	if (cfg_in_list(lists[set], name, 0))
		return 1;
	if (set == ALG_KEX || set == ALG_GSSKEX) {
		for (n = gss_kex_names; *n != NULL; n++) {
			if (strncmp(name, *n, strlen(*n)) == 0)
				return 1;
		}
	}
	if (set == ALG_KEY) {
		if (cfg_in_list(key_short_names, name, 1))
			return 1;
		for (n = key_names; *n != NULL; n++) {
			if (pattern_match_list(*n, name, 0) != 0)
				return 1;
		}
	}
	return 0;
}

int
cfg_digest_ok(const char *s)
{
	return cfg_in_list(digest_names, s, 1);
}

int
cfg_facility_ok(const char *s)
{
	return cfg_in_list(facility_names, s, 1);
}
