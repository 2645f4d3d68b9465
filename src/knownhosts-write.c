/*
 * Adding a host's key to a known_hosts file, as ssh's
 * add_host_to_hostfile() does.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knownhosts.h"

/* As ssh: create ~/.ssh when the file is to live in it. */
static void
create_user_ssh_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	char *dir;
	size_t len;

	if (slash == NULL)
		return;
	len = slash - path;
	xasprintf(&dir, "%s/.ssh", local_home());
	if (strlen(dir) > len || strncmp(path, dir, len) != 0 ||
	    stat(dir, &st) == 0)
		goto out;
	if (errno != ENOENT)
		error("Could not stat %s: %s", dir, strerror(errno));
	else if (mkdir(dir, 0700) == -1)
		error("Could not create directory '%.200s' (%s).", dir,
		    strerror(errno));
 out:
	free(dir);
}

static int
write_entry(FILE *f, const char *host, const char *ip,
    const struct kh_key *k, int hash)
{
	char *lhost = xstrdup(host), *hashed = NULL, *text, *p;
	int ok;

	for (p = lhost; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	if (hash && (hashed = kh_hash_host(lhost, NULL)) == NULL) {
		error("write_host_entry: host_hash failed");
		free(lhost);
		return 0;
	}
	text = kh_key_text(k);
	if (hash)
		ok = fprintf(f, "%s %s\n", hashed, text) > 0;
	else if (ip != NULL)
		ok = fprintf(f, "%s,%s %s\n", lhost, ip, text) > 0;
	else
		ok = fprintf(f, "%s %s\n", lhost, text) > 0;
	free(text);
	free(hashed);
	free(lhost);
	/* Hashed, the address goes on a line of its own. */
	if (ok && hash && ip != NULL)
		ok = write_entry(f, ip, NULL, k, 1);
	return ok;
}

int
kh_add(const char *path, const char *host, const char *ip,
    const struct kh_key *k, int hash)
{
	FILE *f;
	int ok, c = '\n';

	create_user_ssh_dir(path);
	if ((f = fopen(path, "a+")) == NULL)
		return -1;
	/* Never glue the new line to a last line without its newline. */
	if (fseek(f, -1, SEEK_END) == 0)
		c = fgetc(f);
	fseek(f, 0, SEEK_END);
	ok = (c == '\n' || c == EOF || fputc('\n', f) != EOF) &&
	    write_entry(f, host, ip, k, hash);
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}
