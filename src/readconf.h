/*
 * Internals shared by readconf.c (files, lines, Host/Match/Include,
 * tokens) and readconf-kw.c (the keyword table and value parsers).
 * The public interface is in options.h.
 */
#ifndef XSSH_READCONF_H
#define XSSH_READCONF_H

#include <netdb.h>
#include <stddef.h>

#include <openssl/evp.h>

#include "options.h"

#define WHITESPACE	" \t\r\n"
#define RC_FATAL	-2		/* stop reading: ssh would exit */
#define NOFIELD		((size_t)-1)

/* Flags of the file being read. */
#define RF_USERCONF	0x01		/* a user file: "~" allowed */
#define RF_CHECKPERM	0x02
#define RF_NEVERMATCH	0x04		/* Included from an inactive block */
#define RF_FINAL	0x08		/* the pass "Match final" asked for */
#define RF_CMDLINE	0x10		/* -o */

/*
 * ACT: stored in struct options for the rest of xssh.
 * IGNORE: checked as ssh checks it and kept (for -G), but not acted
 *     upon (debug message).
 * REFUSE: an error where the line applies and asks for the feature.
 * OBSOLETE: what ssh itself ignores, with ssh's own message.
 */
enum kw_status { ACT, IGNORE, REFUSE, OBSOLETE };

struct line;

struct kw {
	const char	*name;		/* as ssh_config(5) spells it */
	int		(*parse)(struct line *);
	size_t		 off;		/* field in struct options */
	enum kw_status	 status;
	const void	*arg;		/* parser's table or argument */
};

/* One readconf_files() or readconf_cmdline() run. */
struct rc {
	struct options	*o;
	const char	*host;		/* what Host lines match: the name the
					   user gave, the final name in the
					   second pass */
	const char	*orig;		/* the name the user gave */
	int		 want_final;	/* "Match final" was seen */
	char		*msg;		/* ssh's error output so far */
	size_t		 msglen;
	size_t		 msgkeep;	/* msg beyond the xerr: the last line */
};

/* The line being applied. */
struct line {
	struct rc	*rc;
	const struct kw	*kw;
	const char	*file;
	int		 linenum;
	int		*activep;
	int		 flags;
	int		 depth;
	char		*keyword;	/* lowercased */
	char		*str;		/* raw text after the keyword */
	char		**av;		/* arguments, quotes removed */
	int		 ac;
	int		 ai;		/* next argument */
	const char	*refused;	/* refuse this once the line parsed */
};

/* One value of a multistate keyword, or of a small table. */
struct ms {
	const char	*key;
	int		 value;
};

/* A %-token and its value. */
struct tok {
	int		 key;
	const char	*val;
};

/* The values behind ssh_config(5) TOKENS for one host (readconf-tokens.c). */
struct tokvals {
	char		thishost[NI_MAXHOST];
	char		shorthost[NI_MAXHOST];
	char		port[16];
	char		uid[32];
	char		hash[EVP_MAX_MD_SIZE * 2 + 1];
	struct tok	t[12];
	int		n;
};

#define FIELD(l, type)	((type *)((char *)(l)->rc->o + (l)->kw->off))

extern const struct kw	readconf_keywords[];
extern const size_t	readconf_nkeywords;

void	rc_say(struct rc *, const char *, ...) printflike(2, 3);
int	rc_bad(struct line *, const char *, ...) printflike(2, 3);
int	rc_refuse(struct line *, const char *);
int	rc_ignored(struct line *);
char	*rc_next_arg(struct line *);
int	 rc_list_arg(struct line *, const char *, int);
void	rc_consume(struct line *);
int	rc_store_int(struct line *, int);
int	rc_store_str(struct line *, const char *);
char	*rc_expand(const char *, const struct tok *, int, int, char *,
	    size_t, int *);
void	rc_make_tokens(struct tokvals *, const struct options *,
	    const char *orig, const char *host, const char *keydef, int what);
int	rc_host(struct line *);
int	rc_match(struct line *);
int	rc_include(struct line *);

/* readconf-kw.c: helpers of the value parsers. */
int	rc_ms_find(const struct ms *, const char *, int icase);
int	rc_done(struct line *);
char	*rc_need_arg(struct line *);

/* readconf-values.c: the parsers of values of their own kind. */
int	p_ipqos(struct line *);
int	p_rekeylimit(struct line *);
int	p_mask(struct line *);
int	p_fphash(struct line *);
int	p_facility(struct line *);
int	p_tundev(struct line *);
int	p_ctlpersist(struct line *);
int	p_addkeys(struct line *);
int	p_domains(struct line *);
int	p_cnames(struct line *);
int	p_permitopen(struct line *);

/*
 * canon.c: the final host name after the first pass (CanonicalizeHostname
 * and numeric addresses), in *hostp; sets *want_final when the files
 * must be read again.
 */
int	canon_host(struct options *, const char *host_arg, char **hostp,
	    int *want_final, struct xerr *);

/* readconf-misc.c: value syntax, after OpenSSH's misc.c. */
enum { ALG_CIPHER, ALG_MAC, ALG_KEX, ALG_KEY, ALG_GSSKEX };

int	cfg_in_list(const char *const *, const char *, int);
long long cfg_strtonum(const char *, long long, long long, const char **);
int	cfg_a2port(const char *);
int	cfg_convtime(const char *);
int	cfg_scan_scaled(const char *, long long *);
char	*cfg_hpdelim2(char **, char *);

/* One field of a forwarding spec: "[x]" literally, else up to ":" with
   "\" escaping; ispath when it holds a "/".  -1 at the end (*p NULL
   when the input was empty) or on a bad field. */
struct fwdarg {
	char	*arg;
	int	 ispath;
};
int	cfg_fwd_field(char **, struct fwdarg *);
int	cfg_valid_domain(const char *, char *, size_t);
int	cfg_valid_env_name(const char *);
int	cfg_check_hop(char *, int, char *, size_t);
int	cfg_valid_forward(const char *, int, int);
int	cfg_ipqos_ok(const char *);
int	cfg_tun_ok(const char *);
int	cfg_algo_ok(int, const char *);
int	cfg_digest_ok(const char *);
int	cfg_facility_ok(const char *);

/* readconf-values.c: named values, for parsing and for -G. */
#define TUNID_ERR	(TUNID_ANY - 1)

int	cfg_ipqos_value(const char *);
const char *cfg_ipqos_name(int, char *, size_t);
int	cfg_facility_value(const char *);
const char *cfg_facility_name(int);
int	cfg_digest_value(const char *);
const char *cfg_digest_name(int);
int	cfg_a2tun(const char *, int *);

#endif /* XSSH_READCONF_H */
