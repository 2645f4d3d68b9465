/*
 * libFuzzer target for ssh_config reading: the input is written to a
 * file that is read as "-F file" for a fixed host; the first line is
 * also tried as a -o argument, and the resulting paths and commands
 * go through token expansion.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 \
 *	-D_GNU_SOURCE -Isrc -o fuzz-readconf tests/fuzz/fuzz-readconf.c \
 *	src/readconf.c src/readconf-kw.c src/readconf-misc.c \
 *	src/options.c src/match.c src/util.c src/log.c src/xerr.c \
 *	$(. tests/deps.sh; echo $DEP_CFLAGS $DEP_LIBS)
 *   ./fuzz-readconf -max_total_time=30 tests/fuzz/corpus-readconf
 *
 * HOME is a private temporary directory and SHELL is /bin/false, so
 * "Match exec" never matches and runs nothing.  Inputs that could
 * Include a file outside that directory (an Include with "/" or "..")
 * are skipped: ssh itself would happily read /dev/zero forever.
 */
#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "options.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char home[64];
static char cfgpath[128];

static void
put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/.ssh/%s", home, name);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void
cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", home);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[128];

	snprintf(home, sizeof(home), "/tmp/xssh-fuzz.XXXXXX");
	if (mkdtemp(home) == NULL)
		abort();
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/.ssh", home);
	mkdir(path, 0700);
	setenv("HOME", home, 1);
	setenv("SHELL", "/bin/false", 1);
	snprintf(cfgpath, sizeof(cfgpath), "%s/cfg", home);
	readconf_system_file = "/nonexistent/ssh_config";
	readconf_system_dir = home;
	/* Files a relative Include can reach, one of them a loop. */
	put("a.conf", "Port 2200\nHost *\n User inc\n");
	put("b.conf", "Match all\nIdentityFile ~/.ssh/b\n");
	put("loop.conf", "Include loop.conf\n");
	log_set_level(LOG_QUIET);
	return 0;
}

/* An Include that could leave the temporary directory. */
static int
unsafe(const uint8_t *data, size_t size)
{
	static const char kw[] = "include";
	size_t i;
	int inc = 0, escape = 0;

	for (i = 0; i < size; i++) {
		if (i + sizeof(kw) - 1 <= size &&
		    strncasecmp((const char *)data + i, kw,
		    sizeof(kw) - 1) == 0)
			inc = 1;
		if (data[i] == '/' || (data[i] == '.' && i + 1 < size &&
		    data[i + 1] == '.'))
			escape = 1;
	}
	return inc && escape;
}

static void
expand_all(const struct options *o, const char *host)
{
	struct xerr e;
	char *s;
	int i;

	for (i = 0; i < o->identity_files.n; i++) {
		free(options_expand(o, host, o->identity_files.v[i], XP_PATH,
		    &e));
	}
	for (i = 0; i < o->user_known_hosts_files.n; i++) {
		s = options_expand_tokens(o, host,
		    o->user_known_hosts_files.v[i]);
		free(s);
	}
	if (o->remote_command != NULL)
		free(options_expand(o, host, o->remote_command, XP_COMMAND,
		    &e));
	if (o->proxy_command != NULL)
		free(options_expand(o, host, o->proxy_command, XP_PROXY, &e));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char host[] = "Fuzz.Example";
	struct options o;
	struct xerr e;
	char *line;
	size_t n;
	FILE *f;

	if (unsafe(data, size))
		return 0;
	if ((f = fopen(cfgpath, "w")) == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);

	options_init(&o);
	n = strnlen((const char *)data, size);
	n = strcspn(line = strndup((const char *)data, n), "\n");
	line[n] = '\0';
	readconf_cmdline(&o, line, &e);
	free(line);
	if (readconf_files(&o, host, cfgpath, &e) == 0) {
		options_fill_defaults(&o, host);
		expand_all(&o, host);
	} else if (e.code != XE_CONFIG || e.msg[0] == '\0')
		abort();
	options_free(&o);
	return 0;
}
