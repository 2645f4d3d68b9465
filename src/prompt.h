/* Asking the user: terminal or SSH_ASKPASS (prompt.c). */
#ifndef XSSH_PROMPT_H
#define XSSH_PROMPT_H

#include <stddef.h>

struct hop;

#define PROMPT_ECHO	0x01	/* show what is typed (a yes/no question) */
#define PROMPT_CONFIRM	0x02	/* askpass: SSH_ASKPASS_PROMPT=confirm */

/*
 * The answer (to be freed with prompt_free), or NULL when nobody can
 * be asked (no terminal and no askpass allowed) or the user gave EOF
 * or cancelled.  Callers check BatchMode first: it forbids asking.
 */
char	*prompt_read(const char *prompt, int flags);
void	 prompt_free(char *);
const char *prompt_hop_prefix(const struct hop *, char *, size_t);

#endif
