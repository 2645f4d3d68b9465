/*
 * OpenSSH-style pattern matching for Host, Match and SendEnv.  The names
 * carry a pattern_ prefix: libssh, linked statically, has its own
 * match_pattern_list and match_hostname.
 */
#ifndef XSSH_MATCH_H
#define XSSH_MATCH_H

int	pattern_match(const char *, const char *);
int	pattern_match_list(const char *, const char *, int);
int	pattern_match_hostname(const char *, const char *);
int	pattern_match_host_line(const char *, char *const *, int, int *);

#endif /* XSSH_MATCH_H */
