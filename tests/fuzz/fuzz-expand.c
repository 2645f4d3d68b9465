/*
 * libFuzzer target for the %-token expander (src/readconf-tokens.c):
 * the input is a template, a host name and a user name, separated by
 * NUL bytes, after one byte that picks the token set (path, command or
 * proxy).  rc_expand() runs on a table of the fuzzer's own values and
 * options_expand() on options holding the names, as a keyword would.
 *
 * Beyond the sanitizers:
 *  - without ${ENV}, rc_expand() agrees with a second, naive expander
 *    written here (one pass: a value is never expanded again);
 *  - "%h" gives the host name back byte for byte;
 *  - the property issue 10 rests on: names that valid_hostname() and
 *    valid_ruser() take, put into a template free of shell
 *    metacharacters, give a result free of the ones they refuse, so a
 *    name can never add a command to a shell line;
 *  - validname_check() agrees with the two checks, urldecode() never
 *    lengthens, and validname_vis() leaves no byte a terminal acts on
 *    but the blanks vis(3) calls safe.
 *
 * Covers: src/readconf-tokens.c src/validname.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "readconf.h"
#include "validname.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_QUIET);
	return 0;
}

/* The naive expander: NULL on "%" at the end or an unknown key. */
static char *
naive(const char *s, const struct tok *t, int n)
{
	size_t len = 1;
	const char *p;
	char *out;
	int i;

	for (p = s; *p != '\0'; p++) {
		if (*p != '%') {
			len++;
			continue;
		}
		if (*++p == '\0')
			return NULL;
		if (*p == '%') {
			len++;
			continue;
		}
		for (i = 0; i < n && t[i].key != *p; i++)
			;
		if (i == n)
			return NULL;
		len += strlen(t[i].val);
	}
	out = xmalloc(len);
	out[0] = '\0';
	for (p = s; *p != '\0'; p++) {
		if (*p != '%') {
			strncat(out, p, 1);
			continue;
		}
		if (*++p == '%') {
			strcat(out, "%");
			continue;
		}
		for (i = 0; t[i].key != *p; i++)
			;
		strcat(out, t[i].val);
	}
	return out;
}

/* The characters both checks refuse; a name passing them has none. */
static int
has_shell_meta(const char *s)
{
	return strpbrk(s, "'`\";&<>|(){}") != NULL;
}

/* Only letters, digits, blanks, "-./" and %h %n %r %k %%. */
static int
plain_template(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '%') {
			if (s[1] == '\0' || strchr("hnrk%", s[1]) == NULL)
				return 0;
			s++;
		} else if (strchr("abcdefghijklmnopqrstuvwxyz0123456789 -./",
		    *s) == NULL)
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int what[] = { XP_PATH, XP_COMMAND, XP_PROXY };
	const char *tmpl, *host, *user;
	struct options o;
	struct tok t[6];
	struct xerr e;
	char *buf, *end, *a, *b, why[512];
	int missing;

	if (size < 1)
		return 0;
	buf = xmalloc(size + 3);
	memcpy(buf, data + 1, size - 1);
	memset(buf + size - 1, 0, 4);
	end = buf + size - 1;
	tmpl = buf;
	host = tmpl + strlen(tmpl) + (tmpl + strlen(tmpl) < end);
	user = host + strlen(host) + (host + strlen(host) < end);

	t[0] = (struct tok){ 'h', host };
	t[1] = (struct tok){ 'n', host };
	t[2] = (struct tok){ 'k', host };
	t[3] = (struct tok){ 'r', user };
	t[4] = (struct tok){ 'p', "22" };
	t[5] = (struct tok){ 'C', "0123456789abcdef" };

	a = rc_expand(tmpl, t, 6, 0, why, sizeof(why), &missing);
	b = naive(tmpl, t, 6);
	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
		abort();
	if (a != NULL && plain_template(tmpl) && valid_hostname(host) &&
	    valid_ruser(user) && has_shell_meta(a))
		abort();
	free(a);
	free(b);
	a = rc_expand("%h", t, 6, 0, why, sizeof(why), &missing);
	if (a == NULL || strcmp(a, host) != 0)
		abort();
	free(a);
	/* The dollar form reads the environment: no crash, no leak. */
	free(rc_expand(tmpl, t, 6, 1, why, sizeof(why), &missing));

	if ((validname_check(user, host, &e) == 0) !=
	    (valid_ruser(user) && valid_hostname(host)))
		abort();
	if ((a = urldecode(user)) != NULL && strlen(a) > strlen(user))
		abort();
	free(a);
	validname_vis(host, why, sizeof(why));
	for (b = why; *b != '\0'; b++)
		if (((unsigned char)*b < 0x20 || (unsigned char)*b >= 0x7f) &&
		    strchr("\t\n\r\b\a", *b) == NULL)
			abort();

	options_init(&o);
	o.user = xstrdup(user);
	o.hostname = xstrdup(host);
	o.port = 22;
	a = options_expand(&o, host, tmpl, what[data[0] % 3], &e);
	if (a != NULL && data[0] % 3 == 2 && plain_template(tmpl) &&
	    valid_hostname(host) && valid_ruser(user) && has_shell_meta(a))
		abort();
	free(a);
	options_free(&o);
	free(buf);
	return 0;
}
