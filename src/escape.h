/*
 * Escape sequences typed on an interactive session (escape.c): the
 * escape character, right after a newline, then a command character,
 * as ssh's ~. ~^Z ~& ~# ~? ~B ~R ~V ~v ~C ~~.
 */
#ifndef XSSH_ESCAPE_H
#define XSSH_ESCAPE_H

#include <stddef.h>

#include <libssh/libssh.h>

struct chain;
struct fwd;

#define ESCAPE_DEFAULT	'~'
#define ESCAPE_NONE	(-2)

struct escape {
	int	 ch;		/* the escape character */
	int	 after_nl;	/* the last byte sent ended a line */
	int	 pending;	/* the escape character came last */
	int	 cmdline;	/* EnableEscapeCommandline */
	int	 local_command;	/* PermitLocalCommand: ~C !cmd */
	int	 resize;	/* send the window size again (after ~^Z) */
	struct chain *chain;
	ssh_channel channel;	/* the session channel */
	struct fwd *fwd;	/* forwardings, for ~C */
};

/* A ~C command line, parsed (escape_cmdline_parse). */
enum cmdline_type {
	CMDLINE_EMPTY,
	CMDLINE_HELP,		/* -h, ?: the list of commands */
	CMDLINE_LOCAL,		/* !cmd, with PermitLocalCommand */
	CMDLINE_FORWARD,	/* -L -R -D, or with cancel -KL -KR -KD */
	CMDLINE_INVALID,
};

struct cmdline {
	enum cmdline_type type;
	int	 kind;		/* 'L', 'R' or 'D' */
	int	 cancel;	/* -K */
	const char *arg;	/* in the line: the command or the spec */
};

void	escape_init(struct escape *, int ch, struct chain *, ssh_channel);
int	escape_filter(void *, const char *in, size_t n, char *out,
	    size_t *outlen);
int	escape_parse(const char *, int *ch);
int	local_command_run(const char *cmd);
void	escape_cmdline_parse(const char *, int local_command, struct cmdline *);

#endif
