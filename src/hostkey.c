/*
 * Host-key verification of one hop, as OpenSSH 9.2's check_host_key()
 * does it, on xssh's own known_hosts engine (knownhosts.c): every hop
 * by its own name (HostKeyAlias, or [HostName]:port), its own
 * UserKnownHostsFile, GlobalKnownHostsFile, KnownHostsCommand and
 * RevokedHostKeys, and with ssh's messages and prompts.  CheckHostIP
 * applies only to hop 1 reached by TCP: a hop through a jump or a
 * ProxyCommand has no address of its own, as in ssh.
 *
 * Also here: the order of the host key algorithms offered to a hop,
 * known types first (ssh's order_hostkeyalgs()), set before connecting.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "algolist.h"
#include "chain.h"
#include "knownhosts.h"
#include "match.h"
#include "prompt.h"
#include "spawn.h"

#define RDRW	0
#define RDONLY	1
#define ROQUIET	2

/* What one verification knows, shared by the port-less retry. */
struct hk {
	struct hop *h;
	struct xerr *e;
	struct kh_key key;
	const char *type;	/* "ED25519" */
	char	*fp;
	char	**user_files;	/* expanded; "none" left out */
	int	 nuser;
	char	**sys_files;
	int	 nsys;
	int	 check_host_ip;	/* may be turned off on the way, as ssh */
	int	 proxied;	/* no address: a jump or a ProxyCommand */
	int	 local;		/* the address is a loopback one */
	char	 ntop[NI_MAXHOST];
	char	 reason[512];	/* the line before "verification failed" */
	int	 failed_cmd;	/* KnownHostsCommand failed: fatal in ssh */
};

/* ------------------------------------------------ KnownHostsCommand */

/* Quote an argument for a log line, as ssh's argv_assemble(). */
static void
append_arg(char **buf, const char *arg)
{
	char *s;

	if (strpbrk(arg, " \t'\"\\") != NULL || *arg == '\0')
		xasprintf(&s, "%s%s\"%s\"", *buf, **buf ? " " : "", arg);
	else
		xasprintf(&s, "%s%s%s", *buf, **buf ? " " : "", arg);
	free(*buf);
	*buf = s;
}

/*
 * One argument of KnownHostsCommand: the client tokens, %H %I %f %K
 * %t, and ${ENV}.  NULL (with err set) on an unknown token.
 */
static char *
expand_arg(const struct hop *h, const char *arg, const char *const *extra,
    struct xerr *e)
{
	char *out = xstrdup(""), *tmp, *val, *var, tok[3];
	const char *p, *end, *add;
	int i;

	for (p = arg; *p != '\0'; p++) {
		val = NULL;
		add = NULL;
		if (p[0] == '$' && p[1] == '{' &&
		    (end = strchr(p + 2, '}')) != NULL) {
			var = strndup(p + 2, end - p - 2);
			add = getenv(var);
			if (add == NULL) {
				xerr_set(e, XE_CONFIG, "env var ${%s} has no "
				    "value", var);
				free(var);
				free(out);
				return NULL;
			}
			free(var);
			p = end;
		} else if (p[0] == '%' && p[1] != '\0') {
			p++;
			for (i = 0; extra[i] != NULL; i += 2)
				if (*extra[i] == *p)
					add = extra[i + 1];
			if (add == NULL && *p == '%')
				add = "%";
			if (add == NULL) {
				snprintf(tok, sizeof(tok), "%%%c", *p);
				if ((val = options_expand(&h->opts, h->name,
				    tok, XP_COMMAND, e)) == NULL) {
					free(out);
					return NULL;
				}
				add = val;
			}
		} else {
			tok[0] = *p;
			tok[1] = '\0';
			add = tok;
		}
		xasprintf(&tmp, "%s%s", out, add);
		free(out);
		free(val);
		out = tmp;
	}
	return out;
}

/*
 * ssh's load_hostkeys_command(): run the command (not through a
 * shell) and read its output as known_hosts lines for name.  Returns
 * -1 when the command failed, which ssh treats as fatal.
 */
static int
run_known_hosts_command(struct hop *h, struct kh_list *l,
    const char *invocation, const struct kh_key *key, const char *name,
    int fphash, struct xerr *e)
{
	char tag[64], **av = NULL, *fp = NULL, *b64 = NULL, *cmd = NULL, *v;
	char *msg;
	const char *extra[11];
	struct spawn sp = { .fd = { SPAWN_NULL, SPAWN_PIPE, SPAWN_KEEP } };
	struct xerr se = { 0 };
	struct stat st;
	int ac, i, fd, status, rc = 0;
	FILE *f;
	pid_t pid;

	snprintf(tag, sizeof(tag), "KnownHostsCommand-%s", invocation);
	if (key != NULL) {
		fp = kh_fingerprint(key, fphash);
		b64 = kh_key_base64(key);
	}
	extra[0] = "H"; extra[1] = name;
	extra[2] = "I"; extra[3] = invocation;
	extra[4] = "t"; extra[5] = key != NULL ? key->type : "NONE";
	extra[6] = "f"; extra[7] = fp != NULL ? fp : "NONE";
	extra[8] = "K"; extra[9] = b64 != NULL ? b64 : "NONE";
	extra[10] = NULL;
	if (argv_split(h->opts.known_hosts_command, 0, &ac, &av) == -1) {
		error("%s \"%s\" contains invalid quotes", tag,
		    h->opts.known_hosts_command);
		goto out;
	}
	if (ac == 0) {
		error("%s \"%s\" yielded no arguments", tag,
		    h->opts.known_hosts_command);
		goto out;
	}
	for (i = 1; i < ac; i++) {
		if ((v = expand_arg(h, av[i], extra, e)) == NULL) {
			xerr_prefix(e, "%s: percent_expand failed", tag);
			rc = -1;
			goto out;
		}
		free(av[i]);
		av[i] = v;
	}
	cmd = xstrdup("");
	for (i = 0; i < ac; i++)
		append_arg(&cmd, av[i]);
	if (av[0][0] != '/') {
		error("%s path is not absolute", tag);
		goto out;
	}
	if (stat(av[0], &st) == -1) {
		error("Could not stat %s \"%s\": %s", tag, av[0],
		    strerror(errno));
		goto out;
	}
	debug3("%s: running %s", tag, cmd);
	/* As ssh's subprocess(): stdin on /dev/null, stdout to us. */
	xasprintf(&msg, "%s execv \"%s\": ", tag, av[0]);
	sp.argv = av;
	sp.fail_msg = msg;
	sp.fail_level = LOG_ERROR;
	sp.fail_status = 127;
	pid = spawn_start(&sp, &fd, &se);
	free(msg);
	if (pid == -1) {
		error("%s: %s", tag, se.msg);
		goto out;
	}
	if ((f = fdopen(fd, "r")) == NULL) {
		close(fd);
		spawn_wait(pid, NULL);
		goto out;
	}
	kh_load_stream(l, name, f, tag, 1);
	fclose(f);
	if (spawn_wait(pid, &status) == -1)
		error("%s: waitpid: %s", tag, strerror(errno));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		goto out;
	else if (WIFSIGNALED(status))
		error("%s %s exited on signal %d", tag, cmd, WTERMSIG(status));
	else
		error("%s %s failed, status %d", tag, cmd,
		    WEXITSTATUS(status));
	hop_error(h, e, XE_HOSTKEY, "host key", "KnownHostsCommand failed");
	rc = -1;
 out:
	argv_free(av);
	free(cmd);
	free(fp);
	free(b64);
	return rc;
}

/* ------------------------------------------------------------ lookups */

/* The entries for name in every file, then from the command. */
static int
load_all(struct hk *c, struct kh_list *l, const char *name,
    const char *invocation)
{
	int i;

	for (i = 0; i < c->nuser; i++)
		kh_load_file(l, name, c->user_files[i]);
	for (i = 0; i < c->nsys; i++)
		kh_load_file(l, name, c->sys_files[i]);
	if (invocation == NULL || c->h->opts.known_hosts_command == NULL)
		return 0;
	if (run_known_hosts_command(c->h, l, invocation, &c->key, name,
	    c->h->opts.fingerprint_hash, c->e) != 0) {
		c->failed_cmd = 1;
		return -1;
	}
	return 0;
}

/* Files as ssh uses them: expanded, "none" meaning no file at all. */
static int
expand_files(struct hop *h, const struct strlist *l, char ***out, int *n,
    struct xerr *e)
{
	char *p;
	int i;

	*out = NULL;
	*n = 0;
	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], "none") == 0)
			continue;
		if ((p = options_expand(&h->opts, h->name, l->v[i], XP_PATH,
		    e)) == NULL)
			return -1;
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = p;
	}
	return 0;
}

static void
free_files(char **v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ------------------------------------------------------------- asking */

/* ssh's confirm(): 1 yes (or the fingerprint), 0 no or nobody. */
static int
confirm(struct hk *c, const char *msg, const char *fingerprint)
{
	const char *again = "Please type 'yes' or 'no': ";
	const char *again_fp = "Please type 'yes', 'no' or the fingerprint: ";
	char prefix[300], *text, *answer, *p;
	int ret = -1;

	if (c->h->opts.batch_mode == 1)
		return 0;
	prompt_hop_prefix(c->h, prefix, sizeof(prefix));
	xasprintf(&text, "%s%s", prefix, msg);
	for (;;) {
		answer = prompt_read(text, PROMPT_ECHO);
		free(text);
		if (answer == NULL)
			return 0;
		p = answer + strspn(answer, " \t");
		p[strcspn(p, " \t\n")] = '\0';
		if (*p == '\0' || strcasecmp(p, "no") == 0)
			ret = 0;
		else if (strcasecmp(p, "yes") == 0 ||
		    (fingerprint != NULL && strcmp(p, fingerprint) == 0))
			ret = 1;
		prompt_free(answer);
		if (ret != -1)
			return ret;
		xasprintf(&text, "%s%s", prefix,
		    fingerprint != NULL ? again_fp : again);
	}
}

/* ------------------------------------------------------------ messages */

static void
warn_changed_key(struct hk *c)
{
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @");
	error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@");
	error("IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!");
	error("Someone could be eavesdropping on you right now "
	    "(man-in-the-middle attack)!");
	error("It is also possible that a host key has just been changed.");
	error("The fingerprint for the %s key sent by the remote host is\n%s.",
	    c->type, c->fp);
	error("Please contact your system administrator.");
}

/*
 * StrictHostKeyChecking=no accepted a changed key: as ssh, nothing
 * that a man in the middle could catch is used on this hop.  The
 * options are cleared and the hop flagged (auth.c, session.c).
 */
static void
continue_unsafe(struct hk *c)
{
	struct options *o = &c->h->opts;
	int cancelled = 0;

	if (o->password_authentication) {
		error("Password authentication is disabled to avoid "
		    "man-in-the-middle attacks.");
		o->password_authentication = 0;
		cancelled = 1;
	}
	if (o->kbd_interactive_authentication) {
		error("Keyboard-interactive authentication is disabled to "
		    "avoid man-in-the-middle attacks.");
		o->kbd_interactive_authentication = 0;
		cancelled = 1;
	}
	if (o->forward_agent == 1) {
		error("Agent forwarding is disabled to avoid "
		    "man-in-the-middle attacks.");
		o->forward_agent = 0;
		cancelled = 1;
	}
	if (o->forward_x11 == 1) {
		error("X11 forwarding is disabled to avoid "
		    "man-in-the-middle attacks.");
		o->forward_x11 = 0;
		cancelled = 1;
	}
	if (o->update_host_keys > 0) {
		error("UpdateHostkeys is disabled because the host key is "
		    "not trusted.");
		o->update_host_keys = 0;
	}
	c->h->hostkey_unsafe = 1;
	if (o->exit_on_forward_failure == 1 && cancelled) {
		snprintf(c->reason, sizeof(c->reason), "Error: forwarding "
		    "disabled due to host key check failure");
		c->failed_cmd = 1;
	}
}

static void
set_reason(struct hk *c, const char *fmt, ...) printflike(2, 3);

static void
set_reason(struct hk *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
}

/* "The authenticity of host ... can't be established." and the rest. */
static int
ask_new_key(struct hk *c, const char *host, const char *ip)
{
	struct strlist names = { NULL, 0 };
	char *msg, *tmp, *ra;
	int i, n, ok;

	xasprintf(&msg, "The authenticity of host '%.200s (%s)' can't be "
	    "established.\n%s key fingerprint is %s.", host, ip, c->type,
	    c->fp);
	if (c->h->opts.visual_host_key == 1) {
		ra = kh_randomart(&c->key, c->h->opts.fingerprint_hash);
		xasprintf(&tmp, "%s\n%s", msg, ra);
		free(msg);
		free(ra);
		msg = tmp;
	}
	for (i = 0; i < c->nuser; i++)
		kh_other_names(c->user_files[i], host, &c->key, &names);
	for (i = 0; i < c->nsys; i++)
		kh_other_names(c->sys_files[i], host, &c->key, &names);
	if (names.n == 0)
		xasprintf(&tmp, "%s\nThis key is not known by any other "
		    "names.", msg);
	else {
		xasprintf(&tmp, "%s\nThis host key is known by the following "
		    "other names/addresses:", msg);
		n = names.n > 8 ? 8 : names.n;
		for (i = 0; i < n; i++) {
			free(msg);
			msg = tmp;
			xasprintf(&tmp, "%s\n    %s", msg, names.v[i]);
		}
		if (n < names.n) {
			free(msg);
			msg = tmp;
			xasprintf(&tmp, "%s\n    (%d additional names omitted)",
			    msg, names.n - n);
		}
	}
	free(msg);
	xasprintf(&msg, "%s\nAre you sure you want to continue connecting "
	    "(yes/no/[fingerprint])? ", tmp);
	free(tmp);
	strlist_free(&names);
	ok = confirm(c, msg, c->fp);
	free(msg);
	return ok;
}

/* ------------------------------------------------------------- checks */

/*
 * ssh's check_host_key(): 0 accepted, -1 refused (c->reason says why
 * when ssh prints a line before "Host key verification failed.").
 */
static int
check_host_key(struct hk *c, const char *hostname, int port, int readonly,
    int clobber_port)
{
	struct hop *h = c->h;
	struct options *o = &h->opts;
	struct kh_list hostkeys = { NULL, 0 }, ipkeys = { NULL, 0 };
	const struct kh_entry *host_found = NULL, *ip_found = NULL;
	char *host, *ip, *hostline = NULL, *ra, msg[1024];
	const char *hostp, *key_msg;
	int host_status, ip_status, host_ip_differ = 0, rc = -1, r, shk;

	shk = o->strict_host_key_checking;
	if (o->host_key_alias != NULL) {
		host = xstrdup(o->host_key_alias);
		debug("using hostkeyalias: %s", host);
	} else
		host = kh_host_port(hostname, clobber_port ? 0 : port);
	if (c->proxied)
		ip = xstrdup("<no hostip for proxy command>");
	else
		ip = kh_host_port(c->ntop, clobber_port ? 0 : port);
	if (c->check_host_ip && (c->local || strcmp(hostname, ip) == 0 ||
	    c->proxied))
		c->check_host_ip = 0;

	if (load_all(c, &hostkeys, host, clobber_port ? NULL :
	    "HOSTNAME") != 0)
		goto out;
	if (c->check_host_ip && load_all(c, &ipkeys, ip, clobber_port ?
	    NULL : "ADDRESS") != 0)
		goto out;

	host_status = kh_check(&hostkeys, &c->key, &host_found);
	if (!readonly && (c->nuser == 0 ||
	    (host_found != NULL && host_found->from_command)))
		readonly = RDONLY;
	if (c->check_host_ip) {
		ip_status = kh_check(&ipkeys, &c->key, &ip_found);
		if (host_status == KH_CHANGED && (ip_status != KH_CHANGED ||
		    (ip_found != NULL &&
		    !kh_key_equal(&ip_found->key, &host_found->key))))
			host_ip_differ = 1;
	} else
		ip_status = host_status;

	switch (host_status) {
	case KH_OK:
		debug("Host '%.200s' is known and matches the %s host key.",
		    host, c->type);
		debug("Found key in %s:%lu", host_found->file,
		    host_found->line);
		if (c->check_host_ip && ip_status == KH_NEW) {
			if (readonly)
				logit("%s host key for IP address '%.128s' not "
				    "in list of known hosts.", c->type, ip);
			else if (kh_add(c->user_files[0], ip, NULL, &c->key,
			    o->hash_known_hosts == 1) != 0)
				logit("Failed to add the %s host key for IP "
				    "address '%.128s' to the list of known "
				    "hosts (%.500s).", c->type, ip,
				    c->user_files[0]);
			else
				logit("Warning: Permanently added the %s host "
				    "key for IP address '%.128s' to the list "
				    "of known hosts.", c->type, ip);
		} else if (o->visual_host_key == 1) {
			ra = kh_randomart(&c->key, o->fingerprint_hash);
			logit("Host key fingerprint is %s\n%s", c->fp, ra);
			free(ra);
		}
		if (h->hostkey_status == NULL)
			h->hostkey_status = "known";
		break;
	case KH_NEW:
		if (o->host_key_alias == NULL && port != 0 && port != 22 &&
		    !clobber_port) {
			debug("checking without port identifier");
			if (check_host_key(c, hostname, 0, ROQUIET, 1) == 0) {
				debug("found matching key w/out port");
				break;
			}
			if (c->failed_cmd)
				goto out;
			c->reason[0] = '\0';
		}
		if (readonly)
			goto out;
		if (shk == SHK_YES) {
			set_reason(c, "No %s host key is known for %.200s and "
			    "you have requested strict checking.", c->type,
			    host);
			goto out;
		}
		if (shk == SHK_ASK) {
			if (!ask_new_key(c, host, ip))
				goto out;
		}
		/* Accepted by the user, or accept-new, or off. */
		if (c->check_host_ip && ip_status == KH_NEW) {
			xasprintf(&hostline, "%s,%s", host, ip);
			hostp = hostline;
			r = kh_add(c->user_files[0], host, ip, &c->key,
			    o->hash_known_hosts == 1);
		} else {
			hostp = host;
			r = kh_add(c->user_files[0], host, NULL, &c->key,
			    o->hash_known_hosts == 1);
		}
		if (r != 0)
			logit("Failed to add the host to the list of known "
			    "hosts (%.500s).", c->user_files[0]);
		else
			logit("Warning: Permanently added '%.200s' (%s) to the "
			    "list of known hosts.", hostp, c->type);
		h->hostkey_status = "new (added)";
		break;
	case KH_REVOKED:
		error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
		    "@@@@@");
		error("@       WARNING: REVOKED HOST KEY DETECTED!            "
		    "   @");
		error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
		    "@@@@@");
		error("The %s host key for %s is marked as revoked.", c->type,
		    host);
		error("This could mean that a stolen key is being used to");
		error("impersonate this host.");
		/*
		 * ssh 9.2 goes on (with the restrictions below) when
		 * checking is off; xssh never uses a revoked key.
		 */
		if (shk != SHK_NO)
			set_reason(c, "%s host key for %.200s was revoked and "
			    "you have requested strict checking.", c->type,
			    host);
		else
			set_reason(c, "%s host key for %.200s was revoked: "
			    "refused even with StrictHostKeyChecking off.",
			    c->type, host);
		goto out;
	case KH_CHANGED:
		if (readonly == ROQUIET)
			goto out;
		if (c->check_host_ip && host_ip_differ) {
			if (ip_status == KH_NEW)
				key_msg = "is unknown";
			else if (ip_status == KH_OK)
				key_msg = "is unchanged";
			else
				key_msg = "has a different value";
			error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
			    "@@@@@@@@@@");
			error("@       WARNING: POSSIBLE DNS SPOOFING DETECTED!"
			    "          @");
			error("@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"
			    "@@@@@@@@@@");
			error("The %s host key for %s has changed,", c->type,
			    host);
			error("and the key for the corresponding IP address %s",
			    ip);
			error("%s. This could either mean that", key_msg);
			error("DNS SPOOFING is happening or the IP address for "
			    "the host");
			error("and its host key have changed at the same time.");
			if (ip_status != KH_NEW) {
				error("Offending key for IP in %s:%lu",
				    ip_found->file, ip_found->line);
				error("  remove with:");
				error("  ssh-keygen -f \"%s\" -R \"%s\"",
				    ip_found->file, ip);
			}
		}
		warn_changed_key(c);
		error("Add correct host key in %.100s to get rid of this "
		    "message.", c->nuser > 0 ? c->user_files[0] : "(null)");
		error("Offending %s key in %s:%lu",
		    kh_key_kind(host_found->key.type), host_found->file,
		    host_found->line);
		error("  remove with:");
		error("  ssh-keygen -f \"%s\" -R \"%s\"", host_found->file,
		    host);
		if (shk != SHK_NO) {
			set_reason(c, "Host key for %.200s has changed and you "
			    "have requested strict checking.", host);
			goto out;
		}
		continue_unsafe(c);
		if (c->failed_cmd)
			goto out;
		h->hostkey_status = "CHANGED (accepted: checking off)";
		break;
	}

	if (c->check_host_ip && host_status != KH_CHANGED &&
	    ip_status == KH_CHANGED) {
		snprintf(msg, sizeof(msg), "Warning: the %s host key for "
		    "'%.200s' differs from the key for the IP address "
		    "'%.128s'\nOffending key for IP in %s:%lu", c->type, host,
		    ip, ip_found->file, ip_found->line);
		if (host_status == KH_OK)
			snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
			    "\nMatching host key in %s:%lu", host_found->file,
			    host_found->line);
		if (shk == SHK_ASK) {
			strncat(msg, "\nAre you sure you want to continue "
			    "connecting (yes/no)? ",
			    sizeof(msg) - strlen(msg) - 1);
			if (!confirm(c, msg, NULL))
				goto out;
		} else if (shk != SHK_NO) {
			logit("%s", msg);
			set_reason(c, "Exiting, you have requested strict "
			    "checking.");
			goto out;
		} else
			logit("%s", msg);
	}
	rc = 0;
 out:
	kh_list_free(&hostkeys);
	kh_list_free(&ipkeys);
	free(hostline);
	free(host);
	free(ip);
	return rc;
}

/* The address of hop 1's TCP peer, for CheckHostIP. */
static void
peer_address(struct hk *c)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = sizeof(ss);

	c->proxied = c->h->prev != NULL || c->h->proxy_pid > 0 ||
	    c->h->fd == -1 || getpeername(c->h->fd, (struct sockaddr *)&ss,
	    &len) == -1 || (ss.ss_family != AF_INET &&
	    ss.ss_family != AF_INET6) || getnameinfo((struct sockaddr *)&ss,
	    len, c->ntop, sizeof(c->ntop), NULL, 0, NI_NUMERICHOST) != 0;
	if (c->proxied)
		return;
	if (ss.ss_family == AF_INET)
		c->local = (ntohl(sin->sin_addr.s_addr) >> 24) ==
		    IN_LOOPBACKNET;
	else
		c->local = IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr);
}

static int
check_revoked_file(struct hk *c)
{
	char *path, why[256];
	int r;

	if ((path = options_expand(&c->h->opts, c->h->name,
	    c->h->opts.revoked_host_keys, XP_PATH, c->e)) == NULL)
		return -1;
	r = kh_revoked_by_file(path, &c->key, why, sizeof(why));
	if (r == 1)
		error("Host key %s %s revoked by file %s", c->type, c->fp,
		    path);
	else if (r == -1)
		error("Error checking host key %s %s in revoked keys file "
		    "%s: %s", c->type, c->fp, path, why);
	free(path);
	return r == 0 ? 0 : -1;
}

int
hop_verify_host_key(struct hop *h, struct xerr *e)
{
	struct hk c;
	ssh_key key = NULL;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.h = h;
	c.e = e;
	if (ssh_get_server_publickey(h->session, &key) != SSH_OK)
		return hop_error(h, e, XE_HOSTKEY, "host key",
		    "no host key from server: %s", ssh_get_error(h->session));
	if (kh_key_from_ssh(key, &c.key) != 0) {
		ssh_key_free(key);
		return hop_error(h, e, XE_HOSTKEY, "host key",
		    "cannot read the server's host key");
	}
	ssh_key_free(key);
	c.type = kh_key_kind(c.key.type);
	c.fp = kh_fingerprint(&c.key, h->opts.fingerprint_hash);
	debug("Server host key: %s %s", c.key.type, c.fp);
	e->code = XE_OK;
	if (h->opts.revoked_host_keys != NULL && check_revoked_file(&c) != 0)
		goto fail;
	if (expand_files(h, &h->opts.user_known_hosts_files, &c.user_files,
	    &c.nuser, e) != 0 || expand_files(h,
	    &h->opts.global_known_hosts_files, &c.sys_files, &c.nsys, e) != 0)
		goto fail;
	c.check_host_ip = h->opts.check_host_ip == 1;
	peer_address(&c);
	if (check_host_key(&c, h->opts.hostname, h->opts.port, RDRW, 0) == 0)
		rc = 0;
 fail:
	if (rc != 0 && e->code == XE_OK) {
		if (c.reason[0] != '\0' && !c.failed_cmd)
			hop_error(h, e, XE_HOSTKEY, "host key", "%s%sHost key "
			    "verification failed.", c.reason,
			    h->count > 1 ? " " : "\n");
		else if (c.reason[0] != '\0')
			hop_error(h, e, XE_HOSTKEY, "host key", "%s",
			    c.reason);
		else
			hop_error(h, e, XE_HOSTKEY, "host key",
			    "Host key verification failed.");
	}
	free_files(c.user_files, c.nuser);
	free_files(c.sys_files, c.nsys);
	kh_key_free(&c.key);
	free(c.fp);
	return rc;
}

/* --------------------------------------------- host key algorithms */

/*
 * OpenSSH 9.2's default HostKeyAlgorithms without the certificate
 * algorithms, which libssh (0.12 as 0.10) drops before the key exchange
 * ("unsupported for now" in its kex.c), and what libssh can use at all.
 */
static const char default_hostkey_algs[] =
	"ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
	"ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,"
	"sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";
static const char libssh_hostkey_algs[] =
	"ssh-ed25519,ecdsa-sha2-nistp521,ecdsa-sha2-nistp384,"
	"ecdsa-sha2-nistp256,sk-ssh-ed25519@openssh.com,"
	"sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256,ssh-rsa";

/* The key type an algorithm verifies with: rsa-sha2-256 is ssh-rsa. */
static void
alg_key_type(const char *alg, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "%s", alg);
	if ((p = strstr(buf, "-cert-v01@openssh.com")) != NULL)
		*p = '\0';
	if (strcmp(buf, "rsa-sha2-256") == 0 ||
	    strcmp(buf, "rsa-sha2-512") == 0)
		snprintf(buf, len, "ssh-rsa");
}

static int
in_list(const char *list, const char *name)
{
	char *copy = xstrdup(list), *p = copy, *w;
	int found = 0;

	while ((w = strsep(&p, ",")) != NULL && !found)
		found = strcmp(w, name) == 0;
	free(copy);
	return found;
}

static void
list_append(char **list, const char *name)
{
	char *s;

	xasprintf(&s, "%s%s%s", *list, **list != '\0' ? "," : "", name);
	free(*list);
	*list = s;
}

/* "+list" and "-list" applied to the default list, as ssh does. */
static char *
assemble_algs(const char *spec)
{
	char *out = xstrdup(""), *copy, *p, *w;

	if (spec == NULL || *spec != '-') {
		copy = xstrdup(default_hostkey_algs);
		for (p = copy; (w = strsep(&p, ",")) != NULL;)
			list_append(&out, w);
		free(copy);
	}
	if (spec == NULL)
		return out;
	copy = xstrdup(spec + 1);
	if (*spec == '+') {
		for (p = copy; (w = strsep(&p, ",")) != NULL;) {
			if (*w == '\0' || in_list(out, w))
				continue;
			if (!in_list(libssh_hostkey_algs, w)) {
				debug("HostKeyAlgorithms: %s left out: libssh "
				    "cannot use it", w);
				continue;
			}
			list_append(&out, w);
		}
	} else {
		free(out);
		out = xstrdup("");
		free(copy);
		copy = xstrdup(default_hostkey_algs);
		for (p = copy; (w = strsep(&p, ",")) != NULL;)
			if (pattern_match_list(w, spec + 1, 0) != 1)
				list_append(&out, w);
	}
	free(copy);
	return out;
}

int
hostkeys_preferred_algorithms(struct hop *h, struct xerr *e)
{
	struct kh_list keys = { NULL, 0 };
	struct hk c;
	const char *spec = h->opts.host_key_algorithms;
	char *avail, *first = xstrdup(""), *last = xstrdup(""), *copy, *p, *w;
	char *name = NULL, type[128];
	int rc = -1, i, any = 0;

	/* libssh must not reorder by its own reading of ~/.ssh. */
	ssh_options_set(h->session, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
	ssh_options_set(h->session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS,
	    "/dev/null");
	if (spec != NULL && *spec != '+' && *spec != '-') {
		/*
		 * An explicit list (patterns allowed) or "^list" is used
		 * as ssh assembles it, in its order, without reordering by
		 * known_hosts; libssh gets the names it can use.
		 */
		if (algo_assemble(spec, algo_def_keys, algo_all_keys, &avail)
		    != 0)
			avail = xstrdup("");
		copy = avail;
		for (p = copy; (w = strsep(&p, ",")) != NULL;)
			if (in_list(libssh_hostkey_algs, w))
				list_append(&first, w);
		free(avail);
		free(last);
		if (*first == '\0') {
			free(first);
			return hop_error(h, e, XE_CONFIG, "options",
			    "HostKeyAlgorithms \"%s\": libssh supports none "
			    "of these (no host certificates)", spec);
		}
		debug2("hop %d/%d %s: host key algorithms: %s", h->index,
		    h->count, h->name, first);
		any = ssh_options_set(h->session, SSH_OPTIONS_HOSTKEYS, first);
		free(first);
		if (any != 0)
			return hop_error(h, e, XE_CONFIG, "options",
			    "HostKeyAlgorithms \"%s\" rejected: %s", spec,
			    ssh_get_error(h->session));
		return 0;
	}
	avail = assemble_algs(spec);

	memset(&c, 0, sizeof(c));
	c.h = h;
	c.e = e;
	if (expand_files(h, &h->opts.user_known_hosts_files, &c.user_files,
	    &c.nuser, e) != 0 || expand_files(h,
	    &h->opts.global_known_hosts_files, &c.sys_files, &c.nsys, e) != 0)
		goto out;
	name = h->opts.host_key_alias != NULL ?
	    xstrdup(h->opts.host_key_alias) :
	    kh_host_port(h->opts.hostname, h->opts.port);
	for (i = 0; i < c.nuser; i++)
		kh_load_file(&keys, name, c.user_files[i]);
	for (i = 0; i < c.nsys; i++)
		kh_load_file(&keys, name, c.sys_files[i]);
	/* ssh 9.2 gives the command the bare HostName here. */
	if (h->opts.known_hosts_command != NULL &&
	    run_known_hosts_command(h, &keys, "ORDER", NULL,
	    h->opts.hostname, h->opts.fingerprint_hash, e) != 0)
		goto out;

	copy = xstrdup(avail);
	w = copy;
	alg_key_type(strsep(&w, ","), type, sizeof(type));
	free(copy);
	if (kh_have_type(&keys, type)) {
		debug3("have matching best-preference key type %s, using "
		    "HostkeyAlgorithms verbatim", type);
		free(first);
		first = xstrdup(avail);
	} else {
		copy = xstrdup(avail);
		for (p = copy; (w = strsep(&p, ",")) != NULL;) {
			alg_key_type(w, type, sizeof(type));
			list_append(kh_have_type(&keys, type) ? &first : &last,
			    w);
		}
		free(copy);
		if (*first != '\0')
			debug3("prefer hostkeyalgs: %s", first);
		else
			debug3("no algorithms matched; accept original");
		if (*last != '\0')
			list_append(&first, last);
	}
	debug2("hop %d/%d %s: host key algorithms: %s", h->index, h->count,
	    h->name, first);
	if (ssh_options_set(h->session, SSH_OPTIONS_HOSTKEYS, first) != 0) {
		hop_error(h, e, XE_CONFIG, "options", "HostKeyAlgorithms "
		    "\"%s\" rejected: %s", first, ssh_get_error(h->session));
		goto out;
	}
	rc = 0;
 out:
	kh_list_free(&keys);
	free_files(c.user_files, c.nuser);
	free_files(c.sys_files, c.nsys);
	free(name);
	free(avail);
	free(first);
	free(last);
	return rc;
}
