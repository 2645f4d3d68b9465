/*
 * Small helpers: allocation that cannot fail quietly, time, and the
 * local user's name and home.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xssh.h"

void *
xmalloc(size_t n)
{
	void *p;

	if (n == 0)
		n = 1;
	if ((p = malloc(n)) == NULL)
		fatal("out of memory allocating %zu bytes", n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = calloc(n, size)) == NULL)
		fatal("out of memory allocating %zu * %zu bytes", n, size);
	return p;
}

void *
xreallocarray(void *ptr, size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = reallocarray(ptr, n, size)) == NULL)
		fatal("out of memory allocating %zu * %zu bytes", n, size);
	return p;
}

char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		fatal("out of memory");
	return p;
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("out of memory");
	return n;
}

double
monotime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* $HOME, else the password database's home, else "/". */
const char *
local_home(void)
{
	const char *h;
	struct passwd *pw;

	if ((h = getenv("HOME")) != NULL && *h != '\0')
		return h;
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir != NULL)
		return pw->pw_dir;
	return "/";
}

/* The local user's login name, as ssh takes it: from the uid. */
const char *
local_user(void)
{
	static char name[256];
	struct passwd *pw;

	if (name[0] == '\0') {
		if ((pw = getpwuid(getuid())) != NULL)
			snprintf(name, sizeof(name), "%s", pw->pw_name);
		else
			snprintf(name, sizeof(name), "%lu",
			    (unsigned long)getuid());
	}
	return name;
}

/* "~" and "~/x" become home and home/x; "~user/x" uses user's home. */
char *
tilde_expand(const char *path, const char *home)
{
	const char *slash, *rest;
	struct passwd *pw;
	char *ret, user[256];
	size_t len;

	if (path[0] != '~')
		return xstrdup(path);
	slash = strchr(path, '/');
	rest = slash != NULL ? slash : "";
	len = (slash != NULL ? (size_t)(slash - path) : strlen(path)) - 1;
	if (len == 0) {
		if (home == NULL)
			home = local_home();
	} else {
		if (len >= sizeof(user))
			return xstrdup(path);
		memcpy(user, path + 1, len);
		user[len] = '\0';
		if ((pw = getpwnam(user)) == NULL)
			return xstrdup(path);
		home = pw->pw_dir;
	}
	/* "~/" on "/" home must not become "//". */
	if (strcmp(home, "/") == 0 && *rest == '/')
		home = "";
	xasprintf(&ret, "%s%s", home, rest);
	return ret;
}

/*
 * ssh's argv_split(): words separated by blanks, '' and "" quotes,
 * backslash escapes; with terminate_on_comment, a word starting with
 * '#' ends the line.  The vector is NULL-terminated (empty, not NULL,
 * when there are no words).  -1 on an unterminated quote.
 */
int
argv_split(const char *s, int terminate_on_comment, int *acp, char ***avp)
{
	char **av = NULL, *arg;
	int ac = 0, quote;
	size_t i, j;

	*acp = 0;
	*avp = NULL;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (terminate_on_comment && s[i] == '#')
			break;
		quote = 0;
		av = xreallocarray(av, ac + 2, sizeof(*av));
		arg = av[ac++] = xcalloc(1, strlen(s + i) + 1);
		av[ac] = NULL;
		for (j = 0; s[i] != '\0'; i++) {
			if (s[i] == '\\') {
				if (s[i + 1] == '\'' || s[i + 1] == '"' ||
				    s[i + 1] == '\\' ||
				    (quote == 0 && s[i + 1] == ' '))
					i++;
				arg[j++] = s[i];
			} else if (quote == 0 && (s[i] == ' ' || s[i] == '\t'))
				break;
			else if (quote == 0 && (s[i] == '"' || s[i] == '\''))
				quote = s[i];
			else if (quote != 0 && s[i] == quote)
				quote = 0;
			else
				arg[j++] = s[i];
		}
		if (s[i] == '\0') {
			if (quote != 0) {
				argv_free(av);
				return -1;
			}
			break;
		}
	}
	if (av == NULL)
		av = xcalloc(1, sizeof(*av));
	*acp = ac;
	*avp = av;
	return 0;
}

void
argv_free(char **av)
{
	char **p;

	for (p = av; p != NULL && *p != NULL; p++)
		free(*p);
	free(av);
}
