/* Host and user names that could reach a shell (validname.c). */
#ifndef XSSH_VALIDNAME_H
#define XSSH_VALIDNAME_H

#include "xssh.h"

int	valid_hostname(const char *);
int	valid_ruser(const char *);
int	validname_check(const char *user, const char *host, struct xerr *);
char	*urldecode(const char *);
const char *validname_vis(const char *, char *, size_t);

#endif
