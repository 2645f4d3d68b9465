/*
 * Adding a host's key to a known_hosts file, as ssh's
 * add_host_to_hostfile() does: created with the umask's mode (0644
 * under ssh's and our umask(022 | umask(077))), appended to.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knownhosts.h"
#include "wirebuf.h"

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

static void
put_text(struct wbuf *b, const char *s)
{
	wbuf_put(b, s, strlen(s));
}

/* The lines of an entry, as ssh's write_host_entry() puts them. */
static int
entry_lines(struct wbuf *b, const char *host, const char *ip,
    const struct kh_key *k, int hash)
{
	char *lhost = xstrdup(host), *hashed = NULL, *text, *p;

	for (p = lhost; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	if (hash && (hashed = kh_hash_host(lhost, NULL)) == NULL) {
		error("write_host_entry: host_hash failed");
		free(lhost);
		return -1;
	}
	text = kh_key_text(k);
	put_text(b, hash ? hashed : lhost);
	if (!hash && ip != NULL) {
		wbuf_put_u8(b, ',');
		put_text(b, ip);
	}
	wbuf_put_u8(b, ' ');
	put_text(b, text);
	wbuf_put_u8(b, '\n');
	free(text);
	free(hashed);
	free(lhost);
	/* Hashed, the address goes on a line of its own. */
	if (hash && ip != NULL)
		return entry_lines(b, ip, NULL, k, 1);
	return b->overflow ? -1 : 0;
}

/*
 * Whether the file open on fd already holds the entry: another xssh
 * that saw the host as new at the same time as we did added it first.
 */
static int
holds_entry(int fd, const char *host, const char *ip,
    const struct kh_key *k)
{
	char *lhost = xstrdup(host), *p;
	FILE *f;
	int dfd, r;

	if ((dfd = dup(fd)) == -1 || (f = fdopen(dfd, "r")) == NULL) {
		if (dfd != -1)
			close(dfd);
		free(lhost);
		return 0;
	}
	for (p = lhost; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	r = kh_stream_holds(f, lhost, k);
	if (r && ip != NULL) {
		rewind(f);
		r = kh_stream_holds(f, ip, k);
	}
	fclose(f);
	free(lhost);
	return r;
}

/*
 * The whole entry goes out in one write() on a descriptor opened for
 * appending, as ssh's fopen("a") and one fprintf() per line do, but
 * with all of an entry's lines at once: writers that add keys to the
 * same file at the same time (a chain's hops, or several clients)
 * never tear each other's lines.  xssh writers also take a lock, so
 * that two of them adding the same new host leave one entry, not two.
 */
int
kh_add(const char *path, const char *host, const char *ip,
    const struct kh_key *k, int hash)
{
	struct wbuf b = { 0 };
	struct stat st;
	ssize_t n;
	char c;
	int fd, r = -1, readable = 1;

	create_user_ssh_dir(path);
	/* Read too if we may, to see the file's last byte. */
	if ((fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC,
	    0666)) == -1) {
		if (errno != EACCES || (fd = open(path, O_WRONLY | O_APPEND |
		    O_CREAT | O_CLOEXEC, 0666)) == -1)
			return -1;
		readable = 0;
	}
	/*
	 * Under the lock, xssh writers see each other's entries whole:
	 * an entry for this host added meanwhile, and the newline that
	 * ends the last line (an append under way has its size counted
	 * before its last byte is there).  Writers that do not lock, ssh
	 * among them, still append whole lines.
	 */
	(void)flock(fd, LOCK_EX);
	if (readable && holds_entry(fd, host, ip, k)) {
		debug("%s: key for %s added meanwhile", path, host);
		r = 0;
		goto out;
	}
	/* Never glue the new line to a last line without its newline. */
	if (fstat(fd, &st) == 0 && st.st_size > 0 &&
	    pread(fd, &c, 1, st.st_size - 1) == 1 && c != '\n')
		wbuf_put_u8(&b, '\n');
	if (entry_lines(&b, host, ip, k, hash) == 0) {
		while ((n = write(fd, b.d, b.len)) == -1 && errno == EINTR)
			;
		if (n == (ssize_t)b.len)
			r = 0;
	}
 out:
	if (close(fd) != 0)
		r = -1;
	wbuf_free(&b);
	return r;
}
