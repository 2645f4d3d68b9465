/*
 * The algorithm lists OpenSSH 9.2 (Debian 12) prints with -G: what it
 * supports and its client defaults, and kex_assemble_names(), which
 * turns a "+list", "-list", "^list" or explicit pattern list from the
 * configuration into the final list.  Each hop offers the lists
 * assembled here (connect.c), so that xssh proposes what ssh proposes,
 * in ssh's order; libssh drops the names it does not implement.
 */
#include <stdlib.h>
#include <string.h>

#include "algolist.h"
#include "match.h"
#include "xssh.h"

/* ssh -Q cipher, mac, kex, key-sig, sig: in ssh's order. */
const char algo_all_ciphers[] =
	"3des-cbc,aes128-cbc,aes192-cbc,aes256-cbc,aes128-ctr,aes192-ctr,"
	"aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com,"
	"chacha20-poly1305@openssh.com";
const char algo_all_macs[] =
	"hmac-sha1,hmac-sha1-96,hmac-sha2-256,hmac-sha2-512,hmac-md5,"
	"hmac-md5-96,umac-64@openssh.com,umac-128@openssh.com,"
	"hmac-sha1-etm@openssh.com,hmac-sha1-96-etm@openssh.com,"
	"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
	"hmac-md5-etm@openssh.com,hmac-md5-96-etm@openssh.com,"
	"umac-64-etm@openssh.com,umac-128-etm@openssh.com";
const char algo_all_kex[] =
	"diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,"
	"diffie-hellman-group14-sha256,diffie-hellman-group16-sha512,"
	"diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha1,"
	"diffie-hellman-group-exchange-sha256,ecdh-sha2-nistp256,"
	"ecdh-sha2-nistp384,ecdh-sha2-nistp521,curve25519-sha256,"
	"curve25519-sha256@libssh.org,sntrup761x25519-sha512,"
	"sntrup761x25519-sha512@openssh.com,"
	/* Not in ssh 9.2; OpenSSH 9.9's and libssh 0.12's. */
	"mlkem768x25519-sha256";
const char algo_all_keys[] =
	"ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,"
	"sk-ssh-ed25519@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp256,ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp384,ecdsa-sha2-nistp384-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp521,ecdsa-sha2-nistp521-cert-v01@openssh.com,"
	"sk-ecdsa-sha2-nistp256@openssh.com,"
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	"webauthn-sk-ecdsa-sha2-nistp256@openssh.com,ssh-dss,"
	"ssh-dss-cert-v01@openssh.com,ssh-rsa,ssh-rsa-cert-v01@openssh.com,"
	"rsa-sha2-256,rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,"
	"rsa-sha2-512-cert-v01@openssh.com";
const char algo_all_sigs[] =
	"ssh-ed25519,sk-ssh-ed25519@openssh.com,ecdsa-sha2-nistp256,"
	"ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,"
	"sk-ecdsa-sha2-nistp256@openssh.com,"
	"webauthn-sk-ecdsa-sha2-nistp256@openssh.com,ssh-dss,ssh-rsa,"
	"rsa-sha2-256,rsa-sha2-512";

/* myproposal.h: KEX_CLIENT_*, KEX_DEFAULT_PK_ALG, SSH_ALLOWED_CA_SIGALGS. */
const char algo_def_ciphers[] =
	"chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
	"aes128-gcm@openssh.com,aes256-gcm@openssh.com";
const char algo_def_macs[] =
	"umac-64-etm@openssh.com,umac-128-etm@openssh.com,"
	"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
	"hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,"
	"hmac-sha2-256,hmac-sha2-512,hmac-sha1";
const char algo_def_kex[] =
	"sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,"
	"curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
	"ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
	"diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
	"diffie-hellman-group18-sha512,diffie-hellman-group14-sha256";
const char algo_def_keys[] =
	"ssh-ed25519-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp384-cert-v01@openssh.com,"
	"ecdsa-sha2-nistp521-cert-v01@openssh.com,"
	"sk-ssh-ed25519-cert-v01@openssh.com,"
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,"
	"rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,"
	"ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
	"ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,"
	"sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";
const char algo_def_sigs[] =
	"ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
	"ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,"
	"sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";

/* Whether the comma list holds name exactly (kex.c has_any_alg()). */
static int
has_alg(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return 0;
}

/* kex_names_cat(): a, then the names of b not in a already. */
static char *
names_cat(const char *a, const char *b)
{
	char *ret, *dup, *cp, *p;
	size_t len;

	if (a == NULL || *a == '\0')
		return xstrdup(b);
	if (b == NULL || *b == '\0')
		return xstrdup(a);
	len = strlen(a) + strlen(b) + 2;
	ret = xcalloc(1, len);
	strcpy(ret, a);
	dup = cp = xstrdup(b);
	for (p = strsep(&cp, ","); p != NULL && *p != '\0';
	    p = strsep(&cp, ",")) {
		if (has_alg(ret, p))
			continue;
		strcat(ret, ",");
		strcat(ret, p);
	}
	free(dup);
	return ret;
}

/* match.c filter_list(): the names of list that match (or not) filter. */
static char *
filter(const char *list, const char *pattern, int deny)
{
	char *ret, *dup, *cp, *p;
	int r;

	ret = xcalloc(1, strlen(list) + 1);
	dup = cp = xstrdup(list);
	while ((p = strsep(&cp, ",")) != NULL) {
		r = pattern_match_list(p, pattern, 0);
		if ((deny && r != 1) || (!deny && r == 1)) {
			if (*ret != '\0')
				strcat(ret, ",");
			strcat(ret, p);
		}
	}
	free(dup);
	return ret;
}

int
algo_assemble(const char *spec, const char *def, const char *all,
    char **out)
{
	char *list, *pats, *cp, *p, *ret = NULL, *tmp, *m;

	*out = NULL;
	if (spec == NULL || *spec == '\0') {
		*out = xstrdup(def);
		return 0;
	}
	if (*spec == '-') {
		*out = filter(def, spec + 1, 1);
		return 0;
	}
	if (*spec == '+')
		list = names_cat(def, spec + 1);
	else if (*spec == '^')
		list = names_cat(spec + 1, def);
	else
		list = xstrdup(spec);
	pats = cp = xstrdup(list);
	while ((p = strsep(&cp, ",")) != NULL) {
		if (*p == '!') {
			free(ret);
			ret = NULL;
			break;
		}
		m = filter(all, p, 0);
		tmp = names_cat(ret, m);
		free(m);
		free(ret);
		ret = tmp;
	}
	free(pats);
	free(list);
	if (ret == NULL || *ret == '\0') {
		free(ret);
		return -1;
	}
	*out = ret;
	return 0;
}
