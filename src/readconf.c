/*
 * ssh_config(5) reading, as OpenSSH 9.2 (Debian 9.2p1-2+deb12u10)
 * does it: the same first-obtained-wins rule, Host and Match blocks,
 * Include, tokens, and the same error messages, which the tests
 * compare with what ssh -G prints.  This file reads files and lines;
 * tokens are expanded in readconf-tokens.c, hostnames canonicalized in
 * canon.c; the keywords and their values are in readconf-kw.c (and
 * readconf-values.c), where each has a status: ACT (stored in struct
 * options for the rest of xssh), IGNORE (checked like ssh does, kept
 * for -G, not acted upon: a debug message says so) or REFUSE (a routing or security feature xssh cannot honour yet,
 * where going on without it would do something else than asked: the
 * line is an error if it applies and asks for the feature).
 *
 * Like ssh, a file is read to its end and its bad lines are reported
 * together ("file: terminating, N bad configuration options"); what
 * ssh treats as fatal stops at once.  All the lines ssh would print go
 * into the struct xerr message, in ssh's order.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match.h"
#include "readconf.h"
#include "spawn.h"

#define QUOTE		"\""
#define MAX_DEPTH	16		/* nested Includes */

const char *readconf_system_file = "/etc/ssh/ssh_config";
const char *readconf_system_dir = "/etc/ssh";

static int	read_file(struct rc *, const char *, int, int *, int);

/* Messages: every line ssh would print, gathered for the xerr. */

void
rc_say(struct rc *rc, const char *fmt, ...)
{
	char buf[1024];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = strlen(buf);
	/* Past what an xerr holds, only the last line can still show. */
	if (rc->msglen >= XERR_MSGLEN) {
		if (rc->msgkeep == 0)
			rc->msgkeep = rc->msglen;
		rc->msglen = rc->msgkeep;
	}
	rc->msg = xreallocarray(rc->msg, rc->msglen + n + 2, 1);
	memcpy(rc->msg + rc->msglen, buf, n);
	rc->msglen += n;
	rc->msg[rc->msglen++] = '\n';
	rc->msg[rc->msglen] = '\0';
}

/* "file line N: ..." for a bad line, which the file reader counts. */
int
rc_bad(struct line *l, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rc_say(l->rc, "%s line %d: %s", l->file, l->linenum, buf);
	return -1;
}

/*
 * Refuse the line, for what (NULL: the keyword), once it has parsed
 * completely: a bad line is reported as ssh reports it.
 */
int
rc_refuse(struct line *l, const char *what)
{
	l->refused = what != NULL ? what : l->kw->name;
	return 0;
}

int
rc_ignored(struct line *l)
{
	debug("%s line %d: keyword %s is not yet supported, ignored",
	    l->file, l->linenum, l->kw->name);
	return 0;
}

/* Put the lines said into err; keep the last one if too long. */
static int
finish(struct rc *rc, int r, struct xerr *err)
{
	char *last;
	size_t keep, lastlen;

	if (r != 0 && rc->msglen > 0) {
		rc->msg[--rc->msglen] = '\0';
		if (rc->msglen >= XERR_MSGLEN) {
			last = strrchr(rc->msg, '\n');
			last = last != NULL ? last + 1 : rc->msg;
			if ((lastlen = strlen(last)) > XERR_MSGLEN / 2)
				lastlen = XERR_MSGLEN / 2;
			last[lastlen] = '\0';
			keep = XERR_MSGLEN - 2 - lastlen;
			while (keep > 0 && rc->msg[keep] != '\n')
				keep--;
			memmove(rc->msg + keep + 1, last, lastlen + 1);
		}
		xerr_set(err, XE_CONFIG, "%s", rc->msg);
	} else if (r != 0)
		xerr_set(err, XE_CONFIG, "bad configuration");
	free(rc->msg);
	rc->msg = NULL;
	rc->msglen = 0;
	return r == 0 ? 0 : -1;
}

/*
 * Splitting a line.  strdelim() takes a word as misc.c does (one "="
 * may follow the keyword); argv_split() splits the rest honouring
 * quotes and backslashes, and stops at a word starting with "#".
 */
static char *
strdelim(char **s)
{
	char *old;
	int wspace = 0;

	if (*s == NULL)
		return NULL;
	old = *s;
	*s = strpbrk(*s, WHITESPACE QUOTE "=");
	if (*s == NULL)
		return old;
	if ((*s)[0] == '"') {
		memmove(*s, *s + 1, strlen(*s));
		if ((*s = strpbrk(*s, QUOTE)) == NULL)
			return NULL;
		(*s)[0] = '\0';
		*s += strspn(*s + 1, WHITESPACE) + 1;
		return old;
	}
	if ((*s)[0] == '=')
		wspace = 1;
	(*s)[0] = '\0';
	*s += strspn(*s + 1, WHITESPACE) + 1;
	if ((*s)[0] == '=' && !wspace)
		*s += strspn(*s + 1, WHITESPACE) + 1;
	return old;
}

/*
 * One word of a list keyword (UserKnownHostsFile, CanonicalDomains...):
 * never empty, and "none" only alone.  i: the words already taken.
 */
int
rc_list_arg(struct line *l, const char *arg, int i)
{
	if (*arg == '\0')
		return rc_bad(l, "keyword %s empty argument", l->keyword);
	if (strcasecmp(arg, "none") == 0 && (i > 0 || l->ai < l->ac))
		return rc_bad(l, "keyword %s \"none\" argument must appear "
		    "alone.", l->keyword);
	return 0;
}

char *
rc_next_arg(struct line *l)
{
	return l->ai < l->ac ? l->av[l->ai++] : NULL;
}

void
rc_consume(struct line *l)
{
	l->ai = l->ac;
}

/* An int from an active line: the first value obtained wins. */
int
rc_store_int(struct line *l, int v)
{
	int *p;

	if (!*l->activep)
		return 0;
	p = FIELD(l, int);
	if (l->kw->status == IGNORE) {
		/* Kept for -G, not acted upon. */
		if (*p == -1)
			*p = v;
		return rc_ignored(l);
	}
	if (*p != -1)
		return 0;
	if (l->kw->status == REFUSE && v > 0)
		return rc_refuse(l, NULL);
	*p = v;
	return 0;
}

/* A string; for REFUSE, "none" (or kw->arg) does not ask for it. */
int
rc_store_str(struct line *l, const char *v)
{
	char **p;

	if (!*l->activep)
		return 0;
	p = FIELD(l, char *);
	if (l->kw->status == IGNORE) {
		if (*p == NULL)
			*p = xstrdup(v);
		return rc_ignored(l);
	}
	if (*p != NULL)
		return 0;
	if (l->kw->status == REFUSE && strcasecmp(v, "none") != 0 &&
	    (l->kw->arg == NULL || strcmp(v, l->kw->arg) != 0))
		return rc_refuse(l, NULL);
	*p = xstrdup(v);
	return 0;
}

/*
 * Host: patterns matched case-sensitively against the name the user
 * gave; a negated match vetoes the block.
 */
int
rc_host(struct line *l)
{
	const char *p;
	int i, r, which, n = l->ac - l->ai;

	if (l->flags & RF_CMDLINE) {
		rc_say(l->rc, "Host directive not supported as a "
		    "command-line option");
		return -1;
	}
	*l->activep = 0;
	if (n == 0)
		return 0;
	if (l->flags & RF_NEVERMATCH) {
		if (*l->av[l->ai] == '\0')
			return rc_bad(l, "keyword %s empty argument",
			    l->keyword);
		rc_consume(l);
		return 0;
	}
	r = pattern_match_host_line(l->rc->host, l->av + l->ai, n, &which);
	/* ssh stops at a veto: only the patterns before it are checked. */
	for (i = 0; i < (r == -1 ? which : n); i++) {
		if (*l->av[l->ai + i] == '\0')
			return rc_bad(l, "keyword %s empty argument",
			    l->keyword);
	}
	p = l->av[l->ai + which];
	rc_consume(l);
	if (r == -1)
		debug("%.200s line %d: Skipping Host block because of "
		    "negated match for %.100s", l->file, l->linenum, p + 1);
	else if (r == 1) {
		*l->activep = 1;
		debug("%.200s line %d: Applying options for %.100s", l->file,
		    l->linenum, p);
	}
	return 0;
}

/*
 * Run a Match exec command with the user's shell, stdin and stdout
 * on /dev/null and stderr shown, as readconf.c's execute_in_shell().
 * Returns its exit status, -1 if it did not exit, RC_FATAL.
 */
static int
run_shell(struct rc *rc, const char *cmd)
{
	const char *shell = spawn_shell();
	struct spawn sp = { .fd = { SPAWN_NULL, SPAWN_NULL, SPAWN_KEEP } };
	struct xerr e = { 0 };
	char *argv[4], *msg;
	pid_t pid;
	int status;

	if (access(shell, X_OK) == -1) {
		rc_say(rc, "Shell \"%s\" is not executable: %s", shell,
		    strerror(errno));
		return RC_FATAL;
	}
	debug("Executing command: '%.500s'", cmd);
	spawn_shell_argv(argv, shell, cmd);
	xasprintf(&msg, "Unable to execute '%.100s': ", cmd);
	sp.argv = argv;
	sp.fail_msg = msg;
	sp.fail_level = LOG_ERROR;
	/* As ssh: a signal, so that the failure is not taken for "false". */
	sp.fail_signal = SIGTERM;
	sp.fail_status = 1;
	pid = spawn_start(&sp, NULL, &e);
	free(msg);
	if (pid == -1) {
		rc_say(rc, "run_shell: %.100s", e.msg);
		return RC_FATAL;
	}
	if (spawn_wait(pid, &status) == -1) {
		rc_say(rc, "run_shell: waitpid: %s", strerror(errno));
		return RC_FATAL;
	}
	if (!WIFEXITED(status)) {
		rc_say(rc, "command '%.100s' exited abnormally", cmd);
		return -1;
	}
	debug3("command returned status %d", WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

/*
 * The criteria of a Match line, as readconf.c's match_cfg_line():
 * 1 match, 0 no match, -1 bad (reason said), RC_FATAL.  The line is
 * read from l->str, which is left at what was not consumed.
 */
static int
match_line(struct line *l)
{
	struct options *o = l->rc->o;
	struct tokvals tv;
	const char *host, *ruser, *crit;
	char *attrib, *oattrib, *arg, *cmd, *cp = l->str, why[512];
	int r, negate, result = 1, attributes = 0, missing;

	ruser = o->user != NULL ? o->user : local_user();
	host = o->hostname != NULL ? o->hostname : l->rc->host;
	debug2("checking match for '%s' host %s originally %s", cp, host,
	    l->rc->orig);
	while ((oattrib = attrib = strdelim(&cp)) != NULL && *attrib != '\0') {
		if (*attrib == '#') {
			cp = NULL;
			break;
		}
		if ((negate = *attrib == '!'))
			attrib++;
		if (strcasecmp(attrib, "all") == 0) {
			if (attributes > 1 || ((arg = strdelim(&cp)) != NULL &&
			    *arg != '\0' && *arg != '#')) {
				rc_bad(l, "'%s' cannot be combined with other "
				    "Match attributes", oattrib);
				result = -1;
			} else {
				if (arg != NULL && *arg == '#')
					cp = NULL;
				if (result)
					result = !negate;
			}
			goto out;
		}
		attributes++;
		if (strcasecmp(attrib, "canonical") == 0 ||
		    strcasecmp(attrib, "final") == 0) {
			/* xssh does not canonicalize: both match in the
			 * pass "Match final" asks for, as in ssh. */
			if (strcasecmp(attrib, "final") == 0)
				l->rc->want_final = 1;
			r = (l->flags & RF_FINAL) != 0;
			if (r == negate)
				result = 0;
			debug3("%.200s line %d: %smatched '%s'", l->file,
			    l->linenum, r != negate ? "" : "not ", oattrib);
			continue;
		}
		if ((arg = strdelim(&cp)) == NULL || *arg == '\0' ||
		    *arg == '#') {
			rc_say(l->rc, "Missing Match criteria for %s", attrib);
			result = -1;
			goto out;
		}
		crit = NULL;
		if (strcasecmp(attrib, "host") == 0) {
			r = pattern_match_hostname(crit = host, arg) == 1;
		} else if (strcasecmp(attrib, "originalhost") == 0) {
			r = pattern_match_hostname(crit = l->rc->orig, arg) == 1;
		} else if (strcasecmp(attrib, "user") == 0) {
			r = pattern_match_list(crit = ruser, arg, 0) == 1;
		} else if (strcasecmp(attrib, "localuser") == 0) {
			r = pattern_match_list(crit = local_user(), arg, 0)
			    == 1;
		} else if (strcasecmp(attrib, "exec") == 0) {
			rc_make_tokens(&tv, o, l->rc->orig, host, host, XP_PATH);
			if ((cmd = rc_expand(arg, tv.t, tv.n, 0, why,
			    sizeof(why), &missing)) == NULL) {
				rc_say(l->rc, "vdollar_percent_expand: %s",
				    why);
				rc_say(l->rc, "percent_expand: failed");
				return RC_FATAL;
			}
			if (result != 1) {
				/* A criterion already failed: skip it. */
				debug3("%.200s line %d: skipped exec "
				    "\"%.100s\"", l->file, l->linenum, cmd);
				free(cmd);
				continue;
			}
			if ((r = run_shell(l->rc, cmd)) == RC_FATAL ||
			    r == -1) {
				if (r == -1)
					rc_say(l->rc, "%.200s line %d: match "
					    "exec '%.100s' error", l->file,
					    l->linenum, cmd);
				free(cmd);
				return RC_FATAL;
			}
			r = r == 0;
			debug3("%.200s line %d: %smatched 'exec \"%.100s\"' ",
			    l->file, l->linenum, r != negate ? "" : "not ",
			    cmd);
			free(cmd);
			if (r == negate)
				result = 0;
			continue;
		} else {
			rc_say(l->rc, "Unsupported Match attribute %s", attrib);
			result = -1;
			goto out;
		}
		if (r == negate)
			result = 0;
		debug3("%.200s line %d: %smatched '%s \"%.100s\"' ", l->file,
		    l->linenum, r != negate ? "" : "not ", oattrib, crit);
	}
	if (attributes == 0) {
		rc_say(l->rc, "One or more attributes required for Match");
		result = -1;
	}
 out:
	if (result != -1)
		debug2("match %sfound", result ? "" : "not ");
	l->str = cp;
	return result;
}

int
rc_match(struct line *l)
{
	int r;

	if (l->flags & RF_CMDLINE) {
		/* sic: ssh 9.2 names the wrong directive here. */
		rc_say(l->rc, "Host directive not supported as a "
		    "command-line option");
		return -1;
	}
	if ((r = match_line(l)) == RC_FATAL)
		return r;
	if (r < 0)
		return rc_bad(l, "Bad Match condition");
	*l->activep = (l->flags & RF_NEVERMATCH) ? 0 : r;
	if (l->str == NULL || *l->str == '\0')
		rc_consume(l);
	return 0;
}

/*
 * Include: each argument a glob, relative ones under ~/.ssh (user
 * files) or /etc/ssh; included files are read with this line's
 * activity and cannot change the including file's.
 */
int
rc_include(struct line *l)
{
	glob_t gl;
	char *arg, *path, *full;
	size_t i;
	int r, oactive;

	if (l->flags & RF_CMDLINE) {
		rc_say(l->rc, "Include directive not supported as a "
		    "command-line option");
		return -1;
	}
	while ((arg = rc_next_arg(l)) != NULL) {
		if (*arg == '\0')
			return rc_bad(l, "keyword %s empty argument",
			    l->keyword);
		if (*arg == '~' && (l->flags & RF_USERCONF) == 0)
			return rc_bad(l, "bad include path %s.", arg);
		if (*arg != '/' && *arg != '~')
			xasprintf(&path, "%s/%s", (l->flags & RF_USERCONF) ?
			    "~/.ssh" : readconf_system_dir, arg);
		else
			path = xstrdup(arg);
		full = tilde_expand(path, local_home());
		memset(&gl, 0, sizeof(gl));
		r = glob(full, 0, NULL, &gl);
		free(full);
		if (r == GLOB_NOMATCH) {
			debug("%.200s line %d: include %s matched no files",
			    l->file, l->linenum, path);
			free(path);
			continue;
		}
		if (r != 0) {
			r = rc_bad(l, "glob failed for %s.", path);
			free(path);
			return r;
		}
		free(path);
		oactive = *l->activep;
		for (i = 0; i < gl.gl_pathc; i++) {
			debug3("%.200s line %d: Including file %s depth %d%s",
			    l->file, l->linenum, gl.gl_pathv[i], l->depth,
			    oactive ? "" : " (parse only)");
			r = read_file(l->rc, gl.gl_pathv[i],
			    l->flags | RF_CHECKPERM |
			    (oactive ? 0 : RF_NEVERMATCH), l->activep,
			    l->depth + 1);
			*l->activep = oactive;
			if (r == RC_FATAL || (r == 0 && errno != ENOENT)) {
				if (r == 0)
					r = rc_bad(l, "Can't open user config "
					    "file %.100s: %.100s",
					    gl.gl_pathv[i], strerror(errno));
				globfree(&gl);
				return r;
			}
		}
		globfree(&gl);
	}
	return 0;
}

/* Keyword lookup; NULL for an unknown one, after saying so. */
static const struct kw *
lookup(struct rc *rc, const char *keyword, const char *file, int linenum,
    int *ignore)
{
	size_t i;

	*ignore = 0;
	for (i = 0; i < readconf_nkeywords; i++) {
		if (strcasecmp(keyword, readconf_keywords[i].name) == 0)
			return &readconf_keywords[i];
	}
	if (rc->o->ignore_unknown != NULL &&
	    pattern_match_list(keyword, rc->o->ignore_unknown, 1) == 1) {
		*ignore = 1;
		return NULL;
	}
	rc_say(rc, "%s: line %d: Bad configuration option: %s", file, linenum,
	    keyword);
	return NULL;
}

/* One line: 0, -1 for a bad line, RC_FATAL to stop reading. */
static int
process_line(struct rc *rc, char *line, const char *file, int linenum,
    int *activep, int flags, int depth)
{
	struct line l;
	char *s, *p;
	size_t len;
	int r, ignore;

	len = strlen(line);
	while (len > 1 && strchr(WHITESPACE "\f", line[len - 1]) != NULL)
		line[--len] = '\0';
	memset(&l, 0, sizeof(l));
	l.rc = rc;
	l.file = file;
	l.linenum = linenum;
	l.activep = activep;
	l.flags = flags;
	l.depth = depth;
	s = line;
	if ((l.keyword = strdelim(&s)) == NULL)
		return 0;
	if (*l.keyword == '\0')
		l.keyword = strdelim(&s);
	if (l.keyword == NULL || *l.keyword == '\0' || *l.keyword == '\n' ||
	    *l.keyword == '#')
		return 0;
	for (p = l.keyword; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);
	if (s != NULL)
		s += strspn(s, WHITESPACE);
	if (s == NULL || *s == '\0')
		return rc_bad(&l, "no argument after keyword \"%s\"",
		    l.keyword);
	l.str = s;
	l.kw = lookup(rc, l.keyword, file, linenum, &ignore);
	if (argv_split(s, 1, &l.ac, &l.av) != 0)
		return rc_bad(&l, "invalid quotes");
	if (l.kw == NULL && ignore) {
		debug("%s line %d: Ignored unknown option \"%s\"", file,
		    linenum, l.keyword);
		r = 0;
	} else if (l.kw == NULL)
		r = -1;
	else if ((r = l.kw->parse(&l)) == 0 && l.ai < l.ac)
		r = rc_bad(&l, "keyword %s extra arguments at end of line",
		    l.keyword);
	else if (r == 0 && l.refused != NULL) {
		rc_say(rc, "%s line %d: %s is not supported by xssh yet",
		    file, linenum, l.refused);
		r = RC_FATAL;
	}
	argv_free(l.av);
	return r;
}

/*
 * Debian's secure_permissions(): owned by the user or root, not
 * writable by others, and group-writable only for a private group.
 */
static int
secure_perms(const struct stat *st)
{
	struct passwd *pw;
	struct group *gr;
	uid_t uid = getuid();
	int members = 0;

	if (st->st_uid != 0 && st->st_uid != uid)
		return 0;
	if ((st->st_mode & 002) != 0)
		return 0;
	if ((st->st_mode & 020) == 0)
		return 1;
	if ((gr = getgrgid(st->st_gid)) == NULL)
		return 0;
	setpwent();
	while ((pw = getpwent()) != NULL) {
		if (pw->pw_gid == gr->gr_gid) {
			members++;
			if (pw->pw_uid != uid) {
				endpwent();
				return 0;
			}
		}
	}
	endpwent();
	if ((pw = getpwuid(st->st_uid)) == NULL)
		return 0;
	if (gr->gr_mem[0] != NULL) {
		members++;
		if (strcmp(pw->pw_name, gr->gr_mem[0]) != 0 ||
		    gr->gr_mem[1] != NULL)
			return 0;
	}
	return members > 0;
}

/* 1 read, 0 not opened (errno says why), RC_FATAL. */
static int
read_file(struct rc *rc, const char *path, int flags, int *activep,
    int depth)
{
	struct stat st;
	FILE *f;
	char *line = NULL;
	size_t size = 0;
	int r, linenum = 0, nbad = 0, saved;

	if (depth < 0 || depth > MAX_DEPTH) {
		rc_say(rc, "Too many recursive configuration includes");
		return RC_FATAL;
	}
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (flags & RF_CHECKPERM) {
		if (fstat(fileno(f), &st) == -1) {
			saved = errno;
			fclose(f);
			rc_say(rc, "fstat %s: %s", path, strerror(saved));
			return RC_FATAL;
		}
		if (!secure_perms(&st)) {
			fclose(f);
			rc_say(rc, "Bad owner or permissions on %s", path);
			return RC_FATAL;
		}
	}
	debug("Reading configuration data %.200s", path);
	while (getline(&line, &size, f) != -1) {
		linenum++;
		r = process_line(rc, line, path, linenum, activep, flags,
		    depth);
		if (r == RC_FATAL) {
			free(line);
			fclose(f);
			return RC_FATAL;
		}
		if (r != 0)
			nbad++;
	}
	free(line);
	fclose(f);
	if (nbad > 0) {
		rc_say(rc, "%s: terminating, %d bad configuration options",
		    path, nbad);
		return RC_FATAL;
	}
	return 1;
}

/* One pass over the configuration files, as ssh.c does it. */
static int
read_config(struct rc *rc, const char *config_file, int flags)
{
	char *path;
	int r, active;

	if (config_file != NULL) {
		if (strcasecmp(config_file, "none") == 0)
			return 0;
		active = 1;
		r = read_file(rc, config_file, flags | RF_USERCONF, &active, 0);
		if (r == 0) {
			rc_say(rc, "Can't open user config file %.100s: %.100s",
			    config_file, strerror(errno));
			return -1;
		}
		return r == 1 ? 0 : -1;
	}
	xasprintf(&path, "%s/.ssh/config", local_home());
	active = 1;
	r = read_file(rc, path, flags | RF_USERCONF | RF_CHECKPERM, &active,
	    0);
	free(path);
	if (r == RC_FATAL)
		return -1;
	active = 1;
	r = read_file(rc, readconf_system_file, flags, &active, 0);
	return r == RC_FATAL ? -1 : 0;
}

int
readconf_files(struct options *o, const char *host, const char *config_file,
    struct xerr *err)
{
	struct rc rc;
	struct tok t;
	char *h, why[512];
	int r, missing;

	memset(&rc, 0, sizeof(rc));
	rc.o = o;
	rc.host = rc.orig = host;
	/* A HostName from -o: %h is the name given, as in ssh.c. */
	if (o->hostname != NULL) {
		t.key = 'h';
		t.val = host;
		if ((h = rc_expand(o->hostname, &t, 1, 0, why, sizeof(why),
		    &missing)) == NULL)
			return xerr_set(err, XE_CONFIG, "vdollar_percent_expand: "
			    "%s\npercent_expand: failed", why);
		free(o->hostname);
		o->hostname = h;
	}
	if ((r = read_config(&rc, config_file, 0)) != 0)
		return finish(&rc, r, err);
	if (rc.want_final)
		debug("configuration requests final Match pass");
	/* As ssh.c: the final name, canonicalized (canon.c)... */
	if (canon_host(o, host, &h, &rc.want_final, err) != 0) {
		free(rc.msg);
		return -1;
	}
	free(o->hostname);
	o->hostname = h;
	/* ... and a second pass with it where asked for: Host lines
	 * match the final name then. */
	if (rc.want_final) {
		debug("re-parsing configuration");
		rc.host = o->hostname;
		r = read_config(&rc, config_file, RF_FINAL);
	}
	return finish(&rc, r, err);
}

int
readconf_cmdline(struct options *o, const char *line, struct xerr *err)
{
	struct rc rc;
	char *buf;
	int r, active = 1;

	memset(&rc, 0, sizeof(rc));
	rc.o = o;
	rc.host = rc.orig = "";
	buf = xstrdup(line);
	r = process_line(&rc, buf, "command-line", 0, &active,
	    RF_CMDLINE | RF_USERCONF, 0);
	free(buf);
	return finish(&rc, r, err);
}
