/*
 * Names and values of the ssh_config keywords whose values are named:
 * IPQoS classes, syslog facilities, fingerprint digests and tunnel
 * devices, in OpenSSH 9.2's tables and order, for the parser
 * (readconf-kw.c) and for printing them back (dumpconf.c).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "readconf.h"

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
