/*
 * OpenSSH-style pattern matching for Host, Match and SendEnv.
 */
#ifndef XSSH_MATCH_H
#define XSSH_MATCH_H

int	match_pattern(const char *, const char *);
int	match_pattern_list(const char *, const char *, int);
int	match_hostname(const char *, const char *);
int	match_host_line(const char *, char *const *, int, int *);

#endif /* XSSH_MATCH_H */
