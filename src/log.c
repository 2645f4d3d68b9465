/*
 * Logging, by OpenSSH's levels: -q lowers to QUIET, each -v raises one
 * step from INFO.  Messages go to stderr, or appended to the -E file.
 * libssh's own log callback is per thread, so every thread that runs
 * libssh calls log_libssh_thread_setup().
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libssh/libssh.h>
#include <libssh/callbacks.h>

#include "xssh.h"

static int log_level = LOG_INFO;
static FILE *log_file;
static int log_raw;		/* terminal in raw mode: end lines with CR LF */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *log_prefix[] = {
	[LOG_QUIET] = "", [LOG_FATAL] = "", [LOG_ERROR] = "",
	[LOG_INFO] = "", [LOG_VERBOSE] = "",
	[LOG_DEBUG1] = "debug1: ", [LOG_DEBUG2] = "debug2: ",
	[LOG_DEBUG3] = "debug3: ",
};

void
log_init(int level, const char *logfile)
{
	log_level = level;
	if (logfile != NULL) {
		if ((log_file = fopen(logfile, "a")) == NULL)
			fprintf(stderr, "Couldn't open logfile %s: %s\n",
			    logfile, strerror(errno));
		else
			setvbuf(log_file, NULL, _IOLBF, 0);
	}
	log_libssh_thread_setup();
}

int
log_get_level(void)
{
	return log_level;
}

void
log_set_level(int level)
{
	log_level = level;
	log_libssh_thread_setup();
}

void
log_set_raw(int raw)
{
	log_raw = raw;
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

void
log_msg(int level, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&log_lock);
	fprintf(log_file != NULL ? log_file : stderr, "%s%s%s",
	    log_prefix[level], buf, log_raw && log_file == NULL ? "\r\n" : "\n");
	pthread_mutex_unlock(&log_lock);
}

static void
log_from_libssh(int priority, const char *function, const char *buffer,
    void *userdata)
{
	int level;

	/* libssh's WARN is noisy about things ssh says at debug1. */
	switch (priority) {
	case SSH_LOG_WARN:
		level = LOG_DEBUG1;
		break;
	case SSH_LOG_INFO:
		level = LOG_DEBUG2;
		break;
	default:
		level = LOG_DEBUG3;
		break;
	}
	log_msg(level, "libssh: %s", buffer);
}

/* Map our level to libssh's, for the calling thread. */
void
log_libssh_thread_setup(void)
{
	int lvl = SSH_LOG_NOLOG;

	if (log_level >= LOG_DEBUG3)
		lvl = SSH_LOG_TRACE;
	else if (log_level >= LOG_DEBUG2)
		lvl = SSH_LOG_INFO;
	else if (log_level >= LOG_DEBUG1)
		lvl = SSH_LOG_WARN;
	ssh_set_log_callback(log_from_libssh);
	ssh_set_log_level(lvl);
}
