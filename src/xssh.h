/*
 * xssh: an ssh client for jump-host chains, built on libssh.
 *
 * Shared declarations: the error value every core function returns,
 * logging, and small helpers.  The core never exits; it returns an
 * error carrying the hop it belongs to, and only main() decides the
 * exit status.
 */
#ifndef XSSH_H
#define XSSH_H

#include <stdarg.h>
#include <stddef.h>

#define XSSH_VERSION "0.1.0"

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif
#define printflike(a, b) __attribute__((__format__(__printf__, a, b)))

/* What went wrong; main() maps every one of these to exit 255. */
enum xerr_code {
	XE_OK = 0,
	XE_USAGE,	/* bad command line */
	XE_CONFIG,	/* bad configuration file or -o line */
	XE_RESOLVE,	/* name lookup failed */
	XE_CONNECT,	/* TCP connect failed */
	XE_TIMEOUT,	/* a hop did not answer in time */
	XE_HOSTKEY,	/* host key unknown, changed or refused */
	XE_AUTH,	/* authentication refused */
	XE_CHANNEL,	/* a jump refused the channel to the next hop */
	XE_PROTOCOL,	/* key exchange or other SSH failure */
	XE_IO,		/* local I/O failure */
	XE_NOMEM,
	XE_LOOP,	/* ProxyJump loop or runaway chain */
};

#define XERR_MSGLEN 2048

/*
 * An error: its code and a complete one-line message.  Messages of
 * code XE_CONFIG, and those marked bare, are printed as they are
 * (OpenSSH's "file line N: ..." and "user@host: Permission denied"
 * forms); all others are printed after "xssh: ".
 */
struct xerr {
	int	code;
	int	bare;		/* print without "xssh: ", as ssh would */
	char	msg[XERR_MSGLEN];
};

int	xerr_set(struct xerr *, int, const char *, ...) printflike(3, 4);
int	xerr_bare(struct xerr *, int, const char *, ...) printflike(3, 4);
int	xerr_prefix(struct xerr *, const char *, ...) printflike(2, 3);

/* log.c: levels follow OpenSSH's LogLevel. */
enum log_level {
	LOG_QUIET = 0,
	LOG_FATAL,
	LOG_ERROR,
	LOG_INFO,
	LOG_VERBOSE,
	LOG_DEBUG1,
	LOG_DEBUG2,
	LOG_DEBUG3,
};

int	log_init(int level, const char *logfile);
int	log_get_level(void);
void	log_set_level(int);
void	log_close(void);
void	log_set_raw(int);
void	log_msg(int level, const char *fmt, ...) printflike(2, 3);
int	log_fd_for(int level);
const char *log_eol(void);
void	log_libssh_thread_setup(void);
/* Only for the impossible; from any thread; the terminal put back. */
__dead void fatal(const char *fmt, ...) printflike(1, 2);
#define error(...)	log_msg(LOG_ERROR, __VA_ARGS__)
#define logit(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define verbose(...)	log_msg(LOG_VERBOSE, __VA_ARGS__)
#define debug(...)	log_msg(LOG_DEBUG1, __VA_ARGS__)
#define debug2(...)	log_msg(LOG_DEBUG2, __VA_ARGS__)
#define debug3(...)	log_msg(LOG_DEBUG3, __VA_ARGS__)

/* util.c */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
int	 xasprintf(char **, const char *, ...) printflike(2, 3);
double	 monotime(void);
char	*tilde_expand(const char *path, const char *home);
const char *local_home(void);
const char *local_user(void);
int	 argv_split(const char *, int, int *, char ***);
void	 argv_free(char **);

#endif /* XSSH_H */
