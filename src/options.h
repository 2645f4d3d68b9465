/*
 * The options of one hop, as resolved from the command line and the
 * ssh_config files.  Every field starts unset (-1 or NULL); the first
 * value obtained wins, except for the accumulating lists.  After all
 * sources are read, options_fill_defaults() sets what is still unset.
 */
#ifndef XSSH_OPTIONS_H
#define XSSH_OPTIONS_H

#include "xssh.h"

/* StrictHostKeyChecking */
enum {
	SHK_NO = 0,		/* "no", "off" */
	SHK_YES = 1,
	SHK_ASK = 2,
	SHK_ACCEPT_NEW = 3,
};

/* RequestTTY */
enum {
	RTTY_NO = 0,
	RTTY_YES = 1,
	RTTY_FORCE = 2,
	RTTY_AUTO = 3,
};

/* AddressFamily: values are AF_UNSPEC, AF_INET, AF_INET6 once set. */

/* A growable list of strings. */
struct strlist {
	char	**v;
	int	  n;
};

void	strlist_add(struct strlist *, const char *);
void	strlist_free(struct strlist *);

struct options {
	/* Destination. */
	char	*user;
	char	*hostname;
	int	 port;
	char	*host_key_alias;

	/* Routing. */
	char	*proxy_jump;		/* raw value, "none" allowed */
	char	*proxy_command;		/* raw value, "none" allowed */
	int	 address_family;
	char	*bind_address;
	char	*bind_interface;
	int	 connect_timeout;	/* seconds; -1 unset, 0 none */
	int	 connection_attempts;

	/* Authentication. */
	struct strlist identity_files;	/* accumulates */
	struct strlist certificate_files; /* accumulates */
	int	 identities_only;
	char	*identity_agent;
	int	 batch_mode;
	int	 pubkey_authentication;
	int	 password_authentication;
	int	 kbd_interactive_authentication;
	char	*preferred_authentications;
	int	 number_of_password_prompts;

	/* Host keys. */
	struct strlist user_known_hosts_files;	/* first line wins */
	struct strlist global_known_hosts_files; /* first line wins */
	int	 strict_host_key_checking;
	int	 hash_known_hosts;
	int	 check_host_ip;

	/* Algorithms (raw strings handed to libssh). */
	char	*ciphers;
	char	*macs;
	char	*kex_algorithms;
	char	*host_key_algorithms;
	char	*pubkey_accepted_algorithms;
	int	 compression;

	/* Session. */
	int	 request_tty;
	int	 stdin_null;
	int	 session_type;		/* -1, 0 none, 1 default, 2 subsystem */
	char	*remote_command;
	int	 forward_agent;
	int	 server_alive_interval;
	int	 server_alive_count_max;
	int	 tcp_keep_alive;
	int	 log_level;
	int	 escape_char;		/* -1 unset, -2 none */
	struct strlist send_env;	/* accumulates */
	struct strlist set_env;		/* first line wins */

	/* Stored for the connector, when it applies them. */
	int	 required_rsa_size;	/* RequiredRSASize: SSH_OPTIONS_
					   RSA_MIN_SIZE; default 1024 */

	/*
	 * For readconf itself.  Keywords xssh refuses (REFUSE in the
	 * table in readconf-kw.c) keep their first value here so that,
	 * as in OpenSSH, only the first value obtained counts:
	 * "ForwardX11 no" in a specific Host block makes a later
	 * "ForwardX11 yes" harmless.
	 */
	char	*ignore_unknown;	/* IgnoreUnknown pattern list */
	int	 clear_all_forwardings;
	int	 forward_x11;
	int	 control_master;	/* 0 no, else yes/ask/auto/autoask */
	int	 tunnel;
	int	 canonicalize_hostname;
	int	 proxy_use_fdpass;
	int	 fork_after_authentication;
	char	*forward_agent_sock;	/* ForwardAgent <socket path> */
	char	*pkcs11_provider;
	char	*security_key_provider;
	char	*known_hosts_command;
	char	*revoked_host_keys;

	/*
	 * Keywords xssh does not act upon (IGNORE in readconf-kw.c): kept
	 * as ssh keeps them, first value wins, so that -G prints them.
	 * Integers are -1 until set; multistate values are noted.
	 */
	int	 add_keys_to_agent;	/* 0 no, 1 yes, 2 ask, 3 confirm */
	int	 add_keys_to_agent_lifespan;	/* seconds, 0 none */
	char	*ca_signature_algorithms;
	char	*control_path;
	int	 control_persist;	/* 0 no, 1 yes */
	int	 control_persist_timeout;	/* seconds, 0 none */
	int	 enable_escape_commandline;
	int	 enable_ssh_keysign;
	int	 exit_on_forward_failure;
	int	 fingerprint_hash;	/* FP_HASH_* */
	int	 forward_x11_timeout;
	int	 forward_x11_trusted;
	int	 gateway_ports;
	int	 gss_authentication;
	char	*gss_client_identity;
	int	 gss_deleg_creds;
	int	 gss_keyex;
	char	*gss_kex_algorithms;
	int	 gss_renewal_rekey;
	char	*gss_server_identity;
	int	 gss_trust_dns;
	char	*hostbased_accepted_algorithms;
	int	 hostbased_authentication;
	int	 ip_qos_interactive;	/* IPTOS value */
	int	 ip_qos_bulk;
	char	*kbd_interactive_devices;
	char	*local_command;
	struct strlist log_verbose;	/* first line wins */
	int	 no_host_authentication_for_localhost;
	int	 permit_local_command;
	struct strlist permit_remote_open;	/* first line wins */
	struct strlist local_forwards;	/* -L and -D (no target), in order */
	struct strlist remote_forwards;	/* -R, RemoteForward */
	long long rekey_limit;		/* bytes, 0 default */
	int	 rekey_interval;	/* seconds, 0 none */
	int	 stream_local_bind_mask;
	int	 stream_local_bind_unlink;
	int	 syslog_facility;	/* index in ssh's facility table */
	int	 tun_local;		/* TUNID_ANY or a number */
	int	 tun_remote;
	int	 update_host_keys;	/* 0 no, 1 yes, 2 ask */
	int	 verify_host_key_dns;	/* 0 no, 1 yes, 2 ask */
	int	 visual_host_key;
	char	*xauth_location;

	/* Hostname canonicalization (canon.c), acted upon. */
	struct strlist canonical_domains;	/* first line wins */
	int	 canonicalize_fallback_local;
	int	 canonicalize_max_dots;
	struct strlist permitted_cnames;	/* "source:target" rules,
						   first line wins; "none:"
						   alone for none */
};

/* CanonicalizeHostname */
enum {
	CANON_NO = 0,
	CANON_YES = 1,
	CANON_ALWAYS = 2,
};

/* FingerprintHash, in ssh's digest order. */
enum {
	FP_HASH_MD5 = 0,
	FP_HASH_SHA1,
	FP_HASH_SHA256,
	FP_HASH_SHA384,
	FP_HASH_SHA512,
};

/* PubkeyAuthentication: every value but PUBKEY_NO enables it. */
enum {
	PUBKEY_NO = 0,
	PUBKEY_ALL = 1,		/* yes */
	PUBKEY_UNBOUND = 2,
	PUBKEY_HOST_BOUND = 3,
};

#define TUNID_ANY	0x7fffffff	/* TunnelDevice "any" */

void	options_init(struct options *);
void	options_free(struct options *);

/*
 * Fill every unset field with OpenSSH's default.  host is the name
 * given by the user (the alias), used when HostName is unset.
 */
void	options_fill_defaults(struct options *, const char *host);

/* Lowercase a host name in place, unless it is a numeric address. */
void	lowercase_hostname(char *);

/*
 * Whether name can only be an address, as ssh.c's is_addr(): with
 * "%" or ":", all digits and dots, or one numeric address of family
 * (an AF_* value, or -1 for any).
 */
int	host_is_addr(const char *name, int family);

/*
 * Reading configuration (readconf.c).
 *
 * readconf_cmdline() applies one -o argument ("Keyword value" or
 * "Keyword=value"), as OpenSSH does before any file is read; errors
 * read "command-line: line 0: ...".
 *
 * readconf_files() applies the configuration files for host: the file
 * given with -F (NULL for the default pair ~/.ssh/config then
 * /etc/ssh/ssh_config, "none" for no file).  host is the name the user
 * gave for this hop (alias), and Host lines match against it.
 */
int	readconf_cmdline(struct options *, const char *line, struct xerr *);
int	readconf_files(struct options *, const char *host,
	    const char *config_file, struct xerr *);

/*
 * Where the system-wide file and relative system Includes live; tests
 * point these into a temporary directory.
 */
extern const char *readconf_system_file;	/* /etc/ssh/ssh_config */
extern const char *readconf_system_dir;		/* /etc/ssh */

/*
 * Expand %-tokens and ${ENV} in s for this hop (orig_host: the name
 * the user gave), and a leading "~"; returns a new string.  Never
 * NULL: on a bad token or an unset variable it logs ssh's message
 * and returns a copy of s (use options_expand() to fail as ssh does).
 */
char	*options_expand_tokens(const struct options *, const char *orig_host,
	    const char *s);

/*
 * The same with the token set of one kind of keyword, as ssh_config(5)
 * TOKENS lists them, and errors reported: NULL is returned and err
 * (code XE_CONFIG) holds ssh's two-line message.  Call it once the
 * options are filled in; %C is SHA1(%l%h%p%r) as in 9.2.
 */
#define XP_PATH		1	/* "~", all tokens and ${ENV}: IdentityFile,
				   CertificateFile, IdentityAgent,
				   UserKnownHostsFile, ControlPath */
#define XP_COMMAND	2	/* all tokens: RemoteCommand, LocalCommand */
#define XP_PROXY	3	/* %% %h %k %n %p %r: ProxyCommand,
				   ProxyJump */
char	*options_expand(const struct options *, const char *orig_host,
	    const char *s, int what, struct xerr *);

#endif /* XSSH_OPTIONS_H */
