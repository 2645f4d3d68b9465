/*
 * The command line, with OpenSSH 9.2's option set and getopt rules:
 * bundled flags (-GF file), attached arguments (-p2222, -oKey=value),
 * options after the destination (scanning restarts after it, unless
 * "--" ended the options), and the first value of a setting winning.
 *
 * Every option of ssh 9.2 is in the table.  One that xssh does not do
 * yet has no handler and fails with a clear message: never ignored.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "escape.h"
#include "jumpspec.h"
#include "mux.h"
#include "readconf.h"
#include "validname.h"

typedef int (*flag_fn)(struct args *, const char *, struct xerr *);

struct flag {
	char	 ch;
	int	 has_arg;
	flag_fn	 fn;		/* NULL: not supported yet */
	const char *what;	/* what the option does, for the refusal */
};

static int
set_string(char **dst, const char *v)
{
	if (*dst == NULL)
		*dst = xstrdup(v);
	return 0;
}

static int
flag_ignore(struct args *a, const char *v, struct xerr *e)
{
	return 0;
}

static int
flag_proto1(struct args *a, const char *v, struct xerr *e)
{
	return xerr_set(e, XE_USAGE, "SSH protocol v.1 is no longer supported");
}

static int
flag_inet(struct args *a, const char *v, struct xerr *e)
{
	a->opts.address_family = AF_INET;
	return 0;
}

static int
flag_inet6(struct args *a, const char *v, struct xerr *e)
{
	a->opts.address_family = AF_INET6;
	return 0;
}

static int
flag_bind(struct args *a, const char *v, struct xerr *e)
{
	free(a->opts.bind_address);
	a->opts.bind_address = xstrdup(v);
	return 0;
}

static int
flag_compress(struct args *a, const char *v, struct xerr *e)
{
	a->opts.compression = 1;
	return 0;
}

static int
flag_logfile(struct args *a, const char *v, struct xerr *e)
{
	free(a->log_file);
	a->log_file = xstrdup(v);
	return 0;
}

static int
flag_config(struct args *a, const char *v, struct xerr *e)
{
	free(a->config_file);
	a->config_file = xstrdup(v);
	return 0;
}

static int
flag_print_config(struct args *a, const char *v, struct xerr *e)
{
	a->print_config = 1;
	return 0;
}

/* -i: as ssh, a file that cannot be reached is warned about, not used. */
static int
flag_identity(struct args *a, const char *v, struct xerr *e)
{
	struct stat st;
	char *path;

	path = tilde_expand(v, NULL);
	if (stat(path, &st) == -1)
		log_msg(LOG_ERROR, "Warning: Identity file %s not accessible: "
		    "%s.", path, strerror(errno));
	else
		strlist_add(&a->opts.identity_files, path);
	free(path);
	return 0;
}

static int
flag_jump(struct args *a, const char *v, struct xerr *e)
{
	if (a->jump_given || a->opts.proxy_jump != NULL)
		return xerr_set(e, XE_USAGE, "Only a single -J option is "
		    "permitted (use commas to separate multiple jump hops)");
	/* As ssh: any ProxyCommand before -J, even "none". */
	if (a->opts.proxy_command != NULL)
		return xerr_set(e, XE_USAGE,
		    "Cannot specify -J with ProxyCommand");
	if (jumplist_check_cmdline(v, e) != 0)
		return -1;
	a->jump_given = 1;
	a->opts.proxy_jump = xstrdup(v);
	set_string(&a->opts.proxy_command, "none");
	return 0;
}

static int
flag_user(struct args *a, const char *v, struct xerr *e)
{
	return set_string(&a->opts.user, v);
}

static int
flag_stdin_null(struct args *a, const char *v, struct xerr *e)
{
	a->opts.stdin_null = 1;
	return 0;
}

static int
flag_escape(struct args *a, const char *v, struct xerr *e)
{
	int ch;

	if (escape_parse(v, &ch) != 0)
		return xerr_bare(e, XE_USAGE, "Bad escape character '%s'.", v);
	a->opts.escape_char = ch;
	return 0;
}

/* -f: background after authentication; implies -n, as in ssh. */
static int
flag_fork(struct args *a, const char *v, struct xerr *e)
{
	a->opts.fork_after_authentication = 1;
	a->opts.stdin_null = 1;
	return 0;
}

static int
flag_option(struct args *a, const char *v, struct xerr *e)
{
	return readconf_cmdline(&a->opts, v, e);
}

static int
flag_port(struct args *a, const char *v, struct xerr *e)
{
	int port;

	if (a->opts.port != -1)
		return 0;
	if ((port = parse_port(v)) == -1)
		return xerr_set(e, XE_USAGE, "Bad port '%s'", v);
	a->opts.port = port;
	return 0;
}

static int
flag_quiet(struct args *a, const char *v, struct xerr *e)
{
	a->opts.log_level = LOG_QUIET;
	return 0;
}

static int
flag_subsystem(struct args *a, const char *v, struct xerr *e)
{
	a->subsystem = 1;
	return 0;
}

static int
flag_no_tty(struct args *a, const char *v, struct xerr *e)
{
	a->opts.request_tty = RTTY_NO;
	return 0;
}

static int
flag_tty(struct args *a, const char *v, struct xerr *e)
{
	a->opts.request_tty = a->opts.request_tty == RTTY_YES ?
	    RTTY_FORCE : RTTY_YES;
	return 0;
}

static int
flag_version(struct args *a, const char *v, struct xerr *e)
{
	return ARGS_VERSION;
}

static int
flag_verbose(struct args *a, const char *v, struct xerr *e)
{
	if (!a->debug_flag) {
		a->debug_flag = 1;
		a->opts.log_level = LOG_DEBUG1;
	} else if (a->opts.log_level < LOG_DEBUG3)
		a->opts.log_level++;
	return 0;
}

/* -W host:port: stdio forwarding, with ssh's implied settings. */
static int
flag_stdio(struct args *a, const char *v, struct xerr *e)
{
	struct jumpspec j;
	struct xerr ignored;

	if (a->stdio_host != NULL)
		return xerr_set(e, XE_USAGE, "stdio forward already specified");
	if (a->mux_command != MUXC_NONE)
		return xerr_set(e, XE_USAGE, "Cannot specify stdio forward "
		    "with -O");
	if (jumpspec_parse(v, 0, &j, &ignored) != 0 || j.user != NULL ||
	    j.port == -1) {
		if (j.host != NULL)
			jumpspec_free(&j);
		return xerr_set(e, XE_USAGE, "Bad stdio forwarding "
		    "specification '%s'", v);
	}
	a->stdio_host = j.host;
	a->stdio_port = j.port;
	if (a->opts.request_tty == -1)
		a->opts.request_tty = RTTY_NO;
	if (a->opts.session_type == -1)
		a->opts.session_type = 0;
	return 0;
}

/* -M: ControlMaster yes; twice, ask.  xssh cannot be a master yet. */
static int
flag_master(struct args *a, const char *v, struct xerr *e)
{
	a->opts.control_master = a->opts.control_master == CTL_MASTER_YES ?
	    CTL_MASTER_ASK : CTL_MASTER_YES;
	return 0;
}

/* -S: as ssh, the last one given wins. */
static int
flag_control_path(struct args *a, const char *v, struct xerr *e)
{
	free(a->opts.control_path);
	a->opts.control_path = xstrdup(v);
	return 0;
}

/* -O: the commands of ssh 9.2; NULL why: done by mux-client.c. */
static const struct {
	const char *name;
	int	 cmd;
	const char *why;
} mux_commands[] = {
	{ "check", MUXC_CHECK, NULL },
	{ "forward", MUXC_FORWARD, "needs forwarding through a master" },
	{ "exit", MUXC_EXIT, NULL },
	{ "stop", MUXC_STOP, NULL },
	{ "cancel", MUXC_CANCEL, "needs forwarding through a master" },
	{ "proxy", MUXC_PROXY, "the mux proxy mode is not implemented" },
};

static int
flag_mux_command(struct args *a, const char *v, struct xerr *e)
{
	size_t i;

	if (a->stdio_host != NULL)
		return xerr_set(e, XE_USAGE, "Cannot specify multiplexing "
		    "command with -W");
	if (a->mux_command != MUXC_NONE)
		return xerr_set(e, XE_USAGE, "Multiplexing command already "
		    "specified");
	for (i = 0; i < sizeof(mux_commands) / sizeof(mux_commands[0]); i++) {
		if (strcmp(v, mux_commands[i].name) != 0)
			continue;
		if (mux_commands[i].why != NULL)
			return xerr_set(e, XE_USAGE, "-O %s is not supported "
			    "by xssh yet (%s)", v, mux_commands[i].why);
		a->mux_command = mux_commands[i].cmd;
		return 0;
	}
	return xerr_set(e, XE_USAGE, "Invalid multiplex command.");
}

static int
flag_cipher(struct args *a, const char *v, struct xerr *e)
{
	free(a->opts.ciphers);
	a->opts.ciphers = xstrdup(v);
	return 0;
}

static int
flag_mac(struct args *a, const char *v, struct xerr *e)
{
	free(a->opts.macs);
	a->opts.macs = xstrdup(v);
	return 0;
}

static int
flag_agent(struct args *a, const char *v, struct xerr *e)
{
	a->opts.forward_agent = 1;
	return 0;
}

/* -x and -k: as ssh, they set the option, for -G to show. */
static int
flag_no_x11(struct args *a, const char *v, struct xerr *e)
{
	a->opts.forward_x11 = 0;
	return 0;
}

static int
flag_no_gss_deleg(struct args *a, const char *v, struct xerr *e)
{
	a->opts.gss_deleg_creds = 0;
	return 0;
}

static int
flag_no_agent(struct args *a, const char *v, struct xerr *e)
{
	a->opts.forward_agent = 0;
	return 0;
}

/* -L, -R, -D: checked as ssh's parse_forward() does, kept as written. */
static int
flag_forward(struct args *a, char kind, const char *v, struct xerr *e)
{
	int dynamic = kind == 'D', remote = kind == 'R';

	if (!cfg_valid_forward(v, dynamic, remote) &&
	    !(remote && cfg_valid_forward(v, 1, 1)))
		return xerr_set(e, XE_USAGE, "Bad %s forwarding specification "
		    "'%s'", dynamic ? "dynamic" : remote ? "remote" : "local",
		    v);
	/* As ssh, local and dynamic ones share one list, in order. */
	strlist_add(remote ? &a->opts.remote_forwards :
	    &a->opts.local_forwards, v);
	return 0;
}

static int
flag_local(struct args *a, const char *v, struct xerr *e)
{
	return flag_forward(a, 'L', v, e);
}

static int
flag_remote(struct args *a, const char *v, struct xerr *e)
{
	return flag_forward(a, 'R', v, e);
}

static int
flag_dynamic(struct args *a, const char *v, struct xerr *e)
{
	return flag_forward(a, 'D', v, e);
}

static int
flag_gateway(struct args *a, const char *v, struct xerr *e)
{
	a->opts.gateway_ports = 1;
	return 0;
}

/* -N: no session channel; the connection serves forwardings only. */
static int
flag_no_session(struct args *a, const char *v, struct xerr *e)
{
	if (a->opts.session_type != -1 && a->opts.session_type != 0)
		return xerr_set(e, XE_USAGE, "Cannot specify -N with "
		    "-s/SessionType");
	a->opts.session_type = 0;
	a->opts.request_tty = RTTY_NO;
	return 0;
}

/* ssh 9.2's getopt string, in its order. */
static const struct flag flags[] = {
	{ '1', 0, flag_proto1, NULL },
	{ '2', 0, flag_ignore, NULL },
	{ '4', 0, flag_inet, NULL },
	{ '6', 0, flag_inet6, NULL },
	{ 'A', 0, flag_agent, NULL },
	{ 'a', 0, flag_no_agent, NULL },
	{ 'B', 1, NULL, "binding to an interface" },
	{ 'b', 1, flag_bind, NULL },
	{ 'C', 0, flag_compress, NULL },
	{ 'c', 1, flag_cipher, NULL },
	{ 'D', 1, flag_dynamic, NULL },
	{ 'E', 1, flag_logfile, NULL },
	{ 'e', 1, flag_escape, NULL },
	{ 'F', 1, flag_config, NULL },
	{ 'f', 0, flag_fork, NULL },
	{ 'G', 0, flag_print_config, NULL },
	{ 'g', 0, flag_gateway, NULL },
	{ 'I', 1, NULL, "PKCS#11 tokens" },
	{ 'i', 1, flag_identity, NULL },
	{ 'J', 1, flag_jump, NULL },
	{ 'K', 0, NULL, "GSSAPI authentication" },
	{ 'k', 0, flag_no_gss_deleg, NULL },
	{ 'L', 1, flag_local, NULL },
	{ 'l', 1, flag_user, NULL },
	{ 'M', 0, flag_master, NULL },
	{ 'm', 1, flag_mac, NULL },
	{ 'N', 0, flag_no_session, NULL },
	{ 'n', 0, flag_stdin_null, NULL },
	{ 'O', 1, flag_mux_command, NULL },
	{ 'o', 1, flag_option, NULL },
	{ 'P', 0, flag_ignore, NULL },	/* deprecated in 9.2, ignored */
	{ 'p', 1, flag_port, NULL },
	{ 'Q', 1, NULL, "queries" },
	{ 'q', 0, flag_quiet, NULL },
	{ 'R', 1, flag_remote, NULL },
	{ 'S', 1, flag_control_path, NULL },
	{ 's', 0, flag_subsystem, NULL },
	{ 'T', 0, flag_no_tty, NULL },
	{ 't', 0, flag_tty, NULL },
	{ 'V', 0, flag_version, NULL },
	{ 'v', 0, flag_verbose, NULL },
	{ 'W', 1, flag_stdio, NULL },
	{ 'w', 1, NULL, "tunnel devices" },
	{ 'X', 0, NULL, "X11 forwarding" },
	{ 'x', 0, flag_no_x11, NULL },
	{ 'Y', 0, NULL, "X11 forwarding" },
	{ 'y', 0, NULL, "logging to syslog" },
};

/*
 * xssh's own long options; ssh has none, so they cannot clash with a
 * command line written for ssh.
 */
static const struct longopt {
	const char *name;
	size_t	 offset;	/* the int in struct args it sets */
} longopts[] = {
	{ "--show-chain", offsetof(struct args, show_chain) },
	{ "--test-chain", offsetof(struct args, test_chain) },
};

static const struct longopt *
longopt_find(const char *arg)
{
	size_t i;

	for (i = 0; i < sizeof(longopts) / sizeof(longopts[0]); i++)
		if (strcmp(arg, longopts[i].name) == 0)
			return &longopts[i];
	return NULL;
}

static const struct flag *
flag_find(int ch)
{
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (flags[i].ch == ch)
			return &flags[i];
	return NULL;
}

const char *
args_usage(void)
{
	return
"usage: xssh [-46aCGkMnqsTtVv] [-b bind_address] [-c cipher_spec]\n"
"            [-E log_file] [-F configfile] [-i identity_file]\n"
"            [-J destination] [-l login_name] [-m mac_spec]\n"
"            [-O ctl_cmd] [-o option] [-p port] [-S ctl_path]\n"
"            [-W host:port]\n"
"            destination [command [argument ...]]\n"
"       xssh --show-chain | --test-chain [options] destination\n";
}

/*
 * Scan options from argv[*ip] on, getopt-style, stopping at the first
 * word that is not an option or after "--".
 */
static int
scan_options(int argc, char **argv, int *ip, int *terminated,
    struct args *a, struct xerr *e)
{
	const struct flag *f;
	const struct longopt *lo;
	const char *arg, *value;
	int i = *ip, r, k;

	for (; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			*terminated = 1;
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break;
		if (arg[1] == '-') {
			if ((lo = longopt_find(arg)) == NULL)
				return xerr_set(e, XE_USAGE,
				    "unknown option %s", arg);
			*(int *)((char *)a + lo->offset) = 1;
			continue;
		}
		for (k = 1; arg[k] != '\0'; k++) {
			if ((f = flag_find(arg[k])) == NULL) {
				*ip = i;
				return xerr_set(e, XE_USAGE,
				    "unknown option -- %c", arg[k]);
			}
			value = NULL;
			if (f->has_arg) {
				if (arg[k + 1] != '\0')
					value = arg + k + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else
					return xerr_set(e, XE_USAGE, "option "
					    "requires an argument -- %c", f->ch);
			}
			if (f->fn == NULL)
				return xerr_set(e, XE_USAGE, "option -%c "
				    "(%s) is not supported by xssh yet",
				    f->ch, f->what);
			if ((r = f->fn(a, value, e)) != 0)
				return r;
			if (f->has_arg)
				break;
		}
	}
	*ip = i;
	return 0;
}

/* The destination: ssh://[user@]host[:port] or [user@]host. */
static int
parse_destination(struct args *a, const char *dest, struct xerr *e)
{
	struct jumpspec j;
	const char *at;

	if (strncasecmp(dest, "ssh://", 6) == 0) {
		if (jumpspec_parse(dest, 0, &j, e) != 0)
			return xerr_set(e, XE_USAGE,
			    "Invalid destination \"%s\"", dest);
		if (j.user != NULL)
			set_string(&a->opts.user, j.user);
		if (j.port != -1 && a->opts.port == -1)
			a->opts.port = j.port;
		a->host = j.host;
		j.host = NULL;
		jumpspec_free(&j);
	} else if ((at = strrchr(dest, '@')) != NULL) {
		if (at == dest || at[1] == '\0')
			return xerr_set(e, XE_USAGE,
			    "Invalid destination \"%s\"", dest);
		if (a->opts.user == NULL)
			a->opts.user = strndup(dest, at - dest);
		a->host = xstrdup(at + 1);
	} else
		a->host = xstrdup(dest);
	if (*a->host == '\0')
		return xerr_set(e, XE_USAGE, "Invalid destination \"%s\"",
		    dest);
	return 0;
}

int
args_parse(int argc, char **argv, struct args *a, struct xerr *e)
{
	int i = 1, terminated = 0, r;
	size_t len;
	char *p;

	memset(a, 0, sizeof(*a));
	options_init(&a->opts);
	if ((r = scan_options(argc, argv, &i, &terminated, a, e)) != 0)
		return r;
	if (i >= argc)
		return ARGS_USAGE;
	if (parse_destination(a, argv[i++], e) != 0)
		return ARGS_ERROR;
	if (i < argc && !terminated &&
	    (r = scan_options(argc, argv, &i, &terminated, a, e)) != 0)
		return r;
	/*
	 * Before any configuration is read, and so before any Match exec
	 * can run with these names in it: as ssh, the user that won (-l,
	 * -o User, user@ or ssh://user@) and the destination.
	 */
	if (validname_check(a->opts.user, a->host, e) != 0)
		return ARGS_ERROR;
	if (i < argc) {
		for (len = 0, r = i; r < argc; r++)
			len += strlen(argv[r]) + 1;
		a->command = p = xmalloc(len);
		for (r = i; r < argc; r++) {
			p = stpcpy(p, argv[r]);
			if (r + 1 < argc)
				*p++ = ' ';
		}
	}
	return ARGS_RUN;
}

void
args_free(struct args *a)
{
	options_free(&a->opts);
	free(a->config_file);
	free(a->log_file);
	free(a->user);
	free(a->host);
	free(a->command);
	free(a->stdio_host);
}
